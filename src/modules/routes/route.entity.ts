// The travel-time table (通行时间表): places (the township-level units and the district depot),
// the links between them by road and by water with their minutes, and the road closures
// (道路中断) staff report. The planner finds the quickest way over these links.
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { RouteNodeKind, sqlList, TravelMode, TravelTimeBasis } from "./routes.enums";

@ObjectType({ implements: Node, description: "通行地点: a place of the travel-time table (通行时间表) — a township-level unit (乡镇（街道）, at its centre) or the district depot (区级库)." })
@Entity("route_node")
@Unique("UQ_route_node_region", ["regionId"])
@Unique("UQ_route_node_site", ["siteId"])
@Index("IDX_route_node_district", ["districtId", "id"])
@Check("CHK_route_node_place", `num_nonnulls("region_id", "site_id") = 1`)
export class RouteNode {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_route_node" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("RouteNode", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_route_node_district" })
  districtRow?: Region;

  /** The township-level unit this place stands for; null for the depot. */
  @Column({ name: "region_id", type: "integer", nullable: true })
  regionId: number | null;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_route_node_region" })
  regionRow?: Region;

  /** The district depot this place stands for; null for a township unit. */
  @Column({ name: "site_id", type: "integer", nullable: true })
  siteId: number | null;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "site_id", foreignKeyConstraintName: "FK_route_node_site" })
  siteRow?: StorageSite;

  @Field(() => RouteNodeKind, { description: "地点类别。A township unit or the depot." })
  get kind(): RouteNodeKind {
    return this.siteId === null ? RouteNodeKind.TOWNSHIP_UNIT : RouteNodeKind.DISTRICT_DEPOT;
  }
}

