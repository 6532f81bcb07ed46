import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indexes for the orders (`orderBy`) of the two lists that only grow: the stock ledger and the
 * audit log. Their time orders had indexes already ((occurred_at, id), (at, id)); these serve
 * the rest, each key with the id tiebreak, so a page in any order is an index range scan rather
 * than a sort of the whole table. Kinds and outcomes sort in their listed order, not
 * alphabetically: the expressions are exactly those the service orders by (relay.ts enumRank
 * over MovementKind and AuditOutcome), which the planner must match to use the index.
 */
export class ListOrders1765100000000 implements MigrationInterface {
  name = "ListOrders1765100000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_stock_movement_quantity" ON "stock_movement" ("quantity", "id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_stock_movement_kind_order" ON "stock_movement" ((array_position(ARRAY['RECEIPT', 'ISSUE', 'TRANSFER_OUT', 'TRANSFER_IN', 'RETURN', 'WRITE_OFF', 'COUNT_ADJUSTMENT', 'ROTATION']::text[], "kind")), "id")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_entry_operation_id" ON "audit_entry" ("operation", "id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_entry_outcome_order" ON "audit_entry" ((array_position(ARRAY['SUCCEEDED', 'REJECTED', 'REFUSED', 'FAILED']::text[], "outcome")), "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_audit_entry_outcome_order"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_entry_operation_id"`);
    await queryRunner.query(`DROP INDEX "IDX_stock_movement_kind_order"`);
    await queryRunner.query(`DROP INDEX "IDX_stock_movement_quantity"`);
  }
}
