import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { TeamDeployment } from "../dispatch/team-deployment.entity";
import { TeamMember } from "../teams/member.entity";
import { RescueTeam } from "../teams/team.entity";
import { sqlValues } from "../teams/team.enums";
import { CallUpStatus, CheckCode, CheckSeverity } from "./field.enums";

/** One failed check, as kept on the call-up and the deployment (jsonb). */
export interface CheckResultRow {
  code: CheckCode;
  severity: CheckSeverity;
  /** Catalogue key parameters, rendered when read. */
  detail: Record<string, string | number>;
}

@ObjectType({ description: "未通过的检查 A check the team failed before going: a warning to acknowledge, or a hard rule that refuses." })
export class CheckResult {
  @Field(() => CheckCode, { description: "检查项 Which check." })
  code: CheckCode;

  @Field(() => CheckSeverity, { description: "级别 WARNING (acknowledge to go) or REFUSE." })
  severity: CheckSeverity;

  @Field(() => String, { description: "说明 What failed, in the request's language." })
  message: string;

  @Field(() => Boolean, { description: "已确认 Whether the commander acknowledged this warning." })
  acknowledged: boolean;
}

@ObjectType({ description: "出动前检查规则 A pre-deployment check configured for a kind of team." })
@Entity("deployment_check_rule")
@Unique("UQ_deployment_check_rule", ["teamKind", "checkCode", "skill"])
@Check("CHK_deployment_check_rule_severity", `"severity" IN ('WARNING', 'REFUSE')`)
@Check("CHK_deployment_check_rule_code", `"check_code" IN (${sqlValues(CheckCode)})`)
@Check("CHK_deployment_check_rule_age", `"max_age_days" IS NULL OR "max_age_days" > 0`)
export class DeploymentCheckRule {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_deployment_check_rule" })
  id: number;

  @Field(() => String, { description: "队伍类别 The kind of team (a TeamKind value) the rule applies to." })
  @Column({ name: "team_kind", type: "text" })
  teamKind: string;

  @Field(() => CheckCode, { description: "检查项 The check." })
  @Column({ name: "check_code", type: "text" })
  checkCode: CheckCode;

  @Field(() => CheckSeverity, { description: "级别 What a failure does." })
  @Column({ type: "text" })
  severity: CheckSeverity;

  @Field(() => String, { description: "技能条件 Only when the call-up needs this skill (e.g. 水域救援); empty: always." })
  @Column({ type: "text", default: "" })
  skill: string;

  @Field(() => Int, { nullable: true, description: "期限（天） DISCLOSURE: the longest time since the last disclosure." })
  @Column({ name: "max_age_days", type: "integer", nullable: true })
  maxAgeDays: number | null;

  @Column({ name: "updated_by", type: "text" })
  updatedBy: string;

  @Field(() => Date, { description: "修改时间。When the rule was last set." })
  @Column({ name: "updated_at", type: "timestamptz", default: () => "now()" })
  updatedAt: Date;
}

