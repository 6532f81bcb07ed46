// Rosters: a team's leader (or ADMIN) adds, changes, deactivates, transfers members and appoints
// the leader; bad input and rule breaks come back as UserErrors with nothing written, and the
// database itself refuses a second active leader.
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let admin: string;
let leaderS01: string;
let leaderS02: string;
const teamIds = new Map<string, string>();

const MEMBER = `member { id name role active phone idNumber skills employmentMode joinedOn leftOn team { code } certificates { name expiresOn status } }`;
const ADD = `mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { ${MEMBER} errors { field code message } } }`;
const UPDATE = `mutation ($input: UpdateTeamMemberInput!) { updateTeamMember(input: $input) { ${MEMBER} errors { field code message } } }`;
const DEACTIVATE = `mutation ($input: DeactivateTeamMemberInput!) { deactivateTeamMember(input: $input) { ${MEMBER} errors { field code message } } }`;
const TRANSFER = `mutation ($input: TransferTeamMemberInput!) { transferTeamMember(input: $input) { ${MEMBER} fromTeam { code } errors { field code message } } }`;
const APPOINT = `mutation ($input: AppointTeamLeaderInput!) {
  appointTeamLeader(input: $input) { team { code leader { id } } leader { id role } formerLeader { id role active } errors { field code message } }
}`;

/** A valid resident ID number (GB 11643 check digit) for a test person. */
function idNumber(sequence: number): string {
  const first17 = `50015419900101${String(sequence).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, leaderS01, leaderS02] = await Promise.all([t.tokenFor("admin"), t.tokenFor("leader.kz-s01"), t.tokenFor("leader.kz-s02")]);
  const result = await t.graphql(`{ rescueTeams(first: 100) { nodes { id code } } }`, {}, { token: admin });
  for (const team of result.data.rescueTeams.nodes) teamIds.set(team.code, team.id);
});
afterAll(() => t.stop());

async function mutate(query: string, input: Record<string, unknown>, token: string) {
  const result = await t.graphql(query, { input }, { token });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data)[0] as any;
}

async function roster(code: string) {
  const result = await t.graphql(
    `query ($id: ID!) { rescueTeam(id: $id) { activeMemberCount leader { id name } members(first: 100) { nodes { id name role } } } }`,
    { id: teamIds.get(code) },
    { token: admin },
  );
  return result.data.rescueTeam;
}

async function memberCount(): Promise<number> {
  const [{ count }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM team_member`);
  return count;
}

