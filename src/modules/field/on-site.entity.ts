import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { TeamDeployment } from "../dispatch/team-deployment.entity";
import { TeamMember } from "../teams/member.entity";

@ObjectType({ implements: Node, description: "现场签到 A member's time on site under a deployment: checked in, checked out; the hours labour-dispatch pay needs." })
@Entity("field_attendance")
@Index("IDX_field_attendance_deployment", ["deploymentId", "id"])
// A person is on one site at a time.
@Index("UQ_field_attendance_on_site", ["memberId"], { unique: true, where: `"checked_out_at" IS NULL` })
@Check("CHK_field_attendance_times", `"checked_out_at" IS NULL OR "checked_out_at" >= "checked_in_at"`)
export class FieldAttendance {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_field_attendance" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("FieldAttendance", this.id);
  }

  @Column({ name: "deployment_id", type: "integer" })
  deploymentId: number;

  @ManyToOne(() => TeamDeployment, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "deployment_id", foreignKeyConstraintName: "FK_field_attendance_deployment" })
  deployment?: TeamDeployment;

  @Column({ name: "member_id", type: "integer" })
  memberId: number;

  @ManyToOne(() => TeamMember, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "member_id", foreignKeyConstraintName: "FK_field_attendance_member" })
  member?: TeamMember;

  @Field(() => Date, { description: "签到时间 When the member checked in on site." })
  @Column({ name: "checked_in_at", type: "timestamptz" })
  checkedInAt: Date;

  @Field(() => Date, { nullable: true, description: "签退时间 When the member checked out; null while on site." })
  @Column({ name: "checked_out_at", type: "timestamptz", nullable: true })
  checkedOutAt: Date | null;

  @Column({ name: "recorded_by", type: "text" })
  recordedBy: string;

  @Field(() => Number, { description: "工时（小时） Hours on site: to check-out, or to now while on site; two decimals." })
  get hours(): number {
    const end = this.checkedOutAt ?? new Date();
    return Math.round((end.getTime() - new Date(this.checkedInAt).getTime()) / 36_000) / 100;
  }
}

@ObjectType({ implements: Node, description: "任务分区 A task and sector assigned to a deployed team on site." })
@Entity("deployment_task")
@Index("IDX_deployment_task_deployment", ["deploymentId", "id"])
export class DeploymentTask {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_deployment_task" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("DeploymentTask", this.id);
  }

  @Column({ name: "deployment_id", type: "integer" })
  deploymentId: number;

  @ManyToOne(() => TeamDeployment, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "deployment_id", foreignKeyConstraintName: "FK_deployment_task_deployment" })
  deployment?: TeamDeployment;

  @Field(() => String, { description: "作业分区 Sector, e.g. 3 号网格." })
  @Column({ type: "text" })
  sector: string;

  @Field(() => String, { description: "任务 Task, e.g. 逐户排查被困人员." })
  @Column({ type: "text" })
  task: string;

  @Column({ name: "assigned_by", type: "text" })
  assignedBy: string;

  @Field(() => Date, { description: "下达时间 When the task was assigned." })
  @Column({ name: "assigned_at", type: "timestamptz", default: () => "now()" })
  assignedAt: Date;
}
