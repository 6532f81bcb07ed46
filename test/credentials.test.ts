// Credentials end everywhere they are used: a password change, a reset or a deactivation ends
// an account's earlier tokens (and a reactivation does not bring them back); a revoked key, a
// deactivated account or a changed role closes the sockets already open with them, on every
// instance; and one socket or identity cannot hold unbounded subscriptions.
import crypto from "node:crypto";
import WebSocket from "ws";
import { startTestApp, DEMO_PASSWORD, type TestApp } from "./support/app";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ME = `{ me { name role } }`;
const SUBSCRIPTION = `subscription { stockLevelChanged { asOf } }`;
const ADMIN_LOGIN = { username: "admin", password: DEMO_PASSWORD };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "3", WS_MAX_SUBSCRIPTIONS_PER_IDENTITY: "5", WS_CREDENTIALS_RECHECK_SECONDS: "1" });
});
afterAll(() => t?.stop());

async function login(app: TestApp, username: string, password = DEMO_PASSWORD): Promise<string> {
  const result = await app.graphql(`mutation ($input: LoginInput!) { login(input: $input) { token errors { message } } }`, { input: { username, password } });
  const token = result.data?.login?.token;
  if (!token) throw new Error(`cannot sign in as ${username}: ${JSON.stringify(result.data ?? result.errors)}`);
  return token;
}

async function accountId(app: TestApp, username: string): Promise<string> {
  const [row] = await app.app.dataSource.query(`SELECT id FROM account WHERE username = $1`, [username]);
  return Buffer.from(`Account:${row.id}`).toString("base64");
}

async function updateAccount(app: TestApp, admin: string, input: Record<string, unknown>) {
  const result = await app.graphql(`mutation ($input: UpdateAccountInput!) { updateAccount(input: $input) { account { active role } errors { code message } } }`, { input }, { token: admin });
  expect(result.data.updateAccount.errors).toEqual([]);
  return result.data.updateAccount.account;
}

