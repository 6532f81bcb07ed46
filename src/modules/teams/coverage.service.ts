// The commander's view of the forces: readiness at a glance (one aggregation statement) and
// the district's teams against its plan targets, which are settings per district.
import type { DataSource } from "typeorm";
import { badUserInput, userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { Region } from "../regions/region.entity";
import { ForcePlanTarget } from "./coverage.entity";
import type { ReadinessStatus, TeamKind } from "./team.enums";
import type { ReadinessSummaryWhere, SetForcePlanTargetsInput } from "./team.inputs";
import type { TeamService } from "./team.service";
import { ForceCoverage, ReadinessCount, ReadinessSummary, TownshipCoverage, TownshipReadiness, DistrictTeamCoverage } from "./team.types";

/** SQL for "this team's latest report is older than the freshness window (or it never reported)"; $hours is the window. */
const STALE = (alias: string, hoursParameter: string) => `(${alias}.readiness_reported_at IS NULL OR ${alias}.readiness_reported_at < now() - make_interval(hours => ${hoursParameter}))`;

/** Largest plan target of any kind. */
const TARGET_MAX = 100_000;

export class CoverageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamService,
  ) {}

  /**
   * Counts by kind and status, members available and deployed, stale teams, and the township
   * units whose team is not READY: one statement, whatever the number of teams.
   */
  async readinessSummary(where: ReadinessSummaryWhere | null | undefined): Promise<ReadinessSummary> {
    const prefix = where?.regionId ? `${await this.teams.regionPath(where.regionId, "where.regionId")}%` : null;
    const kind = where?.kind ?? null;
    const [row] = await this.dataSource.query(
      `WITH teams AS (
         SELECT t.kind, t.readiness_status AS status, t.available_members, t.deployed_members, ${STALE("t", "$3::int")} AS stale
         FROM rescue_team t JOIN region r ON r.id = t.region_id
         WHERE ($1::text IS NULL OR r.path LIKE $1) AND ($2::text IS NULL OR t.kind = $2)
       ), counts AS (
         SELECT kind, status, count(*)::int AS teams, sum(available_members)::int AS "availableMembers",
                (count(*) FILTER (WHERE stale))::int AS "staleTeams"
         FROM teams GROUP BY kind, status
       ), townships AS (
         SELECT u.id AS "regionId", u.code, t.id AS "teamId", t.readiness_status AS status,
                coalesce(t.available_members, 0) AS "availableMembers", (t.id IS NULL OR ${STALE("t", "$3::int")}) AS stale
         FROM region u LEFT JOIN rescue_team t ON t.region_id = u.id AND t.kind = 'TOWNSHIP'
         WHERE u.level = 'TOWNSHIP' AND ($1::text IS NULL OR u.path LIKE $1) AND ($2::text IS NULL OR $2 = 'TOWNSHIP')
           AND t.readiness_status IS DISTINCT FROM 'READY'
       )
       SELECT (SELECT count(*)::int FROM teams) AS teams,
              (SELECT coalesce(sum(available_members), 0)::int FROM teams) AS "availableMembers",
              (SELECT coalesce(sum(deployed_members), 0)::int FROM teams) AS "deployedMembers",
              (SELECT (count(*) FILTER (WHERE stale))::int FROM teams) AS "staleTeams",
              (SELECT coalesce(json_agg(counts ORDER BY kind, status NULLS FIRST), '[]') FROM counts) AS counts,
              (SELECT coalesce(json_agg(townships ORDER BY code), '[]') FROM townships) AS townships`,
      [prefix, kind, this.teams.freshnessHours],
    );
    return Object.assign(new ReadinessSummary(), {
      teams: row.teams,
      availableMembers: row.availableMembers,
      deployedMembers: row.deployedMembers,
      staleTeams: row.staleTeams,
      freshnessHours: this.teams.freshnessHours,
      counts: (row.counts as Array<Record<string, unknown>>).map((count) =>
        Object.assign(new ReadinessCount(), {
          kind: count.kind as TeamKind,
          status: (count.status as ReadinessStatus | null) ?? null,
          teams: count.teams as number,
          availableMembers: count.availableMembers as number,
          staleTeams: count.staleTeams as number,
        }),
      ),
      townshipUnitsNotReady: (row.townships as Array<Record<string, unknown>>).map((unit) =>
        Object.assign(new TownshipReadiness(), {
          regionId: unit.regionId as number,
          teamId: (unit.teamId as number | null) ?? null,
          status: (unit.status as ReadinessStatus | null) ?? null,
          availableMembers: unit.availableMembers as number,
          stale: unit.stale as boolean,
        }),
      ),
    });
  }

  /**
   * Per township-level unit in the region (a district: all of them; a township: itself; a
   * village: its township): its team, active members against the standard, readiness, stale.
   * District totals against the district's plan targets.
   */
  async forceCoverage(regionGlobalId: string): Promise<ForceCoverage> {
    const region = await this.dataSource.manager.findOneBy(Region, { id: parseGlobalId(regionGlobalId, "Region", "regionId") });
    if (!region) throw badUserInput("regionId", "teams.noSuchRegion");
    const districtId = region.districtId ?? region.id;
    const [row] = await this.dataSource.query(
      `WITH active AS (
         SELECT team_id, count(*)::int AS members FROM team_member WHERE active AND district_id = $1 GROUP BY team_id
       ), units AS (
         SELECT u.id AS "regionId", u.code, u.path, t.id AS "teamId", coalesce(a.members, 0) AS "activeMembers",
                t.readiness_status AS status, coalesce(t.available_members, 0) AS "availableMembers",
                (t.id IS NULL OR ${STALE("t", "$3::int")}) AS stale
         FROM region u
         LEFT JOIN rescue_team t ON t.region_id = u.id AND t.kind = 'TOWNSHIP'
         LEFT JOIN active a ON a.team_id = t.id
         WHERE u.level = 'TOWNSHIP' AND u.district_id = $1
       ), district_teams AS (
         SELECT t.id AS "teamId", t.code, coalesce(a.members, 0) AS "activeMembers"
         FROM rescue_team t LEFT JOIN active a ON a.team_id = t.id
         WHERE t.kind = 'DISTRICT_COMPREHENSIVE' AND t.district_id = $1
       )
       SELECT (SELECT row_to_json(p) FROM force_plan_target p WHERE p.district_id = $1) AS targets,
              (SELECT coalesce(json_agg(units ORDER BY code), '[]') FROM units
                WHERE units.path LIKE $2 || '%' OR $2 LIKE units.path || '%') AS townships,
              (SELECT count("teamId")::int FROM units) AS "townshipTeams",
              (SELECT coalesce(sum("activeMembers"), 0)::int FROM units) AS "townshipTeamMembers",
              (SELECT coalesce(json_agg(district_teams ORDER BY code), '[]') FROM district_teams) AS "districtTeams"`,
      [districtId, region.path, this.teams.freshnessHours],
    );
    const targets = row.targets ? this.targetsFromRow(row.targets) : null;
    const standard = targets?.membersPerTownshipTeam ?? 0;
    const districtMinimum = targets?.districtTeamMinMembers ?? 0;
    const districtTeams = (row.districtTeams as Array<Record<string, unknown>>).map((team) =>
      Object.assign(new DistrictTeamCoverage(), {
        teamId: team.teamId as number,
        activeMembers: team.activeMembers as number,
        meetsMinimum: (team.activeMembers as number) >= districtMinimum,
      }),
    );
    return Object.assign(new ForceCoverage(), {
      regionId: region.id,
      districtId,
      targets,
      townships: (row.townships as Array<Record<string, unknown>>).map((unit) =>
        Object.assign(new TownshipCoverage(), {
          regionId: unit.regionId as number,
          teamId: (unit.teamId as number | null) ?? null,
          hasTeam: unit.teamId !== null,
          activeMembers: unit.activeMembers as number,
          memberStandard: standard,
          meetsStandard: unit.teamId !== null && (unit.activeMembers as number) >= standard,
          status: (unit.status as ReadinessStatus | null) ?? null,
          availableMembers: unit.availableMembers as number,
          stale: unit.stale as boolean,
        }),
      ),
      townshipTeams: row.townshipTeams,
      townshipTeamMembers: row.townshipTeamMembers,
      districtTeams,
      meetsTownshipTeamTarget: targets !== null && row.townshipTeams >= targets.townshipTeams,
      meetsTownshipMemberTarget: targets !== null && row.townshipTeamMembers >= targets.townshipTeamMembers,
      meetsDistrictTeamTarget: targets !== null && districtTeams.length >= targets.districtTeams && districtTeams.every((team) => team.meetsMinimum),
    });
  }

  /** ADMIN sets a district's targets, e.g. for a new plan period. */
  async setForcePlanTargets(unit: UnitOfWork, input: SetForcePlanTargetsInput): Promise<{ targets: ForcePlanTarget }> {
    const districtId = parseGlobalId(input.districtId, "Region", "input.districtId");
    const keys = ["townshipTeams", "townshipTeamMembers", "membersPerTownshipTeam", "districtTeams", "districtTeamMinMembers"] as const;
    const check = new InputErrors();
    for (const key of keys) check.wholeNumber(input[key], `input.${key}`, 0, TARGET_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const district = await tx.manager.findOneBy(Region, { id: districtId });
      if (!district) userError("input.districtId", "NOT_FOUND", "teams.thereIsNoSuchRegion");
      if (district.level !== "DISTRICT") userError("input.districtId", "INVALID_STATE", "teams.planTargetsBelongToA");
      await tx.manager.query(
        `INSERT INTO force_plan_target (district_id, township_teams, township_team_members, members_per_township_team, district_teams, district_team_min_members)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (district_id) DO UPDATE SET township_teams = $2, township_team_members = $3, members_per_township_team = $4,
           district_teams = $5, district_team_min_members = $6, updated_at = now()`,
        [districtId, ...keys.map((key) => input[key])],
      );
      return { targets: (await tx.manager.findOneBy(ForcePlanTarget, { districtId }))! };
    });
  }

  private targetsFromRow(row: Record<string, unknown>): ForcePlanTarget {
    return Object.assign(new ForcePlanTarget(), {
      districtId: row.district_id as number,
      townshipTeams: row.township_teams as number,
      townshipTeamMembers: row.township_team_members as number,
      membersPerTownshipTeam: row.members_per_township_team as number,
      districtTeams: row.district_teams as number,
      districtTeamMinMembers: row.district_team_min_members as number,
      updatedAt: new Date(row.updated_at as string),
    });
  }
}
