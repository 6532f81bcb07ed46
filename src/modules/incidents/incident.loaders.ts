import DataLoader from "dataloader";
import type { Incident } from "./incident.entity";
import type { IncidentService } from "./incident.service";

export function createIncidentLoaders(service: IncidentService) {
  return {
    incidentById: new DataLoader<number, Incident | null>(service.byIds),
    incidentByCode: new DataLoader<string, Incident | null>(service.byCodes),
    regionIdsByIncident: new DataLoader<number, number[]>(service.regionIdsByIncident),
  };
}

export type IncidentLoaders = ReturnType<typeof createIncidentLoaders>;
