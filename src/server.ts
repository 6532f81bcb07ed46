// The HTTP server: /graphql for queries and mutations (Apollo over express) and for
// subscriptions (graphql-ws on the same path), /healthz and /readyz for orchestrators.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { DataSource } from "typeorm";
import { WebSocketServer } from "ws";
import type { Config } from "./config";
import type { AppContext } from "./context";
import type { Actor } from "./core/auth";
import { databaseAnswers } from "./core/database";
import { logger } from "./core/logger";
import { currentRequestScope, newRequestId, runInRequestScope } from "./core/request-scope";
import { createLoaders } from "./loaders";
import type { Services } from "./services";

/** Turns request credentials into an actor; throws a GraphQL error for bad credentials. */
export type Authenticate = (credentials: { authorization?: string; apiKey?: string; address?: string }) => Promise<Actor | null>;

export interface ServerDependencies {
  config: Config;
  schema: GraphQLSchema;
  dataSource: DataSource;
  services: Services;
  authenticate: Authenticate;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, drains HTTP requests and WebSocket connections, then resolves. */
  close(): Promise<void>;
}

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
    const extensions = { ...formatted.extensions, requestId };
    if (!debug) delete (extensions as Record<string, unknown>).stacktrace;
    return { ...formatted, extensions };
  };
}

function credentialsOf(headers: http.IncomingHttpHeaders, address?: string) {
  const apiKey = headers["x-api-key"];
  return { authorization: headers.authorization, apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey, address };
}

export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const { config, schema, dataSource, services } = deps;
  const debug = config.debugErrors;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  // Request id and SQL statement counting for everything below.
  app.use((req, res, next) => {
    const requestId = (typeof req.headers["x-request-id"] === "string" && /^[\w-]{1,64}$/.test(req.headers["x-request-id"]) ? req.headers["x-request-id"] : undefined) ?? newRequestId();
    res.setHeader("x-request-id", requestId);
    runInRequestScope({ requestId, sqlStatements: 0 }, () => {
      res.on("finish", () => {
        const scope = currentRequestScope();
        if (req.path === "/graphql") {
          logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, sql: scope?.sqlStatements }, "request");
        }
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

  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const wsCleanup = useServer<Record<string, unknown>, { actor: Actor | null }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const token = typeof params.authorization === "string" ? params.authorization : typeof params.token === "string" ? `Bearer ${params.token}` : undefined;
        const apiKey = typeof params.apiKey === "string" ? params.apiKey : undefined;
        ctx.extra.actor = await deps.authenticate({ authorization: token, apiKey, address: ctx.extra.request.socket.remoteAddress });
        return true;
      },
      context: (ctx): AppContext => ({
        requestId: newRequestId(),
        actor: ctx.extra.actor ?? null,
        services,
        loaders: createLoaders(services),
      }),
    },
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

  const apollo = new ApolloServer<AppContext>({
    schema,
    formatError: formatError(debug),
    includeStacktraceInErrorResponses: debug,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainWebSockets,
      ApolloServerPluginLandingPageDisabled(),
      ...(config.exposeSqlStatementCount ? [sqlStatementHeader] : []),
    ],
  });
  await apollo.start();

  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        requestId: currentRequestScope()?.requestId ?? newRequestId(),
        actor: await deps.authenticate(credentialsOf(req.headers, req.socket.remoteAddress)),
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
