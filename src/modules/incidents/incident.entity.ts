import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Hazard } from "./hazard";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Region } from "../regions/region.entity";

export { Hazard };

export enum ResponseLevel {
  I = "I",
  II = "II",
  III = "III",
  IV = "IV",
}
registerEnumType(ResponseLevel, {
  name: "ResponseLevel",
  description: "响应级别 Emergency response level; I is the most severe.",
  valuesConfig: {
    I: { description: "特别重大（Ⅰ级） Level I." },
    II: { description: "重大（Ⅱ级） Level II." },
    III: { description: "较大（Ⅲ级） Level III." },
    IV: { description: "一般（Ⅳ级） Level IV." },
  },
});

export enum IncidentStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
registerEnumType(IncidentStatus, {
  name: "IncidentStatus",
  description: "事件状态。Whether the response is going on.",
  valuesConfig: { OPEN: { description: "响应中。Response under way." }, CLOSED: { description: "应急响应终止 Response ended." } },
});

@ObjectType({ implements: Node, description: "突发事件 An emergency the district responds to; dispatch orders and team deployments hang off it." })
@Entity("incident")
@Unique("UQ_incident_code", ["code"])
@Index("IDX_incident_status", ["status", "openedAt", "id"])
@Index("IDX_incident_district", ["districtId", "openedAt", "id"])
@Check("CHK_incident_hazard", `"hazard" IN ('FLOOD_DROUGHT', 'GEOLOGICAL', 'FOREST_FIRE', 'EARTHQUAKE', 'METEOROLOGICAL', 'PRODUCTION_SAFETY', 'OTHER')`)
@Check("CHK_incident_level", `"level" IN ('I', 'II', 'III', 'IV')`)
@Check("CHK_incident_status", `"status" IN ('OPEN', 'CLOSED')`)
@Check("CHK_incident_closed", `("status" = 'CLOSED') = ("closed_at" IS NOT NULL)`)
export class Incident {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_incident" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Incident", this.id);
  }

  @Field(() => String, { description: "事件编号。Reference number, counted per district and year of occurrence (district time, UTC+8) without gaps, e.g. KZ-2026-0007." })
  @Column({ type: "text" })
  code: string;

  @Field(() => String, { description: "事件标题。Short title, e.g. 南河汛情." })
  @Column({ type: "text" })
  title: string;

  @Field(() => String, { nullable: true, description: "事件经过。What happened, as known." })
  @Column({ type: "text", nullable: true })
  description: string | null;

  @Field(() => Hazard, { description: "灾种。Kind of emergency." })
  @Column({ type: "text" })
  hazard: Hazard;

  @Field(() => ResponseLevel, { description: "响应级别。Response level, I most severe." })
  @Column({ type: "text" })
  level: ResponseLevel;

  @Field(() => IncidentStatus, { description: "事件状态。OPEN or CLOSED." })
  @Column({ type: "text", default: "OPEN" })
  status: IncidentStatus;

  @Field(() => Float, { nullable: true, description: "现场纬度。Latitude of the scene." })
  @Column({ type: "double precision", nullable: true })
  latitude: number | null;

  @Field(() => Float, { nullable: true, description: "现场经度。Longitude of the scene." })
  @Column({ type: "double precision", nullable: true })
  longitude: number | null;

  @Field(() => String, { nullable: true, description: "现场指挥长 Name of the on-scene commander — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "commander_name", type: "text", nullable: true })
  commanderName: string | null;

  /** The district whose response this is: the distribution key. */
  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_incident_district" })
  district?: Region;

  @Field(() => Date, { description: "发生时间。When it happened." })
  @Column({ name: "occurred_at", type: "timestamptz" })
  occurredAt: Date;

  @Field(() => Date, { description: "启动响应时间。When the response was opened here." })
  @CreateDateColumn({ name: "opened_at", type: "timestamptz" })
  openedAt: Date;

  @Field(() => Date, { nullable: true, description: "响应结束时间。When the response was closed." })
  @Column({ name: "closed_at", type: "timestamptz", nullable: true })
  closedAt: Date | null;

  @Column({ name: "opened_by", type: "integer", nullable: true })
  openedBy: number | null;
}

/** Regions an incident affects (many per incident). */
@Entity("incident_region")
@Index("IDX_incident_region_region", ["regionId"])
export class IncidentRegion {
  @Column({ name: "incident_id", type: "integer", primary: true, primaryKeyConstraintName: "PK_incident_region" })
  incidentId: number;

  @Column({ name: "region_id", type: "integer", primary: true, primaryKeyConstraintName: "PK_incident_region" })
  regionId: number;

  @ManyToOne(() => Incident, { onDelete: "CASCADE" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_incident_region_incident" })
  incident?: Incident;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_incident_region_region" })
  region?: Region;
}
