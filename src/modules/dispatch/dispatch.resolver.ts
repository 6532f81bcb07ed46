import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { mutationPayload } from "../../core/graphql/errors";
import { byIdOrCode, codeArgumentDescription, fromGlobalId, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { freshLoadersForEvent } from "../../loaders";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { ReservePartner } from "../reserves/reserve-partner.entity";
import { StockBatch } from "../reserves/stock-batch.entity";
import { StockMovement } from "../reserves/stock-movement.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine, DispatchWriteOff } from "./dispatch-order.entity";
import { CREATE_ROLES, DispatchAction, rolesFor } from "./dispatch-state";
import { DISPATCH_ORDER_CHANGED, matchesDispatchOrderFilter, type DispatchOrderChangedEvent } from "./dispatch.events";
import {
  ApproveDispatchOrderInput,
  CancelDispatchOrderInput,
  CloseDispatchOrderInput,
  ConfirmDeliveryInput,
  CreateDispatchOrderInput,
  DispatchOrderChangedWhere,
  DispatchOrderWhere,
  MarkDispatchedInput,
  RecordReturnInput,
  SubmitDispatchOrderInput,
  UpdateDispatchOrderInput,
} from "./dispatch.inputs";
import {
  ApproveDispatchOrderPayload,
  CancelDispatchOrderPayload,
  CloseDispatchOrderPayload,
  ConfirmDeliveryPayload,
  CreateDispatchOrderPayload,
  DispatchOrderConnection,
  DispatchOrderEvent,
  MarkDispatchedPayload,
  RecordReturnPayload,
  SubmitDispatchOrderPayload,
  UpdateDispatchOrderPayload,
  type OrderPayload,
} from "./dispatch.types";
import type { AllocationPlan } from "../allocation/allocation.types";
import { DISPATCH_ORDER_ORDER, type DispatchOrderOrderField, OVERDUE_APPROVAL_ORDER } from "./dispatch.orders";

const idOf = (id: string | null | undefined): number | undefined => (id ? fromGlobalId(id)?.id ?? -1 : undefined);

@Resolver(() => DispatchOrder)
export class DispatchOrderResolver {
  // ---------------------------------------------------------------- queries

  @Authorized()
  @Query(() => DispatchOrderConnection, { description: "调拨单。Dispatch orders, newest first." })
  dispatchOrders(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [DISPATCH_ORDER_ORDER.Input], { nullable: true, description: DISPATCH_ORDER_ORDER.argument }) orderBy?: OrderTerm<DispatchOrderOrderField>[] | null,
    @Arg("where", () => DispatchOrderWhere, { nullable: true, description: "筛选条件。Conditions the orders must meet." }) where?: DispatchOrderWhere,
  ): Promise<Connection<DispatchOrder>> {
    return ctx.services.dispatch.queries.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => DispatchOrder, { nullable: true, description: "调拨单。One dispatch order by global id." })
  dispatchOrder(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "调拨单 ID。Global id of the order." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("order", "KZ-DO-2026-000001") + " The document number printed on the 调拨单." }) code?: string | null,
  ): Promise<DispatchOrder | null> {
    return byIdOrCode<DispatchOrder>("DispatchOrder", id, code, { byId: ctx.loaders.dispatch.orderById, byCode: ctx.loaders.dispatch.orderByCode });
  }

  @Authorized()
  @Query(() => DispatchOrderConnection, {
    description: "口头指令 Orders dispatched on a verbal order and still not approved after the deadline (DISPATCH_APPROVAL_DEADLINE_HOURS, default 48 h), oldest first.",
  })
  overdueApprovals(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [OVERDUE_APPROVAL_ORDER.Input], { nullable: true, description: OVERDUE_APPROVAL_ORDER.argument }) orderBy?: OrderTerm<DispatchOrderOrderField>[] | null,
  ): Promise<Connection<DispatchOrder>> {
    return ctx.services.dispatch.queries.overdueApprovals(page, orderBy);
  }

  // ---------------------------------------------------------------- mutations

  @Authorized(...CREATE_ROLES)
  @Mutation(() => CreateDispatchOrderPayload, { description: "新建调拨单。Create a dispatch order as a DRAFT, with sources chosen by hand or by `autoAllocate` (LOGISTICS, ADMIN; a township-scoped account within its township)." })
  createDispatchOrder(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateDispatchOrderInput, { description: "调拨单。The order." }) input: CreateDispatchOrderInput): Promise<OrderPayload & { plan?: AllocationPlan | null }> {
    return mutationPayload(() => ctx.services.dispatch.commands.create(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.UPDATE))
  @Mutation(() => UpdateDispatchOrderPayload, { description: "修改调拨单草稿。Change a DRAFT order (LOGISTICS, ADMIN)." })
  updateDispatchOrder(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateDispatchOrderInput, { description: "修改内容。The changes." }) input: UpdateDispatchOrderInput): Promise<OrderPayload & { plan?: AllocationPlan | null }> {
    return mutationPayload(() => ctx.services.dispatch.commands.update(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.SUBMIT))
  @Mutation(() => SubmitDispatchOrderPayload, { description: "提交调拨单审批。Submit a DRAFT for approval; every line must be fully sourced (LOGISTICS, ADMIN)." })
  submitDispatchOrder(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SubmitDispatchOrderInput, { description: "调拨单。The order." }) input: SubmitDispatchOrderInput): Promise<OrderPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.submit(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.APPROVE))
  @Mutation(() => ApproveDispatchOrderPayload, {
    description: "审批调拨单。Approve a SUBMITTED order, reserving all its stock or nothing (INSUFFICIENT_STOCK); or approve an urgent order already dispatched on a verbal order (COMMANDER, ADMIN).",
  })
  approveDispatchOrder(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ApproveDispatchOrderInput, { description: "调拨单。The order." }) input: ApproveDispatchOrderInput): Promise<OrderPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.approve(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.DISPATCH))
  @Mutation(() => MarkDispatchedPayload, {
    description: "发运调拨单。Send an APPROVED order: its reserved stock is issued (ISSUE). An URGENT order may be sent before approval on a verbal order; it is then flagged pendingApproval (LOGISTICS, ADMIN).",
  })
  markDispatched(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => MarkDispatchedInput, { description: "调拨单与运输信息。The order and transport." }) input: MarkDispatchedInput): Promise<OrderPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.markDispatched(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.CONFIRM_DELIVERY))
  @Mutation(() => ConfirmDeliveryPayload, {
    description:
      "签收 Confirm receipt, fully or in part, per line, with what will not arrive (shortages, written off with reason and approver); later arrivals may be confirmed again. To a storage site, what arrived is booked into its stock at once. A township-scoped account confirms what arrives in its township, wherever it was sent from (LOGISTICS, ADMIN).",
  })
  confirmDelivery(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ConfirmDeliveryInput, { description: "签收明细。What arrived." }) input: ConfirmDeliveryInput): Promise<ConfirmDeliveryPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.confirmDelivery(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.RECORD_RETURN))
  @Mutation(() => RecordReturnPayload, { description: "回收 Record items coming back to a chosen site: RETURN entries; damaged ones written off there (LOGISTICS, ADMIN)." })
  recordReturn(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RecordReturnInput, { description: "回收明细。What came back, and where to." }) input: RecordReturnInput): Promise<OrderPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.recordReturn(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.CLOSE))
  @Mutation(() => CloseDispatchOrderPayload, {
    description:
      "关闭调拨单。Close a DELIVERED order; refused (ITEMS_OUTSTANDING, with the numbers per line) while units are still in transit, or reusable items sent to a region or a point are neither returned nor written off (LOGISTICS, ADMIN).",
  })
  closeDispatchOrder(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CloseDispatchOrderInput, { description: "调拨单与报损。The order and any write-offs." }) input: CloseDispatchOrderInput): Promise<OrderPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.close(unit, input));
  }

  @Authorized(...rolesFor(DispatchAction.CANCEL))
  @Mutation(() => CancelDispatchOrderPayload, {
    description:
      "取消调拨单。Cancel an order before delivery: reservations are released; after dispatch everything sent must have come back or be written off. LOGISTICS may cancel DRAFT and SUBMITTED orders; approved or dispatched ones need a COMMANDER (ADMIN always).",
  })
  cancelDispatchOrder(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CancelDispatchOrderInput, { description: "调拨单与取消原因。The order and why." }) input: CancelDispatchOrderInput): Promise<OrderPayload> {
    return mutationPayload(() => ctx.services.dispatch.commands.cancel(unit, input));
  }

  // ---------------------------------------------------------------- subscription

  @Authorized()
  @Subscription(() => DispatchOrderEvent, {
    topics: DISPATCH_ORDER_CHANGED,
    description: "调拨单变化订阅。Dispatch orders created or moved along their life cycle, after commit; filter by incident, resulting state or destination region.",
    filter: ({ payload, args }: { payload: DispatchOrderChangedEvent; args: { where?: DispatchOrderChangedWhere | null } }) =>
      matchesDispatchOrderFilter(payload, { incidentId: idOf(args.where?.incidentId), status: args.where?.status ?? undefined, regionId: idOf(args.where?.regionId) }),
  })
  async dispatchOrderChanged(
    @Root() payload: DispatchOrderChangedEvent,
    @Ctx() ctx: AppContext,
    @Arg("where", () => DispatchOrderChangedWhere, { nullable: true, description: "调拨单范围。Which orders to hear about." }) _where?: DispatchOrderChangedWhere,
  ): Promise<DispatchOrderEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return { change: payload.change, order: (await loaders.dispatch.orderById.load(payload.orderId))! };
  }

  // ---------------------------------------------------------------- relations

  @Authorized()
  @FieldResolver(() => Incident, { nullable: true, description: "事件。The incident it serves; null for pre-positioning." })
  incident(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<Incident | null> | null {
    return order.incidentId === null ? null : ctx.loaders.incidents.incidentById.load(order.incidentId);
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "所属区县。The district the order belongs to." })
  async district(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(order.districtId))!;
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "目的地所在区域。The region the destination lies in (the region itself, the site's region, or the point's)." })
  async destinationRegion(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(order.destinationRegionId))!;
  }

  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "目的地储备点。The destination site, when the destination is a site." })
  destinationSite(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return order.destinationSiteId === null ? null : ctx.loaders.reserves.siteById.load(order.destinationSiteId);
  }

  @Authorized()
  @FieldResolver(() => [DispatchOrderLine], { description: "调拨明细。The lines, in order, with their progress (partial delivery shows per line)." })
  lines(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<DispatchOrderLine[]> {
    // The lines' outstandingQuantity depends on the order's destination: known, not read again.
    ctx.loaders.dispatch.orderById.prime(order.id, order);
    return ctx.loaders.dispatch.linesByOrder.load(order.id);
  }

  @Authorized()
  @FieldResolver(() => [DispatchWriteOff], { description: "报损 Issued items written off on this order." })
  writeOffs(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Promise<DispatchWriteOff[]> {
    return ctx.loaders.dispatch.writeOffsByOrder.load(order.id);
  }

  @Authorized()
  @FieldResolver(() => Date, { nullable: true, description: "审批期限。When a verbal order's approval falls due (dispatch + DISPATCH_APPROVAL_DEADLINE_HOURS); null when no approval is pending." })
  approvalDueAt(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): Date | null {
    return ctx.services.dispatch.queries.approvalDueAt(order);
  }

  @Authorized()
  @FieldResolver(() => Boolean, { description: "审批超时。Whether a verbal order's approval is overdue (it appears in overdueApprovals)." })
  approvalOverdue(@Root() order: DispatchOrder, @Ctx() ctx: AppContext): boolean {
    const due = ctx.services.dispatch.queries.approvalDueAt(order);
    return due !== null && due.getTime() < Date.now();
  }
}

@Resolver(() => DispatchOrderLine)
export class DispatchOrderLineResolver {
  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "物资。The item (its `reusable` flag says whether it must come back)." })
  async item(@Root() line: DispatchOrderLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }

  @Authorized()
  @FieldResolver(() => [DispatchAllocation], { description: "调拨来源。Where the line's goods come from." })
  allocations(@Root() line: DispatchOrderLine, @Ctx() ctx: AppContext): Promise<DispatchAllocation[]> {
    return ctx.loaders.dispatch.allocationsByLine.load(line.id);
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "已分配数量。Quantity the sources cover; must equal the quantity before the order is submitted." })
  async allocatedQuantity(@Root() line: DispatchOrderLine, @Ctx() ctx: AppContext): Promise<number> {
    const allocations = await ctx.loaders.dispatch.allocationsByLine.load(line.id);
    return allocations.reduce((sum, allocation) => sum + allocation.quantity, 0);
  }

  @Authorized()
  @FieldResolver(() => Int, {
    description:
      "未完结 Outstanding: sent and not yet done with. To a storage site: what is still in transit (what arrived is the site's stock). To a region or a point: sent and neither returned nor written off — reusable items (可回收) must reach 0 before the order can close.",
  })
  async outstandingQuantity(@Root() line: DispatchOrderLine, @Ctx() ctx: AppContext): Promise<number> {
    const order = (await ctx.loaders.dispatch.orderById.load(line.orderId))!;
    return line.outstandingFor(order.destinationKind);
  }

  @Authorized()
  @FieldResolver(() => DispatchOrder, { description: "所属调拨单。The order the line belongs to." })
  async order(@Root() line: DispatchOrderLine, @Ctx() ctx: AppContext): Promise<DispatchOrder> {
    return (await ctx.loaders.dispatch.orderById.load(line.orderId))!;
  }
}

