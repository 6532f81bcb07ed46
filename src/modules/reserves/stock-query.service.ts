// Reads of stock for dashboards: levels (site × item) summed from batches, batches, the
// ledger, the district summary, alerts and the ledger check. Every list is one SQL statement
// (plus a lazy count); per-parent lists are batched with window functions, never looped.
import type { DataSource, EntityManager } from "typeorm";
import { inKeyOrder, rowsByIds } from "../../core/db/batch";
import { badUserInput } from "../../core/graphql/errors";
import { inList, prepared, valuesRows } from "../../core/db/prepared";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs, type ResolvedOrder } from "../../core/graphql/relay";
import { STOCK_ALERT_ORDER, STOCK_LEVEL_ORDER, STOCK_MOVEMENT_ORDER, type StockAlertOrderField, type StockLevelOrderField, type StockMovementOrderField } from "./reserves.orders";
import { CATEGORY_DIGIT, SiteTier, StockAlertKind } from "./reserves.enums";
import type { StockAlertWhere, StockLevelWhere, StockMovementWhere, StockSummaryWhere } from "./reserves.inputs";
import {
  ItemStockSummary,
  LedgerDiscrepancy,
  StockAlert,
  StockAlertConnection,
  StockLevelConnection,
  StockMovementConnection,
  StockTotals,
  TownshipStockTotals,
} from "./reserves.types";
import { daysFromToday, LOCAL_TODAY_SQL } from "../../core/db/local-date";
import { rawKeysetPage, SqlFilter } from "./sql";
import { StockBatch } from "./stock-batch.entity";
import { StockLevel } from "./stock-level.entity";
import { StockMovement } from "./stock-movement.entity";
import { subtreeCondition } from "../regions/region.service";

/** On hand and reserved of a level are summed from its batches (UQ_stock_batch_site_item_batch serves the lookup). */
const LEVEL_AGGREGATE = `CROSS JOIN LATERAL (
    SELECT coalesce(sum(b.on_hand), 0)::int AS on_hand, coalesce(sum(b.reserved), 0)::int AS reserved,
           min(b.expiry_date) FILTER (WHERE b.on_hand > 0) AS earliest_expiry
    FROM stock_batch b WHERE b.site_id = l.site_id AND b.item_id = l.item_id) a`;
const LEVEL_COLUMNS = `l.id, l.district_id, l.site_id, l.item_id, l.minimum_quantity, l.updated_at, a.on_hand, a.reserved, a.earliest_expiry::text AS earliest_expiry`;

/**
 * 在途 In transit: the lines of dispatch orders under way to a storage site, and their units
 * neither received, turned back nor written off short. Computed from the orders rather than kept
 * on the level, so that the order lines stay the one record of what is on the road (as the
 * batches are of what is on hand). The dispatch module owns these tables; the reserve reads
 * them by SQL only and imports nothing from it (as stock_movement names its order). The partial
 * index IDX_dispatch_order_in_transit holds just the orders under way.
 */
const IN_TRANSIT_LINES = `dispatch_order o JOIN dispatch_order_line dl ON dl.order_id = o.id
  WHERE o.status IN ('DISPATCHED', 'DELIVERED') AND o.destination_site_id IS NOT NULL`;
const IN_TRANSIT_UNITS = `dl.dispatched_quantity - dl.delivered_quantity - dl.short_quantity - dl.turned_back_quantity`;
/** A level's in-transit units (the level's alias is `l`). */
const LEVEL_IN_TRANSIT = `CROSS JOIN LATERAL (
    SELECT coalesce(sum(${IN_TRANSIT_UNITS}), 0)::int AS in_transit
    FROM ${IN_TRANSIT_LINES} AND o.destination_site_id = l.site_id AND dl.item_id = l.item_id) it`;

/** Batch columns (alias `b`) with dates as text: pg would turn a `date` into a local-midnight Date. Read the rows with batchFromRow. */
export const BATCH_COLUMNS = `b.id, b.district_id, b.site_id, b.item_id, b.batch_number, b.production_date::text AS production_date,
  b.expiry_date::text AS expiry_date, b.reserve_mode, b.on_hand, b.reserved, b.created_at, b.updated_at`;

export interface LevelKey {
  siteId: number;
  itemId: number;
}

export const levelKey = (siteId: number, itemId: number) => `${siteId}:${itemId}`;

