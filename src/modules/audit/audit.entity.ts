import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { Role } from "../../core/access/auth";
import { Node, toGlobalId } from "../../core/graphql/relay";

export enum AuditOutcome {
  SUCCEEDED = "SUCCEEDED",
  REJECTED = "REJECTED",
  REFUSED = "REFUSED",
  FAILED = "FAILED",
}
registerEnumType(AuditOutcome, {
  name: "AuditOutcome",
  description: "审计结果。How an attempted mutation ended.",
  valuesConfig: {
    SUCCEEDED: { description: "成功。Done; its changes are committed." },
    REJECTED: { description: "被驳回（输入）。Refused for its input or the domain rules (UserErrors or BAD_USER_INPUT); nothing written." },
    REFUSED: { description: "被拒绝（权限）。Refused for who asked: not signed in, role or scope, limits, rate limit; nothing written." },
    FAILED: { description: "内部错误。An internal error; nothing written." },
  },
});

@ObjectType({ implements: Node, description: "审计日志 One attempted mutation. Entries are append-only: the database refuses UPDATE and DELETE." })
@Entity("audit_entry")
@Index("IDX_audit_entry_at", ["at", "id"])
@Index("IDX_audit_entry_actor", ["actorKind", "actorId", "at"])
@Index("IDX_audit_entry_operation", ["operation", "at"])
@Index("IDX_audit_entry_targets", { synchronize: false }) // GIN on target_ids, created in the migration
@Index("IDX_audit_entry_operation_id", ["operation", "id"])
@Index("IDX_audit_entry_outcome_order", { synchronize: false }) // (outcome in AuditOutcome order, id), created in the migration
@Check("CHK_audit_entry_outcome", `"outcome" IN ('SUCCEEDED', 'REJECTED', 'REFUSED', 'FAILED')`)
@Check("CHK_audit_entry_actor_kind", `"actor_kind" IS NULL OR "actor_kind" IN ('ACCOUNT', 'API_KEY')`)
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: "bigint", primaryKeyConstraintName: "PK_audit_entry" })
  id: string;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("AuditEntry", this.id);
  }

  @Field(() => Date, { description: "操作时间。When the mutation was attempted." })
  @Column({ type: "timestamptz", default: () => "now()" })
  at: Date;

  @Field(() => String, { nullable: true, description: "操作者类别。ACCOUNT or API_KEY; null for an anonymous attempt." })
  @Column({ name: "actor_kind", type: "text", nullable: true })
  actorKind: "ACCOUNT" | "API_KEY" | null;

  @Column({ name: "actor_id", type: "integer", nullable: true })
  actorId: number | null;

  @Field(() => ID, { name: "actorId", nullable: true, description: "操作者 ID。Global id of the Account or ApiKey; null for an anonymous attempt." })
  get actorGlobalId(): string | null {
    if (this.actorId === null || this.actorKind === null) return null;
    return toGlobalId(this.actorKind === "ACCOUNT" ? "Account" : "ApiKey", this.actorId);
  }

  @Field(() => String, { nullable: true, description: "操作者名称。Username or API key name at the time (for login: the username tried)." })
  @Column({ name: "actor_name", type: "text", nullable: true })
  actorName: string | null;

  @Field(() => Role, { nullable: true, description: "当时角色。The role in force." })
  @Column({ type: "text", nullable: true })
  role: Role | null;

  @Field(() => String, { description: "操作名称。Mutation field, e.g. transferStock." })
  @Column({ type: "text" })
  operation: string;

  @Field(() => [String], { description: "相关对象 ID。Global ids the mutation named or returned." })
  @Column({ name: "target_ids", type: "text", array: true, default: () => "'{}'" })
  targetIds: string[];

  @Field(() => GraphQLJSON, { description: "输入摘要。The input, with passwords, tokens and keys removed." })
  @Column({ name: "input_summary", type: "jsonb" })
  inputSummary: unknown;

  @Field(() => AuditOutcome, { description: "结果。How it ended." })
  @Column({ type: "text" })
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true, description: "错误代码。Error or first UserError code when it did not succeed." })
  @Column({ name: "error_code", type: "text", nullable: true })
  errorCode: string | null;

  @Field(() => String, { nullable: true, description: "错误信息。Error message when it did not succeed." })
  @Column({ type: "text", nullable: true })
  message: string | null;

  @Field(() => String, { description: "请求编号。Request id, as in the server log and the client's error." })
  @Column({ name: "request_id", type: "text" })
  requestId: string;

  @Field(() => String, { nullable: true, description: "客户端地址。Client network address." })
  @Column({ name: "client_address", type: "text", nullable: true })
  clientAddress: string | null;
}
