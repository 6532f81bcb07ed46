// dispatchOrderChanged: what travels on the event bus (in-process or Redis, so plain JSON) and
// how a subscription's filter matches it. Published only after COMMIT.
import type { DispatchOrderChange, DispatchStatus } from "./dispatch.enums";

export const DISPATCH_ORDER_CHANGED = "DISPATCH_ORDER_CHANGED";

export interface DispatchOrderChangedEvent {
  orderId: number;
  change: DispatchOrderChange;
  /** The state the change left the order in. */
  status: DispatchStatus;
  incidentId: number | null;
  /** Materialised path of the destination's region ("/1/7/123/"), for region filters. */
  regionPath: string;
}

export interface DispatchOrderFilter {
  incidentId?: number;
  status?: DispatchStatus;
  regionId?: number;
}

export function matchesDispatchOrderFilter(event: DispatchOrderChangedEvent, filter: DispatchOrderFilter): boolean {
  if (filter.incidentId !== undefined && event.incidentId !== filter.incidentId) return false;
  if (filter.status !== undefined && event.status !== filter.status) return false;
  if (filter.regionId !== undefined && !event.regionPath.includes(`/${filter.regionId}/`)) return false;
  return true;
}
