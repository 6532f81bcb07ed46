// S7 — a flood day at city scale: 10 districts in one database (the Kaizhou seed cloned under ten
// district codes, bench/lib/scale.ts: KZ and KZ-C002 … KZ-C010, 5,760 sites), and everything a
// flood day does at once, for `seconds` per round:
//   - township supply requests (submitSupplyRequest by a township-scoped LOGISTICS account of
//     each district, for its own township), REQUEST_WORKERS in a closed loop;
//   - approvals (approveDispatchOrder, COMMANDER) of fresh SUBMITTED one-unit orders spread over
//     every site of every district, APPROVAL_WORKERS in a closed loop;
//   - deliveries of orders approved beforehand: markDispatched, then confirmDelivery of the
//     line (LOGISTICS), DELIVERY_WORKERS in a closed loop;
//   - 200 dashboard subscribers (graphql-ws, a DASHBOARD API key), 20 per district, each on
//     stockLevelChanged of its district;
//   - 20 dashboards polling their district's wall (stockSummary of ten key items for the
//     district + readinessSummary of the district: operations/wall.graphql's WallSummary, the
//     subscribers its WallStockChanged), 2 per district, one poll a second each.
// Per kind of operation: completed per second, p50 and p99 (ms, measured in this process, which
// also runs the subscribers: its own event-loop delay is in the figures). For the subscribers:
// events received and their lag (arrival − the event's asOf). Every operation must succeed
// (no GraphQL or payload error), every subscriber must hear of its district's changes, and
// nothing may be over-reserved.
// No peer: the figures are ours alone, what one primary carries. Replica hook: with
// BENCH_READ_DATABASE_URL set (a streaming replica of the bench server, which must hold the
// same database), the day runs a second time with our service given DATABASE_READ_URL, so that
// dashboards may read there — the service on this branch has no replica support, so the hook is
// unused here and the result says so.
// The growing tables' keys: the result lists, from the catalogue, which of them carry the owning
// district's id in their primary key and in which indexes (bench/RESULTS.md, S7, says what a
// layout distributed by district would need).
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { toGlobalId } from "../../src/core/graphql/relay";
import { hashApiKey, newApiKey } from "../../src/modules/accounts/auth.service";
import type { RunContext } from "../lib/context";
import { BENCH_ACCOUNTS, cloneDatabase, ensureTemplate, withClient } from "../lib/databases";
import { cpuSeconds, login, loginWith, startOurService, type OurService, type RunningProcess } from "../lib/processes";
import { machine, runFrame, versions, type ScenarioResult, type Table } from "../lib/report";
import { check, CheckFailed, freePort, log, nowMs, percentile, round, sleep } from "../lib/util";
import { approveLoad, approvedCount, createBatches, createOrderRows, ourApprover } from "./s3-allocation";

const REQUEST_WORKERS = 4;
const APPROVAL_WORKERS = 8;
const DELIVERY_WORKERS = 4;
const SUBSCRIBERS_PER_DISTRICT = 20;
const WALLS_PER_DISTRICT = 2;
const WALL_PERIOD_MS = 1000;
const KEY_ITEMS = 10;
/** The tables that grow with a flood day and with the city, whose keys a distributed layout would shard by. */
const GROWING_TABLES = ["stock_level", "stock_batch", "stock_movement", "dispatch_order", "dispatch_order_line", "dispatch_allocation", "supply_request", "supply_request_line", "audit_entry"];

const APPROVE = `mutation ($input: ApproveDispatchOrderInput!) { approveDispatchOrder(input: $input) { order { id status } errors { code message } } }`;
const DISPATCH = `mutation ($input: MarkDispatchedInput!) { markDispatched(input: $input) { order { id status } errors { code message } } }`;
const CONFIRM = `mutation ($input: ConfirmDeliveryInput!) { confirmDelivery(input: $input) { order { id status } errors { code message } } }`;
const REQUEST = `mutation ($input: SubmitSupplyRequestInput!) { submitSupplyRequest(input: $input) { request { id status } errors { code message } } }`;
/**
 * A DASHBOARD API key runs registered operations only (TRUSTED_DOCUMENTS): the walls send the
 * command wall's own documents, exactly as generated (operations/wall.graphql →
 * operations/generated/persisted-documents.json).
 */
