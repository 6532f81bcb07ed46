// Protection of the public endpoint: each refused query names the measured figure and the limit.
import { startTestApp, type TestApp } from "./support/app";

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
  await t.app.dataSource.query("ALTER TABLE region RENAME TO region_away");
  let result;
  try {
    result = await gql(`{ regions(first: 1) { nodes { code } } }`);
  } finally {
    await t.app.dataSource.query("ALTER TABLE region_away RENAME TO region");
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
