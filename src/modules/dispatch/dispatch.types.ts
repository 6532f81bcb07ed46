import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { ConnectionType } from "../../core/graphql/relay";
import { AllocationPlan } from "../allocation/allocation.types";
import { StockMovement } from "../reserves/stock-movement.entity";
import { RescueTeam } from "../teams/team.entity";
import { DispatchOrderChange } from "./dispatch.enums";
import { DispatchOrder } from "./dispatch-order.entity";
import { TeamDeployment } from "./team-deployment.entity";

export const DispatchOrderConnection = ConnectionType(DispatchOrder, "DispatchOrder", "A page of dispatch orders.");

/** What every dispatch-order mutation returns. */
export interface OrderPayload {
  order?: DispatchOrder;
  errors: UserError[];
}

/** `<Verb>Payload` types of the order mutations: the order and the errors. */
function orderPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements OrderPayload {
    @Field(() => DispatchOrder, { nullable: true, description: "The order as saved; null when refused." })
    order?: DispatchOrder;

    @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

/** Create and update can also return the plan their sources came from. */
function plannedOrderPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements OrderPayload {
    @Field(() => DispatchOrder, { nullable: true, description: "The order as saved; null when refused." })
    order?: DispatchOrder;

    @Field(() => AllocationPlan, { nullable: true, description: "With autoAllocate: the plan the sources came from, with reasons and any shortfall." })
    plan?: AllocationPlan | null;

    @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

export const CreateDispatchOrderPayload = plannedOrderPayload("CreateDispatchOrderPayload", "Result of createDispatchOrder.");
export const UpdateDispatchOrderPayload = plannedOrderPayload("UpdateDispatchOrderPayload", "Result of updateDispatchOrder.");
export const SubmitDispatchOrderPayload = orderPayload("SubmitDispatchOrderPayload", "Result of submitDispatchOrder.");
export const ApproveDispatchOrderPayload = orderPayload("ApproveDispatchOrderPayload", "Result of approveDispatchOrder.");
export const MarkDispatchedPayload = orderPayload("MarkDispatchedPayload", "Result of markDispatched.");
@ObjectType("ConfirmDeliveryPayload", { description: "Result of confirmDelivery." })
export class ConfirmDeliveryPayload implements OrderPayload {
  @Field(() => DispatchOrder, { nullable: true, description: "The order as saved; null when refused." })
  order?: DispatchOrder;

  @Field(() => [StockMovement], {
    nullable: true,
    description: "签收入库 The entries booked at the receiving storage site, one per source batch (TRANSFER_IN from our sites, RECEIPT of partner goods); empty for a region or a point.",
  })
  receipts?: StockMovement[];

  @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}
export const RecordReturnPayload = orderPayload("RecordReturnPayload", "Result of recordReturn.");
export const CloseDispatchOrderPayload = orderPayload("CloseDispatchOrderPayload", "Result of closeDispatchOrder.");
export const CancelDispatchOrderPayload = orderPayload("CancelDispatchOrderPayload", "Result of cancelDispatchOrder.");

export interface DeploymentPayload {
  deployment?: TeamDeployment;
  team?: RescueTeam;
  errors: UserError[];
}

function deploymentPayload(name: string, description: string) {
  @ObjectType(name, { description })
  class Payload implements DeploymentPayload {
    @Field(() => TeamDeployment, { nullable: true, description: "The deployment as saved; null when refused." })
    deployment?: TeamDeployment;

    @Field(() => RescueTeam, { nullable: true, description: "The team with its readiness after the change." })
    team?: RescueTeam;

    @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
    errors: UserError[];
  }
  return Payload;
}

export const DeployTeamPayload = deploymentPayload("DeployTeamPayload", "Result of deployTeam.");
export const ReleaseTeamPayload = deploymentPayload("ReleaseTeamPayload", "Result of releaseTeam.");

@ObjectType({ description: "A dispatch order changed (after commit)." })
export class DispatchOrderEvent {
  @Field(() => DispatchOrderChange, { description: "What happened." })
  change: DispatchOrderChange;

  @Field(() => DispatchOrder, { description: "The order as committed when the event is delivered (a later change may already show)." })
  order: DispatchOrder;
}
