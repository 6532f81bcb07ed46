// The TypeORM DataSource, the start-up preparation of the database (migrations, grants, seed),
// and readiness.
import { message, sayHere } from "../i18n/i18n";
import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from "typeorm";
import { ConfigError } from "../../config";
import { connectionRole, grantServiceRole, MIGRATIONS_TABLE, tablesWithoutGrants } from "./database-roles";
import { logger } from "../ops/logger";
import { countSqlStatement } from "../http/request-scope";
import { describeDatabaseUrl as describeUrl, parseDatabaseUrl, writableHostClient } from "./hosts";

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

/** A statement slower than this is logged (TypeORM's maxQueryExecutionTime; core/db/prepared.ts). */
export const SLOW_STATEMENT_MS = 1000;

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  applicationName?: string;
  /**
   * Limits for the service's own pool, so a request never hangs as long as the database does:
   * the server cancels a statement running longer (statement_timeout, also lock waits), and the
   * client stops waiting for an answer (a hung server or network) and drops the connection.
   * Left out for migrations and the command-line tools, whose statements may rightly run long.
   */
  statementTimeoutMs?: number;
  queryTimeoutMs?: number;
  /**
   * false: core/db/prepared.ts sends its statements unnamed (planned each time), for a pooler
   * that cannot keep named statements across its server connections (PgBouncer before 1.21 in
   * transaction mode; DATABASE_PREPARED_STATEMENTS, README "PgBouncer").
   */
  preparedStatements?: boolean;
}

/** The URL each DataSource was made from (a host list stays a host list), and whether it names its statements. */
const made = new WeakMap<DataSource, { url: string; preparedStatements: boolean }>();

/** The URL `dataSource` was created with, as given (several hosts included). */
export function urlOf(dataSource: DataSource): string {
  return made.get(dataSource)?.url ?? (dataSource.options as { url: string }).url;
}

