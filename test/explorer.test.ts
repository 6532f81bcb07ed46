// The offline explorer in a real browser (headless Chromium, the system's or the one an npm
// package ships — see support/browser.ts — driven by playwright-core): every request that is
// not to this machine is aborted and recorded, and the explorer must still load, take a token,
// show the schema's docs, run a query and a subscription, and show the results — without a
// single attempt to reach another host. Never skipped: with no browser to launch, it fails.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startTestApp, type TestApp } from "./support/app";
import { browserExecutable, browserKind, describeBrowser } from "./support/browser";

jest.setTimeout(120_000);

const BROWSER = browserKind();
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: browserExecutable(BROWSER),
    // --no-sandbox: CI and containers run as root, where Chromium's sandbox refuses to start.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  t = await startTestApp();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

interface Watched {
  context: BrowserContext;
  page: Page;
  /** Requests to another host, aborted. */
  outside: string[];
  /** Every URL the page requested or opened a WebSocket to. */
  urls: string[];
  problems: string[];
  frames: Array<{ direction: "sent" | "received"; payload: string }>;
}

async function openExplorer(): Promise<Watched> {
  const context = await browser.newContext();
  const watched: Watched = { context, page: await context.newPage(), outside: [], urls: [], problems: [], frames: [] };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (LOCAL_HOSTS.has(new URL(url).hostname)) return route.continue();
    watched.outside.push(url);
    return route.abort("blockedbyclient");
  });
  const { page } = watched;
  page.on("request", (request) => watched.urls.push(request.url()));
  page.on("websocket", (socket) => {
    watched.urls.push(socket.url());
    socket.on("framesent", (frame) => watched.frames.push({ direction: "sent", payload: String(frame.payload) }));
    socket.on("framereceived", (frame) => watched.frames.push({ direction: "received", payload: String(frame.payload) }));
  });
  page.on("pageerror", (error) => watched.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") watched.problems.push(`console: ${message.text()}`); // CSP refusals land here too
  });
  return watched;
}

function textOf(page: Page, selector: string): Promise<string> {
  return page.locator(selector).innerText();
}

async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  try {
    // Runs in the page (the suite's TypeScript has no DOM types).
    const shows = ([sel, expected]: readonly [string, string]) => Boolean((globalThis as any).document.querySelector(sel)?.innerText.includes(expected));
    await page.waitForFunction(shows, [selector, text] as const, { timeout: 20_000 });
  } catch {
    throw new Error(`"${text}" never appeared in ${selector}; it shows:\n${await textOf(page, selector).catch(() => "(nothing)")}`);
  }
}

/** Replaces the query editor's text, as typing would, and waits until GraphiQL has read it. */
async function writeQuery(page: Page, query: string, operationName: string): Promise<void> {
  await page.click(".graphiql-query-editor .CodeMirror");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(query);
  // The tab takes the operation's name once GraphiQL has parsed the new text.
  await page.waitForSelector(`.graphiql-tab-active:has-text("${operationName}")`, { timeout: 10_000 });
}

function expectOnlyLocal(watched: Watched): void {
  expect(watched.outside).toEqual([]);
  const elsewhere = watched.urls.filter((url) => !url.startsWith("data:") && !LOCAL_HOSTS.has(new URL(url).hostname));
  expect(elsewhere).toEqual([]);
}

