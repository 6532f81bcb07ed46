// The services of every module, created once at start-up and shared by all requests.
// Resolvers reach them through the GraphQL context; services own their transactions.
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import type { EventBus } from "./core/pubsub";
import { RegionService } from "./modules/regions/region.service";

export function createServices(dataSource: DataSource, events: EventBus, config: Config) {
  return {
    regions: new RegionService(dataSource),
  };
}

export type Services = ReturnType<typeof createServices>;
