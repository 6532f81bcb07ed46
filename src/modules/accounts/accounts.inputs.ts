import { Field, ID, InputType } from "type-graphql";
import { Role } from "../../core/access/auth";
import { MutationInput } from "../../core/mutation/mutation-input";

@InputType({ description: "Sign in with username and password." })
export class LoginInput {
  @Field(() => String, { description: "Username, e.g. logistics.kz-s01." })
  username: string;

  @Field(() => String, { description: "Password." })
  password: string;
}

@InputType({ description: "A new staff account (ADMIN)." })
export class CreateAccountInput extends MutationInput {
  @Field(() => String, { description: "Sign-in name: 3–64 lower-case letters, digits, dots, dashes or underscores." })
  username: string;

  @Field(() => String, { description: "The person's name." })
  displayName: string;

  @Field(() => String, { description: "Initial password: at least 12 characters mixing three kinds of characters, at most 72 bytes in UTF-8." })
  password: string;

  @Field(() => Role, { description: "What the account may do." })
  role: Role;

  @Field(() => ID, { nullable: true, description: "LOGISTICS only: limit the account to this township-level region (属地管理)." })
  scopeRegionId?: string | null;
}

@InputType({ description: "Changes to a staff account (ADMIN). Omitted fields stay as they are." })
export class UpdateAccountInput extends MutationInput {
  @Field(() => ID, { description: "The account." })
  accountId: string;

  @Field(() => String, { nullable: true, description: "New display name." })
  displayName?: string | null;

  @Field(() => Role, { nullable: true, description: "New role." })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: "LOGISTICS scope region; set `clearScope` to make the account district-wide." })
  scopeRegionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Remove the township scope (district-wide)." })
  clearScope?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "false deactivates the account: it cannot sign in and its tokens stop working." })
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: "Reset the password (same rules as for new accounts)." })
  password?: string | null;
}

@InputType({ description: "Change your own password." })
export class ChangePasswordInput extends MutationInput {
  @Field(() => String, { description: "Your current password." })
  currentPassword: string;

  @Field(() => String, { description: "The new password: at least 12 characters mixing three kinds of characters, at most 72 bytes in UTF-8." })
  newPassword: string;
}

@InputType({ description: "A new API key for a dashboard or integration (ADMIN)." })
export class CreateApiKeyInput extends MutationInput {
  @Field(() => String, { description: "What the key is for, e.g. 指挥中心大屏." })
  name: string;

  @Field(() => Role, { description: "Role the key acts with; DASHBOARD for read-only dashboards." })
  role: Role;
}

@InputType({ description: "Revoke an API key (ADMIN). It fails at its next request." })
export class RevokeApiKeyInput extends MutationInput {
  @Field(() => ID, { description: "The key's global id." })
  apiKeyId: string;
}
