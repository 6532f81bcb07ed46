// npm run backup / npm run restore with the system's pg_dump and pg_restore: a dump of a test
// database restores into an empty one with the same data, the embedded database is backed up
// while the service runs on it, and a missing or old pg_dump is named with what to install.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { tempDir } from "./support/cluster";
import { createTestDatabase } from "./support/database";
import { regionCount, spawnService } from "./support/service-process";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..");

function run(script: "backup" | "restore", env: Record<string, string>, args: string[] = []) {
  // The commands of `npm run backup` / `npm run restore` (package.json), without npm in between.
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(pkg.scripts[script]).toBe(`exec node --enable-source-maps -r ./scripts/register.js scripts/${script}.ts`);
  return spawnSync(process.execPath, ["--enable-source-maps", "-r", "./scripts/register.js", `scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    // English, as the rest of the suite; the administrator's locale (LANG) or --lang chooses otherwise.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", DEFAULT_LOCALE: "en", ...env },
    encoding: "utf8",
  });
}

async function count(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

const REGIONS = "SELECT count(*) AS n FROM region";

it("backs up a database into BACKUP_DIR and restores it into an empty one with the same data", async () => {
  const source = await createTestDatabase();
  const target = await createTestDatabase({ empty: true });
  const backupDir = tempDir("kaizhou-backups");
  try {
    const backup = run("backup", { DATABASE_URL: source.url, BACKUP_DIR: backupDir });
    expect(backup.stderr).toBe("");
    expect(backup.status).toBe(0);
    const files = fs.readdirSync(backupDir);
    expect(files).toEqual([expect.stringMatching(new RegExp(`^${source.name}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.dump$`))]);
    const file = path.join(backupDir, files[0]);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect(backup.stdout).toContain(`to ${file}`);

    // The backup above ran as the service's role (DATABASE_URL alone); a restore creates tables, as the owner.
    const targetEnv = { DATABASE_URL: target.url, MIGRATION_DATABASE_URL: target.ownerUrl };
    const restore = run("restore", targetEnv, [file]);
    expect(restore.stderr).toBe("");
    expect(restore.status).toBe(0);
    expect(await count(target.ownerUrl, REGIONS)).toBe(await count(source.url, REGIONS));
    expect(await count(target.ownerUrl, REGIONS)).toBe(576);
    expect(await count(target.ownerUrl, "SELECT count(*) AS n FROM schema_migrations")).toBe(await count(source.url, "SELECT count(*) AS n FROM schema_migrations"));
    // The audit log stays append-only after a restore: its triggers came along.
    const client = new Client({ connectionString: target.ownerUrl });
    await client.connect();
    try {
      await expect(client.query("TRUNCATE audit_entry")).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }

    // Never over existing data.
    const again = run("restore", targetEnv, [file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/Restore failed: .* is not empty/);
  } finally {
    await source.drop();
    await target.drop();
    fs.rmSync(backupDir, { recursive: true, force: true });
  }
});

it("backs up the embedded database while the service runs on it, and restores into a new DATA_DIR", async () => {
  const base = tempDir("kaizhou-embedded-backup");
  const dataDir = path.join(base, "data");
  const service = spawnService({ DATA_DIR: dataDir });
  try {
    const url = await service.ready();
    const backupFile = path.join(base, "nightly.dump");
    const backup = run("backup", { DATA_DIR: dataDir }, [backupFile]);
    expect(backup.stderr).toBe("");
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain(`Backed up the embedded database in ${dataDir}`);
    expect(await regionCount(url)).toBe(576); // the running service was not disturbed

    const restoredDir = path.join(base, "restored");
    const restore = run("restore", { DATA_DIR: restoredDir }, [backupFile]);
    expect(restore.stderr).toBe("");
    expect(restore.status).toBe(0);
    service.child.kill("SIGTERM");
    expect(await service.exited()).toBe(0);

    const restored = spawnService({ DATA_DIR: restoredDir, LOG_LEVEL: "info" });
    const restoredUrl = await restored.ready();
    expect(await regionCount(restoredUrl)).toBe(576);
    expect(restored.output()).not.toMatch(/seeded the Kaizhou reference data/);
    restored.child.kill("SIGTERM");
    expect(await restored.exited()).toBe(0);
  } finally {
    if (service.child.exitCode === null) service.child.kill("SIGKILL");
    fs.rmSync(base, { recursive: true, force: true });
  }
});

describe("a pg_dump that cannot do the job is named, with what to install", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("missing", () => {
    const result = run("backup", { DATABASE_URL: database.url, BACKUP_DIR: tempDir("kaizhou-nobackup"), PG_DUMP: "/nonexistent/pg_dump" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Backup failed: pg_dump not found or not working at \/nonexistent\/pg_dump/);
    expect(result.stderr).toMatch(/apt-get install postgresql-client-15/);
    // In Chinese for an administrator whose locale is Chinese, or as shipped (no DEFAULT_LOCALE).
    for (const env of [{ LANG: "zh_CN.UTF-8" }, { DEFAULT_LOCALE: "" }] as Array<Record<string, string>>) {
      const zh = run("backup", { DATABASE_URL: database.url, BACKUP_DIR: tempDir("kaizhou-nobackup"), PG_DUMP: "/nonexistent/pg_dump", ...env });
      expect(zh.status).toBe(1);
      expect(zh.stderr).toMatch(/^备份失败：在 \/nonexistent\/pg_dump 找不到 pg_dump 或它不能运行（来自 PG_DUMP=\/nonexistent\/pg_dump）。请安装 PostgreSQL 15/);
      expect(zh.stderr).toMatch(/apt-get install postgresql-client-15/);
    }
  });

  it("older than the server", () => {
    // A pg_dump that reports an old release, as an old client package would.
    const dir = tempDir("kaizhou-old-pg-dump");
    const old = path.join(dir, "pg_dump");
    fs.writeFileSync(old, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 12.22'\n", { mode: 0o755 });
    const backupDir = tempDir("kaizhou-nobackup");
    const result = run("backup", { DATABASE_URL: database.url, BACKUP_DIR: backupDir, PG_DUMP: old });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/pg_dump 12\.22 at .* is older than the database server \(PostgreSQL 15\)/);
    expect(result.stderr).toMatch(/apt-get install postgresql-client-15/);
    expect(fs.readdirSync(backupDir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
