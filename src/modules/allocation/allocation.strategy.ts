// The allocation strategy interface: given where goods must go, what is needed and every
// candidate source (already read from the database), propose which sources supply what.
// A strategy is a pure function of its arguments: no database, no clock, no randomness, so a
// plan can be tested on a hand-built map and another rule can be configured
// (ALLOCATION_STRATEGY, see strategies.ts) without touching the service.
import type { SiteTier } from "../reserves/reserves.enums";
import type { AllocationSourceKind, SourceTier } from "../dispatch/dispatch.enums";
import type { GeoPoint } from "../routes/derived-times";
import type { Place, RouteFinder } from "../routes/travel-graph";
import type { PlanningPurpose, SourceRelation, Whereabouts } from "./source-rules";

export type { GeoPoint };

export interface PlanningRequest {
  destination: GeoPoint &
    Whereabouts & {
      siteId: number | null;
      /** A storage site (pre-positioning into a store) rather than people in a region or at a point. */
      isStore: boolean;
    };
  lines: Array<{ itemId: number; quantity: number }>;
  /** Take stock below a site's minimum (最低库存) where the rules allow it; only URGENT orders may ask. */
  allowBelowMinimum: boolean;
  /** What the order is for (its incident and priority): the source rules read it. */
  purpose: PlanningPurpose;
  /** Travel times to the destination now, over the travel-time table with its closures. */
  routes: RouteFinder;
}
/** A batch a site could send: not expired, something available; listed earliest expiry first (FEFO). */
export interface BatchCandidate {
  batchId: number;
  batchNumber: string;
  expiryDate: string | null;
  available: number;
}

/** What one site holds of one item that could be sent. */
export interface SiteStockCandidate {
  siteId: number;
  siteName: string;
  tier: SiteTier;
  point: GeoPoint;
  /** Where it lies (its township unit and village) and the place of the travel-time table it is reached through. */
  whereabouts: Whereabouts;
  place: Place;
  itemId: number;
  /** The site's minimum for the item (最低库存). */
  minimum: number;
  /** Available (on hand − reserved) over the batches below, expired ones excluded. */
  available: number;
  batches: BatchCandidate[];
}

/** A partner enterprise's agreement stock of an item, less what open orders already called off. */
export interface PartnerStockCandidate {
  partnerId: number;
  partnerName: string;
  point: GeoPoint;
  place: Place;
  itemId: number;
  agreed: number;
  calledOff: number;
}

/** A partner's production capacity for an item. */
export interface PartnerCapacityCandidate {
  partnerId: number;
  partnerName: string;
  point: GeoPoint;
  place: Place;
  itemId: number;
  unitsPerDay: number;
  leadTimeHours: number;
}

export interface SourceCandidates {
  siteStock: SiteStockCandidate[];
  partnerStock: PartnerStockCandidate[];
  partnerCapacity: PartnerCapacityCandidate[];
}

export interface PlannedSource {
  kind: AllocationSourceKind;
  tier: SourceTier;
  /** The row of the source rules it was taken under. */
  relation: SourceRelation;
  itemId: number;
  siteId: number | null;
  batchId: number | null;
  partnerId: number | null;
  quantity: number;
  /** Straight-line distance from the destination, km, one decimal. */
  distanceKm: number;
  /** Door-to-door travel time to the destination now (通行时间), minutes; for capacity, lead time included. */
  travelMinutes: number;
  /** Whether the way goes by boat (水路). */
  byWater: boolean;
  /** What this source could give under the rules (above the minimum unless allowed below). */
  usable: number;
  leadTimeHours: number | null;
  /** Why it was chosen, in words a dispatcher checks at a glance. */
  reason: string;
}

/** A source the rules would use that cannot reach the destination now (道路中断), and why. */
export interface PassedOverSource {
  kind: AllocationSourceKind;
  tier: SourceTier;
  relation: SourceRelation;
  itemId: number;
  siteId: number | null;
  partnerId: number | null;
  usable: number;
  reason: string;
}

export interface LinePlan {
  itemId: number;
  requested: number;
  allocated: number;
  shortfall: number;
  sources: PlannedSource[];
  passedOver: PassedOverSource[];
}

export interface AllocationStrategy {
  /** The name ALLOCATION_STRATEGY selects it by. */
  readonly name: string;
  plan(request: PlanningRequest, candidates: SourceCandidates): LinePlan[];
}