@ObjectType({ implements: Node, description: "通行时间: the minutes between two places by 公路 (road) or 水路 (water), either way — a link of the travel-time table, kept by staff; DERIVED (估算) until someone enters a measured time." })
@Entity("travel_link")
@Unique("UQ_travel_link_pair_mode", ["fromNodeId", "toNodeId", "mode"])
@Index("IDX_travel_link_to", ["toNodeId"])
@Index("IDX_travel_link_district", ["districtId", "id"])
@Check("CHK_travel_link_order", `"from_node_id" < "to_node_id"`)
@Check("CHK_travel_link_mode", `"mode" IN (${sqlList(Object.values(TravelMode))})`)
@Check("CHK_travel_link_basis", `"basis" IN (${sqlList(Object.values(TravelTimeBasis))})`)
@Check("CHK_travel_link_minutes", `"minutes" BETWEEN 1 AND 1440`)
@Check("CHK_travel_link_waterway", `"mode" = 'WATER' OR "waterway" IS NULL`)
export class TravelLink {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_travel_link" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("TravelLink", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_travel_link_district" })
  districtRow?: Region;

  /** The end with the smaller id: a link is the same either way, stored once. */
  @Column({ name: "from_node_id", type: "integer" })
  fromNodeId: number;

  @ManyToOne(() => RouteNode, { onDelete: "CASCADE" })
  @JoinColumn({ name: "from_node_id", foreignKeyConstraintName: "FK_travel_link_from" })
  fromNodeRow?: RouteNode;

  @Column({ name: "to_node_id", type: "integer" })
  toNodeId: number;

  @ManyToOne(() => RouteNode, { onDelete: "CASCADE" })
  @JoinColumn({ name: "to_node_id", foreignKeyConstraintName: "FK_travel_link_to" })
  toNodeRow?: RouteNode;

  @Field(() => TravelMode, { description: "公路 (ROAD) or 水路 (WATER)." })
  @Column({ type: "text" })
  mode: TravelMode;

  @Field(() => Int, { description: "通行时间: minutes from one end to the other, loading a boat included (1–1440)." })
  @Column({ type: "integer" })
  minutes: number;

  @Field(() => TravelTimeBasis, { description: "估算 (DERIVED from the straight-line distance) or 实测 (SURVEYED, entered by staff)." })
  @Column({ type: "text" })
  basis: TravelTimeBasis;

  @Field(() => Float, { description: "直线距离（公里）。Straight-line distance between the two places, km (what a DERIVED time comes from)." })
  @Column({ name: "distance_km", type: "double precision" })
  distanceKm: number;

  @Field(() => String, { nullable: true, description: "水域: the water a WATER link crosses, e.g. 汉丰湖 or 澎溪河; null for roads." })
  @Column({ type: "text", nullable: true })
  waterway: string | null;

  @Field(() => String, { nullable: true, description: "备注 Note, e.g. how the time was measured." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Field(() => Date, { description: "更新时间。When the minutes were last set." })
  @Column({ name: "updated_at", type: "timestamptz", default: () => "now()" })
  updatedAt: Date;

  @Column({ name: "updated_by_id", type: "integer", nullable: true })
  updatedById: number | null;

  @Field(() => String, { description: "设置人。Who set them (系统估算 for derived times) — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "updated_by", type: "text" })
  updatedBy: string;
}

@ObjectType({ implements: Node, description: "道路中断: a road closure — a township unit cut off by road (all its road links), or one link closed, from its report until it is reopened (恢复通行). Kept as history." })
@Entity("road_closure")
@Index("IDX_road_closure_district", ["districtId", "reportedAt", "id"])
@Index("UQ_road_closure_open_node", ["nodeId"], { unique: true, where: `"reopened_at" IS NULL` })
@Index("UQ_road_closure_open_link", ["linkId"], { unique: true, where: `"reopened_at" IS NULL` })
@Check("CHK_road_closure_target", `num_nonnulls("node_id", "link_id") = 1`)
@Check("CHK_road_closure_reopened", `("reopened_at" IS NULL) = ("reopened_by" IS NULL) AND ("reopened_at" IS NULL OR "reopened_at" >= "reported_at")`)
export class RoadClosure {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_road_closure" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("RoadClosure", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_road_closure_district" })
  districtRow?: Region;

  /** A place cut off by road: every road link touching it is closed (water links still run). */
  @Column({ name: "node_id", type: "integer", nullable: true })
  nodeId: number | null;

  @ManyToOne(() => RouteNode, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "node_id", foreignKeyConstraintName: "FK_road_closure_node" })
  nodeRow?: RouteNode;

  /** One link closed (a road, or a water link the boats cannot run). */
  @Column({ name: "link_id", type: "integer", nullable: true })
  linkId: number | null;

  @ManyToOne(() => TravelLink, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "link_id", foreignKeyConstraintName: "FK_road_closure_link" })
  linkRow?: TravelLink;

  @Field(() => String, { description: "中断原因 Why, e.g. 山体滑坡，K12 处路基垮塌." })
  @Column({ type: "text" })
  reason: string;

  @Field(() => Date, { description: "报告时间。When it was reported." })
  @Column({ name: "reported_at", type: "timestamptz", default: () => "now()" })
  reportedAt: Date;

  @Column({ name: "reported_by_id", type: "integer", nullable: true })
  reportedById: number | null;

  @Field(() => String, { description: "报告人。Who reported it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "reported_by", type: "text" })
  reportedBy: string;

  @Field(() => Date, { nullable: true, description: "恢复通行 When it was reopened; null while closed." })
  @Column({ name: "reopened_at", type: "timestamptz", nullable: true })
  reopenedAt: Date | null;

  @Column({ name: "reopened_by_id", type: "integer", nullable: true })
  reopenedById: number | null;

  @Field(() => String, { nullable: true, description: "恢复人。Who reopened it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "reopened_by", type: "text", nullable: true })
  reopenedBy: string | null;

  @Field(() => String, { nullable: true, description: "恢复说明。Note on reopening, e.g. 单车道通行." })
  @Column({ name: "reopen_note", type: "text", nullable: true })
  reopenNote: string | null;

  @Field(() => Boolean, { description: "中断中 Whether the road is still cut: not reopened yet." })
  get active(): boolean {
    return this.reopenedAt === null;
  }
}
