// The travel-time table (通行时间表) of each district: a place for every township-level unit
// (at its centre) and for the district depot; a DERIVED road link between neighbouring places
// (derived-times.ts: the Gabriel graph, straight line × 1.4 at 40 km/h); and, outside
// production, a few water links across 汉丰湖 and along 澎溪河 (seeds/data/water-links.csv).
// The water links are illustrative: the lakeside streets of the new town and the river's way
// down to 渠口镇 are where boats would run, but no one has surveyed them, so they are DERIVED
// (straight line × 1.2 at 20 km/h plus 15 minutes' loading) with a note saying so, and not
// loaded into a production database, where a boat route nobody runs would mislead the planner.
// Deterministic and idempotent: places by region or site, links by their two ends and mode,
// ON CONFLICT DO NOTHING, so what staff have entered is never overwritten.
import path from "node:path";
import type { EntityManager } from "typeorm";
import { derivedMinutes, distanceKm, neighbouringPairs } from "../src/modules/routes/derived-times";
import { TravelMode } from "../src/modules/routes/routes.enums";
import { readCsv } from "./csv";

const WATER_LINK_NOTE = "示意数据：按直线距离估算的水路，未经海事、水利部门核实；核实后请录入实测时间 (illustrative, not surveyed)";
const SEED_AUTHOR = "系统估算";

interface PlaceRow {
  id: number;
  district_id: number;
  code: string;
  latitude: number;
  longitude: number;
}

export async function seedRoutes(manager: EntityManager, options: { waterLinks: boolean }): Promise<void> {
  await manager.query(
    `INSERT INTO route_node (district_id, region_id)
     SELECT r.district_id, r.id FROM region r WHERE r.level = 'TOWNSHIP' ORDER BY r.id
     ON CONFLICT (region_id) DO NOTHING`,
  );
  await manager.query(
    `INSERT INTO route_node (district_id, site_id)
     SELECT s.district_id, s.id FROM storage_site s WHERE s.tier = 'DISTRICT_DEPOT' AND s.status <> 'CLOSED' ORDER BY s.id
     ON CONFLICT (site_id) DO NOTHING`,
  );
  const places: PlaceRow[] = await manager.query(
    `SELECT n.id, n.district_id, coalesce(r.code, s.code) AS code, coalesce(r.latitude, s.latitude) AS latitude, coalesce(r.longitude, s.longitude) AS longitude
     FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id
     ORDER BY n.id`,
  );
  const byId = new Map(places.map((p) => [p.id, p]));
  const byCode = new Map(places.map((p) => [p.code, p]));
  const links: Array<{ from: PlaceRow; to: PlaceRow; mode: TravelMode; waterway: string | null; note: string | null }> = [];
  for (const districtId of [...new Set(places.map((p) => p.district_id))]) {
    const inDistrict = places.filter((p) => p.district_id === districtId);
    for (const [a, b] of neighbouringPairs(inDistrict)) links.push({ from: byId.get(a)!, to: byId.get(b)!, mode: TravelMode.ROAD, waterway: null, note: null });
  }
  if (options.waterLinks) {
    for (const row of readCsv(path.join(__dirname, "data", "water-links.csv"))) {
      const [from, to] = [byCode.get(row.from_code), byCode.get(row.to_code)];
      if (!from || !to) continue; // a district without these townships
      links.push({ ...(from.id < to.id ? { from, to } : { from: to, to: from }), mode: TravelMode.WATER, waterway: row.waterway, note: WATER_LINK_NOTE });
    }
  }
  const km = links.map((link) => distanceKm(link.from, link.to));
  await manager.query(
    `INSERT INTO travel_link (district_id, from_node_id, to_node_id, mode, minutes, basis, distance_km, waterway, note, updated_by)
     SELECT input.district_id, input.from_id, input.to_id, input.mode, input.minutes, 'DERIVED', input.km, input.waterway, input.note, $10
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::int[], $6::float8[], $7::text[], $8::text[], $9::int[])
          AS input(district_id, from_id, to_id, mode, minutes, km, waterway, note, position)
     ORDER BY input.position
     ON CONFLICT (from_node_id, to_node_id, mode) DO NOTHING`,
    [
      links.map((link) => link.from.district_id),
      links.map((link) => link.from.id),
      links.map((link) => link.to.id),
      links.map((link) => link.mode),
      links.map((link, i) => derivedMinutes(km[i], link.mode)),
      km.map((value) => Math.round(value * 10) / 10),
      links.map((link) => link.waterway),
      links.map((link) => link.note),
      links.map((_, i) => i),
      SEED_AUTHOR,
    ],
  );
}
