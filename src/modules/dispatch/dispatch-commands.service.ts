// Dispatch orders' commands (调拨单): create, change, submit, approve, dispatch, confirm delivery,
// record returns, close, cancel. Each takes its mutation's unit of work and is one transaction,
// `unit.transaction(…)`, which commits the mutation's audit entry and idempotency claim with its
// change (approvals arriving together share one: dispatch-approvals.ts). Inside it, a command
//   1. locks the order row, always first (dispatch-transaction.ts); then, for an order made from
//      a supply request, the request and its lines (requests/request-fulfilment.ts);
//   2. asks the state machine (dispatch-state.ts) whether the action is open to this order and
//      actor, and holds a township-scoped account to its township (assertScope);
//   3. changes stock only through the reserve module's StockLedger, which locks stock rows in
//      the fixed order (site, item, batch), re-checks under the lock and writes the ledger;
//   4. publishes dispatchOrderChanged after COMMIT (OrderChanges.publish).
// Its input is checked before the transaction (dispatch-input.ts); where the units come from is
// dispatch-sources.ts, what became of those sent dispatch-shipment.ts.
import { recordedBy } from "../../core/access/auth";
import crypto from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { assertInScope } from "../../core/access/scope";
import { userError } from "../../core/graphql/errors";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { destinationColumns, type AllocationService, type PlanLine, type ResolvedDestination } from "../allocation/allocation.service";
import type { AllocationPlan } from "../allocation/allocation.types";
import type { IncidentService } from "../incidents/incident.service";
import { DocumentKind, takeDocumentCode } from "../numbering/document-numbers";
import { ReserveMode, WriteOffReason } from "../reserves/reserves.enums";
import type { StockMovement } from "../reserves/stock-movement.entity";
import type { StockLedger } from "../reserves/stock-ledger";
import type { RequestFulfilment } from "../requests/request-fulfilment";
import type { ApprovalLane } from "./dispatch-approvals";
import { checkAllocationChoice, parseCancel, parseClose, parseCreate, parseDispatch, parseReceipt, parseReturn, parseUpdate, refuseRequestLines, type ParsedLines } from "./dispatch-input";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine } from "./dispatch-order.entity";
import { checkManualSources, checkPartnerSources, insertAllocations, insertLines, assertFullyAllocated, siteStockLines, sourcesFromPlan, type SourceSpec } from "./dispatch-sources";
import { checkWriteOffs, itemsOf, partnerBatchNumber, progress, reusableItems, unaccounted, writeWriteOffs, arrivedOf } from "./dispatch-shipment";
import { DispatchAction, transitionFor } from "./dispatch-state";
import { assertScope, loadAllocations, loadLines, lockOrder, lockOrderFor, lockOrderWithParts, setOrder, type OrderChanges } from "./dispatch-transaction";
import { AllocationSourceKind, DestinationKind, DispatchOrderChange, DispatchPriority, DispatchStatus, ReturnCondition } from "./dispatch.enums";
import type {
  ApproveDispatchOrderInput,
  CancelDispatchOrderInput,
  CloseDispatchOrderInput,
  ConfirmDeliveryInput,
  CreateDispatchOrderInput,
  MarkDispatchedInput,
  RecordReturnInput,
  SubmitDispatchOrderInput,
  UpdateDispatchOrderInput,
} from "./dispatch.inputs";
import { message, messageList, type Message } from "../../core/i18n/i18n";

/** What is left of a request's lines, as the order's lines (no sources by hand). */
function linesFromRequest(left: ReadonlyArray<{ itemId: number; quantity: number; requestLineId: number }>): { parsed: ParsedLines; requestLineIds: number[] } {
  return {
    parsed: { lines: left.map((line, i) => ({ itemId: line.itemId, quantity: line.quantity, field: `input.lines[${i}]` })), manual: left.map(() => []) },
    requestLineIds: left.map((line) => line.requestLineId),
  };
}

/** A check run inside markDispatched's transaction with the order locked: throws a UserError to refuse the dispatch. */
export interface DispatchGate {
  beforeDispatch(manager: EntityManager, order: DispatchOrder, regionPath: string): Promise<void>;
}

