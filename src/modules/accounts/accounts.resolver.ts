import { RescueTeam } from "../teams/team.entity";
import { Arg, Args, Authorized, Ctx, Extensions, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { Role } from "../../core/access/auth";
import { mutationPayload, UserError, userError } from "../../core/graphql/errors";
import { PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { Account } from "./account.entity";
import { AccountConnection, ApiKeyConnection } from "./account.service";
import { ChangePasswordInput, CreateAccountInput, CreateApiKeyInput, LoginInput, RevokeApiKeyInput, UpdateAccountInput } from "./accounts.inputs";
import { ApiKey } from "./api-key.entity";
import { LOGIN_REFUSED } from "./auth.service";
import { ACCOUNT_ORDER, type AccountOrderField, API_KEY_ORDER, type ApiKeyOrderField } from "./accounts.orders";

@ObjectType({ description: "登录结果。Result of `login`." })
class LoginPayload {
  // Secret: never stored, not even for an idempotent replay (core/mutation/idempotency.ts).
  @Extensions({ secret: true })
  @Field(() => String, { nullable: true, description: "访问令牌。Access token: send it as `Authorization: Bearer <token>` (HTTP) or `{ authorization: \"Bearer <token>\" }` in the graphql-ws connection_init payload." })
  token?: string;

  @Field(() => Date, { nullable: true, description: "令牌到期时间。When the token stops working." })
  expiresAt?: Date;

  @Field(() => Account, { nullable: true, description: "登录账号。The signed-in account." })
  account?: Account;

  @Field(() => [UserError], { description: "登录失败原因。Why sign-in failed: one message for every reason the credentials did not work; a value no username or password can be (a control character, over 1024 bytes) is named by its field." })
  errors: UserError[];
}

@ObjectType({ description: "当前身份。Who is asking: the signed-in account or API key." })
class Viewer {
  @Field(() => String, { description: "身份类别。ACCOUNT or API_KEY." })
  kind: string;

  @Field(() => String, { description: "名称。Username or the API key's name." })
  name: string;

  @Field(() => Role, { description: "当时角色。The role in force." })
  role: Role;

  @Field(() => Account, { nullable: true, description: "账号。The account, when signed in with one." })
  account?: Account | null;

  @Field(() => Region, { nullable: true, description: "属地 The township-level region a scoped LOGISTICS account acts in; null = district-wide." })
  scopeRegion?: Region | null;
}

@ObjectType({ description: "账号保存结果。Result of `createAccount` and `updateAccount`." })
class AccountPayload {
  @Field(() => Account, { nullable: true, description: "保存后的账号。The account as saved." })
  account?: Account;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was saved when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "修改密码结果。Result of `changePassword`." })
class ChangePasswordPayload {
  @Field(() => Account, { nullable: true, description: "账号。The account." })
  account?: Account;

  @Extensions({ secret: true })
  @Field(() => String, { nullable: true, description: "新令牌。A fresh access token (null when the answer is an idempotent replay): the new password ended every earlier token of the account, this session's included." })
  token?: string;

  @Field(() => Date, { nullable: true, description: "令牌到期时间。When the fresh token stops working." })
  expiresAt?: Date;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was changed when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "新建接口密钥结果。Result of `createApiKey`." })
class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: "密钥记录。The key's record." })
  apiKey?: ApiKey;

  @Extensions({ secret: true })
  @Field(() => String, { nullable: true, description: "密钥（仅显示一次）。The key itself, shown this once: only its hash is stored, and an idempotent replay answers null (revoke the key and make another if its first answer was lost). Send it as `Authorization: Bearer <key>` or `x-api-key: <key>`." })
  key?: string;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input." })
  errors: UserError[];
}

@ObjectType({ description: "吊销结果。Result of `revokeApiKey`." })
class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: "已吊销的密钥。The revoked key." })
  apiKey?: ApiKey;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input." })
  errors: UserError[];
}

@Resolver(() => Account)
export class AccountResolver {
  @Mutation(() => LoginPayload, { description: "登录。Sign in. Open to anonymous callers; failed attempts are slowed and counted per username and address." })
  login(@Ctx() ctx: AppContext, @Arg("input", () => LoginInput, { description: "登录名与密码。Username and password." }) input: LoginInput): Promise<LoginPayload> {
    return mutationPayload(async () => {
      const result = await ctx.services.auth.login(input.username, input.password, ctx.clientAddress);
      if (!result) userError(null, "LOGIN_FAILED", "accounts.loginRefused");
      return result;
    });
  }

