// core/db/prepared.ts: several values as one scalar parameter each (so PostgreSQL keeps the plan),
// and as arrays past SCALAR_VALUES; the same rows either way, on real PostgreSQL.
import { inList, SCALAR_VALUES, valuesRows } from "../src/core/db/prepared";
import { inTransaction } from "../src/core/db/transaction";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

it("writes one scalar parameter per value, numbered from where the statement is", () => {
  expect(inList("b.id", [7], "int")).toEqual(["b.id = $1::int", [7]]);
  expect(inList("b.id", [7, 8, 9], "int", 3)).toEqual(["b.id IN ($3::int, $4::int, $5::int)", [7, 8, 9]]);
  expect(inList("b.id", [], "int")).toEqual(["false", []]);
  expect(valuesRows([[1, "a"], [2, "b"]], ["int", "text"], 2)).toEqual(["(VALUES ($2::int, $3::text), ($4::int, $5::text))", [1, "a", 2, "b"]]);
  expect(() => valuesRows([[1]], ["int", "text"])).toThrow("a row of 1 values for 2 columns");
});

it("passes arrays past SCALAR_VALUES values", () => {
  const many = Array.from({ length: SCALAR_VALUES + 1 }, (_, i) => i);
  expect(inList("b.id", many, "int")).toEqual(["b.id = ANY($1::int[])", [many]]);
  const [values, params] = valuesRows(many.map((i) => [i, `n${i}`]), ["int", "text"]);
  expect(values).toBe("(SELECT * FROM unnest($1::int[], $2::text[]))");
  expect(params).toEqual([many, many.map((i) => `n${i}`)]);
});

it("locks the same batches by id, by key and by both, below and above SCALAR_VALUES", async () => {
  const batches: Array<{ id: number; site_id: number; item_id: number; batch_number: string }> = await t.app.dataSource.query(
    `SELECT id, site_id, item_id, batch_number FROM stock_batch ORDER BY id LIMIT $1`,
    [SCALAR_VALUES * 2 + 10],
  );
  expect(batches.length).toBeGreaterThan(SCALAR_VALUES * 2);
  const key = (b: (typeof batches)[number]) => ({ siteId: b.site_id, itemId: b.item_id, batchNumber: b.batch_number });
  for (const count of [1, 2, 3, SCALAR_VALUES, SCALAR_VALUES + 1, batches.length]) {
    const chosen = batches.slice(0, count);
    const expected = chosen.map((b) => b.id).sort((a, b) => a - b);
    await inTransaction(t.app.dataSource, async (tx) => {
      const byId = await t.app.services.stock.lockBatches(tx.manager, chosen.map((b) => b.id));
      const byKey = await t.app.services.stock.lockBatches(tx.manager, [], chosen.map(key));
      const half = Math.ceil(count / 2);
      const both = await t.app.services.stock.lockBatches(tx.manager, chosen.slice(0, half).map((b) => b.id), chosen.slice(half).map(key));
      for (const locked of [byId, byKey, both]) expect([...locked.byId.keys()].sort((a, b) => a - b)).toEqual(expected);
    });
    const read = await t.app.services.stock.queries.batchesByIds(chosen.map((b) => b.id));
    expect(read.map((b) => b?.id)).toEqual(chosen.map((b) => b.id));
  }
});

it("reads the same levels for events below and above SCALAR_VALUES", async () => {
  const levels: Array<{ site_id: number; item_id: number }> = await t.app.dataSource.query(`SELECT site_id, item_id FROM stock_level ORDER BY site_id, item_id LIMIT $1`, [SCALAR_VALUES + 20]);
  for (const count of [1, 2, SCALAR_VALUES + 20]) {
    const keys = levels.slice(0, count).map((l) => ({ siteId: l.site_id, itemId: l.item_id }));
    const read = await t.app.services.stock.queries.levelsForEvents(keys, t.app.dataSource);
    expect(read.map(({ level }) => ({ siteId: level.siteId, itemId: level.itemId }))).toEqual(keys);
  }
});
