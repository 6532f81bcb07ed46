// Transport seed (issue 20): the bureau's and the teams' vehicles and boats, five partner
// logistics enterprises with their committed vehicles, one private vehicle and one enterprise
// excavator that may be requisitioned, each catalogue item's weight and volume per unit
// (seeds/data/item-measures.csv), and the compensation rate table. Hand-written, not generated;
// no dates of "now" (a vehicle's last known point starts at its base). Idempotent by code.
import path from "node:path";
import type { EntityManager } from "typeorm";
import { readCsv } from "./csv";

interface PartnerSeed {
  code: string;
  name: string;
  regionCode: string;
  contactName: string;
  contactPhone: string;
  agreementNumber: string;
  vehiclesCommitted: number;
  responseMinutes: number;
}

const PARTNERS: PartnerSeed[] = [
  { code: "KZ-LP-01", name: "中国邮政集团有限公司重庆市开州区分公司", regionCode: "KZ-S01", contactName: "周国庆", contactPhone: "13908250101", agreementNumber: "KZYJ-YS-2025-01", vehiclesCommitted: 12, responseMinutes: 60 },
  { code: "KZ-LP-02", name: "重庆顺丰速运有限公司开州分部", regionCode: "KZ-S02", contactName: "黄丽萍", contactPhone: "13983560202", agreementNumber: "KZYJ-YS-2025-02", vehiclesCommitted: 8, responseMinutes: 45 },
  { code: "KZ-LP-03", name: "重庆开州物流园运营有限公司", regionCode: "KZ-S03", contactName: "杨建军", contactPhone: "13594570303", agreementNumber: "KZYJ-YS-2025-03", vehiclesCommitted: 20, responseMinutes: 90 },
  { code: "KZ-LP-04", name: "开州区通达汽车运输有限公司", regionCode: "KZ-S04", contactName: "罗明", contactPhone: "13330230404", agreementNumber: "KZYJ-YS-2025-04", vehiclesCommitted: 15, responseMinutes: 60 },
  { code: "KZ-LP-05", name: "开州区汉丰湖水上客运有限公司", regionCode: "KZ-S01", contactName: "谭小红", contactPhone: "13896350505", agreementNumber: "KZYJ-YS-2025-05", vehiclesCommitted: 4, responseMinutes: 40 },
];

interface ResourceSeed {
  code: string;
  kind: "TRUCK" | "VAN" | "BOAT" | "DRONE" | "MACHINERY";
  model: string;
  plate: string | null;
  capacityKg: number;
  capacityM3: number;
  seats: number;
  owner: "BUREAU" | { team: string } | { partner: string } | { private: [string, string] } | { enterprise: [string, string] };
  baseCode: string;
}

