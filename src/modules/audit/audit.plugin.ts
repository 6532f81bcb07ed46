// Records every attempted mutation — succeeded, rejected, refused or failed — once. A mutation
// whose work commits has its entry written by its own transaction: the entry is drafted here when
// the mutation's unit of work is made (draftAuditEntry, given to core/mutation/unit-of-work.ts),
// and the unit sends it with the COMMIT. Every other attempt — refused before its resolver,
// rejected with UserErrors, failed, or answered without a transaction of its own (a replay) — is
// recorded here, by an Apollo plugin once the response is built, rather than by a resolver
// middleware: refused attempts never reach a resolver, and must be recorded too. The one attempt
// that may leave two entries is a COMMIT whose answer was lost (OUTCOME_UNKNOWN): its FAILED
// entry is written here, as nothing can tell whether the one sent with the COMMIT held.
//
// The log is append-only and kept for ever, so an entry holds no personal data in clear: the
// input is summarised along the schema with the input rules (core/graphql/input-rules.ts), names,
// phones and ID numbers masked as dashboards see them, passwords redacted, uploaded files
// reduced to their size and SHA-256.
import crypto from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from "@apollo/server";
import { getOperationAST, Kind, valueFromASTUntyped, type FieldNode, type GraphQLField, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { getArgumentValues } from "graphql/execution/values";
import { MAX_TARGET_IDS, type AuditRecord, type PendingAuditEntry } from "../../core/mutation/audit-trail";
import { attemptsOf, type MutationContext } from "../../core/mutation/unit-of-work";
import { mapArguments, MAX_CODE_CHARS, MAX_TEXT_CHARS, type InputRule, type PersonalData } from "../../core/graphql/input-rules";
import { maskIdNumber, maskName, maskPhone } from "../../core/access/personal-data";
import { fromGlobalId } from "../../core/graphql/relay";
import { UserError } from "../../core/graphql/errors";
import { auditTextOf } from "../../core/http/front-door";
import type { AppContext } from "../../context";
import { AuditOutcome } from "./audit.entity";

const MAX_SUMMARY_CHARS = 4000;
/** Longer strings (beyond every rule's length; only a rejected attempt holds one) are kept as their length. */
const MAX_STRING_CHARS = MAX_TEXT_CHARS;

/**
 * A file as the log keeps it: its size and SHA-256, never its bytes (a roster sheet is a list
 * of names, phones and ID numbers). The command line's imports record the same for the file
 * they read, so an entry can be matched to a file.
 */
export function fileSummary(bytes: Buffer): { bytes: number; sha256: string } {
  return { bytes: bytes.length, sha256: crypto.createHash("sha256").update(bytes).digest("hex") };
}

/** An upload (base64, maybe a data: URL) as {@link fileSummary} of its bytes; text that is not base64, by its characters. */
function uploadSummary(content: string): Record<string, unknown> {
  const base64 = content.replace(/^data:[^,]*;base64,/, "").replace(/\s+/g, "");
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return fileSummary(Buffer.from(base64, "base64"));
  return { characters: content.length, sha256: crypto.createHash("sha256").update(content, "utf8").digest("hex") };
}

const MASKS: Record<Exclude<PersonalData, "secret" | "file">, (value: string) => string> = { name: maskName, phone: maskPhone, idNumber: maskIdNumber };

/** One value with a rule, as the log keeps it: personal data masked, secrets redacted, files by size and digest. */
function summarizeLeaf(rule: InputRule, value: unknown): unknown {
  const personal = rule.kind === "string" ? rule.personal : undefined;
  if (personal === "secret") return "[redacted]";
  if (personal) {
    if (typeof value !== "string") return "[redacted]";
    if (personal === "file") return uploadSummary(value);
    return value.trim() === "" ? value : MASKS[personal](value.trim());
  }
  return value;
}

/**
 * A mutation's arguments as its audit entry keeps them: read along the schema with the input
 * rules (core/graphql/input-rules.ts), so that whatever a rule marks personal is masked wherever it
 * sits (nested inputs, lists), secrets and files are not kept, and a field the schema does not
 * know (a request that failed validation) is not kept either.
 */
function summarizeArguments(field: GraphQLField<unknown, unknown> | undefined, args: Record<string, unknown>): unknown {
  const summary = field ? mapArguments("Mutation", field, args, summarizeLeaf, () => "[not in the schema]") : Object.fromEntries(Object.keys(args).map((key) => [key, "[not in the schema]"]));
  return bounded(summary);
}

/** Cut to a readable size: long strings by their length, lists to 50 items, six levels deep. */
function bounded(value: unknown, depth = 0): unknown {
  if (depth > 6) return "…";
  if (typeof value === "string" && value.length > MAX_STRING_CHARS) return `[${value.length} characters]`;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => bounded(item, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, bounded(item, depth + 1)]));
  return value;
}

