// The shelter module's services: the registry and needs, the distribution register, the exports.
import type { DataSource } from "typeorm";
import type { EventBus } from "../../core/live/pubsub";
import type { IncidentService } from "../incidents/incident.service";
import type { StockLedger } from "../reserves/stock-ledger";
import type { SupplyRequestService } from "../requests/supply-request.service";
import { DistributionService } from "./distribution.service";
import { ShelterExports } from "./shelter.exports";
import { ShelterService } from "./shelter.service";

export function createShelterServices(dataSource: DataSource, events: EventBus, services: { stock: StockLedger; incidents: IncidentService; requests: SupplyRequestService }) {
  const shelters = new ShelterService(dataSource, events, services.stock.queries, services.incidents, services.requests);
  return {
    shelters,
    distributions: new DistributionService(dataSource, services.stock, shelters),
    shelterExports: new ShelterExports(dataSource),
  };
}
