// GET /data/<name>.json and /data/<name>.csv: a saved document (data-endpoint.entity.ts) for
// tools that do not speak GraphQL. It is not a second executor: the request is authenticated by
// the same function as GraphQL's, takes from the same rate-limit bucket (FrontDoor.rateLimit),
// and the document then runs as a GraphQL request through Apollo itself (`execute`, given by
// src/server.ts) — the front door's checks and query limits, createContext, the roles, personal-data
// masking, error masking and the operation metrics are GraphQL's own, because it is GraphQL.
//
// Credentials: `Authorization: Bearer <API key>` (or `x-api-key`), as for /graphql; access tokens
// from `login` work too, as there. Never in the query string: a URL lands in proxy logs, browser
// history and the server's own access logs, and a key is good until revoked. Power Query
// (Web.Contents' Headers), Grafana (Infinity's custom headers) and FineReport's JSON data sets
// can all send a header, so a key in the URL (access_token=, api_key=, key=, token=, …) is
// refused with 400 and a message saying to send the header and to revoke the key.
//
// Parameters: every query-string parameter is one of the document's variables (by name); an
// unknown one is refused, so that a typo does not quietly return the unfiltered list. A value is
// text; it is read as the variable's type asks — Int and Float as numbers, Boolean as
// true/false, an input object as JSON, a list from the parameter repeated (`status=A&status=B`),
// everything else (String, ID, enums, dates) as the text itself — and then coerced by GraphQL's
// own variable coercion (getVariableValues), whose complaint is answered with 400 naming the
// parameter. An empty value (`regionId=`) counts as not given, so the default applies: a form or
// a Power Query parameter left empty means "no filter", not "the empty string".
//
// Answers: JSON is the GraphQL response as Apollo made it — status, `data`, `errors`. CSV is
// the rows by the rule in csv.ts; any error makes it an HTTP error status with a plain-text
// message (a sheet with quietly missing rows or cells would be worse than none). A page that
// has a next one, of a document that declares `$after`, says so in a `Link: <…>; rel="next"` header.
import type http from "node:http";
import {
  getNullableType,
  getOperationAST,
  getVariableValues,
  isInputObjectType,
  isListType,
  isScalarType,
  parse,
  typeFromAST,
  valueFromASTUntyped,
  type DocumentNode,
  type GraphQLError,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { Caller, FrontDoor, OperationRequest } from "../../core/http/front-door";
import { currentRequestScope, inRequestLanguage } from "../../core/http/request-scope";
import { graphqlMessageOrOriginal } from "../../core/i18n/graphql-messages";
import { message } from "../../core/i18n/i18n";
import { csvPlan, csvRows, nextCursor, writeCsv, type CsvPlan } from "./csv";
import { DataFormat, type DataEndpoint } from "./data-endpoint.entity";
import type { DataEndpointService } from "./data-endpoint.service";
import { CREDENTIAL_PARAMETERS } from "./document-check";

/** What Apollo answered for the document: status, headers and the body's text. */
export interface EngineResponse {
  status: number;
  headers: Iterable<[string, string]>;
  body: string;
}

export interface DataDoorDependencies {
  schema: GraphQLSchema;
  frontDoor: FrontDoor;
  endpoints: DataEndpointService;
  /** The caller as /graphql authenticates it. */
  callerOf(req: http.IncomingMessage): Promise<Caller>;
  /** Runs one operation as a GraphQL request over HTTP (Apollo, its plugins, createContext). */
  execute(caller: Caller, request: OperationRequest): Promise<EngineResponse>;
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Statuses for a CSV answer's errors, by the first error's code, where Apollo's status does not say more. */
const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
};

interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  plan: CsvPlan | null;
}

const PREPARED_KEPT = 200;

