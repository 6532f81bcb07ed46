// Shelters (避难场所, issue 19): the seeded registry and its stores, occupancy (over capacity is
// flagged, not refused), the ration table and needs per group, a request raised from needs, the
// distribution register out of the shelter's stock (own ledger kinds, reversal by a new entry,
// repeat-household warning, never below zero under concurrency), masking for dashboards on
// every path, the exports, and shelterChanged.
import ExcelJS from "exceljs";
import { addDays, localToday } from "../src/core/db/local-date";
import { startTestApp, type TestApp } from "./support/app";
import { clientFor, settle, subscribe } from "./support/subscriptions";

let t: TestApp;
let commander: string;
let logistics: string;
let scoped: string; // LOGISTICS scoped to 汉丰街道 (KZ-S01)
let auditor: string;
let dashboard: string;
let incidentId: string;
const region: Record<string, { id: string; latitude: number; longitude: number }> = {};
const ERRORS = "errors { field code message }";

const gql = async (query: string, variables: Record<string, unknown> = {}, token = logistics) => {
  const result = await t.graphql(query, variables, { token });
  expect(result.errors).toBeUndefined();
  return result.data;
};
const item = async (name: string) => (await gql(`query ($n: String) { supplyItems(first: 1, where: { nameContains: $n }) { nodes { id code } } }`, { n: name })).supplyItems.nodes[0];

const CREATE = `mutation ($input: CreateShelterInput!) { createShelter(input: $input) {
  shelter { id code status capacity outdoor managerName site { id code tier region { code } } township { code } region { code } } ${ERRORS} } }`;

async function createShelter(overrides: Record<string, unknown> = {}, token = logistics) {
  const village = region["KZ-S01-C01"];
  const input = {
    code: `KZ-S01-T${Math.floor(Math.random() * 1e6)}`,
    name: "汉丰测试避难场所",
    regionId: village.id,
    kind: "SCHOOL",
    hazards: ["FLOOD_DROUGHT"],
    capacity: 100,
    indoorArea: 300,
    address: "汉丰街道测试路 1 号",
    latitude: village.latitude,
    longitude: village.longitude,
    managerName: "王建国",
    managerPhone: "13812345678",
    ...overrides,
  };
  return (await t.graphql(CREATE, { input }, { token })).data.createShelter;
}

const OPEN = `mutation ($input: OpenShelterInput!) { openShelter(input: $input) { shelter { id status incident { id } openedAt } ${ERRORS} } }`;
const REPORT = `mutation ($input: ReportShelterOccupancyInput!) { reportShelterOccupancy(input: $input) {
  shelter { status occupancy overCapacity } report { peoplePresent infants overCapacity capacity } ${ERRORS} } }`;
const RECEIVE = `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { batch { id onHand } ${ERRORS} } }`;
const DISTRIBUTE = `mutation ($input: RecordDistributionInput!) { recordDistribution(input: $input) {
  distribution { id number people recipientKind headName idNumber phone repeatConfirmed isReversal incident { id } site { code }
    lines { quantity item { code } batch { id onHand } movement { kind quantity } } } ${ERRORS} } }`;
const REVERSE = `mutation ($input: ReverseDistributionInput!) { reverseDistribution(input: $input) {
  distribution { id isReversal reverses { id reversedBy { id } } lines { quantity movement { kind quantity } } } ${ERRORS} } }`;

async function openShelterWithPeople(shelterId: string, people: Record<string, number>) {
  expect((await t.graphql(OPEN, { input: { shelterId, incidentId } }, { token: commander })).data.openShelter.errors).toEqual([]);
  const reported = await t.graphql(REPORT, { input: { shelterId, ...people } }, { token: logistics });
  expect(reported.data.reportShelterOccupancy.errors).toEqual([]);
  return reported.data.reportShelterOccupancy;
}

async function stockAt(siteId: string, name: string, quantity: number, batchNumber: string) {
  const target = await item(name);
  const received = await t.graphql(RECEIVE, { input: { siteId, itemId: target.id, batchNumber, quantity, source: "DONATION", expiryDate: addDays(localToday(), 200) } }, { token: logistics });
  expect(received.data.receiveStock.errors).toEqual([]);
  return { itemId: target.id as string, batchId: received.data.receiveStock.batch.id as string };
}

beforeAll(async () => {
  t = await startTestApp();
  [commander, logistics, scoped, auditor] = await Promise.all(["commander", "logistics", "logistics.kz-s01", "auditor"].map((u) => t.tokenFor(u)));
  dashboard = await t.apiKeyFor("DASHBOARD");
  const townships = await gql(`{ regions(first: 100, where: { level: TOWNSHIP }) { nodes { id code latitude longitude } } }`);
  for (const r of townships.regions.nodes) region[r.code] = r;
  for (const parent of ["KZ-S01", "KZ-S02"]) {
    const villages = await gql(`query ($p: ID) { regions(first: 3, where: { parentId: $p }) { nodes { id code latitude longitude } } }`, { p: region[parent].id });
    for (const r of villages.regions.nodes) region[r.code] = r;
  }
  const opened = await t.graphql(
    `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code } } }`,
    { input: { title: "汉丰湖汛情", hazard: "FLOOD_DROUGHT", level: "III", regionIds: [region["KZ-S01"].id, region["KZ-S02"].id] } },
    { token: commander },
  );
  incidentId = opened.data.openIncident.incident.id;
});
afterAll(() => t.stop());

