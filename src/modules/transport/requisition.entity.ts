// Requisition (征用) of a private or enterprise resource for an incident, and its settlement
// (结算) of compensation: amounts in fen (分) as bigint, shown in GraphQL as strings of digits.
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { ApiKey } from "../accounts/api-key.entity";
import { Incident } from "../incidents/incident.entity";
import { RequisitionStatus, SettlementStatus, sqlList } from "./transport.enums";
import { TransportResource } from "./transport.entity";

const FEN = "分 Amount in fen (1 元 = 100 分), as a string of digits (a bigint: no Int overflow, no float rounding).";

@ObjectType({ implements: Node, description: "征用单 A requisition: a private or enterprise resource taken for an incident on a legal basis, with its condition at hand-over and at return." })
@Entity("requisition")
@Unique("UQ_requisition_code", ["code"])
@Index("IDX_requisition_resource", ["resourceId", "id"])
@Index("IDX_requisition_incident", ["incidentId", "id"])
// One resource is never requisitioned twice at once: at most one ACTIVE requisition per resource.
@Index("UQ_requisition_active_resource", ["resourceId"], { unique: true, where: `"status" = 'ACTIVE'` })
@Check("CHK_requisition_status", `"status" IN (${sqlList(Object.values(RequisitionStatus))})`)
@Check("CHK_requisition_returned", `("status" = 'RETURNED') = ("returned_at" IS NOT NULL)`)
@Check("CHK_requisition_period", `"planned_until" > "starts_at" AND ("returned_at" IS NULL OR "returned_at" >= "starts_at")`)
@Check("CHK_requisition_usage", `"km_driven" >= 0 AND "kg_carried" >= 0 AND "damage_fen" >= 0`)
export class Requisition {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_requisition" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Requisition", this.id);
  }

  @Field(() => String, { description: "征用单编号。Reference, e.g. KZ-ZY-000003." })
  @Column({ type: "text" })
  code: string;

  @Column({ name: "resource_id", type: "integer" })
  resourceId: number;

  @ManyToOne(() => TransportResource, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "resource_id", foreignKeyConstraintName: "FK_requisition_resource" })
  resourceRow?: TransportResource;

  @Column({ name: "incident_id", type: "integer" })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_requisition_incident" })
  incidentRow?: Incident;

  @Field(() => RequisitionStatus, { description: "征用状态。ACTIVE or RETURNED." })
  @Column({ type: "text" })
  status: RequisitionStatus;

  @Field(() => String, { description: "法律依据 Legal basis, e.g. 《中华人民共和国突发事件应对法》第十二条." })
  @Column({ name: "legal_basis", type: "text" })
  legalBasis: string;

  @Field(() => String, { description: "被征用人 Owner at requisition — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "owner_name", type: "text" })
  ownerName: string;

  @Field(() => String, { nullable: true, description: "被征用人电话 Owner's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "owner_phone", type: "text", nullable: true })
  ownerPhone: string | null;

  @Field(() => Date, { description: "征用开始。Handed over at." })
  @Column({ name: "starts_at", type: "timestamptz" })
  startsAt: Date;

  @Field(() => Date, { description: "计划归还 Planned end of the period." })
  @Column({ name: "planned_until", type: "timestamptz" })
  plannedUntil: Date;

  @Field(() => Date, { nullable: true, description: "实际归还。Returned at." })
  @Column({ name: "returned_at", type: "timestamptz", nullable: true })
  returnedAt: Date | null;

  @Field(() => String, { description: "交接时状况 Condition at hand-over." })
  @Column({ name: "condition_at_handover", type: "text" })
  conditionAtHandover: string;

  @Field(() => String, { description: "交接时油量/电量 Fuel or charge at hand-over, e.g. 3/4." })
  @Column({ name: "fuel_at_handover", type: "text" })
  fuelAtHandover: string;

  @Field(() => String, { nullable: true, description: "归还时状况 Condition at return." })
  @Column({ name: "condition_at_return", type: "text", nullable: true })
  conditionAtReturn: string | null;

  @Field(() => Int, { description: "行驶里程 Km driven while held (recorded at return)." })
  @Column({ name: "km_driven", type: "integer", default: 0 })
  kmDriven: number;

  @Field(() => Int, { description: "运量 Goods carried while held, kg (recorded at return)." })
  @Column({ name: "kg_carried", type: "integer", default: 0 })
  kgCarried: number;

  @Field(() => String, { description: `损坏评估 Damage assessed at return. ${FEN}` })
  @Column({ name: "damage_fen", type: "bigint", default: 0 })
  damageFen: string;

  @Column({ name: "requisitioned_by_id", type: "integer", nullable: true })
  requisitionedById: number | null;

  @Field(() => String, { description: "征用决定人 Commander who requisitioned — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "requisitioned_by", type: "text" })
  requisitionedBy: string;

  @Field(() => Date, { description: "登记时间。When recorded." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}

@ObjectType({
  implements: Node,
  description: `征用补偿结算 The settlement of a requisition: rate-table compensation (days, km, tonnes) plus damage; CALCULATED → CONFIRMED_BY_OWNER → APPROVED → PAID. Amounts in fen as strings.`,
})
@Entity("settlement")
@Unique("UQ_settlement_requisition", ["requisitionId"])
@Index("IDX_settlement_status", ["status", "id"])
@Check("CHK_settlement_status", `"status" IN (${sqlList(Object.values(SettlementStatus))})`)
@Check("CHK_settlement_total", `"total_fen" = "day_fen" + "km_fen" + "tonne_fen" + "damage_fen" AND "day_fen" >= 0 AND "km_fen" >= 0 AND "tonne_fen" >= 0 AND "damage_fen" >= 0`)
@Check("CHK_settlement_approver", `"approved_by_id" IS NULL OR "approved_by_id" IS DISTINCT FROM "requisitioned_by_id"`)
export class Settlement {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_settlement" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Settlement", this.id);
  }

  @Column({ name: "requisition_id", type: "integer" })
  requisitionId: number;

  @OneToOne(() => Requisition, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "requisition_id", foreignKeyConstraintName: "FK_settlement_requisition" })
  requisitionRow?: Requisition;

  @Field(() => SettlementStatus, { description: "结算状态。Where the settlement stands." })
  @Column({ type: "text" })
  status: SettlementStatus;

  @Field(() => Int, { description: "计费天数 Days charged: started days of 24 h from hand-over to return, at least 1." })
  @Column({ type: "integer" })
  days: number;

  @Field(() => Int, { description: "日单价（分） Rate per day in fen, as of the calculation." })
  @Column({ name: "day_rate_fen", type: "integer" })
  dayRateFen: number;

  @Field(() => Int, { description: "公里单价（分） Rate per km in fen." })
  @Column({ name: "km_rate_fen", type: "integer" })
  kmRateFen: number;

  @Field(() => Int, { description: "吨单价（分） Rate per tonne in fen." })
  @Column({ name: "tonne_rate_fen", type: "integer" })
  tonneRateFen: number;

  @Field(() => String, { description: `按天补偿 days × day rate. ${FEN}` })
  @Column({ name: "day_fen", type: "bigint" })
  dayFen: string;

  @Field(() => String, { description: `按里程补偿 km × km rate. ${FEN}` })
  @Column({ name: "km_fen", type: "bigint" })
  kmFen: string;

  @Field(() => String, { description: `按吨补偿 kg carried × tonne rate / 1000, rounded half up to the fen. ${FEN}` })
  @Column({ name: "tonne_fen", type: "bigint" })
  tonneFen: string;

  @Field(() => String, { description: `损坏赔偿 Damage assessed. ${FEN}` })
  @Column({ name: "damage_fen", type: "bigint" })
  damageFen: string;

  @Field(() => String, { description: `合计 Total. ${FEN}` })
  @Column({ name: "total_fen", type: "bigint" })
  totalFen: string;

  /** Copied from the requisition, so the database itself refuses an approval by the requisitioner. */
  @Column({ name: "requisitioned_by_id", type: "integer", nullable: true })
  requisitionedById: number | null;

  @Field(() => Date, { description: "核算时间。When calculated." })
  @CreateDateColumn({ name: "calculated_at", type: "timestamptz" })
  calculatedAt: Date;

  @Field(() => Date, { nullable: true, description: "所有人确认时间。When the owner's confirmation was recorded." })
  @Column({ name: "owner_confirmed_at", type: "timestamptz", nullable: true })
  ownerConfirmedAt: Date | null;

  @Column({ name: "approved_by_id", type: "integer", nullable: true })
  approvedById: number | null;

  @Field(() => String, { nullable: true, description: "审批人 Who approved payment — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "approved_by", type: "text", nullable: true })
  approvedBy: string | null;

  @Field(() => Date, { nullable: true, description: "审批时间。When approved." })
  @Column({ name: "approved_at", type: "timestamptz", nullable: true })
  approvedAt: Date | null;

  @Field(() => String, { nullable: true, description: "支付凭证号 Payment voucher number." })
  @Column({ name: "payment_reference", type: "text", nullable: true })
  paymentReference: string | null;

  @Field(() => Date, { nullable: true, description: "支付时间。When paid." })
  @Column({ name: "paid_at", type: "timestamptz", nullable: true })
  paidAt: Date | null;
}

/** An API key limited to one vehicle (车载终端/司机手机): it may report that vehicle's position and nothing else that writes. */
@Entity("vehicle_api_key")
@Index("IDX_vehicle_api_key_vehicle", ["vehicleId"])
export class VehicleApiKey {
  @PrimaryColumn({ name: "api_key_id", type: "integer", primaryKeyConstraintName: "PK_vehicle_api_key" })
  apiKeyId: number;

  @OneToOne(() => ApiKey, { onDelete: "CASCADE" })
  @JoinColumn({ name: "api_key_id", foreignKeyConstraintName: "FK_vehicle_api_key_key" })
  apiKey?: ApiKey;

  @Column({ name: "vehicle_id", type: "integer" })
  vehicleId: number;

  @ManyToOne(() => TransportResource, { onDelete: "CASCADE" })
  @JoinColumn({ name: "vehicle_id", foreignKeyConstraintName: "FK_vehicle_api_key_vehicle" })
  vehicle?: TransportResource;
}
