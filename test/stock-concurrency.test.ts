// Stock under concurrent load, at the service level on real PostgreSQL: many transfers racing
// for one row, transfers crossing each other, and the building blocks dispatch orders use
// (reserve, release, issue, return, write off) racing and rolling back.
import type { DataSource } from "typeorm";
import { UserErrorsException } from "../src/core/graphql/errors";
import { logger } from "../src/core/ops/logger";
import { createEventBus, type EventBus } from "../src/core/live/pubsub";
import { toGlobalId } from "../src/core/graphql/relay";
import { inTransaction } from "../src/core/db/transaction";
import { localToday } from "../src/core/db/local-date";
import { WriteOffReason } from "../src/modules/reserves/reserves.enums";
import { StockCommandService } from "../src/modules/reserves/stock-commands.service";
import { StockLedger } from "../src/modules/reserves/stock-ledger";
import { createTestDatabase, openTestDataSource, type TestDatabase } from "./support/database";
import { DISTRICT_LOGISTICS, reserveLookups } from "./support/reserves";
import { unitFor } from "./support/units";

let database: TestDatabase;
let dataSource: DataSource;
let events: EventBus;
let stock: StockLedger;
let commands: StockCommandService;
let find: ReturnType<typeof reserveLookups>;

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openTestDataSource(database.url, 10);
  events = await createEventBus();
  stock = new StockLedger(dataSource, events);
  commands = new StockCommandService(dataSource, stock);
  find = reserveLookups(dataSource);
});
afterAll(async () => {
  await events.close();
  await dataSource.destroy();
  await database.drop();
});

const actor = DISTRICT_LOGISTICS;

async function receive(siteCode: string, itemName: string, batchNumber: string, quantity: number) {
  const { batch } = await commands.receiveStock(unitFor(actor, "receiveStock"), { siteId: await find.site(siteCode), itemId: await find.item(itemName), batchNumber, quantity, source: "PURCHASE" as never });
  return batch;
}

/** stock_movement.dispatch_order_id references a real order (a foreign key): a bare draft to point at. */
async function draftOrderId(): Promise<number> {
  const [{ id }] = await dataSource.query(
    `INSERT INTO dispatch_order (code, district_id, status, priority, destination_kind, destination_region_id, destination_latitude, destination_longitude, created_by)
     SELECT 'TEST-' || gen_random_uuid(), r.id, 'DRAFT', 'NORMAL', 'REGION', r.id, r.latitude, r.longitude, 'test' FROM region r WHERE r.code = 'KZ'
     RETURNING id`,
  );
  return id;
}

function codeOf(reason: unknown): string {
  if (reason instanceof UserErrorsException) return reason.errors[0].code;
  throw reason;
}