function boundedSummary(field: GraphQLField<unknown, unknown> | undefined, args: Record<string, unknown>): unknown {
  const summary = summarizeArguments(field, args);
  const text = JSON.stringify(summary) ?? "null";
  return text.length <= MAX_SUMMARY_CHARS ? summary : { truncated: text.slice(0, MAX_SUMMARY_CHARS) };
}

/** Only ids the service could have given out name a target (a rejected attempt may hold anything). */
function addId(id: string, into: Set<string>): void {
  if (fromGlobalId(id)) into.add(id);
}

/** Global ids named in the input (fields ending in Id/Ids) and returned in the payload (`id`s). */
function collectIds(value: unknown, into: Set<string>, keyPattern: RegExp, depth = 0): void {
  if (depth > 5 || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, into, keyPattern, depth + 1);
    return;
  }
  if (typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    if (keyPattern.test(key) && typeof item === "string") addId(item, into);
    else if (keyPattern.test(key) && Array.isArray(item)) item.forEach((id) => typeof id === "string" && addId(id, into));
    else collectIds(item, into, keyPattern, depth + 1);
  }
}

const REFUSAL_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"]);
const REJECTION_CODES = new Set(["BAD_USER_INPUT"]);

/**
 * GraphQL's own messages about a value that does not fit its type quote the value — for an
 * input object missing a field, the whole object, phones and ID numbers with it. The log keeps
 * what was wrong and where, not the value.
 */
function withoutInputValues(message: string): string {
  const variable = /^Variable "\$(\w+)" got invalid value /.exec(message);
  if (variable) {
    // The path is printed after the value; inside a quoted value its quotes would be escaped.
    const at = new RegExp(` at "(${variable[1]}(?:\\.\\w+|\\[\\d+\\])*)"; `).exec(message);
    return `Variable "$${variable[1]}" got an invalid value${at ? ` at "${at[1]}"` : ""}.`;
  }
  // A literal in the document: "Expected value of type "Int!", found "abc".", "Int cannot represent …: "abc"", "Value "X" does not exist …".
  return message.replace(/\b(found|cannot represent[^:]*:|Value) [\s\S]*$/, "$1 …");
}

/**
 * What the log keeps of a payload's problems: their words in Chinese (the bureau's language),
 * whatever language the caller read them in, so that one cause reads the same in a log kept for
 * ever. The command line's imports record theirs the same way.
 */
export function auditTextOfUserErrors(errors: ReadonlyArray<UserError | { message: string }>): string {
  return errors.map((e) => (e instanceof UserError ? e.text("zh-CN") : e.message)).join("; ");
}

function outcomeOf(errors: readonly { extensions?: Record<string, unknown>; message: string; path?: readonly unknown[] }[], payload: unknown): Pick<AuditRecord, "outcome" | "errorCode" | "message"> {
  if (errors.length > 0) {
    const [first] = errors;
    const code = String(first.extensions?.code ?? "INTERNAL_SERVER_ERROR");
    const outcome = REFUSAL_CODES.has(code) ? AuditOutcome.REFUSED : REJECTION_CODES.has(code) ? AuditOutcome.REJECTED : AuditOutcome.FAILED;
    // An error without a path is the request's (parsing, validation, variables), whose messages quote values.
    // Ours are kept in Chinese whatever the caller read (core/http/front-door.ts auditTextOf).
    const text = auditTextOf(first as GraphQLFormattedError);
    return { outcome, errorCode: code, message: (first.path ? text : withoutInputValues(text)).slice(0, 1000) };
  }
  const userErrors = (payload as { errors?: Array<UserError | { code: string; message: string }> } | null)?.errors;
  if (Array.isArray(userErrors) && userErrors.length > 0) {
    return { outcome: AuditOutcome.REJECTED, errorCode: userErrors[0].code, message: auditTextOfUserErrors(userErrors).slice(0, 1000) };
  }
  return { outcome: AuditOutcome.SUCCEEDED, errorCode: null, message: null };
}

