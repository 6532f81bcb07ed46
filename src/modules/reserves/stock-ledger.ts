// The stock ledger's building blocks (台账): every change of stock goes through one of them, inside
// the caller's transaction. A change of on-hand stock writes a StockMovement row in that
// transaction; reservations change `reserved` only (the dispatch order's allocations record them).
//
// How every building block touches stock:
//   1. (inbound only) the receiving site is read FOR SHARE, so it cannot be closed meanwhile,
//      and missing level and batch rows are inserted empty, in (site, item, batch) order;
//   2. all stock_batch rows involved are locked with one SELECT … FOR UPDATE ordered by
//      (site_id, item_id, batch_number) — the same order everywhere, so two operations over
//      the same rows (a transfer A→B racing B→A, an approval racing a transfer) wait for each
//      other instead of deadlocking; a deadlock that happens anyway (40P01) is retried by the
//      transaction;
//   3. the rules are re-checked on the locked rows (what a read before the lock saw may be
//      stale), then the rows are updated and the ledger rows inserted, set-based;
//   4. stockLevelChanged is published after COMMIT (stock-level-events.ts), never for a rollback.
// The database refuses what slips through: CHECK (0 <= reserved <= on_hand).
//
// Each takes the caller's transaction and the actor the ledger records, throws
// UserErrorsException (so the caller's transaction rolls back and nothing is half-written) and
// queues its events on that transaction:
//   reserve(tx, actor, lines)            APPROVED: reserved += q; needs q ≤ available, batch not expired.
//   reserveEach(tx, actor, orders, locked?) several orders approved together, each checked in turn.
//   releaseReservation(tx, actor, lines) CANCELLED before dispatch: reserved −= q; needs q ≤ reserved.
//   issueReserved(tx, actor, lines, ctx) DISPATCHED: on_hand −= q and reserved −= q; ISSUE entries.
//   issueAvailable(tx, actor, lines, ctx) urgent verbal order dispatched before approval:
//                                        on_hand −= q from available stock; ISSUE entries.
//   receive(tx, actor, spec, amount, movement, ctx) goods arriving into a batch named by its number.
//   transfer(tx, actor, from, to, lines, ctx) site to site; TRANSFER_OUT and TRANSFER_IN entries.
//   rotate(tx, actor, batchId, fresh, quantity, ctx, fields) old batch out, fresh batch in; ROTATION.
//   returnStock(tx, actor, siteId, lines, ctx) reusable items back (回收) to a chosen site:
//                                        on_hand += q on the same item and batch number there
//                                        (row created if missing); RETURN entries.
//   returnPartnerGoods(tx, actor, siteId, lines, ctx) reusable goods a partner supplied on an
//                                        order back at a site; RETURN entries.
//   writeOff(tx, actor, lines, ctx)      on-hand stock written off (报废); WRITE_OFF entries.
//   distribute(tx, actor, lines, ctx)    handed out to people (发放, modules/shelters): on_hand −= q
//                                        from available, unexpired stock; DISTRIBUTION entries.
//   reverseDistribution(tx, actor, lines, ctx) a distribution reversed: on_hand += q back into the
//                                        batches it came from; DISTRIBUTION_REVERSAL entries.
//   stocktake(tx, actor, siteId, counts, ctx) a stocktake (盘点) of one site; COUNT_ADJUSTMENT
//                                        entries; checks scope (recordStocktake and sheet imports).
//   expectShipment(tx, siteId, itemIds)  an order to a storage site dispatched: the site's levels
//                                        exist from then on (on hand 0 if new), and their
//                                        stockLevelChanged says IN_TRANSIT.
//   receiveShipment(tx, actor, siteId, arrivals, ctx) what arrived on an order at a storage site:
//                                        TRANSFER_IN per source batch (same batch number, dates and
//                                        reserve mode), RECEIPT of partner goods.
//   noteInTransitChange(tx, siteId, itemIds) in-transit units of an order to the site settled
//                                        without arriving (turned back, short).
// `lines` are { batchId, quantity, field? } (field names the input path in UserErrors);
// the same batch may appear on several lines (quantities add up). `ctx.dispatchOrderId` goes
// into stock_movement.dispatch_order_id.
// For planning (no locks, nothing written): `queries.allocatableBatches(itemIds, manager?)`
// lists available, unexpired batches at open sites with tier, point, minimum and the site's
// available total; `reserves.partnerSourcesForItems(itemIds)` lists partner stock and capacity
// under agreements in force. reserve() re-checks everything under lock.
// Apart from stocktake and siteInScope, these building blocks check no territorial scope: the
// caller decides who may act where. Lines touching several sites are fine: locks are still taken
// in one fixed order.
import crypto from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, recordedBy } from "../../core/access/auth";
import { assertInScope } from "../../core/access/scope";
import { localToday } from "../../core/db/local-date";
import { plainEntity } from "../../core/db/plain-rows";
import { inList, prepared, valuesRows } from "../../core/db/prepared";
import type { Transaction } from "../../core/db/transaction";
import { userError, UserError, UserErrorsException } from "../../core/graphql/errors";
import type { EventBus } from "../../core/live/pubsub";
import { InputErrors, MAX_ON_HAND } from "../../core/mutation/input-errors";
import { MovementKind, PARTNER_DELIVERY, ReserveMode, SiteStatus, SiteTier, StockChangeCause, WriteOffReason } from "./reserves.enums";
import { StockBatch } from "./stock-batch.entity";
import { StockLevelEvents } from "./stock-level-events";
import { StockMovement } from "./stock-movement.entity";
import { BATCH_COLUMNS, StockQueryService } from "./stock-query.service";
import { message, type Message } from "../../core/i18n/i18n";

/** A quantity of one batch. `field` names the input path for UserErrors (default `lines[i]`). */
export interface StockLine {
  batchId: number;
  quantity: number;
  field?: string;
}

/** What the ledger records besides quantities. */
export interface LedgerContext {
  /** Shared by every entry of one operation; a new UUID when omitted. */
  operationId?: string;
  dispatchOrderId?: number | null;
  note?: string | null;
}

export interface WriteOffContext extends LedgerContext {
  reason: WriteOffReason;
  /** Name of the approving official (审批人). */
  approvedBy: string;
}

/** One counted batch of a stocktake; `field`/`batchField` name where the count and the batch came from (UserErrors). */
export interface StocktakeCount {
  batchId: number;
  counted: number;
  field: string;
  batchField: string;
  /**
   * What the books held when the count was made (a stocktake sheet's 账面数量). Given and no
   * longer what the books hold, the count is refused: booking it would undo the movements made
   * since (an issue counted again as still on the shelf).
   */
  bookQuantity?: { quantity: number; field: string };
}

