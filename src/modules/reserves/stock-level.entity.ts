import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { StorageSite } from "./storage-site.entity";
import { SupplyItem } from "./supply-item.entity";

/**
 * One row per site × item: the minimum (最低库存) and the anchor every batch of that item at
 * that site hangs from (a composite foreign key from stock_batch). On hand and reserved are
 * not stored here but summed from the batches (an indexed aggregate), so there is one source
 * of truth for quantities: the batch rows, which the ledger balances.
 */
// simpleResolvers: plain fields skip the per-field middleware chain (lists of thousands); fields
// renamed in the schema keep a resolver (simple: false). No personal data here: @PersonalData
// needs a resolver, so a type that gains one must drop simpleResolvers.
@ObjectType({ implements: Node, simpleResolvers: true, description: "库存 Stock level: what one site holds of one item, all batches together, against its minimum (最低库存)." })
@Entity("stock_level")
@Unique("UQ_stock_level_site_item", ["siteId", "itemId"])
@Index("IDX_stock_level_item", ["itemId", "siteId"])
@Index("IDX_stock_level_district", ["districtId"])
@Check("CHK_stock_level_minimum", `"minimum_quantity" >= 0`)
export class StockLevel {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_stock_level" })
  id: number;

  @Field(() => ID, { name: "id", simple: false, description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("StockLevel", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_stock_level_district" })
  districtRow?: Region;

  @Column({ name: "site_id", type: "integer" })
  siteId: number;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "site_id", foreignKeyConstraintName: "FK_stock_level_site" })
  siteRow?: StorageSite;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_stock_level_item" })
  itemRow?: SupplyItem;

  @Field(() => Int, { name: "minimum", simple: false, description: "最低库存 Minimum this site keeps of the item; 0 = none set." })
  @Column({ name: "minimum_quantity", type: "integer" })
  minimumQuantity: number;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;

  // ---- summed from the batches by the queries that load levels ----

  @Field(() => Int, { description: "库存 On hand, all batches." })
  onHand: number;

  @Field(() => Int, { description: "已预留 Reserved for approved dispatch orders, not yet issued." })
  reserved: number;

  /** Earliest expiry among batches with stock on hand, YYYY-MM-DD. */
  @Field(() => LocalDateResolver, { nullable: true, description: "最早到期日。Earliest expiry date among batches with stock on hand; null when none expires." })
  earliestExpiry: string | null;

  /** In transit to the site (在途), when the read computed it; StockLevelResolver.inTransit loads it otherwise. */
  inTransit?: number;

  @Field(() => Int, { description: "可用 Available = on hand − reserved." })
  get available(): number {
    return this.onHand - this.reserved;
  }

  @Field(() => Boolean, { description: "低于最低库存 Whether available stock is below the minimum. Reserved stock is promised and about to leave, so it does not count." })
  get belowMinimum(): boolean {
    return this.available < this.minimumQuantity;
  }

  @Field(() => Int, { description: "缺口 How many more units are needed to reach the minimum; 0 when at or above it." })
  get shortfall(): number {
    return Math.max(0, this.minimumQuantity - this.available);
  }
}
