import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { ReserveMode, sqlList } from "./reserves.enums";
import { StockLevel } from "./stock-level.entity";
import { daysFromToday } from "../../core/db/local-date";

/**
 * Stock of one batch of one item at one site: the rows stock operations lock
 * (SELECT … FOR UPDATE, ordered by site, item, batch number). The database refuses the
 * impossible on its own: never negative, never more reserved than on hand.
 */
// simpleResolvers: plain fields skip the per-field middleware chain (lists of thousands); fields
// renamed in the schema keep a resolver (simple: false). No personal data here: @PersonalData
// needs a resolver, so a type that gains one must drop simpleResolvers.
@ObjectType({ implements: Node, simpleResolvers: true, description: "批次库存 One batch of one item at one site." })
@Entity("stock_batch")
@Unique("UQ_stock_batch_site_item_batch", ["siteId", "itemId", "batchNumber"])
@Index("IDX_stock_batch_item", ["itemId", "siteId"])
@Index("IDX_stock_batch_district", ["districtId"])
@Index("IDX_stock_batch_expiry", ["expiryDate"])
@Check("CHK_stock_batch_quantities", `"reserved" >= 0 AND "reserved" <= "on_hand" AND "on_hand" >= 0`)
@Check("CHK_stock_batch_reserve_mode", `"reserve_mode" IN (${sqlList(Object.values(ReserveMode))})`)
@Check("CHK_stock_batch_dates", `"expiry_date" IS NULL OR "production_date" IS NULL OR "expiry_date" >= "production_date"`)
@Check("CHK_stock_batch_number", `length("batch_number") BETWEEN 1 AND 64`)
export class StockBatch {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_stock_batch" })
  id: number;

  @Field(() => ID, { name: "id", simple: false, description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("StockBatch", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_stock_batch_district" })
  districtRow?: Region;

  @Column({ name: "site_id", type: "integer" })
  siteId: number;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  /** Every batch belongs to its site × item level (which references the site and the item). */
  @ManyToOne(() => StockLevel, { onDelete: "RESTRICT" })
  @JoinColumn([
    { name: "site_id", referencedColumnName: "siteId", foreignKeyConstraintName: "FK_stock_batch_level" },
    { name: "item_id", referencedColumnName: "itemId", foreignKeyConstraintName: "FK_stock_batch_level" },
  ])
  levelRow?: StockLevel;

  @Field(() => String, { description: "批号 Batch number as printed by the maker or assigned on receipt." })
  @Column({ name: "batch_number", type: "text" })
  batchNumber: string;

  @Field(() => LocalDateResolver, { nullable: true, description: "生产日期 Production date." })
  @Column({ name: "production_date", type: "date", nullable: true })
  productionDate: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "有效期至 Expiry date; null for items that do not expire." })
  @Column({ name: "expiry_date", type: "date", nullable: true })
  expiryDate: string | null;

  @Field(() => ReserveMode, { description: "储备方式 Whose reserve this batch is." })
  @Column({ name: "reserve_mode", type: "text" })
  reserveMode: ReserveMode;

  @Field(() => Int, { description: "在库数量 On hand." })
  @Column({ name: "on_hand", type: "integer" })
  onHand: number;

  @Field(() => Int, { description: "已预留 Reserved for approved dispatch orders." })
  @Column({ type: "integer" })
  reserved: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;

  @Field(() => Int, { description: "可用 Available = on hand − reserved." })
  get available(): number {
    return this.onHand - this.reserved;
  }

  @Field(() => Int, { nullable: true, description: "距到期天数。Days until expiry counted in China Standard Time (negative once expired); null when the batch does not expire." })
  get daysToExpiry(): number | null {
    return this.expiryDate === null ? null : daysFromToday(this.expiryDate);
  }

  @Field(() => Boolean, { description: "已过期 Whether the batch is past its expiry date." })
  get expired(): boolean {
    const days = this.daysToExpiry;
    return days !== null && days < 0;
  }
}
