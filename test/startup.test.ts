// Start-up, restart, crash recovery, bad configuration and readiness, with the service as a
// real process. These tests always use embedded clusters of their own (they test the
// embedded default), plus the suite's database server for the two-instance test.
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { migrations } from "../migrations";
import { tempDir } from "./support/cluster";
import { createTestDatabase, type TestDatabase } from "./support/database";
import { regionCount, spawnNpmStart, spawnService, START_SCRIPT } from "./support/service-process";

jest.setTimeout(120_000);

function embeddedState(dataDir: string): { port: number; password: string; servicePassword?: string } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, "embedded-postgres.json"), "utf8"));
}

/** The roles the service's own sessions use, as the embedded superuser sees them. */
async function sessionRoles(dataDir: string): Promise<string[]> {
  const { port, password } = embeddedState(dataDir);
  const client = new Client({ host: "127.0.0.1", port, user: "postgres", password, database: "kaizhou" });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'kaizhou' AND application_name = 'kaizhou-emergency-resources'`);
    return rows.map((row) => row.usename);
  } finally {
    await client.end();
  }
}

function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, "pg", "postmaster.pid");
  return fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").split("\n")[0]) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = fs.existsSync(`/proc/${pid}/status`) ? fs.readFileSync(`/proc/${pid}/status`, "utf8") : "";
  return !/^State:\s+Z/m.test(status); // a zombie has exited
}

/** Every process below `pid` — children, grandchildren … — as /proc has them now. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited while we read
    }
  }
  const below = [...parentOf].filter(([, parent]) => parent === pid).map(([child]) => child);
  return below.flatMap((child) => [child, ...descendants(child)]);
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("npm start on the embedded database", () => {
  const dataDir = path.join(tempDir("kaizhou-start"), "data");
  afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  it("uses the same command as npm start", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    expect(pkg.scripts.start).toBe(START_SCRIPT);
  });

  it("starts on an empty data directory, seeds, serves, and stops cleanly on SIGTERM", async () => {
    const service = spawnService({ DATA_DIR: dataDir });
    const url = await service.ready();
    const startLines = service.output().split("\n").filter((line) => line.includes("listening on"));
    expect(startLines).toHaveLength(1);
    expect(startLines[0]).toMatch(/embedded PostgreSQL 15/);
    expect(await regionCount(url)).toBe(576);
    expect((await fetch(url.replace("/graphql", "/healthz"))).status).toBe(200);
    expect((await fetch(url.replace("/graphql", "/readyz"))).status).toBe(200);
    // Never the port of a PostgreSQL already on the machine.
    expect(embeddedState(dataDir).port).not.toBe(5432);
    // The superuser migrated and seeded; the pool runs as the role that owns nothing, unwarned.
    expect(embeddedState(dataDir).servicePassword).toMatch(/^[\w-]{24}$/);
    expect(await sessionRoles(dataDir)).toEqual(["kaizhou_service"]);
    expect(service.output()).not.toMatch(/could empty the audit log/);

    const pid = postmasterPid(dataDir)!;
    expect(isAlive(pid)).toBe(true);
    service.child.kill("SIGTERM");
    expect(await service.exited()).toBe(0);
    await waitUntil(() => !isAlive(pid), 5_000);
  });

  it("keeps data across a restart and does not seed again", async () => {
    const first = spawnService({ DATA_DIR: dataDir });
    await first.ready();
    const { port, password } = embeddedState(dataDir);
    const client = new Client({ host: "127.0.0.1", port, user: "postgres", password, database: "kaizhou" });
    await client.connect();
    await client.query(`INSERT INTO region (code, name, level, kind, parent_id, path, depth, latitude, longitude)
      SELECT 'KZ-TEST', '测试村', 'VILLAGE', 'VILLAGE', id, path, 2, 31.1, 108.4 FROM region WHERE code = 'KZ-S01'`);
    await client.end();
    first.child.kill("SIGINT");
    expect(await first.exited()).toBe(0);
    // A state file as versions before the service role wrote it: the role gets a password then.
    const { servicePassword, ...older } = embeddedState(dataDir);
    fs.writeFileSync(path.join(dataDir, "embedded-postgres.json"), JSON.stringify(older));

    const second = spawnService({ DATA_DIR: dataDir, LOG_LEVEL: "info" });
    const url = await second.ready();
    expect(await regionCount(url)).toBe(577);
    expect(embeddedState(dataDir).servicePassword).toMatch(/^[\w-]{24}$/);
    expect(embeddedState(dataDir).servicePassword).not.toBe(servicePassword);
    expect(await sessionRoles(dataDir)).toEqual(["kaizhou_service"]);
    expect(second.output()).not.toMatch(/seeded the Kaizhou reference data/);
    second.child.kill("SIGTERM");
    expect(await second.exited()).toBe(0);
  });

  it("comes up after kill -9, stopping the database server the killed service left running", async () => {
    const first = spawnService({ DATA_DIR: dataDir });
    await first.ready();
    const orphan = postmasterPid(dataDir)!;
    first.child.kill("SIGKILL");
    await first.exited();
    expect(isAlive(orphan)).toBe(true); // the server outlives a killed Node process

    const second = spawnService({ DATA_DIR: dataDir, LOG_LEVEL: "info" });
    const url = await second.ready();
    expect(second.output()).toMatch(/left running by an earlier service/);
    expect(await regionCount(url)).toBe(577);
    await waitUntil(() => !isAlive(orphan));
    second.child.kill("SIGTERM");
    expect(await second.exited()).toBe(0);
  });

  it("refuses a second service on the same data directory", async () => {
    const first = spawnService({ DATA_DIR: dataDir });
    await first.ready();
    const second = spawnService({ DATA_DIR: dataDir });
    expect(await second.exited()).toBe(1);
    expect(second.output()).toMatch(/DATA_DIR .* is in use by another running service/);
    first.child.kill("SIGTERM");
    expect(await first.exited()).toBe(0);
  });

  it("answers /readyz 503 while the database is gone, /healthz 200 all along", async () => {
    const service = spawnService({ DATA_DIR: dataDir });
    const url = await service.ready();
    const base = url.replace("/graphql", "");
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const pid = postmasterPid(dataDir)!;
    process.kill(pid, "SIGINT"); // fast shutdown of the database under the running service
    await waitUntil(() => !isAlive(pid));
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    service.child.kill("SIGTERM");
    expect(await service.exited()).toBe(0);
  });
});

describe("stopping the process that npm start started, whatever shell npm runs the script with", () => {
  // Debian's /bin/sh is dash, which runs `sh -c "node …"` as a child instead of becoming Node:
  // without `exec` in the script npm passes SIGTERM to the shell only, and Node lives on,
  // orphaned, serving, with the embedded database up. dash is the hard case, so it is used
  // wherever it exists.
  const shell = fs.existsSync("/bin/dash") ? "/bin/dash" : undefined;
  const dataDir = path.join(tempDir("kaizhou-npm-start"), "data");
  // What a failed test leaves running, by pid and command line (a reused pid is not ours); the
  // database server gets a fast shutdown (SIGINT), the rest SIGKILL.
  let started: Array<{ pid: number; command: string; signal: NodeJS.Signals }> = [];
  afterEach(() => {
    for (const { pid, command, signal } of started) if (isAlive(pid) && commandLine(pid) === command) process.kill(pid, signal);
    started = [];
  });
  afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  /** npm start, up; npm, what runs below it (shell, Node) and the embedded database server. */
  async function startThroughNpm(options: { ownProcessGroup?: boolean } = {}) {
    const npm = spawnNpmStart({ DATA_DIR: dataDir, LOG_LEVEL: "info" }, shell, options);
    await npm.ready();
    const below = descendants(npm.child.pid!);
    const postgres = postmasterPid(dataDir)!;
    started = [
      ...[npm.child.pid!, ...below].map((pid) => ({ pid, command: commandLine(pid), signal: "SIGKILL" as const })),
      { pid: postgres, command: commandLine(postgres), signal: "SIGINT" as const },
    ];
    expect(below.filter((pid) => /^(\S*\/)?node .*src\/main\.ts/.test(commandLine(pid)))).toHaveLength(1);
    expect(isAlive(postgres)).toBe(true);
    return { npm, below, postgres };
  }

  it("has every npm script exec its one command, so npm signals the program itself", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    const notExec = Object.entries(pkg.scripts as Record<string, string>).filter(([, command]) => !/^exec [^;&|]+$/.test(command));
    expect(notExec).toEqual([]);
  });

  async function expectGoneAndStartsAgain(pids: number[]): Promise<void> {
    await waitUntil(() => !pids.some(isAlive));
    const next = spawnService({ DATA_DIR: dataDir });
    expect(await regionCount(await next.ready())).toBe(576);
    next.child.kill("SIGTERM");
    expect(await next.exited()).toBe(0);
  }

  it("SIGTERM to npm drains Node, stops the embedded database, and npm exits 0", async () => {
    const { npm, below, postgres } = await startThroughNpm();
    npm.child.kill("SIGTERM");
    expect(await npm.exited()).toBe(0);
    expect(npm.output()).toMatch(/"msg":"stopped"/);
    await expectGoneAndStartsAgain([...below, postgres]);
  });

  it("Ctrl-C (SIGINT to the terminal's process group) does the same", async () => {
    const { npm, below, postgres } = await startThroughNpm({ ownProcessGroup: true });
    process.kill(-npm.child.pid!, "SIGINT");
    expect(await npm.exited()).toBe(0);
    expect(npm.output()).toMatch(/"msg":"stopped"/);
    await expectGoneAndStartsAgain([...below, postgres]);
  });

  it("Node stops by itself when npm is killed outright, passing no signal on", async () => {
    const { npm, below, postgres } = await startThroughNpm();
    npm.child.kill("SIGKILL");
    await npm.exited();
    await expectGoneAndStartsAgain([...below, postgres]);
    expect(npm.output()).toMatch(/the process that started this one is gone: shutting down/);
    expect(npm.output()).toMatch(/"msg":"stopped"/);
  });
});

describe("bad configuration stops start-up with one clear message", () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ["a port that is not a number", { PORT: "forty" }, /^Cannot start: PORT: must be a whole number/m],
    ["a port out of range", { PORT: "70000" }, /^Cannot start: PORT: must be between 0 and 65535/m],
    ["a malformed DATABASE_URL", { DATABASE_URL: "not a url" }, /^Cannot start: DATABASE_URL: is not a valid URL/m],
    ["a DATABASE_URL of another kind", { DATABASE_URL: "mysql://root@127.0.0.1/x" }, /^Cannot start: DATABASE_URL: must start with postgres:/m],
    ["an unreachable DATABASE_URL", { DATABASE_URL: "postgres://postgres@127.0.0.1:1/kaizhou" }, /^Cannot start: DATABASE_URL: cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/kaizhou/m],
  ];
  it.each(cases)("%s", async (_name, env, message) => {
    const service = spawnService(env);
    expect(await service.exited()).toBe(1);
    expect(service.output()).toMatch(message);
  });

  it("says so in Chinese as shipped (no DEFAULT_LOCALE), the setting's name as it is", async () => {
    const service = spawnService({ PORT: "forty", DEFAULT_LOCALE: undefined });
    expect(await service.exited()).toBe(1);
    expect(service.output()).toMatch(/^无法启动：PORT：必须是 0 到 65535 之间的整数，实际为 "forty"$/m);
  });

  it("a port already taken", async () => {
    const database = await createTestDatabase();
    const blocker = spawnService({ DATABASE_URL: database.url, SEED_ON_START: "false" });
    const url = await blocker.ready();
    const port = new URL(url).port;
    const second = spawnService({ DATABASE_URL: database.url, PORT: port, SEED_ON_START: "false" });
    expect(await second.exited()).toBe(1);
    expect(second.output()).toMatch(new RegExp(`^Cannot start: PORT: cannot listen on 127.0.0.1:${port} \\(EADDRINUSE\\)`, "m"));
    blocker.child.kill("SIGTERM");
    await blocker.exited();
    await database.drop();
  });
});

it("two instances started at once on one empty database both come up and migrate once", async () => {
  const database = await createTestDatabase({ empty: true });
  const env = { DATABASE_URL: database.url, MIGRATION_DATABASE_URL: database.ownerUrl };
  const a = spawnService(env);
  const b = spawnService(env);
  const [urlA, urlB] = await Promise.all([a.ready(), b.ready()]);
  expect(await regionCount(urlA)).toBe(576);
  expect(await regionCount(urlB)).toBe(576);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  const applied = await client.query("SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name");
  await client.end();
  expect(applied.rows).toHaveLength(migrations.length);
  expect(applied.rows.every((row) => row.n === 1)).toBe(true);
  a.child.kill("SIGTERM");
  b.child.kill("SIGTERM");
  expect(await a.exited()).toBe(0);
  expect(await b.exited()).toBe(0);
  await database.drop();
});

describe("npm run create-admin", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const run = (database: TestDatabase, username: string, password: string) =>
    spawnSync(process.execPath, ["-r", "./scripts/register.js", "scripts/create-admin.ts", username], {
      cwd: path.join(__dirname, ".."),
      // No locale and no DEFAULT_LOCALE: Chinese, as shipped.
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, MIGRATION_DATABASE_URL: database.ownerUrl, KAIZHOU_ADMIN_PASSWORD: password, NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), LOG_LEVEL: "warn" },
      encoding: "utf8",
    });

  it("creates the first administrator of a production database and refuses weak passwords", async () => {
    const database = await createTestDatabase({ empty: true });
    const weak = run(database, "chief", "password123");
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/create-admin 失败：密码至少 12 个字符/);
    const strong = run(database, "chief", "Flood-Defence-2026!");
    expect(strong.status).toBe(0);
    expect(strong.stdout).toMatch(/已创建管理员 chief。/);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const accounts = await client.query("SELECT username, role, is_demo FROM account");
    await client.end();
    expect(accounts.rows).toEqual([{ username: "chief", role: "ADMIN", is_demo: false }]);
    await database.drop();
  });

  it("refuses to start in production without AUTH_SECRET", async () => {
    const service = spawnService({ NODE_ENV: "production", DATABASE_URL: "postgres://postgres@127.0.0.1:1/x" });
    expect(await service.exited()).toBe(1);
    expect(service.output()).toMatch(/^Cannot start: AUTH_SECRET: is required when NODE_ENV=production/m);
  });
});
