// stockLevelChanged over graphql-ws: committed changes reach the subscribers whose filter
// matches, with the level as committed; rolled-back and refused changes reach nobody.
import { inTransaction } from "../src/core/db/transaction";
import { startTestApp, type TestApp } from "./support/app";
import { DISTRICT_LOGISTICS, reserveLookups } from "./support/reserves";
import { clientFor, settle, subscribe } from "./support/subscriptions";

let t: TestApp;
let find: ReturnType<typeof reserveLookups>;
beforeAll(async () => {
  t = await startTestApp();
  find = reserveLookups(t.app.dataSource);
});
afterAll(() => t.stop());

const SUBSCRIPTION = `subscription ($where: StockLevelChangedWhere) { stockLevelChanged(where: $where) {
  causes operationIds asOf
  level { onHand reserved available minimum site { code } item { name } batches { batchNumber onHand } }
} }`;
const RECEIVE = `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { movement { operationId } errors { code } } }`;
const TRANSFER = `mutation ($input: TransferStockInput!) { transferStock(input: $input) { movements { operationId } errors { code } } }`;

it("delivers committed changes to matching filters only, never a rolled-back or refused one", async () => {
  const logistics = await t.tokenFor("logistics");
  const client = clientFor(t.url, await t.apiKeyFor("DASHBOARD"));
  try {
    const point = await find.site("KZ-S01-P");
    const tents = await find.item("救灾帐篷");
    const atPoint = await subscribe(client, SUBSCRIPTION, { where: { siteId: point } });
    const inTownship = await subscribe(client, SUBSCRIPTION, { where: { regionId: await find.region("KZ-S01") } });
    const depotTents = await subscribe(client, SUBSCRIPTION, { where: { tier: "DISTRICT_DEPOT", itemId: tents } });
    const elsewhere = await subscribe(client, SUBSCRIPTION, { where: { regionId: await find.region("KZ-T27") } });

    // A change at the point that is rolled back: its transaction fails after the stock operation.
    const coats = await find.batch("KZ-S01-P", "棉大衣");
    await expect(
      inTransaction(t.app.dataSource, async (tx) => {
        await t.app.services.stock.reserve(tx, DISTRICT_LOGISTICS, [{ batchId: coats.id, quantity: 1 }]);
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    // A refused transfer from the point.
    const refused = await t.graphql(TRANSFER, { input: { fromSiteId: point, toSiteId: await find.site("KZ-S01-C01-R"), lines: [{ batchId: coats.globalId, quantity: coats.onHand + 1 }] } }, { token: logistics });
    expect(refused.data.transferStock.errors[0].code).toBe("INSUFFICIENT_STOCK");
    // A committed change somewhere no filter above (but `elsewhere`'s region) covers.
    const input = { itemId: await find.item("雨衣"), batchNumber: "YY-LIVE", source: "PURCHASE" };
    expect((await t.graphql(RECEIVE, { input: { ...input, siteId: await find.site("KZ-S02-P"), quantity: 1 } }, { token: logistics })).data.receiveStock.errors).toEqual([]);

    // The first event the point's subscriber gets is this committed receipt, not anything above.
    const raincoatsBefore = (await t.app.dataSource.query(`SELECT coalesce(sum(on_hand), 0)::int AS n FROM stock_batch WHERE site_id = $1 AND item_id = $2`, [await find.siteId("KZ-S01-P"), await find.itemId("雨衣")]))[0].n;
    const receipt = await t.graphql(RECEIVE, { input: { ...input, siteId: point, quantity: 10 } }, { token: logistics });
    const [first] = await atPoint.waitFor(1);
    expect(first.stockLevelChanged).toMatchObject({
      causes: ["RECEIPT"],
      operationIds: [receipt.data.receiveStock.movement.operationId],
      level: { onHand: raincoatsBefore + 10, site: { code: "KZ-S01-P" }, item: { name: "雨衣" } },
    });
    expect(first.stockLevelChanged.level.batches).toContainEqual({ batchNumber: "YY-LIVE", onHand: 10 });
    // The same subscription sees fresh nested stock on its next event.
    await t.graphql(RECEIVE, { input: { ...input, siteId: point, quantity: 5 } }, { token: logistics });
    const [, second] = await atPoint.waitFor(2);
    expect(second.stockLevelChanged.level.onHand).toBe(raincoatsBefore + 15);
    expect(second.stockLevelChanged.level.batches).toContainEqual({ batchNumber: "YY-LIVE", onHand: 15 });

    // A transfer from the depot into a community room: two levels change, each told to its own subscribers.
    const depotTentBatch = await find.batch("KZ-DEPOT-01", "救灾帐篷");
    await t.graphql(TRANSFER, { input: { fromSiteId: await find.site("KZ-DEPOT-01"), toSiteId: await find.site("KZ-S01-C01-R"), lines: [{ batchId: depotTentBatch.globalId, quantity: 4 }] } }, { token: logistics });
    const [out] = await depotTents.waitFor(1);
    expect(out.stockLevelChanged).toMatchObject({ causes: ["TRANSFER_OUT"], level: { site: { code: "KZ-DEPOT-01" }, item: { name: "救灾帐篷" } } });
    const townshipEvents = await inTownship.waitFor(3);
    expect(townshipEvents[2].stockLevelChanged).toMatchObject({ causes: ["TRANSFER_IN"], level: { site: { code: "KZ-S01-C01-R" }, item: { name: "救灾帐篷" } } });

    await settle();
    expect(atPoint.events).toHaveLength(2);
    expect(inTownship.events).toHaveLength(3);
    expect(depotTents.events).toHaveLength(1);
    expect(elsewhere.events).toHaveLength(0);
  } finally {
    await client.dispose();
  }
});

it("refuses a subscription with a malformed filter id", async () => {
  const client = clientFor(t.url, await t.apiKeyFor("DASHBOARD"));
  try {
    const subscriber = await subscribe(client, SUBSCRIPTION, { where: { siteId: "bm9wZQ" } });
    await expect(subscriber.waitFor(1, 2000)).rejects.toThrow(/where.siteId/);
  } finally {
    await client.dispose();
  }
});
