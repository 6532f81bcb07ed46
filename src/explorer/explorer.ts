// The GraphQL explorer (GraphiQL) a browser gets from GET /graphql, served entirely from
// this service: the bureau's intranet often has no internet, and Apollo's landing page
// loads from a CDN.
//
// The third-party files are the UMD builds that the npm packages ship (graphiql, react,
// react-dom, graphql-ws), read from node_modules at run time: no build step, no download,
// and `npm ci` alone keeps them in step with package-lock.json. Asset URLs carry a hash of
// the file's content, so browsers may cache them for a year and an upgrade still reaches
// them. A Content-Security-Policy limits the page to this origin, so even a stray link in a
// bundled library cannot make the browser reach another host.
//
// Language: the page's own labels (the sign-in bar, the status line, the example query's
// comments) come from the catalogue (core/i18n) in the language the browser's Accept-Language
// asks for, Chinese otherwise; the browser's own requests carry the same header, so the
// service's answers in the explorer read the same language. GraphiQL's internal labels (Docs,
// History, Prettify, Variables, Headers …) stay English: GraphiQL 4.1 has no API to translate
// them (no locale prop or label overrides; the strings are compiled into @graphiql/react), and
// patching its bundle would break silently on every upgrade. Those words are GraphQL's own
// terms, which its documentation and every tutorial use as they are.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import express, { type Request, type Response, type Router } from "express";
import { LocalizedProblem, message, negotiateLocale, render, type Locale, type MessageKey } from "../core/i18n/i18n";
import { logger } from "../core/ops/logger";

interface AssetSource {
  /** npm package the file comes from; absent for the explorer's own files beside this one. */
  pkg?: string;
  file: string;
  type: string;
}

/** The labels the page's script shows (explorer.client.js reads them from #kz-labels, without the prefix). */
const CLIENT_LABELS = [
  "explorer.notSignedIn",
  "explorer.signedIn",
  "explorer.tokenRefused",
  "explorer.signInFailed",
  "explorer.noAnswer",
  "explorer.unknownReason",
  "explorer.socketClosed",
  "explorer.exampleIntro",
  // the 搜索说明 panel (explorer.search.client.js)
  "explorer.search.title",
  "explorer.search.heading",
  "explorer.search.note",
  "explorer.search.loading",
  "explorer.search.prompt",
  "explorer.search.none",
  "explorer.search.results",
  "explorer.search.placeholder",
  "explorer.search.showing",
  "explorer.search.count",
] as const satisfies readonly MessageKey[];

/** The only files served under /explorer/assets: a fixed list, never a directory. */
const SOURCES: Record<string, AssetSource> = {
  "react.js": { pkg: "react", file: "umd/react.production.min.js", type: "text/javascript; charset=utf-8" },
  "react-dom.js": { pkg: "react-dom", file: "umd/react-dom.production.min.js", type: "text/javascript; charset=utf-8" },
  "graphiql.js": { pkg: "graphiql", file: "graphiql.min.js", type: "text/javascript; charset=utf-8" },
  "graphiql.css": { pkg: "graphiql", file: "graphiql.min.css", type: "text/css; charset=utf-8" },
  "graphql-ws.js": { pkg: "graphql-ws", file: "umd/graphql-ws.min.js", type: "text/javascript; charset=utf-8" },
  "explorer-search.js": { file: "explorer.search.client.js", type: "text/javascript; charset=utf-8" },
  "explorer.js": { file: "explorer.client.js", type: "text/javascript; charset=utf-8" },
  "explorer.css": { file: "explorer.client.css", type: "text/css; charset=utf-8" },
};

export const ASSET_PATH = "/explorer/assets";

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // GraphiQL sets inline styles (pane sizes)
  "img-src 'self' data:",
  "font-src 'self' data:", // GraphiQL's fonts are inlined in its CSS
  "connect-src 'self'", // HTTP and WebSocket to this origin only
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
  hash: string;
}

function packageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    // A package whose exports hide package.json: walk up from its entry point.
    let dir = path.dirname(require.resolve(name));
    while (!fs.existsSync(path.join(dir, "package.json")) || JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name !== name) {
      const parent = path.dirname(dir);
      if (parent === dir) throw new LocalizedProblem(message("explorer.packageNotFound", { name }));
      dir = parent;
    }
    return dir;
  }
}

function sourcePath(source: AssetSource): string {
  return source.pkg ? path.join(packageDir(source.pkg), source.file) : path.join(__dirname, source.file);
}

let loaded: Map<string, Asset> | undefined;

