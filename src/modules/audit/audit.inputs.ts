import { Field, ID, InputType } from "type-graphql";
import { AuditOutcome } from "./audit.entity";

@InputType({ description: "Filter for the audit log." })
export class AuditLogWhere {
  @Field(() => ID, { nullable: true, description: "Only entries by this account or API key (its global id)." })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: "Only this mutation, e.g. transferStock." })
  operation?: string | null;

  @Field(() => ID, { nullable: true, description: "Only entries that named or returned this object (global id)." })
  targetId?: string | null;

  @Field(() => AuditOutcome, { nullable: true, description: "Only entries with this outcome." })
  outcome?: AuditOutcome | null;

  @Field(() => Date, { nullable: true, description: "At or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Before this time." })
  to?: Date | null;
}
