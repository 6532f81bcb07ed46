// The HTTP server: /graphql for queries and mutations (Apollo) and for subscriptions
// (graphql-ws on the same path), /healthz and /readyz for orchestrators, /metrics for
// Prometheus, and the offline explorer for browsers on GET /graphql.
// POST /graphql, where nearly all the work arrives, is served on plain node:http (see
// core/http/http-body.ts for why); everything else goes through express.
// Both GraphQL doors are built from one FrontDoor (core/http/front-door.ts): the same parsing,
// validation, checks, rate limit, context (src/context.ts) and error masking.
// A GraphQL request over HTTP passes, in order: request id → body size limit → authentication →
// rate limit → batch size → Apollo (parse, validation, the front door's checks, audit) → resolvers
// (@Authorized roles). A WebSocket operation: request id → rate limit → subscriptions per
// connection → the same parse, validation and checks → resolvers (core/live/websocket-door.ts).
// A data URL (GET /data/<name>.json|csv): request id → authentication → the same rate limit → its
// saved document and parameters → Apollo as above (modules/data-endpoints/data-door.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express from "express";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { DataSource } from "typeorm";
import { WebSocketServer } from "ws";
import { ConfigError, type Config } from "./config";
import { createContext, type AppContext } from "./context";
import { databaseAnswers } from "./core/db/database";
import { clientAddress, readJsonBody, sendJson } from "./core/http/http-body";
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableError, isDatabaseUnavailable } from "./core/db/database-errors";
import { idempotencyPlugin } from "./core/mutation/idempotency";
import type { ServiceInstance } from "./core/db/service-instance";
import { FrontDoor, internalErrorMessage, type Authenticate, type Caller } from "./core/http/front-door";
import { DEFAULT_MANIFEST, TrustedDocuments } from "./core/http/trusted-documents";
import { logger } from "./core/ops/logger";
import { noteCaller, noteRefusal, requestLine, requestLogPlugin } from "./core/ops/request-log";
import type { Metrics } from "./core/ops/metrics";
import { acceptedRequestId, currentRequestScope, inRequestLanguage, newRequestId, runInRequestScope, type RequestScope } from "./core/http/request-scope";
import { LocalizedProblem, message, negotiateLocale, sayHere, type Message } from "./core/i18n/i18n";
import type { EventBus } from "./core/live/pubsub";
import { SocketGuard } from "./core/live/socket-guard";
import { sharedSubscribe } from "./core/live/subscription-fanout";
import { webSocketDoor } from "./core/live/websocket-door";
import { explorerRoutes } from "./explorer/explorer";
import { dataDoor } from "./modules/data-endpoints/data-door";
import { auditPlugin } from "./modules/audit/audit.plugin";
import type { Services } from "./services";
import type { ReadReplicas, Replica } from "./core/db/read-replicas";
import { readRoutingPlugin } from "./read-routing";

export interface ServerDependencies {
  config: Config;
  schema: GraphQLSchema;
  dataSource: DataSource;
  services: Services;
  authenticate: Authenticate;
  metrics: Metrics;
  /** The bus that carries credentials changes to open sockets (and subscription events). */
  events: EventBus;
  /** This process as the database knows it (idempotency claims name it). */
  instance: ServiceInstance;
  /** DATABASE_READ_URL's replicas and the read-only services over each (src/read-routing.ts). */
  readRouting?: { replicas: ReadReplicas; servicesOf: (replica: Replica) => Services };
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, drains HTTP requests and WebSocket connections, then resolves. */
  close(): Promise<void>;
}

/** An answer made outside Apollo and the front door's masking: its words in the request's language. */
function errorBody(said: Message, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message: inRequestLanguage(said), extensions: { code, requestId: currentRequestScope()?.requestId, ...extra } }] };
}

