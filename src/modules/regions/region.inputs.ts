import { Field, ID, InputType } from "type-graphql";
import { RegionLevel } from "./region.entity";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { REGION } from "../known-codes";

@InputType({ description: "行政区划筛选。Filter for `regions`; all given conditions must hold." })
export class RegionWhere {
  @Field(() => RegionLevel, { nullable: true, description: "区划级别。Only regions of this level." })
  level?: RegionLevel | null;

  @IdOrCodeFilter(REGION, "直接下级。Only the direct children of this region.")
  parentId?: string | null;

  @IdOrCodeFilter(REGION, "所有下级。Only this region's descendants (any depth), not the region itself.")
  withinId?: string | null;

  @Field(() => String, { nullable: true, description: "名称包含。Name contains this text (case-insensitive), e.g. 汉丰." })
  nameContains?: string | null;
}
