// 排序 How the shelter list, occupancy reports and the distribution register sort (`orderBy`).
import { defineOrder, enumRank, SortDirection } from "../../core/graphql/relay";
import { ShelterStatus, type RecipientKind } from "./shelter.enums";
import type { Distribution, OccupancyReport, Shelter } from "./shelter.entity";

export enum ShelterOrderField {
  CODE = "CODE",
  NAME = "NAME",
  CAPACITY = "CAPACITY",
  OCCUPANCY = "OCCUPANCY",
  STATUS = "STATUS",
}

export const SHELTER_ORDER = defineOrder<Shelter, ShelterOrderField>({
  name: "Shelter",
  fields: ShelterOrderField,
  description: "避难场所排序字段 What shelters sort by.",
  keys: {
    CODE: { sql: "shelter.code", describe: "编码 Code (KZ-S01-SH01): by township, then number." },
    NAME: { sql: "shelter.name", describe: "名称 Name." },
    CAPACITY: { sql: "shelter.capacity", describe: "容纳人数 Capacity." },
    OCCUPANCY: { sql: "shelter.occupancy", describe: "在场人数 People present." },
    STATUS: { sql: enumRank(Object.values(ShelterStatus), "shelter.status"), describe: "状态 STANDBY, OPEN, FULL, CLOSED (ascending)." },
  },
  tiebreak: { sql: "shelter.id" },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum OccupancyReportOrderField {
  REPORTED_AT = "REPORTED_AT",
  PEOPLE_PRESENT = "PEOPLE_PRESENT",
}

export const OCCUPANCY_REPORT_ORDER = defineOrder<OccupancyReport, OccupancyReportOrderField>({
  name: "OccupancyReport",
  fields: OccupancyReportOrderField,
  description: "人数报告排序字段 What occupancy reports sort by.",
  keys: {
    REPORTED_AT: { sql: "report.reported_at", describe: "报告时间 When reported." },
    PEOPLE_PRESENT: { sql: "report.people_present", describe: "在场人数 People present." },
  },
  tiebreak: { sql: "report.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first" },
});

export enum DistributionOrderField {
  DISTRIBUTED_AT = "DISTRIBUTED_AT",
  PEOPLE = "PEOPLE",
  RECIPIENT_KIND = "RECIPIENT_KIND",
}

const RECIPIENT_KINDS: RecipientKind[] = ["HOUSEHOLD", "GROUP"] as RecipientKind[];

export const DISTRIBUTION_ORDER = defineOrder<Distribution, DistributionOrderField>({
  name: "Distribution",
  fields: DistributionOrderField,
  description: "发放登记排序字段 What the distribution register sorts by.",
  keys: {
    DISTRIBUTED_AT: { sql: "distribution.distributed_at", describe: "发放时间 When handed out." },
    PEOPLE: { sql: "distribution.people", describe: "人数 People served." },
    RECIPIENT_KIND: { sql: enumRank(RECIPIENT_KINDS, "distribution.recipient_kind"), describe: "领取对象 Households before groups (ascending)." },
  },
  tiebreak: { sql: "distribution.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first" },
});
