// The reserve's vocabularies. Stored as text with CHECK constraints (no PostgreSQL enum
// types); the SQL lists in the entities' @Check come from these same values.
import { registerEnumType } from "type-graphql";

export enum SiteTier {
  DISTRICT_DEPOT = "DISTRICT_DEPOT",
  TOWNSHIP_POINT = "TOWNSHIP_POINT",
  VILLAGE_ROOM = "VILLAGE_ROOM",
  SHELTER = "SHELTER",
}
registerEnumType(SiteTier, {
  name: "SiteTier",
  description: "三级储备 Tier of the three-tier reserve.",
  valuesConfig: {
    DISTRICT_DEPOT: { description: "区级库 District depot, tied to the district." },
    TOWNSHIP_POINT: { description: "乡镇（街道）储备点 Township or street storage point, tied to a township-level unit." },
    VILLAGE_ROOM: { description: "村（社区）储存室 Village or community storage room, tied to a village or community." },
    SHELTER: { description: "避难场所库房 The store of one shelter (避难场所), created with it and tied to its village or community: deliveries to the shelter land here, distributions (发放) come out of it. Not a source for dispatch allocation." },
  },
});

/** The region level each tier belongs to: a site sits in a region of exactly this level. */
export const TIER_REGION_LEVEL: Record<SiteTier, "DISTRICT" | "TOWNSHIP" | "VILLAGE"> = {
  DISTRICT_DEPOT: "DISTRICT",
  TOWNSHIP_POINT: "TOWNSHIP",
  VILLAGE_ROOM: "VILLAGE",
  SHELTER: "VILLAGE",
};

