import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { cursorFor, isPlainFirstPage, makeConnection, PageArgs, pageSize, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Incident } from "../incidents/incident.entity";
import { RescueTeam } from "../teams/team.entity";
import { DispatchOrder } from "./dispatch-order.entity";
import { DispatchStatus } from "./dispatch.enums";
import { DeployTeamInput, ReleaseTeamInput } from "./dispatch.inputs";
import { DeployTeamPayload, DispatchOrderConnection, ReleaseTeamPayload, type DeploymentPayload } from "./dispatch.types";
import { TeamDeployment } from "./team-deployment.entity";
import { DISPATCH_ORDER_ORDER, type DispatchOrderOrderField } from "./dispatch.orders";

@Resolver(() => TeamDeployment)
export class TeamDeploymentResolver {
  @Authorized(Role.COMMANDER)
  @Mutation(() => DeployTeamPayload, {
    description:
      "派遣救援队。Send a team to an open incident with a headcount: the team shows DEPLOYED. Refused for a team already deployed or asked for more members than it has available. The pre-deployment checks run: a hard rule refuses, and each warning (for a social team, NO_CALL_UP among them) must be named in acknowledgedChecks (COMMANDER, ADMIN).",
  })
  deployTeam(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => DeployTeamInput, { description: "事件、救援队与人数。Incident, team and headcount." }) input: DeployTeamInput): Promise<DeploymentPayload> {
    return mutationPayload(() => ctx.services.teamDeployments.deploy(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => ReleaseTeamPayload, { description: "救援队归队。Bring a deployed team back: its deployment ends and it shows RECOVERING (COMMANDER, ADMIN)." })
  releaseTeam(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReleaseTeamInput, { description: "救援队。The team." }) input: ReleaseTeamInput): Promise<DeploymentPayload> {
    return mutationPayload(() => ctx.services.teamDeployments.release(unit, input));
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { description: "救援队。The team sent." })
  async team(@Root() deployment: TeamDeployment, @Ctx() ctx: AppContext): Promise<RescueTeam> {
    return (await ctx.loaders.teams.teamById.load(deployment.teamId))!;
  }

  @Authorized()
  @FieldResolver(() => Incident, { description: "突发事件。The incident it was sent to." })
  async incident(@Root() deployment: TeamDeployment, @Ctx() ctx: AppContext): Promise<Incident> {
    return (await ctx.loaders.incidents.incidentById.load(deployment.incidentId))!;
  }
}

/** What an incident board shows: the incident's orders and the teams sent to it. */
@Resolver(() => Incident)
export class IncidentDispatchResolver {
  @Authorized()
  @FieldResolver(() => DispatchOrderConnection, { description: "事件的调拨单。Dispatch orders for this incident, newest first; optionally only those in one state." })
  async dispatchOrders(
    @Root() incident: Incident,
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [DISPATCH_ORDER_ORDER.Input], { nullable: true, description: DISPATCH_ORDER_ORDER.argument }) orderBy?: OrderTerm<DispatchOrderOrderField>[] | null,
    @Arg("status", () => DispatchStatus, { nullable: true, description: "调拨单状态。Only orders in this state." }) status?: DispatchStatus | null,
  ): Promise<Connection<DispatchOrder>> {
    const first = pageSize(page.first);
    // Paging deeper into one incident is a keyset query of its own; first pages are batched across incidents.
    const order = DISPATCH_ORDER_ORDER.sorting.resolve(orderBy);
    if (!isPlainFirstPage(page, order)) return ctx.services.dispatch.queries.list({ incidentId: incident.globalId, status }, page, orderBy);
    const rows = await ctx.loaders.dispatch.incidentOrdersFirstPage.load(`${incident.id}|${first + 1}|${status ?? ""}`);
    return makeConnection(rows, first, false, (row) => cursorFor(order, row), () => ctx.loaders.dispatch.incidentOrderCount.load(`${incident.id}|${status ?? ""}`), DispatchOrderConnection);
  }

  @Authorized()
  @FieldResolver(() => [TeamDeployment], { description: "派遣的救援队。Teams sent to this incident, newest first; `active: true` for those still out." })
  async teamDeployments(
    @Root() incident: Incident,
    @Ctx() ctx: AppContext,
    @Arg("active", () => Boolean, { nullable: true, description: "是否仍在外。true: only teams still out; false: only those released." }) active?: boolean | null,
  ): Promise<TeamDeployment[]> {
    const deployments = await ctx.loaders.dispatch.deploymentsByIncident.load(incident.id);
    return active == null ? deployments : deployments.filter((deployment) => deployment.active === active);
  }
}
