// 排序 How the transport lists sort (`orderBy`).
import { defineOrder, enumRank, SortDirection } from "../../core/graphql/relay";
import { RequisitionStatus, TransportStatus, TripStatus } from "./transport.enums";
import type { LogisticsPartner, TransportResource } from "./transport.entity";
import type { TransportTrip } from "./trip.entity";
import type { GreenChannelPass } from "./pass.entity";
import type { Requisition } from "./requisition.entity";

export enum TransportResourceOrderField {
  CODE = "CODE",
  KIND = "KIND",
  STATUS = "STATUS",
  CAPACITY = "CAPACITY",
  LAST_REPORTED_AT = "LAST_REPORTED_AT",
}

export const TRANSPORT_RESOURCE_ORDER = defineOrder<TransportResource, TransportResourceOrderField>({
  name: "TransportResource",
  fields: TransportResourceOrderField,
  description: "运力排序字段 What transport resources sort by.",
  keys: {
    CODE: { sql: "resource.code", describe: "编码 Code." },
    KIND: { sql: "resource.kind", describe: "类别 Kind, alphabetically." },
    STATUS: { sql: enumRank(Object.values(TransportStatus), "resource.status"), describe: "状态 Available first (ascending)." },
    CAPACITY: { sql: "resource.capacity_kg", describe: "载重 Load capacity." },
    LAST_REPORTED_AT: { sql: "resource.last_reported_at", nullable: true, describe: "最后上报 When the last position came (never reported last)." },
  },
  tiebreak: { sql: "resource.id" },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum LogisticsPartnerOrderField {
  CODE = "CODE",
  RESPONSE_MINUTES = "RESPONSE_MINUTES",
  VEHICLES_COMMITTED = "VEHICLES_COMMITTED",
}

export const LOGISTICS_PARTNER_ORDER = defineOrder<LogisticsPartner, LogisticsPartnerOrderField>({
  name: "LogisticsPartner",
  fields: LogisticsPartnerOrderField,
  description: "协议运力企业排序字段 What logistics partners sort by.",
  keys: {
    CODE: { sql: "partner.code", describe: "编码 Code." },
    RESPONSE_MINUTES: { sql: "partner.response_minutes", describe: "响应时间 Response minutes, quickest first ascending." },
    VEHICLES_COMMITTED: { sql: "partner.vehicles_committed", describe: "承诺车辆数 Vehicles committed." },
  },
  tiebreak: { sql: "partner.id" },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum TripOrderField {
  CODE = "CODE",
  STATUS = "STATUS",
  CREATED_AT = "CREATED_AT",
  EXPECTED_ARRIVAL_AT = "EXPECTED_ARRIVAL_AT",
}

export const TRIP_ORDER = defineOrder<TransportTrip, TripOrderField>({
  name: "TransportTrip",
  fields: TripOrderField,
  description: "车次排序字段 What trips sort by.",
  keys: {
    CODE: { sql: "trip.code", describe: "编号 Trip number." },
    STATUS: { sql: enumRank(Object.values(TripStatus), "trip.status"), describe: "状态 Life-cycle order (ascending: loading first)." },
    CREATED_AT: { sql: "trip.created_at", describe: "派车时间 When assigned." },
    EXPECTED_ARRIVAL_AT: { sql: "trip.expected_arrival_at", nullable: true, describe: "预计到达 Expected arrival (none last)." },
  },
  tiebreak: { sql: "trip.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first" },
});

export enum GreenChannelPassOrderField {
  VALID_UNTIL = "VALID_UNTIL",
  NUMBER = "NUMBER",
}

export const PASS_ORDER = defineOrder<GreenChannelPass, GreenChannelPassOrderField>({
  name: "GreenChannelPass",
  fields: GreenChannelPassOrderField,
  description: "通行证排序字段 What passes sort by.",
  keys: {
    VALID_UNTIL: { sql: "pass.valid_until", describe: "失效时间 Expiry, soonest first ascending." },
    NUMBER: { sql: "pass.number", describe: "通行证号 Pass number." },
  },
  tiebreak: { sql: "pass.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first" },
});

export enum RequisitionOrderField {
  CODE = "CODE",
  STATUS = "STATUS",
  STARTS_AT = "STARTS_AT",
}

export const REQUISITION_ORDER = defineOrder<Requisition, RequisitionOrderField>({
  name: "Requisition",
  fields: RequisitionOrderField,
  description: "征用单排序字段 What requisitions sort by.",
  keys: {
    CODE: { sql: "requisition.code", describe: "编号 Reference." },
    STATUS: { sql: enumRank(Object.values(RequisitionStatus), "requisition.status"), describe: "状态 Active before returned (ascending)." },
    STARTS_AT: { sql: "requisition.starts_at", describe: "征用开始 Hand-over time." },
  },
  tiebreak: { sql: "requisition.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first" },
});
