// The benchmark's S3 peer (bench/peers/approve-dispatch-order.sql, the plpgsql approval a
// PostGraphile 4 user would write) on the real schema: it must reach the same outcomes as our
// approval on the same race, or S3 compares unequal work. Ours approves through the service,
// the peer's function through concurrent PostgreSQL sessions, each as PostGraphile runs it (a
// transaction with the JWT's claims set locally); both over equal, scarce stock.
import fs from "node:fs";
import path from "node:path";
import { Pool } from "pg";
import { UserErrorsException } from "../src/core/graphql/errors";
import type { Services } from "../src/services";
import { startTestApp, type TestApp } from "./support/app";
import { batchStock, COMMANDER, gid, LOGISTICS, receive, seedIds, type SeedIds } from "./support/dispatch";
import { unitFor } from "./support/units";

let t: TestApp;
let services: Services;
let ids: SeedIds;
let peer: Pool;

beforeAll(async () => {
  t = await startTestApp();
  services = t.app.services;
  ids = await seedIds(t.app.dataSource);
  await t.database.asOwner(fs.readFileSync(path.join(__dirname, "..", "bench", "peers", "approve-dispatch-order.sql"), "utf8"));
  peer = new Pool({ connectionString: t.database.ownerUrl, max: 10 });
});
afterAll(async () => {
  await peer?.end();
  await t.stop();
});

/** A submitted order of `quantity` units from one batch, to 汉丰街道; its row id and global id. */
async function submittedOrder(itemCode: string, batchId: number, quantity: number): Promise<{ id: number; globalId: string }> {
  const { order } = await services.dispatch.commands.create(unitFor(LOGISTICS), {
    destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
    lines: [{ itemId: gid("SupplyItem", ids.item[itemCode]), quantity, allocations: [{ batchId: gid("StockBatch", batchId), quantity }] }],
  });
  await services.dispatch.commands.submit(unitFor(LOGISTICS), { id: order.globalId });
  return { id: order.id, globalId: order.globalId };
}

/** Ours: the order's approval through the service; null when approved, else the refusal's codes. */
async function approveOurs(globalId: string): Promise<string | null> {
  try {
    await services.dispatch.commands.approve(unitFor(COMMANDER), { id: globalId });
    return null;
  } catch (error) {
    if (error instanceof UserErrorsException) return error.errors.map((e) => e.code).join(",");
    throw error;
  }
}

/** The peer: one transaction as PostGraphile runs a mutation, the JWT's claims set locally. */
async function approvePeer(orderId: number, role = "COMMANDER"): Promise<string | null> {
  const client = await peer.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT set_config('jwt.claims.app_role', $1, true), set_config('jwt.claims.account_id', '2', true), set_config('jwt.claims.name', 'test commander', true)`, [role]);
    const { rows } = await client.query(`SELECT * FROM approve_dispatch_order($1)`, [orderId]);
    await client.query("COMMIT");
    return rows[0].error_code;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

async function statuses(orderIds: number[]): Promise<Record<string, number>> {
  const rows: Array<{ status: string; n: number }> = await t.app.dataSource.query(`SELECT status, count(*)::int AS n FROM dispatch_order WHERE id = ANY($1::int[]) GROUP BY status`, [orderIds]);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

it("approves as many orders as ours when 40 concurrent approvals want twice what a batch holds, reserving exactly the stock and never below zero", async () => {
  const site = ids.site["KZ-S05-P"];
  const oursBatch = await receive(services, site, ids.item["1010401"], "PEER-RACE-OURS", 100);
  const peerBatch = await receive(services, site, ids.item["1010401"], "PEER-RACE-PEER", 100);
  const oursOrders = [];
  const peerOrders = [];
  for (let i = 0; i < 40; i++) {
    oursOrders.push(await submittedOrder("1010401", oursBatch, 5));
    peerOrders.push(await submittedOrder("1010401", peerBatch, 5));
  }
  const [oursResults, peerResults] = await Promise.all([Promise.all(oursOrders.map((o) => approveOurs(o.globalId))), Promise.all(peerOrders.map((o) => approvePeer(o.id)))]);

  const tally = (results: Array<string | null>) => results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r ?? "APPROVED"]: (acc[r ?? "APPROVED"] ?? 0) + 1 }), {});
  expect(tally(oursResults)).toEqual({ APPROVED: 20, STOCK_RESERVED: 20 });
  expect(tally(peerResults)).toEqual(tally(oursResults));
  expect(await batchStock(t.app.dataSource, oursBatch)).toEqual({ onHand: 100, reserved: 100 });
  expect(await batchStock(t.app.dataSource, peerBatch)).toEqual(await batchStock(t.app.dataSource, oursBatch));
  expect(await statuses(peerOrders.map((o) => o.id))).toEqual(await statuses(oursOrders.map((o) => o.id)));
  const [{ negative }] = await t.app.dataSource.query(`SELECT count(*)::int AS negative FROM stock_batch WHERE reserved < 0 OR on_hand - reserved < 0`);
  expect(negative).toBe(0);
  expect(await services.stock.queries.ledgerDiscrepancies()).toEqual([]);

  // The peer writes an audit row for every attempt, as ours does.
  const [{ succeeded, rejected }] = await t.app.dataSource.query(
    `SELECT count(*) FILTER (WHERE outcome = 'SUCCEEDED')::int AS succeeded, count(*) FILTER (WHERE outcome = 'REJECTED' AND error_code = 'STOCK_RESERVED')::int AS rejected
     FROM audit_entry WHERE operation = 'approveDispatchOrder' AND input_summary -> 'input' ->> 'id' = ANY($1::text[])`,
    [peerOrders.map((o) => String(o.id))],
  );
  expect({ succeeded, rejected }).toEqual({ succeeded: 20, rejected: 20 });
}, 120_000);

it("refuses what ours refuses: an expired batch, an order already approved, an order that is not there, and a role that may not approve", async () => {
  const site = ids.site["KZ-S05-P"];
  const batch = await receive(services, site, ids.item["1010401"], "PEER-EXPIRED", 50);
  const ours = await submittedOrder("1010401", batch, 5);
  const theirs = await submittedOrder("1010401", batch, 5);
  await t.database.asOwner(`UPDATE stock_batch SET expiry_date = current_date - 2 WHERE id = $1`, [batch]);
  expect(await approveOurs(ours.globalId)).toBe("EXPIRED");
  expect(await approvePeer(theirs.id)).toBe("EXPIRED");
  expect(await batchStock(t.app.dataSource, batch)).toEqual({ onHand: 50, reserved: 0 });

  const fresh = await receive(services, site, ids.item["1010401"], "PEER-TWICE", 50);
  const a = await submittedOrder("1010401", fresh, 5);
  const b = await submittedOrder("1010401", fresh, 5);
  expect([await approveOurs(a.globalId), await approvePeer(b.id)]).toEqual([null, null]);
  expect(await approveOurs(a.globalId)).toBe("INVALID_STATE");
  expect(await approvePeer(b.id)).toBe("INVALID_STATE");
  expect(await batchStock(t.app.dataSource, fresh)).toEqual({ onHand: 50, reserved: 10 });

  expect(await approvePeer(2_000_000_000)).toBe("NOT_FOUND");
  const c = await submittedOrder("1010401", fresh, 5);
  await expect(approvePeer(c.id, "LOGISTICS")).rejects.toThrow(/FORBIDDEN/);
  await expect(services.dispatch.commands.approve(unitFor(LOGISTICS), { id: c.globalId })).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
  expect(await batchStock(t.app.dataSource, fresh)).toEqual({ onHand: 50, reserved: 10 });
}, 60_000);