@Resolver(() => DispatchAllocation)
export class DispatchAllocationResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "来源储备点。The source site, for site stock." })
  site(@Root() allocation: DispatchAllocation, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return allocation.siteId === null ? null : ctx.loaders.reserves.siteById.load(allocation.siteId);
  }

  @Authorized()
  @FieldResolver(() => StockBatch, { nullable: true, description: "来源批次。The source batch, for site stock." })
  batch(@Root() allocation: DispatchAllocation, @Ctx() ctx: AppContext): Promise<StockBatch | null> | null {
    return allocation.batchId === null ? null : ctx.loaders.reserves.batchById.load(allocation.batchId);
  }

  @Authorized()
  @FieldResolver(() => ReservePartner, { nullable: true, description: "协议企业。The partner enterprise, for partner stock or capacity." })
  partner(@Root() allocation: DispatchAllocation, @Ctx() ctx: AppContext): Promise<ReservePartner | null> | null {
    return allocation.partnerId === null ? null : ctx.loaders.reserves.partnerById.load(allocation.partnerId);
  }

  @Authorized()
  @FieldResolver(() => DispatchOrderLine, { description: "调拨明细。The line it supplies." })
  async line(@Root() allocation: DispatchAllocation, @Ctx() ctx: AppContext): Promise<DispatchOrderLine> {
    return (await ctx.loaders.dispatch.lineById.load(allocation.lineId))!;
  }
}

// The ledger's side of an order, here because the reserve module does not import this one.
@Resolver(() => StockMovement)
export class StockMovementOrderResolver {
  @Authorized()
  @FieldResolver(() => DispatchOrder, { nullable: true, description: "调拨单 The dispatch order the entry belongs to (its ISSUE at a source, TRANSFER_IN or RECEIPT at the receiving site, RETURN, WRITE_OFF); null for other entries." })
  dispatchOrder(@Root() movement: StockMovement, @Ctx() ctx: AppContext): Promise<DispatchOrder | null> | null {
    return movement.dispatchOrderId === null ? null : ctx.loaders.dispatch.orderById.load(movement.dispatchOrderId);
  }
}

@Resolver(() => DispatchWriteOff)
export class DispatchWriteOffResolver {
  @Authorized()
  @FieldResolver(() => DispatchOrderLine, { description: "调拨明细。The line whose items were written off." })
  async line(@Root() writeOff: DispatchWriteOff, @Ctx() ctx: AppContext): Promise<DispatchOrderLine> {
    return (await ctx.loaders.dispatch.lineById.load(writeOff.lineId))!;
  }
}
