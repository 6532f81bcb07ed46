// 排序 How call-ups and situation reports sort (`orderBy`).
import { defineOrder, enumRank, SortDirection } from "../../core/graphql/relay";
import type { TeamCallUp } from "./call-up.entity";
import { CallUpStatus } from "./field.enums";
import type { SituationReport } from "./situation-report.entity";

export enum CallUpOrderField {
  CODE = "CODE",
  REQUESTED_AT = "REQUESTED_AT",
  ANSWER_DUE_AT = "ANSWER_DUE_AT",
  STATUS = "STATUS",
}

export const CALL_UP_ORDER = defineOrder<TeamCallUp, CallUpOrderField>({
  name: "CallUp",
  fields: CallUpOrderField,
  description: "调用排序字段 What call-ups sort by.",
  keys: {
    CODE: { sql: "call_up.code", describe: "调用单号 Reference number." },
    REQUESTED_AT: { sql: "call_up.requested_at", describe: "调用时间 When the call-up was sent." },
    ANSWER_DUE_AT: { sql: "call_up.answer_due_at", describe: "答复期限 Answer deadline." },
    STATUS: { sql: enumRank(Object.values(CallUpStatus), "call_up.status"), describe: "状态 In life-cycle order." },
  },
  tiebreak: { sql: "call_up.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first" },
});

export enum SituationReportOrderField {
  AS_OF = "AS_OF",
  REPORTED_AT = "REPORTED_AT",
}

export const SITUATION_REPORT_ORDER = defineOrder<SituationReport, SituationReportOrderField>({
  name: "SituationReport",
  fields: SituationReportOrderField,
  description: "灾情报送排序字段 What situation reports sort by.",
  keys: {
    AS_OF: { sql: "report.as_of", describe: "统计时间 The moment the figures describe." },
    REPORTED_AT: { sql: "report.reported_at", describe: "报送时间 When it was received." },
  },
  tiebreak: { sql: "report.id" },
  defaultOrder: { terms: [{ field: "AS_OF", direction: SortDirection.DESC }], tiebreak: SortDirection.DESC, says: "latest figures first" },
});
