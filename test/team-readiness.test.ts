// Readiness (战备状态): only a team's own leader (or ADMIN) reports it; every report is kept;
// staleness around the freshness window; the one-statement summary; the subscription; and
// the deploy/release functions dispatch calls inside its own transaction.
import type { Client } from "graphql-ws";
import type { Actor } from "../src/core/access/auth";
import { Role } from "../src/core/access/auth";
import { UserErrorsException } from "../src/core/graphql/errors";
import { inTransaction } from "../src/core/db/transaction";
import { TEAM_READINESS_CHANGED, type TeamReadinessEvent } from "../src/modules/teams/readiness.service";
import { startTestApp, type TestApp } from "./support/app";
import { clientFor, settle, subscribe } from "./support/subscriptions";

let t: TestApp;
let admin: string;
let leaderS01: string;
let leaderS02: string;
const teams = new Map<string, { id: string; dbId: number }>();

const COMMANDER_ACTOR: Actor = { kind: "ACCOUNT", id: 2, name: "应急指挥长", role: Role.COMMANDER, scopeRegionId: null, teamId: null };

const UPDATE = `mutation ($input: UpdateTeamReadinessInput!) {
  updateTeamReadiness(input: $input) {
    team { code readinessStatus availableMembers stale readinessHistory(first: 1) { totalCount } }
    report { status availableMembers activeMembers note source reporterName reportedAt }
    errors { field code message }
  }
}`;

beforeAll(async () => {
  t = await startTestApp();
  [admin, leaderS01, leaderS02] = await Promise.all([t.tokenFor("admin"), t.tokenFor("leader.kz-s01"), t.tokenFor("leader.kz-s02")]);
  const result = await t.graphql(`{ rescueTeams(first: 100) { nodes { id code } } }`, {}, { token: admin });
  const rows: Array<{ id: number; code: string }> = await t.app.dataSource.query(`SELECT id, code FROM rescue_team`);
  const dbIds = new Map(rows.map((row) => [row.code, row.id]));
  for (const team of result.data.rescueTeams.nodes) teams.set(team.code, { id: team.id, dbId: dbIds.get(team.code)! });
});
afterAll(() => t.stop());

function team(code: string) {
  return teams.get(code)!;
}

async function historyCount(code: string): Promise<number> {
  const [{ count }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM team_readiness_report WHERE team_id = $1`, [team(code).dbId]);
  return count;
}

async function activeMembers(code: string): Promise<number> {
  const [{ count }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM team_member WHERE team_id = $1 AND active`, [team(code).dbId]);
  return count;
}

