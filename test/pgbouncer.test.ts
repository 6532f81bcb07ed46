// PgBouncer in transaction mode in front of the primary (README "PgBouncer"): why the service's
// named statements need PgBouncer 1.21+ (max_prepared_statements) and what
// DATABASE_PREPARED_STATEMENTS=off does before it (Debian bookworm's is 1.18), and the service
// through it under concurrent writes. The suite's own concurrency files run through it too, in
// .ci/run's PgBouncer step (TEST_PGBOUNCER=1, test/support/global-setup.ts).
import { Client } from "pg";
import { inTransaction } from "../src/core/db/transaction";
import { startTestApp, type TestApp } from "./support/app";
import { clusterInfo } from "./support/cluster";
import { keepsPreparedStatements, pgbouncerMissing, startPgbouncer, type TestPgbouncer } from "./support/pgbouncer";
import { DISTRICT_LOGISTICS } from "./support/reserves";

const missing = pgbouncerMissing();
if (missing) console.log(`pgbouncer.test.ts skipped: ${missing}`);
const describeWithPgbouncer = missing ? describe.skip : describe;

describeWithPgbouncer("PgBouncer in transaction mode", () => {
  let bouncer: TestPgbouncer;
  let shared: TestPgbouncer;
  let t: TestApp;
  const { serviceUrl, serviceRole } = missing ? ({} as ReturnType<typeof clusterInfo>) : clusterInfo();
  const users = () => ({ [serviceRole]: decodeURIComponent(new URL(serviceUrl).password) });

  beforeAll(async () => {
    // Fewer server connections than the service has clients, as PgBouncer is deployed for.
    bouncer = await startPgbouncer(serviceUrl, users(), { poolSize: 4 });
    // One server connection for every client: what transaction pooling does to session state, made certain.
    shared = await startPgbouncer(serviceUrl, users(), { poolSize: 1 });
    t = await startTestApp({ databasePreparedStatements: keepsPreparedStatements(bouncer.binary) }, {}, { serviceUrl: (url) => bouncer.via(url) });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await bouncer?.stop();
    await shared?.stop();
  });

  it("keeps named statements apart only from 1.21 on (max_prepared_statements); unnamed ones always", async () => {
    const clients = [new Client({ connectionString: shared.via(t.database.url) }), new Client({ connectionString: shared.via(t.database.url) })];
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const named = { name: "kz_pgbouncer_probe", text: "SELECT 1 AS one" };
      await clients[0].query(named);
      // The second client prepares the same name on the same server connection the first left it on.
      const second = clients[1].query(named);
      if (keepsPreparedStatements(bouncer.binary)) await expect(second).resolves.toMatchObject({ rows: [{ one: 1 }] });
      else await expect(second).rejects.toMatchObject({ code: "42P05" }); // duplicate_prepared_statement
      for (const client of clients) await expect(client.query({ text: "SELECT 1 AS one" })).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it("serves the service: concurrent keyed retries do the work once, concurrent reservations never pass the stock", async () => {
    const [{ via }] = await t.app.dataSource.query("SELECT inet_server_port() AS via");
    expect(Number(via)).toBe(Number(new URL(serviceUrl).port)); // the server behind PgBouncer answered
    expect(t.app.dataSource.options).toMatchObject({ url: expect.stringContaining(`:${bouncer.port}/`) });

    const admin = await t.tokenFor("admin");
    const input = { name: "连接池重试", role: "DASHBOARD", idempotencyKey: "pgbouncer-retry-1" };
    const createKey = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code } } }`;
    const results = await Promise.all(Array.from({ length: 6 }, () => t.graphql(createKey, { input }, { token: admin })));
    const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM api_key WHERE name = $1", [input.name]);
    expect(n).toBe(1);
    expect(new Set(results.filter((r) => r.data?.createApiKey?.key).map((r) => r.data.createApiKey.key)).size).toBe(1);
    for (const result of results) if (!result.data?.createApiKey) expect(result.errors?.[0].extensions?.code).toBe("IN_PROGRESS");

    const [batch] = await t.app.dataSource.query("SELECT id, on_hand AS \"onHand\" FROM stock_batch WHERE reserved = 0 AND on_hand >= 64 ORDER BY id LIMIT 1");
    const quantity = Math.floor(batch.onHand / 8); // room for exactly eight
    const stock = t.app.services.stock;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => inTransaction(t.app.dataSource, (tx) => stock.reserve(tx, DISTRICT_LOGISTICS, [{ batchId: batch.id, quantity }]))));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(8);
    const [after] = await t.app.dataSource.query("SELECT on_hand AS \"onHand\", reserved FROM stock_batch WHERE id = $1", [batch.id]);
    expect(after).toEqual({ onHand: batch.onHand, reserved: quantity * 8 });
  });
});
