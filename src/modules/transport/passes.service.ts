// Green-channel passes (绿色通道通行证): recorded by a commander for a vehicle, valid in a window,
// good in some regions (or the whole district); checked at dispatch (trips.service.ts) and shown
// as alerts when about to expire.
import type { DataSource, EntityManager } from "typeorm";
import { recordedBy } from "../../core/access/auth";
import { groupBy } from "../../core/db/batch";
import { rowsByIds } from "../../core/db/batch";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { Region } from "../regions/region.entity";
import { GreenChannelPass, PassRegion } from "./pass.entity";
import type { GreenChannelPassWhere, IssueGreenChannelPassInput, RevokeGreenChannelPassInput } from "./transport.inputs";
import { PASS_ORDER, type GreenChannelPassOrderField } from "./transport.orders";
import type { TransportService } from "./transport.service";

export const GreenChannelPassConnection = ConnectionType(GreenChannelPass, "GreenChannelPass", "通行证分页。A page of green-channel passes.");

const MAX_VALID_DAYS = 90;
const MAX_REGIONS = 50;
/** How far ahead passAlerts looks by default. */
export const PASS_ALERT_HOURS = 24;

export class PassService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: TransportService,
  ) {}

  byIds = (ids: readonly number[]) => rowsByIds(this.dataSource, GreenChannelPass, ids);

  regionIdsByPasses = async (passIds: readonly number[]): Promise<number[][]> => {
    const rows: Array<{ pass_id: number; region_id: number }> = await this.dataSource.query(`SELECT pass_id, region_id FROM green_channel_pass_region WHERE pass_id = ANY($1::int[]) ORDER BY region_id`, [[...passIds]]);
    return groupBy(rows, (row) => row.pass_id, passIds).map((list) => list.map((row) => row.region_id));
  };

  async list(where: GreenChannelPassWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<GreenChannelPassOrderField>[] | null) {
    const query = this.dataSource.getRepository(GreenChannelPass).createQueryBuilder("pass");
    if (where?.vehicleId) query.andWhere("pass.vehicle_id = :vehicleId", { vehicleId: parseGlobalId(where.vehicleId, "TransportResource", "where.vehicleId") });
    if (where?.validAt) query.andWhere("pass.revoked_at IS NULL AND pass.valid_from <= :at AND pass.valid_until > :at", { at: where.validAt });
    return paginate(query, PASS_ORDER.sorting.resolve(orderBy), page, GreenChannelPassConnection);
  }

  /** Passes in force now that expire within `hours`: soonest first. */
  alerts(hours: number): Promise<GreenChannelPass[]> {
    return this.dataSource
      .getRepository(GreenChannelPass)
      .createQueryBuilder("pass")
      .where("pass.revoked_at IS NULL AND pass.valid_from <= now() AND pass.valid_until > now() AND pass.valid_until <= now() + make_interval(hours => :hours)", { hours })
      .orderBy("pass.valid_until")
      .addOrderBy("pass.id")
      .limit(100)
      .getMany();
  }

  /** Of these vehicles, those with a pass valid at `at` and good for the region at `regionPath` (one of its regions contains it, or it names none). */
  async vehiclesWithValidPass(manager: EntityManager, vehicleIds: readonly number[], regionPath: string, at: Date): Promise<Set<number>> {
    if (!vehicleIds.length) return new Set();
    const rows: Array<{ vehicle_id: number }> = await manager.query(
      `SELECT DISTINCT p.vehicle_id FROM green_channel_pass p
       WHERE p.vehicle_id = ANY($1::int[]) AND p.revoked_at IS NULL AND p.valid_from <= $3 AND p.valid_until > $3
         AND (NOT EXISTS (SELECT 1 FROM green_channel_pass_region pr WHERE pr.pass_id = p.id)
              OR EXISTS (SELECT 1 FROM green_channel_pass_region pr JOIN region r ON r.id = pr.region_id WHERE pr.pass_id = p.id AND $2 LIKE r.path || '%'))`,
      [[...vehicleIds], regionPath, at],
    );
    return new Set(rows.map((row) => row.vehicle_id));
  }

  async issue(unit: UnitOfWork, input: IssueGreenChannelPassInput): Promise<{ pass: GreenChannelPass }> {
    const { actor } = unit;
    const check = new InputErrors();
    const regionIds = (input.regionIds ?? []).map((id, i) => parseGlobalId(id, "Region", `input.regionIds[${i}]`));
    if (regionIds.length > MAX_REGIONS) check.add("input.regionIds", "TOO_MANY", "transport.tooManyPassRegions", { max: MAX_REGIONS });
    if (input.validUntil.getTime() <= input.validFrom.getTime()) check.add("input.validUntil", "OUT_OF_RANGE", "transport.passEndsBeforeItStarts");
    else if (input.validUntil.getTime() - input.validFrom.getTime() > MAX_VALID_DAYS * 86_400_000) check.add("input.validUntil", "OUT_OF_RANGE", "transport.passTooLong", { days: MAX_VALID_DAYS });
    check.throwIfAny();
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const vehicleId = parseGlobalId(input.vehicleId, "TransportResource", "input.vehicleId");
      const vehicle = (await this.transport.resourcesByIds([vehicleId]))[0];
      if (!vehicle) userError("input.vehicleId", "NOT_FOUND", "transport.noSuchResource");
      const unique = [...new Set(regionIds)];
      const found = unique.length ? await manager.getRepository(Region).createQueryBuilder("r").where("r.id = ANY(:ids)", { ids: unique }).getCount() : 0;
      if (found !== unique.length) userError("input.regionIds", "NOT_FOUND", "transport.noSuchRegion");
      if (await manager.existsBy(GreenChannelPass, { number: input.passNumber })) userError("input.passNumber", "DUPLICATE", "transport.passNumberTaken", { number: input.passNumber });
      const pass = await manager.save(
        manager.create(GreenChannelPass, {
          number: input.passNumber,
          vehicleId,
          route: input.route ?? null,
          validFrom: input.validFrom,
          validUntil: input.validUntil,
          issuer: input.issuer,
          issuedBy: recordedBy(actor).name,
          revokedAt: null,
        }),
      );
      if (unique.length) await manager.insert(PassRegion, unique.map((regionId) => ({ passId: pass.id, regionId })));
      return { pass };
    });
  }

  async revoke(unit: UnitOfWork, input: RevokeGreenChannelPassInput): Promise<{ pass: GreenChannelPass }> {
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const id = parseGlobalId(input.passId, "GreenChannelPass", "input.passId");
      const pass = await manager.findOne(GreenChannelPass, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!pass) userError("input.passId", "NOT_FOUND", "transport.noSuchPass");
      if (pass.revokedAt) userError("input.passId", "INVALID_STATE", "transport.passAlreadyRevoked");
      pass.revokedAt = new Date();
      return { pass: await manager.save(pass) };
    });
  }
}
