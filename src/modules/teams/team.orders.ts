// 排序 How the rescue forces' lists sort (`orderBy`): teams by code, name, kind or readiness;
// rosters by joining or name; certificates by expiry; reports, drills and filings by time.
import { defineOrder, enumRank, pinyin, SortDirection } from "../../core/graphql/relay";
import type { Drill } from "./drill.entity";
import type { RescueActionFiling } from "./filing.entity";
import type { MemberCertificate, TeamMember } from "./member.entity";
import type { ReadinessReport } from "./readiness.entity";
import { DrillKind, MemberRole, ReadinessStatus, TeamKind } from "./team.enums";
import type { RescueTeam } from "./team.entity";

export enum RescueTeamOrderField {
  CODE = "CODE",
  NAME = "NAME",
  KIND = "KIND",
  READINESS = "READINESS",
  READINESS_REPORTED_AT = "READINESS_REPORTED_AT",
  AVAILABLE_MEMBERS = "AVAILABLE_MEMBERS",
}

export const RESCUE_TEAM_ORDER = defineOrder<RescueTeam, RescueTeamOrderField>({
  name: "RescueTeam",
  fields: RescueTeamOrderField,
  description: "救援队伍排序字段 What rescue teams sort by.",
  keys: {
    CODE: { sql: "team.code", describe: "编码 Team code (KZ-FR-01, KZ-TT-S01 …)." },
    NAME: { sql: pinyin("team.name"), describe: "名称 Team name, in Hanyu Pinyin order (按拼音)." },
    KIND: { sql: enumRank(Object.values(TeamKind), "team.kind"), describe: "类型 Kind, in the plan's order: fire and rescue, district comprehensive, township, professional, social, experts." },
    READINESS: {
      sql: enumRank(Object.values(ReadinessStatus), "team.readiness_status"),
      nullable: true,
      describe: "战备状态 Readiness: ready, standby, deployed, recovering, unavailable; teams that never reported sort last ascending.",
    },
    READINESS_REPORTED_AT: { sql: "team.readiness_reported_at", nullable: true, describe: "上报时间 When readiness was last reported; ascending shows the stalest first, never-reported teams last." },
    AVAILABLE_MEMBERS: { sql: "team.available_members", describe: "可用人数 Members available at the last report." },
  },
  tiebreak: { sql: "team.id" },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum TeamMemberOrderField {
  JOINED = "JOINED",
  JOINED_ON = "JOINED_ON",
  NAME = "NAME",
  ROLE = "ROLE",
}

/** Over members aliased `member`. Names sort on the stored name, which callers who see it masked cannot read beyond the surname anyway. */
export const TEAM_MEMBER_ORDER = defineOrder<TeamMember, TeamMemberOrderField>({
  name: "TeamMember",
  fields: TeamMemberOrderField,
  description: "队员排序字段 What team members sort by.",
  keys: {
    JOINED: { sql: "member.id", value: (m) => m.id, describe: "名册顺序 Roster order: the order members were entered (the default)." },
    JOINED_ON: { sql: "member.joined_on", describe: "入队日期 The day the member joined." },
    NAME: { sql: pinyin("member.name"), describe: "姓名 Name, in Hanyu Pinyin order (按拼音)." },
    ROLE: { sql: enumRank(Object.values(MemberRole), "member.role"), describe: "职务 Role: leader, deputy, member." },
  },
  tiebreak: { sql: "member.id", value: (m) => m.id },
  defaultOrder: { terms: [], tiebreak: SortDirection.ASC, says: "roster order (order of entry)" },
});

export enum RosterConflictOrderField {
  MEMBER = "MEMBER",
  SINCE = "SINCE",
}

/** Over the flagged members (alias `member`). */
export const ROSTER_CONFLICT_ORDER = defineOrder<TeamMember, RosterConflictOrderField>({
  name: "RosterConflict",
  fields: RosterConflictOrderField,
  description: "身份证号重复排序字段 What roster conflicts sort by.",
  keys: {
    MEMBER: { sql: "member.id", describe: "名册顺序 Roster order of the flagged member (the default)." },
    SINCE: { sql: "member.id_number_conflict_since", describe: "记录时间 When the conflict was recorded; ascending shows the oldest unresolved first." },
  },
  tiebreak: { sql: "member.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.ASC, says: "roster order of the flagged member" },
});

export enum MemberCertificateOrderField {
  EXPIRES_ON = "EXPIRES_ON",
  ISSUED_ON = "ISSUED_ON",
  NAME = "NAME",
}

export const MEMBER_CERTIFICATE_ORDER = defineOrder<MemberCertificate, MemberCertificateOrderField>({
  name: "MemberCertificate",
  fields: MemberCertificateOrderField,
  description: "证书排序字段 What member certificates sort by.",
  keys: {
    EXPIRES_ON: { sql: "certificate.expires_on", nullable: true, describe: "到期日 Expiry date; certificates without one sort last ascending." },
    ISSUED_ON: { sql: "certificate.issued_on", nullable: true, describe: "发证日期 Issue date; those without one sort last ascending." },
    NAME: { sql: pinyin("certificate.name"), describe: "证书名称 The certificate's name, in Hanyu Pinyin order (按拼音)." },
  },
  tiebreak: { sql: "certificate.id" },
  defaultOrder: { terms: [{ field: "EXPIRES_ON", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "soonest expiry first" },
});

export enum ReadinessReportOrderField {
  REPORTED_AT = "REPORTED_AT",
  STATUS = "STATUS",
}

export const READINESS_REPORT_ORDER = defineOrder<ReadinessReport, ReadinessReportOrderField>({
  name: "ReadinessReport",
  fields: ReadinessReportOrderField,
  description: "战备报告排序字段 What readiness reports sort by.",
  keys: {
    REPORTED_AT: { sql: "report.reported_at", describe: "上报时间 When the report was made." },
    STATUS: { sql: enumRank(Object.values(ReadinessStatus), "report.status"), describe: "战备状态 The status reported: ready, standby, deployed, recovering, unavailable." },
  },
  tiebreak: { sql: "report.id", value: (r) => r.id },
  defaultOrder: { terms: [], tiebreak: SortDirection.DESC, says: "newest first (as entered)" },
});

export enum DrillOrderField {
  HELD_ON = "HELD_ON",
  KIND = "KIND",
}

export const DRILL_ORDER = defineOrder<Drill, DrillOrderField>({
  name: "Drill",
  fields: DrillOrderField,
  description: "演练排序字段 What drills sort by.",
  keys: {
    HELD_ON: { sql: "drill.held_on", describe: "演练日期 The day of the drill." },
    KIND: { sql: enumRank(Object.values(DrillKind), "drill.kind"), describe: "演练类型 Kind of drill." },
  },
  tiebreak: { sql: "drill.id" },
  defaultOrder: { terms: [{ field: "HELD_ON", direction: SortDirection.DESC }], tiebreak: SortDirection.DESC, says: "most recent first" },
});

export enum RescueActionFilingOrderField {
  STARTED_AT = "STARTED_AT",
  FILED_AT = "FILED_AT",
  MEMBERS_SENT = "MEMBERS_SENT",
}

export const RESCUE_ACTION_FILING_ORDER = defineOrder<RescueActionFiling, RescueActionFilingOrderField>({
  name: "RescueActionFiling",
  fields: RescueActionFilingOrderField,
  description: "救援行动报备排序字段 What rescue-action filings sort by.",
  keys: {
    STARTED_AT: { sql: "filing.started_at", describe: "行动开始 When the action started." },
    FILED_AT: { sql: "filing.filed_at", describe: "报备时间 When it was filed." },
    MEMBERS_SENT: { sql: "filing.members_sent", describe: "出动人数 Members sent." },
  },
  tiebreak: { sql: "filing.id" },
  defaultOrder: { terms: [{ field: "STARTED_AT", direction: SortDirection.DESC }], tiebreak: SortDirection.DESC, says: "most recent action first" },
});
