// The commander's approval of dispatch orders, and why it runs in a lane of its own. It is the
// hot path when many orders are approved at once (bench S3), so approvals that arrive while
// others are being written are approved together: one transaction locks all their orders (by id)
// and then all their batches (in the fixed order), takes the orders in arrival order — each
// checked against the stock the ones before it left, exactly as if they had come one after the
// other — and commits once, with the audit entry and idempotency claim of every approval it made.
// Each caller still gets its own answer; a refused order writes nothing. Alone, an approval runs
// at once, like any other mutation.
import type { DataSource } from "typeorm";
import { type Actor, recordedBy } from "../../core/access/auth";
import { Coalescer } from "../../core/db/coalescer";
import { inList, valuesRows } from "../../core/db/prepared";
import { inTransaction, type Transaction } from "../../core/db/transaction";
import { parseGlobalId } from "../../core/graphql/relay";
import { userError } from "../../core/graphql/errors";
import { claimTakenOverError, isClaimTakenOver } from "../../core/mutation/idempotency";
import { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { AllocationService } from "../allocation/allocation.service";
import type { StockLedger } from "../reserves/stock-ledger";
import type { DispatchOrder } from "./dispatch-order.entity";
import { checkPartnerSources, siteStockLines } from "./dispatch-sources";
import { DispatchAction, transitionFor, type Transition } from "./dispatch-state";
import { loadAllocationsOf, lockOrders, type OrderChanges } from "./dispatch-transaction";
import { AllocationSourceKind, DispatchOrderChange, DispatchStatus } from "./dispatch.enums";
import type { ApproveDispatchOrderInput } from "./dispatch.inputs";

/** An approval waiting to be approved together with others. */
interface ApprovalRequest {
  /** The approving mutation: its actor, and its audit entry and idempotency claim, which ride with the COMMIT that approves it. */
  unit: UnitOfWork;
  orderId: number;
}
type ApprovalOutcome = { order: DispatchOrder } | { error: unknown };
/** Left for a transaction of its own (see approveInOneTransaction). */
const ON_ITS_OWN = Symbol("on its own");
/**
 * Approvals run in one lane: arrivals while a transaction is in flight wait and go together in
 * the next, so under a surge each transaction carries more orders and each order costs fewer
 * round trips; one lane approved more per second than two, with less CPU per approval
 * (bench/RESULTS.md, change 21). A transaction stuck on a lock another mutation holds would then
 * stop every approval behind it; after APPROVAL_SPARE_AFTER_MS of waiting those approvals go in
 * a spare transaction of their own instead (at most APPROVAL_SPARE_RUNS at once). A transaction
 * of the surge takes a few milliseconds, so the spare runs are for a stuck lane only.
 */
const APPROVAL_LANES = 1;
const APPROVAL_SPARE_AFTER_MS = 50;
const APPROVAL_SPARE_RUNS = 3;

export class ApprovalLane {
  /** Approvals arriving together, approved together. */
  private readonly lane = new Coalescer<ApprovalRequest, ApprovalOutcome>((requests) => this.approveTogether(requests), {
    lanes: APPROVAL_LANES,
    spareRuns: { afterMs: APPROVAL_SPARE_AFTER_MS, max: APPROVAL_SPARE_RUNS },
    maxInputs: 100,
    // Alone, an approval is its request's own work (its statements count for it).
    context: "first caller",
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockLedger,
    private readonly allocation: AllocationService,
    private readonly changes: OrderChanges,
  ) {}

  /**
   * From SUBMITTED: every site-stock source is reserved — the stock rows locked in (site, item,
   * batch) order, availability re-checked under the lock, all or nothing — and partner call-offs
   * checked. For a verbal order already dispatched, approval only records the commander's decision.
   */
  async approve(unit: UnitOfWork, input: ApproveDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const orderId = parseGlobalId(input.id, "DispatchOrder", "input.id");
    const outcome = await this.lane.submit({ unit, orderId });
    if ("error" in outcome) throw outcome.error;
    return outcome;
  }

  /** Approvals in arrival order; each order at most once per transaction. */
  private async approveTogether(requests: readonly ApprovalRequest[]): Promise<ApprovalOutcome[]> {
    const outcomes = new Map<ApprovalRequest, ApprovalOutcome>();
    const alone = async (request: ApprovalRequest) => {
      try {
        outcomes.set(request, (await this.approveInOneTransaction([request]))[0] as ApprovalOutcome);
      } catch (error) {
        outcomes.set(request, { error: isClaimTakenOver(error) ? claimTakenOverError() : error });
      }
    };
    const seen = new Set<number>();
    const together = requests.filter((request) => !seen.has(request.orderId) && seen.add(request.orderId));
    // The same order twice (a double click): the repeat comes after, and finds it approved.
    const repeats = requests.filter((request) => !together.includes(request));
    if (together.length === 1) await alone(together[0]);
    else {
      let results: Array<ApprovalOutcome | typeof ON_ITS_OWN> | undefined;
      try {
        results = await this.approveInOneTransaction(together);
      } catch {
        // A failure no single order explains (a statement failed, the connection dropped): one
        // by one, so that it stays with the order that causes it.
      }
      for (const [i, request] of together.entries()) {
        const result = results?.[i];
        if (result && result !== ON_ITS_OWN) outcomes.set(request, result);
        else await alone(request);
      }
    }
    for (const request of repeats) await alone(request);
    return requests.map((request) => outcomes.get(request)!);
  }

  /**
   * One transaction approving several orders (each at most once). An order calling on partner
   * enterprises is left ON_ITS_OWN when others share the transaction: its call-off check counts
   * what other open orders have called, which the orders approved beside it would not yet show.
   */
  private approveInOneTransaction(requests: readonly ApprovalRequest[]): Promise<Array<ApprovalOutcome | typeof ON_ITS_OWN>> {
    // Not unit.transaction: this one serves several mutations. Those it approves have their
    // entries and claims ride with its COMMIT (UnitOfWork.rideTogether below); a refused one has
    // none here, and its entry is written by the audit plugin.
    return inTransaction(
      this.dataSource,
      async (tx) => {
        const manager = tx.manager;
        // The orders locked, then their allocations read and the batches those name locked
        // (in the fixed order), in one round trip with START TRANSACTION (core/db/transaction.ts):
        // the server runs them in that order, so both see the allocations as they are under the
        // orders' locks. An order that turns out not to be approvable has had its allocations
        // read and its batches locked for nothing until COMMIT, which costs less than the wait.
        const orderIds = requests.map((request) => request.orderId);
        const [condition, params] = inList("a.order_id", orderIds, "int");
        const [locked, allocationsOfAll, batches] = await Promise.all([
          lockOrders(manager, orderIds),
          loadAllocationsOf(manager, orderIds),
          this.stock.lockBatchesSelectedBy(manager, `SELECT a.batch_id FROM dispatch_allocation a WHERE ${condition} AND a.source_kind = '${AllocationSourceKind.SITE_STOCK}'`, params),
        ]);
        const results: Array<ApprovalOutcome | typeof ON_ITS_OWN | undefined> = requests.map(() => undefined);
        const candidates: Array<{ index: number; order: DispatchOrder; regionPath: string; transition: Transition }> = [];
        requests.forEach((request, index) => {
          try {
            const found = locked.get(request.orderId);
            if (!found) userError("input.id", "NOT_FOUND", "dispatch.noSuchDispatchOrder");
            candidates.push({ index, ...found, transition: transitionFor(DispatchAction.APPROVE, found.order, request.unit.actor) });
          } catch (error) {
            results[index] = { error };
          }
        });
        const submitted = new Set(candidates.filter((c) => c.transition.from === DispatchStatus.SUBMITTED).map((c) => c.order.id));
        const allocations = new Map([...allocationsOfAll].filter(([orderId]) => submitted.has(orderId)));
        const stockTakers: typeof candidates = [];
        for (const candidate of candidates) {
          const sources = allocations.get(candidate.order.id) ?? [];
          if (sources.some((a) => a.partnerId !== null)) {
            if (requests.length > 1) {
              results[candidate.index] = ON_ITS_OWN;
              continue;
            }
            await checkPartnerSources(manager, this.allocation, candidate.order.id, sources);
          }
          stockTakers.push(candidate);
        }
        const refusals = await this.stock.reserveEach(
          tx,
          requests[0].unit.actor, // recorded by nobody: a reservation writes no ledger entry
          stockTakers.map((c) => siteStockLines(allocations.get(c.order.id) ?? [])),
          batches,
        );
        const approved = stockTakers.filter((candidate, i) => {
          if (refusals[i]) results[candidate.index] = { error: refusals[i] };
          return !refusals[i];
        });
        if (requests.length === 1 && results[0]) {
          // Alone, a refusal is the transaction's outcome: nothing of it commits.
          const only = results[0];
          if (only !== ON_ITS_OWN && "error" in only) throw only.error;
        }
        this.markApproved(tx, approved.map((c) => ({ order: c.order, transition: c.transition, actor: requests[c.index].unit.actor })));
        // Each approval carried out has its own entry and claim ride with this COMMIT; refused ones none.
        UnitOfWork.rideTogether(tx, approved.map((c) => ({ unit: requests[c.index].unit, result: { order: c.order } })));
        for (const c of approved) {
          results[c.index] = { order: c.order };
          this.changes.publish(tx, c.order, c.regionPath, DispatchOrderChange.APPROVED);
        }
        return results as Array<ApprovalOutcome | typeof ON_ITS_OWN>;
      },
    );
  }

  /**
   * The approval written for several orders in one statement, sent with the COMMIT (nothing
   * waits for it before then); the orders' timestamps are read back from its answer, which is
   * in before the transaction's promise settles.
   */
  private markApproved(tx: Transaction, approvals: ReadonlyArray<{ order: DispatchOrder; transition: Transition; actor: Actor }>): void {
    if (!approvals.length) return;
    const who = approvals.map((approval) => recordedBy(approval.actor));
    const [values, params] = valuesRows(approvals.map((a, i) => [a.order.id, a.transition.to, who[i].id, who[i].name]), ["int", "text", "int", "text"]);
    approvals.forEach(({ order, transition }, i) => {
      Object.assign(order, { status: transition.to, approvedById: who[i].id, approvedBy: who[i].name, pendingApproval: false });
    });
    const written = tx.sendWithCommit<{ id: number; approvedAt: Date; updatedAt: Date }>(
      `UPDATE dispatch_order o SET status = v.status, approved_by_id = v.by_id, approved_by = v.by_name, pending_approval = false, approved_at = now(), updated_at = now()
       FROM ${values} AS v(id, status, by_id, by_name)
       WHERE o.id = v.id
       RETURNING o.id, o.approved_at AS "approvedAt", o.updated_at AS "updatedAt"`,
      params,
    );
    // Registered before the transaction waits for its statements, so it runs before it settles;
    // its failure is the transaction's.
    written.then(
      (rows) => {
        const stamps = new Map(rows.map((row) => [row.id, row]));
        for (const { order } of approvals) Object.assign(order, { approvedAt: stamps.get(order.id)!.approvedAt, updatedAt: stamps.get(order.id)!.updatedAt });
      },
      () => {},
    );
  }
}
