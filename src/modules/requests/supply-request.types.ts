import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { ConnectionType } from "../../core/graphql/relay";
import { DispatchOrder } from "../dispatch/dispatch-order.entity";
import { DispatchOrderChange } from "../dispatch/dispatch.enums";
import { SupplyRequest } from "./supply-request.entity";
import { SupplyRequestChange } from "./supply-request.enums";

export const SupplyRequestConnection = ConnectionType(SupplyRequest, "SupplyRequest", "A page of supply requests (需求申报).");

/** What every supply-request mutation returns. */
export interface RequestPayload {
  request?: SupplyRequest;
  errors: UserError[];
}

function requestPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements RequestPayload {
    @Field(() => SupplyRequest, { nullable: true, description: "The request as saved; null when refused." })
    request?: SupplyRequest;

    @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

export const SubmitSupplyRequestPayload = requestPayload("SubmitSupplyRequestPayload", "Result of submitSupplyRequest.");
export const ApproveSupplyRequestPayload = requestPayload("ApproveSupplyRequestPayload", "Result of approveSupplyRequest.");
export const RejectSupplyRequestPayload = requestPayload("RejectSupplyRequestPayload", "Result of rejectSupplyRequest.");
export const CancelSupplyRequestPayload = requestPayload("CancelSupplyRequestPayload", "Result of cancelSupplyRequest.");
export const CloseSupplyRequestPayload = requestPayload("CloseSupplyRequestPayload", "Result of closeSupplyRequest.");

@ObjectType({ description: "A supply request changed (after commit)." })
export class SupplyRequestEvent {
  @Field(() => SupplyRequestChange, { description: "What happened." })
  change: SupplyRequestChange;

  @Field(() => SupplyRequest, { description: "The request as committed when the event is delivered (a later change may already show)." })
  request: SupplyRequest;

  @Field(() => DispatchOrder, { nullable: true, description: "For ORDER_CHANGED: the dispatch order made from the request that changed." })
  order: DispatchOrder | null;

  @Field(() => DispatchOrderChange, { nullable: true, description: "For ORDER_CHANGED: what happened to that order." })
  orderChange: DispatchOrderChange | null;
}
