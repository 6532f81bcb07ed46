import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { Region } from "../regions/region.entity";
import { RescueActionFiling } from "./filing.entity";
import { RescueTeam } from "./team.entity";
import { FileRescueActionInput, RescueActionFilingWhere, UpdateSocialTeamRecordInput } from "./team.inputs";
import { FileRescueActionPayload, RescueActionFilingConnection, UpdateSocialTeamRecordPayload } from "./team.types";
import { RESCUE_ACTION_FILING_ORDER, type RescueActionFilingOrderField } from "./team.orders";

@Resolver(() => RescueActionFiling)
export class RescueActionFilingResolver {
  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => FileRescueActionPayload, { description: "救援行动属地备案 Files a social team's rescue action locally. The team's leader or an ADMIN." })
  fileRescueAction(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => FileRescueActionInput, { description: "救援行动。The action." }) input: FileRescueActionInput) {
    return mutationPayload(() => ctx.services.socialTeams.fileRescueAction(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => UpdateSocialTeamRecordPayload, { description: "修改社会救援队登记信息。Updates a social team's registration, party-organisation and disclosure records. The team's leader or an ADMIN." })
  updateSocialTeamRecord(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateSocialTeamRecordInput, { description: "登记信息。The records; omitted fields stay." }) input: UpdateSocialTeamRecordInput) {
    return mutationPayload(() => ctx.services.socialTeams.updateSocialTeamRecord(unit, input));
  }

  @Authorized()
  @Query(() => RescueActionFilingConnection, { description: "属地备案 Social teams' rescue-action filings, most recent action first." })
  rescueActionFilings(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [RESCUE_ACTION_FILING_ORDER.Input], { nullable: true, description: RESCUE_ACTION_FILING_ORDER.argument }) orderBy?: OrderTerm<RescueActionFilingOrderField>[] | null,
    @Arg("where", () => RescueActionFilingWhere, { nullable: true, description: "筛选条件。Conditions the filings must meet." }) where?: RescueActionFilingWhere,
  ): Promise<Connection<RescueActionFiling>> {
    return ctx.services.socialTeams.filings(where, page, orderBy);
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { description: "社会救援队。The social team that acted." })
  async team(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(filing.teamId))!;
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "区域。Region where the action took place." })
  async region(@Root() filing: RescueActionFiling, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(filing.regionId))!;
  }
}
