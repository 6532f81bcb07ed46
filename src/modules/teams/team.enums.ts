// The rescue-force vocabulary of the district plan. Kept apart from the entities so entity,
// input and payload files can all import it without import cycles.
import { registerEnumType } from "type-graphql";

export enum TeamKind {
  FIRE_RESCUE = "FIRE_RESCUE",
  DISTRICT_COMPREHENSIVE = "DISTRICT_COMPREHENSIVE",
  TOWNSHIP = "TOWNSHIP",
  PROFESSIONAL = "PROFESSIONAL",
  SOCIAL = "SOCIAL",
  EXPERT = "EXPERT",
}
registerEnumType(TeamKind, {
  name: "TeamKind",
  description: "Kind of rescue force (救援队伍类别) as the district plan names them.",
  valuesConfig: {
    FIRE_RESCUE: { description: "National comprehensive fire and rescue team, the main force (综合性消防救援队伍)." },
    DISTRICT_COMPREHENSIVE: { description: "District comprehensive emergency rescue team, at least 50 members all year (区级综合应急救援队)." },
    TOWNSHIP: { description: "Township (street) comprehensive emergency rescue team, one per township-level unit (乡镇（街道）综合应急救援队)." },
    PROFESSIONAL: { description: "Professional rescue or support team of one sector, with a specialty (专业应急救援队伍)." },
    SOCIAL: { description: "Social rescue force such as 蓝天救援队 (社会应急力量); registers, files each rescue action and discloses periodically." },
    EXPERT: { description: "Technical expert support team (技术专家保障队伍)." },
  },
});

export enum TeamSpecialty {
  FOREST_FIRE = "FOREST_FIRE",
  FLOOD_DROUGHT = "FLOOD_DROUGHT",
  WATER = "WATER",
  MINE = "MINE",
  HAZARDOUS_CHEMICALS = "HAZARDOUS_CHEMICALS",
  COMMUNICATIONS = "COMMUNICATIONS",
  POWER = "POWER",
  ROAD_TRANSPORT = "ROAD_TRANSPORT",
  HEALTH = "HEALTH",
  ENVIRONMENT = "ENVIRONMENT",
}
registerEnumType(TeamSpecialty, {
  name: "TeamSpecialty",
  description: "Sector of a professional team (专业领域).",
  valuesConfig: {
    FOREST_FIRE: { description: "Forest fire (森林火灾)." },
    FLOOD_DROUGHT: { description: "Flood and drought (防汛抗旱)." },
    WATER: { description: "Water rescue (水上救援)." },
    MINE: { description: "Mine rescue (矿山救援)." },
    HAZARDOUS_CHEMICALS: { description: "Hazardous chemicals (危化品)." },
    COMMUNICATIONS: { description: "Emergency communications (通信保障)." },
    POWER: { description: "Power supply (电力保障)." },
    ROAD_TRANSPORT: { description: "Road transport (道路运输)." },
    HEALTH: { description: "Medical and health (卫生应急)." },
    ENVIRONMENT: { description: "Environmental emergencies (环境应急)." },
  },
});

export enum MemberRole {
  LEADER = "LEADER",
  DEPUTY = "DEPUTY",
  MEMBER = "MEMBER",
}
registerEnumType(MemberRole, {
  name: "MemberRole",
  description: "A member's role in the team.",
  valuesConfig: {
    LEADER: { description: "Team leader (队长); exactly one active per team." },
    DEPUTY: { description: "Deputy leader (副队长)." },
    MEMBER: { description: "Team member (队员)." },
  },
});

export enum EmploymentMode {
  LABOUR_DISPATCH = "LABOUR_DISPATCH",
  GRID_WORKER = "GRID_WORKER",
  FULL_TIME = "FULL_TIME",
  VOLUNTEER = "VOLUNTEER",
}
registerEnumType(EmploymentMode, {
  name: "EmploymentMode",
  description: "How a member is engaged (用工方式).",
  valuesConfig: {
    LABOUR_DISPATCH: { description: "Labour dispatch (劳务派遣)." },
    GRID_WORKER: { description: "Part-time grid worker (网格员兼职)." },
    FULL_TIME: { description: "Full-time (专职)." },
    VOLUNTEER: { description: "Volunteer (志愿者)." },
  },
});

