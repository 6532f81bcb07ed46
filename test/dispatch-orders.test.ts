// Dispatch orders through their life cycle over HTTP: every transition and every illegal one,
// partial delivery, returns, write-offs, closing refused with items outstanding, cancelling at
// each stage with its stock effect, urgent verbal orders, all-or-nothing approval, automatic
// sources, destinations and personal data, territorial scope, and idempotent replay.
import { startTestApp, type TestApp } from "./support/app";
import { countRoundTrips } from "./support/round-trips";
import { batchStock, gid, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let commander: string;
let admin: string;
let scoped: string;
let dashboard: string;
let mutate: ReturnType<typeof orderClient>;
/** Fresh batches at the district depot: tents (reusable) and quilts (consumed). */
let tents: number;
let quilts: number;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [logistics, commander, admin, scoped] = await Promise.all([t.tokenFor("logistics"), t.tokenFor("commander"), t.tokenFor("admin"), t.tokenFor("logistics.kz-s01")]);
  dashboard = await t.apiKeyFor("DASHBOARD");
  mutate = orderClient(t);
  tents = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "TEST-TENT", 1000);
  quilts = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1020101"], "TEST-QUILT", 2000);
});
afterAll(() => t.stop());

/** A NORMAL order to 汉丰街道 for 10 tents and 20 quilts from the fresh depot batches. */
function orderInput(overrides: Record<string, unknown> = {}) {
  return {
    destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
    lines: [
      { itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 10, allocations: [{ batchId: gid("StockBatch", tents), quantity: 10 }] },
      { itemId: gid("SupplyItem", ids.item["1020101"]), quantity: 20, allocations: [{ batchId: gid("StockBatch", quilts), quantity: 20 }] },
    ],
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}, token = logistics) {
  const result = await mutate("createDispatchOrder", orderInput(overrides), token);
  expect(result.topErrors).toBeUndefined();
  expect(result.errors).toEqual([]);
  return result.order;
}

async function ok(name: string, input: Record<string, unknown>, token: string) {
  const result = await mutate(name, input, token);
  expect(result.topErrors).toBeUndefined();
  expect(result.errors).toEqual([]);
  return result.order;
}

type State = "DRAFT" | "SUBMITTED" | "APPROVED" | "DISPATCHED" | "DELIVERED" | "CLOSED" | "CANCELLED";

/** An order brought to a state the ordinary way. */
async function orderIn(state: State, overrides: Record<string, unknown> = {}) {
  let order = await create(overrides);
  if (state === "DRAFT") return order;
  if (state === "CANCELLED") return ok("cancelDispatchOrder", { id: order.id, reason: "不再需要" }, logistics);
  order = await ok("submitDispatchOrder", { id: order.id }, logistics);
  if (state === "SUBMITTED") return order;
  order = await ok("approveDispatchOrder", { id: order.id }, commander);
  if (state === "APPROVED") return order;
  order = await ok("markDispatched", { id: order.id }, logistics);
  if (state === "DISPATCHED") return order;
  order = await ok("confirmDelivery", { id: order.id, lines: order.lines.map((line: any) => ({ lineId: line.id, receivedQuantity: line.dispatchedQuantity })) }, logistics);
  if (state === "DELIVERED") return order;
  const tentLine = order.lines.find((line: any) => line.item.reusable);
  await ok("recordReturn", { id: order.id, siteId: gid("StorageSite", ids.site["KZ-DEPOT-01"]), lines: [{ lineId: tentLine.id, quantity: tentLine.outstandingQuantity }] }, logistics);
  return ok("closeDispatchOrder", { id: order.id }, logistics);
}

async function ledger(orderGlobalId: string) {
  const id = Number(Buffer.from(orderGlobalId, "base64").toString().split(":")[1]);
  return t.app.dataSource.query(`SELECT kind, site_id, quantity, reason, approved_by FROM stock_movement WHERE dispatch_order_id = $1 ORDER BY id`, [id]);
}

