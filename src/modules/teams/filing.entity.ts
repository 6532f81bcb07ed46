import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { RescueTeam } from "./team.entity";
import { TeamMember } from "./member.entity";

@ObjectType({
  implements: Node,
  description: "属地备案 The local filing a social rescue team makes for each rescue action: when, where, which incident, how many members went, the outcome.",
})
@Entity("rescue_action_filing")
@Index("IDX_rescue_action_filing_team", ["teamId", "startedAt", "id"])
@Index("IDX_rescue_action_filing_started", ["startedAt", "id"])
@Index("IDX_rescue_action_filing_district", ["districtId"])
@Check("CHK_rescue_action_filing_members", `"members_sent" > 0`)
@Check("CHK_rescue_action_filing_times", `"ended_at" IS NULL OR "ended_at" >= "started_at"`)
@Check(
  "CHK_rescue_action_filing_source",
  `"source" IN ('FREE_TEXT', 'CALL_UP') AND (("source" = 'CALL_UP') = ("call_up_id" IS NOT NULL)) AND ("source" = 'FREE_TEXT' OR "outcome" IS NOT NULL OR "ended_at" IS NULL)`,
)
@Index("UQ_rescue_action_filing_call_up", ["callUpId"], { unique: true, where: `"call_up_id" IS NOT NULL` })
export class RescueActionFiling {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_rescue_action_filing" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("RescueActionFiling", this.id);
  }

  @Column({ name: "team_id", type: "integer" })
  teamId: number;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_rescue_action_filing_team" })
  team?: RescueTeam;

  /** The owning district (distribution key). */
  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_rescue_action_filing_district" })
  district?: Region;

  /** Where the action took place: a township or village of the district. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_rescue_action_filing_region" })
  region?: Region;

  @Field(() => Date, { description: "出动时间 When the action started." })
  @Column({ name: "started_at", type: "timestamptz" })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: "结束时间 When the action ended; null while it goes on." })
  @Column({ name: "ended_at", type: "timestamptz", nullable: true })
  endedAt: Date | null;

  @Field(() => String, { description: "地点 Place, as precise as known, e.g. 汉丰湖东岸." })
  @Column({ type: "text" })
  location: string;

  @Field(() => String, { description: "事件 The incident responded to as filed, e.g. 游客溺水搜救; for a filing made from a call-up, the incident's title. Old free-text filings keep their text here." })
  @Column({ type: "text" })
  incident: string;

  @Field(() => Int, { description: "出动人数 Members sent." })
  @Column({ name: "members_sent", type: "integer" })
  membersSent: number;

  @Field(() => String, { nullable: true, description: "救援结果 Outcome, e.g. 救出2人; null on a filing made from a call-up until the deployment is released." })
  @Column({ type: "text", nullable: true })
  outcome: string | null;

  /** The incident filed for (null on an old free-text filing that named none the migration could match). */
  @Column({ name: "incident_id", type: "integer", nullable: true })
  incidentId: number | null;

  @ManyToOne("Incident", { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_rescue_action_filing_incident" })
  incidentRow?: never;

  @Column({ name: "deployment_id", type: "integer", nullable: true })
  deploymentId: number | null;

  @ManyToOne("TeamDeployment", { onDelete: "RESTRICT" })
  @JoinColumn({ name: "deployment_id", foreignKeyConstraintName: "FK_rescue_action_filing_deployment" })
  deploymentRow?: never;

  @Column({ name: "call_up_id", type: "integer", nullable: true })
  callUpId: number | null;

  @ManyToOne("TeamCallUp", { onDelete: "RESTRICT" })
  @JoinColumn({ name: "call_up_id", foreignKeyConstraintName: "FK_rescue_action_filing_call_up" })
  callUpRow?: never;

  /** FREE_TEXT: filed by hand (fileRescueAction, and every filing before call-ups); CALL_UP: made from an accepted call-up. */
  @Column({ type: "text", default: "FREE_TEXT" })
  source: "FREE_TEXT" | "CALL_UP";

  @Column({ name: "filed_by", type: "text" })
  filedBy: string;

  @Field(() => Date, { description: "备案时间 When the filing was made." })
  @CreateDateColumn({ name: "filed_at", type: "timestamptz" })
  filedAt: Date;
}

/** The members a filing made from a call-up names (the members going). */
@Entity("rescue_action_filing_member")
export class RescueActionFilingMember {
  @PrimaryColumn({ name: "filing_id", type: "integer", primaryKeyConstraintName: "PK_rescue_action_filing_member" })
  filingId: number;

  @PrimaryColumn({ name: "member_id", type: "integer", primaryKeyConstraintName: "PK_rescue_action_filing_member" })
  memberId: number;

  @ManyToOne(() => RescueActionFiling, { onDelete: "CASCADE" })
  @JoinColumn({ name: "filing_id", foreignKeyConstraintName: "FK_rescue_action_filing_member_filing" })
  filing?: RescueActionFiling;

  @ManyToOne(() => TeamMember, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "member_id", foreignKeyConstraintName: "FK_rescue_action_filing_member_member" })
  member?: TeamMember;
}