/** A reusable item coming back: the batch it was issued from and how many units. */
export interface ReturnLine {
  sourceBatchId: number;
  quantity: number;
  field?: string;
}

/**
 * Units of a dispatch order arriving at a storage site: from one of our batches (the batch they
 * were issued from), or goods a partner enterprise supplied (booked under `partnerGoods`).
 */
export interface ShipmentArrival {
  sourceBatchId: number | null;
  partnerGoods: { itemId: number; batchNumber: string } | null;
  quantity: number;
  field: string;
}

/** A site as the building blocks need it: its status, tier and region path (for scope checks). */
export interface SiteInfo {
  id: number;
  code: string;
  name: string;
  status: SiteStatus;
  tier: SiteTier;
  districtId: number;
  regionPath: string;
}

/** A batch to book into, named by site, item and batch number, with what identifies it. */
export interface BatchSpec {
  siteId: number;
  districtId: number;
  itemId: number;
  batchNumber: string;
  productionDate: string | null;
  expiryDate: string | null;
  reserveMode: ReserveMode;
}

/** Units arriving into one batch: how many, and the input paths UserErrors name. */
export interface Arrival {
  quantity: number;
  field: string;
  /** Where the batch was named (a CONFLICT of its identity); `field` when omitted. */
  batchField?: string;
}

/** A line of a transfer: its source batch as read before the lock, how many units. */
export interface TransferLine {
  source: StockBatch;
  quantity: number;
  field: string;
  batchField: string;
}

export interface MovementSpec {
  kind: MovementKind;
  reason?: string | null;
  approvedBy?: string | null;
  counterpartSiteId?: number | null;
}

interface BatchChange {
  batch: StockBatch;
  onHandDelta: number;
  reservedDelta: number;
  movement?: MovementSpec;
  field: string;
}

/** Batches locked in one statement, fresh from the locked rows. */
export interface LockedBatches {
  byId: Map<number, StockBatch>;
  byKey: Map<string, StockBatch>;
}

const batchKey = (siteId: number, itemId: number, batchNumber: string) => `${siteId}:${itemId}:${batchNumber}`;

const BATCH_NUMBER_MAX = 64;


export function isExpired(batch: StockBatch): boolean {
  return batch.expiryDate !== null && batch.expiryDate < localToday();
}

export function describeBatch(batch: StockBatch): Message {
  return message("reserves.batch", { batchNumber: batch.batchNumber });
}

/** Total asked of each batch over all lines, with the field of its first line. */
function totalsByBatch(lines: readonly StockLine[]): Map<number, { quantity: number; field: string }> {
  const totals = new Map<number, { quantity: number; field: string }>();
  lines.forEach((line, i) => {
    const total = totals.get(line.batchId);
    totals.set(line.batchId, { quantity: (total?.quantity ?? 0) + line.quantity, field: total?.field ?? line.field ?? `lines[${i}].quantity` });
  });
  return totals;
}

/** How a batch held under a number differs from what is to be booked under it (nothing: the same batch). */
function identityDifferences(existing: Pick<StockBatch, "productionDate" | "expiryDate" | "reserveMode">, spec: BatchSpec): string[] {
  const differs: string[] = [];
  if (existing.expiryDate !== spec.expiryDate) differs.push(`expiry ${existing.expiryDate ?? "none"}`);
  if (spec.productionDate !== null && existing.productionDate !== spec.productionDate) differs.push(`production date ${existing.productionDate ?? "none"}`);
  if (existing.reserveMode !== spec.reserveMode) differs.push(`reserve mode ${existing.reserveMode}`);
  return differs;
}

/** A batch number names one batch: the same number must carry the same dates and reserve mode. */
function conflict(existing: StockBatch, spec: BatchSpec, field: string): UserError | null {
  const differs = identityDifferences(existing, spec);
  if (!differs.length) return null;
  return new UserError(field, "CONFLICT", "reserves.isAlreadyHeldAtThat", { batch: describeBatch(existing), differs: differs.join(", ") });
}

/** The rule for taking units out of available stock, with the message a user can act on. */
function checkAvailable(batch: StockBatch, quantity: number, field: string): UserError | null {
  if (quantity > batch.onHand) {
    return new UserError(field, "INSUFFICIENT_STOCK", "reserves.hasOnHandCannotTake", { batch: describeBatch(batch), onHand: batch.onHand, quantity });
  }
  if (quantity > batch.available) {
    return new UserError(
      field,
      "STOCK_RESERVED",
      "reserves.hasOnHandButAre", { batch: describeBatch(batch), onHand: batch.onHand, reserved: batch.reserved, available: batch.available, quantity },
    );
  }
  return null;
}

/** The same item and batch identity as `source`, at `site`. */
function specAt(source: StockBatch, site: SiteInfo): BatchSpec {
  return {
    siteId: site.id,
    districtId: site.districtId,
    itemId: source.itemId,
    batchNumber: source.batchNumber,
    productionDate: source.productionDate,
    expiryDate: source.expiryDate,
    reserveMode: source.reserveMode,
  };
}

export class StockLedger {
  readonly queries: StockQueryService;
  /** What the ledger's changes tell subscribers (stockLevelChanged). */
  readonly levelEvents: StockLevelEvents;

  constructor(
    dataSource: DataSource,
    readonly events: EventBus,
  ) {
    this.queries = new StockQueryService(dataSource);
    this.levelEvents = new StockLevelEvents(this.queries, events);
  }

  // ------------------------------------------------------------ locks and sites

