// On site (现场): members of a deployed team check in and out (hours for labour-dispatch pay),
// tasks and sectors assigned by a commander, a deployment extended; and members' insurance records.
// Check-in/out by the team's leader (or ADMIN); tasks and extension by COMMANDER.
import type { DataSource, EntityManager } from "typeorm";
import { recordedBy } from "../../core/access/auth";
import { rowsByIds } from "../../core/db/batch";
import type { Transaction } from "../../core/db/transaction";
import { userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { TeamDeployment } from "../dispatch/team-deployment.entity";
import { TeamMember } from "../teams/member.entity";
import { assertLeadsTeam } from "../teams/team.service";
import type { AssignDeploymentTaskInput, CheckInMembersInput, CheckOutMembersInput, ExtendDeploymentInput, RecordMemberInsuranceInput } from "./field.inputs";
import { MemberInsurance } from "./insurance.entity";
import { DeploymentTask, FieldAttendance } from "./on-site.entity";

const CLOCK_SKEW_MS = 5 * 60_000;

export class OnSiteService {
  constructor(private readonly dataSource: DataSource) {}

  attendanceByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, FieldAttendance, ids);
  tasksByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, DeploymentTask, ids);

  /** Insurance rows by id, each with its member's team (who may see the number). */
  insuranceByIds = async (ids: readonly number[]): Promise<(MemberInsurance | null)[]> => {
    const rows = await rowsByIds(this.dataSource, MemberInsurance, ids);
    await this.withTeams(rows.filter((r): r is MemberInsurance => r !== null));
    return rows;
  };

  insuranceByMembers = async (memberIds: readonly number[]): Promise<MemberInsurance[][]> => {
    const rows = await this.dataSource.getRepository(MemberInsurance).createQueryBuilder("i").where("i.member_id = ANY(:ids)", { ids: [...memberIds] }).orderBy("i.expires_on", "DESC").addOrderBy("i.id", "DESC").getMany();
    await this.withTeams(rows);
    return memberIds.map((id) => rows.filter((row) => row.memberId === id));
  };

  private async withTeams(rows: MemberInsurance[]): Promise<void> {
    if (!rows.length) return;
    const teams: Array<{ id: number; team_id: number }> = await this.dataSource.query(`SELECT id, team_id FROM team_member WHERE id = ANY($1::int[])`, [[...new Set(rows.map((r) => r.memberId))]]);
    const byMember = new Map(teams.map((t) => [t.id, t.team_id]));
    for (const row of rows) row.teamId = byMember.get(row.memberId);
  }

  attendanceByDeployments = async (deploymentIds: readonly number[]): Promise<FieldAttendance[][]> => {
    const rows = await this.dataSource.getRepository(FieldAttendance).createQueryBuilder("a").where("a.deployment_id = ANY(:ids)", { ids: [...deploymentIds] }).orderBy("a.id").getMany();
    return deploymentIds.map((id) => rows.filter((row) => row.deploymentId === id));
  };

  tasksByDeployments = async (deploymentIds: readonly number[]): Promise<DeploymentTask[][]> => {
    const rows = await this.dataSource.getRepository(DeploymentTask).createQueryBuilder("t").where("t.deployment_id = ANY(:ids)", { ids: [...deploymentIds] }).orderBy("t.id").getMany();
    return deploymentIds.map((id) => rows.filter((row) => row.deploymentId === id));
  };

  async recordInsurance(unit: UnitOfWork, input: RecordMemberInsuranceInput): Promise<{ insurance: MemberInsurance }> {
    const { actor } = unit;
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    const check = new InputErrors();
    const insurer = check.text(input.insurer, "input.insurer", 200);
    const product = check.text(input.product, "input.product", 200);
    const policyNumber = check.text(input.policyNumber, "input.policyNumber", 100);
    if (input.expiresOn < input.startsOn) check.add("input.expiresOn", "OUT_OF_RANGE", "field.expiresBeforeStarts");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const member = await tx.manager.findOneBy(TeamMember, { id: memberId });
      if (!member) userError("input.memberId", "NOT_FOUND", "field.noSuchMember");
      assertLeadsTeam(actor, member.teamId, "field.what.recordInsurance");
      const insurance = tx.manager.create(MemberInsurance, { memberId, insurer, product, policyNumber, startsOn: input.startsOn, expiresOn: input.expiresOn, recordedBy: recordedBy(actor).name });
      await tx.manager.insert(MemberInsurance, insurance);
      const saved = await tx.manager.findOneByOrFail(MemberInsurance, { id: insurance.id });
      saved.teamId = member.teamId;
      return { insurance: saved };
    });
  }

  private async lockActiveDeployment(manager: EntityManager, globalId: string): Promise<TeamDeployment> {
    const id = parseGlobalId(globalId, "TeamDeployment", "input.deploymentId");
    const deployment = await manager.findOne(TeamDeployment, { where: { id }, lock: { mode: "pessimistic_write" } });
    if (!deployment) userError("input.deploymentId", "NOT_FOUND", "field.noSuchDeployment");
    if (deployment.releasedAt !== null) userError("input.deploymentId", "INVALID_STATE", "field.deploymentReleased");
    return deployment;
  }

  private parseMembers(check: InputErrors, ids: readonly string[]): number[] {
    if (!ids.length) check.add("input.memberIds", "REQUIRED", "field.nameAMember");
    return [...new Set(ids.map((id, i) => parseGlobalId(id, "TeamMember", `input.memberIds[${i}]`)))];
  }

  private at(check: InputErrors, value: Date | null | undefined): Date {
    const at = value ? new Date(value) : new Date();
    if (at.getTime() > Date.now() + CLOCK_SKEW_MS) check.add("input.at", "IN_FUTURE", "field.notInTheFuture");
    return at;
  }

  /**
   * Who may be on a deployment, in one statement: a call-up's deployment, the members named at
   * acceptance (they passed the member checks); a deployTeam one names none — then the members
   * checked in on it so far (at most its headcount may ever check in).
   */
  private async membersGoing(manager: EntityManager, deployment: TeamDeployment): Promise<{ named: boolean; ids: Set<number> }> {
    const rows: Array<{ member_id: number }> =
      deployment.callUpId !== null
        ? await manager.query(`SELECT member_id FROM team_call_up_member WHERE call_up_id = $1`, [deployment.callUpId])
        : await manager.query(`SELECT DISTINCT member_id FROM field_attendance WHERE deployment_id = $1`, [deployment.id]);
    return { named: deployment.callUpId !== null, ids: new Set(rows.map((row) => row.member_id)) };
  }

  /** Check-in and check-out share their start: members and time checked, the active deployment locked, its team's leader only. */
  private attendanceChange(
    unit: UnitOfWork,
    input: CheckInMembersInput | CheckOutMembersInput,
    work: (tx: Transaction, deployment: TeamDeployment, memberIds: number[], at: Date) => Promise<FieldAttendance[]>,
  ): Promise<{ deployment: TeamDeployment; attendance: FieldAttendance[] }> {
    const check = new InputErrors();
    const memberIds = this.parseMembers(check, input.memberIds);
    const at = this.at(check, input.at);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const deployment = await this.lockActiveDeployment(tx.manager, input.deploymentId);
      assertLeadsTeam(unit.actor, deployment.teamId, "field.what.checkIn");
      return { deployment, attendance: await work(tx, deployment, memberIds, at) };
    });
  }

  checkIn(unit: UnitOfWork, input: CheckInMembersInput): Promise<{ deployment: TeamDeployment; attendance: FieldAttendance[] }> {
    return this.attendanceChange(unit, input, async (tx, deployment, memberIds, at) => {
      const members = await tx.manager.getRepository(TeamMember).createQueryBuilder("m").where("m.id = ANY(:ids)", { ids: memberIds }).getMany();
      const onSite: Array<{ member_id: number }> = await tx.manager.query(`SELECT member_id FROM field_attendance WHERE member_id = ANY($1::int[]) AND checked_out_at IS NULL`, [memberIds]);
      const going = await this.membersGoing(tx.manager, deployment);
      memberIds.forEach((id, i) => {
        const member = members.find((m) => m.id === id);
        if (!member || member.teamId !== deployment.teamId || !member.active) userError(`input.memberIds[${i}]`, "NOT_FOUND", "field.notAnActiveMemberOfTeam");
        if (going.named && !going.ids.has(id)) userError(`input.memberIds[${i}]`, "NOT_ON_DEPLOYMENT", "field.notGoingOnDeployment");
        if (onSite.some((row) => row.member_id === id)) userError(`input.memberIds[${i}]`, "INVALID_STATE", "field.alreadyCheckedIn");
      });
      // A deployment whose members were not named (deployTeam): no more people on it than it sent.
      if (!going.named) {
        const all = new Set([...going.ids, ...memberIds]);
        if (all.size > deployment.headcount) userError("input.memberIds", "NOT_ON_DEPLOYMENT", "field.headcountReached", { headcount: deployment.headcount, onSite: going.ids.size });
      }
      if (at.getTime() < new Date(deployment.deployedAt).getTime()) userError("input.at", "OUT_OF_RANGE", "field.beforeDeployment");
      const who = recordedBy(unit.actor).name;
      const rows = memberIds.map((memberId) => tx.manager.create(FieldAttendance, { deploymentId: deployment.id, memberId, checkedInAt: at, checkedOutAt: null, recordedBy: who }));
      await tx.manager.insert(FieldAttendance, rows);
      return rows;
    });
  }

  checkOut(unit: UnitOfWork, input: CheckOutMembersInput): Promise<{ deployment: TeamDeployment; attendance: FieldAttendance[] }> {
    return this.attendanceChange(unit, input, async (tx, deployment, memberIds, at) => {
      const open = await tx.manager.getRepository(FieldAttendance).createQueryBuilder("a").where("a.deployment_id = :d AND a.member_id = ANY(:ids) AND a.checked_out_at IS NULL", { d: deployment.id, ids: memberIds }).getMany();
      memberIds.forEach((id, i) => {
        const row = open.find((a) => a.memberId === id);
        if (!row) userError(`input.memberIds[${i}]`, "INVALID_STATE", "field.notCheckedIn");
        if (at.getTime() < new Date(row.checkedInAt).getTime()) userError("input.at", "OUT_OF_RANGE", "field.beforeCheckIn");
      });
      for (const row of open) row.checkedOutAt = at;
      await tx.manager.save(open);
      return open;
    });
  }

  async assignTask(unit: UnitOfWork, input: AssignDeploymentTaskInput): Promise<{ deployment: TeamDeployment; task: DeploymentTask }> {
    const check = new InputErrors();
    const sector = check.text(input.sector, "input.sector", 200);
    const taskText = check.text(input.task, "input.task", 500);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const deployment = await this.lockActiveDeployment(tx.manager, input.deploymentId);
      const task = tx.manager.create(DeploymentTask, { deploymentId: deployment.id, sector, task: taskText, assignedBy: recordedBy(unit.actor).name });
      await tx.manager.insert(DeploymentTask, task);
      return { deployment, task: await tx.manager.findOneByOrFail(DeploymentTask, { id: task.id }) };
    });
  }

  async extend(unit: UnitOfWork, input: ExtendDeploymentInput): Promise<{ deployment: TeamDeployment }> {
    const until = new Date(input.until);
    return unit.transaction(this.dataSource, async (tx) => {
      const deployment = await this.lockActiveDeployment(tx.manager, input.deploymentId);
      if (until.getTime() <= Date.now() || (deployment.plannedUntil && until.getTime() <= new Date(deployment.plannedUntil).getTime())) {
        userError("input.until", "OUT_OF_RANGE", "field.extendLater");
      }
      deployment.plannedUntil = until;
      await tx.manager.update(TeamDeployment, { id: deployment.id }, { plannedUntil: until });
      return { deployment };
    });
  }
}

