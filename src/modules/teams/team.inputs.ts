import { Field, ID, InputType, Int } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { MutationInput } from "../../core/mutation/mutation-input";
import { DrillKind, EmploymentMode, MemberRole, PartyOrganisationStatus, ReadinessStatus, TeamKind, TeamSpecialty } from "./team.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { REGION, RESCUE_TEAM } from "../known-codes";

// ---------- filters ----------

@InputType({ description: "救援队筛选。Filter for `rescueTeams`; all given conditions must hold." })
export class RescueTeamWhere {
  @Field(() => TeamKind, { nullable: true, description: "队伍类别。Only teams of this kind." })
  kind?: TeamKind | null;

  @Field(() => TeamSpecialty, { nullable: true, description: "专业领域。Only professional teams of this specialty." })
  specialty?: TeamSpecialty | null;

  @IdOrCodeFilter(REGION, "区域。Only teams whose home region is this region or lies under it (a district includes its townships' teams).")
  regionId?: string | null;

  @Field(() => ReadinessStatus, { nullable: true, description: "战备状态。Only teams whose current readiness is this." })
  status?: ReadinessStatus | null;

  @Field(() => Boolean, { nullable: true, description: "是否超时未报。true: only teams whose latest report is older than the freshness window (or who never reported); false: only fresh ones." })
  stale?: boolean | null;

  @Field(() => String, { nullable: true, description: "名称包含。Name contains this text (case-insensitive), e.g. 蓝天." })
  nameContains?: string | null;
}

@InputType({ description: "队员筛选。Filter for a team's members." })
export class MemberFilter {
  @Field(() => Boolean, { nullable: true, description: "是否在册。true: only the active roster (the default); false: only former members." })
  active?: boolean | null;

  @Field(() => MemberRole, { nullable: true, description: "队内职务。Only members with this role." })
  role?: MemberRole | null;
}

@InputType({ description: "队员筛选。Filter for `teamMembers`; all given conditions must hold." })
export class TeamMemberWhere {
  @IdOrCodeFilter(RESCUE_TEAM, "救援队。Only members of this team.")
  teamId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only members of teams whose home region is this region or lies under it.")
  regionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "是否在册。true: only the active roster (the default); false: only former members." })
  active?: boolean | null;

  @Field(() => MemberRole, { nullable: true, description: "队内职务。Only members with this role." })
  role?: MemberRole | null;

  @Field(() => String, { nullable: true, description: "技能。Only members with this skill (exact), e.g. 水域救援." })
  skill?: string | null;

  @Field(() => EmploymentMode, { nullable: true, description: "用工方式。Only members engaged this way." })
  employmentMode?: EmploymentMode | null;
}

@InputType({ description: "证书预警筛选。Filter for `certificateAlerts`." })
export class CertificateAlertWhere {
  @IdOrCodeFilter(RESCUE_TEAM, "救援队。Only certificates of this team's members.")
  teamId?: string | null;

  @IdOrCodeFilter(REGION, "属地区域。Only certificates of members of teams whose home region is this region or lies under it.")
  regionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "含已过期证书。Include certificates already expired (default true); false lists only those about to expire." })
  includeExpired?: boolean | null;
}

@InputType({ description: "战备状态汇总筛选。Filter for `readinessSummary`." })
export class ReadinessSummaryWhere {
  @IdOrCodeFilter(REGION, "区域。Only teams whose home region is this region or lies under it; township units under it.")
  regionId?: string | null;

  @Field(() => TeamKind, { nullable: true, description: "队伍类别。Only teams of this kind." })
  kind?: TeamKind | null;
}

@InputType({ description: "战备状态变化筛选。Which readiness changes to receive; all given conditions must hold." })
export class TeamReadinessChangedWhere {
  @IdOrCodeFilter(REGION, "区域。Only teams whose home region is this region or lies under it.")
  regionId?: string | null;

  @Field(() => TeamKind, { nullable: true, description: "队伍类别。Only teams of this kind." })
  kind?: TeamKind | null;

  @Field(() => ReadinessStatus, { nullable: true, description: "战备状态。Only changes to this status." })
  status?: ReadinessStatus | null;
}

