// GENERATED DATA — not a survey. The 200 emergency shelters (避难场所) the district plan counts
// (plan line 29), five per township-level unit, each in one of its villages or communities,
// with a store of its own (storage site of tier SHELTER, empty); every row is marked
// `generated = true` so that the real registry replaces it. Kinds, capacities and facilities
// are drawn deterministically (seededRandom by code) around what such places hold: a middle
// school 300–1,200 people, a gymnasium 800–2,500, a square or park 1,000–5,000 in tents, a
// purpose-built shelter 500–1,500, a village centre 80–300 — 217,770 places in all, some
// nine times the 24,218 people moved to safety in the last plan period.
//
// Also the district's ration table (defaults from national practice, each with its source;
// staff change every figure with setRationLine), the two catalogue items it needs that the
// reserve catalogue lacks (infant formula, diapers), and the relief policy (24 h repeat
// period). Idempotent: ON CONFLICT DO NOTHING on stable codes.
import path from "node:path";
import type { EntityManager } from "typeorm";
import { readCsv } from "./csv";
import { between, integerBetween, pick, seededRandom } from "./random";
import { personName, phone } from "./reserves.seed";

const DATA = path.join(__dirname, "data");
export const SHELTERS_PER_TOWNSHIP = 5;

interface RegionRow {
  code: string;
  name: string;
  level: string;
  kind: string;
  parent_code: string;
  latitude: string;
  longitude: string;
}

type Kind = "SCHOOL" | "GYMNASIUM" | "SQUARE" | "PURPOSE_BUILT" | "COMMUNITY_CENTRE" | "PARK";

const KIND_SPEC: Record<Kind, { capacity: [number, number]; areaPerPerson: number; outdoor: boolean; hazards: string[]; label: string[] }> = {
  SCHOOL: { capacity: [300, 1200], areaPerPerson: 3, outdoor: false, hazards: ["FLOOD_DROUGHT", "GEOLOGICAL", "METEOROLOGICAL"], label: ["中学", "小学", "中心小学"] },
  GYMNASIUM: { capacity: [800, 2500], areaPerPerson: 2.5, outdoor: false, hazards: ["FLOOD_DROUGHT", "GEOLOGICAL", "EARTHQUAKE", "METEOROLOGICAL"], label: ["体育馆", "全民健身中心"] },
  SQUARE: { capacity: [1000, 5000], areaPerPerson: 0, outdoor: true, hazards: ["EARTHQUAKE", "GEOLOGICAL"], label: ["广场", "文化广场"] },
  PURPOSE_BUILT: { capacity: [500, 1500], areaPerPerson: 3, outdoor: false, hazards: ["FLOOD_DROUGHT", "GEOLOGICAL", "EARTHQUAKE", "METEOROLOGICAL", "FOREST_FIRE"], label: ["应急避难场所"] },
  COMMUNITY_CENTRE: { capacity: [80, 300], areaPerPerson: 3, outdoor: false, hazards: ["FLOOD_DROUGHT", "METEOROLOGICAL"], label: ["便民服务中心", "村民活动中心"] },
  PARK: { capacity: [1500, 5000], areaPerPerson: 0, outdoor: true, hazards: ["EARTHQUAKE"], label: ["公园", "滨湖公园"] },
};

/** Five places per township: a street has more of the big ones, a town its school, square and village centres. */
const STREET_KINDS: Kind[] = ["GYMNASIUM", "SCHOOL", "PARK", "PURPOSE_BUILT", "COMMUNITY_CENTRE"];
const TOWN_KINDS: Kind[] = ["SCHOOL", "PURPOSE_BUILT", "SQUARE", "COMMUNITY_CENTRE", "COMMUNITY_CENTRE"];

export interface ShelterSeed {
  code: string;
  name: string;
  villageCode: string;
  kind: Kind;
  hazards: string[];
  capacity: number;
  indoorArea: number;
  outdoor: boolean;
  facilities: [boolean, boolean, boolean, boolean, boolean];
  address: string;
  latitude: number;
  longitude: number;
  managerName: string;
  managerPhone: string;
}