describe("the life cycle", () => {
  it("walks draft → submitted → approved (reserved) → dispatched (issued) → delivered in part → returned → closed", async () => {
    const before = { tents: await batchStock(t.app.dataSource, tents), quilts: await batchStock(t.app.dataSource, quilts) };
    const draft = await create({ transport: { vehiclePlate: "渝F·12345", driverName: "王建国", driverPhone: "13812345678" } });
    expect(draft).toMatchObject({ status: "DRAFT", priority: "NORMAL", pendingApproval: false, destinationKind: "REGION", destinationRegion: { code: "KZ-S01" }, vehiclePlate: "渝F·12345" });
    expect(draft.code).toMatch(new RegExp(`^KZ-DO-${new Date().getFullYear()}-\\d{6}$`));
    expect(draft.lines.map((l: any) => [l.item.code, l.quantity, l.allocatedQuantity])).toEqual([
      ["1010101", 10, 10],
      ["1020101", 20, 20],
    ]);

    const submitted = await ok("submitDispatchOrder", { id: draft.id }, logistics);
    expect(submitted.status).toBe("SUBMITTED");
    expect(await batchStock(t.app.dataSource, tents)).toEqual(before.tents);

    const approved = await ok("approveDispatchOrder", { id: draft.id }, commander);
    expect(approved.status).toBe("APPROVED");
    expect(await batchStock(t.app.dataSource, tents)).toEqual({ onHand: before.tents.onHand, reserved: before.tents.reserved + 10 });
    expect(await batchStock(t.app.dataSource, quilts)).toEqual({ onHand: before.quilts.onHand, reserved: before.quilts.reserved + 20 });

    const dispatched = await ok("markDispatched", { id: draft.id, transport: { greenChannelPass: "KZ-GC-0007" } }, logistics);
    expect(dispatched).toMatchObject({ status: "DISPATCHED", pendingApproval: false });
    expect(dispatched.lines.map((l: any) => [l.dispatchedQuantity, l.deliveredQuantity, l.undeliveredQuantity])).toEqual([
      [10, 0, 10],
      [20, 0, 20],
    ]);
    expect(await batchStock(t.app.dataSource, tents)).toEqual({ onHand: before.tents.onHand - 10, reserved: before.tents.reserved });
    expect(await batchStock(t.app.dataSource, quilts)).toEqual({ onHand: before.quilts.onHand - 20, reserved: before.quilts.reserved });
    expect((await ledger(draft.id)).map((m: any) => [m.kind, m.quantity])).toEqual([
      ["ISSUE", -10],
      ["ISSUE", -20],
    ]);

    // Partial delivery: 8 tents and all quilts arrive; the rest shows per line; a later truck brings 2 more.
    const [tentLine, quiltLine] = dispatched.lines;
    const partial = await ok("confirmDelivery", { id: draft.id, lines: [{ lineId: tentLine.id, receivedQuantity: 8 }, { lineId: quiltLine.id, receivedQuantity: 20 }] }, logistics);
    expect(partial.status).toBe("DELIVERED");
    expect(partial.lines.map((l: any) => [l.deliveredQuantity, l.undeliveredQuantity])).toEqual([
      [8, 2],
      [20, 0],
    ]);
    const tooMany = await mutate("confirmDelivery", { id: draft.id, lines: [{ lineId: tentLine.id, receivedQuantity: 3 }] }, logistics);
    expect(tooMany.errors[0]).toMatchObject({ field: "input.lines[0].receivedQuantity", code: "OUT_OF_RANGE" });
    const rest = await ok("confirmDelivery", { id: draft.id, lines: [{ lineId: tentLine.id, receivedQuantity: 2 }] }, logistics);
    expect(rest.lines[0]).toMatchObject({ deliveredQuantity: 10, undeliveredQuantity: 0, outstandingQuantity: 10 });

    // Tents must come back before the order closes; quilts are consumed.
    const refused = await mutate("closeDispatchOrder", { id: draft.id }, logistics);
    expect(refused.errors[0]).toMatchObject({ field: "input.id", code: "ITEMS_OUTSTANDING", message: expect.stringContaining("line 1: 10 of 10 still out") });

    const point = gid("StorageSite", ids.site["KZ-S01-P"]);
    const back = await ok("recordReturn", { id: draft.id, siteId: point, lines: [{ lineId: tentLine.id, quantity: 7 }], note: "汛后回收" }, logistics);
    expect(back.lines[0]).toMatchObject({ returnedQuantity: 7, outstandingQuantity: 3 });
    expect(back.lines[0].allocations[0].returnedQuantity).toBe(7);
    const missingApprover = await mutate("recordReturn", { id: draft.id, siteId: point, lines: [{ lineId: tentLine.id, quantity: 1, condition: "DAMAGED" }] }, logistics);
    expect(missingApprover.errors[0]).toMatchObject({ field: "input.approvedBy", code: "REQUIRED" });
    await ok("recordReturn", { id: draft.id, siteId: point, lines: [{ lineId: tentLine.id, quantity: 1, condition: "DAMAGED" }], approvedBy: "李主任" }, logistics);
    const overReturn = await mutate("recordReturn", { id: draft.id, siteId: point, lines: [{ lineId: tentLine.id, quantity: 3 }] }, logistics);
    expect(overReturn.errors[0]).toMatchObject({ field: "input.lines[0].quantity", code: "OUT_OF_RANGE" });

    // The returned tents are on hand at the point, in the batch number they left with; the damaged one was written off there.
    const [atPoint] = await t.app.dataSource.query(`SELECT on_hand, reserved FROM stock_batch WHERE site_id = $1 AND batch_number = 'TEST-TENT'`, [ids.site["KZ-S01-P"]]);
    expect(atPoint).toEqual({ on_hand: 7, reserved: 0 });
    expect((await ledger(draft.id)).slice(2).map((m: any) => [m.kind, m.site_id, m.quantity, m.reason, m.approved_by])).toEqual([
      ["RETURN", ids.site["KZ-S01-P"], 7, null, null],
      ["RETURN", ids.site["KZ-S01-P"], 1, null, null],
      ["WRITE_OFF", ids.site["KZ-S01-P"], -1, "DAMAGED", "李主任"],
    ]);

    const stillOut = await mutate("closeDispatchOrder", { id: draft.id }, logistics);
    expect(stillOut.errors[0]).toMatchObject({ code: "ITEMS_OUTSTANDING", message: expect.stringContaining("line 1: 2 of 10 still out") });
    const noApprover = await mutate("closeDispatchOrder", { id: draft.id, writeOffs: [{ lineId: tentLine.id, quantity: 2, reason: "LOST" }] }, logistics);
    expect(noApprover.errors[0]).toMatchObject({ field: "input.approvedBy", code: "REQUIRED" });
    const closed = await ok("closeDispatchOrder", { id: draft.id, writeOffs: [{ lineId: tentLine.id, quantity: 2, reason: "LOST" }], approvedBy: "李主任", note: "山洪冲走" }, logistics);
    expect(closed.status).toBe("CLOSED");
    expect(closed.lines[0]).toMatchObject({ returnedQuantity: 8, writtenOffQuantity: 2, outstandingQuantity: 0 });
    expect(closed.writeOffs).toEqual([{ quantity: 2, reason: "LOST", approvedBy: "李主任", line: { position: 1 } }]);
    expect(await t.app.services.stock.queries.ledgerDiscrepancies()).toEqual([]);
  });

  it("refuses every illegal transition with INVALID_STATE naming the current state, and changes nothing", async () => {
    const states: State[] = ["DRAFT", "SUBMITTED", "APPROVED", "DISPATCHED", "DELIVERED", "CLOSED", "CANCELLED"];
    const legal: Record<State, string[]> = {
      DRAFT: ["updateDispatchOrder", "submitDispatchOrder", "cancelDispatchOrder"],
      SUBMITTED: ["approveDispatchOrder", "cancelDispatchOrder"],
      APPROVED: ["markDispatched", "cancelDispatchOrder"],
      DISPATCHED: ["confirmDelivery", "recordReturn", "cancelDispatchOrder"],
      DELIVERED: ["confirmDelivery", "recordReturn", "closeDispatchOrder"],
      CLOSED: [],
      CANCELLED: [],
    };
    const orders = new Map<State, any>();
    for (const state of states) orders.set(state, await orderIn(state));
    const attempts = (order: any): Array<[string, Record<string, unknown>, string]> => [
      ["updateDispatchOrder", { id: order.id, note: "改" }, logistics],
      ["submitDispatchOrder", { id: order.id }, logistics],
      ["approveDispatchOrder", { id: order.id }, commander],
      ["markDispatched", { id: order.id, verbalOrderBy: "张指挥" }, logistics],
      ["confirmDelivery", { id: order.id, lines: [{ lineId: order.lines[1].id, receivedQuantity: 1 }] }, logistics],
      ["recordReturn", { id: order.id, siteId: gid("StorageSite", ids.site["KZ-DEPOT-01"]), lines: [{ lineId: order.lines[0].id, quantity: 1 }] }, logistics],
      ["closeDispatchOrder", { id: order.id }, logistics],
      ["cancelDispatchOrder", { id: order.id, reason: "测试" }, commander],
    ];
    const refusals: string[] = [];
    for (const state of states) {
      const order = orders.get(state);
      for (const [name, input, token] of attempts(order)) {
        if (legal[state].includes(name)) continue;
        const result = await mutate(name, input, token);
        const error = result.errors?.[0];
        if (error?.code !== "INVALID_STATE" || !error.message.includes(state)) refusals.push(`${name} on ${state}: ${JSON.stringify(result.errors ?? result.topErrors)}`);
        const after = (await t.graphql(`query ($id: ID!) { dispatchOrder(id: $id) { status } }`, { id: order.id }, { token: admin })).data.dispatchOrder;
        expect(after.status).toBe(state);
      }
    }
    expect(refusals).toEqual([]);
    // A NORMAL order cannot skip approval, and the message says why.
    const draft = orders.get("DRAFT");
    const skip = await mutate("markDispatched", { id: draft.id, verbalOrderBy: "张指挥" }, logistics);
    expect(skip.errors[0].message).toMatch(/only an URGENT order may be dispatched before approval/);
  });

  it("lets LOGISTICS cancel only before approval; undoing an approval is a commander's call", async () => {
    const approved = await orderIn("APPROVED");
    const refused = await mutate("cancelDispatchOrder", { id: approved.id, reason: "取消" }, logistics);
    expect(refused.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
    const approveByLogistics = await mutate("approveDispatchOrder", { id: (await orderIn("SUBMITTED")).id }, logistics);
    expect(approveByLogistics.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("commits every step's audit entry in the step's own transaction, with the order's change", async () => {
    const rowId = (globalId: string) => Number(Buffer.from(globalId, "base64").toString().split(":")[1]);
    /** One step over HTTP; its entry must carry the transaction id the order row was last written in. */
    const step = async (name: string, input: Record<string, unknown>, token: string) => {
      const result = await mutate(name, input, token);
      expect(result.errors).toEqual([]);
      const [row] = await t.app.dataSource.query(`SELECT xmin::text AS xid FROM dispatch_order WHERE id = $1`, [rowId(result.order.id)]);
      const entries = await t.app.dataSource.query(`SELECT operation, outcome, xmin::text AS xid FROM audit_entry WHERE request_id = $1`, [result.headers.get("x-request-id")]);
      expect(entries).toEqual([{ operation: name, outcome: "SUCCEEDED", xid: row.xid }]);
      return result.order;
    };
    const order = await step("createDispatchOrder", orderInput(), logistics);
    await step("updateDispatchOrder", { id: order.id, note: "同一事务" }, logistics);
    await step("submitDispatchOrder", { id: order.id }, logistics);
    await step("approveDispatchOrder", { id: order.id }, commander);
    const sent = await step("markDispatched", { id: order.id }, logistics);
    await step("confirmDelivery", { id: order.id, lines: sent.lines.map((line: any) => ({ lineId: line.id, receivedQuantity: line.dispatchedQuantity })) }, logistics);
    const tentLine = sent.lines.find((line: any) => line.item.reusable);
    await step("recordReturn", { id: order.id, siteId: gid("StorageSite", ids.site["KZ-DEPOT-01"]), lines: [{ lineId: tentLine.id, quantity: tentLine.dispatchedQuantity }] }, logistics);
    await step("closeDispatchOrder", { id: order.id }, logistics);
    await step("cancelDispatchOrder", { id: (await orderIn("APPROVED")).id, reason: "不再需要" }, commander);
  });
});

describe("cancelling", () => {
  it("at each stage: nothing held before approval, reservations released after it, everything sent accounted for after dispatch", async () => {
    const stock = () => Promise.all([batchStock(t.app.dataSource, tents), batchStock(t.app.dataSource, quilts)]);
    for (const state of ["DRAFT", "SUBMITTED"] as State[]) {
      const order = await orderIn(state);
      const before = await stock();
      const cancelled = await ok("cancelDispatchOrder", { id: order.id, reason: "需求取消" }, logistics);
      expect(cancelled).toMatchObject({ status: "CANCELLED", cancelReason: "需求取消" });
      expect(await stock()).toEqual(before);
    }

    const beforeApproval = await stock();
    const approved = await orderIn("APPROVED");
    expect((await stock())[0].reserved).toBe(beforeApproval[0].reserved + 10);
    await ok("cancelDispatchOrder", { id: approved.id, reason: "改由乡镇自筹" }, commander);
    expect(await stock()).toEqual(beforeApproval);

    const dispatched = await orderIn("DISPATCHED");
    const [tentLine, quiltLine] = dispatched.lines;
    const outstanding = await mutate("cancelDispatchOrder", { id: dispatched.id, reason: "道路中断" }, commander);
    expect(outstanding.errors[0]).toMatchObject({ code: "ITEMS_OUTSTANDING", message: expect.stringContaining("line 2: 20 of 20 still out") });
    const depot = gid("StorageSite", ids.site["KZ-DEPOT-01"]);
    await ok("recordReturn", { id: dispatched.id, siteId: depot, lines: [{ lineId: tentLine.id, quantity: 10 }, { lineId: quiltLine.id, quantity: 18 }] }, logistics);
    const writeOffWithoutApprover = await mutate("cancelDispatchOrder", { id: dispatched.id, reason: "道路中断", writeOffs: [{ lineId: quiltLine.id, quantity: 2, reason: "DAMAGED" }] }, commander);
    expect(writeOffWithoutApprover.errors[0]).toMatchObject({ field: "input.approvedBy", code: "REQUIRED" });
    const cancelled = await ok("cancelDispatchOrder", { id: dispatched.id, reason: "道路中断", writeOffs: [{ lineId: quiltLine.id, quantity: 2, reason: "DAMAGED" }], approvedBy: "李主任" }, commander);
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.lines.map((l: any) => l.outstandingQuantity)).toEqual([0, 0]);
    // Back where they were, less the two damaged quilts.
    expect(await stock()).toEqual([beforeApproval[0], { onHand: beforeApproval[1].onHand - 2, reserved: beforeApproval[1].reserved }]);

    const delivered = await orderIn("DELIVERED");
    const late = await mutate("cancelDispatchOrder", { id: delivered.id, reason: "太晚" }, commander);
    expect(late.errors[0]).toMatchObject({ code: "INVALID_STATE", message: expect.stringContaining("DELIVERED") });
    expect(await t.app.services.stock.queries.ledgerDiscrepancies()).toEqual([]);
  });
});

describe("approval", () => {
  it("reserves all of an order or nothing", async () => {
    const scarce = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010201"], "TEST-BED", 5);
    const input = orderInput({
      lines: [
        { itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 10, allocations: [{ batchId: gid("StockBatch", tents), quantity: 10 }] },
        { itemId: gid("SupplyItem", ids.item["1010201"]), quantity: 6, allocations: [{ batchId: gid("StockBatch", scarce), quantity: 6 }] },
      ],
    });
    const order = await ok("createDispatchOrder", input, logistics);
    await ok("submitDispatchOrder", { id: order.id }, logistics);
    const before = await batchStock(t.app.dataSource, tents);
    const refused = await mutate("approveDispatchOrder", { id: order.id }, commander);
    expect(refused.order).toBeNull();
    expect(refused.errors).toEqual([expect.objectContaining({ code: "INSUFFICIENT_STOCK", message: expect.stringContaining("TEST-BED has 5 on hand") })]);
    expect(await batchStock(t.app.dataSource, tents)).toEqual(before);
    expect(await batchStock(t.app.dataSource, scarce)).toEqual({ onHand: 5, reserved: 0 });
    const after = (await t.graphql(`query ($id: ID!) { dispatchOrder(id: $id) { status approvedBy } }`, { id: order.id }, { token: admin })).data.dispatchOrder;
    expect(after).toEqual({ status: "SUBMITTED", approvedBy: null });
  });

  it("costs the same number of SQL statements for one line or five (no statement per line inside the lock)", async () => {
    const codes = ["1010102", "1010201", "1010401", "1020102", "1020201"];
    const lines = [];
    for (const code of codes) {
      const batch = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item[code], `HOT-${code}`, 50);
      lines.push({ itemId: gid("SupplyItem", ids.item[code]), quantity: 2, allocations: [{ batchId: gid("StockBatch", batch), quantity: 2 }] });
    }
    const statements = async (orderLines: unknown[]) => {
      const order = await ok("createDispatchOrder", orderInput({ lines: orderLines }), logistics);
      await ok("submitDispatchOrder", { id: order.id }, logistics);
      const { result, roundTrips } = await countRoundTrips(() =>
        t.graphql(`mutation ($input: ApproveDispatchOrderInput!) { approveDispatchOrder(input: $input) { order { status } errors { code } } }`, { input: { id: order.id } }, { token: commander }),
      );
      expect(result.data.approveDispatchOrder).toEqual({ order: { status: "APPROVED" }, errors: [] });
      return { statements: result.sqlStatements, roundTrips };
    };
    const one = await statements(lines.slice(0, 1));
    expect(await statements(lines)).toEqual(one);
    // START TRANSACTION, lock the order, its allocations, lock the batches, reserve, mark it
    // approved, the audit entry, COMMIT, and the levels read behind the COMMIT for subscribers.
    // (The account read is shared between concurrent requests and not counted.)
    expect(one.statements).toBe(9);
    // Bench S3 showed round trips to be most of an approval's cost, so they are pinned: the
    // account read; START TRANSACTION with the order lock, the allocations and the batch lock;
    // the reservation, the approval and the audit entry with COMMIT and the level read behind it.
    // A new one here should be a decision, not an accident.
    expect(one.roundTrips).toBe(3);
  });

  it("needs every line fully sourced before submission", async () => {
    const order = await ok("createDispatchOrder", orderInput({ lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 10, allocations: [{ batchId: gid("StockBatch", tents), quantity: 4 }] }] }), logistics);
    const refused = await mutate("submitDispatchOrder", { id: order.id }, logistics);
    expect(refused.errors[0]).toMatchObject({ code: "NOT_ALLOCATED", message: expect.stringContaining("line 1 has 4 of 10") });
  });
});

