// Reference numbers auditors read: dispatch orders (KZ-DO-2026-000001) and incidents
// (KZ-2026-0001) count per district and year in the district's time zone, one after the other,
// with no gap when a creation rolls back and no duplicate when creations race; the migration
// that brought the counters in starts them from the numbers already issued.
import { UserErrorsException, userError } from "../src/core/graphql/errors";
import { inTransaction } from "../src/core/db/transaction";
import { localToday } from "../src/core/db/local-date";
import { DocumentKind, takeDocumentCode } from "../src/modules/numbering/document-numbers";
import { startTestApp, type TestApp } from "./support/app";
import { createTestDatabase, openTestDataSource } from "./support/database";
import { gid, orderClient, seedIds, type SeedIds } from "./support/dispatch";

let t: TestApp;
let ids: SeedIds;
let logistics: string;
let commander: string;
let mutate: ReturnType<typeof orderClient>;
const year = Number(localToday().slice(0, 4));

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [logistics, commander] = await Promise.all([t.tokenFor("logistics"), t.tokenFor("commander")]);
  mutate = orderClient(t, "code");
});
afterAll(() => t.stop());

const numberOf = (code: string) => Number(code.slice(code.lastIndexOf("-") + 1));

/** A draft to a region with one unsourced line (a draft may wait for its sources). */
async function createOrder(regionCode = "KZ-S01", quantity = 5): Promise<{ code?: string; failed?: string }> {
  const result = await mutate("createDispatchOrder", { destination: { regionId: gid("Region", ids.region[regionCode]) }, lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity }] }, logistics);
  if (result.topErrors) return { failed: result.topErrors[0].message };
  expect(result.errors).toEqual([]);
  return { code: result.order.code };
}

async function order(regionCode?: string): Promise<string> {
  const { code, failed } = await createOrder(regionCode);
  expect(failed).toBeUndefined();
  return code!;
}

const OPEN_INCIDENT = `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { code } errors { field code message } } }`;

async function incident(occurredAt?: string, regionCode = "KZ-S01"): Promise<string> {
  const result = await t.graphql(OPEN_INCIDENT, { input: { title: "南河汛情", hazard: "FLOOD_DROUGHT", level: "IV", regionIds: [gid("Region", ids.region[regionCode])], occurredAt } }, { token: commander });
  expect(result.errors).toBeUndefined();
  expect(result.data.openIncident.errors).toEqual([]);
  return result.data.openIncident.incident.code;
}

