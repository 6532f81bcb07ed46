// Per-request scope carried through async calls (AsyncLocalStorage), one HTTP request's or one
// WebSocket operation's: the request id for logs and errors, and the count of SQL statements
// the request ran, which tests assert on so that nested queries stay batched by DataLoader
// instead of growing per row.
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import { FALLBACK_LOCALE, render, type Locale, type Message } from "../i18n/i18n";

export interface RequestScope {
  requestId: string;
  sqlStatements: number;
  /** What the request's log line reports, gathered as it runs (core/ops/request-log.ts). */
  log?: RequestLogNotes;
  /** The language the request is answered in (negotiated at its door, core/i18n). */
  locale: Locale;
}

/** Who asked and how each operation ended: names and codes only, never values. */
export interface RequestLogNotes {
  /** The caller once authenticated (account username or API key name, role). */
  caller?: { kind: "ACCOUNT" | "API_KEY"; name: string; role: string } | { kind: "ANONYMOUS" | "INVALID_CREDENTIALS" };
  operations: OperationNote[];
  /** Refused before any operation ran (rate limit, body size, batch size): its code. */
  refusedCode?: string;
}

export interface OperationNote {
  /** The operation's name as the client named it, else null. */
  name: string | null;
  type: "query" | "mutation" | "subscription" | null;
  /** The root fields it asks for (schema names, not aliases). */
  fields: string[];
  outcome: "ok" | "user_errors" | "error";
  /** Error codes (top-level errors' extensions.code) or the user errors' codes. */
  codes: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The id a client chose for its request (X-Request-Id over HTTP, `extensions.requestId` over WebSocket) when it is well formed; a new one otherwise. */
export function acceptedRequestId(given: unknown): string {
  return typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : newRequestId();
}

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** A message in the current request's language (answers made outside the front door's masking). */
export function inRequestLanguage(said: Message): string {
  return render(storage.getStore()?.locale ?? FALLBACK_LOCALE, said);
}

export function countSqlStatement(): void {
  const scope = storage.getStore();
  if (scope) scope.sqlStatements += 1;
}
