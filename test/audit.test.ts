// The audit log: every attempted mutation, allowed or refused, with who, what, targets, outcome;
// never a password or key; and a table that refuses to be changed.
import { insertAuditEntries } from "../src/core/audit-trail";
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
  // Entries of concurrent requests share INSERTs (core/coalescer.ts); none may be lost or mixed up.
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
