// 排序 How the incident board sorts incidents (`orderBy`): by code, time, level or status.
import { defineOrder, enumRank, SortDirection } from "../../core/graphql/relay";
import { IncidentStatus, ResponseLevel, type Incident } from "./incident.entity";

export enum IncidentOrderField {
  CODE = "CODE",
  OCCURRED_AT = "OCCURRED_AT",
  OPENED_AT = "OPENED_AT",
  LEVEL = "LEVEL",
  STATUS = "STATUS",
}

export const INCIDENT_ORDER = defineOrder<Incident, IncidentOrderField>({
  name: "Incident",
  fields: IncidentOrderField,
  description: "突发事件排序字段 What incidents sort by.",
  keys: {
    CODE: { sql: "incident.code", describe: "编号 Incident number (KZ-2026-0001): in the order they were opened within a year." },
    OCCURRED_AT: { sql: "incident.occurred_at", describe: "发生时间 When it happened." },
    OPENED_AT: { sql: "incident.opened_at", describe: "立案时间 When the incident was opened here." },
    LEVEL: { sql: enumRank(Object.values(ResponseLevel), "incident.level"), describe: "响应级别 Response level, gravest first ascending: I, II, III, IV." },
    STATUS: { sql: enumRank(Object.values(IncidentStatus), "incident.status"), describe: "状态 Open before closed (ascending)." },
  },
  tiebreak: { sql: "incident.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first (as opened)" },
});
