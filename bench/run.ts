// `npm run bench` — every scenario (S1–S5), thirteen to sixteen minutes on 2 cores;
// `npm run bench -- S1 S3` — some of them; `npm run bench -- --smoke` — every scenario for a few
// seconds, checking that each produces numbers and that its correctness checks hold (CI runs
// this; it writes nothing under bench/results and drops its databases afterwards).
// Options: --install-peers (smoke: install missing peers instead of reporting them unavailable),
// --keep-databases (smoke: keep the smoke databases for a quicker next run).
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_CPU_PROF=<dir> (profile our service processes with node --cpu-prof).
import "reflect-metadata";
import type { RunContext } from "./lib/context";
import { dropDatabasesWithPrefix } from "./lib/databases";
import { renderMarkdown, writeResult, type ScenarioResult } from "./lib/report";
import { log } from "./lib/util";
import { runS1 } from "./scenarios/s1-dashboard";
import { runS2 } from "./scenarios/s2-graphql-layer";
import { runS3 } from "./scenarios/s3-allocation";
import { runS4 } from "./scenarios/s4-fanout";
import { runS5 } from "./scenarios/s5-growth";

const SCENARIOS: Record<string, { title: string; run: (ctx: RunContext) => Promise<ScenarioResult> }> = {
  S1: { title: "dashboard reads vs PostGraphile 4", run: runS1 },
  S2: { title: "GraphQL layer cost vs plain graphql-js", run: runS2 },
  S3: { title: "allocation surge vs pgbench", run: runS3 },
  S4: { title: "live fan-out vs a raw ws broadcast", run: runS4 },
  S5: { title: "growth: 1×, 10×, 100× the district vs our own 1×", run: runS5 },
};

function parseArgs(argv: string[]) {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const names = argv.filter((a) => !a.startsWith("--")).map((a) => a.toUpperCase());
  const known = new Set(["--smoke", "--install-peers", "--keep-databases"]);
  for (const flag of flags) if (!known.has(flag)) throw new Error(`unknown option ${flag} (known: ${[...known].join(", ")})`);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name} (known: ${Object.keys(SCENARIOS).join(", ")})`);
  return { smoke: flags.has("--smoke"), installPeers: flags.has("--install-peers"), keepDatabases: flags.has("--keep-databases"), names: names.length ? names : Object.keys(SCENARIOS) };
}

/** A smoke run passes when every case has a number for ours, and for the peer unless it was unavailable. */
function producedNumbers(result: ScenarioResult): string[] {
  const problems: string[] = [];
  if (!result.cases.length && !result.tables.length) problems.push("no cases and no tables");
  for (const c of result.cases) {
    if (!(Number.isFinite(c.ours.median) && c.ours.median > 0)) problems.push(`${c.name}: ours has no number`);
    if (!result.peerUnavailable && !(c.peer && Number.isFinite(c.peer.median) && c.peer.median > 0)) problems.push(`${c.name}: the peer has no number`);
  }
  for (const check of result.checks) if (!check.passed) problems.push(`check failed: ${check.name} (${check.detail})`);
  return problems;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  process.on("SIGINT", () => process.exit(130));
  process.on("SIGTERM", () => process.exit(143));
  const ctx: RunContext = args.smoke
    ? { mode: "smoke", rounds: 2, seconds: () => 1, warmupSeconds: 0.5, allowPeerInstall: args.installPeers, databasePrefix: "kaizhou_bench_smoke" }
    : { mode: "full", rounds: 5, seconds: (full) => full, warmupSeconds: 2, allowPeerInstall: true, databasePrefix: "kaizhou_bench" };
  const started = Date.now();
  const failures: string[] = [];
  try {
    for (const name of args.names) {
      log(`${name}: ${SCENARIOS[name].title} (${ctx.mode})`);
      try {
        const result = await SCENARIOS[name].run(ctx);
        const file = writeResult(result);
        console.log(`\n## ${name}: ${result.title}\n\n${renderMarkdown(result)}\n\n(${file})\n`);
        if (ctx.mode === "smoke") failures.push(...producedNumbers(result).map((p) => `${name}: ${p}`));
      } catch (error) {
        failures.push(`${name}: ${(error as Error).stack ?? error}`);
        log(`${name} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    if (ctx.mode === "smoke" && !args.keepDatabases) await dropDatabasesWithPrefix(ctx.databasePrefix);
  }
  log(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
  if (failures.length) {
    console.error(`\nFAILED:\n${failures.map((f) => `- ${f}`).join("\n")}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
