// S5 — growth: the same reads on 1×, 10× and 100× the district (576, 5,760 and 57,600 sites;
// the copies are other districts in the same database, bench/lib/scale.ts), against our own 1×
// run. Reads: one township's sites → stock levels → item (S1's read); `stockLevels` page 1 and
// page 1,000 of the whole database (keyset cursors, pages of 10, so page 1,000 exists at every
// size); `stockSummary` of the Kaizhou district, whose own data does not grow; and
// `stockSummary` of the whole database, whose data grows with the size.
//
// One service per size runs at the same time, each on its own clone of its template, and the
// rounds go 1×, 10×, 100×, 1×, … so drift on a busy machine lands on every size alike. Before
// measuring, each size's answers are checked: the township and the Kaizhou summary are the same
// at every size, page 1,000 holds the same 10 levels everywhere, the whole-database totals are
// the size times the 1× totals, and the SQL statements per request do not change with the size.
import { toGlobalId } from "../../src/core/graphql/relay";
import type { RunContext } from "../lib/context";
import { cloneDatabase, dropDatabase, ensureTemplate, withClient, type DatasetInfo } from "../lib/databases";
import { httpLoad, medianOf, type HttpSample } from "../lib/measure";
import { graphqlRequest, login, startOurService, type OurService } from "../lib/processes";
import { judge, machine, ratio, runFrame, versions, type Case, type ScenarioResult, type Table } from "../lib/report";
import { check, freePort, log, round } from "../lib/util";
import { OURS_SITES } from "../queries/s1";
import { ALL_SUMMARY, DISTRICT_SUMMARY, LEVELS_PAGE } from "../queries/s5";

const CONNECTIONS = 4;
/**
 * The whole-database summary aggregates every district: at 100× one request takes seconds, so
 * it runs on one connection, each round long enough for about MIN_REQUESTS of them.
 */
const SLOW_READS: Partial<Record<ReadKey, { connections: number }>> = { allSummary: { connections: 1 } };
const MIN_REQUESTS = 3;
const TOWNSHIP_CODE = "KZ-S01"; // 汉丰街道, the district seat: the largest township (as in S1)
const PAGE_SIZE = 10;
const DEEP_PAGE = 1000;
/** "Flat": p99 at N× at most this many times p99 at 1× (and page 1,000 vs page 1). */
const FLAT = 1.5;

type ReadKey = "township" | "page1" | "pageDeep" | "districtSummary" | "allSummary";
const READS: ReadKey[] = ["township", "page1", "pageDeep", "districtSummary", "allSummary"];

interface Size {
  scale: number;
  dataset: DatasetInfo;
  database: string;
  service: OurService;
  token: string;
  bodies: Record<ReadKey, string>;
  statements: Record<ReadKey, number>;
  /** One request alone, ms (the second of two). */
  singleMs: Record<ReadKey, number>;
  /** What each read answered, for the cross-size checks. */
  answers: {
    township: string;
    townshipSites: number;
    townshipLevels: number;
    deepPageIds: string[];
    deepPageHasNext: boolean;
    districtSummary: string;
    allOnHand: number;
    allSites: number;
  };
  samples: Record<ReadKey, HttpSample[]>;
}

const label = (scale: number) => `${scale}×`;

let lastMs = 0;

function requestBody(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}

async function ask(size: { service: OurService; token: string; scale: number }, what: string, query: string, variables: Record<string, unknown>) {
  const started = performance.now();
  const response = await graphqlRequest(size.service.url, query, variables, size.token);
  lastMs = performance.now() - started;
  check(!response.errors, `${label(size.scale)}: ${what} failed: ${JSON.stringify(response.errors)}`);
  check(response.sqlStatements !== null, `${label(size.scale)}: ${what}: no x-sql-statements header`);
  return response as { data: any; sqlStatements: number };
}

