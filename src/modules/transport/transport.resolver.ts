// GraphQL of transport (运输保障): thin resolvers over the module's services.
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload, UserError } from "../../core/graphql/errors";
import { byIdOrCode, codeArgumentDescription, fromGlobalId, PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { freshLoadersForEvent } from "../../loaders";
import { DispatchOrder } from "../dispatch/dispatch-order.entity";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { ExportedFile } from "../spreadsheets/spreadsheets.types";
import { SheetFormat } from "../spreadsheets/sheet-file";
import { RescueTeam } from "../teams/team.entity";
import { GreenChannelPass } from "./pass.entity";
import { GreenChannelPassConnection, PASS_ALERT_HOURS } from "./passes.service";
import { Requisition, Settlement } from "./requisition.entity";
import { RequisitionConnection } from "./requisitions.service";
import { LogisticsPartner, TransportRate, TransportResource } from "./transport.entity";
import { TransportChange, TransportKind, TransportStatus } from "./transport.enums";
import { TRANSPORT_CHANGED, type TransportChangedEvent } from "./transport.events";
import {
  AssignTripInput,
  CreateLogisticsPartnerInput,
  CreateVehicleApiKeyInput,
  GreenChannelPassWhere,
  IssueGreenChannelPassInput,
  RecordSettlementPaymentInput,
  RegisterTransportResourceInput,
  ReportVehiclePositionInput,
  RequisitionResourceInput,
  RequisitionWhere,
  ReturnRequisitionedResourceInput,
  RevokeGreenChannelPassInput,
  ApproveSettlementInput,
  ConfirmSettlementByOwnerInput,
  SetItemTransportMeasureInput,
  SetTransportRateInput,
  SetTransportResourceStatusInput,
  TransportChangedWhere,
  TransportResourceWhere,
  TripWhere,
  UpdateLogisticsPartnerInput,
  UpdateTripStatusInput,
} from "./transport.inputs";
import {
  LOGISTICS_PARTNER_ORDER,
  PASS_ORDER,
  REQUISITION_ORDER,
  TRANSPORT_RESOURCE_ORDER,
  TRIP_ORDER,
  type GreenChannelPassOrderField,
  type LogisticsPartnerOrderField,
  type RequisitionOrderField,
  type TransportResourceOrderField,
  type TripOrderField,
} from "./transport.orders";
import { LogisticsPartnerConnection, TransportResourceConnection } from "./transport.service";
import { TransportTrip, TripVehicle } from "./trip.entity";
import { OrderTransitState, TransportTripConnection, TripService } from "./trips.service";

registerEnumType(OrderTransitState, {
  name: "OrderTransitState",
  description: "调拨单运输状态 An order's transport as its trips tell it.",
  valuesConfig: {
    LOADING: { description: "装车 A trip is loading it." },
    EN_ROUTE: { description: "在途 A trip is carrying it (see expectedArrivalAt)." },
    ARRIVED: { description: "已到达 The trip arrived; receipt (confirmDelivery) follows." },
  },
});

const ERRORS = { description: "输入问题。What was wrong; nothing was saved when not empty." };

@ObjectType({ description: "协议运力企业操作结果。Result of logistics partner mutations." })
class LogisticsPartnerPayload {
  @Field(() => LogisticsPartner, { nullable: true, description: "协议运力企业。The partner as saved." })
  partner?: LogisticsPartner;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "运力操作结果。Result of transport resource mutations." })
class TransportResourcePayload {
  @Field(() => TransportResource, { nullable: true, description: "运力。The resource as saved." })
  resource?: TransportResource;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "车载密钥结果。Result of createVehicleApiKey." })
class VehicleApiKeyPayload {
  @Field(() => String, { nullable: true, description: "密钥 The key, shown only now: send it as Authorization: Bearer <key> from the vehicle's phone." })
  key?: string;

  @Field(() => TransportResource, { nullable: true, description: "运力。The vehicle it is limited to." })
  resource?: TransportResource;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "物资装载参数结果。Result of setItemTransportMeasure." })
class ItemTransportMeasurePayload {
  @Field(() => SupplyItem, { nullable: true, description: "物资。The item with its new weight and volume." })
  item?: SupplyItem;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "补偿标准结果。Result of setTransportRate." })
