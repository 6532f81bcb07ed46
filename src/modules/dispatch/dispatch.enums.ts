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
  description: "Where a dispatch order (调拨单) stands in its life cycle.",
  valuesConfig: {
    DRAFT: { description: "Being prepared (草稿); lines and sources may still change." },
    SUBMITTED: { description: "Submitted for approval (待审批)." },
    APPROVED: { description: "Approved by a commander (已批准): every stock allocation is reserved." },
    DISPATCHED: { description: "Stock issued and on its way (已发运, 在途)." },
    DELIVERED: { description: "Receipt confirmed (已签收), fully or in part; units may still be in transit, and reusable items sent to a region or a point may still be out." },
    CLOSED: { description: "Finished (已关闭): every unit sent received, turned back or written off, and every reusable item sent to a region or a point back or written off." },
    CANCELLED: { description: "Cancelled (已取消): reservations released, anything sent returned or written off." },
  },
});

export enum DispatchPriority {
  URGENT = "URGENT",
  HIGH = "HIGH",
  NORMAL = "NORMAL",
}
registerEnumType(DispatchPriority, {
  name: "DispatchPriority",
  description: "How urgent an order is.",
  valuesConfig: {
    URGENT: { description: "Urgent (特急): may be dispatched on a verbal order before approval, may take stock below minimums." },
    HIGH: { description: "High (紧急)." },
    NORMAL: { description: "Normal (一般), e.g. pre-positioning before the flood season." },
  },
});

export enum DestinationKind {
  REGION = "REGION",
  SITE = "SITE",
  POINT = "POINT",
}
registerEnumType(DestinationKind, {
  name: "DestinationKind",
  description: "What a dispatch order is sent to.",
  valuesConfig: {
    REGION: { description: "A region (a township or a village), delivered to its centre." },
    SITE: { description: "A storage site (pre-positioning into another store): what arrives is booked into its stock on receipt." },
    POINT: { description: "A point in the field with a receiver and phone (e.g. a shelter or the scene)." },
  },
});

export enum AllocationSourceKind {
  SITE_STOCK = "SITE_STOCK",
  PARTNER_STOCK = "PARTNER_STOCK",
  PARTNER_CAPACITY = "PARTNER_CAPACITY",
}
registerEnumType(AllocationSourceKind, {
  name: "AllocationSourceKind",
  description: "Where the goods of an allocation come from.",
  valuesConfig: {
    SITE_STOCK: { description: "A batch at one of the district's storage sites: reserved on approval, issued (ISSUE) on dispatch." },
    PARTNER_STOCK: { description: "Stock a partner enterprise holds for the district under agreement (协议储备), called off; delivered by the enterprise." },
    PARTNER_CAPACITY: { description: "Production called on a partner's capacity agreement (产能储备); delivered after its lead time." },
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
  description: "Tiers of sources in the order allocation escalates through.",
  valuesConfig: {
    VILLAGE_ROOM: { description: "Village or community storage room (村（社区）储存室), nearby only." },
    TOWNSHIP_POINT: { description: "Township or street storage point (乡镇（街道）储备点)." },
    DISTRICT_DEPOT: { description: "District depot (区级库)." },
    PARTNER_STOCK: { description: "Partner enterprise agreement stock (企业协议储备)." },
    PRODUCTION_CAPACITY: { description: "Partner production capacity (产能储备), with its lead time." },
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
  description: "What happened to a dispatch order.",
  valuesConfig: {
    CREATED: { description: "Created as a draft." },
    UPDATED: { description: "Draft changed." },
    SUBMITTED: { description: "Submitted for approval." },
    APPROVED: { description: "Approved (stock reserved), or a verbal order approved after dispatch." },
    DISPATCHED: { description: "Stock issued, on its way." },
    DELIVERY_CONFIRMED: { description: "Receipt confirmed (fully or in part)." },
    RETURN_RECORDED: { description: "Reusable items came back to a site." },
    CLOSED: { description: "Closed." },
    CANCELLED: { description: "Cancelled." },
  },
});

export enum ReturnCondition {
  GOOD = "GOOD",
  DAMAGED = "DAMAGED",
}
registerEnumType(ReturnCondition, {
  name: "ReturnCondition",
  description: "Condition of items coming back.",
  valuesConfig: {
    GOOD: { description: "Fit for use again: back in stock at the chosen site (RETURN)." },
    DAMAGED: { description: "Damaged (损坏): received at the chosen site (RETURN) and written off there at once (WRITE_OFF), with an approver." },
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
    "Why issued units will not arrive (短少, a short delivery) or not come back (written off on the order, with the approving official). " +
    "SHORT_SHIPPED and DISTRIBUTED_EN_ROUTE explain only units that never arrived.",
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
