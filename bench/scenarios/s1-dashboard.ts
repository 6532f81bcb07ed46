// S1 — dashboard reads against PostGraphile 4 on the same database and data.
// Ours and PostGraphile answer the same three reads (a township's sites → stock levels → item;
// the whole district's 576 sites the same way, in pages of 100; the wall: stockSummary of ten
// key items + readinessSummary) at equal concurrency, alternating A/B. Before measuring, both
// answers are checked to carry the same sites, levels and quantities, and our SQL statement
// count per request is read from the x-sql-statements header for 20 to 576 sites.
// A/B (`--base <rev>`): PostGraphile does not run; our service as of <rev> (ctx.base) answers
// the same requests on the same database in its place, checked to give the same answers, and its
// statement counts stand beside ours.
import fs from "node:fs";
import path from "node:path";
import { toGlobalId } from "../../src/core/graphql/relay";
import type { RunContext } from "../lib/context";
import { cloneDatabase, ensureTemplate, withClient } from "../lib/databases";
import { alternate, httpLoad, medianOf, type HttpSample } from "../lib/measure";
import { ciNode24Version, ensureNode, nodeVersionOf } from "../lib/node";
import { ensurePostGraphile, ensurePostGraphile5, startPostGraphile, startPostGraphile5 } from "../lib/peers";
import { graphqlRequest, login, startOurService, type RunningProcess } from "../lib/processes";
import { judge, machine, ratio, runFrame, versions, type Case, type ScenarioResult } from "../lib/report";
import { check, freePort } from "../lib/util";
import { OURS_SITES, OURS_WALL, PEER_SITES, PEER_WALL } from "../queries/s1";

const CONNECTIONS = 8;
const TOWNSHIP_CODE = "KZ-S01"; // 汉丰街道, the district seat: the largest township
const KEY_ITEMS = 10;

