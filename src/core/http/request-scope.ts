// Per-request scope carried through async calls (AsyncLocalStorage): the request id for
// logs and errors, and the count of SQL statements the request ran, which tests assert
// on so that nested queries stay batched by DataLoader instead of growing per row.
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import type { IdempotencyClaim } from "../mutation/idempotency";

export interface RequestScope {
  requestId: string;
  sqlStatements: number;
  /** The idempotency claim this request's mutation holds (see core/mutation/idempotency.ts). */
  idempotencyClaim?: IdempotencyClaim;
  /** A batched HTTP request (an array of operations) runs its operations in one scope. */
  batched?: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function newRequestId(): string {
  return crypto.randomUUID();
}

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

export function countSqlStatement(): void {
  const scope = storage.getStore();
  if (scope) scope.sqlStatements += 1;
}
