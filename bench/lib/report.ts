// Scenario results: one JSON file each (bench/results/<scenario>.json) and the generated part of
// bench/RESULTS.md (between <!-- results:Sx --> markers; the prose around them is written by hand).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { withClient, SERVER_URL } from "./databases";
import { ROOT, WORK_DIR } from "./processes";
import { round } from "./util";

export interface Case {
  /** What was measured, e.g. "township dashboard, 16 connections". */
  name: string;
  /** The metric and its unit, e.g. "req/s" or "p99 ms". */
  metric: string;
  higherIsBetter: boolean;
  ours: { median: number; samples: number[] };
  /** null when the peer could not run (see `peerUnavailable`). */
  peer: { median: number; samples: number[] } | null;
  /** ours ÷ peer of the medians. */
  ratio: number | null;
  /** The issue's target for the ratio, e.g. { atLeast: 1 } or { atMost: 2 }. */
  target?: { atLeast?: number; atMost?: number };
  met?: boolean | null;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
  note?: string;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  peerName: string;
  /**
   * Set in an A/B run (`--base <rev>`): the "peer" side is our own service as of that commit,
   * on the same database with the same workload, and the ratios are ours ÷ base.
   */
  ab?: { base: string; sha: string; subject: string };
  /** Why the peer half did not run, when it did not. */
  peerUnavailable?: string;
  mode: "full" | "smoke";
  startedAt: string;
  finishedAt: string;
  rounds: number;
  secondsPerRound: number;
  machine: Machine;
  versions: Record<string, string>;
  data: Record<string, unknown>;
  settings: Record<string, unknown>;
  cases: Case[];
  tables: Table[];
  checks: Array<{ name: string; passed: boolean; detail: string }>;
  notes: string[];
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    kernel: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}

/**
 * The part of a result every scenario fills alike, read when it finishes: mode, rounds, start
 * and end times, and the machine with its load average at the end.
 */
