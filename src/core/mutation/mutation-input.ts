import { Field, InputType } from "type-graphql";

/**
 * Every mutation input extends this: field staff on bad networks retry, and a retry with the
 * same key and the same input returns the first result without doing the work twice.
 */
@InputType("MutationInputBase", { description: "变更输入公共字段。Fields every mutation input has (not used on its own)." })
export abstract class MutationInput {
  @Field(() => String, {
    nullable: true,
    description: "幂等键。Optional idempotency key (any unique string, e.g. a UUID, up to 100 characters): a retry with the same key and input returns the first result and changes nothing; the same key with different input is refused.",
  })
  idempotencyKey?: string | null;
}
