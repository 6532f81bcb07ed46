// The service connects as a role that owns nothing, so the append-only promise holds against the
// service itself: it cannot disable the audit log's or the ledger's triggers, empty or drop them,
// or change the schema — and what it must do still works. Start-up gives the grants from the
// schema itself, and says so (or refuses) when the service's connection could undo all that.
import crypto from "node:crypto";
import { startApp } from "../src/app";
import { loadConfig, type Config } from "../src/config";
import { connectionRole, schemaTables } from "../src/core/db/database-roles";
import { logger } from "../src/core/ops/logger";
import { startTestApp, type TestApp } from "./support/app";
import { clusterInfo } from "./support/cluster";
import { createTestDatabase, openTestDataSource } from "./support/database";
import { reserveLookups } from "./support/reserves";

const { serviceRole } = clusterInfo();
const APPEND_ONLY = ["audit_entry", "distribution", "distribution_line", "stock_movement"];
/** The append-only tables the next tests find rows in (the register's are empty in a fresh database; test/shelters.test.ts tries an UPDATE on it). */
const APPEND_ONLY_WRITTEN = ["audit_entry", "stock_movement"];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const PERMISSION_DENIED = { code: "42501" }; // insufficient_privilege: "permission denied", "must be owner"

async function countOf(table: string): Promise<number> {
  return (await t.database.asOwner<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
}

describe("the service's own role", () => {
  it("is the pool's: a role that is no superuser and owns neither the schema nor its tables", async () => {
    expect(await connectionRole(t.app.dataSource)).toEqual({ name: serviceRole });
    const [{ owners }] = await t.database.asOwner(`SELECT array_agg(DISTINCT pg_get_userbyid(relowner)) AS owners FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`);
    expect(owners).not.toContain(serviceRole);
  });

  // First: the rows it writes are what the next test tries to remove.
  it("still does everything the service does: a stock receipt writes its batch, its ledger row and its audit entry", async () => {
    const find = reserveLookups(t.app.dataSource);
    const logistics = await t.tokenFor("logistics"); // signing in is an audited mutation of its own
    const [movements, entries] = [await countOf("stock_movement"), await countOf("audit_entry")];
    const received = await t.graphql(
      `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { movement { quantity onHandAfter } errors { code } } }`,
      { input: { siteId: await find.site("KZ-DEPOT-01"), itemId: await find.item("饮用水"), batchNumber: "ROLES-1", quantity: 7, source: "PURCHASE", expiryDate: "2099-12-31" } },
      { token: logistics },
    );
    expect(received.data.receiveStock).toEqual({ movement: { quantity: 7, onHandAfter: 7 }, errors: [] });
    expect(await countOf("stock_movement")).toBe(movements + 1);
    expect(await countOf("audit_entry")).toBe(entries + 1);
    // An ordinary table takes UPDATE and DELETE.
    await t.app.dataSource.query(`UPDATE storage_site SET name = name WHERE code = 'KZ-DEPOT-01'`);
    await t.app.dataSource.query(`DELETE FROM login_failure WHERE false`);
  });
  it.each(APPEND_ONLY_WRITTEN)("cannot disable the triggers of %s, nor delete, truncate, update or drop it", async (table) => {
    const db = t.app.dataSource;
    const before = await countOf(table);
    expect(before).toBeGreaterThan(0);
    for (const statement of [
      `ALTER TABLE ${table} DISABLE TRIGGER ALL`,
      `DELETE FROM ${table}`,
      `TRUNCATE ${table}`,
      `UPDATE ${table} SET id = id`,
      `DROP TABLE ${table}`,
      `ALTER TABLE ${table} OWNER TO ${serviceRole}`,
    ]) {
      await expect(db.query(statement)).rejects.toMatchObject(PERMISSION_DENIED);
    }
    expect(await countOf(table)).toBe(before);
    const triggers = await t.database.asOwner(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`, [table]);
    expect(triggers).toHaveLength(2); // UPDATE or DELETE, and TRUNCATE
    expect(triggers.every((trigger) => trigger.tgenabled === "O")).toBe(true);
  });

  it("cannot create tables or functions in the schema", async () => {
    await expect(t.app.dataSource.query(`CREATE TABLE kz_intruder (id int)`)).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(t.app.dataSource.query(`CREATE FUNCTION kz_intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'`)).rejects.toMatchObject(PERMISSION_DENIED);
  });

});

describe("the grants start-up gives", () => {
  const privileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
  async function grantsOf(table: string): Promise<string[]> {
    const [row] = await t.database.asOwner(`SELECT ${privileges.map((p) => `has_table_privilege($1, $2::regclass, '${p}') AS "${p}"`).join(", ")}`, [serviceRole, table]);
    return privileges.filter((privilege) => row[privilege]);
  }

  it("cover every table of the schema: SELECT, INSERT, UPDATE, DELETE; the append-only ones SELECT and INSERT; the migrations SELECT", async () => {
    const owner = await openTestDataSource(t.database.ownerUrl, 1);
    const tables = await schemaTables(owner).finally(() => owner.destroy());
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((table) => table.access === "append-only").map((table) => table.name)).toEqual(APPEND_ONLY);
    for (const { name, access } of tables) {
      const expected = access === "ordinary" ? ["SELECT", "INSERT", "UPDATE", "DELETE"] : access === "append-only" ? ["SELECT", "INSERT"] : ["SELECT"];
      expect([name, await grantsOf(name)]).toEqual([name, expected]);
    }
    const sequences = await t.database.asOwner(`SELECT relname, has_sequence_privilege($1, oid, 'USAGE') AS usage, has_sequence_privilege($1, oid, 'UPDATE') AS setval FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace`, [serviceRole]);
    expect(sequences.length).toBeGreaterThan(10);
    expect(sequences.filter((sequence) => !sequence.usage || sequence.setval)).toEqual([]);
  });

  it("reach a table a later migration adds, append-only when its trigger follows the convention, at the next start-up", async () => {
    await t.database.asOwner(`CREATE TABLE kz_later (id serial PRIMARY KEY, note text)`);
    await t.database.asOwner(`CREATE TABLE kz_later_log (id serial PRIMARY KEY, note text)`);
    await t.database.asOwner(`CREATE FUNCTION kz_later_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'kz_later_log is append-only'; END $$`);
    await t.database.asOwner(`CREATE TRIGGER kz_later_log_no_update_delete BEFORE UPDATE OR DELETE ON kz_later_log FOR EACH ROW EXECUTE FUNCTION kz_later_log_append_only()`);
    try {
      expect(await grantsOf("kz_later")).toEqual([]);
      const next = await startTestApp({ databaseUrl: t.database.url, migrationDatabaseUrl: t.database.ownerUrl });
      await next.stop();
      expect(await grantsOf("kz_later")).toEqual(["SELECT", "INSERT", "UPDATE", "DELETE"]);
      expect(await grantsOf("kz_later_log")).toEqual(["SELECT", "INSERT"]);
      await t.app.dataSource.query(`INSERT INTO kz_later_log (note) VALUES ('a serial id: the sequence is usable')`);
      await expect(t.app.dataSource.query(`DELETE FROM kz_later_log`)).rejects.toMatchObject(PERMISSION_DENIED);
    } finally {
      await t.database.asOwner(`DROP TABLE kz_later, kz_later_log; DROP FUNCTION kz_later_log_append_only()`);
    }
  });
});

describe("start-up with DATABASE_URL alone", () => {
  function configFor(env: Record<string, string>, databaseUrl: string): Config {
    const config = loadConfig({ AUTH_SECRET: crypto.randomBytes(32).toString("hex"), ...env });
    return { ...config, databaseUrl, migrationDatabaseUrl: undefined, port: 0, host: "127.0.0.1", seedOnStart: false };
  }
  const OWNER_WARNING = /^DATABASE_URL connects as role "[^"]+", a superuser: the service itself could empty the audit log and the ledger/;

  it("as the owner or a superuser works, with a warning", async () => {
    const warn = jest.spyOn(logger, "warn");
    try {
      const app = await startApp(configFor({}, t.database.ownerUrl));
      await app.stop();
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ role: expect.any(String) }), expect.stringMatching(OWNER_WARNING));
    } finally {
      warn.mockRestore();
    }
  });

  it("as the owner or a superuser is refused in production, unless DATABASE_ALLOW_OWNER=true says so", async () => {
    await expect(startApp(configFor({ NODE_ENV: "production" }, t.database.ownerUrl))).rejects.toThrow(/^DATABASE_URL: connects as role "[^"]+", a superuser: .*MIGRATION_DATABASE_URL.*, or set DATABASE_ALLOW_OWNER=true/);
    const app = await startApp(configFor({ NODE_ENV: "production", DATABASE_ALLOW_OWNER: "true" }, t.database.ownerUrl));
    await app.stop();
  });

  it("as the service's role needs the schema migrated and granted by the owner first", async () => {
    const empty = await createTestDatabase({ empty: true });
    try {
      await expect(startApp(configFor({}, empty.url))).rejects.toThrow(/^DATABASE_URL: role "[^"]+" does not own the schema and cannot apply the \d+ pending migration\(s\) \(RegionTree\d+, .*set MIGRATION_DATABASE_URL/);
      const owner = await openTestDataSource(empty.ownerUrl, 2);
      await owner.runMigrations({ transaction: "each" }).finally(() => owner.destroy());
      await expect(startApp(configFor({}, empty.url))).rejects.toThrow(/^DATABASE_URL: role "[^"]+" has no grants on account, .*: start once with MIGRATION_DATABASE_URL/);
    } finally {
      await empty.drop();
    }
  });
});
