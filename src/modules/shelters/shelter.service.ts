// Shelters (避难场所): the registry with a store of its own (a storage site of tier SHELTER, so
// deliveries land in its books), openings per incident, occupancy reports, the district's ration
// table and what a shelter needs for N days, raised as a supply request in one mutation.
// Every mutation is one `unit.transaction`; the shelter row is locked (FOR UPDATE) first, then
// whatever the work needs in the core order; shelterChanged goes out after COMMIT.
// Scope: a LOGISTICS account scoped to a township acts on that township's shelters only
// (core/access/scope.ts); the ration table and relief policy are the district's (LOGISTICS
// without a township scope, or ADMIN).
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, recordedBy, Role } from "../../core/access/auth";
import { assertInScope } from "../../core/access/scope";
import { groupBy, rowsByCodes, rowsByIds } from "../../core/db/batch";
import { forbidden, userError } from "../../core/graphql/errors";
import type { EventBus } from "../../core/live/pubsub";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { message } from "../../core/i18n/i18n";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { Transaction } from "../../core/db/transaction";
import { LOCAL_TODAY_SQL } from "../../core/db/local-date";
import { DispatchPriority } from "../dispatch/dispatch.enums";
import type { IncidentService } from "../incidents/incident.service";
import { Region, RegionLevel } from "../regions/region.entity";
import { subtreeCondition } from "../regions/region.service";
import { SiteStatus, SiteTier } from "../reserves/reserves.enums";
import type { StockQueryService } from "../reserves/stock-query.service";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { SupplyRequestPurpose } from "../requests/supply-request.enums";
import type { SupplyRequestService } from "../requests/supply-request.service";
import type { SupplyRequest } from "../requests/supply-request.entity";
import { openRequestsOutstanding } from "../requests/request-fulfilment";
import { OccupancyReport, RationLine, ReliefPolicy, Shelter, ShelterOpening } from "./shelter.entity";
import { PopulationGroup, RationBasis, ShelterChange, ShelterKind, ShelterStatus } from "./shelter.enums";
import { SHELTER_CHANGED, type ShelterChangedPayload } from "./shelter.events";
import type {
  CloseShelterInput,
  CreateShelterInput,
  OpenShelterInput,
  ReportShelterOccupancyInput,
  RequestShelterSuppliesInput,
  SetRationLineInput,
  SetReliefPolicyInput,
  ShelterWhere,
  UpdateShelterInput,
} from "./shelter.inputs";
import { OCCUPANCY_REPORT_ORDER, SHELTER_ORDER, type OccupancyReportOrderField, type ShelterOrderField } from "./shelter.orders";
import { OccupancyReportConnection, ShelterConnection, type OccupancyTotals, type ShelterNeedLine, type ShelterNeeds, type ShelterOccupancy } from "./shelter.types";

export const MAX_CAPACITY = 100_000;
export const MAX_NEED_DAYS = 30;
/** The repeat-household period when the district has set none (reliefPolicy). */
export const DEFAULT_REPEAT_WINDOW_HOURS = 24;
/** How far (degrees) a shelter may lie from its village's centre. */
const MAX_DISTANCE_DEGREES = 0.2;
/** The floor area the store of a new shelter is booked with (m²): a room set aside for supplies. */
const STORE_FLOOR_AREA = 20;
const NOTE_MAX = 500;
const OPEN: readonly ShelterStatus[] = [ShelterStatus.OPEN, ShelterStatus.FULL];

/** The counts of an occupancy report by ration group. */
export function groupCount(report: Pick<OccupancyReport, "peoplePresent" | "infants" | "children" | "elderly" | "disabled" | "sickOrPregnant">, group: PopulationGroup): number {
  switch (group) {
    case PopulationGroup.EVERYONE:
      return report.peoplePresent;
    case PopulationGroup.INFANTS:
      return report.infants;
    case PopulationGroup.CHILDREN:
      return report.children;
    case PopulationGroup.ELDERLY:
      return report.elderly;
    case PopulationGroup.DISABLED:
      return report.disabled;
    case PopulationGroup.SICK_OR_PREGNANT:
      return report.sickOrPregnant;
  }
}

/**
 * What the ration table asks for, per item, for `days`: each line's group count × units per
 * person × days (PER_DAY) or × 1 (PER_STAY), summed per item and rounded up to whole units.
 * Outdoor-only lines (tents) count for outdoor shelters only.
 */
