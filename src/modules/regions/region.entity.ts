import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Node, toGlobalId } from "../../core/graphql/relay";

export enum RegionLevel {
  DISTRICT = "DISTRICT",
  TOWNSHIP = "TOWNSHIP",
  VILLAGE = "VILLAGE",
}
registerEnumType(RegionLevel, {
  name: "RegionLevel",
  description: "行政区划级别 Level in the administrative tree.",
  valuesConfig: {
    DISTRICT: { description: "区/县 District or county, e.g. 开州区." },
    TOWNSHIP: { description: "乡镇级 Township-level unit: street 街道, town 镇 or township 乡." },
    VILLAGE: { description: "村级 Village-level unit: village 村 or community 社区." },
  },
});

export enum RegionKind {
  DISTRICT = "DISTRICT",
  STREET = "STREET",
  TOWN = "TOWN",
  TOWNSHIP = "TOWNSHIP",
  COMMUNITY = "COMMUNITY",
  VILLAGE = "VILLAGE",
}
registerEnumType(RegionKind, {
  name: "RegionKind",
  description: "区划类别。What kind of unit a region is.",
  valuesConfig: {
    DISTRICT: { description: "区 (district)." },
    STREET: { description: "街道 (urban street office)." },
    TOWN: { description: "镇 (town)." },
    TOWNSHIP: { description: "乡 (rural township)." },
    COMMUNITY: { description: "社区 (urban community)." },
    VILLAGE: { description: "村 (village)." },
  },
});

@ObjectType({ implements: Node, description: "行政区划 A unit of the administrative tree: district → township-level units → villages and communities." })
@Entity("region")
@Unique("UQ_region_code", ["code"])
@Index("IDX_region_parent", ["parentId", "code", "id"])
@Index("IDX_region_level", ["level", "code", "id"])
@Index("region_path_prefix", { synchronize: false }) // path text_pattern_ops, created in the migration
@Check("CHK_region_level", `"level" IN ('DISTRICT', 'TOWNSHIP', 'VILLAGE')`)
@Check("CHK_region_kind", `"kind" IN ('DISTRICT', 'STREET', 'TOWN', 'TOWNSHIP', 'COMMUNITY', 'VILLAGE')`)
@Check("CHK_region_point", `"latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180`)
@Check("CHK_region_parent", `("level" = 'DISTRICT') = ("parent_id" IS NULL)`)
export class Region {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_region" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Region", this.id);
  }

  @Field(() => String, { description: "区划编码。Stable code, e.g. KZ-S01 for 汉丰街道, KZ-S01-C01 for one of its communities." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "中文名称。Official name in Chinese, e.g. 汉丰街道." })
  @Column({ type: "text" })
  name: string;

  @Field(() => RegionLevel, { description: "区划级别。Level in the tree." })
  @Column({ type: "text" })
  level: RegionLevel;

  @Field(() => RegionKind, { description: "区划类别。Street, town, township, community, village, or district." })
  @Column({ type: "text" })
  kind: RegionKind;

  @Column({ name: "parent_id", type: "integer", nullable: true })
  parentId: number | null;

  @ManyToOne(() => Region, { onDelete: "RESTRICT", createForeignKeyConstraints: true })
  @JoinColumn({ name: "parent_id", foreignKeyConstraintName: "FK_region_parent" })
  parentRegion?: Region;

  /** The district this region belongs to (itself for a district): the distribution key of large tables. */
  @Column({ name: "district_id", type: "integer", nullable: true })
  districtId: number | null;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_region_district" })
  districtRegion?: Region;

  /** Materialised path of ids, "/1/7/123/": descendants of X are the rows whose path starts with X's path. */
  @Column({ type: "text" })
  path: string;

  @Field(() => Int, { description: "层级深度。Depth in the tree: 0 for a district, 1 for a township-level unit, 2 for a village or community." })
  @Column({ type: "integer" })
  depth: number;

  @Field(() => Float, { description: "中心点纬度。Latitude of the centre point (WGS-84 degrees north)." })
  @Column({ type: "double precision" })
  latitude: number;

  @Field(() => Float, { description: "中心点经度。Longitude of the centre point (WGS-84 degrees east)." })
  @Column({ type: "double precision" })
  longitude: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