/** Starts a service on a clone of the size's template and reads every answer once. */
async function prepare(ctx: RunContext, scale: number, started: OurService[]): Promise<Size> {
  const dataset = await ensureTemplate(scale, ctx.databasePrefix);
  const database = `${ctx.databasePrefix}_s5_${scale}x`;
  const url = await cloneDatabase(dataset.template, database);
  const ids = await withClient(url, async (client) => ({
    district: (await client.query("SELECT id FROM region WHERE code = 'KZ'")).rows[0].id as number,
    township: (await client.query("SELECT id FROM region WHERE code = $1", [TOWNSHIP_CODE])).rows[0].id as number,
  }));
  const service = await startOurService(url, await freePort());
  started.push(service);
  const token = await login(service.url);
  const size = { scale, service, token };

  const townshipVars = { region: toGlobalId("Region", ids.township), first: 100, after: null };
  const township = await ask(size, "township read", OURS_SITES, townshipVars);
  const townshipLevels = township.data.storageSites.nodes.flatMap((site: any) => site.stock.nodes);

  // Walk the cursors to page 1,000 (pages of 100 up to the row before it: a keyset cursor is the
  // last row's key, so it is the same cursor as 999 pages of 10 would give).
  const page1Vars = { first: PAGE_SIZE, after: null };
  const page1 = await ask(size, "stockLevels page 1", LEVELS_PAGE, page1Vars);
  check(page1.data.stockLevels.nodes.length === PAGE_SIZE, `${label(scale)}: stockLevels page 1 has ${page1.data.stockLevels.nodes.length} rows`);
  let after: string | null = null;
  for (let skipped = 0, target = (DEEP_PAGE - 1) * PAGE_SIZE; skipped < target; ) {
    const first = Math.min(100, target - skipped);
    const step = await ask(size, `stockLevels walk after ${skipped} rows`, LEVELS_PAGE, { first, after });
    const connection = step.data.stockLevels;
    check(connection.nodes.length === first && connection.pageInfo.hasNextPage, `${label(scale)}: stockLevels ends after ${skipped + connection.nodes.length} rows, before page ${DEEP_PAGE} of ${PAGE_SIZE}`);
    skipped += first;
    after = connection.pageInfo.endCursor;
  }
  const deepVars = { first: PAGE_SIZE, after };
  const deep = await ask(size, `stockLevels page ${DEEP_PAGE}`, LEVELS_PAGE, deepVars);

  const districtVars = { region: toGlobalId("Region", ids.district) };
  const districtSummary = await ask(size, "district stockSummary", DISTRICT_SUMMARY, districtVars);
  await ask(size, "whole-database stockSummary", ALL_SUMMARY, {});
  const allSummary = await ask(size, "whole-database stockSummary", ALL_SUMMARY, {});
  const allSummaryMs = lastMs;
  const all = allSummary.data.stockSummary as Array<{ total: { onHand: number; sites: number } }>;

  return {
    scale,
    dataset,
    database,
    service,
    token,
    bodies: {
      township: requestBody(OURS_SITES, townshipVars),
      page1: requestBody(LEVELS_PAGE, page1Vars),
      pageDeep: requestBody(LEVELS_PAGE, deepVars),
      districtSummary: requestBody(DISTRICT_SUMMARY, districtVars),
      allSummary: requestBody(ALL_SUMMARY, {}),
    },
    statements: {
      township: township.sqlStatements,
      page1: page1.sqlStatements,
      pageDeep: deep.sqlStatements,
      districtSummary: districtSummary.sqlStatements,
      allSummary: allSummary.sqlStatements,
    },
    singleMs: { township: 0, page1: 0, pageDeep: 0, districtSummary: 0, allSummary: Math.round(allSummaryMs) },
    answers: {
      township: JSON.stringify(township.data),
      townshipSites: township.data.storageSites.nodes.length,
      townshipLevels: townshipLevels.length,
      deepPageIds: deep.data.stockLevels.nodes.map((node: any) => node.id),
      deepPageHasNext: deep.data.stockLevels.pageInfo.hasNextPage,
      districtSummary: JSON.stringify(districtSummary.data),
      allOnHand: all.reduce((sum, s) => sum + s.total.onHand, 0),
      allSites: all.reduce((sum, s) => sum + s.total.sites, 0),
    },
    samples: { township: [], page1: [], pageDeep: [], districtSummary: [], allSummary: [] },
  };
}

