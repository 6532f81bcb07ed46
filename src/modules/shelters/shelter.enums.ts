// The shelter registry's vocabularies (避难场所). Stored as text with CHECK constraints; the SQL
// lists in the entities' @Check come from these same values.
import { registerEnumType } from "type-graphql";

export enum ShelterKind {
  SCHOOL = "SCHOOL",
  GYMNASIUM = "GYMNASIUM",
  SQUARE = "SQUARE",
  PURPOSE_BUILT = "PURPOSE_BUILT",
  COMMUNITY_CENTRE = "COMMUNITY_CENTRE",
  PARK = "PARK",
  OTHER = "OTHER",
}
registerEnumType(ShelterKind, {
  name: "ShelterKind",
  description: "场所类型 What kind of place a shelter is.",
  valuesConfig: {
    SCHOOL: { description: "学校 A school (classrooms, halls)." },
    GYMNASIUM: { description: "体育馆 A gymnasium or sports hall." },
    SQUARE: { description: "广场 An open square: people sleep in tents." },
    PURPOSE_BUILT: { description: "专用避难场所 A purpose-built emergency shelter." },
    COMMUNITY_CENTRE: { description: "村（社区）活动中心 A village or community centre." },
    PARK: { description: "公园绿地 A park: outdoor, in tents." },
    OTHER: { description: "其他。Anything else (a hotel, a warehouse)." },
  },
});

export enum ShelterStatus {
  STANDBY = "STANDBY",
  OPEN = "OPEN",
  FULL = "FULL",
  CLOSED = "CLOSED",
}
registerEnumType(ShelterStatus, {
  name: "ShelterStatus",
  description: "场所状态。Whether a shelter is taking people in.",
  valuesConfig: {
    STANDBY: { description: "待启用 Ready, not in use." },
    OPEN: { description: "已启用 Opened for an incident, below capacity." },
    FULL: { description: "已满员 Opened, and the last report counts as many people as its capacity or more (people are still taken in: see overCapacity)." },
    CLOSED: { description: "停用 Out of service (damaged, under repair, in the hazard zone)." },
  },
});

export enum PopulationGroup {
  EVERYONE = "EVERYONE",
  INFANTS = "INFANTS",
  CHILDREN = "CHILDREN",
  ELDERLY = "ELDERLY",
  DISABLED = "DISABLED",
  SICK_OR_PREGNANT = "SICK_OR_PREGNANT",
}
registerEnumType(PopulationGroup, {
  name: "PopulationGroup",
  description: "人群 Whom a ration applies to, as occupancy reports count them.",
  valuesConfig: {
    EVERYONE: { description: "全体 Everyone present." },
    INFANTS: { description: "婴幼儿 Infants under 3." },
    CHILDREN: { description: "儿童 Children 3 to 17." },
    ELDERLY: { description: "老年人 People 65 and over." },
    DISABLED: { description: "残疾人 People with a disability." },
    SICK_OR_PREGNANT: { description: "伤病员、孕产妇 Sick, injured or pregnant." },
  },
});

export enum RationBasis {
  PER_DAY = "PER_DAY",
  PER_STAY = "PER_STAY",
}
registerEnumType(RationBasis, {
  name: "RationBasis",
  description: "计量方式 Whether a ration is needed every day or once per person.",
  valuesConfig: {
    PER_DAY: { description: "每人每天 Per person and day (water, food, formula, diapers)." },
    PER_STAY: { description: "每人一次 Once per person for the stay (a quilt, a hygiene kit, a share of a tent)." },
  },
});

export enum RecipientKind {
  HOUSEHOLD = "HOUSEHOLD",
  GROUP = "GROUP",
}
registerEnumType(RecipientKind, {
  name: "RecipientKind",
  description: "领取对象 Who received a distribution.",
  valuesConfig: {
    HOUSEHOLD: { description: "户 A household, by its head (name, ID number, phone: personal data) and its size." },
    GROUP: { description: "群体 A group counted, without names: the first hours, when names cannot be taken." },
  },
});

export enum ShelterChange {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  OPENED = "OPENED",
  CLOSED = "CLOSED",
  OCCUPANCY = "OCCUPANCY",
}
registerEnumType(ShelterChange, {
  name: "ShelterChange",
  description: "场所变化。What happened to a shelter.",
  valuesConfig: {
    CREATED: { description: "已登记。Registered." },
    UPDATED: { description: "已修改。Details or status changed." },
    OPENED: { description: "已启用。Opened for an incident." },
    CLOSED: { description: "已关闭。The opening ended (back on standby)." },
    OCCUPANCY: { description: "人数变化。A new occupancy report (status may have become FULL or OPEN)." },
  },
});
