// A PgBouncer of the test's own in transaction pooling mode, on a free local port, in front of a
// PostgreSQL server: Debian's package (/usr/sbin/pgbouncer, which .ci/run installs). Every
// database name is passed through (the `*` entry), so each test file's database is reached as is.
// PgBouncer before 1.21 cannot keep named prepared statements in transaction mode; from 1.21,
// max_prepared_statements is set and they can stay on (README "PgBouncer").
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { embeddedServerTools } from "../../src/core/db/embedded-postgres";
import { atLocalPort, freePort, tempDir } from "./cluster";

const CANDIDATES = ["pgbouncer", "/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer", "/usr/bin/pgbouncer"];

export interface PgbouncerBinary {
  path: string;
  /** [major, minor]. */
  version: [number, number];
}

export function findPgbouncer(): PgbouncerBinary | undefined {
  for (const candidate of CANDIDATES) {
    const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) continue;
    const match = /PgBouncer (\d+)\.(\d+)/.exec(probe.stdout);
    if (match) return { path: candidate, version: [Number(match[1]), Number(match[2])] };
  }
  return undefined;
}

/** Why no PgBouncer can be started here, or undefined when one can. */
export function pgbouncerMissing(): string | undefined {
  return findPgbouncer() ? undefined : "pgbouncer is not installed (Debian: apt-get install pgbouncer; .ci/run installs it)";
}

/** Whether this PgBouncer keeps named statements across server connections (1.21+, max_prepared_statements). */
export function keepsPreparedStatements(binary: PgbouncerBinary): boolean {
  const [major, minor] = binary.version;
  return major > 1 || minor >= 21;
}

export interface TestPgbouncer {
  port: number;
  binary: PgbouncerBinary;
  /** `url` (a postgres:// URL of the upstream server) with PgBouncer's host and port instead. */
  via(url: string): string;
  stop(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * PgBouncer in transaction mode in front of `upstream` (host and port of a PostgreSQL URL), for
 * the logins in `users` (name → password). statement_timeout is a startup parameter PgBouncer
 * does not pass on: it is ignored here (in production, set it on the role; README "PgBouncer").
 */
export async function startPgbouncer(upstream: string, users: Record<string, string>, options: { poolSize?: number } = {}): Promise<TestPgbouncer> {
  const binary = findPgbouncer();
  if (!binary) throw new Error(pgbouncerMissing());
  const { hostname: host, port: upstreamPort } = new URL(upstream);
  const dir = tempDir("kaizhou-pgbouncer");
  const port = await freePort();
  const userlist = Object.entries(users).map(([name, password]) => `"${name}" "${password.replace(/"/g, '""')}"`).join("\n");
  fs.writeFileSync(path.join(dir, "userlist.txt"), `${userlist}\n`, { mode: 0o644 });
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${host} port=${upstreamPort || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = scram-sha-256",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 500",
      `default_pool_size = ${options.poolSize ?? 20}`,
      "ignore_startup_parameters = statement_timeout,extra_float_digits,options",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      ...(keepsPreparedStatements(binary) ? ["max_prepared_statements = 200"] : []),
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  // PgBouncer refuses to run as root: as root, it runs as the embedded database's OS user.
  const { user } = await embeddedServerTools();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const child: ChildProcess = spawn(binary.path, [path.join(dir, "pgbouncer.ini")], { uid: user?.uid, gid: user?.gid, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      const log = fs.existsSync(path.join(dir, "pgbouncer.log")) ? fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8") : "";
      throw new Error(`pgbouncer did not start: ${stderr}${log}`.slice(-2000));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    binary,
    via: (url) => atLocalPort(url, port),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
