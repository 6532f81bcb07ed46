// Failover: the service connects through a multi-host URL with target_session_attrs=read-write
// (core/db/hosts.ts; node-postgres knows neither), the primary goes away mid-mutation, the
// standby is promoted (pg_ctl promote, as Patroni would), and a keyed retry completes exactly once.
import { Client } from "pg";
import { startTestApp, type TestApp } from "./support/app";
import { startReplication, type Replication } from "./support/replication";
import { waitUntil } from "./support/wait";
import { parseDatabaseUrl } from "../src/core/db/hosts";
import { loadConfig } from "../src/config";

let rep: Replication;
let t: TestApp;
let commander: string;
let township: string;

const OPEN = `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id code title } errors { code } } }`;

/** The service's role on both servers, the primary first, as a deployment lists its database hosts. */
function multiHostUrl(): string {
  const primary = new URL(rep.primary.url);
  return `postgres://${primary.username}:${primary.password}@127.0.0.1:${rep.primary.port},127.0.0.1:${rep.standby.port}${primary.pathname}?target_session_attrs=read-write`;
}

beforeAll(async () => {
  rep = await startReplication();
  t = await startTestApp({ databaseUrl: multiHostUrl() });
  commander = await t.tokenFor("commander");
  const regions = await t.graphql(`{ regions(first: 1, where: { level: TOWNSHIP }) { nodes { id } } }`, {}, { token: commander });
  township = regions.data.regions.nodes[0].id;
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await rep?.stop();
});

it("reads a host list as libpq does, and checks it as a setting", () => {
  expect(parseDatabaseUrl("postgres://u:p@a:5433,b,[::1]:5434/kz?target_session_attrs=read-write&sslmode=disable")).toEqual({
    hosts: [{ host: "a", port: 5433 }, { host: "b", port: 5432 }, { host: "::1", port: 5434 }],
    firstHostUrl: "postgres://u:p@a:5433/kz?sslmode=disable",
    targetSessionAttrs: "read-write",
  });
  expect(loadConfig({ DATABASE_URL: "postgres://u@a:1,b:2/kz?target_session_attrs=read-write" }).databaseUrl).toBe("postgres://u@a:1,b:2/kz?target_session_attrs=read-write");
  expect(() => loadConfig({ DATABASE_URL: "postgres://u@a:1,b:99999/kz" })).toThrow(/^DATABASE_URL: has an invalid port/);
  expect(() => loadConfig({ DATABASE_URL: "postgres://u@a,b/kz?target_session_attrs=primary" })).toThrow(/^DATABASE_URL: target_session_attrs must be any or read-write/);
  expect(() => loadConfig({ DATABASE_URL: "mysql://u@a/kz" })).toThrow(/^DATABASE_URL: must start with postgres: or postgresql:/);
  expect(loadConfig({ DATABASE_URL: "postgres://u@a/kz", DATABASE_READ_URL: "postgres://u@r1/kz, postgres://u@r2:5433/kz" }).databaseReadUrls).toEqual(["postgres://u@r1/kz", "postgres://u@r2:5433/kz"]);
  expect(() => loadConfig({ DATABASE_READ_URL: "postgres://u@r1/kz" })).toThrow(/^DATABASE_READ_URL: needs DATABASE_URL beside it/);
  expect(() => loadConfig({ DATABASE_URL: "postgres://u@a/kz", DATABASE_READ_URL: "postgres://u@r1,r2/kz" })).toThrow(/^DATABASE_READ_URL: names one host per URL/);
  expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: "sometimes" })).toThrow(/^DATABASE_PREPARED_STATEMENTS: must be true or false/);
});

it("fails a mutation in flight with a retryable code when the primary goes, and does a keyed retry once on the promoted standby", async () => {
  const input = { title: "切换中的汛情", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [township], idempotencyKey: "failover-retry-1" };
  // The mutation waits on a lock the test holds on the primary when the primary stops.
  const holder = new Client({ connectionString: rep.primary.ownerUrl });
  holder.on("error", () => undefined);
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("LOCK TABLE incident IN EXCLUSIVE MODE");
  const inFlight = t.graphql(OPEN, { input }, { token: commander });
  await waitUntil(async () => {
    const rows = await rep.query("primary", "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE 'kaizhou-emergency-resources%'");
    return rows.length > 0;
  }, "the mutation waits on the lock");
  await rep.stopPrimary();
  const failed = await inFlight;
  expect(failed.errors?.[0]?.extensions?.code).toMatch(/^(DATABASE_UNAVAILABLE|OUTCOME_UNKNOWN)$/);
  await holder.end().catch(() => undefined);

  // No host takes writes until the standby is promoted: a retry is told to come back.
  const early = await t.graphql(OPEN, { input }, { token: commander });
  expect(early.errors?.[0]?.extensions?.code).toBe("DATABASE_UNAVAILABLE");
  expect(early.status).toBe(503);

  rep.promoteStandby();
  let retried: any;
  await waitUntil(async () => {
    retried = await t.graphql(OPEN, { input }, { token: commander });
    return retried.errors?.[0]?.extensions?.code !== "DATABASE_UNAVAILABLE";
  }, "the service reaches the promoted standby");
  expect(retried!.errors).toBeUndefined();
  expect(retried!.data.openIncident.errors).toEqual([]);
  const incident = retried!.data.openIncident.incident;

  const replayed = await t.graphql(OPEN, { input }, { token: commander });
  expect(replayed.data.openIncident.incident).toEqual(incident);
  const [{ n }] = await rep.query<{ n: number }>("standby", "SELECT count(*)::int AS n FROM incident WHERE title = $1", [input.title]);
  expect(n).toBe(1);
  const [{ standby }] = await rep.query<{ standby: boolean }>("standby", "SELECT pg_is_in_recovery() AS standby");
  expect(standby).toBe(false);

  // And the service goes on writing there.
  const next = await t.graphql(OPEN, { input: { ...input, title: "切换后的汛情", idempotencyKey: undefined } }, { token: commander });
  expect(next.data.openIncident.errors).toEqual([]);
});
