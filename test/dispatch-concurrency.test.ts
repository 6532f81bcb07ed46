// Dispatch under concurrency, through the services on real PostgreSQL: many approvals wanting
// twice what a site holds, approve racing cancel on one order, dispatch racing cancel, and
// transfers racing approvals over the same stock rows.
import { UserErrorsException } from "../src/core/graphql/errors";
import type { Services } from "../src/services";
import { startTestApp, type TestApp } from "./support/app";
import { batchStock, COMMANDER, gid, LOGISTICS, receive, seedIds, type SeedIds } from "./support/dispatch";
import { unitFor } from "./support/units";

let t: TestApp;
let services: Services;
let ids: SeedIds;

beforeAll(async () => {
  t = await startTestApp();
  services = t.app.services;
  ids = await seedIds(t.app.dataSource);
});
afterAll(() => t.stop());

/** A submitted order to 汉丰街道 for `item`, sourced from the given batches. */
async function submittedOrder(itemCode: string, sources: Array<[number, number]>): Promise<string> {
  const quantity = sources.reduce((sum, [, q]) => sum + q, 0);
  const { order } = await services.dispatch.commands.create(unitFor(LOGISTICS), {
    destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
    lines: [{ itemId: gid("SupplyItem", ids.item[itemCode]), quantity, allocations: sources.map(([batchId, q]) => ({ batchId: gid("StockBatch", batchId), quantity: q })) }],
  });
  await services.dispatch.commands.submit(unitFor(LOGISTICS), { id: order.globalId });
  return order.globalId;
}

/** Runs a service call, turning a refusal (UserErrors) into its codes; anything else fails the test. */
async function attempt<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; codes: string[] }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof UserErrorsException) return { ok: false, codes: error.errors.map((e) => e.code) };
    throw error;
  }
}

async function status(orderId: string): Promise<string> {
  const id = Number(Buffer.from(orderId, "base64").toString().split(":")[1]);
  return (await t.app.dataSource.query(`SELECT status FROM dispatch_order WHERE id = $1`, [id]))[0].status;
}

it("lets 100 concurrent approvals wanting twice a site's stock reserve exactly what is there: all of an order or none of it", async () => {
  const site = ids.site["KZ-S05-P"];
  const a = await receive(services, site, ids.item["1010401"], "RACE-A", 300);
  const b = await receive(services, site, ids.item["1010401"], "RACE-B", 200);
  const orders: Array<{ id: string; batch: number }> = [];
  for (let i = 0; i < 100; i++) {
    const batch = i % 2 === 0 ? a : b;
    orders.push({ id: await submittedOrder("1010401", [[batch, 10]]), batch });
  }
  const results = await Promise.all(orders.map((order) => attempt(() => services.dispatch.commands.approve(unitFor(COMMANDER), { id: order.id }))));

  const approved = orders.filter((_, i) => results[i].ok);
  const refused = orders.filter((_, i) => !results[i].ok);
  expect(approved.filter((o) => o.batch === a)).toHaveLength(30);
  expect(approved.filter((o) => o.batch === b)).toHaveLength(20);
  for (const result of results) if (!result.ok) expect(result.codes).toEqual(["STOCK_RESERVED"]);
  expect(await batchStock(t.app.dataSource, a)).toEqual({ onHand: 300, reserved: 300 });
  expect(await batchStock(t.app.dataSource, b)).toEqual({ onHand: 200, reserved: 200 });
  for (const order of approved) expect(await status(order.id)).toBe("APPROVED");
  for (const order of refused) expect(await status(order.id)).toBe("SUBMITTED");
  expect(await services.stock.queries.ledgerDiscrepancies()).toEqual([]);

  // Every unit reserved is one an approved order asked for: nothing lost, nothing doubled.
  const [{ total }] = await t.app.dataSource.query(
    `SELECT coalesce(sum(a.quantity), 0)::int AS total FROM dispatch_allocation a JOIN dispatch_order o ON o.id = a.order_id WHERE o.status = 'APPROVED' AND a.batch_id = ANY($1::int[])`,
    [[a, b]],
  );
  expect(total).toBe(500);
});

