// Per-request batching for the reserve's relations, so nested queries (sites → stock →
// item → batches) cost a constant number of SQL statements however long the lists are.
import DataLoader from "dataloader";
import { groupByArguments } from "../../core/db/batch";
import { KnownValueLoader } from "../../core/graphql/known-value-loader";
import type { ReservesService } from "./reserves.service";
import type { StockQueryService, LevelFilter } from "./stock-query.service";
import type { StockBatch } from "./stock-batch.entity";
import type { StockLevel } from "./stock-level.entity";

export function createReservesLoaders(reserves: ReservesService, stock: StockQueryService) {
  const loaders = {
    siteById: new DataLoader((ids: readonly number[]) => reserves.sitesByIds(ids)),
    // Known values answer synchronously: see siteStockFirstPage and StockLevelResolver.item.
    itemById: new KnownValueLoader((ids: readonly number[]) => reserves.itemsByIds(ids)),
    partnerById: new DataLoader((ids: readonly number[]) => reserves.partnersByIds(ids)),
    siteByCode: new DataLoader((codes: readonly string[]) => reserves.sitesByCodes(codes)),
    itemByCode: new DataLoader((codes: readonly string[]) => reserves.itemsByCodes(codes)),
    partnerByCode: new DataLoader((codes: readonly string[]) => reserves.partnersByCodes(codes)),
    agreementsByPartner: new DataLoader((ids: readonly number[]) => reserves.agreementsByPartners(ids)),
    capacitiesByPartner: new DataLoader((ids: readonly number[]) => reserves.capacitiesByPartners(ids)),
    agreementById: new DataLoader((ids: readonly number[]) => reserves.agreementsByIds(ids)),
    capacityById: new DataLoader((ids: readonly number[]) => reserves.capacitiesByIds(ids)),
    levelById: new DataLoader((ids: readonly number[]) => stock.levelsByIds(ids)),
    batchById: new DataLoader((ids: readonly number[]) => stock.batchesByIds(ids)),
    movementById: new DataLoader((ids: readonly number[]) => stock.movementsByIds(ids)),
    belowMinimumBySite: new DataLoader((ids: readonly number[]) => stock.belowMinimumCounts(ids)),
    /** Units in transit to a site × item (StockLevel.inTransit), keyed "siteId:itemId". */
    inTransitByLevel: new DataLoader(async (keys: readonly string[]) => {
      const parsed = keys.map((key) => key.split(":").map(Number)).map(([siteId, itemId]) => ({ siteId, itemId }));
      return stock.inTransitByLevels(parsed);
    }),
    /** Level of a site × item, keyed "siteId:itemId". */
    levelBySiteItem: new DataLoader(async (keys: readonly string[]) => {
      const parsed = keys.map((key) => key.split(":").map(Number)).map(([siteId, itemId]) => ({ siteId, itemId }));
      return stock.levelsByKeys(parsed);
    }),
    /** Batches of a level, keyed "siteId:itemId|includeEmpty". */
    batchesByLevel: new DataLoader(async (keys: readonly string[]): Promise<StockBatch[][]> => {
      const results = new Map<string, StockBatch[]>();
      for (const includeEmpty of [false, true]) {
        const group = keys.filter((key) => key.endsWith(`|${includeEmpty}`));
        if (!group.length) continue;
        const levelKeys = group.map((key) => key.split("|")[0].split(":").map(Number)).map(([siteId, itemId]) => ({ siteId, itemId }));
        const batches = await stock.batchesByLevels(levelKeys, includeEmpty);
        group.forEach((key, i) => results.set(key, batches[i]));
      }
      return keys.map((key) => results.get(key)!);
    }),
    /**
     * First page of a site's stock levels, keyed "siteId|limit|filter JSON"; one query per distinct
     * limit and filter. The levels' items are fetched with them (one more statement for the whole
     * page), so each level's `item` resolves synchronously: a dashboard of thousands of levels
     * then completes without a promise per level (bench/RESULTS.md, "A site's first stock page
     * brings its items").
     */
    siteStockFirstPage: new DataLoader(async (keys: readonly string[]) => {
      const pages = new Map<string, { rows: StockLevel[]; total: number }>();
      for (const [group, siteIds] of groupByArguments(keys)) {
        const separator = group.indexOf("|");
        const limit = Number(group.slice(0, separator));
        const filter = JSON.parse(group.slice(separator + 1)) as LevelFilter;
        const result = await stock.siteStockPages(siteIds, limit, filter);
        for (const [siteId, page] of result) pages.set(`${siteId}|${group}`, page);
      }
      await loaders.itemById.loadMany([...new Set([...pages.values()].flatMap((page) => page.rows.map((level) => level.itemId)))]);
      return keys.map((key) => pages.get(key)!);
    }),
  };
  return loaders;
}

export type ReservesLoaders = ReturnType<typeof createReservesLoaders>;
