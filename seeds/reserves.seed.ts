// The three-tier reserve of Kaizhou: one district depot, a storage point for each of the 40
// township-level units, a storage room for each of the 535 villages and communities; the
// supply catalogue (seeds/data/supply-items.csv); believable stock with minimums, some of it
// below minimum and some batches close to or past expiry; partner enterprises.
//
// Deterministic (seededRandom by code) and idempotent (ON CONFLICT DO NOTHING on stable codes;
// opening-balance ledger rows are written only for batches inserted by this run). Set-based:
// one INSERT … SELECT FROM unnest(…) per table, so it stays fast in every test run's template.
import path from "node:path";
import type { EntityManager } from "typeorm";
import { addDays, localToday } from "../src/core/db/local-date";
import { readCsv } from "./csv";
import { between, integerBetween, pick, seededRandom } from "./random";

const DATA = path.join(__dirname, "data");

/** The opening balance (期初库存) is one operation: all its ledger rows share this id. */
export const OPENING_BALANCE_OPERATION_ID = "00000000-0000-4000-8000-00000000a001";
export const DEPOT_CODE = "KZ-DEPOT-01";

const SURNAMES = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊秦邱江尹薛段雷侯龙陶黎贺顾毛向汤冉"];
const GIVEN = [..."建国明华强军平伟红英芳丽敏静勇刚林海波燕志文兵春秀德福成荣辉霞玉兰桂云洪涛斌超杰鹏飞亮磊琴梅莉娟萍"];
const PHONE_PREFIXES = ["135", "136", "138", "139", "150", "151", "152", "158", "159", "177", "180", "183", "189"];

export function personName(random: () => number): string {
  return pick(random, SURNAMES) + pick(random, GIVEN) + (random() < 0.6 ? pick(random, GIVEN) : "");
}

export function phone(random: () => number): string {
  return pick(random, PHONE_PREFIXES) + String(integerBetween(random, 0, 99_999_999)).padStart(8, "0");
}

interface RegionRow {
  code: string;
  name: string;
  level: string;
  kind: string;
  parent_code: string;
  latitude: string;
  longitude: string;
}

interface SiteSeed {
  code: string;
  name: string;
  tier: "DISTRICT_DEPOT" | "TOWNSHIP_POINT" | "VILLAGE_ROOM";
  status: string;
  regionCode: string;
  address: string;
  latitude: number;
  longitude: number;
  floorArea: number;
  custodianName: string;
  custodianPhone: string;
}

function siteSeeds(regions: RegionRow[]): SiteSeed[] {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const near = (random: () => number, region: RegionRow, spread: number) => ({
    latitude: Number((Number(region.latitude) + between(random, -spread, spread)).toFixed(6)),
    longitude: Number((Number(region.longitude) + between(random, -spread, spread)).toFixed(6)),
  });
  const sites: SiteSeed[] = [];
  const district = regions.find((r) => r.level === "DISTRICT")!;
  {
    const random = seededRandom(`site:${DEPOT_CODE}`);
    sites.push({
      code: DEPOT_CODE,
      name: `${district.name}应急物资储备库`,
      tier: "DISTRICT_DEPOT",
      status: "ACTIVE",
      regionCode: district.code,
      address: `${district.name}赵家街道安康路 168 号（应急物资储备库，占地 10 亩）`,
      ...near(random, byCode.get("KZ-S07") ?? district, 0.004),
      floorArea: 5600,
      custodianName: personName(random),
      custodianPhone: phone(random),
    });
  }
  // Parents first, each followed by its villages, so site ids follow the tree.
  for (const township of regions.filter((r) => r.level === "TOWNSHIP")) {
    const random = seededRandom(`site:${township.code}-P`);
    sites.push({
      code: `${township.code}-P`,
      name: `${township.name}应急物资储备点`,
      tier: "TOWNSHIP_POINT",
      status: "ACTIVE",
      regionCode: township.code,
      address: `${district.name}${township.name}便民服务中心院内`,
      ...near(random, township, 0.003),
      floorArea: integerBetween(random, township.kind === "STREET" ? 300 : 150, township.kind === "STREET" ? 600 : 400),
      custodianName: personName(random),
      custodianPhone: phone(random),
    });
    for (const village of regions.filter((r) => r.level === "VILLAGE" && r.parent_code === township.code)) {
      const villageRandom = seededRandom(`site:${village.code}-R`);
      sites.push({
        code: `${village.code}-R`,
        name: `${village.name}应急物资储存室`,
        tier: "VILLAGE_ROOM",
        status: villageRandom() < 0.02 ? "MAINTENANCE" : "ACTIVE",
        regionCode: village.code,
        address: `${township.name}${village.name}${village.kind === "COMMUNITY" ? "居民委员会" : "村民委员会"}`,
        ...near(villageRandom, village, 0.002),
        floorArea: integerBetween(villageRandom, 15, 60),
        custodianName: personName(villageRandom),
        custodianPhone: phone(villageRandom),
      });
    }
  }
  return sites;
}

