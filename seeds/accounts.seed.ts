// Demo accounts and a dashboard API key for local use: created only in a new database (no
// accounts yet) outside production, all with the published password "kaizhou-demo" and
// flagged is_demo so that a production server refuses them even if they exist.
import { message, type Message } from "../src/core/i18n/i18n";
import type { EntityManager } from "typeorm";
import { Role } from "../src/core/access/auth";
import { hashApiKey, newApiKey } from "../src/modules/accounts/auth.service";
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from "../src/modules/accounts/passwords";

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  /** LOGISTICS scope: code of a township-level region, e.g. KZ-S01. */
  scopeRegionCode?: string;
  /** TEAM_LEADER: the team's id. */
  teamId?: number;
}

export async function insertDemoAccounts(manager: EntityManager, accounts: DemoAccount[]): Promise<void> {
  if (accounts.length === 0) return;
  await manager.query(
    `INSERT INTO account (username, display_name, password_hash, role, scope_region_id, team_id, is_demo)
     SELECT input.username, input.display_name, $4, input.role, region.id, input.team_id, true
     FROM unnest($1::text[], $2::text[], $3::text[], $5::text[], $6::int[]) AS input(username, display_name, role, scope_code, team_id)
     LEFT JOIN region ON region.code = input.scope_code
     ON CONFLICT (username) DO NOTHING`,
    [
      accounts.map((a) => a.username),
      accounts.map((a) => a.displayName),
      accounts.map((a) => a.role),
      DEMO_PASSWORD_HASH,
      accounts.map((a) => a.scopeRegionCode ?? null),
      accounts.map((a) => a.teamId ?? null),
    ],
  );
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: "admin", displayName: "系统管理员", role: Role.ADMIN },
  { username: "commander", displayName: "应急指挥长", role: Role.COMMANDER },
  { username: "logistics", displayName: "区应急局物资保障科", role: Role.LOGISTICS },
  { username: "logistics.kz-s01", displayName: "汉丰街道物资保障员", role: Role.LOGISTICS, scopeRegionCode: "KZ-S01" },
  { username: "auditor", displayName: "审计员", role: Role.AUDITOR },
  { username: "finance", displayName: "区应急局财务", role: Role.FINANCE },
];

/** Returns the notice to print once: the demo dashboard key is shown only now. */
export async function seedDemoAccounts(manager: EntityManager): Promise<Message[]> {
  await insertDemoAccounts(manager, DEMO_ACCOUNTS);
  const key = newApiKey();
  await manager.query(`INSERT INTO api_key (name, role, key_hash, prefix) VALUES ($1, 'DASHBOARD', $2, $3)`, ["演示大屏 (demo dashboard)", hashApiKey(key), key.slice(0, 10)]);
  return [
    message("seed.demoAccounts", { password: DEMO_PASSWORD, usernames: DEMO_ACCOUNTS.map((a) => a.username).join(", "), key }),
  ];
}
