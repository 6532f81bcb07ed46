// A/B against an earlier commit (`npm run bench -- --base <git-rev> S1 S3`): the commit's files
// are exported with `git archive` into bench/.work/base-<sha>/ (git-ignored, no worktree
// registered in the repository), its dependencies installed there once with `npm ci`, and each
// scenario then measures this checkout against that one — two versions of our own service (S2:
// of its s2-server) on the same database with the same workload, in alternating rounds — in
// place of its usual peer. The checkout is reused while bench/.work/base-<sha>/.bench-ready exists.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, WORK_DIR } from "./processes";
import { log } from "./util";

export interface BaseCheckout {
  /** What was asked for on the command line, e.g. "e90b10e" or "HEAD~3". */
  rev: string;
  /** The full commit id it resolved to. */
  sha: string;
  /** The commit's first line, for the printout. */
  subject: string;
  /** Where its files and node_modules are. */
  dir: string;
}

const git = (args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The checkout of `rev` under bench/.work/, made and `npm ci`-ed the first time, reused after. */
export function ensureBaseCheckout(rev: string): BaseCheckout {
  let sha: string;
  try {
    sha = git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  } catch {
    throw new Error(`--base ${rev}: not a commit of this repository`);
  }
  const subject = git(["log", "-1", "--format=%s", sha]);
  const dir = path.join(WORK_DIR, `base-${sha.slice(0, 12)}`);
  const ready = path.join(dir, ".bench-ready");
  if (fs.existsSync(ready)) return { rev, sha, subject, dir };

  log(`A/B: exporting ${shortSha(sha)} (${subject}) into ${path.relative(ROOT, dir)} and running npm ci there (once per commit)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync("git", ["archive", "--format=tar", sha], { cwd: ROOT, maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  try {
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    throw new Error(`npm ci in ${dir} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(-1500)}`);
  }
  fs.writeFileSync(ready, `${sha}\n`);
  return { rev, sha, subject, dir };
}

/** How a result names the base side: "base e90b10e". */
export function baseName(base: BaseCheckout): string {
  return `base ${shortSha(base.sha)}`;
}