class TransportRatePayload {
  @Field(() => TransportRate, { nullable: true, description: "补偿标准。The rate as saved." })
  rate?: TransportRate;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "车次操作结果。Result of trip mutations." })
class TripPayload {
  @Field(() => TransportTrip, { nullable: true, description: "车次。The trip as saved." })
  trip?: TransportTrip;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "通行证操作结果。Result of pass mutations." })
class GreenChannelPassPayload {
  @Field(() => GreenChannelPass, { nullable: true, description: "通行证。The pass as saved." })
  pass?: GreenChannelPass;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "征用操作结果。Result of requisition mutations." })
class RequisitionPayload {
  @Field(() => Requisition, { nullable: true, description: "征用单。The requisition as saved." })
  requisition?: Requisition;

  @Field(() => Settlement, { nullable: true, description: "结算。The settlement calculated at return." })
  settlement?: Settlement;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "结算操作结果。Result of settlement mutations." })
class SettlementPayload {
  @Field(() => Settlement, { nullable: true, description: "结算。The settlement as saved." })
  settlement?: Settlement;

  @Field(() => [UserError], ERRORS)
  errors: UserError[];
}

@ObjectType({ description: "运力统计 How many resources of a kind are in a status (for dashboards: no plates, no owners)." })
class TransportCount {
  @Field(() => TransportKind, { description: "运力类别。Kind." })
  kind: TransportKind;

  @Field(() => TransportStatus, { description: "运力状态。Status." })
  status: TransportStatus;

  @Field(() => Int, { description: "数量。How many." })
  count: number;
}

@ObjectType({ description: "运力变化事件。A resource's status or position changed, or a trip was assigned or moved on." })
class TransportEvent {
  @Field(() => TransportChange, { description: "变化类型。What changed." })
  change: TransportChange;

  @Field(() => TransportResource, { nullable: true, description: "运力。The resource (RESOURCE, POSITION), as committed when delivered." })
  resource: TransportResource | null;

  @Field(() => TransportTrip, { nullable: true, description: "车次。The trip (TRIP), as committed when delivered." })
  trip: TransportTrip | null;
}

// ---------------------------------------------------------------- resources