describe("partner enterprises (企业协议储备)", () => {
  it("calls off agreement stock without over-calling it, and takes reusable partner goods back into a batch named after the order", async () => {
    const [partner] = await t.app.dataSource.query(
      `SELECT p.id, a.agreed_quantity FROM reserve_partner p JOIN partner_stock_agreement a ON a.partner_id = p.id WHERE p.code = 'KZ-EP-04' AND a.item_id = $1`,
      [ids.item["1010101"]],
    );
    const callOff = (quantity: number) =>
      ok(
        "createDispatchOrder",
        orderInput({ lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity, allocations: [{ partnerId: gid("ReservePartner", partner.id), kind: "PARTNER_STOCK", quantity }] }] }),
        logistics,
      );
    const first = await callOff(partner.agreed_quantity - 50);
    await ok("submitDispatchOrder", { id: first.id }, logistics);
    const approved = await ok("approveDispatchOrder", { id: first.id }, commander);
    expect(approved.lines[0].allocations[0]).toMatchObject({ kind: "PARTNER_STOCK", partner: { code: "KZ-EP-04" }, site: null, batch: null });

    // The plan now sees only what is left of the agreement.
    const plan = await t.graphql(
      `query ($input: PlanAllocationInput!) { planAllocation(input: $input) { lines { sources { kind usable partner { code } } } } }`,
      { input: { destination: { regionId: gid("Region", ids.region["KZ-T05"]) }, lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 1_000_000 }] } },
      { token: logistics },
    );
    expect(plan.data.planAllocation.lines[0].sources.find((s: any) => s.kind === "PARTNER_STOCK" && s.partner.code === "KZ-EP-04").usable).toBe(50);

    const second = await callOff(51);
    await ok("submitDispatchOrder", { id: second.id }, logistics);
    const overCalled = await mutate("approveDispatchOrder", { id: second.id }, commander);
    expect(overCalled.errors[0]).toMatchObject({ code: "INSUFFICIENT_STOCK", message: expect.stringContaining("50 units of agreement stock left") });
    const scopedRefused = await mutate("cancelDispatchOrder", { id: second.id, reason: "x" }, scoped);
    expect(scopedRefused.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");

    const sent = await ok("markDispatched", { id: first.id }, logistics);
    expect(sent.lines[0].dispatchedQuantity).toBe(partner.agreed_quantity - 50);
    expect(await ledger(first.id)).toEqual([]); // the enterprise ships; nothing leaves our stores
    const delivered = await ok("confirmDelivery", { id: first.id, lines: [{ lineId: sent.lines[0].id, receivedQuantity: sent.lines[0].dispatchedQuantity }] }, logistics);
    await ok("recordReturn", { id: first.id, siteId: gid("StorageSite", ids.site["KZ-DEPOT-01"]), lines: [{ lineId: delivered.lines[0].id, quantity: delivered.lines[0].outstandingQuantity }] }, logistics);
    const [returned] = await t.app.dataSource.query(`SELECT batch_number, on_hand, reserve_mode FROM stock_batch WHERE batch_number = $1`, [`${first.code}-P${partner.id}`]);
    expect(returned).toEqual({ batch_number: `${first.code}-P${partner.id}`, on_hand: partner.agreed_quantity - 50, reserve_mode: "GOVERNMENT" });
    expect((await ok("closeDispatchOrder", { id: first.id }, logistics)).status).toBe("CLOSED");
    // Closed: its call-off no longer counts against the agreement, so the second order fits now.
    expect((await ok("approveDispatchOrder", { id: second.id }, commander)).status).toBe("APPROVED");
    expect(await t.app.services.stock.queries.ledgerDiscrepancies()).toEqual([]);
  });
});

