// The travel-time table (通行时间表) as staff keep it, over HTTP on the seeded district: what the
// seed holds (derived road links between neighbouring townships, illustrative water links),
// setTravelTime, road closures reported and reopened (scope, history, audit in the same
// transaction, the wall's subscription), travelRoute round a closure and by boat, and the
// routes sheet exported and imported back.
import { startTestApp, type TestApp } from "./support/app";
import { gid, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, subscribe } from "./support/subscriptions";
import { derivedMinutes } from "../src/modules/routes/derived-times";
import { TravelMode } from "../src/modules/routes/routes.enums";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let scoped: string;
let commander: string;
let dashboard: string;
/** Route node ids by code (KZ-S01 … and KZ-DEPOT-01). */
let node: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [logistics, scoped, commander] = await Promise.all([t.tokenFor("logistics"), t.tokenFor("logistics.kz-s01"), t.tokenFor("commander")]);
  dashboard = await t.apiKeyFor("DASHBOARD");
  const result = await t.graphql(`{ routeNodes(first: 100) { totalCount nodes { id code name kind } } }`, {}, { token: dashboard });
  expect(result.data.routeNodes.totalCount).toBe(41);
  node = Object.fromEntries(result.data.routeNodes.nodes.map((n: any) => [n.code, n.id]));
});
afterAll(() => t.stop());

async function mutate(name: string, input: Record<string, unknown>, token: string, fields: string) {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  const result = await t.graphql(`mutation ($input: ${type}!) { ${name}(input: $input) { ${fields} errors { field code message } } }`, { input }, { token });
  return { ...(result.data?.[name] ?? {}), topErrors: result.errors, headers: result.headers } as any;
}

const ROUTE = `query ($from: ID!, $to: ID!) { travelRoute(fromId: $from, toId: $to) { reachable minutes waterways path detour legs { mode minutes waterway from { code } to { code } link { basis } } } }`;