it("serialises approve and cancel racing on one order: it ends cancelled with nothing held", async () => {
  const batch = await receive(services, ids.site["KZ-DEPOT-01"], ids.item["1010401"], "RACE-CANCEL", 100);
  for (let round = 0; round < 15; round++) {
    const id = await submittedOrder("1010401", [[batch, 5]]);
    const [approve, cancel] = await Promise.all([
      attempt(() => services.dispatch.commands.approve(unitFor(COMMANDER), { id })),
      attempt(() => services.dispatch.commands.cancel(unitFor(COMMANDER), { id, reason: "race" })),
    ]);
    expect(cancel.ok).toBe(true);
    if (!approve.ok) expect(approve.codes).toEqual(["INVALID_STATE"]);
    expect(await status(id)).toBe("CANCELLED");
    expect(await batchStock(t.app.dataSource, batch)).toEqual({ onHand: 100, reserved: 0 });
  }
});

it("serialises dispatch and cancel racing on an approved order: either it left (stock issued) or it was cancelled (released)", async () => {
  const batch = await receive(services, ids.site["KZ-DEPOT-01"], ids.item["1010401"], "RACE-DISPATCH", 100);
  let onHand = 100;
  for (let round = 0; round < 10; round++) {
    const id = await submittedOrder("1010401", [[batch, 5]]);
    await services.dispatch.commands.approve(unitFor(COMMANDER), { id });
    const [dispatch, cancel] = await Promise.all([
      attempt(() => services.dispatch.commands.markDispatched(unitFor(LOGISTICS), { id })),
      attempt(() => services.dispatch.commands.cancel(unitFor(COMMANDER), { id, reason: "race" })),
    ]);
    expect(dispatch.ok !== cancel.ok).toBe(true);
    if (dispatch.ok) {
      expect(cancel).toEqual({ ok: false, codes: ["ITEMS_OUTSTANDING"] });
      expect(await status(id)).toBe("DISPATCHED");
      onHand -= 5;
    } else {
      expect(dispatch.codes).toEqual(["INVALID_STATE"]);
      expect(await status(id)).toBe("CANCELLED");
    }
    expect(await batchStock(t.app.dataSource, batch)).toEqual({ onHand, reserved: 0 });
  }
  expect(await services.stock.queries.ledgerDiscrepancies()).toEqual([]);
});

it("runs transfers and approvals over the same stock rows with no deadlock left unresolved and no lost update", async () => {
  const s = ids.site["KZ-S06-P"];
  const other = ids.site["KZ-S07-P"];
  const atS = await receive(services, s, ids.item["1010401"], "RACE-MOVE", 400);
  const atOther = await receive(services, other, ids.item["1010401"], "RACE-MOVE", 400);
  const orders: string[] = [];
  // Each order takes from both sites, so its locks span both rows the transfers move between.
  for (let i = 0; i < 40; i++) orders.push(await submittedOrder("1010401", [[atS, 3], [atOther, 3]]));
  const transfer = (from: number, to: number, batchId: number) =>
    attempt(() => services.stockCommands.transferStock(unitFor(LOGISTICS), { fromSiteId: gid("StorageSite", from), toSiteId: gid("StorageSite", to), lines: [{ batchId: gid("StockBatch", batchId), quantity: 4 }] }));
  const work: Array<Promise<{ ok: boolean }>> = [];
  for (let i = 0; i < 40; i++) {
    work.push(attempt(() => services.dispatch.commands.approve(unitFor(COMMANDER), { id: orders[i] })));
    work.push(i % 2 === 0 ? transfer(s, other, atS) : transfer(other, s, atOther));
  }
  const results = await Promise.all(work);
  const approvals = results.filter((_, i) => i % 2 === 0);
  const approvedCount = approvals.filter((r) => r.ok).length;
  expect(results.filter((_, i) => i % 2 === 1).every((r) => r.ok)).toBe(true);

  const [x, y] = [await batchStock(t.app.dataSource, atS), await batchStock(t.app.dataSource, atOther)];
  // Transfers move stock between the two rows; approvals never change on hand.
  expect(x.onHand + y.onHand).toBe(800);
  expect(x.onHand).toBe(400); // as many went each way
  expect(x.reserved).toBeLessThanOrEqual(x.onHand);
  expect(y.reserved).toBeLessThanOrEqual(y.onHand);
  // Each approved order holds 3 on each row: no reservation lost to a concurrent transfer's write.
  expect(x.reserved).toBe(3 * approvedCount);
  expect(y.reserved).toBe(3 * approvedCount);
  expect(approvedCount).toBe(40); // 240 of 800 never runs short
  expect(await services.stock.queries.ledgerDiscrepancies()).toEqual([]);
});

