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
  MILITIA = "MILITIA",
  COMMUNITY_FIRE_STATION = "COMMUNITY_FIRE_STATION",
}
registerEnumType(TeamKind, {
  name: "TeamKind",
  description: "救援队伍类别 Kind of rescue force as the district plan names them.",
  valuesConfig: {
    FIRE_RESCUE: { description: "综合性消防救援队伍 National comprehensive fire and rescue team, the main force." },
    DISTRICT_COMPREHENSIVE: { description: "区级综合应急救援队 District comprehensive emergency rescue team, at least 50 members all year." },
    TOWNSHIP: { description: "乡镇（街道）综合应急救援队 Township (street) comprehensive emergency rescue team, one per township-level unit." },
    PROFESSIONAL: { description: "专业应急救援队伍 Professional rescue or support team of one sector, with a specialty." },
    SOCIAL: { description: "社会应急力量 Social rescue force such as 蓝天救援队; registers, files each rescue action and discloses periodically." },
    EXPERT: { description: "技术专家保障队伍 Technical expert support team." },
    MILITIA: { description: "民兵应急 Militia emergency unit (民兵应急分队), organised by the district's armed-forces department." },
    COMMUNITY_FIRE_STATION: { description: "社区微型消防站 Community micro fire station: first response within minutes in its community." },
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
  description: "专业领域 Sector of a professional team.",
  valuesConfig: {
    FOREST_FIRE: { description: "森林火灾 Forest fire." },
    FLOOD_DROUGHT: { description: "防汛抗旱 Flood and drought." },
    WATER: { description: "水上救援 Water rescue." },
    MINE: { description: "矿山救援 Mine rescue." },
    HAZARDOUS_CHEMICALS: { description: "危化品 Hazardous chemicals." },
    COMMUNICATIONS: { description: "通信保障 Emergency communications." },
    POWER: { description: "电力保障 Power supply." },
    ROAD_TRANSPORT: { description: "道路运输 Road transport." },
    HEALTH: { description: "卫生应急 Medical and health." },
    ENVIRONMENT: { description: "环境应急 Environmental emergencies." },
  },
});

export enum MemberRole {
  LEADER = "LEADER",
  DEPUTY = "DEPUTY",
  MEMBER = "MEMBER",
}
registerEnumType(MemberRole, {
  name: "MemberRole",
  description: "队内职务。A member's role in the team.",
  valuesConfig: {
    LEADER: { description: "队长 Team leader; exactly one active per team." },
    DEPUTY: { description: "副队长 Deputy leader." },
    MEMBER: { description: "队员 Team member." },
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
  description: "用工方式 How a member is engaged.",
  valuesConfig: {
    LABOUR_DISPATCH: { description: "劳务派遣 Labour dispatch." },
    GRID_WORKER: { description: "网格员兼职 Part-time grid worker." },
    FULL_TIME: { description: "专职 Full-time." },
    VOLUNTEER: { description: "志愿者 Volunteer." },
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
  description: "战备状态 Readiness of a team.",
  valuesConfig: {
    READY: { description: "随时出动 Ready to go now." },
    STANDBY: { description: "待命 On standby: can go after a short call-up." },
    DEPLOYED: { description: "已出动 Deployed to an incident." },
    RECOVERING: { description: "休整 Back from a deployment, resting and restoring equipment." },
    UNAVAILABLE: { description: "不可用 Cannot go, e.g. training away or short of members." },
  },
});

export enum ReadinessSource {
  REPORT = "REPORT",
  DEPLOYMENT = "DEPLOYMENT",
  RELEASE = "RELEASE",
}
registerEnumType(ReadinessSource, {
  name: "ReadinessSource",
  description: "报告来源。What produced a readiness report.",
  valuesConfig: {
    REPORT: { description: "队长上报。Reported by the team's leader (or an administrator)." },
    DEPLOYMENT: { description: "调度 Recorded when the team was deployed by a dispatch order." },
    RELEASE: { description: "归队。Recorded when the team was released from a deployment." },
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
  description: "党组织建设 Party-organisation building of a social team.",
  valuesConfig: {
    NONE: { description: "未建立 No party members organised yet." },
    PARTY_MEMBERS_ONLY: { description: "有党员，未建组织 Party members present, no organisation yet." },
    JOINT_BRANCH: { description: "联合党支部 Joint party branch with other organisations." },
    BRANCH: { description: "独立党支部 Own party branch." },
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
  description: "演练类型 Kind of drill.",
  valuesConfig: {
    JOINT: { description: "共训共练、联合演练 Joint training and drill of several forces." },
    COMPREHENSIVE: { description: "综合应急演练 The yearly comprehensive emergency drill." },
    DOUBLE_BLIND: { description: "双盲演练 Double-blind drill: time, place and content not announced." },
    TEAM: { description: "队伍自主演练 A single team's own drill." },
  },
});

export enum CertificateStatus {
  VALID = "VALID",
  EXPIRING_SOON = "EXPIRING_SOON",
  EXPIRED = "EXPIRED",
}
registerEnumType(CertificateStatus, {
  name: "CertificateStatus",
  description: "证书有效性 Whether a certificate is still valid.",
  valuesConfig: {
    VALID: { description: "有效。Valid, and not expiring within the alert window (or without expiry)." },
    EXPIRING_SOON: { description: "即将到期 Expires within the alert window (default 30 days): renew it." },
    EXPIRED: { description: "已过期 Expired." },
  },
});

/** SQL list of an enum's values, for CHECK constraints that match the TypeScript enum. */
export function sqlValues(values: Record<string, string>): string {
  return Object.values(values)
    .map((value) => `'${value}'`)
    .join(", ");
}
