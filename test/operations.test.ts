// The dashboards' operations (operations/*.graphql): every one validates against the emitted
// schema and is in the trusted-documents manifest, and every one runs against the seeded service
// as the role its screen uses, through the typed client graphql-codegen generated, with no errors.
// Then automatic persisted queries (hash-only GET and POST, PersistedQueryNotFound and
// registration, the manifest's hashes on a fresh instance, a bounded cache) and trusted documents
// (TRUSTED_DOCUMENTS=api-keys on this service, `all` on a second one; both doors).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildSchema, concatAST, Kind, parse, print, separateOperations, validate, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { ConfigError, loadConfig } from "../src/config";
import { Role } from "../src/core/access/auth";
import { FrontDoor } from "../src/core/http/front-door";
import { DEFAULT_MANIFEST, TrustedDocuments } from "../src/core/http/trusted-documents";
import * as ops from "../operations/generated/graphql";
import manifest from "../operations/generated/persisted-documents.json";
import { startTestApp, type TestApp } from "./support/app";
import { gid, seedIds, type SeedIds } from "./support/dispatch";
import { clientFor, subscribe } from "./support/subscriptions";

const OPERATIONS_DIR = path.join(__dirname, "..", "operations");
const files = fs.readdirSync(OPERATIONS_DIR).filter((name) => name.endsWith(".graphql"));
const fileDocuments = new Map(files.map((name) => [name, parse(fs.readFileSync(path.join(OPERATIONS_DIR, name), "utf8"))]));
const schema = buildSchema(fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8"));
const operationNames = (document: DocumentNode) => document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name!.value] : []));
const allOperationNames = [...fileDocuments.values()].flatMap(operationNames).sort();
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

type Doc<R, V> = ops.TypedDocumentString<R, V>;
const nameOf = (doc: { toString(): string }) => operationNames(parse(doc.toString()))[0];

describe("operations/*.graphql against the emitted schema", () => {
  it("validates every screen's operations together (shared fragments, unique names)", () => {
    expect(files.sort()).toEqual(["fragments.graphql", "incident-board.graphql", "logistics-desk.graphql", "map.graphql", "wall.graphql"]);
    expect(validate(schema, concatAST([...fileDocuments.values()])).map((e) => e.message)).toEqual([]);
    expect(allOperationNames.length).toBeGreaterThanOrEqual(15);
  });

  it("has every operation in the manifest the service loads, and nothing else there", () => {
    const trusted = TrustedDocuments.load("all", [DEFAULT_MANIFEST], schema);
    for (const document of fileDocuments.values()) {
      const all = concatAST([...fileDocuments.values()]);
      for (const definition of document.definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION) expect([definition.name!.value, trusted.trusts(all, definition)]).toEqual([definition.name!.value, true]);
      }
    }
    expect(trusted.size).toBe(allOperationNames.length);
    // Each key is the sha256 of its document, as APQ hashes a query's text.
    for (const [key, text] of Object.entries(manifest as Record<string, string>)) expect(key).toBe(`sha256:${sha256(text)}`);
  });
});

let t: TestApp;
let ids: SeedIds;
let dashboardKey: string;
let commander: string;
let logistics: string;
const executed = new Set<string>();

beforeAll(async () => {
  t = await startTestApp({ trustedDocuments: { mode: "api-keys", extraManifests: [] } }, { RATE_LIMIT_PER_MINUTE: "100000" });
  ids = await seedIds(t.app.dataSource);
  [commander, logistics, dashboardKey] = await Promise.all([t.tokenFor("commander"), t.tokenFor("logistics"), t.apiKeyFor("DASHBOARD", "指挥大屏")]);
});
afterAll(() => t?.stop());

/** Runs one generated document as the caller (token or API key, both sent as Bearer) and insists on no errors. */
async function run<R, V>(doc: Doc<R, V>, variables: V, credential: string): Promise<R> {
  const result = await t.graphql<R>(doc.toString(), variables as Record<string, unknown>, { token: credential });
  expect({ operation: nameOf(doc), errors: result.errors }).toEqual({ operation: nameOf(doc), errors: undefined });
  executed.add(nameOf(doc));
  return result.data!;
}

