// The audit log: one append-only entry per attempted mutation. A mutation whose work commits has
// its entry written by that transaction (core/mutation/audit-trail.ts); the entries of every other
// attempt — refused, rejected, failed — are written here, outside any transaction, and the
// response is sent only after its entry is stored: in the database, or, while the database does
// not take it, in the spool under DATA_DIR, from which it is written later (audit-spool.ts).
import type { DataSource } from "typeorm";
import { fromGlobalId, ConnectionType, paginate, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { AUDIT_ENTRY_ORDER, type AuditEntryOrderField } from "./audit.orders";
import { Coalescer } from "../../core/db/coalescer";
import { insertAuditEntries, type AuditRecord } from "../../core/mutation/audit-trail";
import { badUserInput } from "../../core/graphql/errors";
import { RateLimitedLog } from "../../core/ops/rate-limited-log";
import { AuditSpool, refusesTheEntries, type AuditSpoolOptions } from "./audit-spool";
import { AuditEntry } from "./audit.entity";
import type { AuditLogWhere } from "./audit.inputs";

export const AuditEntryConnection = ConnectionType(AuditEntry, "AuditEntry", "审计日志分页。A page of audit entries, newest first.");

/** A request's entries and when they were made (a spooled entry keeps that time). */
interface Attempt {
  at: Date;
  entries: AuditRecord[];
}

export class AuditService {
  /** Entries of requests finishing at the same moment go in one INSERT (see core/db/coalescer.ts). */
  private readonly writer = new Coalescer<Attempt, void>((attempts) => this.insertTogether(attempts));
  readonly spool: AuditSpool;
  private readonly spooledLog = new RateLimitedLog("warn", "audit entries spooled: the database did not take them; they are written when it answers (DATA_DIR/audit-spool)");

  constructor(
    private readonly dataSource: DataSource,
    spool: AuditSpoolOptions,
  ) {
    this.spool = new AuditSpool(dataSource, spool);
  }

  /** Resolves once the entries are stored (in the database or the spool): the response waits for its audit entry. */
  async record(entries: AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    const at = new Date();
    // Behind the entries already waiting, so that the log receives them in order.
    if (this.spool.takesNewEntries) this.spool.append(at, entries);
    else await this.writer.submit({ at, entries });
  }

  /** Writes what an earlier run left in the spool, then keeps flushing it (the service; not the command line). */
  start(): Promise<void> {
    return this.spool.start();
  }

  /** A last flush; what still waits is left for the next instance on this DATA_DIR. */
  close(): Promise<void> {
    return this.spool.close();
  }

  private async insertTogether(attempts: Attempt[]): Promise<void[]> {
    try {
      await insertAuditEntries(this.dataSource, attempts.flatMap((attempt) => attempt.entries));
    } catch (error) {
      if (!refusesTheEntries(error)) this.keep(attempts, error);
      // One bad entry must not cost the others theirs: each request's entries on their own.
      else if (attempts.length === 1) this.spool.refused(attempts[0].entries, error);
      else {
        for (const attempt of attempts) {
          try {
            await insertAuditEntries(this.dataSource, attempt.entries);
          } catch (alone) {
            if (refusesTheEntries(alone)) this.spool.refused(attempt.entries, alone);
            else this.keep([attempt], alone);
          }
        }
      }
    }
    return attempts.map(() => undefined);
  }

  /** The database cannot take them now: into the spool. */
  private keep(attempts: Attempt[], error: unknown): void {
    this.spooledLog.note({ err: error });
    for (const { at, entries } of attempts) this.spool.append(at, entries);
  }

  list(where: AuditLogWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<AuditEntryOrderField>[] | null) {
    const query = this.dataSource.getRepository(AuditEntry).createQueryBuilder("audit");
    if (where?.actorId) {
      const actor = fromGlobalId(where.actorId);
      if (!actor || !["Account", "ApiKey"].includes(actor.typeName)) throw badUserInput("where.actorId", "audit.mustBeTheIdOf");
      query.andWhere("audit.actor_kind = :kind AND audit.actor_id = :actorId", { kind: actor.typeName === "Account" ? "ACCOUNT" : "API_KEY", actorId: actor.id });
    }
    if (where?.operation) query.andWhere("audit.operation = :operation", { operation: where.operation });
    if (where?.targetId) query.andWhere("audit.target_ids @> ARRAY[:targetId]::text[]", { targetId: where.targetId });
    if (where?.outcome) query.andWhere("audit.outcome = :outcome", { outcome: where.outcome });
    if (where?.from) query.andWhere("audit.at >= :from", { from: where.from });
    if (where?.to) query.andWhere("audit.at < :to", { to: where.to });
    return paginate(query, AUDIT_ENTRY_ORDER.sorting.resolve(orderBy), page, AuditEntryConnection);
  }
}
