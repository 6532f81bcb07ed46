// S3 — allocation surge: approveDispatchOrder reserving stock, at 1, 8 and 32 concurrent
// clients from one hot site × item (every approval locks the same batch row), and spread over
// one batch at each of the 576 sites; against two peers on the same server and data, in
// alternating rounds (ours, PostGraphile 4, pgbench, ours, …):
// - PostGraphile 4 serving a plpgsql function that does our approval's work
//   (bench/peers/approve-dispatch-order.sql: lock the order, lock its batches in the fixed
//   order, check state, expiry and availability, reserve, approve, audit row, NOTIFY), called
//   over HTTP with a JWT — what a user would build instead of this service; target ≥ 1.0×;
// - pgbench running the bare SQL of one reservation (bench/peers/reservation.pgbench.sql: lock,
//   check, update, ledger insert): the physical limit, its ratio reported as such.
//
// Each measurement gets fresh SUBMITTED orders (one line of one unit, allocated to the batch),
// written by set-based SQL; throughput is counted in the database (orders that became APPROVED,
// pgbench ledger rows) per second. After every run, and at the end, nothing may be
// over-reserved: each bench batch's reserved equals what approved orders and pgbench ledger
// rows account for, and never exceeds on hand. A final race (300 approvals of one unit for a
// batch of 100, 32 at a time) must approve exactly 100 on every side: ours, PostGraphile, the
// peer's function called directly from 32 sessions (this one also in smoke runs without
// PostGraphile installed), and pgbench.
// A/B (`--base <rev>`): the peers do not run; our service as of <rev> (ctx.base), on the same
// database, approves the same kind of orders in the alternate rounds, and the floor and the race
// are run on both.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import type { Client } from "pg";
import { toGlobalId } from "../../src/core/graphql/relay";
import type { RunContext } from "../lib/context";
import { BENCH_ACCOUNTS, cloneDatabase, ensureTemplate, withClient } from "../lib/databases";
import { alternateSides, medianOf } from "../lib/measure";
import { ensurePostGraphile, startPostGraphile } from "../lib/peers";
import { login, startOurService, type RunningProcess } from "../lib/processes";
import { commandVersion, judge, machine, ratio, runFrame, versions, type Case, type ScenarioResult } from "../lib/report";
import { check, CheckFailed, freePort, log } from "../lib/util";

const run = promisify(execFile);
const PGBENCH_SCRIPT = path.join(__dirname, "..", "peers", "reservation.pgbench.sql");
const APPROVE = `mutation Approve($input: ApproveDispatchOrderInput!) { approveDispatchOrder(input: $input) { order { id status } errors { code message } } }`;

interface Batches {
  itemId: number;
  hot: number;
  spreadLo: number;
  spreadHi: number;
}

