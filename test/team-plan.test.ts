// Drills, social teams' filings and records, and the forces against the district plan's
// targets (which are settings per district, not literals).
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let admin: string;
let commander: string;
let blueSkyLeader: string;
const teamIds = new Map<string, string>();
const regionIds = new Map<string, string>();

const ERRORS = `errors { field code message }`;
const RECORD_DRILL = `mutation ($input: RecordDrillInput!) { recordDrill(input: $input) { drill { id heldOn kind scenario result teams { code } } ${ERRORS} } }`;
const FILE = `mutation ($input: FileRescueActionInput!) { fileRescueAction(input: $input) { filing { id startedAt endedAt location incident membersSent outcome team { code } region { code } } ${ERRORS} } }`;
const COVERAGE = `query ($regionId: ID!) {
  forceCoverage(regionId: $regionId) {
    region { code } district { code }
    targets { townshipTeams townshipTeamMembers membersPerTownshipTeam districtTeams districtTeamMinMembers }
    townships { region { code } team { code } hasTeam activeMembers memberStandard meetsStandard status availableMembers stale }
    townshipTeams townshipTeamMembers
    districtTeams { team { code } activeMembers meetsMinimum }
    meetsTownshipTeamTarget meetsTownshipMemberTarget meetsDistrictTeamTarget
  }
}`;

function today(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, commander, blueSkyLeader] = await Promise.all([t.tokenFor("admin"), t.tokenFor("commander"), t.tokenFor("leader.kz-sr-01")]);
  const result = await t.graphql(
    `{ rescueTeams(first: 100) { nodes { id code } } d: regions(first: 5, where: { level: DISTRICT }) { nodes { id code } } s: regions(first: 100, where: { level: TOWNSHIP }) { nodes { id code } } v: regions(first: 1, where: { nameContains: "红坡社区" }) { nodes { id code } } }`,
    {},
    { token: admin },
  );
  for (const team of result.data.rescueTeams.nodes) teamIds.set(team.code, team.id);
  for (const region of [...result.data.d.nodes, ...result.data.s.nodes, ...result.data.v.nodes]) regionIds.set(region.code, region.id);
});
afterAll(() => t.stop());

async function mutate(query: string, input: Record<string, unknown>, token: string) {
  const result = await t.graphql(query, { input }, { token });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data)[0] as any;
}

