import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { MovementKind, PARTNER_DELIVERY, ReceiptSource, sqlList, WriteOffReason } from "./reserves.enums";
import { StockBatch } from "./stock-batch.entity";
import { StorageSite } from "./storage-site.entity";
import { SupplyItem } from "./supply-item.entity";

const INBOUND = sqlList(["RECEIPT", "TRANSFER_IN", "RETURN", "DISTRIBUTION_REVERSAL"]);
const OUTBOUND = sqlList(["ISSUE", "TRANSFER_OUT", "WRITE_OFF", "DISTRIBUTION"]);

/**
 * The ledger (台账): one row per change of on-hand stock, written in the transaction that
 * makes the change. Append-only: a trigger (see the migration) refuses UPDATE, DELETE and
 * TRUNCATE, so a mistake is corrected by a new movement. For every batch, on hand equals
 * the sum of its movements' quantities (`ledgerDiscrepancies` checks it).
 */
@ObjectType({ implements: Node, description: "台账 An entry of the stock ledger: one change of on-hand stock of one batch at one site. Never changed or deleted." })
@Entity("stock_movement")
@Index("IDX_stock_movement_district", ["districtId"])
@Index("IDX_stock_movement_batch", ["batchId", "id"])
@Index("IDX_stock_movement_site_time", ["siteId", "occurredAt", "id"])
@Index("IDX_stock_movement_item_time", ["itemId", "occurredAt", "id"])
@Index("IDX_stock_movement_time", ["occurredAt", "id"])
@Index("IDX_stock_movement_quantity", ["quantity", "id"])
@Index("IDX_stock_movement_kind_order", { synchronize: false }) // (kind in MovementKind order, id), created in the migration
@Index("IDX_stock_movement_operation", ["operationId"])
@Index("IDX_stock_movement_dispatch_order", ["dispatchOrderId"])
@Check("CHK_stock_movement_kind", `"kind" IN (${sqlList(Object.values(MovementKind))})`)
@Check(
  "CHK_stock_movement_sign",
  `"quantity" <> 0 AND ("kind" NOT IN (${INBOUND}) OR "quantity" > 0) AND ("kind" NOT IN (${OUTBOUND}) OR "quantity" < 0)`,
)
@Check("CHK_stock_movement_on_hand_after", `"on_hand_after" >= 0`)
@Check(
  "CHK_stock_movement_reason",
  `("kind" = 'RECEIPT' AND "reason" IN (${sqlList(Object.values(ReceiptSource))}))` +
    ` OR ("kind" = 'RECEIPT' AND "reason" = '${PARTNER_DELIVERY}' AND "dispatch_order_id" IS NOT NULL)` +
    ` OR ("kind" = 'WRITE_OFF' AND "reason" IN (${sqlList(Object.values(WriteOffReason))}) AND "approved_by" IS NOT NULL)` +
    ` OR ("kind" NOT IN ('RECEIPT', 'WRITE_OFF') AND "reason" IS NULL)`,
)
@Check("CHK_stock_movement_transfer", `("kind" IN ('TRANSFER_OUT', 'TRANSFER_IN')) = ("counterpart_site_id" IS NOT NULL)`)
export class StockMovement {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_stock_movement" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("StockMovement", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_stock_movement_district" })
  districtRow?: Region;

  @Column({ name: "batch_id", type: "integer" })
  batchId: number;

  @ManyToOne(() => StockBatch, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "batch_id", foreignKeyConstraintName: "FK_stock_movement_batch" })
  batchRow?: StockBatch;

  /** Copied from the batch so the ledger of a site or an item is one index range. */
  @Column({ name: "site_id", type: "integer" })
  siteId: number;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "site_id", foreignKeyConstraintName: "FK_stock_movement_site" })
  siteRow?: StorageSite;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_stock_movement_item" })
  itemRow?: SupplyItem;

  @Field(() => MovementKind, { description: "台账类型。Kind of entry." })
  @Column({ type: "text" })
  kind: MovementKind;

  @Field(() => Int, { description: "变动数量。Change of on-hand stock: positive in, negative out." })
  @Column({ type: "integer" })
  quantity: number;

  @Field(() => Int, { description: "结存 The batch's on-hand quantity right after this entry." })
  @Column({ name: "on_hand_after", type: "integer" })
  onHandAfter: number;

  /** RECEIPT: PURCHASE, DONATION or PARTNER_DELIVERY; WRITE_OFF: EXPIRED, DAMAGED or LOST; otherwise null. */
  @Field(() => String, {
    nullable: true,
    description: "变动原因。Receipts: PURCHASE, DONATION, or PARTNER_DELIVERY (协议企业供货: a partner's goods arriving on a dispatch order); write-offs: EXPIRED, DAMAGED or LOST; null otherwise.",
  })
  @Column({ type: "text", nullable: true })
  reason: string | null;

  @Field(() => String, { nullable: true, description: "审批人 Who approved a write-off — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "approved_by", type: "text", nullable: true })
  approvedBy: string | null;

  /** The other site of a transfer. */
  @Column({ name: "counterpart_site_id", type: "integer", nullable: true })
  counterpartSiteId: number | null;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "counterpart_site_id", foreignKeyConstraintName: "FK_stock_movement_counterpart_site" })
  counterpartSiteRow?: StorageSite;

  /** The dispatch order the entry belongs to: its ISSUE at a source, TRANSFER_IN or RECEIPT at the receiving site, RETURN and WRITE_OFF of what came back. */
  @Column({ name: "dispatch_order_id", type: "integer", nullable: true })
  dispatchOrderId: number | null;

  // By entity name, not class: the reserve module does not import the dispatch module.
  @ManyToOne("DispatchOrder", { onDelete: "RESTRICT" })
  @JoinColumn({ name: "dispatch_order_id", foreignKeyConstraintName: "FK_stock_movement_dispatch_order" })
  dispatchOrderRow?: unknown;

  @Field(() => String, { description: "操作编号。Shared by every entry one operation wrote (both halves of a transfer or rotation, all adjustments of one stocktake)." })
  @Column({ name: "operation_id", type: "uuid" })
  operationId: string;

  @Field(() => String, { nullable: true, description: "备注 Free-text note." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  /** Account or API key that recorded it (no foreign key: accounts live in another module). */
  @Column({ name: "recorded_by_id", type: "integer", nullable: true })
  recordedById: number | null;

  @Field(() => String, { description: "经办人 Who recorded the entry — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "recorded_by", type: "text" })
  recordedBy: string;

  @Field(() => Date, { description: "登记时间。When the entry was recorded." })
  // Millisecond precision, so a JavaScript Date carries the exact value into keyset cursors.
  @Column({ name: "occurred_at", type: "timestamptz", precision: 3, default: () => "clock_timestamp()" })
  occurredAt: Date;
}
