// Environment → typed configuration. Every setting is read here and nowhere else,
// and a wrong value stops start-up with one message that names the setting.
import { availableParallelism } from "node:os";
import path from "node:path";
import { LOG_FORMATS } from "./core/ops/logger";
import { LOCALES, message, messageList, processLocale, render, type Locale, type Message } from "./core/i18n/i18n";
import { HostListError, parseDatabaseUrl } from "./core/db/hosts";

/**
 * A setting that is wrong, and what is wrong with it as a catalogue message (core/i18n): `message`
 * in the process's language (DEFAULT_LOCALE for the service, the command's language for a
 * command), `text(locale)` in another. The setting's name is the same in every language.
 */
export class ConfigError extends Error {
  readonly said: Message;
  constructor(readonly setting: string, problem: Message) {
    const said = message("config.problem", { setting, problem });
    super(render(processLocale(), said));
    this.said = said;
    this.name = "ConfigError";
  }

  text(locale: Locale): string {
    return render(locale, this.said);
  }
}

export interface Config {
  /** production turns off demo data and requires AUTH_SECRET. */
  nodeEnv: string;
  port: number;
  /** Bind address of the HTTP server. */
  host: string;
  /** The service's own connection (its pool). Empty: start the embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  /**
   * The schema owner's connection: migrations, the service role's grants, seeding. Empty: the
   * service's connection does that itself (as the owner), or finds it done.
   */
  migrationDatabaseUrl?: string;
  /**
   * Streaming replicas that take the reads of dashboards, data URLs and exports (src/read-routing.ts,
   * core/db/read-replicas.ts); empty: every read on the primary.
   */
  databaseReadUrls: string[];
  /** How often each replica's health and replay position is checked. */
  databaseReadCheckMs: number;
  /** A replica further behind the primary than this is not read from; 0: any lag. */
  databaseReadMaxLagMs: number;
  /**
   * Name the hot paths' statements (core/db/prepared.ts). Off behind a pooler in transaction
   * mode that cannot keep them (PgBouncer before 1.21, or without max_prepared_statements).
   */
  databasePreparedStatements: boolean;
  /** Start in production although databaseUrl connects as the schema owner or a superuser. */
  databaseAllowOwner: boolean;
  dataDir: string;
  /** Largest size of the audit spool (entries the database did not take yet, under dataDir). */
  auditSpoolMaxBytes: number;
  redisUrl?: string;
  logLevel: string;
  /** Maximum connections in the service's database pool. */
  databasePoolSize: number;
  /** Seed the Kaizhou reference data when the database is empty. */
  seedOnStart: boolean;
  /** Send stack traces and internal messages to clients (never in production). */
  debugErrors: boolean;
  /** Add an `x-sql-statements` header with the request's SQL statement count (tests, profiling). */
  exposeSqlStatementCount: boolean;
  /** Server-side limit on one SQL statement (PostgreSQL statement_timeout); 0 = none. */
  databaseStatementTimeoutMs: number;
  /** Client-side limit on waiting for one statement's answer (a hung server or network); 0 = none. */
  databaseQueryTimeoutMs: number;
  /** How long a retry waits for the attempt that holds its idempotency key before answering IN_PROGRESS. */
  idempotencyWaitMs: number;
  /** How often this instance tells the database it is alive (idempotency claims of dead instances may be taken over). */
  instanceHeartbeatSeconds: number;
  auth: AuthConfig;
  limits: LimitsConfig;
  /** A team's readiness report older than this many hours makes the team stale (战备状态过期). */
  readinessFreshnessHours: number;
  /** Certificates expiring within this many days show as alerts (证书到期提醒). */
  certificateAlertDays: number;
  /** An urgent order dispatched on a verbal order must be approved within this many hours (then it is overdue). */
  dispatchApprovalDeadlineHours: number;
  /** A supply request unanswered this many hours after submission shows as overdue (需求申报超时未答复). */
  supplyRequestResponseHours: number;
  /** A call-up (调用) unanswered this many hours after it was sent shows as overdue. */
  callUpResponseHours: number;
  allocation: AllocationConfig;
  /** Prefix of the Redis pub/sub channels, so several deployments (or test runs) can share one Redis. */
  redisChannelPrefix: string;
  operations: OperationsConfig;
  /** The language of answers to requests that ask for none of the supported ones (core/i18n). */
  defaultLocale: Locale;
  trustedDocuments: TrustedDocumentsConfig;
}

