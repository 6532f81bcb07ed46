// 排序 How region lists sort (`orderBy`): by code (the national division code's order), name or level.
import { defineOrder, enumRank, pinyin, SortDirection } from "../../core/graphql/relay";
import { RegionLevel, type Region } from "./region.entity";

export enum RegionOrderField {
  CODE = "CODE",
  NAME = "NAME",
  LEVEL = "LEVEL",
}

export const REGION_ORDER = defineOrder<Region, RegionOrderField>({
  name: "Region",
  fields: RegionOrderField,
  description: "行政区划排序字段 What regions sort by.",
  keys: {
    CODE: { sql: "region.code", value: (r) => r.code, describe: "编码 Region code: the district's own order, townships before their villages." },
    NAME: { sql: pinyin("region.name"), describe: "名称 Region name, in Hanyu Pinyin order (按拼音)." },
    LEVEL: { sql: enumRank(Object.values(RegionLevel), "region.level"), describe: "层级 Level, top down: district, township-level units, villages and communities." },
  },
  tiebreak: { sql: "region.id", value: (r) => r.id },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});
