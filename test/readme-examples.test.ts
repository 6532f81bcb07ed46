// README.md's examples, run as written against a freshly seeded service, in README order on one
// database (as a reader following the README would; so an example that changes data must leave
// what later ones show as they say it): any error fails the test, naming the block's line in
// README.md. A new ```graphql block is run too, as admin, until its comment says otherwise.
//
// The convention — an HTML comment ending on the line just above a fenced block (it may span several
// lines; GitHub does not show it):
//
//   <!-- example: as=logistics run=Ids,Ledger vars={"site": "=Ids.site.nodes.0.id"} -->
//   ```graphql
//
// ```graphql blocks — every one runs, annotated or not:
//   as=WHO          who sends it: a demo account's username (admin, commander, logistics,
//                   logistics.kz-s01, auditor, leader.kz-s01 …; password kaizhou-demo) or a role in
//                   capitals (DASHBOARD …) for a fresh API key of that role. Default: admin.
//   as:Op=WHO       the same for one operation of the block.
//   run=A,B,…       which operations to run, in this order (a name may repeat). Required when the
//                   block holds more than one operation; each run sends the whole block with its
//                   operationName, as a client would. Subscriptions are opened over graphql-ws and
//                   stay open until the block's last operation ran; an error on them fails it.
//   vars={…}        JSON variables for the block (each operation takes those it declares). A string
//                   starting with "=" is computed: "=Op.path.to.value" from the answer of an
//                   operation run earlier in the block (segments: field names, list indices, and
//                   [field=value] or [a.b=value] to pick the first list element whose field equals
//                   value), "=now", "=now-30d", "=now+2h" (an ISO time). "==x" is the string "=x".
//   expect={…}      what the README says the answer is (the block's only operation), and
//   expect:Op={…}   the same for one operation (expect:Op#2= for its second run; "=Op#2.path" reads
//                   that run's answer). A JSON subset of `data`: objects need the keys given, lists
//                   the same length with each element matching; "=nonempty" is a non-empty list,
//                   "=any" anything but null.
//   validate="why"  only parse and validate the block against the schema (say why it cannot run).
// A ```json block annotated `<!-- example: variables -->` right after a graphql block gives (the
// visible part of) its variables; the graphql block's own vars= are laid over them.
// Any answer with top-level `errors`, or a payload with a non-empty `errors` list (UserErrors),
// fails the block.
//
// ```sh blocks run only when annotated `<!-- example: shell -->` (the others are operators'
// commands: npm start, backups…), under bash -eo pipefail in an empty folder, with
// localhost:4000 pointing at the service under test, node on PATH and, with as=WHO, $TOKEN (and
// $KEY) that account's token, or an API key of that role when WHO is a role (as=DASHBOARD). They fail on a non-zero exit or an output line that is a GraphQL answer with
// `errors`. A comment line `#   {…}` after a command is output the script must print (equal
// JSON), `#   … text …` text an output line must contain — both in the order written.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSchema, Kind, parse, validate, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { startTestApp, type TestApp } from "./support/app";
import { clientFor, settle } from "./support/subscriptions";

const README = path.join(__dirname, "..", "README.md");

interface Block {
  lang: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
  body: string;
  options: Record<string, string>;
  annotated: boolean;
}

/** The fenced blocks of a Markdown text with the example comment just above each. */
export function readBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) throw new Error(`README.md:${i + 1}: the fenced block never closes`);
    let options: Record<string, string> = {};
    let annotated = false;
    // The comment ends on the line above the fence and may span several lines.
    if (i > 0 && /-->\s*$/.test(lines[i - 1])) {
      let start = i - 1;
      while (start > 0 && !lines[start].includes("<!--")) start--;
      const comment = lines.slice(start, i).join("\n");
      const match = /^\s*<!--\s*example:([\s\S]*?)-->\s*$/.exec(comment);
      if (match) {
        annotated = true;
        options = parseOptions(match[1], start + 1);
      }
    }
    blocks.push({ lang: fence[1], line: i + 1, body: lines.slice(i + 1, end).join("\n"), options, annotated });
    i = end;
  }
  return blocks;
}

