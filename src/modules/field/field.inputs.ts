import { Field, ID, InputType, Int } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { MutationInput } from "../../core/mutation/mutation-input";
import { TeamKind } from "../teams/team.enums";
import { CallUpStatus, CheckCode, CheckSeverity } from "./field.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { INCIDENT, REGION, RESCUE_TEAM } from "../known-codes";

@InputType({ description: "力量调用 A commander calls a team to an incident." })
export class CallUpTeamInput extends MutationInput {
  @Field(() => ID, { description: "事件。The incident (must be OPEN)." })
  incidentId: string;

  @Field(() => ID, { description: "救援队。The team called up." })
  teamId: string;

  @Field(() => ID, { description: "作业区域。The township or village (a Region) the team is called to." })
  regionId: string;

  @Field(() => String, { description: "任务 Task (1–500 characters)." })
  task: string;

  @Field(() => String, { description: "作业区域说明 Area, as precise as known (1–200 characters)." })
  area: string;

  @Field(() => Int, { description: "需要人数 Headcount wanted (1–500)." })
  headcountWanted: number;

  @Field(() => [String], { nullable: true, description: "所需技能 Skills needed, e.g. 水域救援 (at most 20)." })
  skillsNeeded?: string[] | null;

  @Field(() => [String], { nullable: true, description: "所需装备 Equipment needed (at most 20)." })
  equipmentNeeded?: string[] | null;

  @Field(() => String, { description: "报到地点 Where to report (1–200 characters)." })
  reportTo: string;

  @Field(() => Date, { description: "报到时间 When to report by (not in the past; 5 minutes' tolerance)." })
  reportBy: Date;
}

@InputType({ description: "接受调用 The team's leader accepts a call-up." })
export class AcceptCallUpInput extends MutationInput {
  @Field(() => ID, { description: "调用。The call-up (must be REQUESTED)." })
  callUpId: string;

  @Field(() => Int, { description: "响应人数 Headcount going; equals the number of members named." })
  headcount: number;

  @Field(() => Date, { description: "预计到达 Expected arrival." })
  expectedArrivalAt: Date;

  @Field(() => [ID], { description: "出动队员 The members going (active members of the team): the only ones who may check in on site." })
  memberIds: string[];

  @Field(() => [String], { nullable: true, description: "携带装备 Equipment taken along (at most 50)." })
  equipment?: string[] | null;
}

@InputType({ description: "拒绝调用 The team's leader declines a call-up, with a reason." })
export class DeclineCallUpInput extends MutationInput {
  @Field(() => ID, { description: "调用。The call-up (must be REQUESTED)." })
  callUpId: string;

  @Field(() => String, { description: "拒绝理由 Reason (1–500 characters)." })
  reason: string;
}

@InputType({ description: "取消调用 The commander withdraws a call-up before the team goes." })
export class CancelCallUpInput extends MutationInput {
  @Field(() => ID, { description: "调用。The call-up (REQUESTED or AWAITING_ACKNOWLEDGEMENT)." })
  callUpId: string;
}

@InputType({ description: "确认检查警告 The commander acknowledges failed warnings of a call-up." })
export class AcknowledgeCallUpChecksInput extends MutationInput {
  @Field(() => ID, { description: "调用。The call-up (REQUESTED or AWAITING_ACKNOWLEDGEMENT)." })
  callUpId: string;

  @Field(() => [CheckCode], { description: "确认的警告 The warnings acknowledged; once the call-up awaits acknowledgement, every open warning must be named, and the team then goes." })
  checks: CheckCode[];
}

@InputType({ description: "出动前检查规则 Sets one pre-deployment check rule for a kind of team." })
export class SetDeploymentCheckRuleInput extends MutationInput {
  @Field(() => TeamKind, { description: "队伍类别 Kind of team." })
  teamKind: TeamKind;

  @Field(() => CheckCode, { description: "检查项 The check." })
  checkCode: CheckCode;

  @Field(() => String, { nullable: true, description: "技能条件 Only when the call-up needs this skill; omitted: always (at most 50 characters)." })
  skill?: string | null;

  @Field(() => CheckSeverity, { nullable: true, description: "级别 WARNING or REFUSE; omitted (null): the rule is removed." })
  severity?: CheckSeverity | null;

  @Field(() => Int, { nullable: true, description: "期限（天） DISCLOSURE: the longest time since the last disclosure (1–3650)." })
  maxAgeDays?: number | null;
}

@InputType({ description: "队员保险 Records an insurance policy of a team member." })
export class RecordMemberInsuranceInput extends MutationInput {
  @Field(() => ID, { description: "队员。The member." })
  memberId: string;

  @Field(() => String, { description: "保险公司 Insurer (1–200 characters)." })
  insurer: string;

  @Field(() => String, { description: "险种 Product, e.g. 团体意外伤害险 (1–200 characters)." })
  product: string;

  @Field(() => String, { description: "保单号 Policy number (personal data; 1–100 characters)." })
  policyNumber: string;

  @Field(() => GraphQLLocalDate, { description: "起保日期 First day covered." })
  startsOn: string;

  @Field(() => GraphQLLocalDate, { description: "终止日期 Last day covered (not before startsOn)." })
  expiresOn: string;
}