export interface TrustedDocumentsConfig {
  /**
   * Who may run only registered operations (operations/*.graphql's manifest): nobody (`off`),
   * API keys (`api-keys`: staff accounts, the explorer's users, still send any document), or
   * every signed-in caller (`all`). Default off in development, api-keys in production.
   */
  mode: "off" | "api-keys" | "all";
  /** Manifests registered beside the shipped one (an installation's own dashboards), absolute paths. */
  extraManifests: string[];
}

export interface AllocationConfig {
  /** Name of the allocation strategy (see src/modules/allocation/strategies.ts). */
  strategy: string;
  /** In an incident, rooms of the destination's township within this distance count as next-door villages' (they hold little and serve their own village). */
  villageRoomRadiusKm: number;
}

export interface OperationsConfig {
  /** When set, GET /metrics wants `Authorization: Bearer <token>`; unset, it is open. */
  metricsToken?: string;
  /** Where `npm run backup` writes its dumps. */
  backupDir: string;
  /** The pg_dump (and beside it pg_restore) to use; empty: the newest one found on the system. */
  pgDump?: string;
}

export interface AuthConfig {
  /** HMAC secret for access tokens; required in production, generated into DATA_DIR otherwise. */
  secret?: string;
  tokenTtlMinutes: number;
  /** Failed logins per username, and per client address, within the window before refusing. */
  maxFailuresPerUsername: number;
  maxFailuresPerAddress: number;
  failureWindowMinutes: number;
  /** Every failed login is answered no sooner than this, so guessing is slow. */
  failedLoginDelayMs: number;
  /** Worker threads that run bcrypt (default: all cores but one, which serves requests), and checks that may wait for one before sign-ins are refused. */
  hashingThreads: number;
  hashingQueue: number;
}

/** Who may read the schema by introspection: everyone, signed-in callers only, or nobody. */
export type IntrospectionAccess = "all" | "authenticated" | "none";

export interface LimitsConfig {
  introspection: IntrospectionAccess;
  /** Lexical tokens in one document; parsing stops beyond (graphql-js `maxTokens`). */
  maxTokens: number;
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  /** Operations in one HTTP request (a batch array, or operation definitions in one document). */
  maxOperations: number;
  maxBodyBytes: number;
  /** Requests per identity (account, API key, or address when anonymous) per minute. */
  rateLimitPerMinute: number;
  /** Subscriptions one WebSocket connection may run at once. */
  maxSubscriptionsPerConnection: number;
  /** Subscriptions one account or API key may run at once on one instance, over all its connections. */
  maxSubscriptionsPerIdentity: number;
  /** Every open WebSocket's credentials are checked again this often (revocations are also announced at once). */
  wsCredentialsRecheckSeconds: number;
}

type Env = Record<string, string | undefined>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(name, message("config.wholeNumberBetween", { min, max, raw }));
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, message("config.between", { min, max, value }));
  }
  return value;
}

/** DEFAULT_LOCALE: one of the catalogue's languages, spelled as it is (zh-CN, en). */
function readLocale(env: Env): Locale {
  const raw = env.DEFAULT_LOCALE?.trim();
  if (!raw) return "zh-CN";
  const locale = LOCALES.find((supported) => supported.toLowerCase() === raw.toLowerCase());
  if (!locale) throw new ConfigError("DEFAULT_LOCALE", message("config.oneOf", { values: LOCALES.join(", "), raw }));
  return locale;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, message("config.boolean", { raw: env[name] ?? "" }));
}

