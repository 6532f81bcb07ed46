// The HTTP server: /graphql for queries and mutations (Apollo) and for subscriptions
// (graphql-ws on the same path), /healthz and /readyz for orchestrators, /metrics for
// Prometheus, and the offline explorer for browsers on GET /graphql.
// POST /graphql, where nearly all the work arrives, is served on plain node:http (see
// core/http/http-body.ts for why); everything else goes through express.
// Every GraphQL request passes, in order: request id → body size limit → authentication →
// rate limit → batch size → Apollo (anonymous gate, query limits, audit) → resolvers (@Authorized roles).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express from "express";
import { getOperationAST, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { DataSource } from "typeorm";
import { WebSocketServer } from "ws";
import type { Config } from "./config";
import type { AppContext } from "./context";
import type { Actor } from "./core/access/auth";
import { databaseAnswers } from "./core/db/database";
import { inputDataException } from "./core/graphql/errors";
import { clientAddress, readJsonBody, sendJson } from "./core/http/http-body";
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableError, isDatabaseUnavailable } from "./core/db/database-errors";
import { idempotencyPlugin } from "./core/mutation/idempotency";
import type { ServiceInstance } from "./core/db/service-instance";
import { checkQueryLimits } from "./core/graphql/limits";
import { logger } from "./core/ops/logger";
import type { Metrics } from "./core/ops/metrics";
import { RateLimiter } from "./core/http/rate-limit";
import { currentRequestScope, newRequestId, runInRequestScope } from "./core/http/request-scope";
import type { EventBus } from "./core/live/pubsub";
import { SocketGuard, type GuardedConnection } from "./core/live/socket-guard";
import { sharedSubscribe } from "./core/live/subscription-fanout";
import { explorerRoutes } from "./explorer/explorer";
import { createLoaders } from "./loaders";
import { auditPlugin } from "./modules/audit/audit.plugin";
import type { Services } from "./services";

/** Turns request credentials into an actor; throws UNAUTHENTICATED for bad credentials. */
export type Authenticate = (credentials: { authorization?: string; apiKey?: string; address?: string }) => Promise<Actor | null>;

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
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, drains HTTP requests and WebSocket connections, then resolves. */
  close(): Promise<void>;
}

/** What anonymous callers may select at the root: signing in, and schema introspection where GRAPHQL_INTROSPECTION is true. */
const ANONYMOUS_ROOT_FIELDS = new Set(["login", "__typename"]);
const INTROSPECTION_ROOT_FIELDS = new Set(["__schema", "__type"]);

const INTERNAL_CODES = new Set(["INTERNAL_SERVER_ERROR", undefined]);

/** What a client is told of an internal error: nothing of it but the request id to quote. */
function internalErrorMessage(requestId: string | undefined): string {
  return `Internal error. Quote request id ${requestId ?? "(none)"} when reporting it.`;
}

/**
 * Clients get codes and messages they can act on, plus the request id to quote; stack
 * traces, SQL and paths stay in the server log unless debug errors are switched on.
 */
export function formatError(debug: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = currentRequestScope()?.requestId;
    const code = formatted.extensions?.code as string | undefined;
    if (INTERNAL_CODES.has(code) && isDatabaseUnavailable(error)) {
      // A read that found the database away (a transaction's failures are classified where they happen).
      logger.warn({ err: (error as { originalError?: unknown })?.originalError ?? error, requestId, path: formatted.path }, "database unavailable");
      const unavailable = new DatabaseUnavailableError();
      return { message: unavailable.message, path: formatted.path, locations: formatted.locations, extensions: { ...unavailable.extensions, requestId } };
    }
    const badValue = INTERNAL_CODES.has(code) ? inputDataException(error) : null;
    if (badValue) {
      // A value the input rules let through and the database refused: the request's fault, said without the SQL.
      logger.warn({ err: (error as { originalError?: unknown })?.originalError ?? error, requestId, path: formatted.path }, "database refused a value from the request");
      return { message: `A value in the request is not acceptable: ${badValue}.`, path: formatted.path, locations: formatted.locations, extensions: { code: "BAD_USER_INPUT", requestId } };
    }
    if (INTERNAL_CODES.has(code) && !debug) {
      logger.error({ err: (error as { originalError?: unknown })?.originalError ?? error, requestId, path: formatted.path }, "internal error");
      return {
        message: internalErrorMessage(requestId),
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
      };
    }
    const extensions: Record<string, unknown> = { ...formatted.extensions, requestId };
    delete extensions.http;
    if (!debug) delete extensions.stacktrace;
    return { ...formatted, extensions };
  };
}

