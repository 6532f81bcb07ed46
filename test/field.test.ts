// Forces in the field (issue 21): call-ups and their life cycle, the checks before a team goes
// (warnings acknowledged in the audit log, hard rules refusing), the filing made from a call-up,
// on-site hours, situation reports and their roll-up, and members' personal data masked.
import ExcelJS from "exceljs";
import { toGlobalId } from "../src/core/graphql/relay";
import { districtDateTime } from "../src/modules/spreadsheets/sheet-file";
import { startTestApp, type TestApp } from "./support/app";
import { clientFor, settle, subscribe } from "./support/subscriptions";

let t: TestApp;
let commander: string;
let dashboard: string;
let incidentId: string;
const team: Record<string, { id: string; dbId: number }> = {};
const region: Record<string, string> = {};

async function sql(text: string, params: unknown[] = []) {
  return t.app.dataSource.query(text, params);
}

beforeAll(async () => {
  t = await startTestApp();
  commander = await t.tokenFor("commander");
  dashboard = await t.apiKeyFor("DASHBOARD");
  for (const row of await sql(`SELECT id, code FROM rescue_team WHERE code IN ('KZ-SR-01', 'KZ-SR-04', 'KZ-TT-S01', 'KZ-MM-01', 'KZ-CF-01')`)) team[row.code] = { id: toGlobalId("RescueTeam", row.id), dbId: row.id };
  for (const row of await sql(`SELECT id, code FROM region WHERE code IN ('KZ-S01', 'KZ-S02', 'KZ-T27')`)) region[row.code] = toGlobalId("Region", row.id);
  // A leader account for KZ-SR-04 (the seed makes one for KZ-SR-01 only), with the demo password.
  await sql(
    `INSERT INTO account (username, display_name, password_hash, role, team_id, is_demo)
     SELECT 'leader.kz-sr-04', '山地队队长', password_hash, 'TEAM_LEADER', $1, true FROM account WHERE username = 'leader.kz-sr-01'`,
    [team["KZ-SR-04"].dbId],
  );
  const opened = await t.graphql(`mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code } } }`, {
    input: { title: "南河汛情", hazard: "FLOOD_DROUGHT", level: "III", regionIds: [region["KZ-S01"], region["KZ-T27"]], commanderName: "李明", occurredAt: new Date(Date.now() - 12 * 3_600_000).toISOString() },
  }, { token: commander });
  incidentId = opened.data.openIncident.incident.id;
});
afterAll(() => t.stop());

it("seeds the militia emergency units and community micro fire stations, with insurance and check rules", async () => {
  const result = await t.graphql(`{ m: rescueTeams(first: 10, where: { kind: MILITIA }) { totalCount nodes { code } } c: rescueTeams(first: 10, where: { kind: COMMUNITY_FIRE_STATION }) { totalCount } deploymentCheckRules { teamKind checkCode severity skill } }`, {}, { token: commander });
  expect(result.data.m.totalCount).toBe(2);
  expect(result.data.c.totalCount).toBe(2);
  expect(result.data.deploymentCheckRules).toContainEqual({ teamKind: "SOCIAL", checkCode: "INSURANCE", severity: "REFUSE", skill: "水域救援" });
  const [{ insured }] = await sql(`SELECT count(*)::int AS insured FROM member_insurance`);
  expect(insured).toBeGreaterThan(100);
});

it("deployTeam runs the checks: KZ-SR-04 shows its failures and goes only once they are acknowledged", async () => {
  const DEPLOY = `mutation ($input: DeployTeamInput!) { deployTeam(input: $input) { deployment { id checks { code severity acknowledged message } } errors { field code message } } }`;
  const refused = await t.graphql(DEPLOY, { input: { incidentId, teamId: team["KZ-SR-04"].id, headcount: 3 } }, { token: commander });
  expect(refused.data.deployTeam.deployment).toBeNull();
  const error = refused.data.deployTeam.errors[0];
  expect(error).toMatchObject({ field: "input.acknowledgedChecks", code: "UNACKNOWLEDGED_WARNINGS" });
  for (const code of ["PARTY_ORGANISATION", "DISCLOSURE", "READINESS", "NO_CALL_UP"]) expect(error.message).toContain(code);
  const [{ n }] = await sql(`SELECT count(*)::int AS n FROM team_deployment WHERE team_id = $1`, [team["KZ-SR-04"].dbId]);
  expect(n).toBe(0);

  const sent = await t.graphql(DEPLOY, { input: { incidentId, teamId: team["KZ-SR-04"].id, headcount: 3, acknowledgedChecks: ["PARTY_ORGANISATION", "DISCLOSURE", "READINESS", "NO_CALL_UP"], equipment: ["北斗终端 ×2"] } }, { token: commander });
  expect(sent.data.deployTeam.errors).toEqual([]);
  const checks = sent.data.deployTeam.deployment.checks;
  expect(checks.map((c: any) => c.code).sort()).toEqual(["DISCLOSURE", "NO_CALL_UP", "PARTY_ORGANISATION", "READINESS"]);
  expect(checks.every((c: any) => c.acknowledged && c.severity === "WARNING")).toBe(true);
  const [audit] = await sql(`SELECT input_summary FROM audit_entry WHERE operation = 'deployTeam' AND outcome = 'SUCCEEDED' ORDER BY id DESC LIMIT 1`);
  expect(JSON.stringify(audit.input_summary)).toContain("NO_CALL_UP");
  await t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id }) { errors { code } } }`, { id: team["KZ-SR-04"].id }, { token: commander });
  // The district's own teams go under direct command with no rule in the way.
  const own = await t.graphql(DEPLOY, { input: { incidentId, teamId: team["KZ-TT-S01"].id, headcount: 2 } }, { token: commander });
  expect(own.data.deployTeam.errors).toEqual([]);
  expect(own.data.deployTeam.deployment.checks).toEqual([]);
  await t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id }) { errors { code } } }`, { id: team["KZ-TT-S01"].id }, { token: commander });
});

