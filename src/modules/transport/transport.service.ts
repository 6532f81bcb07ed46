// Transport resources (运力) and partner logistics enterprises (协议运力): registration, status,
// item weights and volumes, the rate table, each vehicle's last known point (reported by the
// dispatcher or by a key limited to the vehicle), and the dashboard's counts.
import type { DataSource, EntityManager } from "typeorm";
import { Role, type Actor } from "../../core/access/auth";
import { assertInScope } from "../../core/access/scope";
import { groupBy, rowsByCodes, rowsByIds } from "../../core/db/batch";
import { forbidden } from "../../core/graphql/errors";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { message } from "../../core/i18n/i18n";
import type { EventBus } from "../../core/live/pubsub";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { Transaction } from "../../core/db/transaction";
import { hashApiKey, newApiKey } from "../accounts/auth.service";
import { Region } from "../regions/region.entity";
import { subtreeCondition } from "../regions/region.service";
import { ItemTransportMeasure, LogisticsPartner, TransportRate, TransportResource } from "./transport.entity";
import { TransportChange, TransportOwnerKind, TransportStatus, type TransportKind } from "./transport.enums";
import { TRANSPORT_CHANGED, type TransportChangedEvent } from "./transport.events";
import type {
  CreateLogisticsPartnerInput,
  CreateVehicleApiKeyInput,
  RegisterTransportResourceInput,
  ReportVehiclePositionInput,
  SetItemTransportMeasureInput,
  SetTransportRateInput,
  SetTransportResourceStatusInput,
  TransportResourceWhere,
  UpdateLogisticsPartnerInput,
} from "./transport.inputs";
import { LOGISTICS_PARTNER_ORDER, TRANSPORT_RESOURCE_ORDER, type LogisticsPartnerOrderField, type TransportResourceOrderField } from "./transport.orders";
import { SupplyItem } from "../reserves/supply-item.entity";
import { RescueTeam } from "../teams/team.entity";

export const TransportResourceConnection = ConnectionType(TransportResource, "TransportResource", "运力分页。A page of transport resources.");
export const LogisticsPartnerConnection = ConnectionType(LogisticsPartner, "LogisticsPartner", "协议运力企业分页。A page of logistics partners.");

/** Counts for the dashboard: how many resources of a kind are in a status (no plates, no owners). */
export interface TransportCount {
  kind: TransportKind;
  status: TransportStatus;
  count: number;
}

const OWNED_BY_OTHERS: readonly TransportOwnerKind[] = [TransportOwnerKind.PRIVATE, TransportOwnerKind.ENTERPRISE];

/**
 * The database's last word on the two "never twice at once" rules, should a concurrent insert get
 * past the row locks: a unique violation becomes the UserError it stands for.
 */
/** A plate as it is kept unique (UQ_transport_resource_plate): upper case, without white space, middle dots, full stops or hyphens. */
export function normalisePlate(plate: string): string {
  return plate.replace(/[\s·•・‧.\-]/g, "").toUpperCase();
}
/** The same normalisation in SQL, as the unique index is built on it. */
const PLATE_KEY_SQL = `upper(regexp_replace(plate, '[[:space:]·•・‧.-]', '', 'g'))`;

export function translateBusy(error: unknown, field: string, code: string): never {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  if (driverError?.code === "23505" && (driverError.constraint === "UQ_transport_trip_vehicle_active" || driverError.constraint === "UQ_requisition_active_resource")) {
    userError(field, code, "transport.resourceTakenMeanwhile");
  }
  throw error;
}

/** Two registrations of one plate at once: the second meets the unique index. */
function translatePlateTaken(error: unknown): never {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  if (driverError?.code === "23505" && driverError.constraint === "UQ_transport_resource_plate") userError("input.vehiclePlate", "DUPLICATE", "transport.plateTakenMeanwhile");
  throw error;
}

