// The reserve's vocabularies. Stored as text with CHECK constraints (no PostgreSQL enum
// types); the SQL lists in the entities' @Check come from these same values.
import { registerEnumType } from "type-graphql";

export enum SiteTier {
  DISTRICT_DEPOT = "DISTRICT_DEPOT",
  TOWNSHIP_POINT = "TOWNSHIP_POINT",
  VILLAGE_ROOM = "VILLAGE_ROOM",
}
registerEnumType(SiteTier, {
  name: "SiteTier",
  description: "Tier of the three-tier reserve (三级储备).",
  valuesConfig: {
    DISTRICT_DEPOT: { description: "District depot (区级库), tied to the district." },
    TOWNSHIP_POINT: { description: "Township or street storage point (乡镇（街道）储备点), tied to a township-level unit." },
    VILLAGE_ROOM: { description: "Village or community storage room (村（社区）储存室), tied to a village or community." },
  },
});

/** The region level each tier belongs to: a site sits in a region of exactly this level. */
export const TIER_REGION_LEVEL: Record<SiteTier, "DISTRICT" | "TOWNSHIP" | "VILLAGE"> = {
  DISTRICT_DEPOT: "DISTRICT",
  TOWNSHIP_POINT: "TOWNSHIP",
  VILLAGE_ROOM: "VILLAGE",
};

export enum SiteStatus {
  ACTIVE = "ACTIVE",
  MAINTENANCE = "MAINTENANCE",
  CLOSED = "CLOSED",
}
registerEnumType(SiteStatus, {
  name: "SiteStatus",
  description: "Whether a storage site is in service.",
  valuesConfig: {
    ACTIVE: { description: "In service (启用)." },
    MAINTENANCE: { description: "Under repair: holds and issues stock, but is flagged on maps (维修)." },
    CLOSED: { description: "Closed (停用): receives nothing; only an empty site may be closed." },
  },
});

/** GB/T 38565-2020 top categories (大类), the first digit of an item code. */
export enum SupplyCategory {
  BASIC_LIVING = "BASIC_LIVING",
  EMERGENCY_EQUIPMENT = "EMERGENCY_EQUIPMENT",
  ENGINEERING = "ENGINEERING",
}
registerEnumType(SupplyCategory, {
  name: "SupplyCategory",
  description: "Top category (大类) of GB/T 38565-2020, the first digit of the item code.",
  valuesConfig: {
    BASIC_LIVING: { description: "1 — basic living support (基本生活保障物资): tents, bedding, food, water." },
    EMERGENCY_EQUIPMENT: { description: "2 — emergency equipment and supplies (应急装备及配套物资): boats, pumps, generators, protective gear." },
    ENGINEERING: { description: "3 — engineering materials and machinery (工程材料与机械加工设备): sandbags, geotextile, tools." },
  },
});

export const CATEGORY_DIGIT: Record<SupplyCategory, string> = { BASIC_LIVING: "1", EMERGENCY_EQUIPMENT: "2", ENGINEERING: "3" };

export function categoryOfCode(code: string): SupplyCategory {
  const digit = code.charAt(0);
  const found = (Object.keys(CATEGORY_DIGIT) as SupplyCategory[]).find((category) => CATEGORY_DIGIT[category] === digit);
  if (!found) throw new Error(`item code ${code} has no GB/T 38565 top category`);
  return found;
}

export enum ReserveMode {
  GOVERNMENT = "GOVERNMENT",
  ENTERPRISE_AGREEMENT = "ENTERPRISE_AGREEMENT",
  CAPACITY = "CAPACITY",
}
registerEnumType(ReserveMode, {
  name: "ReserveMode",
  description: "Whose reserve a batch is (储备方式).",
  valuesConfig: {
    GOVERNMENT: { description: "Government physical reserve (政府实物储备)." },
    ENTERPRISE_AGREEMENT: { description: "Stock a partner enterprise holds for the district under agreement (协议储备)." },
    CAPACITY: { description: "Produced under a production-capacity reserve agreement (产能储备)." },
  },
});

export enum MovementKind {
  RECEIPT = "RECEIPT",
  ISSUE = "ISSUE",
  TRANSFER_OUT = "TRANSFER_OUT",
  TRANSFER_IN = "TRANSFER_IN",
  RETURN = "RETURN",
  WRITE_OFF = "WRITE_OFF",
  COUNT_ADJUSTMENT = "COUNT_ADJUSTMENT",
  ROTATION = "ROTATION",
}
registerEnumType(MovementKind, {
  name: "MovementKind",
  description: "Kind of ledger entry (台账类型).",
  valuesConfig: {
    RECEIPT: { description: "Goods received (入库): purchase or donation." },
    ISSUE: { description: "Goods issued against a dispatch order (出库)." },
    TRANSFER_OUT: { description: "Sent to another site (调出)." },
    TRANSFER_IN: { description: "Received from another site (调入): the receiving half of a transfer, or goods of a dispatch order arriving at a storage site (linked to the order, whose ISSUE took them out at the source)." },
    RETURN: { description: "Reusable goods back after use (回收)." },
    WRITE_OFF: { description: "Written off (报废): expired, damaged or lost, with an approver." },
    COUNT_ADJUSTMENT: { description: "Stocktake variance (盘点盈亏)." },
    ROTATION: { description: "Batch rotation (轮换): an old batch out, a fresh one in." },
  },
});

