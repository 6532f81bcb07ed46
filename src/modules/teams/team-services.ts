// The teams module's services, wired to each other once at start-up. src/services.ts spreads
// them into the shared services (teams, teamReadiness, teamRoster, drills, socialTeams, teamCoverage).
import type { DataSource } from "typeorm";
import type { Config } from "../../config";
import type { EventBus } from "../../core/live/pubsub";
import { CoverageService } from "./coverage.service";
import { DrillService } from "./drill.service";
import { ReadinessService } from "./readiness.service";
import { RosterService } from "./roster.service";
import { SocialTeamService } from "./social-team.service";
import { TeamService } from "./team.service";

export function createTeamServices(dataSource: DataSource, events: EventBus, config: Pick<Config, "readinessFreshnessHours" | "certificateAlertDays">) {
  const teams = new TeamService(dataSource, config);
  const teamReadiness = new ReadinessService(dataSource, events, teams);
  return {
    teams,
    teamReadiness,
    teamRoster: new RosterService(dataSource, teams, teamReadiness),
    drills: new DrillService(dataSource),
    socialTeams: new SocialTeamService(dataSource, teams),
    teamCoverage: new CoverageService(dataSource, teams),
  };
}
