// Team deployments (队伍出动): a commander sends a team to an incident and brings it back. The
// teams module's readiness service does the locking, the checks (already deployed, not enough
// members available) and the readiness report; this records the deployment in the same
// transaction — the mutation's own, unit.transaction(…), with its audit entry — so a refused
// deployment leaves neither a report nor a row.
import { recordedBy } from "../../core/access/auth";
import { rowsByIds } from "../../core/db/batch";
import type { DataSource } from "typeorm";
import { userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { IncidentService } from "../incidents/incident.service";
import { InputErrors } from "../../core/mutation/input-errors";
import type { ReadinessService } from "../teams/readiness.service";
import type { RescueTeam } from "../teams/team.entity";
import type { DeployTeamInput, ReleaseTeamInput } from "./dispatch.inputs";
import { TeamDeployment } from "./team-deployment.entity";
import type { Transaction } from "../../core/db/transaction";
import type { Actor } from "../../core/access/auth";
import type { Incident } from "../incidents/incident.entity";
import { enforceChecks, type DeploymentChecks } from "../field/deployment-checks";
import type { CheckResultRow } from "../field/call-up.entity";

/** What the field module does when a deployment ends (its call-up, filing and attendance). */
export interface ReleaseFollowUp {
  released(tx: Transaction, deployment: TeamDeployment, outcome: string | null): Promise<void>;
}

export interface NewDeployment {
  incident: Incident;
  teamId: number;
  headcount: number;
  note: string | null;
  callUpId: number | null;
  checkResults: CheckResultRow[];
  acknowledgedChecks: string[];
  equipment: string[];
  field: string;
  headcountField: string;
}

export class TeamDeploymentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentService,
    private readonly readiness: ReadinessService,
    private readonly checks: DeploymentChecks,
    private readonly followUps: ReleaseFollowUp[] = [],
  ) {}

  byIds(ids: readonly number[]): Promise<(TeamDeployment | null)[]> {
    return rowsByIds(this.dataSource, TeamDeployment, ids);
  }

  /** Every deployment of each incident, newest first, in one statement. */
  async byIncidents(incidentIds: readonly number[]): Promise<TeamDeployment[][]> {
    const rows = await this.dataSource.getRepository(TeamDeployment).createQueryBuilder("d").where("d.incident_id = ANY(:ids)", { ids: [...incidentIds] }).orderBy("d.id", "DESC").getMany();
    return incidentIds.map((id) => rows.filter((row) => row.incidentId === id));
  }

  async deploy(unit: UnitOfWork, input: DeployTeamInput): Promise<{ deployment: TeamDeployment; team: RescueTeam }> {
    const { actor } = unit;
    const incidentId = parseGlobalId(input.incidentId, "Incident", "input.incidentId");
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const check = new InputErrors();
    const note = check.optionalText(input.note, "input.note", 500) ?? null;
    check.throwIfAny();
    const equipment = (input.equipment ?? []).map((item, i) => check.text(item, `input.equipment[${i}]`, 100));
    if (equipment.length > 50) check.add("input.equipment", "OUT_OF_RANGE", "field.tooManyEntries", { max: 50 });
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const incident = await this.incidents.requireOpen(tx.manager, incidentId, "input.incidentId");
      const team = await this.checks.teams.requireTeam(tx.manager, teamId, "input.teamId");
      // The district's own teams go under direct command; the checks still run (a social team warns NO_CALL_UP).
      const checkResults = await this.checks.evaluate(tx.manager, team, { skills: [], memberIds: null, viaCallUp: false });
      const acknowledgedChecks = [...new Set(input.acknowledgedChecks ?? [])];
      enforceChecks(checkResults, acknowledgedChecks, "input.teamId", "input.acknowledgedChecks");
      return this.insertDeployment(tx, actor, { incident, teamId, headcount: input.headcount, note, callUpId: null, checkResults, acknowledgedChecks, equipment, field: "input.teamId", headcountField: "input.headcount" });
    });
  }

  /** Marks the team deployed and records the deployment, inside the caller's transaction. */
  async insertDeployment(tx: Transaction, actor: Actor, spec: NewDeployment): Promise<{ deployment: TeamDeployment; team: RescueTeam }> {
    const { team } = await this.readiness.markDeployed(tx, spec.teamId, spec.headcount, actor, {
      note: spec.note ?? `出动 ${spec.headcount} 人：${spec.incident.title}`,
      field: spec.field,
      headcountField: spec.headcountField,
    });
    const who = recordedBy(actor);
    const deployment = tx.manager.create(TeamDeployment, {
      incidentId: spec.incident.id,
      teamId: spec.teamId,
      districtId: spec.incident.districtId,
      headcount: spec.headcount,
      note: spec.note,
      deployedById: who.id,
      deployedBy: who.name,
      releasedAt: null,
      releasedBy: null,
      callUpId: spec.callUpId,
      checkResults: spec.checkResults,
      acknowledgedChecks: spec.acknowledgedChecks,
      plannedUntil: null,
      equipment: spec.equipment,
    });
    await tx.manager.insert(TeamDeployment, deployment);
    return { deployment, team };
  }

  async release(unit: UnitOfWork, input: ReleaseTeamInput): Promise<{ deployment: TeamDeployment; team: RescueTeam }> {
    const { actor } = unit;
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const check = new InputErrors();
    const note = check.optionalText(input.note, "input.note", 500) ?? null;
    const outcome = check.optionalText(input.outcome, "input.outcome", 2000) ?? null;
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      // markReleased locks the team row first; the deployment row is only touched under that lock.
      const { team } = await this.readiness.markReleased(tx, teamId, actor, { note: note ?? undefined, field: "input.teamId" });
      const [rows] = await tx.manager.query(`UPDATE team_deployment SET released_at = now(), released_by = $2 WHERE team_id = $1 AND released_at IS NULL RETURNING id`, [teamId, recordedBy(actor).name]);
      // DEPLOYED by the leader's own report, not by a dispatcher: there is nothing to release here.
      if (!rows.length) userError("input.teamId", "NOT_FOUND", "dispatch.isNotOutOnA", { name: team.name });
      const deployment = await tx.manager.findOneByOrFail(TeamDeployment, { id: rows[0].id });
      for (const followUp of this.followUps) await followUp.released(tx, deployment, outcome);
      return { deployment, team };
    });
  }
}