export enum ReceiptSource {
  PURCHASE = "PURCHASE",
  DONATION = "DONATION",
}
registerEnumType(ReceiptSource, {
  name: "ReceiptSource",
  description: "Where received goods came from.",
  valuesConfig: {
    PURCHASE: { description: "Bought (采购)." },
    DONATION: { description: "Donated (捐赠)." },
  },
});

/**
 * The reason of a RECEIPT that confirmDelivery books when goods a partner enterprise supplied on
 * a dispatch order arrive at a storage site (协议企业供货): they enter the government's books
 * there for the first time, so a receipt, not a transfer. Not a ReceiptSource: nobody books it
 * by hand (receiveStock), and the ledger refuses it without the order it came on.
 */
export const PARTNER_DELIVERY = "PARTNER_DELIVERY";

export enum WriteOffReason {
  EXPIRED = "EXPIRED",
  DAMAGED = "DAMAGED",
  LOST = "LOST",
}
registerEnumType(WriteOffReason, {
  name: "WriteOffReason",
  description: "Why stock is written off (报废原因).",
  valuesConfig: {
    EXPIRED: { description: "Past its expiry date (过期)." },
    DAMAGED: { description: "Damaged beyond use (损坏)." },
    LOST: { description: "Lost (丢失)." },
  },
});

export enum PartnerStatus {
  ACTIVE = "ACTIVE",
  SUSPENDED = "SUSPENDED",
  ENDED = "ENDED",
}
registerEnumType(PartnerStatus, {
  name: "PartnerStatus",
  description: "State of a partner enterprise's reserve agreement.",
  valuesConfig: {
    ACTIVE: { description: "Agreement in force (有效)." },
    SUSPENDED: { description: "Temporarily not to be called on (暂停)." },
    ENDED: { description: "Agreement ended (终止)." },
  },
});

export enum StockAlertKind {
  BELOW_MINIMUM = "BELOW_MINIMUM",
  EXPIRING = "EXPIRING",
  EXPIRED = "EXPIRED",
}
registerEnumType(StockAlertKind, {
  name: "StockAlertKind",
  description: "What a stock alert warns about.",
  valuesConfig: {
    BELOW_MINIMUM: { description: "A site holds less of an item available than its minimum (低于最低库存)." },
    EXPIRING: { description: "A batch with stock on hand expires within the given number of days (临期)." },
    EXPIRED: { description: "A batch with stock on hand is past its expiry date (过期): write it off or rotate it." },
  },
});

export enum StockChangeCause {
  RECEIPT = "RECEIPT",
  ISSUE = "ISSUE",
  TRANSFER_OUT = "TRANSFER_OUT",
  TRANSFER_IN = "TRANSFER_IN",
  RETURN = "RETURN",
  WRITE_OFF = "WRITE_OFF",
  COUNT_ADJUSTMENT = "COUNT_ADJUSTMENT",
  ROTATION = "ROTATION",
  RESERVATION = "RESERVATION",
  RELEASE = "RELEASE",
  MINIMUM = "MINIMUM",
  IN_TRANSIT = "IN_TRANSIT",
}
registerEnumType(StockChangeCause, {
  name: "StockChangeCause",
  description: "What changed a stock level: a ledger movement kind, a reservation change, or a new minimum.",
  valuesConfig: {
    RECEIPT: { description: "Goods received (入库)." },
    ISSUE: { description: "Goods issued against a dispatch order (出库)." },
    TRANSFER_OUT: { description: "Sent to another site (调出)." },
    TRANSFER_IN: { description: "Received from another site (调入)." },
    RETURN: { description: "Reusable goods back after use (回收)." },
    WRITE_OFF: { description: "Written off (报废)." },
    COUNT_ADJUSTMENT: { description: "Stocktake variance (盘点盈亏)." },
    ROTATION: { description: "Batch rotation (轮换)." },
    RESERVATION: { description: "Stock reserved for an approved dispatch order (预留)." },
    RELEASE: { description: "A reservation released (释放预留)." },
    MINIMUM: { description: "The minimum (最低库存) was changed." },
    IN_TRANSIT: { description: "在途 What is on its way to the site changed: goods dispatched to it, or no longer on the way (received, turned back, or written off as a short delivery)." },
  },
});

/** `'A', 'B'` for CHECK constraints and SQL lists built from an enum. */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}
