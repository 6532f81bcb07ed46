// Call-ups (调用): a commander calls a team to an incident; the team's leader accepts (with the
// members going) or declines; accepting runs the checks with the members named, and — once every
// warning is acknowledged by a commander — makes the deployment and the local filing (属地备案),
// in the accepting (or acknowledging) mutation's one transaction. Every other move is refused
// INVALID_STATE. Lock order: the call-up row, then the team row (markDeployed).
import type { DataSource, EntityManager } from "typeorm";
import { recordedBy, Role, type Actor } from "../../core/access/auth";
import { rowsByCodes, rowsByIds } from "../../core/db/batch";
import type { Transaction } from "../../core/db/transaction";
import { forbidden, userError } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { message } from "../../core/i18n/i18n";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { TeamDeployment } from "../dispatch/team-deployment.entity";
import type { ReleaseFollowUp, TeamDeploymentService } from "../dispatch/team-deployment.service";
import type { IncidentService } from "../incidents/incident.service";
import { DocumentKind, takeDocumentCode } from "../numbering/document-numbers";
import { Region } from "../regions/region.entity";
import { CALL_UP_STATUS_WORDS } from "../spreadsheets/labels";
import type { RescueTeam } from "../teams/team.entity";
import { localTime, word } from "./field-labels";
import { RescueActionFiling, RescueActionFilingMember } from "../teams/filing.entity";
import { TeamMember } from "../teams/member.entity";
import { assertLeadsTeam, type TeamService } from "../teams/team.service";
import { DeploymentCheckRule, TeamCallUp, TeamCallUpMember, type CheckResultRow } from "./call-up.entity";
import { CALL_UP_ORDER, type CallUpOrderField } from "./field.orders";
import { CallUpConnection } from "./field.types";
import { CallUpStatus, CheckSeverity } from "./field.enums";
import { enforceChecks, unacknowledged, type DeploymentChecks } from "./deployment-checks";
import type { AcceptCallUpInput, AcknowledgeCallUpChecksInput, CallUpTeamInput, CallUpWhere, CancelCallUpInput, DeclineCallUpInput, SetDeploymentCheckRuleInput } from "./field.inputs";

const HEADCOUNT_MAX = 500;
/** How far behind the server's clock a reportBy may be (the commander's clock may run slow). */
const CLOCK_SKEW_MS = 5 * 60_000;
const LIST_MAX = 20;
const EQUIPMENT_MAX = 50;

function textList(check: InputErrors, values: readonly string[] | null | undefined, field: string, max: number, chars = 100): string[] {
  const list = (values ?? []).map((value, i) => check.text(value, `${field}[${i}]`, chars));
  if (list.length > max) check.add(field, "OUT_OF_RANGE", "field.tooManyEntries", { max });
  return [...new Set(list)];
}

