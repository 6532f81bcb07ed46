// The service started in-process on a fresh test database, with a small GraphQL client.
import crypto from "node:crypto";
import { loadConfig, type Config } from "../../src/config";
import type { Role } from "../../src/core/access/auth";
import { startApp, type App } from "../../src/app";
import { unitFor } from "./units";
import { createTestDatabase, testPreparedStatements, type TestDatabase } from "./database";

export interface GraphQLResult<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  /** SQL statements the request ran (from the x-sql-statements header). */
  sqlStatements: number;
  headers: Headers;
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  url: string;
  graphql<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string; headers?: Record<string, string> }): Promise<GraphQLResult<T>>;
  /** An access token for a seeded demo account (password kaizhou-demo), cached per username. */
  tokenFor(username: string): Promise<string>;
  /** A fresh API key acting with this role. */
  apiKeyFor(role: Role | `${Role}`, name?: string): Promise<string>;
  stop(): Promise<void>;
}

export const DEMO_PASSWORD = "kaizhou-demo";

/**
 * The service on a database of its own, connected as the service's role, with the owner's
 * connection for the start-up's migrations and grants — as deployed. Given `databaseUrl` (another
 * test app's database, prepared already), it starts as a further instance with the service's
 * connection alone.
 */
export async function startTestApp(overrides: Partial<Config> = {}, env: Record<string, string> = {}, options: { serviceUrl?: (url: string) => string } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config: Config = {
    // The suite's tests were written against English messages and assert some of them: they run
    // with DEFAULT_LOCALE=en. The shipped default (zh-CN, Chinese without Accept-Language) is
    // what test/i18n.test.ts asserts, over both doors and on the command line.
    ...loadConfig({ DEFAULT_LOCALE: "en", ...env }),
    databaseUrl: options.serviceUrl ? options.serviceUrl(database.url) : database.url,
    migrationDatabaseUrl: overrides.databaseUrl ? undefined : database.ownerUrl,
    databasePreparedStatements: testPreparedStatements(),
    port: 0,
    host: "127.0.0.1",
    seedOnStart: false,
    exposeSqlStatementCount: true,
    databasePoolSize: 10,
    ...overrides,
  };
  config.auth = { ...config.auth, secret: config.auth.secret ?? crypto.randomBytes(32).toString("hex"), ...overrides.auth };
  const app = await startApp(config);
  const url = app.url;
  const tokens = new Map<string, Promise<string>>();
  const graphql: TestApp["graphql"] = async (query, variables, options = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: any[] };
    return { status: response.status, data: body.data, errors: body.errors, sqlStatements: Number(response.headers.get("x-sql-statements") ?? NaN), headers: response.headers };
  };
  return {
    app,
    database,
    url,
    graphql,
    tokenFor(username) {
      if (!tokens.has(username)) {
        tokens.set(
          username,
          graphql(`mutation ($input: LoginInput!) { login(input: $input) { token errors { message } } }`, { input: { username, password: DEMO_PASSWORD } }).then((result) => {
            const token = result.data?.login?.token;
            if (!token) throw new Error(`cannot sign in as ${username}: ${JSON.stringify(result.errors ?? result.data)}`);
            return token;
          }),
        );
      }
      return tokens.get(username)!;
    },
    async apiKeyFor(role, name = `test ${role} key`) {
      const { key } = await app.services.accounts.createApiKey(unitFor({ kind: "ACCOUNT", id: 0, name: "test", role: "ADMIN" as Role, scopeRegionId: null, teamId: null }, "createApiKey"), { name, role: role as Role });
      return key;
    },
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}
