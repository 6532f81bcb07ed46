// Named prepared statements for the statements every request or every stock change runs.
//
// A statement sent without a name is parsed and planned by PostgreSQL every time. For the short
// statements of the hot paths that is most of the server's work: in bench S3's PostgreSQL log
// planning took several times what execution did (bench/RESULTS.md, change 13). With a name,
// pg parses once per connection and PostgreSQL keeps the plan (after five executions it may
// switch to a generic plan, which for these index lookups is the same plan). pgbench, S3's
// peer, runs with -M prepared too.
//
// Lookups and updates of several rows take one scalar parameter per value (`id IN ($1, $2, $3)`,
// `FROM (VALUES ($1, $2), …)`), not an array (`id = ANY($1)`, `unnest($1, $2)`): PostgreSQL keeps a prepared statement's
// generic plan only when the plans made for actual values look no cheaper, and for an array
// parameter they always do (they see how many elements it holds; the generic plan guesses ten),
// so it planned such a statement again at every run, the largest part of the server's work for
// approvals going together (bench/RESULTS.md, changes 18 and 22). With one scalar per value
// both plans see the same number of values and it settles on the generic one.
// A different number of values is a different text, so a statement of its own (see inList and
// valuesRows). Past SCALAR_VALUES values (bulk work: a large stocktake or import, never the
// shared runs of a surge) they go as arrays again, planned each time, so that the statements a
// connection keeps stay few and no statement nears PostgreSQL's 65,535 parameters.
// Inserts (ledger rows, new batches, audit entries) still pass arrays or JSON: their plan is a
// scan of the parameters, cheap to make.
//
// The name is derived from the text, so the same text always has the same name and two texts
// never share one. The statement runs on the transaction's connection when given a transaction's
// EntityManager, else on a pooled one; it counts toward the request's SQL statements and logs
// when slow, as TypeORM's own queries do (core/db/database.ts).
//
// Deployment note: through PgBouncer in transaction pooling mode, named statements need
// PgBouncer 1.21+ with max_prepared_statements set; before (Debian bookworm ships 1.18),
// DATABASE_PREPARED_STATEMENTS=off sends them unnamed (README "PgBouncer").
import crypto from "node:crypto";
import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from "pg";
import type { DataSource, EntityManager } from "typeorm";
import type { PostgresDriver } from "typeorm/driver/postgres/PostgresDriver";
import type { PostgresQueryRunner } from "typeorm/driver/postgres/PostgresQueryRunner";
import { namesStatements, SLOW_STATEMENT_MS } from "./database";
import { logger } from "../ops/logger";
import { countSqlStatement } from "../http/request-scope";

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `kz_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 24)}`));
  return name;
}

/** Up to this many values, one scalar parameter each; beyond, arrays (see the top of this file). */
export const SCALAR_VALUES = 100;

/**
 * `column` among `values` with one scalar parameter each, numbered from `$first` and cast to
 * `type`: `column = $1::int` for one value, `column IN ($1::int, $2::int, …)` for several, `false`
 * for none. Returns the condition and its parameters (to spread into the statement's).
 */
export function inList(column: string, values: readonly unknown[], type: string, first = 1): [condition: string, params: unknown[]] {
  if (!values.length) return ["false", []];
  if (values.length === 1) return [`${column} = $${first}::${type}`, [values[0]]];
  if (values.length > SCALAR_VALUES) return [`${column} = ANY($${first}::${type}[])`, [[...values]]];
  return [`${column} IN (${values.map((_, i) => `$${first + i}::${type}`).join(", ")})`, [...values]];
}

/**
 * Rows as a VALUES list of scalar parameters numbered from `$first`, each column cast to its
 * type: `(VALUES ($1::int, $2::text), ($3::int, $4::text))`, to be given a name and column
 * names by the statement (`… AS input(id, name)`). Returns the list and its parameters.
 */
export function valuesRows(rows: ReadonlyArray<readonly unknown[]>, types: readonly string[], first = 1): [values: string, params: unknown[]] {
  if (!rows.length) throw new Error("valuesRows: no rows");
  const odd = rows.find((row) => row.length !== types.length);
  if (odd) throw new Error(`valuesRows: a row of ${odd.length} values for ${types.length} columns`);
  if (rows.length > SCALAR_VALUES) {
    // The same relation from one array per column.
    const columns = types.map((_, c) => rows.map((row) => row[c]));
    return [`(SELECT * FROM unnest(${types.map((type, c) => `$${first + c}::${type}[]`).join(", ")}))`, columns];
  }
  let n = first;
  const list = rows.map(() => `(${types.map((type) => `$${n++}::${type}`).join(", ")})`);
  return [`(VALUES ${list.join(", ")})`, rows.flat()];
}

/**
 * Rows of a named prepared statement; on `source`'s transaction when it is a transaction's
 * manager, sent on the call when that transaction has its connection (it always has, inside
 * inTransaction).
 */
export async function prepared<T extends QueryResultRow = Record<string, unknown>>(source: DataSource | EntityManager, text: string, values: readonly unknown[] = []): Promise<T[]> {
  const runner = "queryRunner" in source ? (source.queryRunner as PostgresQueryRunner | undefined) : undefined;
  const dataSource = "driver" in source ? source : source.connection;
  // A transaction's connection is taken as it is, without an await, so that the statement is
  // sent on this call: statements made one after another without waiting for each other's
  // answers reach the server in the order made (pipeline mode, core/db/transaction.ts).
  const client: PoolClient | Pool = runner ? ((runner as unknown as { databaseConnection?: PoolClient }).databaseConnection ?? (await runner.connect())) : ((dataSource.driver as PostgresDriver).master as Pool);
  countSqlStatement();
  const started = Date.now();
  try {
    // Unnamed where the pool goes through a pooler that cannot keep named statements (DATABASE_PREPARED_STATEMENTS=off).
    const query = namesStatements(dataSource) ? { name: nameOf(text), text, values: values as unknown[] } : { text, values: values as unknown[] };
    return (await (runner ? sendOnConnection<T>(client as PoolClient, query) : client.query<T>(query))).rows;
  } finally {
    const ms = Date.now() - started;
    if (ms > SLOW_STATEMENT_MS) logger.warn({ ms, query: text.slice(0, 500) }, "slow sql statement");
  }
}

/**
 * A statement on a connection of one's own (a transaction's), sent now. In pipeline mode
 * statements made in the same turn of the event loop (before the pending promise callbacks
 * have all run) leave in one socket write instead of one each: the stream is corked until then.
 * A write costs about as much CPU as reading the rows of an answer (a loopback send also does
 * the receiving side's work).
 */
export function sendOnConnection<T extends QueryResultRow = Record<string, unknown>>(client: PoolClient, query: string | QueryConfig): Promise<QueryResult<T>> {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  if (!stream?.cork || !stream.uncork) return client.query<T>(query);
  stream.cork();
  process.nextTick(() => stream.uncork!());
  return client.query<T>(query);
}
