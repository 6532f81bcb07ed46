// What an incident board reads and hears: orders by incident, state, region and priority; the
// incident's orders and deployed teams at a constant number of SQL statements; node(id:); the
// live dispatchOrderChanged feed (after commit only); and sending and releasing teams.
import { startTestApp, type TestApp } from "./support/app";
import { batchStock, gid, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, settle, subscribe } from "./support/subscriptions";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let commander: string;
let dashboard: string;
let mutate: ReturnType<typeof orderClient>;
let tents: number;

const OPEN_INCIDENT = `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code message } } }`;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [logistics, commander] = await Promise.all([t.tokenFor("logistics"), t.tokenFor("commander")]);
  dashboard = await t.apiKeyFor("DASHBOARD");
  mutate = orderClient(t, "id code status lines { id dispatchedQuantity }");
  tents = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "BOARD-TENT", 1000);
});
afterAll(() => t.stop());

async function openIncident(title: string, regionCode = "KZ-S01"): Promise<string> {
  const result = await t.graphql(OPEN_INCIDENT, { input: { title, hazard: "FLOOD_DROUGHT", level: "III", regionIds: [gid("Region", ids.region[regionCode])] } }, { token: commander });
  expect(result.data.openIncident.errors).toEqual([]);
  return result.data.openIncident.incident.id;
}

async function order(options: { incidentId?: string; regionCode?: string; priority?: string; quantity?: number } = {}) {
  const result = await mutate(
    "createDispatchOrder",
    {
      incidentId: options.incidentId,
      priority: options.priority,
      destination: { regionId: gid("Region", ids.region[options.regionCode ?? "KZ-S01"]) },
      lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: options.quantity ?? 2, allocations: [{ batchId: gid("StockBatch", tents), quantity: options.quantity ?? 2 }] }],
    },
    logistics,
  );
  expect(result.errors).toEqual([]);
  return result.order;
}

async function step(name: string, id: string, token = logistics, extra: Record<string, unknown> = {}) {
  const result = await mutate(name, { id, ...extra }, token);
  expect(result.errors).toEqual([]);
  return result.order;
}

async function leaderReportsReady(teamCode: string, township: string, available: number) {
  const token = await t.tokenFor(`leader.${township}`);
  const result = await t.graphql(
    `mutation ($input: UpdateTeamReadinessInput!) { updateTeamReadiness(input: $input) { errors { code message } } }`,
    { input: { teamId: await teamId(teamCode), status: "READY", availableMembers: available } },
    { token },
  );
  expect(result.data.updateTeamReadiness.errors).toEqual([]);
}

async function teamId(code: string): Promise<string> {
  const [row] = await t.app.dataSource.query(`SELECT id FROM rescue_team WHERE code = $1`, [code]);
  return gid("RescueTeam", row.id);
}

const DEPLOY = `mutation ($input: DeployTeamInput!) { deployTeam(input: $input) { deployment { id headcount active team { code } incident { title } } team { code readinessStatus availableMembers } errors { field code message } } }`;
const RELEASE = `mutation ($input: ReleaseTeamInput!) { releaseTeam(input: $input) { deployment { id active releasedAt } team { code readinessStatus availableMembers } errors { field code message } } }`;

/** A deployment mutation's audit entry, and whether it committed in the transaction that last wrote the deployment row. */
async function entryAndRowTransactions(headers: Headers, deploymentId: string) {
  const id = Number(Buffer.from(deploymentId, "base64").toString().split(":")[1]);
  const [row] = await t.app.dataSource.query(`SELECT xmin::text AS xid FROM team_deployment WHERE id = $1`, [id]);
  const [entry, ...more] = await t.app.dataSource.query(`SELECT operation, outcome, xmin::text AS xid FROM audit_entry WHERE request_id = $1`, [headers.get("x-request-id")]);
  expect(more).toEqual([]);
  return { operation: entry.operation, outcome: entry.outcome, sameTransaction: entry.xid === row.xid };
}

