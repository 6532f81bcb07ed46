// Dispatch orders (调拨单): create, change, submit, approve, dispatch, confirm delivery, record
// returns, close, cancel. Every mutation is one transaction (approvals arriving together share
// one: see approve) that
//   1. locks the order row (SELECT … FOR UPDATE) — always first, so approve and cancel racing on
//      one order run one after the other; then, for an order made from a supply request, the
//      request and its lines (requests/request-fulfilment.ts);
//   2. asks the state machine (dispatch-state.ts) whether the action is open to this order and
//      actor;
//   3. changes stock only through the reserve module's StockService, which locks stock rows in
//      the fixed order (site, item, batch), re-checks under the lock and writes the ledger;
//   4. publishes dispatchOrderChanged after COMMIT.
//
// Territorial scope (属地管理): a LOGISTICS account scoped to a township acts on an order only when
// everything the order touches lies inside that township — the destination, every source site
// and the site receiving returns — and never on orders calling on partner enterprises (calling
// on them is a district-wide decision). Cross-township orders (统一调拨) are for district-wide
// logistics accounts. Commanders and admins are never scoped. The one exception is receipt
// (签收, confirmDelivery): the receiving side signs for what arrives, so a township's account
// confirms whatever arrives at a destination in its township, wherever it was sent from — it
// books goods into its own sites and touches no source's stock (the ISSUE has happened).
//
// Shipments (issue 16). Every unit sent is, per line, in transit (在途), received (签收), turned
// back (退回, a return that never arrived) or short (短少, written off without arriving); the
// order closes when nothing is in transit and, for reusable items sent to a region or a point,
// nothing is still out there. An order to a storage site lands in its books: dispatching it
// gives the site its level rows (inTransit shows there), receipt books each source batch's
// units into the site (StockService.receiveShipment) — then they are that site's stock and done.
import crypto from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { currentPendingAuditEntry, recordAuditEntriesInTransaction, type PendingAuditEntry } from "../../core/mutation/audit-trail";
import type { Actor } from "../../core/access/auth";
import { inKeyOrder } from "../../core/db/batch";
import { Coalescer } from "../../core/db/coalescer";
import { forbidden, UserError, UserErrorsException, userError } from "../../core/graphql/errors";
import { spendClaims, type IdempotencyClaim } from "../../core/mutation/idempotency";
import type { EventBus } from "../../core/live/pubsub";
import { plainEntity } from "../../core/db/plain-rows";
import { inList, prepared, valuesRows } from "../../core/db/prepared";
import { paginate, parseGlobalId, type Connection, type KeysetOrder, type PageArgs } from "../../core/graphql/relay";
import { currentRequestScope } from "../../core/http/request-scope";
import { assertInScope } from "../../core/access/scope";
import { inTransaction, type Transaction } from "../../core/db/transaction";
import type { AllocationService, PlanLine, ResolvedDestination } from "../allocation/allocation.service";
import type { AllocationPlan } from "../allocation/allocation.types";
import type { IncidentService } from "../incidents/incident.service";
import { DocumentKind, takeDocumentCode } from "../numbering/document-numbers";
import { LOCAL_TODAY_SQL } from "../../core/db/local-date";
import { ReserveMode, WriteOffReason } from "../reserves/reserves.enums";
import type { StockMovement } from "../reserves/stock-movement.entity";
import type { StockService } from "../reserves/stock.service";
import { InputErrors } from "../../core/mutation/input-errors";
import type { RequestFulfilment } from "../requests/request-fulfilment";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine, DispatchWriteOff } from "./dispatch-order.entity";
import { DispatchAction, transitionFor, type Transition } from "./dispatch-state";
import { AllocationSourceKind, DestinationKind, DispatchOrderChange, DispatchPriority, DispatchStatus, ReturnCondition, SHORT_DELIVERY_ONLY, type FieldLossReason } from "./dispatch.enums";
import { DISPATCH_ORDER_CHANGED, type DispatchOrderChangedEvent } from "./dispatch.events";
import type {
  AllocationInput,
  ApproveDispatchOrderInput,
  CancelDispatchOrderInput,
  CloseDispatchOrderInput,
  ConfirmDeliveryInput,
  CreateDispatchOrderInput,
  DispatchLineInput,
  DispatchOrderWhere,
  MarkDispatchedInput,
  RecordReturnInput,
  SubmitDispatchOrderInput,
  TransportInput,
  UpdateDispatchOrderInput,
  WriteOffLineInput,
} from "./dispatch.inputs";
import { DispatchOrderConnection } from "./dispatch.types";
import { subtreeCondition } from "../regions/region.service";

export interface DispatchSettings {
  /** A verbal order must be approved within this many hours of dispatch (DISPATCH_APPROVAL_DEADLINE_HOURS). */
  approvalDeadlineHours: number;
}

/** Where (part of) a line comes from, before it is written. */
interface SourceSpec {
  kind: AllocationSourceKind;
  siteId: number | null;
  batchId: number | null;
  partnerId: number | null;
  quantity: number;
  reason: string | null;
}

interface ManualSource {
  kind: AllocationSourceKind;
  batchId: number | null;
  partnerId: number | null;
  quantity: number;
  field: string;
}

interface ParsedLines {
  lines: Array<PlanLine & { field: string }>;
  manual: ManualSource[][];
}

interface Transport {
  vehiclePlate?: string | null;
  driverName?: string | null;
  driverPhone?: string | null;
  greenChannelPass?: string | null;
}

interface ParsedWriteOff {
  lineId: number;
  quantity: number;
  reason: FieldLossReason;
  /** Whether the units had arrived, as given; null: as the line says (arrivedOf). */
  arrived: boolean | null;
  field: string;
}

/** A write-off checked against its line: whether its units had arrived is settled. */
type CheckedWriteOff = ParsedWriteOff & { arrived: boolean };

/** How far a line has come, for messages. */
function progress(line: DispatchOrderLine): string {
  const parts = [`sent ${line.dispatchedQuantity}`, `received ${line.deliveredQuantity}`];
  if (line.turnedBackQuantity) parts.push(`turned back ${line.turnedBackQuantity}`);
  if (line.shortQuantity) parts.push(`short ${line.shortQuantity}`);
  return parts.join(", ");
}

/** The batch partner goods of an order are booked under at a site (on receipt, or back after use). */
function partnerBatchNumber(order: DispatchOrder, partnerId: number): string {
  return `${order.code}-P${partnerId}`;
}

const ORDER_NEWEST_FIRST: KeysetOrder<DispatchOrder> = { columns: ["o.id"], valuesOf: (order) => [order.id], direction: "DESC" };
const ORDER_OLDEST_FIRST: KeysetOrder<DispatchOrder> = { columns: ["o.id"], valuesOf: (order) => [order.id] };
const NOTE_MAX = 500;

function recordedBy(actor: Actor): { id: number | null; name: string } {
  return actor.kind === "ACCOUNT" ? { id: actor.id, name: actor.name } : { id: null, name: `API key ${actor.name}` };
}

function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K, keys: readonly K[]): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/** An approval waiting to be approved together with others (DispatchService.approve). */
interface ApprovalRequest {
  actor: Actor;
  orderId: number;
  /** The request's claimed idempotency key: marked committed in the transaction that approves it. */
  idempotencyClaim?: IdempotencyClaim;
  /** The request's audit entry: written by the transaction that approves it. */
  auditEntry?: PendingAuditEntry;
}
type ApprovalOutcome = { order: DispatchOrder } | { error: unknown };
/** Left for a transaction of its own (see approveInOneTransaction). */
const ON_ITS_OWN = Symbol("on its own");
/**
 * Approvals run in one lane: arrivals while a transaction is in flight wait and go together in
 * the next, so under a surge each transaction carries more orders and each order costs fewer
 * round trips. Bench S3 (2 cores, alternating rounds): one lane approves 5–19 % more per second
 * than two, with less CPU per approval, at 8 and 32 clients, hot and spread.
 * A transaction stuck on a lock another mutation holds would then stop every approval behind
 * it; after APPROVAL_SPARE_AFTER_MS of waiting those approvals go in a spare transaction of
 * their own instead (at most APPROVAL_SPARE_RUNS at once). A transaction of the surge takes a
 * few milliseconds, so the spare runs are for a stuck lane only.
 */