it("lets 50 concurrent transfers out of one row take exactly what is there, each all or nothing", async () => {
  const source = await receive("KZ-DEPOT-01", "铁锹", "CONC-50", 1000);
  const destinations = ((await dataSource.query(`SELECT code FROM storage_site WHERE code LIKE 'KZ-T01-%-R' ORDER BY code LIMIT 10`)) as Array<{ code: string }>).map((row) => row.code);
  const fromSiteId = await find.site("KZ-DEPOT-01");
  const toSiteIds = await Promise.all(destinations.map((code) => find.site(code)));
  const movementsBefore = await find.movementCount();

  // Each asks for 60: three times a fair share of 1000 / 50.
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      commands.transferStock(unitFor(actor, "transferStock"), { fromSiteId, toSiteId: toSiteIds[i % toSiteIds.length], lines: [{ batchId: toGlobalId("StockBatch", source.id), quantity: 60 }] }),
    ),
  );
  const accepted = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<StockCommandService["transferStock"]>>> => r.status === "fulfilled").map((r) => r.value);
  const refusedCodes = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => codeOf(r.reason));
  expect(accepted).toHaveLength(16);
  expect(new Set(refusedCodes)).toEqual(new Set(["INSUFFICIENT_STOCK"]));

  const after = await find.batchById(source.id);
  expect(after.onHand).toBe(1000 - 16 * 60);
  // Every accepted transfer wrote exactly its two entries; the refused ones wrote nothing.
  for (const { movements } of accepted) {
    expect(movements.map((m) => [m.kind, m.quantity])).toEqual([
      ["TRANSFER_OUT", -60],
      ["TRANSFER_IN", 60],
    ]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM stock_movement WHERE operation_id = $1`, [movements[0].operationId]);
    expect(n).toBe(2);
  }
  expect(await find.movementCount()).toBe(movementsBefore + 2 * 16);
  const [{ arrived }] = await dataSource.query(`SELECT sum(on_hand)::int AS arrived FROM stock_batch WHERE batch_number = 'CONC-50' AND id <> $1`, [source.id]);
  expect(arrived).toBe(16 * 60);
  // The source's ledger never went below zero, step by step.
  const steps: Array<{ on_hand_after: number }> = await dataSource.query(`SELECT on_hand_after FROM stock_movement WHERE batch_id = $1 ORDER BY id`, [source.id]);
  expect(Math.min(...steps.map((s) => s.on_hand_after))).toBe(40);
  expect(await find.discrepancies()).toBe(0);
});

it("runs transfers A→B and B→A over the same rows at the same time without a deadlock", async () => {
  for (const site of ["KZ-T02-P", "KZ-T03-P"]) {
    await receive(site, "编织袋", "SWAP-1", 500);
    await receive(site, "编织袋", "SWAP-2", 500);
  }
  const [a, b] = [await find.site("KZ-T02-P"), await find.site("KZ-T03-P")];
  const at = async (site: string, batch: string) => toGlobalId("StockBatch", (await find.batch(site, "编织袋", batch)).id);
  const aLines = [await at("KZ-T02-P", "SWAP-1"), await at("KZ-T02-P", "SWAP-2")];
  const bLines = [await at("KZ-T03-P", "SWAP-2"), await at("KZ-T03-P", "SWAP-1")];
  const retries: unknown[] = [];
  const spy = jest.spyOn(logger, "info").mockImplementation(((details: unknown) => {
    if (details && typeof details === "object" && "sqlState" in details) retries.push(details);
  }) as never);
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => [
        commands.transferStock(unitFor(actor, "transferStock"), { fromSiteId: a, toSiteId: b, lines: aLines.map((batchId) => ({ batchId, quantity: 5 })) }),
        // The other direction lists the same batches in the opposite order.
        commands.transferStock(unitFor(actor, "transferStock"), { fromSiteId: b, toSiteId: a, lines: bLines.map((batchId) => ({ batchId, quantity: 5 })) }),
      ]).flat(),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  } finally {
    spy.mockRestore();
  }
  // Rows are locked in one order (site, item, batch), so no transaction ever waited in a cycle.
  expect(retries.filter((r) => (r as { sqlState: string }).sqlState === "40P01")).toEqual([]);
  for (const site of ["KZ-T02-P", "KZ-T03-P"]) {
    for (const batch of ["SWAP-1", "SWAP-2"]) expect((await find.batch(site, "编织袋", batch)).onHand).toBe(500);
  }
  expect(await find.discrepancies()).toBe(0);
});

describe("the building blocks dispatch orders use", () => {
  it("never reserves the same unit twice under concurrency", async () => {
    const batch = await receive("KZ-S02-P", "救生衣", "RES-30", 500);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => inTransaction(dataSource, (tx) => stock.reserve(tx, actor, [{ batchId: batch.id, quantity: 40 }]))),
    );
    const accepted = results.filter((r) => r.status === "fulfilled");
    expect(accepted).toHaveLength(12);
    const codes = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => codeOf(r.reason));
    expect(new Set(codes)).toEqual(new Set(["STOCK_RESERVED"]));
    expect(await find.batchById(batch.id)).toEqual({ onHand: 500, reserved: 480 });
  });

  it("reserves, issues, releases, returns and writes off with ledger entries where on hand changes", async () => {
    const batch = await receive("KZ-S04-P", "冲锋舟", "BOAT-1", 10);
    const one = (quantity: number) => [{ batchId: batch.id, quantity }];
    const [order, urgentOrder] = [await draftOrderId(), await draftOrderId()];
    await inTransaction(dataSource, (tx) => stock.reserve(tx, actor, one(6)));
    expect(await find.batchById(batch.id)).toEqual({ onHand: 10, reserved: 6 });
    // A transfer cannot take reserved boats; issuing against the order can.
    await expect(inTransaction(dataSource, (tx) => stock.issueAvailable(tx, actor, one(5)))).rejects.toMatchObject({ errors: [expect.objectContaining({ code: "STOCK_RESERVED" })] });
    const issued = await inTransaction(dataSource, (tx) => stock.issueReserved(tx, actor, one(4), { dispatchOrderId: order, note: "调拨单" }));
    expect(issued.map((m) => [m.kind, m.quantity, m.onHandAfter, m.dispatchOrderId])).toEqual([["ISSUE", -4, 6, order]]);
    expect(await find.batchById(batch.id)).toEqual({ onHand: 6, reserved: 2 });
    await expect(inTransaction(dataSource, (tx) => stock.issueReserved(tx, actor, one(3), { dispatchOrderId: order }))).rejects.toMatchObject({ errors: [expect.objectContaining({ code: "INVALID_STATE" })] });
    await expect(inTransaction(dataSource, (tx) => stock.releaseReservation(tx, actor, one(3)))).rejects.toMatchObject({ errors: [expect.objectContaining({ code: "INVALID_STATE" })] });
    await inTransaction(dataSource, (tx) => stock.releaseReservation(tx, actor, one(2)));
    expect(await find.batchById(batch.id)).toEqual({ onHand: 6, reserved: 0 });
    // An urgent verbal order may take available stock without a reservation.
    const urgent = await inTransaction(dataSource, (tx) => stock.issueAvailable(tx, actor, one(1), { dispatchOrderId: urgentOrder }));
    expect(urgent[0]).toMatchObject({ kind: "ISSUE", quantity: -1, dispatchOrderId: urgentOrder });
    // Boats come back to another site: the same batch number appears there.
    const elsewhere = await find.siteId("KZ-S05-P");
    const returned = await inTransaction(dataSource, (tx) => stock.returnStock(tx, actor, elsewhere, [{ sourceBatchId: batch.id, quantity: 3 }], { dispatchOrderId: order }));
    expect(returned[0]).toMatchObject({ kind: "RETURN", quantity: 3, onHandAfter: 3, siteId: elsewhere, dispatchOrderId: order });
    expect((await find.batch("KZ-S05-P", "冲锋舟", "BOAT-1")).onHand).toBe(3);
    const lost = await inTransaction(dataSource, (tx) => stock.writeOff(tx, actor, one(1), { reason: WriteOffReason.LOST, approvedBy: "王局长", dispatchOrderId: urgentOrder }));
    expect(lost[0]).toMatchObject({ kind: "WRITE_OFF", quantity: -1, reason: "LOST", approvedBy: "王局长" });
    const ledger: Array<{ kind: string; quantity: number }> = await dataSource.query(`SELECT kind, quantity FROM stock_movement WHERE batch_id = $1 ORDER BY id`, [batch.id]);
    expect(ledger.map((m) => `${m.kind} ${m.quantity}`)).toEqual(["RECEIPT 10", "ISSUE -4", "ISSUE -1", "WRITE_OFF -1"]);
    expect(await find.discrepancies()).toBe(0);
  });

  it("rolls everything back when the caller's transaction fails after a stock operation", async () => {
    const batch = await receive("KZ-S04-P", "抽水泵", "PUMP-RB", 8);
    const before = await find.movementCount();
    const order = await draftOrderId();
    await expect(
      inTransaction(dataSource, async (tx) => {
        await stock.reserve(tx, actor, [{ batchId: batch.id, quantity: 2 }]);
        await stock.issueReserved(tx, actor, [{ batchId: batch.id, quantity: 2 }], { dispatchOrderId: order });
        throw new Error("the dispatch order could not be saved");
      }),
    ).rejects.toThrow("could not be saved");
    expect(await find.batchById(batch.id)).toEqual({ onHand: 8, reserved: 0 });
    expect(await find.movementCount()).toBe(before);
  });

  it("takes lines across several sites in one call, locking in one order", async () => {
    const first = await receive("KZ-S07-P", "应急灯", "LAMP-X", 20);
    const second = await receive("KZ-S08-P", "应急灯", "LAMP-X", 20);
    // Listed in the opposite of lock order, twice over for the same batch.
    const lines = [
      { batchId: second.id, quantity: 3 },
      { batchId: first.id, quantity: 4 },
      { batchId: second.id, quantity: 5 },
    ];
    await inTransaction(dataSource, (tx) => stock.reserve(tx, actor, lines));
    expect(await find.batchById(first.id)).toEqual({ onHand: 20, reserved: 4 });
    expect(await find.batchById(second.id)).toEqual({ onHand: 20, reserved: 8 });
    await expect(inTransaction(dataSource, (tx) => stock.reserve(tx, actor, [{ batchId: second.id, quantity: 10 }, { batchId: second.id, quantity: 3 }]))).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: "STOCK_RESERVED", field: "lines[0].quantity" })],
    });
  });

  it("reserves for several orders at once as if they came one after the other, writing none of a refused one", async () => {
    const shared = await receive("KZ-T01-P", "应急灯", "LAMP-Y", 10);
    const other = await receive("KZ-T02-P", "应急灯", "LAMP-Y", 10);
    const outcomes = await inTransaction(dataSource, (tx) =>
      stock.reserveEach(tx, actor, [
        [{ batchId: shared.id, quantity: 6, field: "first" }],
        // Would fit alone, but not after the first: refused, and its line on `other` not written.
        [{ batchId: other.id, quantity: 2, field: "second" }, { batchId: shared.id, quantity: 5, field: "second" }],
        [{ batchId: shared.id, quantity: 4, field: "third" }, { batchId: other.id, quantity: 1, field: "third" }],
        [{ batchId: 987654321, quantity: 1, field: "fourth" }],
      ]),
    );
    expect(outcomes.map((outcome) => outcome?.errors.map((e) => [e.field, e.code]) ?? null)).toEqual([null, [["second", "STOCK_RESERVED"]], null, [["fourth", "NOT_FOUND"]]]);
    expect(await find.batchById(shared.id)).toEqual({ onHand: 10, reserved: 10 });
    expect(await find.batchById(other.id)).toEqual({ onHand: 10, reserved: 1 });
  });

  it("lists what allocation may draw on: available, unexpired batches at open sites, earliest expiry first", async () => {
    const water = await find.itemId("饮用水");
    const today = localToday();
    const rows = await stock.queries.allocatableBatches([water]);
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM stock_batch b JOIN storage_site s ON s.id = b.site_id
       WHERE b.item_id = $1 AND b.on_hand > b.reserved AND b.expiry_date >= $2::date AND s.status <> 'CLOSED'`,
      [water, today],
    );
    expect(rows).toHaveLength(n);
    expect(rows.length).toBeGreaterThan(40);
    const bySite = new Map<number, typeof rows>();
    for (const row of rows) {
      expect(row.available).toBeGreaterThan(0);
      expect(row.expiryDate! >= today).toBe(true);
      bySite.set(row.siteId, [...(bySite.get(row.siteId) ?? []), row]);
    }
    for (const batches of bySite.values()) {
      expect(batches.map((b) => b.expiryDate)).toEqual(batches.map((b) => b.expiryDate).sort());
      expect(batches.every((b) => b.siteAvailable === batches.reduce((sum, x) => sum + x.available, 0))).toBe(true);
    }
  });
});
