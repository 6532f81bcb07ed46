// Peers installed by the harness itself into bench/.peers/ (gitignored, never committed).
// A full run installs what is missing from the npm registry; a smoke run never downloads
// (CI must not depend on the network at run time) and reports the peer as unavailable instead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, startProcess, type RunningProcess } from "./processes";
import { log } from "./util";

export const PEERS_DIR = path.join(ROOT, "bench", ".peers");
export const POSTGRAPHILE_SPEC = "postgraphile@4.14.1";
/** PostGraphile 5 (Grafast), in a folder of its own: both generations are the package `postgraphile`. */
export const POSTGRAPHILE5_SPEC = "postgraphile@5.1.5";
export const POSTGRAPHILE5_DIR = path.join(PEERS_DIR, "postgraphile5");

export function installedVersion(name: string, dir = PEERS_DIR): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** The PostGraphile 4 version in bench/.peers, installing it when allowed; or why it is unavailable. */
export function ensurePostGraphile(allowInstall: boolean): { version: string } | { unavailable: string } {
  return ensurePeer(POSTGRAPHILE_SPEC, PEERS_DIR, allowInstall);
}

/** The PostGraphile 5 version in bench/.peers/postgraphile5, installing it when allowed. */
export function ensurePostGraphile5(allowInstall: boolean): { version: string } | { unavailable: string } {
  return ensurePeer(POSTGRAPHILE5_SPEC, POSTGRAPHILE5_DIR, allowInstall);
}

function ensurePeer(spec: string, dir: string, allowInstall: boolean): { version: string } | { unavailable: string } {
  const where = path.relative(ROOT, dir);
  const present = installedVersion("postgraphile", dir);
  if (present) return { version: present };
  if (!allowInstall) {
    return { unavailable: `${spec} is not installed in ${where} and smoke runs never download; \`npm run bench -- --install-peers\` (or any full run) installs it.` };
  }
  log(`installing ${spec} into ${where} (npm registry)`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--save-exact", spec], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    return { unavailable: `npm install ${spec} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 500)}` };
  }
  const version = installedVersion("postgraphile", dir);
  return version ? { version } : { unavailable: `${spec} did not install into ${where}` };
}

/**
 * PostGraphile 4 on the same database, as its docs advise for production: query log off,
 * NODE_ENV=production, the same pool size as ours (10).
 */
export async function startPostGraphile(databaseUrl: string, port: number, options: { jwtSecret?: string } = {}): Promise<RunningProcess & { url: string }> {
  const running = await startProcess({
    name: "PostGraphile",
    command: process.execPath,
    args: [
      path.join(PEERS_DIR, "node_modules", "postgraphile", "cli.js"),
      "--connection", databaseUrl,
      "--schema", "public",
      "--host", "127.0.0.1",
      "--port", String(port),
      "--disable-query-log",
      "--disable-graphiql",
      "--max-pool-size", "10",
      // S3: requests carry a JWT, verified with this secret; its claims reach SQL as jwt.claims.*.
      ...(options.jwtSecret ? ["--jwt-secret", options.jwtSecret] : []),
    ],
    env: { NODE_ENV: "production" },
    readyWhen: /server listening on port/,
  });
  return Object.assign(running, { url: `http://127.0.0.1:${port}/graphql` });
}

/**
 * PostGraphile 5 on the same database, on the given Node (≥ 22): its CLI with
 * bench/peers/postgraphile5.config.mjs, copied next to the installed peer so its imports resolve
 * there; GRAPHILE_ENV=production, the same pool size (10), no GraphiQL or explain.
 */
export async function startPostGraphile5(databaseUrl: string, port: number, node: string): Promise<RunningProcess & { url: string }> {
  fs.copyFileSync(path.join(ROOT, "bench", "peers", "postgraphile5.config.mjs"), path.join(POSTGRAPHILE5_DIR, "graphile.config.mjs"));
  const running = await startProcess({
    name: "PostGraphile 5",
    command: node,
    args: [path.join(POSTGRAPHILE5_DIR, "node_modules", "postgraphile", "dist", "cli-run.js"), "-C", "graphile.config.mjs"],
    cwd: POSTGRAPHILE5_DIR,
    env: { NODE_ENV: "production", GRAPHILE_ENV: "production", BENCH_PG5_DATABASE_URL: databaseUrl, BENCH_PG5_PORT: String(port) },
    readyWhen: /Server listening/,
  });
  return Object.assign(running, { url: `http://127.0.0.1:${port}/graphql` });
}
