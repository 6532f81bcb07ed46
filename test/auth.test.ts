// Identities: sign-in, tokens, API keys, anonymous access, WebSocket authentication.
import { SignJWT } from "jose";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { startTestApp, DEMO_PASSWORD, type TestApp } from "./support/app";

const SECRET = "test-secret-with-at-least-32-characters!";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { AUTH_SECRET: SECRET, LOGIN_FAILURE_DELAY_MS: "50", LOGIN_MAX_FAILURES_PER_USERNAME: "3", LOGIN_MAX_FAILURES_PER_ADDRESS: "50" });
});
afterAll(() => t.stop());

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token expiresAt account { username role } errors { field code message } } }`;
const ME = `{ me { kind name role account { username displayName } scopeRegion { code name } } }`;

describe("sign-in", () => {
  it("returns an expiring token that identifies the account, its role and scope", async () => {
    const result = await t.graphql(LOGIN, { input: { username: "logistics.kz-s01", password: DEMO_PASSWORD } });
    expect(result.data.login.errors).toEqual([]);
    expect(new Date(result.data.login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t.graphql(ME, {}, { token: result.data.login.token });
    expect(me.data.me).toEqual({
      kind: "ACCOUNT",
      name: "logistics.kz-s01",
      role: "LOGISTICS",
      account: { username: "logistics.kz-s01", displayName: "汉丰街道物资保障员" },
      scopeRegion: { code: "KZ-S01", name: "汉丰街道" },
    });
  });

  it("answers a wrong password and an unknown username alike, and slowly", async () => {
    const started = Date.now();
    const wrong = await t.graphql(LOGIN, { input: { username: "commander", password: "nope" } });
    const unknown = await t.graphql(LOGIN, { input: { username: "nobody-here", password: "nope" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100); // two failures, each held for the configured 50 ms
    expect(wrong.data.login.token).toBeNull();
    expect(wrong.data.login.errors).toEqual(unknown.data.login.errors);
    expect(wrong.data.login.errors[0].code).toBe("LOGIN_FAILED");
    expect(wrong.data.login.errors[0].message).not.toMatch(/exist|unknown/i);
  });

  it("refuses even the right password after too many failures for that username", async () => {
    for (let i = 0; i < 3; i++) await t.graphql(LOGIN, { input: { username: "auditor", password: `guess-${i}` } });
    const right = await t.graphql(LOGIN, { input: { username: "auditor", password: DEMO_PASSWORD } });
    expect(right.data.login.token).toBeNull();
    expect(right.data.login.errors[0].code).toBe("LOGIN_FAILED");
    const other = await t.graphql(LOGIN, { input: { username: "admin", password: DEMO_PASSWORD } });
    expect(other.data.login.token).toBeTruthy();
  });

  it("never stores a password in clear", async () => {
    const rows = await t.app.dataSource.query("SELECT password_hash FROM account");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.password_hash).not.toContain(DEMO_PASSWORD);
      expect(row.password_hash).toMatch(/^\$2[aby]\$/);
    }
  });
});

describe("tokens and keys", () => {
  it("refuses an expired token with UNAUTHENTICATED", async () => {
    const [{ id }] = await t.app.dataSource.query("SELECT id FROM account WHERE username = 'admin'");
    const expired = await new SignJWT({ role: "ADMIN" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(id))
      .setIssuer("kaizhou-emergency-resources")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(SECRET));
    const result = await t.graphql(ME, {}, { token: expired });
    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.errors?.[0].message).toMatch(/expired/);
  });

  it("refuses a token that was accepted a moment ago once it has expired (verified tokens are remembered only until then)", async () => {
    const [{ id }] = await t.app.dataSource.query("SELECT id FROM account WHERE username = 'admin'");
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const shortLived = await new SignJWT({ role: "ADMIN" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(id))
      .setIssuer("kaizhou-emergency-resources")
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(SECRET));
    expect((await t.graphql(ME, {}, { token: shortLived })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    const later = await t.graphql(ME, {}, { token: shortLived });
    expect(later.status).toBe(401);
    expect(later.errors?.[0].message).toMatch(/expired/);
  });

  it("refuses a token signed with another secret", async () => {
    const forged = await new SignJWT({ role: "ADMIN" }).setProtectedHeader({ alg: "HS256" }).setSubject("1").setIssuer("kaizhou-emergency-resources").setExpirationTime("1h").sign(new TextEncoder().encode("another-secret-another-secret-another"));
    const result = await t.graphql(ME, {}, { token: forged });
    expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("stops a deactivated account's token at its next request", async () => {
    const admin = await t.tokenFor("admin");
    const created = await t.graphql(`mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } errors { field code } } }`, {
      input: { username: "temp.user", displayName: "临时", password: "Strong-Passw0rd-2026", role: "COMMANDER" },
    }, { token: admin });
    expect(created.data.createAccount.errors).toEqual([]);
    const login = await t.graphql(LOGIN, { input: { username: "temp.user", password: "Strong-Passw0rd-2026" } });
    const token = login.data.login.token;
    expect((await t.graphql(ME, {}, { token })).data.me.role).toBe("COMMANDER");
    await t.graphql(`mutation ($input: UpdateAccountInput!) { updateAccount(input: $input) { errors { code } } }`, { input: { accountId: created.data.createAccount.account.id, active: false } }, { token: admin });
    const after = await t.graphql(ME, {}, { token });
    expect(after.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses weak passwords for new accounts, naming the field and the rule", async () => {
    const admin = await t.tokenFor("admin");
    const result = await t.graphql(`mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } errors { field code message } } }`, {
      input: { username: "ab", displayName: "x", password: "short", role: "COMMANDER" },
    }, { token: admin });
    expect(result.data.createAccount.account).toBeNull();
    expect(result.data.createAccount.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "input.username", code: "INVALID_FORMAT" }),
        expect.objectContaining({ field: "input.password", code: "WEAK_PASSWORD", message: expect.stringMatching(/12 characters/) }),
      ]),
    );
  });

  it("creates an API key shown once, accepts it as Bearer or x-api-key, and refuses it once revoked", async () => {
    const admin = await t.tokenFor("admin");
    const created = await t.graphql(`mutation { createApiKey(input: { name: "大屏", role: DASHBOARD }) { key apiKey { id name role prefix revokedAt } errors { code } } }`, {}, { token: admin });
    const { key, apiKey } = created.data.createApiKey;
    expect(key).toMatch(/^kz_/);
    expect(apiKey.prefix).toBe(key.slice(0, 10));
    const stored = await t.app.dataSource.query("SELECT key_hash FROM api_key WHERE prefix = $1", [apiKey.prefix]);
    expect(stored[0].key_hash).not.toContain(key);

    expect((await t.graphql(ME, {}, { token: key })).data.me).toMatchObject({ kind: "API_KEY", role: "DASHBOARD", name: "大屏" });
    expect((await t.graphql(ME, {}, { headers: { "x-api-key": key } })).data.me.role).toBe("DASHBOARD");

    const revoked = await t.graphql(`mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { apiKey { revokedAt } errors { code } } }`, { id: apiKey.id }, { token: admin });
    expect(revoked.data.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    const after = await t.graphql(ME, {}, { token: key });
    expect(after.status).toBe(401);
    expect(after.errors?.[0].message).toMatch(/revoked/);
  });
});

describe("anonymous requests", () => {
  it("get login and introspection, nothing else", async () => {
    const regions = await t.graphql(`{ regions(first: 1) { totalCount } }`);
    expect(regions.status).toBe(401);
    expect(regions.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(regions.data?.regions).toBeUndefined();
    const me = await t.graphql(ME);
    expect(me.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const introspection = await t.graphql(`{ __schema { queryType { name } } }`);
    expect(introspection.data.__schema.queryType.name).toBe("Query");
  });

  it("cannot sneak a field in beside login", async () => {
    const result = await t.graphql(`mutation { login(input: { username: "admin", password: "kaizhou-demo" }) { token } createApiKey(input: { name: "x", role: ADMIN }) { key } }`);
    expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.data?.createApiKey).toBeUndefined();
  });

  it("get no introspection where it is for signed-in callers (the production default)", async () => {
    const guarded = await startTestApp({}, { GRAPHQL_INTROSPECTION: "authenticated" });
    try {
      const anonymous = await guarded.graphql(`{ __schema { queryType { name } } }`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      expect(anonymous.data?.__schema).toBeUndefined();
      const typeLookup = await guarded.graphql(`{ __type(name: "Account") { name } }`);
      expect(typeLookup.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      const signedIn = await guarded.graphql(`{ __schema { queryType { name } } }`, {}, { token: await guarded.tokenFor("logistics") });
      expect(signedIn.data.__schema.queryType.name).toBe("Query");
      const login = await guarded.graphql(`mutation { login(input: { username: "admin", password: "kaizhou-demo" }) { token } }`);
      expect(login.data.login.token).toBeTruthy();
    } finally {
      await guarded.stop();
    }
  });

  it("can have introspection switched off", async () => {
    const closed = await startTestApp({}, { GRAPHQL_INTROSPECTION: "false" });
    try {
      const result = await closed.graphql(`{ __schema { queryType { name } } }`);
      expect(result.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await closed.stop();
    }
  });
});

describe("WebSocket authentication", () => {
  function connect(connectionParams: Record<string, unknown> | undefined) {
    return new Promise<{ code?: number; reason?: string; connected: boolean; client: ReturnType<typeof createClient> }>((resolve) => {
      const client = createClient({
        url: t.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: false,
        on: {
          connected: () => resolve({ connected: true, client }),
          closed: (event) => resolve({ connected: false, code: (event as { code: number }).code, reason: (event as { reason: string }).reason, client }),
        },
        onNonLazyError: () => undefined,
      });
    });
  }

  it("closes with 4401 before anything runs when the token is missing or bad", async () => {
    const missing = await connect(undefined);
    expect(missing).toMatchObject({ connected: false, code: 4401 });
    const bad = await connect({ authorization: "Bearer not-a-token" });
    expect(bad).toMatchObject({ connected: false, code: 4401 });
    const revokedKey = await connect({ authorization: "Bearer kz_unknownkey" });
    expect(revokedKey.code).toBe(4401);
  });

  it("accepts a valid token and runs only subscriptions over the socket", async () => {
    const token = await t.tokenFor("commander");
    const { connected, client } = await connect({ authorization: `Bearer ${token}` });
    expect(connected).toBe(true);
    const result = await new Promise<any>((resolve) => {
      client.subscribe({ query: "{ me { role } }" }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(result)).toMatch(/Only subscriptions run over WebSocket/);
    await client.dispose();
  });
});

describe("personal data of accounts", () => {
  it("answers node(id:) on an account only to those who may list accounts, and to the account itself", async () => {
    const admin = await t.tokenFor("admin");
    const commander = await t.tokenFor("commander");
    const me = await t.graphql(`{ me { account { id username displayName } } }`, {}, { token: commander });
    expect(me.data.me.account).toMatchObject({ username: "commander", displayName: "应急指挥长" });
    const id = me.data.me.account.id;
    const query = `query ($id: ID!) { node(id: $id) { ... on Account { username displayName role active lastLoginAt } } }`;
    // `accounts` refuses these roles, so node(id:) does too: no masked copy, no role, no times.
    for (const token of [await t.apiKeyFor("DASHBOARD"), await t.tokenFor("logistics"), await t.tokenFor("leader.kz-s01")]) {
      const refused = await t.graphql(query, { id }, { token });
      expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      expect(refused.data?.node ?? null).toBeNull();
      const list = await t.graphql(`{ accounts(first: 1) { totalCount } }`, {}, { token });
      expect(list.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    const asAdmin = await t.graphql(query, { id }, { token: admin });
    expect(asAdmin.data.node).toMatchObject({ username: "commander", displayName: "应急指挥长", role: "COMMANDER" });
    const asAuditor = await t.graphql(query, { id }, { token: await t.apiKeyFor("AUDITOR") });
    expect(asAuditor.data.node).toMatchObject({ username: "commander", role: "COMMANDER" });
    const asItself = await t.graphql(query, { id }, { token: commander });
    expect(asItself.data.node).toMatchObject({ username: "commander", displayName: "应急指挥长" });
  });
});

describe("team leaders' accounts", () => {
  const READINESS = `mutation ($teamId: ID!) { updateTeamReadiness(input: { teamId: $teamId, status: READY, availableMembers: 5 }) { errors { code } } }`;
  const CREATE = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id role team { code } } errors { field code } } }`;

  it("an administrator links a new leader to the team it leads, and changes it later; the link follows the role", async () => {
    const admin = await t.tokenFor("admin");
    const team = async (code: string) => (await t.graphql(`query ($c: String) { rescueTeam(code: $c) { id } }`, { c: code }, { token: admin })).data.rescueTeam.id;
    const [sr04, sr01] = [await team("KZ-SR-04"), await team("KZ-SR-01")];
    const created = await t.graphql(CREATE, { input: { username: "leader.kz-sr-04", displayName: "周队长", password: "Leader-SR04-2026!", role: "TEAM_LEADER", teamId: sr04 } }, { token: admin });
    expect(created.data.createAccount).toMatchObject({ errors: [], account: { role: "TEAM_LEADER", team: { code: "KZ-SR-04" } } });
    const login = await t.graphql(`mutation { login(input: { username: "leader.kz-sr-04", password: "Leader-SR04-2026!" }) { token } }`);
    const leader = login.data.login.token;
    expect((await t.graphql(READINESS, { teamId: sr04 }, { token: leader })).data.updateTeamReadiness.errors).toEqual([]);
    expect((await t.graphql(READINESS, { teamId: sr01 }, { token: leader })).errors?.[0].extensions?.code).toBe("FORBIDDEN");

    // Moved to another team: the same token now acts for that one only.
    const moved = await t.graphql(`mutation ($id: ID!, $team: ID) { updateAccount(input: { accountId: $id, teamId: $team }) { account { team { code } } errors { field code } } }`, { id: created.data.createAccount.account.id, team: sr01 }, { token: admin });
    expect(moved.data.updateAccount).toEqual({ account: { team: { code: "KZ-SR-01" } }, errors: [] });
    expect((await t.graphql(READINESS, { teamId: sr04 }, { token: leader })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await t.graphql(READINESS, { teamId: sr01 }, { token: leader })).data.updateTeamReadiness.errors).toEqual([]);

    // Only leaders lead; a leader given another role leads no team.
    const logistics = await t.graphql(CREATE, { input: { username: "logistics.teamless", displayName: "王", password: "Logistics-T-2026!", role: "LOGISTICS", teamId: sr04 } }, { token: admin });
    expect(logistics.data.createAccount.errors).toEqual([{ field: "input.teamId", code: "INVALID_TEAM" }]);
    const demoted = await t.graphql(`mutation ($id: ID!) { updateAccount(input: { accountId: $id, role: COMMANDER }) { account { role team { code } } errors { code } } }`, { id: created.data.createAccount.account.id }, { token: admin });
    expect(demoted.data.updateAccount).toEqual({ account: { role: "COMMANDER", team: null }, errors: [] });
  });
});