export function rationRequirements(lines: readonly RationLine[], counts: Parameters<typeof groupCount>[0], days: number, outdoor: boolean): Map<number, { required: number; codes: string[] }> {
  const exact = new Map<number, { amount: number; codes: string[] }>();
  for (const line of lines) {
    if (line.outdoorOnly && !outdoor) continue;
    const amount = groupCount(counts, line.populationGroup) * line.quantityPerPerson * (line.basis === RationBasis.PER_DAY ? days : 1);
    const entry = exact.get(line.itemId) ?? { amount: 0, codes: [] };
    entry.amount += amount;
    entry.codes.push(line.code);
    exact.set(line.itemId, entry);
  }
  // 1e-9: 0.1 × 30 is 3.0000000000000004 in floating point, and must not become 4.
  return new Map([...exact].map(([itemId, { amount, codes }]) => [itemId, { required: Math.ceil(amount - 1e-9), codes }]));
}

interface LockedShelter {
  shelter: Shelter;
  regionPath: string;
}

export class ShelterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly stockQueries: StockQueryService,
    private readonly incidents: IncidentService,
    private readonly supplyRequests: SupplyRequestService,
  ) {}

  // ================================================================= reads

  byIds = (ids: readonly number[]): Promise<(Shelter | null)[]> => rowsByIds(this.dataSource, Shelter, ids);
  byCodes = (codes: readonly string[]): Promise<(Shelter | null)[]> => rowsByCodes(this.dataSource, Shelter, codes);
  reportsByIds = (ids: readonly number[]): Promise<(OccupancyReport | null)[]> => rowsByIds(this.dataSource, OccupancyReport, ids);
  openingsByIds = (ids: readonly number[]): Promise<(ShelterOpening | null)[]> => rowsByIds(this.dataSource, ShelterOpening, ids);
  rationLinesByIds = (ids: readonly number[]): Promise<(RationLine | null)[]> => rowsByIds(this.dataSource, RationLine, ids);

  /** The shelter whose store each site is, in one statement; null for other sites. */
  bySiteIds = async (siteIds: readonly number[]): Promise<(Shelter | null)[]> => {
    const rows = await this.dataSource.getRepository(Shelter).createQueryBuilder("s").where("s.site_id = ANY(:ids)", { ids: [...siteIds] }).getMany();
    return siteIds.map((id) => rows.find((row) => row.siteId === id) ?? null);
  };

  /** The last occupancy report of each shelter's current opening, one statement for many shelters. */
  latestReports = async (shelterIds: readonly number[]): Promise<(OccupancyReport | null)[]> => {
    const rows = await this.dataSource
      .getRepository(OccupancyReport)
      .createQueryBuilder("report")
      .distinctOn(["report.shelter_id"])
      .innerJoin(Shelter, "shelter", "shelter.id = report.shelter_id AND shelter.incident_id = report.incident_id AND report.reported_at >= shelter.opened_at")
      .where("report.shelter_id = ANY(:ids)", { ids: [...shelterIds] })
      .orderBy("report.shelter_id")
      .addOrderBy("report.reported_at", "DESC")
      .addOrderBy("report.id", "DESC")
      .getMany();
    return shelterIds.map((id) => rows.find((row) => row.shelterId === id) ?? null);
  };

  /** Each shelter's openings, newest first, one statement for many shelters. */
  openingsByShelters = async (shelterIds: readonly number[]): Promise<ShelterOpening[][]> => {
    const rows = await this.dataSource.getRepository(ShelterOpening).createQueryBuilder("o").where("o.shelter_id = ANY(:ids)", { ids: [...shelterIds] }).orderBy("o.opened_at", "DESC").addOrderBy("o.id", "DESC").getMany();
    return groupBy(rows, (row) => row.shelterId, shelterIds);
  };

  async list(where: ShelterWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<ShelterOrderField>[] | null): Promise<Connection<Shelter>> {
    const query = this.dataSource.getRepository(Shelter).createQueryBuilder("shelter");
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`shelter.region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", ":regionId::int")})`, { regionId });
    }
    if (where?.status) query.andWhere("shelter.status = :status", { status: where.status });
    if (where?.open != null) query.andWhere(`shelter.status ${where.open ? "" : "NOT "}IN (:...open)`, { open: [...OPEN] });
    if (where?.kind) query.andWhere("shelter.kind = :kind", { kind: where.kind });
    if (where?.hazard) query.andWhere(":hazard = ANY(shelter.hazards)", { hazard: where.hazard });
    if (where?.incidentId) query.andWhere("shelter.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.overCapacity != null) query.andWhere(`${where.overCapacity ? "" : "NOT "}(shelter.occupancy > shelter.capacity)`);
    if (where?.nameContains) query.andWhere("strpos(shelter.name, :name) > 0", { name: where.nameContains });
    return paginate(query, SHELTER_ORDER.sorting.resolve(orderBy), page, ShelterConnection);
  }

  reports(shelterId: number, page: PageArgs, orderBy?: OrderTerm<OccupancyReportOrderField>[] | null): Promise<Connection<OccupancyReport>> {
    const query = this.dataSource.getRepository(OccupancyReport).createQueryBuilder("report").where("report.shelter_id = :shelterId", { shelterId });
    return paginate(query, OCCUPANCY_REPORT_ORDER.sorting.resolve(orderBy), page, OccupancyReportConnection);
  }

  /** The district's ration table, in code order. */
  rationTable(districtId?: number): Promise<RationLine[]> {
    const query = this.dataSource.getRepository(RationLine).createQueryBuilder("r").orderBy("r.code").addOrderBy("r.id");
    if (districtId !== undefined) query.where("r.district_id = :districtId", { districtId });
    return query.getMany();
  }

  async reliefPolicy(districtId: number): Promise<ReliefPolicy> {
    const found = await this.dataSource.getRepository(ReliefPolicy).findOneBy({ districtId });
    return found ?? Object.assign(new ReliefPolicy(), { districtId, repeatWindowHours: DEFAULT_REPEAT_WINDOW_HOURS, updatedBy: "—", updatedAt: new Date(0) });
  }

  /**
   * People in shelters per township and for the district (one statement): shelters counted,
   * open, full, over capacity; capacity; people present and the groups by each open shelter's
   * last report. With an incident: the shelters open for it.
   */
  async occupancy(incidentId: number | null, regionId: number | null): Promise<ShelterOccupancy> {
    const rows: Array<Record<string, number>> = await this.dataSource.query(
      `WITH chosen AS (
         SELECT s.* FROM shelter s
         WHERE ($1::int IS NULL OR s.incident_id = $1::int)
           AND ($2::int IS NULL OR s.region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", "$2::int")}))
       ), latest AS (
         SELECT DISTINCT ON (r.shelter_id) r.shelter_id, r.infants, r.children, r.elderly, r.disabled, r.sick_or_pregnant
         FROM occupancy_report r JOIN chosen c ON c.id = r.shelter_id AND c.incident_id = r.incident_id AND r.reported_at >= c.opened_at
         ORDER BY r.shelter_id, r.reported_at DESC, r.id DESC
       )
       SELECT c.township_id AS region_id, count(*)::int AS shelters,
              count(*) FILTER (WHERE c.status IN ('OPEN', 'FULL'))::int AS open_shelters,
              count(*) FILTER (WHERE c.status = 'FULL')::int AS full_shelters,
              count(*) FILTER (WHERE c.occupancy > c.capacity)::int AS over_capacity_shelters,
              coalesce(sum(c.capacity), 0)::int AS capacity,
              coalesce(sum(c.capacity) FILTER (WHERE c.status IN ('OPEN', 'FULL')), 0)::int AS open_capacity,
              coalesce(sum(c.occupancy), 0)::int AS people_present,
              coalesce(sum(l.infants), 0)::int AS infants, coalesce(sum(l.children), 0)::int AS children,
              coalesce(sum(l.elderly), 0)::int AS elderly, coalesce(sum(l.disabled), 0)::int AS disabled,
              coalesce(sum(l.sick_or_pregnant), 0)::int AS sick_or_pregnant
       FROM chosen c JOIN region t ON t.id = c.township_id LEFT JOIN latest l ON l.shelter_id = c.id
       GROUP BY c.township_id, t.code ORDER BY t.code`,
      [incidentId, regionId],
    );
    const totals = (row: Record<string, number>, id: number): OccupancyTotals => ({
      regionId: id,
      shelters: row.shelters,
      openShelters: row.open_shelters,
      fullShelters: row.full_shelters,
      overCapacityShelters: row.over_capacity_shelters,
      capacity: row.capacity,
      openCapacity: row.open_capacity,
      peoplePresent: row.people_present,
      infants: row.infants,
      children: row.children,
      elderly: row.elderly,
      disabled: row.disabled,
      sickOrPregnant: row.sick_or_pregnant,
    });
    const townships = rows.map((row) => totals(row, row.region_id));
    const district = townships.reduce<OccupancyTotals>(
      (sum, t) => {
        for (const key of Object.keys(sum) as Array<keyof OccupancyTotals>) if (key !== "regionId") sum[key] += t[key];
        return sum;
      },
      totals({ shelters: 0, open_shelters: 0, full_shelters: 0, over_capacity_shelters: 0, capacity: 0, open_capacity: 0, people_present: 0, infants: 0, children: 0, elderly: 0, disabled: 0, sick_or_pregnant: 0 }, 0),
    );
    district.regionId = await this.districtId();
    return { townships, district };
  }

  /**
   * What a shelter needs for `days` (shelterNeeds): the ration table applied to the last
   * occupancy report of its current opening (or to `people`, everyone counted as EVERYONE, when
   * planning for a shelter not open), minus what its store holds available, what is on its
   * way there, and what open supply requests to its store still ask and nothing covers yet
   * (`requested`): a second requestShelterSupplies raises only what is still uncovered.
   */
  async needs(shelterId: number, days: number, people: number | null, manager: EntityManager = this.dataSource.manager): Promise<ShelterNeeds> {
    const check = new InputErrors();
    check.wholeNumber(days, "days", 1, MAX_NEED_DAYS);
    if (people !== null) check.wholeNumber(people, "people", 0, MAX_CAPACITY * 10);
    check.throwIfAny();
    const shelter = await manager.findOneBy(Shelter, { id: shelterId });
    if (!shelter) userError("shelterId", "NOT_FOUND", "shelters.noSuchShelter");
    const [report] = people === null ? await this.latestReports([shelter.id]) : [null];
    const counts = report ?? { peoplePresent: people ?? 0, infants: 0, children: 0, elderly: 0, disabled: 0, sickOrPregnant: 0 };
    const requirements = rationRequirements(await this.rationTable(shelter.districtId), counts, days, shelter.outdoor);
    const itemIds = [...requirements.keys()];
    const held: Array<{ item_id: number; available: number }> = itemIds.length
      ? await manager.query(
          `SELECT item_id, coalesce(sum(on_hand - reserved), 0)::int AS available FROM stock_batch
           WHERE site_id = $1 AND item_id = ANY($2::int[]) AND (expiry_date IS NULL OR expiry_date >= ${LOCAL_TODAY_SQL}) GROUP BY item_id`,
          [shelter.siteId, itemIds],
        )
      : [];
    const inTransit = await this.stockQueries.inTransitByLevels(itemIds.map((itemId) => ({ siteId: shelter.siteId, itemId })));
    const requested = await openRequestsOutstanding(manager, shelter.siteId, itemIds);
    const items = itemIds.length ? await manager.getRepository(SupplyItem).createQueryBuilder("i").where("i.id = ANY(:ids)", { ids: itemIds }).getMany() : [];
    const codeOf = new Map(items.map((item) => [item.id, item.code]));
    const lines: ShelterNeedLine[] = itemIds.map((itemId, i) => {
      const { required, codes } = requirements.get(itemId)!;
      const available = held.find((row) => row.item_id === itemId)?.available ?? 0;
      const asked = requested.get(itemId) ?? 0;
      return { itemId, rationCodes: codes, required, held: available, inTransit: inTransit[i], requested: asked, shortfall: Math.max(0, required - available - inTransit[i] - asked) };
    });
    lines.sort((a, b) => (codeOf.get(a.itemId)! < codeOf.get(b.itemId)! ? -1 : 1));
    return { shelterId: shelter.id, reportId: report?.id ?? null, days, people: counts.peoplePresent, lines };
  }

  // ================================================================= building blocks

  private publish(tx: Transaction, shelter: Shelter, regionPath: string, change: ShelterChange, incidentId = shelter.incidentId) {
    const payload: ShelterChangedPayload = { shelterId: shelter.id, change, regionPath, incidentId };
    tx.afterCommit(() => this.events.publish(SHELTER_CHANGED, payload));
  }

  /** Locks the shelter row (FOR UPDATE) and checks the actor's township scope. */
  private async lock(manager: EntityManager, actor: Actor, globalId: string, field = "input.shelterId"): Promise<LockedShelter> {
    const id = parseGlobalId(globalId, "Shelter", field);
    const shelter = await manager.findOne(Shelter, { where: { id }, lock: { mode: "pessimistic_write" } });
    if (!shelter) userError(field, "NOT_FOUND", "shelters.noSuchShelter");
    const [{ path }] = await manager.query(`SELECT path FROM region WHERE id = $1`, [shelter.regionId]);
    assertInScope(actor, path, message("scope.what.shelter", { name: shelter.name }));
    return { shelter, regionPath: path };
  }

  /** The ration table and relief policy are the district's: LOGISTICS without a township scope, or ADMIN. */
  private assertDistrictWide(actor: Actor): void {
    if (actor.role !== Role.ADMIN && actor.scopeRegionId !== null) throw forbidden("shelters.theRationTableIsThe");
  }

  /** The district the ration table and relief policy belong to (the service serves one district). */
  async districtId(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(`SELECT id FROM region WHERE level = 'DISTRICT' ORDER BY id LIMIT 1`);
    if (!row) userError(null, "NOT_FOUND", "shelters.noDistrict");
    return row.id;
  }

  private checkHazards(hazards: readonly string[], field: string, check: InputErrors) {
    if (!hazards.length) check.add(field, "REQUIRED", "shelters.nameAtLeastOneHazard");
    if (new Set(hazards).size !== hazards.length) check.add(field, "DUPLICATE", "shelters.eachHazardOnce");
  }

  // ================================================================= the registry

  async create(unit: UnitOfWork, input: CreateShelterInput): Promise<{ shelter: Shelter }> {
    const { actor } = unit;
    const check = new InputErrors();
    const code = check.text(input.code, "input.code", 40);
    const name = check.text(input.name, "input.name");
    const address = check.text(input.address, "input.address", 300);
    check.point(input.latitude, input.longitude, "input");
    check.wholeNumber(input.capacity, "input.capacity", 1, MAX_CAPACITY);
    check.wholeNumber(input.indoorArea, "input.indoorArea", 0, 10_000_000);
    this.checkHazards(input.hazards, "input.hazards", check);
    const managerName = check.optionalText(input.managerName, "input.managerName", 50) ?? null;
    const managerPhone = check.phone(input.managerPhone, "input.managerPhone") ?? null;
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const regionId = parseGlobalId(input.regionId, "Region", "input.regionId");
      const region = await manager.findOneBy(Region, { id: regionId });
      if (!region) userError("input.regionId", "NOT_FOUND", "shelters.noSuchRegion");
      if (region.level !== RegionLevel.VILLAGE) userError("input.regionId", "INVALID_VALUE", "shelters.aShelterLiesInAVillage", { name: region.name });
      assertInScope(actor, region.path, message("scope.what.shelter", { name }));
      if (Math.abs(region.latitude - input.latitude) > MAX_DISTANCE_DEGREES || Math.abs(region.longitude - input.longitude) > MAX_DISTANCE_DEGREES) {
        userError("input.latitude", "OUT_OF_AREA", "shelters.theShelterLiesFarFrom", { name: region.name });
      }
      if (await manager.existsBy(Shelter, { code })) userError("input.code", "DUPLICATE", "shelters.aShelterWithCode", { code });
      const siteCode = `${code}-K`;
      if (await manager.existsBy(StorageSite, { code: siteCode })) userError("input.code", "DUPLICATE", "shelters.aStoreWithCode", { code: siteCode });
      const site = manager.create(StorageSite, {
        code: siteCode,
        name: `${name}物资库房`,
        tier: SiteTier.SHELTER,
        status: SiteStatus.ACTIVE,
        regionId: region.id,
        districtId: region.districtId!,
        address,
        latitude: input.latitude,
        longitude: input.longitude,
        floorArea: STORE_FLOOR_AREA,
        custodianName: managerName,
        custodianPhone: managerPhone,
      });
      await manager.insert(StorageSite, site);
      const outdoor = input.outdoor ?? (input.kind === ShelterKind.SQUARE || input.kind === ShelterKind.PARK);
      const shelter = manager.create(Shelter, {
        code,
        name,
        districtId: region.districtId!,
        townshipId: region.parentId!,
        regionId: region.id,
        siteId: site.id,
        kind: input.kind,
        hazards: [...input.hazards],
        capacity: input.capacity,
        indoorArea: input.indoorArea,
        outdoor,
        hasWater: input.hasWater ?? false,
        hasPower: input.hasPower ?? false,
        hasToilets: input.hasToilets ?? false,
        hasMedicalPoint: input.hasMedicalPoint ?? false,
        accessible: input.accessible ?? false,
        address,
        latitude: input.latitude,
        longitude: input.longitude,
        managerName,
        managerPhone,
        status: ShelterStatus.STANDBY,
        incidentId: null,
        openedAt: null,
        occupancy: 0,
        occupancyReportedAt: null,
        generated: false,
      });
      await manager.insert(Shelter, shelter);
      const saved = await manager.findOneByOrFail(Shelter, { id: shelter.id });
      this.publish(tx, saved, region.path, ShelterChange.CREATED);
      return { shelter: saved };
    });
  }

  async update(unit: UnitOfWork, input: UpdateShelterInput): Promise<{ shelter: Shelter }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const { shelter, regionPath } = await this.lock(manager, actor, input.shelterId);
      const check = new InputErrors();
      if (input.name != null) shelter.name = check.text(input.name, "input.name");
      if (input.address != null) shelter.address = check.text(input.address, "input.address", 300);
      if (input.kind != null) shelter.kind = input.kind;
      if (input.hazards != null) {
        this.checkHazards(input.hazards, "input.hazards", check);
        shelter.hazards = [...input.hazards];
      }
      if (input.capacity != null) shelter.capacity = check.wholeNumber(input.capacity, "input.capacity", 1, MAX_CAPACITY);
      if (input.indoorArea != null) shelter.indoorArea = check.wholeNumber(input.indoorArea, "input.indoorArea", 0, 10_000_000);
      for (const key of ["outdoor", "hasWater", "hasPower", "hasToilets", "hasMedicalPoint", "accessible"] as const) {
        if (input[key] != null) shelter[key] = input[key]!;
      }
      if (input.managerName !== undefined) shelter.managerName = check.optionalText(input.managerName, "input.managerName", 50) ?? null;
      if (input.managerPhone !== undefined) shelter.managerPhone = check.phone(input.managerPhone, "input.managerPhone") ?? null;
      if (input.status != null) {
        if (input.status !== ShelterStatus.STANDBY && input.status !== ShelterStatus.CLOSED) check.add("input.status", "INVALID_VALUE", "shelters.statusHereIsStandbyOr");
        else if (OPEN.includes(shelter.status)) check.add("input.status", "INVALID_STATE", "shelters.closeTheOpeningFirst", { status: shelter.status });
        else shelter.status = input.status;
      }
      check.throwIfAny();
      // Capacity changed under an open shelter: FULL follows the people present.
      if (OPEN.includes(shelter.status)) shelter.status = shelter.occupancy >= shelter.capacity ? ShelterStatus.FULL : ShelterStatus.OPEN;
      await manager.save(shelter);
      this.publish(tx, shelter, regionPath, ShelterChange.UPDATED);
      return { shelter };
    });
  }

  async open(unit: UnitOfWork, input: OpenShelterInput): Promise<{ shelter: Shelter }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const { shelter, regionPath } = await this.lock(manager, actor, input.shelterId);
      if (shelter.status !== ShelterStatus.STANDBY) userError("input.shelterId", "INVALID_STATE", "shelters.onlyAStandbyShelterOpens", { status: shelter.status });
      const incident = await this.incidents.requireOpen(manager, parseGlobalId(input.incidentId, "Incident", "input.incidentId"), "input.incidentId");
      if (incident.districtId !== shelter.districtId) userError("input.incidentId", "MIXED_DISTRICTS", "shelters.theIncidentIsAnotherDistricts");
      const who = recordedBy(actor);
      const [{ opened_at }] = await manager.query(`INSERT INTO shelter_opening (shelter_id, incident_id, district_id, opened_by) VALUES ($1, $2, $3, $4) RETURNING opened_at`, [
        shelter.id,
        incident.id,
        shelter.districtId,
        who.name,
      ]);
      Object.assign(shelter, { status: ShelterStatus.OPEN, incidentId: incident.id, openedAt: opened_at, occupancy: 0, occupancyReportedAt: null });
      await manager.save(shelter);
      this.publish(tx, shelter, regionPath, ShelterChange.OPENED);
      return { shelter };
    });
  }

  async close(unit: UnitOfWork, input: CloseShelterInput): Promise<{ shelter: Shelter }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const { shelter, regionPath } = await this.lock(manager, actor, input.shelterId);
      if (!OPEN.includes(shelter.status)) userError("input.shelterId", "INVALID_STATE", "shelters.theShelterIsNotOpen", { status: shelter.status });
      const incidentId = shelter.incidentId;
      // People present by the last report: closing would take them off the evacuation figures unseen.
      if (shelter.occupancy > 0) {
        if (!input.confirmOccupied) userError("input.confirmOccupied", "PEOPLE_PRESENT", "shelters.peopleStillPresent", { people: shelter.occupancy });
        const who = recordedBy(actor);
        await manager.insert(
          OccupancyReport,
          manager.create(OccupancyReport, {
            shelterId: shelter.id,
            districtId: shelter.districtId,
            incidentId: shelter.incidentId!,
            peoplePresent: 0,
            infants: 0,
            children: 0,
            elderly: 0,
            disabled: 0,
            sickOrPregnant: 0,
            arrivals: 0,
            departures: shelter.occupancy,
            capacity: shelter.capacity,
            note: null,
            reportedById: who.id,
            reportedBy: who.name,
          }),
        );
      }
      await manager.query(`UPDATE shelter_opening SET closed_at = now(), closed_by = $2 WHERE shelter_id = $1 AND closed_at IS NULL`, [shelter.id, recordedBy(actor).name]);
      Object.assign(shelter, { status: ShelterStatus.STANDBY, incidentId: null, openedAt: null, occupancy: 0 });
      await manager.save(shelter);
      this.publish(tx, shelter, regionPath, ShelterChange.CLOSED, incidentId);
      return { shelter };
    });
  }

  /**
   * An occupancy report: kept in the history, and the shelter's occupancy and status follow it
   * (FULL from capacity up, OPEN below). More people than capacity is accepted and flagged
   * (overCapacity): people fleeing a flood are not turned away at the door.
   */
  async report(unit: UnitOfWork, input: ReportShelterOccupancyInput): Promise<{ shelter: Shelter; report: OccupancyReport }> {
    const { actor } = unit;
    const check = new InputErrors();
    const present = check.wholeNumber(input.peoplePresent, "input.peoplePresent", 0, MAX_CAPACITY * 10);
    const count = (value: number | null | undefined, field: string) => (value == null ? 0 : check.wholeNumber(value, `input.${field}`, 0, MAX_CAPACITY * 10));
    const groups = {
      infants: count(input.infants, "infants"),
      children: count(input.children, "children"),
      elderly: count(input.elderly, "elderly"),
      disabled: count(input.disabled, "disabled"),
      sickOrPregnant: count(input.sickOrPregnant, "sickOrPregnant"),
    };
    const arrivals = count(input.arrivals, "arrivals");
    const departures = count(input.departures, "departures");
    if (!check.errors.length) {
      if (groups.infants + groups.children + groups.elderly > present) check.add("input.peoplePresent", "OUT_OF_RANGE", "shelters.ageGroupsExceedPeoplePresent");
      for (const key of ["disabled", "sickOrPregnant"] as const) if (groups[key] > present) check.add(`input.${key}`, "OUT_OF_RANGE", "shelters.aGroupExceedsPeoplePresent");
    }
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const { shelter, regionPath } = await this.lock(manager, actor, input.shelterId);
      if (!OPEN.includes(shelter.status)) userError("input.shelterId", "INVALID_STATE", "shelters.reportsAreForAnOpen", { status: shelter.status });
      const who = recordedBy(actor);
      const report = manager.create(OccupancyReport, {
        shelterId: shelter.id,
        districtId: shelter.districtId,
        incidentId: shelter.incidentId!,
        peoplePresent: present,
        ...groups,
        arrivals,
        departures,
        capacity: shelter.capacity,
        note,
        reportedById: who.id,
        reportedBy: who.name,
      });
      await manager.insert(OccupancyReport, report);
      const saved = await manager.findOneByOrFail(OccupancyReport, { id: report.id });
      shelter.occupancy = present;
      shelter.occupancyReportedAt = saved.reportedAt;
      shelter.status = present >= shelter.capacity ? ShelterStatus.FULL : ShelterStatus.OPEN;
      await manager.save(shelter);
      this.publish(tx, shelter, regionPath, ShelterChange.OCCUPANCY);
      return { shelter, report: saved };
    });
  }

  // ================================================================= rations

  async setRationLine(unit: UnitOfWork, input: SetRationLineInput): Promise<{ rationLine: RationLine }> {
    const { actor } = unit;
    this.assertDistrictWide(actor);
    const check = new InputErrors();
    const code = check.text(input.code, "input.code", 40);
    const source = check.text(input.source, "input.source", 500);
    if (!(Number.isFinite(input.quantityPerPerson) && input.quantityPerPerson >= 0 && input.quantityPerPerson <= 1000)) {
      check.add("input.quantityPerPerson", "OUT_OF_RANGE", "shelters.unitsPerPersonMustBe");
    }
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const districtId = await this.districtId(manager);
      const itemId = parseGlobalId(input.itemId, "SupplyItem", "input.itemId");
      if (!(await manager.existsBy(SupplyItem, { id: itemId }))) userError("input.itemId", "NOT_FOUND", "shelters.noSuchSupplyItem");
      const who = recordedBy(actor);
      const [{ id }] = await manager.query(
        `INSERT INTO ration_line (district_id, code, item_id, population_group, basis, quantity_per_person, outdoor_only, source, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (district_id, code) DO UPDATE SET item_id = EXCLUDED.item_id, population_group = EXCLUDED.population_group, basis = EXCLUDED.basis,
           quantity_per_person = EXCLUDED.quantity_per_person, outdoor_only = EXCLUDED.outdoor_only, source = EXCLUDED.source,
           updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING id`,
        [districtId, code, itemId, input.populationGroup, input.basis, input.quantityPerPerson, input.outdoorOnly ?? false, source, who.name],
      );
      return { rationLine: await manager.findOneByOrFail(RationLine, { id }) };
    });
  }

  async setReliefPolicy(unit: UnitOfWork, input: SetReliefPolicyInput): Promise<{ policy: ReliefPolicy }> {
    const { actor } = unit;
    this.assertDistrictWide(actor);
    const check = new InputErrors();
    check.wholeNumber(input.repeatWindowHours, "input.repeatWindowHours", 0, 8760);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const districtId = await this.districtId(manager);
      await manager.query(
        `INSERT INTO relief_policy (district_id, repeat_window_hours, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (district_id) DO UPDATE SET repeat_window_hours = EXCLUDED.repeat_window_hours, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [districtId, input.repeatWindowHours, recordedBy(actor).name],
      );
      return { policy: await manager.findOneByOrFail(ReliefPolicy, { districtId }) };
    });
  }

  /**
   * A shelter's needs for N days as a supply request (需求申报) to its store, in one mutation:
   * the shortfall lines (shelterNeeds) submitted through the request service's own submit (its
   * checks, numbering, scope and event), for the shelter's incident when it is open.
   */
  async requestSupplies(unit: UnitOfWork, input: RequestShelterSuppliesInput): Promise<{ request: SupplyRequest }> {
    const { actor } = unit;
    const shelterId = parseGlobalId(input.shelterId, "Shelter", "input.shelterId");
    const check = new InputErrors();
    check.wholeNumber(input.days, "input.days", 1, MAX_NEED_DAYS);
    check.throwIfAny();
    const shelter = await this.dataSource.manager.findOneBy(Shelter, { id: shelterId });
    if (!shelter) userError("input.shelterId", "NOT_FOUND", "shelters.noSuchShelter");
    const [{ path }] = await this.dataSource.query(`SELECT path FROM region WHERE id = $1`, [shelter.regionId]);
    assertInScope(actor, path, message("scope.what.shelter", { name: shelter.name }));
    const needs = await this.needs(shelter.id, input.days, input.people ?? null);
    const lines = needs.lines.filter((line) => line.shortfall > 0);
    if (!lines.length) userError("input.shelterId", "NOTHING_NEEDED", "shelters.nothingIsNeeded", { days: input.days });
    const open = OPEN.includes(shelter.status);
    const items = await this.dataSource.getRepository(SupplyItem).createQueryBuilder("i").where("i.id = ANY(:ids)", { ids: lines.map((l) => l.itemId) }).getMany();
    const globalItemId = (id: number) => items.find((item) => item.id === id)!.globalId;
    return this.supplyRequests.submit(unit, {
      idempotencyKey: input.idempotencyKey,
      purpose: open ? SupplyRequestPurpose.INCIDENT : SupplyRequestPurpose.PRE_POSITIONING,
      incidentId: open && shelter.incidentId !== null ? (await this.incidents.byIds([shelter.incidentId]))[0]!.globalId : null,
      destination: { siteId: toSiteGlobalId(shelter.siteId) },
      lines: lines.map((line) => ({ itemId: globalItemId(line.itemId), quantity: line.shortfall, priority: input.priority ?? (open ? DispatchPriority.URGENT : DispatchPriority.NORMAL) })),
      peopleServed: needs.people,
      requesterPhone: input.requesterPhone,
      note: input.note ?? null,
    });
  }
}

function toSiteGlobalId(id: number): string {
  return Object.assign(new StorageSite(), { id }).globalId;
}