/** A level filter with ids already decoded. */
export interface LevelFilter {
  siteId?: number;
  siteIds?: number[];
  regionId?: number;
  tier?: SiteTier;
  itemId?: number;
  itemIds?: number[];
  categoryDigit?: string;
  belowMinimum?: boolean;
  expiringWithinDays?: number;
}

/** A batch that allocation may draw on, with what the planner needs to rank its site. */
export interface AllocatableBatch {
  batchId: number;
  siteId: number;
  itemId: number;
  batchNumber: string;
  expiryDate: string | null;
  reserveMode: StockBatch["reserveMode"];
  /** on hand − reserved of this batch. */
  available: number;
  siteTier: SiteTier;
  siteLatitude: number;
  siteLongitude: number;
  siteRegionPath: string;
  districtId: number;
  /** The site's minimum (最低库存) for the item. */
  siteMinimum: number;
  /** The site's available stock of the item over its allocatable batches. */
  siteAvailable: number;
}

export interface LevelWithSite {
  level: StockLevel;
  siteRegionPath: string;
  siteTier: SiteTier;
  asOf: Date;
}

/** Units in transit to one site, all items (a site is closed only when nothing is on its way to it). */
export async function inTransitToSite(manager: EntityManager, siteId: number): Promise<number> {
  const [row] = await manager.query(`SELECT coalesce(sum(${IN_TRANSIT_UNITS}), 0)::int AS in_transit FROM ${IN_TRANSIT_LINES} AND o.destination_site_id = $1`, [siteId]);
  return row.in_transit as number;
}

function checkDays(days: number | null | undefined, field: string): number | undefined {
  if (days === null || days === undefined) return undefined;
  if (!Number.isInteger(days) || days < 0 || days > 3650) throw badUserInput(field, "reserves.mustBeBetweenAndDays", { days });
  return days;
}

/** `region.path` contains the region: the region itself and everything below it. */
function regionCondition(filter: SqlFilter, pathColumn: string, regionId: number): string {
  return subtreeCondition(pathColumn, `${filter.param(regionId)}::int`);
}

export class StockQueryService {
  constructor(private readonly dataSource: DataSource) {}

  // ------------------------------------------------------------ levels

  levelFromRow(row: Record<string, unknown>): StockLevel {
    return Object.assign(new StockLevel(), {
      id: row.id as number,
      districtId: row.district_id as number,
      siteId: row.site_id as number,
      itemId: row.item_id as number,
      minimumQuantity: row.minimum_quantity as number,
      updatedAt: row.updated_at as Date,
      onHand: Number(row.on_hand),
      reserved: Number(row.reserved),
      earliestExpiry: (row.earliest_expiry as string | null) ?? null,
      // Read only where asked for (events); elsewhere StockLevel.inTransit loads it when selected.
      inTransit: row.in_transit === undefined ? undefined : Number(row.in_transit),
    });
  }

  /**
   * In-transit units of levels (site × item), one statement for many: StockLevel.inTransit when
   * a query selects it. Level reads do not compute it themselves, so the reads that do not ask
   * for it (the wall, the site pages) cost what they did before levels had it.
   */
  async inTransitByLevels(keys: readonly LevelKey[]): Promise<number[]> {
    if (!keys.length) return [];
    const rows: Array<{ site_id: number; item_id: number; in_transit: number }> = await this.dataSource.query(
      `SELECT o.destination_site_id AS site_id, dl.item_id, sum(${IN_TRANSIT_UNITS})::int AS in_transit
       FROM ${IN_TRANSIT_LINES} AND o.destination_site_id = ANY($1::int[])
       GROUP BY o.destination_site_id, dl.item_id`,
      [[...new Set(keys.map((key) => key.siteId))]],
    );
    const byKey = new Map(rows.map((row) => [levelKey(row.site_id, row.item_id), row.in_transit]));
    return keys.map((key) => byKey.get(levelKey(key.siteId, key.itemId)) ?? 0);
  }

  parseLevelWhere(where: StockLevelWhere | null | undefined): LevelFilter {
    if (!where) return {};
    return {
      siteId: where.siteId ? parseGlobalId(where.siteId, "StorageSite", "where.siteId") : undefined,
      regionId: where.regionId ? parseGlobalId(where.regionId, "Region", "where.regionId") : undefined,
      tier: where.tier ?? undefined,
      itemId: where.itemId ? parseGlobalId(where.itemId, "SupplyItem", "where.itemId") : undefined,
      categoryDigit: where.category ? CATEGORY_DIGIT[where.category] : undefined,
      belowMinimum: where.belowMinimum ?? undefined,
      expiringWithinDays: checkDays(where.expiringWithinDays, "where.expiringWithinDays"),
    };
  }