describe("addTeamMember", () => {
  it("lets the team's leader add a member with skills and certificates", async () => {
    const payload = await mutate(
      ADD,
      {
        teamId: teamIds.get("KZ-TT-S01"),
        name: " 向明亮 ",
        skills: ["冲锋舟驾驶", "急救", "急救"],
        employmentMode: "GRID_WORKER",
        phone: "13912345678",
        idNumber: idNumber(1),
        certificates: [{ name: "应急救援员（五级）", number: "CQ2024000123", issuer: "重庆市职业技能鉴定中心", issuedOn: "2024-03-01", expiresOn: "2099-03-01" }],
      },
      leaderS01,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.member).toMatchObject({
      name: "向明亮",
      role: "MEMBER",
      active: true,
      phone: "13912345678",
      idNumber: idNumber(1),
      skills: ["冲锋舟驾驶", "急救"],
      employmentMode: "GRID_WORKER",
      leftOn: null,
      team: { code: "KZ-TT-S01" },
      certificates: [{ name: "应急救援员（五级）", expiresOn: "2099-03-01", status: "VALID" }],
    });
    expect((await roster("KZ-TT-S01")).activeMemberCount).toBe(21);
  });

  it("collects every input problem at once and writes nothing", async () => {
    const before = await memberCount();
    // What the input rules refuse (core/graphql/input-rules.ts) comes back together, before the roster looks …
    const malformed = await mutate(ADD, { teamId: teamIds.get("KZ-TT-S01"), name: "  ", employmentMode: "VOLUNTEER", phone: "12345", idNumber: "5001541990" }, leaderS01);
    expect(malformed.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["input.name", "BLANK"],
      ["input.phone", "INVALID_FORMAT"],
      ["input.idNumber", "INVALID_FORMAT"],
    ]);
    // … and so does what the roster's own rules refuse: a landline, a wrong check digit, a certificate expiring before its issue.
    const payload = await mutate(
      ADD,
      {
        teamId: teamIds.get("KZ-TT-S01"),
        name: "王五",
        employmentMode: "VOLUNTEER",
        phone: "023-52221234",
        idNumber: "500154199001010000",
        certificates: [{ name: "证书", issuedOn: "2024-01-01", expiresOn: "2023-01-01" }],
      },
      leaderS01,
    );
    expect(payload.member).toBeNull();
    expect(payload.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["input.phone", "INVALID_FORMAT"],
      ["input.idNumber", "INVALID_FORMAT"],
      ["input.certificates[0].expiresOn", "OUT_OF_RANGE"],
    ]);
    expect(await memberCount()).toBe(before);
  });

  it("refuses a second active leader and a person already on the team's roster; names another team's roster to an ADMIN", async () => {
    const before = await memberCount();
    const leader = await mutate(ADD, { teamId: teamIds.get("KZ-TT-S01"), name: "王二", role: "LEADER", employmentMode: "GRID_WORKER" }, leaderS01);
    expect(leader.errors).toEqual([expect.objectContaining({ field: "input.role", code: "DUPLICATE" })]);
    const [own] = await t.app.dataSource.query(`SELECT id_number FROM team_member WHERE active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-S01') AND id_number IS NOT NULL LIMIT 1`);
    const again = await mutate(ADD, { teamId: teamIds.get("KZ-TT-S01"), name: "王三", employmentMode: "GRID_WORKER", idNumber: own.id_number }, leaderS01);
    expect(again.errors).toEqual([{ field: "input.idNumber", code: "DUPLICATE", message: "A person with this ID number is already on this team's roster." }]);
    // Whose number it is may be told to those who see every team's personal data (test/roster-conflicts.test.ts: not to a leader).
    const [elsewhere] = await t.app.dataSource.query(`SELECT id_number FROM team_member WHERE active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-S02') LIMIT 1`);
    const byAdmin = await mutate(ADD, { teamId: teamIds.get("KZ-TT-S01"), name: "王三", employmentMode: "GRID_WORKER", idNumber: elsewhere.id_number }, admin);
    expect(byAdmin.errors).toEqual([{ field: "input.idNumber", code: "DUPLICATE", message: expect.stringMatching(/文峰街道综合应急救援队 \(KZ-TT-S02\).*transferTeamMember/) }]);
    expect(await memberCount()).toBe(before);
  });

  it("adds a member once when a leader on a bad network retries with the same idempotency key", async () => {
    const before = await memberCount();
    const input = { teamId: teamIds.get("KZ-TT-S01"), name: "周重试", employmentMode: "GRID_WORKER", idNumber: idNumber(7), idempotencyKey: "add-zhou-7" };
    const first = await mutate(ADD, input, leaderS01);
    const retry = await mutate(ADD, input, leaderS01);
    expect(first.errors).toEqual([]);
    expect(retry.member.id).toBe(first.member.id);
    expect(await memberCount()).toBe(before + 1);
  });

  it("is FORBIDDEN to leaders of other teams, dashboards and commanders; allowed to ADMIN", async () => {
    const before = await memberCount();
    const input = { input: { teamId: teamIds.get("KZ-TT-S01"), name: "李四", employmentMode: "GRID_WORKER" } };
    for (const token of [leaderS02, await t.apiKeyFor("DASHBOARD"), await t.tokenFor("commander"), await t.tokenFor("logistics")]) {
      const result = await t.graphql(ADD, input, { token });
      expect(result.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    expect(await memberCount()).toBe(before);
    expect((await mutate(ADD, input.input, admin)).errors).toEqual([]);
  });
});