/** A raw graphql-ws socket: connection_init with the credentials, then subscriptions by id. */
class Socket {
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly messages: any[] = [];
  private readonly ws: WebSocket;
  private constructor(url: string, authorization: string, acknowledged: (ok: boolean) => void) {
    this.ws = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
    this.closed = new Promise((resolve) => this.ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on("open", () => this.ws.send(JSON.stringify({ type: "connection_init", payload: { authorization } })));
    this.ws.on("message", (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === "connection_ack") acknowledged(true);
      else this.messages.push(message);
    });
    void this.closed.then(() => acknowledged(false));
  }
  static async open(url: string, credential: string): Promise<Socket> {
    let socket!: Socket;
    const ok = await new Promise<boolean>((resolve) => (socket = new Socket(url, `Bearer ${credential}`, resolve)));
    if (!ok) throw new Error(`socket refused: ${JSON.stringify(await socket.closed)}`);
    return socket;
  }
  subscribe(id: string, query = SUBSCRIPTION): void {
    this.ws.send(JSON.stringify({ id, type: "subscribe", payload: { query } }));
  }
  /** Resolves with the first message for `id`. */
  async answerTo(id: string): Promise<any> {
    for (;;) {
      const found = this.messages.find((m) => m.id === id);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  /** graphql-ws ping: answered with pong while the connection stands. */
  async ping(): Promise<string> {
    this.ws.send(JSON.stringify({ type: "ping" }));
    for (;;) {
      const pong = this.messages.find((m) => m.type === "pong");
      if (pong) return pong.type;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  close(): void {
    this.ws.close();
  }
}

describe("earlier tokens end", () => {
  it("when the account changes its password; the answer carries a fresh token", async () => {
    const before = await login(t, "commander");
    const elsewhere = await login(t, "commander"); // another browser of the same person
    const newPassword = "Flood-Season-2026!x";
    const changed = await t.graphql(
      `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { token expiresAt account { username } errors { code } } }`,
      { input: { currentPassword: DEMO_PASSWORD, newPassword } },
      { token: before },
    );
    expect(changed.data.changePassword.errors).toEqual([]);
    const fresh = changed.data.changePassword.token;
    expect(fresh).toBeTruthy();
    for (const old of [before, elsewhere]) {
      const refused = await t.graphql(ME, {}, { token: old });
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0].message).toMatch(/password change/);
    }
    expect((await t.graphql(ME, {}, { token: fresh })).data.me.role).toBe("COMMANDER");
    expect((await t.graphql(ME, {}, { token: await login(t, "commander", newPassword) })).data.me.name).toBe("commander");
  });

  it("when an administrator resets the password, and on deactivation; reactivation brings none back", async () => {
    const admin = await login(t, ADMIN_LOGIN.username);
    const id = await accountId(t, "auditor");
    const first = await login(t, "auditor");
    await updateAccount(t, admin, { accountId: id, password: "Reset-By-Admin-2026!" });
    expect((await t.graphql(ME, {}, { token: first })).status).toBe(401);

    const second = await login(t, "auditor", "Reset-By-Admin-2026!");
    expect((await t.graphql(ME, {}, { token: second })).data.me.role).toBe("AUDITOR");
    await updateAccount(t, admin, { accountId: id, active: false });
    expect((await t.graphql(ME, {}, { token: second })).status).toBe(401);
    await updateAccount(t, admin, { accountId: id, active: true });
    const revived = await t.graphql(ME, {}, { token: second });
    expect(revived.status).toBe(401);
    expect(revived.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await t.graphql(ME, {}, { token: await login(t, "auditor", "Reset-By-Admin-2026!") })).data.me.role).toBe("AUDITOR");
  });

  it("but not when only the display name changes", async () => {
    const admin = await login(t, ADMIN_LOGIN.username);
    const token = await login(t, "logistics");
    await updateAccount(t, admin, { accountId: await accountId(t, "logistics"), displayName: "物资保障科" });
    expect((await t.graphql(ME, {}, { token })).data.me.role).toBe("LOGISTICS");
  });
});

describe("open sockets", () => {
  it("close with 4403 when their API key is revoked", async () => {
    const admin = await login(t, ADMIN_LOGIN.username);
    const created = await t.graphql(`mutation { createApiKey(input: { name: "大屏 revoked", role: DASHBOARD }) { key apiKey { id } } }`, {}, { token: admin });
    const { key, apiKey } = created.data.createApiKey;
    const socket = await Socket.open(t.url, key);
    socket.subscribe("1");
    const revoked = await t.graphql(`mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { errors { code } } }`, { id: apiKey.id }, { token: admin });
    expect(revoked.data.revokeApiKey.errors).toEqual([]);
    const closed = await socket.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/revoked/);
    // And it cannot come back.
    await expect(Socket.open(t.url, key)).rejects.toThrow(/4401/);
  });

  it("close when their account is deactivated or its role changes, and only theirs", async () => {
    const admin = await login(t, ADMIN_LOGIN.username);
    const id = await accountId(t, "leader.kz-s02");
    const theirs = await Socket.open(t.url, await login(t, "leader.kz-s02"));
    const someoneElses = await Socket.open(t.url, await login(t, "leader.kz-s03"));
    await updateAccount(t, admin, { accountId: id, role: "DASHBOARD" });
    expect((await theirs.closed).code).toBe(4403);
    const again = await Socket.open(t.url, await login(t, "leader.kz-s02"));
    await updateAccount(t, admin, { accountId: id, active: false });
    expect((await again.closed).code).toBe(4403);
    expect(await someoneElses.ping()).toBe("pong");
    someoneElses.close();
  });

  it("close at the periodic re-check when credentials change without an announcement", async () => {
    const key = await t.apiKeyFor("DASHBOARD", "大屏 revoked by SQL");
    const socket = await Socket.open(t.url, key);
    // A change made outside the service (SQL, a restore): nothing is announced.
    await t.app.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE name = '大屏 revoked by SQL'`);
    expect((await socket.closed).code).toBe(4403);
  });

  it("hold at most the configured subscriptions per connection and per identity", async () => {
    const key = await t.apiKeyFor("DASHBOARD", "大屏 many");
    const first = await Socket.open(t.url, key);
    for (const id of ["1", "2", "3", "4"]) first.subscribe(id);
    const refused = await first.answerTo("4");
    expect(refused.type).toBe("error");
    expect(refused.payload[0].message).toMatch(/WS_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    expect(refused.payload[0].extensions.code).toBe("TOO_MANY_SUBSCRIPTIONS");
    const second = await Socket.open(t.url, key);
    for (const id of ["a", "b", "c"]) second.subscribe(id);
    const overIdentity = await second.answerTo("c");
    expect(overIdentity.payload[0].message).toMatch(/WS_MAX_SUBSCRIPTIONS_PER_IDENTITY/);
    // Completing one frees its place.
    second.close();
    await second.closed;
    const third = await Socket.open(t.url, key);
    third.subscribe("x");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(third.messages.filter((m) => m.id === "x" && m.type === "error")).toEqual([]);
    first.close();
    third.close();
  });
});

describe("across instances sharing Redis", () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const prefix = `kaizhou-test-${crypto.randomUUID()}:`;
    // A long periodic re-check: only the announcement through Redis can close B's socket in time.
    a = await startTestApp({ redisUrl: REDIS_URL, redisChannelPrefix: prefix }, { WS_CREDENTIALS_RECHECK_SECONDS: "3600" });
    b = await startTestApp({ redisUrl: REDIS_URL, redisChannelPrefix: prefix, databaseUrl: a.database.url }, { WS_CREDENTIALS_RECHECK_SECONDS: "3600" });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("a key revoked on one instance closes its sockets on the other", async () => {
    const admin = await login(a, ADMIN_LOGIN.username);
    const created = await a.graphql(`mutation { createApiKey(input: { name: "大屏 on B", role: DASHBOARD }) { key apiKey { id } } }`, {}, { token: admin });
    const socket = await Socket.open(b.url, created.data.createApiKey.key);
    await a.graphql(`mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { errors { code } } }`, { id: created.data.createApiKey.apiKey.id }, { token: admin });
    expect((await socket.closed).code).toBe(4403);
  });
});
