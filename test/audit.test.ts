// The audit log: every attempted mutation, allowed or refused, with who, what, targets, outcome;
// never a password or key; and a table that refuses to be changed.
import crypto from "node:crypto";
import { insertAuditEntries } from "../src/core/mutation/audit-trail";
import { maskIdNumber, maskName, maskPhone } from "../src/core/access/personal-data";
import { toGlobalId } from "../src/core/graphql/relay";
import { idNumberCheckDigit } from "../src/modules/teams/member-fields";
import { startTestApp, DEMO_PASSWORD, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { LOGIN_FAILURE_DELAY_MS: "0" });
});
afterAll(() => t.stop());

const AUDIT = `query ($where: AuditLogWhere) {
  auditLog(first: 50, where: $where) {
    totalCount
    nodes { at actorId actorName role operation targetIds inputSummary outcome errorCode message requestId }
  }
}`;

it("records a successful mutation with its actor, targets and a summary without secrets", async () => {
  const admin = await t.tokenFor("admin");
  const created = await t.graphql(`mutation { createApiKey(input: { name: "审计测试", role: DASHBOARD }) { key apiKey { id } } }`, {}, { token: admin });
  const keyId = created.data.createApiKey.apiKey.id;
  const log = await t.graphql(AUDIT, { where: { targetId: keyId } }, { token: await t.tokenFor("auditor") });
  expect(log.data.auditLog.totalCount).toBe(1);
  const entry = log.data.auditLog.nodes[0];
  expect(entry).toMatchObject({ actorName: "admin", role: "ADMIN", operation: "createApiKey", outcome: "SUCCEEDED", errorCode: null });
  expect(entry.targetIds).toContain(keyId);
  expect(entry.inputSummary).toEqual({ input: { name: "审计测试", role: "DASHBOARD" } });
  expect(entry.requestId).toBe(created.headers.get("x-request-id"));
  expect(JSON.stringify(entry)).not.toContain(created.data.createApiKey.key);

  const byActor = await t.graphql(AUDIT, { where: { actorId: entry.actorId, operation: "createApiKey" } }, { token: await t.tokenFor("auditor") });
  expect(byActor.data.auditLog.nodes.map((n: any) => n.targetIds)).toContainEqual(entry.targetIds);
});

it("stores each of many concurrent mutations' entries, each before its response is sent", async () => {
  // Entries of concurrent requests share INSERTs (core/db/coalescer.ts); none may be lost or mixed up.
  const admin = await t.tokenFor("admin");
  const auditor = await t.tokenFor("auditor");
  const created = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const result = await t.graphql(`mutation ($name: String!) { createApiKey(input: { name: $name, role: DASHBOARD }) { apiKey { id } } }`, { name: `并发审计 ${i}` }, { token: admin });
      // The response has been sent, so its entry is already stored.
      const log = await t.graphql(AUDIT, { where: { targetId: result.data.createApiKey.apiKey.id } }, { token: auditor });
      return { i, requestId: result.headers.get("x-request-id"), entries: log.data.auditLog.nodes };
    }),
  );
  for (const { i, requestId, entries } of created) {
    expect(entries).toEqual([expect.objectContaining({ operation: "createApiKey", outcome: "SUCCEEDED", requestId, inputSummary: { input: { name: `并发审计 ${i}`, role: "DASHBOARD" } } })]);
  }
});

/** The audit entries of one request, with the transaction each was written in. */
async function entriesOf(requestId: string | null): Promise<Array<{ operation: string; outcome: string; errorCode: string | null; xid: string }>> {
  return t.app.dataSource.query(`SELECT operation, outcome, error_code AS "errorCode", xmin::text AS xid FROM audit_entry WHERE request_id = $1 ORDER BY id`, [requestId]);
}

const apiKeyRowId = (globalId: string) => Number(Buffer.from(globalId, "base64").toString().split(":")[1]);