describe("updateTeamReadiness", () => {
  it("lets the team's own leader report, keeps every report, and records who reported", async () => {
    const before = await historyCount("KZ-TT-S01");
    const result = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "STANDBY", availableMembers: 12, note: "8人外出培训" } }, { token: leaderS01 });
    expect(result.errors).toBeUndefined();
    const payload = result.data.updateTeamReadiness;
    expect(payload.errors).toEqual([]);
    expect(payload.team).toMatchObject({ code: "KZ-TT-S01", readinessStatus: "STANDBY", availableMembers: 12, stale: false });
    expect(payload.report).toMatchObject({ status: "STANDBY", availableMembers: 12, activeMembers: 20, note: "8人外出培训", source: "REPORT" });
    expect(payload.report.reporterName).toBe("leader.kz-s01");
    expect(Date.now() - Date.parse(payload.report.reportedAt)).toBeLessThan(60_000);
    expect(await historyCount("KZ-TT-S01")).toBe(before + 1);
    expect(payload.team.readinessHistory.totalCount).toBe(before + 1);

    const again = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "READY", availableMembers: 20 } }, { token: leaderS01 });
    expect(again.data.updateTeamReadiness.team.readinessStatus).toBe("READY");
    const history = await t.graphql(
      `query ($id: ID!) { rescueTeam(id: $id) { readinessHistory(first: 2) { totalCount nodes { status availableMembers } } } }`,
      { id: team("KZ-TT-S01").id },
      { token: admin },
    );
    expect(history.data.rescueTeam.readinessHistory.totalCount).toBe(before + 2);
    expect(history.data.rescueTeam.readinessHistory.nodes).toEqual([
      { status: "READY", availableMembers: 20 },
      { status: "STANDBY", availableMembers: 12 },
    ]);
  });

  it("lets an ADMIN report for any team", async () => {
    const result = await t.graphql(UPDATE, { input: { teamId: team("KZ-PT-03").id, status: "READY", availableMembers: 10 } }, { token: admin });
    expect(result.data.updateTeamReadiness.errors).toEqual([]);
    expect(result.data.updateTeamReadiness.team.readinessStatus).toBe("READY");
  });

  it("refuses a leader of another team, a DASHBOARD key, LOGISTICS, COMMANDER and AUDITOR users: FORBIDDEN, nothing written", async () => {
    const before = await historyCount("KZ-TT-S01");
    const dashboard = await t.apiKeyFor("DASHBOARD");
    const tokens = [leaderS02, dashboard, await t.tokenFor("logistics"), await t.tokenFor("logistics.kz-s01"), await t.tokenFor("commander"), await t.tokenFor("auditor")];
    for (const token of tokens) {
      const result = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "UNAVAILABLE", availableMembers: 0 } }, { token });
      expect(result.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      expect(result.data?.updateTeamReadiness ?? null).toBeNull();
    }
    const anonymous = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "UNAVAILABLE", availableMembers: 0 } });
    expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await historyCount("KZ-TT-S01")).toBe(before);
  });

  it("refuses more available members than active ones, or fewer than 0, as a UserError, writing nothing", async () => {
    const before = await historyCount("KZ-TT-S01");
    const active = await activeMembers("KZ-TT-S01");
    for (const availableMembers of [active + 1, -1]) {
      const result = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "READY", availableMembers } }, { token: leaderS01 });
      expect(result.errors).toBeUndefined();
      expect(result.data.updateTeamReadiness.team).toBeNull();
      expect(result.data.updateTeamReadiness.errors).toEqual([expect.objectContaining({ field: "input.availableMembers", code: "OUT_OF_RANGE" })]);
    }
    const exact = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "READY", availableMembers: active } }, { token: leaderS01 });
    expect(exact.data.updateTeamReadiness.errors).toEqual([]);
    expect(await historyCount("KZ-TT-S01")).toBe(before + 1);
  });

  it("answers NOT_FOUND for a team that does not exist and BAD_USER_INPUT for an id of another type", async () => {
    const missing = await t.graphql(UPDATE, { input: { teamId: Buffer.from("RescueTeam:99999").toString("base64"), status: "READY", availableMembers: 0 } }, { token: admin });
    expect(missing.data.updateTeamReadiness.errors[0]).toMatchObject({ field: "input.teamId", code: "NOT_FOUND" });
    const wrong = await t.graphql(UPDATE, { input: { teamId: Buffer.from("Region:1").toString("base64"), status: "READY", availableMembers: 0 } }, { token: admin });
    expect(wrong.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("stale (战备状态过期)", () => {
  const STALE = `query ($id: ID!) { rescueTeam(id: $id) { stale } fresh: rescueTeams(first: 100, where: { stale: false }) { nodes { code } } stale: rescueTeams(first: 100, where: { stale: true }) { nodes { code } } }`;

  async function reportedHoursAgo(code: string, hours: number) {
    await t.app.dataSource.query(`UPDATE rescue_team SET readiness_reported_at = now() - make_interval(secs => $2) WHERE id = $1`, [team(code).dbId, hours * 3600]);
  }

  async function staleness(code: string) {
    const result = await t.graphql(STALE, { id: team(code).id }, { token: admin });
    const inStale = result.data.stale.nodes.some((node: any) => node.code === code);
    const inFresh = result.data.fresh.nodes.some((node: any) => node.code === code);
    expect(inStale).toBe(!inFresh);
    expect(result.data.rescueTeam.stale).toBe(inStale);
    return inStale;
  }

  it("turns stale just after the 24-hour window and not before, in the field and in the filter alike", async () => {
    await reportedHoursAgo("KZ-TT-S05", 24 - 2 / 60);
    expect(await staleness("KZ-TT-S05")).toBe(false);
    await reportedHoursAgo("KZ-TT-S05", 24 + 2 / 60);
    expect(await staleness("KZ-TT-S05")).toBe(true);
    // A new report makes it fresh again.
    const report = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S05").id, status: "READY", availableMembers: 18 } }, { token: admin });
    expect(report.data.updateTeamReadiness.team.stale).toBe(false);
    expect(await staleness("KZ-TT-S05")).toBe(false);
  });

  it("follows the READINESS_FRESHNESS_HOURS setting", async () => {
    const other = await startTestApp({ readinessFreshnessHours: 48 });
    try {
      const token = await other.tokenFor("admin");
      await other.app.dataSource.query(`UPDATE rescue_team SET readiness_reported_at = now() - interval '30 hours' WHERE code = 'KZ-TT-S06'`);
      const result = await other.graphql(`{ rescueTeams(first: 1, where: { nameContains: "白鹤街道" }) { nodes { stale } } readinessSummary { freshnessHours } }`, {}, { token });
      expect(result.data.rescueTeams.nodes[0].stale).toBe(false);
      expect(result.data.readinessSummary.freshnessHours).toBe(48);
      await other.app.dataSource.query(`UPDATE rescue_team SET readiness_reported_at = now() - interval '49 hours' WHERE code = 'KZ-TT-S06'`);
      const later = await other.graphql(`{ rescueTeams(first: 1, where: { nameContains: "白鹤街道" }) { nodes { stale } } }`, {}, { token });
      expect(later.data.rescueTeams.nodes[0].stale).toBe(true);
    } finally {
      await other.stop();
    }
  });
});

describe("readinessSummary", () => {
  const SUMMARY = `query ($where: ReadinessSummaryWhere) {
    readinessSummary(where: $where) {
      teams availableMembers deployedMembers staleTeams freshnessHours
      counts { kind status teams availableMembers staleTeams }
      townshipUnitsNotReady { region { code } team { code } status availableMembers stale }
    }
  }`;

  it("adds up to what the team list shows, in one aggregation statement", async () => {
    const summary = await t.graphql(SUMMARY, {}, { token: admin });
    expect(summary.errors).toBeUndefined();
    const list = await t.graphql(`{ rescueTeams(first: 100) { nodes { kind readinessStatus availableMembers stale } } }`, {}, { token: admin });
    const teamsNow: any[] = list.data.rescueTeams.nodes;
    const s = summary.data.readinessSummary;
    expect(s.teams).toBe(teamsNow.length);
    expect(s.availableMembers).toBe(teamsNow.reduce((sum, row) => sum + row.availableMembers, 0));
    expect(s.staleTeams).toBe(teamsNow.filter((row) => row.stale).length);
    expect(s.counts.reduce((sum: number, count: any) => sum + count.teams, 0)).toBe(teamsNow.length);
    const townshipReady = s.counts.find((count: any) => count.kind === "TOWNSHIP" && count.status === "READY");
    expect(townshipReady.teams).toBe(teamsNow.filter((row) => row.kind === "TOWNSHIP" && row.readinessStatus === "READY").length);
    const notReady = teamsNow.filter((row) => row.kind === "TOWNSHIP" && row.readinessStatus !== "READY").length;
    expect(s.townshipUnitsNotReady).toHaveLength(notReady);
    expect(s.townshipUnitsNotReady.every((unit: any) => unit.status !== "READY" && unit.team !== null)).toBe(true);
    // Authentication plus the one aggregation; the regions and teams of the not-ready units are batched.
    expect(summary.sqlStatements).toBeLessThanOrEqual(5);
  });

  it("filters by region (descendants included) and kind, and shows a township once its team is not READY", async () => {
    const hanfeng = (await t.graphql(`{ regions(first: 1, where: { nameContains: "汉丰街道" }) { nodes { id } } }`, {}, { token: admin })).data.regions.nodes[0].id;
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "UNAVAILABLE", availableMembers: 0, note: "车辆故障" } }, { token: leaderS01 });
    const s = (await t.graphql(SUMMARY, { where: { regionId: hanfeng } }, { token: admin })).data.readinessSummary;
    // 汉丰街道 holds its township team and the water rescue team.
    expect(s.teams).toBe(2);
    expect(s.townshipUnitsNotReady).toEqual([{ region: { code: "KZ-S01" }, team: { code: "KZ-TT-S01" }, status: "UNAVAILABLE", availableMembers: 0, stale: false }]);
    const social = (await t.graphql(SUMMARY, { where: { kind: "SOCIAL" } }, { token: admin })).data.readinessSummary;
    expect(social.teams).toBe(4);
    expect(social.counts.every((count: any) => count.kind === "SOCIAL")).toBe(true);
    expect(social.townshipUnitsNotReady).toEqual([]);
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "READY", availableMembers: 20 } }, { token: leaderS01 });
  });
});

