// Chinese by default, English on request (core/i18n): one catalogue in zh-CN and en, the same
// keys and parameters in both; no words at the throw sites; the language chosen per request by
// Accept-Language (or the WebSocket's connection_init), zh-CN without one, through both doors;
// the command line in Chinese unless asked otherwise. Codes and field paths are the same in
// every language.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { loadConfig } from "../src/config";
import { CATALOGUES, LOCALES, negotiateLocale } from "../src/core/i18n/i18n";
import { commandLineLocale } from "../scripts/cli-language";
import { startTestApp, type TestApp } from "./support/app";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..");
const HAN = /\p{Script=Han}/u;
const EN = { "accept-language": "en" };

let t: TestApp;
beforeAll(async () => {
  // The shipped default, as a deployment without DEFAULT_LOCALE gets it (the rest of the suite runs with en).
  const { defaultLocale } = loadConfig({});
  expect(defaultLocale).toBe("zh-CN");
  t = await startTestApp({ defaultLocale });
});
afterAll(async () => t?.stop());

// ---------------------------------------------------------------- the catalogue

/** The names a message interpolates ({{name}} or {{name, format}}). */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((match) => match[1]))].sort();
}

describe("the catalogue", () => {
  it("has every key in both languages, with the same placeholders", () => {
    const [zh, en] = [CATALOGUES["zh-CN"], CATALOGUES.en];
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const mismatched = Object.keys(zh).filter((key) => placeholders(zh[key as keyof typeof zh]).join() !== placeholders(en[key as keyof typeof en]).join());
    expect(mismatched).toEqual([]);
    // No entry is empty, and the Chinese ones are Chinese (the separators of lists excepted).
    expect(Object.entries(en).filter(([key, text]) => !text.trim() && !key.startsWith("list."))).toEqual([]);
    const notChinese = Object.entries(zh).filter(([key, text]) => !HAN.test(text) && !key.startsWith("list.") && !/^\{\{\w+\}\}.{0,3}\{\{\w+\}\}$|^\{\{\w+\}\}$/.test(text));
    expect(notChinese).toEqual([]);
  });

  it("is chosen from Accept-Language: quality values, language ranges, the default otherwise", () => {
    expect(LOCALES).toEqual(["zh-CN", "en"]);
    expect(negotiateLocale(undefined, "zh-CN")).toBe("zh-CN");
    expect(negotiateLocale("en-US,en;q=0.9", "zh-CN")).toBe("en");
    expect(negotiateLocale("zh-CN,zh;q=0.9,en;q=0.8", "en")).toBe("zh-CN");
    expect(negotiateLocale("en;q=0.5, zh;q=0.9", "en")).toBe("zh-CN");
    expect(negotiateLocale("fr-FR, de", "zh-CN")).toBe("zh-CN");
    expect(negotiateLocale("fr-FR, de", "en")).toBe("en");
    expect(negotiateLocale("*", "zh-CN")).toBe("zh-CN");
  });
});

// ---------------------------------------------------------------- no words at throw sites

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The arguments of the call whose "(" is at `open`, as source text, split at top-level commas. */
function callArguments(source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === "`") {
      // Skip the literal (template literals with ${…} inside are skipped to their closing backtick, nesting aside).
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === "\\") i++;
    } else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) {
        args.push(source.slice(start, i));
        return args;
      }
      depth--;
    } else if (c === "," && depth === 0) {
      args.push(source.slice(start, i));
      start = i + 1;
    }
  }
  return args;
}

