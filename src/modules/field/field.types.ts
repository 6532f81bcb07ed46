import { Field, Int, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { ConnectionType } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { DeploymentCheckRule, TeamCallUp } from "./call-up.entity";
import { MemberInsurance } from "./insurance.entity";
import { DeploymentTask, FieldAttendance } from "./on-site.entity";
import { SituationReport } from "./situation-report.entity";
import { TeamDeployment } from "../dispatch/team-deployment.entity";

export const CallUpConnection = ConnectionType(TeamCallUp, "TeamCallUp", "调用分页。A page of call-ups, newest first.");
export const SituationReportConnection = ConnectionType(SituationReport, "SituationReport", "灾情报送分页。A page of situation reports, latest figures first.");

@ObjectType({ description: "调用操作结果。Result of call-up mutations." })
export class CallUpPayload {
  @Field(() => TeamCallUp, { nullable: true, description: "调用。The call-up as saved; null when nothing was written." })
  callUp?: TeamCallUp;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "检查规则操作结果。Result of setDeploymentCheckRule." })
export class DeploymentCheckRulesPayload {
  @Field(() => [DeploymentCheckRule], { nullable: true, description: "规则 The rules of that team kind, after the change." })
  rules?: DeploymentCheckRule[];

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "保险登记结果。Result of recordMemberInsurance." })
export class MemberInsurancePayload {
  @Field(() => MemberInsurance, { nullable: true, description: "保险 The policy as saved." })
  insurance?: MemberInsurance;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "灾情报送结果。Result of reportSituation." })
export class SituationReportPayload {
  @Field(() => SituationReport, { nullable: true, description: "报告 The report as saved." })
  report?: SituationReport;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "灾情合计 Totals of situation figures." })
export class SituationTotals {
  @Field(() => Int, { description: "受灾人数 Affected." }) affected: number;
  @Field(() => Int, { description: "转移安置 Evacuated." }) evacuated: number;
  @Field(() => Int, { description: "死亡 Dead." }) dead: number;
  @Field(() => Int, { description: "失踪 Missing." }) missing: number;
  @Field(() => Int, { description: "受伤 Injured." }) injured: number;
  @Field(() => Int, { description: "倒塌房屋 Houses collapsed." }) housesCollapsed: number;
  @Field(() => Int, { description: "损坏房屋 Houses damaged." }) housesDamaged: number;
  @Field(() => Int, { description: "道路中断处数 Roads cut." }) roadsCut: number;
  @Field(() => Int, { description: "停电乡镇数 Townships with power out." }) townshipsPowerOut: number;
  @Field(() => Int, { description: "通信中断乡镇数 Townships with communications out." }) townshipsCommunicationsOut: number;
}

@ObjectType({ description: "灾情趋势点 The totals as they stood after one report (a step of the trend)." })
export class SituationTrendPoint {
  @Field(() => Date, { description: "统计时间 As of." })
  asOf: Date;

  @Field(() => SituationTotals, { description: "合计 Totals over the townships' latest reports up to then." })
  totals: SituationTotals;
}

@ObjectType({ description: "灾情汇总 The incident's situation: each township's latest report, the totals, and the trend." })
export class SituationRollUp {
  @Field(() => [SituationReport], { description: "各乡镇最新报告 The latest report per township (a correction replaces what it corrects)." })
  latest: SituationReport[];

  @Field(() => SituationTotals, { description: "合计 Totals over the latest reports." })
  totals: SituationTotals;

  @Field(() => [SituationTrendPoint], { description: "趋势 Totals after each report, oldest first." })
  trend: SituationTrendPoint[];
}

@ObjectType({ description: "灾情变化事件。A situation report was committed." })
export class SituationChangedEvent {
  @Field(() => SituationReport, { description: "报告 The report." })
  report: SituationReport;

  @Field(() => Region, { description: "乡镇 The township reported on." })
  region: Region;
}

@ObjectType({ description: "现场操作结果。Result of on-site mutations." })
export class OnSitePayload {
  @Field(() => TeamDeployment, { nullable: true, description: "出动 The deployment after the change." })
  deployment?: TeamDeployment;

  @Field(() => [FieldAttendance], { nullable: true, description: "签到记录 The attendance rows written." })
  attendance?: FieldAttendance[];

  @Field(() => DeploymentTask, { nullable: true, description: "任务 The task assigned." })
  task?: DeploymentTask;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}
