// The three-tier reserve as dashboards read it: the seeded district, filters, nested stock at a
// constant number of SQL statements, the summary and alerts, personal data, and the ledger check.
import { seedDatabase } from "../seeds";
import { toGlobalId } from "../src/core/graphql/relay";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let logistics: string;
let dashboard: string;
const region: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  logistics = await t.tokenFor("logistics");
  dashboard = await t.apiKeyFor("DASHBOARD");
  for (const row of await t.app.dataSource.query(`SELECT id, code FROM region WHERE level <> 'VILLAGE'`)) region[row.code] = toGlobalId("Region", row.id);
});
afterAll(() => t.stop());

const gql = async (query: string, variables: Record<string, unknown> = {}, token = logistics) => {
  const result = await t.graphql(query, variables, { token });
  expect(result.errors).toBeUndefined();
  return result;
};

describe("the seeded reserve", () => {
  it("has one district depot of at least 5,000 m², a point per township unit and a room per village", async () => {
    const count = async (where: Record<string, unknown>) => (await gql(`query ($where: StorageSiteWhere) { storageSites(first: 1, where: $where) { totalCount } }`, { where })).data.storageSites.totalCount;
    expect(await count({})).toBe(776); // and 200 shelter stores (tier SHELTER, seeds/shelters.seed.ts)
    expect(await count({ tier: "TOWNSHIP_POINT" })).toBe(40);
    expect(await count({ tier: "VILLAGE_ROOM" })).toBe(535);
    const depot = (await gql(`{ storageSites(first: 5, where: { tier: DISTRICT_DEPOT }) { nodes { code name floorArea region { code level } } } }`)).data.storageSites.nodes;
    expect(depot).toHaveLength(1);
    expect(depot[0].floorArea).toBeGreaterThanOrEqual(5000);
    expect(depot[0].region).toEqual({ code: "KZ", level: "DISTRICT" });
    // Every township's point sits in that township; a township filter includes its villages' rooms.
    const hanfeng = (await gql(`query ($r: ID) { storageSites(first: 20, where: { regionId: $r }) { totalCount nodes { tier region { code } } } }`, { r: region["KZ-S01"] })).data.storageSites;
    expect(hanfeng.totalCount).toBe(16); // 10 rooms, the point, and 5 shelter stores
    expect(hanfeng.nodes.filter((s: any) => s.tier === "TOWNSHIP_POINT").map((s: any) => s.region.code)).toEqual(["KZ-S01"]);
    const named = (await gql(`{ storageSites(first: 5, where: { nameContains: "汉丰街道应急" }) { nodes { code } } }`)).data.storageSites.nodes;
    expect(named).toEqual([{ code: "KZ-S01-P" }]);
  });

  it("has a GB/T 38565-2020 catalogue of realistic items, filterable by category, code and hazard", async () => {
    const items = (await gql(`{ supplyItems(first: 100) { totalCount nodes { code name unit category reusable tracksExpiry hazards } } }`)).data.supplyItems;
    expect(items.totalCount).toBeGreaterThanOrEqual(40);
    const names = items.nodes.map((i: any) => i.name);
    for (const name of ["救灾帐篷", "折叠床", "棉被", "棉大衣", "救生衣", "救生圈", "冲锋舟", "抽水泵", "发电机", "编织袋", "应急灯", "油锯", "风力灭火机", "灭火器", "饮用水", "方便面"]) {
      expect(names).toContain(name);
    }
    for (const item of items.nodes) {
      expect(item.code).toMatch(/^[1-3](0[1-9]|[1-9][0-9]){3}$/);
      expect(item.category).toBe({ 1: "BASIC_LIVING", 2: "EMERGENCY_EQUIPMENT", 3: "ENGINEERING" }[item.code[0] as "1" | "2" | "3"]);
    }
    expect(items.nodes.find((i: any) => i.name === "冲锋舟")).toMatchObject({ reusable: true, tracksExpiry: false, hazards: ["FLOOD_DROUGHT"] });
    expect(items.nodes.find((i: any) => i.name === "方便面")).toMatchObject({ reusable: false, tracksExpiry: true });
    const equipment = (await gql(`{ supplyItems(first: 100, where: { category: EMERGENCY_EQUIPMENT }) { nodes { code } } }`)).data.supplyItems.nodes;
    expect(equipment.length).toBeGreaterThan(0);
    expect(equipment.every((i: any) => i.code.startsWith("2"))).toBe(true);
    const boats = (await gql(`{ supplyItems(first: 100, where: { codePrefix: "202" }) { nodes { name } } }`)).data.supplyItems.nodes.map((i: any) => i.name);
    expect(boats).toContain("冲锋舟");
    const forest = (await gql(`{ supplyItems(first: 100, where: { hazard: FOREST_FIRE }) { nodes { name hazards } } }`)).data.supplyItems.nodes;
    expect(forest.map((i: any) => i.name)).toEqual(expect.arrayContaining(["风力灭火机", "油锯"]));
    expect(forest.every((i: any) => i.hazards.includes("FOREST_FIRE"))).toBe(true);
  });

  it("holds far more at the depot than in a village room, with some levels below minimum and some batches expiring", async () => {
    const [quilt] = await t.app.dataSource.query(`SELECT id FROM supply_item WHERE name = '棉被'`);
    const levels = (
      await gql(`query ($item: ID) { stockLevels(first: 100, where: { itemId: $item }) { totalCount nodes { onHand site { tier } } } }`, { item: toGlobalId("SupplyItem", quilt.id) })
    ).data.stockLevels.nodes.concat(
      (await gql(`query ($item: ID) { stockLevels(first: 100, where: { itemId: $item, tier: VILLAGE_ROOM }) { nodes { onHand site { tier } } } }`, { item: toGlobalId("SupplyItem", quilt.id) })).data.stockLevels.nodes,
    );
    const most = (tier: string) => Math.max(...levels.filter((l: any) => l.site.tier === tier).map((l: any) => l.onHand));
    expect(most("DISTRICT_DEPOT")).toBeGreaterThan(10 * most("TOWNSHIP_POINT"));
    expect(most("TOWNSHIP_POINT")).toBeGreaterThan(most("VILLAGE_ROOM"));
    expect(most("VILLAGE_ROOM")).toBeGreaterThan(0);

    const below = (await gql(`{ stockLevels(first: 100, where: { belowMinimum: true }) { totalCount nodes { onHand reserved available minimum belowMinimum shortfall } } }`)).data.stockLevels;
    expect(below.totalCount).toBeGreaterThan(0);
    for (const level of below.nodes) {
      expect(level.available).toBeLessThan(level.minimum);
      expect(level).toMatchObject({ belowMinimum: true, shortfall: level.minimum - level.available });
    }
    const expiring = (await gql(`{ stockLevels(first: 100, where: { expiringWithinDays: 90 }) { totalCount nodes { earliestExpiry batches { expiryDate daysToExpiry } } } }`)).data.stockLevels;
    expect(expiring.totalCount).toBeGreaterThan(0);
    for (const level of expiring.nodes) expect(level.batches.some((b: any) => b.daysToExpiry !== null && b.daysToExpiry <= 90)).toBe(true);
  });
});

