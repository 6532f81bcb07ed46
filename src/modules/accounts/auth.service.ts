// Authentication: sign-in with password → signed, expiring access token (JWT, HS256), API keys
// for dashboards, and turning request credentials into an Actor. The account or key is read on
// every request, so deactivation, role changes and revocation take effect at the next request.
import crypto from "node:crypto";
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";
import type { DataSource } from "typeorm";
import type { AuthConfig } from "../../config";
import type { Actor, Role } from "../../core/access/auth";
import { Coalescer } from "../../core/db/coalescer";
import { inList, prepared } from "../../core/db/prepared";
import { unauthenticated } from "../../core/graphql/errors";
import { Account } from "./account.entity";
import { LoginFailure } from "./login-failure.entity";
import { PasswordHashingBusy, type PasswordHashing } from "./password-hashing";
import { UNKNOWN_USER_HASH, uncheckablePassword } from "./passwords";

export const API_KEY_PREFIX = "kz_";

export interface Credentials {
  authorization?: string;
  apiKey?: string;
  address?: string;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  account: Account;
}

/** One answer for every failed sign-in, so it never tells whether the username exists. */
export const LOGIN_REFUSED = "Sign-in failed: wrong username or password, or too many failed attempts. Wait a few minutes and try again.";

export function hashApiKey(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex");
}

export function newApiKey(): string {
  return `${API_KEY_PREFIX}${crypto.randomBytes(30).toString("base64url")}`;
}

/** What a request's actor is made of: the account or key row as it is now. */
interface AccountRow {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  is_demo: boolean;
  scope_region_id: number | null;
  scope_region_name: string | null;
  team_id: number | null;
  token_version: number;
}
interface ApiKeyRow {
  id: number;
  name: string;
  role: Role;
  key_hash: string;
  revoked: boolean;
}

const MAX_INT4 = 2_147_483_647;

/** What a verified token says: whose it is, the account's token version it was signed at, until when. */
interface VerifiedToken {
  subject: string | undefined;
  version: number;
  expiresAt: number;
}
/** Verified tokens remembered (oldest forgotten first): far more than the accounts that sign in. */
const VERIFIED_TOKENS_KEPT = 10_000;

