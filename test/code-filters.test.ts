// Filters by the codes staff know: every filter field naming an object by id has its twin by code
// (core/graphql/code-filters.ts), resolved once before the resolver — root lists, nested lists,
// subscriptions, exports — with a code nobody has refused naming the field.
import { getNamedType, isInputObjectType, type GraphQLSchema } from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { codeFieldName } from "../src/core/graphql/code-filters";
import { createSchema } from "../src/schema";
import { startTestApp, type TestApp } from "./support/app";
import { reserveLookups } from "./support/reserves";
import { clientFor, subscribe } from "./support/subscriptions";

let t: TestApp;
let find: ReturnType<typeof reserveLookups>;
let logistics: string;
beforeAll(async () => {
  t = await startTestApp();
  find = reserveLookups(t.app.dataSource);
  logistics = await t.tokenFor("logistics");
});
afterAll(() => t.stop());

/** Id filter fields that name something staff know by no code (a batch is known by number and site; actors by name). */
const NO_CODE = new Set(["StockMovementWhere.batchId", "AuditLogWhere.actorId", "AuditLogWhere.targetId"]);

describe("the class", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema(createPubSub() as never);
  });

  it("gives every filter field by id its twin by code", () => {
    const missing: string[] = [];
    let twins = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isInputObjectType(type) || !/Where$/.test(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name !== "ID" || !/Ids?$/.test(field.name) || NO_CODE.has(`${type.name}.${field.name}`)) continue;
        const twin = type.getFields()[codeFieldName(field.name)];
        if (!twin) missing.push(`${type.name}.${field.name}`);
        else {
          twins += 1;
          expect(twin.description).toMatch(/^\p{Script=Han}+编码。/u);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(twins).toBeGreaterThan(40);
  });
});

