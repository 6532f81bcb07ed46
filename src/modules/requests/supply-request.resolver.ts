import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { mutationPayload } from "../../core/graphql/errors";
import { byIdOrCode, codeArgumentDescription, fromGlobalId, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { freshLoadersForEvent } from "../../loaders";
import { DispatchOrder, DispatchOrderLine } from "../dispatch/dispatch-order.entity";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { SupplyRequest, SupplyRequestLine } from "./supply-request.entity";
import { SupplyRequestStatus } from "./supply-request.enums";
import { SUPPLY_REQUEST_ORDER, type SupplyRequestOrderField } from "./supply-request.orders";
import { matchesSupplyRequestFilter, SUPPLY_REQUEST_CHANGED, type SupplyRequestChangedEvent } from "./supply-request.events";
import {
  ApproveSupplyRequestInput,
  CancelSupplyRequestInput,
  CloseSupplyRequestInput,
  RejectSupplyRequestInput,
  SubmitSupplyRequestInput,
  SupplyRequestChangedWhere,
  SupplyRequestWhere,
} from "./supply-request.inputs";
import { RequestAction, rolesFor, SUBMIT_ROLES } from "./supply-request-state";
import {
  ApproveSupplyRequestPayload,
  CancelSupplyRequestPayload,
  CloseSupplyRequestPayload,
  RejectSupplyRequestPayload,
  SubmitSupplyRequestPayload,
  SupplyRequestConnection,
  SupplyRequestEvent,
  type RequestPayload,
} from "./supply-request.types";

const idOf = (id: string | null | undefined): number | undefined => (id ? fromGlobalId(id)?.id ?? -1 : undefined);

/** Statuses in which what is approved and not yet delivered is still to come. */
const AWAITING_DELIVERY: ReadonlySet<SupplyRequestStatus> = new Set([SupplyRequestStatus.APPROVED, SupplyRequestStatus.FULFILLING]);

@Resolver(() => SupplyRequest)
export class SupplyRequestResolver {
  // ---------------------------------------------------------------- queries

  @Authorized()
  @Query(() => SupplyRequestConnection, {
    description:
      "需求申报 Supply requests — the district's queue: by default most urgent first, then oldest first; `where: { overdue: true }` for those unanswered past SUPPLY_REQUEST_RESPONSE_HOURS (default 24 h), `where: { regionId }` for one township's.",
  })
  supplyRequests(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("where", () => SupplyRequestWhere, { nullable: true, description: "筛选条件。Conditions the requests must meet." }) where?: SupplyRequestWhere,
    @Arg("orderBy", () => [SUPPLY_REQUEST_ORDER.Input], { nullable: true, description: SUPPLY_REQUEST_ORDER.argument }) orderBy?: OrderTerm<SupplyRequestOrderField>[] | null,
  ): Promise<Connection<SupplyRequest>> {
    return ctx.services.requests.list(where, orderBy, page);
  }

  @Authorized()
  @Query(() => SupplyRequest, { nullable: true, description: "需求申报。One supply request by global id." })
  supplyRequest(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "需求申报 ID。Global id of the request." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("request", "KZ-RQ-2026-00001") }) code?: string | null,
  ): Promise<SupplyRequest | null> {
    return byIdOrCode<SupplyRequest>("SupplyRequest", id, code, { byId: ctx.loaders.requests.requestById, byCode: ctx.loaders.requests.requestByCode });
  }

  // ---------------------------------------------------------------- mutations

  @Authorized(...SUBMIT_ROLES)
  @Mutation(() => SubmitSupplyRequestPayload, {
    description: "需求申报 Submit a supply request (EDXL-RM RequestResource): LOGISTICS, ADMIN; a township-scoped account for destinations in its township, the district for any.",
  })
  submitSupplyRequest(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SubmitSupplyRequestInput, { description: "需求申报。The request." }) input: SubmitSupplyRequestInput): Promise<RequestPayload> {
    return mutationPayload(() => ctx.services.requests.submit(unit, input));
  }

  @Authorized(...rolesFor(RequestAction.APPROVE))
  @Mutation(() => ApproveSupplyRequestPayload, {
    description: "审核 Approve a SUBMITTED request, whole or in part (EDXL-RM ResponseToRequestResource): district-wide LOGISTICS, COMMANDER, ADMIN.",
  })
  approveSupplyRequest(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ApproveSupplyRequestInput, { description: "需求申报与核定数量。The request and its approved quantities." }) input: ApproveSupplyRequestInput): Promise<RequestPayload> {
    return mutationPayload(() => ctx.services.requests.approve(unit, input));
  }

  @Authorized(...rolesFor(RequestAction.REJECT))
  @Mutation(() => RejectSupplyRequestPayload, { description: "驳回 Reject a SUBMITTED request with the reason: district-wide LOGISTICS, COMMANDER, ADMIN." })
  rejectSupplyRequest(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RejectSupplyRequestInput, { description: "需求申报与理由。The request and why." }) input: RejectSupplyRequestInput): Promise<RequestPayload> {
    return mutationPayload(() => ctx.services.requests.reject(unit, input));
  }

  @Authorized(...rolesFor(RequestAction.CANCEL))
  @Mutation(() => CancelSupplyRequestPayload, {
    description: "撤回 Withdraw a request: a SUBMITTED one (LOGISTICS, a township-scoped account for its township's), or an APPROVED one before any order (district-wide LOGISTICS, COMMANDER); ADMIN always.",
  })
  cancelSupplyRequest(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CancelSupplyRequestInput, { description: "需求申报与理由。The request and why." }) input: CancelSupplyRequestInput): Promise<RequestPayload> {
    return mutationPayload(() => ctx.services.requests.cancel(unit, input));
  }

  @Authorized(...rolesFor(RequestAction.CLOSE))
  @Mutation(() => CloseSupplyRequestPayload, {
    description: "关闭 Close an APPROVED or FULFILLING request: the rest will not be sent; refused (ORDERS_PENDING) while an order made from it has not left. District-wide LOGISTICS, ADMIN.",
  })
  closeSupplyRequest(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CloseSupplyRequestInput, { description: "需求申报与理由。The request and why." }) input: CloseSupplyRequestInput): Promise<RequestPayload> {
    return mutationPayload(() => ctx.services.requests.close(unit, input));
  }

  // ---------------------------------------------------------------- subscription

  @Authorized()
  @Subscription(() => SupplyRequestEvent, {
    topics: SUPPLY_REQUEST_CHANGED,
    description: "需求申报变化订阅。Supply requests submitted, answered, withdrawn or closed, and every change of a dispatch order made from one, after commit; filter by request, destination region (a township follows its own), resulting state or incident.",
    filter: ({ payload, args }: { payload: SupplyRequestChangedEvent; args: { where?: SupplyRequestChangedWhere | null } }) =>
      matchesSupplyRequestFilter(payload, {
        requestId: idOf(args.where?.requestId),
        regionId: idOf(args.where?.regionId),
        status: args.where?.status ?? undefined,
        incidentId: idOf(args.where?.incidentId),
      }),
  })
  async supplyRequestChanged(
    @Root() payload: SupplyRequestChangedEvent,
    @Ctx() ctx: AppContext,
    @Arg("where", () => SupplyRequestChangedWhere, { nullable: true, description: "需求申报范围。Which requests to hear about." }) _where?: SupplyRequestChangedWhere,
  ): Promise<SupplyRequestEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    const [request, order] = await Promise.all([loaders.requests.requestById.load(payload.requestId), payload.orderId === null ? null : loaders.dispatch.orderById.load(payload.orderId)]);
    return { change: payload.change, request: request!, order, orderChange: payload.orderChange };
  }

  // ---------------------------------------------------------------- relations

  @Authorized()
  @FieldResolver(() => [SupplyRequestLine], { description: "需求明细。The lines, in order, with how far each has got." })
  lines(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Promise<SupplyRequestLine[]> {
    return ctx.loaders.requests.linesByRequest.load(request.id);
  }

  @Authorized()
  @FieldResolver(() => [DispatchOrder], { description: "调拨单 The dispatch orders made from it (EDXL-RM CommitResource), oldest first, cancelled ones included." })
  dispatchOrders(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Promise<DispatchOrder[]> {
    return ctx.loaders.requests.ordersByRequest.load(request.id);
  }

  @Authorized()
  @FieldResolver(() => Incident, { nullable: true, description: "突发事件。The incident it is for (purpose INCIDENT)." })
  incident(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Promise<Incident | null> | null {
    return request.incidentId === null ? null : ctx.loaders.incidents.incidentById.load(request.incidentId);
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "所属区县。The district it is addressed to." })
  async district(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(request.districtId))!;
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "目的地所在区域。The region the destination lies in (the region itself, the site's region, or the point's)." })
  async destinationRegion(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(request.destinationRegionId))!;
  }

  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "目的地储备点。The destination site, when the destination is a site." })
  destinationSite(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return request.destinationSiteId === null ? null : ctx.loaders.reserves.siteById.load(request.destinationSiteId);
  }

  @Authorized()
  @FieldResolver(() => Date, { nullable: true, description: "答复期限 When the district's answer falls due (submission + SUPPLY_REQUEST_RESPONSE_HOURS); null once answered." })
  responseDueAt(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): Date | null {
    return ctx.services.requests.responseDueAt(request);
  }

  @Authorized()
  @FieldResolver(() => Boolean, { description: "超时未答复 Unanswered past the response deadline (as verbal orders are flagged in overdueApprovals)." })
  overdue(@Root() request: SupplyRequest, @Ctx() ctx: AppContext): boolean {
    const due = ctx.services.requests.responseDueAt(request);
    return due !== null && due.getTime() < Date.now();
  }
}

