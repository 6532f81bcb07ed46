// The quickest way between two places over the travel-time table, as of now: roads cut off
// (道路中断) are left out, water links (水路) run when the roads do not. Pure (no database), so
// the planner and its tests work on a hand-built map. Dijkstra over a few dozen places: a plan
// runs it twice per destination (with and without the closures, to tell a detour from the
// usual way), well under a millisecond.
import { localRoadMinutes, type GeoPoint } from "./derived-times";
import { TravelMode, TRAVEL_MODE_WORDS } from "./routes.enums";

export interface GraphNode {
  id: number;
  name: string;
  point: GeoPoint;
}

export interface GraphLink {
  id: number;
  fromNodeId: number;
  toNodeId: number;
  mode: TravelMode;
  minutes: number;
  waterway: string | null;
}

/** An active closure: a place cut off by road (nodeId) or one link (linkId). */
export interface GraphClosure {
  id: number;
  nodeId: number | null;
  linkId: number | null;
  reason: string;
}

export interface RouteLeg {
  fromNodeId: number;
  toNodeId: number;
  linkId: number;
  mode: TravelMode;
  minutes: number;
  waterway: string | null;
}

/** Where goods start or end: a point, the place of the table it belongs to, and its township unit. */
export interface Place {
  point: GeoPoint;
  /** The route node it is reached through; null when its township (or depot) is not in the table. */
  nodeId: number | null;
  /** Its township-level unit; null for the depot and the district itself. */
  townshipId: number | null;
}

export interface Route {
  reachable: boolean;
  /** Door to door: to the source's place, over the links, on to the destination. Infinity when unreachable. */
  minutes: number;
  legs: RouteLeg[];
  /** Both ends in one township: local roads only, nothing in the table applies. */
  local: boolean;
  /** An end outside the table: minutes derived from the straight line. */
  offTable: boolean;
  /** Waters crossed (汉丰湖, 澎溪河 …), in order; empty for a road route. */
  waterways: string[];
  /** What closes the usual way, when the closures made this route longer or impossible. */
  detour: string | null;
  /** The places passed, e.g. 区级库 → 赵家街道 → 汉丰街道 (〔水路·汉丰湖〕 marks a boat). */
  path: string;
}

interface Reached {
  minutes: number;
  /** The next step toward the target. */
  via: { nodeId: number; link: GraphLink } | null;
}

export class TravelGraph {
  private readonly nodes: Map<number, GraphNode>;
  private readonly links: Map<number, GraphLink>;
  private readonly adjacency = new Map<number, GraphLink[]>();
  private readonly closedNodes: Map<number, GraphClosure>;
  private readonly closedLinks: Map<number, GraphClosure>;

  constructor(nodes: readonly GraphNode[], links: readonly GraphLink[], closures: readonly GraphClosure[]) {
    this.nodes = new Map(nodes.map((node) => [node.id, node]));
    this.links = new Map(links.map((link) => [link.id, link]));
    for (const link of links) {
      for (const end of [link.fromNodeId, link.toNodeId]) this.adjacency.set(end, [...(this.adjacency.get(end) ?? []), link]);
    }
    this.closedNodes = new Map(closures.filter((c) => c.nodeId !== null).map((c) => [c.nodeId!, c]));
    this.closedLinks = new Map(closures.filter((c) => c.linkId !== null).map((c) => [c.linkId!, c]));
  }

  /** The same map with the links of one mode only: a boat trip keeps to the water, a truck to the roads (modules/transport). */
  onlyMode(mode: TravelMode): TravelGraph {
    const links = [...this.links.values()].filter((link) => link.mode === mode);
    return new TravelGraph([...this.nodes.values()], links, [...this.closedNodes.values(), ...this.closedLinks.values()]);
  }

  node(id: number): GraphNode | undefined {
    return this.nodes.get(id);
  }

  nodeName(id: number): string {
    return this.nodes.get(id)?.name ?? `#${id}`;
  }

  /** The closure that stops a link now, if any: its own, or (for a road) one of its ends cut off. */
  closureOf(link: GraphLink): GraphClosure | null {
    const own = this.closedLinks.get(link.id);
    if (own) return own;
    if (link.mode !== TravelMode.ROAD) return null;
    return this.closedNodes.get(link.fromNodeId) ?? this.closedNodes.get(link.toNodeId) ?? null;
  }

  link(id: number): GraphLink | undefined {
    return this.links.get(id);
  }

  /** Describes a closure for a dispatcher: 汉丰街道道路中断（山体滑坡）. */
  describeClosure(closure: GraphClosure): string {
    if (closure.nodeId !== null) return `${this.nodeName(closure.nodeId)}道路中断（${closure.reason}）`;
    const link = this.links.get(closure.linkId!);
    const ends = link ? `${this.nodeName(link.fromNodeId)}—${this.nodeName(link.toNodeId)}` : "一段";
    return `${ends}${link ? TRAVEL_MODE_WORDS[link.mode] : ""}中断（${closure.reason}）`;
  }

