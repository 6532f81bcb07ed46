// 排序 How the travel-time table's lists sort (`orderBy`): places by code or name, links by
// minutes, closures by when they were reported or reopened.
import { defineOrder, pinyin, SortDirection } from "../../core/graphql/relay";
import type { RoadClosure, RouteNode, TravelLink } from "./route.entity";

const NODE_CODE = "coalesce((SELECT r.code FROM region r WHERE r.id = node.region_id), (SELECT s.code FROM storage_site s WHERE s.id = node.site_id))";
const NODE_NAME = "coalesce((SELECT r.name FROM region r WHERE r.id = node.region_id), (SELECT s.name FROM storage_site s WHERE s.id = node.site_id))";

export enum RouteNodeOrderField {
  CODE = "CODE",
  NAME = "NAME",
}

export const ROUTE_NODE_ORDER = defineOrder<RouteNode, RouteNodeOrderField>({
  name: "RouteNode",
  fields: RouteNodeOrderField,
  description: "通行地点排序字段 What the travel-time table's places sort by.",
  keys: {
    CODE: { sql: NODE_CODE, describe: "编码 The code of the township-level unit or the depot." },
    NAME: { sql: pinyin(NODE_NAME), describe: "名称 Its name, in Hanyu Pinyin order (按拼音)." },
  },
  tiebreak: { sql: "node.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.ASC, says: "in id order" },
});

export enum TravelLinkOrderField {
  MINUTES = "MINUTES",
  DISTANCE = "DISTANCE",
  UPDATED_AT = "UPDATED_AT",
}

export const TRAVEL_LINK_ORDER = defineOrder<TravelLink, TravelLinkOrderField>({
  name: "TravelLink",
  fields: TravelLinkOrderField,
  description: "通行路段排序字段 What travel-time links sort by.",
  keys: {
    MINUTES: { sql: "link.minutes", describe: "通行时间 Minutes to travel the link." },
    DISTANCE: { sql: "link.distance_km", describe: "直线距离 Straight-line distance." },
    UPDATED_AT: { sql: "link.updated_at", describe: "更新时间 When the minutes were last set." },
  },
  tiebreak: { sql: "link.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.ASC, says: "in id order" },
});

export enum RoadClosureOrderField {
  REPORTED_AT = "REPORTED_AT",
  REOPENED_AT = "REOPENED_AT",
}

export const ROAD_CLOSURE_ORDER = defineOrder<RoadClosure, RoadClosureOrderField>({
  name: "RoadClosure",
  fields: RoadClosureOrderField,
  description: "道路中断排序字段 What road closures sort by.",
  keys: {
    REPORTED_AT: { sql: "closure.reported_at", describe: "报告时间 When the closure was reported." },
    REOPENED_AT: { sql: "closure.reopened_at", nullable: true, describe: "恢复时间 When the road reopened; closures still in force sort last ascending, first descending." },
  },
  tiebreak: { sql: "closure.id" },
  defaultOrder: { terms: [{ field: "REPORTED_AT", direction: SortDirection.DESC }], tiebreak: SortDirection.DESC, says: "newest first" },
});
