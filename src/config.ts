// Environment → typed configuration. Every setting is read here and nowhere else,
// and a wrong value stops start-up with one message that names the setting.
import path from "node:path";

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = "ConfigError";
  }
}

export interface Config {
  /** production turns off demo data and requires AUTH_SECRET. */
  nodeEnv: string;
  port: number;
  /** Bind address of the HTTP server. */
  host: string;
  /** Empty: start the embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  dataDir: string;
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
  /** A team's readiness report older than this many hours makes the team stale (战备状态过期). */
  readinessFreshnessHours: number;
  /** Certificates expiring within this many days show as alerts (证书到期提醒). */
  certificateAlertDays: number;
}

type Env = Record<string, string | undefined>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL (expected ${protocols[0]}//user@host:port/...)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(" or ")}, got "${url.protocol}"`);
  }
  if (!url.hostname) throw new ConfigError(name, "has no host name");
  return raw;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? "info").trim();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  return {
    nodeEnv: env.NODE_ENV?.trim() || "development",
    port: readInteger(env, "PORT", 4000, 0, 65535),
    host: env.HOST?.trim() || "0.0.0.0",
    databaseUrl: readUrl(env, "DATABASE_URL", ["postgres:", "postgresql:"]),
    dataDir: path.resolve(env.DATA_DIR?.trim() || "data"),
    redisUrl: readUrl(env, "REDIS_URL", ["redis:", "rediss:"]),
    logLevel,
    databasePoolSize: readInteger(env, "DATABASE_POOL_SIZE", 10, 1, 500),
    seedOnStart: readBoolean(env, "SEED_ON_START", true),
    debugErrors: readBoolean(env, "DEBUG_ERRORS", false),
    exposeSqlStatementCount: readBoolean(env, "EXPOSE_SQL_STATEMENT_COUNT", false),
    readinessFreshnessHours: readInteger(env, "READINESS_FRESHNESS_HOURS", 24, 1, 24 * 30),
    certificateAlertDays: readInteger(env, "CERTIFICATE_ALERT_DAYS", 30, 1, 365),
  };
}