function noUserErrors(payload: { errors: readonly { code: string; message: string }[] }) {
  expect(payload.errors).toEqual([]);
}

describe("each screen as its role, through the generated client", () => {
  it("runs the wall, the map, the incident board and the logistics desk with no errors, subscriptions included", async () => {
    const township = gid("Region", ids.region["KZ-S01"]);
    const tents = gid("SupplyItem", ids.item["1010101"]);

    // Live feeds first: the wall (a DASHBOARD key) and the incident board (a commander).
    const opened = await t.graphql(`mutation ($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id } errors { code message } } }`, { input: { title: "汉丰湖内涝", hazard: "FLOOD_DROUGHT", level: "III", regionIds: [township] } }, { token: commander });
    expect(opened.data.openIncident.errors).toEqual([]);
    const incidentId: string = opened.data.openIncident.incident.id;
    const wallClient = clientFor(t.url, dashboardKey);
    const boardClient = clientFor(t.url, commander);
    try {
      const wallFeed = await subscribe(wallClient, ops.WallStockChangedDocument.toString(), { itemId: tents });
      const boardFeed = await subscribe(boardClient, ops.IncidentOrdersChangedDocument.toString(), { incidentId });

      // 物资调度台: plan, create, submit, (the commander) approve, send — as LOGISTICS.
      const plan = await run(ops.DeskPlanAllocationDocument, { input: { destination: { regionId: township }, incidentId, lines: [{ itemId: tents, quantity: 4 }] } }, logistics);
      expect(plan.planAllocation.lines[0]).toMatchObject({ requested: 4, allocated: 4, shortfall: 0 });
      const created = await run(ops.CreateDispatchOrderDocument, { input: { incidentId, destination: { regionId: township }, lines: [{ itemId: tents, quantity: 4 }], autoAllocate: true } }, logistics);
      noUserErrors(created.createDispatchOrder);
      const orderId = created.createDispatchOrder.order!.id;
      expect(created.createDispatchOrder.order!.lines[0].allocations.length).toBeGreaterThan(0);
      const drafts = await run(ops.DeskOrdersDocument, { status: "DRAFT" }, logistics);
      expect(drafts.dispatchOrders.nodes.map((o) => o.id)).toContain(orderId);
      noUserErrors((await run(ops.SubmitDispatchOrderDocument, { input: { id: orderId } }, logistics)).submitDispatchOrder);
      const wallWork = await run(ops.WallOpenWorkDocument, {}, dashboardKey);
      expect(wallWork.awaitingApproval.nodes.map((o) => o.id)).toContain(orderId);
      expect(wallWork.incidents.nodes.map((i) => i.id)).toContain(incidentId);
      noUserErrors((await run(ops.ApproveDispatchOrderDocument, { input: { id: orderId } }, commander)).approveDispatchOrder);
      const sent = await run(ops.MarkDispatchedDocument, { input: { id: orderId, transport: { driverName: "李强", driverPhone: "13800001111", vehiclePlate: "渝F·12345" } } }, logistics);
      noUserErrors(sent.markDispatched);
      expect(sent.markDispatched.order!.status).toBe("DISPATCHED");
      const onTheRoad = await run(ops.DeskInTransitDocument, {}, logistics);
      expect(onTheRoad.dispatchOrders.nodes.find((o) => o.id === orderId)?.lines[0].inTransitQuantity).toBe(4);
      expect((await run(ops.DeskStockLevelsDocument, { regionId: township, first: 20 }, logistics)).stockLevels.totalCount).toBeGreaterThan(0);
      expect((await run(ops.DeskSupplyRequestsDocument, {}, logistics)).supplyRequests.totalCount).toBeGreaterThan(0);

      // 事件处置看板 as COMMANDER.
      const team = await t.app.dataSource.query(`SELECT id FROM rescue_team WHERE code = 'KZ-TT-S01'`);
      const ready = await t.graphql(`mutation ($input: UpdateTeamReadinessInput!) { updateTeamReadiness(input: $input) { errors { code } } }`, { input: { teamId: gid("RescueTeam", team[0].id), status: "READY", availableMembers: 10 } }, { token: await t.tokenFor("leader.kz-s01") });
      expect(ready.data.updateTeamReadiness.errors).toEqual([]);
      const deployed = await t.graphql(`mutation ($input: DeployTeamInput!) { deployTeam(input: $input) { errors { code } } }`, { input: { incidentId, teamId: gid("RescueTeam", team[0].id), headcount: 6 } }, { token: commander });
      expect(deployed.data.deployTeam.errors).toEqual([]);
      const board = await run(ops.IncidentBoardDocument, {}, commander);
      expect(board.incidents.nodes.map((i) => i.id)).toContain(incidentId);
      const detail = await run(ops.IncidentDetailDocument, { id: incidentId }, commander);
      expect(detail.incident!.teamDeployments).toEqual([expect.objectContaining({ headcount: 6, active: true })]);
      expect(detail.incident!.dispatchOrders.nodes).toEqual([expect.objectContaining({ id: orderId, driverName: "李强", vehiclePlate: "渝F·12345" })]);

      // 指挥大屏 and the map as a DASHBOARD key: personal data masked.
      const summary = await run(ops.WallSummaryDocument, { itemIds: [tents] }, dashboardKey);
      expect(summary.stockSummary[0].item.code).toBe("1010101");
      expect(summary.readinessSummary.teams).toBeGreaterThan(0);
      await run(ops.WallAlertsDocument, { first: 20 }, dashboardKey);
      const sites = await run(ops.MapSitesDocument, { regionId: township }, dashboardKey);
      expect(sites.storageSites.nodes.length).toBeGreaterThan(1);
      expect(sites.storageSites.nodes.every((s) => s.latitude > 30 && s.longitude > 107)).toBe(true);
      const teams = await run(ops.MapTeamsDocument, {}, dashboardKey);
      expect(teams.rescueTeams.nodes.find((x) => x.code === "KZ-TT-S01")).toMatchObject({ readinessStatus: "DEPLOYED", deployedMembers: 6 });
      const siteStock = await run(ops.MapSiteStockDocument, { siteId: gid("StorageSite", ids.site["KZ-S01-P"]) }, dashboardKey);
      expect(siteStock.storageSite!.stock.totalCount).toBeGreaterThan(0);
      expect(siteStock.storageSite!.custodianName ?? "张*").toMatch(/\*/);

      // The live feeds heard the order move and the stock leave.
      const changes = (await boardFeed.waitFor(4)).map((e) => e.dispatchOrderChanged.change);
      expect(changes).toEqual(expect.arrayContaining(["CREATED", "SUBMITTED", "APPROVED", "DISPATCHED"]));
      const stock = await wallFeed.waitFor(1);
      expect(stock[0].stockLevelChanged.level.item.code).toBe("1010101");
      executed.add("WallStockChanged").add("IncidentOrdersChanged");
    } finally {
      await wallClient.dispose();
      await boardClient.dispose();
    }
    // A new operation in operations/ needs its place here.
    expect([...executed].sort()).toEqual(allOperationNames);
  });
});

