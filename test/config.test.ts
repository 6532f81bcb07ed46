// The environment → configuration rules that protect production (no HTTP, no database).
import { ConfigError, loadConfig } from "../src/config";

const PRODUCTION = { NODE_ENV: "production", AUTH_SECRET: "s".repeat(40) };

describe("configuration", () => {
  it("refuses DEBUG_ERRORS=true in production: internal details would reach every caller", () => {
    expect(() => loadConfig({ ...PRODUCTION, DEBUG_ERRORS: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PRODUCTION, DEBUG_ERRORS: "true" })).toThrow(/^DEBUG_ERRORS: must not be true when NODE_ENV=production/);
    expect(loadConfig({ ...PRODUCTION, DEBUG_ERRORS: "false" }).debugErrors).toBe(false);
    expect(loadConfig({ DEBUG_ERRORS: "true" }).debugErrors).toBe(true);
  });

  it("takes the owner's MIGRATION_DATABASE_URL only beside the service's own DATABASE_URL", () => {
    const owner = "postgres://kaizhou:secret@db:5432/kaizhou";
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: owner })).toThrow(/^MIGRATION_DATABASE_URL: needs DATABASE_URL beside it/);
    const both = loadConfig({ MIGRATION_DATABASE_URL: owner, DATABASE_URL: "postgres://kaizhou_service:secret@db:5432/kaizhou" });
    expect(both.migrationDatabaseUrl).toBe(owner);
    expect(both.databaseAllowOwner).toBe(false);
    expect(() => loadConfig({ DATABASE_ALLOW_OWNER: "perhaps" })).toThrow(/^DATABASE_ALLOW_OWNER: must be true or false/);
  });

  it("keeps anonymous introspection off in production unless asked for", () => {
    expect(loadConfig(PRODUCTION).limits.introspection).toBe("authenticated");
    expect(loadConfig({}).limits.introspection).toBe("all");
    expect(loadConfig({ ...PRODUCTION, GRAPHQL_INTROSPECTION: "true" }).limits.introspection).toBe("all");
    expect(loadConfig({ GRAPHQL_INTROSPECTION: "false" }).limits.introspection).toBe("none");
    expect(loadConfig({ GRAPHQL_INTROSPECTION: "authenticated" }).limits.introspection).toBe("authenticated");
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: "sometimes" })).toThrow(/^GRAPHQL_INTROSPECTION: must be true/);
  });

  it("answers in Chinese unless DEFAULT_LOCALE names English, and refuses a language the catalogue lacks", () => {
    expect(loadConfig({}).defaultLocale).toBe("zh-CN");
    expect(loadConfig({ DEFAULT_LOCALE: "en" }).defaultLocale).toBe("en");
    expect(loadConfig({ DEFAULT_LOCALE: " ZH-cn " }).defaultLocale).toBe("zh-CN");
    expect(() => loadConfig({ DEFAULT_LOCALE: "fr" })).toThrow(/^DEFAULT_LOCALE: must be one of zh-CN, en, got "fr"/);
  });
});
