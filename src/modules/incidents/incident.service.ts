// Incidents (突发事件): opened, updated and closed by commanders. Dispatch orders and team
// deployments refer to them (see the dispatch module).
import { rowsByCodes, rowsByIds } from "../../core/db/batch";
import type { DataSource, EntityManager } from "typeorm";
import { badUserInput } from "../../core/graphql/errors";
import type { EventBus } from "../../core/live/pubsub";
import { ConnectionType, fromGlobalId, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { INCIDENT_ORDER, type IncidentOrderField } from "./incident.orders";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { DocumentKind, takeDocumentCode } from "../numbering/document-numbers";
import { Region, RegionLevel } from "../regions/region.entity";
import { Incident, IncidentRegion, IncidentStatus } from "./incident.entity";
import type { CloseIncidentInput, IncidentWhere, OpenIncidentInput, UpdateIncidentInput } from "./incident.inputs";

export const IncidentConnection = ConnectionType(Incident, "Incident", "突发事件分页。A page of incidents, newest first.");

export const INCIDENT_CHANGED = "INCIDENT_CHANGED";

export enum IncidentChange {
  OPENED = "OPENED",
  UPDATED = "UPDATED",
  CLOSED = "CLOSED",
}

export interface IncidentChangedPayload {
  incidentId: number;
  change: IncidentChange;
  /** Materialised paths of the affected regions, for subscription filters by region. */
  regionPaths: string[];
}

/** How far (degrees) the scene may lie from the affected regions' centres. */
const MAX_SCENE_DISTANCE_DEGREES = 0.5;
const TITLE_MAX = 200;

export class IncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  byIds = (ids: readonly number[]): Promise<(Incident | null)[]> => rowsByIds(this.dataSource, Incident, ids);
  /** Incidents by number (KZ-2026-0001), in the order asked, null where there is none. */
  byCodes = (codes: readonly string[]): Promise<(Incident | null)[]> => rowsByCodes(this.dataSource, Incident, codes);

  /** Affected regions per incident, in one statement for many incidents. */
  regionIdsByIncident = async (incidentIds: readonly number[]): Promise<number[][]> => {
    const rows: Array<{ incident_id: number; region_id: number }> = await this.dataSource.query(
      "SELECT incident_id, region_id FROM incident_region WHERE incident_id = ANY($1) ORDER BY region_id",
      [[...incidentIds]],
    );
    return incidentIds.map((id) => rows.filter((row) => row.incident_id === id).map((row) => row.region_id));
  };

  async list(where: IncidentWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<IncidentOrderField>[] | null) {
    const query = this.dataSource.getRepository(Incident).createQueryBuilder("incident");
    if (where?.status) query.andWhere("incident.status = :status", { status: where.status });
    if (where?.hazard) query.andWhere("incident.hazard = :hazard", { hazard: where.hazard });
    if (where?.from) query.andWhere("incident.occurred_at >= :from", { from: where.from });
    if (where?.to) query.andWhere("incident.occurred_at < :to", { to: where.to });
    if (where?.regionId) {
      const region = await this.dataSource.getRepository(Region).findOneBy({ id: parseGlobalId(where.regionId, "Region", "where.regionId") });
      if (!region) throw badUserInput("where.regionId", "incidents.noSuchRegion");
      // Affecting the region itself, anything inside it, or a region that contains it.
      query.andWhere(
        `EXISTS (SELECT 1 FROM incident_region ir JOIN region r ON r.id = ir.region_id
                 WHERE ir.incident_id = incident.id AND (r.path LIKE :prefix OR :path LIKE r.path || '%'))`,
        { prefix: `${region.path}%`, path: region.path },
      );
    }
    return paginate(query, INCIDENT_ORDER.sorting.resolve(orderBy), page, IncidentConnection);
  }

  private async affectedRegions(manager: EntityManager, globalIds: string[], field: string): Promise<Region[]> {
    if (globalIds.length === 0) userError(field, "REQUIRED", "incidents.nameAtLeastOneAffected");
    if (globalIds.length > 100) userError(field, "TOO_MANY", "incidents.atMostAffectedRegions");
    const ids = globalIds.map((id, i) => {
      const parsed = fromGlobalId(id);
      if (!parsed || parsed.typeName !== "Region") userError(`${field}[${i}]`, "INVALID_ID", "incidents.isNotTheIdOf", { id });
      return parsed.id;
    });
    const regions = await manager.getRepository(Region).createQueryBuilder("region").where("region.id = ANY(:ids)", { ids }).getMany();
    const missing = ids.findIndex((id) => !regions.some((r) => r.id === id));
    if (missing >= 0) userError(`${field}[${missing}]`, "NOT_FOUND", "incidents.noSuchRegion");
    if (new Set(regions.map((r) => r.districtId)).size > 1) userError(field, "MIXED_DISTRICTS", "incidents.allAffectedRegionsMustLie");
    return regions;
  }

  private checkedTitle(value: string, check: InputErrors): string {
    const title = value.trim();
    if (!title || title.length > TITLE_MAX) check.add("input.title", "OUT_OF_RANGE", "incidents.titleMustBeCharacters", { titleMax: TITLE_MAX });
    return title;
  }

  /** Both coordinates or neither; a point near one of the regions (checked only when nothing else is wrong). */
  private checkScene(latitude: number | null | undefined, longitude: number | null | undefined, regions: Region[], check: InputErrors) {
    if ((latitude == null) !== (longitude == null)) {
      check.add(latitude == null ? "input.latitude" : "input.longitude", "REQUIRED", "incidents.giveBothLatitudeAndLongitude");
      return;
    }
    if (latitude == null || longitude == null) return;
    check.point(latitude, longitude, "input");
    const near = regions.some((r) => Math.abs(r.latitude - latitude) <= MAX_SCENE_DISTANCE_DEGREES && Math.abs(r.longitude - longitude) <= MAX_SCENE_DISTANCE_DEGREES);
    if (check.errors.length === 0 && !near) check.add("input.latitude", "OUT_OF_AREA", "incidents.theSceneLiesFarFrom");
  }

  private publish(afterCommit: (action: () => void) => void, incident: Incident, regions: Region[], change: IncidentChange) {
    const payload: IncidentChangedPayload = { incidentId: incident.id, change, regionPaths: regions.map((r) => r.path) };
    afterCommit(() => this.events.publish(INCIDENT_CHANGED, payload));
  }

  async open(unit: UnitOfWork, input: OpenIncidentInput): Promise<{ incident: Incident }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async ({ manager, afterCommit }) => {
      const check = new InputErrors();
      const title = this.checkedTitle(input.title, check);
      const occurredAt = input.occurredAt ?? new Date();
      if (occurredAt.getTime() > Date.now() + 5 * 60_000) check.add("input.occurredAt", "IN_FUTURE", "incidents.occurredatMustNotBeIn");
      const regions = await this.affectedRegions(manager, input.regionIds, "input.regionIds");
      this.checkScene(input.latitude, input.longitude, regions, check);
      check.throwIfAny();

      const districtId = regions[0].level === RegionLevel.DISTRICT ? regions[0].id : regions[0].districtId!;
      // Numbered per district and year of occurrence: KZ-2026-0007.
      const code = await takeDocumentCode(manager, DocumentKind.INCIDENT, districtId, occurredAt);
      const [{ id }] = await manager.query(
        `INSERT INTO incident (code, title, description, hazard, level, status, latitude, longitude, commander_name, district_id, occurred_at, opened_by)
         VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7, $8, $9, $10, $11) RETURNING id`,
        [code, title, input.description?.trim() || null, input.hazard, input.level, input.latitude ?? null, input.longitude ?? null, input.commanderName?.trim() || null, districtId, occurredAt, actor.kind === "ACCOUNT" ? actor.id : null],
      );
      await manager.insert(IncidentRegion, regions.map((r) => ({ incidentId: id, regionId: r.id })));
      const incident = await manager.findOneByOrFail(Incident, { id });
      this.publish(afterCommit, incident, regions, IncidentChange.OPENED);
      return { incident };
    });
  }

  private async lockOpen(manager: EntityManager, globalId: string): Promise<Incident> {
    const id = parseGlobalId(globalId, "Incident", "input.incidentId");
    const incident = await manager.findOne(Incident, { where: { id }, lock: { mode: "pessimistic_write" } });
    if (!incident) userError("input.incidentId", "NOT_FOUND", "incidents.noSuchIncident");
    if (incident.status !== IncidentStatus.OPEN) userError("input.incidentId", "INVALID_STATE", "incidents.theIncidentIsOnlyAn", { status: incident.status });
    return incident;
  }

  private async regionsOf(manager: EntityManager, incidentId: number): Promise<Region[]> {
    return manager.getRepository(Region).createQueryBuilder("region").innerJoin(IncidentRegion, "ir", "ir.region_id = region.id").where("ir.incident_id = :incidentId", { incidentId }).getMany();
  }

  async update(unit: UnitOfWork, input: UpdateIncidentInput): Promise<{ incident: Incident }> {
    return unit.transaction(this.dataSource, async ({ manager, afterCommit }) => {
      const incident = await this.lockOpen(manager, input.incidentId);
      const check = new InputErrors();
      if (input.title != null) incident.title = this.checkedTitle(input.title, check);
      if (input.description !== undefined) incident.description = input.description?.trim() || null;
      if (input.level != null) incident.level = input.level;
      if (input.commanderName !== undefined) incident.commanderName = input.commanderName?.trim() || null;
      let regions = await this.regionsOf(manager, incident.id);
      if (input.regionIds) {
        regions = await this.affectedRegions(manager, input.regionIds, "input.regionIds");
        if (regions.some((r) => (r.districtId ?? r.id) !== incident.districtId)) check.add("input.regionIds", "MIXED_DISTRICTS", "incidents.regionsMustLieInThe");
      }
      if (input.latitude !== undefined || input.longitude !== undefined) {
        this.checkScene(input.latitude, input.longitude, regions, check);
        incident.latitude = input.latitude ?? null;
        incident.longitude = input.longitude ?? null;
      }
      check.throwIfAny();
      await manager.save(incident);
      if (input.regionIds) {
        await manager.delete(IncidentRegion, { incidentId: incident.id });
        await manager.insert(IncidentRegion, regions.map((r) => ({ incidentId: incident.id, regionId: r.id })));
      }
      this.publish(afterCommit, incident, regions, IncidentChange.UPDATED);
      return { incident };
    });
  }

  /**
   * Closing is the commander's call; orders still moving keep their own life cycle (they are
   * closed when their reusable items are back), so open orders do not block it.
   */
  async close(unit: UnitOfWork, input: CloseIncidentInput): Promise<{ incident: Incident }> {
    return unit.transaction(this.dataSource, async ({ manager, afterCommit }) => {
      const incident = await this.lockOpen(manager, input.incidentId);
      incident.status = IncidentStatus.CLOSED;
      incident.closedAt = new Date();
      await manager.save(incident);
      this.publish(afterCommit, incident, await this.regionsOf(manager, incident.id), IncidentChange.CLOSED);
      return { incident };
    });
  }

  /** For other modules' transactions (dispatch): the incident, which must be OPEN. */
  async requireOpen(manager: EntityManager, incidentId: number, field: string): Promise<Incident> {
    const incident = await manager.findOne(Incident, { where: { id: incidentId }, lock: { mode: "pessimistic_read" } });
    if (!incident) userError(field, "NOT_FOUND", "incidents.noSuchIncident");
    if (incident.status !== IncidentStatus.OPEN) userError(field, "INVALID_STATE", "incidents.theIncidentIs", { status: incident.status });
    return incident;
  }
}
