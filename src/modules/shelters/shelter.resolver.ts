import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { byIdOrCode, codeArgumentDescription, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { freshLoadersForEvent } from "../../loaders";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { StockBatch } from "../reserves/stock-batch.entity";
import { StockMovement } from "../reserves/stock-movement.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { SheetFormat } from "../spreadsheets/sheet-file";
import { ExportedFile } from "../spreadsheets/spreadsheets.types";
import { Distribution, DistributionLine, OccupancyReport, RationLine, ReliefPolicy, Shelter, ShelterOpening } from "./shelter.entity";
import { SHELTER_CHANGED, shelterEventMatches, type ShelterChangedPayload } from "./shelter.events";
import {
  CloseShelterInput,
  CreateShelterInput,
  DistributionWhere,
  OpenShelterInput,
  RecordDistributionInput,
  ReportShelterOccupancyInput,
  RequestShelterSuppliesInput,
  ReverseDistributionInput,
  SetRationLineInput,
  SetReliefPolicyInput,
  ShelterChangedWhere,
  ShelterWhere,
  UpdateShelterInput,
} from "./shelter.inputs";
import { DISTRIBUTION_ORDER, OCCUPANCY_REPORT_ORDER, SHELTER_ORDER, type DistributionOrderField, type OccupancyReportOrderField, type ShelterOrderField } from "./shelter.orders";
import {
  DistributionConnection,
  DistributionItemTotal,
  DistributionPayload,
  DistributionSummary,
  DistributionTownshipTotals,
  OccupancyReportConnection,
  OccupancyTotals,
  RationLinePayload,
  ReliefPolicyPayload,
  ShelterConnection,
  ShelterEvent,
  ShelterNeedLine,
  ShelterNeeds,
  ShelterOccupancy,
  ShelterPayload,
  ShelterRequestPayload,
} from "./shelter.types";

const region = (ctx: AppContext, id: number) => ctx.loaders.regions.regionById.load(id) as Promise<Region>;
const optionalId = (id: string | null | undefined, type: string, field: string) => (id ? parseGlobalId(id, type, field) : null);

@Resolver(() => Shelter)
export class ShelterResolver {
  @Authorized()
  @Query(() => ShelterConnection, { description: "避难场所。Shelters, by code; personal data masked for roles that may not see it." })
  shelters(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [SHELTER_ORDER.Input], { nullable: true, description: SHELTER_ORDER.argument }) orderBy?: OrderTerm<ShelterOrderField>[] | null,
    @Arg("where", () => ShelterWhere, { nullable: true, description: "筛选条件。Conditions the shelters must meet." }) where?: ShelterWhere,
  ): Promise<Connection<Shelter>> {
    return ctx.services.shelters.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => Shelter, { nullable: true, description: "避难场所。One shelter by global id or code; null if there is none." })
  shelter(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "避难场所 ID。Global id of the shelter." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("shelter", "KZ-S01-SH01") }) code?: string | null,
  ): Promise<Shelter | null> {
    return byIdOrCode<Shelter>("Shelter", id, code, { byId: ctx.loaders.shelters.shelterById, byCode: ctx.loaders.shelters.shelterByCode });
  }

  @Authorized()
  @Query(() => ShelterOccupancy, { description: "安置情况 People in shelters per township and for the district (counts only): all shelters, or those open for one incident." })
  shelterOccupancy(
    @Ctx() ctx: AppContext,
    @Arg("incidentId", () => ID, { nullable: true, description: "突发事件。Only shelters open for this incident." }) incidentId?: string | null,
    @Arg("regionId", () => ID, { nullable: true, description: "区域。Only shelters in this region." }) regionId?: string | null,
  ): Promise<ShelterOccupancy> {
    return ctx.services.shelters.occupancy(optionalId(incidentId, "Incident", "incidentId"), optionalId(regionId, "Region", "regionId"));
  }

  @Authorized()
  @Query(() => ShelterNeeds, { description: "避难场所需求 What a shelter needs for N days by the ration table, minus what it holds and has on the way." })
  shelterNeeds(
    @Ctx() ctx: AppContext,
    @Arg("shelterId", () => ID, { description: "避难场所。The shelter." }) shelterId: string,
    @Arg("days", () => Int, { description: "天数。Days to provide for (1–30)." }) days: number,
    @Arg("people", () => Int, { nullable: true, description: "人数 Plan for this many people (all counted as EVERYONE) instead of the last occupancy report." }) people?: number | null,
  ): Promise<ShelterNeeds> {
    return ctx.services.shelters.needs(parseGlobalId(shelterId, "Shelter", "shelterId"), days, people ?? null);
  }

  @Authorized()
  @Query(() => [RationLine], { description: "口粮标准表 The district's ration table, by code." })
  rationTable(@Ctx() ctx: AppContext): Promise<RationLine[]> {
    return ctx.services.shelters.rationTable();
  }

  @Authorized()
  @Query(() => ReliefPolicy, { description: "救助规则 The district's relief settings (the repeat-household period)." })
  async reliefPolicy(@Ctx() ctx: AppContext): Promise<ReliefPolicy> {
    return ctx.services.shelters.reliefPolicy(await ctx.services.shelters.districtId());
  }

  @Authorized()
  @Query(() => OccupancyReportConnection, { description: "人数报告 A shelter's occupancy history, newest first." })
  occupancyReports(
    @Ctx() ctx: AppContext,
    @Arg("shelterId", () => ID, { description: "避难场所。The shelter." }) shelterId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [OCCUPANCY_REPORT_ORDER.Input], { nullable: true, description: OCCUPANCY_REPORT_ORDER.argument }) orderBy?: OrderTerm<OccupancyReportOrderField>[] | null,
  ): Promise<Connection<OccupancyReport>> {
    return ctx.services.shelters.reports(parseGlobalId(shelterId, "Shelter", "shelterId"), page, orderBy);
  }

  @Authorized()
  @Query(() => ExportedFile, { description: "避难场所名录导出 The shelter list as a sheet (.xlsx in the house print layout, or .csv); personal data masked as in the API for the caller's role." })
  exportShelters(
    @Ctx() ctx: AppContext,
    @Arg("regionId", () => ID, { nullable: true, description: "区域。Only shelters in this region." }) regionId?: string | null,
    @Arg("incidentId", () => ID, { nullable: true, description: "突发事件。Only shelters open for this incident." }) incidentId?: string | null,
    @Arg("format", () => SheetFormat, { defaultValue: SheetFormat.XLSX, description: "文件格式。XLSX (default) or CSV." }) format: SheetFormat = SheetFormat.XLSX,
  ): Promise<ExportedFile> {
    return ctx.services.shelterExports.shelters(ctx.actor!, { regionId: optionalId(regionId, "Region", "regionId") ?? undefined, incidentId: optionalId(incidentId, "Incident", "incidentId") ?? undefined }, format);
  }

  // ---------------------------------------------------------------- mutations

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ShelterPayload, { description: "登记避难场所 Register a shelter with its own store (ADMIN, or LOGISTICS within its township)." })
  createShelter(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateShelterInput, { description: "避难场所。The shelter." }) input: CreateShelterInput): Promise<ShelterPayload> {
    return mutationPayload(() => ctx.services.shelters.create(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ShelterPayload, { description: "修改避难场所 Change a shelter's details, or put it out of service / back on standby (ADMIN, or LOGISTICS within its township)." })
  updateShelter(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateShelterInput, { description: "修改内容。The changes." }) input: UpdateShelterInput): Promise<ShelterPayload> {
    return mutationPayload(() => ctx.services.shelters.update(unit, input));
  }

  @Authorized(Role.COMMANDER, Role.LOGISTICS)
  @Mutation(() => ShelterPayload, { description: "启用避难场所 Open a shelter for an incident (COMMANDER, ADMIN, or LOGISTICS within its township)." })
  openShelter(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => OpenShelterInput, { description: "启用。The opening." }) input: OpenShelterInput): Promise<ShelterPayload> {
    return mutationPayload(() => ctx.services.shelters.open(unit, input));
  }

  @Authorized(Role.COMMANDER, Role.LOGISTICS)
  @Mutation(() => ShelterPayload, { description: "关闭避难场所 End a shelter's opening; back on STANDBY (COMMANDER, ADMIN, or LOGISTICS within its township)." })
  closeShelter(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CloseShelterInput, { description: "关闭。The shelter." }) input: CloseShelterInput): Promise<ShelterPayload> {
    return mutationPayload(() => ctx.services.shelters.close(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ShelterPayload, { description: "人数报告 Report who is in an open shelter; FULL from capacity up; over capacity accepted and flagged (ADMIN, or LOGISTICS within its township)." })
  reportShelterOccupancy(
    @Ctx() ctx: AppContext,
    @Unit() unit: UnitOfWork,
    @Arg("input", () => ReportShelterOccupancyInput, { description: "人数报告。The report." }) input: ReportShelterOccupancyInput,
  ): Promise<ShelterPayload> {
    return mutationPayload(() => ctx.services.shelters.report(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => RationLinePayload, { description: "设置口粮标准 Set a line of the district's ration table (ADMIN, or LOGISTICS district-wide)." })
  setRationLine(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetRationLineInput, { description: "口粮标准。The line." }) input: SetRationLineInput): Promise<RationLinePayload> {
    return mutationPayload(() => ctx.services.shelters.setRationLine(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ReliefPolicyPayload, { description: "设置救助规则 Set the district's repeat-household period (ADMIN, or LOGISTICS district-wide)." })
  setReliefPolicy(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetReliefPolicyInput, { description: "救助规则。The settings." }) input: SetReliefPolicyInput): Promise<ReliefPolicyPayload> {
    return mutationPayload(() => ctx.services.shelters.setReliefPolicy(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ShelterRequestPayload, { description: "按需申报 A shelter's shortfall for N days as a supply request to its store, in one step (ADMIN, or LOGISTICS within its township)." })
  requestShelterSupplies(
    @Ctx() ctx: AppContext,
    @Unit() unit: UnitOfWork,
    @Arg("input", () => RequestShelterSuppliesInput, { description: "按需申报。The shelter and days." }) input: RequestShelterSuppliesInput,
  ): Promise<ShelterRequestPayload> {
    return mutationPayload(() => ctx.services.shelters.requestSupplies(unit, input));
  }

  // ---------------------------------------------------------------- fields

  @FieldResolver(() => Region, { description: "所属乡镇（街道）。The township-level unit it lies in." })
  township(@Root() shelter: Shelter, @Ctx() ctx: AppContext): Promise<Region> {
    return region(ctx, shelter.townshipId);
  }

  @FieldResolver(() => Region, { description: "所在村（社区）。The village or community it lies in." })
  region(@Root() shelter: Shelter, @Ctx() ctx: AppContext): Promise<Region> {
    return region(ctx, shelter.regionId);
  }

  @FieldResolver(() => StorageSite, { description: "场所库房 Its own store (tier SHELTER): its stock, its ledger; deliveries to it land here." })
  async site(@Root() shelter: Shelter, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return (await ctx.loaders.reserves.siteById.load(shelter.siteId))!;
  }

  @FieldResolver(() => Incident, { nullable: true, description: "当前事件。The incident it is open for (OPEN, FULL)." })
  incident(@Root() shelter: Shelter, @Ctx() ctx: AppContext): Promise<Incident | null> | null {
    return shelter.incidentId === null ? null : ctx.loaders.incidents.incidentById.load(shelter.incidentId);
  }

  @FieldResolver(() => OccupancyReport, { nullable: true, description: "最近人数报告 The last occupancy report of the current opening." })
  latestReport(@Root() shelter: Shelter, @Ctx() ctx: AppContext): Promise<OccupancyReport | null> | null {
    return shelter.incidentId === null ? null : ctx.loaders.shelters.latestReportByShelter.load(shelter.id);
  }

  @FieldResolver(() => [ShelterOpening], { description: "启用记录 Its openings, newest first." })
  openings(@Root() shelter: Shelter, @Ctx() ctx: AppContext): Promise<ShelterOpening[]> {
    return ctx.loaders.shelters.openingsByShelter.load(shelter.id);
  }

  // ---------------------------------------------------------------- subscription

  @Authorized()
  @Subscription(() => ShelterEvent, {
    topics: SHELTER_CHANGED,
    description: "避难场所变化订阅 Shelters registered, changed, opened, closed, or a new occupancy report, after commit; filter by shelter, region or incident. Personal data masked as in queries.",
    filter: ({ payload, args }: { payload: ShelterChangedPayload; args: { where?: ShelterChangedWhere | null } }) => shelterEventMatches(payload, args.where),
  })
  async shelterChanged(
    @Root() payload: ShelterChangedPayload,
    @Ctx() ctx: AppContext,
    @Arg("where", () => ShelterChangedWhere, { nullable: true, description: "场所范围。Which shelters to hear about." }) _where?: ShelterChangedWhere,
  ): Promise<ShelterEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return { change: payload.change, shelter: (await loaders.shelters.shelterById.load(payload.shelterId))! };
  }
}

@Resolver(() => ShelterOpening)
export class ShelterOpeningResolver {
  @FieldResolver(() => Incident, { description: "突发事件。The incident it was opened for." })
  async incident(@Root() opening: ShelterOpening, @Ctx() ctx: AppContext): Promise<Incident> {
    return (await ctx.loaders.incidents.incidentById.load(opening.incidentId))!;
  }
}

@Resolver(() => OccupancyReport)
export class OccupancyReportResolver {
  @FieldResolver(() => Shelter, { description: "避难场所。The shelter reported on." })
  async shelter(@Root() report: OccupancyReport, @Ctx() ctx: AppContext): Promise<Shelter> {
    return (await ctx.loaders.shelters.shelterById.load(report.shelterId))!;
  }
}

@Resolver(() => RationLine)
export class RationLineResolver {
  @FieldResolver(() => SupplyItem, { description: "物资。The supply item." })
  async item(@Root() line: RationLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }
}

@Resolver(() => ShelterNeeds)
export class ShelterNeedsResolver {
  @FieldResolver(() => Shelter, { description: "避难场所。The shelter." })
  async shelter(@Root() needs: ShelterNeeds, @Ctx() ctx: AppContext): Promise<Shelter> {
    return (await ctx.loaders.shelters.shelterById.load(needs.shelterId))!;
  }

  @FieldResolver(() => OccupancyReport, { nullable: true, description: "依据报告 The occupancy report counted; null when planning for `people`." })
  basedOn(@Root() needs: ShelterNeeds, @Ctx() ctx: AppContext): Promise<OccupancyReport | null> | null {
    return needs.reportId === null ? null : ctx.loaders.shelters.reportById.load(needs.reportId);
  }
}

@Resolver(() => ShelterNeedLine)
export class ShelterNeedLineResolver {
  @FieldResolver(() => SupplyItem, { description: "物资。The supply item." })
  async item(@Root() line: ShelterNeedLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }
}

@Resolver(() => OccupancyTotals)
export class OccupancyTotalsResolver {
  @FieldResolver(() => Region, { description: "区域。The township, or the district for the total." })
  region(@Root() totals: OccupancyTotals, @Ctx() ctx: AppContext): Promise<Region> {
    return region(ctx, totals.regionId);
  }
}

@Resolver(() => Incident)
export class IncidentShelterResolver {
  @FieldResolver(() => ShelterOccupancy, { description: "转移安置 Evacuated people in shelters open for this incident, per township and in total (counts only)." })
  evacuation(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<ShelterOccupancy> {
    return ctx.services.shelters.occupancy(incident.id, null);
  }
}

@Resolver(() => StorageSite)
export class ShelterStoreResolver {
  @FieldResolver(() => Shelter, { nullable: true, description: "所属避难场所 The shelter whose store this is (tier SHELTER); null for other sites." })
  shelter(@Root() site: StorageSite, @Ctx() ctx: AppContext): Promise<Shelter | null> | null {
    return site.tier === "SHELTER" ? ctx.loaders.shelters.shelterBySite.load(site.id) : null;
  }
}

// ================================================================= the distribution register

@Resolver(() => Distribution)
export class DistributionResolver {
  @Authorized()
  @Query(() => DistributionConnection, { description: "发放登记 The distribution register, newest first; names, ID numbers and phones masked for roles that may not see them." })
  distributions(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [DISTRIBUTION_ORDER.Input], { nullable: true, description: DISTRIBUTION_ORDER.argument }) orderBy?: OrderTerm<DistributionOrderField>[] | null,
    @Arg("where", () => DistributionWhere, { nullable: true, description: "筛选条件。Conditions the entries must meet." }) where?: DistributionWhere,
  ): Promise<Connection<Distribution>> {
    return ctx.services.distributions.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => DistributionSummary, { description: "发放汇总 What was distributed per township (of an incident, a region, or everything): households, people, and units per store and item." })
  distributionSummary(
    @Ctx() ctx: AppContext,
    @Arg("incidentId", () => ID, { nullable: true, description: "突发事件。Only distributions for this incident." }) incidentId?: string | null,
    @Arg("regionId", () => ID, { nullable: true, description: "区域。Only distributions in this region." }) regionId?: string | null,
  ): Promise<DistributionSummary> {
    return ctx.services.distributions.summary(optionalId(incidentId, "Incident", "incidentId"), optionalId(regionId, "Region", "regionId"));
  }

  @Authorized()
  @Query(() => ExportedFile, { description: "发放登记表导出 The distribution register as a sheet, one row per line (.xlsx with the lines staff sign, or .csv); personal data masked as in the API for the caller's role." })
  exportDistributions(
    @Ctx() ctx: AppContext,
    @Arg("regionId", () => ID, { nullable: true, description: "区域。Only distributions in this region." }) regionId?: string | null,
    @Arg("incidentId", () => ID, { nullable: true, description: "突发事件。Only distributions for this incident." }) incidentId?: string | null,
    @Arg("shelterId", () => ID, { nullable: true, description: "避难场所。Only distributions at this shelter." }) shelterId?: string | null,
    @Arg("format", () => SheetFormat, { defaultValue: SheetFormat.XLSX, description: "文件格式。XLSX (default) or CSV." }) format: SheetFormat = SheetFormat.XLSX,
  ): Promise<ExportedFile> {
    return ctx.services.shelterExports.register(
      ctx.actor!,
      {
        regionId: optionalId(regionId, "Region", "regionId") ?? undefined,
        incidentId: optionalId(incidentId, "Incident", "incidentId") ?? undefined,
        shelterId: optionalId(shelterId, "Shelter", "shelterId") ?? undefined,
      },
      format,
    );
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => DistributionPayload, {
    description:
      "发放登记 Record a distribution out of a shelter's or village store's stock (DISTRIBUTION ledger entries, never below zero). The same household receiving the same item again within the repeat period is refused with REPEAT_HOUSEHOLD until confirmRepeat: true (ADMIN, or LOGISTICS within the place's township).",
  })
  recordDistribution(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RecordDistributionInput, { description: "发放登记。The entry." }) input: RecordDistributionInput): Promise<DistributionPayload> {
    return mutationPayload(() => ctx.services.distributions.record(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => DistributionPayload, { description: "冲销发放 Reverse a distribution by a new entry; its units go back into their batches (ADMIN, or LOGISTICS within the place's township)." })
  reverseDistribution(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReverseDistributionInput, { description: "冲销。The entry and why." }) input: ReverseDistributionInput): Promise<DistributionPayload> {
    return mutationPayload(() => ctx.services.distributions.reverse(unit, input));
  }

  @FieldResolver(() => Region, { description: "乡镇（街道）。The township it was handed out in." })
  township(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<Region> {
    return region(ctx, entry.townshipId);
  }

  @FieldResolver(() => StorageSite, { description: "出库地点 The store it came out of." })
  async site(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return (await ctx.loaders.reserves.siteById.load(entry.siteId))!;
  }

  @FieldResolver(() => Shelter, { nullable: true, description: "避难场所。The shelter it was handed out at; null in a village." })
  shelter(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<Shelter | null> | null {
    return entry.shelterId === null ? null : ctx.loaders.shelters.shelterById.load(entry.shelterId);
  }

  @FieldResolver(() => Incident, { nullable: true, description: "突发事件。The incident it was for." })
  incident(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<Incident | null> | null {
    return entry.incidentId === null ? null : ctx.loaders.incidents.incidentById.load(entry.incidentId);
  }

  @FieldResolver(() => [DistributionLine], { description: "发放明细。Its lines." })
  lines(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<DistributionLine[]> {
    return ctx.loaders.shelters.linesByDistribution.load(entry.id);
  }

  @FieldResolver(() => Distribution, { nullable: true, description: "被冲销登记 The entry this one reverses." })
  reverses(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<Distribution | null> | null {
    return entry.reversesId === null ? null : ctx.loaders.shelters.distributionById.load(entry.reversesId);
  }

  @FieldResolver(() => Distribution, { nullable: true, description: "冲销登记 The entry that reversed this one; null while it stands." })
  reversedBy(@Root() entry: Distribution, @Ctx() ctx: AppContext): Promise<Distribution | null> {
    return ctx.loaders.shelters.reversalOf.load(entry.id);
  }
}

@Resolver(() => DistributionLine)
export class DistributionLineResolver {
  @FieldResolver(() => SupplyItem, { description: "物资。The supply item." })
  async item(@Root() line: DistributionLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }

  @FieldResolver(() => StockBatch, { description: "批次。The batch it came out of (or went back into)." })
  async batch(@Root() line: DistributionLine, @Ctx() ctx: AppContext): Promise<StockBatch> {
    return (await ctx.loaders.reserves.batchById.load(line.batchId))!;
  }

  @FieldResolver(() => StockMovement, { description: "台账 Its ledger entry (DISTRIBUTION or DISTRIBUTION_REVERSAL)." })
  async movement(@Root() line: DistributionLine, @Ctx() ctx: AppContext): Promise<StockMovement> {
    return (await ctx.loaders.reserves.movementById.load(line.movementId))!;
  }
}

@Resolver(() => DistributionTownshipTotals)
export class DistributionTownshipTotalsResolver {
  @FieldResolver(() => Region, { description: "乡镇（街道）。The township." })
  township(@Root() totals: DistributionTownshipTotals, @Ctx() ctx: AppContext): Promise<Region> {
    return region(ctx, totals.townshipId);
  }
}

@Resolver(() => DistributionItemTotal)
export class DistributionItemTotalResolver {
  @FieldResolver(() => Region, { description: "乡镇（街道）。The township." })
  township(@Root() total: DistributionItemTotal, @Ctx() ctx: AppContext): Promise<Region> {
    return region(ctx, total.townshipId);
  }

  @FieldResolver(() => StorageSite, { description: "出库地点 The store." })
  async site(@Root() total: DistributionItemTotal, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return (await ctx.loaders.reserves.siteById.load(total.siteId))!;
  }

  @FieldResolver(() => SupplyItem, { description: "物资。The item." })
  async item(@Root() total: DistributionItemTotal, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(total.itemId))!;
  }
}
