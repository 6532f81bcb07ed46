// Who gives to whom (调拨规则): the one table the planner reads, the README prints and
// `allocationRules` serves. A source's relation to the destination (its own village's room,
// another township's point, the depot …) and the order's purpose decide whether it may give at
// all and in which round; within a round the quicker source goes first (travel time), then the
// table's row order. The minimum (最低库存) is kept unless the row allows an URGENT order's
// allowBelowMinimum to waive it.
//
// Why these rows:
// - Orders without an incident (pre-positioning before the flood season 汛前预置, replenishing
//   补库, a township's request 需求申报) fill the chain from above: the district depot first,
//   then partner agreement stock. A township's own reserve is kept for its own emergencies and
//   comes after them; another township's point is never touched — stocking one township must
//   not empty five others (the reported case test/travel-planner.test.ts replays: 100 tents for
//   汉丰街道 had come out of five townships' points while the depot held 954 above its minimum).
// - In an incident the goods nearest the people go first (就近): the destination's own village
//   room and township point, and next-door village rooms; then the depot, then partners.
// - Only an URGENT order of an open incident may reach into another township's point, and only
//   above that point's minimum (its own people are the next incident's); such points, the depot
//   and partner stock are then one round, quickest first.
// - A village room gives to its own village, and in an incident to next-door villages: rooms of
//   the same township within ALLOCATION_VILLAGE_ROOM_RADIUS_KM of the destination (straight
//   line: the table's times are between township units). Never below its minimum, never to a
//   store (rooms serve people, not other stores), never across a township boundary.
// - allowBelowMinimum (URGENT orders only, as the order input checks) waives the minimum of the
//   destination's own room and point and of the depot; never of a neighbour's.
import { registerEnumType } from "type-graphql";
import { DispatchPriority, SourceTier } from "../dispatch/dispatch.enums";

export enum PlanningPurpose {
  ROUTINE = "ROUTINE",
  INCIDENT = "INCIDENT",
  URGENT_INCIDENT = "URGENT_INCIDENT",
}
registerEnumType(PlanningPurpose, {
  name: "PlanningPurpose",
  description: "调拨用途: what an order is for, as the source rules (调拨规则) read it — from its incident and priority.",
  valuesConfig: {
    ROUTINE: { description: "日常调拨: no open incident — pre-positioning before the flood season (汛前预置), replenishing (补库), a township's request (需求申报)." },
    INCIDENT: { description: "事件调拨: for an open incident, priority HIGH or NORMAL." },
    URGENT_INCIDENT: { description: "紧急事件调拨: an URGENT order for an open incident." },
  },
});

export enum SourceRelation {
  DISTRICT_DEPOT = "DISTRICT_DEPOT",
  PARTNER_STOCK = "PARTNER_STOCK",
  OWN_TOWNSHIP_POINT = "OWN_TOWNSHIP_POINT",
  OWN_VILLAGE_ROOM = "OWN_VILLAGE_ROOM",
  NEXT_DOOR_VILLAGE_ROOM = "NEXT_DOOR_VILLAGE_ROOM",
  OTHER_TOWNSHIP_POINT = "OTHER_TOWNSHIP_POINT",
  PARTNER_CAPACITY = "PARTNER_CAPACITY",
  OTHER_VILLAGE_ROOM = "OTHER_VILLAGE_ROOM",
}
registerEnumType(SourceRelation, {
  name: "SourceRelation",
  description: "调拨关系: who a source is to the destination, the row of the source rules that applies.",
  valuesConfig: {
    DISTRICT_DEPOT: { description: "区级库: the district depot." },
    PARTNER_STOCK: { description: "协议储备: a partner enterprise's agreement stock." },
    OWN_TOWNSHIP_POINT: { description: "本乡镇储备点: the point of the township the destination lies in." },
    OWN_VILLAGE_ROOM: { description: "本村储存室: the room of the village the destination lies in." },
    NEXT_DOOR_VILLAGE_ROOM: { description: "邻村储存室: a room of another village of the same township, within the village-room radius of the destination." },
    OTHER_TOWNSHIP_POINT: { description: "其他乡镇储备点: another township's point." },
    PARTNER_CAPACITY: { description: "产能储备: a partner's production capacity." },
    OTHER_VILLAGE_ROOM: { description: "其他村储存室: any other village room (another township's, beyond the radius, or for a store)." },
  },
});

