// Loads the region tree from seeds/data/regions.csv. Idempotent: rows are matched by code
// and existing ones are left as they are.
import path from "node:path";
import type { EntityManager } from "typeorm";
import { readCsv } from "./csv";

export async function seedRegions(manager: EntityManager): Promise<void> {
  const rows = readCsv(path.join(__dirname, "data", "regions.csv"));
  // Parents before children: the CSV lists a district, then each township and its villages.
  for (const level of ["DISTRICT", "TOWNSHIP", "VILLAGE"]) {
    const batch = rows.filter((row) => row.level === level);
    await manager.query(
      `INSERT INTO region (code, name, level, kind, parent_id, path, depth, latitude, longitude)
       SELECT input.code, input.name, input.level, input.kind, parent.id, '', $8, input.latitude, input.longitude
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[])
            WITH ORDINALITY AS input(code, name, level, kind, parent_code, latitude, longitude, position)
       LEFT JOIN region parent ON parent.code = input.parent_code
       ORDER BY input.position
       ON CONFLICT (code) DO NOTHING`,
      [
        batch.map((r) => r.code),
        batch.map((r) => r.name),
        batch.map((r) => r.level),
        batch.map((r) => r.kind),
        batch.map((r) => r.parent_code),
        batch.map((r) => Number(r.latitude)),
        batch.map((r) => Number(r.longitude)),
        level === "DISTRICT" ? 0 : level === "TOWNSHIP" ? 1 : 2,
      ],
    );
  }
  // Fill the materialised paths and owning districts of the rows just inserted.
  await manager.query(`
    WITH RECURSIVE tree AS (
      SELECT id, '/' || id || '/' AS path, id AS district_id FROM region WHERE parent_id IS NULL
      UNION ALL
      SELECT child.id, tree.path || child.id || '/', tree.district_id FROM region child JOIN tree ON child.parent_id = tree.id
    )
    UPDATE region SET path = tree.path, district_id = tree.district_id
    FROM tree WHERE region.id = tree.id AND region.path = ''`);
}
