// 排序与按编码查询: every connection sorts by each of its order fields both ways and pages through
// in that order forward (first/after) and back (last/before); cursors are tied to their order;
// objects are fetched by the codes staff know. Driven by the schema: a connection added later
// with `orderBy` is tested here without a line more.
import fs from "node:fs";
import path from "node:path";
import { buildSchema, getNamedType, isEnumType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType } from "graphql";
import { enumRank } from "../src/core/graphql/relay";
import { AuditOutcome } from "../src/modules/audit/audit.entity";
import { MovementKind } from "../src/modules/reserves/reserves.enums";
import { startTestApp, type TestApp } from "./support/app";
import { gid, orderClient, receive, seedIds } from "./support/dispatch";

let t: TestApp;
let admin: string;
beforeAll(async () => {
  // Thousands of small pages: the rate limit is not what is tested here.
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "1000000" });
  admin = await t.apiKeyFor("ADMIN");
  // The seed has no incidents or orders: a few of each, so their lists (and Incident.dispatchOrders) have rows to sort.
  const ids = await seedIds(t.app.dataSource);
  const commander = await t.tokenFor("commander");
  const logistics = await t.tokenFor("logistics");
  const mutate = orderClient(t);
  const tents = await receive(t.app.services, ids.site["KZ-DEPOT-01"], ids.item["1010101"], "ORDER-TENT", 1000);
  const levels = ["III", "IV", "II", "IV", "III"];
  for (const [i, level] of levels.entries()) {
    const opened = await t.graphql(
      `mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { message } } }`,
      { input: { title: `排序测试 ${i}`, hazard: "FLOOD_DROUGHT", level, regionIds: [gid("Region", ids.region[i % 2 ? "KZ-S01" : "KZ-S02"])] } },
      { token: commander },
    );
    expect(opened.data.openIncident.errors).toEqual([]);
    for (let j = 0; j < (i === 0 ? 4 : 1); j++) {
      const created = await mutate(
        "createDispatchOrder",
        {
          incidentId: opened.data.openIncident.incident.id,
          priority: ["NORMAL", "HIGH", "URGENT"][(i + j) % 3],
          destination: { regionId: gid("Region", ids.region["KZ-S01"]) },
          lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 1 + j, allocations: [{ batchId: gid("StockBatch", tents), quantity: 1 + j }] }],
        },
        logistics,
      );
      expect(created.errors).toEqual([]);
    }
  }
});
afterAll(() => t.stop());