function readIntrospection(env: Env, production: boolean): IntrospectionAccess {
  const raw = env.GRAPHQL_INTROSPECTION?.trim().toLowerCase();
  // Anonymous callers reading the whole schema helps nobody in production but an attacker
  // mapping it; signed-in staff and dashboard developers still get the explorer's docs.
  if (raw === undefined || raw === "") return production ? "authenticated" : "all";
  if (["1", "true", "yes", "on", "all"].includes(raw)) return "all";
  if (["0", "false", "no", "off", "none"].includes(raw)) return "none";
  if (raw === "authenticated" || raw === "signed-in") return "authenticated";
  throw new ConfigError("GRAPHQL_INTROSPECTION", message("config.introspection", { raw: env.GRAPHQL_INTROSPECTION ?? "" }));
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, message("config.invalidUrl", { protocol: protocols[0] }));
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, message("config.urlProtocol", { protocols: messageList(protocols, "or"), raw: url.protocol }));
  }
  if (!url.hostname) throw new ConfigError(name, message("config.noHost"));
  return raw;
}

/**
 * A PostgreSQL URL, possibly naming several hosts (`postgres://u@db-a:5432,db-b:5432/kaizhou?target_session_attrs=read-write`,
 * as libpq takes them; core/db/hosts.ts connects to the one that takes writes).
 */
function readDatabaseUrl(env: Env, name: string, raw = env[name]?.trim()): string | undefined {
  if (!raw) return undefined;
  let firstHostUrl: string;
  try {
    firstHostUrl = parseDatabaseUrl(raw).firstHostUrl;
  } catch (error) {
    if (!/^postgres(ql)?:\/\//i.test(raw)) {
      const protocol = /^([a-z][a-z0-9+.-]*:)/i.exec(raw)?.[1];
      throw new ConfigError(name, protocol ? message("config.urlProtocol", { protocols: messageList(["postgres:", "postgresql:"], "or"), raw: protocol }) : message("config.invalidUrl", { protocol: "postgres:" }));
    }
    if (error instanceof HostListError) throw new ConfigError(name, error.said);
    throw error;
  }
  try {
    new URL(firstHostUrl);
  } catch {
    throw new ConfigError(name, message("config.invalidUrl", { protocol: "postgres:" }));
  }
  return raw;
}

/** DATABASE_READ_URL: one replica's URL, or several separated by commas (each a URL of its own). */
function readReplicaUrls(env: Env): string[] {
  const raw = env.DATABASE_READ_URL?.trim();
  if (!raw) return [];
  const urls = raw.split(/,(?=\s*postgres(?:ql)?:\/\/)/i).map((url) => url.trim());
  return urls.map((url) => {
    const checked = readDatabaseUrl(env, "DATABASE_READ_URL", url);
    if (!checked) throw new ConfigError("DATABASE_READ_URL", message("config.replicaUrlEmpty"));
    if (parseDatabaseUrl(checked).hosts.length > 1) throw new ConfigError("DATABASE_READ_URL", message("config.replicaOneHost"));
    return checked;
  });
}

function readChannelPrefix(env: Env): string {
  const raw = env.REDIS_CHANNEL_PREFIX?.trim() ?? "";
  if (raw && !/^[\w.:-]{1,100}$/.test(raw)) throw new ConfigError("REDIS_CHANNEL_PREFIX", message("config.channelPrefix"));
  return raw;
}

function readOperations(env: Env): OperationsConfig {
  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError("METRICS_TOKEN", message("config.metricsTokenShort"));
  }
  return {
    metricsToken,
    backupDir: path.resolve(env.BACKUP_DIR?.trim() || "backups"),
    pgDump: env.PG_DUMP?.trim() || undefined,
  };
}