export async function runS5(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const scales = ctx.mode === "smoke" ? [1, 3] : [1, 10, 100];
  const started: OurService[] = [];
  const sizes: Size[] = [];
  const checks: ScenarioResult["checks"] = [];
  const notes: string[] = [];
  try {
    for (const scale of scales) {
      log(`S5: preparing ${label(scale)}`);
      sizes.push(await prepare(ctx, scale, started));
    }
    const base = sizes[0];
    const others = sizes.slice(1);

    // ---- correctness: the Kaizhou district reads the same at every size
    const sameTownship = others.every((s) => s.answers.township === base.answers.township);
    checks.push({
      name: `the township ${TOWNSHIP_CODE} answers the same sites, levels and quantities at every size`,
      passed: sameTownship,
      detail: sizes.map((s) => `${label(s.scale)}: ${s.answers.townshipSites} sites, ${s.answers.townshipLevels} levels`).join("; "),
    });
    const sameDistrict = others.every((s) => s.answers.districtSummary === base.answers.districtSummary);
    checks.push({ name: "the Kaizhou district's stockSummary is the same at every size", passed: sameDistrict, detail: sameDistrict ? "identical" : "differs" });
    const deepOk = sizes.every((s) => s.answers.deepPageIds.length === PAGE_SIZE && s.answers.deepPageHasNext && JSON.stringify(s.answers.deepPageIds) === JSON.stringify(base.answers.deepPageIds));
    checks.push({
      name: `stockLevels page ${DEEP_PAGE} (of ${PAGE_SIZE}) holds ${PAGE_SIZE} levels, the same ones at every size`,
      passed: deepOk,
      detail: sizes.map((s) => `${label(s.scale)}: ${s.answers.deepPageIds.length} rows, next page ${s.answers.deepPageHasNext}`).join("; "),
    });
    const totalsOk = sizes.every((s) => s.answers.allOnHand === base.answers.allOnHand * s.scale && s.answers.allSites === base.answers.allSites * s.scale);
    checks.push({
      name: "the whole-database stockSummary totals are the size × the 1× totals",
      passed: totalsOk,
      detail: sizes.map((s) => `${label(s.scale)}: on hand ${s.answers.allOnHand}, site×item levels ${s.answers.allSites}`).join("; "),
    });
    const statementsOk = READS.every((read) => new Set(sizes.map((s) => s.statements[read])).size === 1) && sizes.every((s) => s.statements.page1 === s.statements.pageDeep);
    checks.push({
      name: "SQL statements per request do not change with the size (nor from page 1 to page 1,000)",
      passed: statementsOk,
      detail: READS.map((read) => `${read} ${sizes.map((s) => s.statements[read]).join("/")}`).join(", "),
    });
    for (const c of checks) check(c.passed, `${c.name}: ${c.detail}`);

    // ---- measurements: per read, warm-up at every size, then rounds of 1×, 10×, 100×
    const seconds = ctx.seconds(3);
    const connectionsOf = (read: ReadKey) => SLOW_READS[read]?.connections ?? CONNECTIONS;
    const secondsOf = (size: Size, read: ReadKey) => (SLOW_READS[read] ? Math.max(seconds, Math.ceil((MIN_REQUESTS * size.singleMs[read]) / 1000)) : seconds);
    const load = async (size: Size, read: ReadKey, s: number) => {
      const sample = await httpLoad({ url: size.service.url, body: size.bodies[read], headers: { authorization: `Bearer ${size.token}` }, connections: connectionsOf(read), seconds: s });
      check(sample.requests > 0, `${label(size.scale)} ${read}: no request completed in ${s} s`);
      return sample;
    };
    for (const read of READS) {
      for (const size of sizes) await load(size, read, Math.max(ctx.warmupSeconds, SLOW_READS[read] ? Math.ceil((2 * size.singleMs[read]) / 1000) : 0));
      for (let r = 0; r < ctx.rounds; r++) {
        for (const size of sizes) size.samples[read].push(await load(size, read, secondsOf(size, read)));
        log(`S5 ${read}: round ${r + 1}/${ctx.rounds} done`);
      }
    }

    // ---- cases: each size against 1×, and page 1,000 against page 1
    const p99 = (size: Size, read: ReadKey) => medianOf(size.samples[read], (s) => s.p99);
    const p99Case = (name: string, ours: { size: Size; read: ReadKey }, baseline: { size: Size; read: ReadKey }, atMost: number): Case => {
      const o = p99(ours.size, ours.read);
      const p = p99(baseline.size, baseline.read);
      return judge({
        name,
        metric: "p99 ms",
        higherIsBetter: false,
        ours: { median: o, samples: ours.size.samples[ours.read].map((s) => s.p99) },
        peer: { median: p, samples: baseline.size.samples[baseline.read].map((s) => s.p99) },
        ratio: ratio(o, p),
        target: { atMost },
      });
    };
    const townshipName = `township ${TOWNSHIP_CODE} (${base.answers.townshipSites} sites → ${base.answers.townshipLevels} levels → item)`;
    const cases: Case[] = [];
    for (const size of others) {
      const n = label(size.scale);
      const growth = round(size.dataset.stockLevels / base.dataset.stockLevels, 1);
      cases.push(p99Case(`${townshipName}, ${n} vs 1×`, { size, read: "township" }, { size: base, read: "township" }, FLAT));
      cases.push(p99Case(`stockLevels page 1, ${n} vs 1×`, { size, read: "page1" }, { size: base, read: "page1" }, FLAT));
      cases.push(p99Case(`stockLevels page ${DEEP_PAGE.toLocaleString("en")}, ${n} vs 1×`, { size, read: "pageDeep" }, { size: base, read: "pageDeep" }, FLAT));
      cases.push(p99Case(`stockSummary of the Kaizhou district (its data unchanged), ${n} vs 1×`, { size, read: "districtSummary" }, { size: base, read: "districtSummary" }, FLAT));
      cases.push(p99Case(`stockSummary of the whole database (${growth}× the data), ${n} vs 1×`, { size, read: "allSummary" }, { size: base, read: "allSummary" }, growth));
    }
    for (const size of sizes) {
      cases.push(p99Case(`stockLevels page ${DEEP_PAGE.toLocaleString("en")} vs page 1, at ${label(size.scale)}`, { size, read: "pageDeep" }, { size, read: "page1" }, FLAT));
    }

    // ---- tables
    const readNames: Record<ReadKey, string> = {
      township: `township ${TOWNSHIP_CODE}: sites → levels → item`,
      page1: `stockLevels page 1 (first ${PAGE_SIZE})`,
      pageDeep: `stockLevels page ${DEEP_PAGE.toLocaleString("en")} (first ${PAGE_SIZE}, after its cursor)`,
      districtSummary: "stockSummary, Kaizhou district",
      allSummary: "stockSummary, whole database",
    };
    const latencyRows: Table["rows"] = [];
    for (const read of READS) {
      for (const size of sizes) {
        const rps = medianOf(size.samples[read], (s) => s.rps);
        latencyRows.push([
          size === base ? readNames[read] : "",
          label(size.scale),
          medianOf(size.samples[read], (s) => s.p50),
          p99(size, read),
          size === base ? null : ratio(p99(size, read), p99(base, read)),
          rps,
          size === base ? null : ratio(rps, medianOf(base.samples[read], (s) => s.rps)),
          connectionsOf(read),
          secondsOf(size, read),
          medianOf(size.samples[read], (s) => s.requests),
        ]);
      }
    }
    const tables: Table[] = [
      {
        title: "Latency and throughput by size (ms and req/s, medians of the rounds)",
        columns: ["read", "size", "p50", "p99", "p99 ÷ 1×", "req/s", "req/s ÷ 1×", "connections", "s per round", "requests per round"],
        rows: latencyRows,
      },
      {
        title: "Our SQL statements per request (x-sql-statements)",
        columns: ["read", ...sizes.map((s) => label(s.scale))],
        rows: READS.map((read) => [readNames[read], ...sizes.map((s) => s.statements[read])]),
        note: "The signed-in account is read for every request too, by a statement shared between requests arriving together (src/core/db/coalescer.ts) and not counted here.",
      },
      {
        title: "Data sizes",
        columns: ["size", "districts", "sites", "stock levels", "batches", "ledger rows", "database MB", "template built in (s; 0 = reused)"],
        rows: sizes.map((s) => [label(s.scale), s.dataset.districts, s.dataset.sites, s.dataset.stockLevels, s.dataset.stockBatches, s.dataset.stockMovements, s.dataset.sizeMb, s.dataset.buildSeconds]),
      },
    ];
    notes.push(
      `"baseline" is our own run of the same read at 1× (for "page ${DEEP_PAGE.toLocaleString("en")} vs page 1": page 1 at the same size). ` +
        `Flat means p99 at most ${FLAT}× the baseline; the whole-database summary may grow as much as its data. ` +
        `Every size runs its own service on its own database at the same time, and the rounds alternate between the sizes. ` +
        `The whole-database summary runs on ${SLOW_READS.allSummary!.connections} connection, each round long enough for about ${MIN_REQUESTS} requests, so its p99 is close to its slowest request.`,
    );

    return {
      scenario: "S5",
      title: "Growth: 1×, 10× and 100× the district vs our own 1× run",
      peerName: "baseline",
      ...runFrame(ctx, startedAt, machineInfo),
      secondsPerRound: seconds,
      versions: await versions(),
      data: Object.fromEntries(sizes.map((s) => [label(s.scale), { sites: s.dataset.sites, stockLevels: s.dataset.stockLevels, stockBatches: s.dataset.stockBatches, sizeMb: s.dataset.sizeMb }])),
      settings: { connections: CONNECTIONS, slowReads: SLOW_READS, minRequestsPerRound: MIN_REQUESTS, township: TOWNSHIP_CODE, pageSize: PAGE_SIZE, deepPage: DEEP_PAGE, flat: FLAT, scales, identity: "COMMANDER access token" },
      cases,
      tables,
      checks,
      notes,
    };
  } finally {
    for (const running of started.reverse()) await running.stop();
    // The clones are large (the 100× one is about as big as its template); the templates stay.
    for (const size of sizes) await dropDatabase(size.database);
  }
}