export function planningPurpose(priority: DispatchPriority, incidentOpen: boolean): PlanningPurpose {
  if (!incidentOpen) return PlanningPurpose.ROUTINE;
  return priority === DispatchPriority.URGENT ? PlanningPurpose.URGENT_INCIDENT : PlanningPurpose.INCIDENT;
}

/** A rule's reason as dispatchers read it: Chinese, then English. */
type Reason = { zh: string; en: string };

export interface SourceRule {
  relation: SourceRelation;
  tier: SourceTier;
  /** Chinese name first, as dispatchers say it. */
  name: string;
  /** The round a source is used in, per purpose (1 first); null: never. */
  round: Record<PlanningPurpose, number | null>;
  /** Whether an URGENT order's allowBelowMinimum may take this source below its minimum. */
  mayGoBelowMinimum: boolean;
  /** The rule as a source's reason opens with it, per purpose it applies to: Chinese, then English. */
  why: Partial<Record<PlanningPurpose, Reason>>;
  /** When it is never used (or not for some purposes), and why. */
  never: Reason | null;
}

const ALL_ROUNDS = (routine: number | null, incident: number | null, urgent: number | null): Record<PlanningPurpose, number | null> => ({
  [PlanningPurpose.ROUTINE]: routine,
  [PlanningPurpose.INCIDENT]: incident,
  [PlanningPurpose.URGENT_INCIDENT]: urgent,
});

/** One reason for both incident purposes (INCIDENT and URGENT_INCIDENT), where the rule reads the same. */
const IN_ANY_INCIDENT = (reason: Reason): Partial<Record<PlanningPurpose, Reason>> => ({
  [PlanningPurpose.INCIDENT]: reason,
  [PlanningPurpose.URGENT_INCIDENT]: reason,
});
/** One reason for every purpose. */
const FOR_EVERY_PURPOSE = (reason: Reason): Partial<Record<PlanningPurpose, Reason>> => ({
  [PlanningPurpose.ROUTINE]: reason,
  ...IN_ANY_INCIDENT(reason),
});

