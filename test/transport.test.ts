// Transport (issue 20) over HTTP: the seeded resources and partners, trips with their capacity
// check, two orders racing for one vehicle, the trip life cycle feeding the order, green-channel
// passes checked at dispatch, requisition with its settlement in fen (two requisitions racing for
// one resource), separation of duties, the vehicle-limited API key, transportChanged, township
// scope, personal data masked on every path, and batched nested lists.
import ExcelJS from "exceljs";
import { maskName, maskPhone, maskVehiclePlate } from "../src/core/access/personal-data";
import { compensation, yuan } from "../src/modules/transport/requisitions.service";
import { translateBusy } from "../src/modules/transport/transport.service";
import { UserErrorsException } from "../src/core/graphql/errors";
import { gid, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, settle, subscribe } from "./support/subscriptions";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let commander: string;
let admin: string;
let finance: string;
let scoped: string;
let dashboard: string;
let mutate: ReturnType<typeof orderClient>;
let tents: number;
let quilts: number;
let incidentId: string;
const resources: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [logistics, commander, admin, finance, scoped] = await Promise.all([t.tokenFor("logistics"), t.tokenFor("commander"), t.tokenFor("admin"), t.tokenFor("finance"), t.tokenFor("logistics.kz-s01")]);
  dashboard = await t.apiKeyFor("DASHBOARD");
  mutate = orderClient(t, "id code status priority");
  tents = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "TR-TENT", 2000);
  quilts = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1020101"], "TR-QUILT", 5000);
  for (const row of await t.app.dataSource.query(`SELECT id, code FROM transport_resource`)) resources[row.code] = row.id;
  const opened = await ok(`mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code } } }`, {
    input: { title: "南河汛情", hazard: "FLOOD_DROUGHT", level: "III", regionIds: [gid("Region", ids.region["KZ-S01"])], occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString() },
  }, commander);
  incidentId = opened.data.openIncident.incident.id;
});
afterAll(() => t.stop());

async function ok(query: string, variables: Record<string, unknown> = {}, token = admin) {
  const result = await t.graphql(query, variables, { token });
  expect(result.errors).toBeUndefined();
  return result;
}

