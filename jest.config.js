// jest with @swc/jest: the same swc options the service runs with (.swcrc), decorators and
// metadata included; dynamic import() stays native for ESM-only packages.
const fs = require("fs");
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, "utf8"));
delete swcrc.$schema;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { ...swcrc, swcrc: false }] },
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  testTimeout: 60_000,
  maxWorkers: 2,
  // Each test file gets its own database cloned from a migrated, seeded template.
  setupFiles: ["<rootDir>/test/support/setup-env.ts"],
};