function registered(operation: string): string {
  const documents: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "operations", "generated", "persisted-documents.json"), "utf8"));
  const found = Object.values(documents).find((text) => new RegExp(`(query|subscription) ${operation}\\b`).test(text));
  if (!found) throw new Error(`operations/generated/persisted-documents.json has no ${operation}`);
  return found;
}
const WALL = registered("WallSummary");
const SUBSCRIPTION = registered("WallStockChanged");

type Kind = "submitSupplyRequest" | "approveDispatchOrder" | "markDispatched" | "confirmDelivery" | "wall poll";
const KINDS: Kind[] = ["submitSupplyRequest", "approveDispatchOrder", "markDispatched", "confirmDelivery", "wall poll"];

class Recorder {
  readonly latencies = new Map<Kind, number[]>(KINDS.map((kind) => [kind, []]));
  readonly failures: string[] = [];
  async time<T>(kind: Kind, work: () => Promise<T>): Promise<T> {
    const started = nowMs();
    const result = await work();
    this.latencies.get(kind)!.push(nowMs() - started);
    return result;
  }
}

async function post(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (response.status !== 200 || body.errors) throw new CheckFailed(`${query.slice(0, 40)}…: HTTP ${response.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  const payload = body.data && Object.values(body.data)[0];
  if (payload && Array.isArray(payload.errors) && payload.errors.length) throw new CheckFailed(`${query.slice(0, 40)}…: ${JSON.stringify(payload.errors).slice(0, 300)}`);
  return body.data;
}

interface Subscriber {
  socket: WebSocket;
  district: number;
  received: number;
  lags: number[];
}

function subscribe(wsUrl: string, key: string, district: number): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, "graphql-transport-ws");
    const subscriber: Subscriber = { socket, district, received: 0, lags: [] };
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${key}` } })));
    socket.on("message", (data) => {
      const at = nowMs();
      const message = JSON.parse(String(data));
      if (message.type === "connection_ack") {
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: SUBSCRIPTION, variables: { regionId: toGlobalId("Region", district) } } }));
        setTimeout(() => resolve(subscriber), 20);
      } else if (message.type === "next") {
        if (message.payload.errors) reject(new CheckFailed(`subscription error: ${JSON.stringify(message.payload.errors)}`));
        subscriber.received++;
        const asOf = Date.parse(message.payload.data.stockLevelChanged.asOf);
        if (Number.isFinite(asOf)) subscriber.lags.push(at - asOf);
      } else if (message.type === "error") reject(new CheckFailed(`subscription refused: ${JSON.stringify(message)}`));
    });
    socket.on("error", reject);
  });
}

interface City {
  districts: Array<{ id: number; code: string }>;
  townships: Array<{ id: number; district: number }>;
  /** One township of each district, whose scoped LOGISTICS account submits its requests. */
  townshipDesks: Array<{ township: number; username: string; token?: string }>;
  spread: number[];
  items: number[];
  requestItem: number;
}

interface DayResult {
  rows: Array<Array<string | number | null>>;
  /** silent: subscribers of a district whose stock changed that heard nothing. */
  subscribers: { events: number; silent: number; districtsChanged: number; lagP50: number; lagP99: number };
  counts: Record<Kind, number>;
  cpuMsPerWrite: number;
}

