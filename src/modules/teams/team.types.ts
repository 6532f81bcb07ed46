// GraphQL output types of the teams module that are not entities: connections, mutation
// payloads, the readiness summary and the plan-coverage report.
import { Field, Int, ObjectType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { ConnectionType } from "../../core/graphql/relay";
import { ForcePlanTarget } from "./coverage.entity";
import { Drill } from "./drill.entity";
import { RescueActionFiling } from "./filing.entity";
import { MemberCertificate, TeamMember } from "./member.entity";
import { ReadinessReport } from "./readiness.entity";
import { ReadinessStatus, TeamKind } from "./team.enums";
import { RescueTeam } from "./team.entity";

export const RescueTeamConnection = ConnectionType(RescueTeam, "RescueTeam", "A page of rescue teams, ordered by code.");
export const TeamMemberConnection = ConnectionType(TeamMember, "TeamMember", "A page of team members, in roster order (order of joining).");
export const MemberCertificateConnection = ConnectionType(MemberCertificate, "MemberCertificate", "A page of member certificates, soonest expiry first.");
export const ReadinessReportConnection = ConnectionType(ReadinessReport, "ReadinessReport", "A page of readiness reports, newest first.");
export const DrillConnection = ConnectionType(Drill, "Drill", "A page of drills, most recent first.");
export const RescueActionFilingConnection = ConnectionType(RescueActionFiling, "RescueActionFiling", "A page of rescue-action filings, most recent action first.");

// ---------- roster conflicts ----------

@ObjectType({
  description:
    "Two active records with one ID number (身份证号重复): a team leader saved `member` while `conflictsWith` was already on another team's active roster. Recorded for the district to resolve instead of refused, so that a roster change never tells a team leader whose number it is; resolved when either record leaves its roster (deactivateTeamMember) or has its ID number corrected (updateTeamMember).",
})
export class RosterConflict {
  @Field(() => TeamMember, { description: "The member saved while the number was on another roster (the flagged record)." })
  member: TeamMember;

  @Field(() => TeamMember, { description: "The active member who already held the number; its `team` is the other team." })
  conflictsWith: TeamMember;

  @Field(() => Date, { description: "Since when the conflict is recorded." })
  since: Date;
}

export const RosterConflictConnection = ConnectionType(RosterConflict, "RosterConflict", "A page of roster conflicts, in roster order of the flagged member.");

// ---------- subscription ----------

@ObjectType({ description: "A team's readiness changed: the new report and the team as it is now." })
export class TeamReadinessChange {
  @Field(() => RescueTeam, { description: "The team, with its new current readiness." })
  team: RescueTeam;

  @Field(() => ReadinessReport, { description: "The report that changed it." })
  report: ReadinessReport;

  @Field(() => ReadinessStatus, { nullable: true, description: "Status before this report; null if the team had never reported." })
  previousStatus: ReadinessStatus | null;
}

// ---------- payloads ----------

@ObjectType({ description: "Result of `updateTeamReadiness`." })
export class UpdateTeamReadinessPayload {
  @Field(() => RescueTeam, { nullable: true, description: "The team with its new readiness; null when nothing was written." })
  team?: RescueTeam;

  @Field(() => ReadinessReport, { nullable: true, description: "The report recorded; null when nothing was written." })
  report?: ReadinessReport;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of a roster change to one member." })
export class TeamMemberPayload {
  @Field(() => TeamMember, { nullable: true, description: "The member as it is now; null when nothing was written." })
  member?: TeamMember;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `transferTeamMember`." })
export class TransferTeamMemberPayload {
  @Field(() => TeamMember, { nullable: true, description: "The member, now on the new team's roster; null when nothing was written." })
  member?: TeamMember;

  @Field(() => RescueTeam, { nullable: true, description: "The team the member left." })
  fromTeam?: RescueTeam;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `appointTeamLeader`." })
export class AppointTeamLeaderPayload {
  @Field(() => RescueTeam, { nullable: true, description: "The team." })
  team?: RescueTeam;

  @Field(() => TeamMember, { nullable: true, description: "The new leader." })
  leader?: TeamMember;

  @Field(() => TeamMember, { nullable: true, description: "The former leader, now a DEPUTY; null if the team had none or the member already led it." })
  formerLeader?: TeamMember | null;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `recordDrill`." })
export class RecordDrillPayload {
  @Field(() => Drill, { nullable: true, description: "The drill recorded; null when nothing was written." })
  drill?: Drill;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `fileRescueAction`." })
export class FileRescueActionPayload {
  @Field(() => RescueActionFiling, { nullable: true, description: "The filing; null when nothing was written." })
  filing?: RescueActionFiling;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `updateSocialTeamRecord`." })
export class UpdateSocialTeamRecordPayload {
  @Field(() => RescueTeam, { nullable: true, description: "The team as it is now; null when nothing was written." })
  team?: RescueTeam;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `setForcePlanTargets`." })
export class SetForcePlanTargetsPayload {
  @Field(() => ForcePlanTarget, { nullable: true, description: "The district's targets as they are now." })
  targets?: ForcePlanTarget;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  errors: UserError[];
}

// ---------- readiness summary ----------

@ObjectType({ description: "Teams and members for one combination of kind and status." })
export class ReadinessCount {
  @Field(() => TeamKind, { description: "Kind of team." })
  kind: TeamKind;

  @Field(() => ReadinessStatus, { nullable: true, description: "Current status; null for teams that never reported." })
  status: ReadinessStatus | null;

  @Field(() => Int, { description: "Teams of this kind in this status." })
  teams: number;

  @Field(() => Int, { description: "Their available members in all." })
  availableMembers: number;

  @Field(() => Int, { description: "Of these teams, how many are stale (no report within the freshness window)." })
  staleTeams: number;
}

@ObjectType({ description: "A township-level unit (乡镇（街道）) whose team is not READY (or that has no team)." })
export class TownshipReadiness {
  regionId: number;
  teamId: number | null;

  @Field(() => ReadinessStatus, { nullable: true, description: "Its team's status; null when it has no team or the team never reported." })
  status: ReadinessStatus | null;

  @Field(() => Int, { description: "Its team's available members (0 without a team)." })
  availableMembers: number;

  @Field(() => Boolean, { description: "Whether its team's report is older than the freshness window (true without a team)." })
  stale: boolean;
}

@ObjectType({ description: "Readiness at a glance (战备状态汇总): counts by kind and status, members available, who has not reported." })
export class ReadinessSummary {
  @Field(() => Int, { description: "Teams counted." })
  teams: number;

  @Field(() => Int, { description: "Members available now, all teams together." })
  availableMembers: number;

  @Field(() => Int, { description: "Members out on dispatch deployments now." })
  deployedMembers: number;

  @Field(() => Int, { description: "Teams whose latest report is older than the freshness window, or who never reported." })
  staleTeams: number;

  @Field(() => Int, { description: "The freshness window in hours (READINESS_FRESHNESS_HOURS)." })
  freshnessHours: number;

  @Field(() => [ReadinessCount], { description: "Counts per kind and status; only combinations that occur." })
  counts: ReadinessCount[];

  @Field(() => [TownshipReadiness], { description: "Township-level units whose team is not READY, or that have no team (only when the kind filter is empty or TOWNSHIP)." })
  townshipUnitsNotReady: TownshipReadiness[];
}

// ---------- plan coverage ----------

@ObjectType({ description: "One township-level unit against the plan: does it have its team, with how many members, how ready." })
export class TownshipCoverage {
  regionId: number;
  teamId: number | null;

  @Field(() => Boolean, { description: "Whether the unit has its township comprehensive team." })
  hasTeam: boolean;

  @Field(() => Int, { description: "Active members of its team (0 without a team)." })
  activeMembers: number;

  @Field(() => Int, { description: "The plan's standard members per township team (setting, 20 in Kaizhou)." })
  memberStandard: number;

  @Field(() => Boolean, { description: "Whether the team has at least the standard number of active members." })
  meetsStandard: boolean;

  @Field(() => ReadinessStatus, { nullable: true, description: "Its team's current status; null without a team or report." })
  status: ReadinessStatus | null;

  @Field(() => Int, { description: "Its team's available members." })
  availableMembers: number;

  @Field(() => Boolean, { description: "Whether its team's latest report is older than the freshness window (true without a team)." })
  stale: boolean;
}

@ObjectType({ description: "A district comprehensive team against the plan's minimum strength." })
export class DistrictTeamCoverage {
  teamId: number;

  @Field(() => Int, { description: "Active members." })
  activeMembers: number;

  @Field(() => Boolean, { description: "Whether it keeps at least the plan's minimum (setting, 50 in Kaizhou)." })
  meetsMinimum: boolean;
}

@ObjectType({ description: "The district's rescue forces against its plan targets (队伍建设目标完成情况), with one row per township-level unit." })
export class ForceCoverage {
  regionId: number;
  districtId: number;

  @Field(() => ForcePlanTarget, { nullable: true, description: "The district plan's targets; null when none are set for the district." })
  targets: ForcePlanTarget | null;

  @Field(() => [TownshipCoverage], { description: "Every township-level unit in the asked region, by code." })
  townships: TownshipCoverage[];

  @Field(() => Int, { description: "Township comprehensive teams in the district." })
  townshipTeams: number;

  @Field(() => Int, { description: "Active members of all township teams in the district." })
  townshipTeamMembers: number;

  @Field(() => [DistrictTeamCoverage], { description: "The district comprehensive teams." })
  districtTeams: DistrictTeamCoverage[];

  @Field(() => Boolean, { description: "Whether the district has at least the target number of township teams." })
  meetsTownshipTeamTarget: boolean;

  @Field(() => Boolean, { description: "Whether the township teams together have at least the target number of members." })
  meetsTownshipMemberTarget: boolean;

  @Field(() => Boolean, { description: "Whether there are at least the target number of district teams, each at the minimum strength." })
  meetsDistrictTeamTarget: boolean;
}
