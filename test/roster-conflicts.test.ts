// Roster conflicts (身份证号重复). A roster change must not tell a team leader whether an ID
// number is on another team's roster: with that answer, one sheet of candidate numbers (one per
// birth date a mask leaves open) found any member's number and team. A leader's member with such
// a number is saved as if the number were new and flagged for the district, which sees the
// conflicts and resolves them by the usual roster changes; an ADMIN is told which team it is.
import { startTestApp, type GraphQLResult, type TestApp } from "./support/app";

let t: TestApp;
let admin: string;
let auditor: string;
const teamIds = new Map<string, string>();

const MEMBER = `id name role active phone idNumber skills employmentMode joinedOn leftOn team { code } certificates { name number expiresOn status } idNumberConflict { since }`;
const ADD = `mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { member { ${MEMBER} } errors { field code message } } }`;
const UPDATE = `mutation ($input: UpdateTeamMemberInput!) { updateTeamMember(input: $input) { member { ${MEMBER} } errors { field code message } } }`;
const DEACTIVATE = `mutation ($input: DeactivateTeamMemberInput!) { deactivateTeamMember(input: $input) { member { id active } errors { field code message } } }`;
const IMPORT = `mutation ($input: ImportTeamMembersInput!) { importTeamMembers(input: $input) {
  teams unchanged ignoredColumns added { ${MEMBER} } updated { ${MEMBER} } errors { field code message } } }`;
const CONFLICTS = `{ rosterConflicts(first: 100) { totalCount nodes { since member { id team { code } } conflictsWith { id team { code } } } } }`;
const HEADERS = ["队伍编码", "姓名", "角色", "手机号", "身份证号", "用工方式", "技能", "入队日期"];