export function dataDoor(deps: DataDoorDependencies) {
  // Parsed documents and their CSV plans by text (the text is the key: an update gives a new one).
  const prepared = new Map<string, Prepared | null>();
  const prepare = (endpoint: DataEndpoint): Prepared | null => {
    const key = `${endpoint.formats.join(",")}\n${endpoint.document}`;
    if (prepared.has(key)) return prepared.get(key)!;
    let result: Prepared | null = null;
    try {
      const document = parse(endpoint.document, deps.frontDoor.parseOptions);
      const operation = getOperationAST(document);
      if (operation) result = { document, operation, plan: null };
    } catch {
      result = null; // no longer parses (a limit changed): the engine says why
    }
    if (result && endpoint.formats.includes(DataFormat.CSV)) {
      try {
        result.plan = csvPlan(deps.schema, result.document, result.operation);
      } catch {
        result.plan = null; // the schema changed under it: answered as a document to update
      }
    }
    if (prepared.size >= PREPARED_KEPT) prepared.delete(prepared.keys().next().value!);
    prepared.set(key, result);
    return result;
  };

  return async function serveData(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/data\/([^/]+)\.(json|csv)$/i.exec(url.pathname);
    const format = match?.[2].toLowerCase() === "csv" ? DataFormat.CSV : DataFormat.JSON;
    const refuse = (refusal: Refusal) => sendRefusal(res, format, refusal);
    if (!match) return refuse({ status: 404, code: "NOT_FOUND", message: inRequestLanguage(message("dataEndpoints.url.unknownPath")) });

    const credentialInUrl = [...new Set(url.searchParams.keys())].find((name) => CREDENTIAL_PARAMETERS.has(name.toLowerCase()));
    if (credentialInUrl) {
      return refuse({
        status: 400,
        code: "BAD_REQUEST",
        message: inRequestLanguage(message("dataEndpoints.url.credentialInUrl", { parameter: credentialInUrl })),
        extensions: { parameter: credentialInUrl },
      });
    }

    const caller = await deps.callerOf(req);
    if (caller.authError) return refuseWith(res, format, caller.authError, deps.frontDoor, 401);
    if (!caller.actor) return refuse({ status: 401, code: "UNAUTHENTICATED", message: inRequestLanguage(message("dataEndpoints.url.signInFirst")) });
    const limited = deps.frontDoor.rateLimit(caller, "http");
    if (limited) return refuseWith(res, format, limited, deps.frontDoor, 429, { "retry-after": String(limited.extensions.retryAfterSeconds) });

    let name: string;
    try {
      name = decodeURIComponent(match[1]);
    } catch {
      name = match[1]; // a malformed escape names no endpoint
    }
    const endpoint = await deps.endpoints.byName(name);
    if (!endpoint) return refuse({ status: 404, code: "NOT_FOUND", message: inRequestLanguage(message("dataEndpoints.url.noSuchEndpoint", { name })) });
    if (!endpoint.formats.includes(format)) {
      return refuse({ status: 404, code: "NOT_FOUND", message: inRequestLanguage(message("dataEndpoints.url.wrongFormat", { name, format, formats: endpoint.formats.join(", ") })) });
    }

    const ready = prepare(endpoint);
    let variables: Record<string, unknown> = {};
    if (ready) {
      const read = variablesFromQuery(deps.schema, ready.operation, url.searchParams);
      if ("refusal" in read) return refuse(read.refusal);
      variables = read.variables;
    }
    const answer = await deps.execute(caller, { query: endpoint.document, operationName: endpoint.operationName, variables });

    if (format === DataFormat.JSON) {
      for (const [key, value] of answer.headers) res.setHeader(key, value);
      res.statusCode = answer.status;
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.setHeader("content-length", Buffer.byteLength(answer.body));
      res.end(answer.body);
      return;
    }

    const passOn = Object.fromEntries([...answer.headers].filter(([key]) => key === "retry-after" || key === "x-sql-statements"));
    let body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    try {
      body = JSON.parse(answer.body);
    } catch {
      return refuse({ status: 500, code: "INTERNAL_SERVER_ERROR", message: inRequestLanguage(message("dataEndpoints.url.unreadableAnswer")) });
    }
    if (body.errors?.length) {
      const code = String(body.errors[0].extensions?.code ?? "INTERNAL_SERVER_ERROR");
      // A saved document that no longer parses or validates is the service's problem, not the caller's.
      const stale = code === "GRAPHQL_VALIDATION_FAILED" || code === "GRAPHQL_PARSE_FAILED";
      const status = stale ? 500 : answer.status >= 400 ? answer.status : (STATUS_OF_CODE[code] ?? 500);
      const lines = body.errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`);
      if (stale) lines.push(inRequestLanguage(message("dataEndpoints.url.staleDocument", { name })));
      return sendText(res, status, lines, passOn);
    }
    if (!ready?.plan) return refuse({ status: 500, code: "INTERNAL_SERVER_ERROR", message: inRequestLanguage(message("dataEndpoints.url.notCsvAnyMore", { name })) });
    const csv = writeCsv(ready.plan, csvRows(ready.plan, body.data));
    const headers: Record<string, string> = {
      ...passOn,
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${endpoint.name}.csv"`,
      "content-length": String(Buffer.byteLength(csv)),
    };
    const next = (ready.operation.variableDefinitions ?? []).some((d) => d.variable.name.value === "after") ? nextCursor(ready.plan, body.data) : null;
    if (next) {
      const nextUrl = new URL(url.toString());
      nextUrl.searchParams.set("after", next);
      headers.link = `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`;
    }
    res.writeHead(200, headers);
    res.end(csv);
  };
}

