import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { freshLoadersForEvent } from "../../loaders";
import { Region } from "../regions/region.entity";
import { ReadinessReport } from "./readiness.entity";
import type { TeamReadinessEvent } from "./readiness.service";
import { RescueTeam } from "./team.entity";
import { ReadinessSummaryWhere, TeamReadinessChangedWhere, UpdateTeamReadinessInput } from "./team.inputs";
import { ReadinessSummary, TeamReadinessChange, TownshipReadiness, UpdateTeamReadinessPayload } from "./team.types";

@Resolver(() => ReadinessReport)
export class ReadinessResolver {
  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => UpdateTeamReadinessPayload, {
    description: "战备状态 Reports a team's readiness. Only the TEAM_LEADER of that team (or an ADMIN); every report is kept as history.",
  })
  updateTeamReadiness(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateTeamReadinessInput, { description: "战备状态报告。The report." }) input: UpdateTeamReadinessInput) {
    return mutationPayload(() => ctx.services.teamReadiness.updateTeamReadiness(unit, input));
  }

  @Authorized()
  @Query(() => ReadinessSummary, { description: "战备状态汇总 Readiness at a glance: counts by kind and status, members available, stale teams, township units not READY." })
  readinessSummary(
    @Ctx() ctx: AppContext,
    @Arg("where", () => ReadinessSummaryWhere, { nullable: true, description: "救援队范围。Which teams to count." }) where?: ReadinessSummaryWhere,
  ): Promise<ReadinessSummary> {
    return ctx.services.teamCoverage.readinessSummary(where);
  }

  @Authorized()
  @Subscription(() => TeamReadinessChange, {
    description: "战备状态变化订阅。A team's readiness changed (a leader's report, a deployment or a release); sent after the change is committed.",
    subscribe: ({ args, context }) => (context as AppContext).services.teamReadiness.subscribe(args.where as TeamReadinessChangedWhere | undefined),
  })
  teamReadinessChanged(
    @Root() event: TeamReadinessEvent,
    @Ctx() ctx: AppContext,
    @Arg("where", () => TeamReadinessChangedWhere, { nullable: true, description: "战备状态变化范围。Which changes to receive." }) _where?: TeamReadinessChangedWhere,
  ): TeamReadinessChange {
    // The team and report are the committed snapshot carried by the event; anything nested under
    // them (leader, members, history) is read fresh for this event.
    freshLoadersForEvent(ctx, event);
    return Object.assign(new TeamReadinessChange(), ctx.services.teamReadiness.changeFromEvent(event));
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { description: "救援队。The team reported on." })
  async team(@Root() report: ReadinessReport, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(report.teamId))!;
  }
}

@Resolver(() => TownshipReadiness)
export class TownshipReadinessResolver {
  @Authorized()
  @FieldResolver(() => Region, { description: "乡镇（街道）。The township-level unit." })
  async region(@Root() unit: TownshipReadiness, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(unit.regionId))!;
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { nullable: true, description: "乡镇综合救援队。Its township team; null when it has none." })
  team(@Root() unit: TownshipReadiness, @Ctx() ctx: AppContext): Promise<RescueTeam | null> | null {
    return unit.teamId === null ? null : ctx.loaders.teams.teamById.load(unit.teamId);
  }
}
