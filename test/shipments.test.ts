// Shipments that land: an order to a storage site books what arrived into that site,
// in transit shows at the receiver and on the wall, every unit is counted once, short deliveries
// are explained, and orders close only when every unit is accounted for.
import { insertDemoAccounts } from "../seeds/accounts.seed";
import { Role } from "../src/core/access/auth";
import { startTestApp, type TestApp } from "./support/app";
import { ADMIN, gid, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, subscribe } from "./support/subscriptions";
import { unitFor } from "./support/units";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let commander: string;
let hanfeng: string;
let wenfeng: string;
let dashboard: string;
let mutate: ReturnType<typeof orderClient>;

const WATER = "1030101"; // 饮用水: consumable, tracks expiry
const TENTS = "1010101"; // 救灾帐篷: reusable
const QUILTS = "1020101"; // 棉被: consumable
const DEPOT = "KZ-DEPOT-01";
const POINT = "KZ-S01-P"; // 汉丰街道储备点
const ROOM = "KZ-S01-C01-R"; // 红坡社区储存室, in 汉丰街道
const OTHER_POINT = "KZ-S02-P"; // 文峰街道储备点

const FIELDS = `id code status destinationKind
  lines { id position quantity dispatchedQuantity deliveredQuantity inTransitQuantity shortQuantity turnedBackQuantity returnedQuantity writtenOffQuantity outstandingQuantity
    item { code } allocations { quantity receivedQuantity returnedQuantity batch { batchNumber } } }
  writeOffs { quantity reason shortDelivery approvedBy line { position } }`;
const RECEIPTS = `receipts { kind quantity reason site { code } counterpartSite { code } dispatchOrder { code }
  batch { batchNumber productionDate expiryDate reserveMode onHand } }`;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  await insertDemoAccounts(t.app.dataSource.manager, [{ username: "logistics.kz-s02", displayName: "文峰街道物资保障员", role: Role.LOGISTICS, scopeRegionCode: "KZ-S02" }]);
  [logistics, commander, hanfeng, wenfeng] = await Promise.all(["logistics", "commander", "logistics.kz-s01", "logistics.kz-s02"].map((name) => t.tokenFor(name)));
  dashboard = await t.apiKeyFor("DASHBOARD");
  mutate = orderClient(t, FIELDS);
});
afterAll(() => t.stop());