export class DispatchCommands {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockLedger,
    private readonly incidents: IncidentService,
    private readonly allocation: AllocationService,
    private readonly requests: RequestFulfilment,
    private readonly changes: OrderChanges,
    private readonly approvals: ApprovalLane,
    /** Checks another module runs as an order is dispatched (modules/transport: green-channel passes of its trips); none in unit tests. */
    private readonly gate?: DispatchGate,
  ) {}

  async create(unit: UnitOfWork, input: CreateDispatchOrderInput): Promise<{ order: DispatchOrder; plan: AllocationPlan | null }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { requestId, transport, note, incidentId: givenIncidentId, ...given } = parseCreate(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const fromRequest = requestId === null ? null : await this.requests.lockForOrder(tx, actor, requestId, "input.requestId");
      const priority = input.priority ?? fromRequest?.request.priority ?? DispatchPriority.NORMAL;
      const { parsed, requestLineIds } = given.parsed ? { parsed: given.parsed, requestLineIds: given.requestLineIds } : linesFromRequest(this.requests.linesLeftOf(fromRequest!, "input.requestId"));
      if (fromRequest) {
        checkAllocationChoice(input, parsed, priority, check);
        check.throwIfAny();
      }
      const incidentId = givenIncidentId ?? fromRequest?.openIncidentId ?? null;
      const incident = incidentId === null ? null : await this.incidents.requireOpen(manager, incidentId, "input.incidentId");
      const destination =
        fromRequest && !input.destination ? this.requests.destinationOf(fromRequest) : await this.allocation.resolveDestination(manager, input.destination, "input.destination");
      if (fromRequest) this.requests.assertDestinationFits(fromRequest, destination, "input.destination");
      if (incident && incident.districtId !== destination.districtId) userError("input.destination", "MIXED_DISTRICTS", "dispatch.theDestinationLiesOutsideThe");
      await this.allocation.checkItems(manager, parsed.lines);
      const servedLines = fromRequest ? this.requests.assignLines(fromRequest, parsed.lines.map((line, i) => ({ ...line, requestLineId: requestLineIds[i] }))) : [];
      let plan: AllocationPlan | null = null;
      let sources: SourceSpec[][];
      if (input.autoAllocate) {
        plan = await this.allocation.plan(actor, { destination, lines: parsed.lines, allowBelowMinimum: Boolean(input.allowBelowMinimum), priority, incidentId }, manager);
        sources = sourcesFromPlan(plan);
      } else {
        sources = await checkManualSources(manager, parsed, destination);
      }
      await assertScope(manager, actor, destination.regionPath, sources.flat());

      // Last before the writes: the district's counter row stays locked until COMMIT.
      const code = await takeDocumentCode(manager, DocumentKind.DISPATCH_ORDER, destination.districtId);
      const who = recordedBy(actor);
      const order = manager.create(DispatchOrder, {
        code,
        districtId: destination.districtId,
        incidentId,
        requestId,
        status: DispatchStatus.DRAFT,
        priority,
        ...destinationColumns(destination),
        vehiclePlate: transport.vehiclePlate ?? null,
        driverName: transport.driverName ?? null,
        driverPhone: transport.driverPhone ?? null,
        greenChannelPass: transport.greenChannelPass ?? null,
        note,
        pendingApproval: false,
        createdById: who.id,
        createdBy: who.name,
      });
      await manager.insert(DispatchOrder, order);
      await insertLines(manager, order, parsed.lines, sources, servedLines);
      this.changes.publish(tx, order, destination.regionPath, DispatchOrderChange.CREATED);
      return { order, plan };
    });
  }

  async update(unit: UnitOfWork, input: UpdateDispatchOrderInput): Promise<{ order: DispatchOrder; plan: AllocationPlan | null }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { parsed, requestLineIds, transport, note, incidentId } = parseUpdate(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await lockOrderFor(manager, actor, DispatchAction.UPDATE, input.id);
      if (order.requestId === null) refuseRequestLines(requestLineIds, "dispatch.notFromRequest", check);
      // New lines or a new destination of an order made from a request are held to the request again.
      const fromRequest = order.requestId !== null && (parsed || input.destination) ? await this.requests.lockForOrder(tx, actor, order.requestId, "input.id", order.id) : null;
      const priority = input.priority ?? order.priority;
      checkAllocationChoice(input, parsed, priority, check);
      check.throwIfAny();

      let destination: ResolvedDestination;
      if (input.destination) {
        destination = await this.allocation.resolveDestination(manager, input.destination, "input.destination");
        if (fromRequest) this.requests.assertDestinationFits(fromRequest, destination, "input.destination");
      } else {
        destination = {
          kind: order.destinationKind,
          regionId: order.destinationRegionId,
          regionPath,
          districtId: order.districtId,
          siteId: order.destinationSiteId,
          latitude: order.destinationLatitude,
          longitude: order.destinationLongitude,
          address: order.destinationAddress,
          receiverName: order.receiverName,
          receiverPhone: order.receiverPhone,
        };
      }
      const newIncidentId = incidentId === undefined ? order.incidentId : incidentId;
      if (newIncidentId !== null && newIncidentId !== order.incidentId) {
        const incident = await this.incidents.requireOpen(manager, newIncidentId, "input.incidentId");
        if (incident.districtId !== destination.districtId) userError("input.incidentId", "MIXED_DISTRICTS", "dispatch.theIncidentLiesInAnother");
      }
      if (destination.districtId !== order.districtId) userError("input.destination", "MIXED_DISTRICTS", "dispatch.anOrderStaysInIts");

      let plan: AllocationPlan | null = null;
      let newSources: SourceSpec[][] | null = null;
      let lines: Array<PlanLine & { field?: string }> | null = null;
      let servedLines: number[] = [];
      if (parsed) {
        lines = parsed.lines;
        await this.allocation.checkItems(manager, parsed.lines);
        if (fromRequest) servedLines = this.requests.assignLines(fromRequest, parsed.lines.map((line, i) => ({ ...line, requestLineId: requestLineIds[i] })));
        if (!input.autoAllocate) newSources = await checkManualSources(manager, parsed, destination);
      } else if (input.autoAllocate) {
        lines = (await loadLines(manager, order.id)).map((line) => ({ itemId: line.itemId, quantity: line.quantity }));
      }
      if (input.autoAllocate && lines) {
        plan = await this.allocation.plan(actor, { destination, lines, allowBelowMinimum: Boolean(input.allowBelowMinimum), priority, incidentId: newIncidentId }, manager);
        newSources = sourcesFromPlan(plan);
      }
      await assertScope(manager, actor, destination.regionPath, newSources ? newSources.flat() : () => loadAllocations(manager, order.id));

      if (parsed && newSources) {
        await manager.delete(DispatchOrderLine, { orderId: order.id });
        await insertLines(manager, order, parsed.lines, newSources, servedLines);
      } else if (newSources && lines) {
        const current = await loadLines(manager, order.id);
        await manager.delete(DispatchAllocation, { orderId: order.id });
        await insertAllocations(manager, order, lines, current.map((line) => line.id), newSources);
      }
      const values: Partial<DispatchOrder> = {
        priority,
        incidentId: newIncidentId,
        ...destinationColumns(destination),
      };
      for (const [key, value] of Object.entries(transport)) if (value !== undefined) (values as Record<string, unknown>)[key] = value;
      if (note !== undefined) values.note = note;
      await setOrder(manager, order, values);
      this.changes.publish(tx, order, destination.regionPath, DispatchOrderChange.UPDATED);
      return { order, plan };
    });
  }

  async submit(unit: UnitOfWork, input: SubmitDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath, transition, lines, allocations } = await lockOrderWithParts(manager, actor, DispatchAction.SUBMIT, input.id);
      assertFullyAllocated(lines, allocations, "dispatch.verb.submitIt");
      await setOrder(manager, order, { status: transition.to }, ["submittedAt"]);
      this.changes.publish(tx, order, regionPath, DispatchOrderChange.SUBMITTED);
      return { order };
    });
  }

  /** The commander's approval, in the approval lane with the approvals arriving beside it (dispatch-approvals.ts). */
  approve(unit: UnitOfWork, input: ApproveDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    return this.approvals.approve(unit, input);
  }

  /**
   * The goods leave: ISSUE entries for every site-stock source (from the reservation of an
   * approved order; from available stock for an urgent verbal order, which then awaits approval).
   */
  async markDispatched(unit: UnitOfWork, input: MarkDispatchedInput): Promise<{ order: DispatchOrder }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { transport, verbalOrderBy } = parseDispatch(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath, transition, lines, allocations } = await lockOrderWithParts(manager, actor, DispatchAction.DISPATCH, input.id);
      // Issue 20: an URGENT order's trip through a closed road needs valid green-channel passes (a UserError otherwise).
      await this.gate?.beforeDispatch(manager, order, regionPath);
      if (order.destinationKind === DestinationKind.SITE) {
        // Before the sources' batches are locked: the receiver's level rows are inserted first, as by every inbound operation.
        await this.stock.expectShipment(tx, order.destinationSiteId!, lines.map((line) => line.itemId), "input.id");
      }
      const stockLines = siteStockLines(allocations);
      if (transition.beforeApproval) {
        if (!verbalOrderBy) userError("input.verbalOrderBy", "REQUIRED", "dispatch.dispatchingBeforeApprovalNeedsThe");
        assertFullyAllocated(lines, allocations, "dispatch.verb.dispatchIt");
        if (stockLines.length) await this.stock.issueAvailable(tx, actor, stockLines, { dispatchOrderId: order.id });
        await checkPartnerSources(manager, this.allocation, order.id, allocations);
      } else if (stockLines.length) {
        await this.stock.issueReserved(tx, actor, stockLines, { dispatchOrderId: order.id });
      }
      await manager.query(
        `UPDATE dispatch_order_line l SET dispatched_quantity = a.total
         FROM (SELECT line_id, sum(quantity)::int AS total FROM dispatch_allocation WHERE order_id = $1 GROUP BY line_id) a
         WHERE l.id = a.line_id`,
        [order.id],
      );
      const values: Partial<DispatchOrder> = { status: transition.to, pendingApproval: Boolean(transition.beforeApproval) };
      if (transition.beforeApproval) values.verbalOrderBy = verbalOrderBy;
      for (const [key, value] of Object.entries(transport)) if (value !== undefined) (values as Record<string, unknown>)[key] = value;
      await setOrder(manager, order, values, ["dispatchedAt"]);
      this.changes.publish(tx, order, regionPath, DispatchOrderChange.DISPATCHED);
      return { order };
    });
  }

  /**
   * Receipt (签收): quantities received per line, added up over several confirmations (partial is
   * allowed), and shortages (短少): what will not arrive, written off on the order with reason and
   * approver. A line's received units are assigned to its sources in allocation order, each
   * source filled before the next (the order the sources were listed or planned in: nearest and
   * earliest expiry first) — so a second truck continues where the first left off. At a storage
   * site they are booked into its stock in the same transaction (StockLedger.receiveShipment).
   */
  async confirmDelivery(unit: UnitOfWork, input: ConfirmDeliveryInput): Promise<{ order: DispatchOrder; receipts: StockMovement[] }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { received, shortages, approvedBy, note } = parseReceipt(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.CONFIRM_DELIVERY, order, actor);
      // The receiver's act: only the destination counts for scope (see the top of this file).
      assertInScope(actor, regionPath, message("scope.what.orderDestination"));
      const intoStock = order.destinationKind === DestinationKind.SITE;
      const [lines, allocations] = [await loadLines(manager, order.id), await loadAllocations(manager, order.id)];
      for (const line of received) {
        const current = lines.find((l) => l.id === line.lineId);
        if (!current) check.add(`${line.field}.lineId`, "NOT_FOUND", "dispatch.noSuchLineOnThis");
        else if (line.quantity > current.inTransitQuantity) {
          check.add(`${line.field}.receivedQuantity`, "OUT_OF_RANGE", "dispatch.lineInTransitMoreIs", { position: current.position, inTransitQuantity: current.inTransitQuantity, progress: progress(current), quantity: line.quantity });
        } else current.deliveredQuantity += line.quantity;
      }
      const checkedShortages = checkWriteOffs(lines, shortages, intoStock, new Set(), check);
      check.throwIfAny();

      const arrivals: Array<{ allocation: DispatchAllocation; quantity: number; field: string }> = [];
      for (const line of received) {
        let left = line.quantity;
        for (const allocation of allocations.filter((a) => a.lineId === line.lineId)) {
          // At a site, units turned back left their source's share of the line for good.
          const room = allocation.quantity - allocation.receivedQuantity - (intoStock ? allocation.returnedQuantity : 0);
          const quantity = Math.min(left, room);
          if (quantity <= 0) continue;
          arrivals.push({ allocation, quantity, field: `${line.field}.receivedQuantity` });
          allocation.receivedQuantity += quantity;
          left -= quantity;
          if (left === 0) break;
        }
      }
      const receipts =
        intoStock && arrivals.length
          ? await this.stock.receiveShipment(
              tx,
              actor,
              order.destinationSiteId!,
              arrivals.map(({ allocation, quantity, field }) => {
                const fromSite = allocation.sourceKind === AllocationSourceKind.SITE_STOCK;
                return {
                  sourceBatchId: fromSite ? allocation.batchId : null,
                  partnerGoods: fromSite ? null : { itemId: allocation.itemId, batchNumber: partnerBatchNumber(order, allocation.partnerId!) },
                  quantity,
                  field,
                };
              }),
              { dispatchOrderId: order.id, note },
              "input.id",
            )
          : [];
      const touched = [...new Set(arrivals.map((arrival) => arrival.allocation))];
      if (touched.length) {
        await manager.query(
          `UPDATE dispatch_allocation SET received_quantity = input.received FROM unnest($1::int[], $2::int[]) AS input(id, received) WHERE dispatch_allocation.id = input.id`,
          [touched.map((a) => a.id), touched.map((a) => a.receivedQuantity)],
        );
      }
      const confirmed = received.filter((line) => line.quantity > 0);
      if (confirmed.length) {
        await manager.query(
          `UPDATE dispatch_order_line SET delivered_quantity = delivered_quantity + input.quantity
           FROM unnest($1::int[], $2::int[]) AS input(id, quantity) WHERE dispatch_order_line.id = input.id`,
          [confirmed.map((line) => line.lineId), confirmed.map((line) => line.quantity)],
        );
      }
      await writeWriteOffs(manager, actor, order, checkedShortages, approvedBy, note);
      if (intoStock && checkedShortages.length) this.stock.noteInTransitChange(tx, order.destinationSiteId!, itemsOf(lines, checkedShortages));
      await setOrder(manager, order, { status: transition.to }, order.deliveredAt ? [] : ["deliveredAt"]);
      this.changes.publish(tx, order, regionPath, DispatchOrderChange.DELIVERY_CONFIRMED);
      return { order, receipts };
    });
  }

  /**
   * Items back to a chosen site (回收): RETURN entries into the batch numbers they were issued
   * from (goods a partner supplied go into a batch named after the order). DAMAGED ones are then
   * written off at that site at once (WRITE_OFF, with the approver), so the ledger shows them
   * arriving and leaving.
   */
  async recordReturn(unit: UnitOfWork, input: RecordReturnInput): Promise<{ order: DispatchOrder }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { siteId, returns, approvedBy, note } = parseReturn(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath, transition, lines, allocations } = await lockOrderWithParts(manager, actor, DispatchAction.RECORD_RETURN, input.id, [siteId]);

      // Spread each line's units over its sources that still have units out, in order.
      const intoStock = order.destinationKind === DestinationKind.SITE;
      const pieces: Array<{ allocation: DispatchAllocation; quantity: number; condition: ReturnCondition; field: string }> = [];
      const turnedBack = new Map<number, number>();
      for (const ret of returns) {
        const line = lines.find((l) => l.id === ret.lineId);
        if (!line) {
          check.add(`${ret.field}.lineId`, "NOT_FOUND", "dispatch.noSuchLineOnThis");
          continue;
        }
        const arrived = arrivedOf(line, ret.arrived, intoStock, `${ret.field}.arrived`, check, "return");
        if (arrived === null) continue;
        const room = arrived ? line.inFieldQuantity : line.inTransitQuantity;
        if (ret.quantity > room) {
          check.add(
            `${ret.field}.quantity`,
            "OUT_OF_RANGE",
            arrived ? "dispatch.returnMoreThanOut" : "dispatch.returnMoreThanInTransit",
            arrived
              ? { position: line.position, room, dispatched: line.dispatchedQuantity, returned: line.returnedQuantity, writtenOff: line.writtenOffQuantity, quantity: ret.quantity }
              : { position: line.position, room, progress: progress(line), quantity: ret.quantity },
          );
          continue;
        }
        let left = ret.quantity;
        for (const allocation of allocations.filter((a) => a.lineId === line.id)) {
          const out = allocation.quantity - allocation.returnedQuantity - (intoStock ? allocation.receivedQuantity : 0);
          const quantity = Math.min(left, out);
          if (quantity <= 0) continue;
          pieces.push({ allocation, quantity, condition: ret.condition, field: `${ret.field}.quantity` });
          allocation.returnedQuantity += quantity;
          left -= quantity;
          if (left === 0) break;
        }
        line.returnedQuantity += ret.quantity;
        if (!arrived) {
          line.turnedBackQuantity += ret.quantity;
          turnedBack.set(line.id, ret.quantity);
        }
      }
      check.throwIfAny();

      const operationId = crypto.randomUUID();
      const ledger = { dispatchOrderId: order.id, note, operationId };
      for (const condition of [ReturnCondition.GOOD, ReturnCondition.DAMAGED]) {
        const fromSites = pieces.filter((p) => p.condition === condition && p.allocation.sourceKind === AllocationSourceKind.SITE_STOCK);
        const fromPartners = pieces.filter((p) => p.condition === condition && p.allocation.sourceKind !== AllocationSourceKind.SITE_STOCK);
        const movements = [
          ...(fromSites.length
            ? await this.stock.returnStock(tx, actor, siteId, fromSites.map((p) => ({ sourceBatchId: p.allocation.batchId!, quantity: p.quantity, field: p.field })), ledger, "input.siteId")
            : []),
          ...(fromPartners.length
            ? await this.stock.returnPartnerGoods(
                tx,
                actor,
                siteId,
                fromPartners.map((p) => ({ itemId: p.allocation.itemId, batchNumber: partnerBatchNumber(order, p.allocation.partnerId!), reserveMode: ReserveMode.GOVERNMENT, quantity: p.quantity, field: p.field })),
                ledger,
                "input.siteId",
              )
            : []),
        ];
        if (condition === ReturnCondition.DAMAGED && movements.length) {
          await this.stock.writeOff(tx, actor, movements.map((m) => ({ batchId: m.batchId, quantity: m.quantity, field: "input.lines" })), { ...ledger, reason: WriteOffReason.DAMAGED, approvedBy: approvedBy! });
        }
      }
      const touched = [...new Set(pieces.map((p) => p.allocation))];
      await manager.query(
        `UPDATE dispatch_allocation SET returned_quantity = input.returned FROM unnest($1::int[], $2::int[]) AS input(id, returned) WHERE dispatch_allocation.id = input.id`,
        [touched.map((a) => a.id), touched.map((a) => a.returnedQuantity)],
      );
      await manager.query(
        `UPDATE dispatch_order_line SET returned_quantity = returned_quantity + input.quantity, turned_back_quantity = turned_back_quantity + input.turned_back
         FROM unnest($1::int[], $2::int[], $3::int[]) AS input(id, quantity, turned_back) WHERE dispatch_order_line.id = input.id`,
        [returns.map((r) => r.lineId), returns.map((r) => r.quantity), returns.map((r) => turnedBack.get(r.lineId) ?? 0)],
      );
      if (intoStock && turnedBack.size) this.stock.noteInTransitChange(tx, order.destinationSiteId!, itemsOf(lines, [...turnedBack.keys()].map((lineId) => ({ lineId }))));
      await setOrder(manager, order, { status: transition.to });
      this.changes.publish(tx, order, regionPath, DispatchOrderChange.RETURN_RECORDED);
      return { order };
    });
  }

  /**
   * Close (结单): every unit sent received, turned back or written off, and reusable items sent to
   * a region or a point back or written off — in this call's write-offs or before. Closing stays
   * an act of its own rather than following the last receipt: it is the desk's sign-off, and a
   * late correction (a second truck, a return) is still possible until then.
   */
  async close(unit: UnitOfWork, input: CloseDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { writeOffs, approvedBy, note } = parseClose(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath, transition } = await lockOrderFor(manager, actor, DispatchAction.CLOSE, input.id);
      const lines = await loadLines(manager, order.id);
      const reusable = await reusableItems(manager, lines);
      const intoStock = order.destinationKind === DestinationKind.SITE;
      const checked = checkWriteOffs(lines, writeOffs, intoStock, reusable, check);
      check.throwIfAny();
      await writeWriteOffs(manager, actor, order, checked, approvedBy, note);
      const unaccountedFor = unaccounted(lines, order.destinationKind, reusable);
      if (unaccountedFor) {
        userError(
          "input.id",
          "ITEMS_OUTSTANDING",
          "dispatch.notEveryUnitSentIs", { unaccountedFor },
        );
      }
      if (intoStock && checked.length) this.stock.noteInTransitChange(tx, order.destinationSiteId!, itemsOf(lines, checked));
      await setOrder(manager, order, { status: transition.to }, ["closedAt"]);
      this.changes.publish(tx, order, regionPath, DispatchOrderChange.CLOSED);
      return { order };
    });
  }

  /**
   * Cancel: before approval nothing was held; after approval the reservations are released;
   * after dispatch everything sent must have come back (recordReturn) or be written off here.
   */
  async cancel(unit: UnitOfWork, input: CancelDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const { actor } = unit;
    const check = new InputErrors();
    const { reason, writeOffs, approvedBy } = parseCancel(input, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath, transition } = await lockOrderFor(manager, actor, DispatchAction.CANCEL, input.id);
      if (writeOffs.length && transition.from !== DispatchStatus.DISPATCHED) userError("input.writeOffs", "INVALID_VALUE", "dispatch.nothingWasIssuedOnThis", { from: transition.from });
      if (transition.from === DispatchStatus.APPROVED) {
        const stockLines = siteStockLines(await loadAllocations(manager, order.id));
        if (stockLines.length) await this.stock.releaseReservation(tx, actor, stockLines);
      }
      if (transition.from === DispatchStatus.DISPATCHED) {
        // Nothing was received (that would make it DELIVERED): every write-off here is a short delivery.
        const lines = await loadLines(manager, order.id);
        const intoStock = order.destinationKind === DestinationKind.SITE;
        const checked = checkWriteOffs(lines, writeOffs, intoStock, await reusableItems(manager, lines), check);
        check.throwIfAny();
        await writeWriteOffs(manager, actor, order, checked, approvedBy, reason);
        const outstanding = lines.filter((line) => line.inTransitQuantity > 0);
        if (outstanding.length) {
          userError(
            "input.id",
            "ITEMS_OUTSTANDING",
            "dispatch.theOrderWasDispatchedEverything", { outstanding: messageList(outstanding.map((line) => message("dispatch.lineStillOut", { position: line.position, out: line.inTransitQuantity, dispatched: line.dispatchedQuantity }))) },
          );
        }
        if (intoStock && checked.length) this.stock.noteInTransitChange(tx, order.destinationSiteId!, itemsOf(lines, checked));
      }
      await setOrder(manager, order, { status: transition.to, cancelReason: reason, pendingApproval: false }, ["cancelledAt"]);
      this.changes.publish(tx, order, regionPath, DispatchOrderChange.CANCELLED);
      return { order };
    });
  }
}
