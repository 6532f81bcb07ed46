// A few open supply requests (需求申报) from different townships in different states, so the
// district's queue shows something on first start: two waiting (one past the response deadline,
// one urgent), one fresh from 汉丰街道's own account, one approved in part and ready to fulfil,
// one rejected. Demo data: seeded only with the demo accounts (a new database outside
// production), which submitted and answered them; no dispatch orders are made from them.
//
// Deterministic: fixed content, times relative to the seeding (as expiry dates are). Numbered
// with the document counter, as requests submitted through the API are.
import type { EntityManager } from "typeorm";
import { DocumentKind, takeDocumentCode } from "../src/modules/numbering/document-numbers";
import type { SeedContext } from "./index";

interface RequestSeed {
  /** A storage site's code, or a region's. */
  destination: { site: string } | { region: string };
  purpose: "PRE_POSITIONING" | "REPLENISHMENT";
  submittedBy: string;
  /** Who asked, when not the submitting account's holder (a township officer who phoned it in). */
  requester?: { name: string; phone: string };
  requesterPhone?: string;
  hoursAgo: number;
  peopleServed: number | null;
  note: string;
  lines: Array<{ item: string; quantity: number; priority: "URGENT" | "HIGH" | "NORMAL"; neededInDays: number | null; approved?: number }>;
  decision?: { status: "APPROVED" | "REJECTED"; by: string; hoursAgo: number; note: string | null };
}

const REQUESTS: RequestSeed[] = [
  {
    destination: { site: "KZ-T17-P" },
    purpose: "PRE_POSITIONING",
    submittedBy: "logistics",
    requester: { name: "周德明", phone: "13908361275" },
    hoursAgo: 30,
    peopleServed: 480,
    note: "汛前预置：临江镇沿河村组转移安置点",
    lines: [
      { item: "1010101", quantity: 60, priority: "HIGH", neededInDays: 20 },
      { item: "2010101", quantity: 120, priority: "HIGH", neededInDays: 20 },
    ],
  },
  {
    destination: { site: "KZ-S06-P" },
    purpose: "REPLENISHMENT",
    submittedBy: "logistics",
    requester: { name: "黄丽萍", phone: "13638392056" },
    hoursAgo: 5,
    peopleServed: null,
    note: "白鹤街道储备点饮用水低于最低库存，近期高温供水紧张",
    lines: [{ item: "1030101", quantity: 200, priority: "URGENT", neededInDays: 2 }],
  },
  {
    destination: { site: "KZ-S01-P" },
    purpose: "REPLENISHMENT",
    submittedBy: "logistics.kz-s01",
    requesterPhone: "023-52212345",
    hoursAgo: 3,
    peopleServed: null,
    note: "补足储备点最低库存",
    lines: [
      { item: "1020101", quantity: 120, priority: "NORMAL", neededInDays: 30 },
      { item: "1030101", quantity: 80, priority: "NORMAL", neededInDays: 30 },
    ],
  },
  {
    destination: { region: "KZ-X02" },
    purpose: "PRE_POSITIONING",
    submittedBy: "logistics",
    requester: { name: "谭红梅", phone: "13594421860" },
    hoursAgo: 50,
    peopleServed: 1200,
    note: "麻柳乡地灾隐患点汛期防守",
    lines: [
      { item: "3010101", quantity: 5000, priority: "HIGH", neededInDays: 14, approved: 3000 },
      { item: "2030101", quantity: 4, priority: "HIGH", neededInDays: 14, approved: 4 },
    ],
    decision: { status: "APPROVED", by: "commander", hoursAgo: 26, note: "编织袋先拨付 3000 条，其余由乡里自筹" },
  },
  {
    destination: { site: "KZ-T05-P" },
    purpose: "PRE_POSITIONING",
    submittedBy: "logistics",
    requester: { name: "冉光荣", phone: "13883527714" },
    hoursAgo: 72,
    peopleServed: null,
    note: "申请冲锋舟两艘预置乡镇储备点",
    lines: [{ item: "2020101", quantity: 2, priority: "NORMAL", neededInDays: null }],
    decision: { status: "REJECTED", by: "logistics", hoursAgo: 60, note: "郭家镇不临主要河道，冲锋舟由区级库统一调度，不在乡镇预置" },
  },
];