/** Reads every asset once per process; throws with the missing package named. */
function assets(): Map<string, Asset> {
  if (loaded) return loaded;
  const map = new Map<string, Asset>();
  for (const [name, source] of Object.entries(SOURCES)) {
    let body: Buffer;
    try {
      body = fs.readFileSync(sourcePath(source));
    } catch (error) {
      throw new LocalizedProblem(message("explorer.fileMissing", { name, from: source.pkg ? `npm package ${source.pkg}` : source.file, reason: (error as Error).message }));
    }
    map.set(name, { body, type: source.type, hash: crypto.createHash("sha256").update(body).digest("hex").slice(0, 16) });
  }
  loaded = map;
  return map;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page. Asset URLs are relative ("explorer/assets/…" from /graphql), so the explorer
 * also works behind a reverse proxy that mounts the service under a path prefix.
 */
function page(files: Map<string, Asset>, locale: Locale): string {
  const url = (name: string) => escapeHtml(`${ASSET_PATH.slice(1)}/${files.get(name)!.hash}/${name}`);
  const say = (key: MessageKey) => escapeHtml(render(locale, message(key)));
  // What the page's script says (explorer.client.js): data, never run (the CSP allows only our script files).
  const labels = Object.fromEntries(CLIENT_LABELS.map((key) => [key.slice("explorer.".length), render(locale, message(key))]));
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${say("explorer.title")}</title>
<link rel="stylesheet" href="${url("graphiql.css")}">
<link rel="stylesheet" href="${url("explorer.css")}">
</head>
<body>
<header class="kz-bar">
  <strong class="kz-title">${say("explorer.heading")}</strong>
  <form id="kz-signin" class="kz-signin">
    <input id="kz-username" name="username" placeholder="${say("explorer.username")}" autocomplete="username" spellcheck="false">
    <input id="kz-password" name="password" type="password" placeholder="${say("explorer.password")}" autocomplete="current-password">
    <button type="submit">${say("explorer.signIn")}</button>
  </form>
  <label class="kz-token">${say("explorer.token")}
    <input id="kz-token" type="password" placeholder="${say("explorer.tokenPlaceholder")}" autocomplete="off" spellcheck="false">
  </label>
  <span id="kz-who" class="kz-who" role="status">${say("explorer.notSignedIn")}</span>
  <button id="kz-signout" type="button" hidden>${say("explorer.signOut")}</button>
</header>
<main id="graphiql">${say("explorer.loading")}</main>
<noscript>${say("explorer.noScript")}</noscript>
<script type="application/json" id="kz-labels">${JSON.stringify(labels).replace(/</g, "\\u003c")}</script>
<script src="${url("react.js")}"></script>
<script src="${url("react-dom.js")}"></script>
<script src="${url("graphql-ws.js")}"></script>
<script src="${url("graphiql.js")}"></script>
<script src="${url("explorer-search.js")}"></script>
<script src="${url("explorer.js")}"></script>
</body>
</html>
`;
}

/** A browser navigating to the endpoint, not a GraphQL client sending a GET query. */
function wantsExplorer(req: Request): boolean {
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html" && req.query.query === undefined;
}

/**
 * Routes for the explorer: GET <graphqlPath> for browsers (everything else falls through to
 * the GraphQL server) and GET /explorer/assets/<hash>/<file>.
 */
export function explorerRoutes(graphqlPath = "/graphql", defaultLocale: Locale = "zh-CN"): Router {
  const router = express.Router();
  const html = new Map<Locale, string>();

  router.get(graphqlPath, (req, res, next) => {
    if (!wantsExplorer(req)) return next();
    const locale = negotiateLocale(req.headers["accept-language"], defaultLocale);
    try {
      if (!html.has(locale)) html.set(locale, page(assets(), locale));
    } catch (error) {
      logger.error({ err: error }, "explorer unavailable");
      res.status(503).type("text/plain").send(`${error instanceof LocalizedProblem ? error.text(locale) : (error as Error).message}\n`);
      return;
    }
    res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("cache-control", "no-cache");
    res.setHeader("vary", "accept, accept-language");
    res.type("html").send(html.get(locale));
  });

  router.get(`${ASSET_PATH}/:hash/:name`, (req: Request<{ hash: string; name: string }>, res: Response) => {
    const locale = negotiateLocale(req.headers["accept-language"], defaultLocale);
    let files: Map<string, Asset>;
    try {
      files = assets();
    } catch (error) {
      res.status(503).type("text/plain").send(`${error instanceof LocalizedProblem ? error.text(locale) : (error as Error).message}\n`);
      return;
    }
    const asset = Object.hasOwn(SOURCES, req.params.name) ? files.get(req.params.name) : undefined;
    // Another hash is another version of the file, which this process cannot serve.
    if (!asset || asset.hash !== req.params.hash) {
      res.status(404).type("text/plain").send(`${render(locale, message("explorer.noSuchFile"))}\n`);
      return;
    }
    res.setHeader("cache-control", "public, max-age=31536000, immutable");
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("vary", "accept-encoding");
    res.type(asset.type);
    if (req.acceptsEncodings("gzip", "identity") === "gzip") {
      asset.gzipped ??= zlib.gzipSync(asset.body);
      res.setHeader("content-encoding", "gzip");
      res.send(asset.gzipped);
    } else {
      res.send(asset.body);
    }
  });

  return router;
}