  private applyLevelFilter(filter: SqlFilter, where: LevelFilter): SqlFilter {
    if (where.siteId !== undefined) filter.where(`l.site_id = ${filter.param(where.siteId)}`);
    if (where.siteIds) filter.where(`l.site_id = ANY(${filter.param(where.siteIds)}::int[])`);
    if (where.itemId !== undefined) filter.where(`l.item_id = ${filter.param(where.itemId)}`);
    if (where.itemIds) filter.where(`l.item_id = ANY(${filter.param(where.itemIds)}::int[])`);
    if (where.tier !== undefined || where.regionId !== undefined) {
      const siteConditions: string[] = [];
      if (where.tier !== undefined) siteConditions.push(`s.tier = ${filter.param(where.tier)}`);
      if (where.regionId !== undefined) siteConditions.push(regionCondition(filter, "r.path", where.regionId));
      filter.where(`l.site_id IN (SELECT s.id FROM storage_site s JOIN region r ON r.id = s.region_id WHERE ${siteConditions.join(" AND ")})`);
    }
    if (where.categoryDigit !== undefined) filter.where(`l.item_id IN (SELECT i.id FROM supply_item i WHERE i.code LIKE ${filter.param(`${where.categoryDigit}%`)})`);
    if (where.belowMinimum === true) filter.where(`a.on_hand - a.reserved < l.minimum_quantity`);
    if (where.belowMinimum === false) filter.where(`a.on_hand - a.reserved >= l.minimum_quantity`);
    if (where.expiringWithinDays !== undefined) filter.where(`a.earliest_expiry <= ${LOCAL_TODAY_SQL} + ${filter.param(where.expiringWithinDays)}::int`);
    return filter;
  }

  listLevels(where: LevelFilter, page: PageArgs, orderBy?: OrderTerm<StockLevelOrderField>[] | null, manager: EntityManager = this.dataSource.manager): Promise<Connection<StockLevel>> {
    // Counting needs the per-level sums only when a condition is on them.
    const countNeedsSums = where.belowMinimum !== undefined || where.expiringWithinDays !== undefined;
    return rawKeysetPage(
      manager,
      {
        select: `SELECT ${LEVEL_COLUMNS} FROM stock_level l ${LEVEL_AGGREGATE}`,
        count: `SELECT count(*)::int AS count FROM stock_level l ${countNeedsSums ? LEVEL_AGGREGATE : ""}`,
        filter: this.applyLevelFilter(new SqlFilter(), where),
        order: STOCK_LEVEL_ORDER.sorting.resolve(orderBy) as ResolvedOrder<StockLevel>,
        map: (row) => this.levelFromRow(row),
      },
      page,
      StockLevelConnection,
    );
  }

