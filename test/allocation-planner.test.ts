// The planner's parts without a database: the source rules on hand-built candidates, travel
// time ranking within a round, minimums, expiry order, split lines, partners and capacity; the
// route finder (Dijkstra over the links, closures, boats, detours); the derived times and the
// derived road network. test/travel-planner.test.ts runs the same over HTTP on a map in the
// database, and the seeded district.
import path from "node:path";
import { readCsv } from "../seeds/csv";
import { DispatchPriority } from "../src/modules/dispatch/dispatch.enums";
import type { PlanningRequest, SiteStockCandidate, SourceCandidates } from "../src/modules/allocation/allocation.strategy";
import { planningPurpose, PlanningPurpose, SOURCE_RULES, SourceRelation } from "../src/modules/allocation/source-rules";
import { TravelTimeStrategy } from "../src/modules/allocation/travel-time.strategy";
import { derivedMinutes, distanceKm, neighbouringPairs } from "../src/modules/routes/derived-times";
import { TravelMode } from "../src/modules/routes/routes.enums";
import { TravelGraph, type GraphClosure, type GraphLink, type Place } from "../src/modules/routes/travel-graph";
import { SiteTier } from "../src/modules/reserves/reserves.enums";

// Township 1 (the destination's) at the origin, township 2 ten minutes' drive east, township 3
// thirty; the depot (node 9) sixty, via 3. Node ids: 1, 2, 3, 9.
const NODES = [
  { id: 1, name: "一镇", point: { latitude: 30, longitude: 110 } },
  { id: 2, name: "二镇", point: { latitude: 30, longitude: 110.05 } },
  { id: 3, name: "三镇", point: { latitude: 30, longitude: 110.2 } },
  { id: 9, name: "区级库", point: { latitude: 30, longitude: 110.3 } },
];
const LINKS: GraphLink[] = [
  { id: 12, fromNodeId: 1, toNodeId: 2, mode: TravelMode.ROAD, minutes: 10, waterway: null },
  { id: 23, fromNodeId: 2, toNodeId: 3, mode: TravelMode.ROAD, minutes: 20, waterway: null },
  { id: 39, fromNodeId: 3, toNodeId: 9, mode: TravelMode.ROAD, minutes: 30, waterway: null },
  { id: 13, fromNodeId: 1, toNodeId: 3, mode: TravelMode.WATER, minutes: 45, waterway: "湖" },
];
const TENT = 1;
const BOAT = 2;
const VILLAGE_A = 101;
const VILLAGE_B = 102;
const VILLAGE_C = 103;

const at = (latitude: number, longitude: number) => ({ latitude, longitude });
const place = (point: { latitude: number; longitude: number }, townshipId: number | null, nodeId: number | null): Place => ({ point, townshipId, nodeId });

function site(
  siteId: number,
  tier: SiteTier,
  where: { township: number | null; village: number | null; node: number; point: { latitude: number; longitude: number } },
  minimum: number,
  batches: Array<[number, number, string | null]>,
  itemId = TENT,
): SiteStockCandidate {
  return {
    siteId,
    siteName: `site ${siteId}`,
    tier,
    point: where.point,
    whereabouts: { townshipId: where.township, villageId: where.village },
    place: place(where.point, where.township, where.node),
    itemId,
    minimum,
    available: batches.reduce((sum, [, available]) => sum + available, 0),
    batches: batches.map(([batchId, available, expiryDate]) => ({ batchId, batchNumber: `B${batchId}`, expiryDate, available })),
  };
}

