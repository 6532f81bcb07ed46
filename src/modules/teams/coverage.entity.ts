import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from "typeorm";
import { Field, Int, ObjectType } from "type-graphql";
import { Region } from "../regions/region.entity";

/**
 * A district plan's force targets (规划目标). Settings kept per district, not literals in code:
 * a city-level deployment holds several districts with different plans, and a new plan period
 * changes them with `setForcePlanTargets`.
 */
@ObjectType({ description: "应急救援队伍建设目标 Force-building targets of a district's plan, e.g. 40 township teams with 800 members." })
@Entity("force_plan_target")
@Check(
  "CHK_force_plan_target_positive",
  `"township_teams" >= 0 AND "township_team_members" >= 0 AND "members_per_township_team" >= 0 AND "district_teams" >= 0 AND "district_team_min_members" >= 0`,
)
export class ForcePlanTarget {
  @PrimaryColumn({ name: "district_id", type: "integer", primaryKeyConstraintName: "PK_force_plan_target" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "CASCADE" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_force_plan_target_district" })
  district?: Region;

  @Field(() => Int, { description: "乡镇（街道）应急救援队伍支数 Township (street) comprehensive teams the plan asks for, 40 in Kaizhou." })
  @Column({ name: "township_teams", type: "integer" })
  townshipTeams: number;

  @Field(() => Int, { description: "总人数 Members of all township teams together, 800 in Kaizhou." })
  @Column({ name: "township_team_members", type: "integer" })
  townshipTeamMembers: number;

  @Field(() => Int, { description: "每支标准人数 Standard active members per township team, 20 in Kaizhou." })
  @Column({ name: "members_per_township_team", type: "integer" })
  membersPerTownshipTeam: number;

  @Field(() => Int, { description: "区级综合应急救援队伍支数 District comprehensive teams, 2 in Kaizhou." })
  @Column({ name: "district_teams", type: "integer" })
  districtTeams: number;

  @Field(() => Int, { description: "常年人数不少于 Minimum members each district team keeps all year, 50 in Kaizhou." })
  @Column({ name: "district_team_min_members", type: "integer" })
  districtTeamMinMembers: number;

  @Field(() => Date, { description: "更新时间。When the targets were last changed." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
