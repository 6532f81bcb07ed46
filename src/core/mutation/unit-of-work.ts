// A mutation as a value. Every root mutation gets one unit of work when its resolver starts:
// who acts, the request id, the mutation's audit entry (drafted from its input) and the
// idempotency claim the request holds, if any. Resolvers receive it with `@Unit()` and hand it
// to the service as its first argument; the service opens its transaction with
// `unit.transaction(dataSource, work)`, which sends the audit entry and the claim's spending with
// the COMMIT (core/db/transaction.ts knows them only as "riders"). So a service method's
// signature shows where its transaction, audit entry and events happen:
//
//   async receive(unit: UnitOfWork, input: ReceiveStockInput) {
//     return unit.transaction(this.dataSource, async (tx) => { … tx.afterCommit(() => publish(…)) … });
//   }
//
// Work that serves several requests at once (the approval lane) carries their units itself and
// calls `UnitOfWork.rideTogether(tx, done)` for those it carried out; each keeps its own entry,
// claim and answer. Nothing here travels in async context.
//
// The command-line tools make a unit for the operator (`UnitOfWork.forOperator`), so their
// changes are audited in the same transaction too.
import type { GraphQLField, GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from "graphql";
import { createParameterDecorator } from "type-graphql";
import type { DataSource } from "typeorm";
import type { Actor } from "../access/auth";
import { inTransaction, type CommitRider, type Transaction, type TransactionOptions } from "../db/transaction";
import { recordAuditEntries, type PendingAuditEntry } from "./audit-trail";
import { claimOf, claimTakenOverError, isClaimTakenOver, spendClaims, type IdempotencyClaim } from "./idempotency";

export interface UnitOfWorkParts {
  actor: Actor;
  requestId: string;
  /** The mutation's audit entry, all but its outcome. */
  audit: PendingAuditEntry["draft"];
  claim?: IdempotencyClaim;
}

export class UnitOfWork implements CommitRider {
  readonly actor: Actor;
  readonly requestId: string;
  /** The audit entry: written by the first of the mutation's transactions to commit. */
  readonly audit: PendingAuditEntry;
  readonly claim: IdempotencyClaim | undefined;

  constructor(parts: UnitOfWorkParts) {
    this.actor = parts.actor;
    this.requestId = parts.requestId;
    this.audit = { draft: parts.audit, committed: false };
    this.claim = parts.claim;
  }

  /** The operator of a command-line tool, doing one named operation. */
  static forOperator(actor: Actor, operation: string, inputSummary: unknown, requestId: string): UnitOfWork {
    return new UnitOfWork({
      actor,
      requestId,
      audit: { actorKind: actor.kind, actorId: actor.id, actorName: actor.name, role: actor.role, operation, targetIds: [], inputSummary, requestId, clientAddress: null },
    });
  }

  /**
   * The mutation's transaction: the work, then its audit entry and idempotency claim sent with
   * its COMMIT, events (tx.afterCommit) after it. Retried on serialization failures and deadlocks.
   */
  async transaction<T>(dataSource: DataSource, work: (tx: Transaction) => Promise<T>, options: Omit<TransactionOptions, "riders"> = {}): Promise<T> {
    try {
      return await inTransaction(dataSource, work, { ...options, riders: [this] });
    } catch (error) {
      throw isClaimTakenOver(error) ? claimTakenOverError() : error;
    }
  }

  beforeCommit(tx: Transaction, result: unknown): void {
    UnitOfWork.rideTogether(tx, [{ unit: this, result }]);
  }

  /**
   * Inside a transaction doing the work of several mutations: the audit entries and idempotency
   * claims of those it carried out ride with its COMMIT, each with its own result. A mutation
   * whose entry an earlier transaction already committed is not written twice.
   */
  static rideTogether(tx: Transaction, done: ReadonlyArray<{ unit: UnitOfWork; result: unknown }>): void {
    const pending = done.filter(({ unit }) => !unit.audit.committed);
    recordAuditEntries(tx, pending.map(({ unit, result }) => ({ entry: unit.audit, result })));
    spendClaims(tx, done.map(({ unit, result }) => ({ claim: unit.claim, result })));
    if (pending.length) tx.afterCommit(() => pending.forEach(({ unit }) => (unit.audit.committed = true)));
  }
}

/**
 * A root mutation field as its resolver ran: its unit of work (none for an anonymous caller, whose
 * one mutation, `login`, takes none) and what the resolver answered, once it has. The audit
 * plugin reads it: the payload's UserErrors make the attempt REJECTED even when the client did
 * not select them.
 */
export interface MutationAttempt {
  readonly unit: UnitOfWork | undefined;
  payload?: unknown;
}

/** The attempts of one operation's mutation fields, by response key (Apollo gives each operation of a batch its own context). */
const attemptsByContext = new WeakMap<object, Map<string, MutationAttempt>>();
/** The unit of the mutation field being resolved, by the resolver's info (what @Unit() reads). */
const unitsByInfo = new WeakMap<GraphQLResolveInfo, UnitOfWork>();

export function attemptsOf(context: object): ReadonlyMap<string, MutationAttempt> | undefined {
  return attemptsByContext.get(context);
}

/** The resolver's parameter that receives its mutation's unit of work. */
export function Unit(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator(({ info }) => {
    const unit = unitsByInfo.get(info);
    if (!unit) throw new Error(`@Unit() on ${info.parentType.name}.${info.fieldName}: only root mutations have a unit of work`);
    return unit;
  });
}

/** How a unit's audit entry is drafted from the mutation's arguments (modules/audit summarises the input). */
export type DraftAuditEntry = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, context: MutationContext) => PendingAuditEntry["draft"];

/** What a unit of work is made from in the GraphQL context. */
export interface MutationContext {
  actor: Actor | null;
  requestId: string;
  clientAddress: string;
}

/**
 * Wraps every root mutation once, on the built schema: a unit of work is made as its resolver
 * starts, handed to it through @Unit(), and kept for the audit plugin with what it answered.
 * Anonymous callers get none: the one mutation they may call, `login`, takes none (the audit
 * plugin drafts the entry of an attempt without a unit from its arguments), but what it
 * answered is kept all the same.
 */
export function makeUnitsOfWork(schema: GraphQLSchema, draft: DraftAuditEntry): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve as GraphQLFieldResolver<unknown, MutationContext> | undefined;
    if (!resolve) continue;
    field.resolve = (source, args, context: MutationContext, info) => {
      const unit = context.actor
        ? new UnitOfWork({
            actor: context.actor,
            requestId: context.requestId,
            audit: draft(field as GraphQLField<unknown, unknown>, args, context),
            claim: claimOf(context),
          })
        : undefined;
      const attempt: MutationAttempt = { unit };
      let attempts = attemptsByContext.get(context);
      if (!attempts) attemptsByContext.set(context, (attempts = new Map()));
      attempts.set(String(info.path.key), attempt);
      if (unit) unitsByInfo.set(info, unit);
      const payload = resolve(source, args, context, info);
      // Mutation fields run one after another and the response waits for them all, so the
      // payload is known by the time the audit plugin reads it.
      Promise.resolve(payload).then(
        (value) => (attempt.payload = value),
        () => {}, // a thrown error reaches the response, where the plugin reads it
      );
      return payload;
    };
  }
}