/** `key=value key={json} key="text" flag` → { key: value, flag: "" }. */
function parseOptions(text: string, line: number): Record<string, string> {
  const options: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const key = /^[A-Za-z][\w.:#-]*/.exec(text.slice(i));
    if (!key) throw new Error(`README.md:${line}: cannot read the example comment at "${text.slice(i, i + 20)}"`);
    i += key[0].length;
    if (text[i] !== "=") {
      options[key[0]] = "";
      continue;
    }
    i++;
    let value: string;
    if (text[i] === "{" || text[i] === "[" || text[i] === '"') {
      const start = i;
      let depth = 0;
      let inString = false;
      for (; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === "\\") i++;
          else if (c === '"') {
            inString = false;
            if (depth === 0) break;
          }
        } else if (c === '"') {
          inString = true;
        } else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === 0) break;
        }
      }
      value = text.slice(start, ++i);
      if (value.startsWith('"')) value = JSON.parse(value);
    } else {
      const end = text.slice(i).search(/\s|$/);
      value = text.slice(i, i + end);
      i += end;
    }
    options[key[0]] = value;
  }
  return options;
}

function json(text: string, where: string): any {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message}): ${text}`);
  }
}

/** A path into an answer: `a.b.0.c`, `nodes[code=KZ-S01].id`. */
function pick(value: any, pathText: string, where: string): any {
  const segments = pathText.match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  let current = value;
  for (const segment of segments) {
    if (current == null) throw new Error(`${where}: "${pathText}" reaches null before "${segment}"`);
    const selector = /^\[([^=\]]+)=([^\]]*)\]$/.exec(segment);
    if (selector) {
      if (!Array.isArray(current)) throw new Error(`${where}: "${pathText}": ${segment} needs a list`);
      current = current.find((element) => String(selector[1].split(".").reduce((v, key) => v?.[key], element)) === selector[2]);
      if (current === undefined) throw new Error(`${where}: "${pathText}": no element has ${segment.slice(1, -1)}`);
    } else current = current[segment];
  }
  if (current === undefined) throw new Error(`${where}: "${pathText}" is not in the answers: ${JSON.stringify(value).slice(0, 500)}`);
  return current;
}

function computed(value: any, answers: Record<string, any>, where: string): any {
  if (Array.isArray(value)) return value.map((element) => computed(element, answers, where));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, computed(v, answers, where)]));
  if (typeof value !== "string" || !value.startsWith("=")) return value;
  if (value.startsWith("==")) return value.slice(1);
  const time = /^=now(?:([+-]\d+)([dhm]))?$/.exec(value);
  if (time) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[time[2] as "d" | "h" | "m"] ?? 0;
    return new Date(Date.now() + Number(time[1] ?? 0) * unit).toISOString();
  }
  return pick(answers, value.slice(1), where);
}

/** Differences between an answer and what the README says it is ([] when it matches). */
function mismatches(actual: any, expected: any, at = "data"): string[] {
  if (expected === "=any") return actual == null ? [`${at} is ${actual}`] : [];
  if (expected === "=nonempty") return Array.isArray(actual) && actual.length > 0 ? [] : [`${at} should be a non-empty list, is ${JSON.stringify(actual)}`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at} should be a list of ${expected.length}, is ${JSON.stringify(actual)?.slice(0, 300)}`];
    return expected.flatMap((element, i) => mismatches(actual[i], element, `${at}[${i}]`));
  }
  if (expected && typeof expected === "object") {
    if (!actual || typeof actual !== "object") return [`${at} should be an object, is ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => mismatches(actual[key], value, `${at}.${key}`));
  }
  return actual === expected ? [] : [`${at} should be ${JSON.stringify(expected)}, is ${JSON.stringify(actual)}`];
}

/** Paths of payload `errors` lists that are not empty. */
function userErrors(value: any, at = "data"): string[] {
  if (Array.isArray(value)) return value.flatMap((element, i) => userErrors(element, `${at}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "errors" && Array.isArray(child) && child.length > 0 ? [`${at}.errors: ${JSON.stringify(child)}`] : userErrors(child, `${at}.${key}`),
  );
}

function operations(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
}

const readme = fs.readFileSync(README, "utf8");
const blocks = readBlocks(readme);
const graphqlBlocks = blocks.filter((block) => block.lang === "graphql");
const shellBlocks = blocks.filter((block) => block.lang === "sh" && block.annotated && "shell" in block.options);
const HINT = "(Fix the example in README.md, or how it runs: the <!-- example: --> comment above it, explained at the top of test/readme-examples.test.ts.)";
const KNOWN = new Set(["as", "run", "vars", "expect", "validate", "shell", "variables"]);

let t: TestApp;
const tokens = new Map<string, Promise<string>>();
function tokenFor(who: string): Promise<string> {
  if (!tokens.has(who)) tokens.set(who, /^[A-Z_]+$/.test(who) ? t.apiKeyFor(who as any, `README example ${who}`) : t.tokenFor(who));
  return tokens.get(who)!;
}

