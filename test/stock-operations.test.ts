// Stock operations over GraphQL as logistics staff use them: receipts, transfers, write-offs,
// stocktakes, rotation and minimums. Every refused operation names the field and writes nothing;
// every accepted one leaves the ledger balanced; township staff act only in their township.
import { inTransaction } from "../src/core/db/transaction";
import { addDays, localToday } from "../src/core/db/local-date";
import { startTestApp, type TestApp } from "./support/app";
import { countRoundTrips } from "./support/round-trips";
import { DISTRICT_LOGISTICS, reserveLookups } from "./support/reserves";

let t: TestApp;
let logistics: string;
let township: string;
let find: ReturnType<typeof reserveLookups>;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  logistics = await t.tokenFor("logistics");
  township = await t.tokenFor("logistics.kz-s01");
  find = reserveLookups(t.app.dataSource);
});
afterAll(() => t.stop());

const today = localToday();
const ERRORS = `errors { field code message }`;
const RECEIVE = `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) {
  batch { id batchNumber onHand reserved available expiryDate productionDate reserveMode site { code } item { name } level { onHand minimum } }
  movement { id kind quantity onHandAfter reason operationId recordedBy note }
  ${ERRORS} } }`;
const TRANSFER = `mutation ($input: TransferStockInput!) { transferStock(input: $input) {
  movements { kind quantity onHandAfter operationId site { code } counterpartSite { code } batch { id batchNumber onHand } }
  ${ERRORS} } }`;
const WRITE_OFF = `mutation ($input: WriteOffStockInput!) { writeOffStock(input: $input) {
  batch { onHand } movement { kind quantity reason approvedBy } ${ERRORS} } }`;
const STOCKTAKE = `mutation ($input: RecordStocktakeInput!) { recordStocktake(input: $input) {
  adjustments { kind quantity onHandAfter batch { id } } countedBatches ${ERRORS} } }`;
const ROTATE = `mutation ($input: RotateBatchInput!) { rotateBatch(input: $input) {
  outgoing { kind quantity onHandAfter operationId } incoming { kind quantity onHandAfter operationId }
  newBatch { batchNumber onHand expiryDate reserveMode } ${ERRORS} } }`;
const MINIMUM = `mutation ($input: SetMinimumStockInput!) { setMinimumStock(input: $input) {
  level { id minimum available belowMinimum shortfall } ${ERRORS} } }`;

async function run(query: string, input: Record<string, unknown>, token = logistics) {
  const result = await t.graphql(query, { input }, { token });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data)[0] as any;
}

/** Runs an operation that must be refused with this field and code, and checks nothing was written. */
async function refused(query: string, input: Record<string, unknown>, field: string | null, code: string, token = logistics) {
  const before = await find.movementCount();
  const payload = await run(query, input, token);
  expect(payload.errors).toContainEqual(expect.objectContaining({ field, code }));
  expect(await find.movementCount()).toBe(before);
  return payload;
}