describe("reads for dashboards", () => {
  it("pages through stock levels with keyset cursors, each exactly once", async () => {
    const [{ count }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM stock_level l JOIN storage_site s ON s.id = l.site_id JOIN region r ON r.id = s.region_id WHERE r.path LIKE '%/' || $1 || '/%'`, [
      (await t.app.dataSource.query(`SELECT id FROM region WHERE code = 'KZ-T01'`))[0].id,
    ]);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await gql(`query ($after: String, $r: ID) { stockLevels(first: 37, after: $after, where: { regionId: $r }) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, { after, r: region["KZ-T01"] })).data
        .stockLevels;
      expect(page.totalCount).toBe(count);
      seen.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
  });

  it("refuses a cursor that is not from the connection, naming the argument", async () => {
    const tampered = Buffer.from(JSON.stringify(["x", "y"]), "utf8").toString("base64url");
    for (const query of [`query ($after: String) { stockLevels(first: 5, after: $after) { nodes { id } } }`, `query ($after: String) { stockAlerts(first: 5, after: $after) { nodes { kind } } }`]) {
      const result = await t.graphql(query, { after: tampered }, { token: logistics });
      expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0].message).toMatch(/^after/);
    }
  });

  it("runs a constant number of SQL statements for storageSites { stock { item } }, however many sites", async () => {
    const nested = `query ($first: Int, $where: StorageSiteWhere) {
      storageSites(first: $first, where: $where) {
        nodes { code region { name } itemsBelowMinimum stock(first: 100) { totalCount nodes { onHand available minimum item { name unit } batches { batchNumber } } } }
      }
    }`;
    const few = await gql(nested, { first: 3, where: { regionId: region["KZ-S01"] } });
    const many = await gql(nested, { first: 100 });
    const points = await gql(nested, { first: 40, where: { tier: "TOWNSHIP_POINT" } });
    expect(many.data.storageSites.nodes).toHaveLength(100);
    expect(points.data.storageSites.nodes.every((s: any) => s.stock.nodes.length > 0 && s.stock.nodes.every((l: any) => l.item.name))).toBe(true);
    expect(Number.isFinite(few.sqlStatements)).toBe(true);
    expect(many.sqlStatements).toBe(few.sqlStatements);
    expect(points.sqlStatements).toBe(few.sqlStatements);
    expect(few.sqlStatements).toBeLessThanOrEqual(8);
    // The batched first page agrees with paging one site on its own.
    const site = points.data.storageSites.nodes[0];
    const alone = (await gql(`query ($code: String) { storageSites(first: 1, where: { nameContains: $code }) { nodes { code } } }`, { code: "汉丰街道应急" })).data;
    expect(alone.storageSites.nodes[0].code).toBe(site.code);
    const paged = (await gql(`query ($s: ID) { stockLevels(first: 100, where: { siteId: $s }) { totalCount nodes { onHand } } }`, {
      s: toGlobalId("StorageSite", (await t.app.dataSource.query(`SELECT id FROM storage_site WHERE code = $1`, [site.code]))[0].id),
    })).data.stockLevels;
    expect(paged.totalCount).toBe(site.stock.totalCount);
    expect(paged.nodes.map((l: any) => l.onHand)).toEqual(site.stock.nodes.map((l: any) => l.onHand));
  });

  it("continues a site's stock after the batched first page, and filters it by item", async () => {
    const result = (await gql(`{ storageSites(first: 1, where: { tier: DISTRICT_DEPOT }) { nodes { stock(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { item { code } } } } } }`)).data;
    const stock = result.storageSites.nodes[0].stock;
    expect(stock.pageInfo.hasNextPage).toBe(true);
    const next = (await gql(`query ($after: String) { storageSites(first: 1, where: { tier: DISTRICT_DEPOT }) { nodes { stock(first: 10, after: $after) { nodes { item { code } } } } } }`, { after: stock.pageInfo.endCursor })).data;
    const codes = [...stock.nodes, ...next.storageSites.nodes[0].stock.nodes].map((l: any) => l.item.code);
    expect(new Set(codes).size).toBe(20);
    const items = await t.app.dataSource.query(`SELECT id FROM supply_item WHERE name IN ('救灾帐篷', '冲锋舟')`);
    const filtered = (
      await gql(`query ($ids: [ID!]) { storageSites(first: 1, where: { tier: DISTRICT_DEPOT }) { nodes { stock(first: 10, where: { itemIds: $ids }) { totalCount nodes { item { name } } } } } }`, {
        ids: items.map((i: any) => toGlobalId("SupplyItem", i.id)),
      })
    ).data.storageSites.nodes[0].stock;
    expect(filtered.totalCount).toBe(2);
    expect(filtered.nodes.map((l: any) => l.item.name).sort()).toEqual(["冲锋舟", "救灾帐篷"].sort());
  });

  it("sums stock per item by tier and township in one aggregation that does not grow with the sites", async () => {
    const SUMMARY = `query ($where: StockSummaryWhere) { stockSummary(where: $where) {
      item { code name }
      total { onHand reserved available minimum sites sitesBelowMinimum }
      byTier { tier totals { onHand sites sitesBelowMinimum } }
      byTownship { township { code name } totals { onHand available minimum sites sitesBelowMinimum } }
    } }`;
    const district = await gql(SUMMARY);
    const township = await gql(SUMMARY, { where: { regionId: region["KZ-S01"] } });
    expect(district.sqlStatements).toBe(township.sqlStatements);
    expect(district.sqlStatements).toBeLessThanOrEqual(4);
    const summaries = district.data.stockSummary;
    expect(summaries.length).toBeGreaterThanOrEqual(40);
    const quilts = summaries.find((s: any) => s.item.name === "棉被");
    // Totals agree with the levels themselves.
    const [expected] = await t.app.dataSource.query(
      `SELECT sum(b.on_hand)::int AS on_hand, count(DISTINCT b.site_id)::int AS sites FROM stock_batch b JOIN supply_item i ON i.id = b.item_id WHERE i.name = '棉被' AND b.on_hand > 0`,
    );
    expect(quilts.total.onHand).toBe(expected.on_hand);
    expect(quilts.byTier.map((t: any) => t.tier)).toEqual(["DISTRICT_DEPOT", "TOWNSHIP_POINT", "VILLAGE_ROOM"]);
    expect(quilts.byTier.reduce((sum: number, tier: any) => sum + tier.totals.onHand, 0)).toBe(quilts.total.onHand);
    expect(quilts.byTownship).toHaveLength(40);
    const depotQuilts = quilts.byTier.find((tier: any) => tier.tier === "DISTRICT_DEPOT").totals.onHand;
    expect(quilts.byTownship.reduce((sum: number, row: any) => sum + row.totals.onHand, 0)).toBe(quilts.total.onHand - depotQuilts);
    const belowEverywhere = summaries.reduce((n: number, s: any) => n + s.total.sitesBelowMinimum, 0);
    const belowLevels = (await gql(`{ stockLevels(first: 0, where: { belowMinimum: true }) { totalCount } }`)).data.stockLevels.totalCount;
    expect(belowEverywhere).toBe(belowLevels);
    // A township's summary covers its point and rooms only.
    const hanfengQuilts = township.data.stockSummary.find((s: any) => s.item.name === "棉被");
    expect(hanfengQuilts.byTownship.map((row: any) => row.township.code)).toEqual(["KZ-S01"]);
    expect(hanfengQuilts.total.onHand).toBe(quilts.byTownship.find((row: any) => row.township.code === "KZ-S01").totals.onHand);
    // Only the items asked for.
    const tents = await t.app.dataSource.query(`SELECT id FROM supply_item WHERE name = '救灾帐篷'`);
    const only = (await gql(SUMMARY, { where: { itemIds: [toGlobalId("SupplyItem", tents[0].id)] } })).data.stockSummary;
    expect(only.map((s: any) => s.item.name)).toEqual(["救灾帐篷"]);
  });

  it("lists below-minimum, expiring and expired alerts in one statement each page", async () => {
    const ALERTS = `query ($where: StockAlertWhere, $after: String) { stockAlerts(first: 50, after: $after, where: $where) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { kind quantity minimum shortfall expiryDate daysToExpiry site { code } item { name } level { available minimum } batch { batchNumber onHand expired } }
    } }`;
    const all = await gql(ALERTS);
    expect(all.data.stockAlerts.totalCount).toBeGreaterThan(0);
    for (const kind of ["BELOW_MINIMUM", "EXPIRING", "EXPIRED"]) {
      const page = (await gql(ALERTS, { where: { kind } })).data.stockAlerts;
      expect(page.totalCount).toBeGreaterThan(0);
      for (const alert of page.nodes) {
        expect(alert.kind).toBe(kind);
        if (kind === "BELOW_MINIMUM") {
          expect(alert.batch).toBeNull();
          expect(alert.quantity).toBe(alert.level.available);
          expect(alert.shortfall).toBe(alert.minimum - alert.quantity);
        } else {
          expect(alert.batch.onHand).toBe(alert.quantity);
          expect(alert.batch.expired).toBe(kind === "EXPIRED");
          if (kind === "EXPIRING") expect(alert.daysToExpiry).toBeGreaterThanOrEqual(0);
          if (kind === "EXPIRING") expect(alert.daysToExpiry).toBeLessThanOrEqual(90);
          if (kind === "EXPIRED") expect(alert.daysToExpiry).toBeLessThan(0);
        }
      }
    }
    const kinds = await Promise.all(["BELOW_MINIMUM", "EXPIRING", "EXPIRED"].map(async (kind) => (await gql(ALERTS, { where: { kind } })).data.stockAlerts.totalCount));
    expect(all.data.stockAlerts.totalCount).toBe(kinds.reduce((a, b) => a + b, 0));
    const next = await gql(ALERTS, { after: all.data.stockAlerts.pageInfo.endCursor });
    expect(next.sqlStatements).toBe(all.sqlStatements);
    const township = (await gql(ALERTS, { where: { regionId: region["KZ-S01"] } })).data.stockAlerts;
    expect(township.nodes.every((a: any) => a.site.code.startsWith("KZ-S01-"))).toBe(true);
  });

  it("finds every object by node(id:)", async () => {
    const level = (await gql(`{ stockLevels(first: 1) { nodes { id site { id } item { id } batches { id } } } }`)).data.stockLevels.nodes[0];
    const movement = (await gql(`{ stockMovements(first: 1) { nodes { id kind batch { id } } } }`)).data.stockMovements.nodes[0];
    const partner = (await gql(`{ reservePartners(first: 1) { nodes { id agreedStock { id } capacities { id } } } }`)).data.reservePartners.nodes[0];
    const ids = [level.id, level.site.id, level.item.id, level.batches[0].id, movement.id, partner.id, partner.agreedStock[0].id, partner.capacities[0].id];
    for (const id of ids) {
      const found = (await gql(`query ($id: ID!) { node(id: $id) { id __typename } }`, { id })).data.node;
      expect(found?.id).toBe(id);
    }
  });

  it("lists partner enterprises with agreed stock and production capacity", async () => {
    const [water] = await t.app.dataSource.query(`SELECT id FROM supply_item WHERE name = '饮用水'`);
    const partners = (
      await gql(`query ($item: ID) { reservePartners(first: 20, where: { itemId: $item, status: ACTIVE }) { nodes { name status agreementEndsOn agreedStock { agreedQuantity item { name } } capacities { unitsPerDay leadTimeHours item { name } } } } }`, {
        item: toGlobalId("SupplyItem", water.id),
      })
    ).data.reservePartners.nodes;
    expect(partners.length).toBeGreaterThan(0);
    for (const partner of partners) {
      const waterLines = [...partner.agreedStock, ...partner.capacities].filter((line: any) => line.item.name === "饮用水");
      expect(waterLines.length).toBeGreaterThan(0);
    }
    expect(partners.some((p: any) => p.capacities.some((c: any) => c.item.name === "饮用水" && c.unitsPerDay > 0))).toBe(true);
  });
});