const APPROVAL_LANES = 1;
const APPROVAL_SPARE_AFTER_MS = 50;
const APPROVAL_SPARE_RUNS = 3;

export class DispatchService {
  /** Approvals arriving together, approved together (see approve). */
  private readonly approvals = new Coalescer<ApprovalRequest, ApprovalOutcome>((requests) => this.approveTogether(requests), {
    lanes: APPROVAL_LANES,
    spareRuns: { afterMs: APPROVAL_SPARE_AFTER_MS, max: APPROVAL_SPARE_RUNS },
    maxInputs: 100,
    // Alone, an approval is its request's own work (its statements count for it).
    context: "first caller",
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly stock: StockService,
    private readonly incidents: IncidentService,
    private readonly allocation: AllocationService,
    private readonly requests: RequestFulfilment,
    readonly settings: DispatchSettings,
  ) {}

  // ================================================================= reads

  async byIds(ids: readonly number[]): Promise<(DispatchOrder | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchOrder).createQueryBuilder("o").where("o.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async linesByIds(ids: readonly number[]): Promise<(DispatchOrderLine | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchOrderLine).createQueryBuilder("l").where("l.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async allocationsByIds(ids: readonly number[]): Promise<(DispatchAllocation | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchAllocation).createQueryBuilder("a").where("a.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async writeOffsByIds(ids: readonly number[]): Promise<(DispatchWriteOff | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchWriteOff).createQueryBuilder("w").where("w.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async linesByOrders(orderIds: readonly number[]): Promise<DispatchOrderLine[][]> {
    const rows = await this.dataSource.getRepository(DispatchOrderLine).createQueryBuilder("l").where("l.order_id = ANY(:ids)", { ids: [...orderIds] }).orderBy("l.position").getMany();
    return groupBy(rows, (row) => row.orderId, orderIds);
  }

  async allocationsByLines(lineIds: readonly number[]): Promise<DispatchAllocation[][]> {
    const rows = await this.dataSource.getRepository(DispatchAllocation).createQueryBuilder("a").where("a.line_id = ANY(:ids)", { ids: [...lineIds] }).orderBy("a.id").getMany();
    return groupBy(rows, (row) => row.lineId, lineIds);
  }

  async writeOffsByOrders(orderIds: readonly number[]): Promise<DispatchWriteOff[][]> {
    const rows = await this.dataSource.getRepository(DispatchWriteOff).createQueryBuilder("w").where("w.order_id = ANY(:ids)", { ids: [...orderIds] }).orderBy("w.id").getMany();
    return groupBy(rows, (row) => row.orderId, orderIds);
  }

  list(where: DispatchOrderWhere | null | undefined, page: PageArgs): Promise<Connection<DispatchOrder>> {
    const query = this.dataSource.getRepository(DispatchOrder).createQueryBuilder("o");
    if (where?.incidentId) query.andWhere("o.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.status) query.andWhere("o.status = :status", { status: where.status });
    if (where?.priority) query.andWhere("o.priority = :priority", { priority: where.priority });
    if (where?.pendingApproval != null) query.andWhere("o.pending_approval = :pending", { pending: where.pendingApproval });
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`o.destination_region_id IN (SELECT r.id FROM region r WHERE ${subtreeCondition("r.path", ":regionId::int")})`, { regionId });
    }
    return paginate(query, ORDER_NEWEST_FIRST, page, DispatchOrderConnection);
  }

  /** Orders dispatched on a verbal order and still unapproved after the deadline, oldest first. */
  overdueApprovals(page: PageArgs): Promise<Connection<DispatchOrder>> {
    const query = this.dataSource
      .getRepository(DispatchOrder)
      .createQueryBuilder("o")
      .where("o.pending_approval")
      .andWhere("o.dispatched_at < now() - make_interval(hours => :hours)", { hours: this.settings.approvalDeadlineHours });
    return paginate(query, ORDER_OLDEST_FIRST, page, DispatchOrderConnection);
  }

  /** When a verbal order's approval falls due; null when none is pending. */
  approvalDueAt(order: DispatchOrder): Date | null {
    if (!order.pendingApproval || !order.dispatchedAt) return null;
    return new Date(order.dispatchedAt.getTime() + this.settings.approvalDeadlineHours * 3_600_000);
  }

  /** The newest `limit` orders of each incident (optionally in one state), one statement for many incidents. */
  async incidentOrderPages(incidentIds: readonly number[], limit: number, status: DispatchStatus | null): Promise<DispatchOrder[][]> {
    const rows = await this.dataSource
      .getRepository(DispatchOrder)
      .createQueryBuilder("o")
      .where(
        `o.id IN (SELECT ranked.id FROM (
           SELECT d.id, row_number() OVER (PARTITION BY d.incident_id ORDER BY d.id DESC) AS position
           FROM dispatch_order d WHERE d.incident_id = ANY(:ids) ${status ? "AND d.status = :status" : ""}) ranked
         WHERE ranked.position <= :limit)`,
        { ids: [...incidentIds], status, limit },
      )
      .orderBy("o.id", "DESC")
      .getMany();
    return groupBy(rows, (row) => row.incidentId!, incidentIds);
  }

  async incidentOrderCounts(incidentIds: readonly number[], status: DispatchStatus | null): Promise<number[]> {
    const rows: Array<{ incident_id: number; count: number }> = await this.dataSource.query(
      `SELECT incident_id, count(*)::int AS count FROM dispatch_order WHERE incident_id = ANY($1::int[]) ${status ? "AND status = $2" : ""} GROUP BY incident_id`,
      status ? [[...incidentIds], status] : [[...incidentIds]],
    );
    const byIncident = new Map(rows.map((row) => [row.incident_id, row.count]));
    return incidentIds.map((id) => byIncident.get(id) ?? 0);
  }

  // ================================================================= input checks (before any transaction)

  private parseLines(input: readonly DispatchLineInput[] | null | undefined, check: InputErrors): ParsedLines {
    const lines = this.allocation.parseLines(input, "input.lines", check);
    const manual = (input ?? []).map((line, i) => (line.allocations ?? []).map((source, j) => this.parseSource(source, `input.lines[${i}].allocations[${j}]`, check)));
    manual.forEach((sources, i) => {
      const total = sources.reduce((sum, source) => sum + source.quantity, 0);
      if (lines[i] && total > lines[i].quantity) check.add(`input.lines[${i}].allocations`, "OUT_OF_RANGE", `the sources add up to ${total}, more than the ${lines[i].quantity} asked for`);
      sources.forEach((source, j) => {
        const same = sources.findIndex((other) => other.kind === source.kind && other.batchId === source.batchId && other.partnerId === source.partnerId);
        if (same !== j) check.add(source.field, "DUPLICATE", "each source at most once per line; add the quantities up");
      });
    });
    return { lines, manual };
  }

  private parseSource(source: AllocationInput, field: string, check: InputErrors): ManualSource {
    const quantity = check.quantity(source.quantity, `${field}.quantity`);
    if (source.batchId && source.partnerId) check.add(field, "AMBIGUOUS", "give a batch or a partner, not both");
    if (!source.batchId && !source.partnerId) check.add(field, "REQUIRED", "give a stock batch or a partner enterprise");
    const kind = source.kind ?? (source.partnerId ? AllocationSourceKind.PARTNER_STOCK : AllocationSourceKind.SITE_STOCK);
    if (source.batchId && kind !== AllocationSourceKind.SITE_STOCK) check.add(`${field}.kind`, "INVALID_VALUE", "a batch is SITE_STOCK");
    if (source.partnerId && kind === AllocationSourceKind.SITE_STOCK) check.add(`${field}.kind`, "INVALID_VALUE", "a partner source is PARTNER_STOCK or PARTNER_CAPACITY");
    return {
      kind,
      batchId: source.batchId ? parseGlobalId(source.batchId, "StockBatch", `${field}.batchId`) : null,
      partnerId: source.partnerId ? parseGlobalId(source.partnerId, "ReservePartner", `${field}.partnerId`) : null,
      quantity,
      field,
    };
  }

  /** The supply request line each input line names, if any. */
  private parseRequestLineIds(input: readonly DispatchLineInput[] | null | undefined): Array<number | null> {
    return (input ?? []).map((line, i) => (line.requestLineId ? parseGlobalId(line.requestLineId, "SupplyRequestLine", `input.lines[${i}].requestLineId`) : null));
  }

  private refuseRequestLines(requestLineIds: ReadonlyArray<number | null>, why: string, check: InputErrors): void {
    requestLineIds.forEach((id, i) => {
      if (id !== null) check.add(`input.lines[${i}].requestLineId`, "NOT_ALLOWED", why);
    });
  }

  private parseTransport(input: TransportInput | null | undefined, check: InputErrors): Transport {
    if (!input) return {};
    return {
      vehiclePlate: check.optionalText(input.vehiclePlate, "input.transport.vehiclePlate", 20),
      driverName: check.optionalText(input.driverName, "input.transport.driverName", 50),
      driverPhone: check.phone(input.driverPhone, "input.transport.driverPhone"),
      greenChannelPass: check.optionalText(input.greenChannelPass, "input.transport.greenChannelPass", 50),
    };
  }

  private parseWriteOffs(
    input: ReadonlyArray<Pick<WriteOffLineInput, "lineId" | "quantity" | "reason" | "arrived">> | null | undefined,
    approvedBy: string | null | undefined,
    check: InputErrors,
    path = "input.writeOffs",
  ): { writeOffs: ParsedWriteOff[]; approvedBy: string | null } {
    const writeOffs = (input ?? []).map((line, i) => ({
      lineId: parseGlobalId(line.lineId, "DispatchOrderLine", `${path}[${i}].lineId`),
      quantity: check.quantity(line.quantity, `${path}[${i}].quantity`),
      reason: line.reason,
      arrived: line.arrived ?? null,
      field: `${path}[${i}]`,
    }));
    writeOffs.forEach((line, i) => {
      const same = writeOffs.findIndex((other) => other.lineId === line.lineId && other.reason === line.reason && other.arrived === line.arrived);
      if (same !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "each line and reason at most once; add the quantities up");
    });
    const approver = check.optionalText(approvedBy, "input.approvedBy", 50) ?? null;
    if (writeOffs.length && !approver) check.add("input.approvedBy", "REQUIRED", "a write-off needs the name of the official who approved it (审批人)");
    return { writeOffs, approvedBy: approver };
  }

  // ================================================================= transaction building blocks

  /** Locks the order row (the first lock every order mutation takes) and reads its destination's region path. */
  private async lockOrder(manager: EntityManager, globalId: string, field = "input.id"): Promise<{ order: DispatchOrder; regionPath: string }> {
    const id = parseGlobalId(globalId, "DispatchOrder", field);
    const locked = (await this.lockOrders(manager, [id])).get(id);
    if (!locked) userError(field, "NOT_FOUND", "no such dispatch order");
    return locked;
  }

  private async loadLines(manager: EntityManager, orderId: number): Promise<DispatchOrderLine[]> {
    const lines = plainEntity(manager, DispatchOrderLine);
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${lines.columns("l")} FROM dispatch_order_line l WHERE l.order_id = $1 ORDER BY l.position`, [orderId]);
    return rows.map((row) => lines.toEntity(row));
  }

  private async loadAllocationsOf(manager: EntityManager, orderIds: readonly number[]): Promise<Map<number, DispatchAllocation[]>> {
    const allocations = plainEntity(manager, DispatchAllocation);
    const [condition, params] = inList("a.order_id", orderIds, "int");
    const rows = await prepared(manager, `SELECT ${allocations.columns("a")} FROM dispatch_allocation a WHERE ${condition} ORDER BY a.order_id, a.id`, params);
    const byOrder = new Map<number, DispatchAllocation[]>(orderIds.map((id) => [id, []]));
    for (const row of rows) byOrder.get(row.orderId as number)?.push(allocations.toEntity(row));
    return byOrder;
  }

  private async loadAllocations(manager: EntityManager, orderId: number): Promise<DispatchAllocation[]> {
    return (await this.loadAllocationsOf(manager, [orderId])).get(orderId)!;
  }

  /**
   * The scope rule (see the top of this file). Costs nothing for district-wide actors; for a
   * scoped one, one statement over the source sites.
   */
  private async assertScope(
    manager: EntityManager,
    actor: Actor,
    regionPath: string,
    sources: ReadonlyArray<{ siteId: number | null; partnerId: number | null }> | (() => Promise<ReadonlyArray<{ siteId: number | null; partnerId: number | null }>>),
    extraSiteIds: readonly number[] = [],
  ): Promise<void> {
    if (actor.scopeRegionId === null) return;
    assertInScope(actor, regionPath, "The order's destination");
    const list = typeof sources === "function" ? await sources() : sources;
    if (list.some((source) => source.partnerId !== null)) {
      throw forbidden("This order calls on a partner enterprise: that is decided district-wide (统一调拨), not by a township-scoped account.");
    }
    const siteIds = [...new Set([...list.map((source) => source.siteId).filter((id): id is number => id !== null), ...extraSiteIds])];
    if (!siteIds.length) return;
    const rows: Array<{ name: string; path: string }> = await manager.query(`SELECT s.name, r.path FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = ANY($1::int[])`, [siteIds]);
    for (const row of rows) assertInScope(actor, row.path, `Site ${row.name}`);
  }

  /** Sets order columns (by property name) and `now()` timestamps in one statement, and reads the timestamps back. */
  private async setOrder(manager: EntityManager, order: DispatchOrder, values: Partial<DispatchOrder>, stampNow: Array<keyof DispatchOrder> = []): Promise<void> {
    const metadata = manager.connection.getMetadata(DispatchOrder);
    const column = (property: string) => metadata.findColumnWithPropertyName(property)!.databaseName;
    const entries = Object.entries(values);
    const sets = [...entries.map(([property], i) => `"${column(property)}" = $${i + 2}`), ...[...stampNow, "updatedAt"].map((property) => `"${column(property as string)}" = now()`)];
    const returning = [...stampNow, "updatedAt"].map((property) => `"${column(property as string)}" AS "${property as string}"`);
    const [[row]] = await manager.query(`UPDATE dispatch_order SET ${sets.join(", ")} WHERE id = $1 RETURNING ${returning.join(", ")}`, [order.id, ...entries.map(([, value]) => value)]);
    Object.assign(order, values, row);
  }

  private publish(tx: Transaction, order: DispatchOrder, regionPath: string, change: DispatchOrderChange): void {
    const event: DispatchOrderChangedEvent = { orderId: order.id, change, status: order.status, incidentId: order.incidentId, regionPath };
    tx.afterCommit(() => this.events.publish(DISPATCH_ORDER_CHANGED, event));
    // Every change of an order passes here, so the supply request it fulfils follows it in the same transaction.
    if (order.requestId !== null) this.requests.followOrder(tx, order.requestId, order.id, change);
  }

  /** Checks hand-chosen sources against the database: batches of the line's item, partners with an agreement for it. */
  private async checkManualSources(manager: EntityManager, parsed: ParsedLines, destination: ResolvedDestination): Promise<SourceSpec[][]> {
    const all = parsed.manual.flat();
    const batchIds = all.filter((s) => s.batchId !== null).map((s) => s.batchId!);
    const partnerIds = all.filter((s) => s.partnerId !== null).map((s) => s.partnerId!);
    const batches = new Map<number, { item_id: number; site_id: number; site_name: string }>();
    if (batchIds.length) {
      const rows = await manager.query(`SELECT b.id, b.item_id, b.site_id, s.name AS site_name FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE b.id = ANY($1::int[])`, [batchIds]);
      for (const row of rows) batches.set(row.id, row);
    }
    const partnerItems = new Map<number, { stock: Set<number>; capacity: Set<number> }>();
    if (partnerIds.length) {
      const rows: Array<{ id: number; stock: number[]; capacity: number[] }> = await manager.query(
        `SELECT p.id,
                coalesce((SELECT array_agg(a.item_id) FROM partner_stock_agreement a WHERE a.partner_id = p.id), '{}') AS stock,
                coalesce((SELECT array_agg(c.item_id) FROM partner_capacity c WHERE c.partner_id = p.id), '{}') AS capacity
         FROM reserve_partner p WHERE p.id = ANY($1::int[])`,
        [partnerIds],
      );
      for (const row of rows) partnerItems.set(row.id, { stock: new Set(row.stock), capacity: new Set(row.capacity) });
    }
    const check = new InputErrors();
    const specs = parsed.manual.map((sources, i) =>
      sources.map((source): SourceSpec => {
        const itemId = parsed.lines[i].itemId;
        if (source.batchId !== null) {
          const batch = batches.get(source.batchId);
          if (!batch) check.add(`${source.field}.batchId`, "NOT_FOUND", "no such stock batch");
          else if (batch.item_id !== itemId) check.add(`${source.field}.batchId`, "INVALID_VALUE", "this batch holds another item than the line's");
          else if (batch.site_id === destination.siteId) check.add(`${source.field}.batchId`, "SAME_SITE", `${batch.site_name} is the destination itself`);
          return { kind: source.kind, siteId: batch?.site_id ?? null, batchId: source.batchId, partnerId: null, quantity: source.quantity, reason: null };
        }
        const partner = partnerItems.get(source.partnerId!);
        if (!partner) check.add(`${source.field}.partnerId`, "NOT_FOUND", "no such partner enterprise");
        else if (source.kind === AllocationSourceKind.PARTNER_STOCK && !partner.stock.has(itemId)) check.add(`${source.field}.partnerId`, "INVALID_VALUE", "this partner keeps no agreement stock of the line's item");
        else if (source.kind === AllocationSourceKind.PARTNER_CAPACITY && !partner.capacity.has(itemId)) check.add(`${source.field}.partnerId`, "INVALID_VALUE", "this partner has no production capacity for the line's item");
        return { kind: source.kind, siteId: null, batchId: null, partnerId: source.partnerId, quantity: source.quantity, reason: null };
      }),
    );
    check.throwIfAny();
    return specs;
  }

  private sourcesFromPlan(plan: AllocationPlan): SourceSpec[][] {
    return plan.lines.map((line) =>
      line.sources.map((source) => ({ kind: source.kind, siteId: source.siteId, batchId: source.batchId, partnerId: source.partnerId, quantity: source.quantity, reason: source.reason })),
    );
  }

  private async insertLines(manager: EntityManager, order: DispatchOrder, lines: readonly PlanLine[], sources: SourceSpec[][], requestLineIds: readonly number[] = []): Promise<void> {
    const inserted = await manager.insert(
      DispatchOrderLine,
      lines.map((line, i) => ({ orderId: order.id, districtId: order.districtId, position: i + 1, itemId: line.itemId, quantity: line.quantity, requestLineId: requestLineIds[i] ?? null })),
    );
    const lineIds = inserted.identifiers.map((identifier) => identifier.id as number);
    await this.insertAllocations(manager, order, lines, lineIds, sources);
  }

  private async insertAllocations(manager: EntityManager, order: DispatchOrder, lines: readonly PlanLine[], lineIds: readonly number[], sources: SourceSpec[][]): Promise<void> {
    const rows = sources.flatMap((specs, i) =>
      specs.map((spec) => ({
        orderId: order.id,
        lineId: lineIds[i],
        districtId: order.districtId,
        itemId: lines[i].itemId,
        sourceKind: spec.kind,
        siteId: spec.siteId,
        batchId: spec.batchId,
        partnerId: spec.partnerId,
        quantity: spec.quantity,
        reason: spec.reason,
      })),
    );
    if (rows.length) await manager.insert(DispatchAllocation, rows);
  }

  /** Submit and dispatch-before-approval need every line fully sourced. */
  private assertFullyAllocated(lines: readonly DispatchOrderLine[], allocations: readonly DispatchAllocation[], action: string): void {
    if (!lines.length) userError("input.id", "NOT_ALLOCATED", `the order has no lines to ${action}`);
    const short = lines
      .map((line) => ({ line, allocated: allocations.filter((a) => a.lineId === line.id).reduce((sum, a) => sum + a.quantity, 0) }))
      .filter(({ line, allocated }) => allocated !== line.quantity);
    if (short.length) {
      userError(
        "input.id",
        "NOT_ALLOCATED",
        `every line needs sources for its whole quantity before you ${action}: ${short.map(({ line, allocated }) => `line ${line.position} has ${allocated} of ${line.quantity}`).join("; ")}`,
      );
    }
  }

  /**
   * Partner call-offs at approval (or dispatch before approval): the agreement must be in force,
   * and agreement stock not over-called. The agreement rows are locked (after the stock rows,
   * by id) so two approvals cannot both take its last units.
   */
  private async checkPartnerSources(manager: EntityManager, orderId: number, allocations: readonly DispatchAllocation[]): Promise<void> {
    const partnerSources = allocations.filter((a) => a.partnerId !== null);
    if (!partnerSources.length) return;
    const rows: Array<{ id: number; name: string; in_force: boolean }> = await manager.query(
      `SELECT p.id, p.name, (p.status = 'ACTIVE' AND ${LOCAL_TODAY_SQL} BETWEEN p.agreement_starts_on AND p.agreement_ends_on) AS in_force
       FROM reserve_partner p WHERE p.id = ANY($1::int[])`,
      [[...new Set(partnerSources.map((a) => a.partnerId!))]],
    );
    const partners = new Map(rows.map((row) => [row.id, row]));
    const errors: UserError[] = [];
    for (const partner of partners.values()) {
      if (!partner.in_force) errors.push(new UserError("input.id", "INVALID_STATE", `the reserve agreement with ${partner.name} is not in force; choose another source`));
    }
    const stockCalls = partnerSources.filter((a) => a.sourceKind === AllocationSourceKind.PARTNER_STOCK);
    if (stockCalls.length) {
      const agreements: Array<{ partner_id: number; item_id: number; agreed_quantity: number }> = await manager.query(
        `SELECT partner_id, item_id, agreed_quantity FROM partner_stock_agreement
         WHERE (partner_id, item_id) IN (SELECT * FROM unnest($1::int[], $2::int[])) ORDER BY id FOR UPDATE`,
        [stockCalls.map((a) => a.partnerId!), stockCalls.map((a) => a.itemId)],
      );
      const called = await this.allocation.partnerCallOffs(manager, stockCalls.map((a) => ({ partnerId: a.partnerId!, itemId: a.itemId })), orderId);
      for (const call of stockCalls) {
        const agreement = agreements.find((a) => a.partner_id === call.partnerId && a.item_id === call.itemId);
        const already = called.get(`${call.partnerId}:${call.itemId}`) ?? 0;
        const left = (agreement?.agreed_quantity ?? 0) - already;
        if (call.quantity > left) {
          errors.push(new UserError("input.id", "INSUFFICIENT_STOCK", `${partners.get(call.partnerId!)?.name ?? "the partner"} has ${Math.max(0, left)} units of agreement stock left to call off (agreed ${agreement?.agreed_quantity ?? 0}, ${already} called by open orders), not ${call.quantity}`));
        }
      }
    }
    if (errors.length) throw new UserErrorsException(errors);
  }

  private siteStockLines(allocations: readonly DispatchAllocation[]) {
    return allocations.filter((a) => a.sourceKind === AllocationSourceKind.SITE_STOCK).map((a) => ({ batchId: a.batchId!, quantity: a.quantity, field: "input.id" }));
  }

  /**
   * Whether units of a line that come back or are written off had arrived at the destination.
   * At a storage site never: what arrived there is the site's stock, moved or written off there.
   * Otherwise as the caller says, or as the line says when only one is possible; when the line
   * has units both in transit and delivered, the caller must say (REQUIRED): guessing would
   * show a truck still on the road as arrived, or the reverse.
   */
  private arrivedOf(line: DispatchOrderLine, given: boolean | null, intoStock: boolean, field: string, check: InputErrors, what: "return" | "write-off"): boolean | null {
    if (intoStock) {
      if (given !== true) return false;
      check.add(field, "INVALID_VALUE", `units received at a storage site are that site's stock: ${what === "return" ? "move them with transferStock or a new order" : "write them off there (writeOffStock)"}`);
      return null;
    }
    if (given !== null) return given;
    if (line.inTransitQuantity === 0) return true;
    if (line.inFieldQuantity === 0) return false;
    check.add(
      field,
      "REQUIRED",
      `line ${line.position} has ${line.inTransitQuantity} units in transit and ${line.inFieldQuantity} delivered: say whether these had arrived (arrived: true) or never did (arrived: false)`,
    );
    return null;
  }

  /**
   * Write-offs (short deliveries, losses in the field) checked against their lines, which are
   * updated in memory so that later checks see them. Errors go to `check`.
   */
  private checkWriteOffs(lines: DispatchOrderLine[], writeOffs: readonly ParsedWriteOff[], intoStock: boolean, reusable: ReadonlySet<number>, check: InputErrors): CheckedWriteOff[] {
    const checked: CheckedWriteOff[] = [];
    for (const writeOff of writeOffs) {
      const line = lines.find((l) => l.id === writeOff.lineId);
      if (!line) {
        check.add(`${writeOff.field}.lineId`, "NOT_FOUND", "no such line on this order");
        continue;
      }
      const arrived = this.arrivedOf(line, writeOff.arrived, intoStock, `${writeOff.field}.arrived`, check, "write-off");
      if (arrived === null) continue;
      if (arrived && SHORT_DELIVERY_ONLY.includes(writeOff.reason)) {
        check.add(`${writeOff.field}.reason`, "INVALID_VALUE", `${writeOff.reason} explains only units that never arrived`);
        continue;
      }
      if (arrived && !reusable.has(line.itemId)) {
        check.add(`${writeOff.field}.arrived`, "INVALID_VALUE", `line ${line.position} holds consumables: delivered to a region or a point they are used up, and nothing is written off`);
        continue;
      }
      const room = arrived ? line.inFieldQuantity : line.inTransitQuantity;
      if (writeOff.quantity > room) {
        check.add(
          `${writeOff.field}.quantity`,
          "OUT_OF_RANGE",
          arrived
            ? `line ${line.position} has ${room} units out after delivery (received ${line.deliveredQuantity}, back ${line.returnedQuantity - line.turnedBackQuantity}, written off ${line.writtenOffQuantity - line.shortQuantity}), fewer than ${writeOff.quantity}`
            : `line ${line.position} has ${room} units in transit (${progress(line)}), fewer than ${writeOff.quantity}`,
        );
        continue;
      }
      line.writtenOffQuantity += writeOff.quantity;
      if (!arrived) line.shortQuantity += writeOff.quantity;
      checked.push({ ...writeOff, arrived });
    }
    return checked;
  }

  /** Checked write-offs as rows on the order, line totals updated. No ledger entry: the ISSUE already took them off the books. */
  private async writeWriteOffs(manager: EntityManager, actor: Actor, order: DispatchOrder, writeOffs: readonly CheckedWriteOff[], approvedBy: string | null, note: string | null): Promise<void> {
    if (!writeOffs.length) return;
    const who = recordedBy(actor);
    await manager.insert(
      DispatchWriteOff,
      writeOffs.map((w) => ({
        orderId: order.id,
        lineId: w.lineId,
        districtId: order.districtId,
        quantity: w.quantity,
        reason: w.reason,
        shortDelivery: !w.arrived,
        approvedBy: approvedBy!,
        note,
        recordedById: who.id,
        recordedBy: who.name,
      })),
    );
    // One row per line: an UPDATE … FROM joining a row twice changes it once.
    const byLine = new Map<number, { quantity: number; short: number }>();
    for (const w of writeOffs) {
      const total = byLine.get(w.lineId) ?? { quantity: 0, short: 0 };
      total.quantity += w.quantity;
      if (!w.arrived) total.short += w.quantity;
      byLine.set(w.lineId, total);
    }
    await manager.query(
      `UPDATE dispatch_order_line SET written_off_quantity = written_off_quantity + input.quantity, short_quantity = short_quantity + input.short
       FROM unnest($1::int[], $2::int[], $3::int[]) AS input(id, quantity, short) WHERE dispatch_order_line.id = input.id`,
      [[...byLine.keys()], [...byLine.values()].map((t) => t.quantity), [...byLine.values()].map((t) => t.short)],
    );
  }

  /** Items of these lines that are reusable (可回收). */
  private async reusableItems(manager: EntityManager, lines: readonly DispatchOrderLine[]): Promise<Set<number>> {
    if (!lines.length) return new Set();
    const rows: Array<{ id: number }> = await manager.query(`SELECT id FROM supply_item WHERE reusable AND id = ANY($1::int[])`, [lines.map((line) => line.itemId)]);
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Lines with units not accounted for: still in transit, or — reusable items sent to a region or
   * a point — still out there. As "line 1: 10 of 10 still out; line 2: 5 of 20 in transit".
   */
  private unaccounted(lines: readonly DispatchOrderLine[], destination: DestinationKind, reusable: ReadonlySet<number>): string | null {
    const parts: string[] = [];
    for (const line of lines) {
      const mustReturn = destination !== DestinationKind.SITE && reusable.has(line.itemId);
      const out = line.outstandingFor(destination);
      if (mustReturn && out > 0) parts.push(`line ${line.position}: ${out} of ${line.dispatchedQuantity} still out${line.inTransitQuantity ? ` (${line.inTransitQuantity} in transit)` : ""}`);
      else if (line.inTransitQuantity > 0) parts.push(`line ${line.position}: ${line.inTransitQuantity} of ${line.dispatchedQuantity} in transit, neither received nor written off`);
    }
    return parts.length ? parts.join("; ") : null;
  }

  // ================================================================= mutations

  async create(actor: Actor, input: CreateDispatchOrderInput): Promise<{ order: DispatchOrder; plan: AllocationPlan | null }> {
    const check = new InputErrors();
    const requestId = input.requestId ? parseGlobalId(input.requestId, "SupplyRequest", "input.requestId") : null;
    const parsed = this.parseLines(input.lines, check);
    const requestLineIds = this.parseRequestLineIds(input.lines);
    // Made from a request, the priority may be the request's: checked once it is known.
    if (requestId === null) {
      this.checkAllocationChoice(input, parsed, input.priority ?? DispatchPriority.NORMAL, check);
      this.refuseRequestLines(requestLineIds, "a request line is served by an order made from its request: give the order's requestId", check);
    }
    const transport = this.parseTransport(input.transport, check);
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    const givenIncidentId = input.incidentId ? parseGlobalId(input.incidentId, "Incident", "input.incidentId") : null;
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const fromRequest = requestId === null ? null : await this.requests.lockForOrder(manager, actor, requestId, "input.requestId");
      const priority = input.priority ?? fromRequest?.request.priority ?? DispatchPriority.NORMAL;
      if (fromRequest) {
        this.checkAllocationChoice(input, parsed, priority, check);
        check.throwIfAny();
      }
      const incidentId = givenIncidentId ?? fromRequest?.openIncidentId ?? null;
      const incident = incidentId === null ? null : await this.incidents.requireOpen(manager, incidentId, "input.incidentId");
      const destination =
        fromRequest && !input.destination ? this.requests.destinationOf(fromRequest) : await this.allocation.resolveDestination(manager, input.destination, "input.destination");
      if (fromRequest) this.requests.assertDestinationFits(fromRequest, destination, "input.destination");
      if (incident && incident.districtId !== destination.districtId) userError("input.destination", "MIXED_DISTRICTS", "the destination lies outside the incident's district");
      await this.allocation.checkItems(manager, parsed.lines);
      const servedLines = fromRequest ? this.requests.assignLines(fromRequest, parsed.lines.map((line, i) => ({ ...line, requestLineId: requestLineIds[i] }))) : [];
      let plan: AllocationPlan | null = null;
      let sources: SourceSpec[][];
      if (input.autoAllocate) {
        plan = await this.allocation.plan(actor, { destination, lines: parsed.lines, allowBelowMinimum: Boolean(input.allowBelowMinimum), priority, incidentId }, manager);
        sources = this.sourcesFromPlan(plan);
      } else {
        sources = await this.checkManualSources(manager, parsed, destination);
      }
      await this.assertScope(manager, actor, destination.regionPath, sources.flat());

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
          destinationKind: destination.kind,
          destinationRegionId: destination.regionId,
          destinationSiteId: destination.siteId,
          destinationLatitude: destination.latitude,
          destinationLongitude: destination.longitude,
          destinationAddress: destination.address,
          receiverName: destination.receiverName,
          receiverPhone: destination.receiverPhone,
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
      await this.insertLines(manager, order, parsed.lines, sources, servedLines);
      this.publish(tx, order, destination.regionPath, DispatchOrderChange.CREATED);
      return { order, plan };
    });
  }

