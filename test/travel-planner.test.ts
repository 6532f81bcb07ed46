// The planner over HTTP on a map the test builds in its own district (测试区: townships 甲, 乙,
// 丙, 丁, a depot far east, roads and a water link), then on the seeded Kaizhou data: the rule
// table decides who may give (depot before the neighbours' points; another township's point
// only for an URGENT order of an open incident, and only above its minimum), travel time over
// the links decides the order, closures reroute, the boat runs when the road is cut, and a
// source cut off is passed over with the reason.
import type { DataSource } from "typeorm";
import { startTestApp, type TestApp } from "./support/app";
import { ADMIN, COMMANDER, gid, receive, seedIds, type SeedIds } from "./support/dispatch";
import { unitFor } from "./support/units";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
const TENT = () => ids.item["1010101"];

/** The hand-built district: regions, sites and route nodes by short name. */
const map = { region: {} as Record<string, number>, site: {} as Record<string, number>, node: {} as Record<string, number>, link: {} as Record<string, number> };
let incidentId: string;

async function insertRegion(dataSource: DataSource, code: string, name: string, level: string, parent: number | null, latitude: number, longitude: number): Promise<number> {
  const [row] = await dataSource.query(
    `INSERT INTO region (code, name, level, kind, parent_id, path, depth, latitude, longitude)
     VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8) RETURNING id`,
    [code, name, level, level === "DISTRICT" ? "DISTRICT" : level === "TOWNSHIP" ? "TOWN" : "VILLAGE", parent, level === "DISTRICT" ? 0 : level === "TOWNSHIP" ? 1 : 2, latitude, longitude],
  );
  const [parentRow] = parent === null ? [{ path: "/", district: row.id }] : await dataSource.query(`SELECT path, coalesce(district_id, id) AS district FROM region WHERE id = $1`, [parent]);
  await dataSource.query(`UPDATE region SET path = $2, district_id = $3 WHERE id = $1`, [row.id, `${parentRow.path}${row.id}/`, parentRow.district]);
  return row.id;
}

async function insertSite(dataSource: DataSource, code: string, tier: string, regionId: number, latitude: number, longitude: number): Promise<number> {
  const [row] = await dataSource.query(
    `INSERT INTO storage_site (code, name, tier, status, region_id, district_id, address, latitude, longitude, floor_area)
     SELECT $1, $1, $2, 'ACTIVE', r.id, coalesce(r.district_id, r.id), '测试地址', $4, $5, 100 FROM region r WHERE r.id = $3 RETURNING id`,
    [code, tier, regionId, latitude, longitude],
  );
  return row.id;
}

/** Tents at a site with a minimum. */
async function stock(siteId: number, quantity: number, minimum: number): Promise<void> {
  await receive(t.app.services, siteId, TENT(), `T-${siteId}`, quantity);
  await t.app.services.stockCommands.setMinimumStock(unitFor(ADMIN, "setMinimumStock"), { siteId: gid("StorageSite", siteId), itemId: gid("SupplyItem", TENT()), minimum });
}