export enum ReadinessStatus {
  READY = "READY",
  STANDBY = "STANDBY",
  DEPLOYED = "DEPLOYED",
  RECOVERING = "RECOVERING",
  UNAVAILABLE = "UNAVAILABLE",
}
registerEnumType(ReadinessStatus, {
  name: "ReadinessStatus",
  description: "Readiness of a team (战备状态).",
  valuesConfig: {
    READY: { description: "Ready to go now (随时出动)." },
    STANDBY: { description: "On standby: can go after a short call-up (待命)." },
    DEPLOYED: { description: "Deployed to an incident (已出动)." },
    RECOVERING: { description: "Back from a deployment, resting and restoring equipment (休整)." },
    UNAVAILABLE: { description: "Cannot go (不可用), e.g. training away or short of members." },
  },
});

export enum ReadinessSource {
  REPORT = "REPORT",
  DEPLOYMENT = "DEPLOYMENT",
  RELEASE = "RELEASE",
}
registerEnumType(ReadinessSource, {
  name: "ReadinessSource",
  description: "What produced a readiness report.",
  valuesConfig: {
    REPORT: { description: "Reported by the team's leader (or an administrator)." },
    DEPLOYMENT: { description: "Recorded when the team was deployed by a dispatch order (调度)." },
    RELEASE: { description: "Recorded when the team was released from a deployment." },
  },
});

export enum PartyOrganisationStatus {
  NONE = "NONE",
  PARTY_MEMBERS_ONLY = "PARTY_MEMBERS_ONLY",
  JOINT_BRANCH = "JOINT_BRANCH",
  BRANCH = "BRANCH",
}
registerEnumType(PartyOrganisationStatus, {
  name: "PartyOrganisationStatus",
  description: "Party-organisation building of a social team (党组织建设).",
  valuesConfig: {
    NONE: { description: "No party members organised yet (未建立)." },
    PARTY_MEMBERS_ONLY: { description: "Party members present, no organisation yet (有党员，未建组织)." },
    JOINT_BRANCH: { description: "Joint party branch with other organisations (联合党支部)." },
    BRANCH: { description: "Own party branch (独立党支部)." },
  },
});

export enum DrillKind {
  JOINT = "JOINT",
  COMPREHENSIVE = "COMPREHENSIVE",
  DOUBLE_BLIND = "DOUBLE_BLIND",
  TEAM = "TEAM",
}
registerEnumType(DrillKind, {
  name: "DrillKind",
  description: "Kind of drill (演练类型).",
  valuesConfig: {
    JOINT: { description: "Joint training and drill of several forces (共训共练、联合演练)." },
    COMPREHENSIVE: { description: "The yearly comprehensive emergency drill (综合应急演练)." },
    DOUBLE_BLIND: { description: "Double-blind drill: time, place and content not announced (双盲演练)." },
    TEAM: { description: "A single team's own drill (队伍自主演练)." },
  },
});

export enum CertificateStatus {
  VALID = "VALID",
  EXPIRING_SOON = "EXPIRING_SOON",
  EXPIRED = "EXPIRED",
}
registerEnumType(CertificateStatus, {
  name: "CertificateStatus",
  description: "Whether a certificate is still valid (证书有效性).",
  valuesConfig: {
    VALID: { description: "Valid, and not expiring within the alert window (or without expiry)." },
    EXPIRING_SOON: { description: "Expires within the alert window (default 30 days): renew it (即将到期)." },
    EXPIRED: { description: "Expired (已过期)." },
  },
});

/** SQL list of an enum's values, for CHECK constraints that match the TypeScript enum. */
export function sqlValues(values: Record<string, string>): string {
  return Object.values(values)
    .map((value) => `'${value}'`)
    .join(", ");
}