const RESOURCES: ResourceSeed[] = [
  { code: "KZ-V-001", kind: "TRUCK", model: "东风天锦 8 吨厢式货车", plate: "渝F·A1201", capacityKg: 8000, capacityM3: 38, seats: 3, owner: "BUREAU", baseCode: "KZ-S01" },
  { code: "KZ-V-002", kind: "TRUCK", model: "东风天锦 8 吨厢式货车", plate: "渝F·A1202", capacityKg: 8000, capacityM3: 38, seats: 3, owner: "BUREAU", baseCode: "KZ-S01" },
  { code: "KZ-V-003", kind: "TRUCK", model: "江铃顺达 2 吨厢式货车", plate: "渝F·A1203", capacityKg: 2000, capacityM3: 14, seats: 3, owner: "BUREAU", baseCode: "KZ-S01" },
  { code: "KZ-V-004", kind: "VAN", model: "江铃全顺应急指挥车", plate: "渝F·A1204", capacityKg: 800, capacityM3: 6, seats: 9, owner: "BUREAU", baseCode: "KZ-S01" },
  { code: "KZ-V-005", kind: "DRONE", model: "大疆 FlyCart 30 运载无人机", plate: null, capacityKg: 30, capacityM3: 0.07, seats: 0, owner: "BUREAU", baseCode: "KZ-S01" },
  { code: "KZ-V-011", kind: "TRUCK", model: "重汽豪沃 12 吨运输车", plate: "渝F·B3011", capacityKg: 12000, capacityM3: 45, seats: 3, owner: { team: "KZ-PT-08" }, baseCode: "KZ-S02" },
  { code: "KZ-V-012", kind: "TRUCK", model: "重汽豪沃 12 吨运输车", plate: "渝F·B3012", capacityKg: 12000, capacityM3: 45, seats: 3, owner: { team: "KZ-PT-08" }, baseCode: "KZ-S02" },
  { code: "KZ-V-013", kind: "MACHINERY", model: "徐工 XE215 挖掘机", plate: null, capacityKg: 0, capacityM3: 0, seats: 1, owner: { team: "KZ-PT-02" }, baseCode: "KZ-S02" },
  { code: "KZ-B-001", kind: "BOAT", model: "玻璃钢冲锋舟 5.2 m", plate: "渝开州应急 01", capacityKg: 800, capacityM3: 3, seats: 8, owner: { team: "KZ-PT-03" }, baseCode: "KZ-S01" },
  { code: "KZ-B-002", kind: "BOAT", model: "玻璃钢冲锋舟 5.2 m", plate: "渝开州应急 02", capacityKg: 800, capacityM3: 3, seats: 8, owner: { team: "KZ-PT-03" }, baseCode: "KZ-S01" },
  { code: "KZ-B-003", kind: "BOAT", model: "冲锋舟 4.7 m", plate: "渝开州消防 01", capacityKg: 600, capacityM3: 2.5, seats: 6, owner: { team: "KZ-FR-01" }, baseCode: "KZ-S01" },
  { code: "KZ-V-021", kind: "TRUCK", model: "邮政 5 吨厢式货车", plate: "渝F·C5021", capacityKg: 5000, capacityM3: 25, seats: 2, owner: { partner: "KZ-LP-01" }, baseCode: "KZ-S01" },
  { code: "KZ-V-022", kind: "VAN", model: "顺丰 1.5 吨厢式车", plate: "渝F·C5022", capacityKg: 1500, capacityM3: 9, seats: 2, owner: { partner: "KZ-LP-02" }, baseCode: "KZ-S02" },
  { code: "KZ-V-023", kind: "TRUCK", model: "解放 J6 18 吨厢式货车", plate: "渝F·C5023", capacityKg: 18000, capacityM3: 60, seats: 2, owner: { partner: "KZ-LP-03" }, baseCode: "KZ-S03" },
  { code: "KZ-V-024", kind: "TRUCK", model: "解放 J6 10 吨栏板货车", plate: "渝F·C5024", capacityKg: 10000, capacityM3: 40, seats: 2, owner: { partner: "KZ-LP-04" }, baseCode: "KZ-S04" },
  { code: "KZ-B-021", kind: "BOAT", model: "汉丰湖交通船 20 座", plate: "渝开州客 021", capacityKg: 2500, capacityM3: 8, seats: 20, owner: { partner: "KZ-LP-05" }, baseCode: "KZ-S01" },
  { code: "KZ-V-031", kind: "TRUCK", model: "福田欧马可 3 吨货车", plate: "渝F·D7031", capacityKg: 3000, capacityM3: 16, seats: 3, owner: { private: ["陈志刚", "13752380031"] }, baseCode: "KZ-S01" },
  { code: "KZ-V-032", kind: "MACHINERY", model: "三一 SY135 挖掘机", plate: null, capacityKg: 0, capacityM3: 0, seats: 1, owner: { enterprise: ["开州区顺达建材有限公司", "13509480032"] }, baseCode: "KZ-S02" },
];

/** Rates in fen per day, km and tonne (1 元 = 100 分), after the district's 2025 compensation table. */
const RATES: Array<[string, number, number, number]> = [
  ["TRUCK", 80_000, 300, 5_000],
  ["VAN", 50_000, 200, 4_000],
  ["BOAT", 120_000, 1_500, 8_000],
  ["DRONE", 30_000, 0, 0],
  ["MACHINERY", 250_000, 500, 0],
];

