// The audit log: one append-only entry per attempted mutation. Entries are written outside the
// mutation's own transaction, so refused and failed attempts are recorded too; the response is
// sent only after its entry is stored.
import type { DataSource } from "typeorm";
import { fromGlobalId, ConnectionType, paginate, type PageArgs } from "../../core/relay";
import { Coalescer } from "../../core/coalescer";
import { prepared } from "../../core/prepared";
import { badUserInput } from "../../core/errors";
import { logger } from "../../core/logger";
import { AuditEntry, type AuditOutcome } from "./audit.entity";
import type { AuditLogWhere } from "./audit.inputs";

export const AuditEntryConnection = ConnectionType(AuditEntry, "AuditEntry", "A page of audit entries, newest first.");

export interface AuditRecord {
  actorKind: "ACCOUNT" | "API_KEY" | null;
  actorId: number | null;
  actorName: string | null;
  role: string | null;
  operation: string;
  targetIds: string[];
  inputSummary: unknown;
  outcome: AuditOutcome;
  errorCode: string | null;
  message: string | null;
  requestId: string;
  clientAddress: string | null;
}

export class AuditService {
  /** Entries of requests finishing at the same moment go in one INSERT (see core/coalescer.ts). */
  private readonly writer = new Coalescer<AuditRecord[], void>((inputs) => this.insertTogether(inputs));

  constructor(private readonly dataSource: DataSource) {}

  /** Resolves once the entries are stored (or their failure is logged): the response waits for its audit entry. */
  async record(entries: AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    await this.writer.submit(entries);
  }

  private async insertTogether(inputs: AuditRecord[][]): Promise<void[]> {
    try {
      await this.insert(inputs.flat());
    } catch (error) {
      if (inputs.length === 1) this.reportFailure(inputs[0], error);
      // One bad entry must not cost the others theirs: each request's entries on their own.
      else {
        for (const entries of inputs) {
          try {
            await this.insert(entries);
          } catch (alone) {
            this.reportFailure(entries, alone);
          }
        }
      }
    }
    return inputs.map(() => undefined);
  }

  /** The mutation's outcome stands; an audit write that fails must be loud in the log. */
  private reportFailure(entries: AuditRecord[], error: unknown): void {
    logger.error({ err: error, entries: entries.map((e) => ({ operation: e.operation, requestId: e.requestId })) }, "AUDIT WRITE FAILED");
  }

  /** One prepared INSERT for any number of entries (they travel as one JSON array). */
  private async insert(entries: AuditRecord[]): Promise<void> {
    await prepared(
      this.dataSource,
      `INSERT INTO audit_entry (actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id, client_address)
       SELECT e.actor_kind, e.actor_id, e.actor_name, e.role, e.operation, e.target_ids, e.input_summary, e.outcome, e.error_code, e.message, e.request_id, e.client_address
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (actor_kind text, actor_id integer, actor_name text, role text, operation text, target_ids text[],
            input_summary jsonb, outcome text, error_code text, message text, request_id text, client_address text)) WITH ORDINALITY
            AS e(actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id, client_address, position)
       ORDER BY e.position`,
      [
        JSON.stringify(
          entries.map((entry) => ({
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
          })),
        ),
      ],
    );
  }

  list(where: AuditLogWhere | null | undefined, page: PageArgs) {
    const query = this.dataSource.getRepository(AuditEntry).createQueryBuilder("audit");
    if (where?.actorId) {
      const actor = fromGlobalId(where.actorId);
      if (!actor || !["Account", "ApiKey"].includes(actor.typeName)) throw badUserInput("where.actorId", "must be the id of an Account or ApiKey");
      query.andWhere("audit.actor_kind = :kind AND audit.actor_id = :actorId", { kind: actor.typeName === "Account" ? "ACCOUNT" : "API_KEY", actorId: actor.id });
    }
    if (where?.operation) query.andWhere("audit.operation = :operation", { operation: where.operation });
    if (where?.targetId) query.andWhere("audit.target_ids @> ARRAY[:targetId]::text[]", { targetId: where.targetId });
    if (where?.outcome) query.andWhere("audit.outcome = :outcome", { outcome: where.outcome });
    if (where?.from) query.andWhere("audit.at >= :from", { from: where.from });
    if (where?.to) query.andWhere("audit.at < :to", { to: where.to });
    return paginate(query, { columns: ["audit.id"], valuesOf: (entry) => [entry.id], direction: "DESC" }, page, AuditEntryConnection);
  }
}
