// Reading a POST /graphql body and answering with JSON, on plain node:http.
//
// POST /graphql is served without express (src/server.ts): every request there passed a dozen
// router layers, body-parser and express's res.send (which hashes every body for an ETag that
// a POST never uses), and bench S3 measured that stack as a large part of what a request costs
// when it does nothing. The rules stay those of express.json(): a body is read as JSON only
// when Content-Type says application/json; it may be gzip- or deflate-encoded; at most
// `limit` bytes after decoding; strict JSON (an object or an array).
import type { IncomingMessage, ServerResponse } from "node:http";
import zlib from "node:zlib";
import proxyaddr from "proxy-addr";
import { message, type Message } from "../i18n/i18n";

/** The body, or the refusal to answer with: its status, message, code and any further extensions. */
export type BodyRead = { body: unknown } | { status: 400 | 413 | 415; message: Message; code: string; extensions?: Record<string, unknown> };

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** The parsed body, `undefined` for a body that is not JSON (Apollo then refuses it), or why it was refused. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const tooLarge: BodyRead = { status: 413, code: "PAYLOAD_TOO_LARGE", message: message("request.bodyTooLarge", { limit }), extensions: { limit } };
  if (!JSON_TYPE.test(req.headers["content-type"] ?? "")) {
    req.resume(); // read and dropped, so the connection can serve the next request
    return Promise.resolve({ body: undefined });
  }
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip" && encoding !== "deflate") {
    req.resume();
    return Promise.resolve({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: message("request.unsupportedEncoding", { encoding }) });
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > limit) {
        refused = true;
        chunks.length = 0;
        resolve(tooLarge); // the rest is read and dropped
      } else chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (refused) return;
      let raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (encoding !== "identity") {
        try {
          raw = encoding === "gzip" ? zlib.gunzipSync(raw, { maxOutputLength: limit }) : zlib.inflateSync(raw, { maxOutputLength: limit });
        } catch (error) {
          resolve((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? tooLarge : { status: 400, code: "BAD_REQUEST", message: message("request.badEncoding", { encoding }) });
          return;
        }
      }
      resolve(parseStrictJson(raw.toString("utf8")));
    });
  });
}

function parseStrictJson(text: string): BodyRead {
  const start = text.search(/\S/);
  if (start === -1) return { body: {} }; // as express.json(): an empty body is an empty object
  if (text[start] !== "{" && text[start] !== "[") return { status: 400, code: "BAD_REQUEST", message: message("request.notJsonObject") };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { status: 400, code: "BAD_REQUEST", message: message("request.notJson") };
  }
}

/** The client's address: the socket's, or behind a reverse proxy on this host the X-Forwarded-For it names (as express's `trust proxy: loopback`). */
const trustLoopback = proxyaddr.compile("loopback");
export function clientAddress(req: IncomingMessage): string {
  return proxyaddr(req, trustLoopback);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
