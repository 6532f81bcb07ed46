import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { SiteStatus, SiteTier, sqlList } from "./reserves.enums";

@ObjectType({ implements: Node, description: "储备点 A store of the three-tier reserve (储备库/点/室): the district depot, a township point or a village room." })
@Entity("storage_site")
@Unique("UQ_storage_site_code", ["code"])
@Index("IDX_storage_site_tier", ["tier", "code", "id"])
@Index("IDX_storage_site_region", ["regionId", "code", "id"])
@Index("IDX_storage_site_district", ["districtId"])
@Check("CHK_storage_site_tier", `"tier" IN (${sqlList(Object.values(SiteTier))})`)
@Check("CHK_storage_site_status", `"status" IN (${sqlList(Object.values(SiteStatus))})`)
@Check("CHK_storage_site_point", `"latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180`)
@Check("CHK_storage_site_floor_area", `"floor_area" > 0`)
export class StorageSite {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_storage_site" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("StorageSite", this.id);
  }

  @Field(() => String, { description: "储备点编码。Stable code, e.g. KZ-DEPOT-01, KZ-S01-P (汉丰街道's point), KZ-S01-C01-R (a community's room)." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "中文名称。Name in Chinese, e.g. 开州区应急物资储备库." })
  @Column({ type: "text" })
  name: string;

  @Field(() => SiteTier, { description: "储备层级。Tier in the three-tier reserve." })
  @Column({ type: "text" })
  tier: SiteTier;

  @Field(() => SiteStatus, { description: "状态。Whether the site is in service." })
  @Column({ type: "text" })
  status: SiteStatus;

  /** The region the site serves: the district for the depot, a township for a point, a village for a room. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_storage_site_region" })
  regionRow?: Region;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_storage_site_district" })
  districtRow?: Region;

  @Field(() => String, { description: "地址 Street address." })
  @Column({ type: "text" })
  address: string;

  @Field(() => Float, { description: "纬度。Latitude (WGS-84 degrees north)." })
  @Column({ type: "double precision" })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude (WGS-84 degrees east)." })
  @Column({ type: "double precision" })
  longitude: number;

  @Field(() => Int, { description: "使用面积 Usable floor area in square metres (m²)." })
  @Column({ name: "floor_area", type: "integer" })
  floorArea: number;

  @Field(() => String, { nullable: true, description: "保管员 Custodian — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "custodian_name", type: "text", nullable: true })
  custodianName: string | null;

  @Field(() => String, { nullable: true, description: "联系电话 Custodian's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "custodian_phone", type: "text", nullable: true })
  custodianPhone: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { description: "更新时间。When the site's details last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