@Resolver(() => SupplyRequestLine)
export class SupplyRequestLineResolver {
  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  async item(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }

  @Authorized()
  @FieldResolver(() => SupplyRequest, { description: "所属需求申报。The request the line belongs to." })
  async request(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<SupplyRequest> {
    return (await ctx.loaders.requests.requestById.load(line.requestId))!;
  }

  @Authorized()
  @FieldResolver(() => Int, {
    description: "已调拨 On dispatch orders made from the request and not cancelled (Sahana Eden's quantity committed); a closed order counts what it delivered, so what it did not deliver may go on another order.",
  })
  async onOrderQuantity(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<number> {
    return (await ctx.loaders.requests.figuresByLine.load(line.id)).onOrders;
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "未调拨 Approved but on no order yet: what the district may still put on an order." })
  async unorderedQuantity(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<number> {
    const request = await ctx.loaders.requests.requestById.load(line.requestId);
    if (!request || !AWAITING_DELIVERY.has(request.status)) return 0;
    return Math.max(0, (line.approvedQuantity ?? 0) - (await ctx.loaders.requests.figuresByLine.load(line.id)).onOrders);
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "在途 Dispatched and neither received, returned nor written off yet (Sahana Eden's quantity in transit)." })
  async inTransitQuantity(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<number> {
    return (await ctx.loaders.requests.figuresByLine.load(line.id)).inTransit;
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "已签收 Received at the destination (Sahana Eden's quantity fulfilled)." })
  async deliveredQuantity(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<number> {
    return (await ctx.loaders.requests.figuresByLine.load(line.id)).delivered;
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "待交付 Approved and not yet delivered while the request is APPROVED or FULFILLING; 0 once it is fulfilled, closed, rejected or withdrawn." })
  async outstandingQuantity(@Root() line: SupplyRequestLine, @Ctx() ctx: AppContext): Promise<number> {
    const request = await ctx.loaders.requests.requestById.load(line.requestId);
    if (!request || !AWAITING_DELIVERY.has(request.status)) return 0;
    return Math.max(0, (line.approvedQuantity ?? 0) - (await ctx.loaders.requests.figuresByLine.load(line.id)).delivered);
  }
}

/** The request side of dispatch orders made from requests. */
@Resolver(() => DispatchOrder)
export class RequestDispatchOrderResolver {
  @Authorized()
  @FieldResolver(() => SupplyRequest, { nullable: true, description: "需求申报 The supply request this order fulfils; null for an order made without one." })
  request(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<SupplyRequest | null> | null {
    return order.requestId === null ? null : ctx.loaders.requests.requestById.load(order.requestId);
  }
}

@Resolver(() => DispatchOrderLine)
export class RequestDispatchOrderLineResolver {
  @Authorized()
  @FieldResolver(() => SupplyRequestLine, { nullable: true, description: "需求明细。The supply request line this order line serves; null for an order made without a request." })
  requestLine(@Root() line: DispatchOrderLine, @Ctx() ctx: AppContext): Promise<SupplyRequestLine | null> | null {
    return line.requestLineId === null ? null : ctx.loaders.requests.lineById.load(line.requestLineId);
  }
}
