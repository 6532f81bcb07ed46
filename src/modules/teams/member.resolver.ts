import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { maySeePersonalData } from "../../core/access/personal-data";
import { PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { MemberCertificate, TeamMember } from "./member.entity";
import { RescueTeam } from "./team.entity";
import { AddTeamMemberInput, AppointTeamLeaderInput, CertificateAlertWhere, DeactivateTeamMemberInput, TeamMemberWhere, TransferTeamMemberInput, UpdateTeamMemberInput } from "./team.inputs";
import { AppointTeamLeaderPayload, MemberCertificateConnection, RosterConflict, RosterConflictConnection, TeamMemberConnection, TeamMemberPayload, TransferTeamMemberPayload } from "./team.types";
import { TEAM_MEMBER_ORDER, type TeamMemberOrderField, ROSTER_CONFLICT_ORDER, type RosterConflictOrderField, MEMBER_CERTIFICATE_ORDER, type MemberCertificateOrderField } from "./team.orders";

@Resolver(() => TeamMember)
export class TeamMemberResolver {
  @Authorized()
  @Query(() => TeamMemberConnection, { description: "队员。Members across teams (e.g. everyone with a skill in one township), in order of joining; the active roster unless `where.active` is false." })
  teamMembers(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [TEAM_MEMBER_ORDER.Input], { nullable: true, description: TEAM_MEMBER_ORDER.argument }) orderBy?: OrderTerm<TeamMemberOrderField>[] | null,
    @Arg("where", () => TeamMemberWhere, { nullable: true, description: "筛选条件。Conditions the members must meet." }) where?: TeamMemberWhere,
  ): Promise<Connection<TeamMember>> {
    return ctx.services.teams.listMembers(where, page, orderBy);
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { description: "所属救援队。The team the member belongs to." })
  async team(@Root() member: TeamMember, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(member.teamId))!;
  }

  @Authorized()
  @FieldResolver(() => [MemberCertificate], { description: "资格证书 Certificates held, with expiry." })
  certificates(@Root() member: TeamMember, @Ctx() ctx: AppContext): Promise<MemberCertificate[]> {
    return ctx.loaders.teams.certificatesOfMember.load(member.id);
  }

  @Authorized(Role.COMMANDER, Role.LOGISTICS, Role.AUDITOR)
  @Query(() => RosterConflictConnection, {
    description:
      "身份证号重复 Roster conflicts for the district to resolve: members a team leader saved while their ID number was on another team's active roster. ADMIN, COMMANDER, LOGISTICS and AUDITOR, who see every team's personal data.",
  })
  rosterConflicts(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [ROSTER_CONFLICT_ORDER.Input], { nullable: true, description: ROSTER_CONFLICT_ORDER.argument }) orderBy?: OrderTerm<RosterConflictOrderField>[] | null,
  ): Promise<Connection<RosterConflict>> {
    return ctx.services.teams.rosterConflicts(page, orderBy);
  }

  @Authorized()
  @FieldResolver(() => RosterConflict, {
    nullable: true,
    description:
      "身份证号重复。The conflict this member is flagged with: saved by their team's leader while another team's active roster had the same ID number (see `rosterConflicts`). Shown only to ADMIN, COMMANDER, LOGISTICS and AUDITOR; null for everyone else, team leaders included, so that no answer tells a leader whose number it is.",
  })
  async idNumberConflict(@Root() member: TeamMember, @Ctx() ctx: AppContext): Promise<RosterConflict | null> {
    if (!maySeePersonalData(ctx.actor, null) || member.idNumberConflictWith == null) return null;
    const conflictsWith = await ctx.loaders.teams.memberById.load(member.idNumberConflictWith);
    return conflictsWith && ctx.services.teams.conflictOf(member, conflictsWith);
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => TeamMemberPayload, { description: "新增队员。Adds a member to a team's roster. The team's leader or an ADMIN." })
  addTeamMember(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => AddTeamMemberInput, { description: "新队员。The new member." }) input: AddTeamMemberInput) {
    return mutationPayload(() => ctx.services.teamRoster.addTeamMember(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => TeamMemberPayload, { description: "修改队员信息。Changes a member's details, role (not leadership), skills or certificates. The team's leader or an ADMIN." })
  updateTeamMember(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateTeamMemberInput, { description: "修改内容。The changes." }) input: UpdateTeamMemberInput) {
    return mutationPayload(() => ctx.services.teamRoster.updateTeamMember(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => TeamMemberPayload, { description: "队员离队。Takes a member off the active roster (kept for history); not the leader. The team's leader or an ADMIN." })
  deactivateTeamMember(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => DeactivateTeamMemberInput, { description: "离队队员。Who leaves." }) input: DeactivateTeamMemberInput) {
    return mutationPayload(() => ctx.services.teamRoster.deactivateTeamMember(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => TransferTeamMemberPayload, { description: "队员调队。Moves an active member (not the leader) to another team, as a MEMBER. The leader of the team they leave, or an ADMIN." })
  transferTeamMember(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => TransferTeamMemberInput, { description: "调队队员与去向。Who moves where." }) input: TransferTeamMemberInput) {
    return mutationPayload(() => ctx.services.teamRoster.transferTeamMember(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => AppointTeamLeaderPayload, { description: "任命队长。Makes an active member the team's leader; the former leader becomes a DEPUTY. The team's leader or an ADMIN." })
  appointTeamLeader(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => AppointTeamLeaderInput, { description: "救援队与新队长。Team and new leader." }) input: AppointTeamLeaderInput) {
    return mutationPayload(() => ctx.services.teamRoster.appointTeamLeader(unit, input));
  }
}

@Resolver(() => MemberCertificate)
export class MemberCertificateResolver {
  @Authorized()
  @Query(() => MemberCertificateConnection, { description: "证书到期提醒 Certificate alerts: certificates of active members that expired or expire within CERTIFICATE_ALERT_DAYS (default 30), soonest first." })
  certificateAlerts(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [MEMBER_CERTIFICATE_ORDER.Input], { nullable: true, description: MEMBER_CERTIFICATE_ORDER.argument }) orderBy?: OrderTerm<MemberCertificateOrderField>[] | null,
    @Arg("where", () => CertificateAlertWhere, { nullable: true, description: "救援队范围。Which teams." }) where?: CertificateAlertWhere,
  ): Promise<Connection<MemberCertificate>> {
    return ctx.services.teams.certificateAlerts(where, page, orderBy);
  }

  @Authorized()
  @FieldResolver(() => TeamMember, { description: "持证人。Who holds it." })
  async holder(@Root() certificate: MemberCertificate, @Ctx() ctx: AppContext): Promise<TeamMember> {
    return (await ctx.loaders.teams.memberById.load(certificate.memberId))!;
  }
}
