// S2 — the cost of our GraphQL layer with no database: our type-graphql schema and resolver
// classes vs the same resolvers written in plain graphql-js, both served by the same Apollo
// Server setup over one in-memory data set (bench/servers/s2-server.ts). Both answers are
// checked to be byte-for-byte the same before measuring.
// A/B (`--base <rev>`): the plain server does not run; the base checkout's own s2-server in its
// "ours" mode (its type-graphql schema and resolvers, started from its folder) stands in for it.
import path from "node:path";
import { toGlobalId } from "../../src/core/graphql/relay";
import type { RunContext } from "../lib/context";
import { cloneDatabase, ensureTemplate, withClient } from "../lib/databases";
import { alternate, httpLoad, medianOf } from "../lib/measure";
import { ROOT, startProcess, type RunningProcess } from "../lib/processes";
import { judge, machine, ratio, runFrame, versions, type Case, type ScenarioResult } from "../lib/report";
import { check, freePort } from "../lib/util";
import { OURS_SITES } from "../queries/s1";

const CONNECTIONS = 8;

async function startS2Server(mode: "ours" | "plain", url: string, checkout = ROOT): Promise<RunningProcess & { url: string }> {
  const port = await freePort();
  const running = await startProcess({
    name: `S2 ${mode} server${checkout === ROOT ? "" : ` from ${path.relative(ROOT, checkout)}`}`,
    command: process.execPath,
    args: ["--max-semi-space-size=64", "-r", "./scripts/register.js", path.join("bench", "servers", "s2-server.ts"), mode, String(port), url],
    cwd: checkout,
    env: { NODE_ENV: "production" },
    readyWhen: /listening on|监听 http/,
  });
  return Object.assign(running, { url: `http://127.0.0.1:${port}/graphql` });
}

export async function runS2(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const dataset = await ensureTemplate(1, ctx.databasePrefix);
  const url = await cloneDatabase(dataset.template, `${ctx.databasePrefix}_s2`);
  const ids = await withClient(url, async (client) => ({
    district: (await client.query("SELECT id FROM region WHERE code = 'KZ'")).rows[0].id as number,
    township: (await client.query("SELECT id FROM region WHERE code = 'KZ-S01'")).rows[0].id as number,
  }));
  const processes: RunningProcess[] = [];
  const checks: ScenarioResult["checks"] = [];
  try {
    const ours = await startS2Server("ours", url);
    processes.push(ours);
    const plain = ctx.base ? await startS2Server("ours", url, ctx.base.dir) : await startS2Server("plain", url);
    processes.push(plain);

    const reads = [
      { name: "district page: 100 sites → 1,900 levels → item", variables: { region: toGlobalId("Region", ids.district), first: 100 } },
      { name: "township KZ-S01: 11 sites → 206 levels → item", variables: { region: toGlobalId("Region", ids.township), first: 100 } },
    ];
    const seconds = ctx.seconds(4);
    const cases: Case[] = [];
    const latency: Array<Array<string | number | null>> = [];
    for (const read of reads) {
      const body = JSON.stringify({ query: OURS_SITES, variables: read.variables });
      const answers = await Promise.all(
        [ours, plain].map(async (server) => {
          const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body });
          return response.text();
        }),
      );
      check(!JSON.parse(answers[0]).errors, `S2 ours: ${answers[0].slice(0, 300)}`);
      const same = answers[0] === answers[1];
      checks.push({ name: `${read.name}: ${ctx.base ? `the base (${ctx.base.sha.slice(0, 7)})` : "plain graphql-js"} answers byte for byte as ours`, passed: same, detail: `${answers[0].length} bytes` });
      check(same, `S2: the two servers answer differently:\n${answers[0].slice(0, 300)}\n${answers[1].slice(0, 300)}`);

      const run = (side: "ours" | "peer", s: number) => httpLoad({ url: side === "ours" ? ours.url : plain.url, body, connections: CONNECTIONS, seconds: s });
      const samples = await alternate(`S2 ${read.name}`, ctx.rounds, (side) => run(side, seconds), (side) => run(side, ctx.warmupSeconds));
      const oursRps = medianOf(samples.ours, (s) => s.rps);
      const peerRps = medianOf(samples.peer, (s) => s.rps);
      cases.push(
        judge({
          name: `${read.name}, ${CONNECTIONS} connections`,
          metric: "req/s",
          higherIsBetter: true,
          ours: { median: oursRps, samples: samples.ours.map((s) => s.rps) },
          peer: { median: peerRps, samples: samples.peer.map((s) => s.rps) },
          ratio: ratio(oursRps, peerRps),
          target: { atLeast: 0.85 },
        }),
      );
      latency.push([read.name, medianOf(samples.ours, (s) => s.p50), medianOf(samples.ours, (s) => s.p99), medianOf(samples.peer, (s) => s.p50), medianOf(samples.peer, (s) => s.p99)]);
    }
    return {
      scenario: "S2",
      title: "GraphQL layer cost without a database vs plain graphql-js",
      peerName: "plain graphql-js",
      ...runFrame(ctx, startedAt, machineInfo),
      secondsPerRound: seconds,
      versions: await versions(),
      data: { sites: dataset.sites, stockLevels: dataset.stockLevels, items: dataset.items, source: "in memory (loaded once from the 1× bench database)" },
      settings: { connections: CONNECTIONS, server: "Apollo Server 5 + express 5, landing page and cache control off, NODE_ENV=production, --max-semi-space-size=64" },
      cases,
      tables: [{ title: "Latency at the same load (ms, medians of the rounds)", columns: ["read", "ours p50", "ours p99", ...(ctx.base ? ["base p50", "base p99"] : ["plain p50", "plain p99"])], rows: latency }],
      checks,
      notes: [],
    };
  } finally {
    for (const running of processes.reverse()) await running.stop();
  }
}
