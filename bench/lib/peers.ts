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

export function installedVersion(name: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(PEERS_DIR, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** The PostGraphile 4 version in bench/.peers, installing it when allowed; or why it is unavailable. */
export function ensurePostGraphile(allowInstall: boolean): { version: string } | { unavailable: string } {
  const present = installedVersion("postgraphile");
  if (present) return { version: present };
  if (!allowInstall) {
    return { unavailable: `PostGraphile is not installed in bench/.peers and smoke runs never download; \`npm run bench -- --install-peers\` (or any full run) installs ${POSTGRAPHILE_SPEC}.` };
  }
  log(`installing ${POSTGRAPHILE_SPEC} into bench/.peers (npm registry)`);
  try {
    fs.mkdirSync(PEERS_DIR, { recursive: true });
    execFileSync("npm", ["install", "--prefix", PEERS_DIR, "--no-audit", "--no-fund", "--save-exact", POSTGRAPHILE_SPEC], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    return { unavailable: `npm install ${POSTGRAPHILE_SPEC} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 500)}` };
  }
  const version = installedVersion("postgraphile");
  return version ? { version } : { unavailable: `${POSTGRAPHILE_SPEC} did not install into bench/.peers` };
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
