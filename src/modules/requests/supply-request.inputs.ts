import { Field, ID, InputType, Int } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { DestinationInput } from "../allocation/allocation.inputs";
import { DispatchPriority } from "../dispatch/dispatch.enums";
import { SupplyRequestPurpose, SupplyRequestStatus } from "./supply-request.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { INCIDENT, REGION, SUPPLY_REQUEST } from "../known-codes";

// ---------------------------------------------------------------- filters

@InputType({ description: "需求申报筛选。Filter for `supplyRequests`; all given conditions must hold." })
export class SupplyRequestWhere {
  @Field(() => SupplyRequestStatus, { nullable: true, description: "申报状态。Only requests in this state." })
  status?: SupplyRequestStatus | null;

  @Field(() => Boolean, { nullable: true, description: "未完结。true: only requests still open (SUBMITTED, APPROVED, FULFILLING); false: only finished ones." })
  open?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "超时未答复。true: only requests still unanswered (SUBMITTED) past the response deadline (SUPPLY_REQUEST_RESPONSE_HOURS); false: all others." })
  overdue?: boolean | null;

  @IdOrCodeFilter(REGION, "区域。Only requests whose destination lies in this region or below it (a township's own requests).")
  regionId?: string | null;

  @IdOrCodeFilter(INCIDENT, "突发事件。Only requests for this incident.")
  incidentId?: string | null;

  @Field(() => SupplyRequestPurpose, { nullable: true, description: "申报事由。Only requests with this purpose." })
  purpose?: SupplyRequestPurpose | null;

  @Field(() => DispatchPriority, { nullable: true, description: "紧急程度。Only requests of this priority (a request is as urgent as its most urgent line)." })
  priority?: DispatchPriority | null;
}

@InputType({ description: "需求申报变化筛选。Which supply-request changes to hear about; all given conditions must hold." })
export class SupplyRequestChangedWhere {
  @IdOrCodeFilter(SUPPLY_REQUEST, "需求申报。Only this request.")
  requestId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only requests whose destination lies in this region or below it.")
  regionId?: string | null;

  @Field(() => SupplyRequestStatus, { nullable: true, description: "申报状态。Only changes that leave the request in this state." })
  status?: SupplyRequestStatus | null;

  @IdOrCodeFilter(INCIDENT, "突发事件。Only requests for this incident.")
  incidentId?: string | null;
}

// ---------------------------------------------------------------- mutations

@InputType({ description: "需求明细 A line of a supply request: an item, how many, by when and how urgent." })
export class SupplyRequestLineInput {
  @Field(() => ID, { description: "物资。The supply item." })
  itemId: string;

  @Field(() => Int, { description: "申报数量。How many are asked for (a positive whole number)." })
  quantity: number;

  @Field(() => Date, { nullable: true, description: "需用时间 When they are needed by (not in the past); leave out for as soon as possible." })
  neededBy?: Date | null;

  @Field(() => DispatchPriority, { nullable: true, description: "紧急程度 How urgent (default NORMAL)." })
  priority?: DispatchPriority | null;
}

@InputType({ description: "需求申报 A new supply request (EDXL-RM RequestResource; Sahana Eden inv_req; an OpenBoxes requisition): it is SUBMITTED at once." })
export class SubmitSupplyRequestInput extends MutationInput {
  @Field(() => SupplyRequestPurpose, { description: "申报事由 Why: an incident, pre-positioning, or replenishing a site's stock." })
  purpose: SupplyRequestPurpose;

  @Field(() => ID, { nullable: true, description: "突发事件。The open incident the supplies are for; required with purpose INCIDENT, refused with the others." })
  incidentId?: string | null;

  @Field(() => DestinationInput, { description: "目的地。Where the supplies are needed: a region, a storage site (required for REPLENISHMENT), or a point with its region and a receiver." })
  destination: DestinationInput;

  @Field(() => [SupplyRequestLineInput], { description: "需求明细。Items asked for (1–100 lines, each item once)." })
  lines: SupplyRequestLineInput[];

  @Field(() => Int, { nullable: true, description: "受益人数 How many people the supplies serve." })
  peopleServed?: number | null;

  @Field(() => String, { nullable: true, description: "申报人 Who asks, when not the signed-in account's holder (default: the account's display name), e.g. a village head who phoned it in; required for API keys." })
  requesterName?: string | null;

  @Field(() => String, { description: "申报人联系电话 A phone number the district can call back on." })
  requesterPhone: string;

  @Field(() => String, { nullable: true, description: "申报说明 What the supplies are for (up to 500 characters)." })
  note?: string | null;
}

@InputType({ description: "核定数量。The approved quantity of one line." })
export class ApprovedLineInput {
  @Field(() => ID, { description: "需求明细。The request line." })
  lineId: string;

  @Field(() => Int, { description: "核定数量 Units approved: 0 up to the quantity asked for." })
  approvedQuantity: number;
}

@InputType({ description: "审核 Approve a SUBMITTED request, whole or in part (EDXL-RM ResponseToRequestResource)." })
export class ApproveSupplyRequestInput extends MutationInput {
  @Field(() => ID, { description: "需求申报。The request." })
  id: string;

  @Field(() => [ApprovedLineInput], { nullable: true, description: "各明细的核定数量。Leave out to approve every line in full; otherwise every line, each once, with its approved quantity (at least one above 0: approving nothing is a rejection)." })
  lines?: ApprovedLineInput[] | null;

  @Field(() => String, { nullable: true, description: "审核意见 Note for the requester; required when any line is cut." })
  note?: string | null;
}

@InputType({ description: "驳回 Reject a SUBMITTED request." })
export class RejectSupplyRequestInput extends MutationInput {
  @Field(() => ID, { description: "需求申报。The request." })
  id: string;

  @Field(() => String, { description: "驳回理由 Why (up to 500 characters)." })
  reason: string;
}

@InputType({ description: "撤回 Withdraw a request: SUBMITTED, or APPROVED before any order was made from it." })
export class CancelSupplyRequestInput extends MutationInput {
  @Field(() => ID, { description: "需求申报。The request." })
  id: string;

  @Field(() => String, { description: "撤回理由 Why (up to 500 characters)." })
  reason: string;
}

@InputType({ description: "关闭 Close an APPROVED or FULFILLING request: what is not yet on an order will not be sent. Orders already dispatched go on; one not yet dispatched must be dispatched or cancelled first." })
export class CloseSupplyRequestInput extends MutationInput {
  @Field(() => ID, { description: "需求申报。The request." })
  id: string;

  @Field(() => String, { description: "关闭理由 Why the rest will not be sent (up to 500 characters)." })
  reason: string;
}