describe("urgent verbal orders (口头指令)", () => {
  it("may be dispatched before approval, are flagged until a commander approves, and show as overdue after 48 h", async () => {
    const before = await batchStock(t.app.dataSource, tents);
    const order = await create({ priority: "URGENT" });
    const noName = await mutate("markDispatched", { id: order.id }, logistics);
    expect(noName.errors[0]).toMatchObject({ field: "input.verbalOrderBy", code: "REQUIRED" });
    const sent = await ok("markDispatched", { id: order.id, verbalOrderBy: "张指挥长" }, logistics);
    expect(sent).toMatchObject({ status: "DISPATCHED", pendingApproval: true, approvalOverdue: false, verbalOrderBy: "张指挥长" });
    expect(Date.parse(sent.approvalDueAt) - Date.now()).toBeGreaterThan(47 * 3_600_000);
    // Issued straight from available stock: nothing was reserved on the way.
    expect(await batchStock(t.app.dataSource, tents)).toEqual({ onHand: before.onHand - 10, reserved: before.reserved });

    const overdue = async () => (await t.graphql(`{ overdueApprovals(first: 50) { totalCount nodes { id approvalOverdue } } }`, {}, { token: dashboard })).data.overdueApprovals;
    expect((await overdue()).nodes.map((n: any) => n.id)).not.toContain(order.id);
    await t.app.dataSource.query(`UPDATE dispatch_order SET dispatched_at = now() - interval '49 hours' WHERE code = $1`, [order.code]);
    expect((await overdue()).nodes).toContainEqual({ id: order.id, approvalOverdue: true });

    const delivered = await ok("confirmDelivery", { id: order.id, lines: sent.lines.map((l: any) => ({ lineId: l.id, receivedQuantity: l.dispatchedQuantity })) }, logistics);
    await ok("recordReturn", { id: order.id, siteId: gid("StorageSite", ids.site["KZ-DEPOT-01"]), lines: [{ lineId: delivered.lines[0].id, quantity: 10 }] }, logistics);
    const unapproved = await mutate("closeDispatchOrder", { id: order.id }, logistics);
    expect(unapproved.errors[0]).toMatchObject({ code: "INVALID_STATE", message: expect.stringContaining("awaits a commander's approval") });

    const approved = await ok("approveDispatchOrder", { id: order.id }, commander);
    expect(approved).toMatchObject({ status: "DELIVERED", pendingApproval: false, approvalOverdue: false, approvalDueAt: null });
    expect((await overdue()).nodes.map((n: any) => n.id)).not.toContain(order.id);
    const twice = await mutate("approveDispatchOrder", { id: order.id }, commander);
    expect(twice.errors[0]).toMatchObject({ code: "INVALID_STATE", message: expect.stringContaining("already approved") });
    expect(await batchStock(t.app.dataSource, tents)).toEqual(before);
    expect((await ok("closeDispatchOrder", { id: order.id }, logistics)).status).toBe("CLOSED");
  });
});