/** A day `days` from today in the district's time (UTC+8), YYYY-MM-DD. */
function day(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function ok(name: string, input: Record<string, unknown>, token = logistics, extra = "") {
  const result = await mutate(name, input, token, extra);
  expect(result.topErrors).toBeUndefined();
  expect(result.errors).toEqual([]);
  return result as typeof result & { receipts: any[] };
}

/** Lines with their sources (batch ids at sites) as createDispatchOrder takes them. */
function lines(...specs: Array<[item: string, quantity: number, sources: Array<[batchId: number, quantity: number]>]>) {
  return specs.map(([item, quantity, sources]) => ({
    itemId: gid("SupplyItem", ids.item[item]),
    quantity,
    allocations: sources.map(([batchId, q]) => ({ batchId: gid("StockBatch", batchId), quantity: q })),
  }));
}

/** Created, submitted, approved and dispatched; `by` creates, submits and dispatches it. */
async function dispatched(destination: Record<string, unknown>, orderLines: unknown[], by = logistics) {
  const created = (await ok("createDispatchOrder", { destination, lines: orderLines }, by)).order;
  await ok("submitDispatchOrder", { id: created.id }, by);
  await ok("approveDispatchOrder", { id: created.id }, commander);
  return (await ok("markDispatched", { id: created.id }, by)).order;
}

const toSite = (code: string) => ({ siteId: gid("StorageSite", ids.site[code]) });

/** On hand and in transit of one site × item (null when the site has no level for it). */
async function level(site: string, item: string): Promise<{ onHand: number; inTransit: number } | null> {
  const result = await t.graphql(
    `query ($s: ID, $i: ID) { stockLevels(first: 1, where: { siteId: $s, itemId: $i }) { nodes { onHand inTransit } } }`,
    { s: gid("StorageSite", ids.site[site]), i: gid("SupplyItem", ids.item[item]) },
    { token: dashboard },
  );
  expect(result.errors).toBeUndefined();
  return result.data.stockLevels.nodes[0] ?? null;
}

/** The wall for one item: district totals, by tier and by township. */
async function wall(item: string) {
  const result = await t.graphql(
    `query ($items: [ID!]) { stockSummary(where: { itemIds: $items }) {
      total { onHand inTransit } byTier { tier totals { onHand inTransit } } byTownship { township { code } totals { onHand inTransit } } } }`,
    { items: [gid("SupplyItem", ids.item[item])] },
    { token: dashboard },
  );
  expect(result.errors).toBeUndefined();
  const [summary] = result.data.stockSummary;
  const tier = Object.fromEntries(summary.byTier.map((row: any) => [row.tier, row.totals]));
  const township = Object.fromEntries(summary.byTownship.map((row: any) => [row.township.code, row.totals]));
  return { total: summary.total as { onHand: number; inTransit: number }, tier, township };
}

/** Everything the chain test watches for one item, to compare step by step. */
async function picture(item: string) {
  const zero = { onHand: 0, inTransit: 0 };
  const [depot, point, room, district] = await Promise.all([level(DEPOT, item), level(POINT, item), level(ROOM, item), wall(item)]);
  return {
    depot: depot ?? zero,
    point: point ?? zero,
    room: room ?? zero,
    total: district.total,
    depotTier: district.tier.DISTRICT_DEPOT ?? zero,
    pointTier: district.tier.TOWNSHIP_POINT ?? zero,
    roomTier: district.tier.VILLAGE_ROOM ?? zero,
    hanfeng: district.township["KZ-S01"] ?? zero,
  };
}

type Picture = Awaited<ReturnType<typeof picture>>;
type Change = Partial<Record<keyof Picture, { onHand?: number; inTransit?: number }>>;

/** The picture `before` changed by `change` (units; what is not named stays). */
function moved(before: Picture, change: Change): Picture {
  const after = structuredClone(before);
  for (const [key, delta] of Object.entries(change) as Array<[keyof Picture, { onHand?: number; inTransit?: number }]>) {
    after[key].onHand += delta.onHand ?? 0;
    after[key].inTransit += delta.inTransit ?? 0;
  }
  return after;
}

/** Batches of sites whose on hand is not the sum of their ledger entries (there must be none). */
async function unbalanced(siteCodes: string[]) {
  return t.app.dataSource.query(
    `SELECT b.id, b.on_hand, coalesce(sum(m.quantity), 0)::int AS ledger FROM stock_batch b LEFT JOIN stock_movement m ON m.batch_id = b.id
     WHERE b.site_id = ANY($1::int[]) GROUP BY b.id HAVING b.on_hand <> coalesce(sum(m.quantity), 0)`,
    [siteCodes.map((code) => ids.site[code])],
  );
}

async function orderLedger(orderId: string) {
  const result = await t.graphql(
    `query ($o: ID) { stockMovements(first: 100, where: { dispatchOrderId: $o }) { nodes { kind quantity reason site { code } counterpartSite { code } batch { batchNumber } dispatchOrder { code } } } }`,
    { o: orderId },
    { token: logistics },
  );
  expect(result.errors).toBeUndefined();
  return result.data.stockMovements.nodes as any[];
}

describe("a chain: district depot → township point → village room, by two orders", () => {
  it("books each hop into the receiver, shows what is on the road, and counts every unit once", async () => {
    // Two depot batches of water feed one line (30 of the one expiring sooner, then 90), and tents.
    const receiveDated = async (batchNumber: string, quantity: number, productionDate: string, expiryDate: string) =>
      (
        await t.app.services.stockCommands.receiveStock(unitFor(ADMIN, "receiveStock"), {
          siteId: gid("StorageSite", ids.site[DEPOT]),
          itemId: gid("SupplyItem", ids.item[WATER]),
          batchNumber,
          quantity,
          source: "PURCHASE" as never,
          productionDate,
          expiryDate,
        })
      ).batch.id;
    const soon = await receiveDated("CHAIN-W-A", 30, day(-300), day(60));
    const later = await receiveDated("CHAIN-W-B", 200, day(-100), day(260));
    const tentBatch = await receive(t.app.services, ids.site[DEPOT], ids.item[TENTS], "CHAIN-TENT", 50);
    const water0 = await picture(WATER);
    const tents0 = await picture(TENTS);
    const events = clientFor(t.url, dashboard);
    const atPoint = await subscribe(events, `subscription ($s: ID) { stockLevelChanged(where: { siteId: $s }) { causes level { inTransit onHand item { code } } } }`, {
      s: gid("StorageSite", ids.site[POINT]),
    });

    try {
      // ---- hop 1: dispatched. Off the depot's hand, on the road to the point; the district's units unchanged.
      const first = await dispatched(toSite(POINT), lines([WATER, 120, [[soon, 30], [later, 90]]], [TENTS, 20, [[tentBatch, 20]]]));
      const water1 = await picture(WATER);
      expect(water1).toEqual(
        moved(water0, {
          depot: { onHand: -120 },
          point: { inTransit: 120 },
          total: { onHand: -120, inTransit: 120 },
          depotTier: { onHand: -120 },
          pointTier: { inTransit: 120 },
          hanfeng: { inTransit: 120 },
        }),
      );
      expect(water1.total.onHand + water1.total.inTransit).toBe(water0.total.onHand + water0.total.inTransit);
      expect((await picture(TENTS)).point).toEqual({ onHand: tents0.point.onHand, inTransit: 20 });
      const dispatchEvents = await atPoint.waitFor(2);
      expect(dispatchEvents.map((e: any) => e.stockLevelChanged).sort((a: any, b: any) => a.level.item.code.localeCompare(b.level.item.code))).toEqual([
        { causes: ["IN_TRANSIT"], level: { inTransit: 20, onHand: tents0.point.onHand, item: { code: TENTS } } },
        { causes: ["IN_TRANSIT"], level: { inTransit: 120, onHand: water0.point.onHand, item: { code: WATER } } },
      ]);

      // ---- partial receipt: 40 water (the sooner batch's 30, then 10 of the later), all tents.
      const [waterLine, tentLine] = first.lines;
      const partial = await ok(
        "confirmDelivery",
        { id: first.id, lines: [{ lineId: waterLine.id, receivedQuantity: 40 }, { lineId: tentLine.id, receivedQuantity: 20 }] },
        logistics,
        RECEIPTS,
      );
      expect(partial.order.lines[0]).toMatchObject({ deliveredQuantity: 40, inTransitQuantity: 80, outstandingQuantity: 80 });
      expect(partial.order.lines[0].allocations.map((a: any) => [a.batch.batchNumber, a.receivedQuantity])).toEqual([
        ["CHAIN-W-A", 30],
        ["CHAIN-W-B", 10],
      ]);
      // One TRANSFER_IN per source batch, keeping its identity, linked to the order.
      expect(partial.receipts).toEqual([
        {
          kind: "TRANSFER_IN",
          quantity: 30,
          reason: null,
          site: { code: POINT },
          counterpartSite: { code: DEPOT },
          dispatchOrder: { code: first.code },
          batch: { batchNumber: "CHAIN-W-A", productionDate: day(-300), expiryDate: day(60), reserveMode: "GOVERNMENT", onHand: 30 },
        },
        {
          kind: "TRANSFER_IN",
          quantity: 10,
          reason: null,
          site: { code: POINT },
          counterpartSite: { code: DEPOT },
          dispatchOrder: { code: first.code },
          batch: { batchNumber: "CHAIN-W-B", productionDate: day(-100), expiryDate: day(260), reserveMode: "GOVERNMENT", onHand: 10 },
        },
        expect.objectContaining({ kind: "TRANSFER_IN", quantity: 20, batch: expect.objectContaining({ batchNumber: "CHAIN-TENT" }) }),
      ]);
      expect(await picture(WATER)).toEqual(moved(water1, { point: { onHand: 40, inTransit: -40 }, total: { onHand: 40, inTransit: -40 }, pointTier: { onHand: 40, inTransit: -40 }, hanfeng: { onHand: 40, inTransit: -40 } }));
      const receiptEvents = (await atPoint.waitFor(4)).slice(2).map((e: any) => e.stockLevelChanged);
      expect(receiptEvents.find((e: any) => e.level.item.code === WATER)).toEqual({
        causes: expect.arrayContaining(["TRANSFER_IN", "IN_TRANSIT"]),
        level: { inTransit: 80, onHand: water0.point.onHand + 40, item: { code: WATER } },
      });

      // ---- the rest arrives: into the same batch (same identity), and the tents are the point's stock, not "out".
      const full = await ok("confirmDelivery", { id: first.id, lines: [{ lineId: waterLine.id, receivedQuantity: 80 }] }, logistics, RECEIPTS);
      expect(full.receipts.map((m: any) => [m.batch.batchNumber, m.quantity, m.batch.onHand])).toEqual([["CHAIN-W-B", 80, 90]]);
      expect(full.order.lines.map((l: any) => [l.inTransitQuantity, l.outstandingQuantity])).toEqual([
        [0, 0],
        [0, 0],
      ]);
      const water2 = await picture(WATER);
      expect(water2).toEqual(moved(water0, { depot: { onHand: -120 }, point: { onHand: 120 }, depotTier: { onHand: -120 }, pointTier: { onHand: 120 }, hanfeng: { onHand: 120 } }));
      expect(await picture(TENTS)).toEqual(moved(tents0, { depot: { onHand: -20 }, point: { onHand: 20 }, depotTier: { onHand: -20 }, pointTier: { onHand: 20 }, hanfeng: { onHand: 20 } }));
      expect((await ok("closeDispatchOrder", { id: first.id })).order.status).toBe("CLOSED");

      // Both ends of the order in the ledger, balanced.
      const ledger = await orderLedger(first.id);
      expect(ledger.map((m) => [m.kind, m.site.code, m.quantity])).toEqual([
        ["ISSUE", DEPOT, -30],
        ["ISSUE", DEPOT, -90],
        ["ISSUE", DEPOT, -20],
        ["TRANSFER_IN", POINT, 30],
        ["TRANSFER_IN", POINT, 10],
        ["TRANSFER_IN", POINT, 20],
        ["TRANSFER_IN", POINT, 80],
      ]);
      expect(ledger.every((m) => m.dispatchOrder.code === first.code)).toBe(true);
      expect(ledger.reduce((sum, m) => sum + m.quantity, 0)).toBe(0);

      // The received batch's expiry alert shows at the point.
      const alerts = await t.graphql(
        `query ($s: ID) { stockAlerts(first: 100, where: { siteId: $s, kind: EXPIRING }) { nodes { quantity expiryDate batch { batchNumber } } } }`,
        { s: gid("StorageSite", ids.site[POINT]) },
        { token: dashboard },
      );
      expect(alerts.data.stockAlerts.nodes).toContainEqual({ quantity: 30, expiryDate: day(60), batch: { batchNumber: "CHAIN-W-A" } });

      // ---- hop 2: the township sends on from what it received, on its own account (属地): point → village room.
      const [pointBatch] = await t.app.dataSource.query(`SELECT id FROM stock_batch WHERE site_id = $1 AND batch_number = 'CHAIN-W-A'`, [ids.site[POINT]]);
      const second = await dispatched(toSite(ROOM), lines([WATER, 25, [[pointBatch.id, 25]]]), hanfeng);
      const water3 = await picture(WATER);
      expect(water3).toEqual(moved(water2, { point: { onHand: -25 }, room: { inTransit: 25 }, pointTier: { onHand: -25 }, roomTier: { inTransit: 25 }, total: { onHand: -25, inTransit: 25 }, hanfeng: { onHand: -25, inTransit: 25 } }));
      await ok("confirmDelivery", { id: second.id, lines: [{ lineId: second.lines[0].id, receivedQuantity: 10 }] }, hanfeng);
      const water4 = await picture(WATER);
      expect(water4).toEqual(moved(water3, { room: { onHand: 10, inTransit: -10 }, roomTier: { onHand: 10, inTransit: -10 }, total: { onHand: 10, inTransit: -10 }, hanfeng: { onHand: 10, inTransit: -10 } }));
      const last = await ok("confirmDelivery", { id: second.id, lines: [{ lineId: second.lines[0].id, receivedQuantity: 15 }] }, hanfeng, RECEIPTS);
      expect(last.receipts[0]).toMatchObject({ kind: "TRANSFER_IN", site: { code: ROOM }, counterpartSite: { code: POINT }, batch: { batchNumber: "CHAIN-W-A", expiryDate: day(60), onHand: 25 } });
      expect(await picture(WATER)).toEqual(moved(water4, { room: { onHand: 15, inTransit: -15 }, roomTier: { onHand: 15, inTransit: -15 }, total: { onHand: 15, inTransit: -15 }, hanfeng: { onHand: 15, inTransit: -15 } }));
      expect((await ok("closeDispatchOrder", { id: second.id }, hanfeng)).order.status).toBe("CLOSED");
      // Over the whole chain: the water left the depot and is at the point and the room; not a unit more or less.
      const end = await picture(WATER);
      expect(end.total).toEqual(water0.total);
      expect([end.depot.onHand - water0.depot.onHand, end.point.onHand - water0.point.onHand, end.room.onHand - water0.room.onHand]).toEqual([-120, 95, 25]);

      expect(await unbalanced([DEPOT, POINT, ROOM])).toEqual([]);
      expect(await t.app.services.stock.queries.ledgerDiscrepancies()).toEqual([]);
    } finally {
      await atPoint.close();
      await events.dispose();
    }
  });

  it("gives a site that never held the item its level on dispatch, and books a clashing batch number as a batch of its own", async () => {
    // A new, empty second point in 临江镇 (KZ-T01): no levels at all yet.
    const created = await t.app.services.reserves.createSite(unitFor(ADMIN, "createStorageSite"), {
      code: "KZ-T01-P2",
      name: "临江镇第二储备点",
      tier: "TOWNSHIP_POINT" as never,
      regionId: gid("Region", ids.region["KZ-T01"]),
      address: "临江镇场镇",
      latitude: 31.2,
      longitude: 108.3,
      floorArea: 200,
    });
    const site = created.site.id;
    ids.site["KZ-T01-P2"] = site;
    const depotWater = await receive(t.app.services, ids.site[DEPOT], ids.item[WATER], "CLASH-1", 50, day(300));
    expect(await level("KZ-T01-P2", WATER)).toBeNull();
    const order = await dispatched(toSite("KZ-T01-P2"), lines([WATER, 50, [[depotWater, 50]]]));
    expect(await level("KZ-T01-P2", WATER)).toEqual({ onHand: 0, inTransit: 50 });

    // A site with goods on their way to it cannot be closed.
    const closing = await t.graphql(
      `mutation ($input: UpdateStorageSiteInput!) { updateStorageSite(input: $input) { errors { field code message } } }`,
      { input: { id: gid("StorageSite", site), status: "CLOSED" } },
      { token: await t.tokenFor("admin") },
    );
    expect(closing.data.updateStorageSite.errors[0]).toMatchObject({ field: "input.status", code: "INVALID_STATE", message: expect.stringContaining("50 units are on their way") });

    // Meanwhile the site received a batch of the same number with another expiry: the arrival keeps its own identity.
    await receive(t.app.services, site, ids.item[WATER], "CLASH-1", 5, day(100));
    const result = await ok("confirmDelivery", { id: order.id, lines: [{ lineId: order.lines[0].id, receivedQuantity: 50 }] }, logistics, RECEIPTS);
    expect(result.receipts.map((m: any) => [m.batch.batchNumber, m.batch.expiryDate, m.batch.onHand])).toEqual([[`CLASH-1/${DEPOT}`, day(300), 50]]);
    const batches = await t.app.dataSource.query(`SELECT batch_number, expiry_date::text AS expiry, on_hand FROM stock_batch WHERE site_id = $1 ORDER BY batch_number`, [site]);
    expect(batches).toEqual([
      { batch_number: "CLASH-1", expiry: day(100), on_hand: 5 },
      { batch_number: `CLASH-1/${DEPOT}`, expiry: day(300), on_hand: 50 },
    ]);
    expect(await level("KZ-T01-P2", WATER)).toEqual({ onHand: 55, inTransit: 0 });
  });
});

describe("short deliveries (短少) and closing", () => {
  it("writes off what will not arrive with each reason and the approver, and closes only when every unit is accounted for", async () => {
    const quilts = await receive(t.app.services, ids.site[DEPOT], ids.item[QUILTS], "SHORT-QUILT", 100);
    const atHanfeng = await receive(t.app.services, ids.site[POINT], ids.item[QUILTS], "SHORT-S01", 10);
    const crossing = await mutate("createDispatchOrder", { destination: toSite(OTHER_POINT), lines: lines([QUILTS, 5, [[atHanfeng, 5]]]) }, hanfeng);
    expect(crossing.topErrors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("outside your scope") });
    const before = await wall(QUILTS);
    // To another township's point: the district's call (统一调拨), received there by that township.
    const order = await dispatched(toSite(OTHER_POINT), lines([QUILTS, 40, [[quilts, 40]]]));
    const line = order.lines[0].id;

    const noApprover = await mutate("confirmDelivery", { id: order.id, lines: [{ lineId: line, receivedQuantity: 30 }], shortages: [{ lineId: line, quantity: 2, reason: "DAMAGED" }] }, wenfeng);
    expect(noApprover.errors).toEqual([expect.objectContaining({ field: "input.approvedBy", code: "REQUIRED" })]);
    const tooMany = await mutate(
      "confirmDelivery",
      { id: order.id, lines: [{ lineId: line, receivedQuantity: 30 }], shortages: [{ lineId: line, quantity: 11, reason: "LOST" }], approvedBy: "周科长" },
      wenfeng,
    );
    expect(tooMany.errors).toEqual([expect.objectContaining({ field: "input.shortages[0].quantity", code: "OUT_OF_RANGE", message: expect.stringContaining("10 units in transit") })]);
    // Refused attempts wrote nothing.
    expect(await level(OTHER_POINT, QUILTS)).toMatchObject({ inTransit: 40 });

    const outsider = await mutate("confirmDelivery", { id: order.id, lines: [{ lineId: line, receivedQuantity: 30 }] }, hanfeng);
    expect(outsider.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
    const received = await ok(
      "confirmDelivery",
      {
        id: order.id,
        lines: [{ lineId: line, receivedQuantity: 30 }],
        shortages: [
          { lineId: line, quantity: 2, reason: "DAMAGED" },
          { lineId: line, quantity: 3, reason: "LOST" },
        ],
        approvedBy: "周科长",
        note: "雨中运输，两床浸水",
      },
      wenfeng,
    );
    expect(received.order.lines[0]).toMatchObject({ deliveredQuantity: 30, shortQuantity: 5, writtenOffQuantity: 5, inTransitQuantity: 5 });

    const unexplained = await mutate("closeDispatchOrder", { id: order.id }, logistics);
    expect(unexplained.errors).toEqual([expect.objectContaining({ field: "input.id", code: "ITEMS_OUTSTANDING", message: expect.stringContaining("line 1: 5 of 40 in transit") })]);
    const atSite = await mutate("closeDispatchOrder", { id: order.id, writeOffs: [{ lineId: line, quantity: 5, reason: "LOST", arrived: true }], approvedBy: "周科长" }, logistics);
    expect(atSite.errors[0]).toMatchObject({ field: "input.writeOffs[0].arrived", code: "INVALID_VALUE", message: expect.stringContaining("that site's stock") });
    const closed = await ok(
      "closeDispatchOrder",
      {
        id: order.id,
        writeOffs: [
          { lineId: line, quantity: 3, reason: "SHORT_SHIPPED" },
          { lineId: line, quantity: 2, reason: "DISTRIBUTED_EN_ROUTE" },
        ],
        approvedBy: "周科长",
      },
      logistics,
    );
    expect(closed.order.status).toBe("CLOSED");
    expect(closed.order.writeOffs.map((w: any) => [w.reason, w.quantity, w.shortDelivery, w.approvedBy])).toEqual([
      ["DAMAGED", 2, true, "周科长"],
      ["LOST", 3, true, "周科长"],
      ["SHORT_SHIPPED", 3, true, "周科长"],
      ["DISTRIBUTED_EN_ROUTE", 2, true, "周科长"],
    ]);
    // Nothing on the road any more; the ten that never arrived left the district's books at the ISSUE.
    expect(await level(OTHER_POINT, QUILTS)).toMatchObject({ inTransit: 0 });
    const after = await wall(QUILTS);
    expect(after.total).toEqual({ onHand: before.total.onHand - 10, inTransit: 0 });
    expect(after.township["KZ-S02"].onHand).toBe(before.township["KZ-S02"].onHand + 30);
    expect((await orderLedger(order.id)).map((m) => [m.kind, m.quantity])).toEqual([
      ["ISSUE", -40],
      ["TRANSFER_IN", 30],
    ]);
    expect(await t.app.services.stock.queries.ledgerDiscrepancies()).toEqual([]);
  });

  it("turns back what never arrived: the site's in-transit drops and the stock is back at the source", async () => {
    const quilts = await receive(t.app.services, ids.site[DEPOT], ids.item[QUILTS], "TURN-QUILT", 30);
    const order = await dispatched(toSite(POINT), lines([QUILTS, 30, [[quilts, 30]]]));
    const line = order.lines[0].id;
    await ok("confirmDelivery", { id: order.id, lines: [{ lineId: line, receivedQuantity: 20 }] });
    const depot = gid("StorageSite", ids.site[DEPOT]);
    const received = await mutate("recordReturn", { id: order.id, siteId: depot, lines: [{ lineId: line, quantity: 5, arrived: true }] }, logistics);
    expect(received.errors[0]).toMatchObject({ field: "input.lines[0].arrived", code: "INVALID_VALUE" });
    const back = await ok("recordReturn", { id: order.id, siteId: depot, lines: [{ lineId: line, quantity: 10 }], note: "道路塌方，原车返回" });
    expect(back.order.lines[0]).toMatchObject({ turnedBackQuantity: 10, returnedQuantity: 10, inTransitQuantity: 0, outstandingQuantity: 0 });
    expect(await level(POINT, QUILTS)).toMatchObject({ inTransit: 0 });
    const [batch] = await t.app.dataSource.query(`SELECT on_hand FROM stock_batch WHERE id = $1`, [quilts]);
    expect(batch.on_hand).toBe(10);
    expect((await ok("closeDispatchOrder", { id: order.id })).order.status).toBe("CLOSED");
    expect((await orderLedger(order.id)).map((m) => [m.kind, m.site.code, m.quantity])).toEqual([
      ["ISSUE", DEPOT, -30],
      ["TRANSFER_IN", POINT, 20],
      ["RETURN", DEPOT, 10],
    ]);
  });

  it("books a partner's goods arriving at a site as a RECEIPT in a batch named after the order", async () => {
    const [partner] = await t.app.dataSource.query(`SELECT p.id FROM reserve_partner p JOIN partner_stock_agreement a ON a.partner_id = p.id WHERE p.code = 'KZ-EP-04' AND a.item_id = $1`, [ids.item[TENTS]]);
    const before = await wall(TENTS);
    const created = await ok("createDispatchOrder", {
      destination: toSite(POINT),
      lines: [{ itemId: gid("SupplyItem", ids.item[TENTS]), quantity: 12, allocations: [{ partnerId: gid("ReservePartner", partner.id), kind: "PARTNER_STOCK", quantity: 12 }] }],
    });
    await ok("submitDispatchOrder", { id: created.order.id });
    await ok("approveDispatchOrder", { id: created.order.id }, commander);
    const order = (await ok("markDispatched", { id: created.order.id })).order;
    // On its way to our point: in transit there; nothing left our own stores.
    expect((await wall(TENTS)).total).toEqual({ onHand: before.total.onHand, inTransit: before.total.inTransit + 12 });
    const result = await ok("confirmDelivery", { id: order.id, lines: [{ lineId: order.lines[0].id, receivedQuantity: 12 }] }, logistics, RECEIPTS);
    expect(result.receipts).toEqual([
      expect.objectContaining({ kind: "RECEIPT", reason: "PARTNER_DELIVERY", quantity: 12, counterpartSite: null, batch: expect.objectContaining({ batchNumber: `${order.code}-P${partner.id}`, reserveMode: "GOVERNMENT" }) }),
    ]);
    expect((await wall(TENTS)).total).toEqual({ onHand: before.total.onHand + 12, inTransit: before.total.inTransit });
    expect((await ok("closeDispatchOrder", { id: order.id })).order.status).toBe("CLOSED");
  });
});

describe("to a point in the field (village room → shelter)", () => {
  it("books nothing on receipt, keeps reusable items outstanding until they are back, and asks which units came back when it cannot tell", async () => {
    const tents = await receive(t.app.services, ids.site[ROOM], ids.item[TENTS], "FIELD-TENT", 10);
    const quilts = await receive(t.app.services, ids.site[ROOM], ids.item[QUILTS], "FIELD-QUILT", 20);
    const summaryBefore = await wall(TENTS);
    const shelter = { regionId: gid("Region", ids.region["KZ-S01-C01"]), latitude: 31.176, longitude: 108.355, address: "红坡社区安置点", receiverName: "刘晓燕", receiverPhone: "13987654321" };
    const order = await dispatched(shelter, lines([TENTS, 10, [[tents, 10]]], [QUILTS, 20, [[quilts, 20]]]), hanfeng);
    // Goods to the field left the reserve at their ISSUE: not "in transit" on the wall.
    expect((await wall(TENTS)).total).toEqual({ onHand: summaryBefore.total.onHand - 10, inTransit: summaryBefore.total.inTransit });
    const [tentLine, quiltLine] = order.lines.map((l: any) => l.id);

    const first = await ok("confirmDelivery", { id: order.id, lines: [{ lineId: tentLine, receivedQuantity: 6 }, { lineId: quiltLine, receivedQuantity: 20 }] }, hanfeng, RECEIPTS);
    expect(first.receipts).toEqual([]);
    const room = gid("StorageSite", ids.site[ROOM]);
    const unclear = await mutate("recordReturn", { id: order.id, siteId: room, lines: [{ lineId: tentLine, quantity: 2 }] }, hanfeng);
    expect(unclear.errors[0]).toMatchObject({ field: "input.lines[0].arrived", code: "REQUIRED", message: expect.stringContaining("4 units in transit and 6 delivered") });
    const turned = await ok("recordReturn", { id: order.id, siteId: room, lines: [{ lineId: tentLine, quantity: 2, arrived: false }] }, hanfeng);
    expect(turned.order.lines[0]).toMatchObject({ turnedBackQuantity: 2, inTransitQuantity: 2, outstandingQuantity: 8 });
    await ok("confirmDelivery", { id: order.id, lines: [{ lineId: tentLine, receivedQuantity: 2 }] }, hanfeng);

    // Consumables delivered there are done; the reusable tents are still out.
    const out = await mutate("closeDispatchOrder", { id: order.id }, hanfeng);
    expect(out.errors[0]).toMatchObject({ code: "ITEMS_OUTSTANDING" });
    expect(out.errors[0].message).toContain("line 1: 8 of 10 still out");
    expect(out.errors[0].message).not.toContain("line 2");
    const consumed = await mutate("closeDispatchOrder", { id: order.id, writeOffs: [{ lineId: quiltLine, quantity: 1, reason: "DAMAGED" }], approvedBy: "李主任" }, hanfeng);
    expect(consumed.errors[0]).toMatchObject({ field: "input.writeOffs[0].arrived", code: "INVALID_VALUE", message: expect.stringContaining("consumables") });
    const shortShipped = await mutate("closeDispatchOrder", { id: order.id, writeOffs: [{ lineId: tentLine, quantity: 1, reason: "SHORT_SHIPPED" }], approvedBy: "李主任" }, hanfeng);
    expect(shortShipped.errors[0]).toMatchObject({ field: "input.writeOffs[0].reason", code: "INVALID_VALUE" });

    await ok("recordReturn", { id: order.id, siteId: room, lines: [{ lineId: tentLine, quantity: 7 }] }, hanfeng);
    const closed = await ok("closeDispatchOrder", { id: order.id, writeOffs: [{ lineId: tentLine, quantity: 1, reason: "LOST" }], approvedBy: "李主任" }, hanfeng);
    expect(closed.order.status).toBe("CLOSED");
    expect(closed.order.writeOffs).toEqual([{ quantity: 1, reason: "LOST", shortDelivery: false, approvedBy: "李主任", line: { position: 1 } }]);
    expect(await t.app.services.stock.queries.ledgerDiscrepancies()).toEqual([]);
  });
});

describe("reading in-transit stock", () => {
  const SITES = (withTransit: boolean) => `query ($first: Int, $where: StorageSiteWhere) { storageSites(first: $first, where: $where) {
    nodes { code stock(first: 100) { nodes { onHand available ${withTransit ? "inTransit" : ""} item { name } } } } } }`;
  const SUMMARY = (withTransit: boolean) => `{ stockSummary { total { onHand available ${withTransit ? "inTransit" : ""} } byTier { tier totals { onHand ${withTransit ? "inTransit" : ""} } }
    byTownship { township { code } totals { onHand ${withTransit ? "inTransit" : ""} } } } }`;
  const read = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await t.graphql(query, variables, { token: dashboard });
    expect(result.errors).toBeUndefined();
    return result.sqlStatements;
  };

  it("costs one statement more for a page of levels, however many sites, and nothing more on the wall", async () => {
    const township = { first: 20, where: { regionId: gid("Region", ids.region["KZ-S01"]) } };
    const district = { first: 100 };
    const plain = await read(SITES(false), township);
    expect(await read(SITES(false), district)).toBe(plain);
    expect(await read(SITES(true), township)).toBe(plain + 1);
    expect(await read(SITES(true), district)).toBe(plain + 1);
    // The wall stays one aggregation: in transit is a part of it, not a statement of its own.
    expect(await read(SUMMARY(true))).toBe(await read(SUMMARY(false)));
  });
});
