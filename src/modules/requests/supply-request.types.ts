import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { ConnectionType } from "../../core/graphql/relay";
import { DispatchOrder } from "../dispatch/dispatch-order.entity";
import { DispatchOrderChange } from "../dispatch/dispatch.enums";
import { SupplyRequest } from "./supply-request.entity";
import { SupplyRequestChange } from "./supply-request.enums";

export const SupplyRequestConnection = ConnectionType(SupplyRequest, "SupplyRequest", "需求申报分页。A page of supply requests.");

/** What every supply-request mutation returns. */
export interface RequestPayload {
  request?: SupplyRequest;
  errors: UserError[];
}

function requestPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements RequestPayload {
    @Field(() => SupplyRequest, { nullable: true, description: "需求申报。The request as saved; null when refused." })
    request?: SupplyRequest;

    @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

export const SubmitSupplyRequestPayload = requestPayload("SubmitSupplyRequestPayload", "需求申报提交结果。Result of submitSupplyRequest.");
export const ApproveSupplyRequestPayload = requestPayload("ApproveSupplyRequestPayload", "需求申报审核结果。Result of approveSupplyRequest.");
export const RejectSupplyRequestPayload = requestPayload("RejectSupplyRequestPayload", "驳回需求申报结果。Result of rejectSupplyRequest.");
export const CancelSupplyRequestPayload = requestPayload("CancelSupplyRequestPayload", "撤回需求申报结果。Result of cancelSupplyRequest.");
export const CloseSupplyRequestPayload = requestPayload("CloseSupplyRequestPayload", "关闭需求申报结果。Result of closeSupplyRequest.");

@ObjectType({ description: "需求申报变化事件。A supply request changed (after commit)." })
export class SupplyRequestEvent {
  @Field(() => SupplyRequestChange, { description: "变化类型。What happened." })
  change: SupplyRequestChange;

  @Field(() => SupplyRequest, { description: "需求申报。The request as committed when the event is delivered (a later change may already show)." })
  request: SupplyRequest;

  @Field(() => DispatchOrder, { nullable: true, description: "调拨单。For ORDER_CHANGED: the dispatch order made from the request that changed." })
  order: DispatchOrder | null;

  @Field(() => DispatchOrderChange, { nullable: true, description: "调拨单变化。For ORDER_CHANGED: what happened to that order." })
  orderChange: DispatchOrderChange | null;
}