  /** Shortest times from every node to `target` (links are the same either way). */
  shortestTo(target: number, respectClosures: boolean): Map<number, Reached> {
    const reached = new Map<number, Reached>([[target, { minutes: 0, via: null }]]);
    const done = new Set<number>();
    // 41 places: a linear scan for the nearest open node is simpler than a heap and as fast.
    for (;;) {
      let current: number | null = null;
      for (const [id, entry] of reached) if (!done.has(id) && (current === null || entry.minutes < reached.get(current)!.minutes)) current = id;
      if (current === null) return reached;
      done.add(current);
      const base = reached.get(current)!.minutes;
      for (const link of this.adjacency.get(current) ?? []) {
        if (respectClosures && this.closureOf(link)) continue;
        const other = link.fromNodeId === current ? link.toNodeId : link.fromNodeId;
        const minutes = base + link.minutes;
        const known = reached.get(other);
        // Ties keep the first found: nodes and links come in id order, so a table always gives the same route.
        if (!known || minutes < known.minutes) {
          reached.set(other, { minutes, via: { nodeId: current, link } });
        }
      }
    }
  }

  /** The legs from `start` to the target of `reached`. */
  legsFrom(start: number, reached: Map<number, Reached>): RouteLeg[] {
    const legs: RouteLeg[] = [];
    let at = start;
    for (let step = reached.get(at); step?.via; step = reached.get(at)) {
      const { link, nodeId } = step.via;
      legs.push({ fromNodeId: at, toNodeId: nodeId, linkId: link.id, mode: link.mode, minutes: link.minutes, waterway: link.waterway });
      at = nodeId;
    }
    return legs;
  }

  /** Routes to one destination, for any number of sources. */
  routesTo(destination: Place): RouteFinder {
    return new RouteFinder(this, destination);
  }
}

export class RouteFinder {
  private actual: Map<number, Reached> | null = null;
  private usual: Map<number, Reached> | null = null;
  constructor(
    private readonly graph: TravelGraph,
    readonly destination: Place,
  ) {}

  private reachedWith(respectClosures: boolean): Map<number, Reached> {
    const target = this.destination.nodeId!;
    if (respectClosures) return (this.actual ??= this.graph.shortestTo(target, true));
    return (this.usual ??= this.graph.shortestTo(target, false));
  }

  private pathText(start: number, legs: RouteLeg[]): string {
    let text = this.graph.nodeName(start);
    for (const leg of legs) text += `${leg.mode === TravelMode.WATER ? ` →〔水路·${leg.waterway ?? "水上"}〕→ ` : " → "}${this.graph.nodeName(leg.toNodeId)}`;
    return text;
  }

  /** How goods get from `source` to the destination now. */
  from(source: Place): Route {
    const destination = this.destination;
    const base = { legs: [], waterways: [], detour: null } as Pick<Route, "legs" | "waterways" | "detour">;
    if (source.townshipId !== null && source.townshipId === destination.townshipId) {
      return { ...base, reachable: true, minutes: localRoadMinutes(source.point, destination.point), local: true, offTable: false, path: "同乡镇（街道）内" };
    }
    if (source.nodeId === null || destination.nodeId === null || !this.graph.node(source.nodeId) || !this.graph.node(destination.nodeId)) {
      return { ...base, reachable: true, minutes: localRoadMinutes(source.point, destination.point), local: false, offTable: true, path: "不在通行时间表中，按直线距离估算" };
    }
    const startNode = this.graph.node(source.nodeId)!;
    const endNode = this.graph.node(destination.nodeId)!;
    const access = localRoadMinutes(source.point, startNode.point) + localRoadMinutes(endNode.point, destination.point);
    if (source.nodeId === destination.nodeId) {
      return { ...base, reachable: true, minutes: localRoadMinutes(source.point, destination.point), local: true, offTable: false, path: startNode.name };
    }
    const actual = this.reachedWith(true).get(source.nodeId);
    const usual = this.reachedWith(false).get(source.nodeId);
    const legs = actual ? this.graph.legsFrom(source.nodeId, this.reachedWith(true)) : [];
    let detour: string | null = null;
    if (usual && (!actual || actual.minutes > usual.minutes)) {
      for (const leg of this.graph.legsFrom(source.nodeId, this.reachedWith(false))) {
        const closure = this.graph.closureOf(this.graph.link(leg.linkId)!);
        if (closure) {
          detour = this.graph.describeClosure(closure);
          break;
        }
      }
    }
    if (!actual) {
      return { reachable: false, minutes: Infinity, legs: [], local: false, offTable: false, waterways: [], detour, path: "" };
    }
    const waterways = legs.filter((leg) => leg.mode === TravelMode.WATER).map((leg) => leg.waterway ?? "水上");
    return { reachable: true, minutes: access + actual.minutes, legs, local: false, offTable: false, waterways: [...new Set(waterways)], detour, path: this.pathText(source.nodeId, legs) };
  }
}
