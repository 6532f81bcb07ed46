// A primary and a hot standby of its own for a test file, from the embedded PostgreSQL's binaries
// (so it runs on a fresh machine as in CI; they ship no pg_basebackup): a cluster is made,
// migrated, seeded and granted like the suite's template and stopped cleanly (once per run,
// shared by the files that need it), then copied twice — the primary, and the standby with
// standby.signal and primary_conninfo, which streams from it. Both listen on free local ports.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { migrations } from "../../migrations";
import { seedDatabase } from "../../seeds";
import { createDataSource } from "../../src/core/db/database";
import { grantServiceRole } from "../../src/core/db/database-roles";
import { embeddedServerTools, startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/core/db/embedded-postgres";
import { entities } from "../../src/entities";
import { atLocalPort, clusterInfo, freePort, tempDir } from "./cluster";

export interface Replication {
  primary: { url: string; ownerUrl: string; port: number };
  standby: { url: string; ownerUrl: string; port: number };
  /** Stops the primary cleanly (-m fast: its connections are terminated). */
  stopPrimary(): Promise<void>;
  /** Stops the standby at once, as a crash would (-m immediate). */
  killStandby(): void;
  startStandby(): void;
  promoteStandby(): void;
  /** A statement on one of the servers as the superuser. */
  query<T = any>(on: "primary" | "standby", sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startReplication(): Promise<Replication> {
  const root = tempDir("kaizhou-replication");
  // What was started so far, stopped again should a later step fail (no server outlives its test).
  const undo: Array<() => Promise<void> | void> = [];
  try {
    return await build(root, undo);
  } catch (error) {
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** The run's seeded cluster, stopped cleanly: made once per `npm test` (the first file to need it), copied by each. */
function seedFolder(): string {
  return path.join(os.tmpdir(), `kaizhou-replication-seed-${clusterInfo().templateDatabase}`);
}

/** Removes the run's seeded cluster (global teardown). */
export function removeReplicationSeed(templateDatabase: string): void {
  fs.rmSync(path.join(os.tmpdir(), `kaizhou-replication-seed-${templateDatabase}`), { recursive: true, force: true });
}

async function seededCluster(): Promise<string> {
  const folder = seedFolder();
  const ready = path.join(folder, "ready");
  const lock = `${folder}.lock`;
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(ready)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for the seeded cluster in ${folder}`);
    try {
      fs.mkdirSync(lock); // one file makes it; the others wait
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if (fs.existsSync(ready)) break;
      fs.rmSync(folder, { recursive: true, force: true });
      const server = await startEmbeddedPostgres({ dataDir: folder, exclusive: false });
      try {
        const owner = createDataSource({ url: server.ownerUrl, entities, migrations, poolSize: 2 });
        await owner.initialize();
        try {
          await owner.runMigrations({ transaction: "each" });
          await seedDatabase(owner, { production: false });
          await grantServiceRole(owner, server.serviceRole);
        } finally {
          await owner.destroy();
        }
      } finally {
        await server.stop();
      }
      fs.appendFileSync(path.join(folder, "pg", "postgresql.auto.conf"), "\nwal_level = replica\n");
      fs.rmSync(path.join(folder, "pg", "server.log"), { force: true });
      fs.writeFileSync(ready, "");
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return folder;
}

async function build(root: string, undo: Array<() => Promise<void> | void>): Promise<Replication> {
  // Primary and standby: two copies of the same cleanly stopped cluster; the standby follows the primary.
  const seed = await seededCluster();
  const { pgCtl, user } = await embeddedServerTools();
  const primaryDir = path.join(root, "primary");
  const standbyCluster = path.join(root, "standby", "pg");
  fs.cpSync(seed, primaryDir, { recursive: true });
  fs.mkdirSync(path.dirname(standbyCluster), { recursive: true });
  fs.cpSync(path.join(seed, "pg"), standbyCluster, { recursive: true });
  // PostgreSQL refuses a data directory others may read; Node 22's cpSync (unlike 20's) makes
  // copied folders with the default mode, not the source's 0700.
  for (const cluster of [path.join(primaryDir, "pg"), standbyCluster]) fs.chmodSync(cluster, 0o700);
  if (user) execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, root]);

  const primary = await startEmbeddedPostgres({ dataDir: primaryDir, exclusive: false });
  undo.push(() => primary.stop());
  const state = JSON.parse(fs.readFileSync(path.join(primaryDir, "embedded-postgres.json"), "utf8")) as { password: string; port: number };
  fs.writeFileSync(path.join(standbyCluster, "standby.signal"), "");
  fs.appendFileSync(
    path.join(standbyCluster, "postgresql.auto.conf"),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres password=${state.password} application_name=kaizhou_test_standby'\nhot_standby = on\n`,
  );
  const standbyPort = await freePort();
  const pgCtlRun = (args: string[], what: string, allowFailure = false) => {
    const result = spawnSync(pgCtl, args, { uid: user?.uid, gid: user?.gid, encoding: "utf8", env: { ...process.env, LC_ALL: "C" }, timeout: 60_000 });
    if (result.status !== 0 && !allowFailure) throw new Error(`${what} failed: ${result.stdout}${result.stderr}`);
  };
  const startStandby = () =>
    pgCtlRun(
      ["start", "-D", standbyCluster, "-w", "-t", "60", "-l", path.join(standbyCluster, "server.log"), "-o", `-p ${standbyPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`],
      "starting the standby",
    );
  undo.push(() => pgCtlRun(["stop", "-D", standbyCluster, "-m", "immediate", "-w", "-t", "60"], "stopping the standby", true));
  startStandby();

  const standbyUrls = { url: atLocalPort(primary.url, standbyPort), ownerUrl: atLocalPort(primary.ownerUrl, standbyPort), port: standbyPort };
  const query = async <T>(on: "primary" | "standby", sql: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: on === "primary" ? primary.ownerUrl : standbyUrls.ownerUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const [{ standby }] = await query<{ standby: boolean }>("standby", "SELECT pg_is_in_recovery() AS standby");
  if (!standby) throw new Error("the copy did not start as a standby");
  let stopped = false;
  return {
    primary: { url: primary.url, ownerUrl: primary.ownerUrl, port: primary.port },
    standby: standbyUrls,
    stopPrimary: () => primary.stop(),
    killStandby: () => pgCtlRun(["stop", "-D", standbyCluster, "-m", "immediate", "-w", "-t", "60"], "killing the standby"),
    startStandby,
    promoteStandby: () => pgCtlRun(["promote", "-D", standbyCluster, "-w", "-t", "60"], "promoting the standby"),
    query,
    async stop() {
      if (stopped) return;
      stopped = true;
      pgCtlRun(["stop", "-D", standbyCluster, "-m", "immediate", "-w", "-t", "60"], "stopping the standby", true);
      await primary.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
