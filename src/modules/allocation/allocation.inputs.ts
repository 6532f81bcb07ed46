import { Field, Float, ID, InputType, Int } from "type-graphql";
import { DispatchPriority } from "../dispatch/dispatch.enums";

@InputType({
  description:
    "目的地：区域、储备点或现场地点。Where goods go: a region (give `regionId` only), a storage site (`siteId`), or a point in the field (`latitude`, `longitude`, the `regionId` it lies in, and a receiver with phone).",
})
export class DestinationInput {
  @Field(() => ID, { nullable: true, description: "区域。A region (township or village) — alone for a region destination, or the region a point lies in." })
  regionId?: string | null;

  @Field(() => ID, { nullable: true, description: "储备点。A storage site (pre-positioning into another store)." })
  siteId?: string | null;

  @Field(() => Float, { nullable: true, description: "纬度。Latitude of a point destination (WGS-84)." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "经度。Longitude of a point destination (WGS-84)." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "地址。Address or description, e.g. 临江镇中学安置点." })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "收货人 Receiver's name; required for a point." })
  receiverName?: string | null;

  @Field(() => String, { nullable: true, description: "收货人电话 Receiver's phone; required for a point." })
  receiverPhone?: string | null;
}

@InputType({ description: "需求明细。An item and how many are needed." })
export class PlanLineInput {
  @Field(() => ID, { description: "物资。The supply item." })
  itemId: string;

  @Field(() => Int, { description: "需求数量。How many are needed (a positive whole number)." })
  quantity: number;
}

@InputType({ description: "调拨方案请求。What to plan sources for. Planning changes nothing." })
export class PlanAllocationInput {
  @Field(() => DestinationInput, { description: "目的地。Where the goods must go (travel times are to here)." })
  destination: DestinationInput;

  @Field(() => [PlanLineInput], { description: "需求明细。Items and quantities needed (1–100 lines, each item once)." })
  lines: PlanLineInput[];

  @Field(() => DispatchPriority, { nullable: true, description: "紧急程度。Priority of the order being planned (default NORMAL); an URGENT order of an open incident may draw on other townships' points, and only URGENT may go below minimums." })
  priority?: DispatchPriority | null;

  @Field(() => Boolean, { nullable: true, description: "最低库存 Take stock below sites' minimums when needed, where the source rules allow it; URGENT only. Default false." })
  allowBelowMinimum?: boolean | null;

  @Field(() => ID, { nullable: true, description: "突发事件 The open incident the order is for; without one the plan is for a routine order (日常调拨: pre-positioning, replenishing, a township's request), which the source rules serve from the district depot first." })
  incidentId?: string | null;
}
