// S3 — allocation surge: approveDispatchOrder reserving stock, at 1, 8 and 32 concurrent
// clients from one hot site × item (every approval locks the same batch row), and spread over
// one batch at each of the 576 sites; against pgbench running the bare SQL of one reservation
// (bench/peers/reservation.pgbench.sql: lock, check, update, ledger insert) on the same server.
//
// Each measurement gets fresh SUBMITTED orders (one line of one unit, allocated to the batch),
// written by set-based SQL; throughput is counted in the database (orders that became APPROVED,
// pgbench ledger rows) per second. After every run, and at the end, nothing may be
// over-reserved: each bench batch's reserved equals what approved orders and pgbench ledger
// rows account for, and never exceeds on hand. A final race (32 clients, 300 approvals of 100
// units) must approve exactly 100 on each side.
// A/B (`--base <rev>`): pgbench does not run; our service as of <rev> (ctx.base), on the same
// database, approves the same kind of orders in the alternate rounds, and the floor and the race
// are run on both.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import type { Client } from "pg";
import { toGlobalId } from "../../src/core/graphql/relay";
import type { RunContext } from "../lib/context";
import { cloneDatabase, ensureTemplate, withClient } from "../lib/databases";
import { alternate, medianOf } from "../lib/measure";
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
  return rows.map((row) => toGlobalId("DispatchOrder", row.order_id));
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

/** Approvals through our API: each connection approves the next unapproved order, one after another. */
export async function approveLoad(url: string, token: string, orderIds: string[], connections: number, limit: { seconds?: number; amount?: number }) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    timeout: 30,
    ...(limit.amount ? { amount: limit.amount } : { duration: limit.seconds }),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: JSON.stringify({ query: APPROVE, variables: { input: { id: orderIds[next++ % orderIds.length] } } }) }),
      },
    ] as never,
  } as never);
  if (result.errors || result.timeouts || result.non2xx) throw new CheckFailed(`approvals: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`);
  return { requests: result.requests.total, sent: next, p50: result.latency.p50, p99: result.latency.p99 };
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