function errorBody(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, requestId: currentRequestScope()?.requestId, ...extra } }] };
}

function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : ["(fragment)"]));
}

interface RequestAuth {
  actor: Actor | null;
  error: GraphQLError | null;
}

export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const { config, schema, dataSource, services } = deps;
  const { limits } = config;
  const debug = config.debugErrors;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback"); // behind a local reverse proxy, X-Forwarded-For names the client (as clientAddress)
  app.set("etag", false); // nothing served by express is revalidated: assets carry their hash, the rest is live
  const rateLimiter = new RateLimiter(limits.rateLimitPerMinute);
  const httpServer = http.createServer(); // requests are routed at the end, once Apollo has started

  /** Counted, given a request id (the caller's X-Request-Id if well formed), SQL statements counted; GraphQL requests logged. */
  const trackRequest = (req: http.IncomingMessage, res: http.ServerResponse, path: string, next: () => void) => {
    deps.metrics.countHttpRequest(req, res, path);
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : newRequestId();
    res.setHeader("x-request-id", requestId);
    runInRequestScope({ requestId, sqlStatements: 0 }, () => {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        if (path !== "/graphql") return;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info({ requestId, method: req.method, status: res.statusCode, ms: Math.round(ms * 10) / 10, sql: currentRequestScope()?.sqlStatements }, "request");
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
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "database unavailable" });
  });

  // ---- operations: metrics, and the explorer a browser gets from GET /graphql ----
  app.get("/metrics", deps.metrics.handler(config.operations.metricsToken));
  app.use(explorerRoutes("/graphql"));

  const anonymousIntrospection = limits.introspection === "all";
  /** Refuses anonymous use of anything but login (and introspection when open to all), and bad credentials outright. */
  const anonymousGate: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (contextValue.authError) throw contextValue.authError;
          if (contextValue.actor || !operation) return;
          const outside = rootFieldNames(operation).filter((name) => !ANONYMOUS_ROOT_FIELDS.has(name) && !(anonymousIntrospection && INTROSPECTION_ROOT_FIELDS.has(name)));
          if (outside.length) {
            const allowed = anonymousIntrospection ? "login and introspection" : "login";
            throw new GraphQLError(`Sign in first: anonymous requests may only use ${allowed} (asked for ${outside.join(", ")}). Send Authorization: Bearer <token or API key>.`, {
              extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
            });
          }
        },
      };
    },
  };

  const queryLimits: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          const [first] = checkQueryLimits(schema, document, operation, request.variables, limits);
          if (first) throw first;
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
  const validationRules = limits.introspection !== "none" ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  // Open sockets stay bound to their credentials: revocations close them (core/live/socket-guard.ts).
  const socketGuard = new SocketGuard({
    authenticate: deps.authenticate,
    events: deps.events,
    recheckSeconds: limits.wsCredentialsRecheckSeconds,
    maxSubscriptionsPerConnection: limits.maxSubscriptionsPerConnection,
    maxSubscriptionsPerIdentity: limits.maxSubscriptionsPerIdentity,
  });
  const wsCleanup = useServer<Record<string, unknown>, { actor?: Actor | null; address?: string; guarded?: GuardedConnection }>(
    deps.metrics.instrumentWebSocket({
      schema,
      // One execution per event for subscribers who would get the same answer.
      subscribe: sharedSubscribe(deps.metrics.fanout),
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = typeof params.authorization === "string" ? params.authorization : typeof params.token === "string" ? `Bearer ${params.token}` : undefined;
        const apiKey = typeof params.apiKey === "string" ? params.apiKey : typeof params["x-api-key"] === "string" ? (params["x-api-key"] as string) : undefined;
        const address = ctx.extra.request.socket.remoteAddress;
        try {
          const actor = await deps.authenticate({ authorization, apiKey, address });
          if (!actor) {
            ctx.extra.socket.close(CloseCode.Unauthorized, "Unauthorized: send { authorization: 'Bearer <token or API key>' } in connection_init");
            return false;
          }
          ctx.extra.actor = actor;
          ctx.extra.address = address;
          const socket = ctx.extra.socket;
          const guarded: GuardedConnection = {
            actor,
            credentials: { authorization, apiKey, address },
            get subscriptions() {
              return ctx.subscriptions;
            },
            close: (code, reason) => socket.close(code, reason),
          };
          ctx.extra.guarded = guarded;
          socketGuard.register(guarded);
          socket.once("close", () => socketGuard.unregister(guarded));
          return true;
        } catch (error) {
          ctx.extra.socket.close(CloseCode.Unauthorized, `Unauthorized: ${(error as Error).message}`.slice(0, 120));
          return false;
        }
      },
      // Results and errors on the socket are masked like HTTP ones: no internals reach clients.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        const format = formatError(debug);
        return { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        const format = formatError(debug);
        return errors.map((error) => format(error.toJSON(), error));
      },
      onSubscribe: async (ctx, _id, payload) => {
        const refusal = ctx.extra.guarded ? socketGuard.subscriptionRefusal(ctx.extra.guarded) : null;
        if (refusal) return [new GraphQLError(refusal, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } })];
        let document;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [error as GraphQLError];
        }
        const validation = validate(schema, document, validationRules);
        if (validation.length) return validation;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError("Name the operation to run.")];
        if (operation.operation !== "subscription") {
          // Queries and mutations go over HTTP, where rate limits, audit and batching apply.
          return [new GraphQLError(`Only subscriptions run over WebSocket; send ${operation.operation}s with HTTP POST /graphql.`, { extensions: { code: "BAD_REQUEST" } })];
        }
        const limitErrors = checkQueryLimits(schema, document, operation, payload.variables ?? undefined, limits);
        if (limitErrors.length) return limitErrors;
        const context: AppContext = {
          requestId: newRequestId(),
          actor: ctx.extra.actor ?? null,
          authError: null,
          clientAddress: ctx.extra.address ?? "unknown",
          services,
          loaders: createLoaders(services),
        };
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
        return args;
      },
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
    formatError: formatError(debug),
    includeStacktraceInErrorResponses: debug,
    introspection: limits.introspection !== "none",
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainWebSockets,
      ApolloServerPluginLandingPageDisabled(), // browsers get the offline explorer (explorerRoutes) instead
      // No HTTP cache hints are used; the default cache-control plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      deps.metrics.apolloPlugin(),
      anonymousGate,
      queryLimits,
      idempotencyPlugin({ schema, dataSource, instance: deps.instance, waitMs: config.idempotencyWaitMs }),
      databaseUnavailableStatus,
      auditPlugin(schema),
      ...(config.exposeSqlStatementCount ? [sqlStatementHeader] : []),
    ],
  });
  await apollo.start();

  /**
   * A GraphQL request over HTTP, its body already read: authentication, rate limit, batch size,
   * then Apollo. Bad credentials do not stop it here: Apollo refuses them (anonymousGate), so
   * the attempt is audited.
   */
  const serveGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> => {
    const address = clientAddress(req);
    const apiKey = req.headers["x-api-key"];
    let auth: RequestAuth;
    try {
      auth = { actor: await deps.authenticate({ authorization: req.headers.authorization, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey, address }), error: null };
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      auth = { actor: null, error };
    }

    const decision = rateLimiter.take(auth.actor ? `${auth.actor.kind}:${auth.actor.id}` : `address:${address}`);
    if (!decision.allowed) {
      const message = `Too many requests: at most ${limits.rateLimitPerMinute} a minute (setting RATE_LIMIT_PER_MINUTE). Retry after ${decision.retryAfterSeconds} s.`;
      return sendJson(res, 429, errorBody(message, "RATE_LIMITED", { retryAfterSeconds: decision.retryAfterSeconds }), { "retry-after": String(decision.retryAfterSeconds) });
    }

    if (Array.isArray(body)) {
      const scope = currentRequestScope();
      if (scope) scope.batched = true;
      if (body.length > limits.maxOperations) {
        const message = `Operations in one request: ${body.length} exceeds the limit of ${limits.maxOperations} (setting GRAPHQL_MAX_OPERATIONS).`;
        return sendJson(res, 400, errorBody(message, "QUERY_TOO_COMPLEX", { measured: body.length, limit: limits.maxOperations }));
      }
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: query === -1 ? "" : url.slice(query), body },
      context: async () => ({
        requestId: currentRequestScope()?.requestId ?? newRequestId(),
        actor: auth.actor,
        authError: auth.error,
        clientAddress: address,
        services,
        loaders: createLoaders(services),
      }),
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
      const unavailable = new DatabaseUnavailableError();
      return sendJson(res, 503, errorBody(unavailable.message, "DATABASE_UNAVAILABLE", { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }), { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) });
    }
    sendJson(res, 500, errorBody(internalErrorMessage(requestId), "INTERNAL_SERVER_ERROR"));
  };

  const servePost = (req: http.IncomingMessage, res: http.ServerResponse) =>
    trackRequest(req, res, "/graphql", () => {
      readJsonBody(req, limits.maxBodyBytes)
        .then((read) => ("body" in read ? serveGraphQL(req, res, read.body) : sendJson(res, read.status, errorBody(read.message, read.code, read.extensions))))
        .catch((error) => failed(res, error));
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
