// Processes under test: our service (`npm start`), peers, and the helpers' children. Each
// runs detached in its own process group, so stopping it stops everything it started.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensureLoginRole } from "../../src/core/db/database-roles";
import { BENCH_ACCOUNTS, SERVER_URL } from "./databases";
import { sleep } from "./util";

export const ROOT = path.join(__dirname, "..", "..");
export const WORK_DIR = path.join(ROOT, "bench", ".work");

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** Everything it printed (last 64 kB), for error messages. */
  output(): string;
  /** The pid of the process doing the work (the node under `npm start`), for memory and CPU. */
  workerPid(): number;
  stop(): Promise<void>;
}

function children(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  return children(pid).flatMap((child) => [child, ...descendants(child)]);
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** Resident memory of a process in MB (VmRSS). */
export function residentMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolves when this appears in the output. */
  readyWhen: RegExp;
  /** Which descendant does the work: the first whose command line matches (default: the child itself). */
  worker?: RegExp;
  timeoutMs?: number;
}

/** Process groups still running: killed if the harness exits or is interrupted. */
const live = new Set<number>();
process.once("exit", () => {
  for (const pgid of live) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

export async function startProcess(options: StartOptions): Promise<RunningProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child.pid!);
  let output = "";
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), live.delete(child.pid!), resolve())));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-65536);
      if (options.readyWhen.test(output)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${options.name} exited (code ${code}) before it was ready:\n${output.slice(-3000)}`)));
    setTimeout(() => reject(new Error(`${options.name} was not ready after ${(options.timeoutMs ?? 60_000) / 1000} s:\n${output.slice(-3000)}`)), options.timeoutMs ?? 60_000).unref();
  });
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const killed = await Promise.race([exit.then(() => true), sleep(10_000).then(() => false)]);
    if (!killed) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
      await exit;
    }
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  let worker: number | undefined;
  return {
    name: options.name,
    child,
    output: () => output,
    workerPid() {
      if (worker) return worker;
      if (!options.worker) return (worker = child.pid!);
      const found = [child.pid!, ...descendants(child.pid!)].find((pid) => options.worker!.test(commandLine(pid)));
      if (!found) throw new Error(`${options.name}: no process matching ${options.worker} under pid ${child.pid}`);
      return (worker = found);
    },
    stop,
  };
}

export interface OurService extends RunningProcess {
  url: string;
  port: number;
}

/** Token-signing secret of the bench's service processes (NODE_ENV=production requires one). */
const BENCH_AUTH_SECRET = crypto.randomBytes(32).toString("base64url");

/**
 * The role our service's pool connects as, as deployed: it owns nothing, and start-up (with the
 * bench databases' owner in MIGRATION_DATABASE_URL) grants it what it needs. Roles are
 * cluster-wide: created once, the same password for every run.
 */
const SERVICE_ROLE = { name: "kaizhou_bench_service", password: "kaizhou-bench-service" };
let serviceRoleReady: Promise<void> | undefined;

async function asServiceRole(ownerUrl: string): Promise<string> {
  serviceRoleReady ??= ensureLoginRole(SERVER_URL, SERVICE_ROLE.name, SERVICE_ROLE.password);
  await serviceRoleReady;
  const url = new URL(ownerUrl);
  url.username = SERVICE_ROLE.name;
  url.password = SERVICE_ROLE.password;
  return url.toString();
}

/**
 * Our service as deployed: `npm start` with NODE_ENV=production, its own role's DATABASE_URL
 * beside the owner's MIGRATION_DATABASE_URL (`databaseUrl`), and PORT, no
 * seeding (the bench databases are seeded), the rate limit out of the way
 * (RATE_LIMIT_PER_MINUTE), request logging down to warnings (PostGraphile's query log is off
 * too), and the SQL statement count header on (it costs one counter per statement).
 */
export async function startOurService(databaseUrl: string, port: number, env: Record<string, string> = {}, checkout?: string): Promise<OurService> {
  fs.mkdirSync(path.join(WORK_DIR, "data"), { recursive: true });
  // BENCH_CPU_PROF=<dir>: the same start command with node's --cpu-prof (NODE_OPTIONS refuses it),
  // a .cpuprofile per service process in <dir> for finding where the time goes (another
  // checkout's, in an A/B run, in <dir>/<its folder name>).
  const profileDir = process.env.BENCH_CPU_PROF && (checkout ? path.join(process.env.BENCH_CPU_PROF, path.basename(checkout)) : process.env.BENCH_CPU_PROF);
  const running = await startProcess({
    name: checkout ? `our service from ${path.relative(ROOT, checkout)}` : "our service",
    command: profileDir ? process.execPath : "npm",
    args: profileDir
      ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`, "--max-semi-space-size=64", "--enable-source-maps", "-r", "./scripts/register.js", "src/main.ts"]
      : ["start", "--silent"],
    env: {
      NODE_ENV: "production",
      AUTH_SECRET: BENCH_AUTH_SECRET,
      DATABASE_URL: await asServiceRole(databaseUrl),
      MIGRATION_DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(WORK_DIR, "data"),
      SEED_ON_START: "false",
      RATE_LIMIT_PER_MINUTE: "1000000",
      EXPOSE_SQL_STATEMENT_COUNT: "true",
      LOG_LEVEL: "warn",
      ...env,
    },
    readyWhen: /(?:listening on|监听) http/,
    worker: /^(\S*\/)?node\s.*src\/main\.ts/,
    cwd: checkout, // another checkout of the service, for comparing two versions side by side
  });
  return Object.assign(running, { url: `http://127.0.0.1:${port}/graphql`, port });
}

export async function graphqlRequest<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; sqlStatements: number | null }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  const count = response.headers.get("x-sql-statements");
  return { ...body, sqlStatements: count === null ? null : Number(count) };
}

/** An access token for one of the bench accounts (BENCH_ACCOUNTS; the COMMANDER by default). */
export async function login(url: string, account: keyof typeof BENCH_ACCOUNTS = "commander"): Promise<string> {
  const { username, password } = BENCH_ACCOUNTS[account];
  return loginWith(url, username, password);
}

/** An access token for any account by its username and password (S7's township accounts). */
export async function loginWith(url: string, username: string, password: string): Promise<string> {
  const result = await graphqlRequest<{ login: { token: string | null; errors: unknown[] } }>(
    url,
    `mutation ($input: LoginInput!) { login(input: $input) { token errors { code message } } }`,
    { input: { username, password } },
  );
  const token = result.data?.login?.token;
  if (!token) throw new Error(`login as ${username} failed: ${JSON.stringify(result.errors ?? result.data)}`);
  return token;
}

