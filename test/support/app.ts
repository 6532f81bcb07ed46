// The service started in-process on a fresh test database, with a small GraphQL client.
import { loadConfig, type Config } from "../../src/config";
import { startApp, type App } from "../../src/app";
import { createTestDatabase, type TestDatabase } from "./database";

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
  stop(): Promise<void>;
}

export async function startTestApp(overrides: Partial<Config> = {}, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config: Config = {
    ...loadConfig({ ...env }),
    databaseUrl: database.url,
    port: 0,
    host: "127.0.0.1",
    seedOnStart: false,
    exposeSqlStatementCount: true,
    databasePoolSize: 10,
    ...overrides,
  };
  const app = await startApp(config);
  const url = app.url;
  return {
    app,
    database,
    url,
    async graphql(query, variables, options = {}) {
      const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data?: any; errors?: any[] };
      return { status: response.status, data: body.data, errors: body.errors, sqlStatements: Number(response.headers.get("x-sql-statements") ?? NaN), headers: response.headers };
    },
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}