/** Whether core/db/prepared.ts may name its statements on `dataSource`'s connections. */
export function namesStatements(dataSource: DataSource): boolean {
  return made.get(dataSource)?.preparedStatements ?? true;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  // Several hosts, or target_session_attrs=read-write: pg knows neither, core/db/hosts.ts does.
  const parsed = parseDatabaseUrl(options.url);
  const writable = parsed.hosts.length > 1 || parsed.targetSessionAttrs === "read-write";
  const connectTimeout = 10_000;
  const dataSource = new DataSource({
    type: "postgres",
    url: parsed.firstHostUrl,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: "each",
    synchronize: false, // never: the schema changes only through reviewed migrations
    logging: ["query", "error", "warn", "migration"],
    logger: new StatementCountingLogger(),
    maxQueryExecutionTime: SLOW_STATEMENT_MS,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? "kaizhou-emergency-resources",
    // Pipeline mode: a statement is sent when it is made, not after the answer to the one before
    // (core/db/transaction.ts uses it to save round trips). The server still runs a connection's
    // statements one after another; each keeps its own answer and error.
    extra: {
      connectionTimeoutMillis: connectTimeout,
      pipeline: true,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
      ...(writable ? { Client: writableHostClient(parsed.hosts, { connectionString: parsed.firstHostUrl, connectionTimeoutMillis: connectTimeout }) } : {}),
    },
  });
  made.set(dataSource, { url: options.url, preparedStatements: options.preparedStatements ?? true });
  return dataSource;
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

export function describeDatabaseUrl(url: string): string {
  return describeUrl(url);
}

/** Connects, naming the setting that is wrong when it fails. */
export async function connectDataSource(dataSource: DataSource, setting: string, url: string): Promise<void> {
  try {
    await dataSource.initialize();
  } catch (error) {
    const reason = (error as Error).message || String(error);
    throw new ConfigError(setting, message("config.cannotConnect", { url: describeDatabaseUrl(url), reason }));
  }
}

async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const [{ present }] = await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [MIGRATIONS_TABLE]);
  const applied = new Set<string>(present ? (await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE}`)).map((row: { name: string }) => row.name) : []);
  return dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !applied.has(name));
}

async function migrate(dataSource: DataSource): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: "each" });
  if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, sayHere("log.migrationsApplied"));
}

export interface PrepareDatabaseOptions {
  /** The service's pool, connected. */
  service: DataSource;
  /** The setting that names the service's connection, for messages (DATABASE_URL, or DATA_DIR for the embedded database). */
  serviceSetting: string;
  /** The schema owner's connection (MIGRATION_DATABASE_URL, or the embedded cluster's superuser). */
  owner?: { url: string; setting: string };
  /** Refuse, rather than warn about, a service connection that could undo the append-only tables. */
  refuseOwnership: boolean;
  /** Run under the migration lock after the migrations and grants, as the owner when there is one (seeding an empty database). */
  seed?: (dataSource: DataSource) => Promise<void>;
}

/**
 * Before the service serves: the owner migrates and grants the service's role what it needs
 * (core/db/database-roles.ts), under the migration lock so simultaneous starts do it once, and the
 * service's own connection is checked not to be one that could undo the append-only tables.
 *
 * Without an owner's connection the service's must do the owner's work — possible only when it
 * is the owner (warned about, refused in production unless allowed) — or find it done (a release
 * step ran `npm run migration:run` as the owner).
 */
export async function prepareDatabase(options: PrepareDatabaseOptions): Promise<void> {
  const { service, serviceSetting, owner } = options;
  const role = await connectionRole(service);
  if (role.ownership) {
    if (options.refuseOwnership) throw new ConfigError(serviceSetting, message("config.ownerRefused", { ownership: role.ownership }));
    logger.warn({ role: role.name }, sayHere("config.ownerWarning", { setting: serviceSetting, ownership: role.ownership }));
  }
  if (owner) {
    const ownerDataSource = createDataSource({
      url: owner.url,
      entities: service.options.entities ?? [],
      migrations: service.options.migrations ?? [],
      poolSize: 2, // the lock's connection, and the migrations'
      applicationName: "kaizhou-emergency-resources (migrations)",
    });
    await connectDataSource(ownerDataSource, owner.setting, owner.url);
    try {
      await withMigrationLock(ownerDataSource, async () => {
        await migrate(ownerDataSource);
        if (!role.ownership) await grantServiceRole(ownerDataSource, role.name);
        await options.seed?.(ownerDataSource);
      });
    } finally {
      await ownerDataSource.destroy();
    }
    return;
  }
  await withMigrationLock(service, async () => {
    if (role.ownership) {
      // On a pool of its own: the service's pool cancels statements that run as long as a
      // migration may (DATABASE_STATEMENT_TIMEOUT_MS).
      const migrator = createDataSource({
        url: urlOf(service),
        entities: service.options.entities ?? [],
        migrations: service.options.migrations ?? [],
        poolSize: 1,
        applicationName: "kaizhou-emergency-resources (migrations)",
      });
      await connectDataSource(migrator, serviceSetting, urlOf(service));
      try {
        await migrate(migrator);
      } finally {
        await migrator.destroy();
      }
    } else {
      // Grants first: without them the applied migrations cannot even be read.
      const ungranted = await tablesWithoutGrants(service);
      if (ungranted.length) {
        throw new ConfigError(
          serviceSetting,
          message(ungranted.length > 5 ? "config.noGrantsMore" : "config.noGrants", { role: role.name, tables: ungranted.slice(0, 5).join(", "), more: ungranted.length - 5 }),
        );
      }
      const pending = await pendingMigrations(service);
      if (pending.length) {
        throw new ConfigError(
          serviceSetting,
          message("config.pendingMigrations", { role: role.name, count: pending.length, migrations: pending.join(", ") }),
        );
      }
    }
    await options.seed?.(service);
  });
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
