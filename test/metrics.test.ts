// GET /metrics: what an operator's Prometheus scrapes, read back the way Prometheus reads it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createClient } from "graphql-ws";
import path from "node:path";
import { collectDefaultMetrics, Registry } from "prom-client";
import WebSocket from "ws";
import { MAX_OPERATION_NAMES, Metrics, OPERATION_ANONYMOUS, OPERATION_INVALID, OPERATION_OTHER } from "../src/core/ops/metrics";
import { startTestApp, type TestApp } from "./support/app";
import { parseMetrics as parse, sampleValue as value, scrape } from "./support/metrics";
import { clientFor, subscribe } from "./support/subscriptions";

/**
 * The rules of `promtool check metrics` that JavaScript can check, in promtool's words: every
 * family has HELP and TYPE, counters end in _total and nothing else does, _bucket only on
 * histograms, _count and _sum only on histograms and summaries, names in snake_case.
 */
function promtoolRuleProblems(text: string): string[] {
  const families = new Map<string, { help?: string; type?: string }>();
  for (const match of text.matchAll(/^# (HELP|TYPE) (\S+)(?: (.*))?$/gm)) {
    const family = families.get(match[2]) ?? {};
    families.set(match[2], family);
    if (match[1] === "HELP") family.help = match[3] ?? "";
    else family.type = match[3];
  }
  const problems: string[] = [];
  for (const [name, { help, type }] of families) {
    if (!help?.trim()) problems.push(`${name} no help text`);
    if (!type) problems.push(`${name} no TYPE line`);
    if (type === "counter" && !name.endsWith("_total")) problems.push(`${name} counter metrics should have "_total" suffix`);
    if (type !== "counter" && name.endsWith("_total")) problems.push(`${name} non-counter metrics should not have "_total" suffix`);
    if (type !== "histogram" && name.endsWith("_bucket")) problems.push(`${name} non-histogram metrics should not have "_bucket" suffix`);
    if (type !== "histogram" && type !== "summary" && /_(count|sum)$/.test(name)) problems.push(`${name} non-histogram and non-summary metrics should not have "_${name.split("_").pop()}" suffix`);
    if (!/^[a-z_:][a-z0-9_:]*$/.test(name)) problems.push(`${name} metric names should be written in 'snake_case' not 'camelCase'`);
  }
  for (const sample of parse(text)) {
    const family = families.has(sample.name) ? sample.name : sample.name.replace(/_(bucket|count|sum)$/, "");
    if (!families.has(family)) problems.push(`${sample.name} sample of no family (no HELP, no TYPE)`);
  }
  return problems;
}

/** promtool from PATH (Debian's package prometheus has it), or undefined. */
function findPromtool(): string | undefined {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .map((dir) => path.join(dir, "promtool"))
    .find((file) => fs.existsSync(file));
}


describe("GET /metrics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it("counts and times operations by name, and errors by code", async () => {
    const token = await t.tokenFor("auditor");
    for (let i = 0; i < 3; i++) {
      const ok = await t.graphql("query RegionCount { regions(first: 0) { totalCount } }", {}, { token });
      expect(ok.errors).toBeUndefined();
    }
    await t.graphql("{ me { role } }", {}, { token }); // anonymous operation
    expect((await t.graphql("query NotSignedIn { me { role } }")).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await t.graphql("query Broken { regions(", {}, { token })).errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect((await t.graphql("query NoSuchField { nothingHere }", {}, { token })).errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    // An operationName the document does not define (GraphiQL sends a stale one now and then).
    const unknown = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query: "query A { me { role } }", operationName: "B" }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe("OPERATION_RESOLUTION_FAILURE");

    const { status, text, contentType } = await scrape(t.url);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0.0.4/);
    const samples = parse(text);
    expect(value(samples, "kaizhou_graphql_operations_total", { operation: "RegionCount", type: "query" })).toBe(3);
    expect(value(samples, "kaizhou_graphql_operations_total", { operation: OPERATION_ANONYMOUS, type: "query" })).toBe(1);
    expect(value(samples, "kaizhou_graphql_operation_duration_seconds_count", { operation: "RegionCount", type: "query" })).toBe(3);
    expect(value(samples, "kaizhou_graphql_operation_duration_seconds_bucket", { operation: "RegionCount", type: "query", le: "+Inf" })).toBe(3);
    expect(value(samples, "kaizhou_graphql_operation_duration_seconds_sum", { operation: "RegionCount" })).toBeGreaterThan(0);
    expect(value(samples, "kaizhou_graphql_errors_total", { operation: "NotSignedIn", code: "UNAUTHENTICATED" })).toBe(1);
    expect(value(samples, "kaizhou_graphql_errors_total", { operation: OPERATION_INVALID, code: "GRAPHQL_PARSE_FAILED" })).toBe(1);
    expect(value(samples, "kaizhou_graphql_errors_total", { operation: OPERATION_INVALID, code: "OPERATION_RESOLUTION_FAILURE" })).toBe(1);
    // Names of operations that fail validation never reach a label of their own.
    expect(value(samples, "kaizhou_graphql_errors_total", { operation: OPERATION_INVALID, code: "GRAPHQL_VALIDATION_FAILED" })).toBe(1);
    expect(samples.some((s) => s.labels.operation === "NoSuchField" || s.labels.operation === "Broken")).toBe(false);
    expect(value(samples, "kaizhou_graphql_errors_total", { operation: "RegionCount" })).toBeUndefined();
    expect(value(samples, "kaizhou_http_requests_total", { route: "/graphql", method: "POST", status: "200" })).toBeGreaterThanOrEqual(4);
  });

  it("shows the database pool and the process", async () => {
    const samples = parse((await scrape(t.url)).text);
    expect(value(samples, "kaizhou_db_pool_max_connections")).toBe(10);
    expect(value(samples, "kaizhou_db_pool_connections")).toBeGreaterThanOrEqual(1);
    expect(value(samples, "kaizhou_db_pool_idle_connections")).toBeGreaterThanOrEqual(0);
    expect(value(samples, "kaizhou_db_pool_waiting_requests")).toBe(0);
    expect(value(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(value(samples, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("shows the open stock alerts by kind, as many as the stockAlerts list holds", async () => {
    const token = await t.tokenFor("auditor");
    const samples = parse((await scrape(t.url)).text);
    for (const kind of ["BELOW_MINIMUM", "EXPIRING", "EXPIRED"]) {
      const listed = await t.graphql(`query ($kind: StockAlertKind) { stockAlerts(where: { kind: $kind }) { totalCount } }`, { kind }, { token });
      expect(listed.errors).toBeUndefined();
      expect(value(samples, "kaizhou_stock_alerts", { kind })).toBe(listed.data.stockAlerts.totalCount);
    }
    // The seed holds levels below minimum and batches expiring soon, so the gauge shows something.
    expect(value(samples, "kaizhou_stock_alerts", { kind: "BELOW_MINIMUM" })).toBeGreaterThan(0);
    expect(value(samples, "kaizhou_stock_alerts", { kind: "EXPIRING" })).toBeGreaterThan(0);
  });

  it("counts open WebSocket connections", async () => {
    const token = await t.tokenFor("commander");
    const client = createClient({ url: t.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0, onNonLazyError: () => undefined });
    await new Promise<void>((resolve) => client.on("connected", () => resolve()));
    expect(value(parse((await scrape(t.url)).text), "kaizhou_websocket_connections")).toBe(1);
    await client.dispose();
    for (let i = 0; i < 50 && value(parse((await scrape(t.url)).text), "kaizhou_websocket_connections") !== 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(value(parse((await scrape(t.url)).text), "kaizhou_websocket_connections")).toBe(0);
  });

  it("counts running subscriptions while they run, and each WebSocket operation by name", async () => {
    const client = clientFor(t.url, await t.tokenFor("commander"));
    const samples = async () => parse((await scrape(t.url)).text);
    try {
      const watching = await subscribe(client, "subscription WallStock { stockLevelChanged { level { onHand } } }");
      expect(value(await samples(), "kaizhou_graphql_subscriptions_active")).toBe(1);
      expect(value(await samples(), "kaizhou_graphql_operations_total", { operation: "WallStock", type: "subscription" })).toBe(1);
      await watching.close();
      for (let i = 0; i < 50 && value(await samples(), "kaizhou_graphql_subscriptions_active") !== 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(value(await samples(), "kaizhou_graphql_subscriptions_active")).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it("follows the Prometheus naming rules promtool checks, keeping every default metric that does", async () => {
    await t.graphql("query RegionCount { regions(first: 0) { totalCount } }", {}, { token: await t.tokenFor("auditor") });
    const { text } = await scrape(t.url);
    expect(promtoolRuleProblems(text)).toEqual([]);
    // prom-client's defaults are all there but the totals named like counters; by type they stay.
    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    const served = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((match) => match[1]));
    const missing = defaults.getMetricsAsArray().map((metric) => metric.name).filter((name) => !served.has(name));
    expect(missing.sort()).toEqual(["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]);
    for (const byType of ["nodejs_active_handles", "nodejs_active_requests", "nodejs_active_resources"]) expect(served).toContain(byType);
  });

  const promtool = findPromtool();
  (promtool ? it : it.skip)(
    promtool ? "passes promtool check metrics" : "passes promtool check metrics — skipped: no promtool on PATH (Debian package prometheus)",
    async () => {
      await t.graphql("query RegionCount { regions(first: 0) { totalCount } }", {}, { token: await t.tokenFor("auditor") });
      const { text } = await scrape(t.url);
      const checked = spawnSync(promtool!, ["check", "metrics"], { input: text, encoding: "utf8" });
      expect({ status: checked.status, output: `${checked.stdout}${checked.stderr}` }).toEqual({ status: 0, output: "" });
    },
  );

  it("reports gauges that modules register, and survives one that fails", async () => {
    t.app.metrics.registerGauge("kaizhou_test_villages", "Villages and communities (test gauge)", async () => {
      const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM region WHERE level = 'VILLAGE'");
      return n;
    });
    t.app.metrics.registerGauge("kaizhou_test_broken", "A gauge whose reading fails", () => {
      throw new Error("reading failed");
    });
    t.app.metrics.registerGauge("kaizhou_test_by_level", "Regions by level (test gauge)", () => [
      { labels: { level: "TOWNSHIP" }, value: 40 },
      { labels: { level: "VILLAGE" }, value: 535 },
    ], ["level"]);
    const { status, text } = await scrape(t.url);
    expect(status).toBe(200);
    const samples = parse(text);
    expect(value(samples, "kaizhou_test_villages")).toBe(535);
    expect(value(samples, "kaizhou_test_broken")).toBeNaN(); // unknown, never a reassuring 0
    expect(text).toContain("# HELP kaizhou_test_broken A gauge whose reading fails");
    expect(value(samples, "kaizhou_test_by_level", { level: "TOWNSHIP" })).toBe(40);
    // Counted as it happens, so the next scrape shows it.
    const next = parse((await scrape(t.url)).text);
    expect(value(next, "kaizhou_metric_reading_failures_total", { metric: "kaizhou_test_broken" })).toBeGreaterThanOrEqual(1);
  });
});

it("answers only a scraper with METRICS_TOKEN when one is set", async () => {
  const secret = "metrics-token-for-the-test-0123456789";
  const t = await startTestApp({}, { METRICS_TOKEN: secret });
  try {
    const anonymous = await scrape(t.url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain("kaizhou_");
    expect((await scrape(t.url, { authorization: "Bearer not-the-token" })).status).toBe(401);
    // A user's access token is not the metrics token.
    expect((await scrape(t.url, { authorization: `Bearer ${await t.tokenFor("admin")}` })).status).toBe(401);
    const allowed = await scrape(t.url, { authorization: `Bearer ${secret}` });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain("kaizhou_graphql_operations_total");
  } finally {
    await t.stop();
  }
});

it("keeps operation-name labels bounded whatever names clients invent", () => {
  const metrics = new Metrics();
  for (let i = 0; i < MAX_OPERATION_NAMES; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
  expect(metrics.operationLabel("OneTooMany")).toBe(OPERATION_OTHER);
  expect(metrics.operationLabel("Op7")).toBe("Op7"); // known names keep their series
  expect(metrics.operationLabel(undefined)).toBe(OPERATION_ANONYMOUS);
  expect(metrics.operationLabel("not a graphql name")).toBe(OPERATION_INVALID);
});