/** One flood day of `seconds` on our service: every kind of work at once; the figures per kind. */
async function floodDay(client: import("pg").Client, ours: OurService, tokens: { commander: string; logistics: string; dashboard: string }, city: City, seconds: number, label: string): Promise<DayResult> {
  const recorder = new Recorder();
  const wsUrl = ours.url.replace(/^http/, "ws");
  const subscribers: Subscriber[] = [];
  for (const district of city.districts) {
    subscribers.push(...(await Promise.all(Array.from({ length: SUBSCRIBERS_PER_DISTRICT }, () => subscribe(wsUrl, tokens.dashboard, district.id)))));
  }
  log(`S7 ${label}: ${subscribers.length} subscribers connected`);

  // What the writers take from: fresh SUBMITTED orders for the approvals, approved ones (with
  // their line ids) for the deliveries, sized for more than the day can use.
  const approvals = await createOrderRows(client, city.spread, Math.ceil(1500 * seconds) + 300);
  const deliveryIds = await createOrderRows(client, city.spread, Math.ceil(120 * seconds) + 100);
  await approveLoad(ourApprover("ours", ours.url, tokens.commander), deliveryIds, 8, { amount: deliveryIds.length });
  const lines = new Map<number, number>(
    (await client.query(`SELECT l.order_id, l.id FROM dispatch_order_line l JOIN dispatch_order o ON o.id = l.order_id WHERE l.order_id = ANY($1::int[]) AND o.status = 'APPROVED'`, [deliveryIds])).rows.map((r) => [r.order_id, r.id]),
  );
  check(lines.size === deliveryIds.length, `S7: only ${lines.size} of ${deliveryIds.length} delivery orders were approved beforehand`);
  const districtOf = new Map<number, number>(
    (await client.query(`SELECT id, district_id FROM dispatch_order WHERE id = ANY($1::int[])`, [[...approvals, ...deliveryIds]])).rows.map((r) => [r.id, r.district_id]),
  );
  /** Districts whose stock changed during the day (an approval reserved, a dispatch issued): their subscribers must have heard. */
  const changed = new Set<number>();

  let nextApproval = 0;
  let nextDelivery = 0;
  let requestCount = 0;
  let ranOut = "";
  const deadline = nowMs() + seconds * 1000;
  const loop = async (work: () => Promise<boolean>) => {
    while (nowMs() < deadline) {
      try {
        if (!(await work())) return;
      } catch (error) {
        recorder.failures.push((error as Error).message);
        if (recorder.failures.length > 20) return;
      }
    }
  };
  const approve = async () => {
    if (nextApproval >= approvals.length) return ((ranOut = "approvals"), false);
    const id = approvals[nextApproval++];
    await recorder.time("approveDispatchOrder", () => post(ours.url, tokens.commander, APPROVE, { input: { id: toGlobalId("DispatchOrder", id) } }));
    changed.add(districtOf.get(id)!);
    return true;
  };
  const deliver = async () => {
    if (nextDelivery >= deliveryIds.length) return ((ranOut = "deliveries"), false);
    const id = deliveryIds[nextDelivery++];
    const orderId = toGlobalId("DispatchOrder", id);
    await recorder.time("markDispatched", () => post(ours.url, tokens.logistics, DISPATCH, { input: { id: orderId } }));
    changed.add(districtOf.get(id)!);
    await recorder.time("confirmDelivery", () => post(ours.url, tokens.logistics, CONFIRM, { input: { id: orderId, lines: [{ lineId: toGlobalId("DispatchOrderLine", lines.get(id)!), receivedQuantity: 1 }] } }));
    return true;
  };
  const request = async () => {
    const n = requestCount++;
    const desk = city.townshipDesks[n % city.townshipDesks.length];
    await recorder.time("submitSupplyRequest", () =>
      post(ours.url, desk.token!, REQUEST, {
        input: {
          purpose: "PRE_POSITIONING",
          destination: { regionId: toGlobalId("Region", desk.township) },
          lines: [{ itemId: toGlobalId("SupplyItem", city.requestItem), quantity: 10 + (n % 40) }],
          requesterPhone: "023-52220000",
          note: `bench S7 ${label} ${n}`,
        },
      }),
    );
    return true;
  };
  const poll = (district: number) => async () => {
    const started = nowMs();
    await recorder.time("wall poll", () => post(ours.url, tokens.dashboard, WALL, { itemIds: city.items.map((id) => toGlobalId("SupplyItem", id)), regionId: toGlobalId("Region", district) }));
    const wait = WALL_PERIOD_MS - (nowMs() - started);
    if (wait > 0) await sleep(Math.min(wait, Math.max(0, deadline - nowMs())));
    return true;
  };

  // What the subscribers heard of the preparation does not count.
  await sleep(300);
  for (const s of subscribers) (s.received = 0), (s.lags = []);
  const cpuBefore = cpuSeconds(ours.workerPid());
  const started = nowMs();
  await Promise.all([
    ...Array.from({ length: REQUEST_WORKERS }, () => loop(request)),
    ...Array.from({ length: APPROVAL_WORKERS }, () => loop(approve)),
    ...Array.from({ length: DELIVERY_WORKERS }, () => loop(deliver)),
    ...city.districts.flatMap((d) => Array.from({ length: WALLS_PER_DISTRICT }, (_, i) => sleep((i * WALL_PERIOD_MS) / WALLS_PER_DISTRICT).then(() => loop(poll(d.id))))),
  ]);
  const elapsed = (nowMs() - started) / 1000;
  const cpu = cpuSeconds(ours.workerPid()) - cpuBefore;
  await sleep(500); // the last changes' events reach their subscribers
  for (const s of subscribers) s.socket.close();
  if (recorder.failures.length) throw new CheckFailed(`S7 ${label}: ${recorder.failures.length} operations failed, e.g. ${recorder.failures.slice(0, 3).join(" | ")}`);
  if (ranOut) throw new CheckFailed(`S7 ${label}: the prepared ${ranOut} ran out; the pools are too small for this machine`);

  const counts = Object.fromEntries(KINDS.map((kind) => [kind, recorder.latencies.get(kind)!.length])) as Record<Kind, number>;
  const rows = KINDS.map((kind) => {
    const list = recorder.latencies.get(kind)!;
    return [kind, list.length, round(list.length / elapsed, 1), round(percentile(list, 50), 1), round(percentile(list, 99), 1)];
  });
  const lags = subscribers.flatMap((s) => s.lags);
  const writes = counts.submitSupplyRequest + counts.approveDispatchOrder + counts.markDispatched + counts.confirmDelivery;
  return {
    rows,
    counts,
    subscribers: { events: subscribers.reduce((sum, s) => sum + s.received, 0), silent: subscribers.filter((s) => changed.has(s.district) && s.received === 0).length, districtsChanged: changed.size, lagP50: round(percentile(lags, 50), 1), lagP99: round(percentile(lags, 99), 1) },
    cpuMsPerWrite: round((cpu * 1000) / Math.max(1, writes + counts["wall poll"]), 2),
  };
}