export function shelterSeeds(regions: RegionRow[]): ShelterSeed[] {
  const district = regions.find((r) => r.level === "DISTRICT")!;
  const seeds: ShelterSeed[] = [];
  for (const township of regions.filter((r) => r.level === "TOWNSHIP")) {
    const villages = regions.filter((r) => r.level === "VILLAGE" && r.parent_code === township.code);
    const kinds = township.kind === "STREET" ? STREET_KINDS : TOWN_KINDS;
    kinds.forEach((kind, i) => {
      const code = `${township.code}-SH${String(i + 1).padStart(2, "0")}`;
      const random = seededRandom(`shelter:${code}`);
      const spec = KIND_SPEC[kind];
      const village = villages[Math.floor(random() * villages.length)];
      const capacity = Math.round(integerBetween(random, spec.capacity[0], spec.capacity[1]) / 10) * 10;
      const place = kind === "COMMUNITY_CENTRE" ? village.name : township.name.replace(/(街道|镇|乡)$/, "");
      seeds.push({
        code,
        name: `${place}${pick(random, spec.label)}避难场所`,
        villageCode: village.code,
        kind,
        hazards: spec.hazards,
        capacity,
        indoorArea: Math.round(capacity * spec.areaPerPerson),
        outdoor: spec.outdoor,
        facilities: [random() < 0.9, random() < (spec.outdoor ? 0.5 : 0.9), random() < 0.95, random() < (kind === "COMMUNITY_CENTRE" ? 0.3 : 0.7), random() < 0.6],
        address: `${district.name}${township.name}${village.name}`,
        latitude: Number((Number(village.latitude) + between(random, -0.003, 0.003)).toFixed(6)),
        longitude: Number((Number(village.longitude) + between(random, -0.003, 0.003)).toFixed(6)),
        managerName: personName(random),
        managerPhone: phone(random),
      });
    });
  }
  return seeds;
}

const RATION_SOURCE = {
  water: "Sphere 手册（2018）供水标准 2.1：每人每天至少 15 L，其中饮用 2.5–3 L；按 3 L 计，550 ml×24 瓶/箱 = 13.2 L/箱",
  food: "《国家自然灾害救助应急预案》“有饭吃”：应急期每人每天 3 餐方便食品；12 桶/箱，每人每天 3 桶",
  quilt: "《国家自然灾害救助应急预案》“有衣被”；民政部救灾物资发放惯例：每人 1 床棉被",
  tent: "民政部救灾帐篷（12 m²）按户配发，每户约 4 人：每人 0.25 顶；仅室外安置",
  formula: "婴幼儿每天约 150 g 配方奶粉，900 g/罐：每人每天约 0.17 罐",
  diapers: "婴幼儿每天约 6 片纸尿裤，50 片/包：每人每天约 0.12 包",
  hygiene: "救灾物资发放惯例：每人 1 套洗漱包",
  medicine: "“有病能及时医治”：每 50 人配 1 个急救箱（含常用药品）",
};

/** Ration defaults: code, item, group, basis, units per person, outdoor only, source. */
export const RATION_DEFAULTS: Array<[string, string, string, string, number, boolean, string]> = [
  ["DRINKING_WATER", "1030101", "EVERYONE", "PER_DAY", 0.23, false, RATION_SOURCE.water],
  ["READY_FOOD", "1030201", "EVERYONE", "PER_DAY", 0.25, false, RATION_SOURCE.food],
  ["QUILT", "1020101", "EVERYONE", "PER_STAY", 1, false, RATION_SOURCE.quilt],
  ["TENT", "1010101", "EVERYONE", "PER_STAY", 0.25, true, RATION_SOURCE.tent],
  ["INFANT_FORMULA", "1030301", "INFANTS", "PER_DAY", 0.17, false, RATION_SOURCE.formula],
  ["DIAPERS", "1040501", "INFANTS", "PER_DAY", 0.12, false, RATION_SOURCE.diapers],
  ["HYGIENE_KIT", "1040201", "EVERYONE", "PER_STAY", 1, false, RATION_SOURCE.hygiene],
  ["MEDICINE", "2080101", "EVERYONE", "PER_STAY", 0.02, false, RATION_SOURCE.medicine],
];

