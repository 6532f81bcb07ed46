import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { DrillKind, sqlValues } from "./team.enums";
import { RescueTeam } from "./team.entity";

@ObjectType({ implements: Node, description: "演练、共训共练 A drill or joint training and the teams that took part." })
@Entity("drill")
@Index("IDX_drill_held", ["heldOn", "id"])
@Index("IDX_drill_district", ["districtId"])
@Check("CHK_drill_kind", `"kind" IN (${sqlValues(DrillKind)})`)
export class Drill {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_drill" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Drill", this.id);
  }

  /** The owning district (distribution key): the district of the participating teams. */
  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_drill_district" })
  district?: Region;

  @Field(() => GraphQLLocalDate, { description: "演练日期 Date of the drill." })
  @Column({ name: "held_on", type: "date" })
  heldOn: string;

  @Field(() => DrillKind, { description: "演练类型。Kind of drill." })
  @Column({ type: "text" })
  kind: DrillKind;

  @Field(() => String, { description: "演练科目/情景 Scenario drilled, e.g. 汛期山洪转移避险." })
  @Column({ type: "text" })
  scenario: string;

  @Field(() => String, { description: "演练效果与问题 Result and findings." })
  @Column({ type: "text" })
  result: string;

  @Column({ name: "recorded_by", type: "text" })
  recordedBy: string;

  @Field(() => Date, { description: "登记时间。When the drill was recorded." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}

/** Which teams took part in which drill. */
@Entity("drill_team")
@Index("IDX_drill_team_team", ["teamId", "drillId"])
export class DrillTeam {
  @PrimaryColumn({ name: "drill_id", type: "integer", primaryKeyConstraintName: "PK_drill_team" })
  drillId: number;

  @PrimaryColumn({ name: "team_id", type: "integer", primaryKeyConstraintName: "PK_drill_team" })
  teamId: number;

  @ManyToOne(() => Drill, { onDelete: "CASCADE" })
  @JoinColumn({ name: "drill_id", foreignKeyConstraintName: "FK_drill_team_drill" })
  drill?: Drill;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_drill_team_team" })
  team?: RescueTeam;
}