async function link(name: string, a: string, b: string, mode: "ROAD" | "WATER", minutes: number, waterway: string | null = null): Promise<void> {
  const [from, to] = [map.node[a], map.node[b]].sort((x, y) => x - y);
  const [row] = await t.app.dataSource.query(
    `INSERT INTO travel_link (district_id, from_node_id, to_node_id, mode, minutes, basis, distance_km, waterway, updated_by)
     VALUES ($1, $2, $3, $4, $5, 'SURVEYED', 1, $6, 'test') RETURNING id`,
    [map.region.district, from, to, mode, minutes, waterway],
  );
  map.link[name] = row.id;
}

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  logistics = await t.tokenFor("logistics");
  const db = t.app.dataSource;
  // 甲 at the origin; its villages 甲一 (0.6 km from its centre) and 甲二 (2 km from 甲一) are
  // next door, 甲三 is 11 km away (beyond the 5 km village-room radius). 乙 is 10 km east,
  // 丙 29 km, the depot 38 km; 丁 lies north of 甲.
  const district = (map.region.district = await insertRegion(db, "TD", "测试区", "DISTRICT", null, 30, 110.2));
  map.region.甲 = await insertRegion(db, "TD-A", "甲镇", "TOWNSHIP", district, 30, 110);
  map.region.甲一 = await insertRegion(db, "TD-A-1", "甲一村", "VILLAGE", map.region.甲, 30.005, 110);
  map.region.甲二 = await insertRegion(db, "TD-A-2", "甲二村", "VILLAGE", map.region.甲, 30.023, 110);
  map.region.甲三 = await insertRegion(db, "TD-A-3", "甲三村", "VILLAGE", map.region.甲, 30.105, 110);
  map.region.乙 = await insertRegion(db, "TD-B", "乙镇", "TOWNSHIP", district, 30, 110.1);
  map.region.乙一 = await insertRegion(db, "TD-B-1", "乙一村", "VILLAGE", map.region.乙, 30.005, 110.03);
  map.region.丙 = await insertRegion(db, "TD-C", "丙镇", "TOWNSHIP", district, 30, 110.3);
  map.region.丁 = await insertRegion(db, "TD-D", "丁镇", "TOWNSHIP", district, 30.1, 110.1);

  map.site.depot = await insertSite(db, "TD-DEPOT", "DISTRICT_DEPOT", district, 30, 110.4);
  map.site.甲 = await insertSite(db, "TD-A-P", "TOWNSHIP_POINT", map.region.甲, 30, 110);
  map.site.甲一 = await insertSite(db, "TD-A-1-R", "VILLAGE_ROOM", map.region.甲一, 30.005, 110);
  map.site.甲二 = await insertSite(db, "TD-A-2-R", "VILLAGE_ROOM", map.region.甲二, 30.023, 110);
  map.site.甲三 = await insertSite(db, "TD-A-3-R", "VILLAGE_ROOM", map.region.甲三, 30.105, 110);
  map.site.乙 = await insertSite(db, "TD-B-P", "TOWNSHIP_POINT", map.region.乙, 30, 110.1);
  map.site.乙一 = await insertSite(db, "TD-B-1-R", "VILLAGE_ROOM", map.region.乙一, 30.005, 110.03);
  map.site.丙 = await insertSite(db, "TD-C-P", "TOWNSHIP_POINT", map.region.丙, 30, 110.3);

  await stock(map.site.depot, 300, 100); // 200 above its minimum
  await stock(map.site.甲, 30, 10);
  await stock(map.site.甲一, 8, 2);
  await stock(map.site.甲二, 6, 2);
  await stock(map.site.甲三, 50, 0);
  await stock(map.site.乙, 80, 30);
  await stock(map.site.乙一, 40, 0); // another township's room, 3 km from 甲一: never a source
  await stock(map.site.丙, 60, 20);

  for (const [name, column, id] of [["甲", "region_id", map.region.甲], ["乙", "region_id", map.region.乙], ["丙", "region_id", map.region.丙], ["丁", "region_id", map.region.丁], ["depot", "site_id", map.site.depot]] as const) {
    const [row] = await db.query(`INSERT INTO route_node (district_id, ${column}) VALUES ($1, $2) RETURNING id`, [district, id]);
    map.node[name] = row.id;
  }
  // The usual way from the depot: depot → 丙 → 乙 → 甲, 15 + 25 + 15 minutes. Round the north:
  // 丙 → 丁 → 甲, 40 + 30. Across the lake by boat: 丙 ⇢ 甲, 120.
  await link("甲乙", "甲", "乙", "ROAD", 15);
  await link("乙丙", "乙", "丙", "ROAD", 25);
  await link("丙库", "丙", "depot", "ROAD", 15);
  await link("丙丁", "丙", "丁", "ROAD", 40);
  await link("丁甲", "丁", "甲", "ROAD", 30);
  await link("丙甲水", "丙", "甲", "WATER", 120, "测试湖");

  const opened = await t.app.services.incidents.open(unitFor(COMMANDER, "openIncident"), { title: "测试汛情", hazard: "FLOOD_DROUGHT" as never, level: "IV" as never, regionIds: [gid("Region", map.region.甲)] });
  incidentId = gid("Incident", opened.incident.id);
});
afterAll(() => t.stop());

const PLAN = `query ($input: PlanAllocationInput!) { planAllocation(input: $input) { complete strategy purpose
  lines { requested allocated shortfall
    sources { kind tier relation quantity usable travelMinutes byWater distanceKm reason site { code } partner { code } }
    passedOver { relation usable reason site { code } } } } }`;

async function plan(input: Record<string, unknown>, token = logistics) {
  const result = await t.graphql(PLAN, { input: { lines: [{ itemId: gid("SupplyItem", TENT()), quantity: 1 }], ...input } }, { token });
  expect(result.errors).toBeUndefined();
  return result.data.planAllocation;
}

const toVillage = (name: string) => ({ regionId: gid("Region", map.region[name]) });
const tents = (quantity: number) => [{ itemId: gid("SupplyItem", TENT()), quantity }];
/** [site code, quantity] per source. */
const picks = (line: any) => line.sources.map((s: any) => [s.site?.code ?? s.partner?.code, s.quantity]);

