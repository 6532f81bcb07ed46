// Vocabularies of supply requests (需求申报). Stored as text with CHECK constraints built from these values.
import { registerEnumType } from "type-graphql";

export enum SupplyRequestStatus {
  SUBMITTED = "SUBMITTED",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  FULFILLING = "FULFILLING",
  FULFILLED = "FULFILLED",
  CANCELLED = "CANCELLED",
  CLOSED = "CLOSED",
}
registerEnumType(SupplyRequestStatus, {
  name: "SupplyRequestStatus",
  description: "需求申报 Where a supply request stands; Sahana Eden inv_req's approval and fulfil status in one.",
  valuesConfig: {
    SUBMITTED: { description: "已申报 Submitted, waiting for the district's answer; `overdue` once unanswered past SUPPLY_REQUEST_RESPONSE_HOURS." },
    APPROVED: { description: "已审核 Approved, whole or in part (approved quantity per line); no dispatch order made from it yet." },
    REJECTED: { description: "已驳回 Rejected, with the reason." },
    FULFILLING: { description: "调拨中 Being fulfilled: at least one dispatch order made from it is not cancelled." },
    FULFILLED: { description: "已完成 Fulfilled: every approved unit delivered." },
    CANCELLED: { description: "已撤回 Withdrawn before any order was made from it." },
    CLOSED: { description: "已关闭 Closed by the district: what was not yet put on an order will not be sent." },
  },
});

export enum SupplyRequestPurpose {
  INCIDENT = "INCIDENT",
  PRE_POSITIONING = "PRE_POSITIONING",
  REPLENISHMENT = "REPLENISHMENT",
}
registerEnumType(SupplyRequestPurpose, {
  name: "SupplyRequestPurpose",
  description: "申报事由 Why the supplies are asked for.",
  valuesConfig: {
    INCIDENT: { description: "突发事件应急 For an open incident: the request names it." },
    PRE_POSITIONING: { description: "汛前预置 Pre-positioning before the flood season." },
    REPLENISHMENT: { description: "补库 Replenishing a storage site's stock below its minimum; the destination is that site." },
  },
});

export enum SupplyRequestChange {
  SUBMITTED = "SUBMITTED",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  CANCELLED = "CANCELLED",
  ORDER_CHANGED = "ORDER_CHANGED",
  FULFILLED = "FULFILLED",
  CLOSED = "CLOSED",
}
registerEnumType(SupplyRequestChange, {
  name: "SupplyRequestChange",
  description: "需求申报变化。What happened to a supply request.",
  valuesConfig: {
    SUBMITTED: { description: "已申报。Submitted (EDXL-RM RequestResource)." },
    APPROVED: { description: "已审核。Approved, whole or in part (EDXL-RM ResponseToRequestResource)." },
    REJECTED: { description: "已驳回。Rejected." },
    CANCELLED: { description: "已撤回。Withdrawn." },
    ORDER_CHANGED: { description: "调拨单变化。A dispatch order made from it was created or moved on (EDXL-RM CommitResource and what follows): its line figures, and perhaps its status (FULFILLING, or back to APPROVED), changed." },
    FULFILLED: { description: "已完成。The last approved unit was delivered." },
    CLOSED: { description: "已关闭。Closed: the rest will not be sent." },
  },
});