const schema = buildSchema(fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8"));
const gql = (query: string, variables?: Record<string, unknown>, token = admin) => t.graphql(query, variables, { token });

interface ListSpec {
  label: string;
  connection: string;
  fields: string[];
  /** A document whose `list` alias is the connection, with $orderBy $first $after $last $before (and $id for nested ones). */
  document(orderType: string): string;
  variables: Record<string, unknown>;
}

function hasRequiredArgs(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
}

function orderFields(field: GraphQLField<unknown, unknown>): { orderType: string; fields: string[] } | null {
  const arg = field.args.find((a) => a.name === "orderBy");
  if (!arg) return null;
  const orderInput = getNamedType(arg.type) as unknown as { name: string; getFields(): Record<string, { type: unknown }> };
  const enumType = getNamedType(orderInput.getFields().field.type as never);
  if (!isEnumType(enumType)) return null;
  return { orderType: orderInput.name, fields: enumType.getValues().map((v) => v.name) };
}

const PAGE_SELECTION = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor }`;
const PAGE_VARS = `$orderBy: [ORDER!], $first: Int, $after: String, $last: Int, $before: String`;
const PAGE_ARGS = `orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before`;

function connectionFields(type: GraphQLObjectType) {
  return Object.values(type.getFields()).filter((f) => getNamedType(f.type).name.endsWith("Connection") && f.args.some((a) => a.name === "orderBy"));
}

const query = schema.getQueryType()!;
const topLevel: ListSpec[] = connectionFields(query)
  .filter((f) => !hasRequiredArgs(f))
  .map((f) => {
    const order = orderFields(f)!;
    return {
      label: `Query.${f.name}`,
      connection: getNamedType(f.type).name,
      fields: order.fields,
      document: () => `query (${PAGE_VARS.replace("ORDER", order.orderType)}) { list: ${f.name}(${PAGE_ARGS}) { ${PAGE_SELECTION} } }`,
      variables: {},
    };
  });

/** Nested connections (Region.children, RescueTeam.members, …): paged under the parent with the most items, through node(id:). */
async function nestedSpecs(): Promise<ListSpec[]> {
  const specs: ListSpec[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type === query || type.name.startsWith("__")) continue;
    for (const f of connectionFields(type)) {
      const order = orderFields(f)!;
      const parentList = Object.values(query.getFields()).find((q) => getNamedType(q.type).name === `${type.name}Connection` && !hasRequiredArgs(q));
      if (!parentList) throw new Error(`No list of ${type.name} to find parents for ${type.name}.${f.name}`);
      const parents = await gql(`{ ${parentList.name}(first: 100) { nodes { id sub: ${f.name}(first: 0) { totalCount } } } }`);
      expect(parents.errors).toBeUndefined();
      const best = (parents.data[parentList.name].nodes as Array<{ id: string; sub: { totalCount: number } }>).sort((a, b) => b.sub.totalCount - a.sub.totalCount)[0];
      if (!best) continue;
      specs.push({
        label: `${type.name}.${f.name}`,
        connection: getNamedType(f.type).name,
        fields: order.fields,
        document: () =>
          `query ($id: ID!, ${PAGE_VARS.replace("ORDER", order.orderType)}) { node(id: $id) { ... on ${type.name} { list: ${f.name}(${PAGE_ARGS}) { ${PAGE_SELECTION} } } } }`,
        variables: { id: best.id },
      });
    }
  }
  return specs;
}

/** The key values a cursor carries: they identify its row under its order (the last ones are the id tiebreak). */
function keyOf(cursor: string): string {
  const body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  return JSON.stringify(body.k);
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string }>;
}

async function page(spec: ListSpec, variables: Record<string, unknown>): Promise<Page> {
  const result = await gql(spec.document(""), { ...spec.variables, ...variables });
  if (result.errors) throw new Error(`${spec.label} ${JSON.stringify(variables)}: ${JSON.stringify(result.errors)}`);
  return result.data.list ?? result.data.node.list;
}

/** Up to `limit` items, forward from the start or back from the end, `size` at a time; checks the page flags on the way. */
async function walk(spec: ListSpec, orderBy: unknown, size: number, limit: number, backward: boolean): Promise<{ keys: string[]; total: number }> {
  const keys: string[] = [];
  let cursor: string | null = null;
  let total = 0;
  for (;;) {
    const p: Page = await page(spec, backward ? { orderBy, last: size, before: cursor } : { orderBy, first: size, after: cursor });
    total = p.totalCount;
    const got = p.edges.map((e) => keyOf(e.cursor));
    if (backward) keys.unshift(...got);
    else keys.push(...got);
    expect(p.edges.length).toBeLessThanOrEqual(size);
    const more = backward ? p.pageInfo.hasPreviousPage : p.pageInfo.hasNextPage;
    // The flag on the side we came from says that we came from somewhere.
    expect(backward ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage).toBe(cursor !== null);
    if (!more || keys.length >= limit) {
      if (!more) expect(keys.length).toBe(total);
      break;
    }
    expect(p.edges.length).toBe(size);
    cursor = backward ? p.pageInfo.startCursor : p.pageInfo.endCursor;
  }
  return { keys: backward ? keys.slice(-limit) : keys.slice(0, limit), total };
}

/** Items compared per order and direction: every item of lists up to this long, the ends of longer ones. */
const LIMIT = 60;

describe("orderBy on every connection", () => {
  it("is offered, with last/before, on every field that returns a connection", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const f of Object.values(type.getFields())) {
        if (!getNamedType(f.type).name.endsWith("Connection")) continue;
        const args = f.args.map((a) => a.name);
        for (const needed of ["orderBy", "first", "after", "last", "before"]) if (!args.includes(needed)) missing.push(`${type.name}.${f.name} ${needed}`);
      }
    }
    expect(missing).toEqual([]);
    expect(topLevel.length).toBeGreaterThanOrEqual(20);
  });

  it("pages through each list in each order, forward and back, both ways round", async () => {
    const specs = [...topLevel, ...(await nestedSpecs())];
    const tried: string[] = [];
    for (const spec of specs) {
      for (const field of spec.fields) {
        const asc = [{ field, direction: "ASC" }];
        const desc = [{ field, direction: "DESC" }];
        const { total } = await walk(spec, asc, 100, 1, false);
        if (total === 0) continue;
        const size = total <= 12 ? 2 : Math.min(100, Math.ceil(Math.min(total, LIMIT) / 5));
        const label = `${spec.label} ${field} (${total} items, pages of ${size})`;
        tried.push(label);
        const forwardAsc = (await walk(spec, asc, size, LIMIT, false)).keys;
        const forwardDesc = (await walk(spec, desc, size, LIMIT, false)).keys;
        const backAsc = (await walk(spec, asc, size, LIMIT, true)).keys;
        const backDesc = (await walk(spec, desc, size, LIMIT, true)).keys;
        const reference = (await walk(spec, asc, 100, LIMIT, false)).keys;
        const n = Math.min(total, LIMIT);
        expect({ label, length: forwardAsc.length }).toEqual({ label, length: n });
        expect({ label, distinct: new Set(forwardAsc).size }).toEqual({ label, distinct: n });
        // Small pages read what one large page reads.
        expect({ label, keys: forwardAsc }).toEqual({ label, keys: reference });
        // DESC is ASC exactly reversed (ties too, NULLs too): the end of one is the start of the other.
        expect({ label, keys: backAsc }).toEqual({ label, keys: [...forwardDesc].reverse() });
        expect({ label, keys: backDesc }).toEqual({ label, keys: [...forwardAsc].reverse() });
      }
    }
    // The seed fills most lists; the few that start empty (conflicts, closures) are covered elsewhere.
    expect(tried.length).toBeGreaterThanOrEqual(60);
  }, 600_000);

  it("sorts by the values the field names (quantity, expiry with its empty values, code, time)", async () => {
    const movements = await gql(`{ stockMovements(first: 100, orderBy: [{ field: QUANTITY, direction: DESC }]) { nodes { quantity } } }`);
    const quantities = movements.data.stockMovements.nodes.map((n: any) => n.quantity);
    expect(quantities.length).toBeGreaterThan(10);
    expect(quantities).toEqual([...quantities].sort((a: number, b: number) => b - a));

    const levels = await gql(`{ stockLevels(first: 100, orderBy: { field: EXPIRY }, where: { belowMinimum: false }) { totalCount nodes { earliestExpiry } } }`);
    expect(levels.errors).toBeUndefined();
    const expiries: Array<string | null> = levels.data.stockLevels.nodes.map((n: any) => n.earliestExpiry);
    const dated = expiries.filter((e) => e !== null) as string[];
    expect(dated).toEqual([...dated].sort());
    // Empty expiry sorts last ascending: no dated level after the first undated one.
    const firstNull = expiries.indexOf(null);
    if (firstNull >= 0) expect(expiries.slice(firstNull).every((e) => e === null)).toBe(true);
    const descending = await gql(`{ stockLevels(first: 5, orderBy: { field: EXPIRY, direction: DESC }) { nodes { earliestExpiry } } }`);
    if (firstNull >= 0 || levels.data.stockLevels.totalCount > 100) expect(descending.data.stockLevels.nodes[0].earliestExpiry).toBeNull();

    const sites = await gql(`{ storageSites(first: 100, orderBy: [{ field: TIER }, { field: CODE, direction: DESC }]) { nodes { tier code } } }`);
    const tiers = sites.data.storageSites.nodes.map((n: any) => n.tier);
    expect(tiers[0]).toBe("DISTRICT_DEPOT");
    const townshipCodes = sites.data.storageSites.nodes.filter((n: any) => n.tier === "TOWNSHIP_POINT").map((n: any) => n.code);
    expect(townshipCodes).toEqual([...townshipCodes].sort().reverse());

    const teams = await gql(`{ rescueTeams(first: 100, orderBy: { field: NAME }) { nodes { name } } }`);
    const sorted = await t.app.dataSource.query(`SELECT name FROM rescue_team ORDER BY name COLLATE "zh_pinyin", id LIMIT 100`);
    expect(teams.data.rescueTeams.nodes.map((n: any) => n.name)).toEqual(sorted.map((r: any) => r.name));
  });

  it("sorts names by their Hanyu Pinyin reading, as a Chinese list is read, not by code point", async () => {
    const townships = await gql(`{ regions(first: 100, where: { level: TOWNSHIP }, orderBy: { field: NAME }) { nodes { name } } }`);
    const names: string[] = townships.data.regions.nodes.map((n: any) => n.name);
    expect(names).toHaveLength(40);
    const byPinyin = new Intl.Collator("zh-u-co-pinyin").compare;
    expect(names).toEqual([...names].sort(byPinyin));
    expect(names).not.toEqual([...names].sort()); // code-point order differs, so the test can tell
    const back = await gql(`{ regions(last: 3, where: { level: TOWNSHIP }, orderBy: { field: NAME }) { nodes { name } pageInfo { startCursor } } }`);
    expect(back.data.regions.nodes.map((n: any) => n.name)).toEqual(names.slice(-3));
    const before = await gql(`query ($c: String) { regions(last: 2, before: $c, where: { level: TOWNSHIP }, orderBy: { field: NAME }) { nodes { name } } }`, { c: back.data.regions.pageInfo.startCursor });
    expect(before.data.regions.nodes.map((n: any) => n.name)).toEqual(names.slice(-5, -3));
  });

  it("keeps today's order when orderBy is left out", async () => {
    const defaults = await gql(`{ regions(first: 50) { edges { cursor } } byCode: regions(first: 50, orderBy: { field: CODE }) { edges { cursor } } }`);
    expect(defaults.data.regions.edges).toEqual(defaults.data.byCode.edges);
    const requests = await gql(`{ supplyRequests(first: 20) { nodes { code } } queue: supplyRequests(first: 20, orderBy: { field: PRIORITY }) { nodes { code } } }`);
    expect(requests.data.supplyRequests.nodes).toEqual(requests.data.queue.nodes);
  });

  it("refuses a cursor used under another order, naming after or before", async () => {
    const first = await gql(`{ storageSites(first: 3, orderBy: { field: NAME }) { pageInfo { endCursor startCursor } } }`);
    const { endCursor, startCursor } = first.data.storageSites.pageInfo;
    const other = await gql(`query ($after: String) { storageSites(first: 3, after: $after, orderBy: { field: CODE }) { nodes { code } } }`, { after: endCursor });
    expect(other.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    expect(other.errors?.[0].message).toMatch(/NAME ASC.*CODE ASC/);
    const flipped = await gql(`query ($before: String) { storageSites(last: 3, before: $before, orderBy: { field: NAME, direction: DESC }) { nodes { code } } }`, { before: startCursor });
    expect(flipped.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "before" });
    const defaults = await gql(`query ($after: String) { storageSites(first: 3, after: $after) { nodes { code } } }`, { after: endCursor });
    expect(defaults.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const foreign = await gql(`query ($after: String) { regions(first: 3, after: $after, orderBy: { field: NAME }) { nodes { code } } }`, { after: endCursor });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const same = await gql(`query ($after: String) { storageSites(first: 3, after: $after, orderBy: [{ field: NAME, direction: ASC }]) { nodes { code } } }`, { after: endCursor });
    expect(same.errors).toBeUndefined();
    // `before` is checked as a cursor, like `after`: its own characters, not a free string's.
    const junk = await gql(`{ storageSites(last: 3, before: "no cursor!") { nodes { code } } }`);
    expect(junk.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "before" });
    const tampered = Buffer.from(JSON.stringify({ o: "StockMovement/OCCURRED_AT:ASC,id:ASC", k: ["not a time", "1"] })).toString("base64url");
    const bad = await gql(`query ($before: String) { stockMovements(last: 3, before: $before) { nodes { id } } }`, { before: tampered });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "before" });
    const both = await gql(`{ storageSites(first: 3, last: 3) { nodes { code } } }`);
    expect(both.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "last" });
    const twice = await gql(`{ storageSites(first: 3, orderBy: [{ field: NAME }, { field: NAME, direction: DESC }]) { nodes { code } } }`);
    expect(twice.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "orderBy[1].field" });
  });

  it("runs as many SQL statements for a deep page in any order as for the first", async () => {
    const doc = `query ($after: String, $orderBy: [StockMovementOrder!]) { stockMovements(first: 20, after: $after, orderBy: $orderBy) { totalCount pageInfo { endCursor } nodes { quantity } } }`;
    for (const orderBy of [[{ field: "QUANTITY", direction: "DESC" }], [{ field: "KIND" }, { field: "OCCURRED_AT", direction: "DESC" }]]) {
      const p1 = await gql(doc, { orderBy });
      const p2 = await gql(doc, { orderBy, after: p1.data.stockMovements.pageInfo.endCursor });
      const p3 = await gql(doc, { orderBy, after: p2.data.stockMovements.pageInfo.endCursor });
      expect(Number.isFinite(p1.sqlStatements)).toBe(true);
      expect(p3.sqlStatements).toBe(p1.sqlStatements);
      expect(p3.sqlStatements).toBeLessThanOrEqual(3);
    }
    const back = `query ($before: String) { stockLevels(last: 50, before: $before, orderBy: { field: AVAILABLE }) { pageInfo { startCursor } nodes { onHand site { code } item { code } } } }`;
    const b1 = await gql(back, {});
    const b2 = await gql(back, { before: b1.data.stockLevels.pageInfo.startCursor });
    expect(b2.errors).toBeUndefined();
    expect(b2.sqlStatements).toBe(b1.sqlStatements);
  });
});

describe("indexes for the orders of the lists that only grow", () => {
  it("serves the ledger's and the audit log's orders from an index, not a sort of the table", async () => {
    const cases = [
      `SELECT movement.id FROM stock_movement movement ORDER BY ${enumRank(Object.values(MovementKind), "movement.kind")} DESC, movement.id DESC LIMIT 21`,
      `SELECT movement.id FROM stock_movement movement ORDER BY movement.quantity, movement.id LIMIT 21`,
      `SELECT audit.id FROM audit_entry audit ORDER BY ${enumRank(Object.values(AuditOutcome), "audit.outcome")}, audit.id LIMIT 21`,
      `SELECT audit.id FROM audit_entry audit ORDER BY audit.operation DESC, audit.id DESC LIMIT 21`,
    ];
    const runner = t.app.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // The test tables are small enough that a sort would win on cost; price it out to see whether the index can serve.
      await runner.query("SET LOCAL enable_sort = off");
      for (const sql of cases) {
        const plan = (await runner.query(`EXPLAIN ${sql}`)).map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");
        expect({ sql, usesIndex: /Index (Only )?Scan/.test(plan) && !/\bSort\b/.test(plan) }).toEqual({ sql, usesIndex: true });
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

describe("fetching by code", () => {
  const CASES: Array<{ query: string; code: string; type: string; field: string }> = [
    { query: "storageSite", code: "KZ-S01-P", type: "StorageSite", field: "code" },
    { query: "region", code: "KZ-S01", type: "Region", field: "code" },
    { query: "rescueTeam", code: "KZ-FR-01", type: "RescueTeam", field: "code" },
    { query: "supplyItem", code: "1010101", type: "SupplyItem", field: "code" },
    { query: "reservePartner", code: "KZ-EP-01", type: "ReservePartner", field: "code" },
    { query: "routeNode", code: "KZ-S01", type: "RouteNode", field: "code" },
  ];

  it("finds what the id finds, and null for a code that names nothing", async () => {
    const dashboard = await t.apiKeyFor("DASHBOARD");
    const order = (await gql(`{ dispatchOrders(first: 1) { nodes { id code } } supplyRequests(first: 1) { nodes { id code } } incidents(first: 1) { nodes { id code } } }`)).data;
    expect(order.dispatchOrders.nodes[0].code).toMatch(/^KZ-DO-\d{4}-\d{6}$/);
    const cases = [
      ...CASES,
      { query: "dispatchOrder", code: order.dispatchOrders.nodes[0].code, type: "DispatchOrder", field: "code" },
      { query: "supplyRequest", code: order.supplyRequests.nodes[0].code, type: "SupplyRequest", field: "code" },
      { query: "incident", code: order.incidents.nodes[0].code, type: "Incident", field: "code" },
    ];
    for (const c of cases) {
      const byCode = await gql(`query ($code: String) { it: ${c.query}(code: $code) { id code } }`, { code: c.code }, dashboard);
      expect(byCode.errors).toBeUndefined();
      expect(byCode.data.it.code).toBe(c.code);
      const byId = await gql(`query ($id: ID) { it: ${c.query}(id: $id) { id code } }`, { id: byCode.data.it.id }, dashboard);
      expect(byId.data.it).toEqual(byCode.data.it);
      const none = await gql(`{ it: ${c.query}(code: "KZ-NO-SUCH-9") { id } }`, {}, dashboard);
      expect(none.errors).toBeUndefined();
      expect(none.data.it).toBeNull();
      const both = await gql(`query ($id: ID, $code: String) { it: ${c.query}(id: $id, code: $code) { id } }`, { id: byCode.data.it.id, code: c.code }, dashboard);
      expect(both.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      const neither = await gql(`{ it: ${c.query} { id } }`, {}, dashboard);
      expect(neither.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
      const anonymous = await t.graphql(`{ it: ${c.query}(code: "${c.code}") { id } }`);
      expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("answers out of scope as the id lookup does, with the same masking", async () => {
    const township = await t.tokenFor("logistics.kz-s01");
    const dashboard = await t.apiKeyFor("DASHBOARD");
    const doc = `query ($id: ID, $code: String) { storageSite(id: $id, code: $code) { id code custodianName custodianPhone } }`;
    for (const token of [township, dashboard]) {
      const byCode = await gql(doc, { code: "KZ-S06-P" }, token);
      expect(byCode.errors).toBeUndefined();
      const byId = await gql(doc, { id: byCode.data.storageSite.id }, token);
      expect(byCode.data).toEqual(byId.data);
    }
    const masked = await gql(doc, { code: "KZ-S06-P" }, dashboard);
    const full = await gql(doc, { code: "KZ-S06-P" });
    if (full.data.storageSite.custodianPhone) expect(masked.data.storageSite.custodianPhone).not.toBe(full.data.storageSite.custodianPhone);
  });

  it("finds the depot's place by its site code, routes between codes, and a batch by site, item and number", async () => {
    const depot = await gql(`{ routeNode(code: "KZ-DEPOT-01") { kind code } }`);
    expect(depot.data.routeNode).toEqual({ kind: "DISTRICT_DEPOT", code: "KZ-DEPOT-01" });
    const ids = (await gql(`{ a: routeNode(code: "KZ-DEPOT-01") { id } b: routeNode(code: "KZ-S01") { id } }`)).data;
    const byId = await gql(`query ($a: ID, $b: ID) { travelRoute(fromId: $a, toId: $b) { minutes path } }`, { a: ids.a.id, b: ids.b.id });
    const byCode = await gql(`{ travelRoute(fromCode: "KZ-DEPOT-01", toCode: "KZ-S01") { minutes path } }`);
    expect(byCode.errors).toBeUndefined();
    expect(byCode.data).toEqual(byId.data);
    expect(byCode.data.travelRoute.minutes).toBeGreaterThan(0);
    const mixed = await gql(`query ($a: ID) { travelRoute(fromId: $a, toCode: "KZ-S01") { minutes } }`, { a: ids.a.id });
    expect(mixed.data).toEqual({ travelRoute: { minutes: byCode.data.travelRoute.minutes } });
    const neither = await gql(`{ travelRoute(toCode: "KZ-S01") { minutes } }`);
    expect(neither.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "fromId" });
    const unknown = await gql(`{ travelRoute(fromCode: "KZ-S99", toCode: "KZ-S01") { minutes } }`);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "fromCode" });

    const [row] = await t.app.dataSource.query(
      `SELECT b.id, s.code AS site, i.code AS item, b.batch_number FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id ORDER BY b.id LIMIT 1`,
    );
    const batch = await gql(`query ($s: String, $i: String, $n: String) { stockBatch(siteCode: $s, itemCode: $i, batchNumber: $n) { id batchNumber site { code } item { code } } }`, {
      s: row.site,
      i: row.item,
      n: row.batch_number,
    });
    expect(batch.errors).toBeUndefined();
    expect(batch.data.stockBatch).toEqual({ id: gid("StockBatch", row.id), batchNumber: row.batch_number, site: { code: row.site }, item: { code: row.item } });
    const none = await gql(`query ($s: String, $i: String) { stockBatch(siteCode: $s, itemCode: $i, batchNumber: "NO-SUCH") { id } }`, { s: row.site, i: row.item });
    expect(none.data.stockBatch).toBeNull();
    const partial = await gql(`query ($s: String) { stockBatch(siteCode: $s) { id } }`, { s: row.site });
    expect(partial.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });

  it("batches many lookups by code into one statement per type", async () => {
    const codes = (await gql(`{ storageSites(first: 30) { nodes { code } } }`)).data.storageSites.nodes.map((n: any) => n.code);
    const doc = (n: number) => `{ ${codes.slice(0, n).map((code: string, i: number) => `s${i}: storageSite(code: "${code}") { code region { name } }`).join(" ")} }`;
    const few = await gql(doc(2));
    const many = await gql(doc(25));
    expect(many.errors).toBeUndefined();
    expect(Object.values(many.data).map((s: any) => s.code)).toEqual(codes.slice(0, 25));
    expect(many.sqlStatements).toBe(few.sqlStatements);
  });
});

describe("README", () => {
  it("runs the sorting, paging-back and by-code examples as written", async () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Sorting, paging back"), readme.indexOf("### What a value may be"));
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((block) => block[1]);
    expect(blocks).toHaveLength(5);
    const dashboard = await t.apiKeyFor("DASHBOARD");
    for (const block of blocks) {
      const result = await gql(block, {}, dashboard);
      expect({ block, errors: result.errors }).toEqual({ block, errors: undefined });
      for (const value of Object.values(result.data)) expect(value).not.toBeNull();
    }
    const back = await gql(blocks[2], {}, dashboard);
    expect(back.data.regions.nodes).toHaveLength(3);
    expect(back.data.regions.pageInfo.hasPreviousPage).toBe(true);
    const before = await gql(blocks[2], { before: back.data.regions.pageInfo.startCursor }, dashboard);
    expect(before.data.regions.nodes.at(-1).code < back.data.regions.nodes[0].code).toBe(true);
  });
});
