// Supply requests (需求申报 → 审核 → 调拨) over HTTP: the life cycle with the line figures after
// every dispatch and delivery, every illegal transition, who may take each step from where (role ×
// township scope), a township's request fulfilled from the district depot that it may not touch,
// orders racing for the same approved units, the district's queue, personal data masked for
// dashboards on every path, and the README's examples run as written.
import fs from "node:fs";
import path from "node:path";
import { localToday } from "../src/core/db/local-date";
import { startTestApp, type TestApp } from "./support/app";
import { gid, ORDER_FIELDS, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, settle, subscribe } from "./support/subscriptions";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let commander: string;
let admin: string;
let scoped: string;
let otherTownship: string;
let dashboard: string;
let auditor: string;
let orderMutation: ReturnType<typeof orderClient>;
/** Fresh batches at the district depot: tents (reusable) and quilts (consumed). */
let tentBatch: number;
let quiltBatch: number;
let TENTS: string;
let QUILTS: string;
let POINT: string;

const REQUEST_FIELDS = `id code status purpose priority neededBy peopleServed overdue responseDueAt
  destinationKind destinationRegion { code } destinationSite { code } receiverName receiverPhone
  requesterName requesterPhone submittedBy decidedBy decisionNote endedBy endReason incident { code }
  lines { id position quantity approvedQuantity onOrderQuantity unorderedQuantity inTransitQuantity deliveredQuantity outstandingQuantity priority neededBy item { code } }
  dispatchOrders { id code status }`;

const ORDER_WITH_REQUEST = `${ORDER_FIELDS} incident { code } request { code status } lines { requestLine { position } }`;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [logistics, commander, admin, scoped, auditor] = await Promise.all(["logistics", "commander", "admin", "logistics.kz-s01", "auditor"].map((name) => t.tokenFor(name)));
  dashboard = await t.apiKeyFor("DASHBOARD");
  const account = await t.graphql(
    `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { errors { message } } }`,
    { input: { username: "logistics.kz-s02", displayName: "文峰街道物资保障员", password: "Wenfeng-Logistics-2026!", role: "LOGISTICS", scopeRegionId: gid("Region", ids.region["KZ-S02"]) } },
    { token: admin },
  );
  expect(account.data.createAccount.errors).toEqual([]);
  otherTownship = (await t.graphql(`mutation { login(input: { username: "logistics.kz-s02", password: "Wenfeng-Logistics-2026!" }) { token } }`)).data.login.token;
  orderMutation = orderClient(t, ORDER_WITH_REQUEST);
  tentBatch = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "RQ-TEST-TENT", 5000);
  quiltBatch = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1020101"], "RQ-TEST-QUILT", 5000);
  TENTS = gid("SupplyItem", ids.item["1010101"]);
  QUILTS = gid("SupplyItem", ids.item["1020101"]);
  POINT = gid("StorageSite", ids.site["KZ-S01-P"]);
});
afterAll(() => t.stop());

type Payload = { request: any; errors: Array<{ field: string | null; code: string; message: string }>; topErrors?: Array<{ message: string; extensions?: Record<string, any> }>; headers: Headers };

async function mutate(name: string, input: Record<string, unknown>, token: string): Promise<Payload> {
  const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  const result = await t.graphql(`mutation ($input: ${inputType}!) { ${name}(input: $input) { request { ${REQUEST_FIELDS} } errors { field code message } } }`, { input }, { token });
  return { ...(result.data?.[name] ?? {}), topErrors: result.errors, headers: result.headers };
}

async function ok(name: string, input: Record<string, unknown>, token: string) {
  const result = await mutate(name, input, token);
  expect(result.topErrors).toBeUndefined();
  expect(result.errors).toEqual([]);
  return result.request;
}

async function okOrder(name: string, input: Record<string, unknown>, token: string, extra = "") {
  const result = await orderMutation(name, input, token, extra);
  expect(result.topErrors).toBeUndefined();
  expect(result.errors).toEqual([]);
  return result.order;
}

async function read(id: string, token = admin) {
  const result = await t.graphql(`query ($id: ID!) { supplyRequest(id: $id) { ${REQUEST_FIELDS} } }`, { id }, { token });
  expect(result.errors).toBeUndefined();
  return result.data.supplyRequest;
}

/** [requested, approved, on orders, unordered, in transit, delivered, outstanding] per line. */
function figures(request: any): number[][] {
  return request.lines.map((l: any) => [l.quantity, l.approvedQuantity, l.onOrderQuantity, l.unorderedQuantity, l.inTransitQuantity, l.deliveredQuantity, l.outstandingQuantity]);
}

/** 30 tents and 50 quilts for 汉丰街道's point, replenishing it. */
function submitInput(overrides: Record<string, unknown> = {}) {
  return {
    purpose: "REPLENISHMENT",
    destination: { siteId: POINT },
    requesterPhone: "13912345678",
    lines: [
      { itemId: TENTS, quantity: 30, priority: "HIGH" },
      { itemId: QUILTS, quantity: 50 },
    ],
    ...overrides,
  };
}

/** Order lines for a request's tents and quilts, from the depot batches by hand. */
function depotLines(tents: number, quilts = 0) {
  return [
    ...(tents ? [{ itemId: TENTS, quantity: tents, allocations: [{ batchId: gid("StockBatch", tentBatch), quantity: tents }] }] : []),
    ...(quilts ? [{ itemId: QUILTS, quantity: quilts, allocations: [{ batchId: gid("StockBatch", quiltBatch), quantity: quilts }] }] : []),
  ];
}

/** An order made from the request, taken through approval and dispatch to full delivery. */
async function deliverAll(order: any) {
  await okOrder("submitDispatchOrder", { id: order.id }, logistics);
  await okOrder("approveDispatchOrder", { id: order.id }, commander);
  const sent = await okOrder("markDispatched", { id: order.id }, logistics);
  return okOrder("confirmDelivery", { id: order.id, lines: sent.lines.map((l: any) => ({ lineId: l.id, receivedQuantity: l.dispatchedQuantity })) }, logistics);
}

type RequestState = "SUBMITTED" | "APPROVED" | "REJECTED" | "FULFILLING" | "FULFILLED" | "CANCELLED" | "CLOSED";

