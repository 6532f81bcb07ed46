// GraphQL types of the travel-time table besides its entities: payloads, routes, events.
import { Field, Int, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { RoadClosure, TravelLink } from "./route.entity";
import { RoadClosureChange, TravelMode } from "./routes.enums";

@ObjectType({ description: "Result of `setTravelTime`." })
export class TravelLinkPayload {
  @Field(() => TravelLink, { nullable: true, description: "The link as saved." })
  link?: TravelLink;

  @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `reportRoadClosure` and `reopenRoad`." })
export class RoadClosurePayload {
  @Field(() => RoadClosure, { nullable: true, description: "The closure as saved." })
  closure?: RoadClosure;

  @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "道路中断 reported or 恢复通行 (reopened)." })
export class RoadClosureEvent {
  @Field(() => RoadClosureChange, { description: "What happened." })
  change: RoadClosureChange;

  @Field(() => RoadClosure, { description: "The closure as committed when the event is delivered." })
  closure: RoadClosure;
}

@ObjectType({ description: "One link of a route, in travel order." })
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

  @Field(() => Boolean, { description: "Whether any way is open now; false: cut off (道路中断, and no water link)." })
  reachable: boolean;

  @Field(() => Int, { nullable: true, description: "通行时间 in minutes; null when unreachable." })
  minutes: number | null;

  @Field(() => [TravelRouteLeg], { description: "The links, in travel order." })
  legs: TravelRouteLeg[];

  @Field(() => [String], { description: "Waters crossed (水路: 汉丰湖, 澎溪河 …); empty by road." })
  waterways: string[];

  @Field(() => String, { description: "The places passed, e.g. 区级库 → 赵家街道 → 汉丰街道; 〔水路·汉丰湖〕 marks a boat." })
  path: string;

  @Field(() => String, { nullable: true, description: "What closes the usual way (e.g. 汉丰街道道路中断（山体滑坡）), when closures made this route longer or impossible." })
  detour: string | null;
}
