// The entries of attempts that commit nothing (refused, rejected, failed) are written outside any
// transaction. While the database does not take them they wait in a spool under DATA_DIR and are
// written, with the time of the attempt, when it answers again — by the flush timer, or at the
// next start-up. Played here by making the test database refuse connections.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { startTestApp, type TestApp } from "./support/app";
import { adminQuery, clusterInfo, tempDir } from "./support/cluster";
import { metricValue } from "./support/metrics";
import { waitUntil } from "./support/wait";

const { adminUrl } = clusterInfo();
const CLOSE_INCIDENT = `mutation Spooled($input: CloseIncidentInput!) { closeIncident(input: $input) { incident { id } } }`;

let app: TestApp;
let dataDir: string;

/** Starts another instance on the same database and DATA_DIR, as a restart does (the last one stopped). */
async function startAgain(overrides: Record<string, unknown> = {}): Promise<void> {
  const { database } = app;
  const next = await startTestApp({ dataDir, databaseUrl: database.url, ...overrides });
  await next.database.drop(); // the clone it made for itself is not used
  app = { ...next, database, stop: () => next.app.stop().then(() => database.drop()) };
}

async function refuseConnections(): Promise<void> {
  await adminQuery(adminUrl, `ALTER DATABASE "${app.database.name}" ALLOW_CONNECTIONS false`);
  await adminQuery(adminUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [app.database.name]);
}
async function allowConnections(): Promise<void> {
  await adminQuery(adminUrl, `ALTER DATABASE "${app.database.name}" ALLOW_CONNECTIONS true`);
}
/** An anonymous attempt: refused (UNAUTHENTICATED) before anything touches the database. */
async function attempt(on: TestApp, requestId: string): Promise<void> {
  const result = await on.graphql(CLOSE_INCIDENT, { input: { incidentId: "SW5jaWRlbnQ6MQ==" } }, { headers: { "x-request-id": requestId } });
  expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
}
async function entriesOf(prefix: string): Promise<Array<{ id: string; at: Date; operation: string; outcome: string; error_code: string; request_id: string }>> {
  const client = new Client({ connectionString: app.database.url });
  await client.connect();
  try {
    return (await client.query(`SELECT id, at, operation, outcome, error_code, request_id FROM audit_entry WHERE request_id LIKE $1 ORDER BY id`, [`${prefix}%`])).rows;
  } finally {
    await client.end();
  }
}
function spoolDirectory(): string {
  return path.join(dataDir, "audit-spool", app.database.name);
}
/** The entries waiting in the spool files, by request id, read the way an operator would. */
function spooledRequestIds(): string[] {
  const dir = spoolDirectory();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .flatMap((name) => fs.readFileSync(path.join(dir, name), "utf8").split("\n").filter(Boolean))
    .flatMap((line) => JSON.parse(line).entries.map((entry: { requestId: string }) => entry.requestId));
}
const spoolGauge = (on: TestApp) => metricValue(on.url, "kaizhou_audit_spool_entries");

