// The audit entry of a mutation whose work commits is written by that work's own transaction,
// sent with its COMMIT (core/db/transaction.ts): the change and its entry commit together or not at
// all, so no crash between them can leave a change without its entry, and the entry costs no
// round trip and no WAL flush of its own (bench S3: a separate entry, written after the COMMIT
// and before the response, was a second commit in every approval's path).
//
// modules/audit drafts each mutation's entry when its unit of work is made (who, which
// operation, the input summarised, the ids it names); the unit carries it to the transaction it
// opens (core/mutation/unit-of-work.ts), which adds the ids of the objects its work returned.
// Entries of attempts that commit nothing (refused, rejected, failed, or answered without a
// transaction) are written by the audit plugin after the response is built.
import type { DataSource, EntityManager } from "typeorm";
import { prepared } from "../db/prepared";
import type { Transaction } from "../db/transaction";

/** The values of the AuditOutcome enum (modules/audit/audit.entity.ts). */
export type AuditOutcomeValue = "SUCCEEDED" | "REJECTED" | "REFUSED" | "FAILED";

export interface AuditRecord {
  actorKind: "ACCOUNT" | "API_KEY" | null;
  actorId: number | null;
  actorName: string | null;
  role: string | null;
  operation: string;
  targetIds: string[];
  inputSummary: unknown;
  outcome: AuditOutcomeValue;
  errorCode: string | null;
  message: string | null;
  requestId: string;
  clientAddress: string | null;
}

/** An entry holds at most this many target ids. */
export const MAX_TARGET_IDS = 100;

/** A mutation's entry while its resolver runs: written by the first of its transactions to commit. */
export interface PendingAuditEntry {
  /** Everything but the outcome; `targetIds` holds the ids the input names. */
  draft: Omit<AuditRecord, "outcome" | "errorCode" | "message">;
  /** Set once a transaction carrying the entry has committed. */
  committed: boolean;
}

/**
 * The global ids of the objects in a work's result (an entity's `globalId` is what its GraphQL
 * `id` answers), so that an entry names what a mutation created as well as what it was given.
 */
export function globalIdsIn(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== "object" || into.size >= MAX_TARGET_IDS) return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, MAX_TARGET_IDS)) globalIdsIn(item, into, depth + 1);
    return;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return;
  const object = value as { id?: unknown; globalId?: unknown };
  if (object.id !== undefined && object.id !== null && typeof object.globalId === "string") into.add(object.globalId);
  for (const item of Object.values(value)) globalIdsIn(item, into, depth + 1);
}

/**
 * The entries of mutations whose work this transaction did, each with what its work returned,
 * as SUCCEEDED: one INSERT sent with the COMMIT (core/mutation/unit-of-work.ts decides which).
 */
export function recordAuditEntries(tx: Transaction, works: ReadonlyArray<{ entry: PendingAuditEntry; result: unknown }>): void {
  if (!works.length) return;
  const records = works.map(({ entry, result }): AuditRecord => {
    const targets = new Set(entry.draft.targetIds);
    globalIdsIn(result, targets);
    return { ...entry.draft, targetIds: [...targets].slice(0, MAX_TARGET_IDS), outcome: "SUCCEEDED", errorCode: null, message: null };
  });
  void tx.sendWithCommit(INSERT_AUDIT_ENTRIES, [auditEntriesJson(records)]);
}

const INSERT_AUDIT_ENTRIES = `INSERT INTO audit_entry (actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id, client_address)
     SELECT e.actor_kind, e.actor_id, e.actor_name, e.role, e.operation, e.target_ids, e.input_summary, e.outcome, e.error_code, e.message, e.request_id, e.client_address
     FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (actor_kind text, actor_id integer, actor_name text, role text, operation text, target_ids text[],
          input_summary jsonb, outcome text, error_code text, message text, request_id text, client_address text)) WITH ORDINALITY
          AS e(actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id, client_address, position)
     ORDER BY e.position`;

/** An entry as the audit_entry table's columns name it (the INSERT here and the spool's replay share it). */
export function auditEntryColumns(entry: AuditRecord): Record<string, unknown> {
  return {
    actor_kind: entry.actorKind,
    actor_id: entry.actorId,
    actor_name: entry.actorName,
    role: entry.role,
    operation: entry.operation,
    target_ids: entry.targetIds,
    input_summary: entry.inputSummary ?? null,
    outcome: entry.outcome,
    error_code: entry.errorCode,
    message: entry.message,
    request_id: entry.requestId,
    client_address: entry.clientAddress,
  };
}

/** The entries as the INSERT's one parameter: a JSON array, in their order. */
function auditEntriesJson(entries: readonly AuditRecord[]): string {
  return JSON.stringify(
    entries.map(auditEntryColumns),
    // PostgreSQL's text and jsonb hold no NUL character: one in a user's input must not
    // make the entry (and, in a transaction, the change it records) fail.
    (_key, value) => (typeof value === "string" && value.includes("\u0000") ? value.replace(/\u0000/g, "\uFFFD") : value),
  );
}

/** One prepared INSERT for any number of entries, outside a transaction (attempts that commit nothing). */
export async function insertAuditEntries(on: DataSource | EntityManager, entries: readonly AuditRecord[]): Promise<void> {
  await prepared(on, INSERT_AUDIT_ENTRIES, [auditEntriesJson(entries)]);
}
