// The travel-time table (通行时间表) and road closures (道路中断): reading them, staff keeping
// them (setTravelTime, a routes sheet, reportRoadClosure, reopenRoad), and the graph the
// planner routes over. Times are set by the district (the table serves every township); a
// closure may be reported by a township's own staff for its unit and the links touching it,
// since they know first.
import { IsNull, type DataSource, type EntityManager } from "typeorm";
import { rowsByIds } from "../../core/db/batch";
import { type Actor, recordedBy } from "../../core/access/auth";
import { badUserInput, forbidden, userError } from "../../core/graphql/errors";
import type { EventBus } from "../../core/live/pubsub";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { ROAD_CLOSURE_ORDER, ROUTE_NODE_ORDER, TRAVEL_LINK_ORDER, type RoadClosureOrderField, type RouteNodeOrderField, type TravelLinkOrderField } from "./routes.orders";
import type { Transaction } from "../../core/db/transaction";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { distanceKm, type GeoPoint } from "./derived-times";
import { RoadClosure, RouteNode, TravelLink } from "./route.entity";
import { RoadClosureChange, TravelMode, TravelTimeBasis } from "./routes.enums";
import type { ReopenRoadInput, ReportRoadClosureInput, RoadClosureWhere, RouteNodeWhere, SetTravelTimeInput, TravelLinkWhere } from "./routes.inputs";
import { TravelGraph, type GraphClosure, type GraphLink, type GraphNode } from "./travel-graph";

export const RouteNodeConnection = ConnectionType(RouteNode, "RouteNode", "通行地点分页。A page of the travel-time table's places, in id order.");
export const TravelLinkConnection = ConnectionType(TravelLink, "TravelLink", "通行时间表分页。A page of travel-time links, in id order.");
export const RoadClosureConnection = ConnectionType(RoadClosure, "RoadClosure", "道路中断分页。A page of road closures, newest first.");

export const ROAD_CLOSURE_CHANGED = "ROAD_CLOSURE_CHANGED";

export interface RoadClosureChangedPayload {
  closureId: number;
  change: RoadClosureChange;
  districtId: number;
  /** Materialised paths of the regions of the places it touches (the depot: the district's). */
  regionPaths: string[];
}

/** A place as the planner and the sheets need it: with its code, name and point. */
export interface PlaceRow extends GraphNode {
  districtId: number;
  regionId: number | null;
  siteId: number | null;
  code: string;
  regionPath: string;
}

/** The graph of one district, with how sites and township units map to its places. */
export interface DistrictGraph {
  graph: TravelGraph;
  places: PlaceRow[];
  nodeOfRegion: Map<number, number>;
  nodeOfSite: Map<number, number>;
}

export const MINUTES_MAX = 1440;
const REASON_MAX = 300;
const NOTE_MAX = 500;
const WATERWAY_MAX = 50;


