// 数据接口 Data URLs: saved GraphQL documents served as GET /data/<name>.json and .csv for tools
// that do not speak GraphQL. The same engine as /graphql: every answer is compared with the one
// POST /graphql gives the same key for the same document and variables.
import { getOperationAST, parse, valueFromASTUntyped, type GraphQLSchema } from "graphql";
import { createSchema } from "../src/schema";
import { csvPlan, writeCsv } from "../src/modules/data-endpoints/csv";
import { SHIPPED_ENDPOINTS } from "../src/modules/data-endpoints/shipped-endpoints";
import { startTestApp, type TestApp } from "./support/app";
import { gid, orderClient, receive, seedIds, type SeedIds } from "./support/dispatch";

let t: TestApp;
let ids: SeedIds;
let admin: string;
let commander: string;
let auditor: string;
let dashboard: string;
let base: string;

// Low enough for the limits test to reach with one wide page, high enough for every shipped document at 100 rows.
const MAX_COST = 3000;
let schema: GraphQLSchema;

beforeAll(async () => {
  t = await startTestApp({}, { GRAPHQL_MAX_COST: String(MAX_COST) });
  base = t.url.replace(/\/graphql$/, "");
  ids = await seedIds(t.app.dataSource);
  [admin, commander, auditor] = await Promise.all([t.tokenFor("admin"), t.tokenFor("commander"), t.tokenFor("auditor")]);
  dashboard = await t.apiKeyFor("DASHBOARD", "数据接口测试大屏");
  schema = await createSchema(t.app.events);
});
afterAll(() => t.stop());

interface Fetched {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

async function get(path: string, credential: string | null = dashboard, headers: Record<string, string> = {}): Promise<Fetched> {
  const response = await fetch(`${base}${path}`, { headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers } });
  // Read as bytes: Response.text() would drop the byte-order mark this test looks for.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** RFC 4180 as the writer makes it: the BOM, then CRLF lines with quoted cells. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith("\uFEFF")).toBe(true);
  const body = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && body[i + 1] === "\n") {
      row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    } else cell += c;
  }
  expect(cell).toBe(""); // the file ends with CRLF
  return rows;
}

/** The answer as POST /graphql gives it, request ids aside. */
async function viaGraphQL(document: string, variables: Record<string, unknown>, credential: string) {
  const result = await t.graphql(document, variables, { token: credential });
  return { status: result.status, body: withoutRequestIds({ data: result.data, ...(result.errors ? { errors: result.errors } : {}) }) };
}

function withoutRequestIds(body: any): any {
  return JSON.parse(JSON.stringify(body, (key, value) => (key === "requestId" ? undefined : value)));
}

const REGISTER = `mutation ($input: RegisterDataEndpointInput!) {
  registerDataEndpoint(input: $input) { dataEndpoint { id name title formats urls registeredBy variables { name type defaultValue required } } errors { field code message } }
}`;

async function register(input: Record<string, unknown>, token = admin) {
  const result = await t.graphql(REGISTER, { input }, { token });
  return { ...(result.data?.registerDataEndpoint ?? {}), topErrors: result.errors };
}

/** The values of one CSV column, by header. */
function column(rows: string[][], header: string): string[] {
  const index = rows[0].indexOf(header);
  expect(index).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((row) => row[index]);
}