describe("the seeded registry", () => {
  it("has 200 generated shelters, five per township, each with a store of its own", async () => {
    const [row] = await t.app.dataSource.query(
      `SELECT count(*)::int AS shelters, count(DISTINCT township_id)::int AS townships, bool_and(generated) AS generated, sum(capacity)::int AS capacity,
              count(*) FILTER (WHERE s.tier = 'SHELTER' AND s.region_id = shelter.region_id)::int AS own_stores, max(per.n)::int AS most, min(per.n)::int AS fewest
       FROM shelter JOIN storage_site s ON s.id = shelter.site_id
       JOIN (SELECT township_id AS tid, count(*) AS n FROM shelter GROUP BY township_id) per ON per.tid = shelter.township_id`,
    );
    expect(row).toEqual({ shelters: 200, townships: 40, generated: true, capacity: 217_770, own_stores: 200, most: 5, fewest: 5 });
    const one = await gql(`{ shelter(code: "KZ-S01-SH01") { code name kind status generated township { code } site { tier code shelter { code } } } }`);
    expect(one.shelter).toMatchObject({ code: "KZ-S01-SH01", status: "STANDBY", generated: true, township: { code: "KZ-S01" }, site: { tier: "SHELTER", code: "KZ-S01-SH01-K", shelter: { code: "KZ-S01-SH01" } } });
    const hanfeng = await gql(`query ($r: ID) { shelters(first: 10, where: { regionId: $r }) { totalCount nodes { code } } }`, { r: region["KZ-S01"].id });
    expect(hanfeng.shelters.totalCount).toBe(5);
  });

  it("lists shelters with nested fields in a constant number of statements", async () => {
    const query = `query ($n: Int) { shelters(first: $n) { nodes { code township { code } region { code } site { code } latestReport { peoplePresent } openings { openedAt } incident { code } } } }`;
    const few = await t.graphql(query, { n: 3 }, { token: logistics });
    const many = await t.graphql(query, { n: 60 }, { token: logistics });
    expect(few.errors).toBeUndefined();
    expect(many.data.shelters.nodes).toHaveLength(60);
    expect(Number.isFinite(few.sqlStatements)).toBe(true);
    expect(many.sqlStatements).toBe(few.sqlStatements);
  });
});