  /**
   * Locks batches (by id and/or by site × item × batch number) in the fixed order
   * (site_id, item_id, batch_number) and returns them fresh from the locked rows.
   */
  async lockBatches(manager: EntityManager, ids: readonly number[], keys: readonly { siteId: number; itemId: number; batchNumber: string }[] = []): Promise<LockedBatches> {
    // One condition per way of naming a batch: `id = ANY(…) OR (site, item, number) IN (…)`
    // can use neither index, and walks every batch of the district under the lock (bench/RESULTS.md).
    const keyedIds = (first: number) => {
      const [values, params] = valuesRows(keys.map((k) => [k.siteId, k.itemId, k.batchNumber]), ["int", "int", "text"], first);
      const sql = `SELECT kb.id FROM stock_batch kb JOIN ${values} AS k(site_id, item_id, batch_number)
         ON kb.site_id = k.site_id AND kb.item_id = k.item_id AND kb.batch_number = k.batch_number`;
      return [sql, params] as const;
    };
    // Scalar parameters throughout, so that PostgreSQL keeps the plan (core/db/prepared.ts).
    let condition: string;
    let params: unknown[];
    if (!keys.length) {
      [condition, params] = inList("b.id", ids, "int");
    } else if (!ids.length && keys.length === 1) {
      condition = "b.site_id = $1::int AND b.item_id = $2::int AND b.batch_number = $3::text";
      params = [keys[0].siteId, keys[0].itemId, keys[0].batchNumber];
    } else if (!ids.length) {
      const [keyed, keyParams] = keyedIds(1);
      [condition, params] = [`b.id IN (${keyed})`, [...keyParams]];
    } else {
      const [idValues, idParams] = valuesRows(ids.map((id) => [id]), ["int"]);
      const [keyed, keyParams] = keyedIds(idParams.length + 1);
      [condition, params] = [`b.id IN (SELECT i.id FROM ${idValues} AS i(id) UNION ${keyed})`, [...idParams, ...keyParams]];
    }
    return this.lockBatchesWhere(manager, condition, params);
  }

  /**
   * Locks the batches whose ids `idsSql` selects (a subquery, its parameters from $1), in the
   * same fixed order as lockBatches, so that the two never deadlock each other. For a caller
   * that can name its batches before it has read them: dispatch approval locks the batches its
   * allocations name in the round trip that reads the allocations. Sent on the call, like
   * every statement here (core/db/transaction.ts).
   */
  lockBatchesSelectedBy(manager: EntityManager, idsSql: string, params: readonly unknown[]): Promise<LockedBatches> {
    return this.lockBatchesWhere(manager, `b.id IN (${idsSql})`, params);
  }

  private async lockBatchesWhere(manager: EntityManager, condition: string, params: readonly unknown[]): Promise<LockedBatches> {
    const rows = await prepared(
      manager,
      `SELECT ${BATCH_COLUMNS} FROM stock_batch b WHERE ${condition}
       ORDER BY b.site_id, b.item_id, b.batch_number
       FOR UPDATE OF b`,
      params,
    );
    const batches = rows.map((row) => this.queries.batchFromRow(row));
    return {
      byId: new Map(batches.map((batch) => [batch.id, batch])),
      byKey: new Map(batches.map((batch) => [batchKey(batch.siteId, batch.itemId, batch.batchNumber), batch])),
    };
  }

  /** Sites with their region path (for scope checks), in id order; FOR SHARE when stock is about to arrive there. */
  async sites(manager: EntityManager, ids: readonly number[], lockForShare: boolean): Promise<Map<number, SiteInfo>> {
    const [siteCondition, siteParams] = inList("s.id", ids, "int");
    const rows = await prepared<{ id: number; code: string; name: string; status: SiteStatus; tier: SiteTier; district_id: number; path: string }>(
      manager,
      `SELECT s.id, s.code, s.name, s.status, s.tier, s.district_id, r.path
       FROM storage_site s JOIN region r ON r.id = s.region_id
       WHERE ${siteCondition} ORDER BY s.id ${lockForShare ? "FOR SHARE OF s" : ""}`,
      siteParams,
    );
    return new Map(rows.map((row) => [row.id, { id: row.id, code: row.code, name: row.name, status: row.status, tier: row.tier, districtId: row.district_id, regionPath: row.path }]));
  }

  /** One site the actor may change stock at (NOT_FOUND at `field`, FORBIDDEN outside the actor's scope). */
  async siteInScope(manager: EntityManager, actor: Actor, siteId: number, field: string, lockForShare: boolean): Promise<SiteInfo> {
    const site = (await this.sites(manager, [siteId], lockForShare)).get(siteId);
    if (!site) userError(field, "NOT_FOUND", "reserves.noSuchStorageSite");
    assertInScope(actor, site.regionPath, message("scope.what.site", { name: site.name }));
    return site;
  }

  /** A site stock is about to arrive at: read FOR SHARE (it cannot be closed meanwhile), and not closed. */
  private async receivingSite(manager: EntityManager, siteId: number, field: string): Promise<SiteInfo> {
    const site = (await this.sites(manager, [siteId], true)).get(siteId);
    if (!site) userError(field, "NOT_FOUND", "reserves.noSuchStorageSite");
    if (site.status === SiteStatus.CLOSED) userError(field, "INVALID_STATE", "reserves.isClosedAndReceivesNothing", { name: site.name });
    return site;
  }

  /** Inserts the missing level and batch rows (empty) that stock is about to arrive in, in lock order. */
  private async ensureBatches(manager: EntityManager, specs: readonly BatchSpec[]): Promise<void> {
    if (!specs.length) return;
    const sorted = [...specs].sort((a, b) => a.siteId - b.siteId || a.itemId - b.itemId || (a.batchNumber < b.batchNumber ? -1 : a.batchNumber > b.batchNumber ? 1 : 0));
    // One statement for both (a round trip less for every receipt and return): the batch's
    // foreign key to its level is checked at the end of the statement, after the level's insert.
    await prepared(
      manager,
      `WITH levels AS (
         INSERT INTO stock_level (district_id, site_id, item_id, minimum_quantity)
         SELECT DISTINCT ON (site_id, item_id) district_id, site_id, item_id, 0
         FROM unnest($1::int[], $2::int[], $3::int[]) AS input(district_id, site_id, item_id)
         ORDER BY site_id, item_id
         ON CONFLICT (site_id, item_id) DO NOTHING
       )
       INSERT INTO stock_batch (district_id, site_id, item_id, batch_number, production_date, expiry_date, reserve_mode, on_hand, reserved)
       SELECT input.district_id, input.site_id, input.item_id, input.batch_number, input.production_date, input.expiry_date, input.reserve_mode, 0, 0
       FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::date[], $6::date[], $7::text[])
            WITH ORDINALITY AS input(district_id, site_id, item_id, batch_number, production_date, expiry_date, reserve_mode, position)
       ORDER BY input.position
       ON CONFLICT (site_id, item_id, batch_number) DO NOTHING`,
      [
        sorted.map((s) => s.districtId),
        sorted.map((s) => s.siteId),
        sorted.map((s) => s.itemId),
        sorted.map((s) => s.batchNumber),
        sorted.map((s) => s.productionDate),
        sorted.map((s) => s.expiryDate),
        sorted.map((s) => s.reserveMode),
      ],
    );
  }

  // ------------------------------------------------------------ the write every block ends with

