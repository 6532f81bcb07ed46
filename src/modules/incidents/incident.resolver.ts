import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, registerEnumType, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload, UserError } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { byIdOrCode, codeArgumentDescription, fromGlobalId, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { freshLoadersForEvent } from "../../loaders";
import { Region } from "../regions/region.entity";
import { Incident } from "./incident.entity";
import { CloseIncidentInput, IncidentChangedWhere, IncidentWhere, OpenIncidentInput, UpdateIncidentInput } from "./incident.inputs";
import { IncidentChange, IncidentConnection, INCIDENT_CHANGED, type IncidentChangedPayload } from "./incident.service";
import { INCIDENT_ORDER, type IncidentOrderField } from "./incident.orders";

registerEnumType(IncidentChange, {
  name: "IncidentChange",
  description: "What happened to an incident.",
  valuesConfig: { OPENED: { description: "Opened." }, UPDATED: { description: "Details changed." }, CLOSED: { description: "Closed." } },
});

@ObjectType({ description: "Result of incident mutations." })
class IncidentPayload {
  @Field(() => Incident, { nullable: true, description: "The incident as saved." })
  incident?: Incident;

  @Field(() => [UserError], { description: "What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "An incident was opened, changed or closed." })
class IncidentEvent {
  @Field(() => IncidentChange, { description: "What happened." })
  change: IncidentChange;

  @Field(() => Incident, { description: "The incident as committed when the event is delivered (a later change may already show)." })
  incident: Incident;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Authorized()
  @Query(() => IncidentConnection, { description: "Incidents, newest first." })
  incidents(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [INCIDENT_ORDER.Input], { nullable: true, description: INCIDENT_ORDER.argument }) orderBy?: OrderTerm<IncidentOrderField>[] | null,
    @Arg("where", () => IncidentWhere, { nullable: true, description: "Conditions the incidents must meet." }) where?: IncidentWhere,
  ): Promise<Connection<Incident>> {
    return ctx.services.incidents.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => Incident, { nullable: true, description: "One incident by global id." })
  incident(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "Global id of the incident." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("incident", "KZ-2026-0001") }) code?: string | null,
  ): Promise<Incident | null> {
    return byIdOrCode<Incident>("Incident", id, code, { byId: ctx.loaders.incidents.incidentById, byCode: ctx.loaders.incidents.incidentByCode });
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => IncidentPayload, { description: "Open an incident (COMMANDER, ADMIN)." })
  openIncident(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => OpenIncidentInput, { description: "The incident." }) input: OpenIncidentInput): Promise<IncidentPayload> {
    return mutationPayload(() => ctx.services.incidents.open(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => IncidentPayload, { description: "Change an open incident (COMMANDER, ADMIN)." })
  updateIncident(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateIncidentInput, { description: "The changes." }) input: UpdateIncidentInput): Promise<IncidentPayload> {
    return mutationPayload(() => ctx.services.incidents.update(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => IncidentPayload, { description: "Close an incident: the response has ended (COMMANDER, ADMIN)." })
  closeIncident(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CloseIncidentInput, { description: "The incident." }) input: CloseIncidentInput): Promise<IncidentPayload> {
    return mutationPayload(() => ctx.services.incidents.close(unit, input));
  }

  @FieldResolver(() => [Region], { description: "Regions affected." })
  async regions(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<Region[]> {
    const ids = await ctx.loaders.incidents.regionIdsByIncident.load(incident.id);
    const regions = await ctx.loaders.regions.regionById.loadMany(ids);
    return regions.filter((r): r is Region => r instanceof Region);
  }

  @FieldResolver(() => Region, { description: "The district whose response this is." })
  async district(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(incident.districtId))!;
  }

  @Authorized()
  @Subscription(() => IncidentEvent, {
    topics: INCIDENT_CHANGED,
    description: "Incidents opened, changed or closed, after commit; filter by incident or region.",
    filter: ({ payload, args }: { payload: IncidentChangedPayload; args: { where?: IncidentChangedWhere | null } }) => {
      const where = args.where;
      if (where?.incidentId && fromGlobalId(where.incidentId)?.id !== payload.incidentId) return false;
      if (where?.regionId) {
        const regionId = fromGlobalId(where.regionId)?.id;
        if (!payload.regionPaths.some((path) => path.includes(`/${regionId}/`))) return false;
      }
      return true;
    },
  })
  async incidentChanged(
    @Root() payload: IncidentChangedPayload,
    @Ctx() ctx: AppContext,
    @Arg("where", () => IncidentChangedWhere, { nullable: true, description: "Which incidents to hear about." }) _where?: IncidentChangedWhere,
  ): Promise<IncidentEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return { change: payload.change, incident: (await loaders.incidents.incidentById.load(payload.incidentId))! };
  }
}