describe("updateTeamMember and deactivateTeamMember", () => {
  it("changes details and replaces certificates; a certificate expiring soon shows as an alert", async () => {
    const { members } = await roster("KZ-TT-S01");
    const member = members.nodes.find((m: any) => m.role === "MEMBER");
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const payload = await mutate(
      UPDATE,
      { memberId: member.id, role: "DEPUTY", phone: "18800001111", skills: ["绳索救援"], certificates: [{ name: "红十字救护员证", expiresOn: soon }] },
      leaderS01,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.member).toMatchObject({ role: "DEPUTY", phone: "18800001111", skills: ["绳索救援"], certificates: [{ name: "红十字救护员证", expiresOn: soon, status: "EXPIRING_SOON" }] });
    const alerts = await t.graphql(`query ($id: ID!) { certificateAlerts(first: 100, where: { teamId: $id }) { nodes { holder { id } status } } }`, { id: teamIds.get("KZ-TT-S01") }, { token: admin });
    expect(alerts.data.certificateAlerts.nodes).toContainEqual({ holder: { id: member.id }, status: "EXPIRING_SOON" });
  });

  it("refuses to make a second leader or to demote the leader, and FORBIDS another team's leader", async () => {
    const team = await roster("KZ-TT-S01");
    const member = team.members.nodes.find((m: any) => m.role === "MEMBER");
    const second = await mutate(UPDATE, { memberId: member.id, role: "LEADER" }, leaderS01);
    expect(second.errors).toEqual([expect.objectContaining({ field: "input.role", code: "DUPLICATE" })]);
    const demote = await mutate(UPDATE, { memberId: team.leader.id, role: "MEMBER" }, leaderS01);
    expect(demote.errors).toEqual([expect.objectContaining({ field: "input.role", code: "INVALID_STATE" })]);
    const foreign = await t.graphql(UPDATE, { input: { memberId: member.id, phone: "13000000000" } }, { token: leaderS02 });
    expect(foreign.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await roster("KZ-TT-S01")).leader.id).toBe(team.leader.id);
  });

  it("deactivates a member (kept for history) but never the leader, and keeps available members within the roster", async () => {
    const team = await roster("KZ-TT-S03");
    const leaderS03 = await t.tokenFor("leader.kz-s03");
    const leaderRefused = await mutate(DEACTIVATE, { memberId: team.leader.id }, leaderS03);
    expect(leaderRefused.errors).toEqual([expect.objectContaining({ code: "INVALID_STATE" })]);
    await t.graphql(
      `mutation ($input: UpdateTeamReadinessInput!) { updateTeamReadiness(input: $input) { errors { code } } }`,
      { input: { teamId: teamIds.get("KZ-TT-S03"), status: "READY", availableMembers: team.activeMemberCount } },
      { token: leaderS03 },
    );
    const member = team.members.nodes.find((m: any) => m.role === "MEMBER");
    const payload = await mutate(DEACTIVATE, { memberId: member.id }, leaderS03);
    expect(payload.errors).toEqual([]);
    expect(payload.member.active).toBe(false);
    expect(payload.member.leftOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const after = await t.graphql(
      `query ($id: ID!) { rescueTeam(id: $id) { activeMemberCount availableMembers formers: members(first: 10, where: { active: false }) { nodes { id } } } }`,
      { id: teamIds.get("KZ-TT-S03") },
      { token: admin },
    );
    expect(after.data.rescueTeam.activeMemberCount).toBe(team.activeMemberCount - 1);
    expect(after.data.rescueTeam.availableMembers).toBe(team.activeMemberCount - 1);
    expect(after.data.rescueTeam.formers.nodes).toEqual([{ id: member.id }]);
    const again = await mutate(DEACTIVATE, { memberId: member.id }, leaderS03);
    expect(again.errors).toEqual([expect.objectContaining({ code: "INVALID_STATE" })]);
    const edit = await mutate(UPDATE, { memberId: member.id, phone: "13900000000" }, leaderS03);
    expect(edit.errors).toEqual([expect.objectContaining({ code: "INVALID_STATE" })]);
  });
});