interface SitesAnswer {
  sites: number;
  levels: number;
  onHand: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

function summariseOurs(data: any): SitesAnswer {
  const connection = data.storageSites;
  const levels = connection.nodes.flatMap((site: any) => site.stock.nodes);
  return { sites: connection.nodes.length, levels: levels.length, onHand: levels.reduce((sum: number, l: any) => sum + l.onHand, 0), endCursor: connection.pageInfo.endCursor, hasNextPage: connection.pageInfo.hasNextPage };
}

function summarisePeer(data: any): SitesAnswer {
  const connection = data.sitesInRegion;
  const levels = connection.nodes.flatMap((site: any) => site.stockLevelsBySiteId.nodes);
  return { sites: connection.nodes.length, levels: levels.length, onHand: levels.reduce((sum: number, l: any) => sum + l.onHand, 0), endCursor: connection.pageInfo.endCursor, hasNextPage: connection.pageInfo.hasNextPage };
}

export async function runS1(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const dataset = await ensureTemplate(1, ctx.databasePrefix);
  const url = await cloneDatabase(dataset.template, `${ctx.databasePrefix}_s1`);
  if (!ctx.base) await withClient(url, async (client) => client.query(fs.readFileSync(path.join(__dirname, "..", "peers", "postgraphile.sql"), "utf8")));
  const ids = await withClient(url, async (client) => ({
    district: (await client.query("SELECT id FROM region WHERE code = 'KZ'")).rows[0].id as number,
    township: (await client.query("SELECT id FROM region WHERE code = $1", [TOWNSHIP_CODE])).rows[0].id as number,
    items: (await client.query("SELECT id FROM supply_item ORDER BY code LIMIT $1", [KEY_ITEMS])).rows.map((r) => r.id as number),
  }));

  const peer = ctx.base ? { unavailable: "A/B run: PostGraphile does not run" } : ensurePostGraphile(ctx.allowPeerInstall);
  const processes: RunningProcess[] = [];
  const checks: ScenarioResult["checks"] = [];
  const notes: string[] = [];
  try {
    const ours = await startOurService(url, await freePort());
    processes.push(ours);
    const token = await login(ours.url);
    const auth = { authorization: `Bearer ${token}` };
    const postgraphile = "version" in peer ? await startPostGraphile(url, await freePort()) : null;
    if (postgraphile) processes.push(postgraphile);
    const base = ctx.base ? await startOurService(url, await freePort(), {}, ctx.base.dir) : null;
    if (base) processes.push(base);
    const baseToken = base ? await login(base.url) : undefined;
    const baseAuth = baseToken ? { authorization: `Bearer ${baseToken}` } : null;

    // ---- the reads, and proof that both sides answer the same thing
    const ourSites = (region: number, first: number, after?: string | null) => ({ query: OURS_SITES, variables: { region: toGlobalId("Region", region), first, after: after ?? null } });
    const peerSites = (region: number, first: number, after?: string | null) => ({ query: PEER_SITES, variables: { region, first, after: after ?? null } });
    const ourPages: Array<{ body: object; answer: SitesAnswer; statements: number }> = [];
    for (let after: string | null = null; ; ) {
      const body = ourSites(ids.district, 100, after);
      const response = await graphqlRequest(ours.url, body.query, body.variables, token);
      check(!response.errors, `ours: district page failed: ${JSON.stringify(response.errors)}`);
      const answer = summariseOurs(response.data);
      ourPages.push({ body, answer, statements: response.sqlStatements! });
      if (!answer.hasNextPage) break;
      after = answer.endCursor;
    }
    const township = await graphqlRequest(ours.url, OURS_SITES, ourSites(ids.township, 100).variables, token);
    check(!township.errors, `ours: township read failed: ${JSON.stringify(township.errors)}`);
    const ourTownship = summariseOurs(township.data);
    const wallBody = { query: OURS_WALL, variables: { items: ids.items.map((id) => toGlobalId("SupplyItem", id)) } };
    const wall = await graphqlRequest(ours.url, wallBody.query, wallBody.variables, token);
    check(!wall.errors, `ours: wall failed: ${JSON.stringify(wall.errors)}`);
    check(wall.data.stockSummary.length === KEY_ITEMS, `ours: wall has ${wall.data.stockSummary.length} items, expected ${KEY_ITEMS}`);

    const districtSites = ourPages.reduce((sum, p) => sum + p.answer.sites, 0);
    check(districtSites === dataset.sites, `ours: the district pages hold ${districtSites} sites, the database ${dataset.sites}`);

    // Statements per request from 20 to all sites.
    const counts: Array<Array<string | number | null>> = [];
    const countedAnswers: SitesAnswer[] = [];
    for (const first of [20, 50, 100]) {
      const body = ourSites(ids.district, first);
      const response = await graphqlRequest(ours.url, body.query, body.variables, token);
      const answer = summariseOurs(response.data);
      countedAnswers.push(answer);
      counts.push([`district, first ${first}`, answer.sites, answer.levels, response.sqlStatements!]);
    }
    countedAnswers.push(ourTownship, ...ourPages.map((p) => p.answer));
    counts.push([`township ${TOWNSHIP_CODE}`, ourTownship.sites, ourTownship.levels, township.sqlStatements!]);
    ourPages.forEach((p, i) => counts.push([`district page ${i + 1} of ${ourPages.length}`, p.answer.sites, p.answer.levels, p.statements]));
    if (base) {
      // The same requests to the base: the same answers (sites, levels, on hand), and its counts beside ours.
      const bodies = [20, 50, 100].map((first) => ourSites(ids.district, first)).concat([ourSites(ids.township, 100)], ourPages.map((p) => p.body as ReturnType<typeof ourSites>));
      for (const [i, body] of bodies.entries()) {
        const response = await graphqlRequest(base.url, body.query, body.variables, baseToken);
        check(!response.errors, `base: ${counts[i][0]} failed: ${JSON.stringify(response.errors)}`);
        const answer = summariseOurs(response.data);
        const mine = countedAnswers[i];
        check(answer.sites === mine.sites && answer.levels === mine.levels && answer.onHand === mine.onHand, `base and ours disagree on ${counts[i][0]}: ${JSON.stringify([answer, mine])}`);
        counts[i].push(response.sqlStatements);
      }
      const baseWall = await graphqlRequest(base.url, wallBody.query, wallBody.variables, baseToken);
      const totals = (data: any) => JSON.stringify(data?.stockSummary?.map((s: any) => s.total.onHand));
      check(!baseWall.errors && totals(baseWall.data) === totals(wall.data), `base and ours disagree on the wall: ${JSON.stringify(baseWall.errors ?? baseWall.data).slice(0, 300)}`);
      checks.push({ name: `the base (${ctx.base!.sha.slice(0, 7)}) gives the same township, district pages and wall as ours`, passed: true, detail: `${bodies.length} reads and the wall` });
    }
    const distinct = new Set(counts.map((c) => c[3] as number));
    checks.push({ name: "SQL statements per request do not grow with sites (20 → 576)", passed: distinct.size === 1, detail: `statements per request: ${[...distinct].join(", ")}` });
    check(distinct.size === 1, `SQL statements per request vary with the number of sites: ${JSON.stringify(counts)}`);

    let peerPages: Array<{ body: object; answer: SitesAnswer }> = [];
    let peerWallBody: object | null = null;
    let peerTownshipBody: object | null = null;
    if (postgraphile) {
      for (let after: string | null = null; ; ) {
        const body = peerSites(ids.district, 100, after);
        const response = await graphqlRequest(postgraphile.url, body.query, body.variables);
        check(!response.errors, `PostGraphile: district page failed: ${JSON.stringify(response.errors)}`);
        const answer = summarisePeer(response.data);
        peerPages.push({ body, answer });
        if (!answer.hasNextPage) break;
        after = answer.endCursor;
      }
      const same = (a: SitesAnswer[], b: SitesAnswer[]) => JSON.stringify(a.map((x) => [x.sites, x.levels, x.onHand])) === JSON.stringify(b.map((x) => [x.sites, x.levels, x.onHand]));
      const equal = same(ourPages.map((p) => p.answer), peerPages.map((p) => p.answer));
      checks.push({ name: "PostGraphile's pages hold the same sites, levels and on-hand totals as ours", passed: equal, detail: JSON.stringify(peerPages.map((p) => [p.answer.sites, p.answer.levels, p.answer.onHand])) });
      check(equal, "PostGraphile and ours disagree on the district's pages");
      peerTownshipBody = peerSites(ids.township, 100);
      const peerTownship = await graphqlRequest(postgraphile.url, PEER_SITES, (peerTownshipBody as any).variables);
      check(!peerTownship.errors && same([ourTownship], [summarisePeer(peerTownship.data)]), "PostGraphile and ours disagree on the township");
      peerWallBody = { query: PEER_WALL, variables: { items: ids.items } };
      const peerWall = await graphqlRequest(postgraphile.url, PEER_WALL, (peerWallBody as any).variables);
      check(!peerWall.errors, `PostGraphile: wall failed: ${JSON.stringify(peerWall.errors)}`);
      const peerTotals = peerWall.data.stockSummaryRows.nodes.filter((row: any) => row.tier === null && row.townshipCode === null).map((row: any) => row.onHand);
      const ourTotals = wall.data.stockSummary.map((s: any) => s.total.onHand);
      check(JSON.stringify(peerTotals) === JSON.stringify(ourTotals), `the walls disagree: ours ${ourTotals} vs PostGraphile ${peerTotals}`);
      checks.push({ name: "both walls give the same per-item totals", passed: true, detail: ourTotals.join(", ") });
    } else if (!base) {
      notes.push(`PostGraphile unavailable: ${(peer as { unavailable: string }).unavailable}`);
    }

    // ---- measurements
    const seconds = ctx.seconds(3);
    const cases: Case[] = [];
    const latency: Array<Array<string | number | null>> = [];
    /** Who answers a measured read: ours (this Node) and the peer (PostGraphile 4 or the base) by default; the Node 24 pass names its own. */
    interface Pair {
      ours: { url: string; headers: Record<string, string> };
      peer: { url: string; headers?: Record<string, string> } | null;
      /** Appended to the case's name ("" for the main comparison). */
      suffix: string;
      /** The peer's body when it sends the same as ours (the base) rather than the PostGraphile body. */
      peerSendsOurs: boolean;
    }
    const mainPair: Pair = {
      ours: { url: ours.url, headers: auth },
      peer: base ? { url: base.url, headers: baseAuth! } : postgraphile ? { url: postgraphile.url } : null,
      suffix: "",
      peerSendsOurs: !!base,
    };
    const measure = async (name: string, ourBody: string | string[], peerBody: string | string[] | null, pair: Pair = mainPair) => {
      const run = (side: "ours" | "peer", s: number) =>
        side === "ours"
          ? httpLoad({ url: pair.ours.url, body: ourBody, headers: pair.ours.headers, connections: CONNECTIONS, seconds: s })
          : httpLoad({ url: pair.peer!.url, body: pair.peerSendsOurs ? ourBody : peerBody!, headers: pair.peer!.headers, connections: CONNECTIONS, seconds: s });
      let samples: { ours: HttpSample[]; peer: HttpSample[] };
      if (pair.peer && (pair.peerSendsOurs || peerBody)) {
        samples = await alternate(`S1 ${name}${pair.suffix}`, ctx.rounds, (side) => run(side, seconds), (side) => run(side, ctx.warmupSeconds));
      } else {
        await run("ours", ctx.warmupSeconds);
        samples = { ours: [], peer: [] };
        for (let i = 0; i < ctx.rounds; i++) samples.ours.push(await run("ours", seconds));
      }
      const oursRps = medianOf(samples.ours, (s) => s.rps);
      const peerRps = samples.peer.length ? medianOf(samples.peer, (s) => s.rps) : null;
      cases.push(
        judge({
          name: `${name}, ${CONNECTIONS} connections${pair.suffix}`,
          metric: "req/s",
          higherIsBetter: true,
          ours: { median: oursRps, samples: samples.ours.map((s) => s.rps) },
          peer: peerRps === null ? null : { median: peerRps, samples: samples.peer.map((s) => s.rps) },
          ratio: ratio(oursRps, peerRps),
          target: { atLeast: 1 },
        }),
      );
      latency.push([`${name}${pair.suffix}`, medianOf(samples.ours, (s) => s.p50), medianOf(samples.ours, (s) => s.p99), samples.peer.length ? medianOf(samples.peer, (s) => s.p50) : null, samples.peer.length ? medianOf(samples.peer, (s) => s.p99) : null]);
    };
    const reads = [
      { name: `township ${TOWNSHIP_CODE}: ${ourTownship.sites} sites → ${ourTownship.levels} levels → item`, ours: JSON.stringify(ourSites(ids.township, 100)), peer: peerTownshipBody && JSON.stringify(peerTownshipBody) },
      { name: `district: ${districtSites} sites in ${ourPages.length} pages of 100 → levels → item`, ours: ourPages.map((p) => JSON.stringify(p.body)), peer: postgraphile ? peerPages.map((p) => JSON.stringify(p.body)) : null },
      { name: `wall: stockSummary (${KEY_ITEMS} items) + readinessSummary`, ours: JSON.stringify(wallBody), peer: peerWallBody && JSON.stringify(peerWallBody) },
    ];
    for (const read of reads) await measure(read.name, read.ours, read.peer);

    // ---- the current generation: PostGraphile 5 (Grafast) on Node 24, ours on the same Node.
    // The same reads and the same answer checks as above; the bodies are PostGraphile 4's,
    // since its V4 preset keeps the names (bench/peers/postgraphile5.config.mjs).
    let pg5Version: string | undefined;
    let node24: string | undefined;
    if (!ctx.base) {
      const node = ensureNode(ciNode24Version(), ctx.allowPeerInstall);
      const pg5 = ensurePostGraphile5(ctx.allowPeerInstall);
      if ("unavailable" in node || "unavailable" in pg5) {
        notes.push(`PostGraphile 5 on Node 24 did not run: ${["unavailable" in node ? node.unavailable : "", "unavailable" in pg5 ? pg5.unavailable : ""].filter(Boolean).join(" ")}`);
      } else {
        // The Node 20 pair is done: stopped, so that the second pair has the machine to itself.
        for (const running of processes.splice(0).reverse()) await running.stop();
        const ours24 = await startOurService(url, await freePort(), { PATH: `${node.binDir}${path.delimiter}${process.env.PATH}` });
        processes.push(ours24);
        node24 = nodeVersionOf(ours24.workerPid());
        check(node24 === `v${node.version}`, `ours was to run on Node ${node.version} but runs on ${node24}`);
        const token24 = await login(ours24.url);
        const peer5 = await startPostGraphile5(url, await freePort(), node.node);
        processes.push(peer5);
        pg5Version = pg5.version;
        const peerNode = nodeVersionOf(peer5.workerPid());
        check(peerNode === `v${node.version}`, `PostGraphile 5 runs on ${peerNode}`);
        // The same answers as ours: every district page, the township, the wall's totals.
        const fivePages: SitesAnswer[] = [];
        const fivePageBodies: string[] = [];
        for (let after: string | null = null; ; ) {
          const body = peerSites(ids.district, 100, after);
          fivePageBodies.push(JSON.stringify(body));
          const response = await graphqlRequest(peer5.url, body.query, body.variables);
          check(!response.errors, `PostGraphile 5: district page failed: ${JSON.stringify(response.errors)}`);
          const answer = summarisePeer(response.data);
          fivePages.push(answer);
          if (!answer.hasNextPage) break;
          after = answer.endCursor;
        }
        const key = (list: SitesAnswer[]) => JSON.stringify(list.map((x) => [x.sites, x.levels, x.onHand]));
        const fiveTownship = await graphqlRequest(peer5.url, PEER_SITES, peerSites(ids.township, 100).variables);
        check(!fiveTownship.errors, `PostGraphile 5: township failed: ${JSON.stringify(fiveTownship.errors)}`);
        const fiveWall = await graphqlRequest(peer5.url, PEER_WALL, { items: ids.items });
        check(!fiveWall.errors, `PostGraphile 5: wall failed: ${JSON.stringify(fiveWall.errors)}`);
        const fiveTotals = fiveWall.data.stockSummaryRows.nodes.filter((row: any) => row.tier === null && row.townshipCode === null).map((row: any) => row.onHand);
        const ourTotals = wall.data.stockSummary.map((x: any) => x.total.onHand);
        const same = key(fivePages) === key(ourPages.map((p) => p.answer)) && key([summarisePeer(fiveTownship.data)]) === key([ourTownship]) && JSON.stringify(fiveTotals) === JSON.stringify(ourTotals);
        checks.push({ name: "PostGraphile 5 gives the same district pages, township and wall totals as ours", passed: same, detail: `${fivePages.length} pages; wall ${fiveTotals.join(", ")}` });
        check(same, `PostGraphile 5 and ours disagree: ${key(fivePages)} / ${JSON.stringify(fiveTotals)}`);
        const pair: Pair = { ours: { url: ours24.url, headers: { authorization: `Bearer ${token24}` } }, peer: { url: peer5.url }, suffix: ` — Node ${node.version}, vs PostGraphile 5`, peerSendsOurs: false };
        const fiveBodies = [JSON.stringify(peerSites(ids.township, 100)), fivePageBodies, JSON.stringify({ query: PEER_WALL, variables: { items: ids.items } })];
        for (const [i, read] of reads.entries()) await measure(read.name, read.ours, fiveBodies[i], pair);
      }
    }

    const peerLabel = ctx.base ? `base ${ctx.base.sha.slice(0, 7)}` : "PostGraphile";
    return {
      scenario: "S1",
      title: pg5Version ? "Dashboard reads vs PostGraphile 4, and on Node 24 vs PostGraphile 5" : "Dashboard reads vs PostGraphile 4",
      peerName: pg5Version ? "PostGraphile (4; 5 where named)" : "PostGraphile",
      peerUnavailable: "unavailable" in peer ? peer.unavailable : undefined,
      ...runFrame(ctx, startedAt, machineInfo),
      secondsPerRound: seconds,
      versions: await versions({ postgraphile: "version" in peer ? peer.version : undefined, "postgraphile 5": pg5Version, "node (second pair)": node24 }),
      data: { sites: dataset.sites, stockLevels: dataset.stockLevels, stockBatches: dataset.stockBatches, items: dataset.items },
      settings: { connections: CONNECTIONS, township: TOWNSHIP_CODE, keyItems: KEY_ITEMS, ourIdentity: "COMMANDER access token", peerIdentity: "none (PostGraphile connects as postgres)" },
      cases,
      tables: [
        { title: "Latency at the same load (ms, medians of the rounds)", columns: ["read", "ours p50", "ours p99", `${peerLabel} p50`, `${peerLabel} p99`], rows: latency },
        {
          title: "Our SQL statements per request (x-sql-statements) from 20 to 576 sites",
          columns: ["request", "sites", "stock levels", "SQL statements", ...(base ? [`${peerLabel} SQL statements`] : [])],
          rows: counts,
          note: `The signed-in account is read for every request too, by a statement shared between requests arriving together (src/core/db/coalescer.ts) and not counted here.${base ? "" : " PostGraphile compiles each request into one SQL statement (plus its transaction wrapper)."}`,
        },
      ],
      checks,
      notes,
    };
  } finally {
    for (const running of processes.reverse()) await running.stop();
  }
}
