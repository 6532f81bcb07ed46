// The default allocation strategy on a small hand-built map: nearest first, escalating by tier,
// radius limits, minimums kept (unless an urgent order allows going below), earliest expiry
// first, lines split, partners and capacity last, shortfall reported. Pure: no database.
import type { GeoPoint, SiteStockCandidate, SourceCandidates } from "../src/modules/allocation/allocation.strategy";
import { NearestTierStrategy } from "../src/modules/allocation/nearest-tier.strategy";
import { SiteTier } from "../src/modules/reserves/reserves.enums";

const DESTINATION: GeoPoint = { latitude: 31, longitude: 108.4 };
/** A point `km` due north of the destination. */
const north = (km: number): GeoPoint => ({ latitude: DESTINATION.latitude + km / 111.195, longitude: DESTINATION.longitude });

const TENT = 1;
const BOAT = 2;

function site(siteId: number, tier: SiteTier, km: number, minimum: number, batches: Array<[number, number, string | null]>, itemId = TENT): SiteStockCandidate {
  return {
    siteId,
    siteName: `site ${siteId}`,
    tier,
    point: north(km),
    itemId,
    minimum,
    available: batches.reduce((sum, [, available]) => sum + available, 0),
    batches: batches.map(([batchId, available, expiryDate]) => ({ batchId, batchNumber: `B${batchId}`, expiryDate, available })),
  };
}

const MAP: SourceCandidates = {
  siteStock: [
    site(13, SiteTier.VILLAGE_ROOM, 8, 0, [[1301, 100, null]]), // beyond the 5 km village radius
    site(12, SiteTier.VILLAGE_ROOM, 3, 0, [[1201, 5, null]]),
    site(11, SiteTier.VILLAGE_ROOM, 1, 2, [[1101, 10, null]]),
    site(22, SiteTier.TOWNSHIP_POINT, 40, 0, [[2201, 1000, null]]), // beyond the 30 km township radius
    site(21, SiteTier.TOWNSHIP_POINT, 10, 20, [
      [2102, 30, "2027-06-01"],
      [2101, 20, "2026-12-01"],
    ]),
    site(31, SiteTier.DISTRICT_DEPOT, 20, 100, [[3101, 200, null]]),
    site(32, SiteTier.DISTRICT_DEPOT, 20, 0, [[3201, 3, null]], BOAT),
  ],
  partnerStock: [{ partnerId: 41, partnerName: "partner 41", point: north(15), itemId: TENT, agreed: 50, calledOff: 20 }],
  partnerCapacity: [
    { partnerId: 51, partnerName: "slow maker", point: north(2), itemId: TENT, unitsPerDay: 40, leadTimeHours: 24 },
    { partnerId: 52, partnerName: "fast maker", point: north(60), itemId: TENT, unitsPerDay: 100, leadTimeHours: 12 },
  ],
};

const strategy = new NearestTierStrategy({ villageRoomRadiusKm: 5, townshipPointRadiusKm: 30 });

function plan(quantity: number, options: { allowBelowMinimum?: boolean; siteId?: number | null; itemId?: number } = {}) {
  const [line] = strategy.plan(
    { destination: { ...DESTINATION, siteId: options.siteId ?? null }, lines: [{ itemId: options.itemId ?? TENT, quantity }], allowBelowMinimum: options.allowBelowMinimum ?? false },
    MAP,
  );
  return { ...line, picks: line.sources.map((s) => [s.siteId ?? s.partnerId, s.batchId, s.quantity]) };
}

it("takes the nearest village room first, then the next, keeping each room's minimum", () => {
  const line = plan(12);
  expect(line.picks).toEqual([
    [11, 1101, 8], // 10 available, 2 kept as minimum
    [12, 1201, 4],
  ]);
  expect(line).toMatchObject({ requested: 12, allocated: 12, shortfall: 0 });
  expect(line.sources[0]).toMatchObject({ tier: "VILLAGE_ROOM", kind: "SITE_STOCK", distanceKm: 1, usable: 8 });
  expect(line.sources[0].reason).toMatch(/village room .*site 11, 1 km away .*8 usable \(10 available, 2 kept as its minimum\)/);
});

it("escalates village room → township point → district depot, never past a tier's radius, earliest expiry first", () => {
  const line = plan(60);
  expect(line.picks).toEqual([
    [11, 1101, 8],
    [12, 1201, 5],
    [21, 2101, 20], // expires 2026-12-01: before the 2027 batch of the same point
    [21, 2102, 10], // the point keeps its minimum of 20 of its 50
    [31, 3101, 17],
  ]);
  expect(line.sources.map((s) => s.tier)).toEqual(["VILLAGE_ROOM", "VILLAGE_ROOM", "TOWNSHIP_POINT", "TOWNSHIP_POINT", "DISTRICT_DEPOT"]);
  // The room 8 km away and the point 40 km away are never proposed, though they hold plenty.
  expect(line.sources.some((s) => s.siteId === 13 || s.siteId === 22)).toBe(false);
  expect(line.sources[2].reason).toMatch(/still needed 47 of 60 → township point .*batch B2101, expires 2026-12-01 \(earliest expiry first\)/);
});

it("goes below minimums only when allowed (urgent orders), and then says so", () => {
  expect(plan(250).sources.filter((s) => s.siteId === 31).map((s) => s.quantity)).toEqual([100]);
  const urgent = plan(250, { allowBelowMinimum: true });
  expect(urgent.picks.slice(0, 5)).toEqual([
    [11, 1101, 10],
    [12, 1201, 5],
    [21, 2101, 20],
    [21, 2102, 30],
    [31, 3101, 185],
  ]);
  expect(urgent.shortfall).toBe(0);
  expect(urgent.sources[0].reason).toMatch(/minimum 2 waived for this urgent order/);
});

it("calls on partner stock after the depot, then production capacity by lead time, and reports what is left as shortfall", () => {
  const line = plan(400);
  const partner = line.sources.filter((s) => s.kind !== "SITE_STOCK");
  expect(partner.map((s) => [s.kind, s.partnerId, s.quantity, s.leadTimeHours])).toEqual([
    ["PARTNER_STOCK", 41, 30, null], // agreed 50, 20 already called off by open orders
    ["PARTNER_CAPACITY", 52, 100, 12], // the faster maker first, though it is further away
    ["PARTNER_CAPACITY", 51, 40, 24],
  ]);
  const fromSites = 8 + 5 + 30 + 100;
  expect(line.allocated).toBe(fromSites + 30 + 100 + 40);
  expect(line.shortfall).toBe(400 - line.allocated);
  expect(partner[1].reason).toMatch(/production capacity .*fast maker.*100 a day, first units 12 h after the call/);
});

it("reports the shortfall when the district holds too little", () => {
  const boats = plan(5, { itemId: BOAT });
  expect(boats.picks).toEqual([[32, 3201, 3]]);
  expect(boats).toMatchObject({ requested: 5, allocated: 3, shortfall: 2 });
});

it("never proposes the destination site as its own source", () => {
  const line = plan(5, { siteId: 11 });
  expect(line.picks).toEqual([[12, 1201, 5]]);
});