describe("teamReadinessChanged subscription", () => {
  const SUBSCRIPTION = `subscription ($where: TeamReadinessChangedWhere) {
    teamReadinessChanged(where: $where) { previousStatus team { code readinessStatus availableMembers leader { role } } report { status availableMembers reporterName } }
  }`;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.dispose();
    client = undefined;
  });

  it("delivers committed changes matching region, kind and status, with personal data masked for dashboards", async () => {
    const hanfeng = (await t.graphql(`{ regions(first: 1, where: { nameContains: "汉丰街道" }) { nodes { id } } }`, {}, { token: admin })).data.regions.nodes[0].id;
    client = clientFor(t.url, await t.apiKeyFor("DASHBOARD"));
    const subscriber = await subscribe(client, SUBSCRIPTION, { where: { regionId: hanfeng, kind: "TOWNSHIP", status: "STANDBY" } });
    // Not matching: another township, another status, a refused report.
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S02").id, status: "STANDBY", availableMembers: 5 } }, { token: leaderS02 });
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "READY", availableMembers: 20 } }, { token: leaderS01 });
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "STANDBY", availableMembers: 99 } }, { token: leaderS01 });
    // Matching.
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S01").id, status: "STANDBY", availableMembers: 15 } }, { token: leaderS01 });
    await subscriber.waitFor(1);
    await settle();
    expect(subscriber.events).toHaveLength(1);
    const change = subscriber.events[0].teamReadinessChanged;
    expect(change).toMatchObject({
      previousStatus: "READY",
      team: { code: "KZ-TT-S01", readinessStatus: "STANDBY", availableMembers: 15, leader: { role: "LEADER" } },
      report: { status: "STANDBY", availableMembers: 15 },
    });
    expect(change.report.reporterName).toMatch(/\*/);
  });

  it("refuses a subscription with a region id that does not exist", async () => {
    client = clientFor(t.url, admin);
    const subscriber = await subscribe(client, SUBSCRIPTION, { where: { regionId: "UmVnaW9uOjk5OTk5" } });
    await expect(subscriber.waitFor(1, 2000)).rejects.toThrow(/where.regionId/);
  });
});