it("writes a successful mutation's entry in the mutation's own transaction: the change and its entry commit together", async () => {
  const admin = await t.tokenFor("admin");
  const created = await t.graphql(`mutation { createApiKey(input: { name: "同一事务", role: DASHBOARD }) { apiKey { id } } }`, {}, { token: admin });
  const [row] = await t.app.dataSource.query(`SELECT xmin::text AS xid FROM api_key WHERE id = $1`, [apiKeyRowId(created.data.createApiKey.apiKey.id)]);
  expect(await entriesOf(created.headers.get("x-request-id"))).toEqual([{ operation: "createApiKey", outcome: "SUCCEEDED", errorCode: null, xid: row.xid }]);

  // A transaction that rolls back leaves no SUCCEEDED entry: only the outcome the caller got.
  const revoke = `mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { errors { code } } }`;
  await t.graphql(revoke, { id: created.data.createApiKey.apiKey.id }, { token: admin });
  const again = await t.graphql(revoke, { id: created.data.createApiKey.apiKey.id }, { token: admin });
  expect(again.data.revokeApiKey.errors).toEqual([{ code: "ALREADY_REVOKED" }]);
  expect(await entriesOf(again.headers.get("x-request-id"))).toEqual([expect.objectContaining({ operation: "revokeApiKey", outcome: "REJECTED", errorCode: "ALREADY_REVOKED" })]);
});

it("records a change that committed once, even when its answer then goes wrong", async () => {
  const admin = await t.tokenFor("admin");
  const [township] = await t.app.dataSource.query(`SELECT id FROM region WHERE code = 'KZ-S01'`);
  // The account is created; a nested field of the answer then refuses its page size.
  const created = await t.graphql(
    `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { username scopeRegion { children(first: 101) { totalCount } } } errors { code } } }`,
    { input: { username: "audit.answer", displayName: "答复出错", password: "Answered-Wrongly-2026", role: "LOGISTICS", scopeRegionId: toGlobalId("Region", township.id) } },
    { token: admin },
  );
  expect(created.errors?.[0]).toMatchObject({ path: ["createAccount", "account", "scopeRegion", "children"], extensions: { code: "BAD_USER_INPUT" } });
  const [account] = await t.app.dataSource.query(`SELECT xmin::text AS xid FROM account WHERE username = 'audit.answer'`);
  expect(await entriesOf(created.headers.get("x-request-id"))).toEqual([{ operation: "createAccount", outcome: "SUCCEEDED", errorCode: null, xid: account.xid }]);
});

