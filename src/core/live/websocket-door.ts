// The WebSocket door: graphql-ws on /graphql, built from the FrontDoor the HTTP door is built
// from (core/http/front-door.ts), so both answer a document the same way.
//
// A connection is authenticated once, in connection_init (a missing or bad credential closes it
// with 4401), and stays bound to its credentials (socket-guard.ts). Each `subscribe` message is
// then one operation, handled as one HTTP request is:
// - a request id (the client's `extensions.requestId` when well formed, as X-Request-Id over
//   HTTP) and a request scope around its checks and its subscribing;
// - one token of its identity's rate limit, the bucket HTTP requests take from;
// - parse, validation, the front door's checks and the variables, as FrontDoor.prepare does them;
// - its context made by the function that makes an HTTP request's (src/context.ts);
// - its language the connection's: `language` in connection_init ("en", "zh-CN") when given,
//   else the upgrade request's Accept-Language (a browser sends its own), else DEFAULT_LOCALE;
//   close reasons are said in it too;
// - every error it is answered with masked as over HTTP, with its request id;
// - counted in /metrics by operation name and type, its errors by code, and a log line.
import { CloseCode } from "graphql-ws";
import type { ServerOptions } from "graphql-ws";
import type { Extra } from "graphql-ws/use/ws";
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { Actor } from "../access/auth";
import type { Authenticate, Caller, FrontDoor } from "../http/front-door";
import { message, negotiateLocale, render, supportedLocale, type Locale, type Message } from "../i18n/i18n";
import { clientAddress } from "../http/http-body";
import { acceptedRequestId, runInRequestScope, type RequestScope } from "../http/request-scope";
import { logger } from "../ops/logger";
import { noteCaller, operationNote, requestLine } from "../ops/request-log";
import type { Metrics } from "../ops/metrics";
import { localizedError, messageOf } from "../graphql/errors";
import type { GuardedConnection, SocketGuard } from "./socket-guard";

export interface WebSocketDoorOptions {
  schema: GraphQLSchema;
  frontDoor: FrontDoor;
  authenticate: Authenticate;
  guard: SocketGuard;
  metrics: Metrics;
  /** The operation's context: the function the HTTP door makes its context with. */
  contextFor(caller: Caller & { requestId: string }): object;
  /** The language of a connection that asks for none (DEFAULT_LOCALE). */
  defaultLocale: Locale;
  /** graphql-ws's `subscribe` (the fan-out, core/live/subscription-fanout.ts). */
  subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
}

/** A subscription that got past the door, until graphql-ws completes it. */
interface RunningOperation {
  scope: RequestScope;
  operation: OperationDefinitionNode;
  started: bigint;
}

/** What the door keeps of an accepted connection. */
interface Connection {
  caller: Caller & { actor: Actor };
  guarded: GuardedConnection;
  running: Map<string, RunningOperation>;
}

type DoorExtra = Extra & { connection?: Connection };

/** An error answered before the operation ran, already masked: graphql-ws sends what toJSON gives. */
class AnsweredError extends GraphQLError {
  constructor(private readonly formatted: GraphQLFormattedError) {
    super(formatted.message, { extensions: formatted.extensions });
  }

  override toJSON(): GraphQLFormattedError {
    return this.formatted;
  }
}

/** A close reason in the connection's language, within the 123 bytes a WebSocket close frame holds. */
function closeReason(locale: Locale, said: Message): string {
  let text = render(locale, said);
  while (Buffer.byteLength(text, "utf8") > 123) text = [...text].slice(0, -1).join("");
  return text;
}

/** The connection's language: connection_init's `language`, else the upgrade request's Accept-Language, else the default. */
function localeOf(params: Record<string, unknown>, acceptLanguage: string | undefined, defaultLocale: Locale): Locale {
  return (typeof params.language === "string" ? supportedLocale(params.language) : null) ?? negotiateLocale(acceptLanguage, defaultLocale);
}

function credentialsOf(params: Record<string, unknown>): { authorization?: string; apiKey?: string } {
  const authorization = typeof params.authorization === "string" ? params.authorization : typeof params.token === "string" ? `Bearer ${params.token}` : undefined;
  const apiKey = typeof params.apiKey === "string" ? params.apiKey : typeof params["x-api-key"] === "string" ? (params["x-api-key"] as string) : undefined;
  return { authorization, apiKey };
}

