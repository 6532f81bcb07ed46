import "reflect-metadata";
// Tests log only warnings and worse; set LOG_LEVEL=info to see request logs.
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "warn";
