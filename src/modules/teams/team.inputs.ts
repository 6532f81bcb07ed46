import { Field, ID, InputType, Int } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { MutationInput } from "../../core/mutation/mutation-input";
import { DrillKind, EmploymentMode, MemberRole, PartyOrganisationStatus, ReadinessStatus, TeamKind, TeamSpecialty } from "./team.enums";

// ---------- filters ----------

@InputType({ description: "Filter for `rescueTeams`; all given conditions must hold." })
export class RescueTeamWhere {
  @Field(() => TeamKind, { nullable: true, description: "Only teams of this kind." })
  kind?: TeamKind | null;

  @Field(() => TeamSpecialty, { nullable: true, description: "Only professional teams of this specialty." })
  specialty?: TeamSpecialty | null;

  @Field(() => ID, { nullable: true, description: "Only teams whose home region is this region or lies under it (a district includes its townships' teams)." })
  regionId?: string | null;

  @Field(() => ReadinessStatus, { nullable: true, description: "Only teams whose current readiness is this." })
  status?: ReadinessStatus | null;

  @Field(() => Boolean, { nullable: true, description: "true: only teams whose latest report is older than the freshness window (or who never reported); false: only fresh ones." })
  stale?: boolean | null;

  @Field(() => String, { nullable: true, description: "Name contains this text (case-insensitive), e.g. 蓝天." })
  nameContains?: string | null;
}

@InputType({ description: "Filter for a team's members." })
export class MemberFilter {
  @Field(() => Boolean, { nullable: true, description: "true: only the active roster (the default); false: only former members." })
  active?: boolean | null;

  @Field(() => MemberRole, { nullable: true, description: "Only members with this role." })
  role?: MemberRole | null;
}

@InputType({ description: "Filter for `teamMembers`; all given conditions must hold." })
export class TeamMemberWhere {
  @Field(() => ID, { nullable: true, description: "Only members of this team." })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only members of teams whose home region is this region or lies under it." })
  regionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true: only the active roster (the default); false: only former members." })
  active?: boolean | null;

  @Field(() => MemberRole, { nullable: true, description: "Only members with this role." })
  role?: MemberRole | null;

  @Field(() => String, { nullable: true, description: "Only members with this skill (exact), e.g. 水域救援." })
  skill?: string | null;

  @Field(() => EmploymentMode, { nullable: true, description: "Only members engaged this way." })
  employmentMode?: EmploymentMode | null;
}

@InputType({ description: "Filter for `certificateAlerts`." })
export class CertificateAlertWhere {
  @Field(() => ID, { nullable: true, description: "Only certificates of this team's members." })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only certificates of members of teams whose home region is this region or lies under it." })
  regionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Include certificates already expired (default true); false lists only those about to expire." })
  includeExpired?: boolean | null;
}

@InputType({ description: "Filter for `readinessSummary`." })
export class ReadinessSummaryWhere {
  @Field(() => ID, { nullable: true, description: "Only teams whose home region is this region or lies under it; township units under it." })
  regionId?: string | null;

  @Field(() => TeamKind, { nullable: true, description: "Only teams of this kind." })
  kind?: TeamKind | null;
}

@InputType({ description: "Which readiness changes to receive; all given conditions must hold." })
export class TeamReadinessChangedWhere {
  @Field(() => ID, { nullable: true, description: "Only teams whose home region is this region or lies under it." })
  regionId?: string | null;

  @Field(() => TeamKind, { nullable: true, description: "Only teams of this kind." })
  kind?: TeamKind | null;

  @Field(() => ReadinessStatus, { nullable: true, description: "Only changes to this status." })
  status?: ReadinessStatus | null;
}

@InputType({ description: "Filter for `drills`; all given conditions must hold." })
export class DrillWhere {
  @Field(() => ID, { nullable: true, description: "Only drills this team took part in." })
  teamId?: string | null;

  @Field(() => DrillKind, { nullable: true, description: "Only drills of this kind." })
  kind?: DrillKind | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Held on or after this date." })
  from?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Held on or before this date." })
  to?: string | null;
}

@InputType({ description: "Filter for `rescueActionFilings`; all given conditions must hold." })
export class RescueActionFilingWhere {
  @Field(() => ID, { nullable: true, description: "Only filings of this team." })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only actions in this region or under it." })
  regionId?: string | null;

  @Field(() => Date, { nullable: true, description: "Only actions started at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Only actions started before this time." })
  to?: Date | null;
}

// ---------- mutations ----------

@InputType({ description: "A readiness report (战备状态报告) from a team's leader." })
export class UpdateTeamReadinessInput extends MutationInput {
  @Field(() => ID, { description: "The team." })
  teamId: string;

  @Field(() => ReadinessStatus, {
    description:
      "The team's status now. DEPLOYED is set by `deployTeam` and ended by `releaseTeam`: a leader may report it only while the team is out on a deployment (to update its available members), and must keep it until the team is released.",
  })
  status: ReadinessStatus;

  @Field(() => Int, { description: "Members available now (可出动人数): 0 up to the active roster." })
  availableMembers: number;

  @Field(() => String, { nullable: true, description: "Note (备注), e.g. 3人外出培训; up to 500 characters." })
  note?: string | null;
}

@InputType({ description: "A certificate a member holds." })
export class CertificateInput {
  @Field(() => String, { description: "Certificate name (证书名称), e.g. 应急救援员（四级）." })
  name: string;

  @Field(() => String, { nullable: true, description: "Certificate number (证书编号)." })
  number?: string | null;

  @Field(() => String, { nullable: true, description: "Issuing body (发证机关)." })
  issuer?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Date of issue." })
  issuedOn?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Expiry date; omit when it does not expire." })
  expiresOn?: string | null;
}

