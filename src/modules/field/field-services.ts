// The field module's services, wired at start-up: the checks (which dispatch's deployTeam uses too),
// call-ups, on-site records and situation reports. src/services.ts spreads them in.
import type { DataSource } from "typeorm";
import type { EventBus } from "../../core/live/pubsub";
import type { TeamDeploymentService } from "../dispatch/team-deployment.service";
import type { IncidentService } from "../incidents/incident.service";
import type { RouteService } from "../routes/routes.service";
import type { TeamService } from "../teams/team.service";
import { CallUpService } from "./call-up.service";
import type { DeploymentChecks } from "./deployment-checks";
import { OnSiteService } from "./on-site.service";
import { SituationService } from "./situation.service";

export function createFieldServices(
  dataSource: DataSource,
  events: EventBus,
  config: { callUpResponseHours: number },
  services: { incidents: IncidentService; teams: TeamService; routes: RouteService; deploymentChecks: DeploymentChecks; teamDeployments: TeamDeploymentService },
) {
  return {
    callUps: new CallUpService(dataSource, services.incidents, services.teams, services.deploymentChecks, services.teamDeployments, { responseHours: config.callUpResponseHours }),
    onSite: new OnSiteService(dataSource),
    situation: new SituationService(dataSource, events, services.incidents, services.routes),
  };
}
