// An incident's on-scene commander and a dispatch order's vehicle plate are personal data: a
// person's name, and a plate that identifies a vehicle and so its owner (often a private
// person's, requisitioned). Those who may see personal data see them in full; dashboards see them
// masked on every path that reaches them — lists, by id, node(id:), nested, subscriptions.
import { maskVehiclePlate } from "../src/core/access/personal-data";
import { startTestApp, type TestApp } from "./support/app";
import { gid, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, subscribe } from "./support/subscriptions";

let t: TestApp;
let ids: SeedIds;
let commander: string;
let logistics: string;
let dashboard: string;
let incidentId: string;
let orderId: string;

const COMMANDER_NAME = "欧阳明华";
const PLATE = "渝F·12345";

beforeAll(async () => {
  t = await startTestApp();
  ids = await seedIds(t.app.dataSource);
  [commander, logistics] = await Promise.all([t.tokenFor("commander"), t.tokenFor("logistics")]);
  dashboard = await t.apiKeyFor("DASHBOARD");
  const opened = await t.graphql(
    `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code } } }`,
    { input: { title: "个人信息测试", hazard: "FLOOD_DROUGHT", level: "III", regionIds: [gid("Region", ids.region["KZ-S01"])], commanderName: COMMANDER_NAME } },
    { token: commander },
  );
  incidentId = opened.data.openIncident.incident.id;
  const batch = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "PD-TENT", 10);
  const created = await orderClient(t, "id")(
    "createDispatchOrder",
    {
      incidentId,
      destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
      lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 2, allocations: [{ batchId: gid("StockBatch", batch), quantity: 2 }] }],
      transport: { vehiclePlate: PLATE },
    },
    logistics,
  );
  expect(created.errors).toEqual([]);
  orderId = created.order.id;
});
afterAll(() => t.stop());

it("masks a plate to its province, city letter and last two characters", () => {
  expect(maskVehiclePlate("渝F·12345")).toBe("渝F·***45");
  expect(maskVehiclePlate("渝F12345")).toBe("渝F·***45");
  expect(maskVehiclePlate("渝FD12345")).toBe("渝F·****45"); // new-energy plates have six characters after the letter
  expect(maskVehiclePlate("渝 F-12345")).toBe("渝F·***45");
  expect(maskVehiclePlate("临时")).toBe("****");
});

const BOARD = `query ($incident: ID!, $order: ID!) {
  incidents(first: 50) { nodes { id commanderName } }
  incident(id: $incident) { commanderName dispatchOrders(first: 5) { nodes { vehiclePlate incident { commanderName } } } }
  dispatchOrders(first: 50, where: { incidentId: $incident }) { nodes { vehiclePlate } }
  dispatchOrder(id: $order) { vehiclePlate }
  incidentNode: node(id: $incident) { ... on Incident { commanderName } }
  orderNode: node(id: $order) { ... on DispatchOrder { vehiclePlate incident { commanderName } } }
}`;

/** Every commander name and plate of our incident and order the board query shows. */
async function shownOnBoard(token: string): Promise<{ names: string[]; plates: string[] }> {
  const { data, errors } = await t.graphql(BOARD, { incident: incidentId, order: orderId }, { token });
  expect(errors).toBeUndefined();
  const listed = data.incidents.nodes.find((incident: { id: string }) => incident.id === incidentId);
  return {
    names: [listed.commanderName, data.incident.commanderName, data.incident.dispatchOrders.nodes[0].incident.commanderName, data.incidentNode.commanderName, data.orderNode.incident.commanderName],
    plates: [data.incident.dispatchOrders.nodes[0].vehiclePlate, data.dispatchOrders.nodes[0].vehiclePlate, data.dispatchOrder.vehiclePlate, data.orderNode.vehiclePlate],
  };
}

it("shows the commander's name and the plate in full to a commander, masked to a dashboard, on every path", async () => {
  expect(await shownOnBoard(commander)).toEqual({ names: Array(5).fill(COMMANDER_NAME), plates: Array(4).fill(PLATE) });
  expect(await shownOnBoard(dashboard)).toEqual({ names: Array(5).fill("欧***"), plates: Array(4).fill("渝F·***45") });
});

it("masks them for a dashboard in subscriptions, and not for a commander subscribed to the same", async () => {
  const INCIDENTS = `subscription ($where: IncidentChangedWhere) { incidentChanged(where: $where) { incident { commanderName } } }`;
  const ORDERS = `subscription ($where: DispatchOrderChangedWhere) { dispatchOrderChanged(where: $where) { order { vehiclePlate incident { commanderName } } } }`;
  const dashboardClient = clientFor(t.url, dashboard);
  const commanderClient = clientFor(t.url, commander);
  const subscribers = {
    dashboard: await Promise.all([subscribe(dashboardClient, INCIDENTS, { where: { incidentId } }), subscribe(dashboardClient, ORDERS, { where: { incidentId } })]),
    commander: await Promise.all([subscribe(commanderClient, INCIDENTS, { where: { incidentId } }), subscribe(commanderClient, ORDERS, { where: { incidentId } })]),
  };
  try {
    const updated = await t.graphql(`mutation ($input: UpdateIncidentInput!) { updateIncident(input: $input) { errors { code } } }`, { input: { incidentId, commanderName: "张伟" } }, { token: commander });
    expect(updated.data.updateIncident.errors).toEqual([]);
    const moved = await orderClient(t, "id")("updateDispatchOrder", { id: orderId, transport: { vehiclePlate: "渝FD67890" } }, logistics);
    expect(moved.errors).toEqual([]);

    const heard = async ([incidents, orders]: typeof subscribers.dashboard) => ({
      incident: (await incidents.waitFor(1))[0].incidentChanged.incident,
      order: (await orders.waitFor(1))[0].dispatchOrderChanged.order,
    });
    expect(await heard(subscribers.dashboard)).toEqual({ incident: { commanderName: "张*" }, order: { vehiclePlate: "渝F·****90", incident: { commanderName: "张*" } } });
    expect(await heard(subscribers.commander)).toEqual({ incident: { commanderName: "张伟" }, order: { vehiclePlate: "渝FD67890", incident: { commanderName: "张伟" } } });
  } finally {
    await Promise.all([...subscribers.dashboard, ...subscribers.commander].map((subscriber) => subscriber.close()));
    await Promise.all([dashboardClient.dispose(), commanderClient.dispose()]);
  }
});
