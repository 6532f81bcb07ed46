// The audit log: one append-only entry per attempted mutation. A mutation whose work commits has
// its entry written by that transaction (core/audit-trail.ts); the entries of every other
// attempt — refused, rejected, failed — are written here, outside any transaction, and the
// response is sent only after its entry is stored.
import type { DataSource } from "typeorm";
import { fromGlobalId, ConnectionType, paginate, type PageArgs } from "../../core/relay";
import { Coalescer } from "../../core/coalescer";
import { insertAuditEntries, type AuditRecord } from "../../core/audit-trail";
import { badUserInput } from "../../core/errors";
import { logger } from "../../core/logger";
import { AuditEntry } from "./audit.entity";
import type { AuditLogWhere } from "./audit.inputs";

export const AuditEntryConnection = ConnectionType(AuditEntry, "AuditEntry", "A page of audit entries, newest first.");

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
      await insertAuditEntries(this.dataSource, inputs.flat());
    } catch (error) {
      if (inputs.length === 1) this.reportFailure(inputs[0], error);
      // One bad entry must not cost the others theirs: each request's entries on their own.
      else {
        for (const entries of inputs) {
          try {
            await insertAuditEntries(this.dataSource, entries);
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
