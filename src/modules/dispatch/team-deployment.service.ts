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

export class TeamDeploymentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentService,
    private readonly readiness: ReadinessService,
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
    return unit.transaction(this.dataSource, async (tx) => {
      const incident = await this.incidents.requireOpen(tx.manager, incidentId, "input.incidentId");
      const { team } = await this.readiness.markDeployed(tx, teamId, input.headcount, actor, {
        note: note ?? `出动 ${input.headcount} 人：${incident.title}`,
        field: "input.teamId",
        headcountField: "input.headcount",
      });
      const who = recordedBy(actor);
      const deployment = tx.manager.create(TeamDeployment, {
        incidentId,
        teamId,
        districtId: incident.districtId,
        headcount: input.headcount,
        note,
        deployedById: who.id,
        deployedBy: who.name,
        releasedAt: null,
        releasedBy: null,
      });
      await tx.manager.insert(TeamDeployment, deployment);
      return { deployment, team };
    });
  }

  async release(unit: UnitOfWork, input: ReleaseTeamInput): Promise<{ deployment: TeamDeployment; team: RescueTeam }> {
    const { actor } = unit;
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const check = new InputErrors();
    const note = check.optionalText(input.note, "input.note", 500) ?? null;
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      // markReleased locks the team row first; the deployment row is only touched under that lock.
      const { team } = await this.readiness.markReleased(tx, teamId, actor, { note: note ?? undefined, field: "input.teamId" });
      const [rows] = await tx.manager.query(`UPDATE team_deployment SET released_at = now(), released_by = $2 WHERE team_id = $1 AND released_at IS NULL RETURNING id`, [teamId, recordedBy(actor).name]);
      // DEPLOYED by the leader's own report, not by a dispatcher: there is nothing to release here.
      if (!rows.length) userError("input.teamId", "NOT_FOUND", "dispatch.isNotOutOnA", { name: team.name });
      const deployment = await tx.manager.findOneByOrFail(TeamDeployment, { id: rows[0].id });
      return { deployment, team };
    });
  }
}