@Resolver(() => TransportResource)
export class TransportResourceResolver {
  @Authorized()
  @Query(() => TransportResourceConnection, { description: "运力。Transport resources, by code." })
  transportResources(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [TRANSPORT_RESOURCE_ORDER.Input], { nullable: true, description: TRANSPORT_RESOURCE_ORDER.argument }) orderBy?: OrderTerm<TransportResourceOrderField>[] | null,
    @Arg("where", () => TransportResourceWhere, { nullable: true, description: "筛选条件。Conditions." }) where?: TransportResourceWhere,
  ): Promise<Connection<TransportResource>> {
    return ctx.services.transport.listResources(where, page, orderBy);
  }

  @Authorized()
  @Query(() => TransportResource, { nullable: true, description: "运力。One resource by global id or code." })
  transportResource(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "运力 ID。Global id." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("resource", "KZ-V-001") }) code?: string | null,
  ): Promise<TransportResource | null> {
    return byIdOrCode<TransportResource>("TransportResource", id, code, { byId: ctx.loaders.transport.resourceById, byCode: ctx.loaders.transport.resourceByCode });
  }

  @Authorized()
  @Query(() => [TransportCount], { description: "运力统计 Counts of resources by kind and status: what a dashboard shows." })
  transportCounts(@Ctx() ctx: AppContext): Promise<TransportCount[]> {
    return ctx.services.transport.counts();
  }

  @Authorized()
  @Query(() => [TransportRate], { description: "征用补偿标准 The compensation rate table, fen per day, km or tonne by kind." })
  transportRates(@Ctx() ctx: AppContext): Promise<TransportRate[]> {
    return ctx.services.transport.rates();
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => TransportResourcePayload, { description: "登记运力。Register a transport resource (LOGISTICS, ADMIN; a scoped account within its township)." })
  registerTransportResource(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RegisterTransportResourceInput, { description: "运力。The resource." }) input: RegisterTransportResourceInput) {
    return mutationPayload(() => ctx.services.transport.registerResource(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => TransportResourcePayload, { description: "运力维修状态。Put a resource into or out of maintenance (LOGISTICS, ADMIN)." })
  setTransportResourceStatus(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetTransportResourceStatusInput, { description: "新状态。The status." }) input: SetTransportResourceStatusInput) {
    return mutationPayload(() => ctx.services.transport.setResourceStatus(unit, input));
  }

  @Authorized(Role.LOGISTICS, Role.DASHBOARD)
  @Mutation(() => TransportResourcePayload, {
    description: "位置上报 A vehicle's position for the map (LOGISTICS, ADMIN, or an API key limited to that vehicle — see createVehicleApiKey; any other DASHBOARD key is FORBIDDEN).",
  })
  reportVehiclePosition(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReportVehiclePositionInput, { description: "位置。The position." }) input: ReportVehiclePositionInput) {
    return mutationPayload(() => ctx.services.transport.reportPosition(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => VehicleApiKeyPayload, { description: "车载密钥 An API key limited to one vehicle: reads as a DASHBOARD key, writes only that vehicle's position (ADMIN). Revoke it with revokeApiKey." })
  createVehicleApiKey(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateVehicleApiKeyInput, { description: "车辆与用途。The vehicle." }) input: CreateVehicleApiKeyInput) {
    return mutationPayload(() => ctx.services.transport.createVehicleKey(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ItemTransportMeasurePayload, { description: "物资装载参数 Weight and volume per unit of an item, for trips' loads (ADMIN)." })
  setItemTransportMeasure(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetItemTransportMeasureInput, { description: "装载参数。The measure." }) input: SetItemTransportMeasureInput) {
    return mutationPayload(() => ctx.services.transport.setItemMeasure(unit, input));
  }

  @Authorized(Role.FINANCE)
  @Mutation(() => TransportRatePayload, { description: "补偿标准 Set one rate of the compensation table (FINANCE, ADMIN); settlements already calculated keep theirs." })
  setTransportRate(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetTransportRateInput, { description: "补偿标准。The rate." }) input: SetTransportRateInput) {
    return mutationPayload(() => ctx.services.transport.setRate(unit, input));
  }

  @FieldResolver(() => Region, { description: "驻地区域。Where it is based." })
  async baseRegion(@Root() resource: TransportResource, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(resource.baseRegionId))!;
  }

  @FieldResolver(() => RescueTeam, { nullable: true, description: "所属队伍。The owning team (ownerKind TEAM)." })
  async team(@Root() resource: TransportResource, @Ctx() ctx: AppContext): Promise<RescueTeam | null> {
    return resource.teamId === null ? null : ctx.loaders.teams.teamById.load(resource.teamId);
  }

  @FieldResolver(() => LogisticsPartner, { nullable: true, description: "协议运力企业。The owning partner (ownerKind PARTNER)." })
  async partner(@Root() resource: TransportResource, @Ctx() ctx: AppContext): Promise<LogisticsPartner | null> {
    return resource.partnerId === null ? null : ctx.loaders.transport.partnerById.load(resource.partnerId);
  }

  @Authorized()
  @Subscription(() => TransportEvent, {
    topics: TRANSPORT_CHANGED,
    description: "运力变化订阅 Trip status, resource status and vehicle positions, after commit; filter by resource or region (a resource's base, a trip's destination).",
    filter: ({ payload, args }: { payload: TransportChangedEvent; args: { where?: TransportChangedWhere | null } }) => {
      const where = args.where;
      if (where?.resourceId && !payload.resourceIds.includes(fromGlobalId(where.resourceId)?.id ?? -1)) return false;
      if (where?.regionId) {
        const regionId = fromGlobalId(where.regionId)?.id;
        if (!payload.regionPaths.some((path) => path.includes(`/${regionId}/`))) return false;
      }
      return true;
    },
  })
  async transportChanged(
    @Root() payload: TransportChangedEvent,
    @Ctx() ctx: AppContext,
    @Arg("where", () => TransportChangedWhere, { nullable: true, description: "范围。Which changes to hear about." }) _where?: TransportChangedWhere,
  ): Promise<TransportEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return {
      change: payload.change,
      resource: payload.resourceId === null ? null : await loaders.transport.resourceById.load(payload.resourceId),
      trip: payload.tripId === null ? null : await loaders.transport.tripById.load(payload.tripId),
    };
  }
}

