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

  // Every environment-variable problem is a catalogue message (core/i18n): English here (the suite
  // runs with DEFAULT_LOCALE=en, as the process's language), Chinese as shipped, the setting's name
  // the same in both.
  it("says every setting's problem in Chinese as shipped, and in English on request", () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ PORT: "forty" }, "PORT", /^PORT：必须是 0 到 65535 之间的整数，实际为 "forty"$/],
      [{ PORT: "70000" }, "PORT", /^PORT：必须在 0 到 65535 之间，实际为 70000$/],
      [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", /^LOG_LEVEL：必须是 fatal, error, .* 之一，实际为 "loud"$/],
      [{ LOG_FORMAT: "xml" }, "LOG_FORMAT", /^LOG_FORMAT：必须是 .* 之一/],
      [{ DATABASE_URL: "not a url" }, "DATABASE_URL", /^DATABASE_URL：不是有效的网址/],
      [{ DATABASE_URL: "mysql://root@127.0.0.1/x" }, "DATABASE_URL", /^DATABASE_URL：必须以 postgres: 或 postgresql: 开头，实际为 "mysql:"$/],
      [{ REDIS_URL: "redis://" }, "REDIS_URL", /^REDIS_URL：/],
      [{ REDIS_CHANNEL_PREFIX: "a b" }, "REDIS_CHANNEL_PREFIX", /^REDIS_CHANNEL_PREFIX：必须是 1–100 个/],
      [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN", /^METRICS_TOKEN：至少 16 个字符/],
      [{ AUTH_SECRET: "short" }, "AUTH_SECRET", /^AUTH_SECRET：至少 32 个字符/],
      [{ NODE_ENV: "production" }, "AUTH_SECRET", /^AUTH_SECRET：NODE_ENV=production 时必须设置/],
      [{ ...PRODUCTION, DEBUG_ERRORS: "true" }, "DEBUG_ERRORS", /^DEBUG_ERRORS：NODE_ENV=production 时不能为 true/],
      [{ DATABASE_ALLOW_OWNER: "perhaps" }, "DATABASE_ALLOW_OWNER", /^DATABASE_ALLOW_OWNER：必须是 true 或 false，实际为 "perhaps"$/],
      [{ GRAPHQL_INTROSPECTION: "sometimes" }, "GRAPHQL_INTROSPECTION", /^GRAPHQL_INTROSPECTION：必须是 true（所有人）/],
      [{ TRUSTED_DOCUMENTS: "some" }, "TRUSTED_DOCUMENTS", /^TRUSTED_DOCUMENTS：必须是 off、api-keys/],
      [{ MIGRATION_DATABASE_URL: "postgres://o@db/k" }, "MIGRATION_DATABASE_URL", /^MIGRATION_DATABASE_URL：需要同时设置 DATABASE_URL/],
      [{ DEFAULT_LOCALE: "fr" }, "DEFAULT_LOCALE", /^DEFAULT_LOCALE：必须是 zh-CN, en 之一，实际为 "fr"$/],
    ];
    for (const [env, setting, chinese] of cases) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const problem = error as ConfigError;
      expect(problem.setting).toBe(setting);
      expect(problem.text("zh-CN")).toMatch(chinese);
      expect(problem.text("en")).toBe(problem.message);
      expect(problem.message).toMatch(new RegExp(`^${setting}: [a-z]`));
    }
  });
});