interface ItemRow {
  code: string;
  name: string;
  specification: string;
  unit: string;
  reusable: string;
  tracks_expiry: string;
  shelf_life_days: string;
  hazards: string;
  depot: string;
  point: string;
  room: string;
  point_share: string;
  room_share: string;
  depot_min: string;
  point_min: string;
  room_min: string;
}

interface LevelSeed {
  siteCode: string;
  itemCode: string;
  minimum: number;
}

interface BatchSeed {
  siteCode: string;
  itemCode: string;
  batchNumber: string;
  productionDate: string;
  expiryDate: string | null;
  reserveMode: string;
  quantity: number;
}

/** Splits a total into `parts` positive whole numbers (fewer when the total is smaller). */
function split(random: () => number, total: number, parts: number): number[] {
  const count = Math.max(1, Math.min(parts, total));
  if (count === 1) return [total];
  const weights = Array.from({ length: count }, () => 0.3 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  shares[0] += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

function stockSeeds(sites: SiteSeed[], items: ItemRow[], today: string): { levels: LevelSeed[]; batches: BatchSeed[] } {
  const levels: LevelSeed[] = [];
  const batches: BatchSeed[] = [];
  for (const site of sites) {
    for (const item of items) {
      const random = seededRandom(`stock:${site.code}:${item.code}`);
      const [base, share, minimum, batchCount] =
        site.tier === "DISTRICT_DEPOT"
          ? [Number(item.depot), 1, Number(item.depot_min), item.tracks_expiry === "true" ? 3 : 2]
          : site.tier === "TOWNSHIP_POINT"
            ? [Number(item.point), Number(item.point_share), Number(item.point_min), item.tracks_expiry === "true" ? 2 : 1]
            : [Number(item.room), Number(item.room_share), Number(item.room_min), 1];
      if (base <= 0 || random() >= share) continue;
      levels.push({ siteCode: site.code, itemCode: item.code, minimum });
      // About one level in twenty has run below its minimum (some down to nothing).
      const total = minimum > 0 && random() < 0.05 ? Math.floor(minimum * between(random, 0, 0.9)) : Math.max(1, Math.round(base * between(random, 0.9, 1.6)));
      if (total === 0) continue;
      const shelfLife = Number(item.shelf_life_days) || 0;
      split(random, total, batchCount).forEach((quantity, n) => {
        let productionDate: string;
        let expiryDate: string | null = null;
        if (item.tracks_expiry === "true") {
          const roll = random();
          // Mostly fresh; some batches expire within 90 days (临期), a few already have (过期).
          const remaining =
            roll < 0.015 ? -integerBetween(random, 1, 40) : roll < 0.085 ? integerBetween(random, 3, 88) : integerBetween(random, 100, Math.max(101, Math.floor(shelfLife * 0.95)));
          expiryDate = addDays(today, remaining);
          productionDate = addDays(expiryDate, -shelfLife);
        } else {
          productionDate = addDays(today, -integerBetween(random, 60, 1500));
        }
        batches.push({
          siteCode: site.code,
          itemCode: item.code,
          batchNumber: `${item.code}-${String(integerBetween(random, 1000, 9999))}${n + 1}`,
          productionDate,
          expiryDate,
          reserveMode: site.tier === "DISTRICT_DEPOT" && random() < 0.15 ? "ENTERPRISE_AGREEMENT" : "GOVERNMENT",
          quantity,
        });
      });
    }
  }
  return { levels, batches };
}

export async function seedReserves(manager: EntityManager): Promise<void> {
  const regions = readCsv(path.join(DATA, "regions.csv")) as unknown as RegionRow[];
  const items = readCsv(path.join(DATA, "supply-items.csv")) as unknown as ItemRow[];
  const sites = siteSeeds(regions);

  await manager.query(
    `INSERT INTO storage_site (code, name, tier, status, region_id, district_id, address, latitude, longitude, floor_area, custodian_name, custodian_phone)
     SELECT input.code, input.name, input.tier, input.status, region.id, coalesce(region.district_id, region.id), input.address,
            input.latitude, input.longitude, input.floor_area, input.custodian_name, input.custodian_phone
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::int[], $10::text[], $11::text[])
          WITH ORDINALITY AS input(code, name, tier, status, region_code, address, latitude, longitude, floor_area, custodian_name, custodian_phone, position)
     JOIN region ON region.code = input.region_code
     ORDER BY input.position
     ON CONFLICT (code) DO NOTHING`,
    [
      sites.map((s) => s.code),
      sites.map((s) => s.name),
      sites.map((s) => s.tier),
      sites.map((s) => s.status),
      sites.map((s) => s.regionCode),
      sites.map((s) => s.address),
      sites.map((s) => s.latitude),
      sites.map((s) => s.longitude),
      sites.map((s) => s.floorArea),
      sites.map((s) => s.custodianName),
      sites.map((s) => s.custodianPhone),
    ],
  );

  await manager.query(
    `INSERT INTO supply_item (code, name, specification, unit, reusable, tracks_expiry, shelf_life_days, hazards)
     SELECT input.code, input.name, nullif(input.specification, ''), input.unit, input.reusable, input.tracks_expiry, input.shelf_life_days,
            string_to_array(input.hazards, ';')
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::int[], $8::text[])
          WITH ORDINALITY AS input(code, name, specification, unit, reusable, tracks_expiry, shelf_life_days, hazards, position)
     ORDER BY input.position
     ON CONFLICT (code) DO NOTHING`,
    [
      items.map((i) => i.code),
      items.map((i) => i.name),
      items.map((i) => i.specification),
      items.map((i) => i.unit),
      items.map((i) => i.reusable === "true"),
      items.map((i) => i.tracks_expiry === "true"),
      items.map((i) => (i.shelf_life_days ? Number(i.shelf_life_days) : null)),
      items.map((i) => i.hazards),
    ],
  );

  const { levels, batches } = stockSeeds(sites, items, localToday());
  await manager.query(
    `INSERT INTO stock_level (district_id, site_id, item_id, minimum_quantity)
     SELECT site.district_id, site.id, item.id, input.minimum
     FROM unnest($1::text[], $2::text[], $3::int[]) AS input(site_code, item_code, minimum)
     JOIN storage_site site ON site.code = input.site_code
     JOIN supply_item item ON item.code = input.item_code
     ORDER BY site.id, item.id
     ON CONFLICT (site_id, item_id) DO NOTHING`,
    [levels.map((l) => l.siteCode), levels.map((l) => l.itemCode), levels.map((l) => l.minimum)],
  );
  // Each batch inserted now gets its opening-balance ledger row in the same statement, so
  // on hand equals the sum of movements from the first moment.
  await manager.query(
    `WITH inserted AS (
       INSERT INTO stock_batch (district_id, site_id, item_id, batch_number, production_date, expiry_date, reserve_mode, on_hand, reserved)
       SELECT site.district_id, site.id, item.id, input.batch_number, input.production_date, input.expiry_date, input.reserve_mode, input.quantity, 0
       FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::text[], $7::int[])
            WITH ORDINALITY AS input(site_code, item_code, batch_number, production_date, expiry_date, reserve_mode, quantity, position)
       JOIN storage_site site ON site.code = input.site_code
       JOIN supply_item item ON item.code = input.item_code
       ORDER BY input.position
       ON CONFLICT (site_id, item_id, batch_number) DO NOTHING
       RETURNING id, district_id, site_id, item_id, on_hand
     )
     INSERT INTO stock_movement (district_id, batch_id, site_id, item_id, kind, quantity, on_hand_after, reason, operation_id, note, recorded_by)
     SELECT district_id, id, site_id, item_id, 'RECEIPT', on_hand, on_hand, 'PURCHASE', $8::uuid, '期初库存 (opening balance)', '系统初始化'
     FROM inserted ORDER BY id`,
    [
      batches.map((b) => b.siteCode),
      batches.map((b) => b.itemCode),
      batches.map((b) => b.batchNumber),
      batches.map((b) => b.productionDate),
      batches.map((b) => b.expiryDate),
      batches.map((b) => b.reserveMode),
      batches.map((b) => b.quantity),
      OPENING_BALANCE_OPERATION_ID,
    ],
  );

  await seedPartners(manager, regions);
}

async function seedPartners(manager: EntityManager, regions: RegionRow[]): Promise<void> {
  const partners = readCsv(path.join(DATA, "reserve-partners.csv"));
  const regionByCode = new Map(regions.map((r) => [r.code, r]));
  const points = partners.map((p) => {
    const region = regionByCode.get(p.region_code)!;
    const random = seededRandom(`partner:${p.code}`);
    return {
      latitude: Number((Number(region.latitude) + between(random, -0.004, 0.004)).toFixed(6)),
      longitude: Number((Number(region.longitude) + between(random, -0.004, 0.004)).toFixed(6)),
    };
  });
  await manager.query(
    `INSERT INTO reserve_partner (code, name, credit_code, region_id, district_id, address, latitude, longitude, contact_name, contact_phone,
                                  agreement_number, agreement_starts_on, agreement_ends_on, status)
     SELECT input.code, input.name, input.credit_code, region.id, region.district_id, input.address, input.latitude, input.longitude,
            input.contact_name, input.contact_phone, input.agreement_number, input.starts_on, input.ends_on, input.status
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::date[], $12::date[], $13::text[])
          WITH ORDINALITY AS input(code, name, credit_code, region_code, address, latitude, longitude, contact_name, contact_phone, agreement_number, starts_on, ends_on, status, position)
     JOIN region ON region.code = input.region_code
     ORDER BY input.position
     ON CONFLICT (code) DO NOTHING`,
    [
      partners.map((p) => p.code),
      partners.map((p) => p.name),
      partners.map((p) => p.credit_code),
      partners.map((p) => p.region_code),
      partners.map((p) => p.address),
      points.map((p) => p.latitude),
      points.map((p) => p.longitude),
      partners.map((p) => p.contact_name),
      partners.map((p) => p.contact_phone),
      partners.map((p) => p.agreement_number),
      partners.map((p) => p.starts_on),
      partners.map((p) => p.ends_on),
      partners.map((p) => p.status),
    ],
  );
  const lines = readCsv(path.join(DATA, "partner-items.csv"));
  const agreed = lines.filter((l) => l.agreed_quantity);
  await manager.query(
    `INSERT INTO partner_stock_agreement (partner_id, item_id, agreed_quantity)
     SELECT partner.id, item.id, input.quantity
     FROM unnest($1::text[], $2::text[], $3::int[]) AS input(partner_code, item_code, quantity)
     JOIN reserve_partner partner ON partner.code = input.partner_code
     JOIN supply_item item ON item.code = input.item_code
     ORDER BY partner.id, item.id
     ON CONFLICT (partner_id, item_id) DO NOTHING`,
    [agreed.map((l) => l.partner_code), agreed.map((l) => l.item_code), agreed.map((l) => Number(l.agreed_quantity))],
  );
  const capacity = lines.filter((l) => l.units_per_day);
  await manager.query(
    `INSERT INTO partner_capacity (partner_id, item_id, units_per_day, lead_time_hours)
     SELECT partner.id, item.id, input.units_per_day, input.lead_time_hours
     FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS input(partner_code, item_code, units_per_day, lead_time_hours)
     JOIN reserve_partner partner ON partner.code = input.partner_code
     JOIN supply_item item ON item.code = input.item_code
     ORDER BY partner.id, item.id
     ON CONFLICT (partner_id, item_id) DO NOTHING`,
    [capacity.map((l) => l.partner_code), capacity.map((l) => l.item_code), capacity.map((l) => Number(l.units_per_day)), capacity.map((l) => Number(l.lead_time_hours))],
  );
}
