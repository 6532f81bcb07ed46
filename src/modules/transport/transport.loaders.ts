// Per-request batching for transport: whatever the length of a list, each relation costs one
// SQL statement per request.
import DataLoader from "dataloader";
import type { ItemTransportMeasure, LogisticsPartner, TransportResource } from "./transport.entity";
import type { GreenChannelPass } from "./pass.entity";
import type { Requisition, Settlement } from "./requisition.entity";
import type { TransportTrip, TripVehicle } from "./trip.entity";
import type { createTransportServices } from "./transport-services";

export function createTransportLoaders(services: ReturnType<typeof createTransportServices>) {
  const { transport, trips, passes, requisitions } = services;
  return {
    resourceById: new DataLoader<number, TransportResource | null>(transport.resourcesByIds),
    resourceByCode: new DataLoader<string, TransportResource | null>(transport.resourcesByCodes),
    partnerById: new DataLoader<number, LogisticsPartner | null>(transport.partnersByIds),
    partnerByCode: new DataLoader<string, LogisticsPartner | null>(transport.partnersByCodes),
    vehiclesByPartner: new DataLoader<number, TransportResource[]>(transport.vehiclesByPartners),
    measureByItem: new DataLoader<number, ItemTransportMeasure | null>(transport.measuresByItems),
    tripById: new DataLoader<number, TransportTrip | null>(trips.byIds),
    tripByCode: new DataLoader<string, TransportTrip | null>(trips.byCodes),
    vehiclesByTrip: new DataLoader<number, TripVehicle[]>(trips.vehiclesByTrips),
    orderIdsByTrip: new DataLoader<number, number[]>(trips.orderIdsByTrips),
    tripsByOrder: new DataLoader<number, TransportTrip[]>(trips.tripsByOrders),
    passById: new DataLoader<number, GreenChannelPass | null>(passes.byIds),
    regionIdsByPass: new DataLoader<number, number[]>(passes.regionIdsByPasses),
    requisitionById: new DataLoader<number, Requisition | null>(requisitions.byIds),
    requisitionByCode: new DataLoader<string, Requisition | null>(requisitions.byCodes),
    settlementById: new DataLoader<number, Settlement | null>(requisitions.settlementsByIds),
    settlementByRequisition: new DataLoader<number, Settlement | null>(requisitions.settlementsByRequisitions),
  };
}

export type TransportLoaders = ReturnType<typeof createTransportLoaders>;