/** From the catalogue: does each growing table carry district_id, in its primary key, in which indexes. */
async function districtKeys(client: import("pg").Client): Promise<Table> {
  const { rows } = await client.query(
    `SELECT t.relname AS table,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'district_id' AND NOT a.attisdropped) AS has_column,
            (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum WHERE i.indrelid = t.oid AND i.indisprimary) AS primary_key,
            (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.oid)::int AS indexes,
            (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = t.oid AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'district_id' AND a.attnum = ANY(i.indkey))) AS with_district,
            (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = t.oid AND i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'district_id' AND a.attnum = ANY(i.indkey))) AS unique_without
     FROM pg_class t WHERE t.relname = ANY($1::text[]) AND t.relkind = 'r' ORDER BY array_position($1::text[], t.relname::text)`,
    [GROWING_TABLES],
  );
  return {
    title: "The growing tables' keys: where the owning district's id is (read from the catalogue)",
    columns: ["table", "district_id column", "primary key", "indexes", "indexes with district_id", "unique keys without district_id"],
    rows: rows.map((r) => [r.table, r.has_column ? "yes" : "**no**", r.primary_key, r.indexes, r.with_district ?? "none", r.unique_without ?? "none"]),
    note: "A table distributed by district (Citus-style) needs district_id in every unique key and primary key, and in the foreign keys between distributed tables; the tables here have it as a column and in their filtering indexes, not in their keys.",
  };
}

