import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { ConnectionType } from "../../core/graphql/relay";
import { AllocationPlan } from "../allocation/allocation.types";
import { StockMovement } from "../reserves/stock-movement.entity";
import { RescueTeam } from "../teams/team.entity";
import { DispatchOrderChange } from "./dispatch.enums";
import { DispatchOrder } from "./dispatch-order.entity";
import { TeamDeployment } from "./team-deployment.entity";

export const DispatchOrderConnection = ConnectionType(DispatchOrder, "DispatchOrder", "调拨单分页。A page of dispatch orders.");

/** What every dispatch-order mutation returns. */
export interface OrderPayload {
  order?: DispatchOrder;
  errors: UserError[];
}

/** `<Verb>Payload` types of the order mutations: the order and the errors. */
function orderPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements OrderPayload {
    @Field(() => DispatchOrder, { nullable: true, description: "调拨单。The order as saved; null when refused." })
    order?: DispatchOrder;

    @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

/** Create and update can also return the plan their sources came from. */
function plannedOrderPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements OrderPayload {
    @Field(() => DispatchOrder, { nullable: true, description: "调拨单。The order as saved; null when refused." })
    order?: DispatchOrder;

    @Field(() => AllocationPlan, { nullable: true, description: "调拨方案。With autoAllocate: the plan the sources came from, with reasons and any shortfall." })
    plan?: AllocationPlan | null;

    @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

export const CreateDispatchOrderPayload = plannedOrderPayload("CreateDispatchOrderPayload", "新建调拨单结果。Result of createDispatchOrder.");
export const UpdateDispatchOrderPayload = plannedOrderPayload("UpdateDispatchOrderPayload", "修改调拨单结果。Result of updateDispatchOrder.");
export const SubmitDispatchOrderPayload = orderPayload("SubmitDispatchOrderPayload", "提交审批结果。Result of submitDispatchOrder.");
export const ApproveDispatchOrderPayload = orderPayload("ApproveDispatchOrderPayload", "审批调拨单结果。Result of approveDispatchOrder.");
export const MarkDispatchedPayload = orderPayload("MarkDispatchedPayload", "发运结果。Result of markDispatched.");
@ObjectType("ConfirmDeliveryPayload", { description: "签收结果。Result of confirmDelivery." })
export class ConfirmDeliveryPayload implements OrderPayload {
  @Field(() => DispatchOrder, { nullable: true, description: "调拨单。The order as saved; null when refused." })
  order?: DispatchOrder;

  @Field(() => [StockMovement], {
    nullable: true,
    description: "签收入库 The entries booked at the receiving storage site, one per source batch (TRANSFER_IN from our sites, RECEIPT of partner goods); empty for a region or a point.",
  })
  receipts?: StockMovement[];

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}
export const RecordReturnPayload = orderPayload("RecordReturnPayload", "回收结果。Result of recordReturn.");
export const CloseDispatchOrderPayload = orderPayload("CloseDispatchOrderPayload", "关闭调拨单结果。Result of closeDispatchOrder.");
export const CancelDispatchOrderPayload = orderPayload("CancelDispatchOrderPayload", "取消调拨单结果。Result of cancelDispatchOrder.");

export interface DeploymentPayload {
  deployment?: TeamDeployment;
  team?: RescueTeam;
  errors: UserError[];
}

function deploymentPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements DeploymentPayload {
    @Field(() => TeamDeployment, { nullable: true, description: "派遣记录。The deployment as saved; null when refused." })
    deployment?: TeamDeployment;

    @Field(() => RescueTeam, { nullable: true, description: "救援队及其战备状态。The team with its readiness after the change." })
    team?: RescueTeam;

    @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

export const DeployTeamPayload = deploymentPayload("DeployTeamPayload", "派遣结果。Result of deployTeam.");
export const ReleaseTeamPayload = deploymentPayload("ReleaseTeamPayload", "归队结果。Result of releaseTeam.");

@ObjectType({ description: "调拨单变化事件。A dispatch order changed (after commit)." })
export class DispatchOrderEvent {
  @Field(() => DispatchOrderChange, { description: "变化类型。What happened." })
  change: DispatchOrderChange;

  @Field(() => DispatchOrder, { description: "调拨单。The order as committed when the event is delivered (a later change may already show)." })
  order: DispatchOrder;
}
