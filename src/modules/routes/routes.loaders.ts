// Per-request batching for the travel-time table's relations.
import DataLoader from "dataloader";
import type { RoadClosure, RouteNode, TravelLink } from "./route.entity";
import type { RouteService } from "./routes.service";

export function createRouteLoaders(service: RouteService) {
  return {
    nodeById: new DataLoader<number, RouteNode | null>(service.nodesByIds),
    nodeByCode: new DataLoader<string, RouteNode | null>(service.nodesByCodes),
    linkById: new DataLoader<number, TravelLink | null>(service.linksByIds),
    closureById: new DataLoader<number, RoadClosure | null>(service.closuresByIds),
    /** The closure cutting a place off by road now, if any. */
    activeClosureOfNode: new DataLoader<number, RoadClosure | null>(service.activeNodeClosures),
    /** What closes a link now: its own closure, or a road's end cut off. */
    activeClosureOfLink: new DataLoader<number, RoadClosure | null>(service.activeLinkClosures),
  };
}

export type RouteLoaders = ReturnType<typeof createRouteLoaders>;
