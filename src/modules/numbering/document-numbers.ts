// Reference numbers of documents (调拨单 KZ-DO-2026-000001, 突发事件 KZ-2026-0001, 需求申报
// KZ-RQ-2026-00001): per district and year, gap-free, taken from the document_counter row inside
// the creating transaction.
import type { EntityManager } from "typeorm";
import { DISTRICT_TIME_ZONE } from "../../core/db/local-date";
import { DocumentKind } from "./document-counter.entity";

export { DocumentKind };

/** What comes between the district's code and the year, and how many digits the number has at least. */
const FORMATS: Record<DocumentKind, { infix: string; digits: number }> = {
  [DocumentKind.DISPATCH_ORDER]: { infix: "-DO-", digits: 6 },
  [DocumentKind.INCIDENT]: { infix: "-", digits: 4 },
  [DocumentKind.SUPPLY_REQUEST]: { infix: "-RQ-", digits: 5 },
  [DocumentKind.CALL_UP]: { infix: "-CU-", digits: 4 },
};

/**
 * Takes the next number of `kind` in the district for the year `at` falls in (district time;
 * default: the transaction's start, i.e. the creation) and returns the document's code. One
 * statement. The counter row stays locked until the caller's transaction ends, so other
 * creations in the same district wait for it from here on: call it as late as the creation
 * allows, after every check that can refuse it.
 */
export async function takeDocumentCode(manager: EntityManager, kind: DocumentKind, districtId: number, at: Date | null = null): Promise<string> {
  const { infix, digits } = FORMATS[kind];
  const [row] = await manager.query(
    `WITH counter AS (
       INSERT INTO document_counter AS c (district_id, kind, year, last_number)
       VALUES ($1, $2, extract(year FROM coalesce($3::timestamptz, now()) AT TIME ZONE '${DISTRICT_TIME_ZONE}')::int, 1)
       ON CONFLICT (district_id, kind, year) DO UPDATE SET last_number = c.last_number + 1
       RETURNING year, last_number
     )
     SELECT r.code || $4::text || counter.year || '-' || lpad(counter.last_number::text, greatest($5::int, length(counter.last_number::text)), '0') AS code
     FROM counter, region r WHERE r.id = $1`,
    [districtId, kind, at, infix, digits],
  );
  return row.code as string;
}
