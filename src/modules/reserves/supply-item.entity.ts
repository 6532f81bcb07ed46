import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Hazard } from "../incidents/hazard";
import { categoryOfCode, sqlList, SupplyCategory } from "./reserves.enums";

// The catalogue stays small (dozens to a few hundred items): it is read whole and cached by
// DataLoader per request, so it carries no indexes beyond its unique code.
// simpleResolvers: plain fields skip the per-field middleware chain (lists of thousands); fields
// renamed in the schema keep a resolver (simple: false). No personal data here: @PersonalData
// needs a resolver, so a type that gains one must drop simpleResolvers.
@ObjectType({ implements: Node, simpleResolvers: true, description: "物资目录 An item of the supply catalogue, coded after GB/T 38565-2020." })
@Entity("supply_item")
@Unique("UQ_supply_item_code", ["code"])
@Check("CHK_supply_item_code", `"code" ~ '^[1-3][0-9]{6}$'`)
@Check("CHK_supply_item_hazards", `"hazards" <@ ARRAY[${sqlList(Object.values(Hazard))}]::text[]`)
@Check("CHK_supply_item_shelf_life", `"shelf_life_days" IS NULL OR "shelf_life_days" > 0`)
export class SupplyItem {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_supply_item" })
  id: number;

  @Field(() => ID, { name: "id", simple: false, description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("SupplyItem", this.id);
  }

  @Field(() => String, {
    description:
      "物资编码。Seven-digit code after GB/T 38565-2020 (应急物资分类及编码): top category (1 digit), then middle class, sub-class and detail class (2 digits each; 99 = other), e.g. 1010101.",
  })
  @Column({ type: "text" })
  code: string;

  @Field(() => SupplyCategory, { description: "物资大类。Top category, from the code's first digit." })
  get category(): SupplyCategory {
    return categoryOfCode(this.code);
  }

  @Field(() => String, { description: "中文名称。Name in Chinese, e.g. 救灾帐篷." })
  @Column({ type: "text" })
  name: string;

  @Field(() => String, { nullable: true, description: "规格型号 Specification, e.g. 12 m² 单帐篷." })
  @Column({ type: "text", nullable: true })
  specification: string | null;

  @Field(() => String, { description: "计量单位 Unit of count, e.g. 顶, 床, 件, 台, 箱." })
  @Column({ type: "text" })
  unit: string;

  @Field(() => Boolean, { description: "可回收 Reusable: must come back after use and is tracked until it does (帐篷, 冲锋舟, 抽水泵 …)." })
  @Column({ type: "boolean" })
  reusable: boolean;

  @Field(() => Boolean, { description: "有效期管理 Whether batches carry an expiry date; receiving such an item needs one." })
  @Column({ name: "tracks_expiry", type: "boolean" })
  tracksExpiry: boolean;

  @Field(() => Int, { nullable: true, description: "保质期 Typical shelf life in days, for planning rotation." })
  @Column({ name: "shelf_life_days", type: "integer", nullable: true })
  shelfLifeDays: number | null;

  @Field(() => [Hazard], { description: "适用灾种 Hazards the item serves, in the same terms as incidents." })
  @Column({ type: "text", array: true })
  hazards: Hazard[];

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { description: "更新时间。When the item's details last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
