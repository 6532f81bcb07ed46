import { Field, Float, Int, ObjectType } from "type-graphql";
import { AllocationSourceKind, SourceTier } from "../dispatch/dispatch.enums";

@ObjectType({ description: "A proposed source for (part of) a line, and why it was chosen." })
export class PlannedSource {
  @Field(() => AllocationSourceKind, { description: "Site stock, partner agreement stock or partner capacity." })
  kind: AllocationSourceKind;

  @Field(() => SourceTier, { description: "The tier this source belongs to in the escalation." })
  tier: SourceTier;

  itemId: number;
  siteId: number | null;
  batchId: number | null;
  partnerId: number | null;

  @Field(() => Int, { description: "Quantity proposed from this source." })
  quantity: number;

  @Field(() => Float, { description: "Straight-line distance from the destination, km." })
  distanceKm: number;

  @Field(() => Int, { description: "What this source could give under the rules (above its minimum unless allowed below; for capacity, one day's output)." })
  usable: number;

  @Field(() => Int, { nullable: true, description: "Hours until a production call delivers its first units; null for stock." })
  leadTimeHours: number | null;

  @Field(() => String, { description: "Why this source: tier, distance, what is available, minimum kept, batch expiry." })
  reason: string;
}

@ObjectType({ description: "The proposed sources of one line, and any shortfall." })
export class PlannedLine {
  itemId: number;

  @Field(() => Int, { description: "Quantity needed." })
  requested: number;

  @Field(() => Int, { description: "Quantity the proposed sources cover." })
  allocated: number;

  @Field(() => Int, { description: "Quantity no source could cover (缺口); 0 when fully covered." })
  shortfall: number;

  @Field(() => [PlannedSource], { description: "Sources in the order chosen (nearest first, escalating by tier)." })
  sources: PlannedSource[];
}

@ObjectType({ description: "A proposed allocation (调拨方案). Nothing is reserved until an order built from it is approved." })
export class AllocationPlan {
  @Field(() => String, { description: "Name of the strategy that made it (ALLOCATION_STRATEGY), e.g. nearest-tier." })
  strategy: string;

  @Field(() => [PlannedLine], { description: "One entry per requested line, in the order given." })
  lines: PlannedLine[];

  @Field(() => Boolean, { description: "Whether every line is fully covered." })
  get complete(): boolean {
    return this.lines.every((line) => line.shortfall === 0);
  }
}
