// One front door (core/http/front-door.ts): HTTP and WebSocket answer a bad or hostile document
// alike — the same code, the same message, a request id to quote — because both are built from
// one FrontDoor. Each case goes through both doors and the answers are compared.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { STOCK_LEVEL_CHANGED } from "../src/modules/reserves/reserves.events";
import { startTestApp, type TestApp } from "./support/app";
import { parseMetrics, sampleValue, scrape } from "./support/metrics";
import { clientFor, subscribe } from "./support/subscriptions";

/**
 * One connection for all the operations, as a wall screen keeps it (a lazy client closes the
 * socket when its last operation ends, and graphql-ws's client can lose one sent meanwhile).
 */
function socketFor(url: string, token: string): Client {
  return createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0, onNonLazyError: () => undefined });
}

interface Payload {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

type Answer = Array<{ message: string; locations?: unknown; extensions: Record<string, any> }>;

/** The first answer to a subscribe message: the errors of a refusal, or those of a result. */
function overWebSocket(client: Client, payload: Payload): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe(payload, {
      next: (result) => {
        dispose();
        if (result.errors) resolve(result.errors as unknown as Answer);
        else reject(new Error(`ran: ${JSON.stringify(result)}`));
      },
      error: (errors) => (Array.isArray(errors) ? resolve(errors as Answer) : reject(errors)),
      complete: () => undefined,
    });
  });
}

/** What both doors must agree on: everything but the request id, which each must have. */
const comparable = (errors: Answer) =>
  errors.map(({ extensions: { requestId, ...extensions }, ...error }) => {
    expect(requestId).toEqual(expect.stringMatching(/^[\w-]{1,64}$/));
    return { ...error, extensions };
  });

