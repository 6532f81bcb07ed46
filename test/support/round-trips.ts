// Counts round trips to PostgreSQL made while `work` runs, in this process: a statement sent on a
// connection with nothing in flight starts one; a statement sent while others are still
// unanswered rides on theirs when the connection is in pipeline mode (core/db/transaction.ts). Bench S3 found round trips,
// more than statements, to set the pace of the hot paths, so tests pin them.
import { Client } from "pg";

interface ClientInternals {
  pipeline?: boolean;
  _activeQuery?: unknown;
  _sentQueryQueue?: unknown[];
  _queryQueue?: unknown[];
}

export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const original = Client.prototype.query;
  let roundTrips = 0;
  Client.prototype.query = function (this: Client & ClientInternals, ...args: unknown[]) {
    const inFlight = Boolean(this._activeQuery) || Boolean(this._sentQueryQueue?.length) || Boolean(this._queryQueue?.length);
    // Outside pipeline mode a statement queued behind another still waits for its answer.
    if (!inFlight || !this.pipeline) roundTrips += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
  try {
    const result = await work();
    return { result, roundTrips };
  } finally {
    Client.prototype.query = original;
  }
}