const CALL_UP = `mutation ($input: CallUpTeamInput!) { callUpTeam(input: $input) { callUp { id code status overdue checks { code severity } } errors { field code message } } }`;
const CALL_UP_FIELDS = `callUp { id status headcountAccepted checks { code severity acknowledged } deployment { id headcount active equipment } members { id } } errors { field code message }`;
const ACCEPT = `mutation ($input: AcceptCallUpInput!) { acceptCallUp(input: $input) { ${CALL_UP_FIELDS} } }`;
const DECLINE = `mutation ($input: DeclineCallUpInput!) { declineCallUp(input: $input) { ${CALL_UP_FIELDS} } }`;
const CANCEL = `mutation ($input: CancelCallUpInput!) { cancelCallUp(input: $input) { ${CALL_UP_FIELDS} } }`;
const ACK = `mutation ($input: AcknowledgeCallUpChecksInput!) { acknowledgeCallUpChecks(input: $input) { ${CALL_UP_FIELDS} } }`;

function callUpInput(teamCode: string, overrides: Record<string, unknown> = {}) {
  return {
    incidentId, teamId: team[teamCode].id, regionId: region["KZ-S01"], task: "南河沿岸被困群众搜救", area: "南河东岸 2 号至 5 号堤段",
    headcountWanted: 4, skillsNeeded: [], equipmentNeeded: ["救援皮划艇"], reportTo: "南河大桥现场指挥部", reportBy: new Date(Date.now() + 3_600_000).toISOString(), ...overrides,
  };
}

/** Active members of a team, those with (or without) valid insurance and a valid certificate first. */
async function members(teamCode: string, count: number, insured = true): Promise<string[]> {
  const rows = await sql(
    `SELECT m.id FROM team_member m WHERE m.team_id = $1 AND m.active
       AND EXISTS (SELECT 1 FROM member_certificate c WHERE c.member_id = m.id AND (c.expires_on IS NULL OR c.expires_on >= CURRENT_DATE)) = $3
       AND EXISTS (SELECT 1 FROM member_insurance i WHERE i.member_id = m.id AND i.starts_on <= CURRENT_DATE AND i.expires_on >= CURRENT_DATE) = $3
     ORDER BY m.id LIMIT $2`,
    [team[teamCode].dbId, count, insured],
  );
  return rows.map((r: any) => toGlobalId("TeamMember", r.id));
}

