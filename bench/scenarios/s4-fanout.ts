// S4 — live fan-out: one stock change delivered to 1,000 graphql-ws subscribers of
// stockLevelChanged with mixed filters (everything; the site; the district; the item; the
// tier; and 50 whose filter does not match and must receive nothing), against a bare `ws`
// server broadcasting the same pre-serialised message to clients with the same filters
// (bench/servers/s4-raw-broadcast.ts). Delivery latency is measured from the moment the change
// is asked for (our receiveStock mutation; the peer's POST /publish) to each subscriber's
// receipt, in this process; p50/p99 over all deliveries of a round. Server memory (RSS) is
// read before the subscribers connect, with them connected, and at its highest during fan-out.
// A/B (`--base <rev>`): the raw server does not run; our service as of <rev> (ctx.base), on the
// same database, gets the same 1,000 graphql-ws subscribers and its own receiveStock changes in
// the alternate rounds (the event bus is in-process: one service's changes reach only its own
// subscribers, which the checks confirm).
import path from "node:path";
import WebSocket from "ws";
import { toGlobalId } from "../../src/core/graphql/relay";
import type { RunContext } from "../lib/context";
import { cloneDatabase, ensureTemplate, withClient } from "../lib/databases";
import { alternate, medianOf } from "../lib/measure";
import { login, residentMb, ROOT, startOurService, startProcess, type RunningProcess } from "../lib/processes";
import { judge, machine, ratio, runFrame, versions, type Case, type ScenarioResult } from "../lib/report";
import { check, CheckFailed, freePort, log, nowMs, percentile, round, sleep } from "../lib/util";

const SUBSCRIPTION = `subscription Stock($where: StockLevelChangedWhere) {
  stockLevelChanged(where: $where) {
    level { id onHand reserved available belowMinimum site { code name } item { code name unit } }
    causes asOf
  }
}`;
const RECEIVE = `mutation Receive($input: ReceiveStockInput!) { receiveStock(input: $input) { errors { code message } } }`;

interface Ids {
  site: number;
  otherSite: number;
  district: number;
  item: number;
}

interface FilterGroup {
  name: string;
  count: number;
  matches: boolean;
  ours: Record<string, string>;
  raw: Record<string, number | string>;
}

function filterGroups(ids: Ids, total: number): FilterGroup[] {
  const share = (n: number) => Math.round((n * total) / 1000);
  return [
    { name: "everything", count: share(300), matches: true, ours: {}, raw: {} },
    { name: "the site", count: share(200), matches: true, ours: { siteId: toGlobalId("StorageSite", ids.site) }, raw: { siteId: ids.site } },
    { name: "the district", count: share(200), matches: true, ours: { regionId: toGlobalId("Region", ids.district) }, raw: { regionId: ids.district } },
    { name: "the item", count: share(150), matches: true, ours: { itemId: toGlobalId("SupplyItem", ids.item) }, raw: { itemId: ids.item } },
    { name: "the tier", count: share(100), matches: true, ours: { tier: "DISTRICT_DEPOT" }, raw: { tier: "DISTRICT_DEPOT" } },
    { name: "another site (no match)", count: share(50), matches: false, ours: { siteId: toGlobalId("StorageSite", ids.otherSite) }, raw: { siteId: ids.otherSite } },
  ];
}

/** A subscriber: records when each message arrives (parsed, as a dashboard would). */
interface Subscriber {
  socket: WebSocket;
  matches: boolean;
  received: number;
}

class Arrivals {
  times: number[] = [];
  expected = 0;
  private done?: () => void;
  record(t: number) {
    this.times.push(t);
    if (this.times.length >= this.expected) this.done?.();
  }
  reset(expected: number) {
    this.times = [];
    this.expected = expected;
  }
  wait(timeoutMs: number): Promise<boolean> {
    if (this.times.length >= this.expected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => ((this.done = undefined), resolve(false)), timeoutMs);
      this.done = () => {
        clearTimeout(timer);
        this.done = undefined;
        resolve(true);
      };
    });
  }
}

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let start = 0; start < count; start += size) all.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, i) => make(start + i)))));
  return all;
}