// ---------------------------------------------------------------- partners

@Resolver(() => LogisticsPartner)
export class LogisticsPartnerResolver {
  @Authorized()
  @Query(() => LogisticsPartnerConnection, { description: "协议运力企业。Partner logistics enterprises, by code." })
  logisticsPartners(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [LOGISTICS_PARTNER_ORDER.Input], { nullable: true, description: LOGISTICS_PARTNER_ORDER.argument }) orderBy?: OrderTerm<LogisticsPartnerOrderField>[] | null,
  ): Promise<Connection<LogisticsPartner>> {
    return ctx.services.transport.listPartners(page, orderBy);
  }

  @Authorized()
  @Query(() => LogisticsPartner, { nullable: true, description: "协议运力企业。One partner by global id or code." })
  logisticsPartner(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "企业 ID。Global id." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("partner", "KZ-LP-01") }) code?: string | null,
  ): Promise<LogisticsPartner | null> {
    return byIdOrCode<LogisticsPartner>("LogisticsPartner", id, code, { byId: ctx.loaders.transport.partnerById, byCode: ctx.loaders.transport.partnerByCode });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => LogisticsPartnerPayload, { description: "登记协议运力企业。Register a partner logistics enterprise (ADMIN)." })
  createLogisticsPartner(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateLogisticsPartnerInput, { description: "企业与协议。The partner." }) input: CreateLogisticsPartnerInput) {
    return mutationPayload(() => ctx.services.transport.createPartner(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => LogisticsPartnerPayload, { description: "修改协议运力企业。Change a partner's agreement (ADMIN)." })
  updateLogisticsPartner(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateLogisticsPartnerInput, { description: "修改内容。The changes." }) input: UpdateLogisticsPartnerInput) {
    return mutationPayload(() => ctx.services.transport.updatePartner(unit, input));
  }

  @FieldResolver(() => Region, { description: "所在区域。Where it is based." })
  async region(@Root() partner: LogisticsPartner, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(partner.regionId))!;
  }

  @FieldResolver(() => [TransportResource], { description: "登记车辆 Its registered vehicles, by code." })
  vehicles(@Root() partner: LogisticsPartner, @Ctx() ctx: AppContext): Promise<TransportResource[]> {
    return ctx.loaders.transport.vehiclesByPartner.load(partner.id);
  }
}

// ---------------------------------------------------------------- trips

