// The one front door: the rules every GraphQL operation meets, whichever way it came in.
//
// Queries and mutations arrive over HTTP and run in Apollo (src/server.ts); subscriptions arrive
// over WebSocket and run in graphql-ws on the same path (core/live/websocket-door.ts). Both doors
// are built from one FrontDoor, as grafserv builds its WebSocket handler from the instance that
// serves HTTP, so that they cannot drift apart:
// - the same parse options (GRAPHQL_MAX_TOKENS) and validation rules, GRAPHQL_INTROSPECTION's included;
// - the same checks once the operation is known (`check`): bad credentials, the anonymous gate,
//   trusted documents (TRUSTED_DOCUMENTS, trusted-documents.ts), the query limits
//   (core/graphql/limits.ts), which kinds of operation the door carries;
// - the same rate limit per identity (RATE_LIMIT_PER_MINUTE), one bucket for both doors;
// - the same masking of errors (`maskError`), with the request id to quote, and the words of
//   every error of ours rendered there in the request's language (core/i18n).
// Apollo parses and validates HTTP requests itself with these options. `prepare` takes the same
// steps, in Apollo's order and with Apollo's error codes, for the door that has no Apollo.
import { ApolloServerErrorCode } from "@apollo/server/errors";
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  specifiedRules,
  validate,
  parse,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { LimitsConfig } from "../../config";
import type { Actor } from "../access/auth";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "../db/database-errors";
import { inputDataException, localizedError, messageOf } from "../graphql/errors";
import { graphqlMessage } from "../i18n/graphql-messages";
import { FALLBACK_LOCALE, message, render, type Locale, type Message } from "../i18n/i18n";
import { checkQueryLimits } from "../graphql/limits";
import { logger } from "../ops/logger";
import { RateLimiter } from "./rate-limit";
import type { TrustedDocuments } from "./trusted-documents";

/** HTTP carries queries and mutations; the WebSocket carries subscriptions. */
export type Door = "http" | "websocket";

/** Turns request credentials into an actor; throws UNAUTHENTICATED for bad credentials. */
export type Authenticate = (credentials: { authorization?: string; apiKey?: string; address?: string }) => Promise<Actor | null>;

/** Who is at the door: what both doors know of the caller before the operation runs. */
export interface Caller {
  /** The signed-in account or API key; null for an anonymous request. */
  actor: Actor | null;
  /** Credentials were sent but are bad (expired, revoked): the request is refused, and audited. */
  authError: GraphQLError | null;
  /** Client network address (for login throttling and the audit log). */
  clientAddress: string;
  /** The language it is answered in (Accept-Language, or the WebSocket's connection_init; core/i18n). */
  locale: Locale;
  /**
   * The document is the service's own, not the caller's (a saved document a data URL runs):
   * trusted by construction, so TRUSTED_DOCUMENTS does not hold it to the manifest.
   */
  savedDocument?: boolean;
}

/** An operation as a client sends it: over HTTP in the body, over WebSocket in `subscribe`. */
export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A document ready to run, or the errors to answer with (and the operation, when it was found, for metrics). */
export type PreparedOperation =
  | { document: DocumentNode; operation: OperationDefinitionNode; errors?: undefined }
  | { errors: readonly GraphQLError[]; operation: OperationDefinitionNode | null };

/** What the front door reports for /metrics. */
export interface FrontDoorCounters {
  rateLimited(door: Door): void;
}

/** What anonymous callers may select at the root: signing in, and schema introspection where GRAPHQL_INTROSPECTION is true. */
const ANONYMOUS_ROOT_FIELDS = new Set(["login", "__typename"]);
const INTROSPECTION_ROOT_FIELDS = new Set(["__schema", "__type"]);

const INTERNAL_CODES = new Set(["INTERNAL_SERVER_ERROR", undefined]);

/** The codes under which Apollo (and the WebSocket door, as Apollo) answers graphql-js's own messages. */
const GRAPHQL_JS_CODES = new Set<string | undefined>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

/** What a client is told of an internal error: nothing of it but the request id to quote. */
export function internalErrorMessage(requestId: string | undefined): Message {
  return message("request.internalError", { requestId: requestId ?? "(none)" });
}

/**
 * What the audit log keeps of an answered error: its words in Chinese, whatever language the
 * caller read them in, so that one cause reads the same in the log kept for ever (the bureau's
 * auditors read Chinese). Errors whose words are graphql-js's or Apollo's keep those, in English, even
 * where the caller read them from the catalogue (the audit plugin strips the values they quote).
 */
const auditTexts = new WeakMap<GraphQLFormattedError, string>();

export function auditTextOf(formatted: GraphQLFormattedError): string {
  return auditTexts.get(formatted) ?? formatted.message;
}

