import { Field, ID, InputType, Int } from "type-graphql";
import { CheckCode } from "../field/field.enums";
import { MutationInput } from "../../core/mutation/mutation-input";
import { DestinationInput } from "../allocation/allocation.inputs";
import { AllocationSourceKind, DispatchPriority, DispatchStatus, FieldLossReason, ReturnCondition } from "./dispatch.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { INCIDENT, REGION } from "../known-codes";

// ---------------------------------------------------------------- filters

@InputType({ description: "调拨单筛选。Filter for `dispatchOrders`; all given conditions must hold." })
export class DispatchOrderWhere {
  @IdOrCodeFilter(INCIDENT, "事件。Only orders for this incident.")
  incidentId?: string | null;

  @Field(() => DispatchStatus, { nullable: true, description: "调拨单状态。Only orders in this state." })
  status?: DispatchStatus | null;

  @IdOrCodeFilter(REGION, "区域。Only orders whose destination lies in this region or below it.")
  regionId?: string | null;

  @Field(() => DispatchPriority, { nullable: true, description: "紧急程度。Only orders of this priority." })
  priority?: DispatchPriority | null;

  @Field(() => Boolean, { nullable: true, description: "口头指令待审批。true: only orders dispatched on a verbal order and not yet approved." })
  pendingApproval?: boolean | null;
}

@InputType({ description: "调拨单变化筛选。Which dispatch-order changes to hear about; all given conditions must hold." })
export class DispatchOrderChangedWhere {
  @IdOrCodeFilter(INCIDENT, "事件。Only orders for this incident.")
  incidentId?: string | null;

  @Field(() => DispatchStatus, { nullable: true, description: "状态。Only changes that leave the order in this state." })
  status?: DispatchStatus | null;

  @IdOrCodeFilter(REGION, "区域。Only orders whose destination lies in this region or below it.")
  regionId?: string | null;
}

// ---------------------------------------------------------------- order content

@InputType({ description: "调拨来源。A source for (part of) a line: a stock batch at a site, or a partner enterprise's agreement stock or capacity." })
export class AllocationInput {
  @Field(() => ID, { nullable: true, description: "库存批次。A stock batch (its site is the source); for site stock." })
  batchId?: string | null;

  @Field(() => ID, { nullable: true, description: "协议企业。A partner enterprise; for partner stock or capacity." })
  partnerId?: string | null;

  @Field(() => AllocationSourceKind, { nullable: true, description: "来源类别。Kind of source; defaults to SITE_STOCK with a batch, PARTNER_STOCK with a partner." })
  kind?: AllocationSourceKind | null;

  @Field(() => Int, { description: "来源数量。Quantity from this source." })
  quantity: number;
}

@InputType({ description: "调拨明细。A line of an order: an item, how many, and (unless the order is auto-allocated) where they come from." })
export class DispatchLineInput {
  @Field(() => ID, { description: "物资。The supply item." })
  itemId: string;

  @Field(() => Int, { description: "需求数量。How many are needed." })
  quantity: number;

  @Field(() => [AllocationInput], { nullable: true, description: "手工指定的来源。Sources chosen by hand; leave out with autoAllocate. They must add up to the quantity before the order can be submitted." })
  allocations?: AllocationInput[] | null;

  @Field(() => ID, { nullable: true, description: "需求明细。On an order made from a supply request: the request line it serves (default: the request's line of the same item). At most what is left of its approved quantity." })
  requestLineId?: string | null;
}

@InputType({ description: "运输 Transport of an order." })
export class TransportInput {
  @Field(() => String, { nullable: true, description: "车牌号 Vehicle plate, e.g. 渝F·12345." })
  vehiclePlate?: string | null;

  @Field(() => String, { nullable: true, description: "驾驶员 Driver's name." })
  driverName?: string | null;

  @Field(() => String, { nullable: true, description: "驾驶员电话。Driver's phone." })
  driverPhone?: string | null;

  @Field(() => String, { nullable: true, description: "绿色通道通行证号 Green-channel pass number." })
  greenChannelPass?: string | null;
}

@InputType({ description: "新建调拨单。A new dispatch order (a DRAFT)." })
export class CreateDispatchOrderInput extends MutationInput {
  @Field(() => ID, {
    nullable: true,
    description:
      "调拨 The approved supply request (需求申报) this order fulfils (EDXL-RM CommitResource): its lines take no more than is left of the request lines' approved quantities; destination, incident and priority default to the request's. A request may take several orders.",
  })
  requestId?: string | null;

  @Field(() => ID, { nullable: true, description: "事件。The incident it serves (must be OPEN); leave out for pre-positioning (with requestId: the request's incident while it is open)." })
  incidentId?: string | null;

  @Field(() => DispatchPriority, { nullable: true, description: "紧急程度。Priority (default NORMAL; with requestId: the request's)." })
  priority?: DispatchPriority | null;

  @Field(() => DestinationInput, { nullable: true, description: "目的地。Where the goods go; required unless the order is made from a request (then the request's site, or a place inside the request's region)." })
  destination?: DestinationInput | null;

