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
  description: "事件变化。What happened to an incident.",
  valuesConfig: { OPENED: { description: "已启动。Opened." }, UPDATED: { description: "已修改。Details changed." }, CLOSED: { description: "已关闭。Closed." } },
});

@ObjectType({ description: "突发事件操作结果。Result of incident mutations." })
class IncidentPayload {
  @Field(() => Incident, { nullable: true, description: "事件。The incident as saved." })
  incident?: Incident;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "事件变化事件。An incident was opened, changed or closed." })
class IncidentEvent {
  @Field(() => IncidentChange, { description: "变化类型。What happened." })
  change: IncidentChange;

  @Field(() => Incident, { description: "事件。The incident as committed when the event is delivered (a later change may already show)." })
  incident: Incident;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Authorized()
  @Query(() => IncidentConnection, { description: "突发事件。Incidents, newest first." })
  incidents(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [INCIDENT_ORDER.Input], { nullable: true, description: INCIDENT_ORDER.argument }) orderBy?: OrderTerm<IncidentOrderField>[] | null,
    @Arg("where", () => IncidentWhere, { nullable: true, description: "筛选条件。Conditions the incidents must meet." }) where?: IncidentWhere,
  ): Promise<Connection<Incident>> {
    return ctx.services.incidents.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => Incident, { nullable: true, description: "突发事件。One incident by global id." })
  incident(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "事件 ID。Global id of the incident." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("incident", "KZ-2026-0001") }) code?: string | null,
  ): Promise<Incident | null> {
    return byIdOrCode<Incident>("Incident", id, code, { byId: ctx.loaders.incidents.incidentById, byCode: ctx.loaders.incidents.incidentByCode });
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => IncidentPayload, { description: "启动事件响应。Open an incident (COMMANDER, ADMIN)." })
  openIncident(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => OpenIncidentInput, { description: "突发事件。The incident." }) input: OpenIncidentInput): Promise<IncidentPayload> {
    return mutationPayload(() => ctx.services.incidents.open(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => IncidentPayload, { description: "修改事件。Change an open incident (COMMANDER, ADMIN)." })
  updateIncident(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateIncidentInput, { description: "修改内容。The changes." }) input: UpdateIncidentInput): Promise<IncidentPayload> {
    return mutationPayload(() => ctx.services.incidents.update(unit, input));
  }

  @Authorized(Role.COMMANDER)
  @Mutation(() => IncidentPayload, { description: "关闭事件。Close an incident: the response has ended (COMMANDER, ADMIN)." })
  closeIncident(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CloseIncidentInput, { description: "突发事件。The incident." }) input: CloseIncidentInput): Promise<IncidentPayload> {
    return mutationPayload(() => ctx.services.incidents.close(unit, input));
  }

  @FieldResolver(() => [Region], { description: "受影响区域。Regions affected." })
  async regions(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<Region[]> {
    const ids = await ctx.loaders.incidents.regionIdsByIncident.load(incident.id);
    const regions = await ctx.loaders.regions.regionById.loadMany(ids);
    return regions.filter((r): r is Region => r instanceof Region);
  }

  @FieldResolver(() => Region, { description: "所属区县。The district whose response this is." })
  async district(@Root() incident: Incident, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(incident.districtId))!;
  }

  @Authorized()
  @Subscription(() => IncidentEvent, {
    topics: INCIDENT_CHANGED,
    description: "突发事件变化订阅。Incidents opened, changed or closed, after commit; filter by incident or region.",
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
    @Arg("where", () => IncidentChangedWhere, { nullable: true, description: "事件范围。Which incidents to hear about." }) _where?: IncidentChangedWhere,
  ): Promise<IncidentEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return { change: payload.change, incident: (await loaders.incidents.incidentById.load(payload.incidentId))! };
  }
}
