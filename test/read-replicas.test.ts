// Read replicas (DATABASE_READ_URL) against a real primary and hot standby started for this file
// (test/support/replication.ts): dashboards' reads on the standby, staff reads and writes on the
// primary, a writer reading its own write while the standby lags, and the standby lost and back.
import { startTestApp, type TestApp } from "./support/app";
import { startReplication, type Replication } from "./support/replication";
import { waitUntil } from "./support/wait";
import { freshAsOf, parseLsn } from "../src/core/db/read-replicas";

let rep: Replication;
let t: TestApp;
let commander: string;
let dashboard: string;
let township: string;

const INCIDENTS = `{ incidents(first: 100) { nodes { code title } } }`;
const OPEN = `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id code title } errors { code } } }`;

const replica = () => t.app.readReplicas!.replicas[0];

/** Until the standby has replayed everything the primary has written so far, and the service knows it. */
async function caughtUp(): Promise<void> {
  const [{ lsn }] = await rep.query<{ lsn: string }>("primary", "SELECT pg_current_wal_lsn()::text AS lsn");
  const target = parseLsn(lsn)!;
  await waitUntil(async () => {
    await t.app.readReplicas!.check();
    return replica().healthy && (replica().replayedLsn ?? -1n) >= target;
  }, "the standby replays the primary's writes");
}

const asKey = (key: string, query: string, variables?: Record<string, unknown>) => t.graphql(query, variables, { headers: { "x-api-key": key } });
const titles = (result: { data?: any }) => (result.data?.incidents?.nodes ?? []).map((n: { title: string }) => n.title);

beforeAll(async () => {
  rep = await startReplication();
  t = await startTestApp({ databaseUrl: rep.primary.url, databaseReadUrls: [rep.standby.url], databaseReadCheckMs: 100 });
  commander = await t.tokenFor("commander");
  dashboard = await t.apiKeyFor("DASHBOARD");
  const regions = await t.graphql(`{ regions(first: 1, where: { level: TOWNSHIP }) { nodes { id } } }`, {}, { token: commander });
  township = regions.data.regions.nodes[0].id;
  await caughtUp();
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await rep?.stop();
});
afterEach(async () => {
  await rep.query("standby", "SELECT pg_wal_replay_resume()").catch(() => undefined);
});

it("sends a dashboard key's reads to the standby and a staff account's to the primary", async () => {
  const opened = await t.graphql(OPEN, { input: { title: "东河汛情", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [township] } }, { token: commander });
  expect(opened.data.openIncident.errors).toEqual([]);
  await caughtUp();
  // The standby stops replaying; the primary changes the title behind the service's back.
  await rep.query("standby", "SELECT pg_wal_replay_pause()");
  await rep.query("primary", "UPDATE incident SET title = '东河汛情（更新）' WHERE code = $1", [opened.data.openIncident.incident.code]);

  const readsBefore = replica().reads;
  const fromDashboard = await asKey(dashboard, INCIDENTS);
  expect(fromDashboard.errors).toBeUndefined();
  expect(titles(fromDashboard)).toContain("东河汛情"); // the standby's, older
  expect(replica().reads).toBe(readsBefore + 1);
  const [{ standby }] = await rep.query<{ standby: boolean }>("standby", "SELECT pg_is_in_recovery() AS standby");
  expect(standby).toBe(true);

  const fromStaff = await t.graphql(INCIDENTS, {}, { token: commander });
  expect(titles(fromStaff)).toContain("东河汛情（更新）"); // the primary's
  expect(replica().reads).toBe(readsBefore + 1);

  await rep.query("standby", "SELECT pg_wal_replay_resume()");
  await caughtUp();
  expect(titles(await asKey(dashboard, INCIDENTS))).toContain("东河汛情（更新）");
});

it("lets an API key that has just written read its write, while the standby lags", async () => {
  const writer = await t.apiKeyFor("COMMANDER", "指挥调度接口");
  await caughtUp();
  await rep.query("standby", "SELECT pg_wal_replay_pause()");
  const opened = await asKey(writer, OPEN, { input: { title: "北岸滑坡", hazard: "GEOLOGICAL", level: "IV", regionIds: [township] } });
  expect(opened.data.openIncident.errors).toEqual([]);

  const primaryReads = t.app.readReplicas!.primaryReads;
  expect(titles(await asKey(writer, INCIDENTS))).toContain("北岸滑坡"); // its own write, from the primary
  expect(t.app.readReplicas!.primaryReads).toBe(primaryReads + 1);
  expect(titles(await asKey(dashboard, INCIDENTS))).not.toContain("北岸滑坡"); // another key: the lagging standby

  // Once the standby has replayed past the write, the writer's reads go back to it.
  await rep.query("standby", "SELECT pg_wal_replay_resume()");
  await caughtUp();
  const readsBefore = replica().reads;
  expect(titles(await asKey(writer, INCIDENTS))).toContain("北岸滑坡");
  expect(replica().reads).toBe(readsBefore + 1);

  // A mutation's payload is read on the primary whoever asks: the standby (paused) has no such incident.
  await rep.query("standby", "SELECT pg_wal_replay_pause()");
  const again = await asKey(writer, OPEN, { input: { title: "西岸内涝", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [township] } });
  expect(again.data.openIncident.incident.title).toBe("西岸内涝");
});

