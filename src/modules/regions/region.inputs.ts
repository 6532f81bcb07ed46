import { Field, ID, InputType } from "type-graphql";
import { RegionLevel } from "./region.entity";

@InputType({ description: "Filter for `regions`; all given conditions must hold." })
export class RegionWhere {
  @Field(() => RegionLevel, { nullable: true, description: "Only regions of this level." })
  level?: RegionLevel | null;

  @Field(() => ID, { nullable: true, description: "Only the direct children of this region." })
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this region's descendants (any depth), not the region itself." })
  withinId?: string | null;

  @Field(() => String, { nullable: true, description: "Name contains this text (case-insensitive), e.g. 汉丰." })
  nameContains?: string | null;
}
