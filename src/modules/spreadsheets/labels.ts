// The Chinese words staff use for the service's vocabularies, for sheets in both directions:
// exports write the first word, imports accept any listed word or the English value.
import { MovementKind, PARTNER_DELIVERY, ReceiptSource, ReserveMode, SiteTier, WriteOffReason } from "../reserves/reserves.enums";
import { TravelMode, TravelTimeBasis } from "../routes/routes.enums";
import { CallUpStatus } from "../field/field.enums";
import { EmploymentMode, MemberRole, PartyOrganisationStatus, ReadinessStatus, TeamKind } from "../teams/team.enums";
import { normalizeHeader } from "./columns";

export const MEMBER_ROLE_WORDS: Record<MemberRole, string[]> = {
  LEADER: ["队长"],
  DEPUTY: ["副队长"],
  MEMBER: ["队员", "成员", "普通队员"],
};

export const EMPLOYMENT_MODE_WORDS: Record<EmploymentMode, string[]> = {
  LABOUR_DISPATCH: ["劳务派遣"],
  GRID_WORKER: ["网格员兼职", "网格员"],
  FULL_TIME: ["专职", "全职"],
  VOLUNTEER: ["志愿者"],
};

export const TEAM_KIND_WORDS: Record<TeamKind, string> = {
  FIRE_RESCUE: "综合性消防救援队伍",
  DISTRICT_COMPREHENSIVE: "区级综合应急救援队",
  TOWNSHIP: "乡镇（街道）综合应急救援队",
  PROFESSIONAL: "专业应急救援队伍",
  SOCIAL: "社会应急力量",
  EXPERT: "技术专家队伍",
  MILITIA: "民兵应急分队",
  COMMUNITY_FIRE_STATION: "社区微型消防站",
};

export const SITE_TIER_WORDS: Record<SiteTier, string> = {
  DISTRICT_DEPOT: "区级库",
  TOWNSHIP_POINT: "乡镇（街道）储备点",
  VILLAGE_ROOM: "村（社区）储存室",
  SHELTER: "避难场所库房",
};

export const RESERVE_MODE_WORDS: Record<ReserveMode, string> = {
  GOVERNMENT: "政府实物储备",
  ENTERPRISE_AGREEMENT: "协议储备",
  CAPACITY: "产能储备",
};

export const MOVEMENT_KIND_WORDS: Record<MovementKind, string> = {
  RECEIPT: "入库",
  ISSUE: "出库",
  TRANSFER_OUT: "调出",
  TRANSFER_IN: "调入",
  RETURN: "回收",
  WRITE_OFF: "报废",
  COUNT_ADJUSTMENT: "盘点调整",
  ROTATION: "轮换",
  DISTRIBUTION: "发放",
  DISTRIBUTION_REVERSAL: "发放冲销",
};

/** The first word is what exports write. */
export const TRAVEL_MODE_SHEET_WORDS: Record<TravelMode, string[]> = {
  ROAD: ["公路", "道路", "陆路"],
  WATER: ["水路", "水运", "船运"],
};

export const BASIS_SHEET_WORDS: Record<TravelTimeBasis, string[]> = {
  DERIVED: ["估算", "推算"],
  SURVEYED: ["实测", "测定"],
};

export const REASON_WORDS: Record<string, string> = {
  [ReceiptSource.PURCHASE]: "采购",
  [ReceiptSource.DONATION]: "捐赠",
  [PARTNER_DELIVERY]: "协议企业供货",
  [WriteOffReason.EXPIRED]: "过期",
  [WriteOffReason.DAMAGED]: "损坏",
  [WriteOffReason.LOST]: "丢失",
};

/** The enum value a cell names (a Chinese word or the value itself, any case), or null. */
export function enumFromWord<E extends string>(words: Record<E, string[]>, text: string): E | null {
  const wanted = normalizeHeader(text);
  for (const [value, list] of Object.entries(words) as Array<[E, string[]]>) {
    if (normalizeHeader(value) === wanted || list.some((word) => normalizeHeader(word) === wanted)) return value;
  }
  return null;
}

export const READINESS_STATUS_WORDS: Record<ReadinessStatus, string> = {
  READY: "随时出动",
  STANDBY: "待命",
  DEPLOYED: "已出动",
  RECOVERING: "休整",
  UNAVAILABLE: "不可用",
};

export const PARTY_ORGANISATION_WORDS: Record<PartyOrganisationStatus, string> = {
  NONE: "未建立",
  PARTY_MEMBERS_ONLY: "有党员，未建组织",
  JOINT_BRANCH: "联合党支部",
  BRANCH: "独立党支部",
};

export const CALL_UP_STATUS_WORDS: Record<CallUpStatus, string> = {
  REQUESTED: "待答复",
  AWAITING_ACKNOWLEDGEMENT: "待确认",
  ACCEPTED: "已出动",
  DECLINED: "已拒绝",
  CANCELLED: "已取消",
  RELEASED: "已撤回",
};