/** One bench batch of a non-expiring item at every site (consecutive ids) and one hot batch at the depot. */
export async function createBatches(client: Client): Promise<Batches> {
  const itemId: number = (await client.query(`SELECT id FROM supply_item WHERE NOT tracks_expiry ORDER BY code LIMIT 1`)).rows[0].id;
  await client.query(
    `INSERT INTO stock_level (district_id, site_id, item_id, minimum_quantity)
     SELECT s.district_id, s.id, $1, 0 FROM storage_site s ORDER BY s.id ON CONFLICT (site_id, item_id) DO NOTHING`,
    [itemId],
  );
  await client.query(`CREATE TABLE bench_reservation_ledger (id bigserial PRIMARY KEY, batch_id integer NOT NULL REFERENCES stock_batch(id), quantity integer NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
  await newBatches(client, itemId, "BENCH-SPREAD", `SELECT id FROM storage_site ORDER BY id`, 1_000_000);
  await newBatches(client, itemId, "BENCH-HOT", `SELECT id FROM storage_site WHERE tier = 'DISTRICT_DEPOT'`, 1_000_000);
  const { rows } = await client.query(`SELECT min(id) FILTER (WHERE batch_number = 'BENCH-SPREAD') AS lo, max(id) FILTER (WHERE batch_number = 'BENCH-SPREAD') AS hi,
      min(id) FILTER (WHERE batch_number = 'BENCH-HOT') AS hot, count(*) FILTER (WHERE batch_number = 'BENCH-SPREAD') AS spread FROM stock_batch`);
  check(Number(rows[0].hi) - Number(rows[0].lo) + 1 === Number(rows[0].spread), "the spread batches' ids are not consecutive");
  return { itemId, hot: rows[0].hot, spreadLo: rows[0].lo, spreadHi: rows[0].hi };
}

/** New batches with a RECEIPT ledger row each, so on hand still equals the ledger (账实相符). */
async function newBatches(client: Client, itemId: number, batchNumber: string, sitesSql: string, quantity: number): Promise<void> {
  await client.query(
    `WITH b AS (
       INSERT INTO stock_batch (district_id, site_id, item_id, batch_number, production_date, expiry_date, reserve_mode, on_hand, reserved)
       SELECT s.district_id, s.id, $1, $2, current_date - 30, NULL, 'GOVERNMENT', $3, 0
       FROM storage_site s WHERE s.id IN (${sitesSql}) ORDER BY s.id
       RETURNING *)
     INSERT INTO stock_movement (district_id, batch_id, site_id, item_id, kind, quantity, on_hand_after, reason, operation_id, note, recorded_by)
     SELECT district_id, id, site_id, item_id, 'RECEIPT', on_hand, on_hand, 'PURCHASE', gen_random_uuid(), 'bench S3', 'bench' FROM b ORDER BY id`,
    [itemId, batchNumber, quantity],
  );
}

let orderSeries = 0;

/** `count` SUBMITTED orders of one unit each, allocated round-robin to the batches; their global ids. */
export async function createOrders(client: Client, batchIds: number[], count: number): Promise<string[]> {
  return (await createOrderRows(client, batchIds, count)).map((id) => toGlobalId("DispatchOrder", id));
}

/** The same orders' row ids (what the PostGraphile peer's mutation takes). */
export async function createOrderRows(client: Client, batchIds: number[], count: number): Promise<number[]> {
  const prefix = `BENCH-S3-${++orderSeries}`;
  const { rows } = await client.query(
    `WITH src AS (
       SELECT n, b.id AS batch_id, b.site_id, b.item_id, b.district_id, s.region_id, r.latitude, r.longitude
       FROM generate_series(1, $2::int) AS n
       JOIN stock_batch b ON b.id = ($1::int[])[1 + (n - 1) % array_length($1::int[], 1)]
       JOIN storage_site s ON s.id = b.site_id JOIN region r ON r.id = s.region_id
     ), orders AS (
       INSERT INTO dispatch_order (code, district_id, status, priority, destination_kind, destination_region_id, destination_latitude, destination_longitude, created_by, submitted_at)
       SELECT $3 || '-' || n, district_id, 'SUBMITTED', 'HIGH', 'REGION', region_id, latitude, longitude, 'bench', now() FROM src ORDER BY n
       RETURNING id, code
     ), lines AS (
       INSERT INTO dispatch_order_line (order_id, district_id, position, item_id, quantity)
       SELECT o.id, src.district_id, 1, src.item_id, 1 FROM orders o JOIN src ON o.code = $3 || '-' || src.n
       RETURNING id, order_id
     )
     INSERT INTO dispatch_allocation (order_id, line_id, district_id, item_id, source_kind, site_id, batch_id, quantity)
     SELECT l.order_id, l.id, src.district_id, src.item_id, 'SITE_STOCK', src.site_id, src.batch_id, 1
     FROM lines l JOIN orders o ON o.id = l.order_id JOIN src ON o.code = $3 || '-' || src.n
     ORDER BY l.order_id
     RETURNING order_id`,
    [batchIds, count, prefix],
  );
  return rows.map((row) => row.order_id as number);
}

/** Every bench batch: reserved = what approved orders + pgbench ledger rows account for, ≤ on hand. */
async function overReservation(client: Client): Promise<{ batches: number; reserved: number; problems: string[] }> {
  // One pass over each table, grouped: the pgbench ledger has no index on batch_id (the peer
  // should not pay for one), and a subquery per batch read it 579 times (8 s at 450,000 rows).
  const { rows } = await client.query(
    `WITH bench AS (SELECT id FROM stock_batch WHERE batch_number LIKE 'BENCH-%'),
     approved AS (SELECT a.batch_id, sum(a.quantity) AS quantity FROM dispatch_allocation a JOIN dispatch_order o ON o.id = a.order_id
                  WHERE o.status = 'APPROVED' AND a.batch_id IN (SELECT id FROM bench) GROUP BY a.batch_id),
     ledger AS (SELECT batch_id, sum(quantity) AS quantity FROM bench_reservation_ledger GROUP BY batch_id)
     SELECT b.id, b.batch_number, b.on_hand, b.reserved, coalesce(approved.quantity, 0)::int AS approved, coalesce(ledger.quantity, 0)::int AS pgbench
     FROM stock_batch b LEFT JOIN approved ON approved.batch_id = b.id LEFT JOIN ledger ON ledger.batch_id = b.id
     WHERE b.batch_number LIKE 'BENCH-%'`,
  );
  const problems = rows
    .filter((row) => row.reserved !== row.approved + row.pgbench || row.reserved > row.on_hand)
    .map((row) => `batch ${row.id} (${row.batch_number}): reserved ${row.reserved}, on hand ${row.on_hand}, approved orders ${row.approved}, pgbench ledger ${row.pgbench}`);
  return { batches: rows.length, reserved: rows.reduce((sum, row) => sum + row.reserved, 0), problems };
}

export async function approvedCount(client: Client): Promise<number> {
  return (await client.query(`SELECT count(*)::int AS n FROM dispatch_order WHERE status = 'APPROVED' AND code LIKE 'BENCH-S3-%'`)).rows[0].n;
}

async function ledgerCount(client: Client): Promise<number> {
  return (await client.query(`SELECT count(*)::int AS n FROM bench_reservation_ledger`)).rows[0].n;
}

/** Who approves over HTTP: our service (or the base's) with its token, or PostGraphile with its JWT; the request body for an order's row id. */
export interface Approver {
  side: string;
  url: string;
  token: string;
  body(orderId: number): string;
}

export function ourApprover(side: string, url: string, token: string): Approver {
  return { side, url, token, body: (id) => JSON.stringify({ query: APPROVE, variables: { input: { id: toGlobalId("DispatchOrder", id) } } }) };
}

/** Approvals over HTTP: each connection approves the next unapproved order, one after another. */
export async function approveLoad(approver: Approver, orderIds: number[], connections: number, limit: { seconds?: number; amount?: number }) {
  let next = 0;
  const result = await autocannon({
    url: approver.url,
    connections,
    pipelining: 1,
    timeout: 30,
    ...(limit.amount ? { amount: limit.amount } : { duration: limit.seconds }),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${approver.token}` },
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: approver.body(orderIds[next++ % orderIds.length]) }),
      },
    ] as never,
  } as never);
  if (result.errors || result.timeouts || result.non2xx) throw new CheckFailed(`approvals (${approver.side}): ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`);
  return { requests: result.requests.total, sent: next, p50: result.latency.p50, p99: result.latency.p99 };
}

