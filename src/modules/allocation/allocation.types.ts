import { Field, Float, Int, ObjectType } from "type-graphql";
import { AllocationSourceKind, SourceTier } from "../dispatch/dispatch.enums";
import { PlanningPurpose, SourceRelation } from "./source-rules";

@ObjectType({ description: "建议来源。A proposed source for (part of) a line, and why it was chosen." })
export class PlannedSource {
  @Field(() => AllocationSourceKind, { description: "来源类别。Site stock, partner agreement stock or partner capacity." })
  kind: AllocationSourceKind;

  @Field(() => SourceTier, { description: "储备层级。The tier this source belongs to." })
  tier: SourceTier;

  @Field(() => SourceRelation, { description: "调拨关系: the row of the source rules it was taken under (see `allocationRules`)." })
  relation: SourceRelation;

  itemId: number;
  siteId: number | null;
  batchId: number | null;
  partnerId: number | null;

  @Field(() => Int, { description: "建议数量。Quantity proposed from this source." })
  quantity: number;

  @Field(() => Float, { description: "直线距离（公里）。Straight-line distance from the destination, km (for orientation: travel time decides)." })
  distanceKm: number;

  @Field(() => Int, { description: "通行时间: minutes until the goods can be at the destination, over the travel-time table now (closed roads left out); for production capacity, its lead time included." })
  travelMinutes: number;

  @Field(() => Boolean, { description: "水路: whether the way goes by water, e.g. because the roads are cut (道路中断)." })
  byWater: boolean;

  @Field(() => Int, { description: "可调数量。What this source could give under the rules (above its minimum unless allowed below; for capacity, one day's output)." })
  usable: number;

  @Field(() => Int, { nullable: true, description: "产能响应时间（小时）。Hours until a production call delivers its first units; null for stock." })
  leadTimeHours: number | null;

  @Field(() => String, { description: "选用理由。Why this source, Chinese first then English: the rule that lets it give, the route and its minutes (道路中断, 经水路 …), what is usable and what is kept, the batch's expiry." })
  reason: string;
}

@ObjectType({ description: "无法到达: a source the rules would use that cannot reach the destination now (道路中断, and no 水路), with why." })
export class PassedOverSource {
  @Field(() => AllocationSourceKind, { description: "来源类别。Site stock, partner agreement stock or partner capacity." })
  kind: AllocationSourceKind;

  @Field(() => SourceTier, { description: "储备层级。Its tier." })
  tier: SourceTier;

  @Field(() => SourceRelation, { description: "调拨关系。The row of the source rules it would have given under." })
  relation: SourceRelation;

  itemId: number;
  siteId: number | null;
  partnerId: number | null;

  @Field(() => Int, { description: "可调数量。What it could have given under the rules." })
  usable: number;

  @Field(() => String, { description: "未选用原因。Why it was passed over (无法到达: which closure), Chinese first then English." })
  reason: string;
}

@ObjectType({ description: "方案明细。The proposed sources of one line, and any shortfall." })
export class PlannedLine {
  itemId: number;

  @Field(() => Int, { description: "需求数量。Quantity needed." })
  requested: number;

  @Field(() => Int, { description: "已分配数量。Quantity the proposed sources cover." })
  allocated: number;

  @Field(() => Int, { description: "缺口 Quantity no source could cover; 0 when fully covered." })
  shortfall: number;

  @Field(() => [PlannedSource], { description: "建议来源。Sources in the order chosen: by the rules' round, then travel time, then the rules' row order." })
  sources: PlannedSource[];

  @Field(() => [PassedOverSource], { description: "无法到达的来源。Sources the rules would use but that cannot reach the destination now (at most 20)." })
  passedOver: PassedOverSource[];
}

@ObjectType({ description: "调拨方案 A proposed allocation. Nothing is reserved until an order built from it is approved." })
export class AllocationPlan {
  @Field(() => String, { description: "调拨策略。Name of the strategy that made it (ALLOCATION_STRATEGY), e.g. travel-time." })
  strategy: string;

  @Field(() => PlanningPurpose, { description: "调拨用途 as the rules read it: from the incident (open or not) and the priority." })
  purpose: PlanningPurpose;

  @Field(() => [PlannedLine], { description: "方案明细。One entry per requested line, in the order given." })
  lines: PlannedLine[];

  @Field(() => Boolean, { description: "是否全部满足。Whether every line is fully covered." })
  get complete(): boolean {
    return this.lines.every((line) => line.shortfall === 0);
  }
}

@ObjectType({ description: "调拨规则: a row of the source rules — who may give to a destination, in which round, for each purpose." })
export class AllocationRule {
  @Field(() => SourceRelation, { description: "调拨关系。Who the source is to the destination." })
  relation: SourceRelation;

  @Field(() => String, { description: "规则中文名。Chinese name, e.g. 本乡镇储备点." })
  name: string;

  @Field(() => SourceTier, { description: "储备层级。Its tier." })
  tier: SourceTier;

  @Field(() => Int, { nullable: true, description: "日常调拨轮次。Round for 日常调拨 (ROUTINE; 1 first); null: never." })
  routineRound: number | null;

  @Field(() => Int, { nullable: true, description: "事件调拨轮次。Round for 事件调拨 (INCIDENT); null: never." })
  incidentRound: number | null;

  @Field(() => Int, { nullable: true, description: "紧急事件调拨轮次。Round for 紧急事件调拨 (URGENT_INCIDENT); null: never." })
  urgentIncidentRound: number | null;

  @Field(() => Boolean, { description: "可否低于最低库存。Whether an URGENT order's allowBelowMinimum may take it below its minimum (最低库存)." })
  mayGoBelowMinimum: boolean;

  @Field(() => String, { nullable: true, description: "不适用情形。When it is never used, and why (Chinese, then English)." })
  restriction: string | null;
}