export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const { config, schema, dataSource, services } = deps;
  const { limits } = config;
  const debug = config.debugErrors;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback"); // behind a local reverse proxy, X-Forwarded-For names the client (as clientAddress)
  app.set("etag", false); // nothing served by express is revalidated: assets carry their hash, the rest is live
  let trusted: TrustedDocuments;
  try {
    trusted = TrustedDocuments.load(config.trustedDocuments.mode, [DEFAULT_MANIFEST, ...config.trustedDocuments.extraManifests], schema);
  } catch (error) {
    throw new ConfigError("TRUSTED_DOCUMENTS_MANIFESTS", error instanceof LocalizedProblem ? error.said : message("config.reason", { reason: (error as Error).message }));
  }
  if (trusted.mode !== "off") logger.info({ mode: trusted.mode, operations: trusted.size }, sayHere("log.trustedDocuments"));
  const frontDoor = new FrontDoor(schema, limits, debug, deps.metrics.frontDoor, trusted);
  const httpServer = http.createServer(); // requests are routed at the end, once Apollo has started

  /** Counted, given a request id (the caller's X-Request-Id if well formed), SQL statements counted; GraphQL requests logged (core/ops/request-log.ts). */
  const trackRequest = (req: http.IncomingMessage, res: http.ServerResponse, path: string, next: () => void) => {
    deps.metrics.countHttpRequest(req, res, path);
    const requestId = acceptedRequestId(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    // The language of the answer (core/i18n): Accept-Language, else DEFAULT_LOCALE.
    const locale = negotiateLocale(req.headers["accept-language"], config.defaultLocale);
    const scope: RequestScope = { requestId, sqlStatements: 0, locale };
    runInRequestScope(scope, () => {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        if (path !== "/graphql" && !path.startsWith("/data/")) return;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const line = requestLine({ door: "http", requestId, method: req.method, path, status: res.statusCode, client: clientAddress(req), ms, sql: scope.sqlStatements, notes: scope.log });
        logger.info(line.fields, line.message);
      });
      next();
    });
  };
  app.use((req, res, next) => trackRequest(req, res, req.path, next));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const ready = await databaseAnswers(dataSource);
    // Replicas down are a degraded service, not an unready one: their reads go to the primary.
    const replicas = deps.readRouting?.replicas;
    const readReplicas = replicas ? { healthy: replicas.healthyCount, total: replicas.replicas.length } : undefined;
    res.status(ready ? 200 : 503).json({ status: ready ? (readReplicas && readReplicas.healthy < readReplicas.total ? "degraded" : "ready") : "database unavailable", ...(readReplicas ? { readReplicas } : {}) });
  });

  // ---- operations: metrics, and the explorer a browser gets from GET /graphql ----
  app.get("/metrics", deps.metrics.handler(config.operations.metricsToken));
  app.use(explorerRoutes("/graphql", config.defaultLocale));

  /** The front door's checks once Apollo knows the operation: bad credentials, the anonymous gate, query limits, no subscriptions. */
  const frontDoorChecks: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, request }) {
          const refused = frontDoor.check(contextValue, "http", document, operation, request.variables);
          if (refused) throw refused;
        },
      };
    },
  };

  /** A database that is away is the service's condition, not the request's: 503 and when to come back. */
  const databaseUnavailableStatus: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          if (!body?.errors?.some((error) => error.extensions?.code === "DATABASE_UNAVAILABLE")) return;
          response.http.status = 503;
          response.http.headers.set("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
        },
      };
    },
  };

  const sqlStatementHeader: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const scope = currentRequestScope();
          if (scope) response.http.headers.set("x-sql-statements", String(scope.sqlStatements));
        },
      };
    },
  };

  // ---- WebSocket: subscriptions only, authenticated in connection_init ----
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: limits.maxBodyBytes });
  // Open sockets stay bound to their credentials: revocations close them (core/live/socket-guard.ts).
  const socketGuard = new SocketGuard({
    authenticate: deps.authenticate,
    events: deps.events,
    recheckSeconds: limits.wsCredentialsRecheckSeconds,
    maxSubscriptionsPerConnection: limits.maxSubscriptionsPerConnection,
    maxSubscriptionsPerIdentity: limits.maxSubscriptionsPerIdentity,
  });
  const wsCleanup = useServer(
    webSocketDoor({
      schema,
      frontDoor,
      authenticate: deps.authenticate,
      guard: socketGuard,
      metrics: deps.metrics,
      contextFor: (caller) => createContext(services, caller),
      defaultLocale: config.defaultLocale,
      // One execution per event for subscribers who would get the same answer.
      subscribe: sharedSubscribe(deps.metrics.fanout),
    }),
    wsServer,
  );

  const drainWebSockets: ApolloServerPlugin = {
    async serverWillStart() {
      return {
        async drainServer() {
          await socketGuard.stop();
          await wsCleanup.dispose();
        },
      };
    },
  };

  const apollo = new ApolloServer<AppContext>({
    schema,
    formatError: (formatted, error) => frontDoor.mask(formatted, error, currentRequestScope()),
    includeStacktraceInErrorResponses: debug,
    // Introspection is the front door's to refuse (GRAPHQL_INTROSPECTION), with the same rule on both doors.
    introspection: true,
    parseOptions: frontDoor.parseOptions,
    validationRules: [...frontDoor.validationRules],
    allowBatchedHttpRequests: true,
    // Automatic persisted queries (APQ, on in Apollo by default; here explicit): a hash-only request
    // finds its document in the trusted documents' manifest, then among those clients registered
    // on this instance (at most APQ_CACHE_MAX_BYTES, least recently used dropped first, no expiry).
    // Not shared over Redis: a miss costs the client one round trip to register, and Redis stays
    // off the request path (see README "For dashboard developers").
    persistedQueries: { cache: trusted.apqCache(), ttl: null },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainWebSockets,
      ApolloServerPluginLandingPageDisabled(), // browsers get the offline explorer (explorerRoutes) instead
      // No HTTP cache hints are used; the default cache-control plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      deps.metrics.apolloPlugin(),
      frontDoorChecks,
      ...(deps.readRouting ? [readRoutingPlugin(deps.readRouting.replicas, deps.readRouting.servicesOf)] : []),
      idempotencyPlugin({ schema, dataSource, instance: deps.instance, waitMs: config.idempotencyWaitMs }),
      databaseUnavailableStatus,
      auditPlugin(schema),
      requestLogPlugin(),
      ...(config.exposeSqlStatementCount ? [sqlStatementHeader] : []),
    ],
  });
  await apollo.start();

  /** Who sent the request, as both /graphql and the data URLs authenticate it; bad credentials are kept as the caller's authError. */
  const callerOf = async (req: http.IncomingMessage): Promise<Caller> => {
    const address = clientAddress(req);
    const apiKey = req.headers["x-api-key"];
    const locale = currentRequestScope()?.locale ?? config.defaultLocale;
    let caller: Caller;
    try {
      caller = { actor: await deps.authenticate({ authorization: req.headers.authorization, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey, address }), authError: null, clientAddress: address, locale };
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      caller = { actor: null, authError: error, clientAddress: address, locale };
    }
    noteCaller(currentRequestScope(), caller.actor, caller.authError !== null); // for the request's log line
    return caller;
  };

  /**
   * A GraphQL request over HTTP, its body already read: authentication, rate limit, batch size,
   * then Apollo. Bad credentials do not stop it here: Apollo refuses them (the front door's
   * checks), so the attempt is audited.
   */
  const serveGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> => {
    const caller = await callerOf(req);

    const limited = frontDoor.rateLimit(caller, "http");
    if (limited) {
      noteRefusal(currentRequestScope(), String(limited.extensions.code));
      const retryAfter = String(limited.extensions.retryAfterSeconds);
      return sendJson(res, 429, { errors: [frontDoor.mask(limited.toJSON(), limited, currentRequestScope())] }, { "retry-after": retryAfter });
    }

    const batched = Array.isArray(body);
    if (Array.isArray(body)) {
      if (body.length > limits.maxOperations) {
        const said = message("request.tooManyOperations", { measured: body.length, limit: limits.maxOperations });
        noteRefusal(currentRequestScope(), "QUERY_TOO_COMPLEX");
        return sendJson(res, 400, errorBody(said, "QUERY_TOO_COMPLEX", { measured: body.length, limit: limits.maxOperations }));
      }
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: query === -1 ? "" : url.slice(query), body },
      context: async () => createContext(services, { ...caller, batched, requestId: currentRequestScope()?.requestId ?? newRequestId() }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.setHeader("content-length", Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  /** Anything that escaped the steps above: logged with the request id, answered without internals. */
  const failed = (res: http.ServerResponse, error: unknown) => {
    const requestId = currentRequestScope()?.requestId;
    logger.error({ err: error, requestId }, "request failed");
    if (res.headersSent) return void res.destroy();
    if (isDatabaseUnavailable(error)) {
      // Credentials could not be checked: the database is away (logged above).
      return sendJson(res, 503, errorBody(DatabaseUnavailableError.said, "DATABASE_UNAVAILABLE", { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }), { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) });
    }
    sendJson(res, 500, errorBody(internalErrorMessage(requestId), "INTERNAL_SERVER_ERROR"));
  };

  const servePost = (req: http.IncomingMessage, res: http.ServerResponse) =>
    trackRequest(req, res, "/graphql", () => {
      readJsonBody(req, limits.maxBodyBytes)
        .then((read) => {
          if ("body" in read) return serveGraphQL(req, res, read.body);
          noteRefusal(currentRequestScope(), read.code);
          sendJson(res, read.status, errorBody(read.message, read.code, read.extensions));
        })
        .catch((error) => failed(res, error));
    });

  // GET /data/<name>.json|csv: saved documents for tools that do not speak GraphQL, run as a GraphQL
  // request through this same Apollo (modules/data-endpoints/data-door.ts).
  const serveData = dataDoor({
    schema,
    frontDoor,
    endpoints: services.dataEndpoints,
    callerOf,
    async execute(caller, request) {
      const headers = new HeaderMap([["content-type", "application/json"]]);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: "POST", headers, search: "", body: request },
        // The saved document is the service's own: TRUSTED_DOCUMENTS does not hold it to the manifest.
        context: async () => createContext(services, { ...caller, savedDocument: true, requestId: currentRequestScope()?.requestId ?? newRequestId() }),
      });
      let text = "";
      if (response.body.kind === "complete") text = response.body.string;
      else for await (const chunk of response.body.asyncIterator) text += chunk;
      return { status: response.status ?? 200, headers: response.headers, body: text };
    },
  });
  app.get("/data/*file", (req, res) => {
    serveData(req, res).catch((error) => failed(res, error));
  });
  app.all("/data/*file", (_req, res) => {
    res.setHeader("allow", "GET, HEAD");
    sendJson(res, 405, errorBody(message("dataEndpoints.url.getOnly"), "METHOD_NOT_ALLOWED"));
  });

  // GET /graphql that is not a browser's (the explorer answered those above), and other methods, which Apollo refuses.
  app.all("/graphql", (req, res) => {
    serveGraphQL(req, res, undefined).catch((error) => failed(res, error));
  });

  httpServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The path as express would match it: any case, with or without a trailing slash.
    const path = (req.url ?? "").split("?", 1)[0].replace(/\/$/, "").toLowerCase();
    if (req.method === "POST" && path === "/graphql") servePost(req, res);
    else app(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    async close() {
      await apollo.stop(); // runs the drain plugins: HTTP first, then WebSockets
      wsServer.close();
    },
  };
}
