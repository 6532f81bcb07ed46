import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { PartnerStatus, sqlList } from "./reserves.enums";
import { SupplyItem } from "./supply-item.entity";

@ObjectType({ implements: Node, description: "协议企业 A partner enterprise that holds agreed stock for the district or can produce on call (企业储备)." })
@Entity("reserve_partner")
@Unique("UQ_reserve_partner_code", ["code"])
@Index("IDX_reserve_partner_region", ["regionId"])
@Index("IDX_reserve_partner_district", ["districtId"])
@Check("CHK_reserve_partner_status", `"status" IN (${sqlList(Object.values(PartnerStatus))})`)
@Check("CHK_reserve_partner_point", `"latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180`)
@Check("CHK_reserve_partner_agreement", `"agreement_ends_on" >= "agreement_starts_on"`)
export class ReservePartner {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_reserve_partner" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("ReservePartner", this.id);
  }

  @Field(() => String, { description: "企业编码。Stable code, e.g. KZ-EP-01." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "企业名称。Registered name of the enterprise." })
  @Column({ type: "text" })
  name: string;

  @Field(() => String, { nullable: true, description: "统一社会信用代码 Unified social credit code." })
  @Column({ name: "credit_code", type: "text", nullable: true })
  creditCode: string | null;

  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_reserve_partner_region" })
  regionRow?: Region;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_reserve_partner_district" })
  districtRow?: Region;

  @Field(() => String, { description: "仓库或厂址。Address of the warehouse or plant." })
  @Column({ type: "text" })
  address: string;

  @Field(() => Float, { description: "纬度。Latitude (WGS-84 degrees north)." })
  @Column({ type: "double precision" })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude (WGS-84 degrees east)." })
  @Column({ type: "double precision" })
  longitude: number;

  @Field(() => String, { nullable: true, description: "联系人 Contact person — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "contact_name", type: "text", nullable: true })
  contactName: string | null;

  @Field(() => String, { nullable: true, description: "联系电话 Contact phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "contact_phone", type: "text", nullable: true })
  contactPhone: string | null;

  @Field(() => String, { description: "协议编号 Number of the reserve agreement." })
  @Column({ name: "agreement_number", type: "text" })
  agreementNumber: string;

  @Field(() => LocalDateResolver, { description: "协议起始日期。First day the agreement is in force." })
  @Column({ name: "agreement_starts_on", type: "date" })
  agreementStartsOn: string;

  @Field(() => LocalDateResolver, { description: "协议截止日期。Last day the agreement is in force." })
  @Column({ name: "agreement_ends_on", type: "date" })
  agreementEndsOn: string;

  @Field(() => PartnerStatus, { description: "协议状态。State of the agreement." })
  @Column({ type: "text" })
  status: PartnerStatus;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { description: "更新时间。When the partner's details last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

@ObjectType({ implements: Node, description: "协议储备, 重点企业最低库存 Stock a partner enterprise agrees to hold for the district at all times." })
@Entity("partner_stock_agreement")
@Unique("UQ_partner_stock_agreement_partner_item", ["partnerId", "itemId"])
@Index("IDX_partner_stock_agreement_item", ["itemId"])
@Check("CHK_partner_stock_agreement_quantity", `"agreed_quantity" > 0`)
export class PartnerStockAgreement {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_partner_stock_agreement" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("PartnerStockAgreement", this.id);
  }

  @Column({ name: "partner_id", type: "integer" })
  partnerId: number;

  @ManyToOne(() => ReservePartner, { onDelete: "CASCADE" })
  @JoinColumn({ name: "partner_id", foreignKeyConstraintName: "FK_partner_stock_agreement_partner" })
  partnerRow?: ReservePartner;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_partner_stock_agreement_item" })
  itemRow?: SupplyItem;

  @Field(() => Int, { description: "协议储备量 Quantity the enterprise keeps for the district." })
  @Column({ name: "agreed_quantity", type: "integer" })
  agreedQuantity: number;
}

@ObjectType({ implements: Node, description: "产能储备 What a partner enterprise can produce for the district on call." })
@Entity("partner_capacity")
@Unique("UQ_partner_capacity_partner_item", ["partnerId", "itemId"])
@Index("IDX_partner_capacity_item", ["itemId"])
@Check("CHK_partner_capacity_values", `"units_per_day" > 0 AND "lead_time_hours" >= 0`)
export class PartnerCapacity {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_partner_capacity" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("PartnerCapacity", this.id);
  }

  @Column({ name: "partner_id", type: "integer" })
  partnerId: number;

  @ManyToOne(() => ReservePartner, { onDelete: "CASCADE" })
  @JoinColumn({ name: "partner_id", foreignKeyConstraintName: "FK_partner_capacity_partner" })
  partnerRow?: ReservePartner;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_partner_capacity_item" })
  itemRow?: SupplyItem;

  @Field(() => Int, { description: "日产能 Units it can deliver per day once production runs." })
  @Column({ name: "units_per_day", type: "integer" })
  unitsPerDay: number;

  @Field(() => Int, { description: "响应时间 Hours from the call until the first units are ready." })
  @Column({ name: "lead_time_hours", type: "integer" })
  leadTimeHours: number;
}
