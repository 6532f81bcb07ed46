// 排序 How the administrator's lists of accounts and API keys sort (`orderBy`).
import { Role } from "../../core/access/auth";
import { defineOrder, enumRank, pinyin, SortDirection } from "../../core/graphql/relay";
import type { Account } from "./account.entity";
import type { ApiKey } from "./api-key.entity";

export enum AccountOrderField {
  USERNAME = "USERNAME",
  DISPLAY_NAME = "DISPLAY_NAME",
  ROLE = "ROLE",
  CREATED_AT = "CREATED_AT",
  LAST_LOGIN_AT = "LAST_LOGIN_AT",
}

export const ACCOUNT_ORDER = defineOrder<Account, AccountOrderField>({
  name: "Account",
  fields: AccountOrderField,
  description: "账号排序字段 What staff accounts sort by.",
  keys: {
    USERNAME: { sql: "account.username", describe: "用户名 Username." },
    DISPLAY_NAME: { sql: pinyin("account.display_name"), describe: "姓名 The name shown, in Hanyu Pinyin order (按拼音)." },
    ROLE: { sql: enumRank(Object.values(Role), "account.role"), describe: "角色 Role, in the order the roles are listed (ADMIN first)." },
    CREATED_AT: { sql: "account.created_at", describe: "创建时间 When the account was made." },
    LAST_LOGIN_AT: { sql: "account.last_login_at", nullable: true, describe: "最近登录 Last sign-in; accounts never used sort last ascending, first descending." },
  },
  tiebreak: { sql: "account.id" },
  defaultOrder: { terms: [{ field: "USERNAME", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by username" },
});

export enum ApiKeyOrderField {
  NAME = "NAME",
  CREATED_AT = "CREATED_AT",
  REVOKED_AT = "REVOKED_AT",
}

export const API_KEY_ORDER = defineOrder<ApiKey, ApiKeyOrderField>({
  name: "ApiKey",
  fields: ApiKeyOrderField,
  description: "密钥排序字段。What API keys sort by.",
  keys: {
    NAME: { sql: pinyin("api_key.name"), describe: "名称 The key's name, in Hanyu Pinyin order (按拼音)." },
    CREATED_AT: { sql: "api_key.created_at", describe: "创建时间 When it was made." },
    REVOKED_AT: { sql: "api_key.revoked_at", nullable: true, describe: "吊销时间 When it was revoked; keys in use sort last ascending, first descending." },
  },
  tiebreak: { sql: "api_key.id" },
  defaultOrder: { terms: [], tiebreak: SortDirection.ASC, says: "in the order the keys were made (id ascending)" },
});
