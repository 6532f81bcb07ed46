import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { Region } from "../regions/region.entity";
import { RescueTeam } from "./team.entity";
import { SetForcePlanTargetsInput } from "./team.inputs";
import { DistrictTeamCoverage, ForceCoverage, SetForcePlanTargetsPayload, TownshipCoverage } from "./team.types";

@Resolver(() => ForceCoverage)
export class ForceCoverageResolver {
  @Authorized()
  @Query(() => ForceCoverage, {
    description: "队伍建设目标 The rescue forces against the district plan: per township-level unit its team, active members against the standard, readiness and staleness; district totals against the targets.",
  })
  forceCoverage(@Ctx() ctx: AppContext, @Arg("regionId", () => ID, { description: "区域。A district (every township-level unit), a township (itself) or a village (its township)." }) regionId: string): Promise<ForceCoverage> {
    return ctx.services.teamCoverage.forceCoverage(regionId);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SetForcePlanTargetsPayload, { description: "设置队伍建设目标。Sets a district's force-building targets (e.g. for a new plan period). ADMIN only." })
  setForcePlanTargets(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetForcePlanTargetsInput, { description: "建设目标。The targets." }) input: SetForcePlanTargetsInput) {
    return mutationPayload(() => ctx.services.teamCoverage.setForcePlanTargets(unit, input));
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "查询区域。The region asked about." })
  async region(@Root() coverage: ForceCoverage, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(coverage.regionId))!;
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "所属区县。Its district, whose targets apply." })
  async district(@Root() coverage: ForceCoverage, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(coverage.districtId))!;
  }
}

@Resolver(() => TownshipCoverage)
export class TownshipCoverageResolver {
  @Authorized()
  @FieldResolver(() => Region, { description: "乡镇（街道）。The township-level unit." })
  async region(@Root() unit: TownshipCoverage, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(unit.regionId))!;
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { nullable: true, description: "乡镇综合救援队。Its township team; null when it has none." })
  team(@Root() unit: TownshipCoverage, @Ctx() ctx: AppContext): Promise<RescueTeam | null> | null {
    return unit.teamId === null ? null : ctx.loaders.teams.teamById.load(unit.teamId);
  }
}

@Resolver(() => DistrictTeamCoverage)
export class DistrictTeamCoverageResolver {
  @Authorized()
  @FieldResolver(() => RescueTeam, { description: "区级综合救援队。The district comprehensive team." })
  async team(@Root() row: DistrictTeamCoverage, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(row.teamId))!;
  }
}
