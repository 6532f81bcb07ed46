import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { DestinationKind, DispatchPriority, sqlList } from "../dispatch/dispatch.enums";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { SupplyRequestPurpose, SupplyRequestStatus } from "./supply-request.enums";
import { DestinationColumns } from "../dispatch/destination-columns";

/**
 * A supply request (需求申报): what a township, a village or the district asks the district to
 * send. Its status changes only through the transitions in supply-request-state.ts; dispatch
 * orders made from it fulfil it.
 */
@ObjectType({
  implements: Node,
  description:
    "需求申报 Supply request: lines of items asked for a destination, with purpose, people served and requester; answered whole or in part, then fulfilled by dispatch orders made from it. EDXL-RM RequestResource (answered by ResponseToRequestResource, fulfilled by CommitResource); Sahana Eden inv_req; an OpenBoxes requisition.",
})
@Entity("supply_request")
@Unique("UQ_supply_request_code", ["code"])
@Index("IDX_supply_request_district", ["districtId"])
@Index("IDX_supply_request_status", ["status", "id"])
@Index("IDX_supply_request_destination_region", ["destinationRegionId", "id"])
@Index("IDX_supply_request_incident", ["incidentId", "id"])
@Check("CHK_supply_request_status", `"status" IN (${sqlList(Object.values(SupplyRequestStatus))})`)
@Check("CHK_supply_request_purpose", `"purpose" IN (${sqlList(Object.values(SupplyRequestPurpose))})`)
@Check("CHK_supply_request_priority", `"priority" IN (${sqlList(Object.values(DispatchPriority))})`)
@Check("CHK_supply_request_destination_kind", `"destination_kind" IN (${sqlList(Object.values(DestinationKind))})`)
@Check(
  "CHK_supply_request_destination",
  `("destination_kind" = 'SITE') = ("destination_site_id" IS NOT NULL) AND ("destination_kind" <> 'POINT' OR ("receiver_name" IS NOT NULL AND "receiver_phone" IS NOT NULL))`,
)
@Check("CHK_supply_request_point", `"destination_latitude" BETWEEN -90 AND 90 AND "destination_longitude" BETWEEN -180 AND 180`)
@Check("CHK_supply_request_purpose_fits", `("purpose" = 'INCIDENT') = ("incident_id" IS NOT NULL) AND ("purpose" <> 'REPLENISHMENT' OR "destination_kind" = 'SITE')`)
@Check("CHK_supply_request_people_served", `"people_served" >= 0`)
export class SupplyRequest extends DestinationColumns("supply_request") {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_supply_request" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("SupplyRequest", this.id);
  }

  @Field(() => String, { description: "申报编号 Reference number staff quote, counted per district and year of submission (district time, UTC+8) without gaps, e.g. KZ-RQ-2026-00012." })
  @Column({ type: "text" })
  code: string;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_supply_request_district" })
  districtRow?: Region;

  @Field(() => SupplyRequestStatus, { description: "申报状态。Where the request stands." })
  @Column({ type: "text" })
  status: SupplyRequestStatus;

  @Field(() => SupplyRequestPurpose, { description: "申报事由 Why the supplies are asked for." })
  @Column({ type: "text" })
  purpose: SupplyRequestPurpose;

  @Column({ name: "incident_id", type: "integer", nullable: true })
  incidentId: number | null;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_supply_request_incident" })
  incidentRow?: Incident;

  @Field(() => DispatchPriority, { description: "紧急程度 The most urgent of its lines' priorities: the district's queue sorts by it." })
  @Column({ type: "text" })
  priority: DispatchPriority;

  @Field(() => Date, { nullable: true, description: "需用时间 The earliest of its lines' needed-by times; null when no line names one (as soon as possible)." })
  @Column({ name: "needed_by", type: "timestamptz", nullable: true })
  neededBy: Date | null;

  @Field(() => Int, { nullable: true, description: "受益人数 How many people the supplies serve, as the requester estimates." })
  @Column({ name: "people_served", type: "integer", nullable: true })
  peopleServed: number | null;

  @Field(() => String, { description: "申报人 Who asks (the submitting account's display name unless given) — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "requester_name", type: "text" })
  requesterName: string;

  @Field(() => String, { description: "申报人联系电话 How to reach the requester — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "requester_phone", type: "text" })
  requesterPhone: string;

  @Column({ name: "submitted_by_id", type: "integer", nullable: true })
  submittedById: number | null;

  @Field(() => String, { description: "填报人 The account (sign-in name) or API key that entered the request — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "submitted_by", type: "text" })
  submittedBy: string;

  @Field(() => String, { nullable: true, description: "申报说明 What the supplies are for, in the requester's words." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ name: "decided_by_id", type: "integer", nullable: true })
  decidedById: number | null;

  @Field(() => String, { nullable: true, description: "审核人 Who approved or rejected it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "decided_by", type: "text", nullable: true })
  decidedBy: string | null;

  @Field(() => String, { nullable: true, description: "审核意见 The approval's note (why lines were cut), or why it was rejected (驳回理由)." })
  @Column({ name: "decision_note", type: "text", nullable: true })
  decisionNote: string | null;

  @Field(() => String, { nullable: true, description: "撤回或关闭人。Who withdrew or closed it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "ended_by", type: "text", nullable: true })
  endedBy: string | null;

  @Field(() => String, { nullable: true, description: "撤回理由 Why it was withdrawn or closed (关闭理由)." })
  @Column({ name: "end_reason", type: "text", nullable: true })
  endReason: string | null;

  @Field(() => Date, { description: "申报时间 When it was submitted." })
  @CreateDateColumn({ name: "submitted_at", type: "timestamptz" })
  submittedAt: Date;

  @Field(() => Date, { description: "更新时间。When it last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: "审核时间 When it was approved or rejected." })
  @Column({ name: "decided_at", type: "timestamptz", nullable: true })
  decidedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "完成时间。When the last approved unit was delivered." })
  @Column({ name: "fulfilled_at", type: "timestamptz", nullable: true })
  fulfilledAt: Date | null;

  @Field(() => Date, { nullable: true, description: "撤回或关闭时间。When it was withdrawn or closed." })
  @Column({ name: "ended_at", type: "timestamptz", nullable: true })
  endedAt: Date | null;
}

/**
 * One item of a request. What was approved is stored; what is on orders, in transit and
 * delivered is computed from the dispatch order lines that serve it (request-fulfilment.ts).
 */
@ObjectType({
  implements: Node,
  description:
    "需求明细 A line of a supply request: an item, how many, by when, how urgent; and how far it has got — requested, approved, on orders, in transit, delivered, outstanding (Sahana Eden inv_req_item: quantity, commit, transit, fulfil).",
})
@Entity("supply_request_line")
@Unique("UQ_supply_request_line_item", ["requestId", "itemId"])
@Index("IDX_supply_request_line_district", ["districtId"])
@Index("IDX_supply_request_line_item", ["itemId"])
@Check("CHK_supply_request_line_quantity", `"quantity" > 0 AND "approved_quantity" BETWEEN 0 AND "quantity"`)
@Check("CHK_supply_request_line_priority", `"priority" IN (${sqlList(Object.values(DispatchPriority))})`)
export class SupplyRequestLine {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_supply_request_line" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("SupplyRequestLine", this.id);
  }

  @Column({ name: "request_id", type: "integer" })
  requestId: number;

  @ManyToOne(() => SupplyRequest, { onDelete: "CASCADE" })
  @JoinColumn({ name: "request_id", foreignKeyConstraintName: "FK_supply_request_line_request" })
  requestRow?: SupplyRequest;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_supply_request_line_district" })
  districtRow?: Region;

  @Field(() => Int, { description: "序号。Position on the request, from 1." })
  @Column({ type: "integer" })
  position: number;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_supply_request_line_item" })
  itemRow?: SupplyItem;

  @Field(() => Int, { description: "申报数量 Quantity asked for." })
  @Column({ type: "integer" })
  quantity: number;

  @Field(() => Int, { nullable: true, description: "核定数量 Quantity the district approved (up to the quantity asked for; 0 when the line was cut); null until the request is approved." })
  @Column({ name: "approved_quantity", type: "integer", nullable: true })
  approvedQuantity: number | null;

  @Field(() => Date, { nullable: true, description: "需用时间 When the goods are needed by; null: as soon as possible." })
  @Column({ name: "needed_by", type: "timestamptz", nullable: true })
  neededBy: Date | null;

  @Field(() => DispatchPriority, { description: "紧急程度 How urgent this line is." })
  @Column({ type: "text" })
  priority: DispatchPriority;
}