const IN_1 = (village: number | null, point = at(30, 110)) => ({ township: 1, village, node: 1, point });
const CANDIDATES: SourceCandidates = {
  siteStock: [
    site(11, SiteTier.VILLAGE_ROOM, IN_1(VILLAGE_A, at(30.001, 110)), 2, [[1101, 10, null]]), // the destination's village
    site(12, SiteTier.VILLAGE_ROOM, IN_1(VILLAGE_B, at(30.03, 110)), 1, [[1201, 5, null]]), // 3.2 km: next door
    site(13, SiteTier.VILLAGE_ROOM, IN_1(VILLAGE_C, at(30.08, 110)), 0, [[1301, 100, null]]), // 8.8 km: beyond the radius
    site(21, SiteTier.TOWNSHIP_POINT, IN_1(null), 20, [
      [2102, 30, "2027-06-01"],
      [2101, 20, "2026-12-01"],
    ]),
    site(22, SiteTier.TOWNSHIP_POINT, { township: 2, village: null, node: 2, point: at(30, 110.05) }, 40, [[2201, 100, null]]),
    site(23, SiteTier.TOWNSHIP_POINT, { township: 3, village: null, node: 3, point: at(30, 110.2) }, 0, [[2301, 1000, null]]),
    site(28, SiteTier.VILLAGE_ROOM, { township: 2, village: 201, node: 2, point: at(30.001, 110.02) }, 0, [[2801, 50, null]]), // 1.9 km, but another township's
    site(31, SiteTier.DISTRICT_DEPOT, { township: null, village: null, node: 9, point: at(30, 110.3) }, 100, [[3101, 200, null]]),
    site(32, SiteTier.DISTRICT_DEPOT, { township: null, village: null, node: 9, point: at(30, 110.3) }, 0, [[3201, 3, null]], BOAT),
  ],
  partnerStock: [{ partnerId: 41, partnerName: "partner 41", point: at(30, 110.2), place: place(at(30, 110.2), 3, 3), itemId: TENT, agreed: 50, calledOff: 20 }],
  partnerCapacity: [
    { partnerId: 51, partnerName: "slow maker", point: at(30, 110.01), place: place(at(30, 110.01), 1, 1), itemId: TENT, unitsPerDay: 40, leadTimeHours: 24 },
    { partnerId: 52, partnerName: "fast maker", point: at(30, 110.2), place: place(at(30, 110.2), 3, 3), itemId: TENT, unitsPerDay: 100, leadTimeHours: 12 },
  ],
};

const strategy = new TravelTimeStrategy({ villageRoomRadiusKm: 5 });

function plan(
  quantity: number,
  options: { purpose?: PlanningPurpose; allowBelowMinimum?: boolean; siteId?: number | null; isStore?: boolean; itemId?: number; closures?: GraphClosure[]; villageId?: number | null } = {},
) {
  const destinationPoint = at(30, 110);
  const destination = { ...destinationPoint, townshipId: 1, villageId: options.villageId === undefined ? VILLAGE_A : options.villageId, siteId: options.siteId ?? null, isStore: options.isStore ?? false };
  const graph = new TravelGraph(NODES, LINKS, options.closures ?? []);
  const request: PlanningRequest = {
    destination,
    lines: [{ itemId: options.itemId ?? TENT, quantity }],
    allowBelowMinimum: options.allowBelowMinimum ?? false,
    purpose: options.purpose ?? PlanningPurpose.ROUTINE,
    routes: graph.routesTo(place(destinationPoint, 1, 1)),
  };
  const [line] = strategy.plan(request, CANDIDATES);
  return { ...line, picks: line.sources.map((s) => [s.siteId ?? s.partnerId, s.batchId, s.quantity]) };
}