describe("sources and destinations", () => {
  it("plans on the seeded district without changing anything: the rules' rounds in order, quickest first within one, every site's minimum kept", async () => {
    const state = async () => (await t.app.dataSource.query(`SELECT sum(reserved)::int AS reserved, (SELECT count(*)::int FROM stock_movement) AS movements FROM stock_batch`))[0];
    const before = await state();
    const PLAN = `query ($input: PlanAllocationInput!) { planAllocation(input: $input) { complete strategy
      lines { requested allocated shortfall sources { kind tier relation quantity usable travelMinutes reason site { code } batch { id } partner { code } } } } }`;
    const result = await t.graphql(PLAN, { input: { destination: { regionId: gid("Region", ids.region["KZ-T05"]) }, lines: [{ itemId: gid("SupplyItem", ids.item["1010301"]), quantity: 3000 }] } }, { token: logistics });
    expect(result.errors).toBeUndefined();
    const [line] = result.data.planAllocation.lines;
    expect(line.allocated + line.shortfall).toBe(3000);
    // A routine order (no incident): depot, partner stock, the township's own point, capacity (src/modules/allocation/source-rules.ts).
    const order = ["DISTRICT_DEPOT", "PARTNER_STOCK", "OWN_TOWNSHIP_POINT", "PARTNER_CAPACITY"];
    const ranks = line.sources.map((s: any) => order.indexOf(s.relation));
    expect(ranks.every((rank: number) => rank >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(line.sources.map((s: any) => s.tier)).size).toBeGreaterThan(1);
    for (const relation of order) {
      const minutes = line.sources.filter((s: any) => s.relation === relation).map((s: any) => s.travelMinutes);
      expect(minutes).toEqual([...minutes].sort((a: number, b: number) => a - b));
    }
    // What each site gives leaves at least its minimum available there.
    const taken = new Map<string, number>();
    for (const source of line.sources.filter((s: any) => s.kind === "SITE_STOCK")) taken.set(source.site.code, (taken.get(source.site.code) ?? 0) + source.quantity);
    for (const [code, quantity] of taken) {
      const [level] = await t.app.dataSource.query(
        `SELECT l.minimum_quantity, sum(b.on_hand - b.reserved)::int AS available FROM stock_level l JOIN stock_batch b ON b.site_id = l.site_id AND b.item_id = l.item_id
         WHERE l.site_id = $1 AND l.item_id = $2 AND (b.expiry_date IS NULL OR b.expiry_date >= current_date) GROUP BY l.minimum_quantity`,
        [ids.site[code], ids.item["1010301"]],
      );
      expect(level.available - quantity).toBeGreaterThanOrEqual(level.minimum_quantity);
    }
    expect(line.sources.every((s: any) => /分钟/.test(s.reason))).toBe(true);
    expect(await state()).toEqual(before);

    const refused = await t.graphql(PLAN, { input: { destination: { regionId: gid("Region", ids.region["KZ-T05"]) }, lines: [{ itemId: gid("SupplyItem", ids.item["1010301"]), quantity: 1 }], allowBelowMinimum: true } }, { token: logistics });
    expect(refused.errors?.[0].message).toMatch(/only URGENT orders/);
  });

  it("fills sources from the plan with autoAllocate, keeping the reasons, and shows a shortfall it cannot cover", async () => {
    const region = gid("Region", ids.region["KZ-S01"]);
    const auto = await mutate("createDispatchOrder", { destination: { regionId: region }, lines: [{ itemId: gid("SupplyItem", ids.item["1010301"]), quantity: 30 }], autoAllocate: true }, logistics, "plan { complete strategy lines { requested allocated shortfall sources { tier quantity distanceKm reason } } }");
    expect(auto.errors).toEqual([]);
    expect(auto.plan).toMatchObject({ complete: true, strategy: "travel-time" });
    const line = auto.order.lines[0];
    expect(line.allocatedQuantity).toBe(30);
    expect(line.allocations.map((a: any) => a.quantity)).toEqual(auto.plan.lines[0].sources.map((s: any) => s.quantity));
    expect(line.allocations.every((a: any) => a.kind === "SITE_STOCK" && a.reason.length > 20)).toBe(true);
    await ok("submitDispatchOrder", { id: auto.order.id }, logistics);
    await ok("approveDispatchOrder", { id: auto.order.id }, commander);

    const huge = await mutate("createDispatchOrder", { destination: { regionId: region }, lines: [{ itemId: gid("SupplyItem", ids.item["2020101"]), quantity: 100000 }], autoAllocate: true }, logistics, "plan { complete lines { shortfall } }");
    expect(huge.plan.complete).toBe(false);
    expect(huge.plan.lines[0].shortfall).toBeGreaterThan(0);
    expect(huge.order.lines[0].allocatedQuantity).toBe(100000 - huge.plan.lines[0].shortfall);
    expect((await mutate("submitDispatchOrder", { id: huge.order.id }, logistics)).errors[0].code).toBe("NOT_ALLOCATED");

    const belowMinimum = await mutate("createDispatchOrder", { destination: { regionId: region }, lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 1 }], autoAllocate: true, allowBelowMinimum: true }, logistics);
    expect(belowMinimum.errors[0]).toMatchObject({ field: "input.allowBelowMinimum", code: "NOT_ALLOWED" });
  });

  it("re-plans a draft's sources on update, and replaces its lines", async () => {
    const order = await create();
    const updated = await mutate("updateDispatchOrder", { id: order.id, priority: "HIGH", autoAllocate: true, note: "改为自动分配" }, logistics, "plan { complete }");
    expect(updated.errors).toEqual([]);
    expect(updated.order.priority).toBe("HIGH");
    expect(updated.order.lines.map((l: any) => l.allocatedQuantity)).toEqual([10, 20]);
    expect(updated.order.lines[0].allocations.every((a: any) => a.reason)).toBe(true);
    const relined = await ok("updateDispatchOrder", { id: order.id, lines: [{ itemId: gid("SupplyItem", ids.item["1020101"]), quantity: 5, allocations: [{ batchId: gid("StockBatch", quilts), quantity: 5 }] }] }, logistics);
    expect(relined.lines.map((l: any) => [l.item.code, l.quantity, l.allocatedQuantity])).toEqual([["1020101", 5, 5]]);
    const wrongItem = await mutate("updateDispatchOrder", { id: order.id, lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 5, allocations: [{ batchId: gid("StockBatch", quilts), quantity: 5 }] }] }, logistics);
    expect(wrongItem.errors[0]).toMatchObject({ field: "input.lines[0].allocations[0].batchId", code: "INVALID_VALUE" });
  });

  it("sends to a region, a site or a point with a receiver; phones and names are masked for dashboards", async () => {
    const toSite = await create({ destination: { siteId: gid("StorageSite", ids.site["KZ-S01-P"]) } });
    expect(toSite).toMatchObject({ destinationKind: "SITE", destinationSite: { code: "KZ-S01-P" }, destinationRegion: { code: "KZ-S01" } });
    const noReceiver = await mutate("createDispatchOrder", orderInput({ destination: { regionId: gid("Region", ids.region["KZ-S01"]), latitude: 31.16, longitude: 108.37 } }), logistics);
    expect(noReceiver.errors.map((e) => [e.field, e.code])).toEqual([
      ["input.destination.receiverName", "REQUIRED"],
      ["input.destination.receiverPhone", "REQUIRED"],
    ]);
    const ambiguous = await mutate("createDispatchOrder", orderInput({ destination: { regionId: gid("Region", ids.region["KZ-S01"]), siteId: gid("StorageSite", ids.site["KZ-S01-P"]) } }), logistics);
    expect(ambiguous.errors[0]).toMatchObject({ field: "input.destination", code: "AMBIGUOUS" });
    const point = await create({
      destination: { regionId: gid("Region", ids.region["KZ-S01"]), latitude: 31.161, longitude: 108.371, address: "汉丰街道安置点", receiverName: "刘晓燕", receiverPhone: "13987654321" },
      transport: { driverName: "王建国", driverPhone: "13812345678" },
    });
    expect(point).toMatchObject({ destinationKind: "POINT", receiverName: "刘晓燕", receiverPhone: "13987654321", driverPhone: "13812345678" });
    const seen = (await t.graphql(`query ($id: ID!) { dispatchOrder(id: $id) { receiverName receiverPhone driverName driverPhone } }`, { id: point.id }, { token: dashboard })).data.dispatchOrder;
    expect(seen).toEqual({ receiverName: "刘**", receiverPhone: "139****4321", driverName: "王**", driverPhone: "138****5678" });
  });
});