/** The query string as the operation's variables, or the refusal naming the parameter. */
export function variablesFromQuery(schema: GraphQLSchema, operation: OperationDefinitionNode, params: URLSearchParams): { variables: Record<string, unknown> } | { refusal: Refusal } {
  const definitions = operation.variableDefinitions ?? [];
  const declared = definitions.map((d) => d.variable.name.value);
  const takes = declared.length ? message("dataEndpoints.url.takes", { names: declared.join(", ") }) : message("dataEndpoints.url.takesNone");
  for (const name of new Set(params.keys())) {
    if (!declared.includes(name)) {
      return { refusal: { status: 400, code: "BAD_USER_INPUT", message: inRequestLanguage(message("dataEndpoints.url.unknownParameter", { name, takes })), extensions: { parameter: name } } };
    }
  }
  const inputs: Record<string, unknown> = {};
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const values = params.getAll(name).filter((value) => value !== "");
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!values.length) {
      if (definition.defaultValue) inputs[name] = valueFromASTUntyped(definition.defaultValue);
      continue;
    }
    if (!type) continue; // the engine reports the unknown type
    const nullable = getNullableType(type);
    if (isListType(nullable)) inputs[name] = values.map((value) => fromText(nullable.ofType as GraphQLInputType, value));
    else if (values.length > 1) return { refusal: { status: 400, code: "BAD_USER_INPUT", message: inRequestLanguage(message("dataEndpoints.url.repeatedParameter", { name, count: values.length })), extensions: { parameter: name } } };
    else inputs[name] = fromText(nullable as GraphQLInputType, values[0]);
  }
  const coerced = getVariableValues(schema, definitions, inputs, { maxErrors: 1 });
  if (coerced.errors) {
    const [error] = coerced.errors;
    const parameter = /^Variable "\$([^"]+)"/.exec(error.message)?.[1] ?? null;
    // graphql-js's words about the value, in the request's language (core/i18n/graphql-messages.ts); its English beside them for programs.
    const reason = graphqlMessageOrOriginal(error.message);
    const text = inRequestLanguage(parameter ? message("dataEndpoints.url.badParameter", { name: parameter, reason }) : reason);
    return { refusal: { status: 400, code: "BAD_USER_INPUT", message: text, extensions: { ...(parameter ? { parameter } : {}), originalMessage: error.message } } };
  }
  return { variables: inputs };
}

/** `FIELD` or `FIELD:ASC` / `FIELD:DESC`: a sort term as a URL parameter. */
const ORDER_TERM_TEXT = /^([A-Z][A-Z0-9_]*)(?::(asc|desc|ASC|DESC))?$/;

/** A `<Name>Order` input (core/graphql/relay.ts OrderInputType): a field and a direction. */
function isOrderTerm(type: GraphQLInputObjectType): boolean {
  const fields = Object.keys(type.getFields()).sort();
  return fields.length === 2 && fields[0] === "direction" && fields[1] === "field";
}

/** A query-string value as the JSON value a GraphQL client would send for this type. */
function fromText(type: GraphQLInputType, text: string): unknown {
  const named = getNullableType(type);
  if (isScalarType(named)) {
    const trimmed = text.trim();
    if (named.name === "Int") return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : text;
    if (named.name === "Float") return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
    if (named.name === "Boolean") return trimmed === "true" ? true : trimmed === "false" ? false : text;
    return text;
  }
  if (isInputObjectType(named) && isOrderTerm(named) && ORDER_TERM_TEXT.test(text.trim())) {
    // `orderBy=SITE` or `orderBy=ONHAND:DESC`, one term a parameter (repeat it for more): what a
    // spreadsheet user can type, where `{"field":"SITE"}` is not.
    const [, field, direction] = ORDER_TERM_TEXT.exec(text.trim())!;
    return direction ? { field, direction: direction.toUpperCase() } : { field };
  }
  if (isInputObjectType(named) || isListType(named)) {
    try {
      return JSON.parse(text);
    } catch {
      return text; // GraphQL's coercion says what is wrong with it
    }
  }
  return text; // enums by name
}

function sendText(res: http.ServerResponse, status: number, lines: string[], headers: Record<string, string> = {}): void {
  const requestId = currentRequestScope()?.requestId;
  const text = `${[...lines, ...(requestId ? [`request id: ${requestId}`] : [])].join("\n")}\n`;
  res.writeHead(status, { ...headers, "content-type": "text/plain; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function sendRefusal(res: http.ServerResponse, format: DataFormat, refusal: Refusal): void {
  if (format === DataFormat.CSV) return sendText(res, refusal.status, [`${refusal.code}: ${refusal.message}`], refusal.headers);
  const body = JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.extensions, requestId: currentRequestScope()?.requestId } }] });
  res.writeHead(refusal.status, { ...refusal.headers, "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A front-door error (bad credentials, rate limit) answered as GraphQL would word it. */
function refuseWith(res: http.ServerResponse, format: DataFormat, error: GraphQLError, frontDoor: FrontDoor, status: number, headers: Record<string, string> = {}): void {
  const masked = frontDoor.mask(error.toJSON(), error, currentRequestScope());
  const { code, requestId: _requestId, ...extensions } = (masked.extensions ?? {}) as Record<string, unknown>;
  sendRefusal(res, format, { status, code: String(code ?? "UNAUTHENTICATED"), message: masked.message, extensions, headers });
}