it("answers each of approvals arriving together on its own: refusals, repeats and strangers do not touch the others", async () => {
  // Approvals in flight at the same moment share transactions (dispatch-approvals.ts); every
  // caller must still get what approving alone would give. (Which of two racing calls wins is
  // not fixed, so the outcomes here do not depend on it; the order within a shared transaction
  // is tested on StockLedger.reserveEach.)
  const site = ids.site["KZ-S06-P"];
  const batch = await receive(services, site, ids.item["1010401"], "TOGETHER-A", 25);
  const fits = await Promise.all([1, 2, 3].map(() => submittedOrder("1010401", [[batch, 5]])));
  const tooBig = await submittedOrder("1010401", [[batch, 30]]);
  const gone = gid("DispatchOrder", 987654321);
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["fit 1", () => services.dispatch.commands.approve(unitFor(COMMANDER), { id: fits[0] })],
    ["by logistics", () => services.dispatch.commands.approve(unitFor(LOGISTICS), { id: fits[1] })],
    ["unknown", () => services.dispatch.commands.approve(unitFor(COMMANDER), { id: gone })],
    ["too big", () => services.dispatch.commands.approve(unitFor(COMMANDER), { id: tooBig })],
    ["fit 1 again", () => services.dispatch.commands.approve(unitFor(COMMANDER), { id: fits[0] })],
    ["fit 2", () => services.dispatch.commands.approve(unitFor(COMMANDER), { id: fits[1] })],
    ["fit 3", () => services.dispatch.commands.approve(unitFor(COMMANDER), { id: fits[2] })],
  ];
  const results = await Promise.all(
    calls.map(async ([name, call]) => {
      try {
        await call();
        return [name, "APPROVED"];
      } catch (error) {
        if (error instanceof UserErrorsException) return [name, error.errors.map((e) => e.code).join()];
        return [name, (error as { extensions?: { code?: string } }).extensions?.code ?? String(error)];
      }
    }),
  );
  const outcome = Object.fromEntries(results);
  // The same order approved twice at once: one approves it, the other finds it approved.
  expect([outcome["fit 1"], outcome["fit 1 again"]].sort()).toEqual(["APPROVED", "INVALID_STATE"]);
  delete outcome["fit 1"];
  delete outcome["fit 1 again"];
  expect(outcome).toEqual({
    "by logistics": "FORBIDDEN",
    unknown: "NOT_FOUND",
    "too big": "INSUFFICIENT_STOCK",
    "fit 2": "APPROVED",
    "fit 3": "APPROVED",
  });
  expect(await batchStock(t.app.dataSource, batch)).toEqual({ onHand: 25, reserved: 15 });
  expect(await Promise.all([...fits, tooBig].map(status))).toEqual(["APPROVED", "APPROVED", "APPROVED", "SUBMITTED"]);
  const approvers = await t.app.dataSource.query(`SELECT approved_by, approved_at IS NOT NULL AS stamped FROM dispatch_order WHERE id = ANY($1::int[])`, [
    fits.map((id) => Number(Buffer.from(id, "base64").toString().split(":")[1])),
  ]);
  expect(approvers).toEqual(Array(3).fill({ approved_by: COMMANDER.name, stamped: true }));
});