  @Authorized()
  @Query(() => Viewer, { description: "当前登录身份。The signed-in account or API key, its role and scope." })
  async me(@Ctx() ctx: AppContext): Promise<Viewer> {
    const actor = ctx.actor!;
    return {
      kind: actor.kind,
      name: actor.name,
      role: actor.role,
      account: actor.kind === "ACCOUNT" ? await ctx.services.accounts.byId(actor.id) : null,
      scopeRegion: actor.scopeRegionId === null ? null : await ctx.loaders.regions.regionById.load(actor.scopeRegionId),
    };
  }

  @Authorized(Role.AUDITOR)
  @Query(() => AccountConnection, { description: "工作人员账号。Staff accounts (ADMIN, AUDITOR)." })
  accounts(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [ACCOUNT_ORDER.Input], { nullable: true, description: ACCOUNT_ORDER.argument }) orderBy?: OrderTerm<AccountOrderField>[] | null,
  ): Promise<Connection<Account>> {
    return ctx.services.accounts.list(page, orderBy);
  }

  @Authorized(Role.AUDITOR)
  @Query(() => ApiKeyConnection, { description: "接口密钥。API keys, revoked ones included (ADMIN, AUDITOR)." })
  apiKeys(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [API_KEY_ORDER.Input], { nullable: true, description: API_KEY_ORDER.argument }) orderBy?: OrderTerm<ApiKeyOrderField>[] | null,
  ): Promise<Connection<ApiKey>> {
    return ctx.services.accounts.listApiKeys(page, orderBy);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => AccountPayload, { description: "新建工作人员账号。Create a staff account (ADMIN)." })
  createAccount(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateAccountInput, { description: "新账号。The new account." }) input: CreateAccountInput): Promise<AccountPayload> {
    return mutationPayload(() => ctx.services.accounts.create(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => AccountPayload, { description: "修改工作人员账号。Change a staff account: name, role, scope, active, password (ADMIN)." })
  updateAccount(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateAccountInput, { description: "修改内容。The changes." }) input: UpdateAccountInput): Promise<AccountPayload> {
    return mutationPayload(() => ctx.services.accounts.update(unit, input));
  }

  @Authorized(Role.ADMIN, Role.COMMANDER, Role.LOGISTICS, Role.TEAM_LEADER, Role.AUDITOR, Role.FINANCE)
  @Mutation(() => ChangePasswordPayload, { description: "修改密码。Change your own password (any signed-in account). Every earlier token of the account stops working; the answer carries a fresh one." })
  changePassword(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ChangePasswordInput, { description: "当前密码与新密码。Current and new password." }) input: ChangePasswordInput): Promise<ChangePasswordPayload> {
    return mutationPayload(async () => {
      const { account } = await ctx.services.accounts.changeOwnPassword(unit, input);
      return { account, ...(await ctx.services.auth.issueToken(account)) };
    });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreateApiKeyPayload, { description: "新建接口密钥。Create an API key; the key is returned once (ADMIN)." })
  createApiKey(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateApiKeyInput, { description: "密钥名称与角色。Name and role of the key." }) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    return mutationPayload(() => ctx.services.accounts.createApiKey(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RevokeApiKeyPayload, { description: "吊销接口密钥。Revoke an API key; it fails at its next request (ADMIN)." })
  revokeApiKey(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RevokeApiKeyInput, { description: "要吊销的密钥。The key to revoke." }) input: RevokeApiKeyInput): Promise<RevokeApiKeyPayload> {
    return mutationPayload(() => ctx.services.accounts.revokeApiKey(unit, input));
  }

  @Authorized()
  @FieldResolver(() => Region, { nullable: true, description: "属地范围。Township-level region a scoped LOGISTICS account acts in; null = district-wide." })
  scopeRegion(@Root() account: Account, @Ctx() ctx: AppContext): Promise<Region | null> | null {
    return account.scopeRegionId === null ? null : ctx.loaders.regions.regionById.load(account.scopeRegionId);
  }

  @Authorized()
  @FieldResolver(() => RescueTeam, { nullable: true, description: "所带队伍。The team a TEAM_LEADER account leads; null for other roles." })
  team(@Root() account: Account, @Ctx() ctx: AppContext): Promise<RescueTeam | null> | null {
    return account.teamId === null ? null : ctx.loaders.teams.teamById.load(account.teamId);
  }
}
