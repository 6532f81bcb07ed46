// The audit log: one append-only entry per attempted mutation. Entries are written outside the
// mutation's own transaction, so refused and failed attempts are recorded too.
import type { DataSource } from "typeorm";
import { fromGlobalId, ConnectionType, paginate, type PageArgs } from "../../core/relay";
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
  constructor(private readonly dataSource: DataSource) {}

  async record(entries: AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.dataSource.getRepository(AuditEntry).insert(entries.map((entry) => ({ ...entry, role: entry.role as AuditEntry["role"], inputSummary: entry.inputSummary as object })));
    } catch (error) {
      // The mutation's outcome stands; an audit write that fails must be loud in the log.
      logger.error({ err: error, entries: entries.map((e) => ({ operation: e.operation, requestId: e.requestId })) }, "AUDIT WRITE FAILED");
    }
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
