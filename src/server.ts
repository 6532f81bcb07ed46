// The HTTP server: /graphql for queries and mutations (Apollo over express) and for
// subscriptions (graphql-ws on the same path), /healthz and /readyz for orchestrators,
// /metrics for Prometheus, and the offline explorer for browsers on GET /graphql.
// Every request passes, in order: request id → body size limit → authentication → rate limit →
// batch size → Apollo (anonymous gate, query limits, audit) → resolvers (@Authorized roles).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type NextFunction, type Request, type Response } from "express";
import { getOperationAST, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { DataSource } from "typeorm";
import { WebSocketServer } from "ws";
import type { Config } from "./config";
import type { AppContext } from "./context";
import type { Actor } from "./core/auth";
import { databaseAnswers } from "./core/database";
import { idempotencyPlugin } from "./core/idempotency";
import { checkQueryLimits } from "./core/limits";
import { logger } from "./core/logger";
import type { Metrics } from "./core/metrics";
import { RateLimiter } from "./core/rate-limit";
import { currentRequestScope, newRequestId, runInRequestScope } from "./core/request-scope";
import { sharedSubscribe } from "./core/subscription-fanout";
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
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, drains HTTP requests and WebSocket connections, then resolves. */
  close(): Promise<void>;
}

/** What anonymous callers may select at the root: signing in and schema introspection. */
const ANONYMOUS_ROOT_FIELDS = new Set(["login", "__schema", "__type", "__typename"]);

const INTERNAL_CODES = new Set(["INTERNAL_SERVER_ERROR", undefined]);

/**
 * Clients get codes and messages they can act on, plus the request id to quote; stack
 * traces, SQL and paths stay in the server log unless debug errors are switched on.
 */
export function formatError(debug: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = currentRequestScope()?.requestId;
    const code = formatted.extensions?.code as string | undefined;
    if (INTERNAL_CODES.has(code) && !debug) {
      logger.error({ err: (error as { originalError?: unknown })?.originalError ?? error, requestId, path: formatted.path }, "internal error");
      return {
        message: `Internal error. Quote request id ${requestId ?? "(none)"} when reporting it.`,
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

declare module "express-serve-static-core" {
  interface Locals {
    auth?: RequestAuth;
  }
}

export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const { config, schema, dataSource, services } = deps;
  const { limits } = config;
  const debug = config.debugErrors;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback"); // behind a local reverse proxy, X-Forwarded-For names the client
  const httpServer = http.createServer(app);
  const rateLimiter = new RateLimiter(limits.rateLimitPerMinute);
  app.use(deps.metrics.httpMiddleware());

  // Request id and SQL statement counting for everything below.
  app.use((req, res, next) => {
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : newRequestId();
    res.setHeader("x-request-id", requestId);
    runInRequestScope({ requestId, sqlStatements: 0 }, () => {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        if (req.path !== "/graphql") return;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info({ requestId, method: req.method, status: res.statusCode, ms: Math.round(ms * 10) / 10, sql: currentRequestScope()?.sqlStatements }, "request");
      });
      next();
    });
  });

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

  const authenticateRequest = async (req: Request, res: Response, next: NextFunction) => {
    const apiKey = req.headers["x-api-key"];
    try {
      const actor = await deps.authenticate({ authorization: req.headers.authorization, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey, address: req.ip });
      res.locals.auth = { actor, error: null };
    } catch (error) {
      if (!(error instanceof GraphQLError)) return next(error);
      res.locals.auth = { actor: null, error }; // refused inside Apollo, so the attempt is audited
    }
    next();
  };

  const rateLimit = (req: Request, res: Response, next: NextFunction) => {
    const actor = res.locals.auth?.actor;
    const identity = actor ? `${actor.kind}:${actor.id}` : `address:${req.ip}`;
    const decision = rateLimiter.take(identity);
    if (decision.allowed) return next();
    res.setHeader("retry-after", String(decision.retryAfterSeconds));
    res.status(429).json(errorBody(`Too many requests: at most ${limits.rateLimitPerMinute} a minute (setting RATE_LIMIT_PER_MINUTE). Retry after ${decision.retryAfterSeconds} s.`, "RATE_LIMITED", { retryAfterSeconds: decision.retryAfterSeconds }));
  };

  const batchSize = (req: Request, res: Response, next: NextFunction) => {
    const scope = currentRequestScope();
    if (scope && Array.isArray(req.body)) scope.batched = true;
    if (Array.isArray(req.body) && req.body.length > limits.maxOperations) {
      res.status(400).json(errorBody(`Operations in one request: ${req.body.length} exceeds the limit of ${limits.maxOperations} (setting GRAPHQL_MAX_OPERATIONS).`, "QUERY_TOO_COMPLEX", { measured: req.body.length, limit: limits.maxOperations }));
      return;
    }
    next();
  };

  const bodyTooLarge = (error: Error & { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.type === "entity.too.large") {
      res.status(413).json(errorBody(`Request body exceeds ${limits.maxBodyBytes} bytes (setting REQUEST_BODY_LIMIT_BYTES).`, "PAYLOAD_TOO_LARGE", { limit: limits.maxBodyBytes }));
      return;
    }
    if (error.type === "entity.parse.failed") {
      res.status(400).json(errorBody("The request body is not valid JSON.", "BAD_REQUEST"));
      return;
    }
    next(error);
  };

  /** Refuses anonymous use of anything but login and introspection, and bad credentials outright. */
  const anonymousGate: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (contextValue.authError) throw contextValue.authError;
          if (contextValue.actor || !operation) return;
          const outside = rootFieldNames(operation).filter((name) => !ANONYMOUS_ROOT_FIELDS.has(name));
          if (outside.length) {
            throw new GraphQLError(`Sign in first: anonymous requests may only use login and introspection (asked for ${outside.join(", ")}). Send Authorization: Bearer <token or API key>.`, {
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
  const validationRules = limits.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const wsCleanup = useServer<Record<string, unknown>, { actor?: Actor | null; address?: string }>(
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
        let document;
        try {
          document = parse(payload.query);
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
          await wsCleanup.dispose();
        },
      };
    },
  };

  const apollo = new ApolloServer<AppContext>({
    schema,
    formatError: formatError(debug),
    includeStacktraceInErrorResponses: debug,
    introspection: limits.introspection,
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
      idempotencyPlugin(schema, dataSource),
      auditPlugin(schema),
      ...(config.exposeSqlStatementCount ? [sqlStatementHeader] : []),
    ],
  });
  await apollo.start();

  app.use(
    "/graphql",
    express.json({ limit: limits.maxBodyBytes }),
    bodyTooLarge,
    authenticateRequest,
    rateLimit,
    batchSize,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        requestId: currentRequestScope()?.requestId ?? newRequestId(),
        actor: res.locals.auth?.actor ?? null,
        authError: res.locals.auth?.error ?? null,
        clientAddress: req.ip ?? "unknown",
        services,
        loaders: createLoaders(services),
      }),
    }),
  );

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
