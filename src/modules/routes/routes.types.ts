// GraphQL types of the travel-time table besides its entities: payloads, routes, events.
import { Field, Int, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { RoadClosure, TravelLink } from "./route.entity";
import { RoadClosureChange, TravelMode } from "./routes.enums";

@ObjectType({ description: "通行时间设置结果。Result of `setTravelTime`." })
export class TravelLinkPayload {
  @Field(() => TravelLink, { nullable: true, description: "通行路段。The link as saved." })
  link?: TravelLink;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "道路中断操作结果。Result of `reportRoadClosure` and `reopenRoad`." })
export class RoadClosurePayload {
  @Field(() => RoadClosure, { nullable: true, description: "道路中断记录。The closure as saved." })
  closure?: RoadClosure;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "道路中断 reported or 恢复通行 (reopened)." })
export class RoadClosureEvent {
  @Field(() => RoadClosureChange, { description: "变化类型。What happened." })
  change: RoadClosureChange;

  @Field(() => RoadClosure, { description: "道路中断记录。The closure as committed when the event is delivered." })
  closure: RoadClosure;
}

@ObjectType({ description: "路段。One link of a route, in travel order." })
export class TravelRouteLeg {
  fromNodeId: number;
  toNodeId: number;
  linkId: number;

  @Field(() => TravelMode, { description: "公路 or 水路." })
  mode: TravelMode;

  @Field(() => Int, { description: "通行时间 of this link, minutes." })
  minutes: number;

  @Field(() => String, { nullable: true, description: "水域 crossed, for a water link." })
  waterway: string | null;
}

@ObjectType({ description: "通行路线: the quickest way between two places of the travel-time table now — closed roads (道路中断) left out, boats (水路) where they run." })
export class TravelRoute {
  fromNodeId: number;
  toNodeId: number;

  @Field(() => Boolean, { description: "是否可达。Whether any way is open now; false: cut off (道路中断, and no water link)." })
  reachable: boolean;

  @Field(() => Int, { nullable: true, description: "通行时间 in minutes; null when unreachable." })
  minutes: number | null;

  @Field(() => [TravelRouteLeg], { description: "路段。The links, in travel order." })
  legs: TravelRouteLeg[];

  @Field(() => [String], { description: "水域。Waters crossed (水路: 汉丰湖, 澎溪河 …); empty by road." })
  waterways: string[];

  @Field(() => String, { description: "途经地点。The places passed, e.g. 区级库 → 赵家街道 → 汉丰街道; 〔水路·汉丰湖〕 marks a boat." })
  path: string;

  @Field(() => String, { nullable: true, description: "绕行原因。What closes the usual way (e.g. 汉丰街道道路中断（山体滑坡）), when closures made this route longer or impossible." })
  detour: string | null;
}