describe("team deployments", () => {
  it("sends a team to an incident and brings it back, refusing a team already out or asked for too many", async () => {
    const incident = await openIncident("汉丰湖内涝");
    await leaderReportsReady("KZ-TT-S01", "kz-s01", 18);
    const team = await teamId("KZ-TT-S01");

    const tooMany = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team, headcount: 19 } }, { token: commander });
    expect(tooMany.data.deployTeam.errors[0]).toMatchObject({ field: "input.headcount", code: "INSUFFICIENT_MEMBERS" });
    const byLogistics = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team, headcount: 1 } }, { token: logistics });
    expect(byLogistics.errors?.[0].extensions?.code).toBe("FORBIDDEN");

    const sent = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team, headcount: 12, note: "排涝" } }, { token: commander });
    expect(sent.data.deployTeam.errors).toEqual([]);
    expect(sent.data.deployTeam.deployment).toMatchObject({ headcount: 12, active: true, team: { code: "KZ-TT-S01" }, incident: { title: "汉丰湖内涝" } });
    expect(sent.data.deployTeam.team).toEqual({ code: "KZ-TT-S01", readinessStatus: "DEPLOYED", availableMembers: 6 });
    expect(await entryAndRowTransactions(sent.headers, sent.data.deployTeam.deployment.id)).toEqual({ operation: "deployTeam", outcome: "SUCCEEDED", sameTransaction: true });

    const again = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team, headcount: 1 } }, { token: commander });
    expect(again.data.deployTeam.errors[0]).toMatchObject({ field: "input.teamId", code: "INVALID_STATE" });
    const [{ n }] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM team_deployment WHERE released_at IS NULL`);
    expect(n).toBe(1);

    const released = await t.graphql(RELEASE, { input: { teamId: team } }, { token: commander });
    expect(released.data.releaseTeam.errors).toEqual([]);
    expect(released.data.releaseTeam.deployment.active).toBe(false);
    expect(released.data.releaseTeam.team).toEqual({ code: "KZ-TT-S01", readinessStatus: "RECOVERING", availableMembers: 18 });
    expect(await entryAndRowTransactions(released.headers, released.data.releaseTeam.deployment.id)).toEqual({ operation: "releaseTeam", outcome: "SUCCEEDED", sameTransaction: true });
    const twice = await t.graphql(RELEASE, { input: { teamId: team } }, { token: commander });
    expect(twice.data.releaseTeam.errors[0]).toMatchObject({ code: "INVALID_STATE" });

    await t.graphql(`mutation ($id: ID!) { closeIncident(input: { incidentId: $id }) { errors { code } } }`, { id: incident }, { token: commander });
    const toClosed = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team, headcount: 1 } }, { token: commander });
    expect(toClosed.data.deployTeam.errors[0]).toMatchObject({ field: "input.incidentId", code: "INVALID_STATE" });
  });
});

describe("reading orders", () => {
  it("shows each incident's orders and teams at the same number of SQL statements for one incident or three", async () => {
    const incidents: string[] = [];
    const teams = [
      ["KZ-TT-S02", "kz-s02"],
      ["KZ-TT-S03", "kz-s03"],
      ["KZ-TT-S04", "kz-s04"],
    ];
    for (const [i, [teamCode, township]] of teams.entries()) {
      const incident = await openIncident(`看板测试 ${i}`);
      incidents.push(incident);
      const first = await order({ incidentId: incident });
      await step("submitDispatchOrder", first.id);
      await order({ incidentId: incident, quantity: 3 });
      await leaderReportsReady(teamCode, township, 5);
      const deployed = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: await teamId(teamCode), headcount: 3 } }, { token: commander });
      expect(deployed.data.deployTeam.errors).toEqual([]);
    }
    const BOARD = `query ($n: Int) { incidents(first: $n, where: { status: OPEN }) { nodes { title
      dispatchOrders(first: 5) { totalCount nodes { code status destinationRegion { code } incident { title } lines { quantity allocatedQuantity item { code } allocations { site { code } batch { batchNumber } } } } }
      submitted: dispatchOrders(first: 5, status: SUBMITTED) { totalCount nodes { status } }
      teamDeployments(active: true) { headcount team { code readinessStatus } } } } }`;
    const one = await t.graphql(BOARD, { n: 1 }, { token: dashboard });
    const three = await t.graphql(BOARD, { n: 3 }, { token: dashboard });
    expect(three.errors).toBeUndefined();
    const board = three.data.incidents.nodes;
    expect(board.map((i: any) => i.title)).toEqual(["看板测试 2", "看板测试 1", "看板测试 0"]);
    for (const incident of board) {
      expect(incident.dispatchOrders.totalCount).toBe(2);
      expect(incident.dispatchOrders.nodes.map((o: any) => o.lines[0].quantity)).toEqual([3, 2]);
      expect(incident.dispatchOrders.nodes[0]).toMatchObject({ incident: { title: incident.title }, destinationRegion: { code: "KZ-S01" } });
      expect(incident.dispatchOrders.nodes[0].lines[0].allocations[0]).toEqual({ site: { code: "KZ-DEPOT-01" }, batch: { batchNumber: "BOARD-TENT" } });
      expect(incident.submitted).toEqual({ totalCount: 1, nodes: [{ status: "SUBMITTED" }] });
      expect(incident.teamDeployments).toEqual([{ headcount: 3, team: { code: expect.stringMatching(/^KZ-TT-S0[234]$/), readinessStatus: "DEPLOYED" } }]);
    }
    expect(three.sqlStatements).toBe(one.sqlStatements);

    // Paging deeper into one incident's orders.
    const page = async (after?: string) =>
      (await t.graphql(`query ($id: ID!, $after: String) { incident(id: $id) { dispatchOrders(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { code } } } }`, { id: incidents[0], after }, { token: dashboard })).data
        .incident.dispatchOrders;
    const p1 = await page();
    const p2 = await page(p1.pageInfo.endCursor);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    expect(p2.nodes[0].code).not.toBe(p1.nodes[0].code);
  });

  it("filters orders by incident, state, destination region and priority, newest first", async () => {
    const incident = await openIncident("筛选测试");
    const a = await order({ incidentId: incident, regionCode: "KZ-S01-C01" });
    const b = await order({ incidentId: incident, priority: "URGENT", regionCode: "KZ-S02" });
    await step("submitDispatchOrder", b.id);
    const list = async (where: Record<string, unknown>) =>
      (await t.graphql(`query ($where: DispatchOrderWhere) { dispatchOrders(first: 50, where: $where) { totalCount nodes { code } } }`, { where }, { token: dashboard })).data.dispatchOrders;
    expect((await list({ incidentId: incident })).nodes.map((o: any) => o.code)).toEqual([b.code, a.code]);
    expect((await list({ incidentId: incident, status: "SUBMITTED" })).nodes.map((o: any) => o.code)).toEqual([b.code]);
    expect((await list({ incidentId: incident, priority: "URGENT" })).nodes.map((o: any) => o.code)).toEqual([b.code]);
    // A township includes its villages.
    expect((await list({ incidentId: incident, regionId: gid("Region", ids.region["KZ-S01"]) })).nodes.map((o: any) => o.code)).toEqual([a.code]);
    expect((await list({ incidentId: incident, regionId: gid("Region", ids.region["KZ-S02"]) })).totalCount).toBe(1);
  });

  it("fetches orders, lines, sources and deployments by node(id:)", async () => {
    const created = await order();
    const full = (await t.graphql(`query ($id: ID!) { dispatchOrder(id: $id) { lines { id allocations { id } } } }`, { id: created.id }, { token: dashboard })).data.dispatchOrder;
    const NODE = `query ($id: ID!) { node(id: $id) { __typename id ... on DispatchOrder { code } ... on DispatchOrderLine { quantity order { code } } ... on DispatchAllocation { quantity line { quantity } } } }`;
    for (const [id, typename] of [
      [created.id, "DispatchOrder"],
      [full.lines[0].id, "DispatchOrderLine"],
      [full.lines[0].allocations[0].id, "DispatchAllocation"],
    ]) {
      const node = (await t.graphql(NODE, { id }, { token: dashboard })).data.node;
      expect(node).toMatchObject({ __typename: typename, id });
    }
    const [deployment] = await t.app.dataSource.query(`SELECT id FROM team_deployment ORDER BY id LIMIT 1`);
    const node = (await t.graphql(`query ($id: ID!) { node(id: $id) { __typename ... on TeamDeployment { headcount deployedBy team { code } } } }`, { id: gid("TeamDeployment", deployment.id) }, { token: dashboard })).data.node;
    expect(node).toMatchObject({ __typename: "TeamDeployment", team: { code: expect.any(String) } });
    expect(node.deployedBy).toMatch(/\*/); // personal data, masked for dashboards
  });
});

describe("dispatchOrderChanged", () => {
  it("tells subscribers about committed changes matching their filter, and nothing about refused ones", async () => {
    const incident = await openIncident("订阅测试");
    const client = clientFor(t.url, dashboard);
    const query = `subscription ($where: DispatchOrderChangedWhere) { dispatchOrderChanged(where: $where) { change order { code status lines { dispatchedQuantity } } } }`;
    const forIncident = await subscribe(client, query, { where: { incidentId: incident } });
    const approvedOnly = await subscribe(client, query, { where: { status: "APPROVED", incidentId: incident } });
    const otherRegion = await subscribe(client, query, { where: { regionId: gid("Region", ids.region["KZ-T27"]) } });
    try {
      const created = await order({ incidentId: incident });
      await step("submitDispatchOrder", created.id);
      // Refused: a second order wanting more than the batch holds; no event for the rolled-back approval.
      const available = await batchStock(t.app.dataSource, tents);
      const greedy = await order({ incidentId: incident, quantity: available.onHand - available.reserved + 1 });
      await step("submitDispatchOrder", greedy.id);
      const refused = await mutate("approveDispatchOrder", { id: greedy.id }, commander);
      expect(refused.errors[0].code).toMatch(/INSUFFICIENT_STOCK|STOCK_RESERVED/);
      await step("approveDispatchOrder", created.id, commander);
      await step("markDispatched", created.id);

      const events = await forIncident.waitFor(6);
      await settle();
      expect(forIncident.events.map((e: any) => [e.dispatchOrderChanged.change, e.dispatchOrderChanged.order.code])).toEqual([
        ["CREATED", created.code],
        ["SUBMITTED", created.code],
        ["CREATED", greedy.code],
        ["SUBMITTED", greedy.code],
        ["APPROVED", created.code],
        ["DISPATCHED", created.code],
      ]);
      // Delivered as committed when the event is read.
      expect(events[5].dispatchOrderChanged.order).toMatchObject({ status: "DISPATCHED", lines: [{ dispatchedQuantity: 2 }] });
      expect(approvedOnly.events.map((e: any) => e.dispatchOrderChanged.change)).toEqual(["APPROVED"]);
      expect(otherRegion.events).toEqual([]);
    } finally {
      await Promise.all([forIncident.close(), approvedOnly.close(), otherRegion.close()]);
      await client.dispose();
    }
  });
});