it("runs a call-up through its life cycle and refuses every illegal transition", async () => {
  const leader = await t.tokenFor("leader.kz-sr-01");
  const otherLeader = await t.tokenFor("leader.kz-sr-04");
  const created = await t.graphql(CALL_UP, { input: callUpInput("KZ-SR-01") }, { token: commander });
  expect(created.data.callUpTeam.errors).toEqual([]);
  const callUp = created.data.callUpTeam.callUp;
  expect(callUp).toMatchObject({ status: "REQUESTED", overdue: false, checks: [] });
  expect(callUp.code).toMatch(/^KZ-CU-\d{4}-0001$/);
  // A second open call-up for the same team is refused.
  const twice = await t.graphql(CALL_UP, { input: callUpInput("KZ-SR-01") }, { token: commander });
  expect(twice.data.callUpTeam.errors[0]).toMatchObject({ field: "input.teamId", code: "INVALID_STATE" });
  // Another team's leader may not answer it; the commander may not accept for the team.
  const foreign = await t.graphql(DECLINE, { input: { callUpId: callUp.id, reason: "x" } }, { token: otherLeader });
  expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const byCommander = await t.graphql(ACCEPT, { input: { callUpId: callUp.id, headcount: 1, expectedArrivalAt: new Date().toISOString(), memberIds: await members("KZ-SR-01", 1) } }, { token: commander });
  expect(byCommander.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

  const going = await members("KZ-SR-01", 3);
  expect(going).toHaveLength(3);
  const mismatch = await t.graphql(ACCEPT, { input: { callUpId: callUp.id, headcount: 4, expectedArrivalAt: new Date().toISOString(), memberIds: going } }, { token: leader });
  expect(mismatch.data.acceptCallUp.errors[0]).toMatchObject({ field: "input.memberIds", code: "MISMATCH" });
  const accepted = await t.graphql(ACCEPT, { input: { callUpId: callUp.id, headcount: 3, expectedArrivalAt: new Date(Date.now() + 1_800_000).toISOString(), memberIds: going, equipment: ["救援皮划艇 ×2"] } }, { token: leader });
  expect(accepted.data.acceptCallUp.errors).toEqual([]);
  expect(accepted.data.acceptCallUp.callUp).toMatchObject({ status: "ACCEPTED", headcountAccepted: 3, deployment: { headcount: 3, active: true, equipment: ["救援皮划艇 ×2"] } });
  expect(accepted.data.acceptCallUp.callUp.members).toHaveLength(3);

  // Every move from ACCEPTED is refused.
  for (const [doc, input, token] of [
    [ACCEPT, { callUpId: callUp.id, headcount: 3, expectedArrivalAt: new Date().toISOString(), memberIds: going }, leader],
    [DECLINE, { callUpId: callUp.id, reason: "人手不足" }, leader],
    [CANCEL, { callUpId: callUp.id }, commander],
    [ACK, { callUpId: callUp.id, checks: [] }, commander],
  ] as const) {
    const result = await t.graphql(doc, { input }, { token });
    const payload = Object.values(result.data as Record<string, any>)[0];
    expect(payload.errors[0]).toMatchObject({ field: "input.callUpId", code: "INVALID_STATE" });
  }

  // The filing was made from the call-up and is linked.
  const filings = await t.graphql(`query ($team: ID) { rescueActionFilings(first: 5, where: { teamId: $team }) { nodes { incident outcome endedAt linkedIncident { id } deployment { id } callUp { id } members { id name } } } }`, { team: team["KZ-SR-01"].id }, { token: commander });
  const filing = filings.data.rescueActionFilings.nodes.find((f: any) => f.callUp?.id === callUp.id);
  expect(filing).toMatchObject({ incident: "南河汛情", outcome: null, endedAt: null, linkedIncident: { id: incidentId }, deployment: { id: accepted.data.acceptCallUp.callUp.deployment.id } });
  expect(filing.members.map((m: any) => m.id).sort()).toEqual([...going].sort());
  expect(filing.members[0].name).not.toContain("*");

  // Release: the call-up is RELEASED and the filing closed with its outcome.
  const released = await t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id, outcome: "救出2人" }) { errors { code } } }`, { id: team["KZ-SR-01"].id }, { token: commander });
  expect(released.data.releaseTeam.errors).toEqual([]);
  const [row] = await sql(`SELECT c.status, f.outcome, f.ended_at IS NOT NULL AS ended FROM team_call_up c JOIN rescue_action_filing f ON f.call_up_id = c.id WHERE c.code = $1`, [callUp.code]);
  expect(row).toEqual({ status: "RELEASED", outcome: "救出2人", ended: true });

  // Declined and cancelled call-ups stay where they are.
  const second = (await t.graphql(CALL_UP, { input: callUpInput("KZ-SR-01") }, { token: commander })).data.callUpTeam.callUp;
  const declined = await t.graphql(DECLINE, { input: { callUpId: second.id, reason: "队员外出训练" } }, { token: leader });
  expect(declined.data.declineCallUp.callUp.status).toBe("DECLINED");
  const cancelDeclined = await t.graphql(CANCEL, { input: { callUpId: second.id } }, { token: commander });
  expect(cancelDeclined.data.cancelCallUp.errors[0].code).toBe("INVALID_STATE");
  const third = (await t.graphql(CALL_UP, { input: callUpInput("KZ-SR-01") }, { token: commander })).data.callUpTeam.callUp;
  expect((await t.graphql(CANCEL, { input: { callUpId: third.id } }, { token: commander })).data.cancelCallUp.callUp.status).toBe("CANCELLED");
  const acceptCancelled = await t.graphql(ACCEPT, { input: { callUpId: third.id, headcount: 3, expectedArrivalAt: new Date().toISOString(), memberIds: going } }, { token: leader });
  expect(acceptCancelled.data.acceptCallUp.errors[0].code).toBe("INVALID_STATE");
});

it("flags a call-up unanswered past its deadline", async () => {
  const created = (await t.graphql(CALL_UP, { input: callUpInput("KZ-MM-01") }, { token: commander })).data.callUpTeam.callUp;
  await sql(`UPDATE team_call_up SET answer_due_at = now() - interval '1 minute' WHERE code = $1`, [created.code]);
  const list = await t.graphql(`{ callUps(first: 10, where: { overdue: true }) { nodes { code overdue } } }`, {}, { token: commander });
  expect(list.data.callUps.nodes).toEqual([{ code: created.code, overdue: true }]);
  await t.graphql(CANCEL, { input: { callUpId: created.id } }, { token: commander });
});

it("refuses on a hard rule, and waits for the commander's acknowledgement of warnings, kept in the audit log", async () => {
  const leader = await t.tokenFor("leader.kz-sr-04");
  // Water rescue without insurance: refused outright.
  const water = (await t.graphql(CALL_UP, { input: callUpInput("KZ-SR-04", { skillsNeeded: ["水域救援"], headcountWanted: 2 }) }, { token: commander })).data.callUpTeam.callUp;
  // READINESS passes now: the release in the deployTeam case above reported the team RECOVERING.
  expect(water.checks.map((c: any) => c.code).sort()).toEqual(["DISCLOSURE", "PARTY_ORGANISATION"]);
  const uninsured = await members("KZ-SR-04", 2, false);
  expect(uninsured.length).toBeGreaterThan(0);
  const refused = await t.graphql(ACCEPT, { input: { callUpId: water.id, headcount: uninsured.length, expectedArrivalAt: new Date().toISOString(), memberIds: uninsured } }, { token: leader });
  expect(refused.data.acceptCallUp.errors[0]).toMatchObject({ field: "input.memberIds", code: "CHECK_REFUSED", message: expect.stringContaining("insurance") });
  expect((await sql(`SELECT status FROM team_call_up WHERE id = $1`, [Number(Buffer.from(water.id, "base64").toString().split(":")[1])]))[0].status).toBe("REQUESTED");
  await t.graphql(CANCEL, { input: { callUpId: water.id } }, { token: commander });

  // A mountain task: the warnings hold the team until the commander acknowledges them.
  const mountain = (await t.graphql(CALL_UP, { input: callUpInput("KZ-SR-04", { regionId: region["KZ-T27"], headcountWanted: 2 }) }, { token: commander })).data.callUpTeam.callUp;
  const going = await members("KZ-SR-04", 2);
  const accepted = await t.graphql(ACCEPT, { input: { callUpId: mountain.id, headcount: going.length, expectedArrivalAt: new Date().toISOString(), memberIds: going, equipment: ["北斗终端 ×2"] } }, { token: leader });
  expect(accepted.data.acceptCallUp.callUp).toMatchObject({ status: "AWAITING_ACKNOWLEDGEMENT", deployment: null });
  const partial = await t.graphql(ACK, { input: { callUpId: mountain.id, checks: ["DISCLOSURE"] } }, { token: commander });
  expect(partial.data.acknowledgeCallUpChecks.errors[0]).toMatchObject({ field: "input.checks", code: "UNACKNOWLEDGED_WARNINGS" });
  const notFailing = await t.graphql(ACK, { input: { callUpId: mountain.id, checks: ["REGISTRATION"] } }, { token: commander });
  expect(notFailing.data.acknowledgeCallUpChecks.errors[0]).toMatchObject({ field: "input.checks[0]", code: "NOT_FAILING" });
  const byLeader = await t.graphql(ACK, { input: { callUpId: mountain.id, checks: ["DISCLOSURE", "PARTY_ORGANISATION"] } }, { token: leader });
  expect(byLeader.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const ack = await t.graphql(ACK, { input: { callUpId: mountain.id, checks: ["DISCLOSURE", "PARTY_ORGANISATION"] } }, { token: commander });
  expect(ack.data.acknowledgeCallUpChecks.errors).toEqual([]);
  expect(ack.data.acknowledgeCallUpChecks.callUp.status).toBe("ACCEPTED");
  // The equipment named at acceptance goes with the team when the acknowledgement sends it.
  expect(ack.data.acknowledgeCallUpChecks.callUp.deployment.equipment).toEqual(["北斗终端 ×2"]);
  expect(ack.data.acknowledgeCallUpChecks.callUp.checks.every((c: any) => c.acknowledged)).toBe(true);
  const [audit] = await sql(`SELECT actor_name, input_summary FROM audit_entry WHERE operation = 'acknowledgeCallUpChecks' AND outcome = 'SUCCEEDED' ORDER BY id DESC LIMIT 1`);
  expect(audit.input_summary.input.checks).toEqual(["DISCLOSURE", "PARTY_ORGANISATION"]);
  expect(audit.actor_name).toBeTruthy();

  // On site: check in, check out, hours.
  const deploymentId = ack.data.acknowledgeCallUpChecks.callUp.deployment.id;
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
  await sql(`UPDATE team_deployment SET deployed_at = now() - interval '3 hours' WHERE call_up_id = (SELECT id FROM team_call_up WHERE code = $1)`, [mountain.code]);
  const checkIn = await t.graphql(`mutation ($input: CheckInMembersInput!) { checkInMembers(input: $input) { attendance { id } errors { field code } } }`, { input: { deploymentId, memberIds: going, at: twoHoursAgo } }, { token: leader });
  expect(checkIn.data.checkInMembers.errors).toEqual([]);
  const foreignLeader = await t.graphql(`mutation ($input: CheckInMembersInput!) { checkInMembers(input: $input) { errors { code } } }`, { input: { deploymentId, memberIds: going.slice(0, 1) } }, { token: await t.tokenFor("leader.kz-sr-01") });
  expect(foreignLeader.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const again = await t.graphql(`mutation ($input: CheckInMembersInput!) { checkInMembers(input: $input) { errors { field code } } }`, { input: { deploymentId, memberIds: going.slice(0, 1) } }, { token: leader });
  expect(again.data.checkInMembers.errors[0]).toMatchObject({ field: "input.memberIds[0]", code: "INVALID_STATE" });
  const halfHourAgo = new Date(Date.now() - 1_800_000).toISOString();
  const out = await t.graphql(`mutation ($input: CheckOutMembersInput!) { checkOutMembers(input: $input) { attendance { hours checkedOutAt } errors { field code } } }`, { input: { deploymentId, memberIds: going.slice(0, 1), at: halfHourAgo } }, { token: leader });
  expect(out.data.checkOutMembers.attendance[0].hours).toBeCloseTo(1.5, 2);
  const task = await t.graphql(`mutation ($input: AssignDeploymentTaskInput!) { assignDeploymentTask(input: $input) { task { sector task } errors { code } } }`, { input: { deploymentId, sector: "大垭口 3 号网格", task: "搜寻失联登山者" } }, { token: commander });
  expect(task.data.assignDeploymentTask.task).toEqual({ sector: "大垭口 3 号网格", task: "搜寻失联登山者" });
  const until = new Date(Date.now() + 86_400_000).toISOString();
  const extended = await t.graphql(`mutation ($input: ExtendDeploymentInput!) { extendDeployment(input: $input) { deployment { plannedUntil } errors { code } } }`, { input: { deploymentId, until } }, { token: commander });
  expect(new Date(extended.data.extendDeployment.deployment.plannedUntil).toISOString()).toBe(until);
  const earlier = await t.graphql(`mutation ($input: ExtendDeploymentInput!) { extendDeployment(input: $input) { errors { code } } }`, { input: { deploymentId, until: new Date(Date.now() + 3_600_000).toISOString() } }, { token: commander });
  expect(earlier.data.extendDeployment.errors[0].code).toBe("OUT_OF_RANGE");
  // Release checks everyone still on site out.
  await t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id, outcome: "找到失联者1人" }) { errors { code } } }`, { id: team["KZ-SR-04"].id }, { token: commander });
  const board = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on TeamDeployment { active tasks { sector } attendance { checkedOutAt hours member { name } } } } }`, { id: deploymentId }, { token: commander });
  expect(board.data.node.active).toBe(false);
  expect(board.data.node.attendance.every((a: any) => a.checkedOutAt !== null)).toBe(true);
  // Dashboards see the members masked on this path too.
  const masked = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on TeamDeployment { attendance { member { name phone idNumber insurance { policyNumber } } } callUp { members { name } requestedBy } } } }`, { id: deploymentId }, { token: dashboard });
  const member = masked.data.node.attendance[0].member;
  expect(member.name).toMatch(/\*/);
  expect(member.idNumber ?? "*").toMatch(/\*/);
  for (const insurance of member.insurance) expect(insurance.policyNumber).toMatch(/^\*+.{4}$/);
  expect(masked.data.node.callUp.members[0].name).toMatch(/\*/);
});

