// Per-request batching for region relations, so nested queries cost a constant number of
// SQL statements however long the lists are.
import DataLoader from "dataloader";
import type { Region } from "./region.entity";
import type { RegionService } from "./region.service";

export function createRegionLoaders(service: RegionService) {
  return {
    regionById: new DataLoader<number, Region | null>((ids) => service.byIds(ids)),
    regionByCode: new DataLoader<string, Region | null>((codes) => service.byCodes(codes)),
    /** First page of children per parent; keyed by "parentId:limit". */
    firstChildren: new DataLoader<string, { rows: Region[]; total: number }>(async (keys) => {
      const byLimit = new Map<number, number[]>();
      for (const key of keys) {
        const [parentId, limit] = key.split(":").map(Number);
        byLimit.set(limit, [...(byLimit.get(limit) ?? []), parentId]);
      }
      const pages = new Map<string, { rows: Region[]; total: number }>();
      for (const [limit, parentIds] of byLimit) {
        const result = await service.childrenPages(parentIds, limit);
        for (const [parentId, page] of result) pages.set(`${parentId}:${limit}`, page);
      }
      return keys.map((key) => pages.get(key)!);
    }),
  };
}

export type RegionLoaders = ReturnType<typeof createRegionLoaders>;
