import "reflect-metadata";
// Tests log only warnings and worse; set LOG_LEVEL=info to see request logs.
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "warn";
// The suite reads English (core/i18n): what the process itself says — configuration errors, the
// command line's and start-up's words — follows DEFAULT_LOCALE, as the services it starts do
// (test/support/app.ts); test/i18n.test.ts holds the Chinese default.
process.env.DEFAULT_LOCALE ??= "en";
