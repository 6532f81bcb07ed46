// Runs the TypeScript sources directly with swc: `node -r ./scripts/register.js src/main.ts`.
// Why not ts-node or tsx: ts-node treats `module: node20` as ESM and refuses .ts files,
// and tsx (esbuild) writes no decorator metadata, which type-graphql and TypeORM need.
// swc does both, in milliseconds, with the same options jest uses (.swcrc).
"use strict";
const fs = require("fs");
const path = require("path");
const swc = require("@swc/core");

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, "..", ".swcrc"), "utf8"));
delete swcrc.$schema;
swcrc.sourceMaps = "inline";

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { code } = swc.transformSync(source, { ...swcrc, filename, swcrc: false, configFile: false });
  module._compile(code, filename);
};