describe("the source rules (调拨规则)", () => {
  it("reads the purpose from the incident and the priority", () => {
    expect(planningPurpose(DispatchPriority.URGENT, false)).toBe(PlanningPurpose.ROUTINE);
    expect(planningPurpose(DispatchPriority.HIGH, true)).toBe(PlanningPurpose.INCIDENT);
    expect(planningPurpose(DispatchPriority.URGENT, true)).toBe(PlanningPurpose.URGENT_INCIDENT);
  });

  it("lets another township's point give only to URGENT incident orders, and never below its minimum", () => {
    const other = SOURCE_RULES.find((rule) => rule.relation === SourceRelation.OTHER_TOWNSHIP_POINT)!;
    expect(other.round).toEqual({ ROUTINE: null, INCIDENT: null, URGENT_INCIDENT: 2 });
    expect(other.mayGoBelowMinimum).toBe(false);
    expect(SOURCE_RULES.find((rule) => rule.relation === SourceRelation.OTHER_VILLAGE_ROOM)!.round).toEqual({ ROUTINE: null, INCIDENT: null, URGENT_INCIDENT: null });
  });

  it("serves a routine order from the depot, then partner stock, then the destination's own township, then capacity; never another township", () => {
    const line = plan(1000);
    expect(line.sources.map((s) => s.relation)).toEqual([
      "DISTRICT_DEPOT",
      "PARTNER_STOCK",
      "OWN_VILLAGE_ROOM", // 0 minutes away
      "OWN_TOWNSHIP_POINT",
      "OWN_TOWNSHIP_POINT",
      "PARTNER_CAPACITY",
      "PARTNER_CAPACITY",
    ]);
    expect(line.picks).toEqual([
      [31, 3101, 100], // 200, keeping 100
      [41, null, 30], // agreed 50, 20 already called off
      [11, 1101, 8],
      [21, 2101, 20], // expires 2026-12-01: before the 2027 batch
      [21, 2102, 10], // keeping its minimum of 20 of 50
      [52, null, 100], // 12 h + 30 min beats 24 h + 1 min, though further away
      [51, null, 40],
    ]);
    expect(line.sources.some((s) => [12, 13, 22, 23, 28].includes(s.siteId!))).toBe(false);
    expect(line).toMatchObject({ allocated: 308, shortfall: 692 });
    expect(line.sources[0]).toMatchObject({ tier: "DISTRICT_DEPOT", travelMinutes: 60, byWater: false, distanceKm: 28.9, usable: 100 });
    expect(line.sources[0].reason).toBe(
      "尚需 1000/1000 → 区级库优先：日常调拨（汛前预置、补库、乡镇申领）由区级库调拨；site 31；经公路：区级库 → 三镇 → 二镇 → 一镇，共 60 分钟；可调 100（可用 200，保留最低库存 100）；批次 B3101" +
        " — still needed 1000 of 1000 → district depot first: orders without an incident (pre-positioning, replenishing, requests) come from the depot; site 31; by road: 区级库 → 三镇 → 二镇 → 一镇, 60 min; 100 usable (200 available, 100 kept as its minimum); batch B3101",
    );
    expect(line.sources[3].reason).toMatch(/批次 B2101，2026-12-01 到期（先到期先出）.*batch B2101, expires 2026-12-01 \(earliest expiry first\)/);
    expect(line.sources[5]).toMatchObject({ travelMinutes: 12 * 60 + 30, leadTimeHours: 12 });
  });

  it("in an incident takes the destination's own room and point and next-door rooms first, quickest first, then the depot", () => {
    const line = plan(40, { purpose: PlanningPurpose.INCIDENT });
    expect(line.picks).toEqual([
      [11, 1101, 8],
      [21, 2101, 20],
      [21, 2102, 10],
      [12, 1201, 2], // 3.2 km next door: 5, keeping its 1 (its two are all that was still needed)
    ]);
    expect(line.sources.map((s) => s.relation)).toEqual(["OWN_VILLAGE_ROOM", "OWN_TOWNSHIP_POINT", "OWN_TOWNSHIP_POINT", "NEXT_DOOR_VILLAGE_ROOM"]);
    expect(line.sources[3].reason).toMatch(/邻村互助.*相距 3.3 km（邻村范围 5 km）/);
    const more = plan(60, { purpose: PlanningPurpose.INCIDENT });
    expect(more.picks.at(-1)).toEqual([31, 3101, 18]);
    // The room 8.8 km away, the other township's room 1.9 km away and both other points are never proposed.
    expect(plan(1000, { purpose: PlanningPurpose.INCIDENT }).sources.some((s) => [13, 22, 23, 28].includes(s.siteId!))).toBe(false);
  });

  it("in an URGENT incident order ranks other townships' points, partner stock and the depot by travel time, above those points' minimums", () => {
    const line = plan(300, { purpose: PlanningPurpose.URGENT_INCIDENT });
    expect(line.picks.slice(4)).toEqual([
      [22, 2201, 60], // 10 minutes away: 100, keeping its 40
      [41, null, 30], // 30 minutes, tied with the point beside it: partner stock's row comes first in the table
      [23, 2301, 168],
    ]);
    expect(line.sources[4].reason).toMatch(/^尚需 258\/300 → 跨乡镇调用：紧急事件调拨动用其他乡镇储备点最低库存以上部分；site 22；经公路：二镇 → 一镇，共 10 分钟；可调 60（可用 100，保留最低库存 40）/);
    const below = plan(2000, { purpose: PlanningPurpose.URGENT_INCIDENT, allowBelowMinimum: true });
    const bySite = new Map<number, number>();
    for (const s of below.sources) if (s.siteId) bySite.set(s.siteId, (bySite.get(s.siteId) ?? 0) + s.quantity);
    // Waived at the destination's own room and point and at the depot; kept at the next-door room and other townships' points.
    expect(Object.fromEntries(bySite)).toEqual({ 11: 10, 21: 50, 12: 4, 22: 60, 23: 1000, 31: 200 });
    expect(below.sources[0].reason).toMatch(/本次紧急调拨不保留最低库存 2.*minimum 2 waived for this urgent order/);
  });

  it("gives nothing from village rooms to a store, and never proposes the destination site itself", () => {
    const store = plan(10, { purpose: PlanningPurpose.INCIDENT, siteId: 21, isStore: true, villageId: null });
    expect(store.picks).toEqual([[31, 3101, 10]]);
    expect(plan(5, { siteId: 31, isStore: true, villageId: null }).picks).toEqual([[41, null, 5]]);
  });

  it("reports the shortfall when the district holds too little", () => {
    const boats = plan(5, { itemId: BOAT });
    expect(boats.picks).toEqual([[32, 3201, 3]]);
    expect(boats).toMatchObject({ requested: 5, allocated: 3, shortfall: 2 });
  });
});