async function closeRoad(target: { nodeId?: string; linkId?: string }, reason: string): Promise<string> {
  const result = await t.graphql(
    `mutation ($input: ReportRoadClosureInput!) { reportRoadClosure(input: $input) { closure { id active } errors { field code message } } }`,
    { input: { ...target, reason } },
    { token: logistics },
  );
  expect(result.data.reportRoadClosure.errors).toEqual([]);
  return result.data.reportRoadClosure.closure.id;
}

async function reopen(closureId: string): Promise<void> {
  const result = await t.graphql(`mutation ($input: ReopenRoadInput!) { reopenRoad(input: $input) { closure { active } errors { code } } }`, { input: { closureId } }, { token: logistics });
  expect(result.data.reopenRoad).toEqual({ closure: { active: false }, errors: [] });
}

describe("who gives to whom (调拨规则) on a hand-built map", () => {
  it("serves pre-positioning from the depot, never from a neighbour's point, however near it is", async () => {
    const routine = await plan({ destination: { siteId: gid("StorageSite", map.site.甲) }, lines: tents(150) });
    expect(routine.purpose).toBe("ROUTINE");
    const [line] = routine.lines;
    expect(picks(line)).toEqual([["TD-DEPOT", 150]]);
    expect(line.sources[0]).toMatchObject({ relation: "DISTRICT_DEPOT", tier: "DISTRICT_DEPOT", travelMinutes: 55, byWater: false, usable: 200 });
    expect(line.sources[0].reason).toMatch(/^尚需 150\/150 → 区级库优先：日常调拨（汛前预置、补库、乡镇申领）由区级库调拨；TD-DEPOT；经公路：TD-DEPOT → 丙镇 → 乙镇 → 甲镇，共 55 分钟；/);
    expect(line.sources[0].reason).toMatch(/可调 200（可用 300，保留最低库存 100）.* — still needed 150 of 150 → district depot first/);

    // More than the depot can spare: the rest is a shortfall, and 乙's point (15 minutes away, 50 above its minimum) stays untouched.
    const [short] = (await plan({ destination: { siteId: gid("StorageSite", map.site.甲) }, lines: tents(260) })).lines;
    expect(picks(short)).toEqual([["TD-DEPOT", 200]]);
    expect(short).toMatchObject({ allocated: 200, shortfall: 60 });
  });

  it("in an incident, takes the village's own room, its township's point and next-door rooms first, quickest first, then the depot", async () => {
    const incident = await plan({ destination: toVillage("甲一"), lines: tents(40), incidentId });
    expect(incident.purpose).toBe("INCIDENT");
    const [line] = incident.lines;
    expect(picks(line)).toEqual([
      ["TD-A-1-R", 6], // its own room: 8, keeping 2
      ["TD-A-P", 20], // its township's point: 30, keeping 10
      ["TD-A-2-R", 4], // next door (2 km): 6, keeping 2
      ["TD-DEPOT", 10],
    ]);
    expect(line.sources.map((s: any) => s.relation)).toEqual(["OWN_VILLAGE_ROOM", "OWN_TOWNSHIP_POINT", "NEXT_DOOR_VILLAGE_ROOM", "DISTRICT_DEPOT"]);
    expect(line.sources[2].reason).toMatch(/邻村互助.*相距 2 km（邻村范围 5 km）/);
    // 甲三's room lies 11 km away, 乙一's room in another township: neither is proposed; nor is 乙's point (not URGENT).
    expect(line.sources.some((s: any) => ["TD-A-3-R", "TD-B-1-R", "TD-B-P", "TD-C-P"].includes(s.site.code))).toBe(false);

    // Without the incident the same destination is a routine order: depot first, the township's own stock after it.
    const [routine] = (await plan({ destination: toVillage("甲一"), lines: tents(40) })).lines;
    expect(picks(routine)).toEqual([["TD-DEPOT", 40]]);
  });

  it("lets an URGENT order of an open incident take a neighbour's point above its minimum only — waiving minimums only at the township's own sites and the depot", async () => {
    const urgent = await plan({ destination: toVillage("甲一"), lines: tents(120), incidentId, priority: "URGENT" });
    expect(urgent.purpose).toBe("URGENT_INCIDENT");
    const [line] = urgent.lines;
    // Round 1 as before; round 2 by travel time: 乙 (15 min to 甲, 1 on to the village), 丙 (41), the depot (56).
    expect(picks(line)).toEqual([
      ["TD-A-1-R", 6],
      ["TD-A-P", 20],
      ["TD-A-2-R", 4],
      ["TD-B-P", 50], // 80, keeping its 30
      ["TD-C-P", 40], // 60, keeping its 20
    ]);
    expect(line.sources[3]).toMatchObject({ relation: "OTHER_TOWNSHIP_POINT", travelMinutes: 16, usable: 50 });
    expect(line.sources[3].reason).toMatch(/跨乡镇调用：紧急事件调拨动用其他乡镇储备点最低库存以上部分.*保留最低库存 30/);

    const below = await plan({ destination: toVillage("甲一"), lines: tents(600), incidentId, priority: "URGENT", allowBelowMinimum: true });
    const taken = Object.fromEntries(picks(below.lines[0]));
    expect(taken).toEqual({ "TD-A-1-R": 8, "TD-A-P": 30, "TD-A-2-R": 4, "TD-B-P": 50, "TD-C-P": 40, "TD-DEPOT": 300 });
    expect(below.lines[0].sources[0].reason).toMatch(/本次紧急调拨不保留最低库存 2/);

    // createDispatchOrder's autoAllocate plans the same, from the order's own priority and incident.
    const created = await t.graphql(
      `mutation ($input: CreateDispatchOrderInput!) { createDispatchOrder(input: $input) { plan { purpose } order { lines { allocations { quantity site { code } } } } errors { code message } } }`,
      { input: { destination: toVillage("甲一"), lines: tents(120), incidentId, priority: "URGENT", autoAllocate: true } },
      { token: logistics },
    );
    expect(created.data.createDispatchOrder.errors).toEqual([]);
    expect(created.data.createDispatchOrder.plan.purpose).toBe("URGENT_INCIDENT");
    expect(created.data.createDispatchOrder.order.lines[0].allocations.map((a: any) => [a.site.code, a.quantity])).toEqual(picks(line));

    // An URGENT order without an incident is routine: no neighbour's point.
    const [noIncident] = (await plan({ destination: toVillage("甲一"), lines: tents(120), priority: "URGENT" })).lines;
    expect(noIncident.sources.some((s: any) => s.relation === "OTHER_TOWNSHIP_POINT")).toBe(false);
  });

  it("refuses an incident that is unknown, closed or of another district", async () => {
    const refusal = async (incident: string) => (await t.graphql(PLAN, { input: { destination: toVillage("甲一"), lines: tents(1), incidentId: incident } }, { token: logistics })).errors?.[0];
    expect(await refusal(gid("Incident", 999999))).toMatchObject({ message: expect.stringContaining("NOT_FOUND"), extensions: { code: "BAD_USER_INPUT", field: "input.incidentId" } });
    const closed = await t.app.services.incidents.open(unitFor(COMMANDER, "openIncident"), { title: "已结束", hazard: "FLOOD_DROUGHT" as never, level: "IV" as never, regionIds: [gid("Region", map.region.甲)] });
    await t.app.services.incidents.close(unitFor(COMMANDER, "closeIncident"), { incidentId: gid("Incident", closed.incident.id) });
    expect(await refusal(gid("Incident", closed.incident.id))).toMatchObject({ message: expect.stringContaining("INVALID_STATE") });
    const kaizhou = await t.app.services.incidents.open(unitFor(COMMANDER, "openIncident"), { title: "开州汛情", hazard: "FLOOD_DROUGHT" as never, level: "IV" as never, regionIds: [gid("Region", ids.region["KZ-S01"])] });
    expect(await refusal(gid("Incident", kaizhou.incident.id))).toMatchObject({ message: expect.stringContaining("MIXED_DISTRICTS") });
  });
});

