// Per-request batching for shelters, their openings and last reports, the register's entries,
// lines and reversals: each relation costs one SQL statement per request, whatever the page size.
import DataLoader from "dataloader";
import type { DistributionService } from "./distribution.service";
import type { Distribution, DistributionLine, OccupancyReport, RationLine, Shelter, ShelterOpening } from "./shelter.entity";
import type { ShelterService } from "./shelter.service";

export function createShelterLoaders(services: { shelters: ShelterService; distributions: DistributionService }) {
  const { shelters, distributions } = services;
  return {
    shelterById: new DataLoader<number, Shelter | null>(shelters.byIds),
    shelterByCode: new DataLoader<string, Shelter | null>(shelters.byCodes),
    shelterBySite: new DataLoader<number, Shelter | null>(shelters.bySiteIds),
    latestReportByShelter: new DataLoader<number, OccupancyReport | null>(shelters.latestReports),
    openingsByShelter: new DataLoader<number, ShelterOpening[]>(shelters.openingsByShelters),
    reportById: new DataLoader<number, OccupancyReport | null>(shelters.reportsByIds),
    openingById: new DataLoader<number, ShelterOpening | null>(shelters.openingsByIds),
    rationLineById: new DataLoader<number, RationLine | null>(shelters.rationLinesByIds),
    distributionById: new DataLoader<number, Distribution | null>(distributions.byIds),
    distributionLineById: new DataLoader<number, DistributionLine | null>(distributions.linesByIds),
    linesByDistribution: new DataLoader<number, DistributionLine[]>(distributions.linesByDistributions),
    reversalOf: new DataLoader<number, Distribution | null>(distributions.reversalsOf),
  };
}

export type ShelterLoaders = ReturnType<typeof createShelterLoaders>;