@Resolver(() => TransportTrip)
export class TransportTripResolver {
  @Authorized()
  @Query(() => TransportTripConnection, { description: "车次。Trips, newest first." })
  trips(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [TRIP_ORDER.Input], { nullable: true, description: TRIP_ORDER.argument }) orderBy?: OrderTerm<TripOrderField>[] | null,
    @Arg("where", () => TripWhere, { nullable: true, description: "筛选条件。Conditions." }) where?: TripWhere,
  ): Promise<Connection<TransportTrip>> {
    return ctx.services.trips.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => TransportTrip, { nullable: true, description: "车次。One trip by global id or code." })
  trip(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "车次 ID。Global id." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("trip", "KZ-TR-000001") }) code?: string | null,
  ): Promise<TransportTrip | null> {
    return byIdOrCode<TransportTrip>("TransportTrip", id, code, { byId: ctx.loaders.transport.tripById, byCode: ctx.loaders.transport.tripByCode });
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => TripPayload, { description: "派车 Give orders going the same way vehicles and drivers; the load is checked against capacity (LOGISTICS, ADMIN; a scoped account within its township)." })
  assignTrip(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => AssignTripInput, { description: "订单、车辆与驾驶员。Orders and vehicles." }) input: AssignTripInput) {
    return mutationPayload(() => ctx.services.trips.assign(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => TripPayload, { description: "车次状态 Move a trip on: EN_ROUTE (its orders must be dispatched), ARRIVED, RETURNED (vehicles freed), or CANCELLED while loading (LOGISTICS, ADMIN)." })
  updateTripStatus(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateTripStatusInput, { description: "车次与新状态。The trip and status." }) input: UpdateTripStatusInput) {
    return mutationPayload(() => ctx.services.trips.updateStatus(unit, input));
  }

  @FieldResolver(() => [DispatchOrder], { description: "调拨单。The orders it carries." })
  async orders(@Root() trip: TransportTrip, @Ctx() ctx: AppContext): Promise<DispatchOrder[]> {
    const ids = await ctx.loaders.transport.orderIdsByTrip.load(trip.id);
    return (await ctx.loaders.dispatch.orderById.loadMany(ids)).filter((order): order is DispatchOrder => order instanceof DispatchOrder);
  }

  @FieldResolver(() => [TripVehicle], { description: "车辆与驾驶员。Its vehicles and drivers." })
  vehicles(@Root() trip: TransportTrip, @Ctx() ctx: AppContext): Promise<TripVehicle[]> {
    return ctx.loaders.transport.vehiclesByTrip.load(trip.id);
  }

  @FieldResolver(() => StorageSite, { description: "装车地点。Where it loads." })
  async originSite(@Root() trip: TransportTrip, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return (await ctx.loaders.reserves.siteById.load(trip.originSiteId))!;
  }

  @FieldResolver(() => Region, { description: "目的地区域。Where it goes (its first order's destination)." })
  async destinationRegion(@Root() trip: TransportTrip, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(trip.destinationRegionId))!;
  }
}

@Resolver(() => TripVehicle)
export class TripVehicleResolver {
  @FieldResolver(() => TransportResource, { description: "运力。The vehicle." })
  async vehicle(@Root() row: TripVehicle, @Ctx() ctx: AppContext): Promise<TransportResource> {
    return (await ctx.loaders.transport.resourceById.load(row.vehicleId))!;
  }
}

