// The transport module's services, wired once at start-up. src/services.ts spreads them into the
// shared services; dispatch gets `trips` as the pass check it runs at markDispatched.
import type { DataSource } from "typeorm";
import type { EventBus } from "../../core/live/pubsub";
import type { IncidentService } from "../incidents/incident.service";
import type { RouteService } from "../routes/routes.service";
import { PassService } from "./passes.service";
import { RequisitionService } from "./requisitions.service";
import { TransportService } from "./transport.service";
import { TripService } from "./trips.service";

export function createTransportServices(dataSource: DataSource, events: EventBus, services: { incidents: IncidentService; routes: RouteService }) {
  const transport = new TransportService(dataSource, events);
  const passes = new PassService(dataSource, transport);
  return {
    transport,
    passes,
    trips: new TripService(dataSource, transport, passes, services.routes),
    requisitions: new RequisitionService(dataSource, transport, services.incidents),
  };
}
