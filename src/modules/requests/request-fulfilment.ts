// How dispatch orders fulfil supply requests (EDXL-RM CommitResource; Sahana Eden's commit,
// transit and fulfil quantities). The dispatch module calls this, inside its own transactions:
//   - making or re-lining an order from a request: `lockForOrder` locks the request row and then
//     its lines (by id, the one fixed order), and only then reads what other orders already hold
//     of each line, so two orders racing for the same approved units queue on the locks and the
//     second sees the first's lines; `assignLines` refuses what would exceed the approved
//     quantity. Nothing else writes request lines while an order is being made from them.
//   - every change of an order made from a request (OrderChanges.publish): `followOrder` moves
//     the request between APPROVED, FULFILLING and FULFILLED (supply-request-state.ts,
//     ORDER_DRIVEN) in the same transaction, and tells the request's subscribers after COMMIT.
// The line figures (on orders, in transit, delivered) are computed here and nowhere else.
import type { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { userError } from "../../core/graphql/errors";
import { InputErrors } from "../../core/mutation/input-errors";
import { plainEntity } from "../../core/db/plain-rows";
import { prepared } from "../../core/db/prepared";
import type { EventBus } from "../../core/live/pubsub";
import type { Transaction } from "../../core/db/transaction";
import type { ResolvedDestination } from "../allocation/allocation.service";
import { DestinationKind, DispatchStatus, type DispatchOrderChange } from "../dispatch/dispatch.enums";
import { SupplyRequest, SupplyRequestLine } from "./supply-request.entity";
import { SupplyRequestChange, SupplyRequestStatus } from "./supply-request.enums";
import { SUPPLY_REQUEST_CHANGED, type SupplyRequestChangedEvent } from "./supply-request.events";
import { ORDER_DRIVEN, RequestAction, transitionFor } from "./supply-request-state";

/** How far a request line has got, from the dispatch order lines that serve it. */
export interface LineFigures {
  /** On orders not cancelled; a closed order counts what it delivered (what it did not may be ordered again). */
  onOrders: number;
  /** Sent and neither received, returned nor written off, on orders under way. */
  inTransit: number;
  delivered: number;
}

const NO_FIGURES: LineFigures = { onOrders: 0, inTransit: 0, delivered: 0 };

/** Per request line (line_id): on_orders, in_transit, delivered and live_lines (order lines not cancelled), over the order lines `condition` selects. */
function figuresSql(condition: string): string {
  const { CANCELLED, CLOSED, DISPATCHED, DELIVERED } = DispatchStatus;
  return `SELECT dl.request_line_id AS line_id,
       sum(CASE o.status WHEN '${CANCELLED}' THEN 0 WHEN '${CLOSED}' THEN dl.delivered_quantity ELSE dl.quantity END)::int AS on_orders,
       sum(CASE WHEN o.status IN ('${DISPATCHED}', '${DELIVERED}')
                -- On the road: sent, and neither received, short (written off unarrived) nor turned back (shipments, dispatch_order_line).
                THEN dl.dispatched_quantity - dl.delivered_quantity - dl.short_quantity - dl.turned_back_quantity ELSE 0 END)::int AS in_transit,
       sum(dl.delivered_quantity)::int AS delivered,
       (count(*) FILTER (WHERE o.status <> '${CANCELLED}'))::int AS live_lines
     FROM dispatch_order_line dl JOIN dispatch_order o ON o.id = dl.order_id
     WHERE ${condition}
     GROUP BY dl.request_line_id`;
}

const FIGURES_OF_LINES = figuresSql("dl.request_line_id = ANY($1::int[])");
const FIGURES_FOR_ORDER = figuresSql("dl.request_line_id IN (SELECT id FROM supply_request_line WHERE request_id = $1::int) AND dl.order_id IS DISTINCT FROM $2::int");

/**
 * What open requests to a storage site still ask of each item and nothing covers yet: per line
 * of a request SUBMITTED (the quantity asked), APPROVED or FULFILLING (the quantity approved),
 * less what orders made from it delivered or have on the road — those the site's stock and
 * its in-transit figure already count. One statement (shelterNeeds subtracts it).
 */
export async function openRequestsOutstanding(manager: EntityManager, siteId: number, itemIds: readonly number[]): Promise<Map<number, number>> {
  if (!itemIds.length) return new Map();
  const { SUBMITTED, APPROVED, FULFILLING } = SupplyRequestStatus;
  const rows: Array<{ item_id: number; outstanding: number }> = await manager.query(
    `SELECT l.item_id, sum(greatest(0, CASE WHEN r.status = '${SUBMITTED}' THEN l.quantity ELSE coalesce(l.approved_quantity, 0) END
                                  - coalesce(f.delivered, 0) - coalesce(f.in_transit, 0)))::int AS outstanding
     FROM supply_request r JOIN supply_request_line l ON l.request_id = r.id
     LEFT JOIN (${figuresSql("dl.request_line_id IN (SELECT l2.id FROM supply_request_line l2 JOIN supply_request r2 ON r2.id = l2.request_id WHERE r2.destination_site_id = $1::int)")}) f ON f.line_id = l.id
     WHERE r.destination_site_id = $1::int AND r.status IN ('${SUBMITTED}', '${APPROVED}', '${FULFILLING}') AND l.item_id = ANY($2::int[])
     GROUP BY l.item_id`,
    [siteId, [...itemIds]],
  );
  return new Map(rows.map((row) => [row.item_id, row.outstanding]));
}

const LOCK_FOR_FOLLOW = `SELECT r.status, r.incident_id AS "incidentId", g.path FROM supply_request r JOIN region g ON g.id = r.destination_region_id WHERE r.id = $1::int FOR UPDATE OF r`;
/** ORDER_DRIVEN as one statement; answers a row only when the status changed. */
const FOLLOW_ORDERS = `UPDATE supply_request r
   SET status = next.status, updated_at = now(), fulfilled_at = CASE WHEN next.status = '${ORDER_DRIVEN.allDelivered}' THEN now() END
   FROM (SELECT CASE WHEN bool_and(coalesce(f.delivered, 0) >= l.approved_quantity) THEN '${ORDER_DRIVEN.allDelivered}'
                     WHEN coalesce(sum(f.live_lines), 0) > 0 THEN '${ORDER_DRIVEN.ordered}'
                     ELSE '${ORDER_DRIVEN.notOrdered}' END AS status
         FROM supply_request_line l LEFT JOIN (${figuresSql("dl.request_line_id IN (SELECT id FROM supply_request_line WHERE request_id = $1::int)")}) f ON f.line_id = l.id
         WHERE l.request_id = $1::int) next
   WHERE r.id = $1::int AND r.status IN (${ORDER_DRIVEN.from.map((status) => `'${status}'`).join(", ")}) AND r.status <> next.status
   RETURNING r.status`;

/** A request locked for an order made from it, with what is left of each line. */
export interface RequestForOrder {
  request: SupplyRequest;
  regionPath: string;
  /** The request's incident while it is open: an order made from the request serves it unless told otherwise. */
  openIncidentId: number | null;
  lines: Array<{ line: SupplyRequestLine; itemName: string; onOtherOrders: number; left: number }>;
}

export class RequestFulfilment {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  /** Figures of request lines, in the order asked (a DataLoader's batch function). */
  async figuresOf(lineIds: readonly number[]): Promise<LineFigures[]> {
    const rows: Array<{ line_id: number; on_orders: number; in_transit: number; delivered: number }> = await this.dataSource.query(FIGURES_OF_LINES, [[...lineIds]]);
    const byLine = new Map(rows.map((row) => [row.line_id, { onOrders: row.on_orders, inTransit: row.in_transit, delivered: row.delivered }]));
    return lineIds.map((id) => byLine.get(id) ?? NO_FIGURES);
  }

  /**
   * Locks the request (then its lines, by id) for an order made from it, checks that the actor
   * may make one (the FULFIL transition), and reads what orders other than `excludingOrderId`
   * already hold of each line — after the locks, so it sees every order committed before.
   */
  async lockForOrder(tx: Transaction, actor: Actor, requestId: number, field: string, excludingOrderId: number | null = null): Promise<RequestForOrder> {
    const { manager } = tx;
    const requests = plainEntity(manager, SupplyRequest);
    const lines = plainEntity(manager, SupplyRequestLine);
    const [requestRows, lineRows, figureRows] = await Promise.all([
      prepared(
        manager,
        `SELECT ${requests.columns("r")}, g.path AS region_path, (SELECT i.status = 'OPEN' FROM incident i WHERE i.id = r.incident_id) AS incident_open
         FROM supply_request r JOIN region g ON g.id = r.destination_region_id WHERE r.id = $1::int FOR UPDATE OF r`,
        [requestId],
      ),
      prepared(manager, `SELECT ${lines.columns("l")}, i.name AS item_name FROM supply_request_line l JOIN supply_item i ON i.id = l.item_id WHERE l.request_id = $1::int ORDER BY l.id FOR UPDATE OF l`, [requestId]),
      prepared<{ line_id: number; on_orders: number }>(manager, FIGURES_FOR_ORDER, [requestId, excludingOrderId]),
    ]);
    const [row] = requestRows;
    if (!row) userError(field, "NOT_FOUND", "requests.noSuchSupplyRequest");
    const request = requests.toEntity(row);
    const regionPath = row.region_path as string;
    transitionFor(RequestAction.FULFIL, request, actor, regionPath, field);
    const held = new Map(figureRows.map((figures) => [figures.line_id, figures.on_orders]));
    return {
      request,
      regionPath,
      openIncidentId: row.incident_open ? request.incidentId : null,
      lines: lineRows
        .map((lineRow) => {
          const line = lines.toEntity(lineRow);
          const onOtherOrders = held.get(line.id) ?? 0;
          return { line, itemName: lineRow.item_name as string, onOtherOrders, left: Math.max(0, (line.approvedQuantity ?? 0) - onOtherOrders) };
        })
        .sort((a, b) => a.line.position - b.line.position),
    };
  }

  /**
   * An order made from the request that names no lines takes what is left of each approved line
   * (approved, less what other orders hold), in the request's line order; refused when nothing is left.
   */
  linesLeftOf(locked: RequestForOrder, field: string): Array<{ itemId: number; quantity: number; requestLineId: number }> {
    const open = locked.lines.filter((l) => l.left > 0);
    if (!open.length) userError(field, "NOTHING_LEFT", "requests.nothingLeftToOrder", { code: locked.request.code });
    return open.map((l) => ({ itemId: l.line.itemId, quantity: l.left, requestLineId: l.line.id }));
  }

  /** The request's destination, for an order made from it that names none. */
  destinationOf(locked: RequestForOrder): ResolvedDestination {
    const { request } = locked;
    return {
      kind: request.destinationKind,
      regionId: request.destinationRegionId,
      regionPath: locked.regionPath,
      districtId: request.districtId,
      siteId: request.destinationSiteId,
      latitude: request.destinationLatitude,
      longitude: request.destinationLongitude,
      address: request.destinationAddress,
      receiverName: request.receiverName,
      receiverPhone: request.receiverPhone,
    };
  }

  /** An order made from a request goes where it asked: to its site, or somewhere inside its region (a shelter in the township, say). */
  assertDestinationFits(locked: RequestForOrder, destination: ResolvedDestination, field: string): void {
    const { request } = locked;
    if (request.destinationKind === DestinationKind.SITE) {
      if (destination.siteId !== request.destinationSiteId) userError(field, "INVALID_VALUE", "requests.requestAsksForDeliveryInto", { code: request.code });
    } else if (!destination.regionPath.includes(`/${request.destinationRegionId}/`)) {
      userError(field, "INVALID_VALUE", "requests.theDestinationLiesOutsideThe", { code: request.code });
    }
  }

  /**
   * The request line each order line serves (named, or the request's line of the same item), no
   * more than is left of its approved quantity. Returns the request line ids, in line order.
   */
  assignLines(locked: RequestForOrder, orderLines: ReadonlyArray<{ itemId: number; quantity: number; field: string; requestLineId: number | null }>): number[] {
    const code = locked.request.code;
    const check = new InputErrors();
    const assigned = orderLines.map((orderLine) => {
      const target =
        orderLine.requestLineId === null ? locked.lines.find((l) => l.line.itemId === orderLine.itemId) : locked.lines.find((l) => l.line.id === orderLine.requestLineId);
      if (!target) {
        if (orderLine.requestLineId === null) check.add(`${orderLine.field}.itemId`, "NOT_ON_REQUEST", "requests.requestDoesNotAskFor", { code });
        else check.add(`${orderLine.field}.requestLineId`, "NOT_FOUND", "requests.noSuchLineOnRequest", { code });
        return 0;
      }
      if (target.line.itemId !== orderLine.itemId) {
        check.add(`${orderLine.field}.requestLineId`, "INVALID_VALUE", "requests.lineOfRequestAsksFor", { position: target.line.position, code, itemName: target.itemName });
      } else if (orderLine.quantity > target.left) {
        const approved = target.line.approvedQuantity ?? 0;
        check.add(
          `${orderLine.field}.quantity`,
          "EXCEEDS_APPROVED",
          "requests.lineOfRequestApprovedOn", { position: target.line.position, code, itemName: target.itemName, approved, onOtherOrders: target.onOtherOrders, quantity: orderLine.quantity, left: target.left },
        );
      }
      return target.line.id;
    });
    check.throwIfAny();
    return assigned;
  }

  /**
   * An order made from the request changed (or was made): the request follows it, and its
   * subscribers hear of it after COMMIT. Both statements go out now and ride with the COMMIT: the
   * request row is locked first, so the second statement counts every delivery committed before
   * (two orders of one request confirmed at once cannot both miss the other's last units).
   */
  followOrder(tx: Transaction, requestId: number, orderId: number, orderChange: DispatchOrderChange): void {
    const locked = tx.sendWithCommit<{ status: SupplyRequestStatus; incidentId: number | null; path: string }>(LOCK_FOR_FOLLOW, [requestId]);
    const moved = tx.sendWithCommit<{ status: SupplyRequestStatus }>(FOLLOW_ORDERS, [requestId]);
    tx.afterCommit(async () => {
      const [[before], [after]] = await Promise.all([locked, moved]);
      const status = after?.status ?? before.status;
      const event: SupplyRequestChangedEvent = {
        requestId,
        change: after && status === ORDER_DRIVEN.allDelivered ? SupplyRequestChange.FULFILLED : SupplyRequestChange.ORDER_CHANGED,
        status,
        incidentId: before.incidentId,
        regionPath: before.path,
        orderId,
        orderChange,
      };
      this.events.publish(SUPPLY_REQUEST_CHANGED, event);
    });
  }
}