  private checkAllocationChoice(input: { autoAllocate?: boolean | null; allowBelowMinimum?: boolean | null }, parsed: ParsedLines | null, priority: DispatchPriority, check: InputErrors): void {
    if (input.autoAllocate && parsed?.manual.some((sources) => sources.length)) check.add("input.autoAllocate", "AMBIGUOUS", "give sources by hand or ask for autoAllocate, not both");
    if (input.allowBelowMinimum && !input.autoAllocate) check.add("input.allowBelowMinimum", "NOT_ALLOWED", "allowBelowMinimum applies to autoAllocate");
    if (input.allowBelowMinimum && priority !== DispatchPriority.URGENT) check.add("input.allowBelowMinimum", "NOT_ALLOWED", "only URGENT orders may take stock below a site's minimum");
  }

  async update(actor: Actor, input: UpdateDispatchOrderInput): Promise<{ order: DispatchOrder; plan: AllocationPlan | null }> {
    const check = new InputErrors();
    const parsed = input.lines ? this.parseLines(input.lines, check) : null;
    const requestLineIds = this.parseRequestLineIds(input.lines);
    const transport = this.parseTransport(input.transport, check);
    const note = check.optionalText(input.note, "input.note", NOTE_MAX);
    // Left out: unchanged; null: no incident (pre-positioning).
    const incidentId = input.incidentId == null ? input.incidentId : parseGlobalId(input.incidentId, "Incident", "input.incidentId");
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      transitionFor(DispatchAction.UPDATE, order, actor);
      await this.assertScope(manager, actor, regionPath, () => this.loadAllocations(manager, order.id));
      if (order.requestId === null) this.refuseRequestLines(requestLineIds, "this order was not made from a supply request", check);
      // New lines or a new destination of an order made from a request are held to the request again.
      const fromRequest = order.requestId !== null && (parsed || input.destination) ? await this.requests.lockForOrder(manager, actor, order.requestId, "input.id", order.id) : null;
      const priority = input.priority ?? order.priority;
      this.checkAllocationChoice(input, parsed, priority, check);
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
        if (incident.districtId !== destination.districtId) userError("input.incidentId", "MIXED_DISTRICTS", "the incident lies in another district than the destination");
      }
      if (destination.districtId !== order.districtId) userError("input.destination", "MIXED_DISTRICTS", "an order stays in its district; create a new order for another district");

