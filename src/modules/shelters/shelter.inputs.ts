import { Field, Float, ID, InputType, Int } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { Hazard } from "../incidents/hazard";
import { DispatchPriority } from "../dispatch/dispatch.enums";
import { PopulationGroup, RationBasis, RecipientKind, ShelterKind, ShelterStatus } from "./shelter.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { INCIDENT, REGION, SHELTER, STORAGE_SITE } from "../known-codes";

// ---------------------------------------------------------------- filters

@InputType({ description: "避难场所筛选。Filter for `shelters`; all given conditions must hold." })
export class ShelterWhere {
  @IdOrCodeFilter(REGION, "区域。Only shelters in this region or below it (a township, a village).")
  regionId?: string | null;

  @Field(() => ShelterStatus, { nullable: true, description: "场所状态。Only shelters in this state." })
  status?: ShelterStatus | null;

  @Field(() => Boolean, { nullable: true, description: "启用中。true: only OPEN or FULL shelters; false: only STANDBY or CLOSED ones." })
  open?: boolean | null;

  @Field(() => ShelterKind, { nullable: true, description: "场所类型。Only shelters of this kind." })
  kind?: ShelterKind | null;

  @Field(() => Hazard, { nullable: true, description: "适用灾种。Only shelters fit for this hazard." })
  hazard?: Hazard | null;

  @IdOrCodeFilter(INCIDENT, "突发事件。Only shelters open for this incident now.")
  incidentId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "超员。true: only shelters with more people than capacity." })
  overCapacity?: boolean | null;

  @Field(() => String, { nullable: true, description: "名称包含。Only shelters whose name contains this text." })
  nameContains?: string | null;
}

@InputType({ description: "场所变化筛选。Which shelter changes a subscriber wants; all given conditions must hold." })
export class ShelterChangedWhere {
  @IdOrCodeFilter(SHELTER, "避难场所。Only this shelter.")
  shelterId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only shelters in this region or below it.")
  regionId?: string | null;

  @IdOrCodeFilter(INCIDENT, "突发事件。Only shelters open (or just closed) for this incident.")
  incidentId?: string | null;
}

@InputType({ description: "发放登记筛选。Filter for `distributions`; all given conditions must hold." })
export class DistributionWhere {
  @IdOrCodeFilter(REGION, "区域。Only distributions at places in this region or below it.")
  regionId?: string | null;

  @IdOrCodeFilter(SHELTER, "避难场所。Only distributions at this shelter.")
  shelterId?: string | null;

  @IdOrCodeFilter(STORAGE_SITE, "储备点。Only distributions out of this store.")
  siteId?: string | null;

  @IdOrCodeFilter(INCIDENT, "突发事件。Only distributions for this incident.")
  incidentId?: string | null;

  @Field(() => Date, { nullable: true, description: "起始时间。Distributed at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "截止时间。Distributed before this time." })
  to?: Date | null;
}

// ---------------------------------------------------------------- the registry

@InputType({ description: "登记避难场所 Register a shelter; its store (tier SHELTER) is made with it. ADMIN, or LOGISTICS within its township." })
export class CreateShelterInput extends MutationInput {
  @Field(() => String, { description: "场所编码。Stable code, e.g. KZ-S01-SH21." })
  code: string;

  @Field(() => String, { description: "场所名称。Name, e.g. 汉丰第一中学避难场所." })
  name: string;

  @Field(() => ID, { description: "所在村（社区）。The village or community it lies in." })
  regionId: string;

  @Field(() => ShelterKind, { description: "场所类型。Kind of place." })
  kind: ShelterKind;

  @Field(() => [Hazard], { description: "适用灾种。Hazards it is fit for (at least one)." })
  hazards: Hazard[];

  @Field(() => Int, { description: "容纳人数。Capacity in people (1–100,000)." })
  capacity: number;

  @Field(() => Int, { description: "室内面积。Indoor floor area in m² (0 for a square or park)." })
  indoorArea: number;

  @Field(() => Boolean, { nullable: true, description: "室外安置。People stay outdoors in tents (default: true for SQUARE and PARK)." })
  outdoor?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "供水。Drinking water on site (default false)." })
  hasWater?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "供电。Power (default false)." })
  hasPower?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "厕所。Toilets (default false)." })
  hasToilets?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "医疗点。A medical point (default false)." })
  hasMedicalPoint?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "无障碍。Step-free access (default false)." })
  accessible?: boolean | null;

  @Field(() => String, { description: "地址。Address of the place." })
  address: string;

  @Field(() => Float, { description: "纬度。Latitude (near its village)." })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude." })
  longitude: number;

  @Field(() => String, { nullable: true, description: "场所负责人。The shelter manager's name." })
  managerName?: string | null;

  @Field(() => String, { nullable: true, description: "负责人电话。The manager's phone." })
  managerPhone?: string | null;
}