function readTrustedDocuments(env: Env, production: boolean): TrustedDocumentsConfig {
  const raw = env.TRUSTED_DOCUMENTS?.trim().toLowerCase();
  // In production API keys run only the registered operations: a key is a long-lived secret kept
  // in a dashboard's configuration, the credential most likely to leak, and what it may do is
  // then what the screens do; staff sign in, their tokens expire, and they need the explorer.
  let mode: TrustedDocumentsConfig["mode"];
  if (raw === undefined || raw === "") mode = production ? "api-keys" : "off";
  else if (["off", "false", "0", "no", "none"].includes(raw)) mode = "off";
  else if (raw === "api-keys" || raw === "api_keys" || raw === "apikeys") mode = "api-keys";
  else if (raw === "all") mode = "all";
  else throw new ConfigError("TRUSTED_DOCUMENTS", message("config.trustedDocuments", { raw: env.TRUSTED_DOCUMENTS ?? "" }));
  const extraManifests = (env.TRUSTED_DOCUMENTS_MANIFESTS ?? "")
    .split(",")
    .map((file) => file.trim())
    .filter(Boolean)
    .map((file) => path.resolve(file));
  return { mode, extraManifests };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? "info").trim();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", message("config.oneOf", { values: LOG_LEVELS.join(", "), raw: logLevel }));
  }
  // Read by core/ops/logger.ts as the process starts; checked here so that a typo stops the start.
  const logFormat = env.LOG_FORMAT?.trim().toLowerCase();
  if (logFormat !== undefined && logFormat !== "" && !(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    throw new ConfigError("LOG_FORMAT", message("config.oneOf", { values: LOG_FORMATS.join(", "), raw: env.LOG_FORMAT ?? "" }));
  }
  const nodeEnv = env.NODE_ENV?.trim() || "development";
  const authSecret = env.AUTH_SECRET?.trim() || undefined;
  if (authSecret !== undefined && authSecret.length < 32) {
    throw new ConfigError("AUTH_SECRET", message("config.authSecretShort"));
  }
  if (nodeEnv === "production" && !authSecret) {
    throw new ConfigError("AUTH_SECRET", message("config.authSecretRequired"));
  }
  const debugErrors = readBoolean(env, "DEBUG_ERRORS", false);
  if (nodeEnv === "production" && debugErrors) {
    // It would send SQL text and stack traces to every caller, anonymous ones included.
    throw new ConfigError("DEBUG_ERRORS", message("config.debugErrorsInProduction"));
  }
  const databaseUrl = readDatabaseUrl(env, "DATABASE_URL");
  const migrationDatabaseUrl = readDatabaseUrl(env, "MIGRATION_DATABASE_URL");
  if (migrationDatabaseUrl && !databaseUrl) {
    // The embedded database has both roles of its own; an owner alone leaves the service without one.
    throw new ConfigError("MIGRATION_DATABASE_URL", message("config.migrationUrlAlone"));
  }
  const databaseReadUrls = readReplicaUrls(env);
  if (databaseReadUrls.length && !databaseUrl) {
    // The embedded database is one server on this machine: there is nothing to replicate it to.
    throw new ConfigError("DATABASE_READ_URL", message("config.replicasNeedDatabaseUrl"));
  }
  return {
    nodeEnv,
    port: readInteger(env, "PORT", 4000, 0, 65535),
    host: env.HOST?.trim() || "0.0.0.0",
    databaseUrl,
    migrationDatabaseUrl,
    databaseReadUrls,
    databaseReadCheckMs: readInteger(env, "DATABASE_READ_CHECK_MS", 1000, 50, 60000),
    databaseReadMaxLagMs: readInteger(env, "DATABASE_READ_MAX_LAG_MS", 30000, 0, 3600000),
    databasePreparedStatements: readBoolean(env, "DATABASE_PREPARED_STATEMENTS", true),
    databaseAllowOwner: readBoolean(env, "DATABASE_ALLOW_OWNER", false),
    dataDir: path.resolve(env.DATA_DIR?.trim() || "data"),
    auditSpoolMaxBytes: readInteger(env, "AUDIT_SPOOL_MAX_BYTES", 64 * 1024 * 1024, 4096, 1024 * 1024 * 1024),
    redisUrl: readUrl(env, "REDIS_URL", ["redis:", "rediss:"]),
    logLevel,
    databasePoolSize: readInteger(env, "DATABASE_POOL_SIZE", 10, 1, 500),
    seedOnStart: readBoolean(env, "SEED_ON_START", true),
    debugErrors,
    exposeSqlStatementCount: readBoolean(env, "EXPOSE_SQL_STATEMENT_COUNT", false),
    databaseStatementTimeoutMs: readInteger(env, "DATABASE_STATEMENT_TIMEOUT_MS", 15000, 0, 3600000),
    databaseQueryTimeoutMs: readInteger(env, "DATABASE_QUERY_TIMEOUT_MS", 20000, 0, 3600000),
    idempotencyWaitMs: readInteger(env, "IDEMPOTENCY_WAIT_MS", 5000, 0, 60000),
    instanceHeartbeatSeconds: readInteger(env, "INSTANCE_HEARTBEAT_SECONDS", 5, 1, 3600),
    auth: {
      secret: authSecret,
      tokenTtlMinutes: readInteger(env, "AUTH_TOKEN_TTL_MINUTES", 480, 1, 43200),
      maxFailuresPerUsername: readInteger(env, "LOGIN_MAX_FAILURES_PER_USERNAME", 5, 1, 1000),
      maxFailuresPerAddress: readInteger(env, "LOGIN_MAX_FAILURES_PER_ADDRESS", 20, 1, 100000),
      failureWindowMinutes: readInteger(env, "LOGIN_FAILURE_WINDOW_MINUTES", 15, 1, 1440),
      failedLoginDelayMs: readInteger(env, "LOGIN_FAILURE_DELAY_MS", 500, 0, 10000),
      hashingThreads: readInteger(env, "PASSWORD_HASHING_THREADS", Math.max(1, availableParallelism() - 1), 1, 64),
      hashingQueue: readInteger(env, "PASSWORD_HASHING_QUEUE", 16, 0, 10000),
    },
    limits: {
      introspection: readIntrospection(env, nodeEnv === "production"),
      maxTokens: readInteger(env, "GRAPHQL_MAX_TOKENS", 2000, 100, 1000000),
      maxDepth: readInteger(env, "GRAPHQL_MAX_DEPTH", 12, 1, 100),
      maxCost: readInteger(env, "GRAPHQL_MAX_COST", 250000, 1, 100000000),
      maxAliases: readInteger(env, "GRAPHQL_MAX_ALIASES", 30, 0, 10000),
      maxOperations: readInteger(env, "GRAPHQL_MAX_OPERATIONS", 5, 1, 100),
      maxBodyBytes: readInteger(env, "REQUEST_BODY_LIMIT_BYTES", 1048576, 1024, 104857600),
      rateLimitPerMinute: readInteger(env, "RATE_LIMIT_PER_MINUTE", 1200, 1, 1000000),
      maxSubscriptionsPerConnection: readInteger(env, "WS_MAX_SUBSCRIPTIONS_PER_CONNECTION", 50, 1, 10000),
      maxSubscriptionsPerIdentity: readInteger(env, "WS_MAX_SUBSCRIPTIONS_PER_IDENTITY", 2000, 1, 1000000),
      wsCredentialsRecheckSeconds: readInteger(env, "WS_CREDENTIALS_RECHECK_SECONDS", 30, 1, 3600),
    },
    readinessFreshnessHours: readInteger(env, "READINESS_FRESHNESS_HOURS", 24, 1, 24 * 30),
    certificateAlertDays: readInteger(env, "CERTIFICATE_ALERT_DAYS", 30, 1, 365),
    dispatchApprovalDeadlineHours: readInteger(env, "DISPATCH_APPROVAL_DEADLINE_HOURS", 48, 1, 24 * 30),
    supplyRequestResponseHours: readInteger(env, "SUPPLY_REQUEST_RESPONSE_HOURS", 24, 1, 24 * 30),
    callUpResponseHours: readInteger(env, "CALL_UP_RESPONSE_HOURS", 2, 1, 24 * 7),
    allocation: {
      strategy: env.ALLOCATION_STRATEGY?.trim() || "travel-time",
      villageRoomRadiusKm: readInteger(env, "ALLOCATION_VILLAGE_ROOM_RADIUS_KM", 5, 0, 500),
    },
    redisChannelPrefix: readChannelPrefix(env),
    operations: readOperations(env),
    defaultLocale: readLocale(env),
    trustedDocuments: readTrustedDocuments(env, nodeEnv === "production"),
  };
}
