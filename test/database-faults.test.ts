// When the database stalls, goes away or cuts a connection mid-COMMIT, nothing is done twice and
// the client can tell what happened: IN_PROGRESS while the first attempt holding an idempotency
// key is alive (never taken over because of its age), OUTCOME_UNKNOWN when the connection broke
// after COMMIT (a keyed retry then returns the first result), DATABASE_UNAVAILABLE (503,
// Retry-After) when the database could not answer in time or at all.
import { Client } from "pg";
import { QueryRunnerAlreadyReleasedError, QueryFailedError } from "typeorm";
import { isDatabaseUnavailable } from "../src/core/db/database-errors";
import { startTestApp, type TestApp } from "./support/app";
import { startDatabaseProxy, type DatabaseProxy } from "./support/tcp-proxy";

const RECEIVE = `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { batch { id onHand } movement { id kind quantity onHandAfter } errors { field code message } } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name } errors { code } } }`;

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString("base64");

/** An existing batch to receive more of, and the input that does it. */
async function receiptInto(app: TestApp, idempotencyKey?: string) {
  const [batch] = await app.app.dataSource.query(
    `SELECT b.id, b.site_id, b.item_id, b.batch_number, b.on_hand FROM stock_batch b JOIN supply_item i ON i.id = b.item_id
     WHERE NOT i.tracks_expiry AND b.on_hand > 0 ORDER BY b.id LIMIT 1`,
  );
  const input = { siteId: gid("StorageSite", batch.site_id), itemId: gid("SupplyItem", batch.item_id), batchNumber: batch.batch_number, quantity: 3, source: "PURCHASE", ...(idempotencyKey ? { idempotencyKey } : {}) };
  return { batch, input };
}

async function onHand(app: TestApp, batchId: number): Promise<number> {
  return (await app.app.dataSource.query(`SELECT on_hand FROM stock_batch WHERE id = $1`, [batchId]))[0].on_hand;
}