describe("routes, closures and boats (通行时间、道路中断、水路)", () => {
  it("reroutes round a closed link, takes the boat when the road is cut, and says so", () => {
    const cut = plan(10, { closures: [{ id: 1, nodeId: null, linkId: 23, reason: "塌方" }] });
    // 区级库 → 三镇 by road (30), across the lake (45).
    expect(cut.sources[0]).toMatchObject({ siteId: 31, travelMinutes: 75, byWater: true });
    expect(cut.sources[0].reason).toMatch(/二镇—三镇公路中断（塌方），经水路（湖）：区级库 → 三镇 →〔水路·湖〕→ 一镇，共 75 分钟/);
    expect(cut.sources[0].reason).toMatch(/road cut \(二镇—三镇公路中断（塌方）\); by water \(湖\)/);
  });

  it("passes over a source that cannot reach, with the closure, and uses the next", () => {
    const line = plan(150, { closures: [{ id: 1, nodeId: 3, linkId: null, reason: "洪水" }] });
    // 三镇 cut off by road: the depot's one road runs through it; partner 41 at 三镇 still has the boat.
    expect(line.passedOver).toEqual([
      expect.objectContaining({ relation: "DISTRICT_DEPOT", siteId: 31, usable: 100, reason: expect.stringMatching(/^site 31无法到达：三镇道路中断（洪水），也无水路可通/) }),
    ]);
    expect(line.sources[0]).toMatchObject({ partnerId: 41, byWater: true, travelMinutes: 45 });
  });

  it("finds the quickest route over several links, the same every time", () => {
    const graph = new TravelGraph(NODES, LINKS, []);
    const route = graph.routesTo(place(at(30, 110.3), null, 9)).from(place(at(30, 110), null, 1));
    expect(route).toMatchObject({ reachable: true, minutes: 60, waterways: [], detour: null, path: "一镇 → 二镇 → 三镇 → 区级库" });
    expect(route.legs.map((leg) => leg.linkId)).toEqual([12, 23, 39]);
    // A water link closed too: 一镇 is cut off from the depot.
    const islands = new TravelGraph(NODES, LINKS, [
      { id: 1, nodeId: 1, linkId: null, reason: "滑坡" },
      { id: 2, nodeId: null, linkId: 13, reason: "风浪" },
    ]);
    const none = islands.routesTo(place(at(30, 110.3), null, 9)).from(place(at(30, 110), null, 1));
    expect(none).toMatchObject({ reachable: false, minutes: Infinity, detour: "一镇道路中断（滑坡）" });
  });
});

describe("derived travel times (估算)", () => {
  it("takes straight line × 1.4 at 40 km/h by road, × 1.2 at 20 km/h plus 15 minutes' loading by water", () => {
    expect(derivedMinutes(10, TravelMode.ROAD)).toBe(21);
    expect(derivedMinutes(10, TravelMode.WATER)).toBe(51);
    expect(derivedMinutes(0.1, TravelMode.ROAD)).toBe(1);
  });

  it("links neighbouring places by road so that every township unit and the depot are connected", () => {
    const rows = readCsv(path.join(__dirname, "..", "seeds", "data", "regions.csv")).filter((row) => row.level === "TOWNSHIP");
    const places = rows.map((row, i) => ({ id: i + 1, latitude: Number(row.latitude), longitude: Number(row.longitude) }));
    const pairs = neighbouringPairs(places);
    const reached = new Set([1]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [a, b] of pairs) {
        if (reached.has(a) !== reached.has(b)) {
          reached.add(a).add(b);
          grew = true;
        }
      }
    }
    expect(reached.size).toBe(40);
    // Neighbours only: no link jumps across the district.
    expect(Math.max(...pairs.map(([a, b]) => distanceKm(places[a - 1], places[b - 1])))).toBeLessThan(35);
    expect(neighbouringPairs(places)).toEqual(pairs);
  });
});
