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
  description: "Where a supply request (需求申报) stands; Sahana Eden inv_req's approval and fulfil status in one.",
  valuesConfig: {
    SUBMITTED: { description: "Submitted (已申报), waiting for the district's answer; `overdue` once unanswered past SUPPLY_REQUEST_RESPONSE_HOURS." },
    APPROVED: { description: "Approved (已审核), whole or in part (approved quantity per line); no dispatch order made from it yet." },
    REJECTED: { description: "Rejected (已驳回), with the reason." },
    FULFILLING: { description: "Being fulfilled (调拨中): at least one dispatch order made from it is not cancelled." },
    FULFILLED: { description: "Fulfilled (已完成): every approved unit delivered." },
    CANCELLED: { description: "Withdrawn (已撤回) before any order was made from it." },
    CLOSED: { description: "Closed (已关闭) by the district: what was not yet put on an order will not be sent." },
  },
});

export enum SupplyRequestPurpose {
  INCIDENT = "INCIDENT",
  PRE_POSITIONING = "PRE_POSITIONING",
  REPLENISHMENT = "REPLENISHMENT",
}
registerEnumType(SupplyRequestPurpose, {
  name: "SupplyRequestPurpose",
  description: "Why the supplies are asked for (申报事由).",
  valuesConfig: {
    INCIDENT: { description: "For an open incident (突发事件应急): the request names it." },
    PRE_POSITIONING: { description: "Pre-positioning before the flood season (汛前预置)." },
    REPLENISHMENT: { description: "Replenishing a storage site's stock below its minimum (补库); the destination is that site." },
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
  description: "What happened to a supply request.",
  valuesConfig: {
    SUBMITTED: { description: "Submitted (EDXL-RM RequestResource)." },
    APPROVED: { description: "Approved, whole or in part (EDXL-RM ResponseToRequestResource)." },
    REJECTED: { description: "Rejected." },
    CANCELLED: { description: "Withdrawn." },
    ORDER_CHANGED: { description: "A dispatch order made from it was created or moved on (EDXL-RM CommitResource and what follows): its line figures, and perhaps its status (FULFILLING, or back to APPROVED), changed." },
    FULFILLED: { description: "The last approved unit was delivered." },
    CLOSED: { description: "Closed: the rest will not be sent." },
  },
});

