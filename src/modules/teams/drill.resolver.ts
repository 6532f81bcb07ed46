import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Drill } from "./drill.entity";
import { RescueTeam } from "./team.entity";
import { DrillWhere, RecordDrillInput } from "./team.inputs";
import { DrillConnection, RecordDrillPayload } from "./team.types";
import { DRILL_ORDER, type DrillOrderField } from "./team.orders";

@Resolver(() => Drill)
export class DrillResolver {
  @Authorized(Role.COMMANDER, Role.TEAM_LEADER)
  @Mutation(() => RecordDrillPayload, { description: "演练 Records a drill that was held. COMMANDER or ADMIN; a TEAM_LEADER records TEAM drills of their own team." })
  recordDrill(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RecordDrillInput, { description: "演练。The drill." }) input: RecordDrillInput) {
    return mutationPayload(() => ctx.services.drills.recordDrill(unit, input));
  }

  @Authorized()
  @Query(() => DrillConnection, { description: "演练。Drills, most recent first." })
  drills(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [DRILL_ORDER.Input], { nullable: true, description: DRILL_ORDER.argument }) orderBy?: OrderTerm<DrillOrderField>[] | null,
    @Arg("where", () => DrillWhere, { nullable: true, description: "筛选条件。Conditions the drills must meet." }) where?: DrillWhere,
  ): Promise<Connection<Drill>> {
    return ctx.services.drills.drills(where, page, orderBy);
  }

  @Authorized()
  @FieldResolver(() => [RescueTeam], { description: "参演队伍。Teams that took part, by code." })
  teams(@Root() drill: Drill, @Ctx() ctx: AppContext): Promise<RescueTeam[]> {
    return ctx.loaders.teams.teamsOfDrill.load(drill.id);
  }
}
