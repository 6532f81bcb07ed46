import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { byIdOrCode, codeArgumentDescription, cursorFor, isPlainFirstPage, makeConnection, PageArgs, pageSize, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { TeamMember } from "./member.entity";
import { ReadinessReport } from "./readiness.entity";
import { RescueTeam } from "./team.entity";
import { MemberFilter, RescueTeamWhere } from "./team.inputs";
import { memberFilterKey } from "./team.loaders";
import { READINESS_REPORT_ORDER, RESCUE_TEAM_ORDER, TEAM_MEMBER_ORDER, type ReadinessReportOrderField, type RescueTeamOrderField, type TeamMemberOrderField } from "./team.orders";
import { ReadinessReportConnection, RescueTeamConnection, TeamMemberConnection } from "./team.types";

@Resolver(() => RescueTeam)
export class RescueTeamResolver {
  @Authorized()
  @Query(() => RescueTeamConnection, { description: "救援队伍 Rescue teams, ordered by code, with their current readiness." })
  rescueTeams(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [RESCUE_TEAM_ORDER.Input], { nullable: true, description: RESCUE_TEAM_ORDER.argument }) orderBy?: OrderTerm<RescueTeamOrderField>[] | null,
    @Arg("where", () => RescueTeamWhere, { nullable: true, description: "筛选条件。Conditions the teams must meet." }) where?: RescueTeamWhere,
  ): Promise<Connection<RescueTeam>> {
    return ctx.services.teams.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => RescueTeam, { nullable: true, description: "救援队。One rescue team by global id; null if there is none." })
  rescueTeam(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "救援队 ID。Global id of the team." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("team", "KZ-TT-S01") }) code?: string | null,
  ): Promise<RescueTeam | null> {
    return byIdOrCode<RescueTeam>("RescueTeam", id, code, { byId: ctx.loaders.teams.teamById, byCode: ctx.loaders.teams.teamByCode });
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "所属区域。Home region: a township team's township, a district-level team's district." })
  async region(@Root() team: RescueTeam, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(team.regionId))!;
  }

  @Authorized()
  @FieldResolver(() => Boolean, { description: "战备状态是否超时未报。Whether the latest readiness report is older than the freshness window (READINESS_FRESHNESS_HOURS, default 24 h), or the team never reported: dashboards show who has not reported." })
  stale(@Root() team: RescueTeam, @Ctx() ctx: AppContext): boolean {
    return ctx.services.teams.isStale(team);
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "在册人数 Members on the active roster." })
  activeMemberCount(@Root() team: RescueTeam, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.loaders.teams.activeMemberCount.load(team.id);
  }

  @Authorized()
  @FieldResolver(() => TeamMember, { nullable: true, description: "队长 The active leader." })
  leader(@Root() team: RescueTeam, @Ctx() ctx: AppContext): Promise<TeamMember | null> {
    return ctx.loaders.teams.leader.load(team.id);
  }

  @Authorized()
  @FieldResolver(() => TeamMemberConnection, { description: "队员名册 The roster, in order of joining; the active roster unless `where` says otherwise." })
  async members(
    @Root() team: RescueTeam,
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [TEAM_MEMBER_ORDER.Input], { nullable: true, description: TEAM_MEMBER_ORDER.argument }) orderBy?: OrderTerm<TeamMemberOrderField>[] | null,
    @Arg("where", () => MemberFilter, { nullable: true, description: "队员范围。Which members." }) where?: MemberFilter,
  ): Promise<Connection<TeamMember>> {
    const first = pageSize(page.first);
    // Paging deeper into one team's roster is a keyset query of its own; first pages are batched across teams.
    const order = TEAM_MEMBER_ORDER.sorting.resolve(orderBy);
    if (!isPlainFirstPage(page, order)) return ctx.services.teams.members(team.id, where, page, orderBy);
    const filterKey = memberFilterKey(where);
    const rows = await ctx.loaders.teams.memberFirstPage.load(`${team.id}|${first + 1}|${filterKey}`);
    return makeConnection(rows, first, false, (row) => cursorFor(order, row), () => ctx.loaders.teams.memberCount.load(`${team.id}|${filterKey}`), TeamMemberConnection);
  }

  @Authorized()
  @FieldResolver(() => ReadinessReportConnection, { description: "战备状态报告 Readiness reports, newest first: every report kept." })
  async readinessHistory(
    @Root() team: RescueTeam,
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [READINESS_REPORT_ORDER.Input], { nullable: true, description: READINESS_REPORT_ORDER.argument }) orderBy?: OrderTerm<ReadinessReportOrderField>[] | null,
  ): Promise<Connection<ReadinessReport>> {
    const first = pageSize(page.first);
    const order = READINESS_REPORT_ORDER.sorting.resolve(orderBy);
    if (!isPlainFirstPage(page, order)) return ctx.services.teamReadiness.history(team.id, page, orderBy);
    const rows = await ctx.loaders.teams.historyFirstPage.load(`${team.id}|${first + 1}`);
    return makeConnection(rows, first, false, (row) => cursorFor(order, row), () => ctx.loaders.teams.historyCount.load(team.id), ReadinessReportConnection);
  }
}
