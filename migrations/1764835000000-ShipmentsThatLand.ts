import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Shipments that land in the receiver's books.
 * - dispatch_order_line: `short_quantity` (短少: written off without arriving) and
 *   `turned_back_quantity` (退回: returned without arriving), so that what is still in transit
 *   (在途) is dispatched − delivered − short − turned back, in SQL.
 * - dispatch_allocation.received_quantity: a line's receipts assigned to its sources in
 *   allocation order, so an order to a storage site books each source batch's units there.
 * - dispatch_write_off.short_delivery, and the reasons SHORT_SHIPPED and DISTRIBUTED_EN_ROUTE.
 * - stock_movement: RECEIPT of reason PARTNER_DELIVERY (a partner's goods arriving on an order),
 *   never without its order.
 * - IDX_dispatch_order_in_transit: the orders under way, by destination site.
 *
 * Orders under way when this runs: returns and write-offs count first against the units that did
 * not arrive (turned back, short); receipts so far are assigned to the sources in allocation
 * order. (Units such orders delivered to a site before this release were
 * never booked there; the receiving site's stocktake brings them onto its books.) Sites receiving
 * goods still under way get their level row, as dispatching does from now on.
 */
export class ShipmentsThatLand1764835000000 implements MigrationInterface {
  name = "ShipmentsThatLand1764835000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "dispatch_order_line" ADD "short_quantity" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "dispatch_order_line" ADD "turned_back_quantity" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "dispatch_allocation" ADD "received_quantity" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "dispatch_write_off" ADD "short_delivery" boolean NOT NULL DEFAULT false`);

    // What came back or was written off is taken as not having arrived first, as far as units
    // never arrived; write-off rows are short deliveries when all of their line's are.
    await queryRunner.query(`
      UPDATE dispatch_order_line SET
        turned_back_quantity = least(returned_quantity, dispatched_quantity - delivered_quantity),
        short_quantity = least(returned_quantity + written_off_quantity, dispatched_quantity - delivered_quantity)
                         - least(returned_quantity, dispatched_quantity - delivered_quantity)
      WHERE returned_quantity + written_off_quantity > 0`);
    await queryRunner.query(`
      UPDATE dispatch_write_off w SET short_delivery = true
      FROM dispatch_order_line l WHERE l.id = w.line_id AND l.short_quantity > 0 AND l.short_quantity = l.written_off_quantity`);
    await queryRunner.query(`
      UPDATE dispatch_allocation a SET received_quantity = least(a.quantity, greatest(0, f.delivered - f.before))
      FROM (SELECT a2.id, l.delivered_quantity AS delivered,
                   coalesce(sum(a2.quantity) OVER (PARTITION BY a2.line_id ORDER BY a2.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM dispatch_allocation a2 JOIN dispatch_order_line l ON l.id = a2.line_id WHERE l.delivered_quantity > 0) f
      WHERE f.id = a.id`);

    await queryRunner.query(`ALTER TABLE "dispatch_order_line" DROP CONSTRAINT "CHK_dispatch_order_line_progress"`);
    await queryRunner.query(`
      ALTER TABLE "dispatch_order_line" ADD CONSTRAINT "CHK_dispatch_order_line_progress" CHECK (
        "dispatched_quantity" BETWEEN 0 AND "quantity" AND "delivered_quantity" BETWEEN 0 AND "dispatched_quantity"
        AND "returned_quantity" >= 0 AND "written_off_quantity" >= 0 AND "returned_quantity" + "written_off_quantity" <= "dispatched_quantity"
        AND "short_quantity" BETWEEN 0 AND "written_off_quantity" AND "turned_back_quantity" BETWEEN 0 AND "returned_quantity"
        AND "delivered_quantity" + "short_quantity" + "turned_back_quantity" <= "dispatched_quantity"
        AND "returned_quantity" - "turned_back_quantity" + "written_off_quantity" - "short_quantity" <= "delivered_quantity")`);
    await queryRunner.query(`ALTER TABLE "dispatch_allocation" DROP CONSTRAINT "CHK_dispatch_allocation_quantity"`);
    await queryRunner.query(`
      ALTER TABLE "dispatch_allocation" ADD CONSTRAINT "CHK_dispatch_allocation_quantity"
      CHECK ("quantity" > 0 AND "returned_quantity" BETWEEN 0 AND "quantity" AND "received_quantity" BETWEEN 0 AND "quantity")`);
    await queryRunner.query(`ALTER TABLE "dispatch_write_off" DROP CONSTRAINT "CHK_dispatch_write_off_reason"`);
    await queryRunner.query(`
      ALTER TABLE "dispatch_write_off" ADD CONSTRAINT "CHK_dispatch_write_off_reason"
      CHECK ("reason" IN ('DAMAGED', 'LOST', 'SHORT_SHIPPED', 'DISTRIBUTED_EN_ROUTE'))`);
    await queryRunner.query(`ALTER TABLE "stock_movement" DROP CONSTRAINT "CHK_stock_movement_reason"`);
    await queryRunner.query(`
      ALTER TABLE "stock_movement" ADD CONSTRAINT "CHK_stock_movement_reason" CHECK (
        ("kind" = 'RECEIPT' AND "reason" IN ('PURCHASE', 'DONATION'))
        OR ("kind" = 'RECEIPT' AND "reason" = 'PARTNER_DELIVERY' AND "dispatch_order_id" IS NOT NULL)
        OR ("kind" = 'WRITE_OFF' AND "reason" IN ('EXPIRED', 'DAMAGED', 'LOST') AND "approved_by" IS NOT NULL)
        OR ("kind" NOT IN ('RECEIPT', 'WRITE_OFF') AND "reason" IS NULL))`);
    await queryRunner.query(`
      CREATE INDEX "IDX_dispatch_order_in_transit" ON "dispatch_order" ("destination_site_id")
      WHERE "status" IN ('DISPATCHED', 'DELIVERED') AND "destination_site_id" IS NOT NULL`);

    await queryRunner.query(`
      INSERT INTO stock_level (district_id, site_id, item_id, minimum_quantity)
      SELECT DISTINCT s.district_id, s.id, l.item_id, 0
      FROM dispatch_order o JOIN dispatch_order_line l ON l.order_id = o.id JOIN storage_site s ON s.id = o.destination_site_id
      WHERE o.status IN ('DISPATCHED', 'DELIVERED')
      ON CONFLICT (site_id, item_id) DO NOTHING`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Level rows made for arrivals stay: they hold no stock and a minimum of 0, as any new level.
    // Once the ledger holds PARTNER_DELIVERY receipts, or orders the new write-off reasons, the
    // old constraints refuse them and the revert stops: the ledger is never rewritten.
    await queryRunner.query(`DROP INDEX "IDX_dispatch_order_in_transit"`);
    await queryRunner.query(`ALTER TABLE "stock_movement" DROP CONSTRAINT "CHK_stock_movement_reason"`);
    await queryRunner.query(`
      ALTER TABLE "stock_movement" ADD CONSTRAINT "CHK_stock_movement_reason" CHECK (
        ("kind" = 'RECEIPT' AND "reason" IN ('PURCHASE', 'DONATION'))
        OR ("kind" = 'WRITE_OFF' AND "reason" IN ('EXPIRED', 'DAMAGED', 'LOST') AND "approved_by" IS NOT NULL)
        OR ("kind" NOT IN ('RECEIPT', 'WRITE_OFF') AND "reason" IS NULL))`);
    await queryRunner.query(`ALTER TABLE "dispatch_write_off" DROP CONSTRAINT "CHK_dispatch_write_off_reason"`);
    await queryRunner.query(`ALTER TABLE "dispatch_write_off" ADD CONSTRAINT "CHK_dispatch_write_off_reason" CHECK ("reason" IN ('DAMAGED', 'LOST'))`);
    await queryRunner.query(`ALTER TABLE "dispatch_allocation" DROP CONSTRAINT "CHK_dispatch_allocation_quantity"`);
    await queryRunner.query(`ALTER TABLE "dispatch_allocation" ADD CONSTRAINT "CHK_dispatch_allocation_quantity" CHECK ("quantity" > 0 AND "returned_quantity" BETWEEN 0 AND "quantity")`);
    await queryRunner.query(`ALTER TABLE "dispatch_order_line" DROP CONSTRAINT "CHK_dispatch_order_line_progress"`);
    await queryRunner.query(`
      ALTER TABLE "dispatch_order_line" ADD CONSTRAINT "CHK_dispatch_order_line_progress" CHECK (
        "dispatched_quantity" BETWEEN 0 AND "quantity" AND "delivered_quantity" BETWEEN 0 AND "dispatched_quantity"
        AND "returned_quantity" >= 0 AND "written_off_quantity" >= 0 AND "returned_quantity" + "written_off_quantity" <= "dispatched_quantity")`);
    await queryRunner.query(`ALTER TABLE "dispatch_write_off" DROP COLUMN "short_delivery"`);
    await queryRunner.query(`ALTER TABLE "dispatch_allocation" DROP COLUMN "received_quantity"`);
    await queryRunner.query(`ALTER TABLE "dispatch_order_line" DROP COLUMN "turned_back_quantity"`);
    await queryRunner.query(`ALTER TABLE "dispatch_order_line" DROP COLUMN "short_quantity"`);
  }
}
