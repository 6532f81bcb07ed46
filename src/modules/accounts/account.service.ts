// Managing accounts and API keys (ADMIN), and changing one's own password.
import type { DataSource } from "typeorm";
import { publishCredentialsChanged, type CredentialsChanged } from "../../core/live/credentials-events";
import type { EventBus } from "../../core/live/pubsub";
import { Role } from "../../core/access/auth";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { ACCOUNT_ORDER, API_KEY_ORDER, type AccountOrderField, type ApiKeyOrderField } from "./accounts.orders";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { Region, RegionLevel } from "../regions/region.entity";
import { Account } from "./account.entity";
import type { ChangePasswordInput, CreateAccountInput, CreateApiKeyInput, RevokeApiKeyInput, UpdateAccountInput } from "./accounts.inputs";
import { ApiKey } from "./api-key.entity";
import { hashApiKey, newApiKey } from "./auth.service";
import { PasswordHashingBusy, type PasswordHashing } from "./password-hashing";
import { passwordRefusal, uncheckablePassword } from "./passwords";

export const AccountConnection = ConnectionType(Account, "Account", "工作人员账号分页。A page of staff accounts, ordered by username.");
export const ApiKeyConnection = ConnectionType(ApiKey, "ApiKey", "接口密钥分页。A page of API keys, newest first by id.");

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export class AccountService {
  /**
   * `events` carries credentials changes to the open sockets of every instance; null for the
   * command-line tools, which hold no sockets (an instance's periodic re-check still sees
   * what they change).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHashing,
    private readonly events: EventBus | null,
  ) {}

  private announceCredentialsChanged(change: CredentialsChanged): void {
    if (this.events) publishCredentialsChanged(this.events, change);
  }

  list(page: PageArgs, orderBy?: OrderTerm<AccountOrderField>[] | null) {
    const query = this.dataSource.getRepository(Account).createQueryBuilder("account");
    return paginate(query, ACCOUNT_ORDER.sorting.resolve(orderBy), page, AccountConnection);
  }

  listApiKeys(page: PageArgs, orderBy?: OrderTerm<ApiKeyOrderField>[] | null) {
    const query = this.dataSource.getRepository(ApiKey).createQueryBuilder("api_key");
    return paginate(query, API_KEY_ORDER.sorting.resolve(orderBy), page, ApiKeyConnection);
  }

  byId(id: number): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOneBy({ id });
  }

  private async scopeRegion(globalId: string, field: string): Promise<number> {
    const id = parseGlobalId(globalId, "Region", field);
    const region = await this.dataSource.getRepository(Region).findOneBy({ id });
    if (!region) userError(field, "NOT_FOUND", "accounts.noSuchRegion");
    if (region.level !== RegionLevel.TOWNSHIP) userError(field, "INVALID_SCOPE", "accounts.aScopeMustBeA");
    return region.id;
  }

  /** The team a TEAM_LEADER account is to lead, by global id. */
  private async ledTeam(globalId: string, field: string): Promise<number> {
    const id = parseGlobalId(globalId, "RescueTeam", field);
    const [team] = await this.dataSource.query(`SELECT id FROM rescue_team WHERE id = $1`, [id]);
    if (!team) userError(field, "NOT_FOUND", "accounts.noSuchTeam");
    return id;
  }

  async create(unit: UnitOfWork, input: CreateAccountInput): Promise<{ account: Account }> {
    const check = new InputErrors();
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) check.add("input.username", "INVALID_FORMAT", "accounts.usernameMustBeLowerCase");
    if (!input.displayName.trim()) check.add("input.displayName", "REQUIRED", "accounts.displaynameMustNotBeEmpty");
    const refusal = passwordRefusal(input.password, username);
    if (refusal) check.add("input.password", refusal.code, "accounts.password", { reason: refusal.reason });
    if (input.scopeRegionId && input.role !== Role.LOGISTICS) check.add("input.scopeRegionId", "INVALID_SCOPE", "accounts.onlyLogisticsAccountsHaveA");
    if (input.teamId && input.role !== Role.TEAM_LEADER) check.add("input.teamId", "INVALID_TEAM", "accounts.onlyTeamLeadersLeadATeam");
    check.throwIfAny();
    const scopeRegionId = input.scopeRegionId ? await this.scopeRegion(input.scopeRegionId, "input.scopeRegionId") : null;
    const teamId = input.teamId ? await this.ledTeam(input.teamId, "input.teamId") : null;
    const passwordHash = await this.hashing("input.password", () => this.passwords.hash(input.password));
    return unit.transaction(this.dataSource, async ({ manager }) => {
      if (await manager.existsBy(Account, { username })) userError("input.username", "DUPLICATE", "accounts.usernameIsTaken", { username });
      const account = await manager.save(manager.create(Account, { username, displayName: input.displayName.trim(), passwordHash, role: input.role, scopeRegionId, teamId, active: true, isDemo: false }));
      return { account };
    });
  }

  async update(unit: UnitOfWork, input: UpdateAccountInput): Promise<{ account: Account }> {
    const id = parseGlobalId(input.accountId, "Account", "input.accountId");
    const scopeRegionId = input.scopeRegionId ? await this.scopeRegion(input.scopeRegionId, "input.scopeRegionId") : undefined;
    const teamId = input.teamId ? await this.ledTeam(input.teamId, "input.teamId") : undefined;
    const passwordHash = input.password ? await this.checkedHash(input.password, "input.password", "") : undefined;
    return unit.transaction(this.dataSource, async ({ manager, afterCommit }) => {
      const account = await manager.findOne(Account, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!account) userError("input.accountId", "NOT_FOUND", "accounts.noSuchAccount");
      const refusal = input.password ? passwordRefusal(input.password, account.username) : null;
      if (refusal) userError("input.password", refusal.code, "accounts.password", { reason: refusal.reason });
      if (input.displayName != null) {
        if (!input.displayName.trim()) userError("input.displayName", "REQUIRED", "accounts.displaynameMustNotBeEmpty");
        account.displayName = input.displayName.trim();
      }
      if (input.role != null) account.role = input.role;
      if (input.clearScope) account.scopeRegionId = null;
      else if (scopeRegionId !== undefined) account.scopeRegionId = scopeRegionId;
      if (account.scopeRegionId !== null && account.role !== Role.LOGISTICS) {
        userError("input.scopeRegionId", "INVALID_SCOPE", "accounts.onlyLogisticsAccountsHaveA2");
      }
      if (teamId !== undefined) {
        if (account.role !== Role.TEAM_LEADER) userError("input.teamId", "INVALID_TEAM", "accounts.onlyTeamLeadersLeadATeam");
        account.teamId = teamId;
      } else if (account.role !== Role.TEAM_LEADER) {
        account.teamId = null; // a leader moved to another role leads no team any more
      }
      // Deactivating ends the account's tokens; so does reactivating (a token from before the
      // deactivation must not come back with it), and so does a password reset.
      const endsTokens = (input.active != null && input.active !== account.active) || Boolean(passwordHash);
      if (input.active != null) account.active = input.active;
      if (passwordHash) {
        account.passwordHash = passwordHash;
        account.isDemo = false;
      }
      if (endsTokens) account.tokenVersion += 1;
      const saved = await manager.save(account);
      // Open subscriptions of the account are checked again (role, scope, active, tokens), on every instance.
      afterCommit(() => this.announceCredentialsChanged({ kind: "ACCOUNT", id: saved.id }));
      return { account: saved };
    });
  }

  private async checkedHash(password: string, field: string, username: string): Promise<string> {
    const refusal = passwordRefusal(password, username);
    if (refusal) userError(field, refusal.code, "accounts.password", { reason: refusal.reason });
    return this.hashing(field, () => this.passwords.hash(password));
  }

  /** A hashing job, or the field's TRY_LATER error when every hashing thread is busy and the queue full. */
  private async hashing<T>(field: string, job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } catch (error) {
      if (error instanceof PasswordHashingBusy) userError(field, "TRY_LATER", "accounts.theServerIsCheckingToo");
      throw error;
    }
  }

  /** A new password ends every earlier token of the account, the caller's own included (the resolver signs a fresh one). */
  async changeOwnPassword(unit: UnitOfWork, input: ChangePasswordInput): Promise<{ account: Account }> {
    const { actor } = unit;
    if (actor.kind !== "ACCOUNT") userError(null, "NOT_AN_ACCOUNT", "accounts.apiKeysHaveNoPassword");
    const account = await this.byId(actor.id);
    const matches = account && !uncheckablePassword(input.currentPassword) && (await this.hashing("input.currentPassword", () => this.passwords.verify(input.currentPassword, account.passwordHash)));
    if (!account || !matches) {
      userError("input.currentPassword", "WRONG_PASSWORD", "accounts.theCurrentPasswordIsNot");
    }
    const passwordHash = await this.checkedHash(input.newPassword, "input.newPassword", account.username);
    const saved = await unit.transaction(this.dataSource, async ({ manager, afterCommit }) => {
      const updated = await manager
        .createQueryBuilder()
        .update(Account)
        .set({ passwordHash, isDemo: false, tokenVersion: () => "token_version + 1" })
        .where("id = :id", { id: account.id })
        .returning("token_version")
        .execute();
      const [row] = updated.raw as Array<{ token_version: number }>;
      if (!row) userError(null, "NOT_FOUND", "accounts.theAccountNoLongerExists");
      afterCommit(() => this.announceCredentialsChanged({ kind: "ACCOUNT", id: account.id }));
      return Object.assign(account, { passwordHash, isDemo: false, tokenVersion: row.token_version });
    });
    return { account: saved };
  }

  async createApiKey(unit: UnitOfWork, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; key: string }> {
    const { actor } = unit;
    const check = new InputErrors();
    const name = input.name.trim();
    if (!name) check.add("input.name", "REQUIRED", "accounts.nameMustNotBeEmpty");
    if (name.length > 100) check.add("input.name", "TOO_LONG", "accounts.nameMustBeAtMost");
    check.throwIfAny();
    const key = newApiKey();
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const apiKey = await manager.save(
        manager.create(ApiKey, { name, role: input.role, keyHash: hashApiKey(key), prefix: key.slice(0, 10), createdBy: actor.kind === "ACCOUNT" ? actor.id : null, revokedAt: null }),
      );
      return { apiKey, key };
    });
  }

  async revokeApiKey(unit: UnitOfWork, input: RevokeApiKeyInput): Promise<{ apiKey: ApiKey }> {
    const id = parseGlobalId(input.apiKeyId, "ApiKey", "input.apiKeyId");
    return unit.transaction(this.dataSource, async ({ manager, afterCommit }) => {
      const apiKey = await manager.findOne(ApiKey, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!apiKey) userError("input.apiKeyId", "NOT_FOUND", "accounts.noSuchApiKey");
      if (apiKey.revokedAt) userError("input.apiKeyId", "ALREADY_REVOKED", "accounts.theKeyWasRevokedAt", { revokedAt: apiKey.revokedAt.toISOString() });
      apiKey.revokedAt = new Date();
      const saved = await manager.save(apiKey);
      // Sockets the key opened before are closed, on every instance.
      afterCommit(() => this.announceCredentialsChanged({ kind: "API_KEY", id: saved.id }));
      return { apiKey: saved };
    });
  }
}
