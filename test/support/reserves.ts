// Lookups for reserve tests: global ids of seeded sites, items and batches by their codes and names.
import type { DataSource } from "typeorm";
import type { Actor } from "../../src/core/access/auth";
import { Role } from "../../src/core/access/auth";
import { toGlobalId } from "../../src/core/graphql/relay";

export interface BatchRow {
  id: number;
  globalId: string;
  siteId: number;
  itemId: number;
  batchNumber: string;
  onHand: number;
  reserved: number;
  expiryDate: string | null;
}

export function reserveLookups(dataSource: DataSource) {
  const one = async <T>(sql: string, params: unknown[]): Promise<T> => {
    const rows = await dataSource.query(sql, params);
    if (rows.length === 0) throw new Error(`nothing found: ${sql} ${JSON.stringify(params)}`);
    return rows[0] as T;
  };
  return {
    async siteId(code: string): Promise<number> {
      return (await one<{ id: number }>(`SELECT id FROM storage_site WHERE code = $1`, [code])).id;
    },
    async site(code: string): Promise<string> {
      return toGlobalId("StorageSite", await this.siteId(code));
    },
    async itemId(name: string): Promise<number> {
      return (await one<{ id: number }>(`SELECT id FROM supply_item WHERE name = $1`, [name])).id;
    },
    async item(name: string): Promise<string> {
      return toGlobalId("SupplyItem", await this.itemId(name));
    },
    async region(code: string): Promise<string> {
      return toGlobalId("Region", (await one<{ id: number }>(`SELECT id FROM region WHERE code = $1`, [code])).id);
    },
    /** A batch at a site of an item (by batch number, or the one with most on hand). */
    async batch(siteCode: string, itemName: string, batchNumber?: string): Promise<BatchRow> {
      const row = await one<Record<string, any>>(
        `SELECT b.id, b.site_id, b.item_id, b.batch_number, b.on_hand, b.reserved, b.expiry_date::text AS expiry_date
         FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id
         WHERE s.code = $1 AND i.name = $2 AND ($3::text IS NULL OR b.batch_number = $3)
         ORDER BY b.on_hand DESC, b.id LIMIT 1`,
        [siteCode, itemName, batchNumber ?? null],
      );
      return {
        id: row.id,
        globalId: toGlobalId("StockBatch", row.id),
        siteId: row.site_id,
        itemId: row.item_id,
        batchNumber: row.batch_number,
        onHand: row.on_hand,
        reserved: row.reserved,
        expiryDate: row.expiry_date,
      };
    },
    async batchById(id: number): Promise<{ onHand: number; reserved: number }> {
      const row = await one<{ on_hand: number; reserved: number }>(`SELECT on_hand, reserved FROM stock_batch WHERE id = $1`, [id]);
      return { onHand: row.on_hand, reserved: row.reserved };
    },
    async movementCount(): Promise<number> {
      return (await one<{ n: number }>(`SELECT count(*)::int AS n FROM stock_movement`, [])).n;
    },
    /** Batches whose on hand differs from the sum of their ledger entries. */
    async discrepancies(): Promise<number> {
      return (
        await one<{ n: number }>(
          `SELECT count(*)::int AS n FROM stock_batch b
           LEFT JOIN (SELECT batch_id, sum(quantity) AS total FROM stock_movement GROUP BY batch_id) m ON m.batch_id = b.id
           WHERE b.on_hand <> coalesce(m.total, 0)`,
          [],
        )
      ).n;
    },
  };
}

/** A district-wide logistics actor for service-level tests. */
export const DISTRICT_LOGISTICS: Actor = { kind: "ACCOUNT", id: 9001, name: "测试物资保障员", role: Role.LOGISTICS, scopeRegionId: null, teamId: null };