describe("personal data and the ledger check", () => {
  const CUSTODIAN = `{ storageSites(first: 1, where: { tier: DISTRICT_DEPOT }) { nodes { custodianName custodianPhone } } }`;
  it("shows custodians to staff, masks them for dashboards and team leaders", async () => {
    const staff = (await gql(CUSTODIAN)).data.storageSites.nodes[0];
    expect(staff.custodianPhone).toMatch(/^1\d{10}$/);
    expect([...staff.custodianName].length).toBeGreaterThanOrEqual(2);
    const masked = (await gql(CUSTODIAN, {}, dashboard)).data.storageSites.nodes[0];
    expect(masked.custodianPhone).toBe(`${staff.custodianPhone.slice(0, 3)}****${staff.custodianPhone.slice(-4)}`);
    expect(masked.custodianName).toBe(`${[...staff.custodianName][0]}${"*".repeat([...staff.custodianName].length - 1)}`);
    const admin = await t.tokenFor("admin");
    const created = await t.graphql(`mutation { createAccount(input: { username: "leader.reserves", displayName: "队长", password: "Reserves-Leader-2026!", role: TEAM_LEADER }) { errors { message } } }`, {}, { token: admin });
    expect(created.data.createAccount.errors).toEqual([]);
    const leader = (await t.graphql(`mutation { login(input: { username: "leader.reserves", password: "Reserves-Leader-2026!" }) { token } }`)).data.login.token;
    expect((await gql(CUSTODIAN, {}, leader)).data.storageSites.nodes[0]).toEqual(masked);
    const partner = (await gql(`{ reservePartners(first: 1) { nodes { contactName contactPhone } } }`, {}, dashboard)).data.reservePartners.nodes[0];
    expect(partner.contactPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it("lets only ADMIN and AUDITOR check the ledger, which balances", async () => {
    const CHECK = `{ ledgerDiscrepancies { onHand ledgerTotal difference batch { id } } }`;
    expect((await t.graphql(CHECK, {}, { token: await t.tokenFor("auditor") })).data.ledgerDiscrepancies).toEqual([]);
    expect((await t.graphql(CHECK, {}, { token: await t.tokenFor("admin") })).data.ledgerDiscrepancies).toEqual([]);
    expect((await t.graphql(CHECK, {}, { token: logistics })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await t.graphql(CHECK, {}, { token: dashboard })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});

describe("seeding", () => {
  it("changes nothing when run again", async () => {
    const counts = async () =>
      (
        await t.app.dataSource.query(`SELECT
          (SELECT count(*) FROM storage_site)::int AS sites, (SELECT count(*) FROM supply_item)::int AS items,
          (SELECT count(*) FROM stock_level)::int AS levels, (SELECT count(*) FROM stock_batch)::int AS batches,
          (SELECT sum(on_hand) FROM stock_batch)::int AS on_hand, (SELECT count(*) FROM stock_movement)::int AS movements,
          (SELECT count(*) FROM reserve_partner)::int AS partners, (SELECT count(*) FROM partner_stock_agreement)::int AS agreements,
          (SELECT count(*) FROM partner_capacity)::int AS capacities`)
      )[0];
    const before = await counts();
    await seedDatabase(t.app.dataSource, { production: false });
    expect(await counts()).toEqual(before);
  });
});
