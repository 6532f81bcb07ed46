// The allocation strategy interface: given where goods must go, what is needed and every
// candidate source (already read from the database), propose which sources supply what.
// A strategy is a pure function of its arguments: no database, no clock, no randomness, so a
// plan can be tested on a hand-built map and another rule can be configured
// (ALLOCATION_STRATEGY, see strategies.ts) without touching the service.
import type { SiteTier } from "../reserves/reserves.enums";
import type { AllocationSourceKind, SourceTier } from "../dispatch/dispatch.enums";

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface PlanningRequest {
  destination: GeoPoint & { siteId: number | null };
  lines: Array<{ itemId: number; quantity: number }>;
  /** Take stock below a site's minimum (最低库存); only URGENT orders may. */
  allowBelowMinimum: boolean;
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
  itemId: number;
  agreed: number;
  calledOff: number;
}

/** A partner's production capacity for an item. */
export interface PartnerCapacityCandidate {
  partnerId: number;
  partnerName: string;
  point: GeoPoint;
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
  itemId: number;
  siteId: number | null;
  batchId: number | null;
  partnerId: number | null;
  quantity: number;
  /** Straight-line distance from the destination, km, one decimal. */
  distanceKm: number;
  /** What this source could give under the rules (above the minimum unless allowed below). */
  usable: number;
  leadTimeHours: number | null;
  /** Why it was chosen, in words a dispatcher checks at a glance. */
  reason: string;
}

export interface LinePlan {
  itemId: number;
  requested: number;
  allocated: number;
  shortfall: number;
  sources: PlannedSource[];
}

export interface AllocationStrategy {
  /** The name ALLOCATION_STRATEGY selects it by. */
  readonly name: string;
  plan(request: PlanningRequest, candidates: SourceCandidates): LinePlan[];
}

/** Great-circle distance in km (haversine); road distance in the hills is longer, but ranks the same way. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