function answered(formatted: GraphQLFormattedError, said: Message | undefined, locale: Locale): GraphQLFormattedError {
  if (!said) return formatted;
  const result = { ...formatted, message: render(locale, said) };
  // graphql-js's messages (core/i18n/graphql-messages.ts) keep its English words in the log: the
  // audit plugin strips the values they quote (phones, ID numbers) by those words.
  auditTexts.set(result, render(said.key.startsWith("graphql.") ? "en" : "zh-CN", said));
  return result;
}

/**
 * Clients get codes and messages they can act on, in their language, plus the request id to
 * quote; stack traces, SQL and paths stay in the server log unless debug errors are switched on.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown, requestId: string | undefined, debug: boolean, locale: Locale): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  const cause = (error as { originalError?: unknown })?.originalError ?? error;
  if (INTERNAL_CODES.has(code) && isDatabaseUnavailable(error)) {
    // A read that found the database away (a transaction's failures are classified where they happen).
    logger.warn({ err: cause, requestId, path: formatted.path }, "database unavailable");
    const unavailable = new DatabaseUnavailableError();
    return answered({ message: unavailable.message, path: formatted.path, locations: formatted.locations, extensions: { ...unavailable.extensions, requestId } }, DatabaseUnavailableError.said, locale);
  }
  const http = ((error as GraphQLError | undefined)?.extensions?.http ?? formatted.extensions?.http) as { status?: number } | undefined;
  const status = http?.status;
  if (INTERNAL_CODES.has(code) && status !== undefined && status >= 400 && status < 500) {
    // Apollo's own refusals of a request's form that carry a status and no code (an APQ hash that
    // is not its query's, an unknown APQ version): the client's to fix, said as Apollo says it.
    return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code: ApolloServerErrorCode.BAD_REQUEST, requestId } };
  }
  const badValue = INTERNAL_CODES.has(code) ? inputDataException(error) : null;
  if (badValue) {
    // A value the input rules let through and the database refused: the request's fault, said without the SQL.
    logger.warn({ err: cause, requestId, path: formatted.path }, "database refused a value from the request");
    const said = message("request.dataException", { reason: message(badValue) });
    return answered({ message: "", path: formatted.path, locations: formatted.locations, extensions: { code: "BAD_USER_INPUT", requestId } }, said, locale);
  }
  if (INTERNAL_CODES.has(code) && !debug) {
    logger.error({ err: cause, requestId, path: formatted.path }, "internal error");
    return answered({ message: "", path: formatted.path, locations: formatted.locations, extensions: { code: "INTERNAL_SERVER_ERROR", requestId } }, internalErrorMessage(requestId), locale);
  }
  const extensions: Record<string, unknown> = { ...formatted.extensions, requestId };
  delete extensions.http;
  if (!debug) delete extensions.stacktrace;
  let said = messageOf(error);
  if (GRAPHQL_JS_CODES.has(code)) {
    // graphql-js's and Apollo's words about the document (syntax, validation, variables) in the
    // request's language too; their English (graphql-js's own words, which the catalogue's
    // English repeats) stays beside them for programs and for searching.
    said ??= graphqlMessage(formatted.message) ?? undefined;
    if (said?.key.startsWith("graphql.")) extensions.originalMessage = render("en", said);
  }
  return answered({ ...formatted, extensions }, said, locale);
}

/** GRAPHQL_INTROSPECTION=false: a document that asks for the schema is invalid, on either door. */
function introspectionSwitchedOff(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (!INTROSPECTION_ROOT_FIELDS.has(node.name.value)) return;
      context.reportError(
        localizedError(message("request.introspectionOff", { field: node.name.value }), {
          nodes: node,
          extensions: { validationErrorCode: "INTROSPECTION_DISABLED" },
        }),
      );
    },
  };
}

/**
 * The validation rules beyond graphql's specified ones that every document meets, on either door
 * and when a data endpoint's document is registered (modules/data-endpoints).
 */
export function extraValidationRules(limits: Pick<LimitsConfig, "introspection">): ValidationRule[] {
  return limits.introspection === "none" ? [introspectionSwitchedOff] : [];
}

/** The error as Apollo would answer it, with its code: the WebSocket door answers as the HTTP one. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError ?? error,
    extensions: { ...error.extensions, code },
  });
}

/** graphql-js's words for an operation it cannot pick out (Apollo answers them with OPERATION_RESOLUTION_FAILURE). */
function operationNotFound(operationName: string | null | undefined): GraphQLError {
  const said = operationName == null ? message("graphql.operationNameRequired") : message("graphql.unknownOperation", { operation: operationName });
  return localizedError(said, { extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE } });
}

function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : ["(fragment)"]));
}

/** A door refusing an operation it does not carry names the one that does. */
function wrongDoor(door: Door, operation: OperationDefinitionNode): GraphQLError | null {
  if (door === "http" && operation.operation === "subscription") {
    return localizedError(message("request.subscriptionsOverWebSocket"), {
      extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } },
    });
  }
  if (door === "websocket" && operation.operation !== "subscription") {
    // Queries and mutations go over HTTP, where idempotency keys, the audit entry's outcome and batching apply.
    const key = operation.operation === "query" ? "request.onlySubscriptionsOverWebSocket.queries" : "request.onlySubscriptionsOverWebSocket.mutations";
    return localizedError(message(key), { extensions: { code: ApolloServerErrorCode.BAD_REQUEST } });
  }
  return null;
}