describe("drills (演练)", () => {
  it("records a drill held by several teams and lists it for each of them, most recent first", async () => {
    const payload = await mutate(
      RECORD_DRILL,
      { date: today(-1), kind: "JOINT", teamIds: [teamIds.get("KZ-TT-S03"), teamIds.get("KZ-SR-01")], scenario: "云枫街道山洪转移共训共练", result: "转移路线熟悉，通信畅通" },
      commander,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.drill).toMatchObject({ heldOn: today(-1), kind: "JOINT", teams: [{ code: "KZ-SR-01" }, { code: "KZ-TT-S03" }] });
    const listed = await t.graphql(`query ($where: DrillWhere) { drills(first: 10, where: $where) { totalCount nodes { id heldOn } } }`, { where: { teamId: teamIds.get("KZ-SR-01") } }, { token: admin });
    expect(listed.data.drills.nodes[0].id).toBe(payload.drill.id);
    const dates = listed.data.drills.nodes.map((d: any) => d.heldOn);
    expect([...dates].sort().reverse()).toEqual(dates);
    const onlyJoint = await t.graphql(`{ drills(first: 50, where: { kind: DOUBLE_BLIND }) { nodes { kind } } }`, {}, { token: admin });
    expect(onlyJoint.data.drills.nodes.length).toBeGreaterThan(0);
    expect(onlyJoint.data.drills.nodes.every((d: any) => d.kind === "DOUBLE_BLIND")).toBe(true);
    const window = await t.graphql(`query ($where: DrillWhere) { drills(first: 50, where: $where) { nodes { heldOn } } }`, { where: { from: today(-2), to: today() } }, { token: admin });
    expect(window.data.drills.nodes).toEqual([{ heldOn: today(-1) }]);
  });

  it("refuses a future date, no teams, unknown or repeated teams, and empty text, writing nothing", async () => {
    const [{ before }] = await t.app.dataSource.query(`SELECT count(*)::int AS before FROM drill`);
    const future = await mutate(RECORD_DRILL, { date: today(3), kind: "TEAM", teamIds: [teamIds.get("KZ-TT-S03")], scenario: "拉练", result: "好" }, commander);
    expect(future.errors).toEqual([expect.objectContaining({ field: "input.date", code: "OUT_OF_RANGE" })]);
    const none = await mutate(RECORD_DRILL, { date: today(-1), kind: "JOINT", teamIds: [], scenario: "拉练", result: "好" }, commander);
    expect(none.errors.map((e: any) => [e.field, e.code])).toEqual([["input.teamIds", "REQUIRED"]]);
    const empty = await mutate(RECORD_DRILL, { date: today(-1), kind: "JOINT", teamIds: [teamIds.get("KZ-TT-S03")], scenario: "", result: " " }, commander);
    expect(empty.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["input.scenario", "BLANK"],
      ["input.result", "BLANK"],
    ]);
    const unknown = Buffer.from("RescueTeam:99999").toString("base64");
    const missing = await mutate(RECORD_DRILL, { date: today(-1), kind: "JOINT", teamIds: [teamIds.get("KZ-TT-S03"), unknown], scenario: "演练", result: "好" }, commander);
    expect(missing.errors).toEqual([expect.objectContaining({ field: "input.teamIds[1]", code: "NOT_FOUND" })]);
    const twice = await mutate(RECORD_DRILL, { date: today(-1), kind: "JOINT", teamIds: [teamIds.get("KZ-TT-S03"), teamIds.get("KZ-TT-S03")], scenario: "演练", result: "好" }, commander);
    expect(twice.errors).toEqual([expect.objectContaining({ field: "input.teamIds[1]", code: "DUPLICATE" })]);
    const [{ after }] = await t.app.dataSource.query(`SELECT count(*)::int AS after FROM drill`);
    expect(after).toBe(before);
  });

  it("lets a team leader record only their own team's TEAM drill", async () => {
    const leaderS03 = await t.tokenFor("leader.kz-s03");
    const own = await mutate(RECORD_DRILL, { date: today(), kind: "TEAM", teamIds: [teamIds.get("KZ-TT-S03")], scenario: "夜间集结拉练", result: "30分钟集结完毕" }, leaderS03);
    expect(own.errors).toEqual([]);
    for (const input of [
      { date: today(), kind: "JOINT", teamIds: [teamIds.get("KZ-TT-S03")], scenario: "联合演练", result: "好" },
      { date: today(), kind: "TEAM", teamIds: [teamIds.get("KZ-TT-S04")], scenario: "拉练", result: "好" },
    ]) {
      const refused = await t.graphql(RECORD_DRILL, { input }, { token: leaderS03 });
      expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    for (const token of [await t.apiKeyFor("DASHBOARD"), await t.tokenFor("logistics")]) {
      const refused = await t.graphql(RECORD_DRILL, { input: { date: today(), kind: "TEAM", teamIds: [teamIds.get("KZ-TT-S03")], scenario: "拉练", result: "好" } }, { token });
      expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
  });
});

describe("social teams: rescue-action filings (属地备案) and records", () => {
  it("lets a social team's leader file an action, listed most recent first and filterable by region", async () => {
    const startedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const payload = await mutate(
      FILE,
      { teamId: teamIds.get("KZ-SR-01"), startedAt, endedAt: new Date(Date.now() - 3600_000).toISOString(), regionId: regionIds.get("KZ-S03"), location: "云枫街道澎溪河", incident: "群众被困河心洲", membersSent: 8, outcome: "救出2人" },
      blueSkyLeader,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.filing).toMatchObject({ startedAt, membersSent: 8, team: { code: "KZ-SR-01" }, region: { code: "KZ-S03" } });
    const query = `query ($where: RescueActionFilingWhere, $after: String) { rescueActionFilings(first: 2, after: $after, where: $where) { totalCount pageInfo { hasNextPage endCursor } nodes { id startedAt } } }`;
    const mine = await t.graphql(query, { where: { teamId: teamIds.get("KZ-SR-01") } }, { token: admin });
    expect(mine.data.rescueActionFilings.nodes[0].id).toBe(payload.filing.id);
    const all: any[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: any = (await t.graphql(query, { after }, { token: admin })).data.rescueActionFilings;
      all.push(...page.nodes);
      total = page.totalCount;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(total).toBeGreaterThan(mine.data.rescueActionFilings.totalCount);
    expect(all).toHaveLength(total);
    expect(new Set(all.map((f) => f.id)).size).toBe(total);
    const times = all.map((f) => f.startedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const inYunfeng = await t.graphql(query, { where: { regionId: regionIds.get("KZ-S03") } }, { token: admin });
    expect(inYunfeng.data.rescueActionFilings.totalCount).toBe(1);
  });

  it("refuses non-social teams, other leaders, impossible numbers and times", async () => {
    const base = { teamId: teamIds.get("KZ-SR-01"), startedAt: new Date(Date.now() - 3600_000).toISOString(), regionId: regionIds.get("KZ-S01"), location: "汉丰湖", incident: "落水", membersSent: 3, outcome: "救起" };
    const notSocial = await mutate(FILE, { ...base, teamId: teamIds.get("KZ-TT-S01") }, admin);
    expect(notSocial.errors).toEqual([expect.objectContaining({ field: "input.teamId", code: "INVALID_STATE" })]);
    const otherLeader = await t.graphql(FILE, { input: base }, { token: await t.tokenFor("leader.kz-s01") });
    expect(otherLeader.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const tooMany = await mutate(FILE, { ...base, membersSent: 500 }, blueSkyLeader);
    expect(tooMany.errors).toEqual([expect.objectContaining({ field: "input.membersSent", code: "OUT_OF_RANGE" })]);
    const backwards = await mutate(FILE, { ...base, startedAt: new Date(Date.now() + 86_400_000).toISOString(), endedAt: new Date().toISOString() }, blueSkyLeader);
    expect(backwards.errors.map((e: any) => e.field)).toEqual(["input.startedAt", "input.endedAt"]);
  });

  it("keeps registration, party-organisation and disclosure records current", async () => {
    const UPDATE = `mutation ($input: UpdateSocialTeamRecordInput!) { updateSocialTeamRecord(input: $input) { team { partyOrganisation lastDisclosureOn registrationNumber } ${ERRORS} } }`;
    const payload = await mutate(UPDATE, { teamId: teamIds.get("KZ-SR-01"), lastDisclosureOn: today(), partyOrganisation: "BRANCH" }, blueSkyLeader);
    expect(payload.errors).toEqual([]);
    expect(payload.team).toMatchObject({ lastDisclosureOn: today(), partyOrganisation: "BRANCH", registrationNumber: "52500154MJP1234567" });
    const future = await mutate(UPDATE, { teamId: teamIds.get("KZ-SR-01"), lastDisclosureOn: today(5) }, blueSkyLeader);
    expect(future.errors).toEqual([expect.objectContaining({ code: "OUT_OF_RANGE" })]);
    const notSocial = await mutate(UPDATE, { teamId: teamIds.get("KZ-FR-01"), registrationNumber: "x" }, admin);
    expect(notSocial.errors).toEqual([expect.objectContaining({ code: "INVALID_STATE" })]);
  });
});

describe("forceCoverage against the plan's targets", () => {
  it("shows every township-level unit with its 20-member team and the district meeting 40 teams, 800 members and 2 district teams of ≥ 50", async () => {
    const result = await t.graphql(COVERAGE, { regionId: regionIds.get("KZ") }, { token: admin });
    expect(result.errors).toBeUndefined();
    const c = result.data.forceCoverage;
    expect(c.targets).toEqual({ townshipTeams: 40, townshipTeamMembers: 800, membersPerTownshipTeam: 20, districtTeams: 2, districtTeamMinMembers: 50 });
    expect(c.townships).toHaveLength(40);
    expect(c.townships.every((unit: any) => unit.hasTeam && unit.activeMembers === 20 && unit.memberStandard === 20 && unit.meetsStandard)).toBe(true);
    expect(c.townships[0]).toMatchObject({ region: { code: "KZ-S01" }, team: { code: "KZ-TT-S01" } });
    expect(c.townships.some((unit: any) => unit.stale)).toBe(true);
    expect(c.townships.some((unit: any) => unit.status !== "READY")).toBe(true);
    expect(c).toMatchObject({ townshipTeams: 40, townshipTeamMembers: 800, meetsTownshipTeamTarget: true, meetsTownshipMemberTarget: true, meetsDistrictTeamTarget: true });
    expect(c.districtTeams).toHaveLength(2);
    expect(c.districtTeams.every((team: any) => team.meetsMinimum && team.activeMembers >= 50)).toBe(true);
    // Authentication, the region, one aggregation, then batched regions and teams.
    expect(result.sqlStatements).toBeLessThanOrEqual(6);
  });

  it("narrows the rows to a township (or a village's township) and keeps district totals", async () => {
    const township = (await t.graphql(COVERAGE, { regionId: regionIds.get("KZ-S01") }, { token: admin })).data.forceCoverage;
    expect(township.townships.map((unit: any) => unit.region.code)).toEqual(["KZ-S01"]);
    expect(township.district.code).toBe("KZ");
    expect(township.townshipTeams).toBe(40);
    const village = (await t.graphql(COVERAGE, { regionId: regionIds.get("KZ-S01-C01") }, { token: admin })).data.forceCoverage;
    expect(village.townships.map((unit: any) => unit.region.code)).toEqual(["KZ-S01"]);
  });

  it("reacts to a short roster and to new targets set by an ADMIN (settings, not literals)", async () => {
    const SET = `mutation ($input: SetForcePlanTargetsInput!) { setForcePlanTargets(input: $input) { targets { membersPerTownshipTeam townshipTeamMembers } ${ERRORS} } }`;
    const [member] = await t.app.dataSource.query(
      `SELECT id FROM team_member WHERE role = 'MEMBER' AND active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-X05') LIMIT 1`,
    );
    const deactivate = await mutate(`mutation ($input: DeactivateTeamMemberInput!) { deactivateTeamMember(input: $input) { ${ERRORS} } }`, { memberId: Buffer.from(`TeamMember:${member.id}`).toString("base64") }, admin);
    expect(deactivate.errors).toEqual([]);
    const short = (await t.graphql(COVERAGE, { regionId: regionIds.get("KZ") }, { token: admin })).data.forceCoverage;
    expect(short.townships.find((unit: any) => unit.region.code === "KZ-X05")).toMatchObject({ activeMembers: 19, meetsStandard: false });
    expect(short).toMatchObject({ townshipTeamMembers: 799, meetsTownshipMemberTarget: false, meetsTownshipTeamTarget: true });

    const input = { districtId: regionIds.get("KZ"), townshipTeams: 40, townshipTeamMembers: 760, membersPerTownshipTeam: 19, districtTeams: 2, districtTeamMinMembers: 50 };
    const refused = await t.graphql(SET, { input }, { token: commander });
    expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const notDistrict = await mutate(SET, { ...input, districtId: regionIds.get("KZ-S01") }, admin);
    expect(notDistrict.errors).toEqual([expect.objectContaining({ field: "input.districtId", code: "INVALID_STATE" })]);
    const negative = await mutate(SET, { ...input, districtTeams: -1 }, admin);
    expect(negative.errors).toEqual([expect.objectContaining({ field: "input.districtTeams", code: "OUT_OF_RANGE" })]);
    const set = await mutate(SET, input, admin);
    expect(set.errors).toEqual([]);
    const relaxed = (await t.graphql(COVERAGE, { regionId: regionIds.get("KZ") }, { token: admin })).data.forceCoverage;
    expect(relaxed.townships.every((unit: any) => unit.memberStandard === 19 && unit.meetsStandard)).toBe(true);
    expect(relaxed.meetsTownshipMemberTarget).toBe(true);
  });
});