/** `levels` fragments on Region, each spreading the next twice: cost 2^levels, in a few hundred bytes. */
function fragmentBomb(root: string, levels = 40): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Region { ...F${i + 1} ...F${i + 1} }`);
  return [root, ...fragments, `fragment F${levels} on Region { name }`].join("\n");
}

describe("the same bad and hostile documents through both doors", () => {
  let t: TestApp;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    t = await startTestApp({}, { GRAPHQL_MAX_DEPTH: "6", GRAPHQL_MAX_COST: "5000", GRAPHQL_MAX_ALIASES: "3", GRAPHQL_MAX_OPERATIONS: "2", GRAPHQL_INTROSPECTION: "false" });
    token = await t.tokenFor("commander");
    client = socketFor(t.url, token);
  });
  afterAll(async () => {
    await client.dispose();
    await t.stop();
  });

  const overHttp = async (payload: Payload) => {
    const response = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(payload) });
    const body = (await response.json()) as { errors?: Answer };
    return { status: response.status, errors: body.errors!, requestId: response.headers.get("x-request-id") };
  };

  const deep = "subscription TooDeep { stockLevelChanged { level { site { region { parent { parent { name } } } } } } }";
  const sameAnswer: Array<[string, Payload, string]> = [
    ["unparsable", { query: "subscription Broken { stockLevelChanged { asOf " }, "GRAPHQL_PARSE_FAILED"],
    ["over GRAPHQL_MAX_TOKENS", { query: `subscription {${"a{".repeat(700)}b${"}".repeat(700)}}` }, "GRAPHQL_PARSE_FAILED"],
    ["invalid", { query: "subscription Invalid { stockLevelChanged { nothingHere } }" }, "GRAPHQL_VALIDATION_FAILED"],
    ["introspection, switched off", { query: "query Schema { __schema { queryType { name } } }" }, "GRAPHQL_VALIDATION_FAILED"],
    ["too deep", { query: deep }, "QUERY_TOO_COMPLEX"],
    ["too deep, as a query", { query: "query TooDeepQuery { regions(first: 1) { nodes { parent { parent { parent { parent { parent { name } } } } } } } }" }, "QUERY_TOO_COMPLEX"],
    ["too many aliases", { query: "subscription Aliased { stockLevelChanged { a: asOf b: asOf c: asOf d: asOf } }" }, "QUERY_TOO_COMPLEX"],
    ["a fragment bomb", { query: fragmentBomb("subscription Bomb { stockLevelChanged { level { site { region { ...F0 } } } } }") }, "QUERY_TOO_COMPLEX"],
    ["a fragment bomb, as a query", { query: fragmentBomb("query BombQuery { regions(first: 1) { nodes { ...F0 } } }") }, "QUERY_TOO_COMPLEX"],
    ["too many operations", { query: "subscription A { stockLevelChanged { asOf } } subscription B { stockLevelChanged { asOf } } subscription C { stockLevelChanged { asOf } }", operationName: "A" }, "QUERY_TOO_COMPLEX"],
    ["an unknown operationName", { query: "subscription A { stockLevelChanged { asOf } }", operationName: "B" }, "OPERATION_RESOLUTION_FAILURE"],
    ["several operations, none named", { query: "subscription A { stockLevelChanged { asOf } } subscription B { stockLevelChanged { asOf } }" }, "OPERATION_RESOLUTION_FAILURE"],
  ];

  it.each(sameAnswer)("answers %s alike, each with its request id", async (_name, payload, code) => {
    const http = await overHttp(payload);
    const ws = await overWebSocket(client, payload);
    expect(http.status).toBe(400);
    expect(http.errors[0].extensions.code).toBe(code);
    expect(http.errors[0].extensions.requestId).toBe(http.requestId);
    expect(comparable(ws)).toEqual(comparable(http.errors));
  });

  it("names the limit and its setting on both doors", async () => {
    const [refusal] = await overWebSocket(client, { query: deep });
    expect(refusal).toMatchObject({ message: "Query depth: 7 exceeds the limit of 6 (setting GRAPHQL_MAX_DEPTH).", extensions: { measured: 7, limit: 6, setting: "GRAPHQL_MAX_DEPTH" } });
    const [introspection] = await overWebSocket(client, { query: "{ __type(name: \"Query\") { name } }" });
    expect(introspection.message).toBe("Introspection is switched off on this service (setting GRAPHQL_INTROSPECTION); the document asks for __type.");
  });

  it("refuses an argument and a variable as the HTTP door does, by the same rule", async () => {
    const badId = { message: "where.siteId: is not an id this service gave out (ids are opaque: pass one back as it was received)", code: "BAD_USER_INPUT", field: "where.siteId", rule: "INVALID_ID" };
    const shape = ([error]: Answer) => ({ message: error.message, code: error.extensions.code, field: error.extensions.field, rule: error.extensions.rule });
    expect(shape((await overHttp({ query: `{ stockLevels(first: 1, where: { siteId: "garbage" }) { totalCount } }` })).errors)).toEqual(badId);
    expect(shape(await overWebSocket(client, { query: `subscription { stockLevelChanged(where: { siteId: "garbage" }) { asOf } }` }))).toEqual(badId);

    const badTier = { message: 'Variable "$tier" got invalid value "NOPE"; Value "NOPE" does not exist in "SiteTier" enum.', code: "BAD_USER_INPUT", field: undefined, rule: undefined };
    const http = await overHttp({ query: "query ($tier: SiteTier) { storageSites(first: 1, where: { tier: $tier }) { totalCount } }", variables: { tier: "NOPE" } });
    expect(http.status).toBe(400);
    expect(shape(http.errors)).toEqual(badTier);
    expect(shape(await overWebSocket(client, { query: "subscription ($tier: SiteTier) { stockLevelChanged(where: { tier: $tier }) { asOf } }", variables: { tier: "NOPE" } }))).toEqual(badTier);
  });

  it("sends each door's operations to it: queries and mutations to HTTP, subscriptions to WebSocket", async () => {
    const [query] = await overWebSocket(client, { query: "query Me { me { role } }" });
    expect(query).toMatchObject({ message: "Only subscriptions run over WebSocket; send queries with HTTP POST /graphql.", extensions: { code: "BAD_REQUEST" } });
    const [mutation] = await overWebSocket(client, { query: `mutation { login(input: { username: "x", password: "y" }) { token } }` });
    expect(mutation).toMatchObject({ message: "Only subscriptions run over WebSocket; send mutations with HTTP POST /graphql.", extensions: { code: "BAD_REQUEST", requestId: expect.any(String) } });
    const http = await overHttp({ query: "subscription { stockLevelChanged { asOf } }" });
    expect(http.status).toBe(400);
    expect(http.errors[0]).toMatchObject({ message: expect.stringMatching(/^Subscriptions run over WebSocket/), extensions: { code: "BAD_REQUEST", requestId: http.requestId } });
    // Nothing ran: no login was attempted.
    const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM login_failure WHERE username = 'x'");
    expect(n).toBe(0);
  });

  it("takes the client's request id when it is well formed: extensions.requestId over WebSocket, as X-Request-Id over HTTP", async () => {
    const http = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "wall-7-req-1" }, body: JSON.stringify({ query: "{ nothingHere }" }) });
    expect(((await http.json()) as { errors: Answer }).errors[0].extensions.requestId).toBe("wall-7-req-1");
    const [refusal] = await overWebSocket(client, { query: "subscription { stockLevelChanged { nothingHere } }", extensions: { requestId: "wall-7-op-1" } });
    expect(refusal.extensions.requestId).toBe("wall-7-op-1");
    const [fresh] = await overWebSocket(client, { query: "subscription { stockLevelChanged { nothingHere } }", extensions: { requestId: "not well formed!" } });
    expect(fresh.extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("masks an internal error of a running subscription and gives its request id to quote", async () => {
    const chosen = "wall-7-op-2";
    let stop = () => undefined as void;
    const errors = new Promise<Answer>((resolve) => {
      stop = client.subscribe({ query: "subscription Broken { stockLevelChanged { asOf } }", extensions: { requestId: chosen } }, { next: (result) => resolve(result.errors as unknown as Answer), error: (e) => resolve(e as Answer), complete: () => undefined });
    });
    // A round trip on the socket: Broken is running once the second one is.
    const second = await subscribe(client, "subscription Second { stockLevelChanged { operationIds } }");
    // An event the resolver cannot answer (a time that is none): the kind of fault only the log may explain.
    t.app.events.publish(STOCK_LEVEL_CHANGED, { level: { id: 1, districtId: 1, siteId: 1, itemId: 1, minimumQuantity: 0, onHand: 0, reserved: 0, earliestExpiry: null, inTransit: 0, updatedAt: "2025-01-01T00:00:00Z" }, siteRegionPath: "/1/", siteTier: "DISTRICT", causes: [], operationIds: [], asOf: "no time at all" });
    const [error] = await errors;
    stop();
    await second.close();
    expect(error).toMatchObject({ message: `Internal error. Quote request id ${chosen} when reporting it.`, extensions: { code: "INTERNAL_SERVER_ERROR", requestId: chosen } });
    expect(JSON.stringify(error)).not.toMatch(/no time at all|stack|\.ts/);
  });

  it("counts both doors' operations and errors in /metrics alike", async () => {
    const samples = parseMetrics((await scrape(t.url)).text);
    // TooDeep went through each door once (and once more over WebSocket for its message).
    expect(sampleValue(samples, "kaizhou_graphql_operations_total", { operation: "TooDeep", type: "subscription" })).toBe(3);
    expect(sampleValue(samples, "kaizhou_graphql_errors_total", { operation: "TooDeep", code: "QUERY_TOO_COMPLEX" })).toBe(3);
    expect(sampleValue(samples, "kaizhou_graphql_errors_total", { operation: "BombQuery", code: "QUERY_TOO_COMPLEX" })).toBe(2);
    expect(sampleValue(samples, "kaizhou_graphql_errors_total", { operation: "Broken", code: "INTERNAL_SERVER_ERROR" })).toBe(1);
  });

  it("refuses an anonymous WebSocket at connection_init, as HTTP refuses an anonymous query", async () => {
    const http = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { role } }" }) });
    expect(((await http.json()) as { errors: Answer }).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const anonymous = clientFor(t.url, "");
    try {
      const closed = await new Promise<{ code: number }>((resolve) => anonymous.subscribe({ query: "subscription { stockLevelChanged { asOf } }" }, { next: () => undefined, error: (e) => resolve(e as { code: number }), complete: () => undefined }));
      expect(closed.code).toBe(4401);
    } finally {
      await anonymous.dispose();
    }
  });
});

it("counts WebSocket operations against the identity's rate limit, with HTTP requests, and shows them in /metrics", async () => {
  const limited = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "12" });
  const key = await limited.apiKeyFor("DASHBOARD");
  const client = socketFor(limited.url, key);
  try {
    // A burst of 10 (a quarter of the minute's allowance, at least 10): 5 requests and 5 subscriptions take it.
    for (let i = 0; i < 5; i++) expect((await limited.graphql("query Who { me { role } }", {}, { token: key })).status).toBe(200);
    const watching = await Promise.all(Array.from({ length: 5 }, () => subscribe(client, "subscription Watch { stockLevelChanged { asOf } }")));
    const [refusal] = await overWebSocket(client, { query: "subscription Watch { stockLevelChanged { asOf } }" });
    expect(refusal).toMatchObject({ message: expect.stringMatching(/^Too many requests: at most 12 a minute \(setting RATE_LIMIT_PER_MINUTE\)\. Retry after \d+ s\.$/), extensions: { code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number), requestId: expect.any(String) } });
    const http = await limited.graphql("query Who { me { role } }", {}, { token: key });
    expect(http.status).toBe(429);
    expect(http.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Too many requests: at most 12 a minute/), extensions: { code: "RATE_LIMITED", requestId: http.headers.get("x-request-id") } });
    // Another identity has a bucket of its own, on either door.
    const other = clientFor(limited.url, await limited.apiKeyFor("DASHBOARD", "another wall"));
    const running = await subscribe(other, "subscription Watch { stockLevelChanged { asOf } }");

    const samples = parseMetrics((await scrape(limited.url)).text);
    expect(sampleValue(samples, "kaizhou_rate_limited_total", { door: "websocket" })).toBe(1);
    expect(sampleValue(samples, "kaizhou_rate_limited_total", { door: "http" })).toBe(1);
    expect(sampleValue(samples, "kaizhou_graphql_operations_total", { operation: "Watch", type: "subscription" })).toBe(6);
    expect(sampleValue(samples, "kaizhou_graphql_operations_total", { operation: "Who", type: "query" })).toBe(5);
    expect(sampleValue(samples, "kaizhou_graphql_subscriptions_active")).toBe(6);
    await Promise.all([...watching, running].map((s) => s.close()));
    await other.dispose();
  } finally {
    await client.dispose();
    await limited.stop();
  }
});