  /**
   * Applies changes to locked batches, writes their ledger rows (one INSERT) and the new
   * quantities (one UPDATE), and queues stockLevelChanged for after the commit.
   */
  private async writeChanges(tx: Transaction, actor: Actor, changes: readonly BatchChange[], context: LedgerContext, extraCauses: StockChangeCause[] = []): Promise<StockMovement[]> {
    const operationId = context.operationId ?? crypto.randomUUID();
    const movementRows: Array<{ batch: StockBatch; spec: MovementSpec; quantity: number; onHandAfter: number }> = [];
    for (const change of changes) {
      const onHand = change.batch.onHand + change.onHandDelta;
      const reserved = change.batch.reserved + change.reservedDelta;
      // Callers check these with precise messages; this guard keeps a slip from reaching the CHECK as an internal error.
      if (onHand < 0 || reserved < 0 || reserved > onHand) userError(change.field, "INSUFFICIENT_STOCK", "reserves.notEnoughStockForThis", { batch: describeBatch(change.batch) });
      if (onHand > MAX_ON_HAND) userError(change.field, "OUT_OF_RANGE", "reserves.wouldHoldMoreThanUnits", { batch: describeBatch(change.batch), maxOnHand: MAX_ON_HAND });
      change.batch.onHand = onHand;
      change.batch.reserved = reserved;
      if (change.movement && change.onHandDelta !== 0) movementRows.push({ batch: change.batch, spec: change.movement, quantity: change.onHandDelta, onHandAfter: onHand });
    }
    const finalStates = new Map(changes.map((change) => [change.batch.id, change.batch]));
    // The batches in memory are then the rows as written, so nobody needs to read them again.
    if (!finalStates.size) return [];
    const [values, params] = valuesRows([...finalStates.values()].map((b) => [b.id, b.onHand, b.reserved]), ["int", "int", "int"]);
    // Not waited for (it rides with the next statement or with COMMIT): nothing here needs its
    // answer but the batches' updated_at, which is in before the transaction's promise settles
    // (core/db/transaction.ts).
    const written = tx.sendWithCommit<{ id: number; updated_at: Date }>(
      `UPDATE stock_batch SET on_hand = input.on_hand, reserved = input.reserved, updated_at = now()
       FROM ${values} AS input(id, on_hand, reserved)
       WHERE stock_batch.id = input.id
       RETURNING stock_batch.id, stock_batch.updated_at`,
      params,
    );
    // Registered before the transaction waits for its statements, so it runs before it settles;
    // its failure is the transaction's (reported there).
    written.then(
      (rows) => {
        for (const row of rows) finalStates.get(row.id)!.updatedAt = row.updated_at;
      },
      () => {},
    );
    let movements: StockMovement[] = [];
    if (movementRows.length) {
      const who = recordedBy(actor);
      const ledger = plainEntity(tx.manager, StockMovement);
      const inserted = await prepared(
        tx.manager,
        `INSERT INTO stock_movement (district_id, batch_id, site_id, item_id, kind, quantity, on_hand_after, reason, approved_by,
                                     counterpart_site_id, dispatch_order_id, operation_id, note, recorded_by_id, recorded_by)
         SELECT input.district_id, input.batch_id, input.site_id, input.item_id, input.kind, input.quantity, input.on_hand_after, input.reason,
                input.approved_by, input.counterpart_site_id, $12::int, $13::uuid, $14::text, $15::int, $16::text
         FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::int[], $11::int[])
              AS input(district_id, batch_id, site_id, item_id, kind, quantity, on_hand_after, reason, approved_by, counterpart_site_id, position)
         ORDER BY input.position
         RETURNING ${ledger.columns("stock_movement")}`,
        [
          movementRows.map((m) => m.batch.districtId),
          movementRows.map((m) => m.batch.id),
          movementRows.map((m) => m.batch.siteId),
          movementRows.map((m) => m.batch.itemId),
          movementRows.map((m) => m.spec.kind),
          movementRows.map((m) => m.quantity),
          movementRows.map((m) => m.onHandAfter),
          movementRows.map((m) => m.spec.reason ?? null),
          movementRows.map((m) => m.spec.approvedBy ?? null),
          movementRows.map((m) => m.spec.counterpartSiteId ?? null),
          movementRows.map((_, i) => i),
          context.dispatchOrderId ?? null,
          operationId,
          context.note ?? null,
          who.id,
          who.name,
        ],
      );
      movements = inserted.map((row) => ledger.toEntity(row)).sort((a, b) => a.id - b.id);
    }
    for (const change of changes) {
      const causes = change.movement ? [change.movement.kind as unknown as StockChangeCause] : [];
      this.levelEvents.changed(tx, change.batch, [...causes, ...extraCauses], change.movement ? operationId : null);
    }
    return movements;
  }

  /** Checks line quantities and locks their batches; NOT_FOUND for unknown ones. */
  private async lockLines(tx: Transaction, lines: readonly StockLine[]) {
    const check = new InputErrors();
    lines.forEach((line, i) => check.quantity(line.quantity, line.field ?? `lines[${i}].quantity`));
    check.throwIfAny();
    const locked = await this.lockBatches(tx.manager, [...new Set(lines.map((line) => line.batchId))]);
    lines.forEach((line, i) => {
      if (!locked.byId.has(line.batchId)) check.add(line.field ?? `lines[${i}].batchId`, "NOT_FOUND", "reserves.noStockBatch", { batchId: line.batchId });
    });
    check.throwIfAny();
    return { locked, totals: totalsByBatch(lines) };
  }

  private changesFor(lines: readonly StockLine[], locked: Map<number, StockBatch>, make: (batch: StockBatch, line: StockLine, field: string) => Omit<BatchChange, "batch" | "field">): BatchChange[] {
    return lines.map((line, i) => {
      const field = line.field ?? `lines[${i}].quantity`;
      return { batch: locked.get(line.batchId)!, field, ...make(locked.get(line.batchId)!, line, field) };
    });
  }

  // ------------------------------------------------------------ reservations and issues

  /** Reserves stock for an approved order: reserved += q. No ledger entry (on hand is unchanged). */
  async reserve(tx: Transaction, actor: Actor, lines: readonly StockLine[]): Promise<void> {
    const [refused] = await this.reserveEach(tx, actor, [lines]);
    if (refused) throw refused;
  }

