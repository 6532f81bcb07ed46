// Another Node for a comparison that needs one (S1 against PostGraphile 5, which needs Node ≥ 22;
// ours runs on the same Node for it). The same approach as .ci/run's second test pass: the npm
// registry's package of the official build (node-linux-<arch> at the exact version .ci/run pins
// as CI_NODE_24_VERSION, read from there so the two never drift), installed once into the tools
// folder outside the repository (CI_TOOLS_DIR, default ~/.cache/kaizhou-ci) and reused. Nothing
// is committed; a smoke run never downloads it (`--install-peers` lets it).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./processes";
import { log } from "./util";

/** The Node 24 version .ci/run tests on. */
export function ciNode24Version(): string {
  const script = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
  const version = /^CI_NODE_24_VERSION=(\S+)$/m.exec(script)?.[1];
  if (!version) throw new Error(".ci/run names no CI_NODE_24_VERSION");
  return version;
}

export interface NodeRuntime {
  version: string;
  /** The folder holding `node`: put first on PATH, `npm start` runs on it. */
  binDir: string;
  node: string;
}

/** Node `version` from the tools folder, installing it when allowed; or why it is unavailable. */
export function ensureNode(version: string, allowInstall: boolean): NodeRuntime | { unavailable: string } {
  if (process.version === `v${version}`) return { version, binDir: path.dirname(process.execPath), node: process.execPath };
  const arch = { x64: "x64", arm64: "arm64" }[os.arch() as string];
  if (!arch) return { unavailable: `no Node package for ${os.arch()}` };
  const toolsDir = process.env.CI_TOOLS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "kaizhou-ci");
  const dir = path.join(toolsDir, `node-${version}-linux-${arch}`);
  const binDir = path.join(dir, "node_modules", `node-linux-${arch}`, "bin");
  const node = path.join(binDir, "node");
  const installed = () => {
    try {
      return execFileSync(node, ["--version"], { encoding: "utf8" }).trim() === `v${version}`;
    } catch {
      return false;
    }
  };
  if (installed()) return { version, binDir, node };
  if (!allowInstall) return { unavailable: `Node ${version} is not in ${dir} and smoke runs never download; \`npm run bench -- --install-peers\` (or any full run) installs node-linux-${arch}@${version} from the npm registry there, as .ci/run does.` };
  log(`installing node-linux-${arch}@${version} into ${dir} (npm registry)`);
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("npm", ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `node-linux-${arch}@${version}`], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    return { unavailable: `npm install node-linux-${arch}@${version} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 500)}` };
  }
  return installed() ? { version, binDir, node } : { unavailable: `node-linux-${arch}@${version} did not install into ${dir}` };
}

/** The Node version a running process executes (its /proc/<pid>/exe), e.g. "v24.22.3". */
export function nodeVersionOf(pid: number): string {
  const exe = fs.readlinkSync(`/proc/${pid}/exe`);
  return execFileSync(exe, ["--version"], { encoding: "utf8" }).trim();
}