/** A transaction of the test's own holding a batch's row lock, as a long stocktake would. */
async function lockBatch(url: string, batchId: number): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  client.on("error", () => undefined); // the database may be dropped under it when a test fails
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT id FROM stock_batch WHERE id = $1 FOR UPDATE", [batchId]);
  return {
    async release() {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

/** Resolves once some backend waits for a lock (the request under test has reached it). */
async function someoneWaitsForALock(app: TestApp): Promise<void> {
  for (;;) {
    const [{ waiting }] = await app.app.dataSource.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("idempotency claims", () => {
  let t: TestApp;
  let other: TestApp;
  beforeAll(async () => {
    // Two instances behind one load balancer: one secret, one database.
    const shared = { AUTH_SECRET: "s".repeat(40), IDEMPOTENCY_WAIT_MS: "300" };
    t = await startTestApp({}, { ...shared, INSTANCE_HEARTBEAT_SECONDS: "3600" });
    other = await startTestApp({ databaseUrl: t.database.url }, shared);
  });
  afterAll(async () => {
    await other?.stop();
    await t?.stop();
  });

  it("keep a held-up first attempt's claim: the retry waits and says IN_PROGRESS, then replays the one result", async () => {
    const logistics = await t.tokenFor("logistics");
    const { batch, input } = await receiptInto(t, "held-up-receipt-1");
    const before = await onHand(t, batch.id);
    const lock = await lockBatch(t.database.url, batch.id);
    const first = t.graphql(RECEIVE, { input }, { token: logistics });
    await someoneWaitsForALock(t);
    // However long the first attempt waits, it still holds its claim: the retry never takes it.
    for (const app of [t, other]) {
      const retry = await app.graphql(RECEIVE, { input }, { token: logistics });
      expect(retry.status).toBe(409);
      expect(retry.errors?.[0].extensions?.code).toBe("IN_PROGRESS");
      expect(retry.headers.get("retry-after")).toBe("1");
    }
    await lock.release();
    const answer = await first;
    expect(answer.data.receiveStock.errors).toEqual([]);
    const replay = await other.graphql(RECEIVE, { input }, { token: logistics });
    expect(replay.data).toEqual(answer.data);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await onHand(t, batch.id)).toBe(before + 3);
  });

  it("are taken over only from an instance that is gone, and then the first attempt commits nothing", async () => {
    const logistics = await t.tokenFor("logistics");
    const { batch, input } = await receiptInto(t, "dead-owner-receipt-1");
    const before = await onHand(t, batch.id);
    const receipts = async () => (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM stock_movement WHERE batch_id = $1 AND kind = 'RECEIPT'`, [batch.id]))[0].n;
    const receiptsBefore = await receipts();
    const lock = await lockBatch(t.database.url, batch.id);
    const first = t.graphql(RECEIVE, { input }, { token: logistics });
    await someoneWaitsForALock(t);
    // The first attempt's instance looks dead (its heartbeat expired) though its work still waits.
    await t.app.dataSource.query(`UPDATE service_instance SET expires_at = now() - interval '1 second' WHERE id IN (SELECT owner_instance FROM idempotency_record WHERE key = 'dead-owner-receipt-1')`);
    const retry = other.graphql(RECEIVE, { input }, { token: logistics });
    for (;;) {
      const [{ owner }] = await t.app.dataSource.query(`SELECT owner_instance AS owner FROM idempotency_record WHERE key = 'dead-owner-receipt-1'`);
      const [{ mine }] = await t.app.dataSource.query(`SELECT count(*)::int AS mine FROM service_instance WHERE id = $1 AND expires_at > now()`, [owner]);
      if (mine) break; // taken over by the live instance
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await lock.release();
    const [firstAnswer, retryAnswer] = await Promise.all([first, retry]);
    // Both attempts ran the work; only the one holding the claim at COMMIT committed it.
    expect(retryAnswer.data.receiveStock.errors).toEqual([]);
    expect(firstAnswer.errors?.[0].extensions?.code).toBe("IN_PROGRESS");
    expect(firstAnswer.errors?.[0].message).toMatch(/took this request over/);
    expect(await onHand(t, batch.id)).toBe(before + 3);
    expect(await receipts()).toBe(receiptsBefore + 1);
  });

  it("store no secret: a replayed createApiKey answers its key as null, and the plaintext key is kept nowhere", async () => {
    const admin = await t.tokenFor("admin");
    const input = { name: "重放大屏", role: "DASHBOARD", idempotencyKey: "no-secret-kept-1" };
    const first = await t.graphql(CREATE_KEY, { input }, { token: admin });
    const key = first.data.createApiKey.key;
    expect(key).toMatch(/^kz_/);
    const replay = await t.graphql(CREATE_KEY, { input }, { token: admin });
    expect(replay.data.createApiKey).toEqual({ ...first.data.createApiKey, key: null });
    const [stored] = await t.app.dataSource.query(`SELECT response::text AS response, result_ref::text AS result FROM idempotency_record WHERE key = 'no-secret-kept-1'`);
    expect(stored.response).not.toContain(key);
    expect(stored.result).not.toContain(key);
    expect(`${stored.response}${stored.result}`).not.toMatch(/kz_/);
  });
});

describe("what counts as the database being away", () => {
  it("takes a lost connection in any of the words node, pg and TypeORM use, and not a statement's own error", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    // TypeORM releases a transaction's runner when its connection dies; the statements still to send say so instead.
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError("INSERT …", [], Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" })))).toBe(false);
  });
});

describe("a database that goes away", () => {
  let proxy: DatabaseProxy;
  let t: TestApp;
  let direct: TestApp;
  beforeAll(async () => {
    direct = await startTestApp();
    proxy = await startDatabaseProxy(direct.database.url);
    t = await startTestApp({ databaseUrl: proxy.url }, { DATABASE_QUERY_TIMEOUT_MS: "1500", DATABASE_STATEMENT_TIMEOUT_MS: "1000", INSTANCE_HEARTBEAT_SECONDS: "3600" });
  });
  afterAll(async () => {
    await t?.stop();
    await proxy?.close();
    await direct?.stop();
  });

  it("cut during COMMIT: OUTCOME_UNKNOWN, and the keyed retry returns the first result, done once", async () => {
    const logistics = await t.tokenFor("logistics");
    const { batch, input } = await receiptInto(t, "cut-at-commit-1");
    const before = await onHand(direct, batch.id);
    // The statement COMMIT itself (its text ends with the NUL of the protocol; "READ COMMITTED" does not match).
    const cut = proxy.cutAfterSending("COMMIT\u0000");
    const first = await t.graphql(RECEIVE, { input }, { token: logistics });
    await cut;
    expect(first.errors?.[0].extensions?.code).toBe("OUTCOME_UNKNOWN");
    expect(first.errors?.[0].message).toMatch(/may or may not have been made/);
    // It was made (the server had the COMMIT), once.
    expect(await onHand(direct, batch.id)).toBe(before + 3);
    const retry = await t.graphql(RECEIVE, { input }, { token: logistics });
    expect(retry.errors).toBeUndefined();
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.data.receiveStock).toMatchObject({ errors: [], batch: { id: gid("StockBatch", batch.id), onHand: before + 3 }, movement: { kind: "RECEIPT", quantity: 3, onHandAfter: before + 3 } });
    expect(await onHand(direct, batch.id)).toBe(before + 3);
  });

  it("a statement waiting past DATABASE_STATEMENT_TIMEOUT_MS: 503 DATABASE_UNAVAILABLE with Retry-After, nothing written", async () => {
    const logistics = await t.tokenFor("logistics");
    const { batch, input } = await receiptInto(t);
    const before = await onHand(direct, batch.id);
    const lock = await lockBatch(direct.database.url, batch.id);
    try {
      const answer = await t.graphql(RECEIVE, { input }, { token: logistics });
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(answer.errors?.[0].extensions?.code).toBe("DATABASE_UNAVAILABLE");
      expect(answer.errors?.[0].message).not.toMatch(/SELECT|UPDATE|canceling/i);
    } finally {
      await lock.release();
    }
    expect(await onHand(direct, batch.id)).toBe(before);
  });

  it("a hung database: answered within the query timeout, 503, and the service recovers", async () => {
    const logistics = await t.tokenFor("logistics");
    proxy.hang();
    try {
      const read = await t.graphql(`{ storageSites(first: 1) { totalCount } }`, {}, { token: logistics });
      expect(read.status).toBe(503);
      expect(read.errors?.[0].extensions?.code).toBe("DATABASE_UNAVAILABLE");
      const { input } = { input: (await receiptInto(direct)).input };
      const write = await t.graphql(RECEIVE, { input }, { token: logistics });
      expect(write.status).toBe(503);
      expect(write.errors?.[0].extensions?.code).toBe("DATABASE_UNAVAILABLE");
    } finally {
      proxy.resume();
    }
    const again = await t.graphql(`{ storageSites(first: 1) { totalCount } }`, {}, { token: logistics });
    expect(again.data.storageSites.totalCount).toBeGreaterThan(0);
  });

  it("a database that refuses connections: 503 before anything runs, and the service recovers", async () => {
    const logistics = await t.tokenFor("logistics");
    proxy.refuse();
    try {
      const read = await t.graphql(`{ me { role } }`, {}, { token: logistics });
      expect(read.status).toBe(503);
      expect(read.errors?.[0].extensions?.code).toBe("DATABASE_UNAVAILABLE");
      expect(read.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      proxy.resume();
    }
    expect((await t.graphql(`{ me { role } }`, {}, { token: logistics })).data.me.role).toBe("LOGISTICS");
  });
});