async function forbidden(query: string, input: Record<string, unknown>, token = township) {
  const before = await find.movementCount();
  const result = await t.graphql(query, { input }, { token });
  expect(result.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  expect(await find.movementCount()).toBe(before);
}

describe("receiveStock", () => {
  it("receives a new batch, then more of it, each with a RECEIPT entry", async () => {
    const input = {
      siteId: await find.site("KZ-DEPOT-01"),
      itemId: await find.item("饮用水"),
      batchNumber: "SW-2026-11-A",
      quantity: 400,
      source: "PURCHASE",
      productionDate: addDays(today, -10),
      expiryDate: addDays(today, 355),
      note: "送货单 0001",
    };
    const first = await run(RECEIVE, input);
    expect(first.errors).toEqual([]);
    expect(first.batch).toMatchObject({ batchNumber: "SW-2026-11-A", onHand: 400, reserved: 0, available: 400, reserveMode: "GOVERNMENT", site: { code: "KZ-DEPOT-01" }, item: { name: "饮用水" } });
    expect(first.movement).toMatchObject({ kind: "RECEIPT", quantity: 400, onHandAfter: 400, reason: "PURCHASE", recordedBy: "logistics", note: "送货单 0001" });
    const again = await run(RECEIVE, { ...input, quantity: 100, source: "DONATION", note: null });
    expect(again.batch.id).toBe(first.batch.id);
    expect(again.batch.onHand).toBe(500);
    expect(again.movement).toMatchObject({ kind: "RECEIPT", quantity: 100, onHandAfter: 500, reason: "DONATION" });
    expect(again.movement.operationId).not.toBe(first.movement.operationId);
    expect(await find.discrepancies()).toBe(0);
  });

  it("costs ten SQL statements in seven round trips, none of them a second look at what it wrote", async () => {
    const input = { siteId: await find.site("KZ-DEPOT-01"), itemId: await find.item("饮用水"), batchNumber: "SW-COUNT", quantity: 5, source: "PURCHASE", expiryDate: addDays(today, 300) };
    const { result, roundTrips } = await countRoundTrips(() =>
      t.graphql(`mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { batch { id onHand } movement { onHandAfter } ${ERRORS} } }`, { input }, { token: logistics }),
    );
    expect(result.data.receiveStock).toMatchObject({ batch: { onHand: 5 }, movement: { onHandAfter: 5 }, errors: [] });
    // START TRANSACTION, the site (FOR SHARE), the item, the level and batch made if new (one
    // statement), the batch locked, written, the ledger entry, the audit entry, COMMIT, and the
    // level read behind the COMMIT for subscribers.
    expect(result.sqlStatements).toBe(10);
    // Round trips: the account read; START TRANSACTION with the site; the item; the level and
    // batch; the lock; the write with the ledger entry; the audit entry with COMMIT and the level
    // read behind it.
    expect(roundTrips).toBe(7);
  });

  it("refuses expired, undated, conflicting and impossible receipts, naming the field", async () => {
    const base = { siteId: await find.site("KZ-S01-P"), itemId: await find.item("方便面"), batchNumber: "FM-01", quantity: 10, source: "PURCHASE", expiryDate: addDays(today, 100) };
    await refused(RECEIVE, { ...base, expiryDate: addDays(today, -1) }, "input.expiryDate", "EXPIRED");
    await refused(RECEIVE, { ...base, expiryDate: null }, "input.expiryDate", "REQUIRED");
    await refused(RECEIVE, { ...base, quantity: 0 }, "input.quantity", "OUT_OF_RANGE");
    await refused(RECEIVE, { ...base, quantity: -5 }, "input.quantity", "OUT_OF_RANGE");
    await refused(RECEIVE, { ...base, batchNumber: "   " }, "input.batchNumber", "BLANK");
    await refused(RECEIVE, { ...base, productionDate: addDays(today, 3) }, "input.productionDate", "OUT_OF_RANGE");
    await refused(RECEIVE, { ...base, siteId: Buffer.from("StorageSite:999999").toString("base64") }, "input.siteId", "NOT_FOUND");
    await refused(RECEIVE, { ...base, itemId: Buffer.from("SupplyItem:999999").toString("base64") }, "input.itemId", "NOT_FOUND");
    // Several problems of one input come back together.
    const many = await refused(RECEIVE, { ...base, quantity: 0, expiryDate: addDays(today, -3) }, "input.quantity", "OUT_OF_RANGE");
    expect(many.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(["input.quantity", "input.expiryDate"]));
    // One batch number names one batch: a different expiry date for an existing batch is refused.
    const existing = await find.batch("KZ-S01-P", "方便面");
    await refused(RECEIVE, { ...base, batchNumber: existing.batchNumber, expiryDate: addDays(existing.expiryDate ?? today, 30) }, "input.batchNumber", "CONFLICT");
    await refused(RECEIVE, { ...base, siteId: "not-an-id" }, "input.siteId", "INVALID_ID");
  });

  it("lets township staff receive only at their township's sites", async () => {
    const input = { itemId: await find.item("编织袋"), batchNumber: "BZD-9", quantity: 50, source: "DONATION" };
    const inside = await run(RECEIVE, { ...input, siteId: await find.site("KZ-S01-C01-R") }, township);
    expect(inside.errors).toEqual([]);
    await forbidden(RECEIVE, { ...input, siteId: await find.site("KZ-S02-P") });
    await forbidden(RECEIVE, { ...input, siteId: await find.site("KZ-DEPOT-01") });
    const dashboard = await t.graphql(RECEIVE, { input: { ...input, siteId: await find.site("KZ-S01-P") } }, { token: await t.apiKeyFor("DASHBOARD") });
    expect(dashboard.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});

describe("transferStock", () => {
  it("moves stock site to site in one step: TRANSFER_OUT and TRANSFER_IN with one operation id", async () => {
    const tents = await find.batch("KZ-DEPOT-01", "救灾帐篷");
    const to = "KZ-T05-P";
    const beforeAtDestination = (await t.app.dataSource.query(`SELECT coalesce(sum(b.on_hand), 0)::int AS n FROM stock_batch b WHERE b.site_id = $1 AND b.item_id = $2`, [await find.siteId(to), tents.itemId]))[0].n;
    const payload = await run(TRANSFER, { fromSiteId: await find.site("KZ-DEPOT-01"), toSiteId: await find.site(to), lines: [{ batchId: tents.globalId, quantity: 60 }], note: "汛前预置" });
    expect(payload.errors).toEqual([]);
    const [out, into] = payload.movements;
    expect(out).toMatchObject({ kind: "TRANSFER_OUT", quantity: -60, onHandAfter: tents.onHand - 60, site: { code: "KZ-DEPOT-01" }, counterpartSite: { code: to } });
    expect(into).toMatchObject({ kind: "TRANSFER_IN", quantity: 60, site: { code: to }, counterpartSite: { code: "KZ-DEPOT-01" }, batch: { batchNumber: tents.batchNumber } });
    expect(into.operationId).toBe(out.operationId);
    expect(into.batch.id).not.toBe(tents.globalId);
    const afterAtDestination = (await t.app.dataSource.query(`SELECT sum(b.on_hand)::int AS n FROM stock_batch b WHERE b.site_id = $1 AND b.item_id = $2`, [await find.siteId(to), tents.itemId]))[0].n;
    expect(afterAtDestination).toBe(beforeAtDestination + 60);
    expect((await find.batchById(tents.id)).onHand).toBe(tents.onHand - 60);
    const ledger = await t.graphql(`query ($op: ID) { stockMovements(first: 10, where: { siteId: $op, kind: TRANSFER_OUT }) { nodes { quantity note } } }`, { op: await find.site("KZ-DEPOT-01") }, { token: logistics });
    expect(ledger.data.stockMovements.nodes).toContainEqual({ quantity: -60, note: "汛前预置" });
    expect(await find.discrepancies()).toBe(0);
  });

  it("refuses the same site, unknown or foreign batches, duplicates and more than is available", async () => {
    const quilts = await find.batch("KZ-S01-P", "棉被");
    const from = await find.site("KZ-S01-P");
    const to = await find.site("KZ-S01-C02-R");
    const line = (quantity: number, batchId = quilts.globalId) => ({ batchId, quantity });
    await refused(TRANSFER, { fromSiteId: from, toSiteId: from, lines: [line(1)] }, "input.toSiteId", "SAME_SITE");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [line(quilts.onHand + 1)] }, "input.lines[0].quantity", "INSUFFICIENT_STOCK");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [line(0)] }, "input.lines[0].quantity", "OUT_OF_RANGE");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [] }, "input.lines", "OUT_OF_RANGE");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [line(1), line(1)] }, "input.lines[1].batchId", "DUPLICATE");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [line(1, Buffer.from("StockBatch:999999").toString("base64"))] }, "input.lines[0].batchId", "NOT_FOUND");
    const elsewhere = await find.batch("KZ-S02-P", "棉被");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [line(1, elsewhere.globalId)] }, "input.lines[0].batchId", "INVALID_VALUE");
    await refused(TRANSFER, { fromSiteId: Buffer.from("StorageSite:999999").toString("base64"), toSiteId: to, lines: [line(1)] }, "input.fromSiteId", "NOT_FOUND");
    // A two-line transfer with one bad line writes nothing at all.
    const coats = await find.batch("KZ-S01-P", "棉大衣");
    await refused(TRANSFER, { fromSiteId: from, toSiteId: to, lines: [line(1), line(coats.onHand + 1, coats.globalId)] }, "input.lines[1].quantity", "INSUFFICIENT_STOCK");
    expect((await find.batchById(quilts.id)).onHand).toBe(quilts.onHand);
  });

  it("cannot move stock reserved for an approved order", async () => {
    const lamps = await find.batch("KZ-S01-P", "应急灯");
    await inTransaction(t.app.dataSource, (tx) => t.app.services.stock.reserve(tx, DISTRICT_LOGISTICS, [{ batchId: lamps.id, quantity: lamps.onHand - 2 }]));
    const input = { fromSiteId: await find.site("KZ-S01-P"), toSiteId: await find.site("KZ-S01-C03-R"), lines: [{ batchId: lamps.globalId, quantity: 3 }] };
    const payload = await refused(TRANSFER, input, "input.lines[0].quantity", "STOCK_RESERVED");
    expect(payload.errors[0].message).toMatch(/reserved/);
    const ok = await run(TRANSFER, { ...input, lines: [{ batchId: lamps.globalId, quantity: 2 }] });
    expect(ok.errors).toEqual([]);
    expect(await find.batchById(lamps.id)).toEqual({ onHand: lamps.onHand - 2, reserved: lamps.onHand - 2 });
  });

  it("reserves only from batches the caller locked before, when it says it did (never a lock out of order)", async () => {
    const lamps = await find.batch("KZ-S01-P", "应急灯");
    const coats = await find.batch("KZ-S01-P", "棉大衣");
    const stock = t.app.services.stock;
    const attempt = inTransaction(t.app.dataSource, async (tx) => {
      const locked = await stock.lockBatchesSelectedBy(tx.manager, `SELECT $1::int`, [lamps.id]);
      return stock.reserveEach(tx, DISTRICT_LOGISTICS, [[{ batchId: lamps.id, quantity: 1 }, { batchId: coats.id, quantity: 1 }]], locked);
    });
    await expect(attempt).rejects.toThrow(`batches ${coats.id} were not among those locked before`);
    expect(await find.batchById(lamps.id)).toEqual({ onHand: lamps.onHand, reserved: lamps.reserved });

    const [refusal] = await inTransaction(t.app.dataSource, async (tx) => {
      const locked = await stock.lockBatchesSelectedBy(tx.manager, `SELECT $1::int`, [lamps.id]);
      return stock.reserveEach(tx, DISTRICT_LOGISTICS, [[{ batchId: 99_999_999, quantity: 1 }]], locked); // no such batch: refused as before
    });
    expect(refusal?.errors).toEqual([expect.objectContaining({ code: "NOT_FOUND" })]);
  });

  it("lets township staff transfer inside their township only", async () => {
    const bags = await find.batch("KZ-S01-P", "编织袋");
    const inside = await run(TRANSFER, { fromSiteId: await find.site("KZ-S01-P"), toSiteId: await find.site("KZ-S01-C04-R"), lines: [{ batchId: bags.globalId, quantity: 100 }] }, township);
    expect(inside.errors).toEqual([]);
    // Out of the township, or in from outside it, is a cross-township allocation (统一调拨): district staff only.
    await forbidden(TRANSFER, { fromSiteId: await find.site("KZ-S01-P"), toSiteId: await find.site("KZ-S02-P"), lines: [{ batchId: bags.globalId, quantity: 100 }] });
    const depotBags = await find.batch("KZ-DEPOT-01", "编织袋");
    await forbidden(TRANSFER, { fromSiteId: await find.site("KZ-DEPOT-01"), toSiteId: await find.site("KZ-S01-P"), lines: [{ batchId: depotBags.globalId, quantity: 100 }] });
  });
});