      let plan: AllocationPlan | null = null;
      let newSources: SourceSpec[][] | null = null;
      let lines: Array<PlanLine & { field?: string }> | null = null;
      let servedLines: number[] = [];
      if (parsed) {
        lines = parsed.lines;
        await this.allocation.checkItems(manager, parsed.lines);
        if (fromRequest) servedLines = this.requests.assignLines(fromRequest, parsed.lines.map((line, i) => ({ ...line, requestLineId: requestLineIds[i] })));
        if (!input.autoAllocate) newSources = await this.checkManualSources(manager, parsed, destination);
      } else if (input.autoAllocate) {
        lines = (await this.loadLines(manager, order.id)).map((line) => ({ itemId: line.itemId, quantity: line.quantity }));
      }
      if (input.autoAllocate && lines) {
        plan = await this.allocation.plan(actor, { destination, lines, allowBelowMinimum: Boolean(input.allowBelowMinimum), priority, incidentId: newIncidentId }, manager);
        newSources = this.sourcesFromPlan(plan);
      }
      await this.assertScope(manager, actor, destination.regionPath, newSources ? newSources.flat() : () => this.loadAllocations(manager, order.id));

      if (parsed && newSources) {
        await manager.delete(DispatchOrderLine, { orderId: order.id });
        await this.insertLines(manager, order, parsed.lines, newSources, servedLines);
      } else if (newSources && lines) {
        const current = await this.loadLines(manager, order.id);
        await manager.delete(DispatchAllocation, { orderId: order.id });
        await this.insertAllocations(manager, order, lines, current.map((line) => line.id), newSources);
      }
      const values: Partial<DispatchOrder> = {
        priority,
        incidentId: newIncidentId,
        destinationKind: destination.kind,
        destinationRegionId: destination.regionId,
        destinationSiteId: destination.siteId,
        destinationLatitude: destination.latitude,
        destinationLongitude: destination.longitude,
        destinationAddress: destination.address,
        receiverName: destination.receiverName,
        receiverPhone: destination.receiverPhone,
      };
      for (const [key, value] of Object.entries(transport)) if (value !== undefined) (values as Record<string, unknown>)[key] = value;
      if (note !== undefined) values.note = note;
      await this.setOrder(manager, order, values);
      this.publish(tx, order, destination.regionPath, DispatchOrderChange.UPDATED);
      return { order, plan };
    });
  }

  async submit(actor: Actor, input: SubmitDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.SUBMIT, order, actor);
      const [lines, allocations] = [await this.loadLines(manager, order.id), await this.loadAllocations(manager, order.id)];
      await this.assertScope(manager, actor, regionPath, allocations);
      this.assertFullyAllocated(lines, allocations, "submit it");
      await this.setOrder(manager, order, { status: transition.to }, ["submittedAt"]);
      this.publish(tx, order, regionPath, DispatchOrderChange.SUBMITTED);
      return { order };
    });
  }

  /**
   * The commander's approval. From SUBMITTED: every site-stock source is reserved — the stock
   * rows locked in (site, item, batch) order, availability re-checked under the lock, all or
   * nothing — and partner call-offs checked. For a verbal order already dispatched, approval
   * only records the commander's decision.
   *
   * This is the hot path when many orders are approved at once (bench S3), so approvals that
   * arrive while others are being written are approved together: one transaction locks all
   * their orders (by id) and then all their batches (in the fixed order), takes the orders in
   * arrival order — each checked against the stock the ones before it left, exactly as if they
   * had come one after the other — and commits once, with the audit entry of every approval it
   * made. Each caller still gets its own answer; a refused order writes nothing (its entry is
   * written after, by the audit plugin). Alone, an approval runs at once, as before.
   */
  async approve(actor: Actor, input: ApproveDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const orderId = parseGlobalId(input.id, "DispatchOrder", "input.id");
    const outcome = await this.approvals.submit({ actor, orderId, idempotencyClaim: currentRequestScope()?.idempotencyClaim, auditEntry: currentPendingAuditEntry() });
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
        outcomes.set(request, { error });
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
          this.lockOrders(manager, orderIds),
          this.loadAllocationsOf(manager, orderIds),
          this.stock.lockBatchesSelectedBy(manager, `SELECT a.batch_id FROM dispatch_allocation a WHERE ${condition} AND a.source_kind = '${AllocationSourceKind.SITE_STOCK}'`, params),
        ]);
        const results: Array<ApprovalOutcome | typeof ON_ITS_OWN | undefined> = requests.map(() => undefined);
        const candidates: Array<{ index: number; order: DispatchOrder; regionPath: string; transition: Transition }> = [];
        requests.forEach((request, index) => {
          const found = locked.get(request.orderId);
          if (!found) results[index] = { error: new UserErrorsException([new UserError("input.id", "NOT_FOUND", "no such dispatch order")]) };
          else {
            try {
              candidates.push({ index, ...found, transition: transitionFor(DispatchAction.APPROVE, found.order, request.actor) });
            } catch (error) {
              results[index] = { error };
            }
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
            await this.checkPartnerSources(manager, candidate.order.id, sources);
          }
          stockTakers.push(candidate);
        }
        const refusals = await this.stock.reserveEach(
          tx,
          requests[0].actor, // recorded by nobody: a reservation writes no ledger entry
          stockTakers.map((c) => this.siteStockLines(allocations.get(c.order.id) ?? [])),
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
        this.markApproved(tx, approved.map((c) => ({ order: c.order, transition: c.transition, actor: requests[c.index].actor })));
        spendClaims(tx, approved.map((c) => ({ claim: requests[c.index].idempotencyClaim, result: { order: c.order } })));
        recordAuditEntriesInTransaction(tx, approved.map((c) => ({ entry: requests[c.index].auditEntry, result: { order: c.order } })));
        for (const c of approved) {
          results[c.index] = { order: c.order };
          this.publish(tx, c.order, c.regionPath, DispatchOrderChange.APPROVED);
        }
        return results as Array<ApprovalOutcome | typeof ON_ITS_OWN>;
      },
      { servesSeveralRequests: true },
    );
  }

  /** Locks orders (in id order, so two transactions locking several never deadlock) with their destination's region path. */
  private async lockOrders(manager: EntityManager, ids: readonly number[]): Promise<Map<number, { order: DispatchOrder; regionPath: string }>> {
    const orders = plainEntity(manager, DispatchOrder);
    const [condition, params] = inList("o.id", ids, "int");
    const rows = await prepared(
      manager,
      `SELECT ${orders.columns("o")}, r.path AS region_path
       FROM dispatch_order o JOIN region r ON r.id = o.destination_region_id
       WHERE ${condition} ORDER BY o.id FOR UPDATE OF o`,
      params,
    );
    return new Map(rows.map((row) => [row.id as number, { order: orders.toEntity(row), regionPath: row.region_path as string }]));
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
    const written = prepared<{ id: number; approvedAt: Date; updatedAt: Date }>(
      tx.manager,
      `UPDATE dispatch_order o SET status = v.status, approved_by_id = v.by_id, approved_by = v.by_name, pending_approval = false, approved_at = now(), updated_at = now()
       FROM ${values} AS v(id, status, by_id, by_name)
       WHERE o.id = v.id
       RETURNING o.id, o.approved_at AS "approvedAt", o.updated_at AS "updatedAt"`,
      params,
    );
    void tx.sendWithCommit(
      written.then((rows) => {
        const stamps = new Map(rows.map((row) => [row.id, row]));
        for (const { order } of approvals) Object.assign(order, { approvedAt: stamps.get(order.id)!.approvedAt, updatedAt: stamps.get(order.id)!.updatedAt });
      }),
    );
  }

  /**
   * The goods leave: ISSUE entries for every site-stock source (from the reservation of an
   * approved order; from available stock for an urgent verbal order, which then awaits approval).
   */
  async markDispatched(actor: Actor, input: MarkDispatchedInput): Promise<{ order: DispatchOrder }> {
    const check = new InputErrors();
    const transport = this.parseTransport(input.transport, check);
    const verbalOrderBy = check.optionalText(input.verbalOrderBy, "input.verbalOrderBy", 50) ?? null;
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.DISPATCH, order, actor);
      const [lines, allocations] = [await this.loadLines(manager, order.id), await this.loadAllocations(manager, order.id)];
      await this.assertScope(manager, actor, regionPath, allocations);
      if (order.destinationKind === DestinationKind.SITE) {
        // Before the sources' batches are locked: the receiver's level rows are inserted first, as by every inbound operation.
        await this.stock.expectShipment(tx, order.destinationSiteId!, lines.map((line) => line.itemId), "input.id");
      }
      const stockLines = this.siteStockLines(allocations);
      if (transition.beforeApproval) {
        if (!verbalOrderBy) userError("input.verbalOrderBy", "REQUIRED", "dispatching before approval needs the name of who gave the verbal order (口头指令)");
        this.assertFullyAllocated(lines, allocations, "dispatch it");
        if (stockLines.length) await this.stock.issueAvailable(tx, actor, stockLines, { dispatchOrderId: order.id });
        await this.checkPartnerSources(manager, order.id, allocations);
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
      await this.setOrder(manager, order, values, ["dispatchedAt"]);
      this.publish(tx, order, regionPath, DispatchOrderChange.DISPATCHED);
      return { order };
    });
  }

  /**
   * Receipt (签收): quantities received per line, added up over several confirmations (partial is
   * allowed), and shortages (短少): what will not arrive, written off on the order with reason and
   * approver. A line's received units are assigned to its sources in allocation order, each
   * source filled before the next (the order the sources were listed or planned in: nearest and
   * earliest expiry first) — so a second truck continues where the first left off. At a storage
   * site they are booked into its stock in the same transaction (StockService.receiveShipment).
   */
  async confirmDelivery(actor: Actor, input: ConfirmDeliveryInput): Promise<{ order: DispatchOrder; receipts: StockMovement[] }> {
    const check = new InputErrors();
    const received = (input.lines ?? []).map((line, i) => ({
      lineId: parseGlobalId(line.lineId, "DispatchOrderLine", `input.lines[${i}].lineId`),
      quantity: check.wholeNumber(line.receivedQuantity, `input.lines[${i}].receivedQuantity`, 0, 10_000_000),
      field: `input.lines[${i}]`,
    }));
    received.forEach((line, i) => {
      if (received.findIndex((other) => other.lineId === line.lineId) !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "each line at most once");
    });
    const { writeOffs: shortages, approvedBy } = this.parseWriteOffs(
      (input.shortages ?? []).map((shortage) => ({ ...shortage, arrived: false })),
      input.approvedBy,
      check,
      "input.shortages",
    );
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    if (!received.some((line) => line.quantity > 0) && !shortages.length) check.add("input.lines", "REQUIRED", "confirm at least one unit received, or give the shortages");
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.CONFIRM_DELIVERY, order, actor);
      // The receiver's act: only the destination counts for scope (see the top of this file).
      assertInScope(actor, regionPath, "The order's destination");
      const intoStock = order.destinationKind === DestinationKind.SITE;
      const [lines, allocations] = [await this.loadLines(manager, order.id), await this.loadAllocations(manager, order.id)];
      for (const line of received) {
        const current = lines.find((l) => l.id === line.lineId);
        if (!current) check.add(`${line.field}.lineId`, "NOT_FOUND", "no such line on this order");
        else if (line.quantity > current.inTransitQuantity) {
          check.add(`${line.field}.receivedQuantity`, "OUT_OF_RANGE", `line ${current.position}: ${current.inTransitQuantity} in transit (${progress(current)}); ${line.quantity} more is too many`);
        } else current.deliveredQuantity += line.quantity;
      }
      const checkedShortages = this.checkWriteOffs(lines, shortages, intoStock, new Set(), check);
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
      await this.writeWriteOffs(manager, actor, order, checkedShortages, approvedBy, note);
      if (intoStock && checkedShortages.length) this.stock.noteInTransitChange(tx, order.destinationSiteId!, this.itemsOf(lines, checkedShortages));
      await this.setOrder(manager, order, { status: transition.to }, order.deliveredAt ? [] : ["deliveredAt"]);
      this.publish(tx, order, regionPath, DispatchOrderChange.DELIVERY_CONFIRMED);
      return { order, receipts };
    });
  }

  private itemsOf(lines: readonly DispatchOrderLine[], changes: ReadonlyArray<{ lineId: number }>): number[] {
    return changes.map((change) => lines.find((line) => line.id === change.lineId)!.itemId);
  }

  /**
   * Items back to a chosen site (回收): RETURN entries into the batch numbers they were issued
   * from (goods a partner supplied go into a batch named after the order). DAMAGED ones are then
   * written off at that site at once (WRITE_OFF, with the approver), so the ledger shows them
   * arriving and leaving.
   */
  async recordReturn(actor: Actor, input: RecordReturnInput): Promise<{ order: DispatchOrder }> {
    const check = new InputErrors();
    const siteId = parseGlobalId(input.siteId, "StorageSite", "input.siteId");
    const returns = (input.lines ?? []).map((line, i) => ({
      lineId: parseGlobalId(line.lineId, "DispatchOrderLine", `input.lines[${i}].lineId`),
      quantity: check.quantity(line.quantity, `input.lines[${i}].quantity`),
      condition: line.condition ?? ReturnCondition.GOOD,
      arrived: line.arrived ?? null,
      field: `input.lines[${i}]`,
    }));
    if (!returns.length) check.add("input.lines", "REQUIRED", "give at least one line");
    returns.forEach((line, i) => {
      if (returns.findIndex((other) => other.lineId === line.lineId) !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "each line at most once per return");
    });
    const approvedBy = check.optionalText(input.approvedBy, "input.approvedBy", 50) ?? null;
    if (returns.some((line) => line.condition === ReturnCondition.DAMAGED) && !approvedBy) check.add("input.approvedBy", "REQUIRED", "damaged items are written off: name the official who approved it (审批人)");
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.RECORD_RETURN, order, actor);
      const [lines, allocations] = [await this.loadLines(manager, order.id), await this.loadAllocations(manager, order.id)];
      await this.assertScope(manager, actor, regionPath, allocations, [siteId]);

      // Spread each line's units over its sources that still have units out, in order.
      const intoStock = order.destinationKind === DestinationKind.SITE;
      const pieces: Array<{ allocation: DispatchAllocation; quantity: number; condition: ReturnCondition; field: string }> = [];
      const turnedBack = new Map<number, number>();
      for (const ret of returns) {
        const line = lines.find((l) => l.id === ret.lineId);
        if (!line) {
          check.add(`${ret.field}.lineId`, "NOT_FOUND", "no such line on this order");
          continue;
        }
        const arrived = this.arrivedOf(line, ret.arrived, intoStock, `${ret.field}.arrived`, check, "return");
        if (arrived === null) continue;
        const room = arrived ? line.inFieldQuantity : line.inTransitQuantity;
        if (ret.quantity > room) {
          check.add(
            `${ret.field}.quantity`,
            "OUT_OF_RANGE",
            arrived
              ? `line ${line.position} has ${room} units out (sent ${line.dispatchedQuantity}, returned ${line.returnedQuantity}, written off ${line.writtenOffQuantity}); ${ret.quantity} cannot come back`
              : `line ${line.position} has ${room} units in transit (${progress(line)}); ${ret.quantity} cannot be turned back`,
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
      if (intoStock && turnedBack.size) this.stock.noteInTransitChange(tx, order.destinationSiteId!, this.itemsOf(lines, [...turnedBack.keys()].map((lineId) => ({ lineId }))));
      await this.setOrder(manager, order, { status: transition.to });
      this.publish(tx, order, regionPath, DispatchOrderChange.RETURN_RECORDED);
      return { order };
    });
  }

  /**
   * Close (结单): every unit sent received, turned back or written off, and reusable items sent to
   * a region or a point back or written off — in this call's write-offs or before. Closing stays
   * an act of its own rather than following the last receipt: it is the desk's sign-off, and a
   * late correction (a second truck, a return) is still possible until then.
   */
  async close(actor: Actor, input: CloseDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const check = new InputErrors();
    const { writeOffs, approvedBy } = this.parseWriteOffs(input.writeOffs, input.approvedBy, check);
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.CLOSE, order, actor);
      await this.assertScope(manager, actor, regionPath, () => this.loadAllocations(manager, order.id));
      const lines = await this.loadLines(manager, order.id);
      const reusable = await this.reusableItems(manager, lines);
      const intoStock = order.destinationKind === DestinationKind.SITE;
      const checked = this.checkWriteOffs(lines, writeOffs, intoStock, reusable, check);
      check.throwIfAny();
      await this.writeWriteOffs(manager, actor, order, checked, approvedBy, note);
      const unaccounted = this.unaccounted(lines, order.destinationKind, reusable);
      if (unaccounted) {
        userError(
          "input.id",
          "ITEMS_OUTSTANDING",
          `not every unit sent is accounted for — confirm what arrived, record the return of reusable items, or write off what will not arrive or come back: ${unaccounted}`,
        );
      }
      if (intoStock && checked.length) this.stock.noteInTransitChange(tx, order.destinationSiteId!, this.itemsOf(lines, checked));
      await this.setOrder(manager, order, { status: transition.to }, ["closedAt"]);
      this.publish(tx, order, regionPath, DispatchOrderChange.CLOSED);
      return { order };
    });
  }

  /**
   * Cancel: before approval nothing was held; after approval the reservations are released;
   * after dispatch everything sent must have come back (recordReturn) or be written off here.
   */
  async cancel(actor: Actor, input: CancelDispatchOrderInput): Promise<{ order: DispatchOrder }> {
    const check = new InputErrors();
    const reason = check.text(input.reason, "input.reason", NOTE_MAX);
    const { writeOffs, approvedBy } = this.parseWriteOffs(input.writeOffs, input.approvedBy, check);
    check.throwIfAny();
    return inTransaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { order, regionPath } = await this.lockOrder(manager, input.id);
      const transition = transitionFor(DispatchAction.CANCEL, order, actor);
      await this.assertScope(manager, actor, regionPath, () => this.loadAllocations(manager, order.id));
      if (writeOffs.length && transition.from !== DispatchStatus.DISPATCHED) userError("input.writeOffs", "INVALID_VALUE", `nothing was issued on this ${transition.from} order, so there is nothing to write off`);
      if (transition.from === DispatchStatus.APPROVED) {
        const stockLines = this.siteStockLines(await this.loadAllocations(manager, order.id));
        if (stockLines.length) await this.stock.releaseReservation(tx, actor, stockLines);
      }
      if (transition.from === DispatchStatus.DISPATCHED) {
        // Nothing was received (that would make it DELIVERED): every write-off here is a short delivery.
        const lines = await this.loadLines(manager, order.id);
        const intoStock = order.destinationKind === DestinationKind.SITE;
        const checked = this.checkWriteOffs(lines, writeOffs, intoStock, await this.reusableItems(manager, lines), check);
        check.throwIfAny();
        await this.writeWriteOffs(manager, actor, order, checked, approvedBy, reason);
        const outstanding = lines.filter((line) => line.inTransitQuantity > 0);
        if (outstanding.length) {
          userError(
            "input.id",
            "ITEMS_OUTSTANDING",
            `the order was dispatched: everything sent must come back (recordReturn) or be written off before it is cancelled: ${outstanding.map((line) => `line ${line.position}: ${line.inTransitQuantity} of ${line.dispatchedQuantity} still out`).join("; ")}`,
          );
        }
        if (intoStock && checked.length) this.stock.noteInTransitChange(tx, order.destinationSiteId!, this.itemsOf(lines, checked));
      }
      await this.setOrder(manager, order, { status: transition.to, cancelReason: reason, pendingApproval: false }, ["cancelledAt"]);
      this.publish(tx, order, regionPath, DispatchOrderChange.CANCELLED);
      return { order };
    });
  }
}
