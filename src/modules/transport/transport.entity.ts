// Transport resources (运力) and the partner logistics enterprises (协议运力) that commit them,
// the per-unit weight and volume of catalogue items (for a trip's load), and the compensation
// rate table of requisitions (征用补偿标准).
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { maskName, maskPhone, maskVehiclePlate, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { RescueTeam } from "../teams/team.entity";
import { PartnerStatus, RateBasis, sqlList, TransportKind, TransportOwnerKind, TransportStatus } from "./transport.enums";

@ObjectType({ implements: Node, description: "协议运力企业 A partner logistics enterprise (large carriers, postal and warehousing firms) with an agreement committing vehicles on call." })
@Entity("logistics_partner")
@Unique("UQ_logistics_partner_code", ["code"])
@Index("IDX_logistics_partner_region", ["regionId"])
@Check("CHK_logistics_partner_status", `"status" IN (${sqlList(Object.values(PartnerStatus))})`)
@Check("CHK_logistics_partner_agreement", `"agreement_ends_on" >= "agreement_starts_on" AND "vehicles_committed" >= 0 AND "response_minutes" > 0`)
export class LogisticsPartner {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_logistics_partner" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("LogisticsPartner", this.id);
  }

  @Field(() => String, { description: "企业编码。Stable code, e.g. KZ-LP-01." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "企业名称。Registered name." })
  @Column({ type: "text" })
  name: string;

  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_logistics_partner_region" })
  regionRow?: Region;

  @Field(() => String, { nullable: true, description: "联系人 Contact person — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "contact_name", type: "text", nullable: true })
  contactName: string | null;

  @Field(() => String, { nullable: true, description: "联系电话 Contact phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "contact_phone", type: "text", nullable: true })
  contactPhone: string | null;

  @Field(() => String, { description: "协议编号 Number of the transport agreement." })
  @Column({ name: "agreement_number", type: "text" })
  agreementNumber: string;

  @Field(() => LocalDateResolver, { description: "协议起始日期。First day the agreement is in force." })
  @Column({ name: "agreement_starts_on", type: "date" })
  agreementStartsOn: string;

  @Field(() => LocalDateResolver, { description: "协议终止日期。Last day the agreement is in force." })
  @Column({ name: "agreement_ends_on", type: "date" })
  agreementEndsOn: string;

  @Field(() => Int, { description: "承诺车辆数 Vehicles the partner commits on call." })
  @Column({ name: "vehicles_committed", type: "integer" })
  vehiclesCommitted: number;

  @Field(() => Int, { description: "响应时间 Minutes from the call until the vehicles are at the loading site." })
  @Column({ name: "response_minutes", type: "integer" })
  responseMinutes: number;

  @Field(() => PartnerStatus, { description: "协议状态。ACTIVE or SUSPENDED." })
  @Column({ type: "text", default: "ACTIVE" })
  status: PartnerStatus;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

const OWNER_RULE = `("owner_kind" = 'TEAM') = ("team_id" IS NOT NULL) AND ("owner_kind" = 'PARTNER') = ("partner_id" IS NOT NULL) AND ("owner_kind" IN ('PRIVATE', 'ENTERPRISE') OR "owner_name" IS NULL)`;

@ObjectType({
  implements: Node,
  description:
    "运力 A transport resource: truck, van, boat, drone or machinery, with its capacity, owner and base. Plate, a private owner's name and phone are personal data; dashboards see kind, capacity, status and position.",
})
@Entity("transport_resource")
@Unique("UQ_transport_resource_code", ["code"])
@Index("IDX_transport_resource_status", ["status", "id"])
@Index("IDX_transport_resource_base", ["baseRegionId"])
@Index("IDX_transport_resource_partner", ["partnerId"])
@Index("UQ_transport_resource_plate", { synchronize: false }) // unique on the normalised plate (normalisePlate), created in the migration
@Check("CHK_transport_resource_kind", `"kind" IN (${sqlList(Object.values(TransportKind))})`)
@Check("CHK_transport_resource_owner_kind", `"owner_kind" IN (${sqlList(Object.values(TransportOwnerKind))})`)
@Check("CHK_transport_resource_status", `"status" IN (${sqlList(Object.values(TransportStatus))})`)
@Check("CHK_transport_resource_owner", OWNER_RULE)
@Check("CHK_transport_resource_capacity", `"capacity_kg" >= 0 AND "capacity_m3" >= 0 AND "seats" >= 0`)
@Check("CHK_transport_resource_point", `"last_latitude" BETWEEN -90 AND 90 AND "last_longitude" BETWEEN -180 AND 180`)
export class TransportResource {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_transport_resource" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("TransportResource", this.id);
  }

  @Field(() => String, { description: "运力编码。Stable code, e.g. KZ-V-001 (staff know vehicles by it)." })
  @Column({ type: "text" })
  code: string;

  @Field(() => TransportKind, { description: "运力类别。Truck, van, boat, drone or machinery." })
  @Column({ type: "text" })
  kind: TransportKind;

  @Field(() => String, { description: "型号/名称。Model or description, e.g. 东风 8 吨厢式货车." })
  @Column({ type: "text" })
  model: string;

  @Field(() => String, {
    nullable: true,
    description: "车牌号或船舶登记号 Plate or registration — personal data (it identifies the owner, often a private person): masked to province, city letter and the last two characters (渝F·***45).",
  })
  @PersonalData({ mask: maskVehiclePlate })
  @Column({ type: "text", nullable: true })
  plate: string | null;

  @Field(() => Int, { description: "载重 Load capacity in kg." })
  @Column({ name: "capacity_kg", type: "integer" })
  capacityKg: number;

  @Field(() => Float, { description: "容积 Load volume in m³." })
  @Column({ name: "capacity_m3", type: "double precision" })
  capacityM3: number;

  @Field(() => Int, { description: "座位 Seats, driver included." })
  @Column({ type: "integer" })
  seats: number;

  @Field(() => TransportOwnerKind, { description: "权属。Who owns it." })
  @Column({ name: "owner_kind", type: "text" })
  ownerKind: TransportOwnerKind;

  @Column({ name: "team_id", type: "integer", nullable: true })
  teamId: number | null;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_transport_resource_team" })
  teamRow?: RescueTeam;

  @Column({ name: "partner_id", type: "integer", nullable: true })
  partnerId: number | null;

  @ManyToOne(() => LogisticsPartner, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "partner_id", foreignKeyConstraintName: "FK_transport_resource_partner" })
  partnerRow?: LogisticsPartner;

  @Field(() => String, { nullable: true, description: "所有人 Owner (a private person or an enterprise) — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "owner_name", type: "text", nullable: true })
  ownerName: string | null;

  @Field(() => String, { nullable: true, description: "所有人电话 Owner's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "owner_phone", type: "text", nullable: true })
  ownerPhone: string | null;

  @Column({ name: "base_region_id", type: "integer" })
  baseRegionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "base_region_id", foreignKeyConstraintName: "FK_transport_resource_base_region" })
  baseRegionRow?: Region;

  @Field(() => TransportStatus, { description: "运力状态。AVAILABLE, ASSIGNED, IN_MAINTENANCE or REQUISITIONED." })
  @Column({ type: "text", default: "AVAILABLE" })
  status: TransportStatus;

  @Field(() => Float, { description: "最后位置纬度 Last known latitude (the base until a position is reported)." })
  @Column({ name: "last_latitude", type: "double precision" })
  lastLatitude: number;

  @Field(() => Float, { description: "最后位置经度 Last known longitude." })
  @Column({ name: "last_longitude", type: "double precision" })
  lastLongitude: number;

  @Field(() => Date, { nullable: true, description: "最后上报时间 When the last position was reported; null while it is the base." })
  @Column({ name: "last_reported_at", type: "timestamptz", nullable: true })
  lastReportedAt: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

/** Weight and volume of one unit of a catalogue item (装载参数), for a trip's load. */
@Entity("item_transport_measure")
@Check("CHK_item_transport_measure_positive", `"unit_weight_kg" > 0 AND "unit_volume_m3" > 0`)
export class ItemTransportMeasure {
  @PrimaryColumn({ name: "item_id", type: "integer", primaryKeyConstraintName: "PK_item_transport_measure" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "CASCADE" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_item_transport_measure_item" })
  item?: SupplyItem;

  @Column({ name: "unit_weight_kg", type: "double precision" })
  unitWeightKg: number;

  @Column({ name: "unit_volume_m3", type: "double precision" })
  unitVolumeM3: number;
}

@ObjectType({ description: "征用补偿标准 One rate of the compensation table: fen per day, km or tonne for a kind of resource." })
@Entity("transport_rate")
@Check("CHK_transport_rate_kind", `"kind" IN (${sqlList(Object.values(TransportKind))})`)
@Check("CHK_transport_rate_basis", `"basis" IN (${sqlList(Object.values(RateBasis))})`)
@Check("CHK_transport_rate_fen", `"fen_per_unit" >= 0`)
export class TransportRate {
  @Field(() => TransportKind, { description: "运力类别。Kind of resource." })
  @PrimaryColumn({ type: "text", primaryKeyConstraintName: "PK_transport_rate" })
  kind: TransportKind;

  @Field(() => RateBasis, { description: "计费依据。Per day, km or tonne." })
  @PrimaryColumn({ type: "text", primaryKeyConstraintName: "PK_transport_rate" })
  basis: RateBasis;

  @Field(() => Int, { description: "单价（分） Fen per unit (1 元 = 100 分)." })
  @Column({ name: "fen_per_unit", type: "integer" })
  fenPerUnit: number;
}
