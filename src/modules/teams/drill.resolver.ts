import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { PageArgs, type Connection } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { Drill } from "./drill.entity";
import { RescueActionFiling } from "./filing.entity";
import { RescueTeam } from "./team.entity";
import { DrillWhere, FileRescueActionInput, RecordDrillInput, RescueActionFilingWhere, UpdateSocialTeamRecordInput } from "./team.inputs";
import { DrillConnection, FileRescueActionPayload, RecordDrillPayload, RescueActionFilingConnection, UpdateSocialTeamRecordPayload } from "./team.types";

@Resolver(() => Drill)
export class DrillResolver {
  @Authorized(Role.COMMANDER, Role.TEAM_LEADER)
  @Mutation(() => RecordDrillPayload, { description: "Records a drill that was held (演练). COMMANDER or ADMIN; a TEAM_LEADER records TEAM drills of their own team." })
  recordDrill(@Ctx() ctx: AppContext, @Arg("input", () => RecordDrillInput, { description: "The drill." }) input: RecordDrillInput) {
    return mutationPayload(() => ctx.services.drills.recordDrill(ctx.actor!, input));
  }

  @Authorized()
  @Query(() => DrillConnection, { description: "Drills, most recent first." })
  drills(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("where", () => DrillWhere, { nullable: true, description: "Conditions the drills must meet." }) where?: DrillWhere,
  ): Promise<Connection<Drill>> {
    return ctx.services.drills.drills(where, page);
  }

  @Authorized()
  @FieldResolver(() => [RescueTeam], { description: "Teams that took part, by code." })
  teams(@Root() drill: Drill, @Ctx() ctx: AppContext): Promise<RescueTeam[]> {
    return ctx.loaders.teams.teamsOfDrill.load(drill.id);
  }
}

@Resolver(() => RescueActionFiling)
export class RescueActionFilingResolver {
  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => FileRescueActionPayload, { description: "Files a social team's rescue action locally (救援行动属地备案). The team's leader or an ADMIN." })
  fileRescueAction(@Ctx() ctx: AppContext, @Arg("input", () => FileRescueActionInput, { description: "The action." }) input: FileRescueActionInput) {
    return mutationPayload(() => ctx.services.drills.fileRescueAction(ctx.actor!, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => UpdateSocialTeamRecordPayload, { description: "Updates a social team's registration, party-organisation and disclosure records. The team's leader or an ADMIN." })
  updateSocialTeamRecord(@Ctx() ctx: AppContext, @Arg("input", () => UpdateSocialTeamRecordInput, { description: "The records; omitted fields stay." }) input: UpdateSocialTeamRecordInput) {
    return mutationPayload(() => ctx.services.drills.updateSocialTeamRecord(ctx.actor!, input));
  }

  @Authorized()
  @Query(() => RescueActionFilingConnection, { description: "Social teams' rescue-action filings (属地备案), most recent action first." })
  rescueActionFilings(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("where", () => RescueActionFilingWhere, { nullable: true, description: "Conditions the filings must meet." }) where?: RescueActionFilingWhere,
  ): Promise<Connection<RescueActionFiling>> {
    return ctx.services.drills.filings(where, page);
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { description: "The social team that acted." })
  async team(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(filing.teamId))!;
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "Region where the action took place." })
  async region(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(filing.regionId))!;
  }
}