  /**
   * Reserves stock for several orders approved in one transaction (dispatch approves orders
   * that arrive together at once): all their batches locked in one statement, each order checked
   * in turn against what the orders before it left — as if they had come one after the other —
   * and one write. Per order: null, or the errors that refused it; nothing of a refused order is
   * written. `lockedBefore`: the batches, already locked by the caller in this transaction
   * (lockBatchesSelectedBy); every line's batch must be among them.
   */
  async reserveEach(tx: Transaction, actor: Actor, orders: ReadonlyArray<readonly StockLine[]>, lockedBefore?: LockedBatches): Promise<Array<UserErrorsException | null>> {
    const ids = [...new Set(orders.flat().map((line) => line.batchId))];
    if (lockedBefore) {
      // Locking a batch it was not told of now would break the fixed lock order.
      const forgotten = ids.filter((id) => !lockedBefore.byId.has(id));
      if (forgotten.length) {
        const [condition, params] = inList("id", forgotten, "int");
        const exists = await prepared(tx.manager, `SELECT id FROM stock_batch WHERE ${condition}`, params);
        if (exists.length) throw new Error(`reserveEach: batches ${exists.map((row) => row.id).join(", ")} were not among those locked before`);
      }
    }
    const locked = lockedBefore ?? (await this.lockBatches(tx.manager, ids));
    /** What each batch still has as the orders are taken in turn. */
    const left = new Map([...locked.byId].map(([id, batch]) => [id, Object.assign(new StockBatch(), batch)]));
    const accepted: StockLine[] = [];
    const outcomes = orders.map((lines) => {
      const check = new InputErrors();
      lines.forEach((line, i) => {
        check.quantity(line.quantity, line.field ?? `lines[${i}].quantity`);
        if (!left.has(line.batchId)) check.add(line.field ?? `lines[${i}].batchId`, "NOT_FOUND", "reserves.noStockBatch", { batchId: line.batchId });
      });
      if (!check.errors.length) {
        const totals = totalsByBatch(lines);
        for (const [batchId, { quantity, field }] of totals) {
          const batch = left.get(batchId)!;
          if (isExpired(batch)) check.errors.push(new UserError(field, "EXPIRED", "reserves.expiredOnItCannotBe", { batch: describeBatch(batch), expiryDate: batch.expiryDate }));
          else {
            const problem = checkAvailable(batch, quantity, field);
            if (problem) check.errors.push(problem);
          }
        }
        if (!check.errors.length) {
          for (const [batchId, { quantity }] of totals) left.get(batchId)!.reserved += quantity;
          accepted.push(...lines);
        }
      }
      return check.errors.length ? new UserErrorsException(check.errors) : null;
    });
    if (accepted.length) {
      await this.writeChanges(tx, actor, this.changesFor(accepted, locked.byId, (_, line) => ({ onHandDelta: 0, reservedDelta: line.quantity })), {}, [StockChangeCause.RESERVATION]);
    }
    return outcomes;
  }

  /** Releases reserved stock (order cancelled before dispatch): reserved −= q. */
  async releaseReservation(tx: Transaction, actor: Actor, lines: readonly StockLine[]): Promise<StockBatch[]> {
    const { locked, totals } = await this.lockLines(tx, lines);
    const errors: UserError[] = [];
    for (const [batchId, { quantity, field }] of totals) {
      const batch = locked.byId.get(batchId)!;
      if (quantity > batch.reserved) errors.push(new UserError(field, "INVALID_STATE", "reserves.hasOnlyReservedCannotRelease", { batch: describeBatch(batch), reserved: batch.reserved, quantity }));
    }
    if (errors.length) throw new UserErrorsException(errors);
    await this.writeChanges(tx, actor, this.changesFor(lines, locked.byId, (_, line) => ({ onHandDelta: 0, reservedDelta: -line.quantity })), {}, [StockChangeCause.RELEASE]);
    return [...locked.byId.values()];
  }

  /** Issues reserved stock (order dispatched): on_hand −= q, reserved −= q; one ISSUE entry per line. */
  async issueReserved(tx: Transaction, actor: Actor, lines: readonly StockLine[], context: LedgerContext = {}): Promise<StockMovement[]> {
    const { locked, totals } = await this.lockLines(tx, lines);
    const errors: UserError[] = [];
    for (const [batchId, { quantity, field }] of totals) {
      const batch = locked.byId.get(batchId)!;
      if (quantity > batch.reserved) errors.push(new UserError(field, "INVALID_STATE", "reserves.hasOnlyReservedCannotIssue", { batch: describeBatch(batch), reserved: batch.reserved, quantity }));
    }
    if (errors.length) throw new UserErrorsException(errors);
    return this.writeChanges(
      tx,
      actor,
      this.changesFor(lines, locked.byId, (_, line) => ({ onHandDelta: -line.quantity, reservedDelta: -line.quantity, movement: { kind: MovementKind.ISSUE } })),
      context,
    );
  }

  /** Issues unreserved stock (urgent verbal order before approval): on_hand −= q from available; ISSUE entries. */
  issueAvailable(tx: Transaction, actor: Actor, lines: readonly StockLine[], context: LedgerContext = {}): Promise<StockMovement[]> {
    return this.takeAvailable(tx, actor, lines, context, MovementKind.ISSUE);
  }

  /** Hands stock out to people (发放): on_hand −= q from available, unexpired stock; DISTRIBUTION entries. */
  distribute(tx: Transaction, actor: Actor, lines: readonly StockLine[], context: LedgerContext = {}): Promise<StockMovement[]> {
    return this.takeAvailable(tx, actor, lines, context, MovementKind.DISTRIBUTION);
  }

  /** on_hand −= q from available, unexpired stock, with entries of `kind` (ISSUE, DISTRIBUTION). */
  private async takeAvailable(tx: Transaction, actor: Actor, lines: readonly StockLine[], context: LedgerContext, kind: MovementKind.ISSUE | MovementKind.DISTRIBUTION): Promise<StockMovement[]> {
    const { locked, totals } = await this.lockLines(tx, lines);
    const errors: UserError[] = [];
    for (const [batchId, { quantity, field }] of totals) {
      const batch = locked.byId.get(batchId)!;
      if (isExpired(batch)) errors.push(new UserError(field, "EXPIRED", "reserves.expiredOnItCannotBe", { batch: describeBatch(batch), expiryDate: batch.expiryDate }));
      else {
        const problem = checkAvailable(batch, quantity, field);
        if (problem) errors.push(problem);
      }
    }
    if (errors.length) throw new UserErrorsException(errors);
    return this.writeChanges(tx, actor, this.changesFor(lines, locked.byId, (_, line) => ({ onHandDelta: -line.quantity, reservedDelta: 0, movement: { kind } })), context);
  }