  async levelsByIds(ids: readonly number[], manager: EntityManager = this.dataSource.manager): Promise<(StockLevel | null)[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${LEVEL_COLUMNS} FROM stock_level l ${LEVEL_AGGREGATE} WHERE l.id = ANY($1::int[])`, [[...ids]]);
    return inKeyOrder(ids, rows.map((row) => this.levelFromRow(row)));
  }

  async levelsByKeys(keys: readonly LevelKey[]): Promise<(StockLevel | null)[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${LEVEL_COLUMNS} FROM stock_level l ${LEVEL_AGGREGATE}
       WHERE (l.site_id, l.item_id) IN (SELECT * FROM unnest($1::int[], $2::int[]))`,
      [keys.map((k) => k.siteId), keys.map((k) => k.itemId)],
    );
    const byKey = new Map(rows.map((row) => [levelKey(row.site_id as number, row.item_id as number), this.levelFromRow(row)]));
    return keys.map((k) => byKey.get(levelKey(k.siteId, k.itemId)) ?? null);
  }

  /**
   * The statement that reads levels for their events (what subscribers are told), prepared, with
   * scalar parameters: it runs behind every stock commit (stock-level-events.ts), and planning it
   * cost more than running it (core/db/prepared.ts). Read its rows with levelsFromEventRows.
   */
  levelsForEventsStatement(keys: readonly LevelKey[]): { sql: string; params: unknown[] } {
    const [values, params] = valuesRows(keys.map((k) => [k.siteId, k.itemId]), ["int", "int"]);
    return {
      sql: `SELECT ${LEVEL_COLUMNS}, it.in_transit, s.tier AS site_tier, r.path AS site_region_path, clock_timestamp() AS as_of
       FROM stock_level l ${LEVEL_AGGREGATE} ${LEVEL_IN_TRANSIT}
       JOIN storage_site s ON s.id = l.site_id JOIN region r ON r.id = s.region_id
       WHERE ${keys.length === 1 ? "l.site_id = $1::int AND l.item_id = $2::int" : `(l.site_id, l.item_id) IN (SELECT * FROM ${values} AS k(site_id, item_id))`}
       ORDER BY l.site_id, l.item_id`,
      params,
    };
  }

  levelsFromEventRows(rows: ReadonlyArray<Record<string, unknown>>): LevelWithSite[] {
    return rows.map((row) => ({
      level: this.levelFromRow(row),
      siteTier: row.site_tier as SiteTier,
      siteRegionPath: row.site_region_path as string,
      asOf: row.as_of as Date,
    }));
  }

  /** Levels with their site's region path and tier, as stockLevelChanged carries them, on `source` (a transaction's manager or a pooled connection). */
  async levelsForEvents(keys: readonly LevelKey[], source: DataSource | EntityManager): Promise<LevelWithSite[]> {
    if (!keys.length) return [];
    const { sql, params } = this.levelsForEventsStatement(keys);
    return this.levelsFromEventRows(await prepared(source, sql, params));
  }

  /**
   * The first page of levels of each of several sites in one statement: a window function
   * numbers each site's levels, so a page of N sites asking for their stock costs one query.
   */
  async siteStockPages(siteIds: readonly number[], limit: number, where: LevelFilter): Promise<Map<number, { rows: StockLevel[]; total: number }>> {
    const filter = this.applyLevelFilter(new SqlFilter(), { ...where, siteIds: [...siteIds] });
    const raw: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${LEVEL_COLUMNS}, row_number() OVER (PARTITION BY l.site_id ORDER BY l.item_id) AS position,
                count(*) OVER (PARTITION BY l.site_id) AS total
         FROM stock_level l ${LEVEL_AGGREGATE} ${filter.clause()}
       ) numbered WHERE position <= ${filter.param(limit)} ORDER BY site_id, position`,
      filter.params,
    );
    const result = new Map<number, { rows: StockLevel[]; total: number }>(siteIds.map((id) => [id, { rows: [], total: 0 }]));
    for (const row of raw) {
      const entry = result.get(row.site_id as number)!;
      entry.total = Number(row.total);
      entry.rows.push(this.levelFromRow(row));
    }
    return result;
  }

  /** How many items each site holds below its minimum (the map's status colour), one statement for many sites. */
  async belowMinimumCounts(siteIds: readonly number[]): Promise<number[]> {
    const rows: Array<{ site_id: number; count: number }> = await this.dataSource.query(
      `SELECT l.site_id, count(*)::int AS count FROM stock_level l ${LEVEL_AGGREGATE}
       WHERE l.site_id = ANY($1::int[]) AND a.on_hand - a.reserved < l.minimum_quantity GROUP BY l.site_id`,
      [[...siteIds]],
    );
    const bySite = new Map(rows.map((row) => [row.site_id, row.count]));
    return siteIds.map((id) => bySite.get(id) ?? 0);
  }

  // ------------------------------------------------------------ batches

  batchFromRow(row: Record<string, unknown>): StockBatch {
    return Object.assign(new StockBatch(), {
      id: row.id as number,
      districtId: row.district_id as number,
      siteId: row.site_id as number,
      itemId: row.item_id as number,
      batchNumber: row.batch_number as string,
      productionDate: (row.production_date as string | null) ?? null,
      expiryDate: (row.expiry_date as string | null) ?? null,
      reserveMode: row.reserve_mode as StockBatch["reserveMode"],
      onHand: row.on_hand as number,
      reserved: row.reserved as number,
      createdAt: row.created_at as Date,
      updatedAt: row.updated_at as Date,
    });
  }

  async batchesByIds(ids: readonly number[], manager: EntityManager = this.dataSource.manager): Promise<(StockBatch | null)[]> {
    const [condition, params] = inList("b.id", ids, "int");
    const rows = await prepared(manager, `SELECT ${BATCH_COLUMNS} FROM stock_batch b WHERE ${condition}`, params);
    return inKeyOrder(ids, rows.map((row) => this.batchFromRow(row)));
  }

  /** The batch staff name by its site's code, its item's code and its batch number (unique together); null if there is none. */
  async batchByNumber(siteCode: string, itemCode: string, batchNumber: string): Promise<StockBatch | null> {
    const rows = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM stock_batch b
       JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id
       WHERE s.code = $1 AND i.code = $2 AND b.batch_number = $3`,
      [siteCode, itemCode, batchNumber],
    );
    return rows.length ? this.batchFromRow(rows[0]) : null;
  }

  /** Batches of several levels in one statement, earliest expiry first (FEFO order). */
  async batchesByLevels(keys: readonly LevelKey[], includeEmpty: boolean): Promise<StockBatch[][]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM stock_batch b
       WHERE (b.site_id, b.item_id) IN (SELECT * FROM unnest($1::int[], $2::int[])) ${includeEmpty ? "" : "AND b.on_hand > 0"}
       ORDER BY b.expiry_date NULLS LAST, b.batch_number, b.id`,
      [keys.map((k) => k.siteId), keys.map((k) => k.itemId)],
    );
    const byKey = new Map<string, StockBatch[]>();
    for (const row of rows) {
      const key = levelKey(row.site_id as number, row.item_id as number);
      byKey.set(key, [...(byKey.get(key) ?? []), this.batchFromRow(row)]);
    }
    return keys.map((k) => byKey.get(levelKey(k.siteId, k.itemId)) ?? []);
  }

  /**
   * For allocation planning (dispatch orders): every batch of the given items that could be
   * sent now — available stock, not expired, at a site that is not closed — with its site's
   * tier, point and region path, the site's minimum for the item and the site's available
   * stock of the item over such batches. One statement; nothing is locked (reserve() re-checks
   * under lock). Ordered by site, item, then earliest expiry first (FEFO).
   */
  async allocatableBatches(itemIds: readonly number[], manager: EntityManager = this.dataSource.manager): Promise<AllocatableBatch[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT b.id AS batch_id, b.site_id, b.item_id, b.batch_number, b.expiry_date::text AS expiry_date, b.reserve_mode,
              b.on_hand - b.reserved AS available, s.tier, s.latitude, s.longitude, r.path AS region_path, s.district_id,
              l.minimum_quantity, sum(b.on_hand - b.reserved) OVER (PARTITION BY b.site_id, b.item_id)::int AS site_available
       FROM stock_batch b
       JOIN stock_level l ON l.site_id = b.site_id AND l.item_id = b.item_id
       JOIN storage_site s ON s.id = b.site_id
       JOIN region r ON r.id = s.region_id
       WHERE b.item_id = ANY($1::int[]) AND b.on_hand > b.reserved AND s.status <> 'CLOSED' AND s.tier <> 'SHELTER'
         AND (b.expiry_date IS NULL OR b.expiry_date >= ${LOCAL_TODAY_SQL})
       ORDER BY b.site_id, b.item_id, b.expiry_date NULLS LAST, b.batch_number`,
      [[...itemIds]],
    );
    return rows.map((row) => ({
      batchId: row.batch_id as number,
      siteId: row.site_id as number,
      itemId: row.item_id as number,
      batchNumber: row.batch_number as string,
      expiryDate: (row.expiry_date as string | null) ?? null,
      reserveMode: row.reserve_mode as StockBatch["reserveMode"],
      available: row.available as number,
      siteTier: row.tier as SiteTier,
      siteLatitude: row.latitude as number,
      siteLongitude: row.longitude as number,
      siteRegionPath: row.region_path as string,
      districtId: row.district_id as number,
      siteMinimum: row.minimum_quantity as number,
      siteAvailable: row.site_available as number,
    }));
  }

  // ------------------------------------------------------------ ledger

  movementsByIds(ids: readonly number[]): Promise<(StockMovement | null)[]> {
    return rowsByIds(this.dataSource, StockMovement, ids);
  }

  listMovements(where: StockMovementWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<StockMovementOrderField>[] | null): Promise<Connection<StockMovement>> {
    const query = this.dataSource.getRepository(StockMovement).createQueryBuilder("movement");
    if (where?.siteId) query.andWhere("movement.site_id = :siteId", { siteId: parseGlobalId(where.siteId, "StorageSite", "where.siteId") });
    if (where?.itemId) query.andWhere("movement.item_id = :itemId", { itemId: parseGlobalId(where.itemId, "SupplyItem", "where.itemId") });
    if (where?.batchId) query.andWhere("movement.batch_id = :batchId", { batchId: parseGlobalId(where.batchId, "StockBatch", "where.batchId") });
    if (where?.kind) query.andWhere("movement.kind = :kind", { kind: where.kind });
    if (where?.dispatchOrderId) {
      query.andWhere("movement.dispatch_order_id = :orderId", { orderId: parseGlobalId(where.dispatchOrderId, "DispatchOrder", "where.dispatchOrderId") });
    }
    if (where?.from) query.andWhere("movement.occurred_at >= :from", { from: where.from });
    if (where?.to) query.andWhere("movement.occurred_at < :to", { to: where.to });
    return paginate(query, STOCK_MOVEMENT_ORDER.sorting.resolve(orderBy), page, StockMovementConnection);
  }

  /** Batches whose on hand is not the sum of their ledger entries. One statement; there must never be a row. */
  async ledgerDiscrepancies(limit = 1000): Promise<LedgerDiscrepancy[]> {
    const rows: Array<{ batch_id: number; on_hand: number; ledger_total: string }> = await this.dataSource.query(
      `SELECT b.id AS batch_id, b.on_hand, coalesce(m.total, 0) AS ledger_total
       FROM stock_batch b
       LEFT JOIN (SELECT batch_id, sum(quantity) AS total FROM stock_movement GROUP BY batch_id) m ON m.batch_id = b.id
       WHERE b.on_hand <> coalesce(m.total, 0)
       ORDER BY b.id LIMIT $1`,
      [limit],
    );
    return rows.map((row) =>
      Object.assign(new LedgerDiscrepancy(), {
        batchId: row.batch_id,
        onHand: row.on_hand,
        ledgerTotal: Number(row.ledger_total),
        difference: row.on_hand - Number(row.ledger_total),
      }),
    );
  }

  // ------------------------------------------------------------ summary

  /**
   * Per item: totals over all sites in scope, by tier and by township, in one statement
   * (GROUPING SETS over one pass of the levels). Items with no stock anywhere still appear
   * with zeros when the catalogue (or the asked-for list) contains them.
   */
  async summary(where: StockSummaryWhere | null | undefined): Promise<ItemStockSummary[]> {
    const filter = new SqlFilter();
    const levelConditions: string[] = [];
    const batchConditions: string[] = [];
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      levelConditions.push(regionCondition(filter, "r.path", regionId));
      batchConditions.push(`b.site_id IN (SELECT s.id FROM storage_site s JOIN region r ON r.id = s.region_id WHERE ${regionCondition(filter, "r.path", regionId)})`);
    }
    const itemIds = where?.itemIds?.map((id, i) => parseGlobalId(id, "SupplyItem", `where.itemIds[${i}]`));
    const itemPlaceholder = itemIds ? filter.param(itemIds) : null;
    if (itemIds) {
      const placeholder = itemPlaceholder!;
      levelConditions.push(`l.item_id = ANY(${placeholder}::int[])`);
      batchConditions.push(`b.item_id = ANY(${placeholder}::int[])`);
      filter.where(`i.id = ANY(${placeholder}::int[])`);
    }
    const where_ = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(" AND ")}` : "");
    // The whole population is summed, so batches are grouped once (hash aggregate) rather
    // than looked up level by level. In-transit units count at the receiving site's level (made
    // when the order was dispatched), so each unit counts once: off the source's on hand since
    // its ISSUE, in transit until received, then on the receiver's hand.
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH batch_totals AS (
         SELECT b.site_id, b.item_id, sum(b.on_hand) AS on_hand, sum(b.reserved) AS reserved
         FROM stock_batch b ${where_(batchConditions)}
         GROUP BY b.site_id, b.item_id
       ), in_transit AS (
         SELECT o.destination_site_id AS site_id, dl.item_id, sum(${IN_TRANSIT_UNITS}) AS in_transit
         FROM ${IN_TRANSIT_LINES} ${itemIds ? `AND dl.item_id = ANY(${itemPlaceholder}::int[])` : ""}
         GROUP BY o.destination_site_id, dl.item_id
       ), levels AS (
         SELECT l.item_id, s.tier, CASE r.depth WHEN 1 THEN r.id WHEN 2 THEN r.parent_id END AS township_id,
                l.minimum_quantity AS minimum, coalesce(t.on_hand, 0) AS on_hand, coalesce(t.reserved, 0) AS reserved,
                coalesce(it.in_transit, 0) AS in_transit
         FROM stock_level l
         JOIN storage_site s ON s.id = l.site_id
         JOIN region r ON r.id = s.region_id
         LEFT JOIN batch_totals t ON t.site_id = l.site_id AND t.item_id = l.item_id
         LEFT JOIN in_transit it ON it.site_id = l.site_id AND it.item_id = l.item_id
         ${where_(levelConditions)}
       )
       SELECT i.id AS item_id, min(i.code) AS item_code, lv.tier, lv.township_id,
              GROUPING(lv.tier) AS tier_grouped, GROUPING(lv.township_id) AS township_grouped,
              coalesce(sum(lv.on_hand), 0)::bigint AS on_hand, coalesce(sum(lv.reserved), 0)::bigint AS reserved,
              coalesce(sum(lv.in_transit), 0)::bigint AS in_transit,
              coalesce(sum(lv.minimum), 0)::bigint AS minimum, count(lv.item_id)::int AS sites,
              count(*) FILTER (WHERE lv.on_hand - lv.reserved < lv.minimum)::int AS sites_below_minimum
       FROM supply_item i LEFT JOIN levels lv ON lv.item_id = i.id
       ${filter.clause()}
       GROUP BY GROUPING SETS ((i.id), (i.id, lv.tier), (i.id, lv.township_id))`,
      filter.params,
    );
    const totals = (row: Record<string, unknown>) =>
      Object.assign(new StockTotals(), {
        onHand: Number(row.on_hand),
        reserved: Number(row.reserved),
        available: Number(row.on_hand) - Number(row.reserved),
        inTransit: Number(row.in_transit),
        minimum: Number(row.minimum),
        sites: row.sites as number,
        sitesBelowMinimum: row.sites_below_minimum as number,
      });
    const byItem = new Map<number, ItemStockSummary & { code: string }>();
    const entry = (row: Record<string, unknown>) => {
      const itemId = row.item_id as number;
      let summary = byItem.get(itemId);
      if (!summary) {
        summary = Object.assign(new ItemStockSummary(), { itemId, code: row.item_code as string, byTier: [], byTownship: [] }) as ItemStockSummary & { code: string };
        byItem.set(itemId, summary);
      }
      return summary;
    };
    const tierOrder = Object.values(SiteTier);
    for (const row of rows) {
      const summary = entry(row);
      if (row.tier_grouped === 1 && row.township_grouped === 1) summary.total = totals(row);
      else if (row.tier_grouped === 0 && row.tier !== null) summary.byTier.push({ tier: row.tier as SiteTier, totals: totals(row) });
      else if (row.township_grouped === 0 && row.township_id !== null) summary.byTownship.push(Object.assign(new TownshipStockTotals(), { townshipId: row.township_id as number, totals: totals(row) }));
    }
    const result = [...byItem.values()].sort((a, b) => a.code.localeCompare(b.code));
    for (const summary of result) {
      summary.byTier.sort((a, b) => tierOrder.indexOf(a.tier) - tierOrder.indexOf(b.tier));
      summary.byTownship.sort((a, b) => a.townshipId - b.townshipId);
    }
    return result;
  }

  // ------------------------------------------------------------ alerts

  /**
   * Below-minimum levels and expiring or expired batches in one statement (UNION ALL of the
   * two kinds, each filtered before the union), paged by (kind, site, item, batch). Finding the
   * levels below minimum means summing every level, so batches are grouped once (hash
   * aggregate) instead of looked up level by level.
   */
  alerts(where: StockAlertWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<StockAlertOrderField>[] | null): Promise<Connection<StockAlert>> {
    const { union, filter } = this.alertsQuery(where);
    return rawKeysetPage(
      this.dataSource.manager,
      {
        select: `SELECT * FROM (${union}) alert`,
        count: `SELECT count(*)::int AS count FROM (${union}) alert`,
        filter,
        order: STOCK_ALERT_ORDER.sorting.resolve(orderBy) as ResolvedOrder<StockAlert>,
        map: (row) =>
          Object.assign(new StockAlert(), {
            kind: row.kind as StockAlertKind,
            siteId: row.site_id as number,
            itemId: row.item_id as number,
            levelId: row.level_id as number,
            batchId: (row.batch_id as number | null) ?? null,
            quantity: Number(row.quantity),
            minimum: row.minimum as number,
            shortfall: row.kind === StockAlertKind.BELOW_MINIMUM ? Math.max(0, (row.minimum as number) - Number(row.quantity)) : 0,
            expiryDate: (row.expiry_date as string | null) ?? null,
            daysToExpiry: row.expiry_date ? daysFromToday(row.expiry_date as string) : null,
          }),
      },
      page,
      StockAlertConnection,
    );
  }

  /**
   * Open alerts by kind over the whole reserve, as the alerts list counts them (expiring within
   * its default 90 days): one statement, for the stock-alert gauge on /metrics.
   */
  async countAlertsByKind(): Promise<Record<StockAlertKind, number>> {
    const { union, filter } = this.alertsQuery(null);
    const rows: Array<{ kind: StockAlertKind; count: number }> = await this.dataSource.query(
      `SELECT alert.kind, count(*)::int AS count FROM (${union}) alert GROUP BY alert.kind`,
      filter.params,
    );
    const counts = { [StockAlertKind.BELOW_MINIMUM]: 0, [StockAlertKind.EXPIRING]: 0, [StockAlertKind.EXPIRED]: 0 };
    for (const row of rows) counts[row.kind] = row.count;
    return counts;
  }

  /** The alerts as one UNION ALL of below-minimum levels and expiring or expired batches, filtered. */
  private alertsQuery(where: StockAlertWhere | null | undefined): { union: string; filter: SqlFilter } {
    const days = checkDays(where?.expiringWithinDays ?? 90, "where.expiringWithinDays")!;
    const filter = new SqlFilter();
    const siteConditions: string[] = [];
    const levelConditions: string[] = [];
    if (where?.siteId) levelConditions.push(`l.site_id = ${filter.param(parseGlobalId(where.siteId, "StorageSite", "where.siteId"))}`);
    if (where?.itemId) levelConditions.push(`l.item_id = ${filter.param(parseGlobalId(where.itemId, "SupplyItem", "where.itemId"))}`);
    if (where?.tier) siteConditions.push(`s.tier = ${filter.param(where.tier)}`);
    if (where?.regionId) siteConditions.push(regionCondition(filter, "r.path", parseGlobalId(where.regionId, "Region", "where.regionId")));
    if (siteConditions.length) {
      levelConditions.push(`l.site_id IN (SELECT s.id FROM storage_site s JOIN region r ON r.id = s.region_id WHERE ${siteConditions.join(" AND ")})`);
    }
    const and = (conditions: string[]) => conditions.map((c) => ` AND ${c}`).join("");
    const branches: string[] = [];
    if (!where?.kind || where.kind === StockAlertKind.BELOW_MINIMUM) {
      branches.push(`
        SELECT 'BELOW_MINIMUM'::text AS kind, l.site_id, l.item_id, l.id AS level_id, NULL::int AS batch_id, NULL::text AS expiry_date,
               coalesce(t.available, 0) AS quantity, l.minimum_quantity AS minimum
        FROM stock_level l
        LEFT JOIN (SELECT site_id, item_id, sum(on_hand - reserved) AS available FROM stock_batch GROUP BY site_id, item_id) t
          ON t.site_id = l.site_id AND t.item_id = l.item_id
        WHERE l.minimum_quantity > 0 AND coalesce(t.available, 0) < l.minimum_quantity${and(levelConditions)}`);
    }
    if (!where?.kind || where.kind !== StockAlertKind.BELOW_MINIMUM) {
      const today = LOCAL_TODAY_SQL;
      const expiryCondition =
        where?.kind === StockAlertKind.EXPIRED
          ? `b.expiry_date < ${today}`
          : where?.kind === StockAlertKind.EXPIRING
            ? `b.expiry_date >= ${today} AND b.expiry_date <= ${today} + ${filter.param(days)}::int`
            : `b.expiry_date <= ${today} + ${filter.param(days)}::int`;
      branches.push(`
        SELECT CASE WHEN b.expiry_date < ${today} THEN 'EXPIRED' ELSE 'EXPIRING' END AS kind, b.site_id, b.item_id, l.id AS level_id, b.id AS batch_id,
               b.expiry_date::text AS expiry_date, b.on_hand AS quantity, l.minimum_quantity AS minimum
        FROM stock_batch b JOIN stock_level l ON l.site_id = b.site_id AND l.item_id = b.item_id
        WHERE b.on_hand > 0 AND ${expiryCondition}${and(levelConditions)}`);
    }
    return { union: branches.join(" UNION ALL "), filter };
  }
}
