// Records every attempted mutation — succeeded, rejected, refused or failed. A mutation whose
// work commits has its entry written by its own transaction (core/audit-trail.ts): the entry is
// made when the mutation's resolver starts (auditMutationsInTheirTransactions) and rides down
// its async calls to the transaction. Every other attempt is recorded here, by an Apollo plugin
// once the response is built, rather than by a resolver middleware: type-graphql runs
// @Authorized checks before any middleware, and refused attempts must be recorded too.
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from "@apollo/server";
import { getOperationAST, GraphQLError, Kind, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { getArgumentValues } from "graphql/execution/values";
import { MAX_TARGET_IDS, runWithPendingAuditEntry, type AuditRecord, type PendingAuditEntry } from "../../core/audit-trail";
import type { AppContext } from "../../context";
import { AuditOutcome } from "./audit.entity";

const SECRET_KEYS = /password|secret|token|^key$|apikey/i;
const MAX_SUMMARY_CHARS = 4000;

/** Longer strings are files (a sheet import's base64 content): the log keeps their length, not their bytes. */
const MAX_STRING_CHARS = 1000;

/** The input without secrets, cut to a readable size. */
export function summarizeInput(value: unknown, depth = 0): unknown {
  if (depth > 6) return "…";
  if (typeof value === "string" && value.length > MAX_STRING_CHARS) return `[${value.length} characters]`;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => summarizeInput(item, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_KEYS.test(key) ? "[redacted]" : summarizeInput(item, depth + 1)]));
  }
  return value;
}

function boundedSummary(value: unknown): unknown {
  const summary = summarizeInput(value);
  const text = JSON.stringify(summary) ?? "null";
  return text.length <= MAX_SUMMARY_CHARS ? summary : { truncated: text.slice(0, MAX_SUMMARY_CHARS) };
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
    if (keyPattern.test(key) && typeof item === "string") into.add(item);
    else if (keyPattern.test(key) && Array.isArray(item)) item.forEach((id) => typeof id === "string" && into.add(id));
    else collectIds(item, into, keyPattern, depth + 1);
  }
}

const REFUSAL_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"]);
const REJECTION_CODES = new Set(["BAD_USER_INPUT"]);

function outcomeOf(errors: readonly { extensions?: Record<string, unknown>; message: string }[], payload: unknown): Pick<AuditRecord, "outcome" | "errorCode" | "message"> {
  if (errors.length > 0) {
    const code = String(errors[0].extensions?.code ?? "INTERNAL_SERVER_ERROR");
    const outcome = REFUSAL_CODES.has(code) ? AuditOutcome.REFUSED : REJECTION_CODES.has(code) ? AuditOutcome.REJECTED : AuditOutcome.FAILED;
    return { outcome, errorCode: code, message: errors[0].message.slice(0, 1000) };
  }
  const userErrors = (payload as { errors?: Array<{ code: string; message: string }> } | null)?.errors;
  if (Array.isArray(userErrors) && userErrors.length > 0) {
    return { outcome: AuditOutcome.REJECTED, errorCode: userErrors[0].code, message: userErrors.map((e) => e.message).join("; ").slice(0, 1000) };
  }
  return { outcome: AuditOutcome.SUCCEEDED, errorCode: null, message: null };
}

function rootFields(operation: OperationDefinitionNode): FieldNode[] {
  return operation.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
}

/** An entry's all but its outcome, from the mutation's arguments: who, what, the ids named in the input. */
function draftEntry(operation: string, args: Record<string, unknown>, ctx: AppContext | undefined): PendingAuditEntry["draft"] {
  const targets = new Set<string>();
  collectIds(args, targets, /(^id$|Id$|Ids$)/);
  const actor = ctx?.actor ?? null;
  const input = (args.input ?? args) as Record<string, unknown>;
  return {
    actorKind: actor?.kind ?? null,
    actorId: actor?.id ?? null,
    actorName: actor?.name ?? (operation === "login" && typeof input.username === "string" ? input.username : null),
    role: actor?.role ?? null,
    operation,
    targetIds: [...targets].slice(0, MAX_TARGET_IDS),
    inputSummary: boundedSummary(args),
    requestId: ctx?.requestId ?? "unknown",
    clientAddress: ctx?.clientAddress ?? null,
  };
}

/** A mutation field as its resolver ran: its entry, and what the resolver returned once it has. */
interface ResolvedMutation {
  entry: PendingAuditEntry;
  /** The payload: its UserErrors count for the outcome even when the client did not select `errors`. */
  payload?: unknown;
}

/**
 * One operation's mutation fields, by response key. Keyed by its context: Apollo gives each
 * operation of a batched request its own copy of the context.
 */
const resolvedMutations = new WeakMap<object, Map<string, ResolvedMutation>>();

/**
 * Makes each mutation's audit entry as its resolver starts and runs the resolver with it
 * pending, so that the transaction doing the mutation's work writes it (core/audit-trail.ts).
 * Called once on the built schema; only root mutation fields are wrapped.
 */
export function auditMutationsInTheirTransactions(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve;
    if (!resolve) continue;
    field.resolve = (source, args, ctx: AppContext, info) => {
      const resolved: ResolvedMutation = { entry: { draft: draftEntry(info.fieldName, args, ctx), committed: false } };
      let fields = resolvedMutations.get(ctx);
      if (!fields) resolvedMutations.set(ctx, (fields = new Map()));
      fields.set(String(info.path.key), resolved);
      const payload = runWithPendingAuditEntry(resolved.entry, () => resolve(source, args, ctx, info));
      // Mutation fields run one after another and the response waits for them all, so the
      // payload is known by the time the plugin below reads it.
      Promise.resolve(payload).then(
        (value) => (resolved.payload = value),
        () => {}, // a thrown error reaches the response, where the plugin reads it
      );
      return payload;
    };
  }
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
          const fields = ctx ? resolvedMutations.get(ctx) : undefined;
          const entries: AuditRecord[] = [];
          for (const field of rootFields(operation)) {
            const responseKey = field.alias?.value ?? field.name.value;
            // Errors for this field, or for the whole request (validation, limits, rate).
            const errors = allErrors.filter((error) => !error.path || error.path[0] === responseKey);
            const resolved = fields?.get(responseKey);
            const outcome = outcomeOf(errors, resolved?.payload);
            const entry = resolved?.entry;
            // Written with the work it records. Should the answer still have gone wrong after
            // the COMMIT, a second entry says so: both are true.
            if (entry?.committed && outcome.outcome === AuditOutcome.SUCCEEDED) continue;
            const draft = entry?.draft ?? draftEntry(field.name.value, argumentsOf(field), ctx);
            const targets = new Set(draft.targetIds);
            collectIds(data[responseKey], targets, /^id$/);
            entries.push({ ...draft, targetIds: [...targets].slice(0, MAX_TARGET_IDS), ...outcome });
          }
          if (ctx?.services) await ctx.services.audit.record(entries);

          /** A field the execution did not reach (refused before it, or invalid): its arguments as far as they can be read. */
          function argumentsOf(field: FieldNode): Record<string, unknown> {
            const definition = mutationType!.getFields()[field.name.value];
            try {
              return definition ? getArgumentValues(definition, field, request.variables ?? {}) : {};
            } catch (error) {
              return { unreadable: (error as GraphQLError).message };
            }
          }
        },
      };
    },
  };
}