export enum SiteStatus {
  ACTIVE = "ACTIVE",
  MAINTENANCE = "MAINTENANCE",
  CLOSED = "CLOSED",
}
registerEnumType(SiteStatus, {
  name: "SiteStatus",
  description: "储备点状态。Whether a storage site is in service.",
  valuesConfig: {
    ACTIVE: { description: "启用 In service." },
    MAINTENANCE: { description: "维修 Under repair: holds and issues stock, but is flagged on maps." },
    CLOSED: { description: "停用 Closed: receives nothing; only an empty site may be closed." },
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
  description: "大类 Top category of GB/T 38565-2020, the first digit of the item code.",
  valuesConfig: {
    BASIC_LIVING: { description: "基本生活保障物资 1 — basic living support: tents, bedding, food, water." },
    EMERGENCY_EQUIPMENT: { description: "应急装备及配套物资 2 — emergency equipment and supplies: boats, pumps, generators, protective gear." },
    ENGINEERING: { description: "工程材料与机械加工设备 3 — engineering materials and machinery: sandbags, geotextile, tools." },
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
  description: "储备方式 Whose reserve a batch is.",
  valuesConfig: {
    GOVERNMENT: { description: "政府实物储备 Government physical reserve." },
    ENTERPRISE_AGREEMENT: { description: "协议储备 Stock a partner enterprise holds for the district under agreement." },
    CAPACITY: { description: "产能储备 Produced under a production-capacity reserve agreement." },
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
  DISTRIBUTION = "DISTRIBUTION",
  DISTRIBUTION_REVERSAL = "DISTRIBUTION_REVERSAL",
}
registerEnumType(MovementKind, {
  name: "MovementKind",
  description: "台账类型 Kind of ledger entry.",
  valuesConfig: {
    RECEIPT: { description: "入库 Goods received: purchase or donation." },
    ISSUE: { description: "出库 Goods issued against a dispatch order." },
    TRANSFER_OUT: { description: "调出 Sent to another site." },
    TRANSFER_IN: { description: "调入 Received from another site: the receiving half of a transfer, or goods of a dispatch order arriving at a storage site (linked to the order, whose ISSUE took them out at the source)." },
    RETURN: { description: "回收 Reusable goods back after use." },
    WRITE_OFF: { description: "报废 Written off: expired, damaged or lost, with an approver." },
    COUNT_ADJUSTMENT: { description: "盘点盈亏 Stocktake variance." },
    ROTATION: { description: "轮换 Batch rotation: an old batch out, a fresh one in." },
    DISTRIBUTION: { description: "发放 Handed out to people at a shelter or in a village (发放登记), linked to the register entry by its operation id." },
    DISTRIBUTION_REVERSAL: { description: "发放冲销 A distribution reversed by a new register entry: the units back into the batch they came from." },
  },
});

export enum ReceiptSource {
  PURCHASE = "PURCHASE",
  DONATION = "DONATION",
}
registerEnumType(ReceiptSource, {
  name: "ReceiptSource",
  description: "物资来源。Where received goods came from.",
  valuesConfig: {
    PURCHASE: { description: "采购 Bought." },
    DONATION: { description: "捐赠 Donated." },
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
  description: "报废原因 Why stock is written off.",
  valuesConfig: {
    EXPIRED: { description: "过期 Past its expiry date." },
    DAMAGED: { description: "损坏 Damaged beyond use." },
    LOST: { description: "丢失 Lost." },
  },
});

export enum PartnerStatus {
  ACTIVE = "ACTIVE",
  SUSPENDED = "SUSPENDED",
  ENDED = "ENDED",
}
registerEnumType(PartnerStatus, {
  name: "PartnerStatus",
  description: "协议状态。State of a partner enterprise's reserve agreement.",
  valuesConfig: {
    ACTIVE: { description: "有效 Agreement in force." },
    SUSPENDED: { description: "暂停 Temporarily not to be called on." },
    ENDED: { description: "终止 Agreement ended." },
  },
});

export enum StockAlertKind {
  BELOW_MINIMUM = "BELOW_MINIMUM",
  EXPIRING = "EXPIRING",
  EXPIRED = "EXPIRED",
}
registerEnumType(StockAlertKind, {
  name: "StockAlertKind",
  description: "预警类别。What a stock alert warns about.",
  valuesConfig: {
    BELOW_MINIMUM: { description: "低于最低库存 A site holds less of an item available than its minimum." },
    EXPIRING: { description: "临期 A batch with stock on hand expires within the given number of days." },
    EXPIRED: { description: "过期 A batch with stock on hand is past its expiry date: write it off or rotate it." },
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
  DISTRIBUTION = "DISTRIBUTION",
  DISTRIBUTION_REVERSAL = "DISTRIBUTION_REVERSAL",
  RESERVATION = "RESERVATION",
  RELEASE = "RELEASE",
  MINIMUM = "MINIMUM",
  IN_TRANSIT = "IN_TRANSIT",
}
registerEnumType(StockChangeCause, {
  name: "StockChangeCause",
  description: "库存变化原因。What changed a stock level: a ledger movement kind, a reservation change, or a new minimum.",
  valuesConfig: {
    RECEIPT: { description: "入库 Goods received." },
    ISSUE: { description: "出库 Goods issued against a dispatch order." },
    TRANSFER_OUT: { description: "调出 Sent to another site." },
    TRANSFER_IN: { description: "调入 Received from another site." },
    RETURN: { description: "回收 Reusable goods back after use." },
    WRITE_OFF: { description: "报废 Written off." },
    COUNT_ADJUSTMENT: { description: "盘点盈亏 Stocktake variance." },
    ROTATION: { description: "轮换 Batch rotation." },
    DISTRIBUTION: { description: "发放 Handed out to people." },
    DISTRIBUTION_REVERSAL: { description: "发放冲销 A distribution reversed." },
    RESERVATION: { description: "预留 Stock reserved for an approved dispatch order." },
    RELEASE: { description: "释放预留 A reservation released." },
    MINIMUM: { description: "最低库存 The minimum was changed." },
    IN_TRANSIT: { description: "在途 What is on its way to the site changed: goods dispatched to it, or no longer on the way (received, turned back, or written off as a short delivery)." },
  },
});

/** `'A', 'B'` for CHECK constraints and SQL lists built from an enum. */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}
