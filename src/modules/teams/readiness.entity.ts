import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { ReadinessSource, ReadinessStatus, sqlValues } from "./team.enums";
import { RescueTeam } from "./team.entity";

@ObjectType({ implements: Node, description: "战备状态报告 One readiness report of a team; every report is kept as history." })
@Entity("team_readiness_report")
@Index("IDX_team_readiness_report_team", ["teamId", "id"])
@Index("IDX_team_readiness_report_district", ["districtId"])
@Check("CHK_team_readiness_report_status", `"status" IN (${sqlValues(ReadinessStatus)})`)
@Check("CHK_team_readiness_report_source", `"source" IN (${sqlValues(ReadinessSource)})`)
@Check("CHK_team_readiness_report_members", `"available_members" >= 0 AND "available_members" <= "active_members"`)
export class ReadinessReport {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_team_readiness_report" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("ReadinessReport", this.id);
  }

  @Column({ name: "team_id", type: "integer" })
  teamId: number;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_team_readiness_report_team" })
  team?: RescueTeam;

  /** The owning district (distribution key). */
  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_team_readiness_report_district" })
  district?: Region;

  @Field(() => ReadinessStatus, { description: "战备状态。Reported status." })
  @Column({ type: "text" })
  status: ReadinessStatus;

  @Field(() => Int, { description: "可出动人数 Members available for a task at the time of the report." })
  @Column({ name: "available_members", type: "integer" })
  availableMembers: number;

  @Field(() => Int, { description: "在册人数 Members on the active roster at the time of the report." })
  @Column({ name: "active_members", type: "integer" })
  activeMembers: number;

  @Field(() => String, { nullable: true, description: "备注 Free-text note from the reporter." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Field(() => ReadinessSource, { description: "报告来源。Whether the leader reported it or a deployment or release recorded it." })
  @Column({ type: "text", default: ReadinessSource.REPORT })
  source: ReadinessSource;

  @Field(() => Date, { description: "报告时间。When the report was made." })
  @Column({ name: "reported_at", type: "timestamptz", default: () => "now()" })
  reportedAt: Date;

  @Column({ name: "reporter_kind", type: "text", nullable: true })
  reporterKind: string | null;

  @Column({ name: "reporter_id", type: "integer", nullable: true })
  reporterId: number | null;

  @Field(() => String, { description: "报告人。Who reported (account name); personal data, masked as 张* for those who may not see the team's personal data." })
  @PersonalData<ReadinessReport>({ mask: maskName, teamIdOf: (report) => report.teamId })
  @Column({ name: "reporter_name", type: "text" })
  reporterName: string;
}