it("marks the idempotency key of every approval carried out in a shared transaction, and of no refused one", async () => {
  const commander = await t.tokenFor("commander");
  const site = ids.site["KZ-S06-P"];
  const batch = await receive(services, site, ids.item["1010401"], "TOGETHER-KEYS", 12);
  const orders = await Promise.all(Array.from({ length: 6 }, () => submittedOrder("1010401", [[batch, 4]])));
  const APPROVE = `mutation ($input: ApproveDispatchOrderInput!) { approveDispatchOrder(input: $input) { order { status } errors { code } } }`;
  const keys = orders.map((_, i) => `together-key-${i}`);
  const answers = await Promise.all(orders.map((id, i) => t.graphql(APPROVE, { input: { id, idempotencyKey: keys[i] } }, { token: commander })));
  const approvedKeys = keys.filter((_, i) => answers[i].data.approveDispatchOrder.order?.status === "APPROVED");
  expect(approvedKeys).toHaveLength(3); // 12 units, 4 per order
  const records: Array<{ key: string; committed: boolean }> = await t.app.dataSource.query(`SELECT key, committed FROM idempotency_record WHERE key = ANY($1::text[]) ORDER BY key`, [keys]);
  expect(records.filter((r) => r.committed).map((r) => r.key).sort()).toEqual([...approvedKeys].sort());
  // A retry of any of them gets its first answer back, without approving anything again.
  const retries = await Promise.all(orders.map((id, i) => t.graphql(APPROVE, { input: { id, idempotencyKey: keys[i] } }, { token: commander })));
  expect(retries.map((r) => r.data)).toEqual(answers.map((a) => a.data));
  expect(await batchStock(t.app.dataSource, batch)).toEqual({ onHand: 12, reserved: 12 });
});

it("writes the audit entry of every approval carried out in a shared transaction with it, and a refused one's after", async () => {
  const commander = await t.tokenFor("commander");
  const site = ids.site["KZ-S06-P"];
  const batch = await receive(services, site, ids.item["1010401"], "TOGETHER-AUDIT", 12);
  const orders = await Promise.all(Array.from({ length: 6 }, () => submittedOrder("1010401", [[batch, 4]])));
  const APPROVE = `mutation ($input: ApproveDispatchOrderInput!) { approveDispatchOrder(input: $input) { order { status } errors { code } } }`;
  const answers = await Promise.all(orders.map((id) => t.graphql(APPROVE, { input: { id } }, { token: commander })));
  const approved = orders.filter((_, i) => answers[i].data.approveDispatchOrder.order?.status === "APPROVED");
  expect(approved).toHaveLength(3); // 12 units, 4 per order
  for (const [i, id] of orders.entries()) {
    const orderId = Number(Buffer.from(id, "base64").toString().split(":")[1]);
    const entries = await t.app.dataSource.query(
      `SELECT e.outcome, e.error_code AS "errorCode", e.target_ids AS "targetIds", e.xmin = o.xmin AS "withTheApproval"
       FROM audit_entry e, dispatch_order o WHERE e.request_id = $1 AND o.id = $2`,
      [answers[i].headers.get("x-request-id"), orderId],
    );
    // One entry per request; an approval's commits in the very transaction that approved it.
    if (approved.includes(id)) expect(entries).toEqual([{ outcome: "SUCCEEDED", errorCode: null, targetIds: [id], withTheApproval: true }]);
    else expect(entries).toEqual([{ outcome: "REJECTED", errorCode: "STOCK_RESERVED", targetIds: [id], withTheApproval: false }]);
  }
});