  @Field(() => [DispatchLineInput], {
    nullable: true,
    description: "调拨明细。Items and quantities (1–100 lines, each item once). Required unless requestId is given; left out with requestId, the order takes what is left of each of the request's approved lines.",
  })
  lines?: DispatchLineInput[] | null;

  @Field(() => Boolean, { nullable: true, description: "自动生成调拨方案。Fill every line's sources from `planAllocation` (then give no allocations by hand). The payload's `plan` shows the reasons and any shortfall." })
  autoAllocate?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "允许低于最低库存。With autoAllocate: let the plan take stock below sites' minimums (URGENT only)." })
  allowBelowMinimum?: boolean | null;

  @Field(() => TransportInput, { nullable: true, description: "运输信息。Vehicle, driver and pass, if known yet." })
  transport?: TransportInput | null;

  @Field(() => String, { nullable: true, description: "备注 Free-text note." })
  note?: string | null;
}

@InputType({ description: "修改调拨单草稿。Changes to a DRAFT order; fields left out stay as they are." })
export class UpdateDispatchOrderInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;

  @Field(() => ID, { nullable: true, description: "突发事件。The incident it serves; null to make it pre-positioning." })
  incidentId?: string | null;

  @Field(() => DispatchPriority, { nullable: true, description: "新紧急程度。New priority." })
  priority?: DispatchPriority | null;

  @Field(() => DestinationInput, { nullable: true, description: "新目的地。New destination." })
  destination?: DestinationInput | null;

  @Field(() => [DispatchLineInput], { nullable: true, description: "新调拨明细。New lines, replacing all lines and their sources." })
  lines?: DispatchLineInput[] | null;

  @Field(() => Boolean, { nullable: true, description: "重新生成调拨方案。Re-plan every line's sources (of the new lines if given, else of the current ones)." })
  autoAllocate?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "允许低于最低库存。With autoAllocate: let the plan take stock below sites' minimums (URGENT only)." })
  allowBelowMinimum?: boolean | null;

  @Field(() => TransportInput, { nullable: true, description: "运输信息。Transport details (given fields replace the current ones)." })
  transport?: TransportInput | null;

  @Field(() => String, { nullable: true, description: "备注。Free-text note; empty to clear." })
  note?: string | null;
}

@InputType({ description: "提交调拨单审批。An order to submit for approval." })
export class SubmitDispatchOrderInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;
}

@InputType({ description: "审批调拨单。An order to approve (reserves its stock), or a verbal order to approve after dispatch." })
export class ApproveDispatchOrderInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;
}

@InputType({ description: "发运调拨单。An order to dispatch: its stock is issued." })
export class MarkDispatchedInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;

  @Field(() => TransportInput, { nullable: true, description: "运输信息。Transport details (given fields replace the current ones)." })
  transport?: TransportInput | null;

  @Field(() => String, { nullable: true, description: "口头指令 Who gave the verbal order — required to dispatch an URGENT order before approval." })
  verbalOrderBy?: string | null;
}

@InputType({ description: "签收数量。Quantity of one line the receiver confirms." })
export class ReceivedLineInput {
  @Field(() => ID, { description: "调拨明细。The order line." })
  lineId: string;

  @Field(() => Int, { description: "本次签收数量。Units received now (added to any received before); 0 for none of this line." })
  receivedQuantity: number;
}

@InputType({ description: "短少 Units of one line that will not arrive (a short delivery), written off on the order." })
export class ShortageLineInput {
  @Field(() => ID, { description: "调拨明细。The order line." })
  lineId: string;

  @Field(() => Int, { description: "短少数量。Units that will not arrive (at most what is still in transit on the line)." })
  quantity: number;

  @Field(() => FieldLossReason, { description: "短少原因。Why they will not arrive: DAMAGED or LOST on the way, SHORT_SHIPPED, DISTRIBUTED_EN_ROUTE." })
  reason: FieldLossReason;
}

@InputType({
  description:
    "签收 Receipt of a dispatched order, fully or in part. To a storage site, what arrived is booked into its stock in the same transaction (TRANSFER_IN per source batch, RECEIPT of partner goods).",
})
export class ConfirmDeliveryInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;

  @Field(() => [ReceivedLineInput], { description: "签收明细。What arrived, per line; lines left out received nothing this time." })
  lines: ReceivedLineInput[];

  @Field(() => [ShortageLineInput], { nullable: true, description: "短少 What will not arrive, per line, with the reason: written off on the order (no ledger entry: the ISSUE already took it off the books)." })
  shortages?: ShortageLineInput[] | null;

  @Field(() => String, { nullable: true, description: "审批人 Official approving the shortages' write-off; required with shortages." })
  approvedBy?: string | null;

  @Field(() => String, { nullable: true, description: "备注 Free-text note, for the receiving site's ledger entries and the shortages." })
  note?: string | null;
}