export function runFrame(ctx: { mode: "full" | "smoke"; rounds: number }, startedAt: string, machineAtStart: Machine) {
  return {
    mode: ctx.mode,
    startedAt,
    finishedAt: new Date().toISOString(),
    rounds: ctx.rounds,
    machine: { ...machineAtStart, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
  };
}

function packageVersion(dir: string, name: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

export async function versions(extra: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const postgres = await withClient(SERVER_URL, async (client) => (await client.query("SHOW server_version")).rows[0].server_version as string);
  const found: Record<string, string | undefined> = {
    node: process.version,
    postgresql: postgres,
    graphql: packageVersion(ROOT, "graphql"),
    "@apollo/server": packageVersion(ROOT, "@apollo/server"),
    "type-graphql": packageVersion(ROOT, "type-graphql"),
    typeorm: packageVersion(ROOT, "typeorm"),
    pg: packageVersion(ROOT, "pg"),
    "graphql-ws": packageVersion(ROOT, "graphql-ws"),
    ws: packageVersion(ROOT, "ws"),
    autocannon: packageVersion(ROOT, "autocannon"),
    ...extra,
  };
  return Object.fromEntries(Object.entries(found).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export function commandVersion(command: string, args = ["--version"]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

export function ratio(ours: number, peer: number | null | undefined): number | null {
  if (peer === null || peer === undefined || !peer) return null;
  return round(ours / peer, 2);
}

export function judge(c: Case): Case {
  if (!c.target || c.ratio === null) return { ...c, met: c.target ? null : undefined };
  const met = (c.target.atLeast === undefined || c.ratio >= c.target.atLeast) && (c.target.atMost === undefined || c.ratio <= c.target.atMost);
  return { ...c, met };
}

export const RESULTS_DIR = path.join(ROOT, "bench", "results");
export const SMOKE_RESULTS_DIR = path.join(WORK_DIR, "smoke-results");
const RESULTS_MD = path.join(ROOT, "bench", "RESULTS.md");

/** A/B runs (any mode) write bench/.work/ab-results/<base sha>/, never the committed results. */
export const AB_RESULTS_DIR = path.join(WORK_DIR, "ab-results");

/**
 * Full runs write bench/results/ and RESULTS.md; smoke runs write only under bench/.work/; A/B
 * runs under bench/.work/ab-results/ (their numbers go into RESULTS.md by hand, with the verdict).
 */
export function writeResult(result: ScenarioResult): string {
  const dir = result.ab ? path.join(AB_RESULTS_DIR, `${result.ab.sha.slice(0, 12)}${result.mode === "smoke" ? "-smoke" : ""}`) : result.mode === "full" ? RESULTS_DIR : SMOKE_RESULTS_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const stamp = result.ab ? `-${result.startedAt.replace(/[:.]/g, "").slice(0, 15)}` : "";
  const file = path.join(dir, `${result.scenario}${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  if (result.mode === "full" && !result.ab) updateResultsMarkdown(result);
  return file;
}

const cell = (value: string | number | null | undefined) => (value === null || value === undefined ? "—" : String(value));

function targetText(c: Case): string {
  if (!c.target) return "—";
  if (c.target.atLeast !== undefined) return `≥ ${c.target.atLeast}×`;
  return `≤ ${c.target.atMost}×`;
}

function metText(c: Case): string {
  if (c.met === undefined) return "";
  if (c.met === null) return "not measured";
  return c.met ? "met" : "**missed**";
}

/** In an A/B result: "k of n" rounds where ours beat the base in the round run right after it. */
function roundsAhead(c: Case): string {
  const peer = c.peer?.samples ?? [];
  const pairs = Math.min(c.ours.samples.length, peer.length);
  let ahead = 0;
  for (let i = 0; i < pairs; i++) if (c.higherIsBetter ? c.ours.samples[i] > peer[i] : c.ours.samples[i] < peer[i]) ahead++;
  return `${ahead} of ${pairs}`;
}

export function renderMarkdown(result: ScenarioResult): string {
  const lines: string[] = [];
  const m = result.machine;
  lines.push(
    `Run ${result.startedAt.slice(0, 16).replace("T", " ")} UTC (${result.mode}), ${m.cores} × ${m.cpuModel}, ${m.memoryGb} GB; load average ${m.loadAverageAtStart.join(" / ")} at start` +
      (m.loadAverageAtEnd ? `, ${m.loadAverageAtEnd.join(" / ")} at end` : "") +
      // A round is a time (most scenarios) or a number of events (S4, whose rounds are changes).
      `. ${result.rounds} rounds${result.peerName === "none" ? "" : ` per side, alternating ${result.ab ? "ours/base" : "ours/peer"}`}${Number.isFinite(result.secondsPerRound) ? `, ${result.secondsPerRound} s each` : ""}; medians shown.`,
  );
  lines.push("");
  if (result.ab) lines.push(`**A/B against ${result.ab.sha.slice(0, 7)}** (\`--base ${result.ab.base}\`: ${result.ab.subject}): the peer did not run; "${result.peerName}" is our own service as of that commit, on the same database with the same workload.`, "");
  if (result.peerUnavailable) lines.push(`Peer unavailable: ${result.peerUnavailable}`, "");
  if (result.cases.length) {
    lines.push(`| case | metric | ours | ${result.peerName} | ours ÷ ${result.ab ? "base" : "peer"} | target | |`);
    lines.push("|---|---|---:|---:|---:|---|---|");
    for (const c of result.cases) {
      lines.push(`| ${c.name} | ${c.metric} | ${cell(c.ours.median)} | ${cell(c.peer?.median)} | ${cell(c.ratio)} | ${targetText(c)} | ${metText(c)} |`);
    }
    lines.push("");
    if (result.ab) {
      lines.push(`Samples in round order (ours | ${result.peerName}), and in how many alternating rounds ours was ahead:`, "");
      for (const c of result.cases) lines.push(`- ${c.name}: ${c.ours.samples.join(", ")} | ${c.peer?.samples.join(", ") ?? "—"}; ours ahead in ${roundsAhead(c)}`);
      lines.push("");
    }
  }
  for (const table of result.tables) {
    lines.push(`**${table.title}**`, "");
    lines.push(`| ${table.columns.join(" | ")} |`);
    lines.push(`|${table.columns.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
    for (const row of table.rows) lines.push(`| ${row.map(cell).join(" | ")} |`);
    if (table.note) lines.push("", table.note);
    lines.push("");
  }
  if (result.checks.length) {
    lines.push(`Checks: ${result.checks.map((c) => `${c.passed ? "✔" : "✘"} ${c.name}`).join("; ")}.`, "");
  }
  const data = Object.entries(result.data)
    .map(([k, v]) => `${k} ${typeof v === "object" ? JSON.stringify(v) : v}`)
    .join(", ");
  lines.push(`Data: ${data}. Versions: ${Object.entries(result.versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`);
  for (const note of result.notes) lines.push("", note);
  return lines.join("\n");
}

function updateResultsMarkdown(result: ScenarioResult): void {
  const start = `<!-- results:${result.scenario} -->`;
  const end = `<!-- /results:${result.scenario} -->`;
  let text = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, "utf8") : "# Benchmark results\n";
  const block = `${start}\n${renderMarkdown(result)}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n## ${result.scenario}: ${result.title}\n\n${block}\n`;
  fs.writeFileSync(RESULTS_MD, text);
}