/** The peer's function called directly, `sessions` at a time, as PostGraphile calls it (a transaction, the JWT's claims set locally). */
async function approveInSql(databaseUrl: string, orderIds: number[], sessions: number, actor: { id: number; name: string }): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: sessions }, () =>
      withClient(databaseUrl, async (session) => {
        while (next < orderIds.length) {
          const id = orderIds[next++];
          await session.query("BEGIN");
          await session.query(`SELECT set_config('jwt.claims.app_role', 'COMMANDER', true), set_config('jwt.claims.account_id', $1, true), set_config('jwt.claims.name', $2, true)`, [String(actor.id), actor.name]);
          await session.query(`SELECT * FROM approve_dispatch_order($1)`, [id]);
          await session.query("COMMIT");
        }
      }),
    ),
  );
}

async function pgbench(databaseUrl: string, clients: number, vars: Record<string, number>, limit: { seconds?: number; transactionsPerClient?: number }): Promise<{ tps: number; p50: number | null }> {
  const url = new URL(databaseUrl);
  const args = ["-n", "-M", "prepared", "-f", PGBENCH_SCRIPT, "-c", String(clients), "-j", String(Math.min(clients, 2)), "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres")];
  args.push(...(limit.seconds ? ["-T", String(limit.seconds)] : ["-t", String(limit.transactionsPerClient)]));
  for (const [name, value] of Object.entries(vars)) args.push("-D", `${name}=${value}`);
  args.push(url.pathname.slice(1));
  const { stdout } = await run("pgbench", args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } });
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return { tps, p50: Number.isFinite(latency) ? latency : null };
}

