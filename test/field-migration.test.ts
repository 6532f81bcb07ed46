// The migration of issue 21 keeps the free-text filings made before call-ups: their text stays,
// and one naming an incident of its district by exact title is linked to it; reverting it restores
// the old shape with the filings intact.
import type { DataSource } from "typeorm";
import { createTestDatabase, openTestDataSource } from "./support/database";

/** Back to before the named migration, reverting those after it first. */
async function revertThrough(dataSource: DataSource, migration: string): Promise<void> {
  for (;;) {
    const [{ name }] = await dataSource.query(`SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`);
    await dataSource.undoLastMigration({ transaction: "each" });
    if (name === migration) return;
  }
}

it("migrates existing free-text filings with their text kept, linking those that name an incident exactly", async () => {
  const database = await createTestDatabase({ empty: true });
  const dataSource = await openTestDataSource(database.ownerUrl, 2);
  try {
    await dataSource.runMigrations({ transaction: "each" });
    await revertThrough(dataSource, "ForcesInTheField1765500000000");
    const applied = (await dataSource.query(`SELECT name FROM schema_migrations`)).map((row: { name: string }) => row.name);
    expect(applied).not.toContain("ForcesInTheField1765500000000");
    const [district] = await dataSource.query(`INSERT INTO region (code, name, level, kind, path, depth, latitude, longitude) VALUES ('KZ', '开州区', 'DISTRICT', 'DISTRICT', '/', 0, 31.16, 108.39) RETURNING id`);
    await dataSource.query(`UPDATE region SET path = '/' || id || '/' WHERE id = $1`, [district.id]);
    const [incident] = await dataSource.query(
      `INSERT INTO incident (code, title, hazard, level, district_id, occurred_at, opened_at) VALUES ('KZ-2026-0001', '雪宝山登山者坠崖', 'GEOLOGICAL', 'IV', $1, now() - interval '3 days', now() - interval '3 days') RETURNING id`,
      [district.id],
    );
    const [team] = await dataSource.query(`INSERT INTO rescue_team (code, name, kind, region_id, district_id, base_latitude, base_longitude) VALUES ('KZ-SR-09', '测试山地救援队', 'SOCIAL', $1, $1, 31.5, 108.6) RETURNING id`, [district.id]);
    const file = (text: string) =>
      dataSource.query(
        `INSERT INTO rescue_action_filing (team_id, district_id, region_id, started_at, location, incident, members_sent, outcome, filed_by) VALUES ($1, $2, $2, now() - interval '2 days', '雪宝山', $3, 6, '救出1人', '队长') RETURNING id`,
        [team.id, district.id, text],
      );
    const [matching] = await file("雪宝山登山者坠崖");
    const [free] = await file("游客溺水搜救");

    await dataSource.runMigrations({ transaction: "each" });
    const rows = await dataSource.query(`SELECT id, incident, outcome, incident_id, source, call_up_id FROM rescue_action_filing ORDER BY id`);
    expect(rows).toEqual([
      { id: matching.id, incident: "雪宝山登山者坠崖", outcome: "救出1人", incident_id: incident.id, source: "FREE_TEXT", call_up_id: null },
      { id: free.id, incident: "游客溺水搜救", outcome: "救出1人", incident_id: null, source: "FREE_TEXT", call_up_id: null },
    ]);
    await revertThrough(dataSource, "ForcesInTheField1765500000000");
    expect((await dataSource.query(`SELECT incident FROM rescue_action_filing ORDER BY id`)).map((r: any) => r.incident)).toEqual(["雪宝山登山者坠崖", "游客溺水搜救"]);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});
