// The explorer page's own script (runs in the browser, served as-is: no build step).
// GraphiQL with a fetcher that sends the token from the bar (or an Authorization header
// typed into GraphiQL's headers editor) over HTTP, and runs subscriptions over graphql-ws on
// the same path with { authorization: "Bearer <token>" } in connection_init.
/* global React, ReactDOM, GraphiQL, graphqlWs */
(function () {
  "use strict";

  // The explorer is served by the GraphQL endpoint itself, so the page's own path is the endpoint.
  var endpoint = location.origin + location.pathname;
  var socketEndpoint = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + location.pathname;
  // sessionStorage: the token lives as long as the tab, never in another person's later session.
  var TOKEN_KEY = "kaizhou:explorer:token";

  // The page's words in the reader's language, put there by the server (src/explorer/explorer.ts, the catalogue in src/core/i18n).
  var LABELS = JSON.parse(document.getElementById("kz-labels").textContent);
  function label(name, values) {
    return LABELS[name].replace(/\{\{(\w+)\}\}/g, function (_, key) {
      return values && key in values ? String(values[key]) : "";
    });
  }

  var tokenInput = document.getElementById("kz-token");
  var who = document.getElementById("kz-who");
  var signInForm = document.getElementById("kz-signin");
  var signOutButton = document.getElementById("kz-signout");

  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || "";

  function authorizationFromToken() {
    var token = tokenInput.value.trim();
    if (!token) return undefined;
    return /^bearer\s/i.test(token) ? token : "Bearer " + token;
  }

  /** An Authorization header typed into GraphiQL's headers editor wins over the token field. */
  function editorAuthorization(headers) {
    for (var name in headers || {}) {
      if (name.toLowerCase() === "authorization" && headers[name]) return String(headers[name]);
    }
    return undefined;
  }

  function postGraphQL(body, authorization) {
    var headers = { "content-type": "application/json", accept: "application/json" };
    if (authorization) headers.authorization = authorization;
    return fetch(endpoint, { method: "POST", headers: headers, body: JSON.stringify(body) }).then(function (response) {
      return response.json();
    });
  }

  // ---- who is signed in ----
  function showSignedOut(message) {
    who.textContent = message || label("notSignedIn");
    signOutButton.hidden = !tokenInput.value;
  }

  function refreshWho() {
    var authorization = authorizationFromToken();
    if (!authorization) return showSignedOut();
    postGraphQL({ query: "query ExplorerWhoAmI { me { name role } }" }, authorization).then(
      function (result) {
        if (result.data && result.data.me) {
          who.textContent = label("signedIn", { name: result.data.me.name, role: result.data.me.role });
          signOutButton.hidden = false;
        } else {
          showSignedOut(label("tokenRefused", { reason: (result.errors && result.errors[0] && result.errors[0].message) || label("unknownReason") }));
        }
      },
      function () {
        showSignedOut(label("noAnswer"));
      },
    );
  }

  /** Set once GraphiQL is on the page: what a new token must also refresh. */
  var onTokenChanged = function () {};

  function setToken(token) {
    var changed = (tokenInput.value || "") !== (token || "") || (sessionStorage.getItem(TOKEN_KEY) || "") !== (token || "");
    tokenInput.value = token || "";
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    refreshWho();
    if (changed) onTokenChanged();
  }

  tokenInput.addEventListener("change", function () {
    setToken(tokenInput.value.trim());
  });

  signInForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var username = document.getElementById("kz-username").value.trim();
    var password = document.getElementById("kz-password");
    postGraphQL({
      query: "mutation ExplorerLogin($input: LoginInput!) { login(input: $input) { token errors { message } } }",
      variables: { input: { username: username, password: password.value } },
    }).then(
      function (result) {
        var login = result.data && result.data.login;
        if (login && login.token) {
          password.value = "";
          setToken(login.token);
        } else {
          var errors = (login && login.errors) || result.errors || [];
          showSignedOut(label("signInFailed", { reason: errors[0] ? errors[0].message : label("unknownReason") }));
        }
      },
      function () {
        showSignedOut(label("noAnswer"));
      },
    );
  });

  signOutButton.addEventListener("click", function () {
    setToken("");
  });

  // ---- GraphiQL ----
  var http = GraphiQL.createFetcher({ url: endpoint });

  // One graphql-ws client per authorization: a new token means a new connection_init.
  var socket = { authorization: null, client: null };
  function socketClient(authorization) {
    if (socket.client && socket.authorization === authorization) return socket.client;
    if (socket.client) socket.client.dispose();
    socket.authorization = authorization;
    socket.client = graphqlWs.createClient({
      url: socketEndpoint,
      lazy: true, // connects for the first subscription, closes after the last
      keepAlive: 20000, // pings, so a load balancer's idle timeout does not cut a quiet subscription
      connectionParams: authorization ? { authorization: authorization } : {},
    });
    return socket.client;
  }

  function socketError(error) {
    if (Array.isArray(error)) return { errors: error };
    if (error && typeof error.code === "number") {
      return { errors: [{ message: label("socketClosed", { code: error.code, reason: error.reason || "" }) }] };
    }
    return { errors: [{ message: (error && error.message) || String(error) }] };
  }

  function subscribe(params, authorization) {
    return {
      subscribe: function (observer) {
        var dispose = socketClient(authorization).subscribe(params, {
          next: function (value) {
            observer.next(value);
          },
          error: function (error) {
            observer.next(socketError(error));
            observer.complete();
          },
          complete: function () {
            observer.complete();
          },
        });
        return { unsubscribe: dispose };
      },
    };
  }

  function isSubscription(params, options) {
    if (!options || !options.documentAST) return false;
    try {
      var operation = GraphiQL.GraphQL.getOperationAST(options.documentAST, params.operationName || undefined);
      return Boolean(operation && operation.operation === "subscription");
    } catch (error) {
      return false;
    }
  }

  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    var typed = editorAuthorization(headers);
    var authorization = typed || authorizationFromToken();
    if (isSubscription(params, options)) return subscribe(params, authorization);
    var merged = Object.assign({}, headers);
    if (!typed && authorization) merged.authorization = authorization;
    return http(params, Object.assign({}, options, { headers: merged }));
  }

  var defaultQuery = [
    label("exampleIntro"),
    "",
    "query Townships {",
    "  me { name role }",
    "  regions(first: 40, where: { level: TOWNSHIP }) {",
    "    totalCount",
    "    nodes { code name kind }",
    "  }",
    "}",
    "",
  ].join("\n");

  var container = document.getElementById("graphiql");
  container.textContent = "";
  var root = ReactDOM.createRoot(container);
  var mounted = 0;
  // GraphiQL reads the schema once, when it mounts. Where introspection is for signed-in
  // callers only (the production default), the schema comes with the token: a new token
  // mounts GraphiQL afresh (the editors keep their text in GraphiQL's own storage).
  function renderExplorer() {
    mounted += 1;
    root.render(
      React.createElement(GraphiQL, {
        key: "explorer-" + mounted,
        fetcher: fetcher,
        defaultQuery: defaultQuery,
        shouldPersistHeaders: false,
        // 搜索说明: finds 库存, 调拨 … in descriptions, which GraphiQL's own docs search does not read.
        plugins: window.KaizhouDescriptionSearch ? [window.KaizhouDescriptionSearch] : [],
      }),
    );
  }
  renderExplorer();
  onTokenChanged = renderExplorer;
  refreshWho();
})();
