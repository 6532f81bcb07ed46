import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { maskCertificateNumber, TeamMember } from "../teams/member.entity";

@ObjectType({ implements: Node, description: "队员保险 An insurance policy covering a team member, with its period; the policy number is personal data." })
@Entity("member_insurance")
@Index("IDX_member_insurance_member", ["memberId", "id"])
@Check("CHK_member_insurance_dates", `"expires_on" >= "starts_on"`)
export class MemberInsurance {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_member_insurance" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("MemberInsurance", this.id);
  }

  @Column({ name: "member_id", type: "integer" })
  memberId: number;

  @ManyToOne(() => TeamMember, { onDelete: "CASCADE" })
  @JoinColumn({ name: "member_id", foreignKeyConstraintName: "FK_member_insurance_member" })
  member?: TeamMember;

  /** The insured member's team, filled in when loaded (not a column): decides who sees the number. */
  teamId?: number;

  @Field(() => String, { description: "保险公司 Insurer, e.g. 中国人民财产保险开州支公司." })
  @Column({ type: "text" })
  insurer: string;

  @Field(() => String, { description: "险种 Product, e.g. 团体意外伤害险." })
  @Column({ type: "text" })
  product: string;

  @Field(() => String, { description: "保单号 Policy number; personal data, masked but for the last 4 characters for those who may not see it." })
  @PersonalData<MemberInsurance>({ mask: maskCertificateNumber, teamIdOf: (insurance) => insurance.teamId })
  @Column({ name: "policy_number", type: "text" })
  policyNumber: string;

  @Field(() => GraphQLLocalDate, { description: "起保日期 First day covered." })
  @Column({ name: "starts_on", type: "date" })
  startsOn: string;

  @Field(() => GraphQLLocalDate, { description: "终止日期 Last day covered." })
  @Column({ name: "expires_on", type: "date" })
  expiresOn: string;

  @Column({ name: "recorded_by", type: "text" })
  recordedBy: string;

  @Field(() => Date, { description: "登记时间。When it was recorded." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