/** A graphql-ws (graphql-transport-ws) subscriber speaking the protocol directly over `ws`. */
function graphqlWsSubscriber(url: string, token: string, where: Record<string, string>, matches: boolean, arrivals: Arrivals, firstMessage?: (raw: string) => void): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, "graphql-transport-ws");
    const subscriber: Subscriber = { socket, matches, received: 0 };
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })));
    socket.on("message", (data) => {
      const at = nowMs();
      const text = String(data);
      const message = JSON.parse(text);
      if (message.type === "connection_ack") {
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: SUBSCRIPTION, variables: { where } } }));
        // The server registers the subscription asynchronously; a short pause lets it settle.
        setTimeout(() => resolve(subscriber), 20);
      } else if (message.type === "next") {
        if (message.payload.errors) reject(new CheckFailed(`subscription error: ${JSON.stringify(message.payload.errors)}`));
        subscriber.received++;
        firstMessage?.(text);
        arrivals.record(at);
      } else if (message.type === "error") {
        reject(new CheckFailed(`subscription refused: ${text}`));
      }
    });
    socket.on("error", reject);
    socket.on("close", (code, reason) => reject(new CheckFailed(`subscriber closed: ${code} ${reason}`)));
  });
}

function rawSubscriber(url: string, filter: Record<string, number | string>, matches: boolean, arrivals: Arrivals): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const subscriber: Subscriber = { socket, matches, received: 0 };
    socket.on("open", () => {
      socket.send(JSON.stringify(filter));
      setTimeout(() => resolve(subscriber), 20);
    });
    socket.on("message", (data) => {
      const at = nowMs();
      JSON.parse(String(data)); // a dashboard parses what it gets; so does ours above
      subscriber.received++;
      arrivals.record(at);
    });
    socket.on("error", reject);
  });
}

interface RoundSample {
  p50: number;
  p99: number;
  /** Median over the round's changes of the response to the request that caused it. */
  responseMs: number;
  /** Median over the round's changes of the first delivery. */
  firstMs: number;
  deliveries: number;
  peakRssMb: number;
}