/** The table. Row order breaks ties within a round after travel time. */
export const SOURCE_RULES: readonly SourceRule[] = [
  {
    relation: SourceRelation.OWN_VILLAGE_ROOM,
    tier: SourceTier.VILLAGE_ROOM,
    name: "本村储存室",
    round: ALL_ROUNDS(3, 1, 1),
    mayGoBelowMinimum: true,
    why: {
      ROUTINE: { zh: "本村储存室：日常调拨先由区级库和协议企业供应，再动用本村最低库存以上部分", en: "the village's own room: after the depot and partners, above its minimum" },
      ...IN_ANY_INCIDENT({ zh: "就近调拨：本村储存室先行", en: "nearest first: the village's own room" }),
    },
    never: { zh: "储存室只供本村（社区），不向储备库点调拨", en: "a room gives to its own village, never to a store" },
  },
  {
    relation: SourceRelation.OWN_TOWNSHIP_POINT,
    tier: SourceTier.TOWNSHIP_POINT,
    name: "本乡镇储备点",
    round: ALL_ROUNDS(3, 1, 1),
    mayGoBelowMinimum: true,
    why: {
      ROUTINE: { zh: "本乡镇储备点：日常调拨先由区级库和协议企业供应，再动用本乡镇最低库存以上部分", en: "the township's own point: after the depot and partners, above its minimum" },
      ...IN_ANY_INCIDENT({ zh: "就近调拨：本乡镇储备点先行", en: "nearest first: the township's own point" }),
    },
    never: null,
  },
  {
    relation: SourceRelation.NEXT_DOOR_VILLAGE_ROOM,
    tier: SourceTier.VILLAGE_ROOM,
    name: "邻村储存室",
    round: ALL_ROUNDS(null, 1, 1),
    mayGoBelowMinimum: false,
    why: {
      ...IN_ANY_INCIDENT({ zh: "邻村互助：事件调拨可动用同乡镇邻村储存室最低库存以上部分", en: "next-door village room in an incident (same township, nearby), above its minimum" }),
    },
    never: { zh: "邻村储存室只在事件调拨中使用，且不低于其最低库存", en: "next-door rooms give only in an incident, and never below their minimum" },
  },
  {
    relation: SourceRelation.DISTRICT_DEPOT,
    tier: SourceTier.DISTRICT_DEPOT,
    name: "区级库",
    round: ALL_ROUNDS(1, 2, 2),
    mayGoBelowMinimum: true,
    why: {
      ROUTINE: { zh: "区级库优先：日常调拨（汛前预置、补库、乡镇申领）由区级库调拨", en: "district depot first: orders without an incident (pre-positioning, replenishing, requests) come from the depot" },
      INCIDENT: { zh: "区级库支援：本村、本乡镇储备之后由区级库调拨", en: "district depot, after the destination's own village and township" },
      URGENT_INCIDENT: { zh: "区级库：紧急事件调拨，与其他乡镇储备点、协议储备按通行时间排序", en: "district depot: in an urgent incident order, ranked by travel time with other points and partner stock" },
    },
    never: null,
  },
  {
    relation: SourceRelation.PARTNER_STOCK,
    tier: SourceTier.PARTNER_STOCK,
    name: "协议储备",
    round: ALL_ROUNDS(2, 3, 2),
    mayGoBelowMinimum: false,
    why: {
      ROUTINE: { zh: "协议储备：区级库之后调用协议企业储备", en: "partner agreement stock, after the depot" },
      INCIDENT: { zh: "协议储备：区级库之后调用协议企业储备", en: "partner agreement stock, after the depot" },
      URGENT_INCIDENT: { zh: "协议储备：紧急事件调拨，与区级库按通行时间排序", en: "partner agreement stock: in an urgent incident order, ranked by travel time with the depot" },
    },
    never: null,
  },
  {
    relation: SourceRelation.OTHER_TOWNSHIP_POINT,
    tier: SourceTier.TOWNSHIP_POINT,
    name: "其他乡镇储备点",
    round: ALL_ROUNDS(null, null, 2),
    mayGoBelowMinimum: false,
    why: {
      URGENT_INCIDENT: { zh: "跨乡镇调用：紧急事件调拨动用其他乡镇储备点最低库存以上部分", en: "another township's point: an urgent incident order, above that point's minimum only" },
    },
    never: { zh: "其他乡镇储备点只在进行中事件的紧急（URGENT）调拨中使用，且不低于其最低库存", en: "another township's point gives only to an URGENT order of an open incident, never below its minimum" },
  },
  {
    relation: SourceRelation.PARTNER_CAPACITY,
    tier: SourceTier.PRODUCTION_CAPACITY,
    name: "产能储备",
    round: ALL_ROUNDS(4, 4, 3),
    mayGoBelowMinimum: false,
    why: FOR_EVERY_PURPOSE({ zh: "产能储备：库存不足时启动协议企业生产", en: "partner production capacity, when stock runs short" }),
    never: null,
  },
  {
    relation: SourceRelation.OTHER_VILLAGE_ROOM,
    tier: SourceTier.VILLAGE_ROOM,
    name: "其他村储存室",
    round: ALL_ROUNDS(null, null, null),
    mayGoBelowMinimum: false,
    why: {},
    never: { zh: "储存室只供本村和同乡镇邻村，不跨乡镇、不向储备库点调拨", en: "a room gives only to its own and next-door villages of its township, never to a store" },
  },
];

const RULES = new Map(SOURCE_RULES.map((rule, order) => [rule.relation, { rule, order }]));

export function ruleFor(relation: SourceRelation): { rule: SourceRule; order: number } {
  return RULES.get(relation)!;
}

/** Where a site or a destination lies: its township unit and village (null above those levels). */
export interface Whereabouts {
  townshipId: number | null;
  villageId: number | null;
}

/** The row a site applies under: by tier, and for points and rooms by where it lies against the destination. */
export function siteRelation(
  tier: "DISTRICT_DEPOT" | "TOWNSHIP_POINT" | "VILLAGE_ROOM",
  site: Whereabouts & { kmFromDestination: number },
  destination: Whereabouts & { isStore: boolean },
  villageRoomRadiusKm: number,
): SourceRelation {
  if (tier === "DISTRICT_DEPOT") return SourceRelation.DISTRICT_DEPOT;
  const sameTownship = site.townshipId !== null && site.townshipId === destination.townshipId;
  if (tier === "TOWNSHIP_POINT") return sameTownship ? SourceRelation.OWN_TOWNSHIP_POINT : SourceRelation.OTHER_TOWNSHIP_POINT;
  if (destination.isStore || !sameTownship) return SourceRelation.OTHER_VILLAGE_ROOM;
  if (site.villageId !== null && site.villageId === destination.villageId) return SourceRelation.OWN_VILLAGE_ROOM;
  return site.kmFromDestination <= villageRoomRadiusKm ? SourceRelation.NEXT_DOOR_VILLAGE_ROOM : SourceRelation.OTHER_VILLAGE_ROOM;
}