describe("markDeployed and markReleased (for dispatch)", () => {
  const readiness = () => t.app.services.teamReadiness;

  async function state(code: string) {
    const [row] = await t.app.dataSource.query(`SELECT readiness_status, available_members, deployed_members FROM rescue_team WHERE code = $1`, [code]);
    return row;
  }

  /** Events about one team (with REDIS_URL, other test files' events share the channel). */
  function collectEvents(code: string): { events: TeamReadinessEvent[]; stop: () => void } {
    const events: TeamReadinessEvent[] = [];
    const iterator = (t.app.events.subscribe(TEAM_READINESS_CHANGED) as AsyncIterable<TeamReadinessEvent>)[Symbol.asyncIterator]();
    let running = true;
    (async () => {
      while (running) {
        const next = await iterator.next();
        if (next.done) break;
        if (next.value.team.code === code) events.push(next.value);
      }
    })();
    return { events, stop: () => ((running = false), void iterator.return?.()) };
  }

  it("deploys within the caller's transaction, refuses a second deployment and too large a headcount, and releases to RECOVERING", async () => {
    await t.graphql(UPDATE, { input: { teamId: team("KZ-DC-01").id, status: "READY", availableMembers: 50 } }, { token: admin });
    const { events, stop } = collectEvents("KZ-DC-01");
    try {
      const deployed = await inTransaction(t.app.dataSource, (tx) => readiness().markDeployed(tx, team("KZ-DC-01").dbId, 30, COMMANDER_ACTOR));
      expect(deployed.report).toMatchObject({ status: "DEPLOYED", source: "DEPLOYMENT", availableMembers: 20 });
      expect(await state("KZ-DC-01")).toEqual({ readiness_status: "DEPLOYED", available_members: 20, deployed_members: 30 });

      const second = inTransaction(t.app.dataSource, (tx) => readiness().markDeployed(tx, team("KZ-DC-01").dbId, 5, COMMANDER_ACTOR));
      await expect(second).rejects.toThrow(UserErrorsException);
      await expect(second).rejects.toMatchObject({ errors: [expect.objectContaining({ code: "INVALID_STATE" })] });

      // The leader cannot report the team back while the dispatcher holds it, but may update it as DEPLOYED.
      const back = await t.graphql(UPDATE, { input: { teamId: team("KZ-DC-01").id, status: "READY", availableMembers: 20 } }, { token: admin });
      expect(back.data.updateTeamReadiness.errors[0]).toMatchObject({ field: "input.status", code: "INVALID_STATE" });
      const tooMany = await t.graphql(UPDATE, { input: { teamId: team("KZ-DC-01").id, status: "DEPLOYED", availableMembers: 26 } }, { token: admin });
      expect(tooMany.data.updateTeamReadiness.errors[0]).toMatchObject({ field: "input.availableMembers", code: "OUT_OF_RANGE" });
      const update = await t.graphql(UPDATE, { input: { teamId: team("KZ-DC-01").id, status: "DEPLOYED", availableMembers: 18 } }, { token: admin });
      expect(update.data.updateTeamReadiness.errors).toEqual([]);

      const released = await inTransaction(t.app.dataSource, (tx) => readiness().markReleased(tx, team("KZ-DC-01").dbId, COMMANDER_ACTOR));
      expect(released.report).toMatchObject({ status: "RECOVERING", source: "RELEASE", availableMembers: 48 });
      expect(await state("KZ-DC-01")).toEqual({ readiness_status: "RECOVERING", available_members: 48, deployed_members: 0 });
      const again = inTransaction(t.app.dataSource, (tx) => readiness().markReleased(tx, team("KZ-DC-01").dbId, COMMANDER_ACTOR));
      await expect(again).rejects.toMatchObject({ errors: [expect.objectContaining({ code: "INVALID_STATE" })] });

      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events.map((event) => [event.report.status, event.report.source])).toEqual([
        ["DEPLOYED", "DEPLOYMENT"],
        ["DEPLOYED", "REPORT"],
        ["RECOVERING", "RELEASE"],
      ]);
    } finally {
      stop();
    }
  });

  it("refuses a headcount above the available members, and leaves nothing and publishes nothing when the caller rolls back", async () => {
    const before = await state("KZ-DC-02");
    const reports = await historyCount("KZ-DC-02");
    const { events, stop } = collectEvents("KZ-DC-02");
    try {
      const tooMany = inTransaction(t.app.dataSource, (tx) => readiness().markDeployed(tx, team("KZ-DC-02").dbId, before.available_members + 1, COMMANDER_ACTOR));
      await expect(tooMany).rejects.toMatchObject({ errors: [expect.objectContaining({ field: "headcount", code: "INSUFFICIENT_MEMBERS" })] });
      const zero = inTransaction(t.app.dataSource, (tx) => readiness().markDeployed(tx, team("KZ-DC-02").dbId, 0, COMMANDER_ACTOR));
      await expect(zero).rejects.toMatchObject({ errors: [expect.objectContaining({ code: "OUT_OF_RANGE" })] });
      const rolledBack = inTransaction(t.app.dataSource, async (tx) => {
        await readiness().markDeployed(tx, team("KZ-DC-02").dbId, 3, COMMANDER_ACTOR, { field: "input.teams[0].teamId" });
        throw new Error("the dispatch order failed after deploying");
      });
      await expect(rolledBack).rejects.toThrow("the dispatch order failed");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await state("KZ-DC-02")).toEqual(before);
      expect(await historyCount("KZ-DC-02")).toBe(reports);
      expect(events).toEqual([]);
    } finally {
      stop();
    }
  });
});

