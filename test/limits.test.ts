// Protection of the public endpoint: each refused query names the measured figure and the limit.
import { createPubSub } from "@graphql-yoga/subscription";
import { getOperationAST, parse, visit, type GraphQLSchema } from "graphql";
import { measureQuery } from "../src/core/graphql/limits";
import { createSchema } from "../src/schema";
import { startTestApp, type TestApp } from "./support/app";
import { clientFor } from "./support/subscriptions";

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp({}, { GRAPHQL_MAX_DEPTH: "6", GRAPHQL_MAX_COST: "5000", GRAPHQL_MAX_ALIASES: "3", GRAPHQL_MAX_OPERATIONS: "2", REQUEST_BODY_LIMIT_BYTES: "4096" });
  token = await t.apiKeyFor("DASHBOARD");
});
afterAll(() => t.stop());

const gql = (query: string, variables?: Record<string, unknown>) => t.graphql(query, variables, { token });

it("lets an honest dashboard query through", async () => {
  const result = await gql(`{ regions(first: 40, where: { level: TOWNSHIP }) { totalCount nodes { code name parent { name } } } }`);
  expect(result.errors).toBeUndefined();
  expect(result.data.regions.nodes).toHaveLength(40);
});

it("refuses a query deeper than the limit", async () => {
  const result = await gql(`{ regions(first: 1) { nodes { parent { parent { parent { parent { parent { parent { name } } } } } } } } }`);
  expect(result.status).toBe(400);
  expect(result.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", measured: 9, limit: 6, setting: "GRAPHQL_MAX_DEPTH" });
  expect(result.errors?.[0].message).toBe("Query depth: 9 exceeds the limit of 6 (setting GRAPHQL_MAX_DEPTH).");
});

it("multiplies cost by the page sizes asked for, also through variables", async () => {
  const query = `query ($n: Int) { regions(first: $n) { nodes { children(first: 100) { nodes { name } } } } }`;
  const cheap = await gql(query, { n: 2 });
  expect(cheap.errors).toBeUndefined();
  const costly = await gql(query, { n: 100 });
  expect(costly.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", setting: "GRAPHQL_MAX_COST", limit: 5000 });
  expect(costly.errors?.[0].extensions?.measured).toBeGreaterThan(5000);
  // Left out, a variable counts at its declared default, as it runs.
  const byDefault = await gql(`query ($n: Int = 100) { regions(first: $n) { nodes { children(first: 100) { nodes { name } } } } }`);
  expect(byDefault.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", setting: "GRAPHQL_MAX_COST", measured: costly.errors?.[0].extensions?.measured });
  const cheapDefault = await gql(`query ($n: Int = 2) { regions(first: $n) { nodes { children(first: 100) { nodes { name } } } } }`);
  expect(cheapDefault.errors).toBeUndefined();
  // Paging back asks for as many: `last` multiplies as `first` does.
  const back = await gql(`query ($n: Int) { regions(last: $n) { nodes { children(last: 100) { nodes { name } } } } }`, { n: 100 });
  expect(back.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", setting: "GRAPHQL_MAX_COST", limit: 5000 });
});

it("refuses too many aliases", async () => {
  const result = await gql(`{ a: regions(first: 1) { totalCount } b: regions(first: 1) { totalCount } c: regions(first: 1) { totalCount } d: regions(first: 1) { totalCount } }`);
  expect(result.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", measured: 4, limit: 3, setting: "GRAPHQL_MAX_ALIASES" });
});

it("caps operations per document and per batch", async () => {
  const manyOps = await gql(`query A { me { role } } query B { me { role } } query C { me { role } }`);
  expect(manyOps.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", measured: 3, limit: 2 });
  const batch = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify([1, 2, 3].map(() => ({ query: "{ me { role } }" }))),
  });
  expect(batch.status).toBe(400);
  expect(((await batch.json()) as any).errors[0].message).toMatch(/Operations in one request: 3 exceeds the limit of 2/);
  const okBatch = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify([1, 2].map(() => ({ query: "{ me { role } }" }))),
  });
  expect(((await okBatch.json()) as any[]).map((r) => r.data.me.role)).toEqual(["DASHBOARD", "DASHBOARD"]);
});

it("refuses a body over the size limit with 413", async () => {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `{ me { role } }`, variables: { padding: "x".repeat(5000) } }),
  });
  expect(response.status).toBe(413);
  const body = (await response.json()) as any;
  expect(body.errors[0]).toMatchObject({ extensions: { code: "PAYLOAD_TOO_LARGE", limit: 4096 } });
});

it("answers a tampered cursor as bad input, not an internal error", async () => {
  const cursor = Buffer.from(JSON.stringify(["KZ", "not-a-number"])).toString("base64url");
  const result = await gql(`query ($after: String) { regions(first: 1, after: $after) { nodes { code } } }`, { after: cursor });
  expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  expect(result.errors?.[0].message).toMatch(/^after: is not a cursor/);
});