/** Transport on the dispatch order: its trips are the source of truth (the order's own strings stay for older orders). */
@Resolver(() => DispatchOrder)
export class DispatchOrderTransportResolver {
  @FieldResolver(() => [TransportTrip], { description: "车次 The trips carrying the order, newest first: the source of truth for its vehicles, drivers and passes (vehiclePlate, driverName, driverPhone and greenChannelPass are kept for orders from before trips)." })
  trips(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<TransportTrip[]> {
    return ctx.loaders.transport.tripsByOrder.load(order.id);
  }

  @FieldResolver(() => OrderTransitState, { nullable: true, description: "运输状态 LOADING, EN_ROUTE or ARRIVED from its newest unfinished trip; ARRIVED also once its trips have returned while the order is still DISPATCHED (receipt not yet confirmed); null otherwise." })
  async transitState(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<OrderTransitState | null> {
    return TripService.transitOf(await ctx.loaders.transport.tripsByOrder.load(order.id), order.status).state;
  }

  @FieldResolver(() => Date, { nullable: true, description: "预计到达 Expected arrival of the trip carrying it while EN_ROUTE; once ARRIVED, when it arrived; null otherwise." })
  async expectedArrivalAt(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<Date | null> {
    return TripService.transitOf(await ctx.loaders.transport.tripsByOrder.load(order.id), order.status).expectedArrivalAt;
  }
}

@Resolver(() => SupplyItem)
export class SupplyItemTransportResolver {
  @FieldResolver(() => Float, { nullable: true, description: "单位重量 Weight of one unit, kg (for trips' loads); null until set." })
  async unitWeightKg(@Root() item: SupplyItem, @Ctx() ctx: AppContext): Promise<number | null> {
    return (await ctx.loaders.transport.measureByItem.load(item.id))?.unitWeightKg ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: "单位体积 Volume of one unit, m³; null until set." })
  async unitVolumeM3(@Root() item: SupplyItem, @Ctx() ctx: AppContext): Promise<number | null> {
    return (await ctx.loaders.transport.measureByItem.load(item.id))?.unitVolumeM3 ?? null;
  }
}

// ---------------------------------------------------------------- passes

@Resolver(() => GreenChannelPass)
export class GreenChannelPassResolver {
  @Authorized()
  @Query(() => GreenChannelPassConnection, { description: "绿色通道通行证。Passes, newest first." })
  greenChannelPasses(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [PASS_ORDER.Input], { nullable: true, description: PASS_ORDER.argument }) orderBy?: OrderTerm<GreenChannelPassOrderField>[] | null,
    @Arg("where", () => GreenChannelPassWhere, { nullable: true, description: "筛选条件。Conditions." }) where?: GreenChannelPassWhere,
  ): Promise<Connection<GreenChannelPass>> {
    return ctx.services.passes.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => [GreenChannelPass], { description: "通行证到期提醒 Passes in force that expire within the hours given (default 24), soonest first (at most 100)." })
  passAlerts(@Ctx() ctx: AppContext, @Arg("withinHours", () => Int, { defaultValue: PASS_ALERT_HOURS, description: "时限（小时）。How far ahead, 1–720." }) withinHours: number): Promise<GreenChannelPass[]> {
    return ctx.services.passes.alerts(Math.min(720, Math.max(1, withinHours)));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => GreenChannelPassPayload, { description: "登记通行证 Record a green-channel pass for a vehicle (COMMANDER, ADMIN)." })
  issueGreenChannelPass(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => IssueGreenChannelPassInput, { description: "通行证。The pass." }) input: IssueGreenChannelPassInput) {
    return mutationPayload(() => ctx.services.passes.issue(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => GreenChannelPassPayload, { description: "作废通行证 Revoke a pass (COMMANDER, ADMIN)." })
  revokeGreenChannelPass(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RevokeGreenChannelPassInput, { description: "通行证。The pass." }) input: RevokeGreenChannelPassInput) {
    return mutationPayload(() => ctx.services.passes.revoke(unit, input));
  }

  @FieldResolver(() => TransportResource, { description: "运力。The vehicle." })
  async vehicle(@Root() pass: GreenChannelPass, @Ctx() ctx: AppContext): Promise<TransportResource> {
    return (await ctx.loaders.transport.resourceById.load(pass.vehicleId))!;
  }

  @FieldResolver(() => [Region], { description: "通行区域 Regions it is good in; empty: the whole district." })
  async regions(@Root() pass: GreenChannelPass, @Ctx() ctx: AppContext): Promise<Region[]> {
    const ids = await ctx.loaders.transport.regionIdsByPass.load(pass.id);
    return (await ctx.loaders.regions.regionById.loadMany(ids)).filter((r): r is Region => r instanceof Region);
  }

  @FieldResolver(() => Boolean, { description: "当前有效 Valid now: in its window and not revoked." })
  validNow(@Root() pass: GreenChannelPass): boolean {
    const now = Date.now();
    return pass.revokedAt === null && pass.validFrom.getTime() <= now && pass.validUntil.getTime() > now;
  }
}

// ---------------------------------------------------------------- requisitions and settlements

@Resolver(() => Requisition)
export class RequisitionResolver {
  @Authorized()
  @Query(() => RequisitionConnection, { description: "征用单。Requisitions, newest first." })
  requisitions(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [REQUISITION_ORDER.Input], { nullable: true, description: REQUISITION_ORDER.argument }) orderBy?: OrderTerm<RequisitionOrderField>[] | null,
    @Arg("where", () => RequisitionWhere, { nullable: true, description: "筛选条件。Conditions." }) where?: RequisitionWhere,
  ): Promise<Connection<Requisition>> {
    return ctx.services.requisitions.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => Requisition, { nullable: true, description: "征用单。One requisition by global id or code." })
  requisition(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "征用单 ID。Global id." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("requisition", "KZ-ZY-000001") }) code?: string | null,
  ): Promise<Requisition | null> {
    return byIdOrCode<Requisition>("Requisition", id, code, { byId: ctx.loaders.transport.requisitionById, byCode: ctx.loaders.transport.requisitionByCode });
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => RequisitionPayload, { description: "征用 Requisition a private or enterprise resource for an open incident (COMMANDER, ADMIN). One resource is never requisitioned twice at once." })
  requisitionResource(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RequisitionResourceInput, { description: "征用内容。The requisition." }) input: RequisitionResourceInput) {
    return mutationPayload(() => ctx.services.requisitions.requisition(unit, input));
  }

  @Authorized(Role.COMMANDER, Role.LOGISTICS)
  @Mutation(() => RequisitionPayload, { description: "归还征用 Return a requisitioned resource; its settlement is calculated from the rate table (COMMANDER, LOGISTICS, ADMIN)." })
  returnRequisitionedResource(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReturnRequisitionedResourceInput, { description: "归还情况。The return." }) input: ReturnRequisitionedResourceInput) {
    return mutationPayload(() => ctx.services.requisitions.returnResource(unit, input));
  }

  @FieldResolver(() => TransportResource, { description: "运力。The resource." })
  async resource(@Root() requisition: Requisition, @Ctx() ctx: AppContext): Promise<TransportResource> {
    return (await ctx.loaders.transport.resourceById.load(requisition.resourceId))!;
  }

  @FieldResolver(() => Incident, { description: "突发事件。The incident it serves." })
  async incident(@Root() requisition: Requisition, @Ctx() ctx: AppContext): Promise<Incident> {
    return (await ctx.loaders.incidents.incidentById.load(requisition.incidentId))!;
  }

  @FieldResolver(() => Settlement, { nullable: true, description: "结算。Its settlement, once returned." })
  settlement(@Root() requisition: Requisition, @Ctx() ctx: AppContext): Promise<Settlement | null> {
    return ctx.loaders.transport.settlementByRequisition.load(requisition.id);
  }
}

