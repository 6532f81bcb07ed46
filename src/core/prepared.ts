// Named prepared statements for the statements every request or every stock change runs.
//
// A statement sent without a name is parsed and planned by PostgreSQL every time. For the short
// statements of the hot paths that is most of the server's work: bench S3's PostgreSQL log put
// parse + bind (planning) at 0.2–0.4 ms per statement against 0.05 ms of execution, and 1.1 ms
// for the level read after a stock commit. With a name, pg parses once per connection and
// PostgreSQL keeps the plan (after five executions it may switch to a generic plan, which for
// these index lookups is the same plan). pgbench, S3's peer, runs with -M prepared too.
//
// Statements for one row are best given scalar parameters (`id = $1`, not `id = ANY($1)`):
// PostgreSQL then settles on one generic plan after five runs, while with an array parameter
// the generic plan's guessed row count looks dearer and it plans again at every run (bench S4:
// 0.4-1.1 ms of planning per statement on the receipt's path).
//
// The name is derived from the text, so the same text always has the same name and two texts
// never share one. The statement runs on the transaction's connection when given a transaction's
// EntityManager, else on a pooled one; it counts toward the request's SQL statements and logs
// when slow, as TypeORM's own queries do (core/database.ts).
//
// Deployment note: through PgBouncer in transaction pooling mode, prepared statements need
// PgBouncer 1.21+ with max_prepared_statements set (README).
import crypto from "node:crypto";
import type { Pool, PoolClient, QueryResultRow } from "pg";
import type { DataSource, EntityManager } from "typeorm";
import type { PostgresDriver } from "typeorm/driver/postgres/PostgresDriver";
import type { PostgresQueryRunner } from "typeorm/driver/postgres/PostgresQueryRunner";
import { SLOW_STATEMENT_MS } from "./database";
import { logger } from "./logger";
import { countSqlStatement } from "./request-scope";

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `kz_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 24)}`));
  return name;
}

/**
 * `column` among `ids` as the statement's parameter `$n`: `= $n` for one id (the usual case, whose
 * plan PostgreSQL then keeps), `= ANY($n)` for several. Returns the condition and the value to
 * pass for `$n`.
 */
export function idCondition(column: string, ids: readonly number[], n = 1): [condition: string, value: number | number[]] {
  return ids.length === 1 ? [`${column} = $${n}::int`, ids[0]] : [`${column} = ANY($${n}::int[])`, [...ids]];
}

/** Rows of a named prepared statement; on `source`'s transaction when it is a transaction's manager. */
export async function prepared<T extends QueryResultRow = Record<string, unknown>>(source: DataSource | EntityManager, text: string, values: readonly unknown[] = []): Promise<T[]> {
  const runner = "queryRunner" in source ? (source.queryRunner as PostgresQueryRunner | undefined) : undefined;
  const dataSource = "driver" in source ? source : source.connection;
  const client: PoolClient | Pool = runner ? await runner.connect() : ((dataSource.driver as PostgresDriver).master as Pool);
  countSqlStatement();
  const started = Date.now();
  try {
    return (await client.query<T>({ name: nameOf(text), text, values: values as unknown[] })).rows;
  } finally {
    const ms = Date.now() - started;
    if (ms > SLOW_STATEMENT_MS) logger.warn({ ms, query: text.slice(0, 500) }, "slow sql statement");
  }
}
