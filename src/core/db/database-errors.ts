// Telling a database that is away from a bug. Clients act differently on each:
// - DATABASE_UNAVAILABLE (HTTP 503 with Retry-After): the database could not be reached, did not
//   answer in time (DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS) or is shutting
//   down, and the request changed nothing: try again later.
// - OUTCOME_UNKNOWN: the connection broke after COMMIT was sent, so the change may or may not
//   have been made. Retry with the same idempotency key: the retry returns the first result if
//   it was made and does the work if it was not. Without a key, read the state before retrying.
// - anything else unexpected stays INTERNAL_SERVER_ERROR (a bug).
import { GraphQLError } from "graphql";
import { namesMessage } from "../graphql/errors";
import { message, render } from "../i18n/i18n";

/** SQLSTATEs that mean "the database is not serving us now", not "the statement was wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  "57014", // query_canceled: statement_timeout
  "55P03", // lock_not_available: lock_timeout
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, in recovery)
  "53300", // too_many_connections
  "53400", // configuration_limit_exceeded
  "08000", "08003", "08006", "08001", "08004", "08007", "08P01", // connection exceptions
  "25006", // read_only_sql_transaction: a standby, mid-failover
]);

/**
 * What node and node-postgres say when the connection is lost or never made — and TypeORM's
 * "Query runner already released": when the server ends a transaction's connection (a primary
 * stopping, test/failover.test.ts), TypeORM releases the runner, and the statements the work had
 * still to send fail with that instead of the connection's own error.
 */
const CONNECTION_FAILURE = /Connection terminated|Query runner already released|connection timeout|timeout exceeded when trying to connect|Query read timeout|not queryable|Client was closed|Cannot use a pool after calling end|terminating connection|the database system is (starting up|shutting down|in recovery)|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/i;
const NODE_CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** The error and every error it wraps (GraphQL's originalError, TypeORM's driverError, cause). */
function* chain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    yield current;
    const next = current as { originalError?: unknown; driverError?: unknown; cause?: unknown };
    current = next.originalError ?? next.driverError ?? next.cause;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of chain(error)) {
    if (link instanceof DatabaseUnavailableError) return true;
    const { code, message } = link as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_SQLSTATES.has(code) || NODE_CONNECTION_CODES.has(code))) return true;
    // A server-side error with a SQLSTATE of its own is about the statement, whatever it says.
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return false;
    if (typeof message === "string" && CONNECTION_FAILURE.test(message)) return true;
  }
  return false;
}

const RETRY_AFTER_SECONDS = 5;

export class DatabaseUnavailableError extends GraphQLError {
  /** What a client is told (rendered in its language by the front door's masking). */
  static readonly said = message("database.unavailable", { seconds: RETRY_AFTER_SECONDS });

  constructor(cause?: unknown) {
    super(render("en", DatabaseUnavailableError.said), {
      originalError: cause instanceof Error ? cause : undefined,
      extensions: { code: "DATABASE_UNAVAILABLE", retryAfterSeconds: RETRY_AFTER_SECONDS },
    });
    namesMessage(this, DatabaseUnavailableError.said);
  }
}

export const DATABASE_RETRY_AFTER_SECONDS = RETRY_AFTER_SECONDS;

export class OutcomeUnknownError extends GraphQLError {
  static readonly said = message("database.outcomeUnknown");

  constructor(cause?: unknown) {
    super(
      render("en", OutcomeUnknownError.said),
      { originalError: cause instanceof Error ? cause : undefined, extensions: { code: "OUTCOME_UNKNOWN" } },
    );
    namesMessage(this, OutcomeUnknownError.said);
  }
}