it("masks policy numbers for dashboards through node(id:) and lets only the member's leader record insurance", async () => {
  const [row] = await sql(`SELECT i.id, i.policy_number FROM member_insurance i JOIN team_member m ON m.id = i.member_id WHERE m.team_id = $1 ORDER BY i.id LIMIT 1`, [team["KZ-SR-01"].dbId]);
  const id = toGlobalId("MemberInsurance", row.id);
  const seen = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on MemberInsurance { policyNumber } } }`, { id }, { token: dashboard });
  expect(seen.data.node.policyNumber).not.toBe(row.policy_number);
  expect(seen.data.node.policyNumber).toMatch(/^\*+/);
  const own = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on MemberInsurance { policyNumber } } }`, { id }, { token: await t.tokenFor("leader.kz-sr-01") });
  expect(own.data.node.policyNumber).toBe(row.policy_number);
  const [member] = await sql(`SELECT id FROM team_member WHERE team_id = $1 AND active ORDER BY id LIMIT 1`, [team["KZ-SR-01"].dbId]);
  const RECORD = `mutation ($input: RecordMemberInsuranceInput!) { recordMemberInsurance(input: $input) { insurance { policyNumber expiresOn } errors { field code } } }`;
  const input = { memberId: toGlobalId("TeamMember", member.id), insurer: "中国人寿开州支公司", product: "团体意外伤害险", policyNumber: "PL2026000123", startsOn: "2026-01-01", expiresOn: "2026-12-31" };
  const foreign = await t.graphql(RECORD, { input }, { token: await t.tokenFor("leader.kz-sr-04") });
  expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const recorded = await t.graphql(RECORD, { input }, { token: await t.tokenFor("leader.kz-sr-01") });
  expect(recorded.data.recordMemberInsurance.insurance).toEqual({ policyNumber: "PL2026000123", expiresOn: "2026-12-31" });
  const [audit] = await sql(`SELECT input_summary FROM audit_entry WHERE operation = 'recordMemberInsurance' AND outcome = 'SUCCEEDED' ORDER BY id DESC LIMIT 1`);
  expect(JSON.stringify(audit.input_summary)).not.toContain("PL2026000123");
});