export class CallUpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentService,
    private readonly teams: TeamService,
    private readonly checks: DeploymentChecks,
    private readonly deployments: TeamDeploymentService,
    private readonly config: { responseHours: number },
  ) {}

  byIds = (ids: readonly number[]) => rowsByIds(this.dataSource, TeamCallUp, ids);
  byCodes = (codes: readonly string[]) => rowsByCodes(this.dataSource, TeamCallUp, codes);

  /** The members named on each call-up, in one statement. */
  membersByCallUps = async (callUpIds: readonly number[]): Promise<TeamMember[][]> => {
    const rows: Array<{ call_up_id: number; member_id: number }> = await this.dataSource.query(`SELECT call_up_id, member_id FROM team_call_up_member WHERE call_up_id = ANY($1::int[]) ORDER BY member_id`, [[...callUpIds]]);
    const members = rows.length ? await this.dataSource.getRepository(TeamMember).createQueryBuilder("m").where("m.id = ANY(:ids)", { ids: rows.map((r) => r.member_id) }).getMany() : [];
    const byId = new Map(members.map((m) => [m.id, m]));
    return callUpIds.map((id) => rows.filter((r) => r.call_up_id === id).map((r) => byId.get(r.member_id)!));
  };

  /** Call-ups of each incident, newest first, in one statement (for Incident.callUps). */
  byIncidents = async (incidentIds: readonly number[]): Promise<TeamCallUp[][]> => {
    const rows = await this.dataSource.getRepository(TeamCallUp).createQueryBuilder("c").where("c.incident_id = ANY(:ids)", { ids: [...incidentIds] }).orderBy("c.id", "DESC").getMany();
    return incidentIds.map((id) => rows.filter((row) => row.incidentId === id));
  };

  isOverdue(callUp: TeamCallUp, now = new Date()): boolean {
    return callUp.status === CallUpStatus.REQUESTED && new Date(callUp.answerDueAt).getTime() < now.getTime();
  }

  async list(where: CallUpWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<CallUpOrderField>[] | null): Promise<Connection<TeamCallUp>> {
    const query = this.dataSource.getRepository(TeamCallUp).createQueryBuilder("call_up");
    if (where?.incidentId) query.andWhere("call_up.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.teamId) query.andWhere("call_up.team_id = :teamId", { teamId: parseGlobalId(where.teamId, "RescueTeam", "where.teamId") });
    if (where?.status) query.andWhere("call_up.status = :status", { status: where.status });
    if (where?.overdue === true) query.andWhere("call_up.status = 'REQUESTED' AND call_up.answer_due_at < now()");
    if (where?.overdue === false) query.andWhere("NOT (call_up.status = 'REQUESTED' AND call_up.answer_due_at < now())");
    return paginate(query, CALL_UP_ORDER.sorting.resolve(orderBy), page, CallUpConnection);
  }

  async callUp(unit: UnitOfWork, input: CallUpTeamInput): Promise<{ callUp: TeamCallUp }> {
    const { actor } = unit;
    const incidentId = parseGlobalId(input.incidentId, "Incident", "input.incidentId");
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const regionId = parseGlobalId(input.regionId, "Region", "input.regionId");
    const check = new InputErrors();
    const task = check.text(input.task, "input.task", 500);
    const area = check.text(input.area, "input.area", 200);
    const reportTo = check.text(input.reportTo, "input.reportTo", 200);
    check.wholeNumber(input.headcountWanted, "input.headcountWanted", 1, HEADCOUNT_MAX);
    const skillsNeeded = textList(check, input.skillsNeeded, "input.skillsNeeded", LIST_MAX, 50);
    const equipmentNeeded = textList(check, input.equipmentNeeded, "input.equipmentNeeded", LIST_MAX);
    const reportBy = new Date(input.reportBy);
    if (reportBy.getTime() < Date.now() - CLOCK_SKEW_MS) check.add("input.reportBy", "IN_PAST", "field.reportByInPast");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const incident = await this.incidents.requireOpen(tx.manager, incidentId, "input.incidentId");
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId");
      const region = await tx.manager.findOneBy(Region, { id: regionId });
      if (!region) userError("input.regionId", "NOT_FOUND", "teams.thereIsNoSuchRegion");
      if (region.districtId !== incident.districtId && region.id !== incident.districtId) userError("input.regionId", "OUT_OF_AREA", "field.regionOutsideIncidentDistrict");
      const open = await tx.manager.findOne(TeamCallUp, { where: [{ teamId, status: CallUpStatus.REQUESTED }, { teamId, status: CallUpStatus.AWAITING_ACKNOWLEDGEMENT }] });
      if (open) userError("input.teamId", "INVALID_STATE", "field.teamHasOpenCallUp", { name: team.name, code: open.code });
      await this.refuseIfOut(tx.manager, team, "input.teamId");
      // The team-level checks now, so the commander sees them on the call-up; a hard rule refuses at once.
      const checkResults = await this.checks.evaluate(tx.manager, team, { skills: skillsNeeded, memberIds: null, viaCallUp: true });
      enforceChecks(checkResults.filter((r) => r.severity === CheckSeverity.REFUSE), [], "input.teamId", "input.teamId");
      const who = recordedBy(actor);
      const code = await takeDocumentCode(tx.manager, DocumentKind.CALL_UP, incident.districtId);
      const callUp = tx.manager.create(TeamCallUp, {
        code,
        incidentId,
        teamId,
        districtId: incident.districtId,
        regionId,
        task,
        area,
        headcountWanted: input.headcountWanted,
        skillsNeeded,
        equipmentNeeded,
        reportTo,
        reportBy,
        status: CallUpStatus.REQUESTED,
        requestedById: who.id,
        requestedBy: who.name,
        answerDueAt: new Date(Date.now() + this.config.responseHours * 3_600_000),
        checkResults,
        acknowledgedChecks: [],
        deploymentId: null,
      });
      await tx.manager.insert(TeamCallUp, callUp);
      return { callUp: await tx.manager.findOneByOrFail(TeamCallUp, { id: callUp.id }) };
    });
  }

  /** INVALID_STATE while the team is out on a deployment (an open one, or DEPLOYED members), naming it. */
  private async refuseIfOut(manager: EntityManager, team: RescueTeam, field: string): Promise<void> {
    const [out]: Array<{ id: number; headcount: number; deployed_at: Date; title: string }> = await manager.query(
      `SELECT d.id, d.headcount, d.deployed_at, i.title FROM team_deployment d JOIN incident i ON i.id = d.incident_id WHERE d.team_id = $1 AND d.released_at IS NULL ORDER BY d.id DESC LIMIT 1`,
      [team.id],
    );
    if (out) userError(field, "INVALID_STATE", "field.teamIsOnDeployment", { name: team.name, incident: out.title, since: localTime(out.deployed_at), headcount: out.headcount });
    if (team.deployedMembers > 0) userError(field, "INVALID_STATE", "teams.isAlreadyDeployedReleaseIt", { name: team.name });
  }

  /** The call-up row, locked; a TEAM_LEADER only of their own team's, a state from `allowed` only. */
  private async lockCallUp(tx: Transaction, actor: Actor, globalId: string, allowed: readonly CallUpStatus[], leaderOnly: boolean): Promise<TeamCallUp> {
    const id = parseGlobalId(globalId, "TeamCallUp", "input.callUpId");
    const callUp = await tx.manager.findOne(TeamCallUp, { where: { id }, lock: { mode: "pessimistic_write" } });
    if (!callUp) userError("input.callUpId", "NOT_FOUND", "field.noSuchCallUp");
    if (leaderOnly) assertLeadsTeam(actor, callUp.teamId, "field.what.answerCallUps");
    if (!allowed.includes(callUp.status)) userError("input.callUpId", "INVALID_STATE", "field.callUpIs", { code: callUp.code, status: word(CALL_UP_STATUS_WORDS, callUp.status) });
    return callUp;
  }

  async accept(unit: UnitOfWork, input: AcceptCallUpInput): Promise<{ callUp: TeamCallUp }> {
    const { actor } = unit;
    if (actor.role !== Role.ADMIN && actor.role !== Role.TEAM_LEADER) throw forbidden("teams.onlyThisTeamSLeader", { what: message("field.what.answerCallUps") });
    const check = new InputErrors();
    check.wholeNumber(input.headcount, "input.headcount", 1, HEADCOUNT_MAX);
    const memberIds = [...new Set(input.memberIds.map((id, i) => parseGlobalId(id, "TeamMember", `input.memberIds[${i}]`)))];
    if (memberIds.length !== input.headcount) check.add("input.memberIds", "MISMATCH", "field.membersMustMatchHeadcount", { headcount: input.headcount, named: memberIds.length });
    const equipment = textList(check, input.equipment, "input.equipment", EQUIPMENT_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const callUp = await this.lockCallUp(tx, actor, input.callUpId, [CallUpStatus.REQUESTED], true);
      const members = await tx.manager.getRepository(TeamMember).createQueryBuilder("m").where("m.id = ANY(:ids)", { ids: memberIds }).getMany();
      memberIds.forEach((id, i) => {
        const member = members.find((m) => m.id === id);
        if (!member || member.teamId !== callUp.teamId || !member.active) userError(`input.memberIds[${i}]`, "NOT_FOUND", "field.notAnActiveMemberOfTeam");
      });
      const team = await this.teams.requireTeam(tx.manager, callUp.teamId, "input.callUpId");
      // Sent elsewhere since the call-up (deployTeam): refused here, not left stuck at the acknowledgement.
      await this.refuseIfOut(tx.manager, team, "input.callUpId");
      const checkResults = await this.checks.evaluate(tx.manager, team, { skills: callUp.skillsNeeded, memberIds, viaCallUp: true });
      // A hard rule refuses the acceptance itself: nothing changes.
      enforceChecks(checkResults.filter((r) => r.severity === CheckSeverity.REFUSE), [], "input.memberIds", "input.memberIds");
      const who = recordedBy(actor);
      Object.assign(callUp, { answeredAt: new Date(), answeredBy: who.name, headcountAccepted: input.headcount, expectedArrivalAt: new Date(input.expectedArrivalAt), equipmentTaken: equipment, checkResults });
      await tx.manager.insert(TeamCallUpMember, memberIds.map((memberId) => ({ callUpId: callUp.id, memberId })));
      if (unacknowledged(checkResults, callUp.acknowledgedChecks).length) {
        callUp.status = CallUpStatus.AWAITING_ACKNOWLEDGEMENT;
        await tx.manager.save(callUp);
        return { callUp };
      }
      return { callUp: await this.go(tx, actor, callUp, memberIds) };
    });
  }

  async decline(unit: UnitOfWork, input: DeclineCallUpInput): Promise<{ callUp: TeamCallUp }> {
    const { actor } = unit;
    if (actor.role !== Role.ADMIN && actor.role !== Role.TEAM_LEADER) throw forbidden("teams.onlyThisTeamSLeader", { what: message("field.what.answerCallUps") });
    const check = new InputErrors();
    const reason = check.text(input.reason, "input.reason", 500);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const callUp = await this.lockCallUp(tx, actor, input.callUpId, [CallUpStatus.REQUESTED], true);
      Object.assign(callUp, { status: CallUpStatus.DECLINED, declineReason: reason, answeredAt: new Date(), answeredBy: recordedBy(actor).name });
      return { callUp: await tx.manager.save(callUp) };
    });
  }

  async cancel(unit: UnitOfWork, input: CancelCallUpInput): Promise<{ callUp: TeamCallUp }> {
    return unit.transaction(this.dataSource, async (tx) => {
      const callUp = await this.lockCallUp(tx, unit.actor, input.callUpId, [CallUpStatus.REQUESTED, CallUpStatus.AWAITING_ACKNOWLEDGEMENT], false);
      callUp.status = CallUpStatus.CANCELLED;
      return { callUp: await tx.manager.save(callUp) };
    });
  }

  /**
   * The commander's acknowledgement of warnings. On a REQUESTED call-up it is recorded ahead of the
   * answer (only warnings that fail now may be named); on one AWAITING_ACKNOWLEDGEMENT the checks
   * run again with the members named, every open warning must be named, and the team goes.
   */
  async acknowledge(unit: UnitOfWork, input: AcknowledgeCallUpChecksInput): Promise<{ callUp: TeamCallUp }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async (tx) => {
      const callUp = await this.lockCallUp(tx, actor, input.callUpId, [CallUpStatus.REQUESTED, CallUpStatus.AWAITING_ACKNOWLEDGEMENT], false);
      const team = await this.teams.requireTeam(tx.manager, callUp.teamId, "input.callUpId");
      const memberIds = callUp.status === CallUpStatus.AWAITING_ACKNOWLEDGEMENT ? (await tx.manager.findBy(TeamCallUpMember, { callUpId: callUp.id })).map((m) => m.memberId) : null;
      const checkResults = await this.checks.evaluate(tx.manager, team, { skills: callUp.skillsNeeded, memberIds, viaCallUp: true });
      const failing = new Set(checkResults.filter((r) => r.severity === CheckSeverity.WARNING).map((r) => r.code));
      input.checks.forEach((code, i) => {
        if (!failing.has(code)) userError(`input.checks[${i}]`, "NOT_FAILING", "field.checkNotFailing", { code });
      });
      const acknowledged = [...new Set([...callUp.acknowledgedChecks, ...input.checks])];
      Object.assign(callUp, { checkResults, acknowledgedChecks: acknowledged, acknowledgedBy: recordedBy(actor).name, acknowledgedAt: new Date() });
      if (callUp.status === CallUpStatus.REQUESTED) return { callUp: await tx.manager.save(callUp) };
      enforceChecks(checkResults, acknowledged, "input.callUpId", "input.checks");
      return { callUp: await this.go(tx, actor, callUp, memberIds!) };
    });
  }

  /** The team goes: deployment (marks the team DEPLOYED), the local filing with its members, the call-up ACCEPTED. */
  private async go(tx: Transaction, actor: Actor, callUp: TeamCallUp, memberIds: readonly number[]): Promise<TeamCallUp> {
    const incident = await this.incidents.requireOpen(tx.manager, callUp.incidentId, "input.callUpId");
    const { deployment, team } = await this.deployments.insertDeployment(tx, actor, {
      incident,
      teamId: callUp.teamId,
      headcount: callUp.headcountAccepted!,
      note: `${callUp.code} ${callUp.task}`.slice(0, 500),
      callUpId: callUp.id,
      checkResults: callUp.checkResults,
      acknowledgedChecks: callUp.acknowledgedChecks,
      equipment: callUp.equipmentTaken,
      field: "input.callUpId",
      headcountField: "input.headcount",
    });
    callUp.status = CallUpStatus.ACCEPTED;
    callUp.deploymentId = deployment.id;
    await tx.manager.save(callUp);
    const filing = tx.manager.create(RescueActionFiling, {
      teamId: team.id,
      districtId: team.districtId,
      regionId: callUp.regionId,
      startedAt: new Date(),
      endedAt: null,
      location: callUp.area,
      incident: incident.title,
      membersSent: callUp.headcountAccepted!,
      outcome: null,
      filedBy: callUp.answeredBy ?? recordedBy(actor).name,
      incidentId: incident.id,
      deploymentId: deployment.id,
      callUpId: callUp.id,
      source: "CALL_UP",
    });
    await tx.manager.insert(RescueActionFiling, filing);
    await tx.manager.insert(RescueActionFilingMember, memberIds.map((memberId) => ({ filingId: filing.id, memberId })));
    return callUp;
  }

  async setRule(unit: UnitOfWork, input: SetDeploymentCheckRuleInput): Promise<{ rules: DeploymentCheckRule[] }> {
    const check = new InputErrors();
    const skill = check.optionalText(input.skill, "input.skill", 50) ?? "";
    if (input.maxAgeDays != null) check.wholeNumber(input.maxAgeDays, "input.maxAgeDays", 1, 3650);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      if (input.severity == null) {
        await tx.manager.delete(DeploymentCheckRule, { teamKind: input.teamKind, checkCode: input.checkCode, skill });
      } else {
        await tx.manager.query(
          `INSERT INTO deployment_check_rule (team_kind, check_code, severity, skill, max_age_days, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (team_kind, check_code, skill) DO UPDATE SET severity = EXCLUDED.severity, max_age_days = EXCLUDED.max_age_days, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [input.teamKind, input.checkCode, input.severity, skill, input.maxAgeDays ?? null, recordedBy(unit.actor).name],
        );
      }
      return { rules: await this.checks.rulesFor(tx.manager, input.teamKind) };
    });
  }

  async rules(manager: EntityManager = this.dataSource.manager): Promise<DeploymentCheckRule[]> {
    return manager.getRepository(DeploymentCheckRule).find({ order: { teamKind: "ASC", checkCode: "ASC", skill: "ASC" } });
  }
}

/** When a deployment made by a call-up ends: the call-up is RELEASED, the filing closed with its outcome, everyone still on site checked out. */
export class CallUpRelease implements ReleaseFollowUp {
  async released(tx: Transaction, deployment: TeamDeployment, outcome: string | null): Promise<void> {
    await tx.manager.query(`UPDATE field_attendance SET checked_out_at = greatest(now(), checked_in_at) WHERE deployment_id = $1 AND checked_out_at IS NULL`, [deployment.id]);
    if (deployment.callUpId === null) return;
    await tx.manager.update(TeamCallUp, { id: deployment.callUpId }, { status: CallUpStatus.RELEASED });
    await tx.manager.query(`UPDATE rescue_action_filing SET ended_at = greatest($2::timestamptz, started_at), outcome = coalesce($3, outcome, '') WHERE call_up_id = $1`, [deployment.callUpId, deployment.releasedAt ?? new Date(), outcome]);
  }
}

export type { CheckResultRow };
