// One set of DataLoaders per request (never shared: their caches would leak between users).
// Created lazily, so a request pays only for the loaders it uses.
import type { Services } from "./services";
import { createIncidentLoaders, type IncidentLoaders } from "./modules/incidents/incident.loaders";
import { createRegionLoaders, type RegionLoaders } from "./modules/regions/region.loaders";
import { createReservesLoaders, type ReservesLoaders } from "./modules/reserves/reserves.loaders";
import { createTeamLoaders, type TeamLoaders } from "./modules/teams/team.loaders";
import { createDispatchLoaders, type DispatchLoaders } from "./modules/dispatch/dispatch.loaders";
import { createRequestLoaders, type RequestLoaders } from "./modules/requests/supply-request.loaders";
import { createRouteLoaders, type RouteLoaders } from "./modules/routes/routes.loaders";
import { createFieldLoaders, type FieldLoaders } from "./modules/field/field.loaders";
import { createShelterLoaders, type ShelterLoaders } from "./modules/shelters/shelter.loaders";
import { createTransportLoaders, type TransportLoaders } from "./modules/transport/transport.loaders";

export interface Loaders {
  regions: RegionLoaders;
  incidents: IncidentLoaders;
  reserves: ReservesLoaders;
  teams: TeamLoaders;
  dispatch: DispatchLoaders;
  requests: RequestLoaders;
  routes: RouteLoaders;
  field: FieldLoaders;
  shelters: ShelterLoaders;
  transport: TransportLoaders;
}

export function createLoaders(services: Services): Loaders {
  const cache: Partial<Loaders> = {};
  return {
    get regions() {
      return (cache.regions ??= createRegionLoaders(services.regions));
    },
    get incidents() {
      return (cache.incidents ??= createIncidentLoaders(services.incidents));
    },
    get reserves() {
      return (cache.reserves ??= createReservesLoaders(services.reserves, services.stock.queries));
    },
    get teams() {
      return (cache.teams ??= createTeamLoaders(services));
    },
    get dispatch() {
      return (cache.dispatch ??= createDispatchLoaders(services));
    },
    get requests() {
      return (cache.requests ??= createRequestLoaders(services));
    },
    get routes() {
      return (cache.routes ??= createRouteLoaders(services.routes));
    },
    get field() {
      return (cache.field ??= createFieldLoaders(services));
    },
    get shelters() {
      return (cache.shelters ??= createShelterLoaders(services));
    },
    get transport() {
      return (cache.transport ??= createTransportLoaders(services));
    },
  };
}

/**
 * A subscription keeps one context for all its events, so its loaders would serve the first
 * event's rows to every later one. Subscription resolvers call this first, per event: events of
 * one subscription are executed one after another, so each gets loaders of its own.
 *
 * The loaders are the event's, shared by every execution of it (one per group of equal
 * subscribers, core/live/subscription-fanout.ts): loaders take no actor — what they cache is the same
 * for everyone, and authorization and masking happen in the field resolvers — so the site and
 * item of a stock change are read once per event, not once per group (bench S4).
 */
const loadersOfEvent = new WeakMap<object, Loaders>();

export function freshLoadersForEvent(context: { services: Services; loaders: Loaders }, event: object): Loaders {
  let loaders = loadersOfEvent.get(event);
  if (!loaders) loadersOfEvent.set(event, (loaders = createLoaders(context.services)));
  context.loaders = loaders;
  return loaders;
}
