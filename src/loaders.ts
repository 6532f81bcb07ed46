// One set of DataLoaders per request (never shared: their caches would leak between users).
// Created lazily, so a request pays only for the loaders it uses.
import type { Services } from "./services";
import { createRegionLoaders, type RegionLoaders } from "./modules/regions/region.loaders";
import { createTeamLoaders, type TeamLoaders } from "./modules/teams/team.loaders";

export interface Loaders {
  regions: RegionLoaders;
  teams: TeamLoaders;
}

export function createLoaders(services: Services): Loaders {
  const cache: Partial<Loaders> = {};
  return {
    get regions() {
      return (cache.regions ??= createRegionLoaders(services.regions));
    },
    get teams() {
      return (cache.teams ??= createTeamLoaders(services));
    },
  };
}