it("masks internal errors but gives the request id to quote", async () => {
  // The database failing under a resolver (a table gone missing) is an internal error.
  await t.database.asOwner("ALTER TABLE region RENAME TO region_away");
  let result;
  try {
    result = await gql(`{ regions(first: 1) { nodes { code } } }`);
  } finally {
    await t.database.asOwner("ALTER TABLE region_away RENAME TO region");
  }
  const error = result.errors?.[0];
  expect(error?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
  expect(error?.message).toMatch(/^Internal error\. Quote request id [\w-]+/);
  expect(error?.extensions?.requestId).toBe(result.headers.get("x-request-id"));
  expect(JSON.stringify(result.errors)).not.toMatch(/stack|SELECT|\.ts|node_modules|region_away|relation/i);
});

it("rate-limits each identity with 429 and Retry-After", async () => {
  const limited = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "12" });
  try {
    const key = await limited.apiKeyFor("DASHBOARD");
    const other = await limited.apiKeyFor("DASHBOARD", "another dashboard");
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof limited.graphql>> | undefined;
    for (let i = 0; i < 12; i++) {
      last = await limited.graphql(`{ me { role } }`, {}, { token: key });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10); // the burst allowance
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(last!.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    // Another identity is not affected.
    expect((await limited.graphql(`{ me { role } }`, {}, { token: other })).status).toBe(200);
  } finally {
    await limited.stop();
  }
});

describe("fragment bombs (fragments that each spread the next one more than once)", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema(Object.assign(createPubSub(), { close: async () => undefined }));
  });

  /** `levels` fragments on Region, each spreading the next as `spreads` returns; the last selects a name. */
  function bomb(levels: number, spreads: (next: string) => string, root = "query Bomb { regions(first: 1) { nodes { ...F0 } } }"): string {
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Region { ${spreads(`F${i + 1}`)} }`);
    return [root, ...fragments, `fragment F${levels} on Region { name }`].join("\n");
  }
  const nested = (levels: number) => bomb(levels, (next) => `parent { ...${next} } path { ...${next} }`);
  const flat = (levels: number) => bomb(levels, (next) => `...${next} ...${next}`);
  const variants: Record<string, string> = {
    "nested, 25 levels": nested(25),
    "nested, 40 levels": nested(40),
    "flat, 40 levels": flat(40),
    "aliased, 40 levels": bomb(40, (next) => `a: parent { ...${next} } b: parent { ...${next} }`),
    "inline fragments, 40 levels": bomb(40, (next) => `... on Region { ...${next} } ... { code ...${next} }`),
    "wide, 10 spreads a level, 14 levels": bomb(14, (next) => Array.from({ length: 10 }, () => `...${next}`).join(" ")),
  };

  const nodesIn = (document: ReturnType<typeof parse>) => {
    let nodes = 0;
    visit(document, { enter: () => void nodes++ });
    return nodes;
  };

  it.each(Object.entries(variants))("measures the %s bomb visiting no more nodes than twice the document has", (_name, source) => {
    const document = parse(source);
    const measured = measureQuery(schema, document, getOperationAST(document), {});
    expect(measured.visitedNodes).toBeLessThanOrEqual(2 * nodesIn(document));
    expect(measured.cost).toBeGreaterThan(2 ** 25); // what the fragments expand to, not what is written
  });

  it("keeps what depth and cost mean: every spread counts, each level one deeper", () => {
    for (const levels of [25, 40]) {
      const document = parse(nested(levels));
      // regions, nodes, one level per fragment, name; each fragment costs two of the next plus its two fields.
      expect(measureQuery(schema, document, getOperationAST(document), {})).toMatchObject({ depth: levels + 3, cost: 3 * 2 ** levels, aliases: 0, operations: 1 });
    }
    const document = parse(flat(40));
    expect(measureQuery(schema, document, getOperationAST(document), {})).toMatchObject({ depth: 3, cost: 2 ** 40 + 2 });
  });

  it("refuses the bomb over HTTP without running it", async () => {
    const result = await gql(flat(40));
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", measured: 2 ** 40 + 2, limit: 5000, setting: "GRAPHQL_MAX_COST" });
    expect(result.data).toBeUndefined();
    expect(result.sqlStatements).toBe(0); // regions would have read the database

    const deep = await gql(nested(25));
    expect(deep.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", measured: 28, setting: "GRAPHQL_MAX_DEPTH" });
    expect(deep.sqlStatements).toBe(0);
  });

  it("refuses an anonymous bomb sent through login before the sign-in runs", async () => {
    const failures = async () => Number((await t.app.dataSource.query("SELECT count(*) AS n FROM login_failure WHERE username = 'bomb-thrower'"))[0].n);
    const source = bomb(40, (next) => `...${next} ...${next}`, `mutation { login(input: { username: "bomb-thrower", password: "x" }) { account { scopeRegion { ...F0 } } } }`);
    const result = await t.graphql(source);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", setting: "GRAPHQL_MAX_COST" });
    expect(await failures()).toBe(0); // a sign-in that ran and failed would have been counted
  });

  it("refuses the bomb as a subscription over WebSocket", async () => {
    const client = clientFor(t.url, await t.tokenFor("commander"));
    const source = bomb(40, (next) => `...${next} ...${next}`, "subscription { stockLevelChanged { level { site { region { ...F0 } } } } }");
    try {
      const errors = await new Promise<any>((resolve) => client.subscribe({ query: source }, { next: resolve, error: resolve, complete: () => undefined }));
      expect(errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", setting: "GRAPHQL_MAX_COST", measured: 2 ** 40 + 4 });
    } finally {
      await client.dispose();
    }
  });

  it("stops parsing a document with more tokens than GRAPHQL_MAX_TOKENS", async () => {
    // 700 nested selections: 2,101 tokens in 2 KB, past the default of 2,000.
    const result = await gql(`{${"a{".repeat(700)}b${"}".repeat(700)}}`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(result.errors?.[0].message).toMatch(/more that 2000 tokens/);
  });
});