function rootFields(operation: OperationDefinitionNode): FieldNode[] {
  return operation.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
}

/** An entry's all but its outcome, from the mutation's arguments: who, what, the ids named in the input. */
function draftEntry(operation: string, field: GraphQLField<unknown, unknown> | undefined, args: Record<string, unknown>, ctx: MutationContext | undefined): PendingAuditEntry["draft"] {
  const targets = new Set<string>();
  collectIds(args, targets, /(^id$|Id$|Ids$)/);
  const actor = ctx?.actor ?? null;
  const input = (args.input ?? args) as Record<string, unknown>;
  return {
    actorKind: actor?.kind ?? null,
    actorId: actor?.id ?? null,
    actorName: actor?.name ?? (operation === "login" && typeof input.username === "string" ? input.username.slice(0, MAX_CODE_CHARS) : null),
    role: actor?.role ?? null,
    operation,
    targetIds: [...targets].slice(0, MAX_TARGET_IDS),
    inputSummary: boundedSummary(field, args),
    requestId: ctx?.requestId ?? "unknown",
    clientAddress: ctx?.clientAddress ?? null,
  };
}

/** How a mutation's unit of work drafts its audit entry (core/mutation/unit-of-work.ts makeUnitsOfWork). */
export function draftAuditEntry(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, ctx: MutationContext): PendingAuditEntry["draft"] {
  return draftEntry(field.name, field, args, ctx);
}

export function auditPlugin(schema: GraphQLSchema): ApolloServerPlugin<AppContext> {
  const mutationType = schema.getMutationType();
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext: GraphQLRequestContextWillSendResponse<AppContext>) {
          const { document, contextValue: ctx, request, response } = requestContext;
          if (!document || !mutationType) return;
          let operation: OperationDefinitionNode | null | undefined = requestContext.operation;
          try {
            operation ??= getOperationAST(document, request.operationName);
          } catch {
            return;
          }
          if (!operation || operation.operation !== "mutation") return;
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const data = (body?.data ?? {}) as Record<string, unknown>;
          const allErrors = body?.errors ?? [];
          const attempts = ctx ? attemptsOf(ctx) : undefined;
          const entries: AuditRecord[] = [];
          for (const field of rootFields(operation)) {
            const responseKey = field.alias?.value ?? field.name.value;
            const attempt = attempts?.get(responseKey);
            const entry = attempt?.unit?.audit;
            // Written with the change it records: one entry per attempt. An error in answering
            // after the COMMIT (a nested field of the payload) changes nothing of what was done.
            if (entry?.committed) continue;
            // Errors for this field, or for the whole request (validation, limits, rate).
            const errors = allErrors.filter((error) => !error.path || error.path[0] === responseKey);
            const outcome = outcomeOf(errors, attempt?.payload);
            const draft = entry?.draft ?? draftEntry(field.name.value, mutationType.getFields()[field.name.value], argumentsOf(field), ctx);
            const targets = new Set(draft.targetIds);
            collectIds(data[responseKey], targets, /^id$/);
            entries.push({ ...draft, targetIds: [...targets].slice(0, MAX_TARGET_IDS), ...outcome });
          }
          if (ctx?.services) await ctx.services.audit.record(entries);

          /** A field the execution did not reach (refused before it, or invalid): its arguments, as sent when they do not fit their types. */
          function argumentsOf(field: FieldNode): Record<string, unknown> {
            const definition = mutationType!.getFields()[field.name.value];
            const variables = request.variables ?? {};
            try {
              if (definition) return getArgumentValues(definition, field, variables);
            } catch {
              // The summary reads them along the schema all the same, masking what is personal.
            }
            return Object.fromEntries((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables)]));
          }
        },
      };
    },
  };
}