it("takes situation reports within the township scope, makes road closures, and rolls them up", async () => {
  const scoped = await t.tokenFor("logistics.kz-s01");
  const REPORT = `mutation ($input: ReportSituationInput!) { reportSituation(input: $input) { report { id affected roadsCut region { code } } errors { field code } } }`;
  const hour = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const outside = await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-T27"], asOf: hour(3), affected: 10 } }, { token: scoped });
  expect(outside.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const [node] = await sql(`SELECT n.id FROM route_node n JOIN region r ON r.id = n.region_id WHERE r.code = 'KZ-S01'`);
  const first = await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-S01"], asOf: hour(3), affected: 1200, evacuated: 300, injured: 2, housesDamaged: 14, roadsCut: [{ description: "滨湖路积水断行", nodeId: toGlobalId("RouteNode", node.id) }], powerOut: true } }, { token: scoped });
  expect(first.data.reportSituation.errors).toEqual([]);
  const [closure] = await sql(`SELECT c.reason, c.reopened_at FROM situation_report_closure sc JOIN road_closure c ON c.id = sc.closure_id`);
  expect(closure).toEqual({ reason: "滨湖路积水断行", reopened_at: null });
  await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-T27"], asOf: hour(2), affected: 80, missing: 1 } }, { token: commander });
  // A correction is a new report naming the one it corrects; the latest per township counts.
  const correction = await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-S01"], asOf: hour(1), affected: 1500, evacuated: 420, injured: 3, housesDamaged: 14, correctsId: first.data.reportSituation.report.id } }, { token: commander });
  expect(correction.data.reportSituation.errors).toEqual([]);
  const roll = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on Incident { situation { latest { region { code } affected reportedBy } totals { affected evacuated missing injured housesDamaged townshipsPowerOut } trend { totals { affected } } } } } }`, { id: incidentId }, { token: dashboard });
  const situation = roll.data.node.situation;
  expect(situation.totals).toEqual({ affected: 1580, evacuated: 420, missing: 1, injured: 3, housesDamaged: 14, townshipsPowerOut: 0 });
  // The corrected report (1200) is out of the roll-up altogether, its trend point too.
  expect(situation.trend.map((p: any) => p.totals.affected)).toEqual([80, 1580]);
  expect(situation.latest.every((r: any) => r.reportedBy.includes("*"))).toBe(true);
  const [{ n }] = await sql(`SELECT count(*)::int AS n FROM audit_entry WHERE operation = 'reportSituation' AND outcome = 'SUCCEEDED'`);
  expect(n).toBe(3);
});

it("tells situationChanged subscribers within their region after commit, masked for dashboards", async () => {
  const client = clientFor(t.url, dashboard);
  const query = `subscription ($where: SituationChangedWhere) { situationChanged(where: $where) { region { code } report { affected reportedBy } } }`;
  const inT27 = await subscribe(client, query, { where: { regionId: region["KZ-T27"] } });
  const ofIncident = await subscribe(client, query, { where: { incidentId } });
  const REPORT = `mutation ($input: ReportSituationInput!) { reportSituation(input: $input) { errors { code } } }`;
  const asOf = new Date(Date.now() - 60_000).toISOString();
  await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-S02"], asOf, affected: 5 } }, { token: commander }); // a township of the district: accepted, outside KZ-T27
  await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-T27"], asOf, affected: -1 } }, { token: commander }); // refused: no event
  await t.graphql(REPORT, { input: { incidentId, regionId: region["KZ-T27"], asOf, affected: 90 } }, { token: commander });
  const mine = await inT27.waitFor(1);
  expect(mine[0].situationChanged).toEqual({ region: { code: "KZ-T27" }, report: { affected: 90, reportedBy: expect.stringContaining("*") } });
  await ofIncident.waitFor(2);
  await settle();
  expect(inT27.events).toHaveLength(1);
  expect(ofIncident.events.map((e: any) => e.situationChanged.region.code)).toEqual(["KZ-S02", "KZ-T27"]);
  await client.dispose();
});

it("exports the 灾情统计表 as xlsx and csv: latest per township, a 合计 row, reporters masked for dashboards", async () => {
  const EXPORT = `query ($id: ID!, $format: SheetFormat) { exportSituation(incidentId: $id, format: $format) { filename mimeType content rowCount } }`;
  const csv = (await t.graphql(EXPORT, { id: incidentId, format: "CSV" }, { token: dashboard })).data.exportSituation;
  expect(csv.filename).toMatch(/^situation-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = Buffer.from(csv.content, "base64").toString("utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  expect(lines[0]).toContain("乡镇（街道）编码");
  const rows = lines.slice(1).map((line) => line.split(","));
  expect(rows.map((r) => r[0])).toEqual(["KZ-S01", "KZ-S02", "KZ-T27", "合计"]);
  expect(rows[3][3]).toBe(String(1500 + 5 + 90));
  expect(csv.rowCount).toBe(4);
  const reporterColumn = lines[0].split(",").indexOf("报送人");
  expect(rows.slice(0, 3).every((r) => r[reporterColumn].includes("*"))).toBe(true);
  const xlsx = (await t.graphql(EXPORT, { id: incidentId, format: "XLSX" }, { token: commander })).data.exportSituation;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(xlsx.content, "base64") as never);
  const sheet = workbook.worksheets[0];
  const text = JSON.stringify(sheet.getSheetValues());
  expect(text).toContain("灾情统计表");
  expect(text).toContain("签发人");
  const none = await t.graphql(EXPORT, { id: toGlobalId("Incident", 999999) }, { token: commander });
  expect(none.data.exportSituation).toBeNull();
});

it("loads the nested call-up, filing and deployment lists in a number of statements that does not grow with the rows", async () => {
  const nested = `query ($first: Int) { callUps(first: $first) { nodes { code team { code } incident { code } region { code } members { name insurance { policyNumber } }
    deployment { callUp { code } attendance { hours member { name } } tasks { sector } } } }
    rescueActionFilings(first: $first) { nodes { linkedIncident { code } deployment { headcount } callUp { code } members { name } } } }`;
  const small = await t.graphql(nested, { first: 1 }, { token: commander });
  const large = await t.graphql(nested, { first: 50 }, { token: commander });
  expect(large.errors).toBeUndefined();
  expect(large.data.callUps.nodes.length).toBeGreaterThan(3);
  expect(Number.isFinite(small.sqlStatements)).toBe(true);
  expect(large.sqlStatements - small.sqlStatements).toBeLessThanOrEqual(2);
});

it("lets ADMIN configure the checks per team kind: a rule set takes effect on the next deployment, and goes when removed", async () => {
  const admin = await t.tokenFor("admin");
  const SET = `mutation ($input: SetDeploymentCheckRuleInput!) { setDeploymentCheckRule(input: $input) { rules { checkCode severity } errors { field code } } }`;
  const set = await t.graphql(SET, { input: { teamKind: "TOWNSHIP", checkCode: "READINESS", severity: "REFUSE" } }, { token: admin });
  expect(set.data.setDeploymentCheckRule.rules).toEqual([{ checkCode: "READINESS", severity: "REFUSE" }]);
  expect((await t.graphql(SET, { input: { teamKind: "TOWNSHIP", checkCode: "READINESS", severity: "REFUSE" } }, { token: commander })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const [stale] = await sql(`SELECT id FROM rescue_team WHERE code = 'KZ-TT-X03'`);
  await sql(`UPDATE rescue_team SET readiness_reported_at = now() - interval '30 hours' WHERE id = $1`, [stale.id]);
  const DEPLOY = `mutation ($input: DeployTeamInput!) { deployTeam(input: $input) { deployment { id } errors { field code message } } }`;
  const input = { incidentId, teamId: toGlobalId("RescueTeam", stale.id), headcount: 1, acknowledgedChecks: ["READINESS"] };
  const refused = await t.graphql(DEPLOY, { input }, { token: commander });
  expect(refused.data.deployTeam.errors[0]).toMatchObject({ field: "input.teamId", code: "CHECK_REFUSED", message: expect.stringContaining("readiness") });
  const removed = await t.graphql(SET, { input: { teamKind: "TOWNSHIP", checkCode: "READINESS", severity: null } }, { token: admin });
  expect(removed.data.setDeploymentCheckRule.rules).toEqual([]);
  const sent = await t.graphql(DEPLOY, { input: { ...input, acknowledgedChecks: [] } }, { token: commander });
  expect(sent.data.deployTeam.errors).toEqual([]);
  await t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id }) { errors { code } } }`, { id: input.teamId }, { token: commander });
});