@InputType({ description: "A new member of a team's roster." })
export class AddTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "The team." })
  teamId: string;

  @Field(() => String, { description: "Full name (姓名)." })
  name: string;

  @Field(() => MemberRole, { nullable: true, description: "DEPUTY or MEMBER (default); a new leader is appointed with `appointTeamLeader`." })
  role?: MemberRole | null;

  @Field(() => [String], { nullable: true, description: "Skills (技能)." })
  skills?: string[] | null;

  @Field(() => EmploymentMode, { description: "How the member is engaged (用工方式)." })
  employmentMode: EmploymentMode;

  @Field(() => String, { nullable: true, description: "Mobile phone, 11 digits (手机号)." })
  phone?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Resident ID number, 18 characters with a valid check digit (身份证号). One already on this team's roster is refused; one on another team's active roster is refused naming that team for an ADMIN, and for a team leader saved like any other, with the conflict recorded for the district (`rosterConflicts`).",
  })
  idNumber?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Date joined (default today)." })
  joinedOn?: string | null;

  @Field(() => [CertificateInput], { nullable: true, description: "Certificates held." })
  certificates?: CertificateInput[] | null;
}

@InputType({ description: "Changes to a member; omitted fields stay as they are." })
export class UpdateTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "The member." })
  memberId: string;

  @Field(() => String, { nullable: true, description: "Full name." })
  name?: string | null;

  @Field(() => MemberRole, { nullable: true, description: "DEPUTY or MEMBER; leadership changes only through `appointTeamLeader`." })
  role?: MemberRole | null;

  @Field(() => [String], { nullable: true, description: "Skills; replaces the list." })
  skills?: string[] | null;

  @Field(() => EmploymentMode, { nullable: true, description: "How the member is engaged." })
  employmentMode?: EmploymentMode | null;

  @Field(() => String, { nullable: true, description: "Mobile phone, 11 digits; an empty string clears it." })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "Resident ID number; checked against the rosters as in `addTeamMember`." })
  idNumber?: string | null;

  @Field(() => [CertificateInput], { nullable: true, description: "Certificates; replaces the list." })
  certificates?: CertificateInput[] | null;
}

@InputType({ description: "Takes a member off the active roster (kept for history)." })
export class DeactivateTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "The member." })
  memberId: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Date the member left (default today)." })
  leftOn?: string | null;
}

@InputType({ description: "Moves an active member to another team; they join it as a MEMBER." })
export class TransferTeamMemberInput extends MutationInput {
  @Field(() => ID, { description: "The member." })
  memberId: string;

  @Field(() => ID, { description: "The team the member moves to." })
  toTeamId: string;
}

@InputType({ description: "Makes an active member of the team its leader; the former leader becomes a DEPUTY." })
export class AppointTeamLeaderInput extends MutationInput {
  @Field(() => ID, { description: "The team." })
  teamId: string;

  @Field(() => ID, { description: "The member to lead it: active, and on this team's roster." })
  memberId: string;
}

@InputType({ description: "A drill to record." })
export class RecordDrillInput extends MutationInput {
  @Field(() => GraphQLLocalDate, { description: "Date held (not in the future)." })
  date: string;

  @Field(() => DrillKind, { description: "Kind of drill." })
  kind: DrillKind;

  @Field(() => [ID], { description: "Teams that took part (at least one)." })
  teamIds: string[];

  @Field(() => String, { description: "Scenario drilled." })
  scenario: string;

  @Field(() => String, { description: "Result and findings." })
  result: string;
}

@InputType({ description: "A social team's local filing (属地备案) of one rescue action." })
export class FileRescueActionInput extends MutationInput {
  @Field(() => ID, { description: "The social team." })
  teamId: string;

  @Field(() => Date, { description: "When the action started (not in the future)." })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: "When it ended; omit while it goes on." })
  endedAt?: Date | null;

  @Field(() => ID, { description: "Region (township or village) where it took place." })
  regionId: string;

  @Field(() => String, { description: "Place, as precise as known." })
  location: string;

  @Field(() => String, { description: "The incident responded to." })
  incident: string;

  @Field(() => Int, { description: "Members sent (at least 1, at most the team's active roster)." })
  membersSent: number;

  @Field(() => String, { description: "Outcome." })
  outcome: string;
}

@InputType({ description: "New force-building targets for a district (ADMIN)." })
export class SetForcePlanTargetsInput extends MutationInput {
  @Field(() => ID, { description: "The district." })
  districtId: string;

  @Field(() => Int, { description: "Township teams." })
  townshipTeams: number;

  @Field(() => Int, { description: "Members of all township teams together." })
  townshipTeamMembers: number;

  @Field(() => Int, { description: "Standard members per township team." })
  membersPerTownshipTeam: number;

  @Field(() => Int, { description: "District comprehensive teams." })
  districtTeams: number;

  @Field(() => Int, { description: "Minimum members per district comprehensive team." })
  districtTeamMinMembers: number;
}

@InputType({ description: "Social-team management facts (社会应急力量管理): registration, party organisation, disclosure." })
export class UpdateSocialTeamRecordInput extends MutationInput {
  @Field(() => ID, { description: "The social team." })
  teamId: string;

  @Field(() => String, { nullable: true, description: "Registration number (登记注册号); an empty string clears it." })
  registrationNumber?: string | null;

  @Field(() => String, { nullable: true, description: "Registration authority (登记管理机关); an empty string clears it." })
  registrationAuthority?: string | null;

  @Field(() => PartyOrganisationStatus, { nullable: true, description: "Party-organisation status (党组织建设)." })
  partyOrganisation?: PartyOrganisationStatus | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Date of the latest public disclosure (信息公开)." })
  lastDisclosureOn?: string | null;
}
