import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "../../core/access/auth";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { RescueTeam } from "../teams/team.entity";

export const ROLE_CHECK = `"role" IN ('ADMIN', 'COMMANDER', 'LOGISTICS', 'TEAM_LEADER', 'DASHBOARD', 'AUDITOR', 'FINANCE')`;

@ObjectType({ implements: Node, description: "工作人员账号 A staff account that signs in with username and password." })
@Entity("account")
@Unique("UQ_account_username", ["username"])
@Check("CHK_account_role", ROLE_CHECK)
@Check("CHK_account_scope", `"scope_region_id" IS NULL OR "role" = 'LOGISTICS'`)
@Index("IDX_account_team", ["teamId"])
export class Account {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_account" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("Account", this.id);
  }

  @Field(() => String, { nullable: true, description: "登录名。Sign-in name, e.g. logistics.kz-s01. Personal data: masked for dashboards and team leaders." })
  @PersonalData<Account>({ mask: maskName, isOwn: (account, actor) => actor.kind === "ACCOUNT" && actor.id === account.id })
  @Column({ type: "text" })
  username: string;

  @Field(() => String, { nullable: true, description: "姓名。Person's name as shown to colleagues. Personal data: masked for dashboards and team leaders." })
  @PersonalData<Account>({ mask: maskName, isOwn: (account, actor) => actor.kind === "ACCOUNT" && actor.id === account.id })
  @Column({ name: "display_name", type: "text" })
  displayName: string;

  @Column({ name: "password_hash", type: "text" })
  passwordHash: string;

  @Field(() => Role, { description: "角色与权限。What the account may do." })
  @Column({ type: "text" })
  role: Role;

  /** LOGISTICS accounts limited to one township-level unit (属地管理); null = district-wide. */
  @Column({ name: "scope_region_id", type: "integer", nullable: true })
  scopeRegionId: number | null;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "scope_region_id", foreignKeyConstraintName: "FK_account_scope_region" })
  scopeRegion?: Region;

  /** TEAM_LEADER: the team they lead (the teams module adds the foreign key). */
  @Column({ name: "team_id", type: "integer", nullable: true })
  teamId: number | null;

  @ManyToOne(() => RescueTeam, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "team_id", foreignKeyConstraintName: "FK_account_team" })
  team?: RescueTeam;

  @Field(() => Boolean, { description: "停用的账号不能登录。Inactive accounts cannot sign in; their tokens stop working at the next request." })
  @Column({ type: "boolean", default: true })
  active: boolean;

  /**
   * Access tokens carry the version they were signed at; a password change, a reset and every
   * (de)activation bump it, which ends all the account's earlier tokens at their next request.
   */
  @Column({ name: "token_version", type: "integer", default: 0 })
  tokenVersion: number;

  /** Created by the seed with the published demo password: refused in production. */
  @Column({ name: "is_demo", type: "boolean", default: false })
  isDemo: boolean;

  @Field(() => Date, { description: "创建时间。When the account was created." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "最近登录时间。Last successful sign-in." })
  @Column({ name: "last_login_at", type: "timestamptz", nullable: true })
  lastLoginAt: Date | null;
}
