// Vocabularies of dispatch orders. Stored as text with CHECK constraints built from these values.
import { registerEnumType } from "type-graphql";

export enum DispatchStatus {
  DRAFT = "DRAFT",
  SUBMITTED = "SUBMITTED",
  APPROVED = "APPROVED",
  DISPATCHED = "DISPATCHED",
  DELIVERED = "DELIVERED",
  CLOSED = "CLOSED",
  CANCELLED = "CANCELLED",
}
registerEnumType(DispatchStatus, {
  name: "DispatchStatus",
  description: "调拨单状态。Where a dispatch order stands in its life cycle.",
  valuesConfig: {
    DRAFT: { description: "草稿 Being prepared; lines and sources may still change." },
    SUBMITTED: { description: "待审批 Submitted for approval." },
    APPROVED: { description: "已批准 Approved by a commander: every stock allocation is reserved." },
    DISPATCHED: { description: "已发运, 在途 Stock issued and on its way." },
    DELIVERED: { description: "已签收 Receipt confirmed, fully or in part; units may still be in transit, and reusable items sent to a region or a point may still be out." },
    CLOSED: { description: "已关闭 Finished: every unit sent received, turned back or written off, and every reusable item sent to a region or a point back or written off." },
    CANCELLED: { description: "已取消 Cancelled: reservations released, anything sent returned or written off." },
  },
});

export enum DispatchPriority {
  URGENT = "URGENT",
  HIGH = "HIGH",
  NORMAL = "NORMAL",
}
registerEnumType(DispatchPriority, {
  name: "DispatchPriority",
  description: "紧急程度。How urgent an order is.",
  valuesConfig: {
    URGENT: { description: "特急 Urgent: may be dispatched on a verbal order before approval, may take stock below minimums." },
    HIGH: { description: "紧急 High." },
    NORMAL: { description: "一般 Normal, e.g. pre-positioning before the flood season." },
  },
});

export enum DestinationKind {
  REGION = "REGION",
  SITE = "SITE",
  POINT = "POINT",
}
registerEnumType(DestinationKind, {
  name: "DestinationKind",
  description: "目的地类别。What a dispatch order is sent to.",
  valuesConfig: {
    REGION: { description: "区域。A region (a township or a village), delivered to its centre." },
    SITE: { description: "储备点。A storage site (pre-positioning into another store): what arrives is booked into its stock on receipt." },
    POINT: { description: "现场地点。A point in the field with a receiver and phone (e.g. a shelter or the scene)." },
  },
});

export enum AllocationSourceKind {
  SITE_STOCK = "SITE_STOCK",
  PARTNER_STOCK = "PARTNER_STOCK",
  PARTNER_CAPACITY = "PARTNER_CAPACITY",
}
registerEnumType(AllocationSourceKind, {
  name: "AllocationSourceKind",
  description: "调拨来源类别。Where the goods of an allocation come from.",
  valuesConfig: {
    SITE_STOCK: { description: "储备点库存批次。A batch at one of the district's storage sites: reserved on approval, issued (ISSUE) on dispatch." },
    PARTNER_STOCK: { description: "协议储备 Stock a partner enterprise holds for the district under agreement, called off; delivered by the enterprise." },
    PARTNER_CAPACITY: { description: "产能储备 Production called on a partner's capacity agreement; delivered after its lead time." },
  },
});

export enum SourceTier {
  VILLAGE_ROOM = "VILLAGE_ROOM",
  TOWNSHIP_POINT = "TOWNSHIP_POINT",
  DISTRICT_DEPOT = "DISTRICT_DEPOT",
  PARTNER_STOCK = "PARTNER_STOCK",
  PRODUCTION_CAPACITY = "PRODUCTION_CAPACITY",
}
registerEnumType(SourceTier, {
  name: "SourceTier",
  description: "来源层级。Tiers of sources in the order allocation escalates through.",
  valuesConfig: {
    VILLAGE_ROOM: { description: "村（社区）储存室 Village or community storage room, nearby only." },
    TOWNSHIP_POINT: { description: "乡镇（街道）储备点 Township or street storage point." },
    DISTRICT_DEPOT: { description: "区级库 District depot." },
    PARTNER_STOCK: { description: "企业协议储备 Partner enterprise agreement stock." },
    PRODUCTION_CAPACITY: { description: "产能储备 Partner production capacity, with its lead time." },
  },
});

export enum DispatchOrderChange {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  SUBMITTED = "SUBMITTED",
  APPROVED = "APPROVED",
  DISPATCHED = "DISPATCHED",
  DELIVERY_CONFIRMED = "DELIVERY_CONFIRMED",
  RETURN_RECORDED = "RETURN_RECORDED",
  CLOSED = "CLOSED",
  CANCELLED = "CANCELLED",
}
registerEnumType(DispatchOrderChange, {
  name: "DispatchOrderChange",
  description: "调拨单变化。What happened to a dispatch order.",
  valuesConfig: {
    CREATED: { description: "已创建。Created as a draft." },
    UPDATED: { description: "已修改。Draft changed." },
    SUBMITTED: { description: "已提交。Submitted for approval." },
    APPROVED: { description: "已批准。Approved (stock reserved), or a verbal order approved after dispatch." },
    DISPATCHED: { description: "已发运。Stock issued, on its way." },
    DELIVERY_CONFIRMED: { description: "已签收。Receipt confirmed (fully or in part)." },
    RETURN_RECORDED: { description: "已回收。Reusable items came back to a site." },
    CLOSED: { description: "已关闭。Closed." },
    CANCELLED: { description: "已取消。Cancelled." },
  },
});

export enum ReturnCondition {
  GOOD = "GOOD",
  DAMAGED = "DAMAGED",
}
registerEnumType(ReturnCondition, {
  name: "ReturnCondition",
  description: "回收物资状况。Condition of items coming back.",
  valuesConfig: {
    GOOD: { description: "完好。Fit for use again: back in stock at the chosen site (RETURN)." },
    DAMAGED: { description: "损坏 Damaged: received at the chosen site (RETURN) and written off there at once (WRITE_OFF), with an approver." },
  },
});

export enum FieldLossReason {
  DAMAGED = "DAMAGED",
  LOST = "LOST",
  SHORT_SHIPPED = "SHORT_SHIPPED",
  DISTRIBUTED_EN_ROUTE = "DISTRIBUTED_EN_ROUTE",
}
registerEnumType(FieldLossReason, {
  name: "FieldLossReason",
  description:
    "短少或报损原因。Why issued units will not arrive (短少, a short delivery) or not come back (written off on the order, with the approving official). SHORT_SHIPPED and DISTRIBUTED_EN_ROUTE explain only units that never arrived.",
  valuesConfig: {
    DAMAGED: { description: "损坏 Damaged beyond use: on the way (运输途中损坏), or destroyed in the field after delivery (现场损毁)." },
    LOST: { description: "丢失 Lost: on the way (途中遗失), or in the field after delivery." },
    SHORT_SHIPPED: { description: "少发 Short shipped: fewer were loaded than issued; they never left the source, whose next stocktake (盘点) finds them." },
    DISTRIBUTED_EN_ROUTE: { description: "途中发放 Handed out on the way: given to people in need before the goods reached the destination (e.g. at a cut-off road)." },
  },
});

/** Reasons that explain only units that never arrived. */
export const SHORT_DELIVERY_ONLY: readonly FieldLossReason[] = [FieldLossReason.SHORT_SHIPPED, FieldLossReason.DISTRIBUTED_EN_ROUTE];

export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}
