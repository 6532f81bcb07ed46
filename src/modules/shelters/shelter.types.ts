// Object types of the shelter module that are not tables: connections, payloads, needs and totals.
import { Field, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../../core/graphql/relay";
import { UserError } from "../../core/graphql/errors";
import { SupplyRequest } from "../requests/supply-request.entity";
import { Distribution, OccupancyReport, RationLine, ReliefPolicy, Shelter } from "./shelter.entity";
import { ShelterChange } from "./shelter.enums";

export const ShelterConnection = ConnectionType(Shelter, "Shelter", "避难场所分页。A page of shelters.");
export const OccupancyReportConnection = ConnectionType(OccupancyReport, "OccupancyReport", "人数报告分页。A page of occupancy reports, newest first.");
export const DistributionConnection = ConnectionType(Distribution, "Distribution", "发放登记分页。A page of the distribution register, newest first.");

@ObjectType({ description: "避难场所操作结果。Result of shelter mutations." })
export class ShelterPayload {
  @Field(() => Shelter, { nullable: true, description: "避难场所。The shelter as saved." })
  shelter?: Shelter;

  @Field(() => OccupancyReport, { nullable: true, description: "人数报告。The report recorded (reportShelterOccupancy)." })
  report?: OccupancyReport;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "口粮标准操作结果。Result of setRationLine." })
export class RationLinePayload {
  @Field(() => RationLine, { nullable: true, description: "口粮标准。The line as saved." })
  rationLine?: RationLine;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "救助规则操作结果。Result of setReliefPolicy." })
export class ReliefPolicyPayload {
  @Field(() => ReliefPolicy, { nullable: true, description: "救助规则。The settings as saved." })
  policy?: ReliefPolicy;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "发放登记操作结果。Result of recordDistribution and reverseDistribution." })
export class DistributionPayload {
  @Field(() => Distribution, { nullable: true, description: "发放登记。The entry as recorded." })
  distribution?: Distribution;

  @Field(() => [UserError], { description: "输入问题。What was wrong, or REPEAT_HOUSEHOLD (confirm with confirmRepeat: true); nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "按需申报结果。Result of requestShelterSupplies." })
export class ShelterRequestPayload {
  @Field(() => SupplyRequest, { nullable: true, description: "需求申报。The supply request raised (SUBMITTED), to the shelter's store." })
  request?: SupplyRequest;

  @Field(() => [UserError], { description: "输入问题。What was wrong; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "物资需求 What a shelter's people need of one item for N days: required by the ration table, minus what it holds and what is on the way." })
export class ShelterNeedLine {
  itemId: number;

  @Field(() => [String], { description: "口粮标准编码。The ration lines that ask for this item." })
  rationCodes: string[];

  @Field(() => Int, { description: "需要数量 Units required for the days asked (each line rounded up as a whole)." })
  required: number;

  @Field(() => Int, { description: "现有可用 Available (unreserved, unexpired) units at the shelter's store." })
  held: number;

  @Field(() => Int, { description: "在途 Units on their way to the shelter's store." })
  inTransit: number;

  @Field(() => Int, {
    description: "已申报 Asked for by open supply requests to the shelter's store (SUBMITTED: as asked; APPROVED or FULFILLING: as approved) and not yet delivered or on the road.",
  })
  requested: number;

  @Field(() => Int, { description: "缺口 What is still needed: required − held − in transit − requested, not below 0." })
  shortfall: number;
}

@ObjectType({ description: "避难场所需求 What a shelter needs for N days (Kerala 2018: need / available / in transit)." })
export class ShelterNeeds {
  shelterId: number;
  reportId: number | null;

  @Field(() => Int, { description: "天数。Days provided for." })
  days: number;

  @Field(() => Int, { description: "人数 People counted: the last occupancy report of the current opening, or `people` when asked for planning." })
  people: number;

  @Field(() => [ShelterNeedLine], { description: "各物资需求。Per item, in item-code order." })
  lines: ShelterNeedLine[];
}

@ObjectType({ description: "安置人数汇总 Shelters and the people in them: a township's, or the district's." })
export class OccupancyTotals {
  regionId: number;

  @Field(() => Int, { description: "场所数 Shelters counted." })
  shelters: number;

  @Field(() => Int, { description: "启用场所数 Of them open (OPEN or FULL)." })
  openShelters: number;

  @Field(() => Int, { description: "满员场所数 Of them FULL." })
  fullShelters: number;

  @Field(() => Int, { description: "超员场所数 Of them over capacity." })
  overCapacityShelters: number;

  @Field(() => Int, { description: "容纳人数 Capacity of the shelters counted." })
  capacity: number;

  @Field(() => Int, { description: "启用场所容量 Capacity of the open ones." })
  openCapacity: number;

  @Field(() => Int, { description: "在场人数 People present (转移安置人数): the evacuated people sheltered now." })
  peoplePresent: number;

  @Field(() => Int, { description: "婴幼儿。Infants under 3 present." })
  infants: number;

  @Field(() => Int, { description: "儿童。Children present." })
  children: number;

  @Field(() => Int, { description: "老年人。Elderly present." })
  elderly: number;

  @Field(() => Int, { description: "残疾人。People with a disability present." })
  disabled: number;

  @Field(() => Int, { description: "伤病员、孕产妇。Sick, injured or pregnant present." })
  sickOrPregnant: number;
}

@ObjectType({ description: "安置情况 Occupancy per township and for the district (counts only, for every role)." })
export class ShelterOccupancy {
  @Field(() => [OccupancyTotals], { description: "各乡镇（街道）。One row per township with shelters counted, in code order." })
  townships: OccupancyTotals[];

  @Field(() => OccupancyTotals, { description: "全区合计。The district's total." })
  district: OccupancyTotals;
}

@ObjectType({ description: "发放户数人数 What was distributed in one township: entries, households and people (reversed entries left out)." })
export class DistributionTownshipTotals {
  townshipId: number;

  @Field(() => Int, { description: "登记数 Entries (not reversed)." })
  entries: number;

  @Field(() => Int, { description: "户数 Households served: distinct per incident, by ID number or phone where given." })
  households: number;

  @Field(() => Int, { description: "人数 People served: each household's size once per incident (its largest size given), however often it received, plus the group counts." })
  people: number;
}

@ObjectType({ description: "发放物资 Units of one item distributed in a township out of one store (net of reversals)." })
export class DistributionItemTotal {
  townshipId: number;
  siteId: number;
  itemId: number;

  @Field(() => Int, { description: "数量 Units, net of reversals." })
  quantity: number;
}

@ObjectType({ description: "发放汇总 What was distributed, per township: to how many households and people, and what from which store." })
export class DistributionSummary {
  @Field(() => [DistributionTownshipTotals], { description: "各乡镇户数人数。" + "Households and people per township." })
  townships: DistributionTownshipTotals[];

  @Field(() => [DistributionItemTotal], { description: "各乡镇物资。Units per township, store and item." })
  items: DistributionItemTotal[];
}

@ObjectType({ description: "场所变化事件。A shelter changed: registered, changed, opened, closed, or a new occupancy report." })
export class ShelterEvent {
  @Field(() => ShelterChange, { description: "变化类型。What happened." })
  change: ShelterChange;

  @Field(() => Shelter, { description: "避难场所。The shelter as committed when the event is delivered." })
  shelter: Shelter;
}
