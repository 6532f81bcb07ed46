// 排序 How the supply-request queue sorts (`orderBy`): urgency, age, number, need-by time, status.
import { defineOrder, enumRank, SortDirection } from "../../core/graphql/relay";
import { DispatchPriority } from "../dispatch/dispatch.enums";
import type { SupplyRequest } from "./supply-request.entity";
import { SupplyRequestStatus } from "./supply-request.enums";

export enum SupplyRequestOrderField {
  PRIORITY = "PRIORITY",
  SUBMITTED_AT = "SUBMITTED_AT",
  CODE = "CODE",
  NEEDED_BY = "NEEDED_BY",
  STATUS = "STATUS",
  UPDATED_AT = "UPDATED_AT",
}

export const SUPPLY_REQUEST_ORDER = defineOrder<SupplyRequest, SupplyRequestOrderField>({
  name: "SupplyRequest",
  fields: SupplyRequestOrderField,
  description: "需求申报排序字段 What supply requests sort by.",
  keys: {
    PRIORITY: {
      sql: enumRank(Object.values(DispatchPriority), "r.priority"),
      describe: "紧急程度 Urgency, most urgent first ascending (URGENT, HIGH, NORMAL: a request is as urgent as its most urgent line).",
    },
    SUBMITTED_AT: { sql: "r.submitted_at", describe: "申报时间 When it was submitted: ascending is by age, the longest waiting first." },
    CODE: { sql: "r.code", describe: "单号 Request number (KZ-RQ-2026-00001)." },
    NEEDED_BY: { sql: "r.needed_by", nullable: true, describe: "需用时间 When the goods are needed; requests without a time sort last ascending." },
    STATUS: { sql: enumRank(Object.values(SupplyRequestStatus), "r.status"), describe: "状态 In the request's lifecycle: submitted, approved, fulfilling, … ." },
    UPDATED_AT: { sql: "r.updated_at", describe: "更新时间 When it last changed." },
  },
  tiebreak: { sql: "r.id" },
  defaultOrder: { terms: [{ field: "PRIORITY", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "the district's queue — most urgent first, oldest first within a priority" },
});
