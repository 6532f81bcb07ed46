// The dashboards' operations (operations/*.graphql) against the emitted schema (schema.graphql):
// `npm run operations:generate` writes the typed client and the trusted-documents manifest
// (operations/generated/, graphql-codegen's client preset, configured in operations/codegen.ts);
// `npm run operations:check` (CI, after the schema drift step) fails (exit 1) when a document no
// longer validates — a field removed or renamed, an argument's type changed — or when the
// committed files differ from what the documents and the schema give, or when the service would
// refuse the manifest at start. Runs offline: everything comes from node_modules.
import "reflect-metadata";
import { graphqlMessageOrOriginal } from "../src/core/i18n/graphql-messages";
import { LocalizedProblem, message } from "../src/core/i18n/i18n";
import { say } from "./cli-language";
import fs from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { buildSchema, concatAST, parse, Source, validate, type DocumentNode, type GraphQLError } from "graphql";
import { TrustedDocuments } from "../src/core/http/trusted-documents";
import config from "../operations/codegen";

const root = path.join(__dirname, "..");
const operationsDir = path.join(root, "operations");
const generatedDir = path.join(operationsDir, "generated");

/** graphql-js's message in the command's language (core/i18n/graphql-messages.ts), after its file and line. */
function describeGraphqlError(error: GraphQLError): string {
  const where = error.source && error.locations?.[0] ? `${error.source.name}:${error.locations[0].line}` : "operations/";
  return `${where}: ${say("cli.reason", { reason: graphqlMessageOrOriginal(error.message) })}`;
}

/** Every document parses and validates against schema.graphql; one message per problem with its file and line. */
function checkDocuments(): string[] {
  const schema = buildSchema(fs.readFileSync(path.join(root, "schema.graphql"), "utf8"));
  const problems: string[] = [];
  const documents: DocumentNode[] = [];
  const files = fs.readdirSync(operationsDir).filter((name) => name.endsWith(".graphql")).sort();
  if (!files.length) problems.push(say("cli.operations.none"));
  for (const name of files) {
    try {
      documents.push(parse(new Source(fs.readFileSync(path.join(operationsDir, name), "utf8"), `operations/${name}`)));
    } catch (error) {
      problems.push(describeGraphqlError(error as GraphQLError));
    }
  }
  // All together: fragments are shared between files, and names must be unique over the folder.
  for (const error of validate(schema, concatAST(documents))) {
    problems.push(describeGraphqlError(error));
  }
  return problems;
}

async function main() {
  const mode = process.argv[2];
  if (mode !== "generate" && mode !== "check") throw new LocalizedProblem(message("cli.operations.usage"));
  const problems = checkDocuments();
  if (problems.length) {
    console.error(`${say("cli.operations.invalid")}\n  ${problems.join("\n  ")}`);
    console.error(say("cli.operations.breaking"));
    process.exit(1);
  }
  const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as Array<{ filename: string; content: string }>;
  const expected = new Map<string, string>(outputs.map((output) => [path.resolve(root, output.filename), output.content]));
  if (mode === "generate") {
    fs.rmSync(generatedDir, { recursive: true, force: true });
    for (const [file, content] of expected) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      console.log(say("cli.wrote", { file: path.relative(process.cwd(), file) }));
    }
  } else {
    const stale: string[] = [];
    for (const [file, content] of expected) {
      if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== content) stale.push(path.relative(root, file));
    }
    const present = fs.existsSync(generatedDir) ? fs.readdirSync(generatedDir).map((name) => path.join(generatedDir, name)) : [];
    for (const file of present) if (!expected.has(file)) stale.push(say("cli.operations.notGenerated", { file: path.relative(root, file) }));
    if (stale.length) {
      console.error(say("cli.operations.stale", { files: stale.join(", ") }));
      console.error(say("cli.operations.runGenerate"));
      process.exit(1);
    }
  }
  // The manifest as the service loads it at start (hashes, documents valid against the schema).
  const trusted = TrustedDocuments.load("all", [path.join(generatedDir, "persisted-documents.json")], buildSchema(fs.readFileSync(path.join(root, "schema.graphql"), "utf8")));
  console.log(say(mode === "check" ? "cli.operations.current" : "cli.operations.written", { count: trusted.size }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
