import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, maskPhone, maskVehiclePlate, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { ReservePartner } from "../reserves/reserve-partner.entity";
import { StockBatch } from "../reserves/stock-batch.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { SupplyRequest, SupplyRequestLine } from "../requests/supply-request.entity";
import { AllocationSourceKind, DestinationKind, DispatchPriority, DispatchStatus, FieldLossReason, sqlList } from "./dispatch.enums";
import { DestinationColumns } from "./destination-columns";

/**
 * A dispatch order (调拨单): what moves from where to whom, for which incident. Its status
 * changes only through the transitions in dispatch-state.ts.
 */
@ObjectType({ implements: Node, description: "调拨单（调度令） A dispatch order: supply lines with their sources, a destination, transport, and where it stands." })
@Entity("dispatch_order")
@Unique("UQ_dispatch_order_code", ["code"])
@Index("IDX_dispatch_order_district", ["districtId"])
@Index("IDX_dispatch_order_incident", ["incidentId", "id"])
@Index("IDX_dispatch_order_status", ["status", "id"])
@Index("IDX_dispatch_order_destination_region", ["destinationRegionId", "id"])
@Index("IDX_dispatch_order_pending_approval", ["dispatchedAt", "id"], { where: `"pending_approval"` })
// What is on its way to each storage site (在途, StockLevel.inTransit and stockSummary): the few
// orders under way, never the thousands closed ones.
@Index("IDX_dispatch_order_in_transit", ["destinationSiteId"], { where: `"status" IN ('DISPATCHED', 'DELIVERED') AND "destination_site_id" IS NOT NULL` })
@Index("IDX_dispatch_order_request", ["requestId", "id"])
@Check("CHK_dispatch_order_status", `"status" IN (${sqlList(Object.values(DispatchStatus))})`)
@Check("CHK_dispatch_order_priority", `"priority" IN (${sqlList(Object.values(DispatchPriority))})`)
@Check("CHK_dispatch_order_destination_kind", `"destination_kind" IN (${sqlList(Object.values(DestinationKind))})`)
@Check(
  "CHK_dispatch_order_destination",
  `("destination_kind" = 'SITE') = ("destination_site_id" IS NOT NULL) AND ("destination_kind" <> 'POINT' OR ("receiver_name" IS NOT NULL AND "receiver_phone" IS NOT NULL))`,
)
@Check("CHK_dispatch_order_point", `"destination_latitude" BETWEEN -90 AND 90 AND "destination_longitude" BETWEEN -180 AND 180`)
@Check("CHK_dispatch_order_pending_approval", `NOT "pending_approval" OR ("approved_at" IS NULL AND "dispatched_at" IS NOT NULL AND "priority" = 'URGENT')`)
export class DispatchOrder extends DestinationColumns("dispatch_order") {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_dispatch_order" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("DispatchOrder", this.id);
  }

  @Field(() => String, { description: "调拨单编号。Reference number, counted per district and year of creation (district time, UTC+8) without gaps, e.g. KZ-DO-2026-000007." })
  @Column({ type: "text" })
  code: string;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_dispatch_order_district" })
  districtRow?: Region;

  @Column({ name: "incident_id", type: "integer", nullable: true })
  incidentId: number | null;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_dispatch_order_incident" })
  incidentRow?: Incident;

  /** The supply request (需求申报) the order fulfils; null for an order made without one. */
  @Column({ name: "request_id", type: "integer", nullable: true })
  requestId: number | null;

  @ManyToOne(() => SupplyRequest, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "request_id", foreignKeyConstraintName: "FK_dispatch_order_request" })
  requestRow?: SupplyRequest;

  @Field(() => DispatchStatus, { description: "状态。Where the order stands." })
  @Column({ type: "text" })
  status: DispatchStatus;

  @Field(() => DispatchPriority, { description: "紧急程度。How urgent it is." })
  @Column({ type: "text" })
  priority: DispatchPriority;

  @Field(() => String, {
    nullable: true,
    description: "车牌号 Vehicle plate — personal data (it identifies the vehicle and so its owner, often a private person's requisitioned vehicle): masked for roles that may not see it to the province, city letter and last two characters (渝F·***45).",
  })
  @PersonalData({ mask: maskVehiclePlate })
  @Column({ name: "vehicle_plate", type: "text", nullable: true })
  vehiclePlate: string | null;

  @Field(() => String, { nullable: true, description: "驾驶员 Driver — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "driver_name", type: "text", nullable: true })
  driverName: string | null;

  @Field(() => String, { nullable: true, description: "驾驶员电话 Driver's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "driver_phone", type: "text", nullable: true })
  driverPhone: string | null;

  @Field(() => String, { nullable: true, description: "绿色通道通行证号 Green-channel pass number for priority passage." })
  @Column({ name: "green_channel_pass", type: "text", nullable: true })
  greenChannelPass: string | null;

  @Field(() => String, { nullable: true, description: "备注 Free-text note." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Field(() => Boolean, { description: "口头指令待审批 Dispatched on a verbal order before approval; true until a commander approves it." })
  @Column({ name: "pending_approval", type: "boolean", default: false })
  pendingApproval: boolean;

  @Field(() => String, { nullable: true, description: "口头指令下达人。Who gave the verbal order for an urgent dispatch before approval — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "verbal_order_by", type: "text", nullable: true })
  verbalOrderBy: string | null;

  @Field(() => String, { nullable: true, description: "取消原因。Why the order was cancelled." })
  @Column({ name: "cancel_reason", type: "text", nullable: true })
  cancelReason: string | null;

  @Column({ name: "created_by_id", type: "integer", nullable: true })
  createdById: number | null;

  @Field(() => String, { description: "制单人 Who created the order — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "created_by", type: "text" })
  createdBy: string;

  @Column({ name: "approved_by_id", type: "integer", nullable: true })
  approvedById: number | null;

  @Field(() => String, { nullable: true, description: "审批人 Commander who approved it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "approved_by", type: "text", nullable: true })
  approvedBy: string | null;

  @Field(() => Date, { description: "制单时间。When the order was created." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { description: "更新时间。When the order last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: "提交时间。When it was submitted for approval." })
  @Column({ name: "submitted_at", type: "timestamptz", nullable: true })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "审批时间。When a commander approved it." })
  @Column({ name: "approved_at", type: "timestamptz", nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "发运时间。When the stock was issued and sent." })
  @Column({ name: "dispatched_at", type: "timestamptz", nullable: true })
  dispatchedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "签收时间。When receipt was first confirmed." })
  @Column({ name: "delivered_at", type: "timestamptz", nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: "关闭时间。When the order was closed." })
  @Column({ name: "closed_at", type: "timestamptz", nullable: true })
  closedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "取消时间。When the order was cancelled." })
  @Column({ name: "cancelled_at", type: "timestamptz", nullable: true })
  cancelledAt: Date | null;
}

/** One item of an order and how much of it has moved at each stage. */
@ObjectType({ implements: Node, description: "调拨明细。A line of a dispatch order: one item, its quantity and its progress (partial delivery shows here)." })
@Entity("dispatch_order_line")
@Unique("UQ_dispatch_order_line_item", ["orderId", "itemId"])
@Index("IDX_dispatch_order_line_district", ["districtId"])
@Index("IDX_dispatch_order_line_item", ["itemId"])
@Index("IDX_dispatch_order_line_request_line", ["requestLineId"])
@Check("CHK_dispatch_order_line_quantity", `"quantity" > 0`)
// Every unit sent is in transit, received, turned back (a return that never arrived) or short
// (written off without arriving); what arrived may come back or be written off in the field.
@Check(
  "CHK_dispatch_order_line_progress",
  `"dispatched_quantity" BETWEEN 0 AND "quantity" AND "delivered_quantity" BETWEEN 0 AND "dispatched_quantity"` +
    ` AND "returned_quantity" >= 0 AND "written_off_quantity" >= 0 AND "returned_quantity" + "written_off_quantity" <= "dispatched_quantity"` +
    ` AND "short_quantity" BETWEEN 0 AND "written_off_quantity" AND "turned_back_quantity" BETWEEN 0 AND "returned_quantity"` +
    ` AND "delivered_quantity" + "short_quantity" + "turned_back_quantity" <= "dispatched_quantity"` +
    ` AND "returned_quantity" - "turned_back_quantity" + "written_off_quantity" - "short_quantity" <= "delivered_quantity"`,
)
export class DispatchOrderLine {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_dispatch_order_line" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("DispatchOrderLine", this.id);
  }

  @Column({ name: "order_id", type: "integer" })
  orderId: number;

  @ManyToOne(() => DispatchOrder, { onDelete: "CASCADE" })
  @JoinColumn({ name: "order_id", foreignKeyConstraintName: "FK_dispatch_order_line_order" })
  orderRow?: DispatchOrder;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_dispatch_order_line_district" })
  districtRow?: Region;

  @Field(() => Int, { description: "序号。Position on the order, from 1." })
  @Column({ type: "integer" })
  position: number;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_dispatch_order_line_item" })
  itemRow?: SupplyItem;

  /** The line of the order's supply request it serves; null when the order was made without one. */
  @Column({ name: "request_line_id", type: "integer", nullable: true })
  requestLineId: number | null;

  @ManyToOne(() => SupplyRequestLine, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "request_line_id", foreignKeyConstraintName: "FK_dispatch_order_line_request_line" })
  requestLineRow?: SupplyRequestLine;

  @Field(() => Int, { description: "需求数量 Quantity asked for." })
  @Column({ type: "integer" })
  quantity: number;

  @Field(() => Int, { description: "已发运 Quantity sent: issued from stock or called from partners." })
  @Column({ name: "dispatched_quantity", type: "integer", default: 0 })
  dispatchedQuantity: number;

  @Field(() => Int, { description: "已签收 Received: quantity the receiver confirmed; to a storage site, booked into its stock. Below the dispatched quantity while delivery is partial." })
  @Column({ name: "delivered_quantity", type: "integer", default: 0 })
  deliveredQuantity: number;

  @Field(() => Int, { description: "已回收 Returned: quantity that came back to a site, after use or turned back on the way (see turnedBackQuantity)." })
  @Column({ name: "returned_quantity", type: "integer", default: 0 })
  returnedQuantity: number;

  @Field(() => Int, { description: "报损 Written off on the order: short deliveries (see shortQuantity) and reusable items lost or damaged in the field." })
  @Column({ name: "written_off_quantity", type: "integer", default: 0 })
  writtenOffQuantity: number;

  @Field(() => Int, { description: "短少 Short: written off without ever arriving (damaged or lost on the way, short shipped, handed out en route); part of writtenOffQuantity." })
  @Column({ name: "short_quantity", type: "integer", default: 0 })
  shortQuantity: number;

  @Field(() => Int, { description: "退回 Turned back: came back to a site without reaching the destination; part of returnedQuantity." })
  @Column({ name: "turned_back_quantity", type: "integer", default: 0 })
  turnedBackQuantity: number;

  @Field(() => Int, { description: "未签收 Not received: sent and not confirmed as received — in transit, short or turned back." })
  get undeliveredQuantity(): number {
    return this.dispatchedQuantity - this.deliveredQuantity;
  }

  @Field(() => Int, { description: "在途 In transit: sent and neither received, turned back nor written off as short. Must reach 0 before the order can close." })
  get inTransitQuantity(): number {
    return this.dispatchedQuantity - this.deliveredQuantity - this.shortQuantity - this.turnedBackQuantity;
  }

  /** Received and neither back nor written off since: at a region or a point, what is still out in the field. */
  get inFieldQuantity(): number {
    return this.deliveredQuantity - (this.returnedQuantity - this.turnedBackQuantity) - (this.writtenOffQuantity - this.shortQuantity);
  }

  /**
   * Sent and not yet done with (DispatchOrderLine.outstandingQuantity): what arrived at a storage
   * site is that site's stock and done; what arrived at a region or a point is still out until it
   * comes back or is written off (for consumables that matters only while it is in transit).
   */
  outstandingFor(destination: DestinationKind): number {
    return destination === DestinationKind.SITE ? this.inTransitQuantity : this.dispatchedQuantity - this.returnedQuantity - this.writtenOffQuantity;
  }
}

/** Where (part of) a line comes from: a batch at a site, or a partner's agreement stock or capacity. */
@ObjectType({ implements: Node, description: "调拨来源 A source of a line: a batch at a storage site, or a partner enterprise's agreement stock or capacity." })
@Entity("dispatch_allocation")
@Index("IDX_dispatch_allocation_order", ["orderId", "id"])
@Index("IDX_dispatch_allocation_line", ["lineId"])
@Index("IDX_dispatch_allocation_district", ["districtId"])
@Index("IDX_dispatch_allocation_batch", ["batchId"])
@Index("IDX_dispatch_allocation_partner", ["partnerId", "itemId"])
@Check("CHK_dispatch_allocation_kind", `"source_kind" IN (${sqlList(Object.values(AllocationSourceKind))})`)
@Check(
  "CHK_dispatch_allocation_source",
  `("source_kind" = 'SITE_STOCK') = ("batch_id" IS NOT NULL) AND ("source_kind" = 'SITE_STOCK') = ("site_id" IS NOT NULL) AND ("source_kind" = 'SITE_STOCK') = ("partner_id" IS NULL)`,
)
@Check("CHK_dispatch_allocation_quantity", `"quantity" > 0 AND "returned_quantity" BETWEEN 0 AND "quantity" AND "received_quantity" BETWEEN 0 AND "quantity"`)
export class DispatchAllocation {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_dispatch_allocation" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("DispatchAllocation", this.id);
  }

  @Column({ name: "order_id", type: "integer" })
  orderId: number;

  @ManyToOne(() => DispatchOrder, { onDelete: "CASCADE" })
  @JoinColumn({ name: "order_id", foreignKeyConstraintName: "FK_dispatch_allocation_order" })
  orderRow?: DispatchOrder;

  @Column({ name: "line_id", type: "integer" })
  lineId: number;

  @ManyToOne(() => DispatchOrderLine, { onDelete: "CASCADE" })
  @JoinColumn({ name: "line_id", foreignKeyConstraintName: "FK_dispatch_allocation_line" })
  lineRow?: DispatchOrderLine;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_dispatch_allocation_district" })
  districtRow?: Region;

  /** The line's item, copied so partner call-offs of an item are one index range. */
  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_dispatch_allocation_item" })
  itemRow?: SupplyItem;

  @Field(() => AllocationSourceKind, { description: "来源类别。What kind of source it is." })
  @Column({ name: "source_kind", type: "text" })
  sourceKind: AllocationSourceKind;

  @Column({ name: "site_id", type: "integer", nullable: true })
  siteId: number | null;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "site_id", foreignKeyConstraintName: "FK_dispatch_allocation_site" })
  siteRow?: StorageSite;

  @Column({ name: "batch_id", type: "integer", nullable: true })
  batchId: number | null;

  @ManyToOne(() => StockBatch, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "batch_id", foreignKeyConstraintName: "FK_dispatch_allocation_batch" })
  batchRow?: StockBatch;

  @Column({ name: "partner_id", type: "integer", nullable: true })
  partnerId: number | null;

  @ManyToOne(() => ReservePartner, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "partner_id", foreignKeyConstraintName: "FK_dispatch_allocation_partner" })
  partnerRow?: ReservePartner;

  @Field(() => Int, { description: "来源数量。Quantity from this source." })
  @Column({ type: "integer" })
  quantity: number;

  @Field(() => Int, { description: "回收 Of this source's units, how many came back." })
  @Column({ name: "returned_quantity", type: "integer", default: 0 })
  returnedQuantity: number;

  @Field(() => Int, {
    description:
      "已签收 Of this source's units, how many the receiver confirmed. A line's receipts are assigned to its sources in allocation order (the order the sources were listed or planned: nearest and earliest expiry first), each source filled before the next.",
  })
  @Column({ name: "received_quantity", type: "integer", default: 0 })
  receivedQuantity: number;

  @Field(() => String, { nullable: true, description: "选用理由。Why the planner chose this source (distance, tier, available); null when chosen by hand." })
  @Column({ type: "text", nullable: true })
  reason: string | null;
}

/** Issued units that will not arrive or not come back, written off on the order with an approver. */
@ObjectType({ implements: Node, description: "报损 Issued items written off on an order: short on delivery (短少: damaged or lost on the way, short shipped, handed out en route), or lost or damaged in the field after delivery." })
@Entity("dispatch_write_off")
@Index("IDX_dispatch_write_off_order", ["orderId", "id"])
@Index("IDX_dispatch_write_off_district", ["districtId"])
@Check("CHK_dispatch_write_off_quantity", `"quantity" > 0`)
@Check("CHK_dispatch_write_off_reason", `"reason" IN (${sqlList(Object.values(FieldLossReason))})`)
export class DispatchWriteOff {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_dispatch_write_off" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("DispatchWriteOff", this.id);
  }

  @Column({ name: "order_id", type: "integer" })
  orderId: number;

  @ManyToOne(() => DispatchOrder, { onDelete: "CASCADE" })
  @JoinColumn({ name: "order_id", foreignKeyConstraintName: "FK_dispatch_write_off_order" })
  orderRow?: DispatchOrder;

  @Column({ name: "line_id", type: "integer" })
  lineId: number;

  @ManyToOne(() => DispatchOrderLine, { onDelete: "CASCADE" })
  @JoinColumn({ name: "line_id", foreignKeyConstraintName: "FK_dispatch_write_off_line" })
  lineRow?: DispatchOrderLine;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_dispatch_write_off_district" })
  districtRow?: Region;

  @Field(() => Int, { description: "报损数量。Units written off." })
  @Column({ type: "integer" })
  quantity: number;

  @Field(() => FieldLossReason, { description: "报损原因。Why they will not arrive or not come back." })
  @Column({ type: "text" })
  reason: FieldLossReason;

  @Field(() => Boolean, { description: "短少 A short delivery: the units never reached the destination. False: lost or damaged there after delivery (现场损耗)." })
  @Column({ name: "short_delivery", type: "boolean", default: false })
  shortDelivery: boolean;

  @Field(() => String, { description: "审批人 Official who approved the write-off — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "approved_by", type: "text" })
  approvedBy: string;

  @Field(() => String, { nullable: true, description: "备注 Free-text note." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ name: "recorded_by_id", type: "integer", nullable: true })
  recordedById: number | null;

  @Field(() => String, { description: "经办人 Who recorded it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "recorded_by", type: "text" })
  recordedBy: string;

  @Field(() => Date, { description: "登记时间。When it was recorded." })
  @CreateDateColumn({ name: "recorded_at", type: "timestamptz" })
  recordedAt: Date;
}
