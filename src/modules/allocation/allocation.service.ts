// Allocation planning: reads the candidate sources (one statement for site stock, a few for
// partners) and the district's travel-time table with its closures (one statement), works out
// what the order is for (its incident and priority: the source rules read it), hands it all to
// the configured strategy, and returns its proposal. Nothing is written or locked: approval of
// an order re-checks everything under lock.
import type { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { badUserInput, userError, UserErrorsException } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import { DestinationKind, DispatchPriority, DispatchStatus } from "../dispatch/dispatch.enums";
import type { ReservesService } from "../reserves/reserves.service";
import { RouteService, type DistrictGraph } from "../routes/routes.service";
import type { Place } from "../routes/travel-graph";
import type { StockQueryService } from "../reserves/stock-query.service";
import { InputErrors } from "../../core/mutation/input-errors";
import type { DestinationInput, PlanAllocationInput, PlanLineInput } from "./allocation.inputs";
import type { AllocationStrategy, GeoPoint, SiteStockCandidate, SourceCandidates } from "./allocation.strategy";
import { AllocationPlan, PassedOverSource, PlannedLine, PlannedSource } from "./allocation.types";
import { planningPurpose, type Whereabouts } from "./source-rules";
import { message, messageList, type Message } from "../../core/i18n/i18n";

/** A destination checked against the database. */
export interface ResolvedDestination {
  kind: DestinationKind;
  regionId: number;
  regionPath: string;
  districtId: number;
  siteId: number | null;
  latitude: number;
  longitude: number;
  address: string | null;
  receiverName: string | null;
  receiverPhone: string | null;
}

/** A resolved destination as the columns an order and a request both keep of it. */
export function destinationColumns(destination: ResolvedDestination) {
  return {
    destinationKind: destination.kind,
    destinationRegionId: destination.regionId,
    destinationSiteId: destination.siteId,
    destinationLatitude: destination.latitude,
    destinationLongitude: destination.longitude,
    destinationAddress: destination.address,
    receiverName: destination.receiverName,
    receiverPhone: destination.receiverPhone,
  };
}

export interface PlanLine {
  itemId: number;
  quantity: number;
}

/** What a plan is asked for: where, what, and what the order is for (the source rules read priority and incident). */
export interface PlanRequest {
  destination: ResolvedDestination;
  lines: readonly PlanLine[];
  allowBelowMinimum: boolean;
  priority: DispatchPriority;
  /** The order's incident, if any; it counts as an incident order only while the incident is OPEN. */
  incidentId: number | null;
}

/** The township unit and village of a region, from its materialised path ("/district/township/village/"). */
export function whereaboutsOf(regionPath: string): Whereabouts {
  const [, township, village] = regionPath.split("/").filter(Boolean).map(Number);
  return { townshipId: township ?? null, villageId: village ?? null };
}

/** Orders whose partner call-offs count against the agreed stock: approved and not yet closed or cancelled. */
export const CALL_OFF_STATUSES: readonly DispatchStatus[] = [DispatchStatus.APPROVED, DispatchStatus.DISPATCHED, DispatchStatus.DELIVERED];

/** How far (degrees) a point destination may lie from the centre of the region it is said to be in. */
const MAX_POINT_DISTANCE_DEGREES = 0.5;
export const MAX_LINES = 100;

/** Decodes and checks requested lines: 1–100, each item once, positive whole quantities. */
export function parsePlanLines(lines: readonly PlanLineInput[] | null | undefined, field: string, check: InputErrors): Array<PlanLine & { field: string }> {
  const parsed = (lines ?? []).map((line, i) => ({
    itemId: parseGlobalId(line.itemId, "SupplyItem", `${field}[${i}].itemId`),
    quantity: check.quantity(line.quantity, `${field}[${i}].quantity`),
    field: `${field}[${i}]`,
  }));
  if (parsed.length === 0 || parsed.length > MAX_LINES) check.add(field, "OUT_OF_RANGE", "allocation.giveToLines", { maxLines: MAX_LINES });
  parsed.forEach((line, i) => {
    if (parsed.findIndex((other) => other.itemId === line.itemId) !== i) check.add(`${line.field}.itemId`, "DUPLICATE", "allocation.eachItemAtMostOnce");
  });
  return parsed;
}

export class AllocationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reserves: ReservesService,
    private readonly stockQueries: StockQueryService,
    private readonly routes: RouteService,
    readonly strategy: AllocationStrategy,
  ) {}

  /** Validates a destination input and reads the region or site it names. */
  async resolveDestination(manager: EntityManager, input: DestinationInput | null | undefined, field: string): Promise<ResolvedDestination> {
    if (!input) userError(field, "REQUIRED", "allocation.giveADestinationARegion");
    const check = new InputErrors();
    const hasPoint = input.latitude != null || input.longitude != null;
    if (input.siteId && (hasPoint || input.regionId)) check.add(field, "AMBIGUOUS", "allocation.giveASiteOrA");
    if (!input.siteId && !hasPoint && !input.regionId) check.add(field, "REQUIRED", "allocation.giveADestinationARegion");
    if (hasPoint && (input.latitude == null || input.longitude == null)) check.add(`${field}.${input.latitude == null ? "latitude" : "longitude"}`, "REQUIRED", "allocation.giveBothLatitudeAndLongitude");
    check.point(input.latitude, input.longitude, field);
    const address = check.optionalText(input.address, `${field}.address`, 300) ?? null;
    const receiverName = check.optionalText(input.receiverName, `${field}.receiverName`, 50) ?? null;
    const receiverPhone = check.phone(input.receiverPhone, `${field}.receiverPhone`) ?? null;
    if (hasPoint) {
      if (!input.regionId) check.add(`${field}.regionId`, "REQUIRED", "allocation.aPointNeedsTheRegion");
      if (!receiverName) check.add(`${field}.receiverName`, "REQUIRED", "allocation.aPointDestinationNeedsA");
      if (!receiverPhone) check.add(`${field}.receiverPhone`, "REQUIRED", "allocation.aPointDestinationNeedsThe");
    }
    check.throwIfAny();

    if (input.siteId) {
      const siteId = parseGlobalId(input.siteId, "StorageSite", `${field}.siteId`);
      const [site] = await manager.query(
        `SELECT s.id, s.name, s.status, s.latitude, s.longitude, s.region_id, s.district_id, s.address, r.path
         FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = $1`,
        [siteId],
      );
      if (!site) userError(`${field}.siteId`, "NOT_FOUND", "allocation.noSuchStorageSite");
      if (site.status === "CLOSED") userError(`${field}.siteId`, "INVALID_STATE", "allocation.isClosedAndReceivesNothing", { name: site.name });
      return {
        kind: DestinationKind.SITE,
        regionId: site.region_id,
        regionPath: site.path,
        districtId: site.district_id,
        siteId,
        latitude: site.latitude,
        longitude: site.longitude,
        address: address ?? site.address,
        receiverName,
        receiverPhone,
      };
    }
    const regionId = parseGlobalId(input.regionId!, "Region", `${field}.regionId`);
    const [region] = await manager.query(`SELECT id, path, latitude, longitude, coalesce(district_id, id) AS district_id FROM region WHERE id = $1`, [regionId]);
    if (!region) userError(`${field}.regionId`, "NOT_FOUND", "allocation.noSuchRegion");
    if (hasPoint) {
      const near = Math.abs(region.latitude - input.latitude!) <= MAX_POINT_DISTANCE_DEGREES && Math.abs(region.longitude - input.longitude!) <= MAX_POINT_DISTANCE_DEGREES;
      if (!near) userError(`${field}.latitude`, "OUT_OF_AREA", "allocation.thePointLiesFarFrom");
    }
    return {
      kind: hasPoint ? DestinationKind.POINT : DestinationKind.REGION,
      regionId,
      regionPath: region.path,
      districtId: region.district_id,
      siteId: null,
      latitude: hasPoint ? input.latitude! : region.latitude,
      longitude: hasPoint ? input.longitude! : region.longitude,
      address,
      receiverName,
      receiverPhone,
    };
  }

  /** Every line's item must exist. */
  async checkItems(manager: EntityManager, lines: ReadonlyArray<PlanLine & { field: string }>): Promise<Map<number, { id: number; name: string; reusable: boolean }>> {
    const rows: Array<{ id: number; name: string; reusable: boolean }> = await manager.query(`SELECT id, name, reusable FROM supply_item WHERE id = ANY($1::int[])`, [lines.map((line) => line.itemId)]);
    const items = new Map(rows.map((row) => [row.id, row]));
    const check = new InputErrors();
    for (const line of lines) if (!items.has(line.itemId)) check.add(`${line.field}.itemId`, "NOT_FOUND", "allocation.noSuchSupplyItem");
    check.throwIfAny();
    return items;
  }

  /** The query `planAllocation`: checks the input, then plans. A query has no payload: bad input is a top-level BAD_USER_INPUT. */
  async planAllocation(actor: Actor, input: PlanAllocationInput): Promise<AllocationPlan> {
    try {
      return await this.checkedPlan(actor, input);
    } catch (error) {
      if (!(error instanceof UserErrorsException)) throw error;
      const [first] = error.errors;
      throw badUserInput(first.field ?? "input", "allocation.planRefused", { problems: messageList(error.errors.map((e) => message("allocation.codedProblem", { code: e.code, problem: e.said }))) });
    }
  }

  private async checkedPlan(actor: Actor, input: PlanAllocationInput): Promise<AllocationPlan> {
    const check = new InputErrors();
    const lines = parsePlanLines(input.lines, "input.lines", check);
    const priority = input.priority ?? DispatchPriority.NORMAL;
    if (input.allowBelowMinimum && priority !== DispatchPriority.URGENT) check.add("input.allowBelowMinimum", "NOT_ALLOWED", "allocation.onlyUrgentOrdersMayTake");
    const incidentId = input.incidentId ? parseGlobalId(input.incidentId, "Incident", "input.incidentId") : null;
    check.throwIfAny();
    const manager = this.dataSource.manager;
    const destination = await this.resolveDestination(manager, input.destination, "input.destination");
    if (incidentId !== null) {
      // As createDispatchOrder checks it: an open incident of the destination's district.
      const [incident] = await manager.query(`SELECT status, district_id FROM incident WHERE id = $1`, [incidentId]);
      if (!incident) userError("input.incidentId", "NOT_FOUND", "allocation.noSuchIncident");
      if (incident.status !== "OPEN") userError("input.incidentId", "INVALID_STATE", "allocation.theIncidentIs", { status: incident.status });
      if (incident.district_id !== destination.districtId) userError("input.incidentId", "MIXED_DISTRICTS", "allocation.theIncidentLiesInAnother");
    }
    await this.checkItems(manager, lines);
    return this.plan(actor, { destination, lines, allowBelowMinimum: Boolean(input.allowBelowMinimum), priority, incidentId }, manager);
  }

  /**
   * The strategy's proposal for lines going to a destination. A township-scoped account is
   * offered only sites inside its township (it could not send from elsewhere) and no partner
   * enterprises (calling on them is a district-level decision).
   */
  async plan(actor: Actor, request: PlanRequest, manager: EntityManager = this.dataSource.manager): Promise<AllocationPlan> {
    const { destination } = request;
    const [incident] = request.incidentId === null ? [] : await manager.query(`SELECT status FROM incident WHERE id = $1`, [request.incidentId]);
    const purpose = planningPurpose(request.priority, incident?.status === "OPEN");
    const map = await this.routes.districtGraph(manager, destination.districtId);
    const candidates = await this.candidates(manager, actor, destination.districtId, request.lines.map((line) => line.itemId), map);
    const whereabouts = whereaboutsOf(destination.regionPath);
    const point = { latitude: destination.latitude, longitude: destination.longitude };
    const planned = this.strategy.plan(
      {
        destination: { ...point, ...whereabouts, siteId: destination.siteId, isStore: destination.kind === DestinationKind.SITE },
        lines: request.lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity })),
        allowBelowMinimum: request.allowBelowMinimum,
        purpose,
        routes: map.graph.routesTo(placeOf(map, point, whereabouts.townshipId, destination.siteId)),
      },
      candidates,
    );
    return Object.assign(new AllocationPlan(), {
      strategy: this.strategy.name,
      purpose,
      lines: planned.map((line) =>
        Object.assign(new PlannedLine(), {
          ...line,
          sources: line.sources.map((source) => Object.assign(new PlannedSource(), source)),
          passedOver: line.passedOver.map((source) => Object.assign(new PassedOverSource(), source)),
        }),
      ),
    });
  }

  /** Candidate sources of the items in one district: unexpired site batches with something available, partner stock and capacity. */
  async candidates(manager: EntityManager, actor: Actor, districtId: number, itemIds: readonly number[], map: DistrictGraph): Promise<SourceCandidates> {
    const scoped = actor.scopeRegionId !== null;
    const batches = (await this.stockQueries.allocatableBatches(itemIds, manager)).filter(
      (batch) => batch.districtId === districtId && (!scoped || batch.siteRegionPath.includes(`/${actor.scopeRegionId}/`)),
    );
    const names = new Map<number, string>(
      batches.length
        ? (await manager.query(`SELECT id, name FROM storage_site WHERE id = ANY($1::int[])`, [[...new Set(batches.map((batch) => batch.siteId))]])).map((row: { id: number; name: string }) => [row.id, row.name])
        : [],
    );
    const bySiteItem = new Map<string, SiteStockCandidate>();
    for (const batch of batches) {
      const key = `${batch.siteId}:${batch.itemId}`;
      let candidate = bySiteItem.get(key);
      if (!candidate) {
        const point = { latitude: batch.siteLatitude, longitude: batch.siteLongitude };
        const whereabouts = whereaboutsOf(batch.siteRegionPath);
        candidate = {
          siteId: batch.siteId,
          siteName: names.get(batch.siteId) ?? `site ${batch.siteId}`,
          tier: batch.siteTier,
          point,
          whereabouts,
          place: placeOf(map, point, whereabouts.townshipId, batch.siteId),
          itemId: batch.itemId,
          minimum: batch.siteMinimum,
          available: batch.siteAvailable,
          batches: [],
        };
        bySiteItem.set(key, candidate);
      }
      candidate.batches.push({ batchId: batch.batchId, batchNumber: batch.batchNumber, expiryDate: batch.expiryDate, available: batch.available });
    }
    const siteStock = [...bySiteItem.values()];
    if (scoped) return { siteStock, partnerStock: [], partnerCapacity: [] };

    const { partners, agreements, capacities } = await this.reserves.partnerSourcesForItems(itemIds, manager);
    const inDistrict = new Map(partners.filter((partner) => partner.districtId === districtId).map((partner) => [partner.id, partner]));
    const calledOff = await this.partnerCallOffs(manager, agreements.filter((a) => inDistrict.has(a.partnerId)));
    const partnerPaths = new Map<number, string>(
      inDistrict.size
        ? (await manager.query(`SELECT id, path FROM region WHERE id = ANY($1::int[])`, [[...new Set([...inDistrict.values()].map((p) => p.regionId))]])).map((row: { id: number; path: string }) => [row.id, row.path])
        : [],
    );
    const partnerPlace = (partner: { regionId: number; latitude: number; longitude: number }) => {
      const point = { latitude: partner.latitude, longitude: partner.longitude };
      return { point, place: placeOf(map, point, whereaboutsOf(partnerPaths.get(partner.regionId) ?? "").townshipId, null) };
    };
    return {
      siteStock,
      partnerStock: agreements
        .filter((agreement) => inDistrict.has(agreement.partnerId))
        .map((agreement) => {
          const partner = inDistrict.get(agreement.partnerId)!;
          return {
            partnerId: partner.id,
            partnerName: partner.name,
            ...partnerPlace(partner),
            itemId: agreement.itemId,
            agreed: agreement.agreedQuantity,
            calledOff: calledOff.get(`${agreement.partnerId}:${agreement.itemId}`) ?? 0,
          };
        }),
      partnerCapacity: capacities
        .filter((capacity) => inDistrict.has(capacity.partnerId))
        .map((capacity) => {
          const partner = inDistrict.get(capacity.partnerId)!;
          return {
            partnerId: partner.id,
            partnerName: partner.name,
            ...partnerPlace(partner),
            itemId: capacity.itemId,
            unitsPerDay: capacity.unitsPerDay,
            leadTimeHours: capacity.leadTimeHours,
          };
        }),
    };
  }

  /** Agreement stock already called off by open orders, keyed "partnerId:itemId". */
  async partnerCallOffs(manager: EntityManager, pairs: ReadonlyArray<{ partnerId: number; itemId: number }>, excludingOrderId: number | null = null): Promise<Map<string, number>> {
    if (!pairs.length) return new Map();
    const rows: Array<{ partner_id: number; item_id: number; called: number }> = await manager.query(
      `SELECT a.partner_id, a.item_id, sum(a.quantity)::int AS called
       FROM dispatch_allocation a JOIN dispatch_order o ON o.id = a.order_id
       WHERE a.source_kind = 'PARTNER_STOCK' AND (a.partner_id, a.item_id) IN (SELECT * FROM unnest($1::int[], $2::int[]))
         AND o.status = ANY($3::text[]) AND o.id IS DISTINCT FROM $4::int
       GROUP BY a.partner_id, a.item_id`,
      [pairs.map((p) => p.partnerId), pairs.map((p) => p.itemId), [...CALL_OFF_STATUSES], excludingOrderId],
    );
    return new Map(rows.map((row) => [`${row.partner_id}:${row.item_id}`, row.called]));
  }
}

/**
 * The place of the travel-time table a site, partner or destination is reached through: the
 * depot's own, or its township unit's; above township level (the district itself), the nearest
 * place. Null when its township is not in the table (then times come from the straight line).
 */
export function placeOf(map: DistrictGraph, point: GeoPoint, townshipId: number | null, siteId: number | null): Place {
  const own = siteId !== null ? map.nodeOfSite.get(siteId) : undefined;
  if (own !== undefined) return { point, nodeId: own, townshipId: null };
  if (townshipId !== null) return { point, nodeId: map.nodeOfRegion.get(townshipId) ?? null, townshipId };
  return { point, nodeId: RouteService.nearestPlace(map.places, point)?.id ?? null, townshipId: null };
}
