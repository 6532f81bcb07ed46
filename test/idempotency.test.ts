// Idempotency keys: a retry with the same key and input returns the first result and does
// nothing twice; the same key with different input is a UserError.
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor("admin");
});
afterAll(() => t.stop());

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name } errors { field code message } } }`;
const keyCount = async (name: string) => (await t.app.dataSource.query("SELECT count(*)::int AS n FROM api_key WHERE name = $1", [name]))[0].n;

it("replays the first response to a retry and does the work once", async () => {
  const input = { name: "重试大屏", role: "DASHBOARD", idempotencyKey: "3f6c1a52-retry-1" };
  const first = await t.graphql(CREATE_KEY, { input }, { token: admin });
  const retry = await t.graphql(CREATE_KEY, { input }, { token: admin });
  expect(first.data.createApiKey.errors).toEqual([]);
  // All but the key itself, which is shown once and stored nowhere (test/database-faults.test.ts).
  expect(retry.data).toEqual({ createApiKey: { ...first.data.createApiKey, key: null } });
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect(await keyCount("重试大屏")).toBe(1);
});

it("answers concurrent retries once", async () => {
  const input = { name: "并发重试", role: "DASHBOARD", idempotencyKey: "concurrent-retry-7" };
  const results = await Promise.all([1, 2, 3, 4, 5].map(() => t.graphql(CREATE_KEY, { input }, { token: admin })));
  expect(await keyCount("并发重试")).toBe(1);
  const keys = new Set(results.filter((r) => r.data?.createApiKey?.key).map((r) => r.data.createApiKey.key));
  expect(keys.size).toBe(1);
  for (const result of results) {
    if (!result.data?.createApiKey) expect(result.errors?.[0].extensions?.code).toBe("IN_PROGRESS");
  }
});

it("refuses the same key with different input as a UserError, writing nothing", async () => {
  await t.graphql(CREATE_KEY, { input: { name: "甲", role: "DASHBOARD", idempotencyKey: "reused-key-1" } }, { token: admin });
  const other = await t.graphql(CREATE_KEY, { input: { name: "乙", role: "DASHBOARD", idempotencyKey: "reused-key-1" } }, { token: admin });
  expect(other.data.createApiKey).toEqual({ key: null, apiKey: null, errors: [expect.objectContaining({ field: "input.idempotencyKey", code: "IDEMPOTENCY_KEY_REUSED" })] });
  expect(await keyCount("乙")).toBe(0);
});

it("replays a rejected attempt's errors, and keeps keys per identity", async () => {
  const bad = { username: "x", displayName: "x", password: "weak", role: "AUDITOR", idempotencyKey: "shared-key" };
  const query = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { errors { code } } }`;
  const first = await t.graphql(query, { input: bad }, { token: admin });
  const again = await t.graphql(query, { input: bad }, { token: admin });
  expect(again.data).toEqual(first.data);
  expect(first.data.createAccount.errors.length).toBeGreaterThan(0);
  // The same identity cannot spend the key on another operation…
  const sameIdentity = await t.graphql(CREATE_KEY, { input: { name: "他人", role: "DASHBOARD", idempotencyKey: "shared-key" } }, { token: admin });
  expect(sameIdentity.data.createApiKey.errors[0].code).toBe("IDEMPOTENCY_KEY_REUSED");
  // …while another identity's same key string is its own.
  const otherIdentity = await t.graphql(`mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { errors { code } } }`, {
    input: { currentPassword: "not-my-password", newPassword: "Another-Strong-2026!", idempotencyKey: "shared-key" },
  }, { token: await t.tokenFor("commander") });
  expect(otherIdentity.data.changePassword.errors[0].code).toBe("WRONG_PASSWORD");
});

it("lets a refused attempt be retried once the caller may do it", async () => {
  const input = { name: "先拒后准", role: "DASHBOARD", idempotencyKey: "refused-first" };
  const refused = await t.graphql(CREATE_KEY, { input }, { token: await t.tokenFor("commander") });
  expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM idempotency_record WHERE key = 'refused-first'");
  expect(n).toBe(0);
});

it("checks the key's form after the role, and claims no key of another form", async () => {
  const input = { name: "坏键", role: "DASHBOARD", idempotencyKey: "has spaces and ☃" };
  const result = await t.graphql(CREATE_KEY, { input }, { token: admin });
  expect(result.data.createApiKey).toEqual({ key: null, apiKey: null, errors: [{ field: "input.idempotencyKey", code: "INVALID_FORMAT", message: expect.stringMatching(/^input.idempotencyKey must be 1–100 letters/) }] });
  const refused = await t.graphql(CREATE_KEY, { input }, { token: await t.tokenFor("commander") });
  expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM idempotency_record WHERE key = $1", [input.idempotencyKey]);
  expect(n).toBe(0);
  expect(await keyCount("坏键")).toBe(0);
});