export async function seedShelters(manager: EntityManager): Promise<void> {
  const regions = readCsv(path.join(DATA, "regions.csv")) as unknown as RegionRow[];
  const shelters = shelterSeeds(regions);
  const [codes, names, villages, addresses] = (["code", "name", "villageCode", "address"] as const).map((key) => shelters.map((s) => s[key]));
  const [latitudes, longitudes] = [shelters.map((s) => s.latitude), shelters.map((s) => s.longitude)];
  const [managers, phones] = [shelters.map((s) => s.managerName), shelters.map((s) => s.managerPhone)];

  // The shelters' stores: one site of tier SHELTER each, empty.
  await manager.query(
    `INSERT INTO storage_site (code, name, tier, status, region_id, district_id, address, latitude, longitude, floor_area, custodian_name, custodian_phone)
     SELECT input.code || '-K', input.name || '物资库房', 'SHELTER', 'ACTIVE', region.id, region.district_id, input.address, input.latitude, input.longitude, 20,
            input.manager_name, input.manager_phone
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[]) WITH ORDINALITY
          AS input(code, name, village_code, address, latitude, longitude, manager_name, manager_phone, position)
     JOIN region ON region.code = input.village_code
     ORDER BY input.position
     ON CONFLICT (code) DO NOTHING`,
    [codes, names, villages, addresses, latitudes, longitudes, managers, phones],
  );
  await manager.query(
    `INSERT INTO shelter (code, name, district_id, township_id, region_id, site_id, kind, hazards, capacity, indoor_area, outdoor,
                          has_water, has_power, has_toilets, has_medical_point, accessible, address, latitude, longitude,
                          manager_name, manager_phone, status, generated)
     SELECT input.code, input.name, region.district_id, region.parent_id, region.id, site.id, input.kind, string_to_array(input.hazards, ','),
            input.capacity, input.indoor_area, input.outdoor, input.water, input.power, input.toilets, input.medical, input.accessible,
            input.address, input.latitude, input.longitude, input.manager_name, input.manager_phone, 'STANDBY', true
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::bool[], $9::bool[], $10::bool[], $11::bool[], $12::bool[],
                 $13::bool[], $14::text[], $15::float8[], $16::float8[], $17::text[], $18::text[]) WITH ORDINALITY
          AS input(code, name, village_code, kind, hazards, capacity, indoor_area, outdoor, water, power, toilets, medical, accessible,
                   address, latitude, longitude, manager_name, manager_phone, position)
     JOIN region ON region.code = input.village_code
     JOIN storage_site site ON site.code = input.code || '-K'
     ORDER BY input.position
     ON CONFLICT (code) DO NOTHING`,
    [
      codes,
      names,
      villages,
      shelters.map((s) => s.kind),
      shelters.map((s) => s.hazards.join(",")),
      shelters.map((s) => s.capacity),
      shelters.map((s) => s.indoorArea),
      shelters.map((s) => s.outdoor),
      shelters.map((s) => s.facilities[0]),
      shelters.map((s) => s.facilities[1]),
      shelters.map((s) => s.facilities[2]),
      shelters.map((s) => s.facilities[3]),
      shelters.map((s) => s.facilities[4]),
      addresses,
      latitudes,
      longitudes,
      managers,
      phones,
    ],
  );

  // Two items the ration table needs and the reserve catalogue lacks (no stock seeded).
  await manager.query(
    `INSERT INTO supply_item (code, name, specification, unit, reusable, tracks_expiry, shelf_life_days, hazards)
     VALUES ('1030301', '婴幼儿配方奶粉', '900 g/罐', '罐', false, true, 540, ARRAY['FLOOD_DROUGHT', 'GEOLOGICAL', 'EARTHQUAKE', 'METEOROLOGICAL']::text[]),
            ('1040501', '纸尿裤', '婴幼儿 50 片/包', '包', false, false, NULL, ARRAY['FLOOD_DROUGHT', 'GEOLOGICAL', 'EARTHQUAKE', 'METEOROLOGICAL']::text[])
     ON CONFLICT (code) DO NOTHING`,
  );
  await manager.query(
    `INSERT INTO ration_line (district_id, code, item_id, population_group, basis, quantity_per_person, outdoor_only, source, updated_by)
     SELECT d.id, input.code, item.id, input.population_group, input.basis, input.quantity, input.outdoor_only, input.source, '系统默认'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bool[], $7::text[])
          AS input(code, item_code, population_group, basis, quantity, outdoor_only, source)
     JOIN supply_item item ON item.code = input.item_code
     CROSS JOIN (SELECT id FROM region WHERE level = 'DISTRICT') d
     ON CONFLICT (district_id, code) DO NOTHING`,
    [0, 1, 2, 3, 4, 5, 6].map((column) => RATION_DEFAULTS.map((row) => row[column])),
  );
  await manager.query(
    `INSERT INTO relief_policy (district_id, repeat_window_hours, updated_by) SELECT id, 24, '系统默认' FROM region WHERE level = 'DISTRICT' ON CONFLICT (district_id) DO NOTHING`,
  );
}
