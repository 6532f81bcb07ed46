// The default strategy: the source rules (source-rules.ts) say who may give and in which
// round; within a round the source that reaches the destination soonest goes first (travel time
// over the travel-time table, roads cut off left out, boats where they run), then the table's
// row order. Sources that cannot reach the destination now are passed over, with the reason.
// Within a site the earliest expiry goes first (FEFO); expired batches are never offered (the
// service does not read them). A site keeps its minimum (最低库存) unless its row lets an URGENT
// order's allowBelowMinimum waive it. A line is split over as many sources as it takes; what
// none covers is its shortfall. Partner capacity is one day's output per order, and its time is
// the lead time plus the drive.
import { AllocationSourceKind } from "../dispatch/dispatch.enums";
import { distanceKm } from "../routes/derived-times";
import type { Place, Route } from "../routes/travel-graph";
import type { AllocationStrategy, BatchCandidate, LinePlan, PassedOverSource, PlannedSource, PlanningRequest, SourceCandidates } from "./allocation.strategy";
import { ruleFor, siteRelation, SourceRelation, type SourceRule } from "./source-rules";
import { SiteTier } from "../reserves/reserves.enums";

export interface TravelTimeOptions {
  /** Next-door village rooms lie within this straight-line distance of the destination. */
  villageRoomRadiusKm: number;
}

/** Passed-over sources listed per line, at most: enough to see why, short enough to read. */
const MAX_PASSED_OVER = 20;

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

interface Words {
  zh: string;
  en: string;
}

/** A reason in both languages, Chinese first: 区级库优先：… — district depot first: … */
function both(parts: Words[]): string {
  return `${parts.map((p) => p.zh).join("；")} — ${parts.map((p) => p.en).join("; ")}`;
}

function routeWords(route: Route): Words {
  const minutes = Math.round(route.minutes);
  if (route.local) return { zh: `${route.path}，通行约 ${minutes} 分钟（估算）`, en: `${minutes} min on local roads (derived)` };
  if (route.offTable) return { zh: `${route.path}，约 ${minutes} 分钟`, en: `${minutes} min, derived from the straight line (not in the travel-time table)` };
  const detour = route.detour ? { zh: `${route.detour}，`, en: `road cut (${route.detour}); ` } : { zh: "", en: "" };
  if (route.waterways.length) {
    const waters = route.waterways.join("、");
    return { zh: `${detour.zh}经水路（${waters}）：${route.path}，共 ${minutes} 分钟`, en: `${detour.en}by water (${waters}): ${route.path}, ${minutes} min` };
  }
  return { zh: `${detour.zh}经公路：${route.path}，共 ${minutes} 分钟`, en: `${detour.en}by road: ${route.path}, ${minutes} min` };
}

interface Candidate {
  kind: AllocationSourceKind;
  rule: SourceRule;
  order: number;
  round: number;
  itemId: number;
  siteId: number | null;
  partnerId: number | null;
  name: string;
  km: number;
  usable: number;
  /** Words on what it holds and what it keeps. */
  holding: Words;
  /** Where the rule needs more words (next-door rooms: how far). */
  ruleNote: Words | null;
  leadTimeHours: number | null;
  batches: BatchCandidate[];
  route: Route;
  /** Minutes until the goods are there: the drive, and for capacity the lead time before it. */
  arrival: number;
}

/** What names a source in a plan, used or passed over: which store or partner, under which rule, how much it could give. */
function whichSource(candidate: Candidate, itemId: number) {
  return {
    kind: candidate.kind,
    tier: candidate.rule.tier,
    relation: candidate.rule.relation,
    itemId,
    siteId: candidate.siteId,
    partnerId: candidate.partnerId,
    usable: candidate.usable,
  };
}

export class TravelTimeStrategy implements AllocationStrategy {
  readonly name = "travel-time";

  constructor(private readonly options: TravelTimeOptions) {}

