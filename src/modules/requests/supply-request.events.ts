// supplyRequestChanged: what travels on the event bus (in-process or Redis, so plain JSON) and
// how a subscription's filter matches it. Published only after COMMIT.
import type { DispatchOrderChange } from "../dispatch/dispatch.enums";
import type { SupplyRequestChange, SupplyRequestStatus } from "./supply-request.enums";

export const SUPPLY_REQUEST_CHANGED = "SUPPLY_REQUEST_CHANGED";

export interface SupplyRequestChangedEvent {
  requestId: number;
  change: SupplyRequestChange;
  /** The state the change left the request in. */
  status: SupplyRequestStatus;
  incidentId: number | null;
  /** Materialised path of the destination's region ("/1/7/123/"), for region filters. */
  regionPath: string;
  /** For ORDER_CHANGED: the order made from the request, and what happened to it. */
  orderId: number | null;
  orderChange: DispatchOrderChange | null;
}

export interface SupplyRequestFilter {
  requestId?: number;
  incidentId?: number;
  status?: SupplyRequestStatus;
  regionId?: number;
}

export function matchesSupplyRequestFilter(event: SupplyRequestChangedEvent, filter: SupplyRequestFilter): boolean {
  if (filter.requestId !== undefined && event.requestId !== filter.requestId) return false;
  if (filter.incidentId !== undefined && event.incidentId !== filter.incidentId) return false;
  if (filter.status !== undefined && event.status !== filter.status) return false;
  if (filter.regionId !== undefined && !event.regionPath.includes(`/${filter.regionId}/`)) return false;
  return true;
}
