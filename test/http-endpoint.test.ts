// POST /graphql on plain node:http (core/http/http-body.ts): the body rules of express.json() kept,
// each refusal a JSON error naming the rule, and the client's address behind a local proxy.
import zlib from "node:zlib";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp({}, { REQUEST_BODY_LIMIT_BYTES: "4096" });
  token = await t.apiKeyFor("DASHBOARD");
});
afterAll(() => t.stop());

async function post(body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

it("answers a JSON body with Apollo's answer, its length and the request id", async () => {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "client-chosen-1" },
    body: JSON.stringify({ query: "{ me { role } }" }),
  });
  const text = await response.text();
  expect(response.status).toBe(200);
  expect(JSON.parse(text)).toEqual({ data: { me: { role: "DASHBOARD" } } });
  expect(response.headers.get("x-request-id")).toBe("client-chosen-1");
  expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(text));
});

it("reads gzip- and deflate-encoded bodies, and refuses other encodings naming the ones it reads", async () => {
  const json = JSON.stringify({ query: "{ me { role } }" });
  expect((await post(zlib.gzipSync(json), { "content-encoding": "gzip" })).body.data.me.role).toBe("DASHBOARD");
  expect((await post(zlib.deflateSync(json), { "content-encoding": "deflate" })).body.data.me.role).toBe("DASHBOARD");
  const br = await post(zlib.brotliCompressSync(json), { "content-encoding": "br" });
  expect(br.status).toBe(415);
  expect(br.body.errors[0]).toMatchObject({ message: "Content-Encoding br is not supported (gzip, deflate or none).", extensions: { code: "UNSUPPORTED_MEDIA_TYPE" } });
});

it("applies the size limit to the decoded body, so a small gzip of a large body is refused too", async () => {
  const padded = JSON.stringify({ query: "{ me { role } }", variables: { padding: "x".repeat(10_000) } });
  const zipped = zlib.gzipSync(padded);
  expect(zipped.length).toBeLessThan(4096);
  const { status, body } = await post(zipped, { "content-encoding": "gzip" });
  expect(status).toBe(413);
  expect(body.errors[0].extensions).toMatchObject({ code: "PAYLOAD_TOO_LARGE", limit: 4096 });
});

it("refuses a body that is not a JSON object or array, saying so", async () => {
  const broken = await post(`{"query": `);
  expect(broken.status).toBe(400);
  expect(broken.body.errors[0]).toMatchObject({ message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } });
  const scalar = await post(`"{ me { role } }"`);
  expect(scalar.status).toBe(400);
  expect(scalar.body.errors[0].message).toBe("The request body is not valid JSON: send an object (or an array of them).");
});

it("leaves a body that is not JSON to Apollo, which refuses it as a possible cross-site request", async () => {
  const { status, body } = await post(JSON.stringify({ query: "{ me { role } }" }), { "content-type": "text/plain" });
  expect(status).toBe(400);
  expect(body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
  expect(body.errors[0].extensions.requestId).toEqual(expect.any(String));
});

it("serves POST at /graphql as express matched it: any case, a trailing slash, a query string", async () => {
  for (const path of ["/graphql/", "/GraphQL", "/graphql?client=wall"]) {
    const response = await fetch(new URL(path, t.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ me { role } }" }),
    });
    expect(((await response.json()) as any).data.me.role).toBe("DASHBOARD");
  }
});

it("still serves GET queries and refuses other methods", async () => {
  const get = await fetch(`${t.url}?query=${encodeURIComponent("{ me { role } }")}`, { headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "1" } });
  expect(((await get.json()) as any).data.me.role).toBe("DASHBOARD");
  const put = await fetch(t.url, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}" });
  expect(put.status).toBe(405);
});

it("takes the client's address from X-Forwarded-For only when a proxy on this host sent it", async () => {
  const login = (address: string) =>
    post(JSON.stringify({ query: `mutation { login(input: { username: "nobody-${address}", password: "wrong" }) { token } }` }), { "x-forwarded-for": address, authorization: "" });
  await login("203.0.113.7");
  // The test client connects from 127.0.0.1, a trusted proxy: the audit records the address it forwarded.
  const [entry] = await t.app.dataSource.query(`SELECT client_address FROM audit_entry WHERE operation = 'login' ORDER BY id DESC LIMIT 1`);
  expect(entry.client_address).toBe("203.0.113.7");
});
