// The log line of each GraphQL request (HTTP) and WebSocket operation, for a person reading the
// log as much as for a log shipper: when (the line's ISO time), which request (requestId), which
// door and path, which operation (its name, type and root fields), who (an account's username or
// an API key's name and the role — never a token or key), from where (the client's address as
// http-body.ts's clientAddress reads it, trusting X-Forwarded-For only from the proxies it trusts),
// how it ended (ok; user_errors with their codes; error with its codes; the HTTP status) and how
// long it took (ms, SQL statements).
//
// What it never holds: variables, arguments, answers, messages (a message may quote a value), so
// no names, phones or ID numbers of members, no passwords or tokens. Codes and schema names only.
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type FieldNode, type OperationDefinitionNode } from "graphql";
import type { AppContext } from "../../context";
import type { Actor } from "../access/auth";
import { currentRequestScope, type OperationNote, type RequestLogNotes, type RequestScope } from "../http/request-scope";
import { attemptsOf } from "../mutation/unit-of-work";

function notesOf(scope: RequestScope): RequestLogNotes {
  scope.log ??= { operations: [] };
  return scope.log;
}

/** Who the request is from, as its log line names them. */
export function noteCaller(scope: RequestScope | undefined, actor: Actor | null, badCredentials: boolean): void {
  if (!scope) return;
  notesOf(scope).caller = actor ? { kind: actor.kind, name: actor.name, role: actor.role } : { kind: badCredentials ? "INVALID_CREDENTIALS" : "ANONYMOUS" };
}

/** A request refused before any operation ran (rate limit, body, batch size): its code. */
export function noteRefusal(scope: RequestScope | undefined, code: string): void {
  if (scope) notesOf(scope).refusedCode = code;
}

function codesOf(errors: readonly { extensions?: Record<string, unknown> }[]): string[] {
  return [...new Set(errors.map((error) => String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR")))];
}

/** How one operation ended: its top-level errors, else the user errors its mutations answered with. */
export function operationNote(
  operation: OperationDefinitionNode | null | undefined,
  operationName: string | null | undefined,
  errors: readonly { extensions?: Record<string, unknown> }[],
  payloads: Iterable<unknown> = [],
): OperationNote {
  const fields = (operation?.selectionSet.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD).map((field) => field.name.value);
  const base = { name: operation?.name?.value ?? operationName ?? null, type: operation?.operation ?? null, fields };
  if (errors.length) return { ...base, outcome: "error", codes: codesOf(errors) };
  const userCodes = new Set<string>();
  for (const payload of payloads) {
    const userErrors = (payload as { errors?: Array<{ code?: string }> } | null)?.errors;
    if (Array.isArray(userErrors)) for (const error of userErrors) userCodes.add(String(error.code));
  }
  return userCodes.size ? { ...base, outcome: "user_errors", codes: [...userCodes] } : { ...base, outcome: "ok", codes: [] };
}

/** Notes each GraphQL operation over HTTP as Apollo answers it; the request's line is written when the response is sent (src/server.ts). */
export function requestLogPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, request, response, contextValue }) {
          const scope = currentRequestScope();
          if (!scope) return;
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const attempts = contextValue ? attemptsOf(contextValue) : undefined;
          notesOf(scope).operations.push(operationNote(operation, request.operationName, body?.errors ?? [], [...(attempts?.values() ?? [])].map((attempt) => attempt.payload)));
        },
      };
    },
  };
}

export interface RequestLine {
  door: "http" | "websocket";
  requestId: string;
  method?: string;
  path: string;
  status?: number;
  client: string;
  ms: number;
  sql?: number;
  notes?: RequestLogNotes;
  /** A WebSocket operation's own note (the connection's caller is given in notes.caller). */
  operation?: OperationNote;
}

function callerFields(caller: RequestLogNotes["caller"]): Record<string, string> {
  if (!caller) return {};
  if (caller.kind === "ACCOUNT") return { account: caller.name, role: caller.role };
  if (caller.kind === "API_KEY") return { apiKeyName: caller.name, role: caller.role };
  return { caller: caller.kind === "ANONYMOUS" ? "anonymous" : "invalid credentials" };
}

function operationFields(note: OperationNote): Record<string, unknown> {
  return { operation: note.name, operationType: note.type, fields: note.fields };
}

/** The fields and the message of a request's log line. */
export function requestLine(line: RequestLine): { fields: Record<string, unknown>; message: string } {
  const notes = line.notes ?? { operations: [] };
  const operations = line.operation ? [line.operation] : notes.operations;
  const outcome = operations.some((o) => o.outcome === "error") || (!operations.length && (line.status ?? 200) >= 400) ? "error" : operations.some((o) => o.outcome === "user_errors") ? "user_errors" : "ok";
  const codes = [...new Set([...(notes.refusedCode ? [notes.refusedCode] : []), ...operations.flatMap((o) => o.codes)])];
  const who = callerFields(notes.caller);
  const fields: Record<string, unknown> = {
    requestId: line.requestId,
    door: line.door,
    ...(line.method ? { method: line.method } : {}),
    path: line.path,
    ...(operations.length === 1 ? operationFields(operations[0]) : operations.length > 1 ? { operations: operations.map((o) => ({ ...operationFields(o), outcome: o.outcome, codes: o.codes })) } : {}),
    ...who,
    client: line.client,
    outcome,
    ...(codes.length ? { codes } : {}),
    ...(line.status !== undefined ? { status: line.status } : {}),
    ms: Math.round(line.ms * 10) / 10,
    ...(line.sql !== undefined ? { sql: line.sql } : {}),
  };
  const what = operations.map((o) => [o.type, o.name ?? (o.fields.join(",") || null)].filter(Boolean).join(" ")).join(" + ") || "-";
  const by = who.account ? `account ${who.account}` : who.apiKeyName ? `API key ${who.apiKeyName}` : (who.caller ?? "unknown caller");
  const ending = [outcome + (codes.length ? ` [${codes.join(", ")}]` : ""), line.status !== undefined ? String(line.status) : null, `${fields.ms} ms`].filter(Boolean).join(", ");
  return { fields, message: `${line.method ? `${line.method} ` : ""}${line.path} ${what} by ${by} from ${line.client}: ${ending}` };
}