export class AuthService {
  private readonly secret: Uint8Array;
  /**
   * Tokens already verified, with their subject and expiry: a dashboard or client sends the
   * same token with every request, and checking its signature again cost every request CPU for
   * nothing (bench/RESULTS.md, change 15). Only tokens that passed verification get in; expiry
   * is checked at every use; the account itself is still read for every request (below).
   */
  private readonly verifiedTokens = new Map<string, VerifiedToken>();
  /**
   * The account or key is read for every request, fresh; requests arriving while a read is in
   * flight share the next one (core/db/coalescer.ts), so a surge costs a statement per wave, not
   * per request. A prepared statement: this runs for every request and needs seven columns.
   */
  private readonly accounts = new Coalescer<number, AccountRow | null>(async (ids) => {
    const [condition, params] = inList("id", [...new Set(ids)], "int");
    const rows = await prepared<AccountRow>(this.dataSource, `SELECT id, username, role, active, is_demo, scope_region_id, (SELECT r.name FROM region r WHERE r.id = account.scope_region_id) AS scope_region_name, team_id, token_version FROM account WHERE ${condition}`, params);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  private readonly apiKeys = new Coalescer<string, ApiKeyRow | null>(async (hashes) => {
    const [condition, params] = inList("key_hash", [...new Set(hashes)], "text");
    const rows = await prepared<ApiKeyRow>(this.dataSource, `SELECT id, name, role, key_hash, revoked_at IS NOT NULL AS revoked FROM api_key WHERE ${condition}`, params);
    const byHash = new Map(rows.map((row) => [row.key_hash, row]));
    return hashes.map((hash) => byHash.get(hash) ?? null);
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuthConfig & { secret: string },
    private readonly production: boolean,
    private readonly passwords: PasswordHashing,
  ) {
    this.secret = new TextEncoder().encode(config.secret);
  }

  async login(username: string, password: string, address: string): Promise<LoginResult | null> {
    const started = Date.now();
    const name = username.trim().toLowerCase();
    const refuse = async () => {
      await this.dataSource.getRepository(LoginFailure).insert({ username: name, address });
      // Answer every failure after the same minimum delay, whatever the reason.
      const wait = this.config.failedLoginDelayMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return null;
    };
    // Neither a throttled attempt nor an input that cannot be a password (a NUL, a 10,000-
    // character string) costs a check: both are refused as they are, after the same delay.
    if (uncheckablePassword(password) || (await this.tooManyFailures(name, address))) return refuse();
    const account = await this.dataSource.getRepository(Account).findOneBy({ username: name });
    let passwordMatches: boolean;
    try {
      // An unknown username is checked against a decoy, so it fails as slowly (passwords.ts).
      passwordMatches = (await this.passwords.verify(password, account?.passwordHash ?? UNKNOWN_USER_HASH)) && account !== null;
    } catch (error) {
      // Every hashing thread busy and the queue full: answered at once, with the same words,
      // and not counted as a failure: nothing was checked.
      if (error instanceof PasswordHashingBusy) return null;
      throw error;
    }
    if (!account || !passwordMatches || !account.active || (account.isDemo && this.production)) return refuse();

    await this.dataSource.query("DELETE FROM login_failure WHERE username = $1", [name]);
    await this.dataSource.query("UPDATE account SET last_login_at = now() WHERE id = $1", [account.id]);
    const expiresAt = this.newTokenExpiry();
    const token = await this.signToken(account, expiresAt);
    return { token, expiresAt, account };
  }

  /**
   * An access token for the account at its current token version (`ver`): a password change, a
   * reset or a (de)activation raises the version, and tokens signed before stop working.
   */
  private async signToken(account: Pick<Account, "id" | "role" | "tokenVersion">, expiresAt: Date): Promise<string> {
    return new SignJWT({ role: account.role, ver: account.tokenVersion })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(String(account.id))
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .setIssuer("kaizhou-emergency-resources")
      .sign(this.secret);
  }

  /** A token as `login` gives, for an account whose credentials just changed (changePassword). */
  async issueToken(account: Pick<Account, "id" | "role" | "tokenVersion">): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = this.newTokenExpiry();
    return { token: await this.signToken(account, expiresAt), expiresAt };
  }

  private newTokenExpiry(): Date {
    return new Date(Date.now() + this.config.tokenTtlMinutes * 60_000);
  }

  private async tooManyFailures(username: string, address: string): Promise<boolean> {
    const [counts] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE username = $1)::int AS by_username, count(*) FILTER (WHERE address = $2)::int AS by_address
       FROM login_failure WHERE at > now() - make_interval(mins => $3) AND (username = $1 OR address = $2)`,
      [username, address, this.config.failureWindowMinutes],
    );
    return counts.by_username >= this.config.maxFailuresPerUsername || counts.by_address >= this.config.maxFailuresPerAddress;
  }

  /**
   * Credentials → actor. No credentials: null (anonymous). Bad, expired or revoked
   * credentials: UNAUTHENTICATED, never silently anonymous.
   */
  async authenticate(credentials: Credentials): Promise<Actor | null> {
    const bearer = credentials.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (credentials.authorization && !bearer) throw unauthenticated("accounts.authorizationHeaderMustBeBearer");
    const presented = bearer ?? credentials.apiKey;
    if (!presented) return null;
    if (presented.startsWith(API_KEY_PREFIX)) return this.actorForApiKey(presented);
    return this.actorForToken(presented);
  }

  /** The subject and version of a token whose signature and claims were verified, until it expires. */
  private async verified(token: string): Promise<VerifiedToken> {
    const known = this.verifiedTokens.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    this.verifiedTokens.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: "kaizhou-emergency-resources", algorithms: ["HS256"] });
      // Tokens signed before token versions existed say none: they count as version 0.
      const version = Number.isSafeInteger(payload.ver) ? (payload.ver as number) : 0;
      const verified: VerifiedToken = { subject: payload.sub, version, expiresAt: (payload.exp ?? 0) * 1000 };
      if (payload.exp !== undefined) {
        if (this.verifiedTokens.size >= VERIFIED_TOKENS_KEPT) this.verifiedTokens.delete(this.verifiedTokens.keys().next().value!);
        this.verifiedTokens.set(token, verified);
      }
      return verified;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated("accounts.yourAccessTokenHasExpired");
      throw unauthenticated("accounts.theAccessTokenIsNot");
    }
  }

  private async actorForToken(token: string): Promise<Actor> {
    const verified = await this.verified(token);
    const id = Number(verified.subject);
    const account = Number.isSafeInteger(id) && id > 0 && id <= MAX_INT4 ? await this.accounts.submit(id) : null;
    if (!account || !account.active || (account.is_demo && this.production)) {
      throw unauthenticated("accounts.theAccountBehindThisToken");
    }
    if (account.token_version !== verified.version) {
      throw unauthenticated("accounts.thisAccessTokenWasEnded");
    }
    return {
      kind: "ACCOUNT",
      id: account.id,
      name: account.username,
      role: account.role,
      scopeRegionId: account.scope_region_id,
      scopeRegionName: account.scope_region_name,
      teamId: account.team_id,
    };
  }

  private async actorForApiKey(key: string): Promise<Actor> {
    const apiKey = await this.apiKeys.submit(hashApiKey(key));
    if (!apiKey || apiKey.revoked) throw unauthenticated("accounts.theApiKeyIsNot");
    return { kind: "API_KEY", id: apiKey.id, name: apiKey.name, role: apiKey.role, scopeRegionId: null, teamId: null };
  }
}