@InputType({ description: "修改避难场所 Change a shelter's details; omitted fields stay. Status here is STANDBY or CLOSED only (openShelter/closeShelter open and end openings)." })
export class UpdateShelterInput extends MutationInput {
  @Field(() => ID, { description: "避难场所。The shelter." })
  shelterId: string;

  @Field(() => String, { nullable: true, description: "场所名称。New name." })
  name?: string | null;

  @Field(() => ShelterKind, { nullable: true, description: "场所类型。Kind of place." })
  kind?: ShelterKind | null;

  @Field(() => [Hazard], { nullable: true, description: "适用灾种。The full new list of hazards." })
  hazards?: Hazard[] | null;

  @Field(() => Int, { nullable: true, description: "容纳人数。Capacity in people." })
  capacity?: number | null;

  @Field(() => Int, { nullable: true, description: "室内面积。Indoor floor area in m²." })
  indoorArea?: number | null;

  @Field(() => Boolean, { nullable: true, description: "室外安置。People stay outdoors." })
  outdoor?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "供水。Drinking water." })
  hasWater?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "供电。Power." })
  hasPower?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "厕所。Toilets." })
  hasToilets?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "医疗点。Medical point." })
  hasMedicalPoint?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "无障碍。Step-free access." })
  accessible?: boolean | null;

  @Field(() => String, { nullable: true, description: "地址。Address." })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "场所负责人。Manager's name; an empty string clears it." })
  managerName?: string | null;

  @Field(() => String, { nullable: true, description: "负责人电话。Manager's phone; an empty string clears it." })
  managerPhone?: string | null;

  @Field(() => ShelterStatus, { nullable: true, description: "场所状态。STANDBY or CLOSED, for a shelter not open." })
  status?: ShelterStatus | null;
}

@InputType({ description: "启用避难场所 Open a STANDBY shelter for an open incident (COMMANDER, or LOGISTICS within its township)." })
export class OpenShelterInput extends MutationInput {
  @Field(() => ID, { description: "避难场所。The shelter." })
  shelterId: string;

  @Field(() => ID, { description: "突发事件。The open incident it takes people in for." })
  incidentId: string;
}

@InputType({
  description:
    "关闭避难场所 End a shelter's opening: everyone has gone home or moved; it is back on STANDBY. With people present by the last report it is refused (PEOPLE_PRESENT) unless confirmOccupied: report them gone (peoplePresent 0) first, or confirm.",
})
export class CloseShelterInput extends MutationInput {
  @Field(() => ID, { description: "避难场所。The shelter." })
  shelterId: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "确认有人关闭 Close although the last report still counts people present: a closing report (0 present, all of them departures) is recorded first, so the history says where the evacuation figure went.",
  })
  confirmOccupied?: boolean | null;
}

@InputType({ description: "人数报告 An occupancy report of an open shelter. Over capacity is accepted and flagged (status FULL, overCapacity), never refused." })
export class ReportShelterOccupancyInput extends MutationInput {
  @Field(() => ID, { description: "避难场所。The shelter (OPEN or FULL)." })
  shelterId: string;

  @Field(() => Int, { description: "在场人数。People present now." })
  peoplePresent: number;

  @Field(() => Int, { nullable: true, description: "婴幼儿。Of them infants under 3 (default 0)." })
  infants?: number | null;

  @Field(() => Int, { nullable: true, description: "儿童。Of them children 3–17 (default 0)." })
  children?: number | null;

  @Field(() => Int, { nullable: true, description: "老年人。Of them people 65 and over (default 0)." })
  elderly?: number | null;

  @Field(() => Int, { nullable: true, description: "残疾人。Of them people with a disability (default 0)." })
  disabled?: number | null;

  @Field(() => Int, { nullable: true, description: "伤病员、孕产妇。Of them sick, injured or pregnant (default 0)." })
  sickOrPregnant?: number | null;

  @Field(() => Int, { nullable: true, description: "新到人数。Arrivals since the last report (default 0)." })
  arrivals?: number | null;

  @Field(() => Int, { nullable: true, description: "离开人数。Departures since the last report (default 0)." })
  departures?: number | null;

  @Field(() => String, { nullable: true, description: "备注。Note." })
  note?: string | null;
}

// ---------------------------------------------------------------- rations

@InputType({ description: "设置口粮标准 Set one line of the district's ration table (created when its code is new). LOGISTICS district-wide, or ADMIN." })
export class SetRationLineInput extends MutationInput {
  @Field(() => String, { description: "标准编码。e.g. DRINKING_WATER." })
  code: string;

  @Field(() => ID, { description: "物资。The supply item." })
  itemId: string;

  @Field(() => PopulationGroup, { description: "适用人群。Whom it applies to." })
  populationGroup: PopulationGroup;