@InputType({ description: "回收明细。Units of one line coming back." })
export class ReturnLineInput {
  @Field(() => ID, { description: "调拨明细。The order line." })
  lineId: string;

  @Field(() => Int, { description: "回收数量。Units coming back." })
  quantity: number;

  @Field(() => ReturnCondition, { nullable: true, description: "状况。Their condition (default GOOD); DAMAGED ones are written off at the site at once." })
  condition?: ReturnCondition | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "是否已送达 Arrived: whether these units had reached the destination (back after use: true) or were turned back on the way (退回: false). Left out, it follows from the line: an order to a storage site, or a line nothing of which was received, only turns units back; a line with nothing in transit only has units back after use. Required when a line to a region or a point has units both in transit and delivered.",
  })
  arrived?: boolean | null;
}

@InputType({ description: "回收 Items back from the field to a chosen site: RETURN entries in its ledger." })
export class RecordReturnInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;

  @Field(() => ID, { description: "接收储备点。The storage site receiving them." })
  siteId: string;

  @Field(() => [ReturnLineInput], { description: "回收明细。What came back, per line." })
  lines: ReturnLineInput[];

  @Field(() => String, { nullable: true, description: "审批人 Official approving the write-off of DAMAGED units; required when any line is DAMAGED." })
  approvedBy?: string | null;

  @Field(() => String, { nullable: true, description: "备注。Free-text note for the ledger." })
  note?: string | null;
}

@InputType({ description: "报损明细。Issued units of one line that will not come back." })
export class WriteOffLineInput {
  @Field(() => ID, { description: "调拨明细。The order line." })
  lineId: string;

  @Field(() => Int, { description: "报损数量。Units written off." })
  quantity: number;

  @Field(() => FieldLossReason, { description: "原因。Why." })
  reason: FieldLossReason;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "是否已送达 Arrived: whether these units had reached the destination (lost or damaged there after delivery: true) or never did (短少, a short delivery: false). Left out, it follows from the line, as for returns; required when a line to a region or a point has units both in transit and delivered. Units received at a storage site are its stock (writeOffStock there); consumables delivered to a region or a point are used up: neither is written off on the order.",
  })
  arrived?: boolean | null;
}

@InputType({ description: "关闭调拨单。An order to close: every unit sent must be received, turned back, returned or written off (here, or before)." })
export class CloseDispatchOrderInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;

  @Field(() => [WriteOffLineInput], { nullable: true, description: "报损。Issued units that will not arrive or not come back (everything still in transit, and reusable items still out at a region or a point, must be accounted for)." })
  writeOffs?: WriteOffLineInput[] | null;

  @Field(() => String, { nullable: true, description: "审批人 Official approving the write-offs; required with writeOffs." })
  approvedBy?: string | null;

  @Field(() => String, { nullable: true, description: "报损说明。Note on the write-offs." })
  note?: string | null;
}

@InputType({ description: "取消调拨单。An order to cancel. After dispatch, everything sent must have come back (recordReturn) or be written off here." })
export class CancelDispatchOrderInput extends MutationInput {
  @Field(() => ID, { description: "调拨单。The order." })
  id: string;

  @Field(() => String, { description: "取消原因。Why it is cancelled." })
  reason: string;

  @Field(() => [WriteOffLineInput], { nullable: true, description: "报损。After dispatch: issued units that will not come back." })
  writeOffs?: WriteOffLineInput[] | null;

  @Field(() => String, { nullable: true, description: "审批人 Official approving the write-offs; required with writeOffs." })
  approvedBy?: string | null;
}

// ---------------------------------------------------------------- team deployments

@InputType({ description: "派遣救援队。Send a rescue team to an incident." })
export class DeployTeamInput extends MutationInput {
  @Field(() => ID, { description: "事件。The incident (must be OPEN)." })
  incidentId: string;

  @Field(() => ID, { description: "救援队。The team (not already deployed)." })
  teamId: string;

  @Field(() => Int, { description: "派出人数。Members sent; at most the team's available members." })
  headcount: number;

  @Field(() => String, { nullable: true, description: "任务说明 Task or note." })
  note?: string | null;

  @Field(() => [CheckCode], { nullable: true, description: "已确认的警告 Warnings of the pre-deployment checks the commander acknowledges (kept on the deployment and in the audit log); a social team sent without a call-up warns NO_CALL_UP." })
  acknowledgedChecks?: CheckCode[] | null;

  @Field(() => [String], { nullable: true, description: "携带装备 The team's equipment taken along, e.g. 冲锋舟 ×2 (at most 50 entries of 100 characters)." })
  equipment?: string[] | null;
}

@InputType({ description: "救援队归队。Bring a deployed team back." })
export class ReleaseTeamInput extends MutationInput {
  @Field(() => ID, { description: "救援队。The team (must be DEPLOYED)." })
  teamId: string;

  @Field(() => String, { nullable: true, description: "撤回说明 Note." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: "救援结果 Outcome, e.g. 救出2人: completes the local filing of a team called up (at most 2000 characters)." })
  outcome?: string | null;
}