beforeAll(async () => {
  dataDir = tempDir("kaizhou-audit-spool");
  app = await startTestApp({ dataDir });
});
afterAll(async () => {
  await allowConnections();
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it("keeps refused attempts in the spool while the database refuses connections, and writes them with their own times when it answers", async () => {
  expect(await spoolGauge(app)).toBe(0);
  const before = new Date();
  await refuseConnections();
  for (let i = 0; i < 3; i++) await attempt(app, `spool-a-${i}`);
  const after = new Date();
  expect(spooledRequestIds()).toEqual(["spool-a-0", "spool-a-1", "spool-a-2"]);
  expect(await spoolGauge(app)).toBe(3);

  await new Promise((resolve) => setTimeout(resolve, 20)); // so that "written later" is a later millisecond
  const reopened = new Date();
  await allowConnections();
  await waitUntil(async () => (await spoolGauge(app)) === 0, "the flush timer writes the spool");
  const written = await entriesOf("spool-a-");
  expect(written.map((e) => [e.request_id, e.operation, e.outcome, e.error_code])).toEqual([0, 1, 2].map((i) => [`spool-a-${i}`, "closeIncident", "REFUSED", "UNAUTHENTICATED"]));
  for (const entry of written) {
    expect(entry.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(entry.at.getTime()).toBeLessThanOrEqual(after.getTime());
    expect(entry.at.getTime()).toBeLessThan(reopened.getTime());
  }
  expect(spooledRequestIds()).toEqual([]);
});

it("writes what a stopped instance left in the spool when the next one starts, and never twice", async () => {
  await refuseConnections();
  for (let i = 0; i < 2; i++) await attempt(app, `spool-b-${i}`);
  await app.app.stop(); // the database is still away: the spool stays
  expect(spooledRequestIds()).toEqual(["spool-b-0", "spool-b-1"]);
  // What a crash between the INSERT and the spool's removal would leave behind.
  const leftOver = fs.readdirSync(spoolDirectory()).map((name) => [name, fs.readFileSync(path.join(spoolDirectory(), name))] as const);

  await allowConnections();
  await startAgain();
  expect((await entriesOf("spool-b-")).map((e) => e.request_id)).toEqual(["spool-b-0", "spool-b-1"]);
  expect(spooledRequestIds()).toEqual([]);

  for (const [name, content] of leftOver) fs.writeFileSync(path.join(spoolDirectory(), name), content);
  await app.app.stop();
  await startAgain();
  expect((await entriesOf("spool-b-")).map((e) => e.request_id)).toEqual(["spool-b-0", "spool-b-1"]);
  expect(spooledRequestIds()).toEqual([]);
});

it("takes over the spool of an instance that died, writes what the database takes and drops, counts and logs what it refuses", async () => {
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid!; // a pid that no longer runs
  const entry = (requestId: string, outcome: string) => ({
    actorKind: null, actorId: null, actorName: null, role: null, operation: "closeIncident", targetIds: [], inputSummary: {},
    outcome, errorCode: "UNAUTHENTICATED", message: "Sign in first", requestId, clientAddress: "127.0.0.1",
  });
  const line = (requestId: string, outcome = "REFUSED") => JSON.stringify({ at: "2026-07-14T02:15:00.123Z", entries: [entry(requestId, outcome)] });
  const crashed = `${os.hostname().replace(/[^A-Za-z0-9-]/g, "-")}_${dead}_0badc0de.jsonl`;
  await app.app.stop();
  fs.mkdirSync(spoolDirectory(), { recursive: true });
  fs.writeFileSync(path.join(spoolDirectory(), crashed), [line("spool-d-0"), line("spool-d-1", "NOT_AN_OUTCOME"), '{"at":"2026-07-14T02:15:0', line("spool-d-2"), ""].join("\n"));
  await startAgain();
  const written = await entriesOf("spool-d-");
  expect(written.map((e) => [e.request_id, e.at.toISOString()])).toEqual([
    ["spool-d-0", "2026-07-14T02:15:00.123Z"],
    ["spool-d-2", "2026-07-14T02:15:00.123Z"],
  ]);
  expect(await metricValue(app.url, "kaizhou_audit_entries_lost_total", { reason: "refused_by_database" })).toBe(1);
  expect(await metricValue(app.url, "kaizhou_audit_entries_lost_total", { reason: "unreadable" })).toBe(1);
  expect(fs.readdirSync(spoolDirectory())).toEqual([]);
});

it("holds no more than AUDIT_SPOOL_MAX_BYTES: later entries are dropped, counted and logged", async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = tempDir("kaizhou-audit-spool-bounded");
  await app.app.stop();
  await startAgain({ auditSpoolMaxBytes: 4096 });
  await refuseConnections();
  const attempts = 30;
  for (let i = 0; i < attempts; i++) await attempt(app, `spool-c-${String(i).padStart(2, "0")}`);
  const kept = spooledRequestIds();
  expect(kept.length).toBeGreaterThan(0);
  expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => `spool-c-${String(i).padStart(2, "0")}`)); // the oldest are kept
  const bytes = fs.readdirSync(spoolDirectory()).reduce((sum, name) => sum + fs.statSync(path.join(spoolDirectory(), name)).size, 0);
  expect(bytes).toBeLessThanOrEqual(4096);
  expect(await metricValue(app.url, "kaizhou_audit_entries_lost_total", { reason: "spool_full" })).toBe(attempts - kept.length);

  await allowConnections();
  await waitUntil(async () => (await spoolGauge(app)) === 0, "the flush timer writes the spool");
  expect((await entriesOf("spool-c-")).map((e) => e.request_id)).toEqual(kept);
});
