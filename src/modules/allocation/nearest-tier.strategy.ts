// The default rule (the plan's 就近调拨, 逐级调用): nearest sources first, escalating by tier —
// village rooms near the destination, then township points, then the district depot, then
// partner enterprises' agreement stock, then their production capacity.
//
// Radius limits (settings ALLOCATION_VILLAGE_ROOM_RADIUS_KM, ALLOCATION_TOWNSHIP_POINT_RADIUS_KM):
// - Village rooms, 5 km: a room holds a few dozen items for its own village; Kaizhou's villages
//   lie 2–4 km apart, so 5 km reaches the neighbouring villages (about a quarter hour on
//   mountain roads). Emptying a room further away leaves its own village bare for little gain.
// - Township points, 30 km: the district is about 100 km north to south with the depot near
//   the centre; a township point more than 30 km away is usually further by road than the
//   depot, and stripping it leaves another township uncovered, so the depot goes first.
// - The depot and partners: no limit (there is one depot; partners are called by agreement).
// Within a tier: nearest first. Within a site: earliest expiry first (FEFO); expired batches
// never (the service does not even offer them). A site keeps its minimum (最低库存) unless the
// request allows going below it (URGENT orders). A line is split over as many sources as it
// takes; what no source covers is the line's shortfall.
import { AllocationSourceKind, SourceTier } from "../dispatch/dispatch.enums";
import { SiteTier } from "../reserves/reserves.enums";
import { distanceKm, type AllocationStrategy, type BatchCandidate, type LinePlan, type PlannedSource, type PlanningRequest, type SourceCandidates } from "./allocation.strategy";

export interface NearestTierOptions {
  villageRoomRadiusKm: number;
  townshipPointRadiusKm: number;
}

const SITE_TIERS: Array<{ siteTier: SiteTier; tier: SourceTier; label: string }> = [
  { siteTier: SiteTier.VILLAGE_ROOM, tier: SourceTier.VILLAGE_ROOM, label: "village room (村（社区）储存室)" },
  { siteTier: SiteTier.TOWNSHIP_POINT, tier: SourceTier.TOWNSHIP_POINT, label: "township point (乡镇（街道）储备点)" },
  { siteTier: SiteTier.DISTRICT_DEPOT, tier: SourceTier.DISTRICT_DEPOT, label: "district depot (区级库)" },
];

const round1 = (km: number) => Math.round(km * 10) / 10;

/** Earliest expiry first; batches without expiry last; then by batch number for a stable order. */
function fefo(a: BatchCandidate, b: BatchCandidate): number {
  if (a.expiryDate !== b.expiryDate) {
    if (a.expiryDate === null) return 1;
    if (b.expiryDate === null) return -1;
    return a.expiryDate < b.expiryDate ? -1 : 1;
  }
  return a.batchNumber < b.batchNumber ? -1 : a.batchNumber > b.batchNumber ? 1 : a.batchId - b.batchId;
}

export class NearestTierStrategy implements AllocationStrategy {
  readonly name = "nearest-tier";

  constructor(private readonly options: NearestTierOptions) {}

  private radiusOf(tier: SiteTier): number {
    if (tier === SiteTier.VILLAGE_ROOM) return this.options.villageRoomRadiusKm;
    if (tier === SiteTier.TOWNSHIP_POINT) return this.options.townshipPointRadiusKm;
    return Infinity;
  }

  plan(request: PlanningRequest, candidates: SourceCandidates): LinePlan[] {
    return request.lines.map((line) => this.planLine(line, request, candidates));
  }