describe("travel time, closures and water (通行时间、道路中断、水路)", () => {
  it("reroutes round a closed road, and says which closure it goes round", async () => {
    const closure = await closeRoad({ linkId: gid("TravelLink", map.link["乙丙"]) }, "桥梁垮塌");
    const [line] = (await plan({ destination: { siteId: gid("StorageSite", map.site.甲) }, lines: tents(10) })).lines;
    // depot → 丙 → 丁 → 甲: 15 + 40 + 30; the boat (15 + 120) is slower.
    expect(line.sources[0]).toMatchObject({ travelMinutes: 85, byWater: false });
    expect(line.sources[0].reason).toMatch(/乙镇—丙镇公路中断（桥梁垮塌），经公路：TD-DEPOT → 丙镇 → 丁镇 → 甲镇，共 85 分钟/);
    expect(line.sources[0].reason).toMatch(/road cut \(乙镇—丙镇公路中断（桥梁垮塌）\); by road/);
    await reopen(closure);
    expect((await plan({ destination: { siteId: gid("StorageSite", map.site.甲) }, lines: tents(10) })).lines[0].sources[0].travelMinutes).toBe(55);
  });

  it("takes the boat when the destination is cut off by road", async () => {
    const closure = await closeRoad({ nodeId: gid("RouteNode", map.node.甲) }, "山体滑坡");
    const [line] = (await plan({ destination: { siteId: gid("StorageSite", map.site.甲) }, lines: tents(10) })).lines;
    expect(line.sources[0]).toMatchObject({ site: { code: "TD-DEPOT" }, travelMinutes: 135, byWater: true });
    expect(line.sources[0].reason).toMatch(/甲镇道路中断（山体滑坡），经水路（测试湖）：TD-DEPOT → 丙镇 →〔水路·测试湖〕→ 甲镇，共 135 分钟/);
    expect(line.sources[0].reason).toMatch(/by water \(测试湖\)/);

    // Inside the township nothing is cut: in an incident its own stock still goes first, on local roads.
    const [local] = (await plan({ destination: toVillage("甲一"), lines: tents(5), incidentId })).lines;
    expect(local.sources[0]).toMatchObject({ site: { code: "TD-A-1-R" }, byWater: false });
    expect(local.sources[0].reason).toMatch(/同乡镇（街道）内/);
    await reopen(closure);
  });

  it("passes over a source cut off with no water link, with the reason", async () => {
    // The depot's one road runs through 丙: with 丙 cut off by road, the depot cannot send at all.
    const closure = await closeRoad({ nodeId: gid("RouteNode", map.node.丙) }, "洪水淹没道路");
    const [line] = (await plan({ destination: { siteId: gid("StorageSite", map.site.甲) }, lines: tents(10) })).lines;
    expect(line.sources).toEqual([]);
    expect(line.shortfall).toBe(10);
    expect(line.passedOver).toEqual([
      { relation: "DISTRICT_DEPOT", usable: 200, site: { code: "TD-DEPOT" }, reason: expect.stringMatching(/^TD-DEPOT无法到达：丙镇道路中断（洪水淹没道路），也无水路可通；可调 200.* — TD-DEPOT cannot reach the destination: road cut/) },
    ]);

    // 丙's own point still reaches 甲 by boat in an urgent incident (its road links are cut, not the lake).
    const urgent = await plan({ destination: toVillage("甲一"), lines: tents(120), incidentId, priority: "URGENT" });
    const fromC = urgent.lines[0].sources.find((s: any) => s.site.code === "TD-C-P");
    expect(fromC).toMatchObject({ byWater: true, quantity: 40, travelMinutes: 121 });
    await reopen(closure);
  });
});

