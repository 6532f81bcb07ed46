// Per-request batching for the teams module: whatever the length of a list of teams,
// members or drills, each relation below costs one SQL statement per request.
import DataLoader from "dataloader";
import { Drill } from "./drill.entity";
import type { DrillService } from "./drill.service";
import { RescueActionFiling } from "./filing.entity";
import type { MemberCertificate, TeamMember } from "./member.entity";
import { ReadinessReport } from "./readiness.entity";
import type { ReadinessService } from "./readiness.service";
import type { RescueTeam } from "./team.entity";
import type { MemberFilter } from "./team.inputs";
import { groupByArguments, rowsByIds } from "../../core/db/batch";
import type { TeamService } from "./team.service";

export function memberFilterKey(filter: MemberFilter | null | undefined): string {
  return JSON.stringify({ active: filter?.active ?? true, role: filter?.role ?? null });
}

export function createTeamLoaders(services: { teams: TeamService; teamReadiness: ReadinessService; drills: DrillService }) {
  const { teams, teamReadiness, drills } = services;
  return {
    teamById: new DataLoader<number, RescueTeam | null>((ids) => teams.byIds(ids)),
    teamByCode: new DataLoader<string, RescueTeam | null>((codes) => teams.byCodes(codes)),
    memberById: new DataLoader<number, TeamMember | null>((ids) => teams.membersByIds(ids)),
    activeMemberCount: new DataLoader<number, number>((ids) => teams.activeMemberCounts(ids)),
    leader: new DataLoader<number, TeamMember | null>((ids) => teams.leaders(ids)),
    certificatesOfMember: new DataLoader<number, MemberCertificate[]>((ids) => teams.certificatesOfMembers(ids)),
    /** First page of members per team; keyed by "teamId|limit|filter". */
    memberFirstPage: new DataLoader<string, TeamMember[]>(async (keys) => {
      const pages = new Map<string, TeamMember[]>();
      for (const [rest, teamIds] of groupByArguments(keys)) {
        const [limit, filterJson] = [Number(rest.slice(0, rest.indexOf("|"))), rest.slice(rest.indexOf("|") + 1)];
        const result = await teams.memberFirstPages(teamIds, JSON.parse(filterJson) as MemberFilter, limit);
        for (const [teamId, rows] of result) pages.set(`${teamId}|${rest}`, rows);
      }
      return keys.map((key) => pages.get(key) ?? []);
    }),
    /** Members matching a filter per team (for totalCount); keyed by "teamId|filter". */
    memberCount: new DataLoader<string, number>(async (keys) => {
      const counts = new Map<string, number>();
      for (const [filterJson, teamIds] of groupByArguments(keys)) {
        const result = await teams.memberCounts(teamIds, JSON.parse(filterJson) as MemberFilter);
        for (const [teamId, count] of result) counts.set(`${teamId}|${filterJson}`, count);
      }
      return keys.map((key) => counts.get(key) ?? 0);
    }),
    /** Newest reports per team; keyed by "teamId|limit". */
    historyFirstPage: new DataLoader<string, ReadinessReport[]>(async (keys) => {
      const pages = new Map<string, ReadinessReport[]>();
      for (const [limit, teamIds] of groupByArguments(keys)) {
        const result = await teamReadiness.historyFirstPages(teamIds, Number(limit));
        for (const [teamId, rows] of result) pages.set(`${teamId}|${limit}`, rows);
      }
      return keys.map((key) => pages.get(key) ?? []);
    }),
    historyCount: new DataLoader<number, number>((ids) => teamReadiness.historyCounts(ids)),
    teamsOfDrill: new DataLoader<number, RescueTeam[]>((ids) => drills.teamsOfDrills(ids)),
    certificateById: new DataLoader<number, MemberCertificate | null>((ids) => teams.certificatesByIds(ids)),
    reportById: new DataLoader<number, ReadinessReport | null>((ids) => rowsByIds(teams.dataSource, ReadinessReport, ids)),
    drillById: new DataLoader<number, Drill | null>((ids) => rowsByIds(teams.dataSource, Drill, ids)),
    filingById: new DataLoader<number, RescueActionFiling | null>((ids) => rowsByIds(teams.dataSource, RescueActionFiling, ids)),
  };
}

export type TeamLoaders = ReturnType<typeof createTeamLoaders>;