  plan(request: PlanningRequest, candidates: SourceCandidates): LinePlan[] {
    return request.lines.map((line) => this.planLine(line, request, candidates));
  }

  private candidatesFor(itemId: number, request: PlanningRequest, candidates: SourceCandidates): Candidate[] {
    const destination = request.destination;
    const result: Candidate[] = [];
    const consider = (relation: SourceRelation, build: (rule: SourceRule) => Omit<Candidate, "rule" | "order" | "round" | "arrival" | "route"> & { place: Place }) => {
      const { rule, order } = ruleFor(relation);
      const round = rule.round[request.purpose];
      if (round === null) return;
      const { place, ...rest } = build(rule);
      const route = request.routes.from(place);
      const arrival = route.minutes + (rest.leadTimeHours ?? 0) * 60;
      result.push({ ...rest, rule, order, round, route, arrival });
    };

    for (const site of candidates.siteStock) {
      if (site.itemId !== itemId || site.siteId === destination.siteId) continue;
      if (site.tier === SiteTier.SHELTER) continue; // a shelter's store is for its people (allocatableBatches leaves it out)
      const km = distanceKm(destination, site.point);
      const relation = siteRelation(site.tier, { ...site.whereabouts, kmFromDestination: km }, destination, this.options.villageRoomRadiusKm);
      consider(relation, (rule) => {
        const belowAllowed = request.allowBelowMinimum && rule.mayGoBelowMinimum;
        const usable = belowAllowed ? site.available : Math.max(0, site.available - site.minimum);
        const keeps: Words =
          site.minimum === 0
            ? { zh: "未设最低库存", en: "no minimum set" }
            : belowAllowed
              ? { zh: `本次紧急调拨不保留最低库存 ${site.minimum}`, en: `minimum ${site.minimum} waived for this urgent order` }
              : { zh: `保留最低库存 ${site.minimum}`, en: `${site.minimum} kept as its minimum` };
        return {
          kind: AllocationSourceKind.SITE_STOCK,
          itemId,
          siteId: site.siteId,
          partnerId: null,
          name: site.siteName,
          km,
          usable,
          holding: { zh: `可调 ${usable}（可用 ${site.available}，${keeps.zh}）`, en: `${usable} usable (${site.available} available, ${keeps.en})` },
          ruleNote:
            relation === SourceRelation.NEXT_DOOR_VILLAGE_ROOM
              ? { zh: `相距 ${round1(km)} km（邻村范围 ${this.options.villageRoomRadiusKm} km）`, en: `${round1(km)} km away (next-door within ${this.options.villageRoomRadiusKm} km)` }
              : null,
          leadTimeHours: null,
          batches: [...site.batches].sort(fefo),
          place: site.place,
        };
      });
    }
    for (const partner of candidates.partnerStock) {
      if (partner.itemId !== itemId) continue;
      consider(SourceRelation.PARTNER_STOCK, () => {
        const usable = Math.max(0, partner.agreed - partner.calledOff);
        return {
          kind: AllocationSourceKind.PARTNER_STOCK,
          itemId,
          siteId: null,
          partnerId: partner.partnerId,
          name: partner.partnerName,
          km: distanceKm(destination, partner.point),
          usable,
          holding: { zh: `可调 ${usable}（协议 ${partner.agreed}，在途订单已调用 ${partner.calledOff}）`, en: `${usable} usable (agreed ${partner.agreed}, ${partner.calledOff} called off by open orders)` },
          ruleNote: null,
          leadTimeHours: null,
          batches: [],
          place: partner.place,
        };
      });
    }
    for (const capacity of candidates.partnerCapacity) {
      if (capacity.itemId !== itemId) continue;
      consider(SourceRelation.PARTNER_CAPACITY, () => ({
        kind: AllocationSourceKind.PARTNER_CAPACITY,
        itemId,
        siteId: null,
        partnerId: capacity.partnerId,
        name: capacity.partnerName,
        km: distanceKm(destination, capacity.point),
        // One call is for one day's output: more is a later order, once production runs.
        usable: capacity.unitsPerDay,
        holding: {
          zh: `日产 ${capacity.unitsPerDay}，下单后 ${capacity.leadTimeHours} 小时出首批（每单一日产量）`,
          en: `${capacity.unitsPerDay} a day, first units ${capacity.leadTimeHours} h after the call (one day's output per order)`,
        },
        ruleNote: null,
        leadTimeHours: capacity.leadTimeHours,
        batches: [],
        place: capacity.place,
      }));
    }
    return result;
  }

