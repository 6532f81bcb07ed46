// `npm run backup`: a consistent pg_dump of the configured database (DATABASE_URL, or the
// embedded one under DATA_DIR, also while the service runs) into BACKUP_DIR as
// <database>-<UTC time>.dump, pg_dump's compressed custom format that pg_restore reads.
// `npm run backup -- <file>` writes to that file instead.
import { say } from "./cli-language";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../src/config";
import { EmbeddedPostgresError } from "../src/core/db/embedded-postgres";
import { findPgTool, openTarget, runTool, serverMajorVersion, ToolError } from "./pg-tools";

function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
}

async function main() {
  const config = loadConfig();
  const target = await openTarget(config, { createEmbedded: false });
  try {
    const serverMajor = await serverMajorVersion(target.url);
    const pgDump = findPgTool("pg_dump", serverMajor, config.operations.pgDump);
    const database = decodeURIComponent(new URL(target.url).pathname.slice(1)) || "postgres";
    const file = path.resolve(process.argv[2] ?? path.join(config.operations.backupDir, `${database}-${timestamp()}.dump`));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written under another name first, so an interrupted dump never looks like a backup.
    const partial = `${file}.partial`;
    try {
      runTool(pgDump, ["--format=custom", "--compress=6", `--file=${partial}`], target.url);
      fs.renameSync(partial, file);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    const { size } = fs.statSync(file);
    console.log(say("cli.backup.done", { target: target.description, file, kib: (size / 1024).toFixed(1), version: pgDump.version }));
    const shown = path.relative(process.cwd(), file);
    console.log(say("cli.backup.restoreWith", { file: shown.startsWith("..") ? file : shown }));
  } finally {
    await target.close();
  }
}

main().catch((error) => {
  console.error(say("cli.backup.failed", { reason: error instanceof ToolError || error instanceof ConfigError || error instanceof EmbeddedPostgresError ? error.message : String((error as Error).stack ?? error) }));
  process.exit(1);
});