@InputType({ description: "演练筛选。Filter for `drills`; all given conditions must hold." })
export class DrillWhere {
  @IdOrCodeFilter(RESCUE_TEAM, "救援队。Only drills this team took part in.")
  teamId?: string | null;

  @Field(() => DrillKind, { nullable: true, description: "演练类型。Only drills of this kind." })
  kind?: DrillKind | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "起始日期。Held on or after this date." })
  from?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "截止日期。Held on or before this date." })
  to?: string | null;
}

@InputType({ description: "属地备案筛选。Filter for `rescueActionFilings`; all given conditions must hold." })
export class RescueActionFilingWhere {
  @IdOrCodeFilter(RESCUE_TEAM, "救援队。Only filings of this team.")
  teamId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only actions in this region or under it.")
  regionId?: string | null;

  @Field(() => Date, { nullable: true, description: "起始时间。Only actions started at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "截止时间。Only actions started before this time." })
  to?: Date | null;
}

// ---------- mutations ----------

@InputType({ description: "战备状态报告 A readiness report from a team's leader." })
export class UpdateTeamReadinessInput extends MutationInput {
  @Field(() => ID, { description: "救援队。The team." })
  teamId: string;

  @Field(() => ReadinessStatus, {
    description:
      "战备状态。The team's status now. DEPLOYED is set by `deployTeam` and ended by `releaseTeam`: a leader may report it only while the team is out on a deployment (to update its available members), and must keep it until the team is released.",
  })
  status: ReadinessStatus;

  @Field(() => Int, { description: "可出动人数 Members available now: 0 up to the active roster." })
  availableMembers: number;

  @Field(() => String, { nullable: true, description: "备注 Note, e.g. 3人外出培训; up to 500 characters." })
  note?: string | null;
}

@InputType({ description: "证书。A certificate a member holds." })
export class CertificateInput {
  @Field(() => String, { description: "证书名称 Certificate name, e.g. 应急救援员（四级）." })
  name: string;

  @Field(() => String, { nullable: true, description: "证书编号 Certificate number." })
  number?: string | null;

  @Field(() => String, { nullable: true, description: "发证机关 Issuing body." })
  issuer?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "发证日期。Date of issue." })
  issuedOn?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "有效期至。Expiry date; omit when it does not expire." })
  expiresOn?: string | null;
}

@InputType({ description: "新增队员。A new member of a team's roster." })
export class AddTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "救援队。The team." })
  teamId: string;

  @Field(() => String, { description: "姓名 Full name." })
  name: string;

  @Field(() => MemberRole, { nullable: true, description: "队内职务。DEPUTY or MEMBER (default); a new leader is appointed with `appointTeamLeader`." })
  role?: MemberRole | null;

  @Field(() => [String], { nullable: true, description: "技能 Skills." })
  skills?: string[] | null;

  @Field(() => EmploymentMode, { description: "用工方式 How the member is engaged." })
  employmentMode: EmploymentMode;

  @Field(() => String, { nullable: true, description: "手机号 Mobile phone, 11 digits." })
  phone?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "身份证号 Resident ID number, 18 characters with a valid check digit. One already on this team's roster is refused; one on another team's active roster is refused naming that team for an ADMIN, and for a team leader saved like any other, with the conflict recorded for the district (`rosterConflicts`).",
  })
  idNumber?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "入队日期。Date joined (default today)." })
  joinedOn?: string | null;

  @Field(() => [CertificateInput], { nullable: true, description: "持有证书。Certificates held." })
  certificates?: CertificateInput[] | null;
}

@InputType({ description: "修改队员信息。Changes to a member; omitted fields stay as they are." })
export class UpdateTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "队员。The member." })
  memberId: string;

  @Field(() => String, { nullable: true, description: "姓名。Full name." })
  name?: string | null;

  @Field(() => MemberRole, { nullable: true, description: "队内职务。DEPUTY or MEMBER; leadership changes only through `appointTeamLeader`." })
  role?: MemberRole | null;

  @Field(() => [String], { nullable: true, description: "技能。Skills; replaces the list." })
  skills?: string[] | null;

  @Field(() => EmploymentMode, { nullable: true, description: "用工方式。How the member is engaged." })
  employmentMode?: EmploymentMode | null;

  @Field(() => String, { nullable: true, description: "手机号。Mobile phone, 11 digits; an empty string clears it." })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "身份证号。Resident ID number; checked against the rosters as in `addTeamMember`." })
  idNumber?: string | null;

  @Field(() => [CertificateInput], { nullable: true, description: "资格证书。Certificates; replaces the list." })
  certificates?: CertificateInput[] | null;
}