describe("territorial scope (属地管理)", () => {
  it("lets a township-scoped account act only on orders whose destination and sources lie in its township", async () => {
    const pointBatch = await receive(t.app.services, ids.site["KZ-S01-P"], ids.item["1010301"], "TEST-S01-BAG", 50);
    const inTownship = {
      destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
      lines: [{ itemId: gid("SupplyItem", ids.item["1010301"]), quantity: 5, allocations: [{ batchId: gid("StockBatch", pointBatch), quantity: 5 }] }],
    };
    const own = await ok("createDispatchOrder", inTownship, scoped);
    await ok("submitDispatchOrder", { id: own.id }, scoped);

    const fromDepot = await mutate("createDispatchOrder", orderInput(), scoped);
    expect(fromDepot.topErrors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("outside your scope") });
    const elsewhere = await mutate("createDispatchOrder", { ...inTownship, destination: { regionId: gid("Region", ids.region["KZ-S02"]) } }, scoped);
    expect(elsewhere.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
    const districtOrder = await create();
    const submitOthers = await mutate("submitDispatchOrder", { id: districtOrder.id }, scoped);
    expect(submitOthers.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");

    // Planning for a scoped account offers only its township's sites, never partners.
    const plan = await t.graphql(
      `query ($input: PlanAllocationInput!) { planAllocation(input: $input) { lines { sources { kind site { code } } } } }`,
      { input: { destination: { regionId: gid("Region", ids.region["KZ-S01"]) }, lines: [{ itemId: gid("SupplyItem", ids.item["1030101"]), quantity: 100000 }] } },
      { token: scoped },
    );
    const sources = plan.data.planAllocation.lines[0].sources;
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s: any) => s.kind === "SITE_STOCK" && s.site.code.startsWith("KZ-S01"))).toBe(true);
  });
});

