import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { byIdOrCode, codeArgumentDescription, fromGlobalId, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { freshLoadersForEvent } from "../../loaders";
import { TeamDeployment } from "../dispatch/team-deployment.entity";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { RescueActionFiling } from "../teams/filing.entity";
import { TeamMember } from "../teams/member.entity";
import { RescueTeam } from "../teams/team.entity";
import { CheckResult, DeploymentCheckRule, TeamCallUp } from "./call-up.entity";
import { checkResultsFor } from "./deployment-checks";
import {
  AcceptCallUpInput,
  AcknowledgeCallUpChecksInput,
  AssignDeploymentTaskInput,
  CallUpTeamInput,
  CallUpWhere,
  CancelCallUpInput,
  CheckInMembersInput,
  CheckOutMembersInput,
  DeclineCallUpInput,
  ExtendDeploymentInput,
  RecordMemberInsuranceInput,
  ReportSituationInput,
  SetDeploymentCheckRuleInput,
  SituationChangedWhere,
} from "./field.inputs";
import { CALL_UP_ORDER, SITUATION_REPORT_ORDER, type CallUpOrderField, type SituationReportOrderField } from "./field.orders";
import { CallUpConnection, CallUpPayload, DeploymentCheckRulesPayload, MemberInsurancePayload, OnSitePayload, SituationChangedEvent, SituationReportConnection, SituationReportPayload, SituationRollUp } from "./field.types";
import { MemberInsurance } from "./insurance.entity";
import { DeploymentTask, FieldAttendance } from "./on-site.entity";
import { SituationReport } from "./situation-report.entity";
import { SheetFormat } from "../spreadsheets/sheet-file";
import { ExportedFile } from "../spreadsheets/spreadsheets.types";
import { rollUp, SITUATION_CHANGED, type SituationChangedPayload } from "./situation.service";

@Resolver(() => TeamCallUp)
export class CallUpResolver {
  @Authorized(Role.COMMANDER)
  @Mutation(() => CallUpPayload, { description: "调用救援队 Call a team up to an open incident: task, area, headcount, skills, equipment, where and when to report. Team-level checks show on the call-up; a hard rule refuses (COMMANDER, ADMIN)." })
  callUpTeam(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CallUpTeamInput, { description: "调用。The call-up." }) input: CallUpTeamInput) {
    return mutationPayload(() => ctx.services.callUps.callUp(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => CallUpPayload, { description: "接受调用 Accept a call-up with the headcount, expected arrival and members going: checks run with the members; a hard rule refuses; open warnings wait for the commander's acknowledgement; otherwise the team deploys and the local filing is made (the called team's TEAM_LEADER, ADMIN)." })
  acceptCallUp(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => AcceptCallUpInput, { description: "答复。The answer." }) input: AcceptCallUpInput) {
    return mutationPayload(() => ctx.services.callUps.accept(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => CallUpPayload, { description: "拒绝调用 Decline a call-up with a reason (the called team's TEAM_LEADER, ADMIN)." })
  declineCallUp(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => DeclineCallUpInput, { description: "答复。The answer." }) input: DeclineCallUpInput) {
    return mutationPayload(() => ctx.services.callUps.decline(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => CallUpPayload, { description: "取消调用 Withdraw a call-up before the team goes (COMMANDER, ADMIN)." })
  cancelCallUp(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CancelCallUpInput, { description: "调用。The call-up." }) input: CancelCallUpInput) {
    return mutationPayload(() => ctx.services.callUps.cancel(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => CallUpPayload, { description: "确认检查警告 Acknowledge failed warnings of a call-up (kept on it and in the audit log); on one awaiting acknowledgement, naming every open warning sends the team (COMMANDER, ADMIN)." })
  acknowledgeCallUpChecks(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => AcknowledgeCallUpChecksInput, { description: "确认。The acknowledgement." }) input: AcknowledgeCallUpChecksInput) {
    return mutationPayload(() => ctx.services.callUps.acknowledge(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DeploymentCheckRulesPayload, { description: "设置出动前检查规则 Set (or remove) one pre-deployment check rule of a team kind (ADMIN)." })
  setDeploymentCheckRule(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetDeploymentCheckRuleInput, { description: "规则。The rule." }) input: SetDeploymentCheckRuleInput) {
    return mutationPayload(() => ctx.services.callUps.setRule(unit, input));
  }

  @Authorized()
  @Query(() => [DeploymentCheckRule], { description: "出动前检查规则 The pre-deployment check rules of every team kind." })
  deploymentCheckRules(@Ctx() ctx: AppContext): Promise<DeploymentCheckRule[]> {
    return ctx.services.callUps.rules();
  }

  @Authorized()
  @Query(() => CallUpConnection, { description: "力量调用 Call-ups, newest first." })
  callUps(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [CALL_UP_ORDER.Input], { nullable: true, description: CALL_UP_ORDER.argument }) orderBy?: OrderTerm<CallUpOrderField>[] | null,
    @Arg("where", () => CallUpWhere, { nullable: true, description: "筛选条件。Conditions the call-ups must meet." }) where?: CallUpWhere,
  ): Promise<Connection<TeamCallUp>> {
    return ctx.services.callUps.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => TeamCallUp, { nullable: true, description: "力量调用 One call-up by global id or code." })
  callUp(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "调用 ID。Global id." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("call-up", "KZ-CU-2026-0001") }) code?: string | null,
  ): Promise<TeamCallUp | null> {
    return byIdOrCode<TeamCallUp>("TeamCallUp", id, code, { byId: ctx.loaders.field.callUpById, byCode: ctx.loaders.field.callUpByCode });
  }

  @FieldResolver(() => Boolean, { description: "超时未答复 Unanswered past its answer deadline (CALL_UP_RESPONSE_HOURS)." })
  overdue(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): boolean {
    return ctx.services.callUps.isOverdue(callUp);
  }

  @FieldResolver(() => [CheckResult], { description: "检查结果 The checks the team failed, as last run (at the call-up, the answer or the acknowledgement)." })
  checks(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): CheckResult[] {
    return checkResultsFor(ctx.locale, callUp.checkResults, callUp.acknowledgedChecks);
  }

  @FieldResolver(() => RescueTeam, { description: "救援队。The team called up." })
  async team(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(callUp.teamId))!;
  }

  @FieldResolver(() => Incident, { description: "突发事件。The incident." })
  async incident(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): Promise<Incident> {
    return (await ctx.loaders.incidents.incidentById.load(callUp.incidentId))!;
  }

  @FieldResolver(() => Region, { description: "作业区域。The region the team is called to." })
  async region(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(callUp.regionId))!;
  }

  @FieldResolver(() => TeamDeployment, { nullable: true, description: "出动。The deployment it made; null before the team went." })
  async deployment(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): Promise<TeamDeployment | null> {
    return callUp.deploymentId === null ? null : ctx.loaders.dispatch.deploymentById.load(callUp.deploymentId);
  }

  @FieldResolver(() => [TeamMember], { description: "出动队员 The members the leader named (names, phones, ID numbers masked as on the roster)." })
  members(@Root() callUp: TeamCallUp, @Ctx() ctx: AppContext): Promise<TeamMember[]> {
    return ctx.loaders.field.membersByCallUp.load(callUp.id);
  }
}