interface Sample {
  perSecond: number;
  p99: number | null;
}

const PEER_APPROVE = `mutation Approve($id: Int!) { approveDispatchOrder(input: { orderId: $id }) { approvalOutcome { orderId status errorCode } } }`;
const PG4 = "PostGraphile 4";
const PGBENCH = "pgbench";

/** A JWT for PostGraphile (HS256, its default audience), carrying the bench commander as claims the peer's function reads. */
async function peerToken(secret: string, actor: { id: number; name: string }): Promise<string> {
  const { SignJWT } = await import("jose");
  return new SignJWT({ app_role: "COMMANDER", account_id: actor.id, name: actor.name })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience("postgraphile")
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(new TextEncoder().encode(secret));
}

export async function runS3(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const dataset = await ensureTemplate(1, ctx.databasePrefix);
  const url = await cloneDatabase(dataset.template, `${ctx.databasePrefix}_s3`);
  const pgbenchVersion = ctx.base ? undefined : commandVersion("pgbench");
  const postgraphile = ctx.base ? undefined : ensurePostGraphile(ctx.allowPeerInstall);
  const unavailable = [
    ...(ctx.base || pgbenchVersion ? [] : ["pgbench is not installed (Debian: postgresql-client)"]),
    ...(postgraphile && "unavailable" in postgraphile ? [postgraphile.unavailable] : []),
  ];
  const processes: RunningProcess[] = [];
  const checks: ScenarioResult["checks"] = [];
  const notes: string[] = [];
  return withClient(url, async (client) => {
    try {
      // The peer's function, and PostGraphile's schema fixes (postgraphile.sql: a column named node_id,
      // a unique self-reference).
      await client.query(fs.readFileSync(path.join(__dirname, "..", "peers", "approve-dispatch-order.sql"), "utf8"));
      await client.query(`COMMENT ON COLUMN road_closure.node_id IS E'@name closedNodeId'`);
      await client.query(`COMMENT ON CONSTRAINT "FK_distribution_reverses" ON distribution IS E'@foreignSingleFieldName reversal'`);
      const batches = await createBatches(client);
      const spreadIds = Array.from({ length: batches.spreadHi - batches.spreadLo + 1 }, (_, i) => batches.spreadLo + i);
      const actor = (await client.query(`SELECT id, display_name AS name FROM account WHERE username = $1`, [BENCH_ACCOUNTS.commander.username])).rows[0] as { id: number; name: string };
      const ours = await startOurService(url, await freePort());
      processes.push(ours);
      const approvers: Approver[] = [ourApprover("ours", ours.url, await login(ours.url))];
      if (ctx.base) {
        const base = await startOurService(url, await freePort(), {}, ctx.base.dir);
        processes.push(base);
        approvers.push(ourApprover(`base ${ctx.base.sha.slice(0, 7)}`, base.url, await login(base.url)));
      }
      if (postgraphile && "version" in postgraphile) {
        const secret = crypto.randomBytes(32).toString("base64url");
        const peer = await startPostGraphile(url, await freePort(), { jwtSecret: secret });
        processes.push(peer);
        approvers.push({ side: PG4, url: peer.url, token: await peerToken(secret, actor), body: (id) => JSON.stringify({ query: PEER_APPROVE, variables: { id } }) });
      }
      const approver = (side: string) => approvers.find((a) => a.side === side)!;

      // The path works end to end before anything is measured.
      for (const a of approvers) {
        const [probe] = await createOrderRows(client, [batches.hot], 1);
        const response = await fetch(a.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` }, body: a.body(probe) });
        const body = await response.text();
        const status = (await client.query(`SELECT status FROM dispatch_order WHERE id = $1`, [probe])).rows[0].status;
        check(status === "APPROVED", `${a.side}: a bench order could not be approved: ${body.slice(0, 500)}`);
      }

      const seconds = ctx.seconds(3);
      const estimate = new Map<string, number>(); // approvals per second seen so far, per side and case
      const measureHttp = async (a: Approver, key: string, batchIds: number[], connections: number, s: number): Promise<Sample> => {
        key = `${a.side}: ${key}`;
        // Before anything is seen, assume more than any approval path here can do (the floor of
        // a request that does nothing is ~2,500/s on 2 cores): running out stops the run.
        const pool = Math.ceil((estimate.get(key) ?? 3000) * s * 2) + 300;
        const ids = await createOrderRows(client, batchIds, pool);
        const before = await approvedCount(client);
        const started = Date.now();
        const load = await approveLoad(a, ids, connections, { seconds: s });
        const elapsed = (Date.now() - started) / 1000;
        const approved = (await approvedCount(client)) - before;
        if (load.sent > pool) throw new CheckFailed(`S3 ${key}: the ${pool} prepared orders ran out (${load.sent} approvals sent); the estimate was too low`);
        check(approved > 0, `S3 ${key}: nothing was approved`);
        const perSecond = approved / elapsed;
        estimate.set(key, Math.max(estimate.get(key) ?? 0, perSecond));
        const audit = await overReservation(client);
        if (audit.problems.length) throw new CheckFailed(`over-reservation after ${key}: ${audit.problems.slice(0, 5).join("; ")}`);
        return { perSecond, p99: load.p99 };
      };
      const measurePgbench = async (key: string, connections: number, spread: boolean, s: number): Promise<Sample> => {
        const before = await ledgerCount(client);
        const result = await pgbench(url, connections, { batch: batches.hot, spread: spread ? 1 : 0, lo: batches.spreadLo, hi: batches.spreadHi }, { seconds: Math.max(1, Math.round(s)) });
        const rows = (await ledgerCount(client)) - before;
        check(rows > 0, `pgbench (${key}) reserved nothing`);
        const audit = await overReservation(client);
        if (audit.problems.length) throw new CheckFailed(`over-reservation after pgbench (${key}): ${audit.problems.slice(0, 5).join("; ")}`);
        return { perSecond: result.tps, p99: null };
      };

      const sides = [...approvers.map((a) => a.side), ...(pgbenchVersion ? [PGBENCH] : [])];
      const cases: Case[] = [];
      const latency: Array<Array<string | number | null>> = [];
      const spreadKey = `spread over ${spreadIds.length} sites`;
      const shapes = [
        { key: "hot, 1 client", batchIds: [batches.hot], connections: 1, spread: false, pgbenchTarget: undefined },
        { key: "hot, 8 clients", batchIds: [batches.hot], connections: 8, spread: false, pgbenchTarget: { atLeast: 0.5 } },
        { key: "hot, 32 clients", batchIds: [batches.hot], connections: 32, spread: false, pgbenchTarget: { atLeast: 0.5 } },
        { key: `${spreadKey}, 1 client`, batchIds: spreadIds, connections: 1, spread: true, pgbenchTarget: undefined },
        { key: `${spreadKey}, 8 clients`, batchIds: spreadIds, connections: 8, spread: true, pgbenchTarget: undefined },
        { key: `${spreadKey}, 32 clients`, batchIds: spreadIds, connections: 32, spread: true, pgbenchTarget: undefined },
      ];
      for (const shape of shapes) {
        const runSide = (side: string, s: number) => (side === PGBENCH ? measurePgbench(shape.key, shape.connections, shape.spread, s) : measureHttp(approver(side), shape.key, shape.batchIds, shape.connections, s));
        const samples = await alternateSides(`S3 ${shape.key}`, ctx.rounds, sides, (side) => runSide(side, seconds), (side) => runSide(side, ctx.warmupSeconds));
        const oursMedian = medianOf(samples.ours, (x) => x.perSecond);
        const rounded = (list: Sample[]) => list.map((x) => Math.round(x.perSecond * 10) / 10);
        for (const side of sides.slice(1)) {
          const peerMedian = medianOf(samples[side], (x) => x.perSecond);
          cases.push(
            judge({
              name: ctx.base ? shape.key : `${shape.key} — vs ${side}`,
              metric: "reservations/s",
              higherIsBetter: true,
              ours: { median: oursMedian, samples: rounded(samples.ours) },
              peer: { median: peerMedian, samples: rounded(samples[side]) },
              ratio: ratio(oursMedian, peerMedian),
              target: side === PGBENCH ? shape.pgbenchTarget : side === PG4 ? { atLeast: 1 } : undefined,
            }),
          );
        }
        if (sides.length === 1) cases.push({ name: shape.key, metric: "reservations/s", higherIsBetter: true, ours: { median: oursMedian, samples: rounded(samples.ours) }, peer: null, ratio: null });
        latency.push([shape.key, ...approvers.map((a) => medianOf(samples[a.side], (x) => x.p99 ?? NaN))]);
      }

      // The floor: what the same HTTP + GraphQL stack serves when a request does nothing at all
      // (an authenticated `{ __typename }`: token, account read, Apollo, no resolver). No
      // approval can go faster than this, whatever the database does. PostGraphile's beside it
      // (JWT verified, a transaction with its claims set, no table read).
      const floor: Array<Array<string | number | null>> = [];
      for (const connections of [8, 32]) {
        for (const a of approvers) {
          const result = await autocannon({
            url: a.url,
            connections,
            duration: seconds,
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` },
            body: JSON.stringify({ query: "{ __typename }" }),
          } as never);
          if (result.errors || result.non2xx) throw new CheckFailed(`floor (${a.side}): ${result.errors} errors, ${result.non2xx} non-2xx`);
          floor.push([`${a.side}, ${connections} clients`, Math.round(result.requests.total / seconds), result.latency.p99]);
        }
      }

      // The race for the last units: 300 approvals of one unit each for a batch of 100, 32 at a
      // time, on every side; each must approve exactly 100 and reserve exactly the 100 units.
      const race: Array<Array<string | number | null>> = [];
      const scarceBatch = async (batchNumber: string) => {
        await newBatches(client, batches.itemId, batchNumber, `SELECT id FROM storage_site WHERE tier = 'DISTRICT_DEPOT'`, 100);
        return (await client.query(`SELECT id FROM stock_batch WHERE batch_number = $1`, [batchNumber])).rows[0].id as number;
      };
      const raceOutcome = async (side: string, scarce: number, approve: (ids: number[]) => Promise<unknown>) => {
        const raceIds = await createOrderRows(client, [scarce], 300);
        const approvedBefore = await approvedCount(client);
        await approve(raceIds);
        const approved = (await approvedCount(client)) - approvedBefore;
        const row = (await client.query(`SELECT on_hand, reserved FROM stock_batch WHERE id = $1`, [scarce])).rows[0];
        const exact = approved === 100 && row.reserved === 100 && row.on_hand - row.reserved >= 0;
        race.push([side, 300, approved, row.reserved, row.on_hand - row.reserved]);
        checks.push({ name: `${side}: 300 concurrent approvals for 100 units approve exactly 100`, passed: exact, detail: `approved ${approved}, reserved ${row.reserved} of ${row.on_hand}` });
        check(exact, `${side} over- or under-reserved in the race: approved ${approved}, reserved ${row.reserved} of ${row.on_hand}`);
      };
      for (const a of approvers) {
        const scarce = await scarceBatch(`BENCH-SCARCE-${a.side.replace(/\W+/g, "-").toUpperCase()}`);
        await raceOutcome(a.side, scarce, (ids) => approveLoad(a, ids, 32, { amount: 300 }));
      }
      if (!ctx.base) {
        // The peer's function without PostGraphile: 32 sessions of their own (smoke runs too).
        const scarce = await scarceBatch("BENCH-SCARCE-SQL");
        await raceOutcome("the peer's function in 32 SQL sessions", scarce, (ids) => approveInSql(url, ids, 32, actor));
      }
      if (pgbenchVersion) {
        const scarcePeer = await scarceBatch("BENCH-SCARCE-PGBENCH");
        await pgbench(url, 32, { batch: scarcePeer, spread: 0, lo: 0, hi: 0 }, { transactionsPerClient: 10 });
        const peerRow = (await client.query(`SELECT on_hand, reserved, (SELECT count(*)::int FROM bench_reservation_ledger WHERE batch_id = $1) AS rows FROM stock_batch WHERE id = $1`, [scarcePeer])).rows[0];
        race.push([PGBENCH, 320, peerRow.rows, peerRow.reserved, peerRow.on_hand - peerRow.reserved]);
        checks.push({ name: "pgbench: 320 concurrent reservations for 100 units reserve exactly 100", passed: peerRow.reserved === 100 && peerRow.rows === 100, detail: `reserved ${peerRow.reserved}, ledger rows ${peerRow.rows}` });
      }
      const audit = await overReservation(client);
      checks.push({ name: "no over-reservation after any run (reserved = approved orders + pgbench ledger rows ≤ on hand, every bench batch)", passed: audit.problems.length === 0, detail: `${audit.batches} batches, ${audit.reserved} units reserved in all` });
      check(audit.problems.length === 0, audit.problems.join("; "));
      const negative = (await client.query(`SELECT count(*)::int AS n FROM stock_batch WHERE reserved < 0 OR on_hand < reserved`)).rows[0].n;
      checks.push({ name: "no batch below zero (reserved ≥ 0, available ≥ 0), every batch", passed: negative === 0, detail: `${negative} batches` });
      check(negative === 0, `${negative} batches below zero`);
      log(`S3: ${audit.reserved} units reserved over ${audit.batches} batches, none over-reserved`);
      if (unavailable.length) notes.push(`Peers unavailable: ${unavailable.join("; ")}`);

      return {
        scenario: "S3",
        title: ctx.base ? "Allocation surge vs pgbench" : "Allocation surge vs PostGraphile 4 (the same approval in plpgsql) and pgbench (the limit)",
        peerName: ctx.base ? "pgbench" : "peer",
        // The smoke check's "every case has a peer number" holds for the peers that ran; one that could not is named here.
        peerUnavailable: sides.length === 1 ? unavailable.join("; ") || undefined : undefined,
        ...runFrame(ctx, startedAt, machineInfo),
        secondsPerRound: seconds,
        versions: await versions({ pgbench: pgbenchVersion, postgraphile: postgraphile && "version" in postgraphile ? postgraphile.version : undefined }),
        data: { sites: dataset.sites, stockBatches: dataset.stockBatches, hotBatch: "BENCH-HOT at the district depot, 1,000,000 units", spreadBatches: `${spreadIds.length} (one per site)` },
        settings: {
          ours: "approveDispatchOrder over HTTP as a COMMANDER, one unit per order, autocannon connections = clients; rate = orders that became APPROVED per second (counted in the database)",
          peer: ctx.base
            ? `our service as of ${ctx.base.sha.slice(0, 7)} on the same database, the same approvals and rate`
            : `${PG4}: approveDispatchOrder(input: { orderId }) over HTTP with a JWT (bench/peers/approve-dispatch-order.sql), pool 10, the same orders and rate; ${PGBENCH}: -M prepared -c <clients> -j 2 -f bench/peers/reservation.pgbench.sql, rate = tps`,
        },
        cases,
        tables: [
          { title: "Approval latency over HTTP (ms, p99, median of the rounds)", columns: ["case", ...approvers.map((a) => `${a.side} p99`)], rows: latency },
          { title: "The floor: an authenticated `{ __typename }` through the same HTTP stack (no resolver; ours reads the account, PostGraphile verifies the JWT and opens a transaction)", columns: ["side, clients", "requests/s", "p99 ms"], rows: floor },
          { title: "The race for the last units (a batch of 100, 32 at a time)", columns: ["side", "attempts", "approved", "reserved", "left"], rows: race },
        ],
        checks,
        notes,
      };
    } finally {
      for (const running of processes.reverse()) await running.stop();
    }
  });
}
