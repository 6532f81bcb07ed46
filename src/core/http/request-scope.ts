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
  /** The language the request is answered in (negotiated at its door, core/i18n). */
  locale: Locale;
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
