import { clientFor, settle, subscribe } from "./support/subscriptions";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let commander: string;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestApp();
  commander = await t.tokenFor("commander");
  const regions = await t.graphql(`{ regions(first: 100, where: { level: TOWNSHIP }) { nodes { id code latitude longitude } } }`, {}, { token: commander });
  for (const r of regions.data.regions.nodes) ids[r.code] = r.id;
  const villages = await t.graphql(`query ($p: ID) { regions(first: 3, where: { parentId: $p }) { nodes { id code } } }`, { p: ids["KZ-T01"] }, { token: commander });
  for (const r of villages.data.regions.nodes) ids[r.code] = r.id;
});
afterAll(() => t.stop());

const OPEN = `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) {
  incident { id code title hazard level status regions { code } district { code } occurredAt closedAt }
  errors { field code message } } }`;

function flood(overrides: Record<string, unknown> = {}) {
  return { title: "南河汛情", hazard: "FLOOD_DROUGHT", level: "III", regionIds: [ids["KZ-S01"], ids["KZ-T01"]], commanderName: "李明", ...overrides };
}

it("opens, updates and closes an incident, numbered per district and year", async () => {
  const opened = await t.graphql(OPEN, { input: flood() }, { token: commander });
  expect(opened.data.openIncident.errors).toEqual([]);
  const incident = opened.data.openIncident.incident;
  expect(incident).toMatchObject({ status: "OPEN", level: "III", district: { code: "KZ" }, closedAt: null });
  expect(incident.code).toMatch(new RegExp(`^KZ-${new Date().getFullYear()}-\\d{4}$`));
  expect(incident.regions.map((r: any) => r.code).sort()).toEqual(["KZ-S01", "KZ-T01"]);
  const [{ same }] = await t.app.dataSource.query(
    `SELECT (SELECT xmin::text FROM incident WHERE code = $1) = (SELECT xmin::text FROM audit_entry WHERE request_id = $2 AND operation = 'openIncident' AND outcome = 'SUCCEEDED') AS same`,
    [incident.code, opened.headers.get("x-request-id")],
  );
  expect(same).toBe(true); // the incident and its audit entry commit together

  const raised = await t.graphql(`mutation ($input: UpdateIncidentInput!) { updateIncident(input: $input) { incident { level regions { code } } errors { code } } }`, {
    input: { incidentId: incident.id, level: "II", regionIds: [ids["KZ-T01"]] },
  }, { token: commander });
  expect(raised.data.updateIncident.incident).toEqual({ level: "II", regions: [{ code: "KZ-T01" }] });

  const closed = await t.graphql(`mutation ($id: ID!) { closeIncident(input: { incidentId: $id }) { incident { status closedAt } errors { code } } }`, { id: incident.id }, { token: commander });
  expect(closed.data.closeIncident.incident.status).toBe("CLOSED");
  const again = await t.graphql(`mutation ($id: ID!) { closeIncident(input: { incidentId: $id }) { incident { status } errors { field code message } } }`, { id: incident.id }, { token: commander });
  expect(again.data.closeIncident.errors[0]).toMatchObject({ field: "input.incidentId", code: "INVALID_STATE", message: expect.stringMatching(/CLOSED/) });
});

it("refuses bad input, naming the field, and writes nothing", async () => {
  const before = (await t.app.dataSource.query("SELECT count(*)::int AS n FROM incident"))[0].n;
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ regionIds: [] }, "input.regionIds", "REQUIRED"],
    [{ title: "  " }, "input.title", "BLANK"],
    [{ latitude: 39.9, longitude: 116.4 }, "input.latitude", "OUT_OF_AREA"],
    [{ latitude: 31.1 }, "input.longitude", "REQUIRED"],
    [{ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, "input.occurredAt", "IN_FUTURE"],
    [{ regionIds: ["UmVnaW9uOjk5OTk5OQ=="] }, "input.regionIds[0]", "NOT_FOUND"],
  ];
  for (const [overrides, field, code] of cases) {
    const result = await t.graphql(OPEN, { input: flood(overrides) }, { token: commander });
    expect(result.data.openIncident.incident).toBeNull();
    expect(result.data.openIncident.errors).toContainEqual(expect.objectContaining({ field, code }));
  }
  expect((await t.app.dataSource.query("SELECT count(*)::int AS n FROM incident"))[0].n).toBe(before);
});

it("lists incidents by status, hazard and region (its villages included)", async () => {
  await t.graphql(OPEN, { input: flood({ title: "大德镇山洪", regionIds: [ids["KZ-T01-C01"] ?? ids["KZ-T01"]] }) }, { token: commander });
  await t.graphql(OPEN, { input: flood({ title: "雪宝山林火", hazard: "FOREST_FIRE", regionIds: [ids["KZ-T27"]] }) }, { token: commander });
  const list = async (where: Record<string, unknown>) =>
    (await t.graphql(`query ($where: IncidentWhere) { incidents(first: 50, where: $where) { totalCount nodes { title } } }`, { where }, { token: await t.apiKeyFor("DASHBOARD") })).data.incidents;
  expect((await list({ hazard: "FOREST_FIRE" })).nodes.map((n: any) => n.title)).toEqual(["雪宝山林火"]);
  expect((await list({ regionId: ids["KZ-T01"], status: "OPEN" })).nodes.map((n: any) => n.title)).toContain("大德镇山洪");
  expect((await list({ regionId: ids["KZ-T27"] })).nodes.map((n: any) => n.title)).toEqual(["雪宝山林火"]);
});

it("tells subscribers about committed changes matching their filter, and nothing about refused ones", async () => {
  const client = clientFor(t.url, await t.apiKeyFor("DASHBOARD"));
  const query = `subscription ($where: IncidentChangedWhere) { incidentChanged(where: $where) { change incident { title status regions { code } } } }`;
  const inT27 = await subscribe(client, query, { where: { regionId: ids["KZ-T27"] } });
  const everything = await subscribe(client, query, {});
  await t.graphql(OPEN, { input: flood({ title: "无效", regionIds: [] }) }, { token: commander }); // refused: no event
  await t.graphql(OPEN, { input: flood({ title: "汉丰街道内涝", regionIds: [ids["KZ-S01"]] }) }, { token: commander });
  const opened = await t.graphql(OPEN, { input: flood({ title: "雪宝山二次林火", hazard: "FOREST_FIRE", regionIds: [ids["KZ-T27"]] }) }, { token: commander });
  await t.graphql(`mutation ($id: ID!) { closeIncident(input: { incidentId: $id }) { errors { code } } }`, { id: opened.data.openIncident.incident.id }, { token: commander });

  const mine = await inT27.waitFor(2);
  // Each event carries the incident as committed when it is delivered: the close may already show.
  expect(mine.map((e: any) => [e.incidentChanged.change, e.incidentChanged.incident.title])).toEqual([
    ["OPENED", "雪宝山二次林火"],
    ["CLOSED", "雪宝山二次林火"],
  ]);
  expect(mine[1].incidentChanged.incident.status).toBe("CLOSED");
  await everything.waitFor(3);
  await settle();
  expect(everything.events.map((e: any) => e.incidentChanged.incident.title)).toEqual(["汉丰街道内涝", "雪宝山二次林火", "雪宝山二次林火"]);
  expect(inT27.events).toHaveLength(2);
  await client.dispose();
});
