import { Field, ID, InputType } from "type-graphql";
import { Role } from "../../core/access/auth";
import { MutationInput } from "../../core/mutation/mutation-input";

@InputType({ description: "登录。Sign in with username and password." })
export class LoginInput {
  @Field(() => String, { description: "登录名。Username, e.g. logistics.kz-s01." })
  username: string;

  @Field(() => String, { description: "密码。Password." })
  password: string;
}

@InputType({ description: "新建工作人员账号。A new staff account (ADMIN)." })
export class CreateAccountInput extends MutationInput {
  @Field(() => String, { description: "登录名。Sign-in name: 3–64 lower-case letters, digits, dots, dashes or underscores." })
  username: string;

  @Field(() => String, { description: "姓名。The person's name." })
  displayName: string;

  @Field(() => String, { description: "初始密码。Initial password: at least 12 characters mixing three kinds of characters, at most 72 bytes in UTF-8." })
  password: string;

  @Field(() => Role, { description: "角色与权限。What the account may do." })
  role: Role;

  @Field(() => ID, { nullable: true, description: "属地管理 LOGISTICS only: limit the account to this township-level region." })
  scopeRegionId?: string | null;

  @Field(() => ID, { nullable: true, description: "所带队伍。TEAM_LEADER only: the rescue team the account leads (its roster, readiness, call-ups)." })
  teamId?: string | null;
}

@InputType({ description: "修改工作人员账号。Changes to a staff account (ADMIN). Omitted fields stay as they are." })
export class UpdateAccountInput extends MutationInput {
  @Field(() => ID, { description: "账号。The account." })
  accountId: string;

  @Field(() => String, { nullable: true, description: "新姓名。New display name." })
  displayName?: string | null;

  @Field(() => Role, { nullable: true, description: "新角色。New role." })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: "属地范围。LOGISTICS scope region; set `clearScope` to make the account district-wide." })
  scopeRegionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "取消属地范围。Remove the township scope (district-wide)." })
  clearScope?: boolean | null;

  @Field(() => ID, { nullable: true, description: "所带队伍。TEAM_LEADER only: the team the account now leads. A role other than TEAM_LEADER leads none (the team is cleared)." })
  teamId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "是否启用。false deactivates the account: it cannot sign in and its tokens stop working." })
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: "重置密码。Reset the password (same rules as for new accounts)." })
  password?: string | null;
}

@InputType({ description: "修改密码。Change your own password." })
export class ChangePasswordInput extends MutationInput {
  @Field(() => String, { description: "当前密码。Your current password." })
  currentPassword: string;

  @Field(() => String, { description: "新密码。The new password: at least 12 characters mixing three kinds of characters, at most 72 bytes in UTF-8." })
  newPassword: string;
}

@InputType({ description: "新建接口密钥。A new API key for a dashboard or integration (ADMIN)." })
export class CreateApiKeyInput extends MutationInput {
  @Field(() => String, { description: "用途。What the key is for, e.g. 指挥中心大屏." })
  name: string;

  @Field(() => Role, { description: "角色。Role the key acts with; DASHBOARD for read-only dashboards." })
  role: Role;
}

@InputType({ description: "吊销接口密钥。Revoke an API key (ADMIN). It fails at its next request." })
export class RevokeApiKeyInput extends MutationInput {
  @Field(() => ID, { description: "密钥 ID。The key's global id." })
  apiKeyId: string;
}