/** A POST carrying only an APQ hash (or with the query too, to register it). */
async function apq(credential: string | null, hash: string, query?: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const response = await fetch(t.url, { method: "POST", headers, body: JSON.stringify({ query, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }) });
  return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
}

async function apqGet(credential: string, hash: string, variables?: Record<string, unknown>) {
  const search = new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) });
  if (variables) search.set("variables", JSON.stringify(variables));
  const response = await fetch(`${t.url}?${search}`, { headers: { authorization: `Bearer ${credential}`, "apollo-require-preflight": "1" } });
  return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
}

describe("automatic persisted queries", () => {
  it("answers an unknown hash PersistedQueryNotFound, registers it with its text, then runs it by hash (POST and GET)", async () => {
    const query = `query MyTownship { regions(first: 3, where: { level: TOWNSHIP }) { nodes { code } } }`;
    const hash = sha256(query);
    const missing = await apq(commander, hash);
    expect(missing.errors?.[0]).toMatchObject({ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } });
    const wrong = await apq(commander, sha256("something else"), query);
    expect(wrong.status).toBe(400);
    expect(wrong.errors?.[0]).toMatchObject({ message: "provided sha does not match query", extensions: { code: "BAD_REQUEST" } });
    const registered = await apq(commander, hash, query);
    expect(registered.errors).toBeUndefined();
    expect(registered.data.regions.nodes).toHaveLength(3);
    const byHash = await apq(commander, hash);
    expect(byHash.data).toEqual(registered.data);
    const byGet = await apqGet(commander, hash);
    expect(byGet.status).toBe(200);
    expect(byGet.data).toEqual(registered.data);
  });

  it("knows the manifest's documents by hash on a fresh instance, hex or sha256:hex, without registering them", async () => {
    const [key, text] = Object.entries(manifest as Record<string, string>).find(([, doc]) => /query WallSummary\b/.test(doc))!;
    const hex = key.slice("sha256:".length);
    const first = await apqGet(dashboardKey, hex, { itemIds: [gid("SupplyItem", ids.item["1010101"])] });
    expect(first.errors).toBeUndefined();
    expect(first.data.stockSummary[0].item.code).toBe("1010101");
    const prefixed = await apq(dashboardKey, key, undefined, { itemIds: [] });
    expect(prefixed.errors).toBeUndefined();
    expect(text).toContain("readinessSummary");
  });

  it("registers nothing the front door refused", async () => {
    const query = `{ me { name } }`;
    const anonymous = await apq(null, sha256(query), query);
    expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const after = await apq(commander, sha256(query));
    expect(after.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("keeps client-registered documents in a bounded LRU, and the manifest's always", async () => {
    const trusted = TrustedDocuments.load("off", [DEFAULT_MANIFEST], schema);
    const cache = trusted.apqCache(4096);
    const [manifestKey, manifestText] = Object.entries(manifest as Record<string, string>)[0];
    for (let i = 0; i < 100; i++) await cache.set(`h${i}`, `query Q${i} { me { name } } # ${"x".repeat(100)}`);
    expect(await cache.get("h0")).toBeUndefined(); // the oldest were dropped
    expect(await cache.get("h99")).toContain("Q99");
    expect(await cache.get(manifestKey.slice(7))).toBe(manifestText);
    expect(await cache.get(manifestKey)).toBe(manifestText);
  });
});

const UNREGISTERED = `query Scrape { storageSites(first: 100) { nodes { code custodianName custodianPhone } } }`;

describe("trusted documents (TRUSTED_DOCUMENTS=api-keys)", () => {
  it("refuses an API key's document that is not registered, by text or by hash, and lets staff send any", async () => {
    const refused = await t.graphql(UNREGISTERED, {}, { token: dashboardKey });
    expect(refused.status).toBe(403);
    expect(refused.errors?.[0].extensions?.code).toBe("UNTRUSTED_DOCUMENT");
    expect(refused.errors?.[0].message).toContain("TRUSTED_DOCUMENTS=api-keys");
    expect(refused.data).toBeUndefined();

    // Registering it over APQ is refused too, and registers nothing.
    expect((await apq(dashboardKey, sha256(UNREGISTERED), UNREGISTERED)).errors?.[0].extensions?.code).toBe("UNTRUSTED_DOCUMENT");
    expect((await apq(dashboardKey, sha256(UNREGISTERED))).errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    // A hash staff registered names an unregistered document: still refused for the key.
    expect((await apq(commander, sha256(UNREGISTERED), UNREGISTERED)).errors).toBeUndefined();
    expect((await apq(dashboardKey, sha256(UNREGISTERED))).errors?.[0].extensions?.code).toBe("UNTRUSTED_DOCUMENT");

    // Staff accounts (the explorer's users) still send anything.
    expect((await t.graphql(UNREGISTERED, {}, { token: commander })).errors).toBeUndefined();
  });

  it("accepts a registered operation however it is written, and nothing more than it", async () => {
    // The wall's four operations in one document with the fragments they use, and operationName.
    const each = separateOperations(concatAST([...fileDocuments.values()]));
    const definitions = operationNames(fileDocuments.get("wall.graphql")!).flatMap((name) => each[name].definitions);
    const wall = [...new Map(definitions.map((d) => [print(d), d])).keys()].join("\n");
    const response = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${dashboardKey}` }, body: JSON.stringify({ query: wall, operationName: "WallAlerts", variables: { first: 3 } }) });
    const body = (await response.json()) as { data?: any; errors?: any[] };
    expect(body.errors).toBeUndefined();
    // Reprinted on one line.
    const oneLine = print(parse(ops.MapTeamsDocument.toString())).replace(/\s+/g, " ");
    expect((await t.graphql(oneLine, { first: 2 }, { token: dashboardKey })).errors).toBeUndefined();
    // One field more than registered: refused.
    const more = ops.MapTeamsDocument.toString().replace("readinessStatus", "readinessStatus members(first: 5) { nodes { name phone } }");
    expect((await t.graphql(more, {}, { token: dashboardKey })).errors?.[0].extensions?.code).toBe("UNTRUSTED_DOCUMENT");
    // An operation renamed: refused (the name is part of what was registered).
    const renamed = ops.MapTeamsDocument.toString().replace("query MapTeams", "query OtherTeams");
    expect((await t.graphql(renamed, {}, { token: dashboardKey })).errors?.[0].extensions?.code).toBe("UNTRUSTED_DOCUMENT");
  });

  it("does not hold the service's own saved documents (data URLs) to the manifest", () => {
    const config = loadConfig({});
    const door = new FrontDoor(schema, config.limits, false, { rateLimited: () => undefined }, TrustedDocuments.load("api-keys", [DEFAULT_MANIFEST], schema));
    const key = { kind: "API_KEY" as const, id: 7, name: "报表", role: Role.DASHBOARD, scopeRegionId: null, teamId: null };
    const document = parse(UNREGISTERED);
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(door.check({ actor: key, authError: null, clientAddress: "127.0.0.1", locale: "en" as const }, "http", document, operation, {})?.extensions.code).toBe("UNTRUSTED_DOCUMENT");
    expect(door.check({ actor: key, authError: null, clientAddress: "127.0.0.1", locale: "en" as const, savedDocument: true }, "http", document, operation, {})).toBeNull();
  });

  it("holds the WebSocket door to the same rule", async () => {
    const client = clientFor(t.url, dashboardKey);
    try {
      const refused = await subscribe(client, `subscription { stockLevelChanged { level { onHand } } }`);
      await expect(refused.waitFor(1)).rejects.toThrow(/UNTRUSTED_DOCUMENT/);
    } finally {
      await client.dispose();
    }
  });
});

describe("TRUSTED_DOCUMENTS=all", () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ trustedDocuments: { mode: "all", extraManifests: [] } });
  });
  afterAll(() => strict?.stop());

  it("holds signed-in staff to registered operations too; signing in still works", async () => {
    const token = await strict.tokenFor("commander"); // login, anonymous, is not held
    const refused = await strict.graphql(UNREGISTERED, {}, { token });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "UNTRUSTED_DOCUMENT" } });
    expect(refused.errors?.[0].message).toContain("every caller");
    const board = await strict.graphql(ops.IncidentBoardDocument.toString(), {}, { token });
    expect(board.errors).toBeUndefined();
  });
});

describe("the setting and the manifest", () => {
  it("defaults to off in development and api-keys in production, and names the setting when wrong", () => {
    expect(loadConfig({}).trustedDocuments.mode).toBe("off");
    expect(loadConfig({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }).trustedDocuments.mode).toBe("api-keys");
    expect(loadConfig({ TRUSTED_DOCUMENTS: "all", TRUSTED_DOCUMENTS_MANIFESTS: "a.json, b.json" }).trustedDocuments).toEqual({ mode: "all", extraManifests: [path.resolve("a.json"), path.resolve("b.json")] });
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: "some" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: "some" })).toThrow(/^TRUSTED_DOCUMENTS: /);
  });

  it("refuses a manifest whose hash is not its document's, or whose document no longer validates", () => {
    const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "manifest-"));
    const tampered = path.join(dir, "tampered.json");
    fs.writeFileSync(tampered, JSON.stringify({ [`sha256:${sha256("query A { me { name } }")}`]: "query A { me { name role } }" }));
    expect(() => TrustedDocuments.load("api-keys", [tampered], schema)).toThrow(/not the sha256 of its document/);
    const stale = path.join(dir, "stale.json");
    const old = "query Old { me { nickname } }";
    fs.writeFileSync(stale, JSON.stringify({ [`sha256:${sha256(old)}`]: old }));
    expect(() => TrustedDocuments.load("api-keys", [stale], schema)).toThrow(/Old.*does not validate/);
    fs.rmSync(dir, { recursive: true });
  });
});
