// The stock operations logistics staff run (LOGISTICS mutations): receive, transfer, write off,
// count, rotate, set a minimum. Each takes its mutation's unit of work: it checks the input, then
// opens the mutation's transaction with `unit.transaction`, which commits the audit entry with the
// work, and does the work with the ledger's building blocks (stock-ledger.ts) as `unit.actor`.
// Territorial scope is checked here, on the sites read inside the transaction.
import type { DataSource } from "typeorm";
import { assertInScope } from "../../core/access/scope";
import { prepared } from "../../core/db/prepared";
import { userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import { InputErrors, MAX_ON_HAND, MAX_QUANTITY } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { MovementKind, ReserveMode, SiteStatus, StockChangeCause, WriteOffReason, type ReceiptSource } from "./reserves.enums";
import type { ReceiveStockInput, RecordStocktakeInput, RotateBatchInput, SetMinimumStockInput, TransferStockInput, WriteOffStockInput } from "./reserves.inputs";
import type { StockBatch } from "./stock-batch.entity";
import { describeBatch, isExpired, type BatchSpec, type StockLedger, type StocktakeCount } from "./stock-ledger";
import { StockLevel } from "./stock-level.entity";
import type { StockMovement } from "./stock-movement.entity";
import { SupplyItem } from "./supply-item.entity";
import { message } from "../../core/i18n/i18n";

export class StockCommandService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: StockLedger,
  ) {}

  /** Goods arriving at a site (入库): RECEIPT into a new or existing batch. */
  async receiveStock(unit: UnitOfWork, input: ReceiveStockInput): Promise<{ batch: StockBatch; movement: StockMovement }> {
    const siteId = parseGlobalId(input.siteId, "StorageSite", "input.siteId");
    const itemId = parseGlobalId(input.itemId, "SupplyItem", "input.itemId");
    const check = new InputErrors();
    const batchNumber = check.text(input.batchNumber, "input.batchNumber", 64);
    check.quantity(input.quantity, "input.quantity");
    const note = check.optionalText(input.note, "input.note", 500);
    return unit.transaction(this.dataSource, async (tx) => {
      const site = await this.ledger.siteInScope(tx.manager, unit.actor, siteId, "input.siteId", true);
      if (site.status === SiteStatus.CLOSED) check.add("input.siteId", "INVALID_STATE", "reserves.isClosedAndReceivesNothing", { name: site.name });
      const [item] = await prepared<{ tracks_expiry: boolean }>(tx.manager, `SELECT tracks_expiry FROM supply_item WHERE id = $1::int`, [itemId]);
      if (!item) check.add("input.itemId", "NOT_FOUND", "reserves.noSuchItem");
      else check.batchDates(input.productionDate, input.expiryDate, item.tracks_expiry, "input.");
      check.throwIfAny();
      const spec: BatchSpec = {
        siteId,
        districtId: site.districtId,
        itemId,
        batchNumber,
        productionDate: input.productionDate ?? null,
        expiryDate: input.expiryDate ?? null,
        reserveMode: input.reserveMode ?? ReserveMode.GOVERNMENT,
      };
      return this.ledger.receive(
        tx,
        unit.actor,
        spec,
        { quantity: input.quantity, field: "input.quantity", batchField: "input.batchNumber" },
        { kind: MovementKind.RECEIPT, reason: input.source as ReceiptSource },
        { note },
      );
    });
  }

  /**
   * Site to site (调拨), out and in in one transaction. Why not an in-transit state: both
   * sites are in one county, hours apart, and the receiving custodian signs the handover on
   * the spot; a transfer is the book move of that handover. Goods that are really on the
   * road for longer, with a receipt to confirm, travel on a dispatch order (DISPATCHED →
   * DELIVERED), which has the in-transit state. One transaction keeps both sites' ledgers
   * balanced at every moment and leaves no half-done transfer to clean up.
   *
   * Scope: a township-scoped account may transfer only between sites inside its township.
   * Sending stock out of the township (or pulling it in) is a cross-township allocation
   * (统一调拨), decided by district-wide logistics; a scoped account gets FORBIDDEN.
   */
  async transferStock(unit: UnitOfWork, input: TransferStockInput): Promise<{ movements: StockMovement[] }> {
    const fromSiteId = parseGlobalId(input.fromSiteId, "StorageSite", "input.fromSiteId");
    const toSiteId = parseGlobalId(input.toSiteId, "StorageSite", "input.toSiteId");
    const lines = (input.lines ?? []).map((line, i) => ({
      batchId: parseGlobalId(line.batchId, "StockBatch", `input.lines[${i}].batchId`),
      quantity: line.quantity,
      field: `input.lines[${i}].quantity`,
      batchField: `input.lines[${i}].batchId`,
    }));
    const check = new InputErrors();
    if (fromSiteId === toSiteId) check.add("input.toSiteId", "SAME_SITE", "reserves.aTransferNeedsTwoDifferent");
    if (lines.length === 0 || lines.length > 100) check.add("input.lines", "OUT_OF_RANGE", "reserves.aTransferHasToLines");
    lines.forEach((line, i) => {
      check.quantity(line.quantity, line.field);
      if (lines.findIndex((other) => other.batchId === line.batchId) !== i) check.add(line.batchField, "DUPLICATE", "reserves.eachBatchAtMostOnce");
    });
    const note = check.optionalText(input.note, "input.note", 500);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      // Both sites FOR SHARE in one statement, in id order (the fixed order of site locks).
      const sites = await this.ledger.sites(tx.manager, [fromSiteId, toSiteId], true);
      const from = sites.get(fromSiteId);
      const to = sites.get(toSiteId);
      if (!from) check.add("input.fromSiteId", "NOT_FOUND", "reserves.noSuchStorageSite");
      if (!to) check.add("input.toSiteId", "NOT_FOUND", "reserves.noSuchStorageSite");
      check.throwIfAny();
      assertInScope(unit.actor, from!.regionPath, message("scope.what.site", { name: from!.name }));
      assertInScope(unit.actor, to!.regionPath, message("scope.what.site", { name: to!.name }));
      if (to!.status === SiteStatus.CLOSED) userError("input.toSiteId", "INVALID_STATE", "reserves.isClosedAndReceivesNothing", { name: to!.name });
      // Read without a lock to learn each batch's identity; the ledger re-reads them under the lock.
      const sources = await this.ledger.queries.batchesByIds(lines.map((line) => line.batchId), tx.manager);
      sources.forEach((batch, i) => {
        if (!batch) check.add(lines[i].batchField, "NOT_FOUND", "reserves.noStockBatch", { batchId: lines[i].batchId });
        else if (batch.siteId !== fromSiteId) check.add(lines[i].batchField, "INVALID_VALUE", "reserves.isNotHeldAt", { batch: describeBatch(batch), name: from!.name });
      });
      check.throwIfAny();
      const movements = await this.ledger.transfer(tx, unit.actor, from!, to!, lines.map((line, i) => ({ ...line, source: sources[i]! })), { note });
      return { movements };
    });
  }

  /** Stock written off (报废) with reason and approver. */
  async writeOffStock(unit: UnitOfWork, input: WriteOffStockInput): Promise<{ batch: StockBatch; movement: StockMovement }> {
    const batchId = parseGlobalId(input.batchId, "StockBatch", "input.batchId");
    const check = new InputErrors();
    check.quantity(input.quantity, "input.quantity");
    const approvedBy = check.text(input.approvedBy, "input.approvedBy", 50);
    const note = check.optionalText(input.note, "input.note", 500);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const [batch] = await this.ledger.queries.batchesByIds([batchId], tx.manager);
      if (!batch) userError("input.batchId", "NOT_FOUND", "reserves.noSuchStockBatch");
      await this.ledger.siteInScope(tx.manager, unit.actor, batch.siteId, "input.batchId", false);
      if (input.reason === WriteOffReason.EXPIRED && !isExpired(batch)) {
        userError("input.reason", "INVALID_STATE", "reserves.hasNotExpired", { batch: describeBatch(batch), value: batch.expiryDate ? message("reserves.expires", { date: batch.expiryDate }) : message("reserves.noExpiryDate") });
      }
      const [movement] = await this.ledger.writeOff(tx, unit.actor, [{ batchId, quantity: input.quantity, field: "input.quantity" }], { reason: input.reason, approvedBy, note });
      const [after] = await this.ledger.queries.batchesByIds([batchId], tx.manager);
      return { batch: after!, movement };
    });
  }

  /**
   * A stocktake (盘点): for each counted batch of the site, the difference between counted
   * and on hand becomes a COUNT_ADJUSTMENT entry. Batches not listed are not touched; stock
   * found that the books do not know at all is received with receiveStock.
   */
  async recordStocktake(unit: UnitOfWork, input: RecordStocktakeInput): Promise<{ adjustments: StockMovement[]; countedBatches: number }> {
    const siteId = parseGlobalId(input.siteId, "StorageSite", "input.siteId");
    const counts: StocktakeCount[] = (input.counts ?? []).map((count, i) => ({
      batchId: parseGlobalId(count.batchId, "StockBatch", `input.counts[${i}].batchId`),
      counted: count.countedQuantity,
      field: `input.counts[${i}].countedQuantity`,
      batchField: `input.counts[${i}].batchId`,
    }));
    const check = new InputErrors();
    if (counts.length === 0 || counts.length > 1000) check.add("input.counts", "OUT_OF_RANGE", "reserves.aStocktakeHasToCounted");
    counts.forEach((count, i) => {
      check.wholeNumber(count.counted, count.field, 0, MAX_ON_HAND);
      if (counts.findIndex((other) => other.batchId === count.batchId) !== i) check.add(count.batchField, "DUPLICATE", "reserves.eachBatchAtMostOnce2");
    });
    const note = check.optionalText(input.note, "input.note", 500);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const adjustments = await this.ledger.stocktake(tx, unit.actor, siteId, counts, { note }, "input.siteId");
      return { adjustments, countedBatches: counts.length };
    });
  }

  /**
   * Rotation (轮换): `quantity` (default: all available) of an old batch leaves and the same
   * quantity of a fresh batch arrives at the same site; two ROTATION entries, one operation.
   */
  async rotateBatch(unit: UnitOfWork, input: RotateBatchInput): Promise<{ outgoing: StockMovement; incoming: StockMovement; newBatch: StockBatch }> {
    const batchId = parseGlobalId(input.batchId, "StockBatch", "input.batchId");
    const check = new InputErrors();
    if (input.quantity !== null && input.quantity !== undefined) check.quantity(input.quantity, "input.quantity");
    const newBatchNumber = check.text(input.newBatch?.batchNumber, "input.newBatch.batchNumber", 64);
    const note = check.optionalText(input.note, "input.note", 500);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const [old] = await this.ledger.queries.batchesByIds([batchId], tx.manager);
      if (!old) userError("input.batchId", "NOT_FOUND", "reserves.noSuchStockBatch");
      const site = await this.ledger.siteInScope(tx.manager, unit.actor, old.siteId, "input.batchId", true);
      const item = (await tx.manager.findOneBy(SupplyItem, { id: old.itemId }))!;
      if (newBatchNumber === old.batchNumber) check.add("input.newBatch.batchNumber", "INVALID_VALUE", "reserves.theFreshBatchNeedsIts");
      check.batchDates(input.newBatch.productionDate, input.newBatch.expiryDate, item.tracksExpiry, "input.newBatch.");
      if (old.expiryDate && input.newBatch.expiryDate && input.newBatch.expiryDate <= old.expiryDate) {
        check.add("input.newBatch.expiryDate", "OUT_OF_RANGE", "reserves.theFreshBatchMustExpire", { expiryDate: old.expiryDate });
      }
      if (site.status === SiteStatus.CLOSED) check.add("input.batchId", "INVALID_STATE", "reserves.isClosed", { name: site.name });
      check.throwIfAny();
      const fresh: BatchSpec = {
        siteId: old.siteId,
        districtId: old.districtId,
        itemId: old.itemId,
        batchNumber: newBatchNumber,
        productionDate: input.newBatch.productionDate ?? null,
        expiryDate: input.newBatch.expiryDate ?? null,
        reserveMode: old.reserveMode,
      };
      return this.ledger.rotate(tx, unit.actor, batchId, fresh, input.quantity ?? null, { note }, { batch: "input.batchId", quantity: "input.quantity", freshBatch: "input.newBatch.batchNumber" });
    });
  }

  /** A site's minimum for an item (最低库存); creates the level when the site does not stock the item yet. */
  async setMinimumStock(unit: UnitOfWork, input: SetMinimumStockInput): Promise<{ level: StockLevel }> {
    const siteId = parseGlobalId(input.siteId, "StorageSite", "input.siteId");
    const itemId = parseGlobalId(input.itemId, "SupplyItem", "input.itemId");
    const check = new InputErrors();
    check.wholeNumber(input.minimum, "input.minimum", 0, MAX_QUANTITY);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const site = await this.ledger.siteInScope(tx.manager, unit.actor, siteId, "input.siteId", false);
      if (!(await tx.manager.existsBy(SupplyItem, { id: itemId }))) userError("input.itemId", "NOT_FOUND", "reserves.noSuchItem");
      const { identifiers } = await tx.manager
        .createQueryBuilder()
        .insert()
        .into(StockLevel)
        .values({ districtId: site.districtId, siteId, itemId, minimumQuantity: input.minimum })
        .orUpdate(["minimum_quantity"], ["site_id", "item_id"])
        .execute();
      this.ledger.levelEvents.changed(tx, { siteId, itemId }, [StockChangeCause.MINIMUM], null);
      // Read in the transaction, so that its audit entry names the level (core/mutation/audit-trail.ts).
      const [level] = await this.ledger.queries.levelsByIds([identifiers[0].id as number], tx.manager);
      return { level: level! };
    });
  }
}