export class TransportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  // ---------------------------------------------------------------- reads (loaders)

  resourcesByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, TransportResource, ids);
  resourcesByCodes = (codes: readonly string[]) => rowsByCodes(this.dataSource, TransportResource, codes);
  partnersByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, LogisticsPartner, ids);
  partnersByCodes = (codes: readonly string[]) => rowsByCodes(this.dataSource, LogisticsPartner, codes);

  /** A partner's vehicles, for many partners in one statement. */
  vehiclesByPartners = async (partnerIds: readonly number[]): Promise<TransportResource[][]> => {
    const rows = await this.dataSource.getRepository(TransportResource).createQueryBuilder("r").where("r.partner_id = ANY(:ids)", { ids: [...partnerIds] }).orderBy("r.code").getMany();
    return groupBy(rows, (row) => row.partnerId!, partnerIds);
  };

  /** Unit weight and volume per item (null where not set), in one statement. */
  measuresByItems = async (itemIds: readonly number[]): Promise<(ItemTransportMeasure | null)[]> => {
    const rows = await this.dataSource.getRepository(ItemTransportMeasure).createQueryBuilder("m").where("m.item_id = ANY(:ids)", { ids: [...itemIds] }).getMany();
    const byItem = new Map(rows.map((row) => [row.itemId, row]));
    return itemIds.map((id) => byItem.get(id) ?? null);
  };

  async listResources(where: TransportResourceWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<TransportResourceOrderField>[] | null) {
    const query = this.dataSource.getRepository(TransportResource).createQueryBuilder("resource");
    if (where?.kind) query.andWhere("resource.kind = :kind", { kind: where.kind });
    if (where?.status) query.andWhere("resource.status = :status", { status: where.status });
    if (where?.ownerKind) query.andWhere("resource.owner_kind = :ownerKind", { ownerKind: where.ownerKind });
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`EXISTS (SELECT 1 FROM region br WHERE br.id = resource.base_region_id AND ${subtreeCondition("br.path", ":regionId")})`, { regionId });
    }
    return paginate(query, TRANSPORT_RESOURCE_ORDER.sorting.resolve(orderBy), page, TransportResourceConnection);
  }

  async listPartners(page: PageArgs, orderBy?: OrderTerm<LogisticsPartnerOrderField>[] | null) {
    const query = this.dataSource.getRepository(LogisticsPartner).createQueryBuilder("partner");
    return paginate(query, LOGISTICS_PARTNER_ORDER.sorting.resolve(orderBy), page, LogisticsPartnerConnection);
  }

  rates(): Promise<TransportRate[]> {
    return this.dataSource.getRepository(TransportRate).createQueryBuilder("rate").orderBy("rate.kind").addOrderBy("rate.basis").getMany();
  }

  /** How many resources of each kind are in each status: what a dashboard shows. */
  async counts(): Promise<TransportCount[]> {
    const rows: Array<{ kind: TransportKind; status: TransportStatus; count: number }> = await this.dataSource.query(
      `SELECT kind, status, count(*)::int AS count FROM transport_resource GROUP BY kind, status ORDER BY kind, status`,
    );
    return rows;
  }

  // ---------------------------------------------------------------- shared with trips and requisitions

  /** Resources locked FOR UPDATE in id order (after any order rows: see README, lock order), with their base's path. */
  async lockResources(manager: EntityManager, ids: readonly number[]): Promise<Map<number, { resource: TransportResource; basePath: string }>> {
    const rows = await manager
      .getRepository(TransportResource)
      .createQueryBuilder("r")
      .innerJoin(Region, "base", "base.id = r.base_region_id")
      .addSelect("base.path", "base_path")
      .where("r.id = ANY(:ids)", { ids: [...new Set(ids)] })
      .orderBy("r.id")
      .setLock("pessimistic_write", undefined, ["r"])
      .getRawAndEntities();
    return new Map(rows.entities.map((resource, i) => [resource.id, { resource, basePath: String(rows.raw[i].base_path) }]));
  }

  /** Sets resources' status in the transaction and tells subscribers after COMMIT. */
  async setStatus(tx: Transaction, resources: ReadonlyArray<{ resource: TransportResource; basePath: string }>, status: TransportStatus): Promise<void> {
    if (!resources.length) return;
    await tx.manager.query(`UPDATE transport_resource SET status = $2, updated_at = now() WHERE id = ANY($1::int[])`, [resources.map((r) => r.resource.id), status]);
    for (const entry of resources) {
      entry.resource.status = status;
      this.publish(tx, TransportChange.RESOURCE, entry.resource.id, entry.basePath);
    }
  }

  publish(tx: Transaction, change: TransportChange, resourceId: number, basePath: string): void {
    const event: TransportChangedEvent = { change, resourceId, tripId: null, resourceIds: [resourceId], regionPaths: [basePath] };
    tx.afterCommit(() => this.events.publish(TRANSPORT_CHANGED, event));
  }

  publishTrip(tx: Transaction, tripId: number, resourceIds: number[], regionPaths: string[]): void {
    const event: TransportChangedEvent = { change: TransportChange.TRIP, resourceId: null, tripId, resourceIds, regionPaths };
    tx.afterCommit(() => this.events.publish(TRANSPORT_CHANGED, event));
  }

  private async region(manager: EntityManager, globalId: string, field: string): Promise<Region> {
    const region = await manager.findOneBy(Region, { id: parseGlobalId(globalId, "Region", field) });
    if (!region) userError(field, "NOT_FOUND", "transport.noSuchRegion");
    return region;
  }

  private async lockOne(manager: EntityManager, globalId: string, field: string) {
    const id = parseGlobalId(globalId, "TransportResource", field);
    const found = (await this.lockResources(manager, [id])).get(id);
    if (!found) userError(field, "NOT_FOUND", "transport.noSuchResource");
    return found;
  }

  // ---------------------------------------------------------------- partners

  private checkAgreement(check: InputErrors, input: { vehiclesCommitted?: number | null; responseMinutes?: number | null }) {
    if (input.vehiclesCommitted != null) check.wholeNumber(input.vehiclesCommitted, "input.vehiclesCommitted", 0, 1000);
    if (input.responseMinutes != null) check.wholeNumber(input.responseMinutes, "input.responseMinutes", 1, 4320);
  }

  async createPartner(unit: UnitOfWork, input: CreateLogisticsPartnerInput): Promise<{ partner: LogisticsPartner }> {
    const check = new InputErrors();
    this.checkAgreement(check, input);
    if (input.agreementEndsOn < input.agreementStartsOn) check.add("input.agreementEndsOn", "OUT_OF_RANGE", "transport.agreementEndsBeforeItStarts");
    check.phone(input.contactPhone, "input.contactPhone");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const region = await this.region(manager, input.regionId, "input.regionId");
      if (await manager.existsBy(LogisticsPartner, { code: input.code })) userError("input.code", "DUPLICATE", "transport.codeTaken", { code: input.code });
      const partner = await manager.save(
        manager.create(LogisticsPartner, {
          code: input.code,
          name: input.name,
          regionId: region.id,
          contactName: input.contactName ?? null,
          contactPhone: input.contactPhone ?? null,
          agreementNumber: input.agreementNumber,
          agreementStartsOn: input.agreementStartsOn,
          agreementEndsOn: input.agreementEndsOn,
          vehiclesCommitted: input.vehiclesCommitted,
          responseMinutes: input.responseMinutes,
        }),
      );
      return { partner };
    });
  }

  async updatePartner(unit: UnitOfWork, input: UpdateLogisticsPartnerInput): Promise<{ partner: LogisticsPartner }> {
    const check = new InputErrors();
    this.checkAgreement(check, input);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const id = parseGlobalId(input.partnerId, "LogisticsPartner", "input.partnerId");
      const partner = await manager.findOne(LogisticsPartner, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!partner) userError("input.partnerId", "NOT_FOUND", "transport.noSuchPartner");
      if (input.vehiclesCommitted != null) partner.vehiclesCommitted = input.vehiclesCommitted;
      if (input.responseMinutes != null) partner.responseMinutes = input.responseMinutes;
      if (input.status != null) partner.status = input.status;
      if (input.agreementEndsOn != null) {
        if (input.agreementEndsOn < partner.agreementStartsOn) userError("input.agreementEndsOn", "OUT_OF_RANGE", "transport.agreementEndsBeforeItStarts");
        partner.agreementEndsOn = input.agreementEndsOn;
      }
      return { partner: await manager.save(partner) };
    });
  }

  // ---------------------------------------------------------------- resources

  async registerResource(unit: UnitOfWork, input: RegisterTransportResourceInput): Promise<{ resource: TransportResource }> {
    const { actor } = unit;
    const check = new InputErrors();
    check.wholeNumber(input.capacityKg, "input.capacityKg", 0, 100_000);
    check.wholeNumber(input.seats, "input.seats", 0, 60);
    if (!(input.capacityM3 >= 0 && input.capacityM3 <= 200)) check.add("input.capacityM3", "OUT_OF_RANGE", "transport.volumeOutOfRange");
    check.phone(input.ownerPhone, "input.ownerPhone");
    const ownedByOthers = OWNED_BY_OTHERS.includes(input.ownerKind);
    if (ownedByOthers && !input.ownerName) check.add("input.ownerName", "REQUIRED", "transport.ownerNameRequired");
    if (!ownedByOthers && (input.ownerName || input.ownerPhone)) check.add("input.ownerName", "NOT_ALLOWED", "transport.ownerOnlyForOthers");
    if ((input.ownerKind === TransportOwnerKind.TEAM) !== Boolean(input.teamId)) check.add("input.teamId", "REQUIRED", "transport.teamIffTeamOwned");
    if ((input.ownerKind === TransportOwnerKind.PARTNER) !== Boolean(input.partnerId)) check.add("input.partnerId", "REQUIRED", "transport.partnerIffPartnerOwned");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const base = await this.region(manager, input.baseRegionId, "input.baseRegionId");
      assertInScope(actor, base.path, message("transport.scope.resourceBase", { code: input.code }));
      let teamId: number | null = null;
      let partnerId: number | null = null;
      if (input.teamId) {
        teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
        if (!(await manager.existsBy(RescueTeam, { id: teamId }))) userError("input.teamId", "NOT_FOUND", "transport.noSuchTeam");
      }
      if (input.partnerId) {
        partnerId = parseGlobalId(input.partnerId, "LogisticsPartner", "input.partnerId");
        if (!(await manager.existsBy(LogisticsPartner, { id: partnerId }))) userError("input.partnerId", "NOT_FOUND", "transport.noSuchPartner");
      }
      if (await manager.existsBy(TransportResource, { code: input.code })) userError("input.code", "DUPLICATE", "transport.codeTaken", { code: input.code });
      if (input.vehiclePlate) {
        // The other resource is named by its code only: its owner's name and phone stay where they are.
        const [holder] = await manager.query(`SELECT code FROM transport_resource WHERE plate IS NOT NULL AND ${PLATE_KEY_SQL} = $1`, [normalisePlate(input.vehiclePlate)]);
        if (holder) userError("input.vehiclePlate", "DUPLICATE", "transport.plateTaken", { code: holder.code });
      }
      const resource = await manager.save(
        manager.create(TransportResource, {
          code: input.code,
          kind: input.kind,
          model: input.model,
          plate: input.vehiclePlate ?? null,
          capacityKg: input.capacityKg,
          capacityM3: input.capacityM3,
          seats: input.seats,
          ownerKind: input.ownerKind,
          teamId,
          partnerId,
          ownerName: input.ownerName ?? null,
          ownerPhone: input.ownerPhone ?? null,
          baseRegionId: base.id,
          status: TransportStatus.AVAILABLE,
          lastLatitude: base.latitude,
          lastLongitude: base.longitude,
          lastReportedAt: null,
        }),
      ).catch((error) => translatePlateTaken(error));
      this.publish(tx, TransportChange.RESOURCE, resource.id, base.path);
      return { resource };
    });
  }

  async setResourceStatus(unit: UnitOfWork, input: SetTransportResourceStatusInput): Promise<{ resource: TransportResource }> {
    const { actor } = unit;
    if (input.status !== TransportStatus.AVAILABLE && input.status !== TransportStatus.IN_MAINTENANCE) userError("input.status", "NOT_ALLOWED", "transport.statusFollowsTrips");
    return unit.transaction(this.dataSource, async (tx) => {
      const found = await this.lockOne(tx.manager, input.resourceId, "input.resourceId");
      assertInScope(actor, found.basePath, message("transport.scope.resourceBase", { code: found.resource.code }));
      const from = found.resource.status;
      if (from !== TransportStatus.AVAILABLE && from !== TransportStatus.IN_MAINTENANCE) {
        userError("input.resourceId", "INVALID_STATE", "transport.resourceBusy", { code: found.resource.code, status: from });
      }
      await this.setStatus(tx, [found], input.status);
      return { resource: found.resource };
    });
  }

  async setItemMeasure(unit: UnitOfWork, input: SetItemTransportMeasureInput): Promise<{ item: SupplyItem }> {
    const check = new InputErrors();
    if (!(input.unitWeightKg > 0 && input.unitWeightKg <= 20_000)) check.add("input.unitWeightKg", "OUT_OF_RANGE", "transport.weightOutOfRange");
    if (!(input.unitVolumeM3 > 0 && input.unitVolumeM3 <= 100)) check.add("input.unitVolumeM3", "OUT_OF_RANGE", "transport.volumeOutOfRange");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const itemId = parseGlobalId(input.itemId, "SupplyItem", "input.itemId");
      const item = await manager.findOneBy(SupplyItem, { id: itemId });
      if (!item) userError("input.itemId", "NOT_FOUND", "transport.noSuchItem");
      await manager.query(
        `INSERT INTO item_transport_measure (item_id, unit_weight_kg, unit_volume_m3) VALUES ($1, $2, $3)
         ON CONFLICT (item_id) DO UPDATE SET unit_weight_kg = EXCLUDED.unit_weight_kg, unit_volume_m3 = EXCLUDED.unit_volume_m3`,
        [itemId, input.unitWeightKg, input.unitVolumeM3],
      );
      return { item };
    });
  }

  async setRate(unit: UnitOfWork, input: SetTransportRateInput): Promise<{ rate: TransportRate }> {
    const check = new InputErrors();
    check.wholeNumber(input.fenPerUnit, "input.fenPerUnit", 0, 100_000_000);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async ({ manager }) => {
      await manager.query(
        `INSERT INTO transport_rate (kind, basis, fen_per_unit) VALUES ($1, $2, $3) ON CONFLICT (kind, basis) DO UPDATE SET fen_per_unit = EXCLUDED.fen_per_unit`,
        [input.kind, input.basis, input.fenPerUnit],
      );
      return { rate: await manager.findOneByOrFail(TransportRate, { kind: input.kind, basis: input.basis }) };
    });
  }

  // ---------------------------------------------------------------- positions and vehicle keys

  /**
   * The vehicle an API key is limited to, or null for an ordinary key. A DASHBOARD key may write
   * only through this: its own vehicle's position.
   */
  async vehicleOfKey(actor: Actor): Promise<number | null> {
    if (actor.kind !== "API_KEY") return null;
    const [row] = await this.dataSource.query(`SELECT vehicle_id FROM vehicle_api_key WHERE api_key_id = $1`, [actor.id]);
    return row ? (row.vehicle_id as number) : null;
  }

  async reportPosition(unit: UnitOfWork, input: ReportVehiclePositionInput): Promise<{ resource: TransportResource }> {
    const { actor } = unit;
    // A DASHBOARD key reports only for the one vehicle it is limited to; an ordinary one not at all.
    const ownVehicle = actor.role === Role.DASHBOARD ? await this.vehicleOfKey(actor) : null;
    if (actor.role === Role.DASHBOARD && ownVehicle === null) throw forbidden("transport.keyNotForAVehicle");
    const id = parseGlobalId(input.vehicleId, "TransportResource", "input.vehicleId");
    if (ownVehicle !== null && ownVehicle !== id) throw forbidden("transport.keyForAnotherVehicle");
    const check = new InputErrors();
    check.point(input.latitude, input.longitude, "input");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const found = (await this.lockResources(tx.manager, [id])).get(id);
      if (!found) userError("input.vehicleId", "NOT_FOUND", "transport.noSuchResource");
      if (ownVehicle === null) assertInScope(actor, found.basePath, message("transport.scope.resourceBase", { code: found.resource.code }));
      const [[row]] = await tx.manager.query(
        `UPDATE transport_resource SET last_latitude = $2, last_longitude = $3, last_reported_at = now() WHERE id = $1 RETURNING last_reported_at`,
        [id, input.latitude, input.longitude],
      );
      Object.assign(found.resource, { lastLatitude: input.latitude, lastLongitude: input.longitude, lastReportedAt: row.last_reported_at });
      this.publish(tx, TransportChange.POSITION, id, found.basePath);
      return { resource: found.resource };
    });
  }

  /** A DASHBOARD-role API key limited to one vehicle: it reads what a dashboard reads and writes only that vehicle's position. */
  async createVehicleKey(unit: UnitOfWork, input: CreateVehicleApiKeyInput): Promise<{ key: string; resource: TransportResource }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const found = await this.lockOne(manager, input.vehicleId, "input.vehicleId");
      const key = newApiKey();
      const [{ id }] = await manager.query(`INSERT INTO api_key (name, role, key_hash, prefix, created_by) VALUES ($1, 'DASHBOARD', $2, $3, $4) RETURNING id`, [
        input.name,
        hashApiKey(key),
        key.slice(0, 10),
        actor.kind === "ACCOUNT" ? actor.id : null,
      ]);
      await manager.query(`INSERT INTO vehicle_api_key (api_key_id, vehicle_id) VALUES ($1, $2)`, [id, found.resource.id]);
      return { key, resource: found.resource };
    });
  }
}