@InputType({ description: "队员离队。Takes a member off the active roster (kept for history)." })
export class DeactivateTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "队员。The member." })
  memberId: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "离队日期。Date the member left (default today)." })
  leftOn?: string | null;
}

@InputType({ description: "队员调队。Moves an active member to another team; they join it as a MEMBER." })
export class TransferTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "队员。The member." })
  memberId: string;

  @Field(() => ID, { description: "调入救援队。The team the member moves to." })
  toTeamId: string;
}

@InputType({ description: "任命队长。Makes an active member of the team its leader; the former leader becomes a DEPUTY." })
export class AppointTeamLeaderInput extends MutationInput {
  @Field(() => ID, { description: "救援队。The team." })
  teamId: string;

  @Field(() => ID, { description: "新队长。The member to lead it: active, and on this team's roster." })
  memberId: string;
}

@InputType({ description: "登记演练。A drill to record." })
export class RecordDrillInput extends MutationInput {
  @Field(() => GraphQLLocalDate, { description: "演练日期。Date held (not in the future)." })
  date: string;

  @Field(() => DrillKind, { description: "演练类型。Kind of drill." })
  kind: DrillKind;

  @Field(() => [ID], { description: "参演队伍。Teams that took part (at least one)." })
  teamIds: string[];

  @Field(() => String, { description: "演练科目。Scenario drilled." })
  scenario: string;

  @Field(() => String, { description: "演练效果与问题。Result and findings." })
  result: string;
}

@InputType({ description: "属地备案 A social team's local filing of one rescue action." })
export class FileRescueActionInput extends MutationInput {
  @Field(() => ID, { description: "社会救援队。The social team." })
  teamId: string;

  @Field(() => Date, { description: "开始时间。When the action started (not in the future)." })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: "结束时间。When it ended; omit while it goes on." })
  endedAt?: Date | null;

  @Field(() => ID, { description: "区域。Region (township or village) where it took place." })
  regionId: string;

  @Field(() => String, { description: "地点。Place, as precise as known." })
  location: string;

  @Field(() => String, { description: "事件。The incident responded to." })
  incident: string;

  @Field(() => Int, { description: "派出人数。Members sent (at least 1, at most the team's active roster)." })
  membersSent: number;

  @Field(() => String, { description: "处置结果。Outcome." })
  outcome: string;
}

@InputType({ description: "设置队伍建设目标。New force-building targets for a district (ADMIN)." })
export class SetForcePlanTargetsInput extends MutationInput {
  @Field(() => ID, { description: "区县。The district." })
  districtId: string;

  @Field(() => Int, { description: "乡镇综合救援队支数。Township teams." })
  townshipTeams: number;

  @Field(() => Int, { description: "乡镇队伍总人数。Members of all township teams together." })
  townshipTeamMembers: number;

  @Field(() => Int, { description: "乡镇队伍标准人数。Standard members per township team." })
  membersPerTownshipTeam: number;

  @Field(() => Int, { description: "区级综合救援队支数。District comprehensive teams." })
  districtTeams: number;

  @Field(() => Int, { description: "区级队伍最低人数。Minimum members per district comprehensive team." })
  districtTeamMinMembers: number;
}

@InputType({ description: "社会应急力量管理 Social-team management facts: registration, party organisation, disclosure." })
export class UpdateSocialTeamRecordInput extends MutationInput {
  @Field(() => ID, { description: "社会救援队。The social team." })
  teamId: string;

  @Field(() => String, { nullable: true, description: "登记注册号 Registration number; an empty string clears it." })
  registrationNumber?: string | null;

  @Field(() => String, { nullable: true, description: "登记管理机关 Registration authority; an empty string clears it." })
  registrationAuthority?: string | null;

  @Field(() => PartyOrganisationStatus, { nullable: true, description: "党组织建设 Party-organisation status." })
  partyOrganisation?: PartyOrganisationStatus | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "信息公开 Date of the latest public disclosure." })
  lastDisclosureOn?: string | null;
}