export async function seedTransport(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO logistics_partner (code, name, region_id, contact_name, contact_phone, agreement_number, agreement_starts_on, agreement_ends_on, vehicles_committed, response_minutes)
     SELECT p.code, p.name, r.id, p.contact_name, p.contact_phone, p.agreement_number, DATE '2025-01-01', DATE '2027-12-31', p.vehicles, p.minutes
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[]) AS p(code, name, region_code, contact_name, contact_phone, agreement_number, vehicles, minutes)
     JOIN region r ON r.code = p.region_code
     ON CONFLICT (code) DO NOTHING`,
    [
      PARTNERS.map((p) => p.code),
      PARTNERS.map((p) => p.name),
      PARTNERS.map((p) => p.regionCode),
      PARTNERS.map((p) => p.contactName),
      PARTNERS.map((p) => p.contactPhone),
      PARTNERS.map((p) => p.agreementNumber),
      PARTNERS.map((p) => p.vehiclesCommitted),
      PARTNERS.map((p) => p.responseMinutes),
    ],
  );
  const owner = (r: ResourceSeed) => {
    const o = r.owner;
    if (o === "BUREAU") return { kind: "BUREAU", team: null, partner: null, name: null, phone: null };
    if ("team" in o) return { kind: "TEAM", team: o.team, partner: null, name: null, phone: null };
    if ("partner" in o) return { kind: "PARTNER", team: null, partner: o.partner, name: null, phone: null };
    if ("private" in o) return { kind: "PRIVATE", team: null, partner: null, name: o.private[0], phone: o.private[1] };
    return { kind: "ENTERPRISE", team: null, partner: null, name: o.enterprise[0], phone: o.enterprise[1] };
  };
  const owners = RESOURCES.map(owner);
  await manager.query(
    `INSERT INTO transport_resource (code, kind, model, plate, capacity_kg, capacity_m3, seats, owner_kind, team_id, partner_id, owner_name, owner_phone, base_region_id, last_latitude, last_longitude)
     SELECT v.code, v.kind, v.model, v.plate, v.kg, v.m3, v.seats, v.owner_kind, t.id, p.id, v.owner_name, v.owner_phone, r.id, r.latitude, r.longitude
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
       AS v(code, kind, model, plate, kg, m3, seats, owner_kind, team_code, partner_code, owner_name, owner_phone, base_code)
     JOIN region r ON r.code = v.base_code
     LEFT JOIN rescue_team t ON t.code = v.team_code
     LEFT JOIN logistics_partner p ON p.code = v.partner_code
     ON CONFLICT (code) DO NOTHING`,
    [
      RESOURCES.map((r) => r.code),
      RESOURCES.map((r) => r.kind),
      RESOURCES.map((r) => r.model),
      RESOURCES.map((r) => r.plate),
      RESOURCES.map((r) => r.capacityKg),
      RESOURCES.map((r) => r.capacityM3),
      RESOURCES.map((r) => r.seats),
      owners.map((o) => o.kind),
      owners.map((o) => o.team),
      owners.map((o) => o.partner),
      owners.map((o) => o.name),
      owners.map((o) => o.phone),
      RESOURCES.map((r) => r.baseCode),
    ],
  );
  const measures = readCsv(path.join(__dirname, "data", "item-measures.csv"));
  await manager.query(
    `INSERT INTO item_transport_measure (item_id, unit_weight_kg, unit_volume_m3)
     SELECT i.id, m.w, m.v FROM unnest($1::text[], $2::float8[], $3::float8[]) AS m(code, w, v) JOIN supply_item i ON i.code = m.code
     ON CONFLICT (item_id) DO NOTHING`,
    [measures.map((m) => m.code), measures.map((m) => Number(m.unit_weight_kg)), measures.map((m) => Number(m.unit_volume_m3))],
  );
  const rates = RATES.flatMap(([kind, day, km, tonne]) => [
    [kind, "DAY", day],
    [kind, "KM", km],
    [kind, "TONNE", tonne],
  ]);
  await manager.query(
    `INSERT INTO transport_rate (kind, basis, fen_per_unit) SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT (kind, basis) DO NOTHING`,
    [rates.map((r) => r[0]), rates.map((r) => r[1]), rates.map((r) => r[2])],
  );
}
