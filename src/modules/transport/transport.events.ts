// transportChanged: what its subscribers hear, after COMMIT.
import type { TransportChange } from "./transport.enums";

export const TRANSPORT_CHANGED = "TRANSPORT_CHANGED";

export interface TransportChangedEvent {
  change: TransportChange;
  /** The resource (RESOURCE, POSITION) or null for a trip event. */
  resourceId: number | null;
  /** The trip (TRIP) or null. */
  tripId: number | null;
  /** Resources the event concerns (a trip's vehicles), for the resource filter. */
  resourceIds: number[];
  /** Materialised region paths it concerns (a resource's base, a trip's destination), for the region filter. */
  regionPaths: string[];
}