describe("idempotency keys", () => {
  it("replays a retried create or approval without doing it twice, and refuses a reused key with other input", async () => {
    const count = async () => (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM dispatch_order`))[0].n;
    const before = await count();
    const first = await mutate("createDispatchOrder", { ...orderInput(), idempotencyKey: "dispatch-create-1" }, logistics);
    const retry = await mutate("createDispatchOrder", { ...orderInput(), idempotencyKey: "dispatch-create-1" }, logistics);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.order.id).toBe(first.order.id);
    expect(await count()).toBe(before + 1);

    await ok("submitDispatchOrder", { id: first.order.id }, logistics);
    const reserved = (await batchStock(t.app.dataSource, tents)).reserved;
    const approved = await mutate("approveDispatchOrder", { id: first.order.id, idempotencyKey: "dispatch-approve-1" }, commander);
    const again = await mutate("approveDispatchOrder", { id: first.order.id, idempotencyKey: "dispatch-approve-1" }, commander);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.order).toEqual(approved.order);
    expect(again.errors).toEqual([]);
    expect((await batchStock(t.app.dataSource, tents)).reserved).toBe(reserved + 10);

    const reused = await mutate("approveDispatchOrder", { id: (await orderIn("SUBMITTED")).id, idempotencyKey: "dispatch-approve-1" }, commander);
    expect(reused.errors[0]).toMatchObject({ field: "input.idempotencyKey", code: "IDEMPOTENCY_KEY_REUSED" });
  });
});