/** A fresh request brought to a state the ordinary way (submitted by 汉丰街道's own account). */
async function requestIn(state: RequestState): Promise<any> {
  const request = await ok("submitSupplyRequest", submitInput(), scoped);
  if (state === "SUBMITTED") return request;
  if (state === "REJECTED") return ok("rejectSupplyRequest", { id: request.id, reason: "库存充足" }, commander);
  if (state === "CANCELLED") return ok("cancelSupplyRequest", { id: request.id, reason: "已自行解决" }, scoped);
  await ok("approveSupplyRequest", { id: request.id }, commander);
  if (state === "APPROVED") return read(request.id);
  if (state === "CLOSED") return ok("closeSupplyRequest", { id: request.id, reason: "不再调拨" }, logistics);
  const order = await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(30, 50) }, logistics);
  if (state === "FULFILLED") await deliverAll(order);
  return read(request.id);
}

describe("the life cycle", () => {
  it("walks submitted → approved in part → fulfilling over several orders → fulfilled, with the line figures right after every step", async () => {
    const submitted = await ok("submitSupplyRequest", submitInput({ peopleServed: 300, note: "补足储备点最低库存" }), scoped);
    expect(submitted).toMatchObject({
      status: "SUBMITTED",
      purpose: "REPLENISHMENT",
      priority: "HIGH",
      peopleServed: 300,
      destinationKind: "SITE",
      destinationSite: { code: "KZ-S01-P" },
      destinationRegion: { code: "KZ-S01" },
      requesterName: "汉丰街道物资保障员",
      submittedBy: "logistics.kz-s01",
      overdue: false,
      dispatchOrders: [],
    });
    expect(submitted.code).toMatch(/^KZ-RQ-\d{4}-\d{5}$/);
    expect(Date.parse(submitted.responseDueAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(figures(submitted)).toEqual([
      [30, null, 0, 0, 0, 0, 0],
      [50, null, 0, 0, 0, 0, 0],
    ]);
    const [tentLine, quiltLine] = submitted.lines;

    const cutWithoutNote = await mutate("approveSupplyRequest", { id: submitted.id, lines: [{ lineId: tentLine.id, approvedQuantity: 30 }, { lineId: quiltLine.id, approvedQuantity: 40 }] }, commander);
    expect(cutWithoutNote.errors).toEqual([{ field: "input.note", code: "REQUIRED", message: expect.stringContaining("lines were cut") }]);
    const approved = await ok(
      "approveSupplyRequest",
      { id: submitted.id, lines: [{ lineId: tentLine.id, approvedQuantity: 30 }, { lineId: quiltLine.id, approvedQuantity: 40 }], note: "棉被先拨付 40 床" },
      commander,
    );
    expect(approved).toMatchObject({ status: "APPROVED", decidedBy: "commander", decisionNote: "棉被先拨付 40 床", overdue: false, responseDueAt: null });
    expect(figures(approved)).toEqual([
      [30, 30, 0, 30, 0, 0, 30],
      [50, 40, 0, 40, 0, 0, 40],
    ]);

    // The first order: no destination given (the request's site), priority from the request, sources planned.
    const first = await okOrder("createDispatchOrder", { requestId: submitted.id, autoAllocate: true, lines: [{ itemId: TENTS, quantity: 20 }, { itemId: QUILTS, quantity: 40 }] }, logistics);
    expect(first).toMatchObject({ status: "DRAFT", priority: "HIGH", destinationKind: "SITE", destinationSite: { code: "KZ-S01-P" }, request: { code: submitted.code, status: "FULFILLING" } });
    expect(first.lines.map((l: any) => [l.item.code, l.quantity, l.allocatedQuantity, l.requestLine.position])).toEqual([
      ["1010101", 20, 20, 1],
      ["1020101", 40, 40, 2],
    ]);
    expect(figures(await read(submitted.id))).toEqual([
      [30, 30, 20, 10, 0, 0, 30],
      [50, 40, 40, 0, 0, 0, 40],
    ]);

    const second = await okOrder("createDispatchOrder", { requestId: submitted.id, lines: depotLines(10) }, logistics);
    const tooMany = await orderMutation("createDispatchOrder", { requestId: submitted.id, lines: depotLines(1, 1) }, logistics);
    expect(tooMany.errors.map((e) => [e.field, e.code])).toEqual([
      ["input.lines[0].quantity", "EXCEEDS_APPROVED"],
      ["input.lines[1].quantity", "EXCEEDS_APPROVED"],
    ]);
    expect(tooMany.errors[0].message).toMatch(/30 approved, 30 on other orders; 1 is more than the 0 left/);

    // Sent, then received in part: in transit until confirmed.
    await okOrder("submitDispatchOrder", { id: first.id }, logistics);
    await okOrder("approveDispatchOrder", { id: first.id }, commander);
    const sent = await okOrder("markDispatched", { id: first.id }, logistics);
    expect(figures(await read(submitted.id))).toEqual([
      [30, 30, 30, 0, 20, 0, 30],
      [50, 40, 40, 0, 40, 0, 40],
    ]);
    await okOrder("confirmDelivery", { id: first.id, lines: [{ lineId: sent.lines[0].id, receivedQuantity: 15 }, { lineId: sent.lines[1].id, receivedQuantity: 40 }] }, logistics);
    expect(figures(await read(submitted.id))).toEqual([
      [30, 30, 30, 0, 5, 15, 15],
      [50, 40, 40, 0, 0, 40, 0],
    ]);

    // A cancelled order gives its units back to the request; another order takes them.
    await okOrder("cancelDispatchOrder", { id: second.id, reason: "改派" }, logistics);
    expect(figures(await read(submitted.id))[0]).toEqual([30, 30, 20, 10, 5, 15, 15]);
    const third = await okOrder("createDispatchOrder", { requestId: submitted.id, lines: depotLines(10) }, logistics);
    await deliverAll(third);
    expect((await read(submitted.id)).status).toBe("FULFILLING");
    const rest = await okOrder("confirmDelivery", { id: first.id, lines: [{ lineId: sent.lines[0].id, receivedQuantity: 5 }] }, logistics);
    expect(rest.request.status).toBe("FULFILLED");

    const fulfilled = await read(submitted.id);
    expect(fulfilled.status).toBe("FULFILLED");
    expect(figures(fulfilled)).toEqual([
      [30, 30, 30, 0, 0, 30, 0],
      [50, 40, 40, 0, 0, 40, 0],
    ]);
    expect(fulfilled.dispatchOrders.map((o: any) => [o.code, o.status])).toEqual([
      [first.code, "DELIVERED"],
      [second.code, "CANCELLED"],
      [third.code, "DELIVERED"],
    ]);
    const after = await orderMutation("createDispatchOrder", { requestId: submitted.id, lines: depotLines(1) }, logistics);
    expect(after.errors[0]).toMatchObject({ field: "input.requestId", code: "INVALID_STATE", message: expect.stringContaining("FULFILLED") });
  });

  it("commits every answer's audit entry in the answer's own transaction, with the request's change", async () => {
    const rowId = (globalId: string) => Number(Buffer.from(globalId, "base64").toString().split(":")[1]);
    /** The request row's last writing transaction against the one the request's entry committed in. */
    const committedTogether = async (requestId: string, headers: Headers, operation: string) => {
      const [row] = await t.app.dataSource.query(`SELECT xmin::text AS xid FROM supply_request WHERE id = $1`, [rowId(requestId)]);
      const entries = await t.app.dataSource.query(`SELECT operation, outcome, xmin::text AS xid FROM audit_entry WHERE request_id = $1`, [headers.get("x-request-id")]);
      expect(entries).toEqual([{ operation, outcome: "SUCCEEDED", xid: row.xid }]);
    };
    const step = async (name: string, input: Record<string, unknown>, token: string) => {
      const result = await mutate(name, input, token);
      expect(result.errors).toEqual([]);
      await committedTogether(result.request.id, result.headers, name);
      return result.request;
    };
    const request = await step("submitSupplyRequest", submitInput(), scoped);
    await step("approveSupplyRequest", { id: request.id }, commander);
    // An order made from it moves it to FULFILLING in the order's transaction.
    const order = await orderMutation("createDispatchOrder", { requestId: request.id, lines: depotLines(1) }, logistics);
    expect(order.errors).toEqual([]);
    await committedTogether(request.id, order.headers, "createDispatchOrder");
    await okOrder("cancelDispatchOrder", { id: order.order.id, reason: "改由乡镇调剂" }, logistics);
    await step("closeSupplyRequest", { id: request.id, reason: "不再调拨" }, logistics);
    await step("rejectSupplyRequest", { id: (await requestIn("SUBMITTED")).id, reason: "库存充足" }, commander);
    await step("cancelSupplyRequest", { id: (await requestIn("SUBMITTED")).id, reason: "已自行解决" }, scoped);
  });

  it("refuses every illegal transition with INVALID_STATE naming the current state, and changes nothing", async () => {
    const states: RequestState[] = ["SUBMITTED", "APPROVED", "REJECTED", "FULFILLING", "FULFILLED", "CANCELLED", "CLOSED"];
    const legal: Record<RequestState, string[]> = {
      SUBMITTED: ["approveSupplyRequest", "rejectSupplyRequest", "cancelSupplyRequest"],
      APPROVED: ["cancelSupplyRequest", "closeSupplyRequest", "createDispatchOrder"],
      REJECTED: [],
      FULFILLING: ["closeSupplyRequest", "createDispatchOrder"],
      FULFILLED: [],
      CANCELLED: [],
      CLOSED: [],
    };
    const refusals: string[] = [];
    for (const state of states) {
      const request = await requestIn(state);
      expect(request.status).toBe(state);
      // As ADMIN, whom no role or scope rule stops: only the state decides.
      const attempts: Array<[string, () => Promise<{ errors: Payload["errors"]; topErrors?: Payload["topErrors"] }>]> = [
        ["approveSupplyRequest", () => mutate("approveSupplyRequest", { id: request.id }, admin)],
        ["rejectSupplyRequest", () => mutate("rejectSupplyRequest", { id: request.id, reason: "测试" }, admin)],
        ["cancelSupplyRequest", () => mutate("cancelSupplyRequest", { id: request.id, reason: "测试" }, admin)],
        ["closeSupplyRequest", () => mutate("closeSupplyRequest", { id: request.id, reason: "测试" }, admin)],
        ["createDispatchOrder", () => orderMutation("createDispatchOrder", { requestId: request.id, lines: depotLines(1) }, admin)],
      ];
      for (const [name, attempt] of attempts) {
        if (legal[state].includes(name)) continue;
        const result = await attempt();
        const error = result.errors?.[0];
        if (error?.code !== "INVALID_STATE" || !error.message.includes(state)) refusals.push(`${name} on ${state}: ${JSON.stringify(result.errors ?? result.topErrors)}`);
        const now = await read(request.id);
        expect(now.status).toBe(state);
        expect(now.dispatchOrders.length).toBe(request.dispatchOrders.length);
      }
    }
    expect(refusals).toEqual([]);
  });

  it("closes only when nothing made from it waits to leave; orders already sent go on, and a request whose orders were all cancelled is APPROVED again", async () => {
    const request = await requestIn("FULFILLING");
    const [order] = request.dispatchOrders;
    const pending = await mutate("closeSupplyRequest", { id: request.id, reason: "汛期结束" }, logistics);
    expect(pending.errors[0]).toMatchObject({ field: "input.id", code: "ORDERS_PENDING", message: expect.stringContaining(`${order.code} (DRAFT)`) });

    await okOrder("submitDispatchOrder", { id: order.id }, logistics);
    await okOrder("approveDispatchOrder", { id: order.id }, commander);
    const sent = await okOrder("markDispatched", { id: order.id }, logistics);
    const closed = await ok("closeSupplyRequest", { id: request.id, reason: "汛期结束" }, logistics);
    expect(closed).toMatchObject({ status: "CLOSED", endedBy: "logistics", endReason: "汛期结束" });
    expect(figures(closed).map((line) => line.slice(2))).toEqual([
      [30, 0, 30, 0, 0],
      [50, 0, 50, 0, 0],
    ]);
    // What was on its way still arrives and shows; the request stays closed.
    await okOrder("confirmDelivery", { id: order.id, lines: sent.lines.map((l: any) => ({ lineId: l.id, receivedQuantity: l.dispatchedQuantity })) }, logistics);
    const later = await read(request.id);
    expect(later.status).toBe("CLOSED");
    expect(later.lines.map((l: any) => l.deliveredQuantity)).toEqual([30, 50]);

    const another = await requestIn("FULFILLING");
    await okOrder("cancelDispatchOrder", { id: another.dispatchOrders[0].id, reason: "改派" }, logistics);
    const back = await read(another.id);
    expect(back.status).toBe("APPROVED");
    expect(figures(back)[0]).toEqual([30, 30, 0, 30, 0, 0, 30]);
    expect((await ok("cancelSupplyRequest", { id: another.id, reason: "乡镇已自行调剂" }, commander)).status).toBe("CANCELLED");
  });
});

describe("who may do what (role × township scope)", () => {
  it("lets each caller take exactly the steps its role and township allow, and a refusal changes nothing", async () => {
    const callers: Record<string, string> = { admin: "", commander: "", logistics: "", "logistics.kz-s01": "", "logistics.kz-s02": "", dashboard: "", auditor: "" };
    Object.assign(callers, { admin, commander, logistics, "logistics.kz-s01": scoped, "logistics.kz-s02": otherTownship, dashboard, auditor });
    type Row = { mutation: string; state: RequestState | null; input: (request: any) => Record<string, unknown>; allowed: string[] };
    const rows: Row[] = [
      { mutation: "submitSupplyRequest", state: null, input: () => submitInput(), allowed: ["admin", "logistics", "logistics.kz-s01"] },
      { mutation: "approveSupplyRequest", state: "SUBMITTED", input: (r) => ({ id: r.id }), allowed: ["admin", "commander", "logistics"] },
      { mutation: "rejectSupplyRequest", state: "SUBMITTED", input: (r) => ({ id: r.id, reason: "不予支持" }), allowed: ["admin", "commander", "logistics"] },
      { mutation: "cancelSupplyRequest", state: "SUBMITTED", input: (r) => ({ id: r.id, reason: "撤回" }), allowed: ["admin", "logistics", "logistics.kz-s01"] },
      { mutation: "cancelSupplyRequest", state: "APPROVED", input: (r) => ({ id: r.id, reason: "撤回" }), allowed: ["admin", "commander", "logistics"] },
      { mutation: "closeSupplyRequest", state: "APPROVED", input: (r) => ({ id: r.id, reason: "不再调拨" }), allowed: ["admin", "logistics"] },
      { mutation: "closeSupplyRequest", state: "FULFILLING", input: (r) => ({ id: r.id, reason: "不再调拨" }), allowed: [] },
      { mutation: "createDispatchOrder", state: "APPROVED", input: (r) => ({ requestId: r.id, lines: depotLines(5) }), allowed: ["admin", "logistics"] },
    ];
    const mismatches: string[] = [];
    for (const row of rows) {
      for (const [caller, token] of Object.entries(callers)) {
        const request = row.state ? await requestIn(row.state) : null;
        const result = row.mutation === "createDispatchOrder" ? await orderMutation(row.mutation, row.input(request), token) : await mutate(row.mutation, row.input(request), token);
        const forbidden = result.topErrors?.[0]?.extensions?.code === "FORBIDDEN";
        const done = !result.topErrors && result.errors.length === 0;
        // Closing a FULFILLING request with its order still a draft is refused for everyone: by role, scope or ORDERS_PENDING.
        const expected = row.allowed.includes(caller) ? "done" : row.state === "FULFILLING" && ["admin", "logistics"].includes(caller) ? "ORDERS_PENDING" : "FORBIDDEN";
        const got = done ? "done" : forbidden ? "FORBIDDEN" : (result.errors?.[0]?.code ?? JSON.stringify(result.topErrors));
        if (got !== expected) mismatches.push(`${row.mutation} on ${row.state ?? "—"} as ${caller}: expected ${expected}, got ${got}`);
        if (request && !done) {
          const now = await read(request.id);
          if (now.status !== request.status || now.dispatchOrders.length !== request.dispatchOrders.length) mismatches.push(`${row.mutation} as ${caller} changed the request`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("keeps a township account to its own township: its requests for elsewhere, and others' requests, are FORBIDDEN", async () => {
    const elsewhere = await mutate("submitSupplyRequest", submitInput({ destination: { siteId: gid("StorageSite", ids.site["KZ-S02-P"]) } }), scoped);
    expect(elsewhere.topErrors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("outside your scope") });
    expect(elsewhere.topErrors?.[0].message).toMatch(/you act only within 汉丰街道\.$/); // the township by name, not its row id
    const theirs = await ok("submitSupplyRequest", submitInput({ destination: { siteId: gid("StorageSite", ids.site["KZ-S02-P"]) } }), otherTownship);
    const withdrawOthers = await mutate("cancelSupplyRequest", { id: theirs.id, reason: "撤回" }, scoped);
    expect(withdrawOthers.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
    const approveOwn = await mutate("approveSupplyRequest", { id: (await requestIn("SUBMITTED")).id }, scoped);
    expect(approveOwn.topErrors?.[0].message).toMatch(/district's decision/);
    // Reading is for everyone: a township sees the whole queue.
    expect((await read(theirs.id, scoped)).status).toBe("SUBMITTED");
  });
});

describe("a township's request fulfilled from the district depot", () => {
  it("is raised and followed live by 汉丰街道, answered and sent by the district; the township never touches the depot's stock", async () => {
    const township = gid("Region", ids.region["KZ-S01"]);
    const FOLLOW = `subscription ($where: SupplyRequestChangedWhere) { supplyRequestChanged(where: $where) { change orderChange order { code } request { code status lines { inTransitQuantity deliveredQuantity outstandingQuantity } } } }`;
    const client = clientFor(t.url, scoped);
    try {
      const ownTownship = await subscribe(client, FOLLOW, { where: { regionId: township } });
      const elsewhere = await subscribe(client, FOLLOW, { where: { regionId: gid("Region", ids.region["KZ-T27"]) } });

      const request = await ok("submitSupplyRequest", submitInput({ lines: [{ itemId: TENTS, quantity: 40, priority: "URGENT" }] }), scoped);
      await ok("approveSupplyRequest", { id: request.id }, commander);
      const depotBefore = (await t.app.dataSource.query(`SELECT on_hand, reserved FROM stock_batch WHERE id = $1`, [tentBatch]))[0];

      // The township may make an order from it only from its own township's stock: the depot's is FORBIDDEN.
      const fromDepot = await orderMutation("createDispatchOrder", { requestId: request.id, lines: depotLines(40) }, scoped);
      expect(fromDepot.topErrors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("outside your scope") });
      expect((await t.app.dataSource.query(`SELECT on_hand, reserved FROM stock_batch WHERE id = $1`, [tentBatch]))[0]).toEqual(depotBefore);

      const order = await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(40) }, logistics);
      const approveOrder = await orderMutation("approveDispatchOrder", { id: order.id }, scoped);
      expect(approveOrder.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
      await okOrder("submitDispatchOrder", { id: order.id }, logistics);
      await okOrder("approveDispatchOrder", { id: order.id }, commander);
      const dispatchFromDepot = await orderMutation("markDispatched", { id: order.id }, scoped);
      expect(dispatchFromDepot.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
      const sent = await okOrder("markDispatched", { id: order.id }, logistics);
      await okOrder("confirmDelivery", { id: order.id, lines: [{ lineId: sent.lines[0].id, receivedQuantity: 40 }] }, logistics);

      const events = await ownTownship.waitFor(7);
      expect(events.map((e: any) => [e.supplyRequestChanged.change, e.supplyRequestChanged.orderChange, e.supplyRequestChanged.request.code])).toEqual([
        ["SUBMITTED", null, request.code],
        ["APPROVED", null, request.code],
        ["ORDER_CHANGED", "CREATED", request.code],
        ["ORDER_CHANGED", "SUBMITTED", request.code],
        ["ORDER_CHANGED", "APPROVED", request.code],
        ["ORDER_CHANGED", "DISPATCHED", request.code],
        ["FULFILLED", "DELIVERY_CONFIRMED", request.code],
      ]);
      expect(events.at(-1).supplyRequestChanged).toMatchObject({ order: { code: order.code }, request: { status: "FULFILLED", lines: [{ inTransitQuantity: 0, deliveredQuantity: 40, outstandingQuantity: 0 }] } });
      await settle();
      expect(elsewhere.events).toEqual([]);

      // Every stock movement of the order was made by district accounts.
      const movements: Array<{ kind: string; site_id: number; recorded_by: string }> = await t.app.dataSource.query(
        `SELECT m.kind, m.site_id, m.recorded_by FROM stock_movement m JOIN dispatch_order o ON o.id = m.dispatch_order_id WHERE o.code = $1`,
        [order.code],
      );
      expect(movements.length).toBeGreaterThan(0);
      expect(movements.every((m) => m.recorded_by === "logistics")).toBe(true);
      // Issued from the depot, and booked into the township's point on receipt (shipments that land).
      expect(movements.filter((m) => m.kind === "ISSUE").every((m) => m.site_id === ids.site["KZ-DEPOT-01"])).toBe(true);
      expect(movements.filter((m) => m.kind !== "ISSUE").map((m) => [m.kind, m.site_id])).toEqual(movements.filter((m) => m.kind !== "ISSUE").map(() => ["TRANSFER_IN", ids.site["KZ-S01-P"]]));
      expect((await read(request.id, scoped)).status).toBe("FULFILLED");
    } finally {
      await client.dispose();
    }
  });

  it("lets a township fulfil an approved request for its village from its own point, and serves the request's incident", async () => {
    const incident = await t.graphql(
      `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id code } errors { message } } }`,
      { input: { title: "汉丰湖周边内涝", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [gid("Region", ids.region["KZ-S01"])] } },
      { token: commander },
    );
    const { id: incidentId, code: incidentCode } = incident.data.openIncident.incident;
    const village = (await t.app.dataSource.query(`SELECT id FROM region WHERE parent_id = $1 ORDER BY id LIMIT 1`, [ids.region["KZ-S01"]]))[0].id;
    const pointBatch = await receive(t.app.services, ids.site["KZ-S01-P"], ids.item["1020101"], "RQ-S01-QUILT", 100);
    const request = await ok(
      "submitSupplyRequest",
      { purpose: "INCIDENT", incidentId, destination: { regionId: gid("Region", village) }, requesterPhone: "13912345678", peopleServed: 60, lines: [{ itemId: QUILTS, quantity: 60, priority: "URGENT" }] },
      scoped,
    );
    expect(request).toMatchObject({ purpose: "INCIDENT", incident: { code: incidentCode }, priority: "URGENT", destinationRegion: { code: expect.stringMatching(/^KZ-S01-/) } });
    await ok("approveSupplyRequest", { id: request.id }, logistics);
    const order = await okOrder("createDispatchOrder", { requestId: request.id, lines: [{ itemId: QUILTS, quantity: 60, allocations: [{ batchId: gid("StockBatch", pointBatch), quantity: 60 }] }] }, scoped);
    expect(order).toMatchObject({ priority: "URGENT", incident: { code: incidentCode }, destinationKind: "REGION", request: { status: "FULFILLING" } });
    // An order made from the request stays inside what it asked for.
    const outside = await orderMutation("createDispatchOrder", { requestId: request.id, destination: { regionId: gid("Region", ids.region["KZ-S02"]) }, lines: depotLines(0, 1) }, logistics);
    expect(outside.errors[0]).toMatchObject({ field: "input.destination", code: "INVALID_VALUE" });
    const otherItem = await orderMutation("createDispatchOrder", { requestId: request.id, lines: depotLines(1) }, logistics);
    expect(otherItem.errors[0]).toMatchObject({ field: "input.lines[0].itemId", code: "NOT_ON_REQUEST" });
    const unlinked = await orderMutation("createDispatchOrder", { destination: { regionId: gid("Region", village) }, lines: [{ ...depotLines(0, 1)[0], requestLineId: request.lines[0].id }] }, logistics);
    expect(unlinked.errors[0]).toMatchObject({ field: "input.lines[0].requestLineId", code: "NOT_ALLOWED" });
  });
});

describe("orders racing for the same approved units", () => {
  it("never put more on orders than was approved, however many are made at once", async () => {
    const request = await ok("submitSupplyRequest", submitInput({ lines: [{ itemId: TENTS, quantity: 100 }] }), logistics);
    await ok("approveSupplyRequest", { id: request.id }, commander);
    const race = (count: number, quantity: number) => Promise.all(Array.from({ length: count }, () => orderMutation("createDispatchOrder", { requestId: request.id, lines: depotLines(quantity) }, logistics)));

    const first = await race(8, 30);
    expect(first.filter((r) => r.order).length).toBe(3);
    for (const refused of first.filter((r) => !r.order)) expect(refused.errors.map((e) => e.code)).toEqual(["EXCEEDS_APPROVED"]);
    const second = await race(8, 7);
    expect(second.filter((r) => r.order).length).toBe(1);

    const line = (await read(request.id)).lines[0];
    expect(line).toMatchObject({ approvedQuantity: 100, onOrderQuantity: 97, unorderedQuantity: 3 });
    const [{ total }] = await t.app.dataSource.query(
      `SELECT sum(l.quantity)::int AS total FROM dispatch_order_line l JOIN dispatch_order o ON o.id = l.order_id WHERE o.request_id = $1 AND o.status <> 'CANCELLED'`,
      [Number(Buffer.from(request.id, "base64").toString().split(":")[1])],
    );
    expect(total).toBe(97);
  });

  it("ends FULFILLED when the last deliveries of two of its orders are confirmed at once", async () => {
    for (let round = 0; round < 5; round++) {
      const request = await ok("submitSupplyRequest", submitInput({ lines: [{ itemId: TENTS, quantity: 20 }] }), logistics);
      await ok("approveSupplyRequest", { id: request.id }, commander);
      const sent = [];
      for (let i = 0; i < 2; i++) {
        const order = await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(10) }, logistics);
        await okOrder("submitDispatchOrder", { id: order.id }, logistics);
        await okOrder("approveDispatchOrder", { id: order.id }, commander);
        sent.push(await okOrder("markDispatched", { id: order.id }, logistics));
      }
      const confirmed = await Promise.all(sent.map((order) => orderMutation("confirmDelivery", { id: order.id, lines: [{ lineId: order.lines[0].id, receivedQuantity: 10 }] }, logistics)));
      expect(confirmed.map((result) => result.errors)).toEqual([[], []]);
      expect((await read(request.id)).status).toBe("FULFILLED");
    }
  });

  it("takes what is left of the approved lines when an order made from the request names none", async () => {
    const request = await ok("submitSupplyRequest", submitInput(), scoped);
    await ok("approveSupplyRequest", { id: request.id, lines: [{ lineId: request.lines[0].id, approvedQuantity: 20 }, { lineId: request.lines[1].id, approvedQuantity: 50 }], note: "帐篷先批20顶" }, commander);
    await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(5) }, logistics);
    const rest = await okOrder("createDispatchOrder", { requestId: request.id, autoAllocate: true }, logistics);
    expect(rest.lines.map((l: any) => [l.item.code, l.quantity])).toEqual([
      ["1010101", 15],
      ["1020101", 50],
    ]);
    expect(rest.lines.map((l: any) => l.allocations.reduce((sum: number, a: any) => sum + a.quantity, 0))).toEqual([15, 50]);
    expect(figures(await read(request.id)).map((line) => line[3])).toEqual([0, 0]);
    const nothingLeft = await orderMutation("createDispatchOrder", { requestId: request.id }, logistics);
    expect(nothingLeft.errors).toEqual([expect.objectContaining({ field: "input.requestId", code: "NOTHING_LEFT" })]);
    const noLines = await orderMutation("createDispatchOrder", { destination: { siteId: POINT } }, logistics);
    expect(noLines.errors).toEqual([expect.objectContaining({ field: "input.lines", code: "REQUIRED" })]);
  });

  it("holds re-lined drafts to the request too", async () => {
    const request = await ok("submitSupplyRequest", submitInput({ lines: [{ itemId: TENTS, quantity: 20 }] }), logistics);
    await ok("approveSupplyRequest", { id: request.id }, commander);
    const a = await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(10) }, logistics);
    await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(10) }, logistics);
    const grown = await orderMutation("updateDispatchOrder", { id: a.id, lines: depotLines(11) }, logistics);
    expect(grown.errors[0]).toMatchObject({ field: "input.lines[0].quantity", code: "EXCEEDS_APPROVED", message: expect.stringContaining("10 on other orders") });
    const shrunk = await okOrder("updateDispatchOrder", { id: a.id, lines: depotLines(4) }, logistics);
    expect(shrunk.lines[0]).toMatchObject({ quantity: 4, requestLine: { position: 1 } });
    expect((await read(request.id)).lines[0]).toMatchObject({ onOrderQuantity: 14, unorderedQuantity: 6 });
  });
});

