import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { maskIdNumber, maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Hazard } from "../incidents/hazard";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { sqlList } from "../reserves/reserves.enums";
import { StockBatch } from "../reserves/stock-batch.entity";
import { StockMovement } from "../reserves/stock-movement.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { PopulationGroup, RationBasis, RecipientKind, ShelterKind, ShelterStatus } from "./shelter.enums";

@ObjectType({
  implements: Node,
  description:
    "避难场所 An emergency shelter (Sahana Eden cr_shelter): where it is, what it is, whom it can take, what it has; its status, its current opening and occupancy. It holds stock in a storage site of its own (tier SHELTER).",
})
@Entity("shelter")
@Unique("UQ_shelter_code", ["code"])
@Unique("UQ_shelter_site", ["siteId"])
@Index("IDX_shelter_district", ["districtId"])
@Index("IDX_shelter_township", ["townshipId", "code", "id"])
@Index("IDX_shelter_region", ["regionId"])
@Index("IDX_shelter_status", ["status", "code", "id"])
@Index("IDX_shelter_incident", ["incidentId"])
@Check("CHK_shelter_kind", `"kind" IN (${sqlList(Object.values(ShelterKind))})`)
@Check("CHK_shelter_status", `"status" IN (${sqlList(Object.values(ShelterStatus))})`)
@Check("CHK_shelter_hazards", `"hazards" <@ ARRAY[${sqlList(Object.values(Hazard))}]::text[]`)
@Check("CHK_shelter_capacity", `"capacity" > 0 AND "indoor_area" >= 0 AND "occupancy" >= 0`)
@Check("CHK_shelter_open", `("status" IN ('OPEN', 'FULL')) = ("incident_id" IS NOT NULL) AND ("incident_id" IS NULL) = ("opened_at" IS NULL)`)
@Check("CHK_shelter_point", `"latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180`)
export class Shelter {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_shelter" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Shelter", this.id);
  }

  @Field(() => String, { description: "场所编码。Stable code, e.g. KZ-S01-SH01 (汉丰街道's first shelter)." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "场所名称。Name, e.g. 汉丰第一中学避难场所." })
  @Column({ type: "text" })
  name: string;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_shelter_district" })
  districtRow?: Region;

  /** The township-level unit it lies in: the scope of LOGISTICS accounts that manage it. */
  @Column({ name: "township_id", type: "integer" })
  townshipId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "township_id", foreignKeyConstraintName: "FK_shelter_township" })
  townshipRow?: Region;

  /** The village or community it lies in. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_shelter_region" })
  regionRow?: Region;

  /** Its own store (tier SHELTER). */
  @Column({ name: "site_id", type: "integer" })
  siteId: number;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "site_id", foreignKeyConstraintName: "FK_shelter_site" })
  siteRow?: StorageSite;

  @Field(() => ShelterKind, { description: "场所类型。School, gymnasium, square, purpose-built, …" })
  @Column({ type: "text" })
  kind: ShelterKind;

  @Field(() => [Hazard], { description: "适用灾种 Hazards it is fit for (a school on a slope is no shelter from a landslide)." })
  @Column({ type: "text", array: true })
  hazards: Hazard[];

  @Field(() => Int, { description: "容纳人数 Capacity in people." })
  @Column({ type: "integer" })
  capacity: number;

  @Field(() => Int, { description: "室内面积 Indoor floor area in m² (0 for a square or park)." })
  @Column({ name: "indoor_area", type: "integer" })
  indoorArea: number;

  @Field(() => Boolean, { description: "室外安置 People stay outdoors, in tents: the ration table's tents apply." })
  @Column({ type: "boolean" })
  outdoor: boolean;

  @Field(() => Boolean, { description: "供水 Drinking water on site." })
  @Column({ name: "has_water", type: "boolean" })
  hasWater: boolean;

  @Field(() => Boolean, { description: "供电 Power (mains or a generator)." })
  @Column({ name: "has_power", type: "boolean" })
  hasPower: boolean;

  @Field(() => Boolean, { description: "厕所 Toilets." })
  @Column({ name: "has_toilets", type: "boolean" })
  hasToilets: boolean;

  @Field(() => Boolean, { description: "医疗点 A medical point." })
  @Column({ name: "has_medical_point", type: "boolean" })
  hasMedicalPoint: boolean;

  @Field(() => Boolean, { description: "无障碍 Step-free access for wheelchairs." })
  @Column({ type: "boolean" })
  accessible: boolean;

  @Field(() => String, { description: "地址 Address of the place (a public building, not a private person's)." })
  @Column({ type: "text" })
  address: string;

  @Field(() => Float, { description: "纬度。Latitude (WGS-84)." })
  @Column({ type: "double precision" })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude (WGS-84)." })
  @Column({ type: "double precision" })
  longitude: number;

  @Field(() => String, { nullable: true, description: "场所负责人 The shelter manager's name — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "manager_name", type: "text", nullable: true })
  managerName: string | null;

  @Field(() => String, { nullable: true, description: "负责人电话 The shelter manager's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "manager_phone", type: "text", nullable: true })
  managerPhone: string | null;

  @Field(() => ShelterStatus, { description: "场所状态。STANDBY, OPEN, FULL or CLOSED." })
  @Column({ type: "text" })
  status: ShelterStatus;

  /** The incident it is open for (OPEN, FULL). */
  @Column({ name: "incident_id", type: "integer", nullable: true })
  incidentId: number | null;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_shelter_incident" })
  incidentRow?: Incident;

  @Field(() => Date, { nullable: true, description: "启用时间 When the current opening began." })
  @Column({ name: "opened_at", type: "timestamptz", nullable: true })
  openedAt: Date | null;

  @Field(() => Int, { description: "在场人数 People present by the last occupancy report of the current opening (0 when not open)." })
  @Column({ type: "integer", default: 0 })
  occupancy: number;

  @Field(() => Date, { nullable: true, description: "最近报告时间 When the last occupancy report was made." })
  @Column({ name: "occupancy_reported_at", type: "timestamptz", nullable: true })
  occupancyReportedAt: Date | null;

  @Field(() => Boolean, { description: "生成数据 A generated seed row (seeds/shelters.seed.ts), not a surveyed shelter: replace it with the real registry." })
  @Column({ type: "boolean", default: false })
  generated: boolean;

  @Field(() => Boolean, { description: "超员 More people present than its capacity: accepted (nobody is turned away), flagged for the command wall." })
  get overCapacity(): boolean {
    return this.occupancy > this.capacity;
  }

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { description: "更新时间。When the shelter last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

@ObjectType({ implements: Node, description: "场所启用记录 One opening of a shelter for an incident, from opening to closing." })
@Entity("shelter_opening")
@Index("IDX_shelter_opening_shelter", ["shelterId", "openedAt", "id"])
@Index("IDX_shelter_opening_incident", ["incidentId"])
@Index("UQ_shelter_opening_current", { synchronize: false }) // unique (shelter_id) WHERE closed_at IS NULL, in the migration
@Check("CHK_shelter_opening_closed", `("closed_at" IS NULL) = ("closed_by" IS NULL)`)
export class ShelterOpening {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_shelter_opening" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("ShelterOpening", this.id);
  }

  @Column({ name: "shelter_id", type: "integer" })
  shelterId: number;

  @ManyToOne(() => Shelter, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "shelter_id", foreignKeyConstraintName: "FK_shelter_opening_shelter" })
  shelterRow?: Shelter;

  @Column({ name: "incident_id", type: "integer" })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_shelter_opening_incident" })
  incidentRow?: Incident;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @Field(() => Date, { description: "启用时间。When it opened." })
  @CreateDateColumn({ name: "opened_at", type: "timestamptz" })
  openedAt: Date;

  @Field(() => String, { description: "启用人 Who opened it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "opened_by", type: "text" })
  openedBy: string;

  @Field(() => Date, { nullable: true, description: "关闭时间。When it closed; null while open." })
  @Column({ name: "closed_at", type: "timestamptz", nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true, description: "关闭人 Who closed it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "closed_by", type: "text", nullable: true })
  closedBy: string | null;
}

@ObjectType({ implements: Node, description: "人数报告 An occupancy report of a shelter (Kerala 2018: camp population by group): people present and of them the groups that need more, arrivals and departures since the last report." })
@Entity("occupancy_report")
@Index("IDX_occupancy_report_shelter", ["shelterId", "reportedAt", "id"])
@Index("IDX_occupancy_report_incident", ["incidentId"])
@Check(
  "CHK_occupancy_report_counts",
  `"people_present" >= 0 AND "infants" >= 0 AND "children" >= 0 AND "elderly" >= 0 AND "disabled" >= 0 AND "sick_or_pregnant" >= 0 AND "arrivals" >= 0 AND "departures" >= 0`,
)
@Check("CHK_occupancy_report_groups", `"infants" + "children" + "elderly" <= "people_present" AND "disabled" <= "people_present" AND "sick_or_pregnant" <= "people_present"`)
export class OccupancyReport {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_occupancy_report" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("OccupancyReport", this.id);
  }

  @Column({ name: "shelter_id", type: "integer" })
  shelterId: number;

  @ManyToOne(() => Shelter, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "shelter_id", foreignKeyConstraintName: "FK_occupancy_report_shelter" })
  shelterRow?: Shelter;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @Column({ name: "incident_id", type: "integer" })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_occupancy_report_incident" })
  incidentRow?: Incident;

  @Field(() => Int, { description: "在场人数 People present." })
  @Column({ name: "people_present", type: "integer" })
  peoplePresent: number;

  @Field(() => Int, { description: "婴幼儿 Of them infants under 3." })
  @Column({ type: "integer" })
  infants: number;

  @Field(() => Int, { description: "儿童 Of them children 3–17." })
  @Column({ type: "integer" })
  children: number;

  @Field(() => Int, { description: "老年人 Of them people 65 and over." })
  @Column({ type: "integer" })
  elderly: number;

  @Field(() => Int, { description: "残疾人 Of them people with a disability." })
  @Column({ type: "integer" })
  disabled: number;

  @Field(() => Int, { description: "伤病员、孕产妇 Of them sick, injured or pregnant." })
  @Column({ name: "sick_or_pregnant", type: "integer" })
  sickOrPregnant: number;

  @Field(() => Int, { description: "新到人数 Arrivals since the last report." })
  @Column({ type: "integer" })
  arrivals: number;

  @Field(() => Int, { description: "离开人数 Departures since the last report." })
  @Column({ type: "integer" })
  departures: number;

  @Field(() => Int, { description: "报告时容量 The shelter's capacity when reported (over capacity is flagged, not refused)." })
  @Column({ type: "integer" })
  capacity: number;

  @Field(() => Boolean, { description: "超员 More people present than capacity." })
  get overCapacity(): boolean {
    return this.peoplePresent > this.capacity;
  }

  @Field(() => String, { nullable: true, description: "备注 Free-text note." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ name: "reported_by_id", type: "integer", nullable: true })
  reportedById: number | null;

  @Field(() => String, { description: "报告人 Who reported — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "reported_by", type: "text" })
  reportedBy: string;

  @Field(() => Date, { description: "报告时间。When it was reported." })
  @Column({ name: "reported_at", type: "timestamptz", precision: 3, default: () => "clock_timestamp()" })
  reportedAt: Date;
}

@ObjectType({
  implements: Node,
  description:
    "口粮标准 One line of the district's ration table: how much of an item a person of a group needs per day or per stay. Defaults follow national practice (国家自然灾害救助应急预案: 有饭吃、有干净水喝、有衣被、有临时住所、有病能医; 民政部/应急管理部 救灾物资 practice) and the Sphere standard for water; staff may change every figure.",
})
@Entity("ration_line")
@Unique("UQ_ration_line_code", ["districtId", "code"])
@Check("CHK_ration_line_group", `"population_group" IN (${sqlList(Object.values(PopulationGroup))})`)
@Check("CHK_ration_line_basis", `"basis" IN (${sqlList(Object.values(RationBasis))})`)
@Check("CHK_ration_line_quantity", `"quantity_per_person" >= 0 AND "quantity_per_person" <= 1000`)
export class RationLine {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_ration_line" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("RationLine", this.id);
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_ration_line_district" })
  districtRow?: Region;

  @Field(() => String, { description: "标准编码。What the line is for, e.g. DRINKING_WATER, READY_FOOD, QUILT, TENT, INFANT_FORMULA, DIAPERS, HYGIENE_KIT, MEDICINE." })
  @Column({ type: "text" })
  code: string;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_ration_line_item" })
  itemRow?: SupplyItem;

  @Field(() => PopulationGroup, { description: "适用人群。Whom it applies to." })
  @Column({ name: "population_group", type: "text" })
  populationGroup: PopulationGroup;

  @Field(() => RationBasis, { description: "计量方式。Per day, or once per stay." })
  @Column({ type: "text" })
  basis: RationBasis;

  @Field(() => Float, { description: "人均数量 Units of the item per person (per day or per stay), e.g. 0.23 cases of 24×550 ml water a day ≈ 3 L." })
  @Column({ name: "quantity_per_person", type: "double precision" })
  quantityPerPerson: number;

  @Field(() => Boolean, { description: "仅室外 Only for shelters where people stay outdoors (tents)." })
  @Column({ name: "outdoor_only", type: "boolean", default: false })
  outdoorOnly: boolean;

  @Field(() => String, { description: "依据 Where the figure comes from." })
  @Column({ type: "text" })
  source: string;

  @Field(() => String, { description: "修改人 Who set it last — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "updated_by", type: "text" })
  updatedBy: string;

  @Field(() => Date, { description: "修改时间。When it was set last." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

@ObjectType({ description: "救助规则 The district's relief settings (one row per district)." })
@Entity("relief_policy")
@Check("CHK_relief_policy_window", `"repeat_window_hours" BETWEEN 0 AND 8760`)
export class ReliefPolicy {
  @PrimaryColumn({ name: "district_id", type: "integer", primaryKeyConstraintName: "PK_relief_policy" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_relief_policy_district" })
  districtRow?: Region;

  @Field(() => Int, { description: "重复领取提示时长 Hours within which the same household receiving the same item again is a warning the distributor must confirm (0: never warn)." })
  @Column({ name: "repeat_window_hours", type: "integer" })
  repeatWindowHours: number;

  @Field(() => String, { description: "修改人 Who set it last — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "updated_by", type: "text" })
  updatedBy: string;

  @Field(() => Date, { description: "修改时间。When it was set last." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

@ObjectType({
  implements: Node,
  description:
    "发放登记 An entry of the distribution register: what was handed to a household or a counted group at a shelter or a village store, out of that place's stock (DISTRIBUTION ledger entries). Never changed: a mistake is reversed by a new entry (reversesId).",
})
@Entity("distribution")
@Unique("UQ_distribution_reverses", ["reversesId"])
@Index("IDX_distribution_district", ["districtId"])
@Index("IDX_distribution_time", ["distributedAt", "id"])
@Index("IDX_distribution_township", ["townshipId", "distributedAt", "id"])
@Index("IDX_distribution_shelter", ["shelterId", "distributedAt", "id"])
@Index("IDX_distribution_incident", ["incidentId"])
@Index("IDX_distribution_id_number", ["idNumber"])
@Check("CHK_distribution_recipient", `"recipient_kind" IN (${sqlList(Object.values(RecipientKind))}) AND ("recipient_kind" = 'GROUP' OR "head_name" IS NOT NULL)`)
@Check("CHK_distribution_people", `"people" > 0`)
export class Distribution {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_distribution" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Distribution", this.id);
  }

  @Field(() => Int, { name: "number", description: "登记号 The entry's number in the register." })
  get number(): number {
    return this.id;
  }

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_distribution_district" })
  districtRow?: Region;

  @Column({ name: "township_id", type: "integer" })
  townshipId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "township_id", foreignKeyConstraintName: "FK_distribution_township" })
  townshipRow?: Region;

  /** The village (or township) of the place it was handed out. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_distribution_region" })
  regionRow?: Region;

  @Column({ name: "site_id", type: "integer" })
  siteId: number;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "site_id", foreignKeyConstraintName: "FK_distribution_site" })
  siteRow?: StorageSite;

  @Column({ name: "shelter_id", type: "integer", nullable: true })
  shelterId: number | null;

  @ManyToOne(() => Shelter, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "shelter_id", foreignKeyConstraintName: "FK_distribution_shelter" })
  shelterRow?: Shelter;

  @Column({ name: "incident_id", type: "integer", nullable: true })
  incidentId: number | null;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_distribution_incident" })
  incidentRow?: Incident;

  @Field(() => RecipientKind, { description: "领取对象。A household or a counted group." })
  @Column({ name: "recipient_kind", type: "text" })
  recipientKind: RecipientKind;

  @Field(() => String, { nullable: true, description: "户主姓名 The household head's name — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "head_name", type: "text", nullable: true })
  headName: string | null;

  @Field(() => String, { nullable: true, description: "户主身份证号 The household head's ID number — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskIdNumber })
  @Column({ name: "id_number", type: "text", nullable: true })
  idNumber: string | null;

  @Field(() => String, { nullable: true, description: "联系电话 The household's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ type: "text", nullable: true })
  phone: string | null;

  @Field(() => Int, { description: "人数 People served: the household's size, or the group's count." })
  @Column({ type: "integer" })
  people: number;

  @Field(() => Boolean, { description: "确认重复领取 The distributor confirmed handing out again to a household that had received the same item within the repeat period." })
  @Column({ name: "repeat_confirmed", type: "boolean", default: false })
  repeatConfirmed: boolean;

  /** The entry this one reverses (冲销); its lines put the units back. */
  @Column({ name: "reverses_id", type: "integer", nullable: true })
  reversesId: number | null;

  @ManyToOne(() => Distribution, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "reverses_id", foreignKeyConstraintName: "FK_distribution_reverses" })
  reversesRow?: Distribution;

  @Field(() => Boolean, { description: "冲销登记 This entry reverses another (its lines went back into stock)." })
  get isReversal(): boolean {
    return this.reversesId !== null;
  }

  @Field(() => String, { description: "操作编号 The ledger operation of its DISTRIBUTION (or DISTRIBUTION_REVERSAL) entries." })
  @Column({ name: "operation_id", type: "uuid" })
  operationId: string;

  @Field(() => String, { nullable: true, description: "备注 Free-text note (for a reversal: why)." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ name: "distributed_by_id", type: "integer", nullable: true })
  distributedById: number | null;

  @Field(() => String, { description: "发放人 The distributor — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "distributed_by", type: "text" })
  distributedBy: string;

  @Field(() => Date, { description: "发放时间。When it was handed out (recorded)." })
  @Column({ name: "distributed_at", type: "timestamptz", precision: 3, default: () => "clock_timestamp()" })
  distributedAt: Date;
}

@ObjectType({ implements: Node, description: "发放明细 A line of a distribution: units of one batch of one item." })
@Entity("distribution_line")
@Index("IDX_distribution_line_distribution", ["distributionId", "id"])
@Index("IDX_distribution_line_item", ["itemId"])
@Check("CHK_distribution_line_quantity", `"quantity" > 0`)
export class DistributionLine {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_distribution_line" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("DistributionLine", this.id);
  }

  @Column({ name: "distribution_id", type: "integer" })
  distributionId: number;

  @ManyToOne(() => Distribution, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "distribution_id", foreignKeyConstraintName: "FK_distribution_line_distribution" })
  distributionRow?: Distribution;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @Column({ name: "item_id", type: "integer" })
  itemId: number;

  @ManyToOne(() => SupplyItem, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "item_id", foreignKeyConstraintName: "FK_distribution_line_item" })
  itemRow?: SupplyItem;

  @Column({ name: "batch_id", type: "integer" })
  batchId: number;

  @ManyToOne(() => StockBatch, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "batch_id", foreignKeyConstraintName: "FK_distribution_line_batch" })
  batchRow?: StockBatch;

  @Field(() => Int, { description: "数量 Units handed out (for a reversal: put back)." })
  @Column({ type: "integer" })
  quantity: number;

  @Column({ name: "movement_id", type: "integer" })
  movementId: number;

  @ManyToOne(() => StockMovement, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "movement_id", foreignKeyConstraintName: "FK_distribution_line_movement" })
  movementRow?: StockMovement;
}