describe("the registry", () => {
  it("registers a shelter with a SHELTER store, within the township scope only", async () => {
    const made = await createShelter({}, scoped);
    expect(made.errors).toEqual([]);
    expect(made.shelter).toMatchObject({ status: "STANDBY", outdoor: false, site: { tier: "SHELTER", region: { code: "KZ-S01-C01" } }, township: { code: "KZ-S01" } });
    const elsewhere = await t.graphql(CREATE, { input: { code: "KZ-S02-TX1", name: "文峰测试", regionId: region["KZ-S02-C01"].id, kind: "SCHOOL", hazards: ["FLOOD_DROUGHT"], capacity: 10, indoorArea: 10, address: "x", latitude: region["KZ-S02-C01"].latitude, longitude: region["KZ-S02-C01"].longitude } }, { token: scoped });
    expect(elsewhere.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const square = await createShelter({ kind: "SQUARE", indoorArea: 0 });
    expect(square.shelter.outdoor).toBe(true); // squares and parks shelter people in tents
    const site = await t.graphql(
      `mutation ($input: CreateStorageSiteInput!) { createStorageSite(input: $input) { ${ERRORS} } }`,
      { input: { code: "KZ-X-K", name: "x", tier: "SHELTER", regionId: region["KZ-S01-C01"].id, address: "x", latitude: 31.16, longitude: 108.37, floorArea: 10 } },
      { token: await t.tokenFor("admin") },
    );
    expect(site.data.createStorageSite.errors[0]).toMatchObject({ field: "input.tier", code: "INVALID_VALUE" });
  });
});

describe("occupancy", () => {
  it("flags over capacity (FULL, overCapacity) instead of refusing, keeps the history, totals per township and on the incident", async () => {
    const { shelter } = await createShelter({ capacity: 50 });
    const first = await openShelterWithPeople(shelter.id, { peoplePresent: 30, infants: 2, elderly: 5, arrivals: 30 });
    expect(first.shelter).toEqual({ status: "OPEN", occupancy: 30, overCapacity: false });
    const full = await t.graphql(REPORT, { input: { shelterId: shelter.id, peoplePresent: 50 } }, { token: logistics });
    expect(full.data.reportShelterOccupancy.shelter).toEqual({ status: "FULL", occupancy: 50, overCapacity: false });
    const over = await t.graphql(REPORT, { input: { shelterId: shelter.id, peoplePresent: 64, infants: 4, arrivals: 14 } }, { token: logistics });
    expect(over.data.reportShelterOccupancy).toMatchObject({ errors: [], shelter: { status: "FULL", occupancy: 64, overCapacity: true }, report: { peoplePresent: 64, overCapacity: true, capacity: 50 } });
    const bad = await t.graphql(REPORT, { input: { shelterId: shelter.id, peoplePresent: 3, infants: 2, children: 2 } }, { token: logistics });
    expect(bad.data.reportShelterOccupancy.errors[0]).toMatchObject({ field: "input.peoplePresent", code: "OUT_OF_RANGE" });

    const history = await gql(`query ($s: ID!) { occupancyReports(shelterId: $s, first: 10) { totalCount nodes { peoplePresent } } }`, { s: shelter.id });
    expect(history.occupancyReports.nodes.map((n: any) => n.peoplePresent)).toEqual([64, 50, 30]);
    const wall = await gql(
      `query ($i: ID) { shelterOccupancy(incidentId: $i) { townships { region { code } openShelters overCapacityShelters peoplePresent infants elderly } district { region { code } peoplePresent overCapacityShelters } }
        incident(id: $i) { evacuation { district { peoplePresent } } } }`,
      { i: incidentId },
      dashboard,
    );
    const hanfeng = wall.shelterOccupancy.townships.find((row: any) => row.region.code === "KZ-S01");
    expect(hanfeng).toMatchObject({ overCapacityShelters: expect.any(Number), infants: expect.any(Number) });
    expect(hanfeng.peoplePresent).toBeGreaterThanOrEqual(64);
    expect(wall.shelterOccupancy.district.region.code).toBe("KZ");
    expect(wall.shelterOccupancy.district.peoplePresent).toBe(wall.shelterOccupancy.townships.reduce((sum: number, row: any) => sum + row.peoplePresent, 0));
    expect(wall.incident.evacuation.district.peoplePresent).toBe(wall.shelterOccupancy.district.peoplePresent);
    const overCapacity = await gql(`{ shelters(first: 100, where: { overCapacity: true }) { nodes { id } } }`);
    expect(overCapacity.shelters.nodes.map((n: any) => n.id)).toContain(shelter.id);

    // 64 people present by the last report: closing is refused unless confirmed, and nothing changes.
    const CLOSE = `mutation ($input: CloseShelterInput!) { closeShelter(input: $input) { shelter { status occupancy openings { closedAt } } ${ERRORS} } }`;
    const evacuated = async () => (await gql(`query ($i: ID!) { incident(id: $i) { evacuation { district { peoplePresent } } } }`, { i: incidentId })).incident.evacuation.district.peoplePresent;
    const evacuatedBefore = await evacuated();
    const refused = await t.graphql(CLOSE, { input: { shelterId: shelter.id } }, { token: commander });
    expect(refused.data.closeShelter).toMatchObject({ shelter: null, errors: [{ field: "input.confirmOccupied", code: "PEOPLE_PRESENT", message: expect.stringContaining("64") }] });
    expect(await evacuated()).toBe(evacuatedBefore);
    expect((await gql(`query ($s: ID!) { node(id: $s) { ... on Shelter { status occupancy } } }`, { s: shelter.id })).node).toEqual({ status: "FULL", occupancy: 64 });
    // Confirmed: a closing report (0 present, 64 departures) says where the figure went.
    const closed = await t.graphql(CLOSE, { input: { shelterId: shelter.id, confirmOccupied: true } }, { token: commander });
    expect(closed.data.closeShelter.shelter).toMatchObject({ status: "STANDBY", occupancy: 0, openings: [{ closedAt: expect.any(String) }] });
    expect(await evacuated()).toBe(evacuatedBefore - 64);
    const closing = await gql(`query ($s: ID!) { occupancyReports(shelterId: $s, first: 1) { nodes { peoplePresent departures } } }`, { s: shelter.id });
    expect(closing.occupancyReports.nodes).toEqual([{ peoplePresent: 0, departures: 64 }]);
  });

  it("closes an emptied shelter without a confirmation", async () => {
    const { shelter } = await createShelter({ capacity: 50 });
    await openShelterWithPeople(shelter.id, { peoplePresent: 20 });
    await t.graphql(REPORT, { input: { shelterId: shelter.id, peoplePresent: 0, departures: 20 } }, { token: logistics });
    const closed = await t.graphql(`mutation ($s: ID!) { closeShelter(input: { shelterId: $s }) { shelter { status } ${ERRORS} } }`, { s: shelter.id }, { token: commander });
    expect(closed.data.closeShelter).toEqual({ shelter: { status: "STANDBY" }, errors: [] });
    const history = await gql(`query ($s: ID!) { occupancyReports(shelterId: $s, first: 10) { nodes { peoplePresent } } }`, { s: shelter.id });
    expect(history.occupancyReports.nodes.map((n: any) => n.peoplePresent)).toEqual([0, 20]); // no closing report added
  });
});

describe("needs from people", () => {
  const NEEDS = `query ($s: ID!, $d: Int!) { shelterNeeds(shelterId: $s, days: $d) { days people lines { item { code } rationCodes required held inTransit shortfall } } }`;
  const byCode = (lines: any[]) => Object.fromEntries(lines.map((line) => [line.item.code, line]));

  it("applies the ration table per group and day, minus what the store holds", async () => {
    const indoor = (await createShelter({ capacity: 200 })).shelter;
    await openShelterWithPeople(indoor.id, { peoplePresent: 100, infants: 10, elderly: 20 });
    await stockAt(indoor.site.id, "饮用水", 20, "SH-W-1");
    const needs = (await gql(NEEDS, { s: indoor.id, d: 3 })).shelterNeeds;
    expect(needs).toMatchObject({ days: 3, people: 100 });
    const lines = byCode(needs.lines);
    // 100 × 0.23 cases × 3 days = 69 cases of water, 20 held; 100 × 0.25 × 3 = 75 cases of noodles.
    expect(lines["1030101"]).toMatchObject({ rationCodes: ["DRINKING_WATER"], required: 69, held: 20, inTransit: 0, shortfall: 49 });
    expect(lines["1030201"]).toMatchObject({ required: 75, shortfall: 75 });
    expect(lines["1020101"].required).toBe(100); // a quilt each, once
    expect(lines["1030301"].required).toBe(6); // 10 infants × 0.17 × 3 = 5.1 → 6 cans of formula
    expect(lines["1040501"].required).toBe(4); // 10 × 0.12 × 3 = 3.6 → 4 packs of diapers
    expect(lines["2080101"].required).toBe(2); // a first-aid kit per 50 people
    expect(lines["1010101"]).toBeUndefined(); // tents only where people stay outdoors

    const outdoor = (await createShelter({ kind: "PARK", indoorArea: 0, capacity: 500 })).shelter;
    await openShelterWithPeople(outdoor.id, { peoplePresent: 10 });
    expect(byCode((await gql(NEEDS, { s: outdoor.id, d: 1 })).shelterNeeds.lines)["1010101"].required).toBe(3); // 10 × 0.25 = 2.5 → 3 tents

    // Staff change the figures; a township-scoped account may not.
    const water = await item("饮用水");
    const SET = `mutation ($input: SetRationLineInput!) { setRationLine(input: $input) { rationLine { code quantityPerPerson updatedBy } ${ERRORS} } }`;
    const input = { code: "DRINKING_WATER", itemId: water.id, populationGroup: "EVERYONE", basis: "PER_DAY", quantityPerPerson: 0.4, source: "区应急局决定：夏季高温加量" };
    const refused = await t.graphql(SET, { input }, { token: scoped });
    expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await t.graphql(SET, { input }, { token: logistics })).data.setRationLine.rationLine.quantityPerPerson).toBe(0.4);
    expect(byCode((await gql(NEEDS, { s: indoor.id, d: 3 })).shelterNeeds.lines)["1030101"].required).toBe(120);
    await t.graphql(SET, { input: { ...input, quantityPerPerson: 0.23, source: "Sphere 手册（2018）供水标准 2.1" } }, { token: logistics });
    const table = await gql(`{ rationTable { code populationGroup basis quantityPerPerson outdoorOnly source item { name } } }`, {}, dashboard);
    expect(table.rationTable.map((line: any) => line.code)).toEqual(["DIAPERS", "DRINKING_WATER", "HYGIENE_KIT", "INFANT_FORMULA", "MEDICINE", "QUILT", "READY_FOOD", "TENT"]);
  });

  it("raises a supply request from a shelter's needs in one mutation, delivered to its store", async () => {
    const shelter = (await createShelter({ capacity: 80 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 40 });
    const raised = await t.graphql(
      `mutation ($input: RequestShelterSuppliesInput!) { requestShelterSupplies(input: $input) {
        request { id code status purpose incident { id } peopleServed destinationSite { code } lines { id quantity item { code } } } ${ERRORS} } }`,
      { input: { shelterId: shelter.id, days: 2, requesterPhone: "13800001111" } },
      { token: scoped },
    );
    expect(raised.data.requestShelterSupplies.errors).toEqual([]);
    const request = raised.data.requestShelterSupplies.request;
    expect(request).toMatchObject({ status: "SUBMITTED", purpose: "INCIDENT", incident: { id: incidentId }, peopleServed: 40, destinationSite: { code: shelter.site.code } });
    const lines = Object.fromEntries(request.lines.map((line: any) => [line.item.code, line.quantity]));
    expect(lines).toMatchObject({ "1030101": 19, "1030201": 20, "1020101": 40, "1040201": 40, "2080101": 1 }); // 40 × 0.23 × 2 = 18.4 → 19
    const [{ n }] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE operation = 'requestShelterSupplies' AND outcome = 'SUCCEEDED'`);
    expect(n).toBe(1);

    // Asked again: the open request covers it all, so nothing is raised twice.
    const NEEDS2 = `query ($s: ID!) { shelterNeeds(shelterId: $s, days: 2) { lines { item { code } required held inTransit requested shortfall } } }`;
    const water = (await gql(NEEDS2, { s: shelter.id })).shelterNeeds.lines.find((line: any) => line.item.code === "1030101");
    expect(water).toEqual({ item: { code: "1030101" }, required: 19, held: 0, inTransit: 0, requested: 19, shortfall: 0 });
    const REQUEST = `mutation ($input: RequestShelterSuppliesInput!) { requestShelterSupplies(input: $input) { request { id purpose priority lines { quantity item { code } } } ${ERRORS} } }`;
    const twice = await t.graphql(REQUEST, { input: { shelterId: shelter.id, days: 2, requesterPhone: "13800001111" } }, { token: scoped });
    expect(twice.data.requestShelterSupplies).toMatchObject({ request: null, errors: [{ field: "input.shelterId", code: "NOTHING_NEEDED" }] });
    // More people: only what the first request does not cover (50 × 0.23 × 2 = 23 cases, 19 asked for).
    await t.graphql(REPORT, { input: { shelterId: shelter.id, peoplePresent: 50 } }, { token: logistics });
    const more = await t.graphql(REQUEST, { input: { shelterId: shelter.id, days: 2, requesterPhone: "13800001111" } }, { token: scoped });
    expect(more.data.requestShelterSupplies.errors).toEqual([]);
    expect(more.data.requestShelterSupplies.request.lines).toContainEqual({ quantity: 4, item: { code: "1030101" } });
    expect(more.data.requestShelterSupplies.request.lines).toContainEqual({ quantity: 10, item: { code: "1020101" } }); // quilts: 50 − 40
    // Approved with the water cut to 10: the first request counts for its approved 10, the second for its 4 asked.
    const approved = await t.graphql(
      `mutation ($input: ApproveSupplyRequestInput!) { approveSupplyRequest(input: $input) { request { status } ${ERRORS} } }`,
      { input: { id: request.id, note: "饮用水按库存核减", lines: request.lines.map((line: any) => ({ lineId: line.id, approvedQuantity: line.item.code === "1030101" ? 10 : line.quantity })) } },
      { token: logistics },
    );
    expect(approved.data.approveSupplyRequest).toEqual({ request: { status: "APPROVED" }, errors: [] });
    const waterNow = async () => (await gql(NEEDS2, { s: shelter.id })).shelterNeeds.lines.find((line: any) => line.item.code === "1030101");
    expect(await waterNow()).toMatchObject({ required: 23, requested: 14, shortfall: 9 });
    // A rejected request no longer covers anything.
    const REJECT = `mutation ($input: RejectSupplyRequestInput!) { rejectSupplyRequest(input: $input) { request { status } ${ERRORS} } }`;
    const secondId = more.data.requestShelterSupplies.request.id;
    const rejected = await t.graphql(REJECT, { input: { id: secondId, reason: "重复申报" } }, { token: logistics });
    expect(rejected.data.rejectSupplyRequest).toEqual({ request: { status: "REJECTED" }, errors: [] });
    expect(await waterNow()).toMatchObject({ required: 23, requested: 10, shortfall: 13 });

    // A shelter on standby: nothing to provide for until someone says for how many (pre-positioning).
    const standby = (await gql(`{ shelter(code: "KZ-S01-SH03") { id } }`)).shelter.id;
    const none = await t.graphql(REQUEST, { input: { shelterId: standby, days: 1, requesterPhone: "13800001111" } }, { token: scoped });
    expect(none.data.requestShelterSupplies.errors[0]).toMatchObject({ code: "NOTHING_NEEDED" });
    const planned = await t.graphql(REQUEST, { input: { shelterId: standby, days: 1, people: 100, requesterPhone: "13800001111" } }, { token: scoped });
    expect(planned.data.requestShelterSupplies.request).toMatchObject({ purpose: "PRE_POSITIONING", priority: "NORMAL" });
    expect(planned.data.requestShelterSupplies.request.lines).toContainEqual({ quantity: 23, item: { code: "1030101" } });
  });
});

describe("the shelter's store", () => {
  it("receives a dispatch order like any store (in transit, then TRANSFER_IN) and hands it out", async () => {
    const shelter = (await createShelter({ capacity: 200 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 20 });
    const [{ batch_id }] = await t.app.dataSource.query(
      `SELECT b.id AS batch_id FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id
       WHERE s.code = 'KZ-S01-P' AND i.code = '1020101' AND b.on_hand - b.reserved >= 15 ORDER BY b.id LIMIT 1`,
    );
    const quilts = await item("棉被");
    const order = async (name: string, input: Record<string, unknown>, token = logistics) => {
      const result = await t.graphql(`mutation ($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { order { id lines { id } } ${ERRORS} } }`, { input }, { token });
      expect(result.errors).toBeUndefined();
      expect(result.data[name].errors).toEqual([]);
      return result.data[name].order;
    };
    const made = await order("createDispatchOrder", {
      destination: { siteId: shelter.site.id },
      lines: [{ itemId: quilts.id, quantity: 15, allocations: [{ batchId: Buffer.from(`StockBatch:${batch_id}`).toString("base64"), quantity: 15 }] }],
    });
    await order("submitDispatchOrder", { id: made.id });
    await order("approveDispatchOrder", { id: made.id }, commander);
    await order("markDispatched", { id: made.id });
    const NEEDS = `query ($s: ID!) { shelterNeeds(shelterId: $s, days: 1) { lines { item { code } required held inTransit shortfall } } }`;
    const quiltNeed = async () => (await gql(NEEDS, { s: shelter.id })).shelterNeeds.lines.find((line: any) => line.item.code === "1020101");
    expect(await quiltNeed()).toEqual({ item: { code: "1020101" }, required: 20, held: 0, inTransit: 15, shortfall: 5 });
    await order("confirmDelivery", { id: made.id, lines: [{ lineId: made.lines[0].id, receivedQuantity: 15 }] });
    expect(await quiltNeed()).toEqual({ item: { code: "1020101" }, required: 20, held: 15, inTransit: 0, shortfall: 5 });
    const ledger = await gql(`query ($s: ID) { stockMovements(first: 5, where: { siteId: $s }) { nodes { kind quantity } } }`, { s: shelter.site.id });
    expect(ledger.stockMovements.nodes).toEqual([{ kind: "TRANSFER_IN", quantity: 15 }]);
    const handed = await t.graphql(DISTRIBUTE, { input: { shelterId: shelter.id, recipientKind: "GROUP", groupCount: 15, lines: [{ itemId: quilts.id, quantity: 15 }] } }, { token: scoped });
    expect(handed.data.recordDistribution.distribution.lines[0]).toMatchObject({ batch: { onHand: 0 }, movement: { kind: "DISTRIBUTION", quantity: -15 } });
  });
});

describe("the distribution register", () => {
  it("issues from the shelter's stock with its own ledger kind, warns on a repeat household, reverses by a new entry", async () => {
    const audited = async () =>
      (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE operation IN ('recordDistribution', 'reverseDistribution') AND outcome = 'SUCCEEDED'`))[0].n as number;
    const auditedBefore = await audited();
    const SUMMARY = `query ($i: ID) { distributionSummary(incidentId: $i) { townships { township { code } entries households people } items { township { code } site { code } item { code } quantity } } }`;
    const hanfengTotals = async () => {
      const row = (await gql(SUMMARY, { i: incidentId })).distributionSummary.townships.find((r: any) => r.township.code === "KZ-S01");
      return row ?? { entries: 0, households: 0, people: 0 };
    };
    const totalsBefore = await hanfengTotals();
    const shelter = (await createShelter({ capacity: 300 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 120 });
    const noodles = await stockAt(shelter.site.id, "方便面", 10, "SH-N-1");
    const household = { headName: "张明华", idNumber: "500234199001011232", phone: "13912345678", size: 4 };
    const input = { shelterId: shelter.id, recipientKind: "HOUSEHOLD", household, lines: [{ itemId: noodles.itemId, quantity: 3 }] };
    const first = await t.graphql(DISTRIBUTE, { input }, { token: scoped });
    expect(first.data.recordDistribution.errors).toEqual([]);
    const entry = first.data.recordDistribution.distribution;
    expect(entry).toMatchObject({ people: 4, repeatConfirmed: false, isReversal: false, incident: { id: incidentId }, site: { code: shelter.site.code } });
    expect(entry.lines).toEqual([{ quantity: 3, item: { code: "1030201" }, batch: { id: noodles.batchId, onHand: 7 }, movement: { kind: "DISTRIBUTION", quantity: -3 } }]);

    const again = await t.graphql(DISTRIBUTE, { input }, { token: scoped });
    expect(again.data.recordDistribution.errors[0]).toMatchObject({ field: "input.confirmRepeat", code: "REPEAT_HOUSEHOLD", message: expect.stringContaining("方便面") });
    expect((await gql(`query ($id: ID!) { node(id: $id) { ... on StockBatch { onHand } } }`, { id: noodles.batchId })).node.onHand).toBe(7); // nothing written
    const confirmed = await t.graphql(DISTRIBUTE, { input: { ...input, confirmRepeat: true } }, { token: scoped });
    expect(confirmed.data.recordDistribution.distribution).toMatchObject({ repeatConfirmed: true, lines: [{ batch: { onHand: 4 } }] });

    const short = await t.graphql(DISTRIBUTE, { input: { shelterId: shelter.id, recipientKind: "GROUP", groupCount: 30, lines: [{ itemId: noodles.itemId, quantity: 5 }] } }, { token: scoped });
    expect(short.data.recordDistribution.errors[0]).toMatchObject({ field: "input.lines[0].quantity", code: "INSUFFICIENT_STOCK" });

    const reversed = await t.graphql(REVERSE, { input: { distributionId: entry.id, reason: "登记错户" } }, { token: scoped });
    expect(reversed.data.reverseDistribution.distribution).toMatchObject({ isReversal: true, reverses: { id: entry.id }, lines: [{ quantity: 3, movement: { kind: "DISTRIBUTION_REVERSAL", quantity: 3 } }] });
    expect(reversed.data.reverseDistribution.distribution.reverses.reversedBy.id).toBe(reversed.data.reverseDistribution.distribution.id);
    const twice = await t.graphql(REVERSE, { input: { distributionId: entry.id, reason: "再次" } }, { token: scoped });
    expect(twice.data.reverseDistribution.errors[0]).toMatchObject({ code: "INVALID_STATE" });
    expect((await gql(`query ($id: ID!) { node(id: $id) { ... on StockBatch { onHand } } }`, { id: noodles.batchId })).node.onHand).toBe(7);
    // The register is append-only: a reversal is the only way back.
    await expect(t.app.dataSource.query(`UPDATE distribution SET people = 1 WHERE id = (SELECT max(id) FROM distribution)`)).rejects.toThrow();

    // Reversed entries and reversals left out: the confirmed second handing-out stands (one household of 4).
    const summary = await gql(SUMMARY, { i: incidentId });
    const totalsAfter = await hanfengTotals();
    expect([totalsAfter.entries - totalsBefore.entries, totalsAfter.households - totalsBefore.households, totalsAfter.people - totalsBefore.people]).toEqual([1, 1, 4]);
    expect(summary.distributionSummary.items).toContainEqual({ township: { code: "KZ-S01" }, site: { code: shelter.site.code }, item: { code: "1030201" }, quantity: 3 });
    expect(await audited()).toBe(auditedBefore + 3); // two distributions and a reversal; the refused ones left no success
    const [summaryEntry] = await t.app.dataSource.query(`SELECT input_summary::text AS summary FROM audit_entry WHERE operation = 'recordDistribution' ORDER BY id DESC LIMIT 1`);
    expect(summaryEntry.summary).not.toContain("500234199001011232"); // personal data is masked in the audit log too
  });

  it("counts a household's people once however often it receives, and group counts each time", async () => {
    const SUMMARY = `query ($i: ID) { distributionSummary(incidentId: $i) { townships { township { code } entries households people } } }`;
    const hanfeng = async () => (await gql(SUMMARY, { i: incidentId })).distributionSummary.townships.find((r: any) => r.township.code === "KZ-S01") ?? { entries: 0, households: 0, people: 0 };
    const shelter = (await createShelter({ capacity: 300 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 60 });
    const water = await stockAt(shelter.site.id, "饮用水", 20, "SH-W-SUM");
    const before = await hanfeng();
    const household = { headName: "赵玉兰", idNumber: "500234197505051239", phone: "13912340000", size: 4 };
    const give = async (input: Record<string, unknown>) => {
      const result = await t.graphql(DISTRIBUTE, { input: { shelterId: shelter.id, lines: [{ itemId: water.itemId, quantity: 1 }], ...input } }, { token: logistics });
      expect(result.data.recordDistribution.errors).toEqual([]);
    };
    await give({ recipientKind: "HOUSEHOLD", household });
    await give({ recipientKind: "HOUSEHOLD", household, confirmRepeat: true });
    await give({ recipientKind: "GROUP", groupCount: 15 });
    await give({ recipientKind: "GROUP", groupCount: 15 });
    const after = await hanfeng();
    // Four entries; one household of 4 (not 8); two groups of 15 added up.
    expect([after.entries - before.entries, after.households - before.households, after.people - before.people]).toEqual([4, 1, 34]);
  });

  it("refuses a household head's ID number with a wrong check digit, as the roster does", async () => {
    const shelter = (await createShelter({ capacity: 300 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 10 });
    const food = await stockAt(shelter.site.id, "压缩饼干", 5, "SH-B-ID");
    const household = { headName: "孙立新", idNumber: "500234198001011234", size: 2 };
    const refused = await t.graphql(DISTRIBUTE, { input: { shelterId: shelter.id, recipientKind: "HOUSEHOLD", household, lines: [{ itemId: food.itemId, quantity: 1 }] } }, { token: logistics });
    expect(refused.data.recordDistribution).toMatchObject({ distribution: null, errors: [{ field: "input.household.idNumber", code: "INVALID_FORMAT", message: expect.stringContaining("check digit") }] });
    expect((await gql(`query ($id: ID!) { node(id: $id) { ... on StockBatch { onHand } } }`, { id: food.batchId })).node.onHand).toBe(5);
    const ok = await t.graphql(DISTRIBUTE, { input: { shelterId: shelter.id, recipientKind: "HOUSEHOLD", household: { ...household, idNumber: "500234198001011238" }, lines: [{ itemId: food.itemId, quantity: 1 }] } }, { token: logistics });
    expect(ok.data.recordDistribution.errors).toEqual([]);
  });

  it("never hands out more than the store holds, however many distributors at once", async () => {
    const shelter = (await createShelter({ capacity: 300 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 50 });
    const water = await stockAt(shelter.site.id, "饮用水", 5, "SH-W-RACE");
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.graphql(DISTRIBUTE, { input: { shelterId: shelter.id, recipientKind: "GROUP", groupCount: 10, lines: [{ itemId: water.itemId, quantity: 1 }] } }, { token: logistics }),
      ),
    );
    const done = attempts.filter((a) => a.data?.recordDistribution?.errors?.length === 0);
    const refused = attempts.filter((a) => a.data?.recordDistribution?.errors?.[0]?.code === "INSUFFICIENT_STOCK");
    expect([done.length, refused.length]).toEqual([5, 3]);
    const [row] = await t.app.dataSource.query(
      `SELECT b.on_hand, (SELECT sum(quantity)::int FROM stock_movement m WHERE m.batch_id = b.id) AS ledger,
              (SELECT count(*)::int FROM stock_movement m WHERE m.batch_id = b.id AND m.kind = 'DISTRIBUTION') AS entries
       FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE b.batch_number = 'SH-W-RACE'`,
    );
    expect(row).toEqual({ on_hand: 0, ledger: 0, entries: 5 });
  });

  it("lets only one of two distributors racing for the same household through without a confirmation", async () => {
    const shelter = (await createShelter({ capacity: 300 })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 30 });
    const food = await stockAt(shelter.site.id, "压缩饼干", 10, "SH-B-RACE");
    const input = { shelterId: shelter.id, recipientKind: "HOUSEHOLD", household: { headName: "刘德福", idNumber: "500234198503031239", size: 3 }, lines: [{ itemId: food.itemId, quantity: 1 }] };
    const both = await Promise.all([0, 1].map(() => t.graphql(DISTRIBUTE, { input }, { token: logistics })));
    expect(both.map((r) => r.data.recordDistribution.errors[0]?.code ?? "OK").sort()).toEqual(["OK", "REPEAT_HOUSEHOLD"]);
  });

  it("lists the register with its lines in a constant number of statements", async () => {
    const query = `query ($n: Int) { distributions(first: $n) { nodes { number township { code } site { code } shelter { code } reversedBy { number } lines { quantity item { code } batch { batchNumber } movement { kind } } } } }`;
    const few = await t.graphql(query, { n: 1 }, { token: logistics });
    const many = await t.graphql(query, { n: 20 }, { token: logistics });
    expect(many.data.distributions.nodes.length).toBeGreaterThan(5);
    expect(Number.isFinite(few.sqlStatements)).toBe(true);
    expect(many.sqlStatements).toBe(few.sqlStatements);
  });

  it("hands out in a village from its room, in scope only", async () => {
    const room = (await gql(`{ storageSite(code: "KZ-S01-C01-R") { id } }`)).storageSite;
    const otherRoom = (await gql(`{ storageSite(code: "KZ-S02-C01-R") { id } }`)).storageSite;
    const quilts = await stockAt(room.id, "棉被", 4, "SH-Q-V");
    const ok = await t.graphql(DISTRIBUTE, { input: { siteId: room.id, recipientKind: "GROUP", groupCount: 12, lines: [{ itemId: quilts.itemId, quantity: 4 }] } }, { token: scoped });
    expect(ok.data.recordDistribution.distribution).toMatchObject({ recipientKind: "GROUP", people: 12, headName: null, site: { code: "KZ-S01-C01-R" } });
    const outside = await t.graphql(DISTRIBUTE, { input: { siteId: otherRoom.id, recipientKind: "GROUP", groupCount: 1, lines: [{ itemId: quilts.itemId, quantity: 1 }] } }, { token: scoped });
    expect(outside.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});

describe("personal data and exports", () => {
  it("masks names, ID numbers and phones for dashboards on lists, node(id:) and exports; the auditor sees them", async () => {
    const shelter = (await createShelter({ capacity: 300, managerName: "李国强", managerPhone: "13700001234" })).shelter;
    await openShelterWithPeople(shelter.id, { peoplePresent: 10 });
    const kits = await stockAt(shelter.site.id, "洗漱包", 5, "SH-H-1");
    const made = await t.graphql(
      DISTRIBUTE,
      { input: { shelterId: shelter.id, recipientKind: "HOUSEHOLD", household: { headName: "陈秀英", idNumber: "500234198002021235", phone: "13600005678", size: 2 }, lines: [{ itemId: kits.itemId, quantity: 2 }] } },
      { token: logistics },
    );
    const entryId = made.data.recordDistribution.distribution.id;
    const read = `query ($d: ID!, $s: ID!) {
      node(id: $d) { ... on Distribution { headName idNumber phone distributedBy } }
      shelter(id: $s) { managerName managerPhone }
      distributions(first: 1, where: { shelterId: $s }) { nodes { headName idNumber phone } } }`;
    const masked = await gql(read, { d: entryId, s: shelter.id }, dashboard);
    expect(masked.node).toEqual({ headName: "陈**", idNumber: expect.not.stringContaining("19800202"), phone: "136****5678", distributedBy: expect.stringContaining("*") });
    expect(masked.shelter).toEqual({ managerName: "李**", managerPhone: "137****1234" });
    expect(masked.distributions.nodes[0]).toEqual({ headName: "陈**", idNumber: masked.node.idNumber, phone: "136****5678" });
    const shelterNode = await gql(`query ($s: ID!) { node(id: $s) { ... on Shelter { managerName } } }`, { s: shelter.id }, dashboard);
    expect(shelterNode.node.managerName).toBe("李**");
    const plain = await gql(read, { d: entryId, s: shelter.id }, auditor);
    expect(plain.node).toMatchObject({ headName: "陈秀英", idNumber: "500234198002021235", phone: "13600005678" });

    const csv = async (query: string, token: string) => Buffer.from((await gql(query, { s: shelter.id }, token))[query.includes("exportShelters") ? "exportShelters" : "exportDistributions"].content, "base64").toString("utf8");
    const registerCsv = `query ($s: ID) { exportDistributions(shelterId: $s, format: CSV) { content } }`;
    expect(await csv(registerCsv, dashboard)).not.toContain("陈秀英");
    expect(await csv(registerCsv, dashboard)).toContain("陈**");
    expect(await csv(registerCsv, auditor)).toContain("陈秀英");
    const sheltersCsv = (await gql(`{ exportShelters(format: CSV) { content rowCount } }`, {}, dashboard)).exportShelters;
    expect(sheltersCsv.rowCount).toBeGreaterThanOrEqual(200);
    expect(Buffer.from(sheltersCsv.content, "base64").toString("utf8")).not.toContain("李国强");

    const xlsx = (await gql(`query ($s: ID) { exportDistributions(shelterId: $s) { filename mimeType content rowCount } }`, { s: shelter.id }, logistics)).exportDistributions;
    expect(xlsx).toMatchObject({ filename: expect.stringMatching(/^distributions-\d{4}-\d{2}-\d{2}\.xlsx$/), rowCount: 1 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.content, "base64") as never);
    const sheet = book.worksheets[0];
    expect(String(sheet.getCell("A1").value)).toContain("救灾物资发放登记表");
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape" });
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts).toContain("陈秀英");
    expect(texts.join(" ")).toContain("发放人");
    const sheltersXlsx = (await gql(`{ exportShelters(regionId: "${region["KZ-S01"].id}") { content rowCount } }`)).exportShelters;
    const book2 = new ExcelJS.Workbook();
    await book2.xlsx.load(Buffer.from(sheltersXlsx.content, "base64") as never);
    expect(String(book2.worksheets[0].getCell("A1").value)).toContain("避难场所名录");
  });
});

describe("shelterChanged", () => {
  it("tells subscribers about status and occupancy in their region, masked for dashboards", async () => {
    const client = clientFor(t.url, dashboard);
    const query = `subscription ($where: ShelterChangedWhere) { shelterChanged(where: $where) { change shelter { code status occupancy overCapacity managerName } } }`;
    const hanfeng = await subscribe(client, query, { where: { regionId: region["KZ-S01"].id } });
    const wenfeng = await subscribe(client, query, { where: { regionId: region["KZ-S02"].id } });
    const { shelter } = await createShelter({ capacity: 10, managerName: "周志文" });
    await openShelterWithPeople(shelter.id, { peoplePresent: 12 });
    const events = await hanfeng.waitFor(3);
    expect(events.map((e: any) => e.shelterChanged.change)).toEqual(["CREATED", "OPENED", "OCCUPANCY"]);
    expect(events[2].shelterChanged.shelter).toMatchObject({ code: shelter.code, status: "FULL", occupancy: 12, overCapacity: true, managerName: "周**" });
    await settle();
    expect(wenfeng.events).toHaveLength(0);
    await client.dispose();
  });
});