describe(`in ${describeBrowser(BROWSER)}`, () => {
  it("serves GraphiQL from the service's own files and runs a signed-in query, docs and a subscription with the network cut off", async () => {
    const watched = await openExplorer();
    const { page } = watched;
    try {
      const response = await page.goto(t.url);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-security-policy"]).toMatch(/default-src 'none'/);
      await page.waitForSelector(".graphiql-container", { timeout: 30_000 });

      // A token from signing in through the API, pasted into the token field.
      const token = await t.tokenFor("admin");
      await page.fill("#kz-token", token);
      await page.press("#kz-token", "Tab");
      await waitForText(page, "#kz-who", "(ADMIN)");

      await writeQuery(page, `query WhoAndWhere { me { role } regions(first: 2, where: { level: TOWNSHIP }) { totalCount nodes { code name } } }`, "WhoAndWhere");
      await page.click(".graphiql-execute-button");
      await waitForText(page, ".graphiql-response", `"role": "ADMIN"`);
      const result = await textOf(page, ".graphiql-response");
      expect(result).toContain(`"totalCount": 40`);
      expect(result).toContain(`"code": "KZ-S01"`);
      expect(result).toContain("汉丰街道");

      // The schema's documentation, from introspection.
      await page.click('[aria-label="Show Documentation Explorer"]');
      await waitForText(page, ".graphiql-plugin", "Query");
      await page.locator(".graphiql-plugin a", { hasText: /^Query$/ }).first().click();
      await waitForText(page, ".graphiql-plugin", "当前登录身份。The signed-in account or API key, its role and scope.");

      // Subscriptions go over graphql-ws on the same path, with the token in connection_init.
      await writeQuery(page, "subscription ExplorerProbe { incidentChanged { change incident { title } } }", "ExplorerProbe");
      await page.click(".graphiql-execute-button");
      const messages = () => watched.frames.map((frame) => ({ ...frame, message: JSON.parse(frame.payload) }));
      for (let i = 0; i < 200 && !messages().some((m) => m.direction === "sent" && m.message.type === "subscribe"); i++) {
        await page.waitForTimeout(100);
      }
      const sent = messages().filter((m) => m.direction === "sent").map((m) => m.message);
      const received = messages().filter((m) => m.direction === "received").map((m) => m.message);
      expect(sent[0]).toEqual({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
      expect(received[0]).toEqual({ type: "connection_ack" });
      expect(sent.find((m) => m.type === "subscribe").payload).toMatchObject({ operationName: "ExplorerProbe" });
      // A change committed elsewhere shows up live in the explorer.
      await page.waitForTimeout(300);
      const commander = await t.tokenFor("commander");
      const township = await t.graphql(`{ regions(first: 1, where: { level: TOWNSHIP }) { nodes { id } } }`, {}, { token: commander });
      const opened = await t.graphql(`mutation ($r: ID!) { openIncident(input: { title: "浏览器订阅测试", hazard: FLOOD_DROUGHT, level: IV, regionIds: [$r] }) { errors { message } } }`, { r: township.data.regions.nodes[0].id }, { token: commander });
      expect(opened.data.openIncident.errors).toEqual([]);
      await waitForText(page, ".graphiql-response", "浏览器订阅测试");

      expect(watched.problems).toEqual([]);
      expectOnlyLocal(watched);
      const sockets = watched.urls.filter((url) => url.startsWith("ws"));
      expect(sockets).toEqual([t.url.replace(/^http/, "ws")]);
    } finally {
      await watched.context.close();
    }
  });

  // GraphiQL's own docs search matches names only, and the Chinese terms are in the
  // descriptions; the 搜索说明 panel (src/explorer/explorer.search.client.js) searches both and
  // opens a result in the Docs.
  it("finds 库存 and 调拨 in the descriptions and opens a result in the docs", async () => {
    const watched = await openExplorer();
    const { page } = watched;
    try {
      await page.goto(t.url);
      await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
      await page.fill("#kz-token", await t.tokenFor("logistics"));
      await page.press("#kz-token", "Tab");
      await waitForText(page, "#kz-who", "(LOGISTICS)");

      await page.click('[aria-label="Show 搜索说明 Search descriptions"]');
      const box = page.locator(".kz-search-input");
      await box.fill("库存");
      await waitForText(page, ".kz-search-results", "StockLevel");
      const stock = await textOf(page, ".kz-search-results");
      // The type whose description leads with the term comes first, then its relatives.
      expect(stock.split("\n")[0]).toBe("StockLevel");
      expect(stock).toContain("库存 Stock level");
      expect(stock).toContain("Query.stockLevels");
      expect(stock).toContain("StockLevelEdge"); // 库存分页条目
      // A result opens in the Docs, which show its description.
      await page.locator(".kz-search-result", { hasText: /^StockLevel库存 Stock level/ }).first().click();
      await waitForText(page, ".graphiql-plugin", "库存 Stock level: what one site holds of one item");
      await waitForText(page, ".graphiql-plugin", "batches");

      await page.click('[aria-label="Show 搜索说明 Search descriptions"]');
      await box.fill("调拨");
      await waitForText(page, ".kz-search-results", "DispatchOrder");
      const dispatch = await textOf(page, ".kz-search-results");
      expect(dispatch).toContain("Mutation.transferStock");
      expect(dispatch).toContain("TransferStockInput");
      expect(dispatch).toContain("调拨单");
      // A field result opens the field's page.
      await page.locator(".kz-search-result", { hasText: /^Mutation\.transferStock调拨/ }).first().click();
      await waitForText(page, ".graphiql-plugin", "调拨 Moves stock from one site to another");

      // Both words must match; English works too.
      await page.click('[aria-label="Show 搜索说明 Search descriptions"]');
      await box.fill("救援队 readiness");
      await waitForText(page, ".kz-search-results", "Query.rescueTeams");
      const teams = await textOf(page, ".kz-search-results");
      expect(teams.split("\n")[0]).toBe("RescueTeam");
      expect(teams).not.toContain("RescueTeam.code"); // 救援队编码, but no "readiness"
      await box.fill("储备点");
      await waitForText(page, ".kz-search-results", "StorageSite");
      await box.fill("没有这个词");
      await waitForText(page, ".kz-search", "No results"); // 没有结果 in Chinese (the suite reads English)

      expect(watched.problems).toEqual([]);
      expectOnlyLocal(watched);
    } finally {
      await watched.context.close();
    }
  });

  it("signs in with a demo account's username and password from the bar", async () => {
    const watched = await openExplorer();
    const { page } = watched;
    try {
      await page.goto(t.url);
      await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
      await page.fill("#kz-username", "commander");
      await page.fill("#kz-password", "wrong password");
      await page.click("#kz-signin button");
      await waitForText(page, "#kz-who", "sign-in failed");
      await page.fill("#kz-password", "kaizhou-demo");
      await page.click("#kz-signin button");
      await waitForText(page, "#kz-who", "(COMMANDER)");
      await page.click(".graphiql-execute-button"); // the example query
      await waitForText(page, ".graphiql-response", `"role": "COMMANDER"`);
      expect(watched.problems).toEqual([]);
      expectOnlyLocal(watched);
    } finally {
      await watched.context.close();
    }
  });
});

describe("explorer over plain HTTP", () => {
  it("references only its own assets, which are cached for a year and exist", async () => {
    const response = await fetch(t.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(explorer\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.map((a) => a.split("/").pop()).sort()).toEqual(["explorer-search.js", "explorer.css", "explorer.js", "graphiql.css", "graphiql.js", "graphql-ws.js", "react-dom.js", "react.js"]);
    for (const asset of assets) {
      const file = await fetch(new URL(asset, t.url));
      expect(file.status).toBe(200);
      expect(file.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    // Another version of a file, or a file not on the list, is not served.
    expect((await fetch(new URL("explorer/assets/0000000000000000/graphiql.js", t.url))).status).toBe(404);
    expect((await fetch(new URL(assets[0].replace(/[^/]+$/, "package.json"), t.url))).status).toBe(404);
  });

  it("leaves GraphQL clients alone: a JSON GET or POST reaches the API", async () => {
    const get = await fetch(`${t.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { accept: "application/json", "apollo-require-preflight": "1" } });
    expect(await get.json()).toEqual({ data: { __typename: "Query" } });
    const plain = await fetch(t.url, { headers: { accept: "*/*" } });
    expect(plain.headers.get("content-type")).not.toMatch(/html/);
    const post = await t.graphql("{ __typename }");
    expect(post.data).toEqual({ __typename: "Query" });
  });
});
