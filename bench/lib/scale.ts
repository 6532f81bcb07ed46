// Growth data for S5: the seeded Kaizhou district copied `scale − 1` times, as if a city ran
// many districts in one database (ARCHITECTURE.md, "Growing past one machine"). Each copy is a
// new district root with its own 40 township-level units, 535 villages, 576 storage sites and
// their stock levels, batches and opening-balance ledger rows; the supply catalogue is shared.
//
// Set-based: one INSERT … SELECT per table over generate_series(1, scale − 1). Copy n of a row
// gets id + n × offset, where the offset is the next power of ten above the table's largest
// id, so every reference (parent, district, site, batch) maps with the same arithmetic and the
// region paths (/district/township/village/) are rewritten id by id. Coordinates are shifted a
// little per copy so the districts do not sit on top of each other. Foreign keys are not
// re-checked row by row (session_replication_role = replica skips their triggers): the copies
// are consistent by construction, and a count check at the end says so.
import type { Client } from "pg";

async function offsetFor(client: Client, table: string): Promise<number> {
  const { rows } = await client.query(`SELECT coalesce(max(id), 0)::bigint AS max FROM ${table}`);
  return 10 ** String(Number(rows[0].max) + 1).length;
}

export async function multiplyDistrict(client: Client, scale: number): Promise<void> {
  if (scale < 2) return;
  const copies = scale - 1;
  const [{ district }] = (await client.query(`SELECT id AS district FROM region WHERE code = 'KZ'`)).rows;
  const r = await offsetFor(client, "region");
  const s = await offsetFor(client, "storage_site");
  const l = await offsetFor(client, "stock_level");
  const b = await offsetFor(client, "stock_batch");
  const m = await offsetFor(client, "stock_movement");
  const series = `generate_series(1, ${copies}) AS n`;

  await client.query("BEGIN");
  await client.query("SET LOCAL session_replication_role = replica");
  await client.query(
    `INSERT INTO region (id, code, name, level, kind, parent_id, district_id, path, depth, latitude, longitude)
     SELECT x.id + n * ${r}, x.code || '-C' || lpad((n + 1)::text, 3, '0'),
            CASE WHEN x.level = 'DISTRICT' THEN '模拟区' || (n + 1) ELSE x.name END,
            x.level, x.kind, x.parent_id + n * ${r}, x.district_id + n * ${r},
            '/' || (SELECT string_agg((part::int + n * ${r})::text, '/' ORDER BY position)
                    FROM unnest(string_to_array(trim(both '/' from x.path), '/')) WITH ORDINALITY AS p(part, position)) || '/',
            x.depth, x.latitude - (n % 10) * 0.5, x.longitude + (n / 10) * 0.5
     FROM region x CROSS JOIN ${series}
     WHERE x.district_id = $1
     ORDER BY n, x.id`,
    [district],
  );
  await client.query(
    `INSERT INTO storage_site (id, code, name, tier, status, region_id, district_id, address, latitude, longitude, floor_area, custodian_name, custodian_phone)
     SELECT x.id + n * ${s}, x.code || '-C' || lpad((n + 1)::text, 3, '0'), x.name, x.tier, x.status, x.region_id + n * ${r}, x.district_id + n * ${r},
            x.address, x.latitude - (n % 10) * 0.5, x.longitude + (n / 10) * 0.5, x.floor_area, x.custodian_name, x.custodian_phone
     FROM storage_site x CROSS JOIN ${series}
     WHERE x.district_id = $1
     ORDER BY n, x.id`,
    [district],
  );
  await client.query(
    `INSERT INTO stock_level (id, district_id, site_id, item_id, minimum_quantity)
     SELECT x.id + n * ${l}, x.district_id + n * ${r}, x.site_id + n * ${s}, x.item_id, x.minimum_quantity
     FROM stock_level x CROSS JOIN ${series}
     WHERE x.district_id = $1
     ORDER BY n, x.id`,
    [district],
  );
  await client.query(
    `INSERT INTO stock_batch (id, district_id, site_id, item_id, batch_number, production_date, expiry_date, reserve_mode, on_hand, reserved)
     SELECT x.id + n * ${b}, x.district_id + n * ${r}, x.site_id + n * ${s}, x.item_id, x.batch_number, x.production_date, x.expiry_date,
            x.reserve_mode, x.on_hand, x.reserved
     FROM stock_batch x CROSS JOIN ${series}
     WHERE x.district_id = $1
     ORDER BY n, x.id`,
    [district],
  );
  await client.query(
    `INSERT INTO stock_movement (id, district_id, batch_id, site_id, item_id, kind, quantity, on_hand_after, reason, approved_by,
                                 counterpart_site_id, dispatch_order_id, operation_id, note, recorded_by_id, recorded_by, occurred_at)
     SELECT x.id + n * ${m}, x.district_id + n * ${r}, x.batch_id + n * ${b}, x.site_id + n * ${s}, x.item_id, x.kind, x.quantity, x.on_hand_after,
            x.reason, x.approved_by, x.counterpart_site_id + n * ${s}, NULL, x.operation_id, x.note, NULL, x.recorded_by, x.occurred_at
     FROM stock_movement x CROSS JOIN ${series}
     WHERE x.district_id = $1
     ORDER BY n, x.id`,
    [district],
  );
  for (const table of ["region", "storage_site", "stock_level", "stock_batch", "stock_movement"]) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  // Consistent by construction; proven here, since the foreign-key triggers were skipped.
  const { rows } = await client.query(`SELECT
      (SELECT count(*) FROM storage_site s LEFT JOIN region x ON x.id = s.region_id WHERE x.id IS NULL OR x.district_id <> s.district_id)::int AS bad_sites,
      (SELECT count(*) FROM stock_batch t LEFT JOIN stock_level x ON x.site_id = t.site_id AND x.item_id = t.item_id WHERE x.id IS NULL)::int AS bad_batches,
      (SELECT count(*) FROM stock_movement t LEFT JOIN stock_batch x ON x.id = t.batch_id WHERE x.id IS NULL OR x.site_id <> t.site_id)::int AS bad_movements,
      (SELECT count(*) FROM region x LEFT JOIN region p ON p.id = x.parent_id WHERE x.parent_id IS NOT NULL AND (p.id IS NULL OR x.path <> p.path || x.id || '/'))::int AS bad_regions`);
  const bad = Object.entries(rows[0]).filter(([, count]) => count !== 0);
  if (bad.length) {
    await client.query("ROLLBACK");
    throw new Error(`the ${scale}× copy is inconsistent: ${JSON.stringify(rows[0])}`);
  }
  await client.query("COMMIT");
}
