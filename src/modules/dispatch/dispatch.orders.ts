// 排序 How dispatch-order lists sort (`orderBy`): by document number, time (drawn up, submitted, due, sent,
// delivered — the age of what waits), status or urgency.
import { defineOrder, enumRank, orderByDescription, SortDirection, Sorting } from "../../core/graphql/relay";
import type { DispatchOrder } from "./dispatch-order.entity";
import { DispatchPriority, DispatchStatus } from "./dispatch.enums";

export enum DispatchOrderOrderField {
  CODE = "CODE",
  CREATED_AT = "CREATED_AT",
  SUBMITTED_AT = "SUBMITTED_AT",
  APPROVAL_DUE_AT = "APPROVAL_DUE_AT",
  DISPATCHED_AT = "DISPATCHED_AT",
  DELIVERED_AT = "DELIVERED_AT",
  STATUS = "STATUS",
  PRIORITY = "PRIORITY",
}

const keys = {
  CODE: { sql: "o.code", describe: "单号 Document number (KZ-DO-2026-000001)." },
  CREATED_AT: { sql: "o.created_at", describe: "制单时间 When the order was drawn up." },
  SUBMITTED_AT: {
    sql: "o.submitted_at",
    nullable: true,
    describe: "报审时间 When the order was submitted for approval: ascending puts the one waiting longest first; drafts and orders sent on a verbal order sort last ascending.",
  },
  APPROVAL_DUE_AT: {
    // The deadline is dispatched_at plus the same configured hours for every order, so the
    // dispatch time of a pending order sorts exactly as its due time does.
    sql: "CASE WHEN o.pending_approval THEN o.dispatched_at END",
    nullable: true,
    describe: "补批期限 When a verbal order's written approval falls due (approvalDueAt): ascending puts the most urgent first; orders with none pending sort last ascending.",
  },
  DISPATCHED_AT: { sql: "o.dispatched_at", nullable: true, describe: "发运时间 When the goods left; orders not yet dispatched sort last ascending, first descending." },
  DELIVERED_AT: { sql: "o.delivered_at", nullable: true, describe: "签收时间 When the receiver signed for the goods; orders not yet delivered sort last ascending, first descending." },
  STATUS: { sql: enumRank(Object.values(DispatchStatus), "o.status"), describe: "状态 In the order's lifecycle: draft, submitted, approved, dispatched, delivered, closed, cancelled." },
  PRIORITY: { sql: enumRank(Object.values(DispatchPriority), "o.priority"), describe: "紧急程度 Most urgent first ascending: urgent (特急), high, normal." },
};

/** `dispatchOrders` and an incident's orders: newest first unless asked. */
export const DISPATCH_ORDER_ORDER = defineOrder<DispatchOrder, DispatchOrderOrderField>({
  name: "DispatchOrder",
  fields: DispatchOrderOrderField,
  description: "调拨单排序字段 What dispatch orders sort by.",
  keys,
  tiebreak: { sql: "o.id", value: (order) => order.id },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first (as drawn up)" },
});

/** `overdueApprovals`: the same fields, oldest first unless asked (the one waiting longest on top). */
export const OVERDUE_APPROVAL_ORDER = {
  Input: DISPATCH_ORDER_ORDER.Input,
  sorting: new Sorting<DispatchOrder, DispatchOrderOrderField>("DispatchOrder", keys, { sql: "o.id" }, { terms: [], tiebreak: SortDirection.ASC }),
  argument: orderByDescription("oldest first (longest waiting)"),
};