@Resolver(() => TeamDeployment)
export class DeploymentFieldResolver {
  @FieldResolver(() => [CheckResult], { description: "检查结果 Checks failed when the team went, and whether each warning was acknowledged." })
  checks(@Root() deployment: TeamDeployment, @Ctx() ctx: AppContext): CheckResult[] {
    return checkResultsFor(ctx.locale, deployment.checkResults as never, deployment.acknowledgedChecks);
  }

  @FieldResolver(() => TeamCallUp, { nullable: true, description: "调用。The call-up this deployment answers; null for a direct deployTeam." })
  async callUp(@Root() deployment: TeamDeployment, @Ctx() ctx: AppContext): Promise<TeamCallUp | null> {
    return deployment.callUpId === null ? null : ctx.loaders.field.callUpById.load(deployment.callUpId);
  }

  @Authorized()
  @FieldResolver(() => [FieldAttendance], { description: "现场签到 Check-ins and check-outs of the team's members, oldest first." })
  attendance(@Root() deployment: TeamDeployment, @Ctx() ctx: AppContext): Promise<FieldAttendance[]> {
    return ctx.loaders.field.attendanceByDeployment.load(deployment.id);
  }

  @Authorized()
  @FieldResolver(() => [DeploymentTask], { description: "任务分区 Tasks and sectors assigned, oldest first." })
  tasks(@Root() deployment: TeamDeployment, @Ctx() ctx: AppContext): Promise<DeploymentTask[]> {
    return ctx.loaders.field.tasksByDeployment.load(deployment.id);
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => OnSitePayload, { description: "现场签到 Check members of a deployed team in on site (the team's TEAM_LEADER, ADMIN)." })
  checkInMembers(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CheckInMembersInput, { description: "签到。The check-in." }) input: CheckInMembersInput) {
    return mutationPayload(() => ctx.services.onSite.checkIn(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => OnSitePayload, { description: "现场签退 Check members out (the team's TEAM_LEADER, ADMIN)." })
  checkOutMembers(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CheckOutMembersInput, { description: "签退。The check-out." }) input: CheckOutMembersInput) {
    return mutationPayload(() => ctx.services.onSite.checkOut(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => OnSitePayload, { description: "下达任务分区 Assign a task and sector to a deployed team (COMMANDER, ADMIN)." })
  assignDeploymentTask(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => AssignDeploymentTaskInput, { description: "任务。The task." }) input: AssignDeploymentTaskInput) {
    return mutationPayload(() => ctx.services.onSite.assignTask(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => OnSitePayload, { description: "延长出动 Extend a deployment's planned end (COMMANDER, ADMIN)." })
  extendDeployment(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ExtendDeploymentInput, { description: "延长。The extension." }) input: ExtendDeploymentInput) {
    return mutationPayload(() => ctx.services.onSite.extend(unit, input));
  }
}

@Resolver(() => FieldAttendance)
export class FieldAttendanceResolver {
  @FieldResolver(() => TeamMember, { description: "队员。The member (name masked as on the roster)." })
  async member(@Root() row: FieldAttendance, @Ctx() ctx: AppContext): Promise<TeamMember> {
    return (await ctx.loaders.teams.memberById.load(row.memberId))!;
  }
}

@Resolver(() => TeamMember)
export class MemberInsuranceFieldResolver {
  @Authorized()
  @FieldResolver(() => [MemberInsurance], { description: "保险 The member's insurance policies, latest expiry first (policy numbers masked as personal data)." })
  insurance(@Root() member: TeamMember, @Ctx() ctx: AppContext): Promise<MemberInsurance[]> {
    return ctx.loaders.field.insuranceByMember.load(member.id);
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => MemberInsurancePayload, { description: "登记队员保险 Record a member's insurance policy (the member's TEAM_LEADER, ADMIN)." })
  recordMemberInsurance(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RecordMemberInsuranceInput, { description: "保险。The policy." }) input: RecordMemberInsuranceInput) {
    return mutationPayload(() => ctx.services.onSite.recordInsurance(unit, input));
  }
}

@Resolver(() => RescueActionFiling)
export class FilingLinksResolver {
  @FieldResolver(() => Incident, { nullable: true, description: "突发事件 The incident filed for; null on an old free-text filing the migration could not match (its text stays in `incident`)." })
  async linkedIncident(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<Incident | null> {
    return filing.incidentId === null ? null : ctx.loaders.incidents.incidentById.load(filing.incidentId);
  }

  @FieldResolver(() => TeamDeployment, { nullable: true, description: "出动 The deployment filed; null on a free-text filing." })
  async deployment(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<TeamDeployment | null> {
    return filing.deploymentId === null ? null : ctx.loaders.dispatch.deploymentById.load(filing.deploymentId);
  }

  @FieldResolver(() => TeamCallUp, { nullable: true, description: "调用 The call-up the filing was made from; null on a free-text filing." })
  async callUp(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<TeamCallUp | null> {
    return filing.callUpId === null ? null : ctx.loaders.field.callUpById.load(filing.callUpId);
  }

  @FieldResolver(() => [TeamMember], { description: "出动队员 The members who went (from the call-up); empty on a free-text filing." })
  async members(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<TeamMember[]> {
    return filing.callUpId === null ? [] : ctx.loaders.field.membersByCallUp.load(filing.callUpId);
  }
}

@Resolver(() => SituationReport)
export class SituationReportResolver {
  @Authorized(Role.LOGISTICS, Role.COMMANDER)
  @Mutation(() => SituationReportPayload, { description: "灾情报送 Report a township's situation for an open incident; roads cut naming a place become road closures (LOGISTICS within its township scope, COMMANDER, ADMIN)." })
  reportSituation(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReportSituationInput, { description: "灾情。The report." }) input: ReportSituationInput) {
    return mutationPayload(() => ctx.services.situation.report(unit, input));
  }

  @Authorized()
  @Query(() => ExportedFile, {
    nullable: true,
    description: "灾情统计表导出 An incident's situation sheet, .xlsx (with title, unit and signature lines) or .csv: each township's latest report, then a 合计 row; reporters' names masked as in the API. Null when there is no such incident.",
  })
  exportSituation(
    @Ctx() ctx: AppContext,
    @Arg("incidentId", () => ID, { description: "事件。The incident." }) incidentId: string,
    @Arg("format", () => SheetFormat, { defaultValue: SheetFormat.XLSX, description: "文件格式。XLSX (default) or CSV." }) format: SheetFormat = SheetFormat.XLSX,
  ): Promise<ExportedFile | null> {
    return ctx.services.spreadsheets.exportSituation(ctx.actor!, parseGlobalId(incidentId, "Incident", "incidentId"), format);
  }

  @Authorized()
  @Query(() => SituationReportConnection, { description: "灾情报送 An incident's situation reports, latest figures first." })
  situationReports(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("incidentId", () => ID, { description: "事件。The incident." }) incidentId: string,
    @Arg("regionId", () => ID, { nullable: true, description: "乡镇。Only this township's reports." }) regionId?: string | null,
    @Arg("orderBy", () => [SITUATION_REPORT_ORDER.Input], { nullable: true, description: SITUATION_REPORT_ORDER.argument }) orderBy?: OrderTerm<SituationReportOrderField>[] | null,
  ): Promise<Connection<SituationReport>> {
    return ctx.services.situation.list(incidentId, regionId, page, orderBy);
  }

  @FieldResolver(() => Region, { description: "乡镇 The township reported on." })
  async region(@Root() report: SituationReport, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(report.regionId))!;
  }

  @FieldResolver(() => SituationReport, { nullable: true, description: "更正 The earlier report this one corrects." })
  async corrects(@Root() report: SituationReport, @Ctx() ctx: AppContext): Promise<SituationReport | null> {
    return report.correctsId === null ? null : ctx.loaders.field.reportById.load(report.correctsId);
  }

  @Authorized()
  @Subscription(() => SituationChangedEvent, {
    topics: SITUATION_CHANGED,
    description: "灾情变化订阅 Situation reports as they are committed; filter by incident or region.",
    filter: ({ payload, args }: { payload: SituationChangedPayload; args: { where?: SituationChangedWhere | null } }) => {
      const where = args.where;
      if (where?.incidentId && fromGlobalId(where.incidentId)?.id !== payload.incidentId) return false;
      if (where?.regionId && !payload.regionPath.includes(`/${fromGlobalId(where.regionId)?.id}/`)) return false;
      return true;
    },
  })
  async situationChanged(
    @Root() payload: SituationChangedPayload,
    @Ctx() ctx: AppContext,
    @Arg("where", () => SituationChangedWhere, { nullable: true, description: "范围。Which reports to hear about." }) _where?: SituationChangedWhere,
  ): Promise<SituationChangedEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return { report: (await loaders.field.reportById.load(payload.reportId))!, region: (await loaders.regions.regionById.load(payload.regionId))! };
  }
}

@Resolver(() => Incident)
export class IncidentFieldResolver {
  @Authorized()
  @FieldResolver(() => SituationRollUp, { description: "灾情汇总 The incident's situation roll-up: latest report per township, totals, trend (for the command wall)." })
  async situation(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<SituationRollUp> {
    return rollUp(await ctx.loaders.field.reportsByIncident.load(incident.id));
  }

  @Authorized()
  @FieldResolver(() => [TeamCallUp], { description: "力量调用 The incident's call-ups, newest first." })
  callUps(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<TeamCallUp[]> {
    return ctx.loaders.field.callUpsByIncident.load(incident.id);
  }
}