  private planLine(line: { itemId: number; quantity: number }, request: PlanningRequest, candidates: SourceCandidates): LinePlan {
    const all = this.candidatesFor(line.itemId, request, candidates).filter((c) => c.usable > 0);
    const unreachable = all.filter((c) => !c.route.reachable);
    const usable = all
      .filter((c) => c.route.reachable)
      .sort((a, b) => a.round - b.round || a.arrival - b.arrival || a.order - b.order || (a.siteId ?? a.partnerId!) - (b.siteId ?? b.partnerId!));

    const sources: PlannedSource[] = [];
    let remaining = line.quantity;
    for (const candidate of usable) {
      if (remaining === 0) break;
      const needed: Words = { zh: `尚需 ${remaining}/${line.quantity}`, en: `still needed ${remaining} of ${line.quantity}` };
      const why = candidate.rule.why[request.purpose]!;
      const opening: Words = { zh: `${needed.zh} → ${why.zh}`, en: `${needed.en} → ${why.en}` };
      const where: Words = { zh: candidate.name, en: candidate.name };
      const parts = [opening, where, ...(candidate.ruleNote ? [candidate.ruleNote] : []), routeWords(candidate.route), candidate.holding];
      const common = {
        ...whichSource(candidate, line.itemId),
        distanceKm: round1(candidate.km),
        travelMinutes: Math.round(candidate.arrival),
        byWater: candidate.route.waterways.length > 0,
        leadTimeHours: candidate.leadTimeHours,
      };
      if (candidate.kind !== AllocationSourceKind.SITE_STOCK) {
        const quantity = Math.min(remaining, candidate.usable);
        sources.push({ ...common, batchId: null, quantity, reason: both(parts) });
        remaining -= quantity;
        continue;
      }
      let fromSite = Math.min(remaining, candidate.usable);
      for (const batch of candidate.batches) {
        if (fromSite === 0) break;
        const quantity = Math.min(fromSite, batch.available);
        if (quantity <= 0) continue;
        const batchWords: Words = batch.expiryDate
          ? { zh: `批次 ${batch.batchNumber}，${batch.expiryDate} 到期（先到期先出）`, en: `batch ${batch.batchNumber}, expires ${batch.expiryDate} (earliest expiry first)` }
          : { zh: `批次 ${batch.batchNumber}`, en: `batch ${batch.batchNumber}` };
        sources.push({ ...common, batchId: batch.batchId, quantity, reason: both([...parts, batchWords]) });
        fromSite -= quantity;
        remaining -= quantity;
      }
    }

    const passedOver: PassedOverSource[] = unreachable
      .sort((a, b) => a.round - b.round || a.km - b.km || a.order - b.order)
      .slice(0, MAX_PASSED_OVER)
      .map((candidate) => {
        const cause = candidate.route.detour ?? "通行时间表中没有通往此处的线路";
        return {
          ...whichSource(candidate, line.itemId),
          reason: both([
            { zh: `${candidate.name}无法到达：${cause}，也无水路可通`, en: `${candidate.name} cannot reach the destination: ${candidate.route.detour ? `road cut (${cause})` : "no link in the travel-time table"}, and no water link` },
            candidate.holding,
          ]),
        };
      });

    return { itemId: line.itemId, requested: line.quantity, allocated: line.quantity - remaining, shortfall: remaining, sources, passedOver };
  }
}
