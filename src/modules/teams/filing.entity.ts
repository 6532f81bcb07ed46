import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { RescueTeam } from "./team.entity";

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

  @Field(() => String, { description: "事件 The incident responded to, e.g. 游客溺水搜救." })
  @Column({ type: "text" })
  incident: string;

  @Field(() => Int, { description: "出动人数 Members sent." })
  @Column({ name: "members_sent", type: "integer" })
  membersSent: number;

  @Field(() => String, { description: "救援结果 Outcome, e.g. 救出2人." })
  @Column({ type: "text" })
  outcome: string;

  @Column({ name: "filed_by", type: "text" })
  filedBy: string;

  @Field(() => Date, { description: "备案时间 When the filing was made." })
  @CreateDateColumn({ name: "filed_at", type: "timestamptz" })
  filedAt: Date;
}
