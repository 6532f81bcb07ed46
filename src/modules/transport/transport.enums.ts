// Vocabularies of transport (运输保障): resources, owners, trips, requisitions and settlements.
// Stored as text with CHECK constraints built from these values.
import { registerEnumType } from "type-graphql";

export enum TransportKind {
  TRUCK = "TRUCK",
  VAN = "VAN",
  BOAT = "BOAT",
  DRONE = "DRONE",
  MACHINERY = "MACHINERY",
}
registerEnumType(TransportKind, {
  name: "TransportKind",
  description: "运力类别。What kind of transport resource.",
  valuesConfig: {
    TRUCK: { description: "货车 Truck: goods by road." },
    VAN: { description: "厢式车/客车 Van or minibus: small loads and seats by road." },
    BOAT: { description: "船艇 Boat: serves the water links (水路) of the travel-time table." },
    DRONE: { description: "无人机 Drone: small loads, straight line, over cut roads." },
    MACHINERY: { description: "工程机械 Machinery (excavator, loader, crane): clears roads, carries little." },
  },
});

export enum TransportOwnerKind {
  BUREAU = "BUREAU",
  TEAM = "TEAM",
  PARTNER = "PARTNER",
  ENTERPRISE = "ENTERPRISE",
  PRIVATE = "PRIVATE",
}
registerEnumType(TransportOwnerKind, {
  name: "TransportOwnerKind",
  description: "权属。Who owns a transport resource.",
  valuesConfig: {
    BUREAU: { description: "区应急局 The bureau's own." },
    TEAM: { description: "救援队伍 A rescue team's." },
    PARTNER: { description: "协议运力 A partner logistics enterprise's, committed under agreement." },
    ENTERPRISE: { description: "社会企业 Another enterprise's (may be requisitioned)." },
    PRIVATE: { description: "个人 A private person's (may be requisitioned; owner's name and phone are personal data)." },
  },
});

export enum TransportStatus {
  AVAILABLE = "AVAILABLE",
  ASSIGNED = "ASSIGNED",
  IN_MAINTENANCE = "IN_MAINTENANCE",
  REQUISITIONED = "REQUISITIONED",
}
registerEnumType(TransportStatus, {
  name: "TransportStatus",
  description: "运力状态。Where a transport resource stands.",
  valuesConfig: {
    AVAILABLE: { description: "可用 Available for a trip." },
    ASSIGNED: { description: "已派车 On a trip (loading, en route or arrived, not yet back)." },
    IN_MAINTENANCE: { description: "维修保养 In maintenance: not assignable." },
    REQUISITIONED: { description: "已征用 Requisitioned from its owner and not yet assigned to a trip; assignable." },
  },
});

export enum PartnerStatus {
  ACTIVE = "ACTIVE",
  SUSPENDED = "SUSPENDED",
}
registerEnumType(PartnerStatus, {
  name: "LogisticsPartnerStatus",
  description: "协议状态。Whether a logistics partner's agreement is in force.",
  valuesConfig: { ACTIVE: { description: "有效 In force." }, SUSPENDED: { description: "暂停 Suspended." } },
});

export enum TripStatus {
  LOADING = "LOADING",
  EN_ROUTE = "EN_ROUTE",
  ARRIVED = "ARRIVED",
  RETURNED = "RETURNED",
  CANCELLED = "CANCELLED",
}
registerEnumType(TripStatus, {
  name: "TripStatus",
  description: "车次状态。Where a trip stands: LOADING → EN_ROUTE → ARRIVED → RETURNED (CANCELLED only while loading).",
  valuesConfig: {
    LOADING: { description: "装车 Vehicles assigned, goods being loaded." },
    EN_ROUTE: { description: "在途 On the way; the orders show as in transit with the trip's expected arrival." },
    ARRIVED: { description: "已到达 Arrived at the destination; receipt (签收) is the order's own step." },
    RETURNED: { description: "已返回 Vehicles back and free for another trip." },
    CANCELLED: { description: "已取消 Cancelled before departure; vehicles freed." },
  },
});

export enum TravelBy {
  ROAD = "ROAD",
  WATER = "WATER",
  AIR = "AIR",
}
registerEnumType(TravelBy, {
  name: "TripTravelBy",
  description: "车次运输方式。How a trip travels, from its vehicles: boats by water, drones by air, the rest by road.",
  valuesConfig: {
    ROAD: { description: "公路 Road links of the travel-time table." },
    WATER: { description: "水路 Water links of the travel-time table only." },
    AIR: { description: "空中 Straight line (drones)." },
  },
});

export enum RequisitionStatus {
  ACTIVE = "ACTIVE",
  RETURNED = "RETURNED",
}
registerEnumType(RequisitionStatus, {
  name: "RequisitionStatus",
  description: "征用状态。Whether a requisitioned resource is still held.",
  valuesConfig: {
    ACTIVE: { description: "征用中 Handed over and held by the bureau." },
    RETURNED: { description: "已归还 Returned to its owner; the settlement is calculated." },
  },
});

export enum SettlementStatus {
  CALCULATED = "CALCULATED",
  CONFIRMED_BY_OWNER = "CONFIRMED_BY_OWNER",
  APPROVED = "APPROVED",
  PAID = "PAID",
}
registerEnumType(SettlementStatus, {
  name: "SettlementStatus",
  description: "结算状态。CALCULATED → CONFIRMED_BY_OWNER → APPROVED → PAID.",
  valuesConfig: {
    CALCULATED: { description: "已核算 Compensation calculated from the rate table and the damage assessed." },
    CONFIRMED_BY_OWNER: { description: "所有人确认 The owner signed the amount (recorded by staff)." },
    APPROVED: { description: "已审批 Approved for payment by FINANCE (or ADMIN) — never by whoever requisitioned." },
    PAID: { description: "已支付 Paid, with the payment voucher." },
  },
});

export enum RateBasis {
  DAY = "DAY",
  KM = "KM",
  TONNE = "TONNE",
}
registerEnumType(RateBasis, {
  name: "RateBasis",
  description: "计费依据。What a compensation rate is per.",
  valuesConfig: { DAY: { description: "按天 Per day held (started days)." }, KM: { description: "按公里 Per km driven." }, TONNE: { description: "按吨 Per tonne carried." } },
});

export enum TransportChange {
  RESOURCE = "RESOURCE",
  POSITION = "POSITION",
  TRIP = "TRIP",
}
registerEnumType(TransportChange, {
  name: "TransportChange",
  description: "运力变化。What changed.",
  valuesConfig: {
    RESOURCE: { description: "运力状态变化 A resource's status changed (assigned, freed, requisitioned, returned)." },
    POSITION: { description: "位置上报 A vehicle reported its position." },
    TRIP: { description: "车次状态变化 A trip was assigned or changed status." },
  },
});

export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}