// ---------------------------------------------------------------- the review of issue 21's merge

describe("as the reviewer used it", () => {
  let flood: string;
  const REPORT = `mutation ($input: ReportSituationInput!) { reportSituation(input: $input) { report { id } errors { field code message } } }`;
  const DEPLOY = `mutation ($input: DeployTeamInput!) { deployTeam(input: $input) { deployment { id } errors { field code message } } }`;
  const CHECK_IN = `mutation ($input: CheckInMembersInput!) { checkInMembers(input: $input) { attendance { id } errors { field code message } } }`;
  const CHECK_OUT = `mutation ($input: CheckOutMembersInput!) { checkOutMembers(input: $input) { errors { field code } } }`;
  const ACCEPT_WITH_MESSAGES = `mutation ($input: AcceptCallUpInput!) { acceptCallUp(input: $input) { callUp { id status checks { code message } deployment { id } } errors { field code message } } }`;
  const release = (teamId: string) => t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id }) { errors { code } } }`, { id: teamId }, { token: commander });
  const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

  beforeAll(async () => {
    const opened = await t.graphql(`mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code } } }`, {
      input: { title: "东河山洪", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [region["KZ-S01"], region["KZ-T27"]], commanderName: "李明", occurredAt: at(-10) },
    }, { token: commander });
    flood = opened.data.openIncident.incident.id;
  });

  async function callUpOn(teamCode: string, overrides: Record<string, unknown> = {}) {
    return t.graphql(CALL_UP, { input: callUpInput(teamCode, { incidentId: flood, ...overrides }) }, { token: commander });
  }

  it("refuses a situation report as of the future or before the incident; a correction replaces what it corrects in latest, totals and trend", async () => {
    const future = await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-S01"], asOf: at(1), affected: 1 } }, { token: commander });
    expect(future.data.reportSituation.errors).toEqual([expect.objectContaining({ field: "input.asOf", code: "IN_FUTURE" })]);
    const before = await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-S01"], asOf: at(-11), affected: 1 } }, { token: commander });
    expect(before.data.reportSituation.errors).toEqual([expect.objectContaining({ field: "input.asOf", code: "OUT_OF_RANGE" })]);
    // Within the clock tolerance: accepted.
    const t27 = await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-T27"], asOf: at(2 / 60), affected: 10 } }, { token: commander });
    expect(t27.data.reportSituation.errors).toEqual([]);
    // A report dated wrongly late, then its correction dated right: the wrong one is never "latest" again.
    const wrong = await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-S01"], asOf: at(3 / 60), affected: 9999 } }, { token: commander });
    const right = await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-S01"], asOf: at(-5), affected: 100, correctsId: wrong.data.reportSituation.report.id } }, { token: commander });
    expect(right.data.reportSituation.errors).toEqual([]);
    const SITUATION = `query ($id: ID!) { node(id: $id) { ... on Incident { situation { latest { id affected } totals { affected } trend { totals { affected } } } } } }`;
    let situation = (await t.graphql(SITUATION, { id: flood }, { token: commander })).data.node.situation;
    expect(situation.latest.map((r: any) => r.affected)).toEqual([100, 10]);
    expect(situation.totals.affected).toBe(110);
    expect(situation.trend.map((p: any) => p.totals.affected)).toEqual([100, 110]);
    // One correction per report; a correction may itself be corrected, and the whole chain gives way.
    const again = await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-S01"], asOf: at(-5), affected: 1, correctsId: wrong.data.reportSituation.report.id } }, { token: commander });
    expect(again.data.reportSituation.errors).toEqual([expect.objectContaining({ field: "input.correctsId", code: "INVALID_STATE" })]);
    await t.graphql(REPORT, { input: { incidentId: flood, regionId: region["KZ-S01"], asOf: at(-5), affected: 120, correctsId: right.data.reportSituation.report.id } }, { token: commander });
    situation = (await t.graphql(SITUATION, { id: flood }, { token: commander })).data.node.situation;
    expect(situation.totals.affected).toBe(130);
    expect(situation.trend.map((p: any) => p.totals.affected)).toEqual([120, 130]);
    // The 灾情统计表 takes the same rows.
    const csv = (await t.graphql(`query ($id: ID!) { exportSituation(incidentId: $id, format: CSV) { content } }`, { id: flood }, { token: commander })).data.exportSituation;
    const lines = Buffer.from(csv.content, "base64").toString("utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
    expect(lines.map((r) => [r[0], r[3]])).toEqual([["KZ-S01", "120"], ["KZ-T27", "10"], ["合计", "130"]]);
  });

  it("refuses a reportBy in the past, and a call-up or acceptance of a team already out, naming its deployment", async () => {
    const past = await callUpOn("KZ-SR-01", { reportBy: "2020-01-01T00:00:00Z" });
    expect(past.data.callUpTeam.errors).toEqual([expect.objectContaining({ field: "input.reportBy", code: "IN_PAST" })]);
    const sent = await t.graphql(DEPLOY, { input: { incidentId: flood, teamId: team["KZ-TT-S01"].id, headcount: 2 } }, { token: commander });
    expect(sent.data.deployTeam.errors).toEqual([]);
    const out = await callUpOn("KZ-TT-S01");
    expect(out.data.callUpTeam.errors).toEqual([expect.objectContaining({ field: "input.teamId", code: "INVALID_STATE", message: expect.stringContaining("东河山洪") })]);
    expect(out.data.callUpTeam.callUp).toBeNull();
    // Sent by deployTeam after the call-up went out: the acceptance is refused, the call-up stays answerable.
    const leader = await t.tokenFor("leader.kz-sr-01");
    const callUp = (await callUpOn("KZ-SR-01")).data.callUpTeam.callUp;
    expect((await t.graphql(DEPLOY, { input: { incidentId, teamId: team["KZ-SR-01"].id, headcount: 1, acknowledgedChecks: ["NO_CALL_UP"] } }, { token: commander })).data.deployTeam.errors).toEqual([]);
    const going = await members("KZ-SR-01", 2);
    const accepted = await t.graphql(ACCEPT, { input: { callUpId: callUp.id, headcount: 2, expectedArrivalAt: at(1), memberIds: going } }, { token: leader });
    expect(accepted.data.acceptCallUp.errors).toEqual([expect.objectContaining({ field: "input.callUpId", code: "INVALID_STATE", message: expect.stringContaining("南河汛情") })]);
    expect((await sql(`SELECT status FROM team_call_up WHERE code = $1`, [callUp.code]))[0].status).toBe("REQUESTED");
    await t.graphql(CANCEL, { input: { callUpId: callUp.id } }, { token: commander });
    await release(team["KZ-SR-01"].id);
  });

  it("lets on site only the members going: those named at acceptance, or no more than deployTeam's headcount", async () => {
    const admin = await t.tokenFor("admin");
    // KZ-TT-S01 is out with headcount 2 (deployTeam names no one).
    const [{ id: deploymentId }] = await sql(`SELECT id FROM team_deployment WHERE team_id = $1 AND released_at IS NULL`, [team["KZ-TT-S01"].dbId]);
    const tt = (await sql(`SELECT id FROM team_member WHERE team_id = $1 AND active ORDER BY id LIMIT 3`, [team["KZ-TT-S01"].dbId])).map((r: any) => toGlobalId("TeamMember", r.id));
    const deployment = toGlobalId("TeamDeployment", deploymentId);
    const three = await t.graphql(CHECK_IN, { input: { deploymentId: deployment, memberIds: tt } }, { token: admin });
    expect(three.data.checkInMembers.errors).toEqual([expect.objectContaining({ field: "input.memberIds", code: "NOT_ON_DEPLOYMENT" })]);
    expect((await t.graphql(CHECK_IN, { input: { deploymentId: deployment, memberIds: tt.slice(0, 2) } }, { token: admin })).data.checkInMembers.errors).toEqual([]);
    await t.graphql(CHECK_OUT, { input: { deploymentId: deployment, memberIds: tt.slice(0, 1) } }, { token: admin });
    const swap = await t.graphql(CHECK_IN, { input: { deploymentId: deployment, memberIds: tt.slice(2) } }, { token: admin });
    expect(swap.data.checkInMembers.errors).toEqual([expect.objectContaining({ code: "NOT_ON_DEPLOYMENT" })]);
    await release(team["KZ-TT-S01"].id);

    // A call-up's deployment: the named members only, not another member of the team.
    const leader = await t.tokenFor("leader.kz-sr-01");
    const callUp = (await callUpOn("KZ-SR-01", { headcountWanted: 2 })).data.callUpTeam.callUp;
    const insured = await members("KZ-SR-01", 3);
    const accepted = await t.graphql(ACCEPT, { input: { callUpId: callUp.id, headcount: 2, expectedArrivalAt: at(1), memberIds: insured.slice(0, 2) } }, { token: leader });
    expect(accepted.data.acceptCallUp.callUp.status).toBe("ACCEPTED");
    const onCallUp = accepted.data.acceptCallUp.callUp.deployment.id;
    const stranger = await t.graphql(CHECK_IN, { input: { deploymentId: onCallUp, memberIds: [insured[2]] } }, { token: leader });
    expect(stranger.data.checkInMembers.errors).toEqual([expect.objectContaining({ field: "input.memberIds[0]", code: "NOT_ON_DEPLOYMENT" })]);
    expect((await t.graphql(CHECK_IN, { input: { deploymentId: onCallUp, memberIds: insured.slice(0, 2) } }, { token: leader })).data.checkInMembers.errors).toEqual([]);
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM field_attendance WHERE deployment_id = $1`, [Number(Buffer.from(onCallUp, "base64").toString().split(":")[1])]);
    expect(n).toBe(2);
    await release(team["KZ-SR-01"].id);
  });

  it("counts members, not member × skill rows, and asks for a certificate of the task's skills", async () => {
    const leader = await t.tokenFor("leader.kz-sr-01");
    // Insured members with no valid certificate and two or more skills on the roster.
    const bare = (await sql(
      `SELECT m.id FROM team_member m WHERE m.team_id = $1 AND m.active AND cardinality(m.skills) >= 2
         AND NOT EXISTS (SELECT 1 FROM member_certificate c WHERE c.member_id = m.id AND (c.expires_on IS NULL OR c.expires_on >= CURRENT_DATE))
         AND EXISTS (SELECT 1 FROM member_insurance i WHERE i.member_id = m.id AND i.starts_on <= CURRENT_DATE AND i.expires_on >= CURRENT_DATE)
       ORDER BY m.id LIMIT 2`,
      [team["KZ-SR-01"].dbId],
    )).map((r: any) => toGlobalId("TeamMember", r.id));
    expect(bare.length).toBeGreaterThan(0);
    const certificateCheck = async (skillsNeeded: string[], memberIds: string[]) => {
      const callUp = (await callUpOn("KZ-SR-01", { skillsNeeded, headcountWanted: memberIds.length })).data.callUpTeam.callUp;
      const accepted = (await t.graphql(ACCEPT_WITH_MESSAGES, { input: { callUpId: callUp.id, headcount: memberIds.length, expectedArrivalAt: at(1), memberIds } }, { token: leader })).data.acceptCallUp.callUp;
      if (accepted.status === "ACCEPTED") await release(team["KZ-SR-01"].id);
      else await t.graphql(CANCEL, { input: { callUpId: callUp.id } }, { token: commander });
      return accepted.checks.find((c: any) => c.code === "CERTIFICATES")?.message ?? null;
    };
    const none = await certificateCheck([], bare);
    expect(none).toBe(`${bare.length} member(s) going without a valid certificate for the task's skills`);
    expect(await certificateCheck(["急救"], bare)).toBe(`${bare.length} member(s) going without a valid certificate for the task's skills; skills not covered: 急救`);
    // Members holding a valid 红十字救护员证: certified for 急救, not for 水上 work they hold no certificate for.
    const [medic] = (await sql(
      `SELECT m.id FROM team_member m WHERE m.team_id = $1 AND m.active
         AND EXISTS (SELECT 1 FROM member_certificate c WHERE c.member_id = m.id AND c.name = '红十字救护员证' AND (c.expires_on IS NULL OR c.expires_on >= CURRENT_DATE))
         AND NOT EXISTS (SELECT 1 FROM member_certificate c WHERE c.member_id = m.id AND c.name <> '红十字救护员证')
         AND EXISTS (SELECT 1 FROM member_insurance i WHERE i.member_id = m.id AND i.starts_on <= CURRENT_DATE AND i.expires_on >= CURRENT_DATE)
       ORDER BY m.id LIMIT 1`,
      [team["KZ-SR-01"].dbId],
    )).map((r: any) => toGlobalId("TeamMember", r.id));
    expect(medic).toBeDefined();
    expect(await certificateCheck(["急救"], [medic])).toBeNull();
    expect(await certificateCheck(["无线电通信"], [medic])).toBe("1 member(s) going without a valid certificate for the task's skills; skills not covered: 无线电通信");
  });

  it("says enum values in Chinese words and times in Kaizhou's local time, in the Chinese catalogue", async () => {
    const zh = { "accept-language": "zh-CN" };
    await sql(`UPDATE rescue_team SET readiness_reported_at = now() - interval '30 hours' WHERE id = $1`, [team["KZ-SR-04"].dbId]);
    const [{ reported }] = await sql(`SELECT readiness_reported_at AS reported FROM rescue_team WHERE id = $1`, [team["KZ-SR-04"].dbId]);
    const local = districtDateTime(new Date(reported)).slice(0, 16);
    const input = { incidentId: flood, teamId: team["KZ-SR-04"].id, headcount: 1 };
    const inChinese = (await t.graphql(DEPLOY, { input }, { token: commander, headers: zh })).data.deployTeam.errors[0].message as string;
    expect(inChinese).toContain("未建立");
    expect(inChinese).toContain(`最近：${local}）`);
    expect(inChinese).not.toMatch(/NONE|\d{4}-\d{2}-\d{2}T/);
    const inEnglish = (await t.graphql(DEPLOY, { input }, { token: commander })).data.deployTeam.errors[0].message as string;
    expect(inEnglish).toContain("(NONE)");
    expect(inEnglish).toContain(`${local} (UTC+8)`);
    const callUp = (await callUpOn("KZ-MM-01")).data.callUpTeam.callUp;
    await t.graphql(CANCEL, { input: { callUpId: callUp.id } }, { token: commander });
    const cancelledAgain = (await t.graphql(CANCEL, { input: { callUpId: callUp.id } }, { token: commander, headers: zh })).data.cancelCallUp.errors[0].message as string;
    expect(cancelledAgain).toContain("已取消");
    expect(cancelledAgain).not.toContain("CANCELLED");
    const notOut = (await t.graphql(`mutation ($id: ID!) { releaseTeam(input: { teamId: $id }) { errors { message } } }`, { id: team["KZ-SR-04"].id }, { token: commander, headers: zh })).data.releaseTeam.errors[0].message as string;
    expect(notOut).not.toMatch(/READY|STANDBY|RECOVERING|DEPLOYED/);
  });

  it("seeds each free-text filing as filed shortly after its action began", async () => {
    const [row] = await sql(`SELECT count(*)::int AS n FROM rescue_action_filing WHERE source = 'FREE_TEXT'`);
    expect(row.n).toBeGreaterThan(0);
    const [{ ok }] = await sql(`SELECT bool_and(filed_at > started_at AND filed_at <= started_at + interval '1 hour') AS ok FROM rescue_action_filing WHERE source = 'FREE_TEXT'`);
    expect(ok).toBe(true);
  });
});