@InputType({ description: "调用筛选。Filter for `callUps`." })
export class CallUpWhere {
  @IdOrCodeFilter(INCIDENT, "事件。Only call-ups for this incident.")
  incidentId?: string | null;

  @IdOrCodeFilter(RESCUE_TEAM, "救援队。Only call-ups of this team.")
  teamId?: string | null;

  @Field(() => CallUpStatus, { nullable: true, description: "状态。Only call-ups in this state." })
  status?: CallUpStatus | null;

  @Field(() => Boolean, { nullable: true, description: "超时未答复 true: only call-ups unanswered past their answer deadline." })
  overdue?: boolean | null;
}

@InputType({ description: "灾情报送 A township's situation report for an incident; a correction is a new report naming the one it corrects." })
export class ReportSituationInput extends MutationInput {
  @Field(() => ID, { description: "事件。The incident (must be OPEN)." })
  incidentId: string;

  @Field(() => ID, { description: "乡镇（街道）。The township-level unit (a Region) reported on." })
  regionId: string;

  @Field(() => Date, { description: "统计时间 The moment the figures describe: not in the future (5 minutes' tolerance), not before the incident occurred." })
  asOf: Date;

  @Field(() => Int, { nullable: true, description: "受灾人数 People affected (default 0)." })
  affected?: number | null;

  @Field(() => Int, { nullable: true, description: "转移安置 Evacuated (default 0)." })
  evacuated?: number | null;

  @Field(() => Int, { nullable: true, description: "死亡 Dead (default 0)." })
  dead?: number | null;

  @Field(() => Int, { nullable: true, description: "失踪 Missing (default 0)." })
  missing?: number | null;

  @Field(() => Int, { nullable: true, description: "受伤 Injured (default 0)." })
  injured?: number | null;

  @Field(() => Int, { nullable: true, description: "倒塌房屋 Houses collapsed (default 0)." })
  housesCollapsed?: number | null;

  @Field(() => Int, { nullable: true, description: "损坏房屋 Houses damaged (default 0)." })
  housesDamaged?: number | null;

  @Field(() => [RoadCutInput], { nullable: true, description: "道路中断 Roads cut; one naming a place or link becomes a RoadClosure for the planner (at most 20)." })
  roadsCut?: RoadCutInput[] | null;

  @Field(() => Boolean, { nullable: true, description: "停电 Power out (default false)." })
  powerOut?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "通信中断 Communications out (default false)." })
  communicationsOut?: boolean | null;

  @Field(() => String, { nullable: true, description: "急需 Urgent needs (at most 1000 characters)." })
  urgentNeeds?: string | null;

  @Field(() => ID, { nullable: true, description: "更正 The earlier report (of the same incident and township) this one corrects and supersedes in the roll-up; a report is corrected once." })
  correctsId?: string | null;
}

@InputType({ description: "道路中断 One road cut in a situation report." })
export class RoadCutInput {
  @Field(() => String, { description: "说明 What is cut, e.g. 白鹤至临江公路 K12 塌方 (1–300 characters)." })
  description: string;

  @Field(() => ID, { nullable: true, description: "中断地点 The place (a RouteNode) cut off by road, for the planner." })
  nodeId?: string | null;

  @Field(() => ID, { nullable: true, description: "中断路段 Or the link (a TravelLink) closed." })
  linkId?: string | null;
}

@InputType({ description: "灾情订阅范围。Which situation reports to hear about." })
export class SituationChangedWhere {
  @IdOrCodeFilter(INCIDENT, "事件。Only this incident.")
  incidentId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only reports of townships within this region.")
  regionId?: string | null;
}

@InputType({ description: "现场签到 Members of a deployed team check in on site." })
export class CheckInMembersInput extends MutationInput {
  @Field(() => ID, { description: "出动。The deployment (active)." })
  deploymentId: string;

  @Field(() => [ID], { description: "队员。The members arriving: those named when the call-up was accepted; on a deployTeam deployment, no more different members than its headcount." })
  memberIds: string[];

  @Field(() => Date, { nullable: true, description: "签到时间 When; default now (not in the future)." })
  at?: Date | null;
}

@InputType({ description: "现场签退 Members of a deployed team check out." })
export class CheckOutMembersInput extends MutationInput {
  @Field(() => ID, { description: "出动。The deployment." })
  deploymentId: string;

  @Field(() => [ID], { description: "队员。The members leaving (checked in now)." })
  memberIds: string[];

  @Field(() => Date, { nullable: true, description: "签退时间 When; default now (not in the future, not before check-in)." })
  at?: Date | null;
}

@InputType({ description: "任务分区 The commander assigns a task and sector to a deployed team." })
export class AssignDeploymentTaskInput extends MutationInput {
  @Field(() => ID, { description: "出动。The deployment (active)." })
  deploymentId: string;

  @Field(() => String, { description: "作业分区 Sector (1–200 characters)." })
  sector: string;

  @Field(() => String, { description: "任务 Task (1–500 characters)." })
  task: string;
}

@InputType({ description: "延长出动 The commander extends a deployment (RequestExtendedDeploymentDuration)." })
export class ExtendDeploymentInput extends MutationInput {
  @Field(() => ID, { description: "出动。The deployment (active)." })
  deploymentId: string;

  @Field(() => Date, { description: "延长至 New planned end (in the future, later than the current one)." })
  until: Date;
}

export { CallUpStatus };