describe("writeOffStock, recordStocktake, rotateBatch, setMinimumStock", () => {
  it("writes off with reason and approver; EXPIRED only for an expired batch", async () => {
    const pumps = await find.batch("KZ-DEPOT-01", "抽水泵");
    const payload = await run(WRITE_OFF, { batchId: pumps.globalId, quantity: 2, reason: "DAMAGED", approvedBy: "王局长", note: "汛期损坏" });
    expect(payload).toMatchObject({ errors: [], batch: { onHand: pumps.onHand - 2 }, movement: { kind: "WRITE_OFF", quantity: -2, reason: "DAMAGED", approvedBy: "王局长" } });
    await refused(WRITE_OFF, { batchId: pumps.globalId, quantity: 1, reason: "EXPIRED", approvedBy: "王局长" }, "input.reason", "INVALID_STATE");
    await refused(WRITE_OFF, { batchId: pumps.globalId, quantity: 1, reason: "LOST", approvedBy: " " }, "input.approvedBy", "BLANK");
    await refused(WRITE_OFF, { batchId: pumps.globalId, quantity: pumps.onHand, reason: "LOST", approvedBy: "王局长" }, "input.quantity", "INSUFFICIENT_STOCK");
    const [expired] = await t.app.dataSource.query(`SELECT b.id FROM stock_batch b WHERE b.expiry_date < $1::date AND b.on_hand > 0 AND b.reserved = 0 ORDER BY b.id LIMIT 1`, [today]);
    const { onHand } = await find.batchById(expired.id);
    const written = await run(WRITE_OFF, { batchId: Buffer.from(`StockBatch:${expired.id}`).toString("base64"), quantity: onHand, reason: "EXPIRED", approvedBy: "李科长" });
    expect(written).toMatchObject({ errors: [], batch: { onHand: 0 }, movement: { reason: "EXPIRED" } });
    expect(await find.discrepancies()).toBe(0);
  });

  it("turns stocktake differences into COUNT_ADJUSTMENT entries and leaves matching batches alone", async () => {
    const site = "KZ-S03-P";
    const [a, b, c] = await Promise.all(["棉被", "雨衣", "铁锹"].map((name) => find.batch(site, name)));
    const payload = await run(STOCKTAKE, {
      siteId: await find.site(site),
      counts: [
        { batchId: a.globalId, countedQuantity: a.onHand - 3 },
        { batchId: b.globalId, countedQuantity: b.onHand + 2 },
        { batchId: c.globalId, countedQuantity: c.onHand },
      ],
      note: "2026 年度盘点",
    });
    expect(payload.errors).toEqual([]);
    expect(payload.countedBatches).toBe(3);
    expect(payload.adjustments.map((m: any) => [m.batch.id, m.kind, m.quantity, m.onHandAfter])).toEqual([
      [a.globalId, "COUNT_ADJUSTMENT", -3, a.onHand - 3],
      [b.globalId, "COUNT_ADJUSTMENT", 2, b.onHand + 2],
    ]);
    const other = await find.batch("KZ-S04-P", "棉被");
    await refused(STOCKTAKE, { siteId: await find.site(site), counts: [{ batchId: other.globalId, countedQuantity: 1 }] }, "input.counts[0].batchId", "INVALID_VALUE");
    await refused(STOCKTAKE, { siteId: await find.site(site), counts: [{ batchId: a.globalId, countedQuantity: -1 }] }, "input.counts[0].countedQuantity", "OUT_OF_RANGE");
    await inTransaction(t.app.dataSource, (tx) => t.app.services.stock.reserve(tx, DISTRICT_LOGISTICS, [{ batchId: c.id, quantity: 5 }]));
    await refused(STOCKTAKE, { siteId: await find.site(site), counts: [{ batchId: c.globalId, countedQuantity: 4 }] }, "input.counts[0].countedQuantity", "INVALID_STATE");
    expect(await find.discrepancies()).toBe(0);
  });

  it("rotates an old batch out and a fresh one in, as one operation", async () => {
    const old = await find.batch("KZ-DEPOT-01", "压缩饼干");
    const fresh = { batchNumber: "YSBG-2026-12", productionDate: addDays(today, -2), expiryDate: addDays(today, 1090) };
    const payload = await run(ROTATE, { batchId: old.globalId, quantity: 100, newBatch: fresh, note: "轮换出库用于学校演练" });
    expect(payload.errors).toEqual([]);
    expect(payload.outgoing).toMatchObject({ kind: "ROTATION", quantity: -100, onHandAfter: old.onHand - 100 });
    expect(payload.incoming).toMatchObject({ kind: "ROTATION", quantity: 100, onHandAfter: 100 });
    expect(payload.incoming.operationId).toBe(payload.outgoing.operationId);
    expect(payload.newBatch).toMatchObject({ batchNumber: "YSBG-2026-12", onHand: 100, expiryDate: fresh.expiryDate, reserveMode: expect.any(String) });
    await refused(ROTATE, { batchId: old.globalId, newBatch: { ...fresh, batchNumber: "YSBG-OLDER", expiryDate: addDays(old.expiryDate!, -1) } }, "input.newBatch.expiryDate", "OUT_OF_RANGE");
    await refused(ROTATE, { batchId: old.globalId, newBatch: { ...fresh, batchNumber: old.batchNumber } }, "input.newBatch.batchNumber", "INVALID_VALUE");
    await refused(ROTATE, { batchId: old.globalId, quantity: old.onHand, newBatch: { ...fresh, batchNumber: "YSBG-X" } }, "input.quantity", "INSUFFICIENT_STOCK");
    expect(await find.discrepancies()).toBe(0);
  });

  it("sets a minimum, which shows in the level and in the alerts", async () => {
    const siteId = await find.site("KZ-S05-P");
    const itemId = await find.item("救生衣");
    const payload = await run(MINIMUM, { siteId, itemId, minimum: 100000 });
    expect(payload.errors).toEqual([]);
    expect(payload.level).toMatchObject({ minimum: 100000, belowMinimum: true, shortfall: 100000 - payload.level.available });
    const alerts = await t.graphql(`query ($s: ID, $i: ID) { stockAlerts(first: 5, where: { siteId: $s, itemId: $i, kind: BELOW_MINIMUM }) { nodes { shortfall level { id } } } }`, { s: siteId, i: itemId }, { token: logistics });
    expect(alerts.data.stockAlerts.nodes).toEqual([{ shortfall: payload.level.shortfall, level: { id: payload.level.id } }]);
    const cleared = await run(MINIMUM, { siteId, itemId, minimum: 0 });
    expect(cleared.level).toMatchObject({ minimum: 0, belowMinimum: false, shortfall: 0 });
    await refused(MINIMUM, { siteId, itemId, minimum: -1 }, "input.minimum", "OUT_OF_RANGE");
    // A level is created for an item the site did not stock yet.
    const boats = await run(MINIMUM, { siteId: await find.site("KZ-S01-C05-R"), itemId: await find.item("冲锋舟"), minimum: 1 });
    expect(boats.level).toMatchObject({ minimum: 1, available: 0, belowMinimum: true });
    await forbidden(MINIMUM, { siteId, itemId, minimum: 5 });
  });
});

