// 排序 How the audit log sorts (`orderBy`): by time (its own order), operation or outcome. Each
// order has its index (IDX_audit_entry_at, …_operation_id, …_outcome_id): the log only grows.
import { defineOrder, enumRank, SortDirection } from "../../core/graphql/relay";
import { AuditOutcome, type AuditEntry } from "./audit.entity";

export enum AuditEntryOrderField {
  AT = "AT",
  OPERATION = "OPERATION",
  OUTCOME = "OUTCOME",
}

export const AUDIT_ENTRY_ORDER = defineOrder<AuditEntry, AuditEntryOrderField>({
  name: "AuditEntry",
  fields: AuditEntryOrderField,
  description: "审计日志排序字段 What audit entries sort by.",
  keys: {
    AT: { sql: "audit.at", describe: "时间 When the attempt was made." },
    OPERATION: { sql: "audit.operation", describe: "操作 The mutation's name, alphabetically." },
    OUTCOME: { sql: enumRank(Object.values(AuditOutcome), "audit.outcome"), describe: "结果 Outcome: succeeded, rejected, refused, failed." },
  },
  tiebreak: { sql: "audit.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first (as written)" },
});
