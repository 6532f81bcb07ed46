// The log lines a person reads: each GraphQL request (HTTP) and WebSocket operation has one,
// with an ISO time, the path, the operation, who (an account's username or an API key's name,
// never the token), the client's address (X-Forwarded-For only from a trusted proxy), the outcome
// with its codes and status, and the duration — and no personal data: no names, phones or ID
// numbers of members, no variables, no tokens or passwords. Lines are read from the logger's own
// output stream, as pino writes them.
import { Writable } from "node:stream";
import pino from "pino";
import { loadConfig } from "../src/config";
import { toGlobalId } from "../src/core/graphql/relay";
import { createLogger, logger } from "../src/core/ops/logger";
import { requestLine } from "../src/core/ops/request-log";
import { DEMO_PASSWORD, startTestApp, type TestApp } from "./support/app";
import { clientFor, subscribe } from "./support/subscriptions";

let t: TestApp;
let lines: string[] = [];
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  // Tests log warnings only (setup-env.ts); request lines are info.
  logger.level = "info";
  const stream = (logger as unknown as Record<symbol, { write(line: string): unknown }>)[pino.symbols.streamSym];
  const write = stream.write.bind(stream);
  stream.write = (line: string) => {
    lines.push(line);
    return true;
  };
  restoreOutput = () => {
    stream.write = write;
  };
});
let restoreOutput = () => {};
afterAll(async () => {
  restoreOutput();
  logger.level = "warn";
  await t.stop();
});
beforeEach(() => {
  lines = [];
});