@ObjectType({
  implements: Node,
  description: "力量调用 A call-up (调用) of a team to an incident by a commander: task, area, headcount, skills and equipment, where and when to report; the team's leader accepts or declines.",
})
@Entity("team_call_up")
@Unique("UQ_team_call_up_code", ["code"])
@Index("IDX_team_call_up_incident", ["incidentId", "id"])
@Index("IDX_team_call_up_team", ["teamId", "id"])
@Index("IDX_team_call_up_district", ["districtId"])
@Index("UQ_team_call_up_open_team", ["teamId"], { unique: true, where: `"status" IN ('REQUESTED', 'AWAITING_ACKNOWLEDGEMENT')` })
@Check("CHK_team_call_up_status", `"status" IN (${sqlValues(CallUpStatus)})`)
@Check("CHK_team_call_up_headcount", `"headcount_wanted" > 0 AND ("headcount_accepted" IS NULL OR "headcount_accepted" > 0)`)
@Check("CHK_team_call_up_declined", `("status" = 'DECLINED') = ("decline_reason" IS NOT NULL)`)
@Check("CHK_team_call_up_deployment", `("status" IN ('ACCEPTED', 'RELEASED')) = ("deployment_id" IS NOT NULL)`)
export class TeamCallUp {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_team_call_up" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("TeamCallUp", this.id);
  }

  @Field(() => String, { description: "调用单号 Reference number, e.g. KZ-CU-2026-0001." })
  @Column({ type: "text" })
  code: string;

  @Column({ name: "incident_id", type: "integer" })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_team_call_up_incident" })
  incidentRow?: Incident;

  @Column({ name: "team_id", type: "integer" })
  teamId: number;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_team_call_up_team" })
  teamRow?: RescueTeam;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_team_call_up_district" })
  districtRow?: Region;

  /** The township or village the team is called to. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_team_call_up_region" })
  regionRow?: Region;

  @Field(() => String, { description: "任务 Task, e.g. 南河沿岸被困群众搜救." })
  @Column({ type: "text" })
  task: string;

  @Field(() => String, { description: "作业区域 Area, e.g. 汉丰街道南河东岸 2 号至 5 号堤段." })
  @Column({ type: "text" })
  area: string;

  @Field(() => Int, { description: "需要人数 Headcount wanted." })
  @Column({ name: "headcount_wanted", type: "integer" })
  headcountWanted: number;

  @Field(() => [String], { description: "所需技能 Skills needed, e.g. 水域救援." })
  @Column({ name: "skills_needed", type: "text", array: true, default: () => "'{}'" })
  skillsNeeded: string[];

  @Field(() => [String], { description: "所需装备 Equipment needed, e.g. 冲锋舟." })
  @Column({ name: "equipment_needed", type: "text", array: true, default: () => "'{}'" })
  equipmentNeeded: string[];

  @Field(() => String, { description: "报到地点 Where to report, e.g. 南河大桥现场指挥部." })
  @Column({ name: "report_to", type: "text" })
  reportTo: string;

  @Field(() => Date, { description: "报到时间 When to report by." })
  @Column({ name: "report_by", type: "timestamptz" })
  reportBy: Date;

  @Field(() => CallUpStatus, { description: "状态 Where the call-up stands." })
  @Column({ type: "text", default: CallUpStatus.REQUESTED })
  status: CallUpStatus;

  @Column({ name: "requested_by_id", type: "integer", nullable: true })
  requestedById: number | null;

  @Field(() => String, { description: "调用人 Who called the team up — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "requested_by", type: "text" })
  requestedBy: string;

  @Field(() => Date, { description: "调用时间 When the call-up was sent." })
  @Column({ name: "requested_at", type: "timestamptz", default: () => "now()" })
  requestedAt: Date;

  @Field(() => Date, { description: "答复期限 When the team should have answered by (CALL_UP_RESPONSE_HOURS after the call-up)." })
  @Column({ name: "answer_due_at", type: "timestamptz" })
  answerDueAt: Date;

  @Field(() => Date, { nullable: true, description: "答复时间 When the leader answered; null while unanswered." })
  @Column({ name: "answered_at", type: "timestamptz", nullable: true })
  answeredAt: Date | null;

  @Field(() => String, { nullable: true, description: "答复人 Who answered — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "answered_by", type: "text", nullable: true })
  answeredBy: string | null;

  @Field(() => String, { nullable: true, description: "拒绝理由 Why the team declined." })
  @Column({ name: "decline_reason", type: "text", nullable: true })
  declineReason: string | null;

  @Field(() => Int, { nullable: true, description: "响应人数 Headcount the leader committed." })
  @Column({ name: "headcount_accepted", type: "integer", nullable: true })
  headcountAccepted: number | null;

  @Field(() => Date, { nullable: true, description: "预计到达 Expected arrival the leader gave." })
  @Column({ name: "expected_arrival_at", type: "timestamptz", nullable: true })
  expectedArrivalAt: Date | null;

  @Field(() => [String], { description: "携带装备 Equipment the leader said the team takes along (becomes the deployment's)." })
  @Column({ name: "equipment_taken", type: "text", array: true, default: () => "'{}'" })
  equipmentTaken: string[];

  @Column({ name: "check_results", type: "jsonb", default: () => "'[]'" })
  checkResults: CheckResultRow[];

  @Column({ name: "acknowledged_checks", type: "text", array: true, default: () => "'{}'" })
  acknowledgedChecks: string[];

  @Field(() => String, { nullable: true, description: "确认人 The commander who acknowledged the warnings — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "acknowledged_by", type: "text", nullable: true })
  acknowledgedBy: string | null;

  @Field(() => Date, { nullable: true, description: "确认时间 When the warnings were acknowledged." })
  @Column({ name: "acknowledged_at", type: "timestamptz", nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: "deployment_id", type: "integer", nullable: true })
  deploymentId: number | null;

  @ManyToOne(() => TeamDeployment, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "deployment_id", foreignKeyConstraintName: "FK_team_call_up_deployment" })
  deploymentRow?: TeamDeployment;
}

/** The members the leader named when accepting. */
@Entity("team_call_up_member")
export class TeamCallUpMember {
  @PrimaryColumn({ name: "call_up_id", type: "integer", primaryKeyConstraintName: "PK_team_call_up_member" })
  callUpId: number;

  @PrimaryColumn({ name: "member_id", type: "integer", primaryKeyConstraintName: "PK_team_call_up_member" })
  memberId: number;

  @ManyToOne(() => TeamCallUp, { onDelete: "CASCADE" })
  @JoinColumn({ name: "call_up_id", foreignKeyConstraintName: "FK_team_call_up_member_call_up" })
  callUp?: TeamCallUp;

  @ManyToOne(() => TeamMember, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "member_id", foreignKeyConstraintName: "FK_team_call_up_member_member" })
  member?: TeamMember;
}