  /** Writes off on-hand stock from what is available; WRITE_OFF entries with reason and approver. */
  async writeOff(tx: Transaction, actor: Actor, lines: readonly StockLine[], context: WriteOffContext): Promise<StockMovement[]> {
    if (!context.approvedBy?.trim()) userError("approvedBy", "REQUIRED", "reserves.aWriteOffNeedsThe");
    const { locked, totals } = await this.lockLines(tx, lines);
    const errors: UserError[] = [];
    for (const [batchId, { quantity, field }] of totals) {
      const problem = checkAvailable(locked.byId.get(batchId)!, quantity, field);
      if (problem) errors.push(problem);
    }
    if (errors.length) throw new UserErrorsException(errors);
    return this.writeChanges(
      tx,
      actor,
      this.changesFor(lines, locked.byId, (_, line) => ({
        onHandDelta: -line.quantity,
        reservedDelta: 0,
        movement: { kind: MovementKind.WRITE_OFF, reason: context.reason, approvedBy: context.approvedBy.trim() },
      })),
      context,
    );
  }

  /** A distribution reversed by a new entry: on_hand += q back into the batches it came from; DISTRIBUTION_REVERSAL entries. */
  async reverseDistribution(tx: Transaction, actor: Actor, lines: readonly StockLine[], context: LedgerContext = {}): Promise<StockMovement[]> {
    const { locked } = await this.lockLines(tx, lines);
    return this.writeChanges(tx, actor, this.changesFor(lines, locked.byId, (_, line) => ({ onHandDelta: line.quantity, reservedDelta: 0, movement: { kind: MovementKind.DISTRIBUTION_REVERSAL } })), context);
  }

  // ------------------------------------------------------------ stock arriving and moving

  /**
   * Goods arriving into the batch `spec` names (入库): created if the site does not hold it yet;
   * a batch held under that number must be the same batch (dates and reserve mode). The site
   * must have been read FOR SHARE by the caller in this transaction (sites, siteInScope).
   */
  async receive(tx: Transaction, actor: Actor, spec: BatchSpec, arrival: Arrival, movement: MovementSpec, context: LedgerContext): Promise<{ batch: StockBatch; movement: StockMovement }> {
    const written: StockBatch[] = [];
    const [entry] = await this.receiveInto(tx, actor, [spec], [arrival], movement, context, written);
    return { batch: written[0], movement: entry };
  }

  /**
   * Site to site: for each line, its units leave the source batch (TRANSFER_OUT) and arrive in
   * the same item and batch number at `to` (TRANSFER_IN, created if missing, with the source's
   * dates and reserve mode), one operation. Both sites must have been read FOR SHARE by the
   * caller in this transaction, in id order (sites()).
   */
  async transfer(tx: Transaction, actor: Actor, from: SiteInfo, to: SiteInfo, lines: readonly TransferLine[], context: LedgerContext): Promise<StockMovement[]> {
    const specs = lines.map((line) => specAt(line.source, to));
    await this.ensureBatches(tx.manager, specs);
    const locked = await this.lockBatches(tx.manager, lines.map((line) => line.source.id), specs);
    const errors: UserError[] = [];
    const changes: BatchChange[] = [];
    lines.forEach((line, i) => {
      const source = locked.byId.get(line.source.id)!;
      const destination = locked.byKey.get(batchKey(to.id, source.itemId, source.batchNumber))!;
      const problem = checkAvailable(source, line.quantity, line.field) ?? conflict(destination, specs[i], line.batchField);
      if (problem) errors.push(problem);
      changes.push({ batch: source, onHandDelta: -line.quantity, reservedDelta: 0, movement: { kind: MovementKind.TRANSFER_OUT, counterpartSiteId: to.id }, field: line.field });
      changes.push({ batch: destination, onHandDelta: line.quantity, reservedDelta: 0, movement: { kind: MovementKind.TRANSFER_IN, counterpartSiteId: from.id }, field: line.field });
    });
    if (errors.length) throw new UserErrorsException(errors);
    return this.writeChanges(tx, actor, changes, context);
  }

  /**
   * Rotation (轮换): `quantity` (null: all available) of batch `batchId` leaves and the same
   * quantity of the `fresh` batch at the same site arrives (created if missing); two ROTATION
   * entries, one operation. Reserved units stay in the old batch: they are promised to approved
   * orders. `fields` name the input paths of the old batch, the quantity and the fresh batch's number.
   */
  async rotate(
    tx: Transaction,
    actor: Actor,
    batchId: number,
    fresh: BatchSpec,
    quantity: number | null,
    context: LedgerContext,
    fields: { batch: string; quantity: string; freshBatch: string },
  ): Promise<{ outgoing: StockMovement; incoming: StockMovement; newBatch: StockBatch }> {
    await this.ensureBatches(tx.manager, [fresh]);
    const locked = await this.lockBatches(tx.manager, [batchId], [fresh]);
    const outgoing = locked.byId.get(batchId)!;
    const incoming = locked.byKey.get(batchKey(fresh.siteId, fresh.itemId, fresh.batchNumber))!;
    const rotated = quantity ?? outgoing.available;
    if (rotated <= 0) userError(fields.batch, "INSUFFICIENT_STOCK", "reserves.hasNothingAvailableToRotate", { batch: describeBatch(outgoing) });
    const problem = checkAvailable(outgoing, rotated, fields.quantity) ?? conflict(incoming, fresh, fields.freshBatch);
    if (problem) throw new UserErrorsException([problem]);
    const movements = await this.writeChanges(
      tx,
      actor,
      [
        { batch: outgoing, onHandDelta: -rotated, reservedDelta: 0, movement: { kind: MovementKind.ROTATION }, field: fields.quantity },
        { batch: incoming, onHandDelta: rotated, reservedDelta: 0, movement: { kind: MovementKind.ROTATION }, field: fields.quantity },
      ],
      context,
    );
    return { outgoing: movements.find((m) => m.quantity < 0)!, incoming: movements.find((m) => m.quantity > 0)!, newBatch: incoming };
  }