  @Field(() => RationBasis, { description: "计量方式。Per day or per stay." })
  basis: RationBasis;

  @Field(() => Float, { description: "人均数量。Units per person (0–1,000; 0 switches the line off)." })
  quantityPerPerson: number;

  @Field(() => Boolean, { nullable: true, description: "仅室外。Only for outdoor shelters (default false)." })
  outdoorOnly?: boolean | null;

  @Field(() => String, { description: "依据。Where the figure comes from (a standard, a decision of the bureau)." })
  source: string;
}

@InputType({ description: "设置救助规则 Set the district's relief settings. LOGISTICS district-wide, or ADMIN." })
export class SetReliefPolicyInput extends MutationInput {
  @Field(() => Int, { description: "重复领取提示时长。Hours (0–8,760) within which a repeat is a warning to confirm; 0 never warns." })
  repeatWindowHours: number;
}

@InputType({ description: "按需申报 Raise a supply request for what a shelter's people need for N days beyond what it holds and has on the way; delivered to the shelter's store." })
export class RequestShelterSuppliesInput extends MutationInput {
  @Field(() => ID, { description: "避难场所。The shelter." })
  shelterId: string;

  @Field(() => Int, { description: "天数。Days to provide for (1–30)." })
  days: number;

  @Field(() => Int, { nullable: true, description: "人数 Provide for this many people (all counted as EVERYONE) instead of the last occupancy report: pre-positioning for a shelter on standby." })
  people?: number | null;

  @Field(() => DispatchPriority, { nullable: true, description: "紧急程度 How urgent (default URGENT for an open shelter, NORMAL otherwise)." })
  priority?: DispatchPriority | null;

  @Field(() => String, { description: "申报人联系电话。A phone number the district can call back on." })
  requesterPhone: string;

  @Field(() => String, { nullable: true, description: "申报说明。Note." })
  note?: string | null;
}

// ---------------------------------------------------------------- distribution

@InputType({ description: "领取户 The household receiving: its head (personal data) and size." })
export class HouseholdInput {
  @Field(() => String, { description: "户主姓名。The household head's name." })
  headName: string;

  @Field(() => String, { nullable: true, description: "户主身份证号。The head's resident ID number (18 characters); the repeat check matches on it, else on the phone." })
  idNumber?: string | null;

  @Field(() => String, { nullable: true, description: "联系电话。The household's phone." })
  phone?: string | null;

  @Field(() => Int, { description: "家庭人数。Household size (1–50)." })
  size: number;
}

@InputType({ description: "发放明细 An item and how many; the batch is chosen first-expiring-first unless given." })
export class DistributionLineInput {
  @Field(() => ID, { description: "物资。The supply item." })
  itemId: string;

  @Field(() => Int, { description: "数量。Units handed out." })
  quantity: number;

  @Field(() => ID, { nullable: true, description: "批次。A batch of the item at that place, when a particular one is handed out." })
  batchId?: string | null;
}

@InputType({ description: "发放登记 Record what was handed out at a shelter or a village store, out of its stock (LOGISTICS within the place's township)." })
export class RecordDistributionInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: "避难场所。The shelter it was handed out at (its store's stock); or give siteId." })
  shelterId?: string | null;

  @Field(() => ID, { nullable: true, description: "储备点。A village room or township point it was handed out from (在村发放); or give shelterId." })
  siteId?: string | null;

  @Field(() => ID, { nullable: true, description: "突发事件。The incident it was for (default: the shelter's current one)." })
  incidentId?: string | null;

  @Field(() => RecipientKind, { description: "领取对象。HOUSEHOLD (give household) or GROUP (give groupCount)." })
  recipientKind: RecipientKind;

  @Field(() => HouseholdInput, { nullable: true, description: "领取户。The household (HOUSEHOLD)." })
  household?: HouseholdInput | null;

  @Field(() => Int, { nullable: true, description: "群体人数。People in the group (GROUP, 1–100,000)." })
  groupCount?: number | null;

  @Field(() => [DistributionLineInput], { description: "发放明细。1–50 lines." })
  lines: DistributionLineInput[];

  @Field(() => Boolean, { nullable: true, description: "确认重复发放。true: the distributor confirms handing out again to a household that received the same item within the repeat period (see reliefPolicy)." })
  confirmRepeat?: boolean | null;

  @Field(() => String, { nullable: true, description: "备注。Note." })
  note?: string | null;
}

@InputType({ description: "冲销发放 Reverse a distribution by a new entry: its units go back into the batches they came from. Once per entry." })
export class ReverseDistributionInput extends MutationInput {
  @Field(() => ID, { description: "发放登记。The entry to reverse." })
  distributionId: string;

  @Field(() => String, { description: "冲销理由。Why (up to 500 characters)." })
  reason: string;
}