export async function runS3(ctx: RunContext): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  const dataset = await ensureTemplate(1, ctx.databasePrefix);
  const url = await cloneDatabase(dataset.template, `${ctx.databasePrefix}_s3`);
  const pgbenchVersion = ctx.base ? undefined : commandVersion("pgbench");
  const peerUnavailable = pgbenchVersion || ctx.base ? undefined : "pgbench is not installed (Debian: postgresql-client); ours ran alone.";
  const processes: RunningProcess[] = [];
  const checks: ScenarioResult["checks"] = [];
  return withClient(url, async (client) => {
    try {
      const batches = await createBatches(client);
      const spreadIds = Array.from({ length: batches.spreadHi - batches.spreadLo + 1 }, (_, i) => batches.spreadLo + i);
      const ours = await startOurService(url, await freePort());
      processes.push(ours);
      const token = await login(ours.url);
      const base = ctx.base ? await startOurService(url, await freePort(), {}, ctx.base.dir) : null;
      if (base) processes.push(base);
      const baseToken = base ? await login(base.url) : "";
      const services = [{ side: "ours", url: ours.url, token }, ...(base ? [{ side: `base ${ctx.base!.sha.slice(0, 7)}`, url: base.url, token: baseToken }] : [])];

      // The path works end to end before anything is measured.
      for (const service of services) {
        const [probe] = await createOrders(client, [batches.hot], 1);
        const probeResult = await fetch(service.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${service.token}` }, body: JSON.stringify({ query: APPROVE, variables: { input: { id: probe } } }) });
        const probeBody = (await probeResult.json()) as { data?: { approveDispatchOrder?: { order?: { status: string }; errors: unknown[] } }; errors?: unknown };
        check(probeBody.data?.approveDispatchOrder?.order?.status === "APPROVED", `${service.side}: a bench order could not be approved: ${JSON.stringify(probeBody)}`);
      }

      const seconds = ctx.seconds(3);
      const estimate = new Map<string, number>(); // approvals per second seen so far, per case
      const measureOurs = async (key: string, batchIds: number[], connections: number, s: number, service = services[0]): Promise<Sample> => {
        key = service === services[0] ? key : `${service.side}: ${key}`;
        // Before anything is seen, assume more than any approval path here can do (the floor of
        // a request that does nothing is ~2,500/s on 2 cores): running out stops the run.
        const pool = Math.ceil((estimate.get(key) ?? 3000) * s * 2) + 300;
        const ids = await createOrders(client, batchIds, pool);
        const before = await approvedCount(client);
        const started = Date.now();
        const load = await approveLoad(service.url, service.token, ids, connections, { seconds: s });
        const elapsed = (Date.now() - started) / 1000;
        const approved = (await approvedCount(client)) - before;
        if (load.sent > pool) throw new CheckFailed(`S3 ${key}: the ${pool} prepared orders ran out (${load.sent} approvals sent); the estimate was too low`);
        const perSecond = approved / elapsed;
        estimate.set(key, Math.max(estimate.get(key) ?? 0, perSecond));
        const audit = await overReservation(client);
        if (audit.problems.length) throw new CheckFailed(`over-reservation after ${service.side} (${key}): ${audit.problems.slice(0, 5).join("; ")}`);
        return { perSecond, p99: load.p99 };
      };
      const measurePeer = async (key: string, connections: number, spread: boolean, s: number): Promise<Sample> => {
        const before = await ledgerCount(client);
        const result = await pgbench(url, connections, { batch: batches.hot, spread: spread ? 1 : 0, lo: batches.spreadLo, hi: batches.spreadHi }, { seconds: Math.max(1, Math.round(s)) });
        const rows = (await ledgerCount(client)) - before;
        check(rows > 0, `pgbench (${key}) reserved nothing`);
        const audit = await overReservation(client);
        if (audit.problems.length) throw new CheckFailed(`over-reservation after pgbench (${key}): ${audit.problems.slice(0, 5).join("; ")}`);
        return { perSecond: result.tps, p99: null };
      };

      const cases: Case[] = [];
      const latency: Array<Array<string | number | null>> = [];
      const shapes = [
        { key: "hot, 1 client", batchIds: [batches.hot], connections: 1, spread: false, target: undefined },
        { key: "hot, 8 clients", batchIds: [batches.hot], connections: 8, spread: false, target: { atLeast: 0.5 } },
        { key: "hot, 32 clients", batchIds: [batches.hot], connections: 32, spread: false, target: { atLeast: 0.5 } },
        { key: "spread over 576 sites, 8 clients", batchIds: spreadIds, connections: 8, spread: true, target: { atLeast: 0.5 } },
        { key: "spread over 576 sites, 32 clients", batchIds: spreadIds, connections: 32, spread: true, target: { atLeast: 0.5 } },
      ];
      for (const shape of shapes) {
        let samples: { ours: Sample[]; peer: Sample[] };
        if (base) {
          samples = await alternate(
            `S3 ${shape.key}`,
            ctx.rounds,
            (side) => measureOurs(shape.key, shape.batchIds, shape.connections, seconds, services[side === "ours" ? 0 : 1]),
            (side) => measureOurs(shape.key, shape.batchIds, shape.connections, ctx.warmupSeconds, services[side === "ours" ? 0 : 1]),
          );
        } else if (pgbenchVersion) {
          samples = await alternate(
            `S3 ${shape.key}`,
            ctx.rounds,
            (side) => (side === "ours" ? measureOurs(shape.key, shape.batchIds, shape.connections, seconds) : measurePeer(shape.key, shape.connections, shape.spread, seconds)),
            (side) => (side === "ours" ? measureOurs(shape.key, shape.batchIds, shape.connections, ctx.warmupSeconds) : measurePeer(shape.key, shape.connections, shape.spread, ctx.warmupSeconds)),
          );
        } else {
          samples = { ours: [], peer: [] };
          await measureOurs(shape.key, shape.batchIds, shape.connections, ctx.warmupSeconds);
          for (let i = 0; i < ctx.rounds; i++) samples.ours.push(await measureOurs(shape.key, shape.batchIds, shape.connections, seconds));
        }
        const oursMedian = medianOf(samples.ours, (s) => s.perSecond);
        const peerMedian = samples.peer.length ? medianOf(samples.peer, (s) => s.perSecond) : null;
        cases.push(
          judge({
            name: shape.key,
            metric: "reservations/s",
            higherIsBetter: true,
            ours: { median: oursMedian, samples: samples.ours.map((s) => Math.round(s.perSecond * 10) / 10) },
            peer: peerMedian === null ? null : { median: peerMedian, samples: samples.peer.map((s) => Math.round(s.perSecond * 10) / 10) },
            ratio: ratio(oursMedian, peerMedian),
            target: shape.target,
          }),
        );
        latency.push([shape.key, medianOf(samples.ours, (s) => s.p99 ?? NaN), ...(base ? [medianOf(samples.peer, (s) => s.p99 ?? NaN)] : [])]);
      }

      // The floor: what the same HTTP + GraphQL stack serves when a request does nothing at all
      // (an authenticated `{ __typename }`: token, account read, Apollo, no resolver). No
      // approval can go faster than this, whatever the database does.
      const floor: Array<Array<string | number | null>> = [];
      for (const connections of [8, 32]) {
        for (const service of services) {
          const result = await autocannon({
            url: service.url,
            connections,
            duration: seconds,
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${service.token}` },
            body: JSON.stringify({ query: "{ __typename }" }),
          } as never);
          if (result.errors || result.non2xx) throw new CheckFailed(`floor (${service.side}): ${result.errors} errors, ${result.non2xx} non-2xx`);
          floor.push([`${base ? `${service.side}, ` : ""}${connections} clients`, Math.round(result.requests.total / seconds), result.latency.p99]);
        }
      }

      // The race for the last units: 300 approvals of one unit each for a batch of 100, 32 at a time.
      for (const [i, service] of services.entries()) {
        const batchNumber = i === 0 ? "BENCH-SCARCE" : "BENCH-SCARCE-BASE";
        await newBatches(client, batches.itemId, batchNumber, `SELECT id FROM storage_site WHERE tier = 'DISTRICT_DEPOT'`, 100);
        const scarce: number = (await client.query(`SELECT id FROM stock_batch WHERE batch_number = $1`, [batchNumber])).rows[0].id;
        const raceIds = await createOrders(client, [scarce], 300);
        const approvedBefore = await approvedCount(client);
        await approveLoad(service.url, service.token, raceIds, 32, { amount: 300 });
        const raceApproved = (await approvedCount(client)) - approvedBefore;
        const scarceRow = (await client.query(`SELECT on_hand, reserved FROM stock_batch WHERE id = $1`, [scarce])).rows[0];
        const exact = raceApproved === 100 && scarceRow.reserved === 100;
        checks.push({ name: `${service.side}: 300 concurrent approvals for 100 units approve exactly 100`, passed: exact, detail: `approved ${raceApproved}, reserved ${scarceRow.reserved} of ${scarceRow.on_hand}` });
        check(exact, `${service.side} over- or under-reserved in the race: approved ${raceApproved}, reserved ${scarceRow.reserved}`);
      }
      if (pgbenchVersion) {
        await newBatches(client, batches.itemId, "BENCH-SCARCE-PGBENCH", `SELECT id FROM storage_site WHERE tier = 'DISTRICT_DEPOT'`, 100);
        const scarcePeer: number = (await client.query(`SELECT id FROM stock_batch WHERE batch_number = 'BENCH-SCARCE-PGBENCH'`)).rows[0].id;
        await pgbench(url, 32, { batch: scarcePeer, spread: 0, lo: 0, hi: 0 }, { transactionsPerClient: 10 });
        const peerRow = (await client.query(`SELECT reserved, (SELECT count(*)::int FROM bench_reservation_ledger WHERE batch_id = $1) AS rows FROM stock_batch WHERE id = $1`, [scarcePeer])).rows[0];
        checks.push({ name: "pgbench: 320 concurrent reservations for 100 units reserve exactly 100", passed: peerRow.reserved === 100 && peerRow.rows === 100, detail: `reserved ${peerRow.reserved}, ledger rows ${peerRow.rows}` });
      }
      const audit = await overReservation(client);
      checks.push({ name: "no over-reservation after any run (reserved = approved orders + pgbench ledger rows ≤ on hand, every bench batch)", passed: audit.problems.length === 0, detail: `${audit.batches} batches, ${audit.reserved} units reserved in all` });
      check(audit.problems.length === 0, audit.problems.join("; "));
      log(`S3: ${audit.reserved} units reserved over ${audit.batches} batches, none over-reserved`);

      return {
        scenario: "S3",
        title: "Allocation surge vs pgbench",
        peerName: "pgbench",
        peerUnavailable,
        ...runFrame(ctx, startedAt, machineInfo),
        secondsPerRound: seconds,
        versions: await versions({ pgbench: pgbenchVersion }),
        data: { sites: dataset.sites, stockBatches: dataset.stockBatches, hotBatch: "BENCH-HOT at the district depot, 1,000,000 units", spreadBatches: `${spreadIds.length} (one per site)` },
        settings: {
          ours: "approveDispatchOrder over HTTP as a COMMANDER, one unit per order, autocannon connections = clients; rate = orders that became APPROVED per second (counted in the database)",
          peer: ctx.base ? `our service as of ${ctx.base.sha.slice(0, 7)} on the same database, the same approvals and rate` : "pgbench -M prepared -c <clients> -j 2 -f bench/peers/reservation.pgbench.sql; rate = tps",
        },
        cases,
        tables: [
          { title: "Our approval latency (ms, p99, median of the rounds)", columns: ["case", "ours p99", ...(base ? [`${services[1].side} p99`] : [])], rows: latency },
          { title: "The floor: an authenticated `{ __typename }` through the same service (no resolver, no database work but the account read)", columns: ["clients", "requests/s", "p99 ms"], rows: floor },
        ],
        checks,
        notes: [],
      };
    } finally {
      for (const running of processes.reverse()) await running.stop();
    }
  });
}