export class FrontDoor {
  /** For Apollo's `parseOptions` and the WebSocket door's parse alike. */
  readonly parseOptions: ParseOptions;
  /** Rules beyond graphql's specified ones (Apollo's `validationRules`). */
  readonly validationRules: readonly ValidationRule[];
  private readonly allValidationRules: readonly ValidationRule[];
  private readonly rateLimiter: RateLimiter;
  private readonly anonymousIntrospection: boolean;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: LimitsConfig,
    private readonly debug: boolean,
    private readonly counters: FrontDoorCounters,
    /** The registered operations, and whom TRUSTED_DOCUMENTS holds to them. */
    readonly trusted: TrustedDocuments,
  ) {
    this.parseOptions = { maxTokens: limits.maxTokens };
    this.validationRules = extraValidationRules(limits);
    this.allValidationRules = [...specifiedRules, ...this.validationRules];
    this.rateLimiter = new RateLimiter(limits.rateLimitPerMinute);
    this.anonymousIntrospection = limits.introspection === "all";
  }

  /** One request over HTTP or one operation over WebSocket takes one token from the caller's bucket; RATE_LIMITED when none is left. */
  rateLimit(caller: Pick<Caller, "actor" | "clientAddress">, door: Door): GraphQLError | null {
    const decision = this.rateLimiter.take(caller.actor ? `${caller.actor.kind}:${caller.actor.id}` : `address:${caller.clientAddress}`);
    if (decision.allowed) return null;
    this.counters.rateLimited(door);
    const { retryAfterSeconds } = decision;
    return localizedError(message("request.rateLimited", { limit: this.limits.rateLimitPerMinute, retryAfter: retryAfterSeconds }), {
      extensions: { code: "RATE_LIMITED", retryAfterSeconds },
    });
  }

  /**
   * Once the document is valid and its operation looked up (null: not found, which the caller
   * answers after these checks, as Apollo does): bad credentials, the anonymous gate, trusted
   * documents, the query limits, the door. The first refusal, or null when the operation may run.
   */
  check(caller: Caller, door: Door, document: DocumentNode, operation: OperationDefinitionNode | null | undefined, variables: Record<string, unknown> | null | undefined): GraphQLError | null {
    if (caller.authError) return caller.authError;
    if (!caller.actor && operation) {
      const outside = rootFieldNames(operation).filter((name) => !ANONYMOUS_ROOT_FIELDS.has(name) && !(this.anonymousIntrospection && INTROSPECTION_ROOT_FIELDS.has(name)));
      if (outside.length) {
        const allowed = message(this.anonymousIntrospection ? "auth.anonymousAllowed.loginAndIntrospection" : "auth.anonymousAllowed.login");
        return localizedError(message("auth.anonymousOnly", { allowed, asked: outside.join(", ") }), {
          extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
        });
      }
    }
    // A hash-only request (APQ) arrives here as the text its hash named, so one check covers both.
    if (operation && !caller.savedDocument && this.trusted.appliesTo(caller.actor) && !this.trusted.trusts(document, operation)) return this.trusted.refusal(caller.actor!, operation);
    // The limits before the door, so that a document over them gets the same answer on either.
    const [overLimit] = checkQueryLimits(this.schema, document, operation, variables ?? undefined, this.limits);
    if (overLimit) return overLimit;
    return operation ? wrongDoor(door, operation) : null;
  }

  /** What Apollo does for an HTTP request before it executes, for a door that has no Apollo: parse, validate, check, find the operation, coerce the variables. */
  prepare(caller: Caller, door: Door, request: OperationRequest): PreparedOperation {
    let document: DocumentNode;
    try {
      document = parse(request.query, this.parseOptions);
    } catch (error) {
      return { errors: [withCode(error as GraphQLError, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED)], operation: null };
    }
    const invalid = validate(this.schema, document, this.allValidationRules);
    if (invalid.length) return { errors: invalid.map((error) => withCode(error, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED)), operation: null };
    const operation = getOperationAST(document, request.operationName) ?? null;
    const refused = this.check(caller, door, document, operation, request.variables);
    if (refused) return { errors: [refused], operation };
    if (!operation) return { errors: [operationNotFound(request.operationName)], operation: null };
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors.map((error) => withCode(error, ApolloServerErrorCode.BAD_USER_INPUT)), operation };
    return { document, operation };
  }

  mask(formatted: GraphQLFormattedError, error: unknown, scope: { requestId: string; locale: Locale } | undefined): GraphQLFormattedError {
    return maskError(formatted, error, scope?.requestId, this.debug, scope?.locale ?? FALLBACK_LOCALE);
  }
}
