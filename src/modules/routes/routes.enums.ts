// Vocabularies of the travel-time table (通行时间表). Stored as text with CHECK constraints.
import { registerEnumType } from "type-graphql";

export enum TravelMode {
  ROAD = "ROAD",
  WATER = "WATER",
}
registerEnumType(TravelMode, {
  name: "TravelMode",
  description: "运输方式: how goods travel a link.",
  valuesConfig: {
    ROAD: { description: "公路 (by road): trucks on the county and township roads." },
    WATER: { description: "水路 (by water): boats across 汉丰湖 or along 澎溪河; still running when the roads are cut (道路中断)." },
  },
});

export enum TravelTimeBasis {
  DERIVED = "DERIVED",
  SURVEYED = "SURVEYED",
}
registerEnumType(TravelTimeBasis, {
  name: "TravelTimeBasis",
  description: "通行时间依据: where a link's minutes come from.",
  valuesConfig: {
    DERIVED: { description: "估算 (derived): straight-line distance × a detour factor at a typical speed, until staff enter a measured time." },
    SURVEYED: { description: "实测 (surveyed): entered by staff (setTravelTime or a routes sheet)." },
  },
});

export enum RouteNodeKind {
  TOWNSHIP_UNIT = "TOWNSHIP_UNIT",
  DISTRICT_DEPOT = "DISTRICT_DEPOT",
}
registerEnumType(RouteNodeKind, {
  name: "RouteNodeKind",
  description: "通行地点类别: what a place of the travel-time table stands for.",
  valuesConfig: {
    TOWNSHIP_UNIT: { description: "乡镇（街道）: a township-level unit, at its centre; its point and village rooms reach it by a derived time." },
    DISTRICT_DEPOT: { description: "区级库: the district depot." },
  },
});

export enum RoadClosureChange {
  REPORTED = "REPORTED",
  REOPENED = "REOPENED",
}
registerEnumType(RoadClosureChange, {
  name: "RoadClosureChange",
  description: "道路中断变化: what happened to a road closure.",
  valuesConfig: {
    REPORTED: { description: "道路中断 reported." },
    REOPENED: { description: "道路恢复通行: reopened." },
  },
});

export const TRAVEL_MODE_WORDS: Record<TravelMode, string> = { ROAD: "公路", WATER: "水路" };

export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}