describe("the ledger", () => {
  it("refuses UPDATE and DELETE of ledger rows in the database itself", async () => {
    // Even to the owner (the service's role may not even try: test/database-roles.test.ts).
    const [row] = await t.database.asOwner(`SELECT id FROM stock_movement ORDER BY id LIMIT 1`);
    await expect(t.database.asOwner(`UPDATE stock_movement SET quantity = quantity + 1 WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.database.asOwner(`DELETE FROM stock_movement WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.database.asOwner(`TRUNCATE stock_movement CASCADE`)).rejects.toThrow(/append-only/);
  });

  it("lists a site's ledger for a period, oldest first, with recorders masked for dashboards", async () => {
    const site = await find.site("KZ-DEPOT-01");
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const LEDGER = `query ($where: StockMovementWhere, $after: String) { stockMovements(first: 3, after: $after, where: $where) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id kind occurredAt recordedBy site { code } } } }`;
    const seen: any[] = [];
    let after: string | null = null;
    do {
      const page: any = (await t.graphql(LEDGER, { where: { siteId: site, from }, after }, { token: logistics })).data.stockMovements;
      seen.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(new Set(seen.map((m) => m.id)).size).toBe(seen.length);
    expect(seen.every((m) => m.site.code === "KZ-DEPOT-01" && m.occurredAt >= from)).toBe(true);
    expect(seen.map((m) => m.occurredAt)).toEqual([...seen.map((m) => m.occurredAt)].sort());
    const masked = (await t.graphql(LEDGER, { where: { siteId: site, from } }, { token: await t.apiKeyFor("DASHBOARD") })).data.stockMovements.nodes;
    expect(masked[0].recordedBy).toMatch(/^.\*+$/);
  });

  it("does a receipt once when it is retried with the same idempotency key", async () => {
    const input = { siteId: await find.site("KZ-S06-P"), itemId: await find.item("铁锹"), batchNumber: "TQ-IDEM", quantity: 7, source: "PURCHASE", idempotencyKey: "receipt-tq-idem-1" };
    const first = await run(RECEIVE, input);
    const retry = await run(RECEIVE, input);
    expect(retry).toEqual(first);
    expect((await find.batch("KZ-S06-P", "铁锹", "TQ-IDEM")).onHand).toBe(7);
  });
});

describe("sites, items and partners (ADMIN)", () => {
  it("creates and updates a storage site; a site with stock cannot be closed", async () => {
    const admin = await t.tokenFor("admin");
    const CREATE = `mutation ($input: CreateStorageSiteInput!) { createStorageSite(input: $input) { site { id code tier status region { code } custodianName } ${ERRORS} } }`;
    const input = { code: "KZ-S01-P2", name: "汉丰街道第二储备点", tier: "TOWNSHIP_POINT", regionId: await find.region("KZ-S01"), address: "汉丰街道滨湖路 1 号", latitude: 31.16, longitude: 108.37, floorArea: 220, custodianName: "赵强", custodianPhone: "13900001111" };
    const created = await run(CREATE, input, admin);
    expect(created).toMatchObject({ errors: [], site: { code: "KZ-S01-P2", tier: "TOWNSHIP_POINT", status: "ACTIVE", region: { code: "KZ-S01" }, custodianName: "赵强" } });
    await refused(CREATE, input, "input.code", "DUPLICATE", admin);
    await refused(CREATE, { ...input, code: "KZ-X", tier: "VILLAGE_ROOM" }, "input.regionId", "INVALID_VALUE", admin);
    await refused(CREATE, { ...input, code: "KZ-Y", latitude: 95 }, "input.latitude", "OUT_OF_RANGE", admin);
    await refused(CREATE, { ...input, code: "KZ-Z", custodianPhone: "call me" }, "input.custodianPhone", "INVALID_FORMAT", admin);

    const received = await run(RECEIVE, { siteId: created.site.id, itemId: await find.item("彩条布"), batchNumber: "CTB-1", quantity: 20, source: "PURCHASE" });
    expect(received.errors).toEqual([]);
    const UPDATE = `mutation ($input: UpdateStorageSiteInput!) { updateStorageSite(input: $input) { site { status name custodianPhone } ${ERRORS} } }`;
    const closing = await run(UPDATE, { id: created.site.id, status: "CLOSED" }, admin);
    expect(closing.errors).toEqual([expect.objectContaining({ field: "input.status", code: "INVALID_STATE" })]);
    const batch = await find.batch("KZ-S01-P2", "彩条布");
    await run(WRITE_OFF, { batchId: batch.globalId, quantity: 20, reason: "DAMAGED", approvedBy: "王局长" });
    const closed = await run(UPDATE, { id: created.site.id, status: "CLOSED", name: "汉丰街道第二储备点（停用）", custodianPhone: "" }, admin);
    expect(closed).toMatchObject({ errors: [], site: { status: "CLOSED", name: "汉丰街道第二储备点（停用）", custodianPhone: null } });
    await refused(RECEIVE, { siteId: created.site.id, itemId: await find.item("彩条布"), batchNumber: "CTB-2", quantity: 1, source: "PURCHASE" }, "input.siteId", "INVALID_STATE");
  });

  it("creates and updates catalogue items with GB/T 38565-2020 codes", async () => {
    const admin = await t.tokenFor("admin");
    const CREATE = `mutation ($input: CreateSupplyItemInput!) { createSupplyItem(input: $input) { item { id code category name hazards } ${ERRORS} } }`;
    const input = { code: "1010199", name: "其他帐篷", unit: "顶", reusable: true, tracksExpiry: false, hazards: ["EARTHQUAKE"] };
    const created = await run(CREATE, input, admin);
    expect(created).toMatchObject({ errors: [], item: { code: "1010199", category: "BASIC_LIVING", hazards: ["EARTHQUAKE"] } });
    await refused(CREATE, input, "input.code", "DUPLICATE", admin);
    for (const code of ["4010101", "101010", "1000101", "10101010", "1a10101"]) await refused(CREATE, { ...input, code }, "input.code", "INVALID_FORMAT", admin);
    const UPDATE = `mutation ($input: UpdateSupplyItemInput!) { updateSupplyItem(input: $input) { item { name specification hazards tracksExpiry } ${ERRORS} } }`;
    const updated = await run(UPDATE, { id: created.item.id, name: "简易帐篷", specification: "6 m²", hazards: ["EARTHQUAKE", "GEOLOGICAL"] }, admin);
    expect(updated).toMatchObject({ errors: [], item: { name: "简易帐篷", specification: "6 m²", hazards: ["EARTHQUAKE", "GEOLOGICAL"], tracksExpiry: false } });
    const forbiddenForLogistics = await t.graphql(UPDATE, { input: { id: created.item.id, name: "x" } }, { token: logistics });
    expect(forbiddenForLogistics.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("creates a partner enterprise with agreed stock and capacity, and replaces them on update", async () => {
    const admin = await t.tokenFor("admin");
    const FIELDS = `partner { id code status agreementEndsOn agreedStock { agreedQuantity item { name } } capacities { unitsPerDay leadTimeHours item { name } } } ${ERRORS}`;
    const input = {
      code: "KZ-EP-09",
      name: "开州区安澜救生器材有限公司",
      creditCode: "91500154MA5UXXXX1A",
      regionId: await find.region("KZ-T17"),
      address: "临江镇工业园 2 号",
      latitude: 31.2,
      longitude: 108.5,
      contactName: "孙海",
      contactPhone: "13800002222",
      agreementNumber: "KZYJ-XY-2026-09",
      agreementStartsOn: "2026-01-01",
      agreementEndsOn: "2028-12-31",
      agreedStock: [{ itemId: await find.item("救生衣"), agreedQuantity: 500 }],
      capacities: [{ itemId: await find.item("救生衣"), unitsPerDay: 200, leadTimeHours: 24 }],
    };
    const created = await run(`mutation ($input: CreateReservePartnerInput!) { createReservePartner(input: $input) { ${FIELDS} } }`, input, admin);
    expect(created).toMatchObject({ errors: [], partner: { code: "KZ-EP-09", status: "ACTIVE", agreedStock: [{ agreedQuantity: 500, item: { name: "救生衣" } }], capacities: [{ unitsPerDay: 200, leadTimeHours: 24 }] } });
    const bad = await run(`mutation ($input: CreateReservePartnerInput!) { createReservePartner(input: $input) { ${FIELDS} } }`, { ...input, code: "KZ-EP-10", creditCode: "123", agreementEndsOn: "2025-01-01", agreedStock: [{ itemId: await find.item("救生衣"), agreedQuantity: 0 }] }, admin);
    expect(bad.errors.map((e: any) => [e.field, e.code])).toEqual(
      expect.arrayContaining([
        ["input.creditCode", "INVALID_FORMAT"],
        ["input.agreementEndsOn", "OUT_OF_RANGE"],
        ["input.agreedStock[0].agreedQuantity", "OUT_OF_RANGE"],
      ]),
    );
    const updated = await run(
      `mutation ($input: UpdateReservePartnerInput!) { updateReservePartner(input: $input) { ${FIELDS} } }`,
      { id: created.partner.id, status: "SUSPENDED", agreedStock: [{ itemId: await find.item("救生圈"), agreedQuantity: 80 }] },
      admin,
    );
    expect(updated).toMatchObject({ errors: [], partner: { status: "SUSPENDED", agreedStock: [{ agreedQuantity: 80, item: { name: "救生圈" } }], capacities: [{ unitsPerDay: 200 }] } });
  });

  it("leaves the ledger balanced after everything above", async () => {
    const check = await t.graphql(`{ ledgerDiscrepancies { difference } }`, {}, { token: await t.tokenFor("auditor") });
    expect(check.data.ledgerDiscrepancies).toEqual([]);
  });
});

describe("the audit entry", () => {
  /** The transaction that wrote a row (xmin), and the transactions that wrote a response's audit entries. */
  const xidOf = async (table: string, globalId: string) =>
    (await t.app.dataSource.query(`SELECT xmin::text AS xid FROM ${table} WHERE id = $1`, [Number(Buffer.from(globalId, "base64").toString().split(":")[1])]))[0].xid as string;
  const entriesOf = async (result: { headers: Headers }) =>
    t.app.dataSource.query(`SELECT operation, outcome, xmin::text AS xid FROM audit_entry WHERE request_id = $1 ORDER BY id`, [result.headers.get("x-request-id")]);

  async function committedWith(query: string, input: Record<string, unknown>, token: string, table: string, idOf: (payload: any) => string) {
    const result = await t.graphql(query, { input }, { token });
    const payload = Object.values(result.data)[0] as any;
    expect(payload.errors).toEqual([]);
    const operation = Object.keys(result.data)[0];
    expect(await entriesOf(result)).toEqual([{ operation, outcome: "SUCCEEDED", xid: await xidOf(table, idOf(payload)) }]);
    return payload;
  }

  it("of every stock operation and catalogue change commits in the operation's own transaction", async () => {
    const admin = await t.tokenFor("admin");
    const depot = await find.site("KZ-DEPOT-01");
    const received = await committedWith(RECEIVE, { siteId: depot, itemId: await find.item("饮用水"), batchNumber: "SW-AUDIT", quantity: 40, source: "PURCHASE", expiryDate: addDays(today, 300) }, logistics, "stock_movement", (p) => p.movement.id);
    const batchId = received.batch.id;
    await committedWith(
      `mutation ($input: TransferStockInput!) { transferStock(input: $input) { movements { id } ${ERRORS} } }`,
      { fromSiteId: depot, toSiteId: await find.site("KZ-S01-P"), lines: [{ batchId, quantity: 5 }] },
      logistics,
      "stock_movement",
      (p) => p.movements[0].id,
    );
    await committedWith(
      `mutation ($input: WriteOffStockInput!) { writeOffStock(input: $input) { movement { id } ${ERRORS} } }`,
      { batchId, quantity: 1, reason: "DAMAGED", approvedBy: "王局长" },
      logistics,
      "stock_movement",
      (p) => p.movement.id,
    );
    await committedWith(
      `mutation ($input: RecordStocktakeInput!) { recordStocktake(input: $input) { adjustments { id } ${ERRORS} } }`,
      { siteId: depot, counts: [{ batchId, countedQuantity: 30 }] },
      logistics,
      "stock_movement",
      (p) => p.adjustments[0].id,
    );
    await committedWith(
      `mutation ($input: RotateBatchInput!) { rotateBatch(input: $input) { incoming { id } ${ERRORS} } }`,
      { batchId, quantity: 10, newBatch: { batchNumber: "SW-AUDIT-2", expiryDate: addDays(today, 360) } },
      logistics,
      "stock_movement",
      (p) => p.incoming.id,
    );
    await committedWith(MINIMUM, { siteId: depot, itemId: await find.item("饮用水"), minimum: 12 }, logistics, "stock_level", (p) => p.level.id);
    const site = await committedWith(
      `mutation ($input: CreateStorageSiteInput!) { createStorageSite(input: $input) { site { id } ${ERRORS} } }`,
      { code: "KZ-T01-AUDIT", name: "审计测试储备点", tier: "TOWNSHIP_POINT", regionId: await find.region("KZ-T01"), address: "临江镇", latitude: 31.2, longitude: 108.5, floorArea: 50 },
      admin,
      "storage_site",
      (p) => p.site.id,
    );
    await committedWith(`mutation ($input: UpdateStorageSiteInput!) { updateStorageSite(input: $input) { site { id } ${ERRORS} } }`, { id: site.site.id, name: "审计测试储备点（改）" }, admin, "storage_site", (p) => p.site.id);
    const item = await committedWith(
      `mutation ($input: CreateSupplyItemInput!) { createSupplyItem(input: $input) { item { id } ${ERRORS} } }`,
      { code: "1010198", name: "审计帐篷", unit: "顶", reusable: true, tracksExpiry: false, hazards: [] },
      admin,
      "supply_item",
      (p) => p.item.id,
    );
    await committedWith(`mutation ($input: UpdateSupplyItemInput!) { updateSupplyItem(input: $input) { item { id } ${ERRORS} } }`, { id: item.item.id, name: "审计帐篷（改）" }, admin, "supply_item", (p) => p.item.id);
    const partner = await committedWith(
      `mutation ($input: CreateReservePartnerInput!) { createReservePartner(input: $input) { partner { id } ${ERRORS} } }`,
      { code: "KZ-EP-AUDIT", name: "审计企业", regionId: await find.region("KZ-T01"), address: "临江镇", latitude: 31.2, longitude: 108.5, agreementNumber: "A-1", agreementStartsOn: "2026-01-01", agreementEndsOn: "2027-01-01" },
      admin,
      "reserve_partner",
      (p) => p.partner.id,
    );
    await committedWith(`mutation ($input: UpdateReservePartnerInput!) { updateReservePartner(input: $input) { partner { id } ${ERRORS} } }`, { id: partner.partner.id, status: "SUSPENDED" }, admin, "reserve_partner", (p) => p.partner.id);
  });
});