describe("DEPLOYED is set by deployTeam, not by a leader's report", () => {
  const DEPLOY = `mutation ($input: DeployTeamInput!) { deployTeam(input: $input) { team { readinessStatus availableMembers } errors { field code message } } }`;
  const RELEASE = `mutation ($input: ReleaseTeamInput!) { releaseTeam(input: $input) { deployment { active } team { readinessStatus availableMembers } errors { field code message } } }`;
  let commander: string;
  let incident: string;

  beforeAll(async () => {
    commander = await t.tokenFor("commander");
    const [region] = await t.app.dataSource.query(`SELECT id FROM region WHERE code = 'KZ-S05'`);
    const opened = await t.graphql(
      `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code } } }`,
      { input: { title: "镇东河道漫堤", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [Buffer.from(`Region:${region.id}`).toString("base64")] } },
      { token: commander },
    );
    incident = opened.data.openIncident.incident.id;
  });

  it("refuses a leader's DEPLOYED report for a team that is not out, writing nothing", async () => {
    const leaderS05 = await t.tokenFor("leader.kz-s05");
    await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S05").id, status: "READY", availableMembers: 20 } }, { token: leaderS05 });
    const before = await historyCount("KZ-TT-S05");
    for (const token of [leaderS05, admin]) {
      const result = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S05").id, status: "DEPLOYED", availableMembers: 20, note: "已出动" } }, { token });
      expect(result.data.updateTeamReadiness.team).toBeNull();
      expect(result.data.updateTeamReadiness.errors).toEqual([expect.objectContaining({ field: "input.status", code: "INVALID_STATE", message: expect.stringMatching(/deployTeam/) })]);
    }
    expect(await historyCount("KZ-TT-S05")).toBe(before);
    const [row] = await t.app.dataSource.query(`SELECT readiness_status FROM rescue_team WHERE code = 'KZ-TT-S05'`);
    expect(row.readiness_status).toBe("READY");
  });

  it("lets the leader update a deployed team's DEPLOYED report, and releaseTeam still brings it back", async () => {
    const leaderS05 = await t.tokenFor("leader.kz-s05");
    const sent = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team("KZ-TT-S05").id, headcount: 5 } }, { token: commander });
    expect(sent.data.deployTeam.errors).toEqual([]);
    expect(sent.data.deployTeam.team).toEqual({ readinessStatus: "DEPLOYED", availableMembers: 15 });
    const update = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S05").id, status: "DEPLOYED", availableMembers: 10, note: "5人轮休" } }, { token: leaderS05 });
    expect(update.data.updateTeamReadiness.errors).toEqual([]);
    const released = await t.graphql(RELEASE, { input: { teamId: team("KZ-TT-S05").id } }, { token: commander });
    expect(released.data.releaseTeam.errors).toEqual([]);
    expect(released.data.releaseTeam).toMatchObject({ deployment: { active: false }, team: { readinessStatus: "RECOVERING", availableMembers: 15 } });
    // Back home, DEPLOYED is the dispatcher's again.
    const after = await t.graphql(UPDATE, { input: { teamId: team("KZ-TT-S05").id, status: "DEPLOYED", availableMembers: 15 } }, { token: leaderS05 });
    expect(after.data.updateTeamReadiness.errors).toEqual([expect.objectContaining({ field: "input.status", code: "INVALID_STATE" })]);
  });

  it("still deploys and releases a team left DEPLOYED by a leader's report from before the rule", async () => {
    // What such a report left behind: DEPLOYED, with no member out on a deployment.
    await t.app.dataSource.query(`UPDATE rescue_team SET readiness_status = 'DEPLOYED', available_members = 20, deployed_members = 0 WHERE code = 'KZ-TT-S06'`);
    const sent = await t.graphql(DEPLOY, { input: { incidentId: incident, teamId: team("KZ-TT-S06").id, headcount: 8 } }, { token: commander });
    expect(sent.data.deployTeam.errors).toEqual([]);
    expect(sent.data.deployTeam.team).toEqual({ readinessStatus: "DEPLOYED", availableMembers: 12 });
    const released = await t.graphql(RELEASE, { input: { teamId: team("KZ-TT-S06").id } }, { token: commander });
    expect(released.data.releaseTeam.errors).toEqual([]);
    expect(released.data.releaseTeam.team).toEqual({ readinessStatus: "RECOVERING", availableMembers: 20 });
  });
});
