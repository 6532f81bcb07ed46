import { Field, Float, ID, InputType, Int } from "type-graphql";
import { DispatchPriority } from "../dispatch/dispatch.enums";

@InputType({
  description:
    "Where goods go: a region (give `regionId` only), a storage site (`siteId`), or a point in the field (`latitude`, `longitude`, the `regionId` it lies in, and a receiver with phone).",
})
export class DestinationInput {
  @Field(() => ID, { nullable: true, description: "A region (township or village) — alone for a region destination, or the region a point lies in." })
  regionId?: string | null;

  @Field(() => ID, { nullable: true, description: "A storage site (pre-positioning into another store)." })
  siteId?: string | null;

  @Field(() => Float, { nullable: true, description: "Latitude of a point destination (WGS-84)." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude of a point destination (WGS-84)." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "Address or description, e.g. 临江镇中学安置点." })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "Receiver's name (收货人); required for a point." })
  receiverName?: string | null;

  @Field(() => String, { nullable: true, description: "Receiver's phone (收货人电话); required for a point." })
  receiverPhone?: string | null;
}

@InputType({ description: "An item and how many are needed." })
export class PlanLineInput {
  @Field(() => ID, { description: "The supply item." })
  itemId: string;

  @Field(() => Int, { description: "How many are needed (a positive whole number)." })
  quantity: number;
}

@InputType({ description: "What to plan sources for. Planning changes nothing." })
export class PlanAllocationInput {
  @Field(() => DestinationInput, { description: "Where the goods must go (travel times are to here)." })
  destination: DestinationInput;

  @Field(() => [PlanLineInput], { description: "Items and quantities needed (1–100 lines, each item once)." })
  lines: PlanLineInput[];

  @Field(() => DispatchPriority, { nullable: true, description: "Priority of the order being planned (default NORMAL); an URGENT order of an open incident may draw on other townships' points, and only URGENT may go below minimums." })
  priority?: DispatchPriority | null;

  @Field(() => Boolean, { nullable: true, description: "Take stock below sites' minimums (最低库存) when needed, where the source rules allow it; URGENT only. Default false." })
  allowBelowMinimum?: boolean | null;

  @Field(() => ID, { nullable: true, description: "The open incident the order is for (突发事件); without one the plan is for a routine order (日常调拨: pre-positioning, replenishing, a township's request), which the source rules serve from the district depot first." })
  incidentId?: string | null;
}
