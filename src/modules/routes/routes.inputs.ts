import { Field, ID, InputType, Int } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { TravelMode, TravelTimeBasis } from "./routes.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { REGION, ROUTE_NODE } from "../known-codes";

@InputType({ description: "通行时间: set the minutes between two places for one mode (ADMIN, district-wide LOGISTICS). Creates the link if there is none; the link is marked SURVEYED (实测)." })
export class SetTravelTimeInput extends MutationInput {
  @Field(() => ID, { description: "起点。One end (a RouteNode); a link is the same either way." })
  fromId: string;

  @Field(() => ID, { description: "终点。The other end (a RouteNode) of the same district." })
  toId: string;

  @Field(() => TravelMode, { description: "公路 (ROAD) or 水路 (WATER)." })
  mode: TravelMode;

  @Field(() => Int, { description: "通行时间 in whole minutes (1–1440), loading a boat included." })
  minutes: number;

  @Field(() => String, { nullable: true, description: "水域 of a WATER link, e.g. 汉丰湖 or 澎溪河 (at most 50 characters); left out: unchanged; empty: none." })
  waterway?: string | null;

  @Field(() => String, { nullable: true, description: "备注 Note, e.g. 2026-05 实测，满载货车 (at most 500 characters); left out: unchanged; empty: none." })
  note?: string | null;
}

@InputType({ description: "道路中断: report a place cut off by road (every road link touching it), or one link. ADMIN, COMMANDER, LOGISTICS (a township-scoped account: its own unit and the links touching it)." })
export class ReportRoadClosureInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: "中断地点。The place (a RouteNode) cut off by road: its road links close, its water links still run." })
  nodeId?: string | null;

  @Field(() => ID, { nullable: true, description: "中断路段。Or the one link (a TravelLink) that is closed, by road or water." })
  linkId?: string | null;

  @Field(() => String, { description: "中断原因, e.g. 山体滑坡，K12 处路基垮塌 (1–300 characters)." })
  reason: string;
}

@InputType({ description: "恢复通行: reopen a road, ending a closure, which stays in the history." })
export class ReopenRoadInput extends MutationInput {
  @Field(() => ID, { description: "道路中断记录。The closure (a RoadClosure) to end." })
  closureId: string;

  @Field(() => String, { nullable: true, description: "备注。Note, e.g. 单车道通行 (at most 500 characters)." })
  note?: string | null;
}

@InputType({ description: "通行地点筛选。Filter for `routeNodes`." })
export class RouteNodeWhere {
  @IdOrCodeFilter(REGION, "区县。Only places of this district (a Region).")
  districtId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "道路中断 true: only places cut off by road now; false: only the others." })
  cutOff?: boolean | null;
}

@InputType({ description: "通行路段筛选。Filter for `travelLinks`; all given conditions must hold." })
export class TravelLinkWhere {
  @IdOrCodeFilter(ROUTE_NODE, "通行地点。Only links touching this place (a RouteNode).")
  nodeId?: string | null;

  @Field(() => TravelMode, { nullable: true, description: "运输方式。Only road (公路) or only water (水路) links." })
  mode?: TravelMode | null;

  @Field(() => TravelTimeBasis, { nullable: true, description: "通行时间依据。Only derived (估算) or only surveyed (实测) times." })
  basis?: TravelTimeBasis | null;

  @Field(() => Boolean, { nullable: true, description: "是否中断。true: only links closed now (their own closure, or a road whose end is cut off); false: only open ones." })
  closed?: boolean | null;
}

@InputType({ description: "道路中断筛选。Filter for `roadClosures`." })
export class RoadClosureWhere {
  @Field(() => Boolean, { nullable: true, description: "中断中 true: only closures in force; false: only reopened ones." })
  active?: boolean | null;

  @IdOrCodeFilter(ROUTE_NODE, "通行地点。Only closures of this place or of links touching it (a RouteNode).")
  nodeId?: string | null;
}

@InputType({ description: "道路中断变化筛选。Which road closure changes a subscriber wants (the wall: 道路中断 as it happens)." })
export class RoadClosureChangedWhere {
  @IdOrCodeFilter(REGION, "区域。Only closures touching places in this region or below it (a township, or the district).")
  regionId?: string | null;
}
