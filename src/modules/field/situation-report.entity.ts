import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { RoadClosure } from "../routes/route.entity";

@ObjectType({
  implements: Node,
  description: "灾情报送 A timed situation report of one township for an incident: people affected, evacuated, dead, missing, injured; houses; roads cut; outages; urgent needs. A correction is a new report.",
})
@Entity("situation_report")
@Index("IDX_situation_report_incident", ["incidentId", "regionId", "asOf", "id"])
@Index("IDX_situation_report_district", ["districtId"])
@Check(
  "CHK_situation_report_counts",
  `"affected" >= 0 AND "evacuated" >= 0 AND "dead" >= 0 AND "missing" >= 0 AND "injured" >= 0 AND "houses_collapsed" >= 0 AND "houses_damaged" >= 0`,
)
export class SituationReport {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_situation_report" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("SituationReport", this.id);
  }

  @Column({ name: "incident_id", type: "integer" })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_situation_report_incident" })
  incidentRow?: Incident;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_situation_report_district" })
  districtRow?: Region;

  /** The township-level unit reported on. */
  @Column({ name: "region_id", type: "integer" })
  regionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_situation_report_region" })
  regionRow?: Region;

  @Field(() => Date, { description: "统计时间 The moment the figures describe." })
  @Column({ name: "as_of", type: "timestamptz" })
  asOf: Date;

  @Field(() => Int, { description: "受灾人数 People affected." })
  @Column({ type: "integer", default: 0 })
  affected: number;

  @Field(() => Int, { description: "转移安置 People evacuated." })
  @Column({ type: "integer", default: 0 })
  evacuated: number;

  @Field(() => Int, { description: "死亡 Dead." })
  @Column({ type: "integer", default: 0 })
  dead: number;

  @Field(() => Int, { description: "失踪 Missing." })
  @Column({ type: "integer", default: 0 })
  missing: number;

  @Field(() => Int, { description: "受伤 Injured." })
  @Column({ type: "integer", default: 0 })
  injured: number;

  @Field(() => Int, { description: "倒塌房屋（间） Houses collapsed." })
  @Column({ name: "houses_collapsed", type: "integer", default: 0 })
  housesCollapsed: number;

  @Field(() => Int, { description: "损坏房屋（间） Houses damaged." })
  @Column({ name: "houses_damaged", type: "integer", default: 0 })
  housesDamaged: number;

  @Field(() => [String], { description: "道路中断 Roads cut, as reported (each also became a RoadClosure for the planner when it named a place)." })
  @Column({ name: "roads_cut", type: "text", array: true, default: () => "'{}'" })
  roadsCut: string[];

  @Field(() => Boolean, { description: "停电 Power out somewhere in the township." })
  @Column({ name: "power_out", type: "boolean", default: false })
  powerOut: boolean;

  @Field(() => Boolean, { description: "通信中断 Communications out somewhere in the township." })
  @Column({ name: "communications_out", type: "boolean", default: false })
  communicationsOut: boolean;

  @Field(() => String, { nullable: true, description: "急需 Urgent needs, e.g. 帐篷 200 顶、饮用水." })
  @Column({ name: "urgent_needs", type: "text", nullable: true })
  urgentNeeds: string | null;

  @Column({ name: "corrects_id", type: "integer", nullable: true })
  correctsId: number | null;

  @ManyToOne(() => SituationReport, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "corrects_id", foreignKeyConstraintName: "FK_situation_report_corrects" })
  correctsRow?: SituationReport;

  @Column({ name: "reported_by_id", type: "integer", nullable: true })
  reportedById: number | null;

  @Field(() => String, { description: "报送人 Who reported — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "reported_by", type: "text" })
  reportedBy: string;

  @Field(() => Date, { description: "报送时间 When the report was received." })
  @Column({ name: "reported_at", type: "timestamptz", default: () => "now()" })
  reportedAt: Date;
}

/** The road closures a report made (routes module's RoadClosure). */
@Entity("situation_report_closure")
export class SituationReportClosure {
  @PrimaryColumn({ name: "report_id", type: "integer", primaryKeyConstraintName: "PK_situation_report_closure" })
  reportId: number;

  @PrimaryColumn({ name: "closure_id", type: "integer", primaryKeyConstraintName: "PK_situation_report_closure" })
  closureId: number;

  @ManyToOne(() => SituationReport, { onDelete: "CASCADE" })
  @JoinColumn({ name: "report_id", foreignKeyConstraintName: "FK_situation_report_closure_report" })
  report?: SituationReport;

  @ManyToOne(() => RoadClosure, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "closure_id", foreignKeyConstraintName: "FK_situation_report_closure_closure" })
  closure?: RoadClosure;
}