it("sends data URLs and exports to the standby too", async () => {
  await caughtUp();
  const readsBefore = replica().reads;
  const url = new URL(t.url);
  const data = await fetch(`${url.origin}/data/stock-by-site.json?regionId=${encodeURIComponent(township)}&first=5`, { headers: { authorization: `Bearer ${commander}` } });
  expect(data.status).toBe(200);
  expect(replica().reads).toBe(readsBefore + 1);
  const exported = await t.graphql(`{ exportTravelTimes { filename } }`, {}, { token: commander });
  expect(exported.errors).toBeUndefined();
  expect(replica().reads).toBe(readsBefore + 2);
});

it("measures a replica's lag by the primary's WAL positions it has replayed", () => {
  expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) + 0xb374d848n);
  const samples = [{ at: 1000, lsn: 100n }, { at: 2000, lsn: 100n }, { at: 3000, lsn: 250n }];
  expect(freshAsOf(samples, 250n)).toBe(3000); // caught up
  expect(freshAsOf(samples, 100n)).toBe(2000); // has all that was committed before 2000, not what came by 3000
  expect(freshAsOf(samples, 99n)).toBeUndefined(); // older than every sample
});

it("leaves a standby lagging beyond DATABASE_READ_MAX_LAG_MS aside until it catches up", async () => {
  const strict = await startTestApp({ databaseUrl: rep.primary.url, databaseReadUrls: [rep.standby.url], databaseReadCheckMs: 100, databaseReadMaxLagMs: 300 });
  try {
    const replicas = strict.app.readReplicas!;
    const [{ code }] = await rep.query<{ code: string }>("primary", "SELECT code FROM incident WHERE title = '东河汛情（更新）'");
    await rep.query("standby", "SELECT pg_wal_replay_pause()");
    await rep.query("primary", "UPDATE incident SET title = '东河汛情（再更新）' WHERE code = $1", [code]);
    await waitUntil(async () => {
      await replicas.check();
      return replicas.healthyCount === 0;
    }, "the lagging standby is left aside");
    expect(replicas.replicas[0].healthy).toBe(true); // it answers: only too far behind
    const read = await strict.graphql(INCIDENTS, {}, { headers: { "x-api-key": dashboard } });
    expect(titles(read)).toContain("东河汛情（再更新）"); // from the primary
    expect(await (await fetch(new URL("/readyz", strict.url))).json()).toEqual({ status: "degraded", readReplicas: { healthy: 0, total: 1 } });

    await rep.query("standby", "SELECT pg_wal_replay_resume()");
    await waitUntil(async () => {
      await replicas.check();
      return replicas.healthyCount === 1;
    }, "the standby, caught up, is read again");
    const readsBefore = replicas.replicas[0].reads;
    expect(titles(await strict.graphql(INCIDENTS, {}, { headers: { "x-api-key": dashboard } }))).toContain("东河汛情（再更新）");
    expect(replicas.replicas[0].reads).toBe(readsBefore + 1);
  } finally {
    await strict.stop();
  }
});

it("sends reads to the primary while the standby is down, and back when it returns", async () => {
  rep.killStandby();
  await waitUntil(async () => {
    await t.app.readReplicas!.check();
    return !replica().healthy;
  }, "the service sees the standby gone");
  const ready = await fetch(new URL("/readyz", t.url));
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "degraded", readReplicas: { healthy: 0, total: 1 } });

  const primaryReads = t.app.readReplicas!.primaryReads;
  const read = await asKey(dashboard, INCIDENTS);
  expect(read.errors).toBeUndefined();
  expect(titles(read)).toContain("东河汛情（再更新）");
  expect(t.app.readReplicas!.primaryReads).toBe(primaryReads + 1);

  // An instance starting while the standby is away starts all the same, degraded.
  const second = await startTestApp({ databaseUrl: rep.primary.url, databaseReadUrls: [rep.standby.url], databaseReadCheckMs: 100 });
  try {
    expect(second.app.readReplicas!.healthyCount).toBe(0);
    expect((await second.graphql(INCIDENTS, {}, { headers: { "x-api-key": dashboard } })).errors).toBeUndefined();

    rep.startStandby();
    await caughtUp();
    await waitUntil(async () => {
      await second.app.readReplicas!.check();
      return second.app.readReplicas!.healthyCount === 1;
    }, "the second instance finds the standby back");
  } finally {
    await second.stop();
  }
  const readsBefore = replica().reads;
  expect((await asKey(dashboard, INCIDENTS)).errors).toBeUndefined();
  expect(replica().reads).toBe(readsBefore + 1);
  expect(await (await fetch(new URL("/readyz", t.url))).json()).toEqual({ status: "ready", readReplicas: { healthy: 1, total: 1 } });
});