describe("the district's queue", () => {
  it("comes most urgent first and oldest first within a priority, pages on, flags requests unanswered past the deadline, and lists the seeded ones", async () => {
    const QUEUE = `query ($after: String, $first: Int) { supplyRequests(first: $first, after: $after, where: { open: true }, orderBy: { field: PRIORITY }) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id code status priority overdue submittedAt } } }`;
    const all: any[] = [];
    let after: string | null = null;
    do {
      const page: any = (await t.graphql(QUEUE, { after, first: 7 }, { token: logistics })).data.supplyRequests;
      all.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const total = (await t.graphql(QUEUE, { first: 0 }, { token: logistics })).data.supplyRequests.totalCount;
    expect(all.length).toBe(total);
    const rank = ["URGENT", "HIGH", "NORMAL"];
    const keys = all.map((r) => [rank.indexOf(r.priority), Number(Buffer.from(r.id, "base64").toString().split(":")[1])]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(all.every((r) => ["SUBMITTED", "APPROVED", "FULFILLING"].includes(r.status))).toBe(true);

    // The seed: 临江镇's request waits past the 24 h deadline; 白鹤街道's urgent one leads the queue; 郭家镇's was rejected.
    const seeded = (await t.graphql(`{ supplyRequests(first: 10, orderBy: { field: SUBMITTED_AT }) { nodes { code status priority overdue destinationRegion { name } } } }`, {}, { token: dashboard })).data.supplyRequests.nodes;
    expect(seeded.slice(0, 5).map((r: any) => [r.destinationRegion.name, r.status, r.priority, r.overdue])).toEqual([
      ["郭家镇", "REJECTED", "NORMAL", false],
      ["麻柳乡", "APPROVED", "HIGH", false],
      ["临江镇", "SUBMITTED", "HIGH", true],
      ["白鹤街道", "SUBMITTED", "URGENT", false],
      ["汉丰街道", "SUBMITTED", "NORMAL", false],
    ]);
    expect(seeded.slice(0, 5).map((r: any) => r.code)).toEqual([1, 2, 3, 4, 5].map((n) => `KZ-RQ-${localToday().slice(0, 4)}-${String(n).padStart(5, "0")}`));
    expect(all[0].priority).toBe("URGENT");

    const fresh = await ok("submitSupplyRequest", submitInput(), scoped);
    const OVERDUE = `{ supplyRequests(first: 100, where: { overdue: true }) { nodes { id overdue } } }`;
    expect((await t.graphql(OVERDUE, {}, { token: dashboard })).data.supplyRequests.nodes.map((n: any) => n.id)).not.toContain(fresh.id);
    await t.app.dataSource.query(`UPDATE supply_request SET submitted_at = now() - interval '25 hours' WHERE code = $1`, [fresh.code]);
    expect((await t.graphql(OVERDUE, {}, { token: dashboard })).data.supplyRequests.nodes).toContainEqual({ id: fresh.id, overdue: true });
    await ok("approveSupplyRequest", { id: fresh.id }, commander);
    expect((await t.graphql(OVERDUE, {}, { token: dashboard })).data.supplyRequests.nodes.map((n: any) => n.id)).not.toContain(fresh.id);
  });

  it("costs the same number of SQL statements for 2 requests or 20, with their lines, figures and orders", async () => {
    // Only relations every request has (a destination site or an incident would be read only for the requests that have one).
    const QUEUE = `query ($first: Int) { supplyRequests(first: $first) { nodes { code requesterName overdue destinationRegion { name }
      lines { item { name } quantity approvedQuantity onOrderQuantity inTransitQuantity deliveredQuantity outstandingQuantity unorderedQuantity request { code } }
      dispatchOrders { code status } } } }`;
    const small = await t.graphql(QUEUE, { first: 2 }, { token: logistics });
    const large = await t.graphql(QUEUE, { first: 20 }, { token: logistics });
    expect(small.errors).toBeUndefined();
    expect(large.data.supplyRequests.nodes.length).toBe(20);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
});

describe("input and personal data", () => {
  it("names the field and the rule for bad input, writes nothing and takes no number", async () => {
    const count = async () => (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM supply_request`))[0].n;
    const before = await count();
    const first = await ok("submitSupplyRequest", submitInput(), logistics);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ purpose: "INCIDENT" }, "input.incidentId", "REQUIRED"],
      [{ purpose: "PRE_POSITIONING", incidentId: gid("Incident", 1) }, "input.incidentId", "NOT_ALLOWED"],
      [{ destination: { regionId: gid("Region", ids.region["KZ-S01"]) } }, "input.destination.siteId", "REQUIRED"],
      [{ lines: [{ itemId: TENTS, quantity: 1 }, { itemId: TENTS, quantity: 2 }] }, "input.lines[1].itemId", "DUPLICATE"],
      [{ lines: [{ itemId: TENTS, quantity: 0 }] }, "input.lines[0].quantity", "OUT_OF_RANGE"],
      [{ lines: [{ itemId: TENTS, quantity: 1, neededBy: "2020-01-01T00:00:00Z" }] }, "input.lines[0].neededBy", "OUT_OF_RANGE"],
      [{ lines: [] }, "input.lines", "OUT_OF_RANGE"],
      [{ requesterPhone: "call me" }, "input.requesterPhone", "INVALID_FORMAT"],
      [{ requesterPhone: " " }, "input.requesterPhone", "BLANK"],
      [{ peopleServed: -1 }, "input.peopleServed", "OUT_OF_RANGE"],
      [{ lines: [{ itemId: gid("SupplyItem", 999999), quantity: 1 }] }, "input.lines[0].itemId", "NOT_FOUND"],
    ];
    for (const [overrides, field, code] of cases) {
      const result = await mutate("submitSupplyRequest", submitInput(overrides), logistics);
      expect([result.errors?.[0]?.field, result.errors?.[0]?.code]).toEqual([field, code]);
    }
    const next = await ok("submitSupplyRequest", submitInput(), logistics);
    expect(await count()).toBe(before + 2);
    const numberOf = (code: string) => Number(code.slice(code.lastIndexOf("-") + 1));
    expect(numberOf(next.code)).toBe(numberOf(first.code) + 1);

    const approval = await mutate("approveSupplyRequest", { id: next.id, lines: [{ lineId: next.lines[0].id, approvedQuantity: 31 }] }, commander);
    expect(approval.errors.map((e) => [e.field, e.code])).toEqual([
      ["input.lines[0].approvedQuantity", "OUT_OF_RANGE"],
      ["input.lines", "REQUIRED"],
    ]);
    const nothing = await mutate("approveSupplyRequest", { id: next.id, lines: next.lines.map((l: any) => ({ lineId: l.id, approvedQuantity: 0 })), note: "无" }, commander);
    expect(nothing.errors[0]).toMatchObject({ field: "input.lines", code: "NOTHING_APPROVED" });
    expect((await read(next.id)).status).toBe("SUBMITTED");
  });

  it("replays a retried submission without submitting twice", async () => {
    const input = { ...submitInput(), idempotencyKey: "supply-request-submit-1" };
    const first = await mutate("submitSupplyRequest", input, scoped);
    const retry = await mutate("submitSupplyRequest", input, scoped);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.request.code).toBe(first.request.code);
    const [{ n }] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM supply_request WHERE code = $1`, [first.request.code]);
    expect(n).toBe(1);
  });

  it("masks requester, receiver and officials for dashboards on every path: list, one, node, order, line and subscription", async () => {
    const village = (await t.app.dataSource.query(`SELECT id, latitude, longitude FROM region WHERE parent_id = $1 ORDER BY id LIMIT 1`, [ids.region["KZ-S01"]]))[0];
    const PERSONAL = "requesterName requesterPhone receiverName receiverPhone submittedBy decidedBy endedBy";
    const client = clientFor(t.url, dashboard);
    try {
      const watching = await subscribe(client, `subscription { supplyRequestChanged { request { ${PERSONAL} } } }`);
      const request = await ok(
        "submitSupplyRequest",
        {
          purpose: "PRE_POSITIONING",
          destination: { regionId: gid("Region", village.id), latitude: village.latitude + 0.001, longitude: village.longitude, address: "村委会安置点", receiverName: "刘晓燕", receiverPhone: "13987654321" },
          requesterName: "王建国",
          requesterPhone: "13812345678",
          lines: [{ itemId: QUILTS, quantity: 10 }],
        },
        logistics,
      );
      await ok("approveSupplyRequest", { id: request.id }, commander);
      const order = await okOrder("createDispatchOrder", { requestId: request.id, lines: depotLines(0, 10) }, logistics);
      await okOrder("cancelDispatchOrder", { id: order.id, reason: "改派" }, logistics);
      await ok("cancelSupplyRequest", { id: request.id, reason: "改由乡镇调剂" }, logistics);

      const full = { requesterName: "王建国", requesterPhone: "13812345678", receiverName: "刘晓燕", receiverPhone: "13987654321", submittedBy: "logistics", decidedBy: "commander", endedBy: "logistics" };
      const masked = { requesterName: "王**", requesterPhone: "138****5678", receiverName: "刘**", receiverPhone: "139****4321", submittedBy: "l********", decidedBy: "c********", endedBy: "l********" };
      const paths = async (token: string) => {
        const one = (await t.graphql(`query ($id: ID!) { supplyRequest(id: $id) { ${PERSONAL} } }`, { id: request.id }, { token })).data.supplyRequest;
        const node = (await t.graphql(`query ($id: ID!) { node(id: $id) { ... on SupplyRequest { ${PERSONAL} } } }`, { id: request.id }, { token })).data.node;
        const list = (await t.graphql(`{ supplyRequests(first: 1, orderBy: { field: SUBMITTED_AT, direction: DESC }) { nodes { ${PERSONAL} } } }`, {}, { token })).data.supplyRequests.nodes[0];
        const viaOrder = (await t.graphql(`query ($id: ID!) { dispatchOrder(id: $id) { request { ${PERSONAL} } } }`, { id: order.id }, { token })).data.dispatchOrder.request;
        const viaLine = (await t.graphql(`query ($id: ID!) { node(id: $id) { ... on SupplyRequestLine { request { ${PERSONAL} } } } }`, { id: request.lines[0].id }, { token })).data.node.request;
        return [one, node, list, viaOrder, viaLine];
      };
      expect(await paths(dashboard)).toEqual([masked, masked, masked, masked, masked]);
      expect(await paths(logistics)).toEqual([full, full, full, full, full]);
      expect(await paths(auditor)).toEqual([full, full, full, full, full]);

      const events = await watching.waitFor(5);
      for (const event of events) expect(Object.values(event.supplyRequestChanged.request).some((value) => value === "王建国" || value === "13812345678" || value === "刘晓燕")).toBe(false);
      expect(events.at(-1).supplyRequestChanged.request).toEqual(masked);
    } finally {
      await client.dispose();
    }
  });
});

describe("README", () => {
  it("runs the supply-request examples as written", async () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const start = readme.indexOf("## Supply requests");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const operations = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((block) => block[1].split(/\n(?=query |mutation |subscription )/)).map((text) => text.trim());
    const named = (name: string) => operations.find((operation) => new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(operation))!;
    // Ids and Township are the README's look-ups of the ids these take (test/readme-examples.test.ts runs them).
    const lookups = ["Ids", "Township"];
    expect(operations.map((operation) => operation.split(/[ ({]/)[1]).filter((name) => !lookups.includes(name))).toEqual(["Queue", "Submit", "Approve", "Fulfil", "Follow"]);

    const client = clientFor(t.url, scoped);
    try {
      const follow = await subscribe(client, named("Follow"), { township: gid("Region", ids.region["KZ-S01"]) });
      const submitted = await t.graphql(named("Submit"), { site: POINT, tents: TENTS, quilts: QUILTS }, { token: scoped });
      expect(submitted.errors).toBeUndefined();
      const request = submitted.data.submitSupplyRequest.request;
      expect(request.status).toBe("SUBMITTED");
      const queue = await t.graphql(named("Queue"), {}, { token: commander });
      expect(queue.errors).toBeUndefined();
      expect(queue.data.supplyRequests.totalCount).toBeGreaterThan(0);

      const approved = await t.graphql(named("Approve"), { request: request.id, tentLine: request.lines[0].id, quiltLine: request.lines[1].id }, { token: commander });
      expect(approved.data.approveSupplyRequest).toMatchObject({ errors: [], request: { status: "APPROVED", lines: [{ approvedQuantity: 30, unorderedQuantity: 30 }, { approvedQuantity: 40, unorderedQuantity: 40 }] } });
      const fulfilled = await t.graphql(named("Fulfil"), { request: request.id, tents: TENTS, quilts: QUILTS }, { token: logistics });
      expect(fulfilled.data.createDispatchOrder).toMatchObject({ errors: [], order: { status: "DRAFT", priority: "HIGH", destinationSite: { name: "汉丰街道应急物资储备点" }, request: { status: "FULFILLING" } } });
      const events = await follow.waitFor(3);
      expect(events.map((e: any) => e.supplyRequestChanged.change)).toEqual(["SUBMITTED", "APPROVED", "ORDER_CHANGED"]);
    } finally {
      await client.dispose();
    }
  });
});
