import { Field, ID, InputType } from "type-graphql";
import { AuditOutcome } from "./audit.entity";

@InputType({ description: "审计日志筛选。Filter for the audit log." })
export class AuditLogWhere {
  @Field(() => ID, { nullable: true, description: "操作者。Only entries by this account or API key (its global id)." })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: "操作名称。Only this mutation, e.g. transferStock." })
  operation?: string | null;

  @Field(() => ID, { nullable: true, description: "相关对象。Only entries that named or returned this object (global id)." })
  targetId?: string | null;

  @Field(() => AuditOutcome, { nullable: true, description: "结果。Only entries with this outcome." })
  outcome?: AuditOutcome | null;

  @Field(() => Date, { nullable: true, description: "起始时间。At or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "截止时间。Before this time." })
  to?: Date | null;
}