/** The calls that make a message a person reads, and which argument is its message. */
const MESSAGE_CALLS: Array<{ pattern: RegExp; argument: number }> = [
  { pattern: /\buserError\(/g, argument: 2 },
  { pattern: /\bnew UserError\(/g, argument: 2 },
  { pattern: /\.add\(/g, argument: 2 }, // InputErrors.add(field, code, key): a Set's add has one argument
  { pattern: /\bbadUserInput\(/g, argument: 1 },
  { pattern: /\bforbidden\(/g, argument: 0 },
  { pattern: /\bunauthenticated\(/g, argument: 0 },
  { pattern: /\bmessage\(/g, argument: 0 },
  { pattern: /\bsay\(/g, argument: 0 }, // the command line's (scripts/cli-language.ts)
  { pattern: /\bsayHere\(/g, argument: 0 }, // the process's own (start-up, shutdown: core/i18n/i18n.ts)
];

describe("throw sites", () => {
  it("name a catalogue key, never words", () => {
    const keys = new Set(Object.keys(CATALOGUES["zh-CN"]));
    const words: string[] = [];
    let calls = 0;
    for (const file of [...sources(path.join(ROOT, "src")), ...sources(path.join(ROOT, "scripts"))]) {
      const source = fs.readFileSync(file, "utf8");
      for (const { pattern, argument } of MESSAGE_CALLS) {
        for (const match of source.matchAll(pattern)) {
          if (/function\s+\w*\s*$/.test(source.slice(Math.max(0, match.index - 30), match.index + 1))) continue; // a definition
          const args = callArguments(source, match.index + match[0].length - 1);
          const arg = args[argument]?.trim();
          if (arg === undefined || (pattern.source === "\\.add\\(" && args.length < 3)) continue;
          calls++;
          const literal = /^(["'`])([\s\S]*)\1$/.exec(arg);
          if (literal && !keys.has(literal[2])) {
            words.push(`${path.relative(ROOT, file)}:${source.slice(0, match.index).split("\n").length}: ${arg.slice(0, 80)}`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
    expect(words).toEqual([]);
  });
});

/** The static text of a string or template literal (its `${…}` parts left out); null for anything else. */
function literalText(arg: string): string | null {
  const literal = /^(["'`])([\s\S]*)\1$/.exec(arg.trim());
  if (!literal) return null;
  if (literal[1] !== "`") return literal[2];
  let text = "";
  for (let i = 0, depth = 0; i < literal[2].length; i++) {
    const c = literal[2][i];
    if (depth === 0 && c === "$" && literal[2][i + 1] === "{") {
      depth = 1;
      i++;
    } else if (depth > 0 && c === "{") depth++;
    else if (depth > 0 && c === "}") depth--;
    else if (depth === 0) text += c;
  }
  return text;
}

/** Words a person reads: two English words in a row ("Backed up", "must be"), not a lone name, code or path. */
const SENTENCE = /[A-Za-z]{2,}[,:;]?\s+[A-Za-z]{2,}/;

/**
 * The other ways words reach a person: a command's output and problems (console, stdout, stderr),
 * a setting's problem (ConfigError), the errors a command prints, the start-up and shutdown lines
 * of the service's log. Developers' own errors (an invariant of the code, answered to a client as
 * INTERNAL_SERVER_ERROR with nothing of their words) may stay English, outside the files whose
 * errors are printed at start-up.
 */
const PRINTING_CALLS: Array<{ pattern: RegExp; argument: number; where?: RegExp }> = [
  { pattern: /\bconsole\.(?:log|error|warn|info)\(/g, argument: 0 },
  { pattern: /\bprocess\.(?:stdout|stderr)\.write\(/g, argument: 0 },
  { pattern: /\bnew ConfigError\(/g, argument: 1 },
  { pattern: /\bnew (?:ToolError|UsageError|EmbeddedPostgresError|CsvPlanError|SheetFileError|LocalizedProblem)\(/g, argument: 0 },
  // Errors a command prints as they are (scripts/), and the errors start-up prints ("Cannot start: …").
  { pattern: /\bnew (?:Error|TypeError)\(/g, argument: 0, where: /^(scripts|seeds)\/|^src\/(main|app|config|server)\.ts$|^src\/core\/db\/(database|embedded-postgres)\.ts$|^src\/core\/http\/trusted-documents\.ts$|^src\/explorer\// },
  // The service's start-up and shutdown lines (the message after a log line's fields).
  { pattern: /\blogger\.(?:info|warn|error|fatal)\(/g, argument: -1, where: /^src\/(main|app)\.ts$|^src\/core\/db\/embedded-postgres\.ts$/ },
  { pattern: /\blog\(/g, argument: 0, where: /^src\/core\/db\/embedded-postgres\.ts$/ },
];

describe("what a person reads", () => {
  it("is never an English sentence written into a print, a setting's problem or a printed error", () => {
    const words: string[] = [];
    let calls = 0;
    for (const file of [...sources(path.join(ROOT, "src")), ...sources(path.join(ROOT, "scripts")), ...sources(path.join(ROOT, "seeds"))]) {
      const relative = path.relative(ROOT, file);
      const source = fs.readFileSync(file, "utf8");
      for (const { pattern, argument, where } of PRINTING_CALLS) {
        if (where && !where.test(relative)) continue;
        for (const match of source.matchAll(pattern)) {
          if (/function\s+\w*\s*$/.test(source.slice(Math.max(0, match.index - 30), match.index + 1))) continue; // a definition
          const args = callArguments(source, match.index + match[0].length - 1);
          const arg = (argument < 0 ? args[args.length + argument] : args[argument])?.trim();
          if (!arg) continue;
          calls++;
          const text = literalText(arg);
          if (text !== null && SENTENCE.test(text)) words.push(`${relative}:${source.slice(0, match.index).split("\n").length}: ${arg.slice(0, 80)}`);
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(words).toEqual([]);
  });

  it("the scan sees what it looks for", () => {
    expect(literalText('"Backed up the database"')).toBe("Backed up the database");
    expect(literalText("`Restored ${file} into ${target}`")).toBe("Restored  into ");
    expect(literalText("`  ${say(\"cli.x\")}`")).toBe("  ");
    expect(literalText("say(\"cli.x\")")).toBeNull();
    expect(SENTENCE.test("Restored  into ")).toBe(true);
    expect(SENTENCE.test("  ")).toBe(false);
    expect(SENTENCE.test("KZ-S01")).toBe(false);
  });
});

// ---------------------------------------------------------------- HTTP

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token errors { field code message } } }`;
const REGIONS = `query ($where: RegionWhere) { regions(first: 1, where: $where) { totalCount } }`;

describe("over HTTP", () => {
  it("a UserError is Chinese without Accept-Language and English with Accept-Language: en, its code the same", async () => {
    const input = { username: "nobody-here", password: "not-the-password" };
    const zh = await t.graphql(LOGIN, { input });
    const en = await t.graphql(LOGIN, { input }, { headers: EN });
    const [zhError] = zh.data.login.errors;
    const [enError] = en.data.login.errors;
    expect({ field: zhError.field, code: zhError.code }).toEqual({ field: null, code: "LOGIN_FAILED" });
    expect({ field: enError.field, code: enError.code }).toEqual({ field: null, code: "LOGIN_FAILED" });
    expect(zhError.message).toBe("登录失败：用户名或密码错误，或失败次数过多。请等几分钟再试。");
    expect(enError.message).toBe("Sign-in failed: wrong username or password, or too many failed attempts. Wait a few minutes and try again.");
  });

  it("an input rule's UserError and BAD_USER_INPUT name the field and rule in either language", async () => {
    const input = { username: "a\u0000b", password: "x" };
    const zh = (await t.graphql(LOGIN, { input })).data.login.errors[0];
    const en = (await t.graphql(LOGIN, { input }, { headers: EN })).data.login.errors[0];
    expect(zh).toEqual({ field: "input.username", code: "CONTROL_CHARACTER", message: "input.username 不能含控制字符（包括换行和制表符）；在第 2 个字符处发现 U+0000" });
    expect(en).toEqual({ field: "input.username", code: "CONTROL_CHARACTER", message: "input.username must contain no control characters (line breaks and tabs included); found U+0000 at position 2" });

    const token = await t.tokenFor("commander");
    const where = { nameContains: "x".repeat(201) };
    const topZh = (await t.graphql(REGIONS, { where }, { token })).errors![0];
    const topEn = (await t.graphql(REGIONS, { where }, { token, headers: EN })).errors![0];
    for (const error of [topZh, topEn]) expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "where.nameContains", rule: "TOO_LONG" });
    expect(topZh.message).toBe("where.nameContains：最多 200 个字符（现有 201 个）");
    expect(topEn.message).toBe("where.nameContains: must be at most 200 characters (it has 201)");
  });

  it("UNAUTHENTICATED and FORBIDDEN are Chinese by default, English on request", async () => {
    const anonymous = await t.graphql(`{ me { name } }`);
    expect(anonymous.errors![0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.errors![0].message).toMatch(HAN);
    expect((await t.graphql(`{ me { name } }`, {}, { headers: EN })).errors![0].message).toMatch(/^Sign in first: anonymous requests may only use login/);

    const badToken = await t.graphql(`{ me { name } }`, {}, { token: "not-a-token" });
    expect(badToken.errors![0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    expect(badToken.errors![0].message).toMatch(HAN);

    const dashboard = await t.apiKeyFor("DASHBOARD");
    const mutation = `mutation { createApiKey(input: { name: "大屏", role: DASHBOARD }) { key errors { code } } }`;
    const zh = await t.graphql(mutation, {}, { token: dashboard });
    const en = await t.graphql(mutation, {}, { token: dashboard, headers: { "accept-language": "en-GB,en;q=0.9,zh;q=0.1" } });
    expect(zh.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(en.errors![0].extensions?.code).toBe("FORBIDDEN");
    expect(zh.errors![0].message).toBe("角色 DASHBOARD 不能执行此操作；允许的角色：ADMIN, ADMIN。");
    expect(en.errors![0].message).toBe("Role DASHBOARD may not do this; allowed: ADMIN, ADMIN.");
  });

  it("keeps the audit log in Chinese whatever the caller read", async () => {
    const dashboard = await t.apiKeyFor("DASHBOARD", "大屏 audit");
    await t.graphql(`mutation { createApiKey(input: { name: "审计", role: DASHBOARD }) { key } }`, {}, { token: dashboard, headers: EN });
    const [row] = await t.app.dataSource.query(`SELECT error_code, message FROM audit_entry WHERE operation = 'createApiKey' AND outcome = 'REFUSED' ORDER BY id DESC LIMIT 1`);
    expect(row).toEqual({ error_code: "FORBIDDEN", message: "角色 DASHBOARD 不能执行此操作；允许的角色：ADMIN, ADMIN。" });
  });
});

describe("graphql-js's own messages about a document (core/i18n/graphql-messages.ts)", () => {
  // Chinese by default, English on request; the code the same, graphql-js's English beside them in extensions.originalMessage.
  const cases: Array<[string, string, Record<string, unknown>, string, string, string]> = [
    ["an unknown field", `{ regions(first: 1) { totalCount nope } }`, {}, "GRAPHQL_VALIDATION_FAILED", '类型 "RegionConnection" 上没有字段 "nope"。是否想用 "nodes"？', 'Cannot query field "nope" on type "RegionConnection". Did you mean "nodes"?'],
    ["a syntax error", `{ regions(first: 1) { totalCount }`, {}, "GRAPHQL_PARSE_FAILED", "语法错误：此处应为 Name，却是 <EOF>。", "Syntax Error: Expected Name, found <EOF>."],
    ["a variable of the wrong type", `query ($n: Int) { regions(first: $n) { totalCount } }`, { n: "ten" }, "BAD_USER_INPUT", '变量 "$n" 的值 "ten" 无效：Int 只能表示整数，实际为 "ten"', 'Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"'],
    ["a missing required argument", `{ node { id } }`, {}, "GRAPHQL_VALIDATION_FAILED", '字段 "node" 缺少必填参数 "id"（类型 "ID!"）。', 'Field "node" argument "id" of type "ID!" is required, but it was not provided.'],
    ["an enum value that does not exist", `{ storageSites(first: 1, where: { tier: NOPE }) { totalCount } }`, {}, "GRAPHQL_VALIDATION_FAILED", '枚举 "SiteTier" 没有值 "NOPE"。', 'Value "NOPE" does not exist in "SiteTier" enum.'],
  ];
  it.each(cases)("%s", async (_name, query, variables, code, chinese, english) => {
    const token = await t.tokenFor("commander");
    const zh = (await t.graphql(query, variables, { token })).errors![0];
    const en = (await t.graphql(query, variables, { token, headers: EN })).errors![0];
    expect(zh.extensions?.code).toBe(code);
    expect(en.extensions?.code).toBe(code);
    expect(zh.message).toMatch(HAN);
    expect(zh.message).not.toBe(en.message);
    expect(zh.extensions?.originalMessage).toBe(en.message);
    expect(en.extensions?.originalMessage).toBe(en.message);
    expect(zh.message).toBe(chinese);
    expect(en.message).toBe(english);
  });

  it("the audit log keeps graphql-js's English, without the values it quotes, whatever the caller read", async () => {
    const secret = "13800138000";
    const answer = await t.graphql(LOGIN, { input: { username: "nobody", password: Number(secret) } });
    expect(answer.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(answer.errors![0].message).toMatch(/^变量 "\$input" 的值 .* 无效（在 "input.password" 处）：String 只能表示字符串/);
    const rows = await t.app.dataSource.query(`SELECT message FROM audit_entry WHERE request_id = $1`, [answer.headers.get("x-request-id")]);
    expect(rows).toEqual([{ message: 'Variable "$input" got an invalid value at "input.password".' }]);
  });

  it("the same over WebSocket, in the connection's language", async () => {
    const token = await t.tokenFor("commander");
    const zh = openSocket({}, { authorization: `Bearer ${token}` });
    const en = openSocket({}, { authorization: `Bearer ${token}`, language: "en" });
    const answers: any[] = [];
    for (const socket of [zh, en]) {
      await socket.next("connection_ack");
      socket.send({ id: "1", type: "subscribe", payload: { query: `subscription { stockLevelChanged { nope } }` } });
      answers.push((await socket.next("error")).payload[0]);
      socket.close();
    }
    expect(answers[0]).toMatchObject({ message: '类型 "StockLevelChange" 上没有字段 "nope"。', extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(answers[1]).toMatchObject({ message: 'Cannot query field "nope" on type "StockLevelChange".', extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
  });
});

describe("the explorer's page", () => {
  it("is labelled in the browser's language, Chinese unless it prefers English", async () => {
    const page = async (headers: Record<string, string>) => {
      const response = await fetch(t.url, { headers: { accept: "text/html", ...headers } });
      expect(response.headers.get("vary")).toMatch(/accept-language/);
      return response.text();
    };
    const zh = await page({});
    const en = await page({ "accept-language": "en-US,en;q=0.9" });
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain(">登录</button>");
    expect(JSON.parse(/<script type="application\/json" id="kz-labels">([^<]*)<\/script>/.exec(zh)![1]).notSignedIn).toBe("未登录");
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(">Sign in</button>");
    expect(JSON.parse(/<script type="application\/json" id="kz-labels">([^<]*)<\/script>/.exec(en)![1]).notSignedIn).toBe("not signed in");
    // The 搜索说明 panel's words (explorer.search.client.js reads them from the same labels).
    const labels = (html: string) => JSON.parse(/<script type="application\/json" id="kz-labels">([^<]*)<\/script>/.exec(html)![1]);
    expect(labels(zh)).toMatchObject({ "search.title": "搜索说明", "search.none": "没有结果", "search.count": "{{total}} 条结果" });
    expect(labels(en)).toMatchObject({ "search.title": "搜索说明 Search descriptions", "search.none": "No results", "search.count": "{{total}} results" });
    const script = fs.readFileSync(path.join(ROOT, "src/explorer/explorer.search.client.js"), "utf8").replace(/^\s*\/\/.*$/gm, "");
    const used = [...script.matchAll(/\blabel\("(\w+)"/g)].map((match) => `search.${match[1]}`);
    expect(used.length).toBeGreaterThan(8);
    for (const key of used) expect(Object.keys(labels(zh))).toContain(key);
    // No words of its own left in the panel's script: only the catalogue's.
    expect(script.match(/"[^"]*\p{Script=Han}[^"]*"|"[A-Z][a-z]+ [a-z]+[^"]*"/gu)).toBeNull();
  });
});

// ---------------------------------------------------------------- WebSocket

interface RawSocket {
  /** The server's messages, in order. */
  messages: Array<{ type: string; id?: string; payload?: any }>;
  next(type: string): Promise<{ type: string; id?: string; payload?: any }>;
  send(message: object): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** A graphql-ws connection by hand, to choose the upgrade's headers and read close reasons. */
function openSocket(headers: Record<string, string>, init: Record<string, unknown>): RawSocket {
  const ws = new WebSocket(t.url.replace(/^http/, "ws"), "graphql-transport-ws", { headers });
  const messages: RawSocket["messages"] = [];
  const waiting: Array<() => void> = [];
  ws.on("message", (data) => {
    messages.push(JSON.parse(String(data)));
    waiting.splice(0).forEach((wake) => wake());
  });
  ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: init })));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  let seen = 0;
  return {
    messages,
    closed,
    send: (message) => ws.send(JSON.stringify(message)),
    close: () => ws.close(),
    next(type) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} message: ${JSON.stringify(messages)}`)), 5000);
        const look = () => {
          const at = messages.findIndex((m, i) => i >= seen && m.type === type);
          if (at === -1) return void waiting.push(look);
          seen = at + 1;
          clearTimeout(timer);
          resolve(messages[at]);
        };
        look();
      });
    },
  };
}

const STOCK = `subscription ($where: StockLevelChangedWhere) { stockLevelChanged(where: $where) { asOf } }`;

describe("over WebSocket", () => {
  it("a missing credential closes the socket with a reason in the upgrade's language", async () => {
    const zh = await openSocket({}, {}).closed;
    const en = await openSocket({ "accept-language": "en" }, {}).closed;
    expect(zh.code).toBe(4401);
    expect(en.code).toBe(4401);
    expect(zh.reason).toMatch(HAN);
    expect(Buffer.byteLength(zh.reason)).toBeLessThanOrEqual(123);
    expect(en.reason).toBe("Unauthorized: send { authorization: 'Bearer <token or API key>' } in connection_init");
    // A bad token: its UNAUTHENTICATED message as the reason.
    const bad = await openSocket({}, { authorization: "Bearer nonsense" }).closed;
    expect(bad.code).toBe(4401);
    expect(bad.reason).toMatch(/^未授权：/);
  });

  it("an input rule's BAD_USER_INPUT and the wrong door are Chinese by default, English by Accept-Language or connection_init", async () => {
    const token = await t.tokenFor("commander");
    const sockets = {
      zh: openSocket({}, { authorization: `Bearer ${token}` }),
      byHeader: openSocket({ "accept-language": "en-US,en;q=0.8" }, { authorization: `Bearer ${token}` }),
      byInit: openSocket({ "accept-language": "zh-CN" }, { authorization: `Bearer ${token}`, language: "en" }),
    };
    const answers: Record<string, { error: any; door: any }> = {};
    for (const [name, socket] of Object.entries(sockets)) {
      await socket.next("connection_ack");
      socket.send({ id: "1", type: "subscribe", payload: { query: STOCK, variables: { where: { regionId: "not-an-id" } } } });
      socket.send({ id: "2", type: "subscribe", payload: { query: `{ me { name } }` } });
      // The door refuses the query with an `error` message; the subscription's arguments are refused as it starts, in a `next` with errors.
      await socket.next("complete");
      const answer = (id: string) => {
        const reply = socket.messages.find((m) => m.id === id && (m.type === "error" || m.type === "next"))!;
        return reply.type === "error" ? reply.payload[0] : reply.payload.errors[0];
      };
      answers[name] = { error: answer("1"), door: answer("2") };
      socket.close();
    }
    for (const { error, door } of Object.values(answers)) {
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "where.regionId", rule: "INVALID_ID" });
      expect(door.extensions?.code).toBe("BAD_REQUEST");
    }
    expect(answers.zh.error.message).toBe("where.regionId：不是本服务发出的 id（id 是不透明的：请原样传回收到的 id）");
    expect(answers.zh.door.message).toBe("WebSocket 只承载订阅；查询请用 HTTP POST /graphql 发送。");
    for (const name of ["byHeader", "byInit"]) {
      expect(answers[name].error.message).toBe("where.regionId: is not an id this service gave out (ids are opaque: pass one back as it was received)");
      expect(answers[name].door.message).toBe("Only subscriptions run over WebSocket; send queries with HTTP POST /graphql.");
    }
  });

  it("closes with FORBIDDEN (4403) in the connection's language when its key is revoked", async () => {
    const admin = await t.tokenFor("admin");
    const created = await t.graphql(`mutation { createApiKey(input: { name: "大屏 将被吊销", role: DASHBOARD }) { key apiKey { id } } }`, {}, { token: admin });
    const { key, apiKey } = created.data.createApiKey;
    const socket = openSocket({}, { authorization: `Bearer ${key}` });
    await socket.next("connection_ack");
    await t.graphql(`mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { errors { code } } }`, { id: apiKey.id }, { token: admin });
    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4403, reason: "禁止：这些凭据已被吊销、停用或已过期。" });
  });
});

// ---------------------------------------------------------------- the command line

describe("the command line", () => {
  it("takes --lang, then LC_ALL, LC_MESSAGES and LANG (C and POSIX say nothing), then DEFAULT_LOCALE, then Chinese", () => {
    const args = ["node", "import.ts", "stock", "--lang", "en", "file.csv"];
    expect(commandLineLocale(args, {})).toBe("en");
    expect(args).toEqual(["node", "import.ts", "stock", "file.csv"]);
    expect(commandLineLocale(["--lang=zh-CN"], { LANG: "en_US.UTF-8" })).toBe("zh-CN");
    expect(commandLineLocale([], {})).toBe("zh-CN");
    expect(commandLineLocale([], { LANG: "C.UTF-8" })).toBe("zh-CN");
    expect(commandLineLocale([], { LANG: "en_US.UTF-8" })).toBe("en");
    expect(commandLineLocale([], { LC_ALL: "zh_CN.UTF-8", LANG: "en_US.UTF-8" })).toBe("zh-CN");
    expect(commandLineLocale([], { LC_MESSAGES: "en_GB.UTF-8", LANG: "zh_CN.UTF-8" })).toBe("en");
    expect(commandLineLocale([], { LANG: "POSIX", DEFAULT_LOCALE: "en" })).toBe("en");
  });

  it("prints an import's problems in Chinese by default, in English with --lang en, the codes the same", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "kaizhou-i18n-"));
    try {
      fs.writeFileSync(path.join(work, "count.csv"), "站点编码,物资编码,批次,数量\nKZ-S01-P,1010101,B-1,十\n");
      const run = (args: string[], env: Record<string, string> = {}) =>
        new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["-r", "./scripts/register.js", "scripts/import.ts", "stock", "count.csv", ...args], {
            cwd: ROOT,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", INIT_CWD: work, DATABASE_URL: t.database.url, ...env },
          });
          let stderr = "";
          child.stderr.on("data", (chunk) => (stderr += chunk));
          child.on("close", (status) => resolve({ status, stderr }));
        });
      const zh = await run([]);
      expect(zh.status).toBe(1);
      expect(zh.stderr).toMatch(/count\.csv：发现 \d+ 个问题；没有写入任何内容。/);
      expect(zh.stderr).toContain(`第 2 行，数量: OUT_OF_RANGE — 数量必须是整数，实际为 "十"`);
      const en = await run(["--lang", "en"]);
      expect(en.status).toBe(1);
      expect(en.stderr).toContain(`row 2, 数量: OUT_OF_RANGE — 数量 must be a whole number, got "十"`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