export function webSocketDoor(options: WebSocketDoorOptions): ServerOptions<Record<string, unknown>, DoorExtra> {
  const { schema, frontDoor, guard, metrics } = options;
  /** The scope of each running operation by its context, for the subscribing graphql-ws does after onSubscribe. */
  const scopes = new WeakMap<object, RequestScope>();
  /** A WebSocket operation's log line, as an HTTP request's (core/ops/request-log.ts): who, from where, which operation, how it ended. */
  const logOperation = (connection: Connection, scope: RequestScope, operation: OperationDefinitionNode | null, operationName: string | null | undefined, errors: readonly { extensions?: Record<string, unknown> }[], ms: number, event: string) => {
    noteCaller(scope, connection.caller.actor, false);
    const line = requestLine({ door: "websocket", requestId: scope.requestId, path: "/graphql", client: connection.caller.clientAddress, ms, sql: scope.sqlStatements, notes: scope.log, operation: operationNote(operation, operationName, errors) });
    logger.info({ ...line.fields, event }, `${line.message} (${event})`);
  };

  /** The answer to an operation refused before it ran; `counted` false for one the rate limit refused (counted as HTTP's 429s are, by kaizhou_rate_limited_total). */
  const refuse = (connection: Connection, scope: RequestScope, operation: OperationDefinitionNode | null, operationName: string | null | undefined, errors: readonly GraphQLError[], counted = true): GraphQLError[] => {
    const masked = errors.map((error) => frontDoor.mask(error.toJSON(), error, scope));
    if (counted) metrics.countOperation(operation, masked);
    logOperation(connection, scope, operation, operationName, masked, 0, "refused");
    return masked.map((formatted) => new AnsweredError(formatted));
  };

  return metrics.instrumentWebSocket({
    schema,
    subscribe: (args) => runInRequestScope(scopes.get(args.contextValue as object)!, () => options.subscribe(args)),

    onConnect: async (ctx) => {
      const { authorization, apiKey } = credentialsOf(ctx.connectionParams ?? {});
      const address = clientAddress(ctx.extra.request);
      const socket = ctx.extra.socket;
      const locale = localeOf(ctx.connectionParams ?? {}, ctx.extra.request.headers["accept-language"], options.defaultLocale);
      try {
        const actor = await options.authenticate({ authorization, apiKey, address });
        if (!actor) {
          socket.close(CloseCode.Unauthorized, closeReason(locale, message("socket.unauthorized")));
          return false;
        }
        const guarded: GuardedConnection = {
          actor,
          credentials: { authorization, apiKey, address },
          get subscriptions() {
            return ctx.subscriptions;
          },
          close: (code, reason) => socket.close(code, closeReason(locale, reason)),
        };
        ctx.extra.connection = { caller: { actor, authError: null, clientAddress: address, locale }, guarded, running: new Map() };
        guard.register(guarded);
        socket.once("close", () => guard.unregister(guarded));
        return true;
      } catch (error) {
        const reason = messageOf(error) ?? message("socket.unauthorized");
        socket.close(CloseCode.Unauthorized, closeReason(locale, message("socket.unauthorizedBecause", { reason })));
        return false;
      }
    },

    onSubscribe: (ctx, id, payload) => {
      const connection = ctx.extra.connection!; // graphql-ws takes subscribe messages only once onConnect accepted
      const scope: RequestScope = { requestId: acceptedRequestId(payload.extensions?.requestId), sqlStatements: 0, locale: connection.caller.locale };
      return runInRequestScope(scope, () => {
        const limited = frontDoor.rateLimit(connection.caller, "websocket");
        if (limited) return refuse(connection, scope, null, payload.operationName, [limited], false);
        const crowded = guard.subscriptionRefusal(connection.guarded);
        if (crowded) return refuse(connection, scope, null, payload.operationName, [localizedError(crowded, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } })]);
        const prepared = frontDoor.prepare(connection.caller, "websocket", payload);
        if (prepared.errors) return refuse(connection, scope, prepared.operation, payload.operationName, prepared.errors);
        const contextValue = options.contextFor({ ...connection.caller, requestId: scope.requestId });
        scopes.set(contextValue, scope);
        connection.running.set(id, { scope, operation: prepared.operation, started: process.hrtime.bigint() });
        return { schema, document: prepared.document, operationName: payload.operationName, variableValues: payload.variables, contextValue } satisfies ExecutionArgs;
      });
    },

    onOperation: (ctx, id, _payload, _args, result) => {
      const running = ctx.extra.connection?.running.get(id);
      if (!running) return;
      // The errors of a subscription refused as it began (roles, arguments) are counted as onNext masks them.
      metrics.countOperation(running.operation, undefined);
      const subscribed = Symbol.asyncIterator in result;
      const errors = subscribed ? [] : ((result as ExecutionResult).errors ?? []);
      logOperation(ctx.extra.connection!, running.scope, running.operation, null, errors, Number(process.hrtime.bigint() - running.started) / 1e6, subscribed ? "subscribed" : "answered");
    },

    // Results and errors on the socket are masked as HTTP ones are: no internals reach clients.
    onNext: (ctx, id, _payload, _args, result) => {
      if (!result.errors?.length) return;
      const running = ctx.extra.connection?.running.get(id);
      const masked = result.errors.map((error) => frontDoor.mask(error.toJSON(), error, running?.scope));
      metrics.countErrors(running?.operation, masked);
      return { ...result, errors: masked };
    },
    onError: (ctx, id, _payload, errors) => {
      if (errors.every((error) => error instanceof AnsweredError)) return;
      // The event source failed while the subscription ran.
      const running = ctx.extra.connection?.running.get(id);
      const masked = errors.map((error) => frontDoor.mask(error.toJSON(), error, running?.scope));
      metrics.countErrors(running?.operation, masked);
      return masked;
    },
    onComplete: (ctx, id) => {
      const running = ctx.extra.connection?.running.get(id);
      if (!running) return;
      ctx.extra.connection!.running.delete(id);
      logOperation(ctx.extra.connection!, running.scope, running.operation, null, [], Number(process.hrtime.bigint() - running.started) / 1e6, "ended");
    },
  });
}