it("records a keyed retry answered from the first attempt's result once, though its work opened no transaction", async () => {
  const admin = await t.tokenFor("admin");
  const create = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } errors { code } } }`;
  const input = { name: "重放审计", role: "DASHBOARD", idempotencyKey: "audit-replay-1" };
  const first = await t.graphql(create, { input }, { token: admin });
  const replay = await t.graphql(create, { input }, { token: admin });
  expect(replay.headers.get("idempotent-replayed")).toBe("true");
  expect(replay.data).toEqual(first.data);
  for (const answer of [first, replay]) {
    expect(await entriesOf(answer.headers.get("x-request-id"))).toEqual([expect.objectContaining({ operation: "createApiKey", outcome: "SUCCEEDED" })]);
  }
});

it("commits no change whose entry cannot be written", async () => {
  const admin = await t.tokenFor("admin");
  const created = await t.graphql(`mutation { createApiKey(input: { name: "无审计不生效", role: DASHBOARD }) { apiKey { id } } }`, {}, { token: admin });
  const db = t.app.dataSource;
  // The audit table refuses this one operation's entries for a moment.
  await t.database.asOwner(`ALTER TABLE audit_entry ADD CONSTRAINT test_refuses_revocations CHECK (operation <> 'revokeApiKey') NOT VALID`);
  try {
    const refused = await t.graphql(`mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { apiKey { revokedAt } } }`, { id: created.data.createApiKey.apiKey.id }, { token: admin });
    expect(refused.errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
  } finally {
    await t.database.asOwner(`ALTER TABLE audit_entry DROP CONSTRAINT test_refuses_revocations`);
  }
  const [key] = await db.query(`SELECT revoked_at FROM api_key WHERE id = $1`, [apiKeyRowId(created.data.createApiKey.apiKey.id)]);
  expect(key.revoked_at).toBeNull();
});

it("gives each operation of a batched request its own entry, with its own input and targets", async () => {
  const admin = await t.tokenFor("admin");
  const create = `mutation ($name: String!) { createApiKey(input: { name: $name, role: DASHBOARD }) { apiKey { id } } }`;
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
    body: JSON.stringify([1, 2, 3].map((n) => ({ query: create, variables: { name: `批量 ${n}` } }))),
  });
  const answers = (await response.json()) as Array<{ data: { createApiKey: { apiKey: { id: string } } } }>;
  const entries = await t.app.dataSource.query(`SELECT input_summary AS "inputSummary", target_ids AS "targetIds" FROM audit_entry WHERE request_id = $1 ORDER BY id`, [
    response.headers.get("x-request-id"),
  ]);
  expect(entries).toHaveLength(3);
  for (const [i, answer] of answers.entries()) {
    expect(entries).toContainEqual({ inputSummary: { input: { name: `批量 ${i + 1}`, role: "DASHBOARD" } }, targetIds: [answer.data.createApiKey.apiKey.id] });
  }
});

it("stores an entry whose input holds a NUL character, which PostgreSQL text cannot", async () => {
  await insertAuditEntries(t.app.dataSource, [
    { actorKind: null, actorId: null, actorName: "nul\u0000name", role: null, operation: "login", targetIds: [], inputSummary: { input: { username: "a\u0000b" } }, outcome: "REJECTED", errorCode: "LOGIN_FAILED", message: null, requestId: "nul-test", clientAddress: null },
  ]);
  const [entry] = await t.app.dataSource.query(`SELECT actor_name, input_summary FROM audit_entry WHERE request_id = 'nul-test'`);
  expect(entry).toEqual({ actor_name: "nul\uFFFDname", input_summary: { input: { username: "a\uFFFDb" } } });
});

it("records refused and rejected attempts, and logins without the password", async () => {
  const commander = await t.tokenFor("commander");
  const refused = await t.graphql(`mutation { createApiKey(input: { name: "不该有", role: ADMIN }) { key } }`, {}, { token: commander });
  expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  const rejected = await t.graphql(`mutation { createAccount(input: { username: "x", displayName: "x", password: "weak", role: AUDITOR }) { errors { code } } }`, {}, { token: await t.tokenFor("admin") });
  expect(rejected.data.createAccount.errors.length).toBeGreaterThan(0);
  await t.graphql(`mutation { login(input: { username: "commander", password: "wrong-password" }) { token } }`);

  const auditor = await t.tokenFor("auditor");
  const refusedEntry = (await t.graphql(AUDIT, { where: { operation: "createApiKey", outcome: "REFUSED" } }, { token: auditor })).data.auditLog.nodes[0];
  expect(refusedEntry).toMatchObject({ actorName: "commander", role: "COMMANDER", outcome: "REFUSED", errorCode: "FORBIDDEN" });
  const rejectedEntry = (await t.graphql(AUDIT, { where: { operation: "createAccount" } }, { token: auditor })).data.auditLog.nodes[0];
  expect(rejectedEntry).toMatchObject({ outcome: "REJECTED", errorCode: "INVALID_FORMAT" });
  expect(rejectedEntry.inputSummary.input.password).toBe("[redacted]");
  const logins = (await t.graphql(AUDIT, { where: { operation: "login", outcome: "REJECTED" } }, { token: auditor })).data.auditLog.nodes;
  expect(logins[0]).toMatchObject({ actorName: "commander", errorCode: "LOGIN_FAILED" });
  expect(JSON.stringify(logins)).not.toContain("wrong-password");
  expect(JSON.stringify(logins)).not.toContain(DEMO_PASSWORD);
});

it("records a rejection from the payload's errors even when the client did not select them", async () => {
  const rejected = await t.graphql(`mutation { createAccount(input: { username: "unselected", displayName: "x", password: "weak", role: AUDITOR }) { account { id } } }`, {}, { token: await t.tokenFor("admin") });
  expect(rejected.data.createAccount).toEqual({ account: null });
  expect(await entriesOf(rejected.headers.get("x-request-id"))).toEqual([expect.objectContaining({ operation: "createAccount", outcome: "REJECTED", errorCode: "WEAK_PASSWORD" })]);
});

it("is readable by ADMIN and AUDITOR only", async () => {
  for (const username of ["commander", "logistics"]) {
    const result = await t.graphql(AUDIT, {}, { token: await t.tokenFor(username) });
    expect(result.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  }
  const dashboard = await t.graphql(AUDIT, {}, { token: await t.apiKeyFor("DASHBOARD") });
  expect(dashboard.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  expect((await t.graphql(AUDIT, {}, { token: await t.tokenFor("admin") })).errors).toBeUndefined();
});

it("refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
  // Even to the owner (the service's role may not even try: test/database-roles.test.ts).
  const db = { query: (sql: string) => t.database.asOwner(sql) };
  const [{ count: before }] = await db.query("SELECT count(*)::int AS count FROM audit_entry");
  expect(before).toBeGreaterThan(0);
  await expect(db.query("UPDATE audit_entry SET outcome = 'SUCCEEDED'")).rejects.toThrow(/append-only/);
  await expect(db.query("DELETE FROM audit_entry")).rejects.toThrow(/append-only/);
  await expect(db.query("TRUNCATE audit_entry")).rejects.toThrow(/append-only/);
  const [{ count: after }] = await db.query("SELECT count(*)::int AS count FROM audit_entry");
  expect(after).toBe(before);
});

describe("personal data in the log (kept for ever): masked, never in clear", () => {
  const PHONE = "13987654321";
  const ID_NUMBER = (() => {
    const first17 = "50023419880615731";
    return `${first17}${idNumberCheckDigit(first17)}`;
  })();

  /** The stored entries of one request, read straight from the table. */
  async function storedEntries(response: { headers: Headers }): Promise<Array<{ outcome: string; input_summary: any; message: string | null }>> {
    return t.app.dataSource.query(`SELECT outcome, input_summary, message FROM audit_entry WHERE request_id = $1 ORDER BY id`, [response.headers.get("x-request-id")]);
  }

  function expectNoneInClear(entries: unknown[], ...values: string[]): void {
    expect(entries.length).toBeGreaterThan(0);
    const text = JSON.stringify(entries);
    for (const value of values) expect(text).not.toContain(value);
  }

  const teamId = async (code: string) => toGlobalId("RescueTeam", (await t.app.dataSource.query(`SELECT id FROM rescue_team WHERE code = $1`, [code]))[0].id);
  const ADD_MEMBER = `mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { member { id } errors { field code } } }`;

  it("stores addTeamMember's name, phone and ID number masked, also when the input is refused or does not fit the schema", async () => {
    const admin = await t.tokenFor("admin");
    const input = { teamId: await teamId("KZ-TT-S02"), name: "欧阳明华", employmentMode: "VOLUNTEER", phone: PHONE, idNumber: ID_NUMBER, certificates: [{ name: "应急救援员（四级）", number: "KZ-2026-001" }] };
    const added = await t.graphql(ADD_MEMBER, { input }, { token: admin });
    expect(added.data.addTeamMember.errors).toEqual([]);
    const [entry] = await storedEntries(added);
    expect(entry.outcome).toBe("SUCCEEDED");
    expect(entry.input_summary.input).toEqual({ ...input, name: maskName("欧阳明华"), phone: maskPhone(PHONE), idNumber: maskIdNumber(ID_NUMBER) });
    expectNoneInClear([entry], "欧阳明华", PHONE, ID_NUMBER);

    // Refused by the input rules (a control character in the name): the entry is made before the check.
    const rejected = await t.graphql(ADD_MEMBER, { input: { ...input, name: "欧阳\u0007明华" } }, { token: admin });
    expect(rejected.data.addTeamMember.errors).toEqual([{ field: "input.name", code: "CONTROL_CHARACTER" }]);
    const rejectedEntries = await storedEntries(rejected);
    expect(rejectedEntries.map((e) => e.outcome)).toEqual(["REJECTED"]);
    expectNoneInClear(rejectedEntries, "欧阳\u0007明华", PHONE, ID_NUMBER);

    // Variables that do not fit the schema (no name, an unknown field): read as sent, masked all the same, and GraphQL's message, which quotes the whole input, is not kept.
    const invalid = await t.graphql(ADD_MEMBER, { input: { ...input, name: undefined, idNumberCopy: ID_NUMBER } }, { token: admin });
    expect(invalid.errors?.[0].message).toContain(PHONE); // what the caller is told
    const invalidEntries = await storedEntries(invalid);
    expect(invalidEntries.map((e) => e.outcome)).toEqual(["REJECTED"]);
    expect(invalidEntries[0].input_summary.input).toMatchObject({ phone: maskPhone(PHONE), idNumber: maskIdNumber(ID_NUMBER), idNumberCopy: "[not in the schema]" });
    expect(invalidEntries[0].message).toMatch(/^Variable "\$input" got an invalid value/);
    expectNoneInClear(invalidEntries, PHONE, ID_NUMBER);
  });

  it("keeps a member sheet's size and digest, never its rows", async () => {
    const admin = await t.tokenFor("admin");
    const first17 = "50023419900101123";
    const other = `${first17}${idNumberCheckDigit(first17)}`;
    const sheet = Buffer.from(`队伍编码,姓名,角色,手机号,身份证号,用工方式\nKZ-TT-S03,司马相如,队员,13611112222,${other},志愿者\n`, "utf8");
    expect(sheet.toString("base64").length).toBeLessThan(1000); // small enough that a length threshold alone would have kept it
    const imported = await t.graphql(`mutation ($input: ImportTeamMembersInput!) { importTeamMembers(input: $input) { added { name } errors { field code message } } }`, { input: { filename: "名册.csv", content: sheet.toString("base64") } }, { token: admin });
    expect(imported.data.importTeamMembers).toEqual({ added: [{ name: "司马相如" }], errors: [] });
    const entries = await storedEntries(imported);
    expect(entries.map((e) => e.outcome)).toEqual(["SUCCEEDED"]);
    expect(entries[0].input_summary.input).toEqual({ filename: "名册.csv", content: { bytes: sheet.length, sha256: crypto.createHash("sha256").update(sheet).digest("hex") } });
    expectNoneInClear(entries, "司马相如", "13611112222", other, sheet.toString("base64"));
  });

  it("stores createAccount's display name masked and its password not at all", async () => {
    const created = await t.graphql(`mutation ($input: CreateAccountInput!) { createAccount(input: $input) { errors { code } } }`, { input: { username: "audit.person", displayName: "诸葛孔明", password: "Kept-Out-Of-Logs-2026", role: "AUDITOR" } }, { token: await t.tokenFor("admin") });
    expect(created.data.createAccount.errors).toEqual([]);
    const entries = await storedEntries(created);
    expect(entries[0].input_summary.input).toEqual({ username: "audit.person", displayName: maskName("诸葛孔明"), password: "[redacted]", role: "AUDITOR" });
    expectNoneInClear(entries, "诸葛孔明", "Kept-Out-Of-Logs-2026");
  });

  it("stores a storage site's custodian masked", async () => {
    const [site] = await t.app.dataSource.query(`SELECT id FROM storage_site WHERE code = 'KZ-S01-P'`);
    const updated = await t.graphql(`mutation ($input: UpdateStorageSiteInput!) { updateStorageSite(input: $input) { site { custodianName } errors { code } } }`, { input: { id: toGlobalId("StorageSite", site.id), custodianName: "上官婉儿", custodianPhone: "023-52221234" } }, { token: await t.tokenFor("admin") });
    expect(updated.data.updateStorageSite).toEqual({ site: { custodianName: "上官婉儿" }, errors: [] });
    const entries = await storedEntries(updated);
    expect(entries[0].input_summary.input).toEqual({ id: toGlobalId("StorageSite", site.id), custodianName: maskName("上官婉儿"), custodianPhone: maskPhone("023-52221234") });
    expectNoneInClear(entries, "上官婉儿", "023-52221234", "52221234");
  });
});