describe("in queries", () => {
  it("answers a filter by code exactly as the same filter by id, in one more statement for any number of codes", async () => {
    const QUERY = `query ($where: StockLevelWhere) { stockLevels(first: 100, where: $where) { totalCount nodes { site { code } item { code } onHand } } }`;
    const byId = await t.graphql(QUERY, { where: { regionId: await find.region("KZ-S01"), itemId: await find.item("棉被") } }, { token: logistics });
    const byCode = await t.graphql(QUERY, { where: { regionCode: "KZ-S01", itemCode: (await t.app.dataSource.query(`SELECT code FROM supply_item WHERE name = '棉被'`))[0].code } }, { token: logistics });
    expect(byCode.errors).toBeUndefined();
    expect(byCode.data).toEqual(byId.data);
    expect(byCode.data.stockLevels.totalCount).toBeGreaterThan(1);
    // Two codes of two types: two lookups (one per type), whatever else the query does.
    expect(byCode.sqlStatements - byId.sqlStatements).toBe(2);
  });

  it("takes codes in nested lists too, batched across parents", async () => {
    const items = (
      await t.app.dataSource.query(
        `SELECT DISTINCT i.code FROM stock_level l JOIN supply_item i ON i.id = l.item_id JOIN storage_site s ON s.id = l.site_id WHERE s.code = 'KZ-S01-P' ORDER BY i.code LIMIT 3`,
      )
    ).map((row: { code: string }) => row.code);
    expect(items).toHaveLength(3);
    const answer = await t.graphql(
      `query ($codes: [String!]) { storageSites(first: 5, where: { regionCode: "KZ-S01", tier: TOWNSHIP_POINT }) { nodes { code stock(where: { itemCodes: $codes }) { nodes { item { code } } } } } }`,
      { codes: items },
      { token: logistics },
    );
    expect(answer.errors).toBeUndefined();
    const seen = new Set<string>(answer.data.storageSites.nodes.flatMap((site: any) => site.stock.nodes.map((level: any) => level.item.code)));
    expect(seen.size).toBeGreaterThan(0);
    for (const code of seen) expect(items).toContain(code);
    for (const site of answer.data.storageSites.nodes) expect(site.code).toMatch(/^KZ-S01/);
  });

  it("refuses a code nobody has, naming the field, in the reader's language", async () => {
    const answer = await t.graphql(`{ storageSites(where: { regionCode: "KZ-S99" }) { totalCount } }`, {}, { token: logistics });
    expect(answer.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "where.regionCode", rule: "UNKNOWN_CODE" } });
    expect(answer.errors![0].message).toBe('where.regionCode: no Region (区域) has the code "KZ-S99"');
    const chinese = await t.graphql(`{ storageSites(where: { regionCode: "KZ-S99" }) { totalCount } }`, {}, { token: logistics, headers: { "accept-language": "zh-CN" } });
    expect(chinese.errors![0].message).toBe("where.regionCode：没有编码为“KZ-S99”的区域（Region）");
    const list = await t.graphql(`{ stockSummary(where: { itemCodes: ["1010101", "0000000"] }) { item { code } } }`, {}, { token: logistics });
    expect(list.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "where.itemCodes[1]" });
  });

  it("takes id and code together only when they name the same object", async () => {
    const id = await find.region("KZ-S01");
    const same = await t.graphql(`query ($id: ID) { storageSites(where: { regionId: $id, regionCode: "KZ-S01" }) { totalCount } }`, { id }, { token: logistics });
    expect(same.errors).toBeUndefined();
    const differ = await t.graphql(`query ($id: ID) { storageSites(where: { regionId: $id, regionCode: "KZ-S02" }) { totalCount } }`, { id }, { token: logistics });
    expect(differ.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "where.regionCode", rule: "ID_AND_CODE_DIFFER" });
  });

  it("checks a code as a code first (the input rules run before the lookup)", async () => {
    const answer = await t.graphql(`{ storageSites(where: { regionCode: "KZ\\u0000S01" }) { totalCount } }`, {}, { token: logistics });
    expect(answer.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "where.regionCode", rule: "CONTROL_CHARACTER" });
  });

  it("serves exports: exportStock by site code", async () => {
    const byCode = await t.graphql(`{ exportStock(where: { siteCode: "KZ-S01-P" }, format: CSV) { rowCount } }`, {}, { token: logistics });
    const byId = await t.graphql(`query ($id: ID) { exportStock(where: { siteId: $id }, format: CSV) { rowCount } }`, { id: await find.site("KZ-S01-P") }, { token: logistics });
    expect(byCode.errors).toBeUndefined();
    expect(byCode.data.exportStock.rowCount).toBe(byId.data.exportStock.rowCount);
    expect(byCode.data.exportStock.rowCount).toBeGreaterThan(0);
  });
});

describe("in subscriptions", () => {
  it("filters events by site code as by site id", async () => {
    const client = clientFor(t.url, logistics);
    try {
      const atPoint = await subscribe(client, `subscription { stockLevelChanged(where: { siteCode: "KZ-S01-P" }) { level { site { code } } } }`);
      const refused = await subscribe(client, `subscription { stockLevelChanged(where: { siteCode: "KZ-NOPE" }) { level { site { code } } } }`);
      const RECEIVE = `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { errors { code } } }`;
      const input = { itemId: await find.item("雨衣"), batchNumber: "CODE-FILTER", source: "PURCHASE", quantity: 1 };
      expect((await t.graphql(RECEIVE, { input: { ...input, siteId: await find.site("KZ-S02-P") } }, { token: logistics })).data.receiveStock.errors).toEqual([]);
      expect((await t.graphql(RECEIVE, { input: { ...input, siteId: await find.site("KZ-S01-P") } }, { token: logistics })).data.receiveStock.errors).toEqual([]);
      const [first] = await atPoint.waitFor(1);
      expect(first.stockLevelChanged.level.site.code).toBe("KZ-S01-P");
      await expect(refused.waitFor(1, 1000)).rejects.toThrow(/KZ-NOPE/);
    } finally {
      await client.dispose();
    }
  });
});