@Resolver(() => Settlement)
export class SettlementResolver {
  @Authorized(Role.COMMANDER, Role.LOGISTICS)
  @Mutation(() => SettlementPayload, { description: "所有人确认 Record that the owner signed the calculated amount (COMMANDER, LOGISTICS, ADMIN)." })
  confirmSettlementByOwner(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ConfirmSettlementByOwnerInput, { description: "结算。The settlement." }) input: ConfirmSettlementByOwnerInput) {
    return mutationPayload(() => ctx.services.requisitions.confirmByOwner(unit, input));
  }

  @Authorized(Role.FINANCE)
  @Mutation(() => SettlementPayload, { description: "审批结算 Approve an owner-confirmed settlement for payment (FINANCE, ADMIN; never the account that requisitioned: FORBIDDEN)." })
  approveSettlement(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ApproveSettlementInput, { description: "结算。The settlement." }) input: ApproveSettlementInput) {
    return mutationPayload(() => ctx.services.requisitions.approve(unit, input));
  }

  @Authorized(Role.FINANCE)
  @Mutation(() => SettlementPayload, { description: "支付登记 Record the payment of an approved settlement (FINANCE, ADMIN)." })
  recordSettlementPayment(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RecordSettlementPaymentInput, { description: "结算与凭证。The settlement and voucher." }) input: RecordSettlementPaymentInput) {
    return mutationPayload(() => ctx.services.requisitions.recordPayment(unit, input));
  }

  @Authorized()
  @Query(() => ExportedFile, { description: "征用补偿结算单 A settlement as a sheet to print and sign (被征用人, 经办人, 财务审核): each amount in 元; the owner's name masked as in the API for the caller's role." })
  async settlementSheet(
    @Ctx() ctx: AppContext,
    @Arg("settlementId", () => ID, { description: "结算。The settlement." }) settlementId: string,
    @Arg("format", () => SheetFormat, { defaultValue: SheetFormat.XLSX, description: "文件格式。XLSX (default) or CSV." }) format: SheetFormat = SheetFormat.XLSX,
  ): Promise<ExportedFile> {
    const file = await ctx.services.requisitions.sheet(ctx.actor!, settlementId, format);
    return Object.assign(new ExportedFile(), { filename: file.filename, mimeType: file.mimeType, content: file.content.toString("base64"), rowCount: file.rowCount, byteSize: file.content.length });
  }

  @FieldResolver(() => Requisition, { description: "征用单。The requisition settled." })
  async requisition(@Root() settlement: Settlement, @Ctx() ctx: AppContext): Promise<Requisition> {
    return (await ctx.loaders.transport.requisitionById.load(settlement.requisitionId))!;
  }
}