/** POST /graphql with the block as the document and the operation to run named. */
async function send(query: string, operationName: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, operationName: operationName || undefined, variables }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe("README.md", () => {
  test("has examples, and every example comment is one this test understands", () => {
    expect(graphqlBlocks.length).toBeGreaterThan(10);
    const problems = blocks.flatMap((block) =>
      Object.keys(block.options)
        .filter((key) => !KNOWN.has(key.split(":")[0]))
        .map((key) => `README.md:${block.line}: unknown example option "${key}"`),
    );
    expect(problems).toEqual([]);
  });

  test("reads the example comments as documented above", () => {
    const sample = [
      "text",
      '<!-- example: as=logistics.kz-s01 as:Approve=commander run=Ids,Approve,Ids',
      '     vars={"site": "=Ids.site.nodes.0.id", "note": "a } in a string"} expect:Ids#2={"a": [1]} validate="no sheet" -->',
      "```graphql",
      "query Ids { a }",
      "```",
      "<!-- example: variables -->",
      "```json",
      '{"first": 3}',
      "```",
      "```sh",
      "npm start",
      "```",
    ].join("\n");
    const [graphqlBlock, variablesBlock, shBlock] = readBlocks(sample);
    expect(graphqlBlock).toMatchObject({ lang: "graphql", line: 4, body: "query Ids { a }", annotated: true });
    expect(graphqlBlock.options).toEqual({
      as: "logistics.kz-s01",
      "as:Approve": "commander",
      run: "Ids,Approve,Ids",
      vars: '{"site": "=Ids.site.nodes.0.id", "note": "a } in a string"}',
      "expect:Ids#2": '{"a": [1]}',
      validate: "no sheet",
    });
    expect(variablesBlock).toMatchObject({ lang: "json", line: 8, options: { variables: "" } });
    expect(shBlock).toMatchObject({ lang: "sh", annotated: false, options: {} });
    const answers = { Ids: { site: { nodes: [{ id: "S1", item: { code: "X" } }, { id: "S2", item: { code: "Y" } }] } } };
    expect(computed({ a: "=Ids.site.nodes.1.id", b: ["=Ids.site.nodes[item.code=Y].id"], c: "==x", d: 1 }, answers, "sample")).toEqual({ a: "S2", b: ["S2"], c: "=x", d: 1 });
    expect(() => computed("=Ids.site.nodes[item.code=Z].id", answers, "sample")).toThrow(/no element has item.code=Z/);
    expect(mismatches({ a: [{ b: 1, c: 2 }], d: [] }, { a: [{ b: 1 }], d: "=nonempty" })).toEqual(["data.d should be a non-empty list, is []"]);
    expect(mismatches({ a: [1, 2] }, { a: [1] })).toHaveLength(1);
    expect(userErrors({ x: { errors: [] }, y: [{ errors: [{ code: "NOT_FOUND" }] }] })).toEqual(['data.y[0].errors: [{"code":"NOT_FOUND"}]']);
  });

  const schema = buildSchema(fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8"));

  test.each(graphqlBlocks.map((block) => [`graphql block at README.md:${block.line}`, block] as const))("%s works as written", async (where, block) => {
    let document: DocumentNode;
    try {
      document = parse(block.body);
    } catch (error) {
      throw new Error(`${where}: does not parse: ${(error as Error).message}`);
    }
    const invalid = validate(schema, document).map((error) => error.message);
    if (invalid.length) throw new Error(`${where}: invalid against schema.graphql:\n  ${invalid.join("\n  ")}`);
    if ("validate" in block.options) {
      if (!block.options.validate.trim()) throw new Error(`${where}: validate= must say why the block cannot run`);
      return;
    }
    const ops = operations(document);
    const named = new Map(ops.map((op) => [op.name?.value ?? "", op]));
    let run: string[];
    if (block.options.run) run = block.options.run.split(",").map((name) => name.trim());
    else if (ops.length === 1) run = [ops[0].name?.value ?? ""];
    else throw new Error(`${where}: the block holds ${ops.length} operations (${ops.map((op) => op.name?.value ?? "anonymous").join(", ")}): say which to run, in order, with run=… in an <!-- example: --> comment above it`);
    for (const name of run) if (!named.has(name)) throw new Error(`${where}: run= names "${name}", which the block does not define`);

    const index = blocks.indexOf(block);
    const next = blocks[index + 1];
    const visible = next && next.lang === "json" && "variables" in next.options ? json(next.body, `README.md:${next.line}`) : {};
    const variables = { ...visible, ...(block.options.vars ? json(block.options.vars, `${where}: vars=`) : {}) };
    const answers: Record<string, any> = {};
    const subscriptions: Array<{ name: string; failure?: string; close(): Promise<void> }> = [];
    const failures: string[] = [];
    try {
      const runs = new Map<string, number>();
      for (const name of run) {
        const op = named.get(name)!;
        const nth = (runs.get(name) ?? 0) + 1;
        runs.set(name, nth);
        const key = nth === 1 ? name : `${name}#${nth}`;
        const label = `${where}, operation ${name || "(anonymous)"}${nth === 1 ? "" : ` (run ${nth})`}`;
        const who = block.options[`as:${name}`] ?? block.options.as ?? "admin";
        const token = await tokenFor(who);
        const declared = new Set((op.variableDefinitions ?? []).map((definition) => definition.variable.name.value));
        const values = computed(Object.fromEntries(Object.entries(variables).filter(([key]) => declared.has(key))), answers, label);
        if (op.operation === "subscription") {
          const client = clientFor(t.url, token);
          const subscription: (typeof subscriptions)[number] = { name, close: () => client.dispose() as Promise<void> };
          client.subscribe(
            { query: block.body, variables: values, operationName: name || undefined },
            {
              next: (event) => {
                if (event.errors?.length) subscription.failure ??= `errors ${JSON.stringify(event.errors)}`;
              },
              error: (error) => {
                subscription.failure ??= error instanceof Error ? error.message : JSON.stringify(error);
              },
              complete: () => undefined,
            },
          );
          subscriptions.push(subscription);
          continue;
        }
        const result = await send(block.body, name, values, token);
        if (result.errors?.length) {
          failures.push(`${label} as ${who}: errors ${JSON.stringify(result.errors)}`);
          break;
        }
        failures.push(...userErrors(result.data).map((problem) => `${label} as ${who}: ${problem}`));
        answers[key] = result.data;
        const expected = block.options[`expect:${key}`] ?? (ops.length === 1 && nth === 1 ? block.options.expect : undefined);
        if (expected !== undefined) failures.push(...mismatches(result.data, json(expected, `${label}: expect`)).map((problem) => `${label}: not what the README says: ${problem}`));
      }
      // graphql-ws does not acknowledge a subscription: a refused one is answered with an error
      // message soon after; events the block's mutations caused have arrived by then too.
      if (subscriptions.length) await settle(500);
      for (const subscription of subscriptions) {
        if (subscription.failure) failures.push(`${where}, subscription ${subscription.name || "(anonymous)"}: ${subscription.failure}`);
      }
    } finally {
      for (const subscription of subscriptions) await subscription.close();
    }
    if (failures.length) throw new Error(`${failures.join("\n")}\n${HINT}`);
  });

  test.each(shellBlocks.map((block) => [`sh block at README.md:${block.line}`, block] as const))("%s works as written", async (where, block) => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "readme-example-"));
    try {
      const host = new URL(t.url).host;
      const script = block.body.replaceAll("localhost:4000", host);
      const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` };
      // $KEY as well, the name the data-URL examples give a dashboard's API key (as=DASHBOARD).
      if (block.options.as) env.TOKEN = env.KEY = await tokenFor(block.options.as);
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile("bash", ["-eo", "pipefail", "-c", script], { cwd: directory, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
          resolve({ code: error ? ((error as any).code ?? 1) : 0, stdout: String(out), stderr: String(err) }),
        );
        child.stdin?.end();
      });
      const problems: string[] = [];
      if (code !== 0) problems.push(`exit ${code}; stderr: ${stderr.trim().slice(0, 2000)}`);
      const output = stdout.split("\n").filter((line) => line.trim());
      for (const line of output) {
        if (!line.startsWith("{")) continue;
        try {
          const answer = JSON.parse(line);
          if (answer.errors) problems.push(`an answer with errors: ${line.slice(0, 1000)}`);
          problems.push(...userErrors(answer.data ?? answer).map((problem) => `an answer with UserErrors: ${problem}`));
        } catch {
          /* not a JSON line */
        }
      }
      // What the script says it prints, in order.
      let from = 0;
      block.body.split("\n").forEach((text, offset) => {
        const shown = /^#\s{3}(\{.*\}|….*…)\s*$/.exec(text);
        if (!shown) return;
        const expectation = shown[1];
        const found = output.findIndex((line, i) => {
          if (i < from) return false;
          if (expectation.startsWith("{")) {
            try {
              return JSON.stringify(JSON.parse(line)) === JSON.stringify(JSON.parse(expectation));
            } catch {
              return false;
            }
          }
          return line.includes(expectation.replace(/^…\s*/, "").replace(/\s*…$/, ""));
        });
        if (found < 0) problems.push(`README.md:${block.line + 1 + offset}: the script should print ${expectation}`);
        else from = found + 1;
      });
      if (problems.length) throw new Error(`${where}:\n  ${problems.join("\n  ")}\noutput:\n${stdout.slice(0, 4000)}\n${HINT}`);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