describe("dispatch order codes", () => {
  it("run on one after the other, per district and year, starting at 000001", async () => {
    const codes = [await order(), await order(), await order()];
    expect(codes).toEqual([`KZ-DO-${year}-000001`, `KZ-DO-${year}-000002`, `KZ-DO-${year}-000003`]);
  });

  it("leave no gap when the creating transaction fails after taking its number", async () => {
    const before = numberOf(await order());
    // The line insert comes after the number is taken: make the database refuse it.
    await t.database.asOwner(`
      CREATE FUNCTION test_refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.quantity = 4321 THEN RAISE EXCEPTION 'test: line refused'; END IF; RETURN NEW; END $$`);
    await t.database.asOwner(`CREATE TRIGGER test_refuse_line BEFORE INSERT ON dispatch_order_line FOR EACH ROW EXECUTE FUNCTION test_refuse_line()`);
    try {
      const failed = await createOrder("KZ-S01", 4321);
      expect(failed.failed).toBeDefined();
    } finally {
      await t.database.asOwner(`DROP TRIGGER test_refuse_line ON dispatch_order_line; DROP FUNCTION test_refuse_line()`);
    }
    expect(numberOf(await order())).toBe(before + 1);
  });

  it("leave no gap when the work is refused with a UserError after the number was taken", async () => {
    const before = numberOf(await order());
    const district = ids.region["KZ"];
    let taken = "";
    await expect(
      inTransaction(t.app.dataSource, async ({ manager }) => {
        taken = await takeDocumentCode(manager, DocumentKind.DISPATCH_ORDER, district);
        userError("input.lines", "OUT_OF_RANGE", "dispatch.giveAtLeastOneLine");
      }),
    ).rejects.toBeInstanceOf(UserErrorsException);
    expect(numberOf(taken)).toBe(before + 1);
    expect(numberOf(await order())).toBe(before + 1);
  });

  it("give 20 creations at once 20 distinct consecutive numbers", async () => {
    const before = numberOf(await order());
    const results = await Promise.all(Array.from({ length: 20 }, () => createOrder()));
    expect(results.filter((r) => r.failed)).toEqual([]);
    const numbers = results.map((r) => numberOf(r.code!)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
  });

  it("start again at 000001 in a new year, whatever the last year reached", async () => {
    // A counter the way last year left it, and this year's as it stands.
    const district = ids.region["KZ"];
    await t.app.dataSource.query(`INSERT INTO document_counter (district_id, kind, year, last_number) VALUES ($1, 'DISPATCH_ORDER', $2, 4711)`, [district, year - 1]);
    const nextYear = await inTransaction(t.app.dataSource, ({ manager }) => takeDocumentCode(manager, DocumentKind.DISPATCH_ORDER, district, new Date(`${year + 1}-01-01T00:00:00+08:00`)));
    expect(nextYear).toBe(`KZ-DO-${year + 1}-000001`);
    const lastYear = await inTransaction(t.app.dataSource, ({ manager }) => takeDocumentCode(manager, DocumentKind.DISPATCH_ORDER, district, new Date(`${year - 1}-12-31T23:59:59+08:00`)));
    expect(lastYear).toBe(`KZ-DO-${year - 1}-004712`);
  });

  it("number each district on its own", async () => {
    const [{ id: other }] = await t.app.dataSource.query(
      `INSERT INTO region (code, name, level, kind, path, depth, latitude, longitude) VALUES ('YY', '云阳县', 'DISTRICT', 'DISTRICT', '/', 0, 30.93, 108.69) RETURNING id`,
    );
    await t.app.dataSource.query(`UPDATE region SET path = '/' || id || '/', district_id = id WHERE id = $1`, [other]);
    ids.region.YY = other;
    const kaizhou = numberOf(await order("KZ-S01"));
    expect(await order("YY")).toBe(`YY-DO-${year}-000001`);
    expect(await order("YY")).toBe(`YY-DO-${year}-000002`);
    expect(numberOf(await order("KZ-S01"))).toBe(kaizhou + 1);
  });
});

describe("incident codes", () => {
  it("count per district and year of occurrence in the district's time zone (UTC+8)", async () => {
    const first = await incident();
    expect(first).toMatch(new RegExp(`^KZ-${year}-\\d{4}$`));
    expect(await incident()).toBe(`KZ-${year}-${String(numberOf(first) + 1).padStart(4, "0")}`);
    // 23:30 on New Year's Eve in Kaizhou is still the old year; 00:30 (16:30 UTC the day before) is the new one.
    expect(await incident(`${year - 2}-12-31T23:30:00+08:00`)).toBe(`KZ-${year - 2}-0001`);
    expect(await incident(`${year - 2}-12-31T16:30:00Z`)).toBe(`KZ-${year - 1}-0001`);
    expect(await incident(`${year - 2}-12-31T15:30:00Z`)).toBe(`KZ-${year - 2}-0002`);
  });

  it("give 20 incidents opened at once 20 distinct consecutive numbers", async () => {
    const before = numberOf(await incident());
    const codes = await Promise.all(Array.from({ length: 20 }, () => incident()));
    expect(codes.map(numberOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
  });
});

it("the migration starts the counters from the numbers already issued", async () => {
  // An empty database, migrated: later migrations refuse to revert over seed rows of their own
  // (teams of the new kinds, FINANCE accounts, shelter stores), and the district is all this needs.
  const database = await createTestDatabase({ empty: true });
  const dataSource = await openTestDataSource(database.ownerUrl, 2); // migrations are the owner's
  try {
    await dataSource.runMigrations({ transaction: "each" });
    // Back to before the counters, with codes issued the old way (gaps and all) and a code of another shape.
    while ((await dataSource.query(`SELECT to_regclass('document_counter') AS counter`))[0].counter !== null) await dataSource.undoLastMigration({ transaction: "each" });
    const [{ id: district }] = await dataSource.query(
      `INSERT INTO region (code, name, level, kind, path, depth, latitude, longitude) VALUES ('KZ', '开州区', 'DISTRICT', 'DISTRICT', '/', 0, 31.16, 108.39) RETURNING id`,
    );
    await dataSource.query(`UPDATE region SET path = '/' || id || '/' WHERE id = $1`, [district]);
    const codes = ["KZ-DO-2025-000007", "KZ-DO-2025-000041", "KZ-DO-2026-000003", "TEST-1234-5678"];
    await dataSource.query(
      `INSERT INTO dispatch_order (code, district_id, status, priority, destination_kind, destination_region_id, destination_latitude, destination_longitude, created_by)
       SELECT issued.code, r.id, 'DRAFT', 'NORMAL', 'REGION', r.id, r.latitude, r.longitude, 'test' FROM region r, unnest($1::text[]) AS issued(code) WHERE r.id = $2`,
      [codes, district],
    );
    await dataSource.query(
      `INSERT INTO incident (code, title, hazard, level, status, district_id, occurred_at) SELECT code, 'test', 'OTHER', 'IV', 'OPEN', $2, now() FROM unnest($1::text[]) AS code`,
      [["KZ-2026-0001", "KZ-2026-0002"], district],
    );
    await dataSource.runMigrations({ transaction: "each" });
    expect(await dataSource.query(`SELECT kind, year, last_number FROM document_counter WHERE district_id = $1 ORDER BY kind, year`, [district])).toEqual([
      { kind: "DISPATCH_ORDER", year: 2025, last_number: 41 },
      { kind: "DISPATCH_ORDER", year: 2026, last_number: 3 },
      { kind: "INCIDENT", year: 2026, last_number: 2 },
    ]);
    expect(await inTransaction(dataSource, ({ manager }) => takeDocumentCode(manager, DocumentKind.DISPATCH_ORDER, district, new Date("2026-06-01T00:00:00+08:00")))).toBe("KZ-DO-2026-000004");
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});
