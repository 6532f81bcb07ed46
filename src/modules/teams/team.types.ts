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

export const RescueTeamConnection = ConnectionType(RescueTeam, "RescueTeam", "救援队分页。A page of rescue teams, ordered by code.");
export const TeamMemberConnection = ConnectionType(TeamMember, "TeamMember", "队员分页。A page of team members, in roster order (order of joining).");
export const MemberCertificateConnection = ConnectionType(MemberCertificate, "MemberCertificate", "队员证书分页。A page of member certificates, soonest expiry first.");
export const ReadinessReportConnection = ConnectionType(ReadinessReport, "ReadinessReport", "战备状态报告分页。A page of readiness reports, newest first.");
export const DrillConnection = ConnectionType(Drill, "Drill", "演练分页。A page of drills, most recent first.");
export const RescueActionFilingConnection = ConnectionType(RescueActionFiling, "RescueActionFiling", "属地备案分页。A page of rescue-action filings, most recent action first.");

// ---------- roster conflicts ----------

@ObjectType({
  description:
    "身份证号重复 Two active records with one ID number: a team leader saved `member` while `conflictsWith` was already on another team's active roster. Recorded for the district to resolve instead of refused, so that a roster change never tells a team leader whose number it is; resolved when either record leaves its roster (deactivateTeamMember) or has its ID number corrected (updateTeamMember).",
})
export class RosterConflict {
  @Field(() => TeamMember, { description: "被标记的队员。The member saved while the number was on another roster (the flagged record)." })
  member: TeamMember;

  @Field(() => TeamMember, { description: "已在册队员。The active member who already held the number; its `team` is the other team." })
  conflictsWith: TeamMember;

  @Field(() => Date, { description: "记录时间。Since when the conflict is recorded." })
  since: Date;
}

export const RosterConflictConnection = ConnectionType(RosterConflict, "RosterConflict", "身份证号重复分页。A page of roster conflicts, in roster order of the flagged member.");

// ---------- subscription ----------

@ObjectType({ description: "战备状态变化。A team's readiness changed: the new report and the team as it is now." })
export class TeamReadinessChange {
  @Field(() => RescueTeam, { description: "救援队。The team, with its new current readiness." })
  team: RescueTeam;

  @Field(() => ReadinessReport, { description: "战备状态报告。The report that changed it." })
  report: ReadinessReport;

  @Field(() => ReadinessStatus, { nullable: true, description: "原战备状态。Status before this report; null if the team had never reported." })
  previousStatus: ReadinessStatus | null;
}

// ---------- payloads ----------

@ObjectType({ description: "战备状态上报结果。Result of `updateTeamReadiness`." })
export class UpdateTeamReadinessPayload {
  @Field(() => RescueTeam, { nullable: true, description: "救援队。The team with its new readiness; null when nothing was written." })
  team?: RescueTeam;

  @Field(() => ReadinessReport, { nullable: true, description: "战备状态报告。The report recorded; null when nothing was written." })
  report?: ReadinessReport;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "队员变更结果。Result of a roster change to one member." })
export class TeamMemberPayload {
  @Field(() => TeamMember, { nullable: true, description: "队员。The member as it is now; null when nothing was written." })
  member?: TeamMember;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "队员调队结果。Result of `transferTeamMember`." })
export class TransferTeamMemberPayload {
  @Field(() => TeamMember, { nullable: true, description: "队员。The member, now on the new team's roster; null when nothing was written." })
  member?: TeamMember;

  @Field(() => RescueTeam, { nullable: true, description: "原救援队。The team the member left." })
  fromTeam?: RescueTeam;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "任命队长结果。Result of `appointTeamLeader`." })
export class AppointTeamLeaderPayload {
  @Field(() => RescueTeam, { nullable: true, description: "救援队。The team." })
  team?: RescueTeam;

  @Field(() => TeamMember, { nullable: true, description: "新队长。The new leader." })
  leader?: TeamMember;

  @Field(() => TeamMember, { nullable: true, description: "原队长。The former leader, now a DEPUTY; null if the team had none or the member already led it." })
  formerLeader?: TeamMember | null;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "演练登记结果。Result of `recordDrill`." })
export class RecordDrillPayload {
  @Field(() => Drill, { nullable: true, description: "演练记录。The drill recorded; null when nothing was written." })
  drill?: Drill;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "属地备案结果。Result of `fileRescueAction`." })
export class FileRescueActionPayload {
  @Field(() => RescueActionFiling, { nullable: true, description: "备案记录。The filing; null when nothing was written." })
  filing?: RescueActionFiling;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "社会救援队登记结果。Result of `updateSocialTeamRecord`." })
export class UpdateSocialTeamRecordPayload {
  @Field(() => RescueTeam, { nullable: true, description: "救援队。The team as it is now; null when nothing was written." })
  team?: RescueTeam;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

@ObjectType({ description: "设置队伍建设目标结果。Result of `setForcePlanTargets`." })
export class SetForcePlanTargetsPayload {
  @Field(() => ForcePlanTarget, { nullable: true, description: "建设目标。The district's targets as they are now." })
  targets?: ForcePlanTarget;

  @Field(() => [UserError], { description: "输入问题。What to fix; empty on success." })
  errors: UserError[];
}

// ---------- readiness summary ----------

@ObjectType({ description: "战备状态计数。Teams and members for one combination of kind and status." })
export class ReadinessCount {
  @Field(() => TeamKind, { description: "队伍类别。Kind of team." })
  kind: TeamKind;