export async function runS4(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const dataset = await ensureTemplate(1, ctx.databasePrefix);
  const url = await cloneDatabase(dataset.template, `${ctx.databasePrefix}_s4`);
  const ids: Ids = await withClient(url, async (client) => ({
    site: (await client.query(`SELECT id FROM storage_site WHERE tier = 'DISTRICT_DEPOT' ORDER BY id LIMIT 1`)).rows[0].id,
    otherSite: (await client.query(`SELECT id FROM storage_site WHERE tier = 'VILLAGE_ROOM' ORDER BY id LIMIT 1`)).rows[0].id,
    district: (await client.query(`SELECT id FROM region WHERE code = 'KZ'`)).rows[0].id,
    item: (await client.query(`SELECT id FROM supply_item WHERE NOT tracks_expiry ORDER BY code LIMIT 1`)).rows[0].id,
  }));
  const siteRegionPath: string = await withClient(url, async (client) => (await client.query(`SELECT r.path FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = $1`, [ids.site])).rows[0].path);
  const total = ctx.mode === "smoke" ? 200 : 1000;
  const groups = filterGroups(ids, total);
  const matching = groups.filter((g) => g.matches).reduce((sum, g) => sum + g.count, 0);
  const processes: RunningProcess[] = [];
  const sockets: WebSocket[] = [];
  const checks: ScenarioResult["checks"] = [];
  try {
    const ours = await startOurService(url, await freePort());
    processes.push(ours);
    const token = await login(ours.url);
    const logistics = await login(ours.url, "logistics"); // receiveStock is LOGISTICS work
    const base = ctx.base ? await startOurService(url, await freePort(), {}, ctx.base.dir) : null;
    if (base) processes.push(base);
    const baseTokens = base ? { commander: await login(base.url), logistics: await login(base.url, "logistics") } : null;
    const rawPort = await freePort();
    const raw =
      base ??
      (await startProcess({
        name: "S4 raw broadcast",
        command: process.execPath,
        args: ["--max-semi-space-size=64", "-r", "./scripts/register.js", path.join("bench", "servers", "s4-raw-broadcast.ts"), String(rawPort)],
        cwd: ROOT,
        env: { NODE_ENV: "production" },
        readyWhen: /listening on|监听 http/,
      }));
    if (!base) processes.push(raw);
    await sleep(500);
    const memory = { ours: { idle: residentMb(ours.workerPid()), subscribed: 0, peak: 0 }, raw: { idle: residentMb(raw.workerPid()), subscribed: 0, peak: 0 } };

    // ---- subscribers
    const oursArrivals = new Arrivals();
    const rawArrivals = new Arrivals();
    let samplePayload: string | undefined;
    const wsUrl = ours.url.replace(/^http/, "ws");
    const oursSubscribers: Subscriber[] = [];
    const rawSubscribers: Subscriber[] = [];
    for (const group of groups) {
      oursSubscribers.push(...(await inBatches(group.count, 50, () => graphqlWsSubscriber(wsUrl, token, group.ours, group.matches, oursArrivals, (text) => (samplePayload ??= text)))));
      rawSubscribers.push(
        ...(await inBatches(group.count, 50, () =>
          base ? graphqlWsSubscriber(base.url.replace(/^http/, "ws"), baseTokens!.commander, group.ours, group.matches, rawArrivals) : rawSubscriber(`ws://127.0.0.1:${rawPort}/raw`, group.raw, group.matches, rawArrivals),
        )),
      );
    }
    sockets.push(...oursSubscribers.map((s) => s.socket), ...rawSubscribers.map((s) => s.socket));
    log(`S4: ${oursSubscribers.length} graphql-ws and ${rawSubscribers.length} ${base ? "base graphql-ws" : "raw"} subscribers connected`);
    await sleep(500);
    memory.ours.subscribed = residentMb(ours.workerPid());
    memory.raw.subscribed = residentMb(raw.workerPid());

    let receipts = 0;
    let baseReceipts = 0;
    const oneChange = async (side: "ours" | "peer"): Promise<{ latencies: number[]; responseMs: number }> => {
      const arrivals = side === "ours" ? oursArrivals : rawArrivals;
      arrivals.reset(matching);
      const t0 = nowMs();
      let trigger: Promise<unknown>;
      if (side === "ours" || base) {
        const input = { siteId: toGlobalId("StorageSite", ids.site), itemId: toGlobalId("SupplyItem", ids.item), batchNumber: "BENCH-S4", quantity: 1, source: "PURCHASE" };
        const [serviceUrl, serviceToken] = side === "ours" ? [ours.url, logistics] : [base!.url, baseTokens!.logistics];
        trigger = fetch(serviceUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${serviceToken}` }, body: JSON.stringify({ query: RECEIVE, variables: { input } }) }).then(async (response) => {
          const body = (await response.json()) as { data?: { receiveStock?: { errors: unknown[] } }; errors?: unknown };
          if (body.errors || body.data?.receiveStock?.errors.length) throw new CheckFailed(`receiveStock (${side === "ours" ? "ours" : "base"}) failed: ${JSON.stringify(body)}`);
        });
        if (side === "ours") receipts++;
        else baseReceipts++;
      } else {
        const event = { level: { siteId: ids.site, itemId: ids.item }, siteTier: "DISTRICT_DEPOT", siteRegionPath };
        trigger = fetch(`http://127.0.0.1:${rawPort}/publish`, { method: "POST", body: JSON.stringify({ event, payload: samplePayload }) });
      }
      let failure: unknown;
      let responseMs = NaN;
      trigger = trigger.then(() => (responseMs = nowMs() - t0)).catch((error) => (failure = error));
      const complete = await arrivals.wait(15_000);
      await trigger;
      if (failure) throw failure;
      if (!complete) throw new CheckFailed(`S4 ${side}: ${arrivals.times.length} of ${matching} deliveries arrived within 15 s`);
      return { latencies: arrivals.times.map((t) => t - t0), responseMs };
    };
    const round_ = async (side: "ours" | "peer", events: number): Promise<RoundSample> => {
      const latencies: number[] = [];
      const responses: number[] = [];
      const firsts: number[] = [];
      let peak = 0;
      const pid = side === "ours" ? ours.workerPid() : raw.workerPid();
      for (let i = 0; i < events; i++) {
        const change = await oneChange(side);
        latencies.push(...change.latencies);
        responses.push(change.responseMs);
        firsts.push(Math.min(...change.latencies));
        peak = Math.max(peak, residentMb(pid));
        await sleep(50);
      }
      const key = side === "ours" ? "ours" : "raw";
      memory[key].peak = Math.max(memory[key].peak, peak);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), responseMs: percentile(responses, 50), firstMs: percentile(firsts, 50), deliveries: latencies.length, peakRssMb: peak };
    };

    // The first change also captures the payload the raw server will send.
    await oneChange("ours");
    check(samplePayload, "no stockLevelChanged message arrived");
    if (base) await oneChange("peer"); // the same first change on the base
    const events = ctx.mode === "smoke" ? 3 : 10;
    const samples = await alternate("S4 fan-out", ctx.rounds, (side) => round_(side, events), (side) => round_(side, 2));

    const oursEvents = receipts;
    const rawEvents = base ? baseReceipts : 2 + ctx.rounds * events; // warm-up + rounds
    const oursLost = oursSubscribers.filter((s) => s.matches && s.received !== oursEvents).length;
    const oursStray = oursSubscribers.filter((s) => !s.matches && s.received !== 0).length;
    const rawLost = rawSubscribers.filter((s) => s.matches && s.received !== rawEvents).length;
    checks.push({
      name: `every matching graphql-ws subscriber got every change (${oursEvents}), the non-matching ones none`,
      passed: oursLost === 0 && oursStray === 0,
      detail: `${oursLost} missed some, ${oursStray} got one they did not ask for`,
    });
    check(oursLost === 0 && oursStray === 0, `S4: ${oursLost} matching subscribers missed changes, ${oursStray} non-matching got some`);
    if (base) {
      const baseStray = rawSubscribers.filter((s) => !s.matches && s.received !== 0).length;
      checks.push({
        name: `every matching graphql-ws subscriber of the base got every change of the base (${baseReceipts}) and none of ours, the non-matching ones none`,
        passed: rawLost === 0 && baseStray === 0,
        detail: `${rawLost} missed some or got others, ${baseStray} got one they did not ask for`,
      });
      check(rawLost === 0 && baseStray === 0, `S4 base: ${rawLost} matching subscribers missed changes or got ours, ${baseStray} non-matching got some`);
    } else checks.push({ name: "every matching raw subscriber got every broadcast", passed: rawLost === 0, detail: `${rawLost} missed some` });

    const p99Ours = medianOf(samples.ours, (s) => s.p99);
    const p99Raw = medianOf(samples.peer, (s) => s.p99);
    const p50Ours = medianOf(samples.ours, (s) => s.p50);
    const p50Raw = medianOf(samples.peer, (s) => s.p50);
    const cases: Case[] = [
      judge({
        name: `p99 delivery, ${oursSubscribers.length} subscribers (${matching} matching)`,
        metric: "ms",
        higherIsBetter: false,
        ours: { median: p99Ours, samples: samples.ours.map((s) => round(s.p99)) },
        peer: { median: p99Raw, samples: samples.peer.map((s) => round(s.p99)) },
        ratio: ratio(p99Ours, p99Raw),
        target: { atMost: 2 },
      }),
      judge({
        name: `p50 delivery, ${oursSubscribers.length} subscribers (${matching} matching)`,
        metric: "ms",
        higherIsBetter: false,
        ours: { median: p50Ours, samples: samples.ours.map((s) => round(s.p50)) },
        peer: { median: p50Raw, samples: samples.peer.map((s) => round(s.p50)) },
        ratio: ratio(p50Ours, p50Raw),
      }),
    ];
    return {
      scenario: "S4",
      title: "Live fan-out to graphql-ws subscribers vs a raw ws broadcast",
      peerName: "raw ws broadcast",
      ...runFrame(ctx, startedAt, machineInfo),
      secondsPerRound: NaN,
      versions: await versions(),
      data: { sites: dataset.sites, subscribers: oursSubscribers.length, matching, eventsPerRound: events, payloadBytes: samplePayload!.length },
      settings: {
        filters: Object.fromEntries(groups.map((g) => [g.name, g.count])),
        selection: SUBSCRIPTION.replace(/\s+/g, " "),
        ours: "receiveStock of 1 unit at the depot (one committed change → one stockLevelChanged event), in-process event bus",
        peer: base ? `our service as of ${ctx.base!.sha.slice(0, 7)}: the same subscribers and the same receiveStock` : "POST /publish → ws.send of the captured graphql-ws message to every matching client",
        latency: "from the request that causes the change to each subscriber's receipt, measured in the harness process",
      },
      cases,
      tables: [
        {
          title: "Where the time goes (ms, medians): the request that causes the change, the first delivery, and the fan-out after it (p99 − first)",
          columns: ["server", "response to the request", "first delivery", "p99 delivery", "fan-out (p99 − first)"],
          rows: (["ours", "peer"] as const).map((side) => {
            const first = medianOf(samples[side], (s) => s.firstMs);
            const p99 = side === "ours" ? p99Ours : p99Raw;
            return [side === "ours" ? "ours: receiveStock (a committed change)" : base ? `base ${ctx.base!.sha.slice(0, 7)}: receiveStock (a committed change)` : "raw ws: POST /publish", round(medianOf(samples[side], (s) => s.responseMs)), round(first), round(p99), round(p99 - first)];
          }),
        },
        {
          title: "Server memory (RSS, MB)",
          columns: ["server", "idle", `${oursSubscribers.length} subscribers connected`, "highest during fan-out", "per subscriber (KB)"],
          rows: [
            ["ours (graphql-ws)", round(memory.ours.idle, 1), round(memory.ours.subscribed, 1), round(memory.ours.peak, 1), round(((memory.ours.subscribed - memory.ours.idle) * 1024) / oursSubscribers.length, 1)],
            [base ? `base ${ctx.base!.sha.slice(0, 7)} (graphql-ws)` : "raw ws", round(memory.raw.idle, 1), round(memory.raw.subscribed, 1), round(memory.raw.peak, 1), round(((memory.raw.subscribed - memory.raw.idle) * 1024) / rawSubscribers.length, 1)],
          ],
        },
      ],
      checks,
      notes: [],
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    for (const running of processes.reverse()) await running.stop();
  }
}