/** Runs a mutation and returns its payload plus top-level errors. */
async function run(name: string, input: Record<string, unknown>, token: string, fields: string) {
  const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  const result = await t.graphql(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${fields} errors { field code message } } }`, { input }, { token });
  return { ...(result.data?.[name] ?? {}), topErrors: result.errors, topCode: result.errors?.[0]?.extensions?.code } as any;
}

const vehicle = (code: string) => gid("TransportResource", resources[code]);

/** An order to a region for tents and quilts from the depot, brought to a state. */
async function order(regionCode: string, tentCount: number, quiltCount: number, state: "DRAFT" | "APPROVED" | "DISPATCHED" = "APPROVED", priority = "NORMAL") {
  const lines = [
    { itemId: gid("SupplyItem", ids.item["1010101"]), quantity: tentCount, allocations: [{ batchId: gid("StockBatch", tents), quantity: tentCount }] },
    ...(quiltCount ? [{ itemId: gid("SupplyItem", ids.item["1020101"]), quantity: quiltCount, allocations: [{ batchId: gid("StockBatch", quilts), quantity: quiltCount }] }] : []),
  ];
  const created = await mutate("createDispatchOrder", { destination: { regionId: gid("Region", ids.region[regionCode]) }, lines, priority, incidentId }, logistics);
  expect(created.errors).toEqual([]);
  let current = created.order;
  if (state === "DRAFT") return current;
  for (const [name, token] of [["submitDispatchOrder", logistics], ["approveDispatchOrder", commander]] as const) {
    const step = await mutate(name, { id: current.id }, token);
    expect(step.errors).toEqual([]);
    current = step.order;
  }
  if (state === "DISPATCHED") current = (await mutate("markDispatched", { id: current.id }, logistics)).order;
  return current;
}

const TRIP = `trip { id code status loadKg loadM3 capacityKg capacityM3 travelBy routeText expectedArrivalAt
  orders { code transitState } vehicles { driverName driverPhone vehicle { code status } } }`;

function assign(orderIds: string[], vehicles: string[], token = logistics, driver = "王建国", extra: Record<string, unknown> = {}) {
  return run("assignTrip", { orderIds, vehicles: vehicles.map((code) => ({ vehicleId: vehicle(code), driverName: driver, driverPhone: "13912345678" })), ...extra }, token, TRIP);
}

function tripStatus(tripId: string, status: string, token = logistics) {
  return run("updateTripStatus", { tripId, status }, token, TRIP);
}

describe("resources and partners", () => {
  it("seeds the bureau's and teams' vehicles and boats, five logistics partners, item measures and the rate table", async () => {
    const result = await ok(`{
      transportResources(first: 100) { totalCount nodes { code kind ownerKind status team { code } partner { code } baseRegion { code } } }
      logisticsPartners(first: 10) { totalCount nodes { code vehiclesCommitted responseMinutes vehicles { code } } }
      transportRates { kind basis fenPerUnit }
      supplyItem(code: "1010101") { unitWeightKg unitVolumeM3 }
    }`);
    const nodes = result.data.transportResources.nodes;
    expect(nodes.filter((r: any) => r.ownerKind === "BUREAU").length).toBeGreaterThanOrEqual(4);
    expect(nodes.filter((r: any) => r.kind === "BOAT" && r.ownerKind === "TEAM").map((r: any) => r.team.code)).toEqual(expect.arrayContaining(["KZ-PT-03", "KZ-FR-01"]));
    expect(result.data.logisticsPartners.totalCount).toBe(5);
    expect(result.data.logisticsPartners.nodes[0]).toMatchObject({ code: "KZ-LP-01", vehicles: [{ code: "KZ-V-021" }] });
    expect(result.data.transportRates).toContainEqual({ kind: "TRUCK", basis: "DAY", fenPerUnit: 80000 });
    expect(result.data.supplyItem).toEqual({ unitWeightKg: 25, unitVolumeM3: 0.12 });
    // Every catalogue item has a measure: a trip's load is never unknown for seeded items.
    const [{ missing }] = await t.app.dataSource.query(`SELECT count(*)::int AS missing FROM supply_item i WHERE NOT EXISTS (SELECT 1 FROM item_transport_measure m WHERE m.item_id = i.id)`);
    expect(missing).toBe(0);
  });

  it("gives dashboards counts and statuses, never plates or owners — on lists, by code and through node(id:)", async () => {
    const counts = await ok(`{ transportCounts { kind status count } }`, {}, dashboard);
    expect(counts.data.transportCounts).toContainEqual({ kind: "BOAT", status: "AVAILABLE", count: expect.any(Number) });
    const fields = `code plate ownerName ownerPhone status lastLatitude`;
    const byCode = await ok(`{ transportResource(code: "KZ-V-031") { ${fields} } }`, {}, dashboard);
    expect(byCode.data.transportResource).toMatchObject({ plate: maskVehiclePlate("渝F·D7031"), ownerName: maskName("陈志刚"), ownerPhone: maskPhone("13752380031"), status: "AVAILABLE" });
    const node = await ok(`query ($id: ID!) { node(id: $id) { ... on TransportResource { ${fields} } } }`, { id: vehicle("KZ-V-031") }, dashboard);
    expect(node.data.node).toEqual(byCode.data.transportResource);
    const list = await ok(`{ transportResources(first: 100, where: { ownerKind: PRIVATE }) { nodes { ${fields} } } }`, {}, dashboard);
    expect(list.data.transportResources.nodes[0].ownerName).toBe(maskName("陈志刚"));
    const partner = await ok(`{ logisticsPartner(code: "KZ-LP-01") { contactName contactPhone } }`, {}, dashboard);
    expect(partner.data.logisticsPartner).toEqual({ contactName: maskName("周国庆"), contactPhone: maskPhone("13908250101") });
    const full = await ok(`{ transportResource(code: "KZ-V-031") { plate ownerName } }`, {}, logistics);
    expect(full.data.transportResource).toEqual({ plate: "渝F·D7031", ownerName: "陈志刚" });
  });

  it("registers a resource within scope, audits it with the owner's name masked, and refuses one outside the scoped account's township", async () => {
    const input = { code: "KZ-V-099", kind: "TRUCK", model: "五十铃 4 吨货车", vehiclePlate: "渝F·E9099", capacityKg: 4000, capacityM3: 20, seats: 3, ownerKind: "PRIVATE", ownerName: "刘德明", ownerPhone: "13800990099", baseRegionId: gid("Region", ids.region["KZ-S01"]) };
    const made = await run("registerTransportResource", input, scoped, "resource { code status lastLatitude }");
    expect(made.errors).toEqual([]);
    const [entry] = await t.app.dataSource.query(`SELECT input_summary FROM audit_entry WHERE operation = 'registerTransportResource' AND outcome = 'SUCCEEDED' ORDER BY id DESC LIMIT 1`);
    expect(entry.input_summary.input).toMatchObject({ code: "KZ-V-099", ownerName: maskName("刘德明"), ownerPhone: maskPhone("13800990099") });
    const outside = await run("registerTransportResource", { ...input, code: "KZ-V-098", baseRegionId: gid("Region", ids.region["KZ-S02"]) }, scoped, "resource { code }");
    expect(outside.topCode).toBe("FORBIDDEN");
    const bad = await run("registerTransportResource", { ...input, code: "KZ-V-097", ownerKind: "BUREAU" }, logistics, "resource { code }");
    expect(bad.errors.map((e: any) => e.code)).toEqual(["NOT_ALLOWED"]);
  });

  it("keeps a plate on one resource, however it is written, without telling whose it is", async () => {
    const input = { kind: "TRUCK", model: "福田 3 吨货车", capacityKg: 3000, capacityM3: 16, seats: 3, ownerKind: "PRIVATE", ownerName: "黄晓东", ownerPhone: "13800770077", baseRegionId: gid("Region", ids.region["KZ-S01"]) };
    for (const [code, plate] of [["KZ-V-096", "渝F·D7031"], ["KZ-V-095", "渝f-d7031"], ["KZ-V-094", "渝FD7031"]]) {
      const twice = await run("registerTransportResource", { ...input, code, vehiclePlate: plate }, logistics, "resource { code }");
      expect(twice).toMatchObject({ resource: null, errors: [{ field: "input.vehiclePlate", code: "DUPLICATE", message: expect.stringContaining("KZ-V-031") }] });
      expect(twice.errors[0].message).not.toMatch(/陈志刚|13752380031/); // KZ-V-031's owner stays unsaid
    }
    expect((await t.app.dataSource.query(`SELECT count(*)::int AS n FROM transport_resource WHERE code IN ('KZ-V-096', 'KZ-V-095', 'KZ-V-094')`))[0].n).toBe(0);
    // The database holds the rule too, for whatever gets past the check.
    await expect(
      t.app.dataSource.query(
        `INSERT INTO transport_resource (code, kind, model, plate, capacity_kg, capacity_m3, seats, owner_kind, owner_name, base_region_id, status, last_latitude, last_longitude)
         SELECT 'KZ-V-093', kind, model, '渝F D7031', capacity_kg, capacity_m3, seats, owner_kind, 'x', base_region_id, 'AVAILABLE', last_latitude, last_longitude FROM transport_resource WHERE code = 'KZ-V-031'`,
      ),
    ).rejects.toThrow(/UQ_transport_resource_plate/);
    const fresh = await run("registerTransportResource", { ...input, code: "KZ-V-092", vehiclePlate: "渝F·D7092" }, logistics, "resource { code }");
    expect(fresh.errors).toEqual([]);
  });
});

describe("trips", () => {
  it("checks the load against the vehicles' capacity, by weight and by volume", async () => {
    const big = await order("KZ-S01", 100, 200); // 100 × 25 kg + 200 × 2.5 kg = 3000 kg, 100 × 0.12 + 200 × 0.03 = 18 m³
    const drone = await assign([big.id], ["KZ-V-005"]);
    expect(drone.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["input.vehicles", "OVER_CAPACITY"],
      ["input.vehicles", "OVER_CAPACITY"],
    ]);
    expect(drone.errors[0].message).toMatch(/3000 kg.*30 kg/);
    const small = await assign([big.id], ["KZ-V-003"]); // 2000 kg, 14 m³
    expect(small.errors.map((e: any) => e.code)).toEqual(["OVER_CAPACITY", "OVER_CAPACITY"]);
    const [{ count }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM transport_trip`);
    expect(count).toBe(0); // nothing half-written
    const two = await assign([big.id], ["KZ-V-003", "KZ-V-004"]); // 2800 kg: still too heavy
    expect(two.errors[0].code).toBe("OVER_CAPACITY");
    const fits = await assign([big.id], ["KZ-V-001"]);
    expect(fits.errors).toEqual([]);
    expect(fits.trip).toMatchObject({ status: "LOADING", loadKg: 3000, loadM3: 18, capacityKg: 8000, travelBy: "ROAD", orders: [{ code: big.code, transitState: "LOADING" }] });
    expect(fits.trip.vehicles).toEqual([{ driverName: "王建国", driverPhone: "13912345678", vehicle: { code: "KZ-V-001", status: "ASSIGNED" } }]);
    await tripStatus(fits.trip.id, "CANCELLED");
  });

  it("lets one of two orders racing for one vehicle have it; the other is told it is busy", async () => {
    const [a, b] = [await order("KZ-S01", 2, 0), await order("KZ-S01", 3, 0)];
    const results = await Promise.all([assign([a.id], ["KZ-V-002"]), assign([b.id], ["KZ-V-002"])]);
    const won = results.filter((r) => r.errors.length === 0);
    const lost = results.filter((r) => r.errors.length > 0);
    expect(won).toHaveLength(1);
    expect(lost[0].errors[0]).toMatchObject({ code: "VEHICLE_BUSY", field: "input.vehicles[0].vehicleId" });
    const rows = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM transport_trip_vehicle WHERE vehicle_id = $1 AND active`, [resources["KZ-V-002"]]);
    expect(rows[0].n).toBe(1);
    // The database refuses a second active trip for the vehicle even if a check were skipped.
    const [{ id: tripId }] = await t.app.dataSource.query(`SELECT trip_id AS id FROM transport_trip_vehicle WHERE vehicle_id = $1 AND active`, [resources["KZ-V-002"]]);
    await expect(
      t.app.dataSource.query(
        `INSERT INTO transport_trip_vehicle (trip_id, vehicle_id, driver_name, driver_phone, active) SELECT id, $1, 'x', '13900000000', true FROM transport_trip WHERE id <> $2 LIMIT 1`,
        [resources["KZ-V-002"], tripId],
      ),
    ).rejects.toThrow(/UQ_transport_trip_vehicle_active/);
    // The loser's order may take another vehicle; an order already on a moving trip may not take a second.
    const loser = results.indexOf(lost[0]) === 0 ? a : b;
    const winner = loser === a ? b : a;
    expect((await assign([loser.id], ["KZ-V-003"])).errors).toEqual([]);
    expect((await assign([winner.id], ["KZ-V-004"])).errors[0].code).toBe("ALREADY_ON_TRIP");
  });

  it("carries several orders going the same way, moves LOADING → EN_ROUTE → ARRIVED → RETURNED, and the orders follow", async () => {
    const [a, b] = [await order("KZ-S02", 4, 4), await order("KZ-S02", 2, 0)];
    const other = await order("KZ-T05", 1, 0);
    expect((await assign([a.id, other.id], ["KZ-V-011"])).errors[0].code).toBe("NOT_SAME_WAY");
    const assigned = await assign([a.id, b.id], ["KZ-V-011"]);
    expect(assigned.errors).toEqual([]);
    const tripId = assigned.trip.id;
    const early = await tripStatus(tripId, "EN_ROUTE");
    expect(early.errors[0]).toMatchObject({ code: "ORDERS_NOT_DISPATCHED" });
    for (const o of [a, b]) expect((await mutate("markDispatched", { id: o.id }, logistics)).errors).toEqual([]);
    const leaving = await tripStatus(tripId, "EN_ROUTE");
    expect(leaving.errors).toEqual([]);
    expect(Date.parse(leaving.trip.expectedArrivalAt)).toBeGreaterThan(Date.now());
    const seen = await ok(`query ($id: ID!) { node(id: $id) { ... on DispatchOrder { status transitState expectedArrivalAt trips { code status } } } }`, { id: a.id }, logistics);
    expect(seen.data.node).toMatchObject({ status: "DISPATCHED", transitState: "EN_ROUTE", expectedArrivalAt: leaving.trip.expectedArrivalAt, trips: [{ code: assigned.trip.code, status: "EN_ROUTE" }] });
    expect((await tripStatus(tripId, "CANCELLED")).errors[0]).toMatchObject({ field: "input.status", code: "INVALID_STATE" });
    expect((await tripStatus(tripId, "ARRIVED")).trip.orders.map((o: any) => o.transitState)).toEqual(["ARRIVED", "ARRIVED"]);
    const back = await tripStatus(tripId, "RETURNED");
    expect(back.trip.vehicles[0].vehicle.status).toBe("AVAILABLE");
    // The vehicle is back, the goods are there, the receipt is not yet confirmed: still ARRIVED, with the arrival time.
    expect(back.trip.orders.map((o: any) => o.transitState)).toEqual(["ARRIVED", "ARRIVED"]);
    const arrived = await ok(`query ($id: ID!) { node(id: $id) { ... on DispatchOrder { status transitState expectedArrivalAt lines { id quantity } } } }`, { id: b.id }, logistics);
    expect(arrived.data.node).toMatchObject({ status: "DISPATCHED", transitState: "ARRIVED", expectedArrivalAt: expect.any(String) });
    const received = await mutate("confirmDelivery", { id: b.id, lines: arrived.data.node.lines.map((line: any) => ({ lineId: line.id, receivedQuantity: line.quantity })) }, logistics);
    expect(received.errors).toEqual([]);
    const delivered = await ok(`query ($id: ID!) { node(id: $id) { ... on DispatchOrder { status transitState expectedArrivalAt } } }`, { id: b.id }, logistics);
    expect(delivered.data.node).toEqual({ status: "DELIVERED", transitState: null, expectedArrivalAt: null });
    const trips = await ok(`{ trips(first: 5, where: { status: RETURNED }) { nodes { code } } trip(code: "${assigned.trip.code}") { status } }`, {}, logistics);
    expect(trips.data.trip.status).toBe("RETURNED");
  });

  it("sends a boat only where the travel-time table has water, and a scoped account only within its township", async () => {
    const lake = await order("KZ-S02", 2, 0);
    // Boats load at the lakeside point of 汉丰街道 and cross 汉丰湖 to 文峰街道.
    const boat = await assign([lake.id], ["KZ-B-001"], logistics, "王建国", { originSiteId: gid("StorageSite", ids.site["KZ-S01-P"]) });
    expect(boat.errors).toEqual([]);
    expect(boat.trip.travelBy).toBe("WATER");
    expect(boat.trip.routeText).toMatch(/水路/);
    await tripStatus(boat.trip.id, "CANCELLED");
    const mixed = await assign([lake.id], ["KZ-B-001", "KZ-V-012"]);
    expect(mixed.errors[0].code).toBe("MIXED_MODES");
    const inland = await order("KZ-T05", 1, 0);
    expect((await assign([inland.id], ["KZ-B-002"])).errors[0].code).toBe("NO_WATER_ROUTE");
    expect((await assign([inland.id], ["KZ-V-012"], scoped)).topCode).toBe("FORBIDDEN");
    // Scope holds for the trip's later steps and for positions too; inside its township the scoped account acts.
    const away = await assign([inland.id], ["KZ-V-012"]);
    expect((await tripStatus(away.trip.id, "CANCELLED", scoped)).topCode).toBe("FORBIDDEN");
    expect((await tripStatus(away.trip.id, "CANCELLED")).errors).toEqual([]);
    expect((await run("reportVehiclePosition", { vehicleId: vehicle("KZ-V-011"), latitude: 31.18, longitude: 108.41 }, scoped, "resource { code }")).topCode).toBe("FORBIDDEN");
    const home = await order("KZ-S01", 1, 0);
    const local = await assign([home.id], ["KZ-V-004"], scoped);
    expect(local.errors).toEqual([]);
    expect((await tripStatus(local.trip.id, "CANCELLED", scoped)).trip.status).toBe("CANCELLED");
  });

  it("keeps nested lists batched: partners' vehicles and trips' orders and vehicles cost the same for 1 row as for many", async () => {
    const partners = `query ($first: Int) { logisticsPartners(first: $first) { nodes { code region { code } vehicles { code plate partner { code } } } } }`;
    const [one, five] = [await ok(partners, { first: 1 }), await ok(partners, { first: 5 })];
    expect(five.data.logisticsPartners.nodes).toHaveLength(5);
    expect(five.sqlStatements).toBe(one.sqlStatements);
    const trips = `query ($first: Int) { trips(first: $first) { nodes { code orders { code transitState trips { code } } vehicles { driverName vehicle { code } } originSite { code } destinationRegion { code } } } }`;
    const [first, all] = [await ok(trips, { first: 1 }), await ok(trips, { first: 20 })];
    expect(all.data.trips.nodes.length).toBeGreaterThan(3);
    expect(all.sqlStatements).toBe(first.sqlStatements);
  });
});

describe("green-channel passes at dispatch", () => {
  it("refuses to dispatch an URGENT order whose trip goes through a closed road without a valid pass, and lets it go with one", async () => {
    const [{ id: nodeId }] = await t.app.dataSource.query(`SELECT n.id FROM route_node n JOIN region r ON r.id = n.region_id WHERE r.code = 'KZ-T05'`);
    const closed = await run("reportRoadClosure", { nodeId: gid("RouteNode", nodeId), reason: "山体滑坡" }, commander, "closure { id }");
    expect(closed.errors).toEqual([]);
    const urgent = await order("KZ-T05", 3, 0, "DRAFT", "URGENT");
    const normal = await order("KZ-T05", 1, 0);
    expect((await assign([urgent.id], ["KZ-V-012"])).errors).toEqual([]);
    const refused = await mutate("markDispatched", { id: urgent.id, verbalOrderBy: "李明" }, logistics);
    expect(refused.errors.map((e) => [e.field, e.code])).toEqual([["input.id", "PASS_REQUIRED"]]);
    expect(refused.errors[0].message).toMatch(/KZ-V-012/);
    expect((await t.app.dataSource.query(`SELECT status FROM dispatch_order WHERE code = $1`, [urgent.code]))[0].status).toBe("DRAFT");

    let passes = 0;
    const pass = (overrides: Record<string, unknown>) =>
      run(
        "issueGreenChannelPass",
        { passNumber: `KZ-LSTD-2026-${String(++passes).padStart(4, "0")}`, vehicleId: vehicle("KZ-V-012"), issuer: "开州区交巡警支队", validFrom: new Date(Date.now() - 3_600_000).toISOString(), validUntil: new Date(Date.now() + 3_600_000).toISOString(), ...overrides },
        commander,
        "pass { id number validNow regions { code } }",
      );
    // Expired, for another region, and revoked passes do not count.
    expect((await pass({ validFrom: new Date(Date.now() - 7_200_000).toISOString(), validUntil: new Date(Date.now() - 3_600_000).toISOString() })).errors).toEqual([]);
    expect((await pass({ regionIds: [gid("Region", ids.region["KZ-S02"])] })).errors).toEqual([]);
    const revoked = await pass({});
    expect((await run("revokeGreenChannelPass", { passId: revoked.pass.id }, commander, "pass { validNow }")).pass.validNow).toBe(false);
    expect((await mutate("markDispatched", { id: urgent.id, verbalOrderBy: "李明" }, logistics)).errors[0].code).toBe("PASS_REQUIRED");

    const good = await pass({ regionIds: [gid("Region", ids.region["KZ-T05"])] });
    expect(good.pass).toMatchObject({ validNow: true, regions: [{ code: "KZ-T05" }] });
    const sent = await mutate("markDispatched", { id: urgent.id, verbalOrderBy: "李明" }, logistics);
    expect(sent.errors).toEqual([]);
    expect(sent.order.status).toBe("DISPATCHED");
    // A NORMAL order through the same closure is not held by the pass rule (the dispatcher routes it round).
    expect((await assign([normal.id], ["KZ-V-024"])).errors).toEqual([]);
    expect((await mutate("markDispatched", { id: normal.id }, logistics)).errors).toEqual([]);

    const alerts = await ok(`{ passAlerts(withinHours: 2) { number vehicle { code } } }`, {}, dashboard);
    expect(alerts.data.passAlerts.map((p: any) => p.number)).toContain(good.pass.number);
    const expiringLater = await ok(`{ passAlerts(withinHours: 1) { number } greenChannelPasses(first: 10, where: { vehicleId: "${vehicle("KZ-V-012")}" }) { totalCount } }`, {}, dashboard);
    expect(expiringLater.data.greenChannelPasses.totalCount).toBe(4);
  });
});

describe("requisition and settlement", () => {
  it("calculates compensation in whole fen: started days, km, tonnes rounded half up, damage", () => {
    const startsAt = new Date("2026-07-01T08:00:00Z");
    const amounts = compensation({ startsAt, returnedAt: new Date("2026-07-03T09:00:00Z") }, { kmDriven: 123, kgCarried: 1001, damageFen: 50_000n }, { day: 80_000, km: 300, tonne: 1_500 });
    expect(amounts).toMatchObject({ days: 3, dayFen: 240_000n, kmFen: 36_900n, tonneFen: 1_502n, damageFen: 50_000n, totalFen: 328_402n });
    expect(compensation({ startsAt, returnedAt: startsAt }, { kmDriven: 0, kgCarried: 999, damageFen: 0n }, { day: 1, km: 1, tonne: 1 })).toMatchObject({ days: 1, tonneFen: 1n, totalFen: 2n });
    // Past Int: amounts are bigint end to end.
    expect(compensation({ startsAt, returnedAt: new Date("2027-07-01T08:00:00Z") }, { kmDriven: 0, kgCarried: 0, damageFen: 2_147_483_647n }, { day: 100_000_000, km: 0, tonne: 0 }).totalFen).toBe(38_647_483_647n);
    expect(yuan(328_402n)).toBe("3,284.02");
  });

  it("requisitions once, settles CALCULATED → CONFIRMED_BY_OWNER → APPROVED → PAID in fen, and separates the duties", async () => {
    const REQ = "requisition { id code status ownerName resource { code status } settlement { status totalFen } }";
    const startsAt = new Date(Date.now() - 2 * 86_400_000 - 3_600_000).toISOString();
    const base = { resourceId: vehicle("KZ-V-031"), incidentId, legalBasis: "《中华人民共和国突发事件应对法》第十二条", startsAt, plannedUntil: new Date(Date.now() + 86_400_000).toISOString(), conditionAtHandover: "完好", fuelAtHandover: "3/4" };
    expect((await run("requisitionResource", { ...base, resourceId: vehicle("KZ-V-001") }, commander, REQ)).errors[0].code).toBe("NOT_REQUISITIONABLE");
    const taken = await run("requisitionResource", base, commander, REQ);
    expect(taken.errors).toEqual([]);
    expect(taken.requisition).toMatchObject({ status: "ACTIVE", ownerName: "陈志刚", resource: { status: "REQUISITIONED" }, settlement: null });
    expect((await run("requisitionResource", base, commander, REQ)).errors[0].code).toBe("ALREADY_REQUISITIONED");

    // A requisitioned vehicle may go on a trip, and comes back REQUISITIONED.
    const load = await order("KZ-S01", 2, 0);
    const trip = await assign([load.id], ["KZ-V-031"]);
    expect(trip.errors).toEqual([]);
    const held = await run("returnRequisitionedResource", { requisitionId: taken.requisition.id, conditionAtReturn: "完好", kmDriven: 1, kgCarried: 1, damageFen: 0 }, logistics, "requisition { status }");
    expect(held.topErrors).toBeUndefined();
    expect(held.errors[0].code).toBe("ON_TRIP");
    expect((await tripStatus(trip.trip.id, "CANCELLED")).trip.vehicles[0].vehicle.status).toBe("REQUISITIONED");

    const returned = await run(
      "returnRequisitionedResource",
      { requisitionId: taken.requisition.id, conditionAtReturn: "左后视镜损坏", kmDriven: 123, kgCarried: 2500, damageFen: 50_000 },
      logistics,
      "requisition { status resource { status } } settlement { id status days dayRateFen dayFen kmFen tonneFen damageFen totalFen }",
    );
    expect(returned.errors).toEqual([]);
    expect(returned.requisition).toEqual({ status: "RETURNED", resource: { status: "AVAILABLE" } });
    // TRUCK: 800.00 元/day × 3 started days, 3.00 元/km × 123, 50.00 元/t × 2.5 t, damage 500.00 元.
    expect(returned.settlement).toMatchObject({ status: "CALCULATED", days: 3, dayRateFen: 80000, dayFen: "240000", kmFen: "36900", tonneFen: "12500", damageFen: "50000", totalFen: "339400" });
    const settlementId = returned.settlement.id;
    const SET = "settlement { status approvedBy paymentReference }";
    expect((await run("approveSettlement", { settlementId }, finance, SET)).errors[0].code).toBe("INVALID_STATE");
    expect((await run("confirmSettlementByOwner", { settlementId }, logistics, SET)).settlement.status).toBe("CONFIRMED_BY_OWNER");
    expect((await run("approveSettlement", { settlementId }, commander, SET)).topCode).toBe("FORBIDDEN");
    const approved = await run("approveSettlement", { settlementId }, finance, SET);
    expect(approved.settlement).toMatchObject({ status: "APPROVED", approvedBy: "finance" });
    const paid = await run("recordSettlementPayment", { settlementId, paymentReference: "KZCZ-2026-0815" }, finance, SET);
    expect(paid.settlement).toMatchObject({ status: "PAID", paymentReference: "KZCZ-2026-0815" });
    const audited = await t.app.dataSource.query(`SELECT operation FROM audit_entry WHERE outcome = 'SUCCEEDED' AND operation IN ('requisitionResource', 'returnRequisitionedResource', 'confirmSettlementByOwner', 'approveSettlement', 'recordSettlementPayment') ORDER BY id`);
    expect(audited.map((row: any) => row.operation)).toEqual(["requisitionResource", "returnRequisitionedResource", "confirmSettlementByOwner", "approveSettlement", "recordSettlementPayment"]);

    // The settlement sheet: amounts in 元, the tonnage in tonnes against the rate per tonne; the
    // CSV names the requisition, vehicle and owner above the table, masked for a dashboard.
    const sheet = await ok(`query ($id: ID!) { settlementSheet(settlementId: $id, format: CSV) { filename rowCount content } }`, { id: settlementId }, dashboard);
    const csv = Buffer.from(sheet.data.settlementSheet.content, "base64").toString("utf8");
    expect(csv).toContain("按运量补偿,2.5 t,50.00,125.00");
    expect(csv).not.toContain("2500 kg");
    expect(csv).toContain("合计,,,3394.00");
    const head = csv.replace(/^\uFEFF/, "").split("\r\n").slice(0, 5);
    expect(head).toEqual([`征用单,${taken.requisition.code}`, expect.stringMatching(/^事件,/), "运力,KZ-V-031", `车牌号,${maskVehiclePlate("渝F·D7031")}`, `被征用人,${maskName("陈志刚")}`]);
    expect(csv).not.toContain("陈志刚");
    expect(sheet.data.settlementSheet.rowCount).toBe(5);
    const financeCsv = Buffer.from((await ok(`query ($id: ID!) { settlementSheet(settlementId: $id, format: CSV) { content } }`, { id: settlementId }, finance)).data.settlementSheet.content, "base64").toString("utf8");
    expect(financeCsv).toContain("被征用人,陈志刚");
    const xlsx = await ok(`query ($id: ID!) { settlementSheet(settlementId: $id) { filename content } }`, { id: settlementId }, finance);
    expect(xlsx.data.settlementSheet.filename).toMatch(/^settlement-KZ-ZY-\d{6}-.*\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.data.settlementSheet.content, "base64") as never);
    const rows: any[][] = [];
    book.worksheets[0].eachRow((row) => rows.push((row.values as any[]).slice(1)));
    const tonnage = book.worksheets[0].getRow(rows.findIndex((row) => row[0] === "按运量补偿") + 1);
    expect([tonnage.getCell(2).value, tonnage.getCell(3).value, tonnage.getCell(4).value]).toEqual(["2.5 t", 50, 125]);
    expect(tonnage.getCell(4).numFmt).toBe("0.00");
    expect(rows.find((row) => row[0] === "合计")?.[3]).toBe(3394);
    const masked = await ok(`query ($id: ID!) { node(id: $id) { ... on Requisition { ownerName ownerPhone requisitionedBy settlement { totalFen } } } }`, { id: taken.requisition.id }, dashboard);
    expect(masked.data.node).toMatchObject({ ownerName: maskName("陈志刚"), ownerPhone: maskPhone("13752380031"), settlement: { totalFen: "339400" } });

    // An ADMIN who requisitioned may not approve it either (separation of duties).
    const byAdmin = await run("requisitionResource", { ...base, startsAt: undefined }, admin, REQ);
    const back = await run("returnRequisitionedResource", { requisitionId: byAdmin.requisition.id, conditionAtReturn: "完好", kmDriven: 0, kgCarried: 0, damageFen: 0 }, admin, "settlement { id totalFen }");
    expect(back.settlement.totalFen).toBe("80000");
    await run("confirmSettlementByOwner", { settlementId: back.settlement.id }, admin, SET);
    expect((await run("approveSettlement", { settlementId: back.settlement.id }, admin, SET)).topCode).toBe("FORBIDDEN");
    expect((await run("approveSettlement", { settlementId: back.settlement.id }, finance, SET)).errors).toEqual([]);
  });

  it("refuses a requisition starting before the incident occurred, or in the future", async () => {
    const base = { resourceId: vehicle("KZ-V-032"), incidentId, legalBasis: "《突发事件应对法》", plannedUntil: new Date(Date.now() + 86_400_000).toISOString(), conditionAtHandover: "完好", fuelAtHandover: "满" };
    const early = await run("requisitionResource", { ...base, startsAt: new Date(Date.now() - 10 * 86_400_000).toISOString() }, commander, "requisition { code }");
    expect(early).toMatchObject({ requisition: null, errors: [{ field: "input.startsAt", code: "OUT_OF_RANGE" }] });
    const later = await run("requisitionResource", { ...base, startsAt: new Date(Date.now() + 3_600_000).toISOString() }, commander, "requisition { code }");
    expect(later.errors[0]).toMatchObject({ field: "input.startsAt", code: "IN_FUTURE" });
    const [{ n }] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM requisition WHERE resource_id = $1`, [resources["KZ-V-032"]]);
    expect(n).toBe(0);
    const [{ status }] = await t.app.dataSource.query(`SELECT status FROM transport_resource WHERE id = $1`, [resources["KZ-V-032"]]);
    expect(status).toBe("AVAILABLE");
  });

  it("turns a unique violation that got past the locks into the UserError, and leaves other errors alone", () => {
    const violation = { driverError: { code: "23505", constraint: "UQ_requisition_active_resource" } };
    expect(() => translateBusy(violation, "input.resourceId", "ALREADY_REQUISITIONED")).toThrow(UserErrorsException);
    const other = { driverError: { code: "23505", constraint: "UQ_requisition_code" } };
    expect(() => translateBusy(other, "input.resourceId", "ALREADY_REQUISITIONED")).toThrow(expect.objectContaining({ driverError: other.driverError }));
  });

  it("lets one of two requisitions racing for one resource have it, with the database as the last word", async () => {
    const base = { resourceId: vehicle("KZ-V-032"), incidentId, legalBasis: "《突发事件应对法》", plannedUntil: new Date(Date.now() + 86_400_000).toISOString(), conditionAtHandover: "完好", fuelAtHandover: "满" };
    const results = await Promise.all([1, 2, 3].map(() => run("requisitionResource", base, commander, "requisition { code }")));
    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => r.errors.length > 0).map((r) => r.errors[0].code)).toEqual(["ALREADY_REQUISITIONED", "ALREADY_REQUISITIONED"]);
    const [{ n }] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM requisition WHERE resource_id = $1 AND status = 'ACTIVE'`, [resources["KZ-V-032"]]);
    expect(n).toBe(1);
    await expect(
      t.app.dataSource.query(
        `INSERT INTO requisition (code, resource_id, incident_id, status, legal_basis, owner_name, starts_at, planned_until, condition_at_handover, fuel_at_handover, requisitioned_by)
         SELECT 'X-1', resource_id, incident_id, 'ACTIVE', 'x', 'x', now(), now() + interval '1 day', 'x', 'x', 'x' FROM requisition WHERE resource_id = $1`,
        [resources["KZ-V-032"]],
      ),
    ).rejects.toThrow(/UQ_requisition_active_resource/);
  });
});

describe("positions and transportChanged", () => {
  it("takes a vehicle's position from its own key only, and tells subscribers with personal data masked for dashboards", async () => {
    const created = await run("createVehicleApiKey", { vehicleId: vehicle("KZ-V-021"), name: "渝F 车载终端" }, admin, "key resource { code }");
    expect(created.errors).toEqual([]);
    const key = created.key;
    const client = clientFor(t.url, dashboard);
    const query = `subscription ($where: TransportChangedWhere) { transportChanged(where: $where) { change resource { code plate lastLatitude lastReportedAt } trip { code vehicles { driverName } } } }`;
    const mine = await subscribe(client, query, { where: { resourceId: vehicle("KZ-V-021") } });
    const inS02 = await subscribe(client, query, { where: { regionId: gid("Region", ids.region["KZ-S02"]) } });

    const POS = "resource { code lastLatitude lastLongitude lastReportedAt }";
    const own = await run("reportVehiclePosition", { vehicleId: vehicle("KZ-V-021"), latitude: 31.17, longitude: 108.39 }, key, POS);
    expect(own.errors).toEqual([]);
    expect(own.resource).toMatchObject({ lastLatitude: 31.17, lastLongitude: 108.39, lastReportedAt: expect.any(String) });
    expect((await run("reportVehiclePosition", { vehicleId: vehicle("KZ-V-022"), latitude: 31.17, longitude: 108.39 }, key, POS)).topCode).toBe("FORBIDDEN");
    expect((await run("reportVehiclePosition", { vehicleId: vehicle("KZ-V-021"), latitude: 31.17, longitude: 108.39 }, dashboard, POS)).topCode).toBe("FORBIDDEN");
    expect((await run("reportVehiclePosition", { vehicleId: vehicle("KZ-V-022"), latitude: 31.2, longitude: 108.4 }, logistics, POS)).errors).toEqual([]);
    // The key writes nothing else.
    expect((await run("setTransportResourceStatus", { resourceId: vehicle("KZ-V-021"), status: "IN_MAINTENANCE" }, key, "resource { status }")).topCode).toBe("FORBIDDEN");

    const going = await order("KZ-S02", 1, 0);
    const trip = await assign([going.id], ["KZ-V-022"], logistics, "赵小军");
    expect(trip.errors).toEqual([]);
    const [event] = await mine.waitFor(1);
    expect(event.transportChanged).toMatchObject({ change: "POSITION", resource: { code: "KZ-V-021", plate: maskVehiclePlate("渝F·C5021"), lastLatitude: 31.17 } });
    await inS02.waitFor(3);
    await settle();
    const changes = inS02.events.map((e: any) => e.transportChanged.change);
    expect(changes).toEqual(["POSITION", "RESOURCE", "TRIP"]);
    expect(inS02.events[2].transportChanged.trip.vehicles[0].driverName).toBe(maskName("赵小军"));
    expect(mine.events).toHaveLength(1);
    await client.dispose();

    const trips = await ok(`query ($id: ID!) { node(id: $id) { ... on TransportTrip { vehicles { driverName driverPhone } assignedBy } } }`, { id: trip.trip.id }, dashboard);
    expect(trips.data.node.vehicles[0]).toEqual({ driverName: maskName("赵小军"), driverPhone: maskPhone("13912345678") });
  });
});
