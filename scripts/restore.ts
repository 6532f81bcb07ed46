// `npm run restore -- <file.dump>`: loads a backup from `npm run backup` into the configured
// database, which must be empty (a new database from createdb, or a new DATA_DIR: the embedded
// server is then created). All or nothing: one transaction, stopping at the first error.
import { message } from "../src/core/i18n/i18n";
import { say } from "./cli-language";
import fs from "node:fs";
import { Client } from "pg";
import { ConfigError, loadConfig } from "../src/config";
import { EmbeddedPostgresError } from "../src/core/db/embedded-postgres";
import { findPgTool, openTarget, runTool, serverMajorVersion, ToolError } from "./pg-tools";

async function tablesIn(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    return rows[0].n;
  } finally {
    await client.end();
  }
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error(say("cli.restore.usage"));
    process.exit(2);
  }
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) throw new ToolError(message("cli.restore.noFile", { file }));
  const config = loadConfig();
  const target = await openTarget(config, { createEmbedded: true });
  try {
    const existing = await tablesIn(target.url);
    if (existing > 0) {
      throw new ToolError(message("cli.restore.notEmpty", { target: target.description, tables: existing }));
    }
    const pgRestore = findPgTool("pg_restore", await serverMajorVersion(target.url), config.operations.pgDump);
    // Owners and grants of the source server may not exist here; the restoring role owns everything.
    runTool(pgRestore, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", file], target.url);
    console.log(say("cli.restore.done", { file, target: target.description, tables: await tablesIn(target.url) }));
  } finally {
    await target.close();
  }
}

main().catch((error) => {
  console.error(say("cli.restore.failed", { reason: error instanceof ToolError || error instanceof ConfigError || error instanceof EmbeddedPostgresError ? error.message : String((error as Error).stack ?? error) }));
  process.exit(1);
});
