import { Arg, Args, Authorized, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { badUserInput, mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { byIdOrCode, codeArgumentDescription, fromGlobalId, PageArgs, toGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { freshLoadersForEvent } from "../../loaders";
import { Region } from "../regions/region.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { RoadClosure, RouteNode, TravelLink } from "./route.entity";
import { ReopenRoadInput, ReportRoadClosureInput, RoadClosureChangedWhere, RoadClosureWhere, RouteNodeWhere, SetTravelTimeInput, TravelLinkWhere } from "./routes.inputs";
import { RoadClosureConnection, RouteNodeConnection, ROAD_CLOSURE_CHANGED, TravelLinkConnection, type RoadClosureChangedPayload } from "./routes.service";
import { RoadClosureEvent, RoadClosurePayload, TravelLinkPayload, TravelRoute, TravelRouteLeg } from "./routes.types";
import { ROUTE_NODE_ORDER, type RouteNodeOrderField, TRAVEL_LINK_ORDER, type TravelLinkOrderField, ROAD_CLOSURE_ORDER, type RoadClosureOrderField } from "./routes.orders";

@Resolver(() => RouteNode)
export class RouteNodeResolver {
  @Authorized()
  @Query(() => RouteNodeConnection, { description: "通行地点: the places of the travel-time table (通行时间表) — the township-level units and the district depot, in id order." })
  routeNodes(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [ROUTE_NODE_ORDER.Input], { nullable: true, description: ROUTE_NODE_ORDER.argument }) orderBy?: OrderTerm<RouteNodeOrderField>[] | null,
    @Arg("where", () => RouteNodeWhere, { nullable: true, description: "筛选条件。Conditions the places must meet." }) where?: RouteNodeWhere,
  ): Promise<Connection<RouteNode>> {
    return ctx.services.routes.listNodes(where, page, orderBy);
  }

  @Authorized()
  @Query(() => RouteNode, { nullable: true, description: "通行地点。One place of the travel-time table by global id or by code (the unit's region code, the depot's site code); null if there is none." })
  routeNode(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "全局 ID。Global id of the place." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("place", "KZ-S01") + " A township unit by its region code, the depot by its site code (KZ-DEPOT-01)." }) code?: string | null,
  ): Promise<RouteNode | null> {
    return byIdOrCode<RouteNode>("RouteNode", id, code, { byId: ctx.loaders.routes.nodeById, byCode: ctx.loaders.routes.nodeByCode });
  }

  @Authorized()
  @Query(() => TravelRoute, { description: "通行路线: the quickest way between two places now, over open roads and water links, with what closes the usual way. A read." })
  async travelRoute(
    @Ctx() ctx: AppContext,
    @Arg("fromId", () => ID, { nullable: true, description: "起点。Where goods start (a RouteNode); or fromCode." }) fromId?: string | null,
    @Arg("toId", () => ID, { nullable: true, description: "终点。Where they go (a RouteNode of the same district); or toCode." }) toId?: string | null,
    @Arg("fromCode", () => String, { nullable: true, description: "起点编码。The start by code (KZ-S01, KZ-DEPOT-01) instead of fromId." }) fromCode?: string | null,
    @Arg("toCode", () => String, { nullable: true, description: "终点编码。The end by code instead of toId." }) toCode?: string | null,
  ): Promise<TravelRoute> {
    const [from, to] = await Promise.all([placeId(ctx, "from", fromId, fromCode), placeId(ctx, "to", toId, toCode)]);
    return ctx.services.routes.route(from, to).then(({ fromNodeId, toNodeId, route }) =>
      Object.assign(new TravelRoute(), {
        fromNodeId,
        toNodeId,
        reachable: route.reachable,
        minutes: route.reachable ? Math.round(route.minutes) : null,
        legs: route.legs.map((leg) => Object.assign(new TravelRouteLeg(), leg)),
        waterways: route.waterways,
        path: route.path,
        detour: route.detour,
      }),
    );
  }

  @FieldResolver(() => String, { description: "地点编码。The unit's region code (KZ-S01) or the depot's site code (KZ-DEPOT-01)." })
  async code(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<string> {
    return node.regionId !== null ? (await ctx.loaders.regions.regionById.load(node.regionId))!.code : (await ctx.loaders.reserves.siteById.load(node.siteId!))!.code;
  }

  @FieldResolver(() => String, { description: "名称。Name, e.g. 汉丰街道 or 开州区应急物资储备库." })
  async name(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<string> {
    return node.regionId !== null ? (await ctx.loaders.regions.regionById.load(node.regionId))!.name : (await ctx.loaders.reserves.siteById.load(node.siteId!))!.name;
  }

  @FieldResolver(() => Float, { description: "纬度。Latitude of the place: the unit's centre, or the depot." })
  async latitude(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<number> {
    return node.regionId !== null ? (await ctx.loaders.regions.regionById.load(node.regionId))!.latitude : (await ctx.loaders.reserves.siteById.load(node.siteId!))!.latitude;
  }

  @FieldResolver(() => Float, { description: "经度。Longitude of the place." })
  async longitude(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<number> {
    return node.regionId !== null ? (await ctx.loaders.regions.regionById.load(node.regionId))!.longitude : (await ctx.loaders.reserves.siteById.load(node.siteId!))!.longitude;
  }

  @FieldResolver(() => Region, { nullable: true, description: "乡镇（街道）。The township-level unit; null for the depot." })
  region(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<Region | null> | null {
    return node.regionId === null ? null : ctx.loaders.regions.regionById.load(node.regionId);
  }

  @FieldResolver(() => StorageSite, { nullable: true, description: "区级库。The depot; null for a township unit." })
  site(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return node.siteId === null ? null : ctx.loaders.reserves.siteById.load(node.siteId);
  }

  @FieldResolver(() => RoadClosure, { nullable: true, description: "道路中断: the closure cutting this place off by road now; null when its roads are open." })
  closure(@Root() node: RouteNode, @Ctx() ctx: AppContext): Promise<RoadClosure | null> {
    return ctx.loaders.routes.activeClosureOfNode.load(node.id);
  }
}

/** A route's end as a RouteNode's global id, from its id or its code (one of the two). */
async function placeId(ctx: AppContext, end: "from" | "to", id: string | null | undefined, code: string | null | undefined): Promise<string> {
  const hasId = id !== null && id !== undefined;
  if (hasId === (code !== null && code !== undefined)) throw badUserInput(`${end}Id`, "routes.idOrCode", { id: `${end}Id`, code: `${end}Code` });
  if (hasId) return id!;
  const node = await ctx.loaders.routes.nodeByCode.load(code!);
  if (!node) throw badUserInput(`${end}Code`, "routes.noSuchPlaceInThe");
  return toGlobalId("RouteNode", node.id);
}

@Resolver(() => TravelLink)
export class TravelLinkResolver {
  @Authorized()
  @Query(() => TravelLinkConnection, { description: "通行时间表: the links between places by 公路 (road) and 水路 (water), with their minutes and basis (估算/实测), in id order." })
  travelLinks(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [TRAVEL_LINK_ORDER.Input], { nullable: true, description: TRAVEL_LINK_ORDER.argument }) orderBy?: OrderTerm<TravelLinkOrderField>[] | null,
    @Arg("where", () => TravelLinkWhere, { nullable: true, description: "筛选条件。Conditions the links must meet." }) where?: TravelLinkWhere,
  ): Promise<Connection<TravelLink>> {
    return ctx.services.routes.listLinks(where, page, orderBy);
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => TravelLinkPayload, { description: "通行时间: set a link's minutes, creating the link if needed; it becomes SURVEYED (实测). ADMIN, or LOGISTICS district-wide: the table serves every township." })
  setTravelTime(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetTravelTimeInput, { description: "路段与通行时间。The link and its minutes." }) input: SetTravelTimeInput): Promise<TravelLinkPayload> {
    return mutationPayload(() => ctx.services.routes.setTravelTime(unit, input));
  }

  @FieldResolver(() => RouteNode, { description: "一端。One end (the one with the smaller id)." })
  async from(@Root() link: TravelLink, @Ctx() ctx: AppContext): Promise<RouteNode> {
    return (await ctx.loaders.routes.nodeById.load(link.fromNodeId))!;
  }

  @FieldResolver(() => RouteNode, { description: "另一端。The other end." })
  async to(@Root() link: TravelLink, @Ctx() ctx: AppContext): Promise<RouteNode> {
    return (await ctx.loaders.routes.nodeById.load(link.toNodeId))!;
  }

  @FieldResolver(() => RoadClosure, { nullable: true, description: "道路中断 What closes it now: its own closure, or for a road an end cut off; null when open." })
  closure(@Root() link: TravelLink, @Ctx() ctx: AppContext): Promise<RoadClosure | null> {
    return ctx.loaders.routes.activeClosureOfLink.load(link.id);
  }
}

@Resolver(() => TravelRouteLeg)
export class TravelRouteLegResolver {
  @FieldResolver(() => RouteNode, { description: "起点。Where the leg starts." })
  async from(@Root() leg: TravelRouteLeg, @Ctx() ctx: AppContext): Promise<RouteNode> {
    return (await ctx.loaders.routes.nodeById.load(leg.fromNodeId))!;
  }

  @FieldResolver(() => RouteNode, { description: "终点。Where it ends." })
  async to(@Root() leg: TravelRouteLeg, @Ctx() ctx: AppContext): Promise<RouteNode> {
    return (await ctx.loaders.routes.nodeById.load(leg.toNodeId))!;
  }

  @FieldResolver(() => TravelLink, { description: "路段。The link travelled." })
  async link(@Root() leg: TravelRouteLeg, @Ctx() ctx: AppContext): Promise<TravelLink> {
    return (await ctx.loaders.routes.linkById.load(leg.linkId))!;
  }
}

@Resolver(() => TravelRoute)
export class TravelRouteResolver {
  @FieldResolver(() => RouteNode, { description: "起点。Where goods start." })
  async from(@Root() route: TravelRoute, @Ctx() ctx: AppContext): Promise<RouteNode> {
    return (await ctx.loaders.routes.nodeById.load(route.fromNodeId))!;
  }

  @FieldResolver(() => RouteNode, { description: "终点。Where they go." })
  async to(@Root() route: TravelRoute, @Ctx() ctx: AppContext): Promise<RouteNode> {
    return (await ctx.loaders.routes.nodeById.load(route.toNodeId))!;
  }
}

@Resolver(() => RoadClosure)
export class RoadClosureResolver {
  @Authorized()
  @Query(() => RoadClosureConnection, { description: "道路中断: road closures, newest first — those in force and the history." })
  roadClosures(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [ROAD_CLOSURE_ORDER.Input], { nullable: true, description: ROAD_CLOSURE_ORDER.argument }) orderBy?: OrderTerm<RoadClosureOrderField>[] | null,
    @Arg("where", () => RoadClosureWhere, { nullable: true, description: "筛选条件。Conditions the closures must meet." }) where?: RoadClosureWhere,
  ): Promise<Connection<RoadClosure>> {
    return ctx.services.routes.listClosures(where, page, orderBy);
  }

  @Authorized(Role.LOGISTICS, Role.COMMANDER)
  @Mutation(() => RoadClosurePayload, {
    description:
      "道路中断: report a place cut off by road (all its road links) or one link closed. The planner then routes around it, by water where a link runs, and passes over sources it cannot reach. ADMIN, COMMANDER, LOGISTICS (township-scoped: its own unit and the links touching it).",
  })
  reportRoadClosure(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReportRoadClosureInput, { description: "中断路段与原因。What is closed and why." }) input: ReportRoadClosureInput): Promise<RoadClosurePayload> {
    return mutationPayload(() => ctx.services.routes.reportRoadClosure(unit, input));
  }

  @Authorized(Role.LOGISTICS, Role.COMMANDER)
  @Mutation(() => RoadClosurePayload, { description: "恢复通行: reopen a closed road; the closure stays in the history. Who may: as for reportRoadClosure." })
  reopenRoad(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReopenRoadInput, { description: "道路中断记录。The closure." }) input: ReopenRoadInput): Promise<RoadClosurePayload> {
    return mutationPayload(() => ctx.services.routes.reopenRoad(unit, input));
  }

  @FieldResolver(() => RouteNode, { nullable: true, description: "中断地点。The place cut off by road, for a place closure." })
  node(@Root() closure: RoadClosure, @Ctx() ctx: AppContext): Promise<RouteNode | null> | null {
    return closure.nodeId === null ? null : ctx.loaders.routes.nodeById.load(closure.nodeId);
  }

  @FieldResolver(() => TravelLink, { nullable: true, description: "中断路段。The link closed, for a link closure." })
  link(@Root() closure: RoadClosure, @Ctx() ctx: AppContext): Promise<TravelLink | null> | null {
    return closure.linkId === null ? null : ctx.loaders.routes.linkById.load(closure.linkId);
  }

  @Authorized()
  @Subscription(() => RoadClosureEvent, {
    topics: ROAD_CLOSURE_CHANGED,
    description: "道路中断 reported and 恢复通行 (roads reopened), after commit, for the wall; filter by region.",
    filter: ({ payload, args }: { payload: RoadClosureChangedPayload; args: { where?: RoadClosureChangedWhere | null } }) => {
      const regionId = args.where?.regionId ? fromGlobalId(args.where.regionId)?.id : undefined;
      return regionId === undefined || payload.regionPaths.some((path) => path.includes(`/${regionId}/`));
    },
  })
  async roadClosureChanged(
    @Root() payload: RoadClosureChangedPayload,
    @Ctx() ctx: AppContext,
    @Arg("where", () => RoadClosureChangedWhere, { nullable: true, description: "道路中断范围。Which closures to hear about." }) _where?: RoadClosureChangedWhere,
  ): Promise<RoadClosureEvent> {
    const loaders = freshLoadersForEvent(ctx, payload);
    return { change: payload.change, closure: (await loaders.routes.closureById.load(payload.closureId))! };
  }
}