describe("the seeded table", () => {
  it("holds a derived road link between neighbouring places, every place reachable, and a few water links marked illustrative", async () => {
    const rows = await t.app.dataSource.query(`SELECT mode, basis, minutes, distance_km, waterway, note FROM travel_link`);
    const roads = rows.filter((r: any) => r.mode === "ROAD");
    const waters = rows.filter((r: any) => r.mode === "WATER");
    expect(roads.length).toBeGreaterThan(40);
    expect(rows.every((r: any) => r.basis === "DERIVED")).toBe(true);
    // What a derived minute is: the straight line × 1.4 at 40 km/h (the distance is stored to one decimal).
    for (const road of roads) expect(Math.abs(road.minutes - derivedMinutes(road.distance_km, TravelMode.ROAD))).toBeLessThanOrEqual(1);
    expect(waters.map((w: any) => w.waterway).sort()).toEqual(["汉丰湖", "汉丰湖", "汉丰湖", "汉丰湖", "澎溪河", "澎溪河"]);
    expect(waters.every((w: any) => /示意/.test(w.note))).toBe(true);

    const depot = node["KZ-DEPOT-01"];
    for (const code of Object.keys(node).filter((c) => c !== "KZ-DEPOT-01")) {
      const route = (await t.graphql(ROUTE, { from: depot, to: node[code] }, { token: dashboard })).data.travelRoute;
      expect(route.reachable).toBe(true);
    }
  });

  it("reads links and their places in a number of statements that does not grow with the page", async () => {
    const query = `query ($n: Int!) { travelLinks(first: $n) { nodes { minutes basis from { id kind closure { reason } } to { id kind } closure { reason } } } }`;
    const small = await t.graphql(query, { n: 5 }, { token: dashboard });
    const large = await t.graphql(query, { n: 60 }, { token: dashboard });
    expect(large.data.travelLinks.nodes).toHaveLength(60);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
});

describe("setTravelTime", () => {
  it("sets a link's minutes as surveyed, creates a missing one, and refuses bad input naming the field", async () => {
    const [link] = (await t.graphql(`query ($n: ID!) { travelLinks(first: 1, where: { nodeId: $n, mode: ROAD }) { nodes { id from { id } to { id } minutes basis } } }`, { n: node["KZ-S01"] }, { token: logistics })).data.travelLinks.nodes;
    const set = await mutate("setTravelTime", { fromId: link.to.id, toId: link.from.id, mode: "ROAD", minutes: link.minutes + 7, note: "2026-05 实测，满载货车" }, logistics, "link { id minutes basis note updatedBy }");
    expect(set.errors).toEqual([]);
    expect(set.link).toEqual({ id: link.id, minutes: link.minutes + 7, basis: "SURVEYED", note: "2026-05 实测，满载货车", updatedBy: expect.any(String) });

    const boat = await mutate("setTravelTime", { fromId: node["KZ-S02"], toId: node["KZ-T17"], mode: "WATER", minutes: 35, waterway: "汉丰湖", idempotencyKey: "boat-s02-t17" }, logistics, "link { id mode waterway distanceKm basis }");
    expect(boat.link).toMatchObject({ mode: "WATER", waterway: "汉丰湖", basis: "SURVEYED" });
    const again = await mutate("setTravelTime", { fromId: node["KZ-S02"], toId: node["KZ-T17"], mode: "WATER", minutes: 35, waterway: "汉丰湖", idempotencyKey: "boat-s02-t17" }, logistics, "link { id }");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.link.id).toBe(boat.link.id);

    const bad = await mutate("setTravelTime", { fromId: node["KZ-S02"], toId: node["KZ-S02"], mode: "ROAD", minutes: 0, waterway: "汉丰湖" }, logistics, "link { id }");
    expect(bad.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["input.minutes", "OUT_OF_RANGE"],
      ["input.waterway", "NOT_ALLOWED"],
    ]);
    const same = await mutate("setTravelTime", { fromId: node["KZ-S02"], toId: node["KZ-S02"], mode: "ROAD", minutes: 10 }, logistics, "link { id }");
    expect(same.errors[0]).toMatchObject({ field: "input.toId", code: "SAME_PLACE" });

    // The table serves the whole district: a township's account may not change it; a commander neither.
    for (const token of [scoped, commander]) {
      const refused = await mutate("setTravelTime", { fromId: link.from.id, toId: link.to.id, mode: "ROAD", minutes: 5 }, token, "link { id }");
      expect(refused.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    const audit = await t.app.dataSource.query(`SELECT outcome, count(*)::int AS n FROM audit_entry WHERE operation = 'setTravelTime' GROUP BY outcome ORDER BY outcome`);
    expect(audit).toEqual([
      { outcome: "REFUSED", n: 2 },
      { outcome: "REJECTED", n: 2 },
      { outcome: "SUCCEEDED", n: 3 }, // the replay is recorded too
    ]);
  });
});

describe("road closures (道路中断)", () => {
  it("cuts a place off by road, routes by water, keeps the history, and tells the wall", async () => {
    const wall = await subscribe(clientFor(t.url, dashboard), `subscription ($r: ID) { roadClosureChanged(where: { regionId: $r }) { change closure { reason active reportedBy node { code } } } }`, { r: gid("Region", ids.region["KZ-S01"]) });
    const usual = (await t.graphql(ROUTE, { from: node["KZ-DEPOT-01"], to: node["KZ-S01"] }, { token: dashboard })).data.travelRoute;
    expect(usual).toMatchObject({ reachable: true, waterways: [], detour: null });

    // 汉丰街道's own account reports its unit cut off.
    const reported = await mutate("reportRoadClosure", { nodeId: node["KZ-S01"], reason: "山体滑坡，开州大道中断" }, scoped, "closure { id active reportedAt reportedBy node { code } link { id } }");
    expect(reported.errors).toEqual([]);
    expect(reported.closure).toMatchObject({ active: true, node: { code: "KZ-S01" }, link: null });
    const [{ same }] = await t.app.dataSource.query(
      `SELECT (SELECT xmin::text FROM road_closure WHERE id = $1) = (SELECT xmin::text FROM audit_entry WHERE operation = 'reportRoadClosure' AND outcome = 'SUCCEEDED' ORDER BY id DESC LIMIT 1) AS same`,
      [Number(Buffer.from(reported.closure.id, "base64").toString().split(":")[1])],
    );
    expect(same).toBe(true); // the closure and its audit entry commit together

    const twice = await mutate("reportRoadClosure", { nodeId: node["KZ-S01"], reason: "again" }, logistics, "closure { id }");
    expect(twice.errors[0]).toMatchObject({ field: "input.nodeId", code: "ALREADY_CLOSED" });
    const elsewhere = await mutate("reportRoadClosure", { nodeId: node["KZ-S02"], reason: "x" }, scoped, "closure { id }");
    expect(elsewhere.topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
    const both = await mutate("reportRoadClosure", { nodeId: node["KZ-S02"], linkId: gid("TravelLink", 1), reason: "x" }, logistics, "closure { id }");
    expect(both.errors[0]).toMatchObject({ field: "input", code: "AMBIGUOUS" });

    const cut = (await t.graphql(ROUTE, { from: node["KZ-DEPOT-01"], to: node["KZ-S01"] }, { token: dashboard })).data.travelRoute;
    expect(cut).toMatchObject({ reachable: true, waterways: ["汉丰湖"], detour: "汉丰街道道路中断（山体滑坡，开州大道中断）" });
    expect(cut.minutes).toBeGreaterThan(usual.minutes);
    expect(cut.legs.at(-1)).toMatchObject({ mode: "WATER", to: { code: "KZ-S01" } });
    const state = (await t.graphql(`{ routeNodes(first: 5, where: { cutOff: true }) { nodes { code closure { reason } } } travelLinks(first: 100, where: { closed: true }) { nodes { mode } } }`, {}, { token: dashboard })).data;
    expect(state.routeNodes.nodes).toEqual([{ code: "KZ-S01", closure: { reason: "山体滑坡，开州大道中断" } }]);
    expect(state.travelLinks.nodes.length).toBeGreaterThan(0);
    expect(state.travelLinks.nodes.every((l: any) => l.mode === "ROAD")).toBe(true); // its water links still run

    const reopened = await mutate("reopenRoad", { closureId: reported.closure.id, note: "单车道通行" }, scoped, "closure { active reopenedAt reopenNote }");
    expect(reopened.closure).toMatchObject({ active: false, reopenNote: "单车道通行" });
    expect((await mutate("reopenRoad", { closureId: reported.closure.id }, logistics, "closure { id }")).errors[0]).toMatchObject({ code: "INVALID_STATE" });
    const history = (await t.graphql(`query ($n: ID!) { roadClosures(first: 10, where: { nodeId: $n }) { nodes { reason active reportedBy reopenedBy } } }`, { n: node["KZ-S01"] }, { token: dashboard })).data.roadClosures.nodes;
    expect(history).toEqual([{ reason: "山体滑坡，开州大道中断", active: false, reportedBy: expect.stringMatching(/^.\*+$/), reopenedBy: expect.stringMatching(/^.\*+$/) }]);

    const events = await wall.waitFor(2);
    expect(events.map((e) => [e.roadClosureChanged.change, e.roadClosureChanged.closure.node.code])).toEqual([
      ["REPORTED", "KZ-S01"],
      ["REOPENED", "KZ-S01"],
    ]);
    expect(events[0].roadClosureChanged.closure.reportedBy).toMatch(/\*/); // dashboards never see names
    await wall.close();
  });

  it("closes one link, which the route then goes round", async () => {
    const usual = (await t.graphql(ROUTE, { from: node["KZ-DEPOT-01"], to: node["KZ-S01"] }, { token: dashboard })).data.travelRoute;
    const firstLeg = await t.app.dataSource.query(`SELECT id FROM travel_link WHERE mode = 'ROAD' AND from_node_id = LEAST($1::int, $2::int) AND to_node_id = GREATEST($1::int, $2::int)`, [
      Number(Buffer.from(node["KZ-DEPOT-01"], "base64").toString().split(":")[1]),
      Number(Buffer.from(node[usual.legs[0].to.code], "base64").toString().split(":")[1]),
    ]);
    const closed = await mutate("reportRoadClosure", { linkId: gid("TravelLink", firstLeg[0].id), reason: "桥梁检修" }, commander, "closure { id link { mode } }");
    expect(closed.errors).toEqual([]);
    const round = (await t.graphql(ROUTE, { from: node["KZ-DEPOT-01"], to: node["KZ-S01"] }, { token: dashboard })).data.travelRoute;
    expect(round.detour).toMatch(/公路中断（桥梁检修）/);
    expect(round.legs[0].to.code).not.toBe(usual.legs[0].to.code);
    await mutate("reopenRoad", { closureId: closed.closure.id }, commander, "closure { id }");
  });
});

describe("the routes sheet (通行时间表)", () => {
  const EXPORT = `query { exportTravelTimes(format: CSV) { filename rowCount content } }`;
  const csvOf = async () => Buffer.from((await t.graphql(EXPORT, {}, { token: logistics })).data.exportTravelTimes.content, "base64").toString("utf8");
  const importCsv = (text: string, token = logistics) =>
    mutate("importTravelTimes", { filename: "routes.csv", content: Buffer.from(text, "utf8").toString("base64") }, token, "created updated unchanged ignoredColumns links { minutes basis }");

  it("exports every link and imports back unchanged, then books an edited minute as surveyed", async () => {
    const text = await csvOf();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("起点编码,起点名称,终点编码,终点名称,方式,通行时间（分钟）,依据,直线距离（公里）,水域,道路状态,备注,更新时间,更新人");
    const [{ n }] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM travel_link`);
    expect(lines).toHaveLength(n + 1);

    const back = await importCsv(text);
    expect(back).toMatchObject({ errors: [], created: 0, updated: 0, unchanged: n, ignoredColumns: [] });

    const derivedRow = lines.findIndex((line, i) => i > 0 && line.includes(",公路,") && line.includes(",估算,"));
    const cells = lines[derivedRow].split(",");
    cells[5] = String(Number(cells[5]) + 3);
    const edited = await importCsv([lines[0], cells.join(",")].join("\r\n"));
    expect(edited).toMatchObject({ errors: [], created: 0, updated: 1, unchanged: 0, links: [{ minutes: Number(cells[5]), basis: "SURVEYED" }] });
  });

  it("reports every bad row with its row number and column, and writes nothing", async () => {
    const before = await t.app.dataSource.query(`SELECT id, minutes, basis FROM travel_link ORDER BY id`);
    const sheet = [
      "起点编码,终点编码,方式,通行时间（分钟）,依据",
      "KZ-S01,KZ-S02,公路,12,实测",
      "KZ-S01,KZ-S99,公路,12,",
      "KZ-S01,KZ-S02,飞机,12,",
      "KZ-S03,KZ-S04,公路,0,",
      "KZ-S02,KZ-S01,公路,15,",
    ].join("\r\n");
    const result = await importCsv(sheet);
    expect(result.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["rows[3].终点编码", "NOT_FOUND"],
      ["rows[4].方式", "INVALID_VALUE"],
      ["rows[5].通行时间（分钟）", "OUT_OF_RANGE"],
      ["rows[6].终点编码", "DUPLICATE"],
    ]);
    expect(await t.app.dataSource.query(`SELECT id, minutes, basis FROM travel_link ORDER BY id`)).toEqual(before);
    expect((await importCsv(sheet, scoped)).topErrors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});
