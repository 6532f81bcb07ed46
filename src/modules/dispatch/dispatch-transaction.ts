// The building blocks of every order mutation's transaction (dispatch-commands.service.ts, and the
// approval lane in dispatch-approvals.ts), in the order they are used:
//   1. lockOrder / lockOrders: the order row locked (SELECT … FOR UPDATE) — always first, so
//      approve and cancel racing on one order run one after the other — with its destination's
//      region path;
//   2. loadLines / loadAllocations: what the order holds, read under that lock;
//   3. assertScope: the territorial scope rule below;
//   4. setOrder: the order's columns and timestamps in one statement;
//   5. OrderChanges.publish: dispatchOrderChanged after COMMIT; the supply request the order
//      fulfils follows it in the same transaction.
//
// Territorial scope (属地管理): a LOGISTICS account scoped to a township acts on an order only when
// everything the order touches lies inside that township — the destination, every source site
// and the site receiving returns — and never on orders calling on partner enterprises (calling
// on them is a district-wide decision). Cross-township orders (统一调拨) are for district-wide
// logistics accounts. Commanders and admins are never scoped. The one exception is receipt
// (签收, confirmDelivery): the receiving side signs for what arrives, so a township's account
// confirms whatever arrives at a destination in its township, wherever it was sent from — it
// books goods into its own sites and touches no source's stock (the ISSUE has happened).
import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { assertInScope } from "../../core/access/scope";
import { plainEntity } from "../../core/db/plain-rows";
import { inList, prepared } from "../../core/db/prepared";
import type { Transaction } from "../../core/db/transaction";
import { forbidden, userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import type { EventBus } from "../../core/live/pubsub";
import type { RequestFulfilment } from "../requests/request-fulfilment";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine } from "./dispatch-order.entity";
import { DispatchAction, transitionFor, type Transition } from "./dispatch-state";
import type { DispatchOrderChange } from "./dispatch.enums";
import { DISPATCH_ORDER_CHANGED, type DispatchOrderChangedEvent } from "./dispatch.events";
import { message } from "../../core/i18n/i18n";

/** Locks the order row (the first lock every order mutation takes) and reads its destination's region path. */
export async function lockOrder(manager: EntityManager, globalId: string, field = "input.id"): Promise<{ order: DispatchOrder; regionPath: string }> {
  const id = parseGlobalId(globalId, "DispatchOrder", field);
  const locked = (await lockOrders(manager, [id])).get(id);
  if (!locked) userError(field, "NOT_FOUND", "dispatch.noSuchDispatchOrder");
  return locked;
}

/** An order locked for an action: the state machine said yes to this actor, and scope was checked. */
export interface LockedOrder {
  order: DispatchOrder;
  regionPath: string;
  transition: Transition;
}

/**
 * Steps 1 and 3 for an action that does not otherwise need the order's parts: lock, ask the state
 * machine, check scope (the sources are read only for a township-scoped actor, who needs them).
 */
export async function lockOrderFor(manager: EntityManager, actor: Actor, action: DispatchAction, globalId: string): Promise<LockedOrder> {
  const { order, regionPath } = await lockOrder(manager, globalId);
  const transition = transitionFor(action, order, actor);
  await assertScope(manager, actor, regionPath, () => loadAllocations(manager, order.id));
  return { order, regionPath, transition };
}

/** Steps 1 to 3 for an action that works on the order's lines and sources: lock, ask the state machine, read them, check scope. */
export async function lockOrderWithParts(
  manager: EntityManager,
  actor: Actor,
  action: DispatchAction,
  globalId: string,
  extraSiteIds: readonly number[] = [],
): Promise<LockedOrder & { lines: DispatchOrderLine[]; allocations: DispatchAllocation[] }> {
  const { order, regionPath } = await lockOrder(manager, globalId);
  const transition = transitionFor(action, order, actor);
  const [lines, allocations] = [await loadLines(manager, order.id), await loadAllocations(manager, order.id)];
  await assertScope(manager, actor, regionPath, allocations, extraSiteIds);
  return { order, regionPath, transition, lines, allocations };
}

