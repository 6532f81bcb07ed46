import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { maskIdNumber, maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { CertificateStatus, EmploymentMode, MemberRole, sqlValues } from "./team.enums";
import { RescueTeam } from "./team.entity";

/** 应急救援员证 0012345678 → ******5678 */
export function maskCertificateNumber(value: string): string {
  return value.length > 4 ? `${"*".repeat(value.length - 4)}${value.slice(-4)}` : "****";
}

@ObjectType({
  implements: Node,
  description: "队员 A member of a rescue team. Name, phone and ID number are personal data: masked except for ADMIN, COMMANDER, LOGISTICS, AUDITOR and the leader of the member's own team.",
})
@Entity("team_member")
@Index("IDX_team_member_team", ["teamId", "id"])
@Index("IDX_team_member_district", ["districtId"])
// Exactly one active leader per team: the database refuses a second one even if a service forgets.
@Index("UQ_team_member_active_leader", ["teamId"], { unique: true, where: `"role" = 'LEADER' AND "active"` })
// A person serves in one team at a time. A team leader's member whose number is already on
// another team's roster is saved flagged (idNumberConflictWith) for the district to resolve,
// since refusing it would tell the leader whose number it is; the rule holds for the rest.
@Index("UQ_team_member_active_id_number", ["idNumber"], { unique: true, where: `"active" AND "id_number_conflict_with" IS NULL` })
@Index("IDX_team_member_id_number_conflict", ["id"], { where: `"id_number_conflict_with" IS NOT NULL` })
@Check("CHK_team_member_role", `"role" IN (${sqlValues(MemberRole)})`)
@Check("CHK_team_member_employment", `"employment_mode" IN (${sqlValues(EmploymentMode)})`)
@Check("CHK_team_member_left", `"active" = ("left_on" IS NULL)`)
@Check(
  "CHK_team_member_id_number_conflict",
  `("id_number_conflict_with" IS NULL) = ("id_number_conflict_since" IS NULL) AND ("id_number_conflict_with" IS NULL OR ("active" AND "id_number" IS NOT NULL AND "id_number_conflict_with" <> "id"))`,
)
export class TeamMember {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_team_member" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("TeamMember", this.id);
  }

  @Column({ name: "team_id", type: "integer" })
  teamId: number;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_team_member_team" })
  team?: RescueTeam;

  /** The owning district (distribution key), the team's district. */
  @Column({ name: "district_id", type: "integer" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_team_member_district" })
  district?: Region;

  @Field(() => String, { description: "姓名 Full name; personal data, masked as 张* for those who may not see it." })
  @PersonalData<TeamMember>({ mask: maskName, teamIdOf: (member) => member.teamId })
  @Column({ type: "text" })
  name: string;

  @Field(() => MemberRole, { description: "职务 Role in the team." })
  @Column({ type: "text" })
  role: MemberRole;

  @Field(() => [String], { description: "技能 Skills, e.g. 水域救援, 绳索救援, 急救." })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  skills: string[];

  @Field(() => EmploymentMode, { description: "用工方式 How the member is engaged." })
  @Column({ name: "employment_mode", type: "text" })
  employmentMode: EmploymentMode;

  @Field(() => Boolean, { description: "在册 Whether the member is on the active roster; inactive members stay for history." })
  @Column({ type: "boolean", default: true })
  active: boolean;

  @Field(() => String, { nullable: true, description: "手机号 Mobile phone; personal data, masked as 138****5678 for those who may not see it." })
  @PersonalData<TeamMember>({ mask: maskPhone, teamIdOf: (member) => member.teamId })
  @Column({ type: "text", nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true, description: "身份证号 Resident ID number; personal data, masked as 5****************4 for those who may not see it." })
  @PersonalData<TeamMember>({ mask: maskIdNumber, teamIdOf: (member) => member.teamId })
  @Column({ name: "id_number", type: "text", nullable: true })
  idNumber: string | null;

  /**
   * The active member of another team who already had this ID number when this one was saved
   * by that team's leader; null when there is no conflict. Never shown to team leaders (see
   * TeamMember.idNumberConflict); cleared when either record leaves or the number is corrected.
   */
  @Column({ name: "id_number_conflict_with", type: "integer", nullable: true })
  idNumberConflictWith: number | null;

  @ManyToOne(() => TeamMember, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "id_number_conflict_with", foreignKeyConstraintName: "FK_team_member_id_number_conflict" })
  idNumberConflictMember?: TeamMember;

  /** Since when the conflict is recorded. */
  @Column({ name: "id_number_conflict_since", type: "timestamptz", nullable: true })
  idNumberConflictSince: Date | null;

  @Field(() => GraphQLLocalDate, { description: "入队日期 Date the member joined this team." })
  @Column({ name: "joined_on", type: "date" })
  joinedOn: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "离队日期。Date the member left the active roster; null while active." })
  @Column({ name: "left_on", type: "date", nullable: true })
  leftOn: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

@ObjectType({ implements: Node, description: "资格证书 A certificate a member holds, with its expiry date." })
@Entity("member_certificate")
@Index("IDX_member_certificate_member", ["memberId", "id"])
@Index("IDX_member_certificate_expiry", ["expiresOn", "id"])
@Check("CHK_member_certificate_dates", `"issued_on" IS NULL OR "expires_on" IS NULL OR "expires_on" >= "issued_on"`)
export class MemberCertificate {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_member_certificate" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("MemberCertificate", this.id);
  }

  @Column({ name: "member_id", type: "integer" })
  memberId: number;

  @ManyToOne(() => TeamMember, { onDelete: "CASCADE" })
  @JoinColumn({ name: "member_id", foreignKeyConstraintName: "FK_member_certificate_member" })
  member?: TeamMember;

  /** The holder's team, filled in when loaded (not a column): decides who sees the number. */
  teamId?: number;

  @Field(() => CertificateStatus, { description: "证书状态。VALID, EXPIRING_SOON (within CERTIFICATE_ALERT_DAYS, default 30) or EXPIRED, by today's date." })
  status: CertificateStatus;

  @Field(() => String, { description: "证书名称 Certificate name, e.g. 应急救援员（四级）." })
  @Column({ type: "text" })
  name: string;

  @Field(() => String, { nullable: true, description: "证书编号 Certificate number; personal data, masked but for the last 4 characters for those who may not see it." })
  @PersonalData<MemberCertificate>({ mask: maskCertificateNumber, teamIdOf: (certificate) => certificate.teamId })
  @Column({ type: "text", nullable: true })
  number: string | null;

  @Field(() => String, { nullable: true, description: "发证机关 Issuing body." })
  @Column({ type: "text", nullable: true })
  issuer: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "发证日期 Date of issue." })
  @Column({ name: "issued_on", type: "date", nullable: true })
  issuedOn: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "有效期至 Expiry date; null when it does not expire." })
  @Column({ name: "expires_on", type: "date", nullable: true })
  expiresOn: string | null;
}
