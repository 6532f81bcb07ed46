// 搜索说明 Search descriptions: a GraphiQL plugin that finds the schema's types, fields,
// arguments and enum values by their name OR their description (runs in the browser, served
// as-is: no build step).
//
// Why a plugin of our own: GraphiQL 4.1's docs search (@graphiql/plugin-doc-explorer,
// components/search.js: isMatch(typeName | fieldName | argument.name)) matches names only.
// Our names are English identifiers and the Chinese terms staff search for (库存, 调拨, 救援队,
// 储备点 …) live in the descriptions, which lead with them ("储备点 Storage site: …"), so the
// built-in box finds nothing for 库存. GraphiQL has no hook to change what that box matches,
// and its doc-explorer plugin is not exported by the UMD build we serve; what it does offer
// is the plugin API (`plugins`) and schema references: setting the schema store's
// `schemaReference` makes the doc explorer open that type or field — the same path GraphiQL
// takes when one clicks a field in the editor. So this panel searches, and a chosen result
// opens in the Docs.
/* global React, GraphiQL */
(function () {
  "use strict";

  var h = React.createElement;
  var ui = GraphiQL.React; // the @graphiql/react bundled with this GraphiQL: its stores, icons
  var gql = GraphiQL.GraphQL;
  var MAX_RESULTS = 100;
  // The panel's words in the reader's language, put on the page by the server (src/explorer/explorer.ts,
  // the catalogue in src/core/i18n; keys "search.*"). The title keeps the Chinese term in English too,
  // as the schema's descriptions do: staff know the panel by it.
  var LABELS = JSON.parse(document.getElementById("kz-labels").textContent);
  function label(name, values) {
    return LABELS["search." + name].replace(/\{\{(\w+)\}\}/g, function (_, key) {
      return values && key in values ? String(values[key]) : "";
    });
  }
  var TITLE = label("title");

  /** Every search word must appear in the name or the description (case-insensitive). */
  function wordsOf(query) {
    return query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }

  function score(words, name, description) {
    var lowerName = name.toLocaleLowerCase();
    var lowerDescription = (description || "").toLocaleLowerCase();
    // The description's lead: its Chinese term, up to the first space or 。
    var lead = lowerDescription.split(/[\s。：:]/)[0];
    var worst = 0;
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var rank;
      if (lowerName === word) rank = 0;
      else if (lead === word) rank = 1;
      else if (lowerName.indexOf(word) !== -1) rank = 2;
      else if (lead.indexOf(word) !== -1) rank = 3;
      else if (lowerDescription.indexOf(word) !== -1) rank = 4;
      else return -1;
      if (rank > worst) worst = rank;
    }
    return worst;
  }

  /**
   * Results as GraphiQL schema references ({ kind: "Type" | "Field" | "Argument" | "EnumValue" }),
   * best first: an exact name, then a description that leads with the word, then a name
   * containing it, then a description containing it; types before their fields.
   */
  function search(schema, query) {
    var words = wordsOf(query);
    var found = [];
    if (!schema || words.length === 0) return { results: found, total: 0 };
    var order = 0;
    function consider(reference, label, description, depth) {
      var rank = score(words, reference.argument ? reference.argument.name : reference.value ? reference.value.name : reference.field ? reference.field.name : label, description);
      if (rank < 0) return;
      found.push({ reference: reference, label: label, description: description || "", rank: rank, depth: depth, order: order++ });
    }
    var typeMap = schema.getTypeMap();
    Object.keys(typeMap).forEach(function (typeName) {
      if (typeName.indexOf("__") === 0) return;
      var type = typeMap[typeName];
      consider({ kind: "Type", type: type }, typeName, type.description, 0);
      if (gql.isObjectType(type) || gql.isInterfaceType(type) || gql.isInputObjectType(type)) {
        var fields = type.getFields();
        Object.keys(fields).forEach(function (fieldName) {
          var field = fields[fieldName];
          consider({ kind: "Field", type: type, field: field }, typeName + "." + fieldName, field.description, 1);
          (field.args || []).forEach(function (argument) {
            consider({ kind: "Argument", type: type, field: field, argument: argument }, typeName + "." + fieldName + "(" + argument.name + ")", argument.description, 2);
          });
        });
      }
      if (gql.isEnumType(type)) {
        type.getValues().forEach(function (value) {
          consider({ kind: "EnumValue", type: type, value: value }, typeName + "." + value.name, value.description, 1);
        });
      }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || a.depth - b.depth || a.order - b.order;
    });
    return { results: found.slice(0, MAX_RESULTS), total: found.length };
  }

  /** The description's first line, with the search words marked. */
  function snippet(description, words) {
    var text = description.split("\n")[0];
    if (text.length > 160) text = text.slice(0, 159) + "…";
    var lower = text.toLocaleLowerCase();
    var marks = [];
    words.forEach(function (word) {
      var at = lower.indexOf(word);
      if (at !== -1) marks.push([at, at + word.length]);
    });
    marks.sort(function (a, b) {
      return a[0] - b[0];
    });
    var parts = [];
    var cursor = 0;
    marks.forEach(function (mark, i) {
      if (mark[0] < cursor) return;
      parts.push(text.slice(cursor, mark[0]));
      parts.push(h("mark", { key: "m" + i }, text.slice(mark[0], mark[1])));
      cursor = mark[1];
    });
    parts.push(text.slice(cursor));
    return parts;
  }

  function SearchIcon(props) {
    return h(ui.MagnifyingGlassIcon, props);
  }

  function SearchPanel() {
    var schema = ui.useSchemaStore(function (state) {
      return state.schema;
    });
    var setSchemaReference = ui.useSchemaStore(function (state) {
      return state.setSchemaReference;
    });
    var referencePlugin = ui.usePluginStore(function (state) {
      return state.referencePlugin;
    });
    var setVisiblePlugin = ui.usePluginStore(function (state) {
      return state.setVisiblePlugin;
    });
    var state = React.useState("");
    var query = state[0];
    var setQuery = state[1];
    var found = React.useMemo(
      function () {
        return search(schema, query);
      },
      [schema, query],
    );
    var words = wordsOf(query);

    function open(result) {
      // The doc explorer pushes the referenced type or field onto its stack; then show it.
      setSchemaReference(result.reference);
      if (referencePlugin) setVisiblePlugin(referencePlugin);
    }

    var list;
    if (!schema) list = h("p", { className: "kz-search-note" }, label("loading"));
    else if (words.length === 0) list = h("p", { className: "kz-search-note" }, label("prompt"));
    else if (found.total === 0) list = h("p", { className: "kz-search-note" }, label("none"));
    else
      list = h(
        "ul",
        { className: "kz-search-results", "aria-label": label("results") },
        found.results.map(function (result) {
          return h(
            "li",
            { key: result.label },
            h(
              "button",
              {
                type: "button",
                className: "kz-search-result",
                "data-kind": result.reference.kind,
                onClick: function () {
                  open(result);
                },
              },
              h("span", { className: "kz-search-name" }, result.label),
              h("span", { className: "kz-search-description" }, snippet(result.description, words)),
            ),
          );
        }),
      );

    return h(
      "section",
      { className: "kz-search", "aria-label": TITLE },
      h("div", { className: "graphiql-doc-explorer-title" }, label("heading")),
      h("p", { className: "kz-search-note" }, label("note")),
      h("input", {
        className: "kz-search-input",
        type: "search",
        value: query,
        autoFocus: true,
        spellCheck: false,
        placeholder: label("placeholder"),
        "aria-label": TITLE,
        onChange: function (event) {
          setQuery(event.target.value);
        },
      }),
      found.total > MAX_RESULTS ? h("p", { className: "kz-search-note" }, label("showing", { shown: MAX_RESULTS, total: found.total })) : null,
      words.length > 0 && found.total > 0 && found.total <= MAX_RESULTS ? h("p", { className: "kz-search-note kz-search-count" }, label("count", { total: found.total })) : null,
      list,
    );
  }

  /** The plugin for GraphiQL's `plugins` prop (see explorer.client.js). */
  window.KaizhouDescriptionSearch = { title: TITLE, icon: SearchIcon, content: SearchPanel };
})();
