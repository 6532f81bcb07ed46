import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Incident } from "../incidents/incident.entity";
import { Region } from "../regions/region.entity";
import { RescueTeam } from "../teams/team.entity";

/** A team sent to an incident (出动): open until the team is released. */
@ObjectType({ implements: Node, description: "队伍出动 A rescue team sent to an incident with a headcount; the team shows DEPLOYED until released." })
@Entity("team_deployment")
@Index("IDX_team_deployment_incident", ["incidentId", "id"])
@Index("IDX_team_deployment_team", ["teamId", "id"])
@Index("IDX_team_deployment_district", ["districtId"])
// A team is out on at most one deployment at a time (the readiness rules say so too; this is the database's word).
@Index("UQ_team_deployment_active_team", ["teamId"], { unique: true, where: `"released_at" IS NULL` })
@Check("CHK_team_deployment_headcount", `"headcount" > 0`)
@Check("CHK_team_deployment_times", `"released_at" IS NULL OR "released_at" >= "deployed_at"`)
export class TeamDeployment {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_team_deployment" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("TeamDeployment", this.id);
  }

  @Column({ name: "incident_id", type: "integer" })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incident_id", foreignKeyConstraintName: "FK_team_deployment_incident" })
  incidentRow?: Incident;

  @Column({ name: "team_id", type: "integer" })
  teamId: number;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_team_deployment_team" })
  teamRow?: RescueTeam;

  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_team_deployment_district" })
  districtRow?: Region;

  @Field(() => Int, { description: "出动人数 Members sent." })
  @Column({ type: "integer" })
  headcount: number;

  @Field(() => String, { nullable: true, description: "任务说明 Task or note." })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Field(() => Date, { description: "出动时间。When the team was sent." })
  @Column({ name: "deployed_at", type: "timestamptz", default: () => "now()" })
  deployedAt: Date;

  @Column({ name: "deployed_by_id", type: "integer", nullable: true })
  deployedById: number | null;

  @Field(() => String, { description: "派遣人。Who sent it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "deployed_by", type: "text" })
  deployedBy: string;

  @Field(() => Date, { nullable: true, description: "撤回 When the team was released; null while it is out." })
  @Column({ name: "released_at", type: "timestamptz", nullable: true })
  releasedAt: Date | null;

  @Field(() => String, { nullable: true, description: "撤回人。Who released it — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "released_by", type: "text", nullable: true })
  releasedBy: string | null;

  /** The call-up this deployment answers (modules/field); null for a direct deployTeam. */
  @Column({ name: "call_up_id", type: "integer", nullable: true })
  callUpId: number | null;

  @ManyToOne("TeamCallUp", { onDelete: "RESTRICT" })
  @JoinColumn({ name: "call_up_id", foreignKeyConstraintName: "FK_team_deployment_call_up" })
  callUpRow?: never;

  /** Checks failed when the team went (modules/field/deployment-checks.ts), shown as TeamDeployment.checks. */
  @Column({ name: "check_results", type: "jsonb", default: () => "'[]'" })
  checkResults: Array<{ code: string; severity: string; detail: Record<string, string | number> }>;

  @Column({ name: "acknowledged_checks", type: "text", array: true, default: () => "'{}'" })
  acknowledgedChecks: string[];

  @Field(() => Date, { nullable: true, description: "计划撤离时间 Until when the team is planned to stay; moved by extendDeployment." })
  @Column({ name: "planned_until", type: "timestamptz", nullable: true })
  plannedUntil: Date | null;

  @Field(() => [String], { description: "携带装备 The team's equipment taken along, e.g. 冲锋舟 ×2." })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  equipment: string[];

  @Field(() => Boolean, { description: "是否仍在外。Whether the team is still out on this deployment." })
  get active(): boolean {
    return this.releasedAt === null;
  }
}
