// The TypeORM DataSource, the start-up migration run, and readiness.
import { DataSource, type Logger as TypeOrmLogger, type MixedList } from "typeorm";
import { logger } from "./logger";
import { countSqlStatement } from "./request-scope";

/** Counts every statement for the current request; logs only slow or failed ones. */
class StatementCountingLogger implements TypeOrmLogger {
  logQuery(): void {
    countSqlStatement();
  }
  logQueryError(error: string | Error, query: string): void {
    logger.debug({ err: error, query }, "sql statement failed");
  }
  logQuerySlow(time: number, query: string): void {
    logger.warn({ ms: time, query: query.slice(0, 500) }, "slow sql statement");
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.info({ migration: message }, "migration");
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") logger.warn({ message }, "typeorm");
  }
}

/** A statement slower than this is logged (TypeORM's maxQueryExecutionTime; core/prepared.ts). */
export const SLOW_STATEMENT_MS = 1000;

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  applicationName?: string;
  /**
   * Limits for the service's own pool, so a request never hangs as long as the database does:
   * the server cancels a statement running longer (statement_timeout, also lock waits), and the
   * client stops waiting for an answer (a hung server or network) and drops the connection.
   * Left out for migrations and the command-line tools, whose statements may rightly run long.
   */
  statementTimeoutMs?: number;
  queryTimeoutMs?: number;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: "schema_migrations",
    migrationsTransactionMode: "each",
    synchronize: false, // never: the schema changes only through reviewed migrations
    logging: ["query", "error", "warn", "migration"],
    logger: new StatementCountingLogger(),
    maxQueryExecutionTime: SLOW_STATEMENT_MS,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? "kaizhou-emergency-resources",
    // Pipeline mode: a statement is sent when it is made, not after the answer to the one before
    // (core/transaction.ts uses it to save round trips). The server still runs a connection's
    // statements one after another; each keeps its own answer and error.
    extra: {
      connectionTimeoutMillis: 10_000,
      pipeline: true,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    },
  });
}

/** Any 64-bit number would do; this one is "kaizhou" in ASCII. */
const MIGRATION_LOCK_KEY = "30224928161165173"; // 0x6b61697a686f75

/**
 * Runs pending migrations (and anything else given) under a PostgreSQL advisory lock, so
 * several instances starting at the same moment migrate once: the first takes the lock and
 * migrates, the others wait for it and then find nothing pending.
 */
export async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Waiting for another instance's migrations may take longer than a request may.
    await runner.query("SET statement_timeout = 0");
    await runner.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      return await work();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await runner.release();
  }
}

export async function databaseAnswers(dataSource: DataSource, timeoutMs = 2000): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const probe = dataSource.query("SELECT 1").then(() => true as const);
    return await Promise.race([probe, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