it("never over-calls a partner agreement when call-offs are approved together with other orders", async () => {
  // A partner call-off counts what other open orders have called: in a shared transaction the
  // orders beside it would not show yet, so it is approved in a transaction of its own.
  const [agreement] = await t.app.dataSource.query(
    `SELECT p.id, a.agreed_quantity FROM reserve_partner p JOIN partner_stock_agreement a ON a.partner_id = p.id JOIN supply_item i ON i.id = a.item_id
     WHERE p.code = 'KZ-EP-01' AND i.code = '1030203'`,
  );
  const callOff = async (quantity: number) => {
    const { order } = await services.dispatch.commands.create(unitFor(LOGISTICS), {
      destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
      lines: [{ itemId: gid("SupplyItem", ids.item["1030203"]), quantity, allocations: [{ partnerId: gid("ReservePartner", agreement.id), kind: "PARTNER_STOCK" as never, quantity }] }],
    });
    await services.dispatch.commands.submit(unitFor(LOGISTICS), { id: order.globalId });
    return order.globalId;
  };
  const batch = await receive(services, ids.site["KZ-S07-P"], ids.item["1010401"], "TOGETHER-P", 100);
  const stockOrders = await Promise.all([1, 2, 3, 4, 5].map(() => submittedOrder("1010401", [[batch, 10]])));
  const partnerOrders = [await callOff(Math.ceil(agreement.agreed_quantity * 0.6)), await callOff(Math.ceil(agreement.agreed_quantity * 0.6))];
  // More calls than approval lanes, so the last ones share a transaction.
  const results = await Promise.all([...stockOrders, ...partnerOrders].map((id) => attempt(() => services.dispatch.commands.approve(unitFor(COMMANDER), { id }))));
  expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
  const partnerResults = results.slice(5).map((r) => (r.ok ? "APPROVED" : r.codes.join()));
  expect(partnerResults.sort()).toEqual(["APPROVED", "INSUFFICIENT_STOCK"]);
  expect(await batchStock(t.app.dataSource, batch)).toEqual({ onHand: 100, reserved: 50 });
});

it("does not hold every approval behind one stuck on a lock another transaction holds", async () => {
  const held = await receive(services, ids.site["KZ-S06-P"], ids.item["1010401"], "STUCK-HELD", 50);
  const free = await receive(services, ids.site["KZ-S06-P"], ids.item["1010401"], "STUCK-FREE", 50);
  const stuckOrder = await submittedOrder("1010401", [[held, 5]]);
  const laterOrders = await Promise.all([1, 2].map(() => submittedOrder("1010401", [[free, 5]])));
  // Another transaction (a stocktake, say) holds the first batch's row.
  const runner = t.app.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  let stuck: ReturnType<typeof attempt> | undefined;
  try {
    await runner.query(`SELECT id FROM stock_batch WHERE id = $1 FOR UPDATE`, [held]);
    stuck = attempt(() => services.dispatch.commands.approve(unitFor(COMMANDER), { id: stuckOrder }));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the stuck approval is in the lane
    const later = Promise.all(laterOrders.map((id) => attempt(() => services.dispatch.commands.approve(unitFor(COMMANDER), { id }))));
    const first = await Promise.race([later.then(() => "later approvals answered"), stuck.then(() => "stuck approval answered")]);
    expect(first).toBe("later approvals answered");
    expect((await later).every((result) => result.ok)).toBe(true);
    expect(await status(stuckOrder)).toBe("SUBMITTED");
  } finally {
    await runner.commitTransaction();
    await runner.release();
  }
  expect((await stuck)?.ok).toBe(true); // and the stuck one goes through once the lock is let go
  for (const id of [stuckOrder, ...laterOrders]) await expect(status(id)).resolves.toBe("APPROVED");
  expect(await batchStock(t.app.dataSource, held)).toEqual({ onHand: 50, reserved: 5 });
  expect(await batchStock(t.app.dataSource, free)).toEqual({ onHand: 50, reserved: 10 });
});