  @Field(() => ReadinessStatus, { nullable: true, description: "战备状态。Current status; null for teams that never reported." })
  status: ReadinessStatus | null;

  @Field(() => Int, { description: "救援队数。Teams of this kind in this status." })
  teams: number;

  @Field(() => Int, { description: "可出动人数。Their available members in all." })
  availableMembers: number;

  @Field(() => Int, { description: "超时未报队伍数。Of these teams, how many are stale (no report within the freshness window)." })
  staleTeams: number;
}

@ObjectType({ description: "乡镇（街道） A township-level unit whose team is not READY (or that has no team)." })
export class TownshipReadiness {
  regionId: number;
  teamId: number | null;

  @Field(() => ReadinessStatus, { nullable: true, description: "战备状态。Its team's status; null when it has no team or the team never reported." })
  status: ReadinessStatus | null;

  @Field(() => Int, { description: "可出动人数。Its team's available members (0 without a team)." })
  availableMembers: number;

  @Field(() => Boolean, { description: "是否超时未报。Whether its team's report is older than the freshness window (true without a team)." })
  stale: boolean;
}

@ObjectType({ description: "战备状态汇总 Readiness at a glance: counts by kind and status, members available, who has not reported." })
export class ReadinessSummary {
  @Field(() => Int, { description: "救援队数。Teams counted." })
  teams: number;

  @Field(() => Int, { description: "可出动人数。Members available now, all teams together." })
  availableMembers: number;

  @Field(() => Int, { description: "已出动人数。Members out on dispatch deployments now." })
  deployedMembers: number;

  @Field(() => Int, { description: "超时未报队伍。Teams whose latest report is older than the freshness window, or who never reported." })
  staleTeams: number;

  @Field(() => Int, { description: "时效（小时）。The freshness window in hours (READINESS_FRESHNESS_HOURS)." })
  freshnessHours: number;

  @Field(() => [ReadinessCount], { description: "分类计数。Counts per kind and status; only combinations that occur." })
  counts: ReadinessCount[];

  @Field(() => [TownshipReadiness], { description: "未就绪的乡镇（街道）。Township-level units whose team is not READY, or that have no team (only when the kind filter is empty or TOWNSHIP)." })
  townshipUnitsNotReady: TownshipReadiness[];
}

// ---------- plan coverage ----------

@ObjectType({ description: "乡镇（街道）队伍达标情况。One township-level unit against the plan: does it have its team, with how many members, how ready." })
export class TownshipCoverage {
  regionId: number;
  teamId: number | null;

  @Field(() => Boolean, { description: "是否有乡镇综合救援队。Whether the unit has its township comprehensive team." })
  hasTeam: boolean;

  @Field(() => Int, { description: "在队人数。Active members of its team (0 without a team)." })
  activeMembers: number;

  @Field(() => Int, { description: "标准人数。The plan's standard members per township team (setting, 20 in Kaizhou)." })
  memberStandard: number;

  @Field(() => Boolean, { description: "是否达到标准人数。Whether the team has at least the standard number of active members." })
  meetsStandard: boolean;

  @Field(() => ReadinessStatus, { nullable: true, description: "战备状态。Its team's current status; null without a team or report." })
  status: ReadinessStatus | null;

  @Field(() => Int, { description: "可出动人数。Its team's available members." })
  availableMembers: number;

  @Field(() => Boolean, { description: "是否超时未报。Whether its team's latest report is older than the freshness window (true without a team)." })
  stale: boolean;
}

@ObjectType({ description: "区级救援队达标情况。A district comprehensive team against the plan's minimum strength." })
export class DistrictTeamCoverage {
  teamId: number;

  @Field(() => Int, { description: "在队人数。Active members." })
  activeMembers: number;

  @Field(() => Boolean, { description: "是否达到最低人数。Whether it keeps at least the plan's minimum (setting, 50 in Kaizhou)." })
  meetsMinimum: boolean;
}

@ObjectType({ description: "队伍建设目标完成情况 The district's rescue forces against its plan targets, with one row per township-level unit." })
export class ForceCoverage {
  regionId: number;
  districtId: number;

  @Field(() => ForcePlanTarget, { nullable: true, description: "规划目标。The district plan's targets; null when none are set for the district." })
  targets: ForcePlanTarget | null;

  @Field(() => [TownshipCoverage], { description: "各乡镇（街道）。Every township-level unit in the asked region, by code." })
  townships: TownshipCoverage[];

  @Field(() => Int, { description: "乡镇综合救援队。Township comprehensive teams in the district." })
  townshipTeams: number;

  @Field(() => Int, { description: "乡镇队伍在队人数。Active members of all township teams in the district." })
  townshipTeamMembers: number;

  @Field(() => [DistrictTeamCoverage], { description: "区级综合救援队。The district comprehensive teams." })
  districtTeams: DistrictTeamCoverage[];

  @Field(() => Boolean, { description: "乡镇队伍数量是否达标。Whether the district has at least the target number of township teams." })
  meetsTownshipTeamTarget: boolean;

  @Field(() => Boolean, { description: "乡镇队伍人数是否达标。Whether the township teams together have at least the target number of members." })
  meetsTownshipMemberTarget: boolean;

  @Field(() => Boolean, { description: "区级队伍是否达标。Whether there are at least the target number of district teams, each at the minimum strength." })
  meetsDistrictTeamTarget: boolean;
}