describe("the shipped endpoints", () => {
  it("are seeded, each as the code ships it, and each passes the registration checks against the current schema", async () => {
    const listed = await t.graphql(`{ dataEndpoints(first: 50) { nodes { name title document formats urls registeredBy variables { name type defaultValue required } } } }`, {}, { token: dashboard });
    expect(listed.errors).toBeUndefined();
    const byName = new Map(listed.data.dataEndpoints.nodes.map((node: any) => [node.name, node]));
    for (const shipped of SHIPPED_ENDPOINTS) {
      const seeded: any = byName.get(shipped.name);
      expect(seeded).toMatchObject({ title: shipped.title, document: shipped.document, formats: ["JSON", "CSV"], urls: [`/data/${shipped.name}.json`, `/data/${shipped.name}.csv`] });
      expect(seeded.registeredBy).toBe("系***"); // 系统预置, masked for a dashboard as every name a record holds
      // Registered again under another name, through every check an administrator's document meets.
      const copy = await register({ name: `${shipped.name}-copy`, title: shipped.title, document: shipped.document });
      expect(copy.errors).toEqual([]);
      expect(copy.dataEndpoint.variables).toEqual(seeded.variables);
    }
  });

  it.each(SHIPPED_ENDPOINTS.map((endpoint) => endpoint.name))("%s answers JSON as GraphQL does, and CSV with the same rows", async (name) => {
    const shipped = SHIPPED_ENDPOINTS.find((endpoint) => endpoint.name === name)!;
    const json = await get(`/data/${name}.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    const body = json.json();
    expect(body.errors).toBeUndefined();
    // One engine: the same answer as POST /graphql with the document and its defaults.
    const operation = getOperationAST(parse(shipped.document))!;
    const defaults = Object.fromEntries(operation.variableDefinitions!.filter((d) => d.defaultValue).map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)]));
    expect(withoutRequestIds(body)).toEqual((await viaGraphQL(shipped.document, defaults, dashboard)).body);

    const csv = await get(`/data/${name}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${name}.csv"`);
    const rows = parseCsv(csv.text);
    const connection: any = Object.values(body.data)[0];
    expect(rows.length - 1).toBe(connection.edges.length);
    // Columns are the node's leaves by dotted path; the first is the first leaf the document selects.
    const firstNode = connection.edges[0]?.node;
    if (firstNode) {
      const [header] = rows[0];
      const value = header.split(".").reduce((v: any, key) => v?.[key], firstNode);
      expect(rows[1][0]).toBe(value === null ? "" : String(value));
    }
  });

  it("takes query-string parameters as the document's variables: a township's stock", async () => {
    const township = gid("Region", ids.region["KZ-S01"]);
    const csv = await get(`/data/stock-by-site.csv?regionId=${encodeURIComponent(township)}&first=100`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([
      "site.code",
      "site.name",
      "site.tier",
      "site.region.code",
      "site.region.name",
      "item.code",
      "item.name",
      "item.unit",
      "item.category",
      "onHand",
      "reserved",
      "available",
      "inTransit",
      "minimum",
      "shortfall",
      "belowMinimum",
      "earliestExpiry",
    ]);
    expect(rows.length).toBeGreaterThan(1);
    for (const code of column(rows, "site.region.code")) expect(code).toMatch(/^KZ-S01(-|$)/);
    const json = (await get(`/data/stock-by-site.json?regionId=${encodeURIComponent(township)}&first=100`)).json();
    expect(json.data.stockLevels.edges.map((edge: any) => edge.node.onHand)).toEqual(column(rows, "onHand").map(Number));

    // Enums, booleans and numbers are read as their types ask.
    const belowAnswer = await get(`/data/stock-by-site.csv?belowMinimum=true&tier=VILLAGE_ROOM&first=5`);
    expect(belowAnswer.text).toMatch(/^\uFEFF/);
    const below = parseCsv(belowAnswer.text);
    expect(below.length).toBe(6);
    expect(new Set(column(below, "belowMinimum"))).toEqual(new Set(["true"]));
    expect(new Set(column(below, "site.tier"))).toEqual(new Set(["VILLAGE_ROOM"]));
    // The README's example, with the id the townships endpoint gives for KZ-S01.
    const townships = parseCsv((await get(`/data/townships.csv`)).text);
    const kzS01 = townships.find((row) => row[0] === "KZ-S01")!;
    expect(kzS01[townships[0].indexOf("id")]).toBe(township);
    expect(township).toBe("UmVnaW9uOjI=");
  });

  it("takes the codes staff know (regionCode=KZ-S01) and sort terms (orderBy=ON_HAND:DESC)", async () => {
    const township = gid("Region", ids.region["KZ-S01"]);
    const byId = (await get(`/data/stock-by-site.json?regionId=${encodeURIComponent(township)}&first=100`)).json();
    const byCode = (await get(`/data/stock-by-site.json?regionCode=KZ-S01&first=100`)).json();
    expect(byCode).toEqual(byId);
    expect(byCode.data.stockLevels.totalCount).toBeGreaterThan(1);
    const site = (await get(`/data/stock-by-site.csv?siteCode=KZ-S01-P&itemCode=1010101`)).text;
    const siteRows = parseCsv(site);
    expect(siteRows.slice(1).map((row) => `${row[0]}/${row[5]}`)).toEqual(["KZ-S01-P/1010101"]);

    const sorted = parseCsv((await get(`/data/stock-by-site.csv?regionCode=KZ-S01&orderBy=ON_HAND:DESC&orderBy=SITE&first=100`)).text);
    const onHand = column(sorted, "onHand").map(Number);
    expect(onHand).toEqual([...onHand].sort((a, b) => b - a));
    expect(new Set(onHand).size).toBeGreaterThan(1);
    const ascending = column(parseCsv((await get(`/data/stock-by-site.csv?regionCode=KZ-S01&orderBy=ON_HAND&first=100`)).text), "onHand").map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBeLessThan(onHand[0]);

    // A code nobody has is refused naming it, not answered with an empty sheet that reads as "no stock there".
    const typo = await get(`/data/stock-by-site.csv?regionCode=KZ-S99`);
    expect(typo.status).toBe(400);
    expect(typo.text).toMatch(/^BAD_USER_INPUT: .*where\.regionCode.*KZ-S99/);
    const badTerm = await get(`/data/stock-by-site.csv?orderBy=HEIGHT`);
    expect(badTerm.status).toBe(400);
    expect(badTerm.text).toMatch(/orderBy/);
  });

  it("pages: a CSV page with a next one links to it", async () => {
    const first = await get(`/data/stock-by-site.csv?first=3`);
    const link = first.headers.get("link");
    expect(link).toMatch(/^<\/data\/stock-by-site\.csv\?first=3&after=[^>]+>; rel="next"$/);
    const next = await get(link!.slice(1, link!.indexOf(">")));
    expect(next.status).toBe(200);
    const json = (await get(`/data/stock-by-site.json?first=6`)).json();
    const codes = json.data.stockLevels.edges.map((edge: any) => `${edge.node.site.code}/${edge.node.item.code}`);
    const pages = [...parseCsv(first.text).slice(1), ...parseCsv(next.text).slice(1)].map((row) => `${row[0]}/${row[5]}`);
    expect(pages).toEqual(codes);
  });
});

describe("parameters", () => {
  it("refuses a value GraphQL's coercion refuses, naming the parameter", async () => {
    const json = await get(`/data/stock-by-site.json?first=abc`);
    expect(json.status).toBe(400);
    const [error] = json.json().errors;
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", parameter: "first" });
    expect(error.message).toMatch(/^Parameter first: Variable "\$first" got invalid value "abc"; Int cannot represent non-integer value/);
    const csv = await get(`/data/stock-by-site.csv?belowMinimum=maybe`);
    expect(csv.status).toBe(400);
    expect(csv.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(csv.text).toMatch(/^BAD_USER_INPUT: Parameter belowMinimum: .*Boolean cannot represent a non boolean value/);
    // graphql-js's words too come from the catalogue (core/i18n/graphql-messages.ts): Chinese by
    // default, English on request (as here), the English kept for programs.
    expect(error.extensions.originalMessage).toBe('Variable "$first" got invalid value "abc"; Int cannot represent non-integer value: "abc"');
    const zh = (await get(`/data/stock-by-site.json?first=abc`, dashboard, { "accept-language": "zh-CN" })).json().errors[0];
    expect(zh.message).toBe('参数 first：变量 "$first" 的值 "abc" 无效：Int 只能表示整数，实际为 "abc"');
    expect(zh.extensions).toMatchObject({ code: "BAD_USER_INPUT", parameter: "first", originalMessage: error.extensions.originalMessage });
    const tier = await get(`/data/stock-by-site.csv?tier=PROVINCE`);
    expect(tier.status).toBe(400);
    expect(tier.text).toMatch(/Parameter tier: .*"PROVINCE"/);
  });

  it("refuses an unknown parameter, and one given twice, saying which", async () => {
    const unknown = await get(`/data/stock-by-site.csv?regioncode=KZ-S01`);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/^BAD_USER_INPUT: Unknown parameter regioncode: it takes regionCode, regionId, siteCode, siteId, itemCode, itemId, tier, belowMinimum, orderBy, first, after/);
    const twice = (await get(`/data/stock-by-site.json?first=1&first=2`)).json();
    expect(twice.errors[0]).toMatchObject({ message: "Parameter first is given 2 times; it takes one value.", extensions: { parameter: "first" } });
  });

  it("counts an empty value as not given, so the default applies", async () => {
    const empty = (await get(`/data/open-dispatch-orders.json?status=&regionId=`)).json();
    const defaulted = (await get(`/data/open-dispatch-orders.json`)).json();
    expect(empty).toEqual(defaulted);
  });

  it("refuses credentials in the URL", async () => {
    for (const name of ["access_token", "api_key", "key", "token"]) {
      const answer = await get(`/data/stock-by-site.csv?${name}=${dashboard}`, null);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(`Credentials are not accepted in the URL (parameter ${name})`);
      expect(answer.text).toContain("Authorization: Bearer");
    }
  });
});

describe("sign-in", () => {
  it("answers 401 without credentials, whatever the name", async () => {
    for (const path of ["/data/stock-by-site.csv", "/data/no-such-thing.json"]) {
      const answer = await get(path, null);
      expect(answer.status).toBe(401);
    }
    expect((await get("/data/stock-by-site.json", null)).json().errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a revoked key", async () => {
    const created = await t.graphql(`mutation { createApiKey(input: { name: "待吊销", role: DASHBOARD }) { key apiKey { id } errors { code } } }`, {}, { token: admin });
    const { key, apiKey } = created.data.createApiKey;
    expect((await get("/data/townships.csv", key)).status).toBe(200);
    const revoked = await t.graphql(`mutation ($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { errors { code } } }`, { id: apiKey.id }, { token: admin });
    expect(revoked.data.revokeApiKey.errors).toEqual([]);
    const csv = await get("/data/townships.csv", key);
    expect(csv.status).toBe(401);
    expect(csv.text).toMatch(/^UNAUTHENTICATED: /);
    const json = await get("/data/townships.json", key);
    expect(json.status).toBe(401);
    expect(json.json().errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("takes x-api-key as /graphql does", async () => {
    expect((await get("/data/townships.json", null, { "x-api-key": dashboard })).status).toBe(200);
  });

  it("answers 404 for an unknown name or a format the endpoint is not served in", async () => {
    const unknown = await get("/data/no-such-thing.csv");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain("There is no data endpoint named no-such-thing");
    expect((await get("/data/no-such-thing.json")).json().errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await get("/data/stock-by-site.xml")).status).toBe(404);
    const jsonOnly = await register({ name: "json-only", title: "仅 JSON", document: `{ me { name } }`, formats: ["JSON"] });
    expect(jsonOnly.errors).toEqual([]);
    expect((await get("/data/json-only.json")).status).toBe(200);
    const csv = await get("/data/json-only.csv");
    expect(csv.status).toBe(404);
    expect(csv.text).toContain("is not served as CSV");
  });
});

describe("the same roles, masking and limits as GraphQL", () => {
  const AUDIT = `query RecentAudit { auditLog(first: 5) { edges { node { operation outcome } } } }`;

  beforeAll(async () => {
    expect((await register({ name: "recent-audit", title: "最近审计记录", document: AUDIT })).errors).toEqual([]);
  });

  it("masks an order's receiver and vehicle plate in CSV as GraphQL does, and shows them in full to a commander", async () => {
    const logistics = await t.tokenFor("logistics");
    const batch = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "PD-DATA-URL", 10);
    const created = await orderClient(t, "id code status")(
      "createDispatchOrder",
      {
        destination: { regionId: gid("Region", ids.region["KZ-S01"]), receiverName: "欧阳明华", receiverPhone: "13812345678" },
        lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 2, allocations: [{ batchId: gid("StockBatch", batch), quantity: 2 }] }],
        transport: { vehiclePlate: "渝F·12345" },
      },
      logistics,
    );
    expect(created.errors).toEqual([]);
    const { code, status } = created.order;
    const path = `/data/open-dispatch-orders.csv?status=${status}`;
    const asDashboard = parseCsv((await get(path)).text);
    const row = asDashboard.find((cells) => cells[0] === code)!;
    const cell = (header: string) => row[asDashboard[0].indexOf(header)];
    expect([cell("status"), cell("receiverName"), cell("receiverPhone"), cell("vehiclePlate"), cell("destinationRegion.code")]).toEqual([status, "欧***", "138****5678", "渝F·***45", "KZ-S01"]);
    const shipped = SHIPPED_ENDPOINTS.find((endpoint) => endpoint.name === "open-dispatch-orders")!;
    const viaApi = (await viaGraphQL(shipped.document, { status, first: 100 }, dashboard)).body.data.dispatchOrders.edges.find((edge: any) => edge.node.code === code).node;
    expect([viaApi.receiverName, viaApi.receiverPhone, viaApi.vehiclePlate]).toEqual(["欧***", "138****5678", "渝F·***45"]);
    const asCommander = parseCsv((await get(path, commander)).text);
    const full = asCommander.find((cells) => cells[0] === code)!;
    expect([full[asCommander[0].indexOf("receiverName")], full[asCommander[0].indexOf("vehiclePlate")]]).toEqual(["欧阳明华", "渝F·12345"]);
  });

  it("answers a field the key's role may not read as GraphQL does: JSON with its errors, CSV 403", async () => {
    const json = await get("/data/recent-audit.json");
    const graphql = await viaGraphQL(AUDIT, {}, dashboard);
    expect(graphql.body.errors[0].extensions.code).toBe("FORBIDDEN");
    expect({ status: json.status, body: withoutRequestIds(json.json()) }).toEqual(graphql);
    const csv = await get("/data/recent-audit.csv");
    expect(csv.status).toBe(403);
    expect(csv.text).toMatch(/^FORBIDDEN: Role DASHBOARD may not do this/);
    expect(csv.text).toMatch(/request id: \S+\n$/);
    // The auditor may read it.
    expect((await get("/data/recent-audit.csv", auditor)).status).toBe(200);
  });

  it("masks personal data in CSV exactly as GraphQL does for the caller", async () => {
    const shipped = SHIPPED_ENDPOINTS.find((endpoint) => endpoint.name === "team-readiness")!;
    const variables = { first: 100 };
    const asDashboard = parseCsv((await get("/data/team-readiness.csv")).text);
    const viaApi = (await viaGraphQL(shipped.document, variables, dashboard)).body.data.rescueTeams.edges.map((edge: any) => edge.node.leader);
    const names = column(asDashboard, "leader.name");
    const phones = column(asDashboard, "leader.phone");
    expect(names).toEqual(viaApi.map((leader: any) => leader?.name ?? ""));
    expect(phones).toEqual(viaApi.map((leader: any) => leader?.phone ?? ""));
    const shown = names.filter(Boolean);
    expect(shown.length).toBeGreaterThan(0);
    for (const name of shown) expect(name).toMatch(/^.\*+$/u);
    for (const phone of phones.filter(Boolean)) expect(phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    // A commander sees them in full, here as in GraphQL.
    const asCommander = parseCsv((await get("/data/team-readiness.csv", commander)).text);
    const full = (await viaGraphQL(shipped.document, variables, commander)).body.data.rescueTeams.edges.map((edge: any) => edge.node.leader?.name ?? "");
    expect(column(asCommander, "leader.name")).toEqual(full);
    expect(column(asCommander, "leader.name").filter((name) => name && !/\*/.test(name)).length).toBe(shown.length);
  });

  it("holds the variables a URL gives to the query limits, as GraphQL does", async () => {
    const WIDE = `query WideStock($n: Int = 20) { stockLevels(first: $n) { edges { node {
      id onHand reserved available inTransit minimum shortfall belowMinimum earliestExpiry
      site { id code name tier status address floorArea latitude longitude itemsBelowMinimum updatedAt region { id code name level kind depth } }
      item { id code name unit category reusable tracksExpiry shelfLifeDays specification updatedAt }
    } } } }`;
    expect((await register({ name: "wide-stock", title: "宽表库存", document: WIDE })).errors).toEqual([]);
    expect((await get("/data/wide-stock.csv")).status).toBe(200);
    const json = await get("/data/wide-stock.json?n=100");
    const graphql = await viaGraphQL(WIDE, { n: 100 }, dashboard);
    expect(graphql.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect({ status: json.status, body: withoutRequestIds(json.json()) }).toEqual(graphql);
    const csv = await get("/data/wide-stock.csv?n=100");
    expect(csv.status).toBe(400);
    expect(csv.text).toMatch(new RegExp(`^QUERY_TOO_COMPLEX: Query cost: \\d+ exceeds the limit of ${MAX_COST}`));
  });

  it("counts the endpoint's requests under its operation's name, and the HTTP requests as /data", async () => {
    await get("/data/townships.csv");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/kaizhou_graphql_operations_total\{[^}]*operation="Townships"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/kaizhou_http_requests_total\{[^}]*route="\/data"[^}]*\} [1-9]/);
  });
});

describe("CSV", () => {
  it("guards cells Excel would run as formulas, and quotes as RFC 4180 says", async () => {
    const created = await t.graphql(
      `mutation ($input: CreateSupplyItemInput!) { createSupplyItem(input: $input) { item { id } errors { field code message } } }`,
      { input: { code: "3999901", name: '=HYPERLINK("http://x.example","点我")', specification: "-2+3, @SUM(A1)", unit: "@件", reusable: false, tracksExpiry: false, hazards: [] } },
      { token: admin },
    );
    expect(created.data.createSupplyItem.errors).toEqual([]);
    const doc = `query Injected { supplyItems(first: 5, where: { nameContains: "HYPERLINK" }) { edges { node { code name specification unit shelfLifeDays reusable } } } }`;
    expect((await register({ name: "injected", title: "注入测试", document: doc })).errors).toEqual([]);
    const csv = await get("/data/injected.csv");
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(
      "\uFEFFcode,name,specification,unit,shelfLifeDays,reusable\r\n" + `3999901,"'=HYPERLINK(""http://x.example"",""点我"")","'-2+3, @SUM(A1)",'@件,,false\r\n`,
    );
    // JSON is data, not a sheet: the values as they are.
    expect((await get("/data/injected.json")).json().data.supplyItems.edges[0].node).toMatchObject({ name: '=HYPERLINK("http://x.example","点我")', unit: "@件" });
  });

  it("writes numbers unguarded, lists of scalars joined, line breaks quoted, and a header for no rows", () => {
    const document = parse(`{ rescueTeams(first: 1) { nodes { code capabilities baseLatitude } } }`);
    const plan = csvPlan(schema, document, getOperationAST(document)!);
    expect(plan.columns.map((c) => c.header)).toEqual(["code", "capabilities", "baseLatitude"]);
    expect(writeCsv(plan, [])).toBe("\uFEFFcode,capabilities,baseLatitude\r\n");
    expect(writeCsv(plan, [{ code: "KZ\r\n1", capabilities: ["救援", "=1"], baseLatitude: -31.5 }])).toBe('\uFEFFcode,capabilities,baseLatitude\r\n"KZ\r\n1",救援; =1,-31.5\r\n');
    expect(writeCsv(plan, [{ code: "+1", capabilities: ["=1", "救援"], baseLatitude: null }])).toBe("\uFEFFcode,capabilities,baseLatitude\r\n'+1,'=1; 救援,\r\n");
  });
});

describe("registration (ADMIN)", () => {
  const problems = async (input: Record<string, unknown>) => {
    const result = await register({ name: "checked", title: "检查", ...input });
    expect(result.topErrors).toBeUndefined();
    return result.errors.map((error: any) => `${error.field} ${error.code}: ${error.message}`);
  };

  it("refuses documents that do not parse, validate, hold one query, keep the limits or make CSV", async () => {
    expect(await problems({ document: `{ stockLevels(first: 5) { edges { node { onHand } }` })).toEqual([expect.stringMatching(/^input\.document INVALID_DOCUMENT: the document does not parse: Syntax Error: Expected Name, found <EOF>\. \(line 1/)]);
    expect(await problems({ document: `query A { me { name } } query B { me { role } }` })).toEqual(["input.document INVALID_DOCUMENT: the document must hold exactly one operation; it holds 2"]);
    expect(await problems({ document: `fragment F on Viewer { name }` })).toEqual(["input.document INVALID_DOCUMENT: the document must hold exactly one operation; it holds 0"]);
    expect(await problems({ document: `mutation { revokeApiKey(input: { apiKeyId: "x" }) { errors { code } } }` })).toEqual([
      "input.document INVALID_DOCUMENT: the operation is a mutation: a data endpoint only reads, so it must be a query",
    ]);
    expect(await problems({ document: `subscription { stockLevelChanged { onHand } }` })).toEqual([expect.stringContaining("the operation is a subscription")]);
    expect(await problems({ document: `{ stockLevels { edges { node { quantityOnHand } } } }` })).toEqual([
      expect.stringMatching(/^input\.document INVALID_DOCUMENT: the document is not valid against the schema: Cannot query field "quantityOnHand" on type "StockLevel"/),
    ]);
    expect(await problems({ document: `query ($n: Int = 100) { stockLevels(first: $n) { edges { node { id onHand reserved available inTransit minimum shortfall belowMinimum earliestExpiry site { id code name tier status address floorArea latitude longitude region { id code name } } item { id code name unit category } } } } }` })).toEqual([
      expect.stringMatching(new RegExp(`^input\\.document INVALID_DOCUMENT: the document is over the query limits: Query cost: \\d+ exceeds the limit of ${MAX_COST}`)),
    ]);
    expect(await problems({ document: `{ rescueTeams(first: 5) { edges { node { code members(first: 3) { edges { node { name } } } } } } }` })).toEqual([
      "input.document INVALID_DOCUMENT: the document cannot be served as CSV: rescueTeams.edges.node.members.edges is a list of objects inside a row, which cannot be one CSV cell: select it in a document of its own, or use JSON",
    ]);
    // The same document as JSON only is fine.
    expect(await problems({ name: "teams-with-members", document: `{ rescueTeams(first: 5) { edges { node { code members(first: 3) { edges { node { name } } } } } } }`, formats: ["JSON"] })).toEqual([]);
    expect(await problems({ document: `query ($token: String) { regions(where: { nameContains: $token }) { nodes { code } } }` })).toEqual([expect.stringContaining("the variable $token would be a query-string parameter that looks like a credential")]);
  });

  it("refuses bad names, titles, formats and a name taken", async () => {
    expect(await problems({ name: "Stock_By_Site", document: `{ me { name } }` })).toEqual([expect.stringMatching(/^input\.name INVALID_FORMAT: name must be 2–64 lower-case letters/)]);
    expect(await problems({ name: "-x", document: `{ me { name } }` })).toEqual([expect.stringMatching(/^input\.name INVALID_FORMAT/)]);
    expect(await problems({ name: "stock-by-site", document: `{ me { name } }` })).toEqual([expect.stringMatching(/^input\.name DUPLICATE: a data endpoint named stock-by-site exists/)]);
    expect(await problems({ name: "no-formats", document: `{ me { name } }`, formats: [] })).toEqual(["input.formats REQUIRED: give at least one format (JSON, CSV)"]);
  });

  it("is for ADMIN only; any signed-in role may list", async () => {
    const refused = await register({ name: "by-commander", title: "指挥长", document: `{ me { name } }` }, commander);
    expect(refused.topErrors[0].extensions.code).toBe("FORBIDDEN");
    const viaKey = await register({ name: "by-dashboard", title: "大屏", document: `{ me { name } }` }, dashboard);
    expect(viaKey.topErrors[0].extensions.code).toBe("FORBIDDEN");
    const one = await t.graphql(`{ dataEndpoint(name: "townships") { name variables { name type defaultValue required } } }`, {}, { token: commander });
    expect(one.data.dataEndpoint.variables).toEqual([
      { name: "orderBy", type: "[RegionOrder!]", defaultValue: null, required: false },
      { name: "first", type: "Int", defaultValue: "100", required: false },
      { name: "after", type: "String", defaultValue: null, required: false },
    ]);
  });

  it("updates (checked again) and removes; a removed endpoint answers 404", async () => {
    const created = await register({ name: "to-change", title: "待修改", document: `query Who { me { name role } }` });
    expect(created.errors).toEqual([]);
    expect(created.dataEndpoint.registeredBy).toBe("admin");
    const id = created.dataEndpoint.id;
    const update = (input: Record<string, unknown>) =>
      t.graphql(`mutation ($input: UpdateDataEndpointInput!) { updateDataEndpoint(input: $input) { dataEndpoint { title document variables { name } } errors { field code message } } }`, { input: { dataEndpointId: id, ...input } }, { token: admin });
    const bad = await update({ document: `query { me { nope } }` });
    expect(bad.data.updateDataEndpoint.errors).toEqual([expect.objectContaining({ field: "input.document", code: "INVALID_DOCUMENT" })]);
    expect(parseCsv((await get("/data/to-change.csv")).text)[0]).toEqual(["me.name", "me.role"]); // unchanged
    const good = await update({ title: "我是谁", document: `query Who($withRole: Boolean = false) { me { kind name role @include(if: $withRole) } }` });
    expect(good.data.updateDataEndpoint).toMatchObject({ errors: [], dataEndpoint: { title: "我是谁", variables: [{ name: "withRole" }] } });
    expect(parseCsv((await get("/data/to-change.csv")).text)).toEqual([["me.kind", "me.name", "me.role"], ["API_KEY", "数据接口测试大屏", ""]]);
    expect(parseCsv((await get("/data/to-change.csv?withRole=true")).text)).toEqual([["me.kind", "me.name", "me.role"], ["API_KEY", "数据接口测试大屏", "DASHBOARD"]]);
    const removed = await t.graphql(`mutation ($id: ID!) { removeDataEndpoint(input: { dataEndpointId: $id }) { dataEndpoint { name } errors { code } } }`, { id }, { token: admin });
    expect(removed.data.removeDataEndpoint).toEqual({ dataEndpoint: { name: "to-change" }, errors: [] });
    expect((await get("/data/to-change.csv")).status).toBe(404);
    // Every change is in the audit log, as every mutation is.
    const log = await t.graphql(`{ auditLog(first: 10, where: { operation: "removeDataEndpoint" }) { nodes { operation outcome } } }`, {}, { token: auditor });
    expect(log.data.auditLog.nodes).toEqual([{ operation: "removeDataEndpoint", outcome: "SUCCEEDED" }]);
  });
});

describe("README", () => {
  const readme = require("node:fs").readFileSync(require("node:path").join(__dirname, "..", "README.md"), "utf8") as string;
  const section = readme.slice(readme.indexOf("## Data URLs"), readme.indexOf("## The explorer"));

  it("lists the shipped endpoints, and its registration example works as written", async () => {
    const listed = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]);
    expect(listed).toEqual(SHIPPED_ENDPOINTS.map((endpoint) => endpoint.name));
    const example = /\*\*Registering one\*\*[\s\S]*?```graphql\n([\s\S]*?)```/.exec(section)![1];
    const result = await t.graphql(example, {}, { token: admin });
    expect(result.data.registerDataEndpoint.errors).toEqual([]);
    const [url] = result.data.registerDataEndpoint.dataEndpoint.urls;
    expect((await get(url)).status).toBe(200);
  });

  it("uses URLs that answer on a freshly seeded database", async () => {
    const urls = [...new Set([...section.matchAll(/http:\/\/localhost:4000(\/data\/[^\s'"`)]+)/g)].map((match) => match[1]))];
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      const answer = await get(url);
      expect([url, answer.status]).toEqual([url, 200]);
    }
  });
});

describe("the rate limit", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "1" }); // a burst of 10, then one a minute
  });
  afterAll(() => limited.stop());

  it("takes from the same bucket as /graphql", async () => {
    const key = await limited.apiKeyFor("DASHBOARD");
    const root = limited.url.replace(/\/graphql$/, "");
    const fetchData = (path: string) => fetch(`${root}${path}`, { headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 5; i++) expect((await limited.graphql(`{ me { name } }`, {}, { token: key })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await fetchData("/data/townships.csv")).status).toBe(200);
    const csv = await fetchData("/data/townships.csv");
    expect(csv.status).toBe(429);
    expect(Number(csv.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await csv.text()).toMatch(/^RATE_LIMITED: Too many requests: at most 1 a minute \(setting RATE_LIMIT_PER_MINUTE\)/);
    const json = await fetchData("/data/townships.json");
    expect(json.status).toBe(429);
    expect(((await json.json()) as any).errors[0].extensions).toMatchObject({ code: "RATE_LIMITED" });
    expect((await limited.graphql(`{ me { name } }`, {}, { token: key })).status).toBe(429);
  });
});