  /**
   * Reusable items back at a site (回收): each line adds to the same item and batch number at
   * `siteId` (created there if missing, with the source batch's dates and reserve mode).
   * Returns the RETURN entries. The site must exist and not be CLOSED.
   */
  async returnStock(tx: Transaction, actor: Actor, siteId: number, lines: readonly ReturnLine[], context: LedgerContext = {}, siteField = "siteId"): Promise<StockMovement[]> {
    const check = new InputErrors();
    lines.forEach((line, i) => check.quantity(line.quantity, line.field ?? `lines[${i}].quantity`));
    check.throwIfAny();
    const site = await this.receivingSite(tx.manager, siteId, siteField);
    const sources = await this.queries.batchesByIds([...new Set(lines.map((line) => line.sourceBatchId))], tx.manager);
    const sourceById = new Map(sources.filter((b): b is StockBatch => b !== null).map((b) => [b.id, b]));
    lines.forEach((line, i) => sourceById.has(line.sourceBatchId) || check.add(line.field ?? `lines[${i}].sourceBatchId`, "NOT_FOUND", "reserves.noStockBatch2", { sourceBatchId: line.sourceBatchId }));
    check.throwIfAny();
    const specs = lines.map((line) => specAt(sourceById.get(line.sourceBatchId)!, site));
    return this.receiveInto(tx, actor, specs, lines.map((line, i) => ({ quantity: line.quantity, field: line.field ?? `lines[${i}].quantity`, batchField: `lines[${i}].sourceBatchId` })), { kind: MovementKind.RETURN }, context);
  }

  /**
   * Reusable goods a partner enterprise supplied on a dispatch order — never in a batch of ours —
   * back at a site (回收): RETURN entries into `batchNumber` there (created if missing, without
   * dates, with the given reserve mode).
   */
  async returnPartnerGoods(
    tx: Transaction,
    actor: Actor,
    siteId: number,
    lines: ReadonlyArray<{ itemId: number; batchNumber: string; reserveMode: ReserveMode; quantity: number; field?: string }>,
    context: LedgerContext = {},
    siteField = "siteId",
  ): Promise<StockMovement[]> {
    const check = new InputErrors();
    lines.forEach((line, i) => check.quantity(line.quantity, line.field ?? `lines[${i}].quantity`));
    check.throwIfAny();
    const site = await this.receivingSite(tx.manager, siteId, siteField);
    const specs: BatchSpec[] = lines.map((line) => ({
      siteId,
      districtId: site.districtId,
      itemId: line.itemId,
      batchNumber: line.batchNumber,
      productionDate: null,
      expiryDate: null,
      reserveMode: line.reserveMode,
    }));
    return this.receiveInto(tx, actor, specs, lines.map((line, i) => ({ quantity: line.quantity, field: line.field ?? `lines[${i}].quantity` })), { kind: MovementKind.RETURN }, context);
  }

  /** Inbound: ensure the rows, lock them, check batch identity, add the quantities. `movement`: one for all, or one per spec. */
  private async receiveInto(
    tx: Transaction,
    actor: Actor,
    specs: BatchSpec[],
    arrivals: readonly Arrival[],
    movement: MovementSpec | readonly MovementSpec[],
    context: LedgerContext,
    /** Filled with the batches as written, in the order of `specs`. */
    written: StockBatch[] = [],
    extraCauses: StockChangeCause[] = [],
  ): Promise<StockMovement[]> {
    await this.ensureBatches(tx.manager, specs);
    const locked = await this.lockBatches(tx.manager, [], specs);
    const errors: UserError[] = [];
    const changes = specs.map((spec, i) => {
      const batch = locked.byKey.get(batchKey(spec.siteId, spec.itemId, spec.batchNumber))!;
      const problem = conflict(batch, spec, arrivals[i].batchField ?? arrivals[i].field);
      if (problem) errors.push(problem);
      return { batch, onHandDelta: arrivals[i].quantity, reservedDelta: 0, movement: Array.isArray(movement) ? movement[i] : (movement as MovementSpec), field: arrivals[i].field };
    });
    if (errors.length) throw new UserErrorsException(errors);
    const movements = await this.writeChanges(tx, actor, changes, context, extraCauses);
    written.push(...changes.map((change) => change.batch));
    return movements;
  }

  // ------------------------------------------------------------ stocktake

  /**
   * The stocktake of one site inside the caller's transaction (recordStocktake, and the sheet
   * import, which counts many sites in one transaction): checks scope, locks the counted
   * batches, checks every count under the lock and either throws UserErrorsException listing
   * every problem before anything is written, or writes one COUNT_ADJUSTMENT per batch whose
   * count differs. Callers counting several sites call it in ascending site id order, so their
   * locks follow the fixed order. Counts must be whole numbers (checked by the caller, which
   * knows where they came from).
   */
  async stocktake(tx: Transaction, actor: Actor, siteId: number, counts: readonly StocktakeCount[], context: LedgerContext = {}, siteField = "siteId"): Promise<StockMovement[]> {
    const site = await this.siteInScope(tx.manager, actor, siteId, siteField, true);
    const locked = await this.lockBatches(tx.manager, counts.map((count) => count.batchId));
    const errors: UserError[] = [];
    const changes: BatchChange[] = [];
    counts.forEach((count) => {
      const batch = locked.byId.get(count.batchId);
      if (!batch) return errors.push(new UserError(count.batchField, "NOT_FOUND", "reserves.noStockBatch", { batchId: count.batchId }));
      if (batch.siteId !== siteId) return errors.push(new UserError(count.batchField, "INVALID_VALUE", "reserves.isNotHeldAt", { batch: describeBatch(batch), name: site.name }));
      if (count.bookQuantity && count.bookQuantity.quantity !== batch.onHand) {
        return errors.push(
          new UserError(
            count.bookQuantity.field,
            "STALE_SHEET",
            "reserves.staleSheet",
            { sheet: count.bookQuantity.quantity, batch: describeBatch(batch), books: batch.onHand },
          ),
        );
      }
      if (count.counted < batch.reserved) {
        return errors.push(
          new UserError(count.field, "INVALID_STATE", "reserves.unitsOfAreReservedFor", { reserved: batch.reserved, batch: describeBatch(batch), counted: count.counted }),
        );
      }
      if (count.counted > batch.onHand && site.status === SiteStatus.CLOSED) return errors.push(new UserError(siteField, "INVALID_STATE", "reserves.isClosed", { name: site.name }));
      if (count.counted !== batch.onHand) changes.push({ batch, onHandDelta: count.counted - batch.onHand, reservedDelta: 0, movement: { kind: MovementKind.COUNT_ADJUSTMENT }, field: count.field });
    });
    if (errors.length) throw new UserErrorsException(errors);
    return changes.length ? this.writeChanges(tx, actor, changes, context) : [];
  }

  // ------------------------------------------------------------ shipments on dispatch orders

