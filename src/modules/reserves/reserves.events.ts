// stockLevelChanged: what travels on the event bus (in-process or Redis, so plain JSON) and
// how a subscriber's filter matches it. Events are published only after COMMIT, with the
// level as it stands right after that commit, read once per change and shared by every
// subscriber (no per-subscriber query, so fan-out to many dashboards stays cheap).
import type { SiteTier, StockChangeCause } from "./reserves.enums";
import { StockLevel } from "./stock-level.entity";

export const STOCK_LEVEL_CHANGED = "STOCK_LEVEL_CHANGED";

export interface StockLevelChangedEvent {
  level: {
    id: number;
    districtId: number;
    siteId: number;
    itemId: number;
    minimumQuantity: number;
    onHand: number;
    reserved: number;
    earliestExpiry: string | null;
    /** In transit to the site (在途), read with the level. */
    inTransit: number;
    updatedAt: string;
  };
  /** Materialised path of the site's region, for region filters ("/1/7/123/"). */
  siteRegionPath: string;
  siteTier: SiteTier;
  causes: StockChangeCause[];
  operationIds: string[];
  /** Time the level was read: a subscriber may drop an event older than one it already has. */
  asOf: string;
}

export interface StockLevelFilter {
  siteId?: number;
  regionId?: number;
  tier?: SiteTier;
  itemId?: number;
}

export function matchesStockLevelFilter(event: StockLevelChangedEvent, filter: StockLevelFilter): boolean {
  if (filter.siteId !== undefined && event.level.siteId !== filter.siteId) return false;
  if (filter.itemId !== undefined && event.level.itemId !== filter.itemId) return false;
  if (filter.tier !== undefined && event.siteTier !== filter.tier) return false;
  if (filter.regionId !== undefined && !event.siteRegionPath.includes(`/${filter.regionId}/`)) return false;
  return true;
}

export function levelFromEvent(event: StockLevelChangedEvent): StockLevel {
  return Object.assign(new StockLevel(), { ...event.level, updatedAt: new Date(event.level.updatedAt) });
}