/** Locks orders (in id order, so two transactions locking several never deadlock) with their destination's region path. */
export async function lockOrders(manager: EntityManager, ids: readonly number[]): Promise<Map<number, { order: DispatchOrder; regionPath: string }>> {
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

export async function loadLines(manager: EntityManager, orderId: number): Promise<DispatchOrderLine[]> {
  const lines = plainEntity(manager, DispatchOrderLine);
  const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${lines.columns("l")} FROM dispatch_order_line l WHERE l.order_id = $1 ORDER BY l.position`, [orderId]);
  return rows.map((row) => lines.toEntity(row));
}

export async function loadAllocationsOf(manager: EntityManager, orderIds: readonly number[]): Promise<Map<number, DispatchAllocation[]>> {
  const allocations = plainEntity(manager, DispatchAllocation);
  const [condition, params] = inList("a.order_id", orderIds, "int");
  const rows = await prepared(manager, `SELECT ${allocations.columns("a")} FROM dispatch_allocation a WHERE ${condition} ORDER BY a.order_id, a.id`, params);
  const byOrder = new Map<number, DispatchAllocation[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) byOrder.get(row.orderId as number)?.push(allocations.toEntity(row));
  return byOrder;
}

export async function loadAllocations(manager: EntityManager, orderId: number): Promise<DispatchAllocation[]> {
  return (await loadAllocationsOf(manager, [orderId])).get(orderId)!;
}

/**
 * The territorial scope rule (see the top of this file). Costs nothing for district-wide actors; for a
 * scoped one, one statement over the source sites.
 */
export async function assertScope(
  manager: EntityManager,
  actor: Actor,
  regionPath: string,
  sources: ReadonlyArray<{ siteId: number | null; partnerId: number | null }> | (() => Promise<ReadonlyArray<{ siteId: number | null; partnerId: number | null }>>),
  extraSiteIds: readonly number[] = [],
): Promise<void> {
  if (actor.scopeRegionId === null) return;
  assertInScope(actor, regionPath, message("scope.what.orderDestination"));
  const list = typeof sources === "function" ? await sources() : sources;
  if (list.some((source) => source.partnerId !== null)) {
    throw forbidden("dispatch.thisOrderCallsOnA");
  }
  const siteIds = [...new Set([...list.map((source) => source.siteId).filter((id): id is number => id !== null), ...extraSiteIds])];
  if (!siteIds.length) return;
  const rows: Array<{ name: string; path: string }> = await manager.query(`SELECT s.name, r.path FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = ANY($1::int[])`, [siteIds]);
  for (const row of rows) assertInScope(actor, row.path, message("scope.what.site", { name: row.name }));
}

/** Sets order columns (by property name) and `now()` timestamps in one statement, and reads the timestamps back. */
export async function setOrder(manager: EntityManager, order: DispatchOrder, values: Partial<DispatchOrder>, stampNow: Array<keyof DispatchOrder> = []): Promise<void> {
  const metadata = manager.connection.getMetadata(DispatchOrder);
  const column = (property: string) => metadata.findColumnWithPropertyName(property)!.databaseName;
  const entries = Object.entries(values);
  const sets = [...entries.map(([property], i) => `"${column(property)}" = $${i + 2}`), ...[...stampNow, "updatedAt"].map((property) => `"${column(property as string)}" = now()`)];
  const returning = [...stampNow, "updatedAt"].map((property) => `"${column(property as string)}" AS "${property as string}"`);
  const [[row]] = await manager.query(`UPDATE dispatch_order SET ${sets.join(", ")} WHERE id = $1 RETURNING ${returning.join(", ")}`, [order.id, ...entries.map(([, value]) => value)]);
  Object.assign(order, values, row);
}

/** Every change of an order passes here: its subscribers hear of it after COMMIT, and the supply request it fulfils follows it. */
export class OrderChanges {
  constructor(
    private readonly events: EventBus,
    private readonly requests: RequestFulfilment,
  ) {}

  publish(tx: Transaction, order: DispatchOrder, regionPath: string, change: DispatchOrderChange): void {
    const event: DispatchOrderChangedEvent = { orderId: order.id, change, status: order.status, incidentId: order.incidentId, regionPath };
    tx.afterCommit(() => this.events.publish(DISPATCH_ORDER_CHANGED, event));
    if (order.requestId !== null) this.requests.followOrder(tx, order.requestId, order.id, change);
  }
}