export async function seedRequests(context: SeedContext): Promise<void> {
  if (!context.demoAccounts) return;
  const { manager } = context;
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM supply_request`);
  if (count > 0) return;
  // Oldest first, so the numbers follow the submission times.
  for (const seed of [...REQUESTS].sort((a, b) => b.hoursAgo - a.hoursAgo)) await insertRequest(manager, seed);
}

async function insertRequest(manager: EntityManager, seed: RequestSeed): Promise<void> {
  const [destination] = await manager.query(
    "site" in seed.destination
      ? `SELECT 'SITE' AS kind, s.id AS site_id, s.region_id, s.district_id, s.latitude, s.longitude, s.address FROM storage_site s WHERE s.code = $1`
      : `SELECT 'REGION' AS kind, NULL::int AS site_id, r.id AS region_id, coalesce(r.district_id, r.id) AS district_id, r.latitude, r.longitude, NULL AS address FROM region r WHERE r.code = $1`,
    ["site" in seed.destination ? seed.destination.site : seed.destination.region],
  );
  // Recorded as the API records them: the sign-in name; the requester by default the holder's name.
  const accounts = new Map<string, { id: number; name: string; displayName: string }>(
    (await manager.query(`SELECT id, username, display_name FROM account WHERE username = ANY($1::text[])`, [[seed.submittedBy, seed.decision?.by ?? seed.submittedBy]])).map(
      (row: { id: number; username: string; display_name: string }) => [row.username, { id: row.id, name: row.username, displayName: row.display_name }],
    ),
  );
  const submitter = accounts.get(seed.submittedBy)!;
  const decider = seed.decision ? accounts.get(seed.decision.by)! : null;
  const code = await takeDocumentCode(manager, DocumentKind.SUPPLY_REQUEST, destination.district_id);
  const rank = ["URGENT", "HIGH", "NORMAL"];
  const priority = rank.find((p) => seed.lines.some((line) => line.priority === p))!;
  const neededIn = seed.lines.map((line) => line.neededInDays).filter((days): days is number => days !== null);
  const [{ id }] = await manager.query(
    `INSERT INTO supply_request (code, district_id, status, purpose, priority, needed_by, people_served, destination_kind, destination_region_id, destination_site_id,
       destination_latitude, destination_longitude, destination_address, requester_name, requester_phone, submitted_by_id, submitted_by, note,
       decided_by_id, decided_by, decision_note, submitted_at, updated_at, decided_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
       $19, $20, $21, now() - make_interval(hours => $22::int), now() - make_interval(hours => coalesce($23::int, $22::int)), now() - make_interval(hours => $23::int))
     RETURNING id`,
    [
      code,
      destination.district_id,
      seed.decision?.status ?? "SUBMITTED",
      seed.purpose,
      priority,
      neededIn.length ? Math.min(...neededIn) : null,
      seed.peopleServed,
      destination.kind,
      destination.region_id,
      destination.site_id,
      destination.latitude,
      destination.longitude,
      destination.address,
      seed.requester?.name ?? submitter.displayName,
      seed.requester?.phone ?? seed.requesterPhone,
      submitter.id,
      submitter.name,
      seed.note,
      decider?.id ?? null,
      decider?.name ?? null,
      seed.decision?.note ?? null,
      seed.hoursAgo,
      seed.decision?.hoursAgo ?? null,
    ],
  );
  const approved = seed.decision?.status === "APPROVED";
  await manager.query(
    `INSERT INTO supply_request_line (request_id, district_id, position, item_id, quantity, approved_quantity, needed_by, priority)
     SELECT $1, $2, input.position, item.id, input.quantity, input.approved,
            CASE WHEN input.days IS NULL THEN NULL ELSE now() + make_interval(days => input.days) END, input.priority
     FROM unnest($3::text[], $4::int[], $5::int[], $6::int[], $7::text[]) WITH ORDINALITY AS input(item_code, quantity, approved, days, priority, position)
     JOIN supply_item item ON item.code = input.item_code`,
    [
      id,
      destination.district_id,
      seed.lines.map((line) => line.item),
      seed.lines.map((line) => line.quantity),
      seed.lines.map((line) => (approved ? line.approved ?? line.quantity : null)),
      seed.lines.map((line) => line.neededInDays),
      seed.lines.map((line) => line.priority),
    ],
  );
}