  /**
   * An order to a storage site is dispatched: the site (read FOR SHARE, so it cannot be closed
   * while goods are on their way to it) gets a level row for every item on the way, empty if it
   * did not stock the item yet. The level is where in-transit stock shows (StockLevel.inTransit,
   * computed from the order lines): a site that never held an item still shows it arriving, and
   * stockSummary counts it there. Its stockLevelChanged (IN_TRANSIT) goes out after COMMIT.
   * Call it before the order's stock is issued: the level rows are inserted before any batch
   * lock, as every inbound operation does.
   */
  async expectShipment(tx: Transaction, siteId: number, itemIds: readonly number[], siteField = "siteId"): Promise<void> {
    const site = await this.receivingSite(tx.manager, siteId, siteField);
    const items = [...new Set(itemIds)].sort((a, b) => a - b);
    await prepared(
      tx.manager,
      `INSERT INTO stock_level (district_id, site_id, item_id, minimum_quantity)
       SELECT $1::int, $2::int, item_id, 0 FROM unnest($3::int[]) AS item_id ORDER BY item_id
       ON CONFLICT (site_id, item_id) DO NOTHING`,
      [site.districtId, siteId, items],
    );
    this.noteInTransitChange(tx, siteId, items);
  }

  /** Units on their way to a site stopped being so without arriving (turned back, written off short): its levels' subscribers hear of it. */
  noteInTransitChange(tx: Transaction, siteId: number, itemIds: readonly number[]): void {
    for (const itemId of new Set(itemIds)) this.levelEvents.changed(tx, { siteId, itemId }, [StockChangeCause.IN_TRANSIT], null);
  }

  /**
   * What arrived on a dispatch order at a storage site (签收入库), in the caller's transaction.
   *
   * Units from one of our batches: a TRANSFER_IN per source batch, its counterpart the source
   * site. Not a RECEIPT: the goods were the reserve's before and are still, so the district's
   * receipts (purchases, donations) stay what came in from outside, and the two ends of the move
   * — the ISSUE at the source and this entry — both carry the order (`ctx.dispatchOrderId`). The
   * units keep their identity: the same batch number, production and expiry dates and reserve
   * mode, so the receiver can issue them onward (FEFO) and their expiry alerts keep working. A
   * batch of that number already at the site merges with them only when it is the same batch
   * (same dates and mode); otherwise they become a batch of their own, numbered
   * `<number>/<source site code>` — goods are never refused at the door over a clash of numbers,
   * and the printed number still leads.
   *
   * Partner goods: a RECEIPT of reason PARTNER_DELIVERY into `partnerGoods.batchNumber` (no dates
   * known, government reserve), as recordReturn books them.
   */
  async receiveShipment(tx: Transaction, actor: Actor, siteId: number, arrivals: readonly ShipmentArrival[], context: LedgerContext, siteField = "siteId"): Promise<StockMovement[]> {
    const check = new InputErrors();
    arrivals.forEach((arrival) => check.quantity(arrival.quantity, arrival.field));
    check.throwIfAny();
    const site = await this.receivingSite(tx.manager, siteId, siteField);
    const sourceIds = [...new Set(arrivals.filter((a) => a.sourceBatchId !== null).map((a) => a.sourceBatchId!))];
    // The source batches' identity (never changed after creation) and what the site already
    // holds under the same numbers, in one read; the rows are locked below, in the fixed order.
    const [sourceCondition, sourceParams] = inList("src.id", sourceIds, "int", 2);
    const rows = sourceIds.length
      ? await prepared<{
          id: number;
          site_id: number;
          item_id: number;
          batch_number: string;
          production_date: string | null;
          expiry_date: string | null;
          reserve_mode: ReserveMode;
          site_code: string;
          here_id: number | null;
          here_production_date: string | null;
          here_expiry_date: string | null;
          here_reserve_mode: ReserveMode | null;
        }>(
          tx.manager,
          `SELECT src.id, src.site_id, src.item_id, src.batch_number, src.production_date::text AS production_date, src.expiry_date::text AS expiry_date,
                  src.reserve_mode, ss.code AS site_code, here.id AS here_id, here.production_date::text AS here_production_date,
                  here.expiry_date::text AS here_expiry_date, here.reserve_mode AS here_reserve_mode
           FROM stock_batch src JOIN storage_site ss ON ss.id = src.site_id
           LEFT JOIN stock_batch here ON here.site_id = $1::int AND here.item_id = src.item_id AND here.batch_number = src.batch_number
           WHERE ${sourceCondition}`,
          [siteId, ...sourceParams],
        )
      : [];
    const sources = new Map(rows.map((row) => [row.id, row]));
    const specs: BatchSpec[] = [];
    const movements: MovementSpec[] = [];
    /** What each number at the site will hold: the batch there, or the first arrival booked under it here. */
    const held = new Map<string, Pick<StockBatch, "productionDate" | "expiryDate" | "reserveMode">>();
    for (const row of rows) {
      if (row.here_id) {
        held.set(batchKey(siteId, row.item_id, row.batch_number), { productionDate: row.here_production_date, expiryDate: row.here_expiry_date, reserveMode: row.here_reserve_mode! });
      }
    }
    for (const arrival of arrivals) {
      if (arrival.sourceBatchId === null) {
        const goods = arrival.partnerGoods!;
        specs.push({ siteId, districtId: site.districtId, itemId: goods.itemId, batchNumber: goods.batchNumber, productionDate: null, expiryDate: null, reserveMode: ReserveMode.GOVERNMENT });
        movements.push({ kind: MovementKind.RECEIPT, reason: PARTNER_DELIVERY });
        continue;
      }
      const source = sources.get(arrival.sourceBatchId);
      if (!source) userError(arrival.field, "NOT_FOUND", "reserves.noStockBatch2", { sourceBatchId: arrival.sourceBatchId });
      const spec: BatchSpec = {
        siteId,
        districtId: site.districtId,
        itemId: source.item_id,
        batchNumber: source.batch_number,
        productionDate: source.production_date,
        expiryDate: source.expiry_date,
        reserveMode: source.reserve_mode,
      };
      const here = held.get(batchKey(siteId, spec.itemId, spec.batchNumber));
      if (here && identityDifferences(here, spec).length) {
        const suffix = `/${source.site_code}`;
        spec.batchNumber = `${spec.batchNumber.slice(0, BATCH_NUMBER_MAX - suffix.length)}${suffix}`;
      } else if (!here) {
        held.set(batchKey(siteId, spec.itemId, spec.batchNumber), spec);
      }
      specs.push(spec);
      movements.push({ kind: MovementKind.TRANSFER_IN, counterpartSiteId: source.site_id });
    }
    return this.receiveInto(
      tx,
      actor,
      specs,
      arrivals.map((arrival) => ({ quantity: arrival.quantity, field: arrival.field })),
      movements,
      context,
      [],
      [StockChangeCause.IN_TRANSIT],
    );
  }
}
