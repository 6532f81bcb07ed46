import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { PartyOrganisationStatus, ReadinessStatus, TeamKind, TeamSpecialty, sqlValues } from "./team.enums";

@ObjectType({
  implements: Node,
  description: "救援队伍 A rescue team of the district's forces, with its current readiness (战备状态) as its leader last reported it.",
})
@Entity("rescue_team")
@Unique("UQ_rescue_team_code", ["code"])
@Index("IDX_rescue_team_kind", ["kind", "code", "id"])
@Index("IDX_rescue_team_region", ["regionId"])
@Index("IDX_rescue_team_district", ["districtId"])
// One comprehensive team per township-level unit, as the plan builds them (40 teams for 40 units).
@Index("UQ_rescue_team_township", ["regionId"], { unique: true, where: `"kind" = 'TOWNSHIP'` })
@Check("CHK_rescue_team_kind", `"kind" IN (${sqlValues(TeamKind)})`)
@Check("CHK_rescue_team_specialty", `("specialty" IS NULL OR "specialty" IN (${sqlValues(TeamSpecialty)})) AND (("kind" = 'PROFESSIONAL') = ("specialty" IS NOT NULL))`)
@Check("CHK_rescue_team_readiness", `("readiness_status" IS NULL OR "readiness_status" IN (${sqlValues(ReadinessStatus)})) AND (("readiness_status" IS NULL) = ("readiness_reported_at" IS NULL)) AND "available_members" >= 0 AND "deployed_members" >= 0`)
@Check("CHK_rescue_team_party", `"party_organisation" IS NULL OR "party_organisation" IN (${sqlValues(PartyOrganisationStatus)})`)
@Check(
  "CHK_rescue_team_social_fields",
  `"kind" = 'SOCIAL' OR ("registration_number" IS NULL AND "registration_authority" IS NULL AND "party_organisation" IS NULL AND "last_disclosure_on" IS NULL)`,
)
@Check("CHK_rescue_team_base", `"base_latitude" BETWEEN -90 AND 90 AND "base_longitude" BETWEEN -180 AND 180`)
export class RescueTeam {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_rescue_team" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("RescueTeam", this.id);
  }

  @Field(() => String, { description: "救援队编码。Stable code, e.g. KZ-TT-S01 for the township team of 汉丰街道." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "中文名称。Name in Chinese, e.g. 汉丰街道综合应急救援队." })
  @Column({ type: "text" })
  name: string;

  @Field(() => TeamKind, { description: "队伍类别 Kind of force." })
  @Column({ type: "text" })
  kind: TeamKind;

  @Field(() => TeamSpecialty, { nullable: true, description: "专业领域 Sector of a PROFESSIONAL team; null for other kinds." })
  @Column({ type: "text", nullable: true })
  specialty: TeamSpecialty | null;

  /** Home region: a township team's township, a district-level team's district. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_rescue_team_region" })
  region?: Region;

  /** The owning district (distribution key, like every large table). */
  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_rescue_team_district" })
  district?: Region;

  @Field(() => Float, { description: "驻地纬度。Latitude of the team's base (WGS-84 degrees north)." })
  @Column({ name: "base_latitude", type: "double precision" })
  baseLatitude: number;

  @Field(() => Float, { description: "驻地经度。Longitude of the team's base (WGS-84 degrees east)." })
  @Column({ name: "base_longitude", type: "double precision" })
  baseLongitude: number;

  @Field(() => String, { nullable: true, description: "驻地地址 Address of the team's base." })
  @Column({ name: "base_address", type: "text", nullable: true })
  baseAddress: string | null;

  @Field(() => [String], { description: "专长 What the team is good at, e.g. 水域救援, 山地搜救." })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  capabilities: string[];

  @Field(() => [String], { description: "主要装备 Main equipment, e.g. 冲锋舟 ×2." })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  equipment: string[];

  @Field(() => ReadinessStatus, { nullable: true, description: "战备状态 Current readiness from the latest report; null before the first report." })
  @Column({ name: "readiness_status", type: "text", nullable: true })
  readinessStatus: ReadinessStatus | null;

  @Field(() => Int, { description: "可出动人数。Members available now, from the latest report (never more than the active roster)." })
  @Column({ name: "available_members", type: "integer", default: 0 })
  availableMembers: number;

  @Field(() => Int, { description: "已出动人数 Members out on a dispatch deployment now; 0 when the team is not deployed by a dispatch order." })
  @Column({ name: "deployed_members", type: "integer", default: 0 })
  deployedMembers: number;

  @Field(() => Date, { nullable: true, description: "最近报告时间。When the latest readiness report was made; null before the first report." })
  @Column({ name: "readiness_reported_at", type: "timestamptz", nullable: true })
  readinessReportedAt: Date | null;

  @Field(() => String, { nullable: true, description: "登记注册号, 统一社会信用代码 Social teams: registration number." })
  @Column({ name: "registration_number", type: "text", nullable: true })
  registrationNumber: string | null;

  @Field(() => String, { nullable: true, description: "登记管理机关 Social teams: the authority it is registered with, e.g. 开州区民政局." })
  @Column({ name: "registration_authority", type: "text", nullable: true })
  registrationAuthority: string | null;

  @Field(() => PartyOrganisationStatus, { nullable: true, description: "党组织建设 Social teams: party-organisation building." })
  @Column({ name: "party_organisation", type: "text", nullable: true })
  partyOrganisation: PartyOrganisationStatus | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "信息公开 Social teams: date of the last public disclosure of its information." })
  @Column({ name: "last_disclosure_on", type: "date", nullable: true })
  lastDisclosureOn: string | null;

  @Field(() => Date, { description: "登记时间。When the team was registered in this service." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