let birthDay = 0;
/** A valid resident ID number no seeded member has (region 110101, a birth date of its own). */
function freshIdNumber(): string {
  birthDay++;
  const born = new Date(Date.UTC(1970, 0, 1) + birthDay * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
  const first17 = `110101${born}123`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString("base64");
const rowId = (globalId: string) => Number(Buffer.from(globalId, "base64").toString().split(":")[1]);

beforeAll(async () => {
  t = await startTestApp();
  [admin, auditor] = await Promise.all([t.tokenFor("admin"), t.tokenFor("auditor")]);
  const rows: Array<{ id: number; code: string }> = await t.app.dataSource.query(`SELECT id, code FROM rescue_team`);
  for (const row of rows) teamIds.set(row.code, gid("RescueTeam", row.id));
});
afterAll(() => t.stop());

/** The token of the leader of township team KZ-TT-<code>. */
const leaderOf = (code: string) => t.tokenFor(`leader.kz-${code.slice(-3).toLowerCase()}`);

async function activeNumberOf(teamCode: string): Promise<{ id: number; id_number: string }> {
  const [row] = await t.app.dataSource.query(
    `SELECT m.id, m.id_number FROM team_member m JOIN rescue_team t ON t.id = m.team_id WHERE t.code = $1 AND m.active AND m.role = 'MEMBER' AND m.id_number IS NOT NULL ORDER BY m.id LIMIT 1`,
    [teamCode],
  );
  return row;
}

async function flagOf(memberGlobalId: string): Promise<{ active: boolean; conflict_with: number | null; since: Date | null }> {
  const [row] = await t.app.dataSource.query(`SELECT active, id_number_conflict_with AS conflict_with, id_number_conflict_since AS since FROM team_member WHERE id = $1`, [rowId(memberGlobalId)]);
  return row;
}

/** What the request's audit entry says (message included: it is what the payload's errors said). */
async function auditEntryOf(result: GraphQLResult) {
  const [entry] = await t.app.dataSource.query(`SELECT operation, outcome, error_code, message FROM audit_entry WHERE request_id = $1`, [result.headers.get("x-request-id")]);
  return entry;
}

/**
 * The whole answer as its caller sees it, status, errors and statement count included, with
 * what differs by nature set aside: ids of the members involved and the ID number given.
 */
function comparable(result: GraphQLResult, idNumber: string, ids: string[]): unknown {
  expect(Number.isInteger(result.sqlStatements)).toBe(true);
  let text = JSON.stringify({ status: result.status, data: result.data, errors: result.errors ?? null, sqlStatements: result.sqlStatements });
  text = text.split(idNumber).join("<the ID number>");
  for (const id of ids) text = text.split(id).join("<member id>");
  return JSON.parse(text);
}

function csvSheet(rows: string[][]): string {
  return Buffer.from([HEADERS, ...rows].map((row) => row.join(",")).join("\r\n"), "utf8").toString("base64");
}

async function teamFigures(code: string) {
  const result = await t.graphql(`query ($id: ID!) { rescueTeam(id: $id) { activeMemberCount availableMembers readinessStatus } }`, { id: teamIds.get(code) }, { token: await leaderOf(code) });
  return result.data.rescueTeam;
}

describe("a team leader's roster change with an ID number on another team's roster", () => {
  it("addTeamMember answers exactly as for a number on no roster, and records the conflict", async () => {
    const leaderS01 = await leaderOf("S01");
    const holder = await activeNumberOf("KZ-TT-S02");
    const fresh = freshIdNumber();
    const input = (idNumber: string) => ({
      teamId: teamIds.get("KZ-TT-S01"),
      name: "向对照",
      employmentMode: "VOLUNTEER",
      phone: "13900001111",
      idNumber,
      skills: ["急救"],
      joinedOn: "2026-01-05",
      certificates: [{ name: "红十字救护员证", number: "HZ0001", expiresOn: "2099-01-01" }],
    });
    const figures = await teamFigures("KZ-TT-S01");
    const taken = await t.graphql(ADD, { input: input(holder.id_number) }, { token: leaderS01 });
    const afterTaken = await teamFigures("KZ-TT-S01");
    const unknown = await t.graphql(ADD, { input: input(fresh) }, { token: leaderS01 });
    const afterUnknown = await teamFigures("KZ-TT-S01");

    expect(unknown.data.addTeamMember.errors).toEqual([]);
    const takenId = taken.data.addTeamMember.member.id;
    const unknownId = unknown.data.addTeamMember.member.id;
    expect(comparable(taken, holder.id_number, [takenId])).toEqual(comparable(unknown, fresh, [unknownId]));
    // Each adds one active member and changes nothing else the leader sees.
    expect(afterTaken).toEqual({ ...figures, activeMemberCount: figures.activeMemberCount + 1 });
    expect(afterUnknown).toEqual({ ...afterTaken, activeMemberCount: afterTaken.activeMemberCount + 1 });
    // Reading the members back, one by one and in the roster, shows no difference either.
    const node = (id: string) => t.graphql(`query ($id: ID!) { node(id: $id) { ... on TeamMember { ${MEMBER} } } }`, { id }, { token: leaderS01 });
    expect(comparable(await node(takenId), holder.id_number, [takenId])).toEqual(comparable(await node(unknownId), fresh, [unknownId]));
    const roster = await t.graphql(`query ($id: ID!) { rescueTeam(id: $id) { members(first: 100) { nodes { ${MEMBER} } } } }`, { id: teamIds.get("KZ-TT-S01") }, { token: leaderS01 });
    const listed = (id: string) => roster.data.rescueTeam.members.nodes.find((m: any) => m.id === id);
    expect({ ...listed(takenId), id: null, idNumber: null }).toEqual({ ...listed(unknownId), id: null, idNumber: null });
    // Neither audit entry says more than the other.
    expect(await auditEntryOf(taken)).toEqual({ operation: "addTeamMember", outcome: "SUCCEEDED", error_code: null, message: null });
    expect(await auditEntryOf(unknown)).toEqual(await auditEntryOf(taken));

    expect(await flagOf(takenId)).toEqual({ active: true, conflict_with: holder.id, since: expect.any(Date) });
    expect(await flagOf(unknownId)).toEqual({ active: true, conflict_with: null, since: null });
  });

  it("updateTeamMember answers exactly as for a number on no roster", async () => {
    const leaderS03 = await leaderOf("S03");
    const holder = await activeNumberOf("KZ-TT-S04");
    const fresh = freshIdNumber();
    const added = [];
    for (let i = 0; i < 2; i++) {
      const result = await t.graphql(ADD, { input: { teamId: teamIds.get("KZ-TT-S03"), name: "李更正", employmentMode: "GRID_WORKER", joinedOn: "2026-02-01" } }, { token: leaderS03 });
      added.push(result.data.addTeamMember.member.id);
    }
    const taken = await t.graphql(UPDATE, { input: { memberId: added[0], idNumber: holder.id_number, phone: "13700002222" } }, { token: leaderS03 });
    const unknown = await t.graphql(UPDATE, { input: { memberId: added[1], idNumber: fresh, phone: "13700002222" } }, { token: leaderS03 });
    expect(unknown.data.updateTeamMember.errors).toEqual([]);
    expect(comparable(taken, holder.id_number, [added[0]])).toEqual(comparable(unknown, fresh, [added[1]]));
    expect(await auditEntryOf(unknown)).toEqual(await auditEntryOf(taken));
    expect((await flagOf(added[0])).conflict_with).toBe(holder.id);
    expect((await flagOf(added[1])).conflict_with).toBeNull();
  });

  it("importTeamMembers answers exactly as for a number on no roster", async () => {
    const leaderS05 = await leaderOf("S05");
    const holder = await activeNumberOf("KZ-TT-S06");
    const fresh = freshIdNumber();
    const sheet = (idNumber: string) => csvSheet([["KZ-TT-S05", "王名册", "队员", "13600003333", idNumber, "志愿者", "水域救援、急救", "2026-03-01"]]);
    const taken = await t.graphql(IMPORT, { input: { filename: "名册.csv", content: sheet(holder.id_number) } }, { token: leaderS05 });
    const unknown = await t.graphql(IMPORT, { input: { filename: "名册.csv", content: sheet(fresh) } }, { token: leaderS05 });
    expect(unknown.data.importTeamMembers.errors).toEqual([]);
    const takenId = taken.data.importTeamMembers.added[0].id;
    const unknownId = unknown.data.importTeamMembers.added[0].id;
    expect(comparable(taken, holder.id_number, [takenId])).toEqual(comparable(unknown, fresh, [unknownId]));
    expect(await auditEntryOf(taken)).toEqual({ operation: "importTeamMembers", outcome: "SUCCEEDED", error_code: null, message: null });
    expect(await auditEntryOf(unknown)).toEqual(await auditEntryOf(taken));
    expect((await flagOf(takenId)).conflict_with).toBe(holder.id);
    expect((await flagOf(unknownId)).conflict_with).toBeNull();

    // The same sheet again matches the member by its number, as for any member: nothing changes.
    const again = await t.graphql(IMPORT, { input: { filename: "名册.csv", content: sheet(holder.id_number) } }, { token: leaderS05 });
    expect(again.data.importTeamMembers).toMatchObject({ added: [], updated: [], unchanged: 1, errors: [] });
  });

  it("leaves the other team's leader seeing their member as before, and masks it to first and last character", async () => {
    const holder = await activeNumberOf("KZ-TT-S08");
    const query = `query ($id: ID!) { node(id: $id) { ... on TeamMember { ${MEMBER} } } }`;
    const leaderS08 = await leaderOf("S08");
    const before = await t.graphql(query, { id: gid("TeamMember", holder.id) }, { token: leaderS08 });
    const added = await t.graphql(ADD, { input: { teamId: teamIds.get("KZ-TT-S07"), name: "赵重复", employmentMode: "VOLUNTEER", idNumber: holder.id_number } }, { token: await leaderOf("S07") });
    expect(added.data.addTeamMember.errors).toEqual([]);
    const after = await t.graphql(query, { id: gid("TeamMember", holder.id) }, { token: leaderS08 });
    expect(after.data).toEqual(before.data);
    const seenByOtherLeader = await t.graphql(query, { id: gid("TeamMember", holder.id) }, { token: await leaderOf("S07") });
    expect(seenByOtherLeader.data.node.idNumber).toBe(`${holder.id_number[0]}${"*".repeat(16)}${holder.id_number[17]}`);
  });
});

describe("an actor who sees every team's personal data", () => {
  it("is told which team has the person, and nothing is written (addTeamMember, updateTeamMember, importTeamMembers)", async () => {
    const holder = await activeNumberOf("KZ-TT-T01");
    const named = expect.stringMatching(/KZ-TT-T01.*transferTeamMember/);
    const [{ count: before }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM team_member`);

    const add = await t.graphql(ADD, { input: { teamId: teamIds.get("KZ-TT-T02"), name: "钱管理", employmentMode: "VOLUNTEER", idNumber: holder.id_number } }, { token: admin });
    expect(add.data.addTeamMember).toEqual({ member: null, errors: [{ field: "input.idNumber", code: "DUPLICATE", message: named }] });
    expect(await auditEntryOf(add)).toMatchObject({ outcome: "REJECTED", error_code: "DUPLICATE", message: named });

    const target = await activeNumberOf("KZ-TT-T02");
    const update = await t.graphql(UPDATE, { input: { memberId: gid("TeamMember", target.id), idNumber: holder.id_number } }, { token: admin });
    expect(update.data.updateTeamMember.errors).toEqual([{ field: "input.idNumber", code: "DUPLICATE", message: named }]);
    const [unchanged] = await t.app.dataSource.query(`SELECT id_number FROM team_member WHERE id = $1`, [target.id]);
    expect(unchanged.id_number).toBe(target.id_number);

    const sheet = csvSheet([["KZ-TT-T02", "钱管理", "队员", "", holder.id_number, "志愿者", "", ""]]);
    const imported = await t.graphql(IMPORT, { input: { filename: "名册.csv", content: sheet } }, { token: admin });
    expect(imported.data.importTeamMembers.errors).toEqual([{ field: "rows[2].身份证号", code: "DUPLICATE", message: named }]);

    const [{ count: after }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM team_member`);
    expect(after).toBe(before);
  });

  it("sees the conflicts (rosterConflicts, TeamMember.idNumberConflict); team leaders and dashboards see none of it", async () => {
    const holder = await activeNumberOf("KZ-TT-T04");
    const added = await t.graphql(ADD, { input: { teamId: teamIds.get("KZ-TT-T03"), name: "孙冲突", employmentMode: "VOLUNTEER", idNumber: holder.id_number } }, { token: await leaderOf("T03") });
    const flaggedId = added.data.addTeamMember.member.id;
    const holderId = gid("TeamMember", holder.id);
    const nodes = (token: string) => t.graphql(`query ($id: ID!, $holder: ID!) {
      flagged: node(id: $id) { ... on TeamMember { idNumberConflict { since member { id team { code } } conflictsWith { id idNumber team { code } } } } }
      holder: node(id: $holder) { ... on TeamMember { idNumberConflict { since } } } }`, { id: flaggedId, holder: holderId }, { token });

    for (const token of [admin, auditor, await t.tokenFor("commander"), await t.tokenFor("logistics"), await t.tokenFor("logistics.kz-s01")]) {
      const seen = await nodes(token);
      expect(seen.errors).toBeUndefined();
      expect(seen.data.flagged.idNumberConflict).toEqual({
        since: expect.any(String),
        member: { id: flaggedId, team: { code: "KZ-TT-T03" } },
        conflictsWith: { id: holderId, idNumber: holder.id_number, team: { code: "KZ-TT-T04" } },
      });
      // The member already on a roster is not the one flagged.
      expect(seen.data.holder.idNumberConflict).toBeNull();
      const list = await t.graphql(CONFLICTS, {}, { token });
      expect(list.data.rosterConflicts.nodes).toContainEqual({
        since: seen.data.flagged.idNumberConflict.since,
        member: { id: flaggedId, team: { code: "KZ-TT-T03" } },
        conflictsWith: { id: holderId, team: { code: "KZ-TT-T04" } },
      });
      expect(list.data.rosterConflicts.totalCount).toBe(list.data.rosterConflicts.nodes.length);
    }
    for (const token of [await leaderOf("T03"), await leaderOf("T04"), await t.apiKeyFor("DASHBOARD")]) {
      const seen = await nodes(token);
      expect(seen.errors).toBeUndefined();
      expect(seen.data).toEqual({ flagged: { idNumberConflict: null }, holder: { idNumberConflict: null } });
      const list = await t.graphql(CONFLICTS, {}, { token });
      expect(list.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("pages rosterConflicts like every connection", async () => {
    const all = (await t.graphql(CONFLICTS, {}, { token: auditor })).data.rosterConflicts;
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const first = (await t.graphql(`{ rosterConflicts(first: 2) { pageInfo { hasNextPage endCursor } nodes { member { id } } } }`, {}, { token: auditor })).data.rosterConflicts;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await t.graphql(`query ($after: String) { rosterConflicts(first: 100, after: $after) { nodes { member { id } } } }`, { after: first.pageInfo.endCursor }, { token: auditor })).data.rosterConflicts;
    expect([...first.nodes, ...rest.nodes].map((n: any) => n.member.id)).toEqual(all.nodes.map((n: any) => n.member.id));
  });
});

describe("resolving a conflict", () => {
  const listed = async () => (await t.graphql(CONFLICTS, {}, { token: admin })).data.rosterConflicts.nodes.map((n: any) => [n.member.id, n.conflictsWith.id]);

  async function addAs(code: string, name: string, idNumber: string): Promise<string> {
    const result = await t.graphql(ADD, { input: { teamId: teamIds.get(`KZ-TT-${code}`), name, employmentMode: "VOLUNTEER", idNumber } }, { token: await leaderOf(code) });
    expect(result.data.addTeamMember.errors).toEqual([]);
    return result.data.addTeamMember.member.id;
  }

  it("clears when a record leaves its roster: the earliest flagged record becomes the holder, the others point at it", async () => {
    const number = freshIdNumber();
    const holder = await addAs("T05", "周一号", number);
    const first = await addAs("T06", "周一号", number);
    const second = await addAs("T07", "周一号", number);
    expect(await listed()).toEqual(expect.arrayContaining([[first, holder], [second, holder]]));
    const secondSince = (await flagOf(second)).since;

    const left = await t.graphql(DEACTIVATE, { input: { memberId: holder } }, { token: await leaderOf("T05") });
    expect(left.data.deactivateTeamMember.errors).toEqual([]);
    expect(await flagOf(first)).toEqual({ active: true, conflict_with: null, since: null });
    expect(await flagOf(second)).toEqual({ active: true, conflict_with: rowId(first), since: secondSince });
    expect((await listed()).filter(([member]: string[]) => [holder, first, second].includes(member))).toEqual([[second, first]]);

    await t.graphql(DEACTIVATE, { input: { memberId: second } }, { token: await leaderOf("T07") });
    expect(await flagOf(second)).toEqual({ active: false, conflict_with: null, since: null });
    expect((await listed()).flat()).not.toEqual(expect.arrayContaining([second]));
  });

  it("clears when either record's ID number is corrected", async () => {
    const number = freshIdNumber();
    const holder = await addAs("T08", "吴二号", number);
    const flagged = await addAs("T09", "吴二号", number);
    const corrected = await t.graphql(UPDATE, { input: { memberId: flagged, idNumber: freshIdNumber() } }, { token: admin });
    expect(corrected.data.updateTeamMember.errors).toEqual([]);
    expect(await flagOf(flagged)).toEqual({ active: true, conflict_with: null, since: null });
    expect(await flagOf(holder)).toEqual({ active: true, conflict_with: null, since: null });

    const other = freshIdNumber();
    const holderTwo = await addAs("T08", "郑三号", other);
    const flaggedTwo = await addAs("T09", "郑三号", other);
    const holderCorrected = await t.graphql(UPDATE, { input: { memberId: holderTwo, idNumber: freshIdNumber() } }, { token: await leaderOf("T08") });
    expect(holderCorrected.data.updateTeamMember.errors).toEqual([]);
    expect(await flagOf(flaggedTwo)).toEqual({ active: true, conflict_with: null, since: null });
    expect((await listed()).flat()).not.toEqual(expect.arrayContaining([flagged]));
    expect((await listed()).flat()).not.toEqual(expect.arrayContaining([flaggedTwo]));
  });

  it("is held by the database: a second unflagged active record of one number is refused even by direct SQL", async () => {
    const number = freshIdNumber();
    await addAs("T10", "冯四号", number);
    const flagged = await addAs("T11", "冯四号", number);
    await expect(
      t.app.dataSource.query(`UPDATE team_member SET id_number_conflict_with = NULL, id_number_conflict_since = NULL WHERE id = $1`, [rowId(flagged)]),
    ).rejects.toThrow(/UQ_team_member_active_id_number/);
  });
});

describe("two leaders saving one ID number at once", () => {
  it("saves them all, leaving one holder and the others flagged against it, every time", async () => {
    for (let round = 0; round < 6; round++) {
      const number = freshIdNumber();
      const sheet = csvSheet([["KZ-TT-T14", "陈并发", "队员", "", number, "志愿者", "", ""]]);
      const [one, two, three] = await Promise.all([
        t.graphql(ADD, { input: { teamId: teamIds.get("KZ-TT-T12"), name: "陈并发", employmentMode: "VOLUNTEER", idNumber: number } }, { token: await leaderOf("T12") }),
        t.graphql(ADD, { input: { teamId: teamIds.get("KZ-TT-T13"), name: "陈并发", employmentMode: "VOLUNTEER", idNumber: number } }, { token: await leaderOf("T13") }),
        t.graphql(IMPORT, { input: { filename: "名册.csv", content: sheet } }, { token: await leaderOf("T14") }),
      ]);
      expect([one.data.addTeamMember.errors, two.data.addTeamMember.errors, three.data.importTeamMembers.errors]).toEqual([[], [], []]);
      const records: Array<{ id: number; conflict_with: number | null }> = await t.app.dataSource.query(
        `SELECT id, id_number_conflict_with AS conflict_with FROM team_member WHERE id_number = $1 AND active ORDER BY id`,
        [number],
      );
      expect(records).toHaveLength(3);
      const holders = records.filter((record) => record.conflict_with === null);
      expect(holders).toHaveLength(1);
      expect(records.filter((record) => record.conflict_with !== null).every((record) => record.conflict_with === holders[0].id)).toBe(true);
    }
  });
});