describe("transferTeamMember", () => {
  it("moves an active member as a MEMBER; refuses the leader, the same team and inactive members", async () => {
    const from = await roster("KZ-TT-S04");
    const leaderS04 = await t.tokenFor("leader.kz-s04");
    const deputy = from.members.nodes.find((m: any) => m.role === "DEPUTY");
    const payload = await mutate(TRANSFER, { memberId: deputy.id, toTeamId: teamIds.get("KZ-TT-S05") }, leaderS04);
    expect(payload.errors).toEqual([]);
    expect(payload.member).toMatchObject({ id: deputy.id, role: "MEMBER", active: true, team: { code: "KZ-TT-S05" } });
    expect(payload.fromTeam.code).toBe("KZ-TT-S04");
    expect((await roster("KZ-TT-S04")).activeMemberCount).toBe(from.activeMemberCount - 1);
    // Now the member is another team's: their former leader may not move them again.
    const notYours = await t.graphql(TRANSFER, { input: { memberId: deputy.id, toTeamId: teamIds.get("KZ-TT-S04") } }, { token: leaderS04 });
    expect(notYours.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const leader = await mutate(TRANSFER, { memberId: from.leader.id, toTeamId: teamIds.get("KZ-TT-S05") }, leaderS04);
    expect(leader.errors).toEqual([expect.objectContaining({ code: "INVALID_STATE" })]);
    const same = await mutate(TRANSFER, { memberId: deputy.id, toTeamId: teamIds.get("KZ-TT-S05") }, admin);
    expect(same.errors).toEqual([expect.objectContaining({ field: "input.toTeamId", code: "INVALID_STATE" })]);
    const nowhere = await mutate(TRANSFER, { memberId: deputy.id, toTeamId: Buffer.from("RescueTeam:99999").toString("base64") }, admin);
    expect(nowhere.errors).toEqual([expect.objectContaining({ field: "input.toTeamId", code: "NOT_FOUND" })]);
  });
});

describe("appointTeamLeader", () => {
  it("makes an active member of the team its leader and the former leader a DEPUTY, leaving exactly one active leader", async () => {
    const team = await roster("KZ-TT-S06");
    const leaderS06 = await t.tokenFor("leader.kz-s06");
    const next = team.members.nodes.find((m: any) => m.role === "MEMBER");
    const payload = await mutate(APPOINT, { teamId: teamIds.get("KZ-TT-S06"), memberId: next.id }, leaderS06);
    expect(payload.errors).toEqual([]);
    expect(payload.leader).toEqual({ id: next.id, role: "LEADER" });
    expect(payload.formerLeader).toEqual({ id: team.leader.id, role: "DEPUTY", active: true });
    expect(payload.team.leader.id).toBe(next.id);
    const [{ leaders }] = await t.app.dataSource.query(
      `SELECT count(*)::int AS leaders FROM team_member WHERE role = 'LEADER' AND active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-S06')`,
    );
    expect(leaders).toBe(1);
  });

  it("refuses an inactive member and a member of another team as UserErrors, and another team's leader as FORBIDDEN", async () => {
    const team = await roster("KZ-TT-S07");
    const leaderS07 = await t.tokenFor("leader.kz-s07");
    const former = await t.app.dataSource.query(
      `UPDATE team_member SET active = false, left_on = CURRENT_DATE WHERE id = (SELECT id FROM team_member WHERE role = 'MEMBER' AND active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-S07') LIMIT 1) RETURNING id`,
    );
    const formerId = Buffer.from(`TeamMember:${former[0][0].id}`).toString("base64");
    const inactive = await mutate(APPOINT, { teamId: teamIds.get("KZ-TT-S07"), memberId: formerId }, leaderS07);
    expect(inactive.errors).toEqual([expect.objectContaining({ field: "input.memberId", code: "INVALID_STATE" })]);
    const otherTeamMember = (await roster("KZ-TT-S08")).members.nodes.find((m: any) => m.role === "MEMBER");
    const wrongTeam = await mutate(APPOINT, { teamId: teamIds.get("KZ-TT-S07"), memberId: otherTeamMember.id }, leaderS07);
    expect(wrongTeam.errors).toEqual([expect.objectContaining({ field: "input.memberId", code: "WRONG_TEAM" })]);
    const forbidden = await t.graphql(APPOINT, { input: { teamId: teamIds.get("KZ-TT-S07"), memberId: team.members.nodes[3].id } }, { token: leaderS01 });
    expect(forbidden.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await roster("KZ-TT-S07")).leader.id).toBe(team.leader.id);
  });

  it("leaves exactly one active leader when appointments race", async () => {
    const team = await roster("KZ-TT-T10");
    const candidates = team.members.nodes.filter((m: any) => m.role === "MEMBER").slice(0, 6);
    const results = await Promise.all(candidates.map((m: any) => mutate(APPOINT, { teamId: teamIds.get("KZ-TT-T10"), memberId: m.id }, admin)));
    expect(results.every((payload) => payload.errors.length === 0)).toBe(true);
    const [{ leaders }] = await t.app.dataSource.query(
      `SELECT count(*)::int AS leaders FROM team_member WHERE role = 'LEADER' AND active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-T10')`,
    );
    expect(leaders).toBe(1);
  });

  it("is backed by the database: a second active leader is refused even by direct SQL", async () => {
    await expect(
      t.app.dataSource.query(
        `UPDATE team_member SET role = 'LEADER' WHERE id = (SELECT id FROM team_member WHERE role = 'MEMBER' AND active AND team_id = (SELECT id FROM rescue_team WHERE code = 'KZ-TT-T09') LIMIT 1)`,
      ),
    ).rejects.toThrow(/UQ_team_member_active_leader/);
  });
});