  private planLine(line: { itemId: number; quantity: number }, request: PlanningRequest, candidates: SourceCandidates): LinePlan {
    const destination = request.destination;
    const sources: PlannedSource[] = [];
    let remaining = line.quantity;
    const needed = () => `still needed ${remaining} of ${line.quantity}`;

    for (const { siteTier, tier, label } of SITE_TIERS) {
      if (remaining === 0) break;
      const radius = this.radiusOf(siteTier);
      const nearby = candidates.siteStock
        .filter((site) => site.itemId === line.itemId && site.tier === siteTier && site.siteId !== destination.siteId)
        .map((site) => ({ site, km: distanceKm(destination, site.point) }))
        .filter(({ km }) => km <= radius)
        .sort((a, b) => a.km - b.km || a.site.siteId - b.site.siteId);
      for (const { site, km } of nearby) {
        if (remaining === 0) break;
        const usable = request.allowBelowMinimum ? site.available : Math.max(0, site.available - site.minimum);
        if (usable <= 0) continue;
        const minimumNote = site.minimum === 0 ? "no minimum set" : request.allowBelowMinimum ? `minimum ${site.minimum} waived for this urgent order` : `${site.minimum} kept as its minimum`;
        const where = `${label} ${site.siteName}, ${round1(km)} km away${Number.isFinite(radius) ? ` (this tier is used within ${radius} km)` : ""}; ${usable} usable (${site.available} available, ${minimumNote})`;
        let fromSite = Math.min(remaining, usable);
        for (const batch of [...site.batches].sort(fefo)) {
          if (fromSite === 0) break;
          const quantity = Math.min(fromSite, batch.available);
          if (quantity <= 0) continue;
          const batchNote = `batch ${batch.batchNumber}${batch.expiryDate ? `, expires ${batch.expiryDate} (earliest expiry first)` : ""}`;
          sources.push({
            kind: AllocationSourceKind.SITE_STOCK,
            tier,
            itemId: line.itemId,
            siteId: site.siteId,
            batchId: batch.batchId,
            partnerId: null,
            quantity,
            distanceKm: round1(km),
            usable,
            leadTimeHours: null,
            reason: `${needed()} → ${where}; ${batchNote}`,
          });
          fromSite -= quantity;
          remaining -= quantity;
        }
      }
    }

    if (remaining > 0) {
      const partners = candidates.partnerStock
        .filter((p) => p.itemId === line.itemId)
        .map((partner) => ({ partner, km: distanceKm(destination, partner.point) }))
        .sort((a, b) => a.km - b.km || a.partner.partnerId - b.partner.partnerId);
      for (const { partner, km } of partners) {
        if (remaining === 0) break;
        const usable = Math.max(0, partner.agreed - partner.calledOff);
        if (usable === 0) continue;
        const quantity = Math.min(remaining, usable);
        sources.push({
          kind: AllocationSourceKind.PARTNER_STOCK,
          tier: SourceTier.PARTNER_STOCK,
          itemId: line.itemId,
          siteId: null,
          batchId: null,
          partnerId: partner.partnerId,
          quantity,
          distanceKm: round1(km),
          usable,
          leadTimeHours: null,
          reason: `${needed()} → partner agreement stock (协议储备) of ${partner.partnerName}, ${round1(km)} km away; ${usable} usable (agreed ${partner.agreed}, ${partner.calledOff} called off by open orders)`,
        });
        remaining -= quantity;
      }
    }

    if (remaining > 0) {
      const capacities = candidates.partnerCapacity
        .filter((c) => c.itemId === line.itemId)
        .map((capacity) => ({ capacity, km: distanceKm(destination, capacity.point) }))
        .sort((a, b) => a.capacity.leadTimeHours - b.capacity.leadTimeHours || a.km - b.km || a.capacity.partnerId - b.capacity.partnerId);
      for (const { capacity, km } of capacities) {
        if (remaining === 0) break;
        // One call is for one day's output: more is a later order, once production runs.
        const quantity = Math.min(remaining, capacity.unitsPerDay);
        sources.push({
          kind: AllocationSourceKind.PARTNER_CAPACITY,
          tier: SourceTier.PRODUCTION_CAPACITY,
          itemId: line.itemId,
          siteId: null,
          batchId: null,
          partnerId: capacity.partnerId,
          quantity,
          distanceKm: round1(km),
          usable: capacity.unitsPerDay,
          leadTimeHours: capacity.leadTimeHours,
          reason: `${needed()} → production capacity (产能储备) of ${capacity.partnerName}, ${round1(km)} km away: ${capacity.unitsPerDay} a day, first units ${capacity.leadTimeHours} h after the call (one day's output per order)`,
        });
        remaining -= quantity;
      }
    }

    return { itemId: line.itemId, requested: line.quantity, allocated: line.quantity - remaining, shortfall: remaining, sources };
  }
}