/** A link is stored once, ends in id order. */
export function orderedEnds(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

export class RouteService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  nodesByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, RouteNode, ids);

  /** Places by the code staff know them by — the unit's region code (KZ-S01) or the depot's site code — in the order asked. */
  nodesByCodes = async (codes: readonly string[]): Promise<(RouteNode | null)[]> => {
    const rows = await this.dataSource
      .getRepository(RouteNode)
      .createQueryBuilder("node")
      .leftJoin("node.regionRow", "region")
      .leftJoin("node.siteRow", "site")
      .addSelect("coalesce(region.code, site.code)", "node_code")
      .where("coalesce(region.code, site.code) = ANY(:codes)", { codes: [...codes] })
      .getRawAndEntities();
    const byCode = new Map(rows.entities.map((node, i) => [rows.raw[i].node_code as string, node]));
    return codes.map((code) => byCode.get(code) ?? null);
  };
  linksByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, TravelLink, ids);
  closuresByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, RoadClosure, ids);

  /** The active closure of each place, if any (one statement for many). */
  activeNodeClosures = async (nodeIds: readonly number[]): Promise<(RoadClosure | null)[]> => {
    const rows = await this.dataSource.getRepository(RoadClosure).createQueryBuilder("c").where("c.node_id = ANY(:ids) AND c.reopened_at IS NULL", { ids: [...nodeIds] }).getMany();
    return nodeIds.map((id) => rows.find((row) => row.nodeId === id) ?? null);
  };

  /** What stops each link now: its own active closure, or for a road one of its ends cut off; null when open. */
  activeLinkClosures = async (linkIds: readonly number[]): Promise<(RoadClosure | null)[]> => {
    const rows: Array<{ link: number; closure_id: number }> = await this.dataSource.query(
      `SELECT DISTINCT ON (l.id) l.id AS link, c.id AS closure_id
       FROM travel_link l JOIN road_closure c ON c.reopened_at IS NULL AND (c.link_id = l.id OR (l.mode = 'ROAD' AND c.node_id IN (l.from_node_id, l.to_node_id)))
       WHERE l.id = ANY($1::int[])
       ORDER BY l.id, c.link_id NULLS LAST, c.id`,
      [[...linkIds]],
    );
    const closures = await this.closuresByIds(rows.map((row) => row.closure_id));
    const byLink = new Map(rows.map((row, i) => [row.link, closures[i]]));
    return linkIds.map((id) => byLink.get(id) ?? null);
  };

  listNodes(where: RouteNodeWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<RouteNodeOrderField>[] | null) {
    const query = this.dataSource.getRepository(RouteNode).createQueryBuilder("node");
    if (where?.districtId) query.andWhere("node.district_id = :district", { district: parseGlobalId(where.districtId, "Region", "where.districtId") });
    if (where?.cutOff != null) query.andWhere(`${where.cutOff ? "" : "NOT "}EXISTS (SELECT 1 FROM road_closure c WHERE c.node_id = node.id AND c.reopened_at IS NULL)`);
    return paginate(query, ROUTE_NODE_ORDER.sorting.resolve(orderBy), page, RouteNodeConnection);
  }

  listLinks(where: TravelLinkWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<TravelLinkOrderField>[] | null) {
    const query = this.dataSource.getRepository(TravelLink).createQueryBuilder("link");
    if (where?.nodeId) query.andWhere(":node IN (link.from_node_id, link.to_node_id)", { node: parseGlobalId(where.nodeId, "RouteNode", "where.nodeId") });
    if (where?.mode) query.andWhere("link.mode = :mode", { mode: where.mode });
    if (where?.basis) query.andWhere("link.basis = :basis", { basis: where.basis });
    if (where?.closed != null) {
      query.andWhere(
        `${where.closed ? "" : "NOT "}EXISTS (SELECT 1 FROM road_closure c WHERE c.reopened_at IS NULL
           AND (c.link_id = link.id OR (link.mode = 'ROAD' AND c.node_id IN (link.from_node_id, link.to_node_id))))`,
      );
    }
    return paginate(query, TRAVEL_LINK_ORDER.sorting.resolve(orderBy), page, TravelLinkConnection);
  }

  listClosures(where: RoadClosureWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<RoadClosureOrderField>[] | null) {
    const query = this.dataSource.getRepository(RoadClosure).createQueryBuilder("closure");
    if (where?.active != null) query.andWhere(`closure.reopened_at IS ${where.active ? "" : "NOT "}NULL`);
    if (where?.nodeId) {
      const nodeId = parseGlobalId(where.nodeId, "RouteNode", "where.nodeId");
      query.andWhere("(closure.node_id = :node OR closure.link_id IN (SELECT id FROM travel_link WHERE :node IN (from_node_id, to_node_id)))", { node: nodeId });
    }
    return paginate(query, ROAD_CLOSURE_ORDER.sorting.resolve(orderBy), page, RoadClosureConnection);
  }

  /**
   * Places with their code, name, point and region path: of some districts, or some places
   * (locked FOR UPDATE with `lock`, in id order, so writers over the same places take turns).
   */
  async places(manager: EntityManager, filter: { districtIds?: readonly number[]; nodeIds?: readonly number[] }, lock = false): Promise<PlaceRow[]> {
    const rows: Array<{ id: number; district_id: number; region_id: number | null; site_id: number | null; code: string; name: string; latitude: number; longitude: number; path: string }> =
      await manager.query(
        `SELECT n.id, n.district_id, n.region_id, n.site_id, coalesce(r.code, s.code) AS code, coalesce(r.name, s.name) AS name,
                coalesce(r.latitude, s.latitude) AS latitude, coalesce(r.longitude, s.longitude) AS longitude, coalesce(r.path, d.path) AS path
         FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id JOIN region d ON d.id = n.district_id
         WHERE ($1::int[] IS NULL OR n.district_id = ANY($1::int[])) AND ($2::int[] IS NULL OR n.id = ANY($2::int[]))
         ORDER BY n.id${lock ? " FOR UPDATE OF n" : ""}`,
        [filter.districtIds ? [...filter.districtIds] : null, filter.nodeIds ? [...filter.nodeIds] : null],
      );
    return rows.map((row) => ({
      id: row.id,
      districtId: row.district_id,
      regionId: row.region_id,
      siteId: row.site_id,
      code: row.code,
      name: row.name,
      point: { latitude: row.latitude, longitude: row.longitude },
      regionPath: row.path,
    }));
  }

  /**
   * The district's places, links and active closures, read in one statement: what the planner
   * routes over. (A plan reads it once; it is a few dozen rows.)
   */
  async districtGraph(manager: EntityManager, districtId: number): Promise<DistrictGraph> {
    const [row] = await manager.query(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('id', n.id, 'regionId', n.region_id, 'siteId', n.site_id, 'code', coalesce(r.code, s.code), 'name', coalesce(r.name, s.name),
                  'latitude', coalesce(r.latitude, s.latitude), 'longitude', coalesce(r.longitude, s.longitude), 'path', coalesce(r.path, d.path)) ORDER BY n.id), '[]')
          FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id JOIN region d ON d.id = n.district_id
          WHERE n.district_id = $1) AS nodes,
         (SELECT coalesce(json_agg(json_build_object('id', l.id, 'fromNodeId', l.from_node_id, 'toNodeId', l.to_node_id, 'mode', l.mode, 'minutes', l.minutes, 'waterway', l.waterway) ORDER BY l.id), '[]')
          FROM travel_link l WHERE l.district_id = $1) AS links,
         (SELECT coalesce(json_agg(json_build_object('id', c.id, 'nodeId', c.node_id, 'linkId', c.link_id, 'reason', c.reason) ORDER BY c.id), '[]')
          FROM road_closure c WHERE c.district_id = $1 AND c.reopened_at IS NULL) AS closures`,
      [districtId],
    );
    const places: PlaceRow[] = row.nodes.map((n: { id: number; regionId: number | null; siteId: number | null; code: string; name: string; latitude: number; longitude: number; path: string }) => ({
      id: n.id,
      districtId,
      regionId: n.regionId,
      siteId: n.siteId,
      code: n.code,
      name: n.name,
      point: { latitude: n.latitude, longitude: n.longitude },
      regionPath: n.path,
    }));
    return {
      graph: new TravelGraph(places, row.links as GraphLink[], row.closures as GraphClosure[]),
      places,
      nodeOfRegion: new Map(places.filter((p) => p.regionId !== null).map((p) => [p.regionId!, p.id])),
      nodeOfSite: new Map(places.filter((p) => p.siteId !== null).map((p) => [p.siteId!, p.id])),
    };
  }

  /** The place nearest a point (for a destination above township level, e.g. the district itself). */
  static nearestPlace(places: readonly PlaceRow[], point: GeoPoint): PlaceRow | null {
    let best: PlaceRow | null = null;
    for (const place of places) if (!best || distanceKm(place.point, point) < distanceKm(best.point, point)) best = place;
    return best;
  }

  // ---------------------------------------------------------------- keeping the table

  private assertDistrictWide(actor: Actor): void {
    if (actor.scopeRegionId !== null) {
      throw forbidden("routes.travelTimesServeTheWhole");
    }
  }

  /** The places by id, locked: a new link between two of them is created once, however many writers race. */
  async lockPlaces(manager: EntityManager, ids: readonly number[]): Promise<Map<number, PlaceRow>> {
    return new Map((await this.places(manager, { nodeIds: ids }, true)).map((p) => [p.id, p]));
  }

  /**
   * Creates or changes the link between two places for one mode, as the unit's actor, inside
   * the unit's transaction `tx`. Rows of a sheet come here too, all in one transaction, so a
   * sheet is all or nothing.
   */
  async upsertLink(
    unit: UnitOfWork,
    tx: Transaction,
    link: { fromNodeId: number; toNodeId: number; mode: TravelMode; minutes: number; basis: TravelTimeBasis; waterway: string | null | undefined; note: string | null | undefined },
    places: Map<number, PlaceRow>,
  ): Promise<{ link: TravelLink; change: "CREATED" | "UPDATED" | "UNCHANGED" }> {
    const [fromNodeId, toNodeId] = orderedEnds(link.fromNodeId, link.toNodeId);
    const from = places.get(fromNodeId)!;
    const to = places.get(toNodeId)!;
    const who = recordedBy(unit.actor);
    const existing = await tx.manager.findOne(TravelLink, { where: { fromNodeId, toNodeId, mode: link.mode }, lock: { mode: "pessimistic_write" } });
    if (existing) {
      const waterway = link.waterway === undefined ? existing.waterway : link.waterway;
      const note = link.note === undefined ? existing.note : link.note;
      if (existing.minutes === link.minutes && existing.basis === link.basis && existing.waterway === waterway && existing.note === note) return { link: existing, change: "UNCHANGED" };
      Object.assign(existing, { minutes: link.minutes, basis: link.basis, waterway, note, updatedAt: new Date(), updatedById: who.id, updatedBy: who.name });
      await tx.manager.save(existing);
      return { link: existing, change: "UPDATED" };
    }
    const created = tx.manager.create(TravelLink, {
      districtId: from.districtId,
      fromNodeId,
      toNodeId,
      mode: link.mode,
      minutes: link.minutes,
      basis: link.basis,
      distanceKm: Math.round(distanceKm(from.point, to.point) * 10) / 10,
      waterway: link.waterway ?? null,
      note: link.note ?? null,
      updatedById: who.id,
      updatedBy: who.name,
    });
    await tx.manager.insert(TravelLink, created);
    return { link: await tx.manager.findOneByOrFail(TravelLink, { id: created.id }), change: "CREATED" };
  }

  /** Checks two ends of a link: two different places of one district. */
  checkEnds(places: Map<number, PlaceRow>, fromNodeId: number, toNodeId: number, fields: { from: string; to: string }, check: InputErrors): void {
    const from = places.get(fromNodeId);
    const to = places.get(toNodeId);
    if (!from) check.add(fields.from, "NOT_FOUND", "routes.noSuchPlaceInThe");
    if (!to) check.add(fields.to, "NOT_FOUND", "routes.noSuchPlaceInThe");
    if (from && to && from.id === to.id) check.add(fields.to, "SAME_PLACE", "routes.aLinkJoinsTwoDifferent");
    if (from && to && from.districtId !== to.districtId) check.add(fields.to, "MIXED_DISTRICTS", "routes.bothPlacesMustLieIn");
  }

  /** Checks a link's values: whole minutes 1–1440, a waterway only on water, short texts. */
  checkLinkValues(input: { mode: TravelMode; minutes: number; waterway?: string | null; note?: string | null }, fields: { minutes: string; waterway: string; note: string }, check: InputErrors) {
    check.wholeNumber(input.minutes, fields.minutes, 1, MINUTES_MAX);
    const waterway = check.optionalText(input.waterway, fields.waterway, WATERWAY_MAX);
    if (waterway && input.mode !== TravelMode.WATER) check.add(fields.waterway, "NOT_ALLOWED", "routes.onlyAWaterLinkCrosses");
    const note = check.optionalText(input.note, fields.note, NOTE_MAX);
    return { waterway: waterway === "" ? null : waterway, note: note === "" ? null : note };
  }

  async setTravelTime(unit: UnitOfWork, input: SetTravelTimeInput): Promise<{ link: TravelLink }> {
    this.assertDistrictWide(unit.actor);
    const check = new InputErrors();
    const fromNodeId = parseGlobalId(input.fromId, "RouteNode", "input.fromId");
    const toNodeId = parseGlobalId(input.toId, "RouteNode", "input.toId");
    const { waterway, note } = this.checkLinkValues(input, { minutes: "input.minutes", waterway: "input.waterway", note: "input.note" }, check);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const places = await this.lockPlaces(tx.manager, orderedEnds(fromNodeId, toNodeId));
      this.checkEnds(places, fromNodeId, toNodeId, { from: "input.fromId", to: "input.toId" }, check);
      check.throwIfAny();
      const { link } = await this.upsertLink(unit, tx, { fromNodeId, toNodeId, mode: input.mode, minutes: input.minutes, basis: TravelTimeBasis.SURVEYED, waterway, note }, places);
      return { link };
    });
  }

  // ---------------------------------------------------------------- closures

  private publishClosure(tx: Transaction, closure: RoadClosure, change: RoadClosureChange, regionPaths: string[]): void {
    const payload: RoadClosureChangedPayload = { closureId: closure.id, change, districtId: closure.districtId, regionPaths };
    tx.afterCommit(() => this.events.publish(ROAD_CLOSURE_CHANGED, payload));
  }

  /** The places a closure touches: the place itself, or both ends of its link. */
  private async closurePlaces(manager: EntityManager, target: { nodeId: number | null; linkId: number | null }): Promise<PlaceRow[]> {
    const ids: number[] =
      target.nodeId !== null
        ? [target.nodeId]
        : (await manager.query(`SELECT from_node_id, to_node_id FROM travel_link WHERE id = $1`, [target.linkId])).flatMap((row: { from_node_id: number; to_node_id: number }) => [row.from_node_id, row.to_node_id]);
    return ids.length ? this.places(manager, { nodeIds: ids }) : [];
  }

  /** A township-scoped account reports and reopens closures of its own unit and the links touching it. */
  private assertClosureScope(actor: Actor, places: PlaceRow[]): void {
    if (actor.scopeRegionId === null) return;
    if (!places.some((place) => place.regionId === actor.scopeRegionId)) {
      throw forbidden("routes.thisClosureLiesOutsideYour", { scopeRegionId: actor.scopeRegionName ?? String(actor.scopeRegionId) });
    }
  }

  async reportRoadClosure(unit: UnitOfWork, input: ReportRoadClosureInput): Promise<{ closure: RoadClosure }> {
    const { actor } = unit;
    const check = new InputErrors();
    if (input.nodeId && input.linkId) check.add("input", "AMBIGUOUS", "routes.giveAPlaceNodeidCut");
    if (!input.nodeId && !input.linkId) check.add("input", "REQUIRED", "routes.giveThePlaceNodeidCut");
    const nodeId = input.nodeId ? parseGlobalId(input.nodeId, "RouteNode", "input.nodeId") : null;
    const linkId = input.linkId ? parseGlobalId(input.linkId, "TravelLink", "input.linkId") : null;
    const reason = check.text(input.reason, "input.reason", REASON_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => ({ closure: await this.closeRoad(tx, actor, { nodeId, linkId, reason }, "input") }));
  }

  /**
   * A closure inside the caller's transaction (reportRoadClosure, and the roads cut of a situation
   * report, modules/field): the place or link locked, the actor's scope checked, published after commit.
   * `field` prefixes the field paths of refusals (input.nodeId, input.roadsCut[0].nodeId).
   */
  async closeRoad(tx: Transaction, actor: Actor, target: { nodeId: number | null; linkId: number | null; reason: string }, field: string): Promise<RoadClosure> {
    const { nodeId, linkId, reason } = target;
    const manager = tx.manager;
    // The place or link row is locked, so two reports of the same closure arriving together take turns.
    const [row] = nodeId !== null
      ? await manager.query(`SELECT id, district_id FROM route_node WHERE id = $1 FOR UPDATE`, [nodeId])
      : await manager.query(`SELECT id, district_id FROM travel_link WHERE id = $1 FOR UPDATE`, [linkId]);
    const targetField = nodeId !== null ? `${field}.nodeId` : `${field}.linkId`;
    if (!row) userError(targetField, "NOT_FOUND", nodeId !== null ? "routes.noSuchPlaceInThe" : "routes.noSuchLink");
    const places = await this.closurePlaces(manager, { nodeId, linkId });
    this.assertClosureScope(actor, places);
    const open = await manager.findOneBy(RoadClosure, nodeId !== null ? { nodeId, reopenedAt: IsNull() } : { linkId: linkId!, reopenedAt: IsNull() });
    if (open) {
      userError(targetField, "ALREADY_CLOSED", "routes.alreadyReportedClosedSinceReopen", { reportedAt: open.reportedAt.toISOString(), reason: open.reason });
    }
    const who = recordedBy(actor);
    const closure = manager.create(RoadClosure, { districtId: row.district_id, nodeId, linkId, reason, reportedById: who.id, reportedBy: who.name });
    await manager.insert(RoadClosure, closure);
    const saved = await manager.findOneByOrFail(RoadClosure, { id: closure.id });
    this.publishClosure(tx, saved, RoadClosureChange.REPORTED, places.map((p) => p.regionPath));
    return saved;
  }

  async reopenRoad(unit: UnitOfWork, input: ReopenRoadInput): Promise<{ closure: RoadClosure }> {
    const { actor } = unit;
    const check = new InputErrors();
    const closureId = parseGlobalId(input.closureId, "RoadClosure", "input.closureId");
    const note = check.optionalText(input.note, "input.note", NOTE_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const closure = await manager.findOne(RoadClosure, { where: { id: closureId }, lock: { mode: "pessimistic_write" } });
      if (!closure) userError("input.closureId", "NOT_FOUND", "routes.noSuchRoadClosure");
      const places = await this.closurePlaces(manager, closure);
      this.assertClosureScope(actor, places);
      if (closure.reopenedAt !== null) userError("input.closureId", "INVALID_STATE", "routes.alreadyReopenedAt", { reopenedAt: closure.reopenedAt.toISOString() });
      const who = recordedBy(actor);
      Object.assign(closure, { reopenedAt: new Date(), reopenedById: who.id, reopenedBy: who.name, reopenNote: note || null });
      await manager.save(closure);
      this.publishClosure(tx, closure, RoadClosureChange.REOPENED, places.map((p) => p.regionPath));
      return { closure };
    });
  }

  // ---------------------------------------------------------------- routing

  /** The quickest way between two places now, for `travelRoute`. */
  async route(fromGlobalId: string, toGlobalId: string) {
    const fromNodeId = parseGlobalId(fromGlobalId, "RouteNode", "fromId");
    const toNodeId = parseGlobalId(toGlobalId, "RouteNode", "toId");
    const manager = this.dataSource.manager;
    const [row] = await manager.query(`SELECT (SELECT district_id FROM route_node WHERE id = $1) AS from_district, (SELECT district_id FROM route_node WHERE id = $2) AS to_district`, [fromNodeId, toNodeId]);
    if (row.from_district === null) throw badUserInput("fromId", "routes.noSuchPlaceInThe");
    if (row.to_district === null) throw badUserInput("toId", "routes.noSuchPlaceInThe");
    if (row.from_district !== row.to_district) throw badUserInput("toId", "routes.bothPlacesMustLieIn");
    const { graph } = await this.districtGraph(manager, row.from_district);
    const at = (id: number) => ({ point: graph.node(id)!.point, nodeId: id, townshipId: null });
    const route = graph.routesTo(at(toNodeId)).from(at(fromNodeId));
    return { fromNodeId, toNodeId, route };
  }
}
