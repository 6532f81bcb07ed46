// `npm run bench` — every scenario (S1–S5, S7), about twenty minutes on 2 cores;
// `npm run bench -- S1 S3` — some of them; `npm run bench -- --smoke` — every scenario for a few
// seconds, checking that each produces numbers and that its correctness checks hold (CI runs
// this; it writes nothing under bench/results and drops its databases afterwards).
// Options: --install-peers (smoke: install missing peers instead of reporting them unavailable),
// --keep-databases (smoke: keep the smoke databases for a quicker next run),
// --base <git-rev> (A/B: S1–S4 measure this checkout against that commit of our own service,
// checked out once into bench/.work/base-<sha>/, in place of their peers; results go to
// bench/.work/ab-results/, never bench/results; S5 has no peer and refuses it),
// --rounds <n> (rounds per side; default 5, 7 with --base, 2 with --smoke).
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_CPU_PROF=<dir> (profile our service processes with node --cpu-prof).
import "reflect-metadata";
import { baseName, ensureBaseCheckout, shortSha, type BaseCheckout } from "./lib/base";
import type { RunContext } from "./lib/context";
import { dropDatabasesWithPrefix } from "./lib/databases";
import { renderMarkdown, writeResult, type ScenarioResult } from "./lib/report";
import { log } from "./lib/util";
import { runS1 } from "./scenarios/s1-dashboard";
import { runS2 } from "./scenarios/s2-graphql-layer";
import { runS3 } from "./scenarios/s3-allocation";
import { runS4 } from "./scenarios/s4-fanout";
import { runS5 } from "./scenarios/s5-growth";
import { runS7 } from "./scenarios/s7-flood";

const SCENARIOS: Record<string, { title: string; run: (ctx: RunContext) => Promise<ScenarioResult> }> = {
  S1: { title: "dashboard reads vs PostGraphile 4", run: runS1 },
  S2: { title: "GraphQL layer cost vs plain graphql-js", run: runS2 },
  S3: { title: "allocation surge vs pgbench", run: runS3 },
  S4: { title: "live fan-out vs a raw ws broadcast", run: runS4 },
  S5: { title: "growth: 1×, 10×, 100× the district vs our own 1×", run: runS5 },
  S7: { title: "a flood day at city scale: 10 districts, writers, subscribers and walls at once (no peer)", run: runS7 },
};

/** Scenarios that can run as an A/B against an earlier commit (S5's reference is our own 1× run). */
const AB_SCENARIOS = ["S1", "S2", "S3", "S4"];

function parseArgs(argv: string[]) {
  const flags = new Set<string>();
  const values: Record<string, string> = {};
  const names: string[] = [];
  const withValue = new Set(["--base", "--rounds"]);
  const known = new Set(["--smoke", "--install-peers", "--keep-databases", ...withValue]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      names.push(arg.toUpperCase());
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (!known.has(flag)) throw new Error(`unknown option ${flag} (known: ${[...known].join(", ")})`);
    if (withValue.has(flag)) {
      const value = inline ?? argv[++i];
      if (!value || value.startsWith("--")) throw new Error(`${flag} needs a value`);
      values[flag] = value;
    } else flags.add(flag);
  }
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name} (known: ${Object.keys(SCENARIOS).join(", ")})`);
  const base = values["--base"];
  const chosen = names.length ? names : base ? AB_SCENARIOS : Object.keys(SCENARIOS);
  if (base) for (const name of chosen) if (!AB_SCENARIOS.includes(name)) throw new Error(`--base: ${name} has no peer to stand in for (A/B scenarios: ${AB_SCENARIOS.join(", ")})`);
  const rounds = values["--rounds"] === undefined ? undefined : Number(values["--rounds"]);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds ${values["--rounds"]}: a whole number ≥ 1`);
  return { smoke: flags.has("--smoke"), installPeers: flags.has("--install-peers"), keepDatabases: flags.has("--keep-databases"), base, rounds, names: chosen };
}

/** In an A/B run the issue's targets (written against peers) do not apply to ours ÷ base. */
function asAbResult(result: ScenarioResult, base: BaseCheckout): ScenarioResult {
  return {
    ...result,
    ab: { base: base.rev, sha: base.sha, subject: base.subject },
    title: `${result.title.split(" vs ")[0]}: ours vs ${baseName(base)}`,
    peerName: baseName(base),
    peerUnavailable: undefined,
    cases: result.cases.map((c) => ({ ...c, target: undefined, met: undefined })),
  };
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
  const base = args.base ? ensureBaseCheckout(args.base) : undefined;
  const ctx: RunContext = args.smoke
    ? { mode: "smoke", rounds: args.rounds ?? 2, seconds: () => 1, warmupSeconds: 0.5, allowPeerInstall: args.installPeers, databasePrefix: "kaizhou_bench_smoke", base }
    : { mode: "full", rounds: args.rounds ?? (base ? 7 : 5), seconds: (full) => full, warmupSeconds: 2, allowPeerInstall: true, databasePrefix: "kaizhou_bench", base };
  if (base) log(`A/B: this checkout against ${shortSha(base.sha)} (${base.subject}), ${ctx.rounds} alternating rounds per side; the peers do not run`);
  const started = Date.now();
  const failures: string[] = [];
  try {
    for (const name of args.names) {
      log(`${name}: ${base ? `A/B against ${shortSha(base.sha)}` : SCENARIOS[name].title} (${ctx.mode})`);
      try {
        const measured = await SCENARIOS[name].run(ctx);
        const result = base ? asAbResult(measured, base) : measured;
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
