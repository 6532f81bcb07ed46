// The vocabulary of forces in the field (issue 21): call-up states, the checks before a team goes
// and how hard each one bites. Apart from the entities so inputs and payloads import it freely.
import { registerEnumType } from "type-graphql";

export enum CallUpStatus {
  REQUESTED = "REQUESTED",
  AWAITING_ACKNOWLEDGEMENT = "AWAITING_ACKNOWLEDGEMENT",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  CANCELLED = "CANCELLED",
  RELEASED = "RELEASED",
}
registerEnumType(CallUpStatus, {
  name: "CallUpStatus",
  description: "调用状态 Where a call-up stands.",
  valuesConfig: {
    REQUESTED: { description: "待答复 Sent to the team; waiting for its leader to accept or decline." },
    AWAITING_ACKNOWLEDGEMENT: { description: "待确认 Accepted by the leader, but checks warned: the commander must acknowledge them before the team goes." },
    ACCEPTED: { description: "已出动 Accepted and deployed: the deployment and the local filing exist." },
    DECLINED: { description: "已拒绝 Declined by the team's leader, with a reason." },
    CANCELLED: { description: "已取消 Withdrawn by the commander before the team went." },
    RELEASED: { description: "已撤回 The deployment it made has ended." },
  },
});

export enum CheckCode {
  REGISTRATION = "REGISTRATION",
  PARTY_ORGANISATION = "PARTY_ORGANISATION",
  DISCLOSURE = "DISCLOSURE",
  READINESS = "READINESS",
  CERTIFICATES = "CERTIFICATES",
  INSURANCE = "INSURANCE",
  NO_CALL_UP = "NO_CALL_UP",
}
registerEnumType(CheckCode, {
  name: "DeploymentCheckCode",
  description: "出动前检查 A check made before a team goes (社会应急力量建设基础规范).",
  valuesConfig: {
    REGISTRATION: { description: "登记有效 The team has a registration number on record (social teams)." },
    PARTY_ORGANISATION: { description: "党组织建设 The team has party members organised (not NONE)." },
    DISCLOSURE: { description: "信息公开 The team disclosed its information within the rule's period (maxAgeDays, default 365)." },
    READINESS: { description: "战备状态 The team's readiness report is not stale." },
    CERTIFICATES: { description: "持证 Each member going holds a valid certificate, and the members going cover the skills needed." },
    INSURANCE: { description: "保险 Each member going holds valid insurance for the days of the deployment." },
    NO_CALL_UP: { description: "未经调用 A team sent by deployTeam without a call-up (social teams)." },
  },
});

export enum CheckSeverity {
  WARNING = "WARNING",
  REFUSE = "REFUSE",
}
registerEnumType(CheckSeverity, {
  name: "DeploymentCheckSeverity",
  description: "检查级别 What a failed check does.",
  valuesConfig: {
    WARNING: { description: "警告 The team may go once the commander has acknowledged it (kept in the audit log)." },
    REFUSE: { description: "禁止 A hard rule: the team does not go." },
  },
});