/** The parsed request lines of a request (by its id), waiting for the response's finish event. */
async function requestLines(requestId: string, door = "http"): Promise<Array<Record<string, any>>> {
  for (let i = 0; i < 50; i++) {
    const found = lines.map((line) => JSON.parse(line)).filter((line) => line.requestId === requestId && line.door === door);
    if (found.length) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log line for ${requestId}: ${lines.join("")}`);
}

const STOCK = `query SiteStock { storageSites(first: 2) { nodes { code name } } }`;

it("logs a named account's query: ISO time, path, operation, account and role, client address, ok, status and duration, and no token", async () => {
  const token = await t.tokenFor("logistics");
  const result = await t.graphql(STOCK, {}, { token, headers: { "x-request-id": "log-account-1" } });
  expect(result.errors).toBeUndefined();
  const [line] = await requestLines("log-account-1");
  expect(line).toEqual(
    expect.objectContaining({
      level: 30,
      time: expect.stringMatching(ISO_TIME),
      requestId: "log-account-1",
      door: "http",
      method: "POST",
      path: "/graphql",
      operation: "SiteStock",
      operationType: "query",
      fields: ["storageSites"],
      account: "logistics",
      role: "LOGISTICS",
      client: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/),
      outcome: "ok",
      status: 200,
      ms: expect.any(Number),
      sql: expect.any(Number),
    }),
  );
  expect(line.msg).toMatch(/^POST \/graphql query SiteStock by account logistics from \S+: ok, 200, [\d.]+ ms$/);
  expect(line).not.toHaveProperty("codes");
  const text = JSON.stringify(line);
  expect(text).not.toContain(token);
  expect(text).not.toContain(DEMO_PASSWORD);
  // The answer (site names) is not logged either.
  expect(text).not.toContain(result.data.storageSites.nodes[0].name);
});

it("logs an API key by its name, never the key; a refused operation as error with its code", async () => {
  const key = await t.apiKeyFor("DASHBOARD", "大屏-指挥中心");
  await t.graphql(STOCK, {}, { token: key, headers: { "x-request-id": "log-key-1" } });
  const [line] = await requestLines("log-key-1");
  expect(line).toEqual(expect.objectContaining({ apiKeyName: "大屏-指挥中心", role: "DASHBOARD", operation: "SiteStock", outcome: "ok" }));
  expect(line).not.toHaveProperty("account");
  expect(JSON.stringify(line)).not.toContain(key);

  const refused = await t.graphql(`mutation Close { reopenRoad(input: { closureId: "X" }) { errors { code } } }`, {}, { token: key, headers: { "x-request-id": "log-key-2" } });
  expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  const [forbidden] = await requestLines("log-key-2");
  expect(forbidden).toEqual(expect.objectContaining({ apiKeyName: "大屏-指挥中心", operation: "Close", operationType: "mutation", outcome: "error", codes: ["FORBIDDEN"], status: 200 }));
  expect(forbidden.msg).toContain("by API key 大屏-指挥中心");

  const anonymous = await t.graphql(STOCK, {}, { token: "not-a-token", headers: { "x-request-id": "log-bad-1" } });
  expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  const [bad] = await requestLines("log-bad-1");
  expect(bad).toEqual(expect.objectContaining({ caller: "invalid credentials", outcome: "error", codes: ["UNAUTHENTICATED"] }));
  expect(JSON.stringify(bad)).not.toContain("not-a-token");
});

it("logs addTeamMember — a mutation carrying a name, a phone and an ID number — without any of them, its user errors by code", async () => {
  const admin = await t.tokenFor("admin");
  const [team] = await t.app.dataSource.query(`SELECT id FROM rescue_team WHERE code = 'KZ-TT-S02'`);
  const ADD = `mutation AddMember($input: AddTeamMemberInput!) { addTeamMember(input: $input) { member { id name phone idNumber } errors { field code } } }`;
  const input = { teamId: toGlobalId("RescueTeam", team.id), name: "欧阳明华", employmentMode: "VOLUNTEER", phone: "13912345678", idNumber: "500154199001011232" };
  const added = await t.graphql(ADD, { input }, { token: admin, headers: { "x-request-id": "log-member-1" } });
  expect(added.data.addTeamMember.errors).toEqual([]);
  expect(added.data.addTeamMember.member.idNumber).toBe(input.idNumber);
  const [line] = await requestLines("log-member-1");
  expect(line).toEqual(expect.objectContaining({ operation: "AddMember", operationType: "mutation", fields: ["addTeamMember"], account: "admin", role: "ADMIN", outcome: "ok", status: 200 }));

  // The same number again: rejected with a user error (a code, no value), and a phone that is no phone.
  const again = await t.graphql(ADD, { input: { ...input, phone: "1391234" } }, { token: admin, headers: { "x-request-id": "log-member-2" } });
  const codes = again.data.addTeamMember.errors.map((e: { code: string }) => e.code);
  expect(codes.length).toBeGreaterThan(0);
  const [rejected] = await requestLines("log-member-2");
  expect(rejected).toEqual(expect.objectContaining({ operation: "AddMember", outcome: "user_errors", codes: [...new Set(codes)] }));
  expect(rejected.msg).toContain(`user_errors [${[...new Set(codes)].join(", ")}]`);

  // Variables that do not fit the schema: GraphQL's own message quotes the whole input; the log line does not.
  const invalid = await t.graphql(ADD, { input: { ...input, name: undefined } }, { token: admin, headers: { "x-request-id": "log-member-3" } });
  expect(invalid.errors?.[0].message).toContain(input.phone);
  const [badInput] = await requestLines("log-member-3");
  expect(badInput).toEqual(expect.objectContaining({ operation: "AddMember", outcome: "error", codes: ["BAD_USER_INPUT"] }));

  const logged = lines.join("");
  for (const value of [input.name, input.phone, input.idNumber, "1391234", admin]) expect(logged).not.toContain(value);
});

it("names the client behind a trusted proxy (X-Forwarded-For from loopback), and logs a batch's operations each with its outcome", async () => {
  const token = await t.tokenFor("logistics");
  await t.graphql(STOCK, {}, { token, headers: { "x-request-id": "log-proxy-1", "x-forwarded-for": "203.0.113.7" } });
  const [line] = await requestLines("log-proxy-1");
  expect(line.client).toBe("203.0.113.7");

  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "log-batch-1" },
    body: JSON.stringify([{ query: STOCK }, { query: `query Broken { storageSites(first: -1) { nodes { code } } }` }]),
  });
  expect(response.status).toBe(200);
  const [batch] = await requestLines("log-batch-1");
  // In the order they finished (the operations of a batch run concurrently).
  expect(batch.operations).toHaveLength(2);
  expect(batch.operations).toEqual(
    expect.arrayContaining([
      { operation: "SiteStock", operationType: "query", fields: ["storageSites"], outcome: "ok", codes: [] },
      { operation: "Broken", operationType: "query", fields: ["storageSites"], outcome: "error", codes: ["BAD_USER_INPUT"] },
    ]),
  );
  expect(batch.outcome).toBe("error");
});

it("logs a WebSocket operation the same way: account, client, operation, outcome, duration", async () => {
  const token = await t.tokenFor("logistics");
  const client = clientFor(t.url, token);
  try {
    const subscriber = await subscribe(client, `subscription Watch { stockLevelChanged { asOf } }`);
    await subscriber.close();
    let line: Record<string, any> | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = lines.map((l) => JSON.parse(l)).find((l) => l.door === "websocket" && l.event === "ended");
      if (!line) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const all = lines.map((l) => JSON.parse(l)).filter((l) => l.door === "websocket");
    expect(all.map((l) => l.event)).toEqual(["subscribed", "ended"]);
    for (const entry of all) {
      expect(entry).toEqual(
        expect.objectContaining({
          time: expect.stringMatching(ISO_TIME),
          path: "/graphql",
          operation: "Watch",
          operationType: "subscription",
          fields: ["stockLevelChanged"],
          account: "logistics",
          role: "LOGISTICS",
          client: expect.stringMatching(/127\.0\.0\.1|::1/),
          outcome: "ok",
          ms: expect.any(Number),
        }),
      );
    }
    expect(all[1].requestId).toBe(all[0].requestId);
    expect(lines.join("")).not.toContain(token);
  } finally {
    await client.dispose();
  }
});

describe("LOG_FORMAT", () => {
  it("pretty writes a line a person reads: local time, level, what happened, then the fields", () => {
    let written = "";
    const destination = new Writable({
      write(chunk, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const pretty = createLogger({ format: "pretty", destination: destination as unknown as pino.DestinationStream });
    const line = requestLine({
      door: "http",
      requestId: "r-1",
      method: "POST",
      path: "/graphql",
      status: 200,
      client: "10.0.0.8",
      ms: 12.34,
      sql: 3,
      notes: { caller: { kind: "ACCOUNT", name: "logistics", role: "LOGISTICS" }, operations: [{ name: "AddMember", type: "mutation", fields: ["addTeamMember"], outcome: "user_errors", codes: ["DUPLICATE"] }] },
    });
    pretty.info(line.fields, line.message);
    expect(written).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d{4}\] INFO: POST \/graphql mutation AddMember by account logistics from 10\.0\.0\.8: user_errors \[DUPLICATE\], 200, 12\.3 ms /);
    expect(written).toContain('"account":"logistics"');
    expect(written.trimEnd().split("\n")).toHaveLength(1);
    expect(written).not.toContain("kaizhou-emergency-resources"); // pid, hostname and service left out
  });

  it("json (the default) writes one JSON object a line with an ISO time; other values stop the start", () => {
    let written = "";
    const json = createLogger({ destination: { write: (chunk: string) => void (written += chunk) } });
    json.info({ token: "secret-token", variables: { phone: "13912345678" } }, "hello");
    const parsed = JSON.parse(written);
    expect(parsed).toEqual(expect.objectContaining({ msg: "hello", time: expect.stringMatching(ISO_TIME), token: "[redacted]", variables: "[redacted]" }));
    expect(() => loadConfig({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT: must be one of json, pretty, got "xml"/);
    expect(() => loadConfig({ LOG_FORMAT: "pretty" })).not.toThrow();
  });

  it("logs a database error without the values it carries (parameters, detail, the quoted value)", () => {
    let written = "";
    const json = createLogger({ destination: { write: (chunk: string) => void (written += chunk) } });
    const error = Object.assign(new Error('invalid input syntax for type bigint: "13912345678"'), {
      code: "22P02",
      parameters: ["欧阳明华", "500154199001011232"],
      detail: "Key (id_number)=(500154199001011232) already exists.",
      constraint: "UQ_member",
    });
    json.error({ err: error }, "internal error");
    const parsed = JSON.parse(written);
    expect(parsed.err).toEqual(expect.objectContaining({ type: "Error", code: "22P02", constraint: "UQ_member", message: "invalid input syntax for type bigint: …" }));
    for (const value of ["13912345678", "欧阳明华", "500154199001011232"]) expect(written).not.toContain(value);
  });
});
