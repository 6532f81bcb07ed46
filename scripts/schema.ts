// `npm run schema:emit` writes schema.graphql from the code; `npm run schema:check` fails
// (exit 1) when the committed file differs from what the code emits.
import "reflect-metadata";
import { say } from "./cli-language";
import fs from "node:fs";
import path from "node:path";
import { createPubSub } from "@graphql-yoga/subscription";
import { createSchema, printSortedSchema } from "../src/schema";

async function main() {
  const mode = process.argv[2];
  const file = path.join(__dirname, "..", "schema.graphql");
  const emitted = printSortedSchema(await createSchema(Object.assign(createPubSub(), { close: async () => undefined })));
  if (mode === "emit") {
    fs.writeFileSync(file, emitted);
    console.log(say("cli.wrote", { file: path.relative(process.cwd(), file) }));
    return;
  }
  const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (committed !== emitted) {
    const a = committed.split("\n");
    const b = emitted.split("\n");
    const line = a.findIndex((text, i) => text !== b[i]);
    const endOfFile = say("cli.schema.endOfFile");
    console.error(say("cli.schema.outOfDate", { line: line + 1 }));
    console.error(`  ${say("cli.schema.committed", { text: a[line] ?? endOfFile })}`);
    console.error(`  ${say("cli.schema.code", { text: b[line] ?? endOfFile })}`);
    console.error(say("cli.schema.runEmit"));
    process.exit(1);
  }
  console.log(say("cli.schema.matches"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