export async function runS7(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const dataset = await ensureTemplate(10, ctx.databasePrefix);
  const url = await cloneDatabase(dataset.template, `${ctx.databasePrefix}_s7`);
  const replicaUrl = process.env.BENCH_READ_DATABASE_URL;
  const processes: RunningProcess[] = [];
  const checks: ScenarioResult["checks"] = [];
  const notes: string[] = [];
  const tables: Table[] = [];
  return withClient(url, async (client) => {
    try {
      await createBatches(client);
      const city: City = {
        districts: (await client.query(`SELECT id, code FROM region WHERE level = 'DISTRICT' ORDER BY id`)).rows,
        townships: (await client.query(`SELECT id, district_id AS district FROM region WHERE level = 'TOWNSHIP' ORDER BY id`)).rows,
        // Interleaved by district (1st site of each district, then the 2nd …), so that orders taken
        // in turn reach every district from the start.
        spread: (await client.query(`SELECT id FROM stock_batch WHERE batch_number = 'BENCH-SPREAD' ORDER BY row_number() OVER (PARTITION BY district_id ORDER BY id), district_id`)).rows.map((r) => r.id),
        items: (await client.query(`SELECT id FROM supply_item ORDER BY code LIMIT $1`, [KEY_ITEMS])).rows.map((r) => r.id),
        requestItem: (await client.query(`SELECT id FROM supply_item WHERE NOT tracks_expiry ORDER BY code LIMIT 1`)).rows[0].id,
        townshipDesks: [],
      };
      // A township office in each district: a LOGISTICS account scoped to the district's first
      // township (乡镇), with the bench accounts' password (its hash copied).
      const { rows: desks } = await client.query(
        `INSERT INTO account (username, display_name, password_hash, role, scope_region_id)
         SELECT 'bench.township.' || lower(d.code), d.code || ' 乡镇物资员', (SELECT password_hash FROM account WHERE username = $1), 'LOGISTICS', t.id
         FROM region d CROSS JOIN LATERAL (SELECT id FROM region WHERE parent_id = d.id AND level = 'TOWNSHIP' ORDER BY id LIMIT 1) t
         WHERE d.level = 'DISTRICT' ORDER BY d.id
         RETURNING username, scope_region_id AS township`,
        [BENCH_ACCOUNTS.logistics.username],
      );
      city.townshipDesks = desks;
      check(desks.length === city.districts.length, `S7: ${desks.length} township accounts for ${city.districts.length} districts`);
      check(city.districts.length === 10, `S7: ${city.districts.length} districts in the 10× data set`);
      const dashboardKey = newApiKey();
      await client.query(`INSERT INTO api_key (name, role, key_hash, prefix) VALUES ('S7 城市大屏 bench', 'DASHBOARD', $1, $2)`, [hashApiKey(dashboardKey), dashboardKey.slice(0, 10)]);
      tables.push(await districtKeys(client));

      const seconds = ctx.seconds(20);
      const passes: Array<{ label: string; env: Record<string, string> }> = [{ label: "one primary", env: {} }];
      if (replicaUrl) passes.push({ label: "with a replica for reads", env: { DATABASE_READ_URL: replicaUrl } });
      else notes.push("With a replica: not measured. This branch has no read-replica support (issue 22 items 3–4 are another helper's); set BENCH_READ_DATABASE_URL to a streaming replica of the bench server and S7 runs the day a second time with DATABASE_READ_URL given to our service.");
      const summary: Array<Array<string | number | null>> = [];
      for (const pass of passes) {
        const ours = await startOurService(url, await freePort(), pass.env);
        processes.push(ours);
        const tokens = { commander: await login(ours.url, "commander"), logistics: await login(ours.url, "logistics"), dashboard: dashboardKey };
        for (const desk of city.townshipDesks) desk.token = await loginWith(ours.url, desk.username, BENCH_ACCOUNTS.logistics.password);
        const approvedBefore = await approvedCount(client);
        const days: DayResult[] = [];
        for (let r = 0; r < ctx.rounds; r++) {
          days.push(await floodDay(client, ours, tokens, city, seconds, `${pass.label}, round ${r + 1}`));
          log(`S7 ${pass.label}: round ${r + 1}/${ctx.rounds} done`);
        }
        // Medians over the rounds, per kind.
        const med = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
        tables.push({
          title: `${pass.label}: per kind of operation (medians of ${ctx.rounds} rounds of ${seconds} s; ms)`,
          columns: ["operation", "completed per round", "per second", "p50", "p99"],
          rows: KINDS.map((kind, i) => [kind, med(days.map((d) => d.rows[i][1] as number)), med(days.map((d) => d.rows[i][2] as number)), med(days.map((d) => d.rows[i][3] as number)), med(days.map((d) => d.rows[i][4] as number))]),
        });
        summary.push([
          pass.label,
          SUBSCRIBERS_PER_DISTRICT * city.districts.length,
          med(days.map((d) => d.subscribers.events)),
          med(days.map((d) => d.subscribers.lagP50)),
          med(days.map((d) => d.subscribers.lagP99)),
          med(days.map((d) => d.cpuMsPerWrite)),
        ]);
        const silent = Math.max(...days.map((d) => d.subscribers.silent));
        checks.push({ name: `${pass.label}: every operation of every kind succeeded, and each kind ran`, passed: days.every((d) => KINDS.every((k) => d.counts[k] > 0)), detail: days.map((d) => KINDS.map((k) => d.counts[k]).join("/")).join("; ") });
        checks.push({
          name: `${pass.label}: every subscriber of a district whose stock changed heard of it`,
          passed: silent === 0,
          detail: `${silent} silent at most in a round; districts with changes per round: ${days.map((d) => d.subscribers.districtsChanged).join(", ")} of ${city.districts.length}`,
        });
        check(silent === 0, `S7 ${pass.label}: ${silent} subscribers heard nothing`);
        const approved = (await approvedCount(client)) - approvedBefore;
        check(approved > 0, `S7 ${pass.label}: nothing approved`);
        await ours.stop();
      }
      tables.push({ title: "Dashboard subscribers (stockLevelChanged of their district; lag = arrival − the event's asOf, ms)", columns: ["pass", "subscribers", "events received", "lag p50", "lag p99", "our CPU ms per operation"], rows: summary });
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM stock_batch WHERE reserved < 0 OR reserved > on_hand`);
      checks.push({ name: "no batch over-reserved or below zero after the day", passed: rows[0].n === 0, detail: `${rows[0].n} batches` });
      check(rows[0].n === 0, `S7: ${rows[0].n} batches over-reserved or below zero`);
      const discrepancies = (await client.query(`SELECT count(*)::int AS n FROM stock_batch b WHERE b.on_hand <> coalesce((SELECT sum(m.quantity) FROM stock_movement m WHERE m.batch_id = b.id), 0) AND b.batch_number = 'BENCH-SPREAD'`)).rows[0].n;
      checks.push({ name: "on hand equals the ledger (账实相符) for every bench batch after the deliveries", passed: discrepancies === 0, detail: `${discrepancies} batches differ` });
      const sizes = (await client.query(`SELECT (SELECT count(*) FROM dispatch_order)::int AS orders, (SELECT count(*) FROM stock_movement)::int AS movements, (SELECT count(*) FROM audit_entry)::int AS audit, (SELECT count(*) FROM supply_request)::int AS requests`)).rows[0];

      return {
        scenario: "S7",
        title: "A flood day at city scale: 10 districts, writers, 200 subscribers and 20 walls at once",
        peerName: "none",
        peerUnavailable: "S7 has no peer: it measures what one primary carries",
        ...runFrame(ctx, startedAt, machineInfo),
        secondsPerRound: seconds,
        versions: await versions(),
        data: { districts: city.districts.length, townships: city.townships.length, sites: dataset.sites, stockBatches: dataset.stockBatches, sizeMb: dataset.sizeMb, afterTheDay: sizes },
        settings: {
          writers: `${REQUEST_WORKERS} request workers (the ${city.townshipDesks.length} township accounts in turn), ${APPROVAL_WORKERS} approval (COMMANDER), ${DELIVERY_WORKERS} delivery (district-wide LOGISTICS) workers in closed loops`,
          dashboards: `${SUBSCRIBERS_PER_DISTRICT * city.districts.length} subscribers (DASHBOARD key), ${WALLS_PER_DISTRICT * city.districts.length} walls polling every ${WALL_PERIOD_MS} ms`,
          replica: replicaUrl ? "BENCH_READ_DATABASE_URL given" : "none",
        },
        cases: [],
        tables,
        checks,
        notes,
      };
    } finally {
      for (const running of processes.reverse()) await running.stop();
    }
  });
}