describe("the reported case on the seeded district", () => {
  it("sends 100 tents for 汉丰街道储备点 from the district depot, not from five other townships' points", async () => {
    const result = await plan({ destination: { siteId: gid("StorageSite", ids.site["KZ-S01-P"]) }, lines: tents(100) });
    expect(result).toMatchObject({ strategy: "travel-time", purpose: "ROUTINE", complete: true });
    const [line] = result.lines;
    expect(line.sources.every((s: any) => s.site?.code === "KZ-DEPOT-01" && s.relation === "DISTRICT_DEPOT")).toBe(true);
    expect(line.sources.reduce((sum: number, s: any) => sum + s.quantity, 0)).toBe(100);
    expect(line.sources[0].reason).toMatch(/^尚需 100\/100 → 区级库优先：日常调拨（汛前预置、补库、乡镇申领）由区级库调拨；开州区应急物资储备库；经公路：开州区应急物资储备库 → .*汉丰街道，共 \d+ 分钟/);
  });

  it("never takes another township's stock for a routine order, whatever the quantity", async () => {
    const [line] = (await plan({ destination: { regionId: gid("Region", ids.region["KZ-T05"]) }, lines: tents(100000) })).lines;
    const townships = new Set(line.sources.filter((s: any) => s.kind === "SITE_STOCK" && s.tier !== "DISTRICT_DEPOT").map((s: any) => s.site.code.slice(0, 6)));
    expect([...townships].every((code) => code === "KZ-T05")).toBe(true);
    const rounds = line.sources.map((s: any) => ["DISTRICT_DEPOT", "PARTNER_STOCK", "OWN_TOWNSHIP_POINT", "PARTNER_CAPACITY"].indexOf(s.relation));
    expect(rounds.every((r: number) => r >= 0)).toBe(true);
    expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
  });
});
