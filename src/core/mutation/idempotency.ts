// Idempotency keys: field staff on bad networks retry. A mutation sent with
// `input.idempotencyKey` is done once per (identity, key): a retry with the same input gets the
// first result back without the work being done again; the same key with other input is a
// UserError. How it holds under crashes, stalls and races:
// - Before execution a claim row is taken (unique per identity and key) with a token of this
//   attempt and the id of this service instance (core/db/service-instance.ts).
// - The work's transaction spends the claim with its COMMIT (idempotency_commit, sent with it by
//   the mutation's unit of work, core/mutation/unit-of-work.ts): it marks the row committed and stores a reference to what the work
//   returned, and it fails — so the work commits nothing — if the row no longer carries this
//   attempt's token. A crash after COMMIT can therefore never lead to the work being done twice,
//   and neither can a retry that took the claim over from an attempt that was only slow.
// - A retry finding the claim waits (up to IDEMPOTENCY_WAIT_MS) while the attempt holding it is
//   alive: on this instance while its request runs, on another while that instance's heartbeat
//   says it lives. It never takes a claim over because of its age. It takes over only a claim
//   whose holder is gone (its request ended without committing, or its instance stopped or
//   died), and only when no transaction holds the row (SKIP LOCKED).
// - After execution the response is stored for replay, without secrets (fields marked
//   `@Extensions({ secret: true })`, e.g. a new API key); refused and failed attempts (nothing
//   committed) give the claim up so a retry runs. Should the process die between COMMIT and
//   storing the response, a retry re-executes the operation on the objects the work returned
//   (the stored reference), so it still gets the first result — as those objects are now.
import crypto from "node:crypto";
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import { GraphQLError, Kind, getNamedType, isCompositeType, isInterfaceType, isObjectType, type FieldNode, type FormattedExecutionResult, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { getArgumentValues } from "graphql/execution/values";
import type { DataSource } from "typeorm";
import type { Actor } from "../access/auth";
import { logger } from "../ops/logger";
import { prepared } from "../db/prepared";
import { currentRequestScope, inRequestLanguage } from "../http/request-scope";
import { localizedError } from "../graphql/errors";
import { message, type Message } from "../i18n/i18n";
import type { ServiceInstance } from "../db/service-instance";
import type { Transaction } from "../db/transaction";

/** What a key may be. A request with a key of another form is no keyed request: the input rules refuse it (core/graphql/input-rules.ts), after the role check. */
export const KEY_PATTERN = /^[\w.:-]{1,100}$/;
/** How often a waiting retry looks at the claim again. */
const POLL_MS = 100;

/** The claim a request holds on its idempotency key: spent by the transaction that does its work. */
export interface IdempotencyClaim {
  id: number;
  /** This attempt's token: a retry that takes the claim over replaces it. */
  token: string;
}

/** Names of values that are never stored for replay: API keys, tokens, passwords, secrets. */
const SECRET_NAME = /^(key|token|password|currentPassword|newPassword|secret|apiKey)$/i;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function hashRequest(operation: string, args: Record<string, unknown>): string {
  const input = { ...(args.input as Record<string, unknown>) };
  delete input.idempotencyKey;
  return crypto.createHash("sha256").update(`${operation}\n${canonicalJson({ ...args, input })}`).digest("hex");
}

// ---------- spending a claim in the work's transaction ----------

/**
 * What a work returned, as it can be stored and brought back: objects with a global id by that
 * id (reloaded on replay), dates as ISO strings, plain values as they are; secrets left out.
 */
export function resultReference(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) return value.map((item) => resultReference(item, depth + 1) ?? null);
  const globalId = (value as { globalId?: unknown }).globalId;
  if (typeof globalId === "string") return { $node: globalId };
  if (depth > 5) return null;
  const reference: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (SECRET_NAME.test(name)) continue;
    const stored = resultReference(item, depth + 1);
    if (stored !== undefined) reference[name] = stored;
  }
  return reference;
}

/**
 * Sent with the transaction's COMMIT: the claims of the requests whose work it did are spent,
 * each with a reference to its result. If any of them was taken over by a retry, the statement
 * fails and with it the transaction (SQLSTATE KZ409, see isClaimTakenOver).
 */
export function spendClaims(tx: Transaction, works: ReadonlyArray<{ claim: IdempotencyClaim | undefined; result: unknown }>): void {
  const claims = works.filter((work): work is { claim: IdempotencyClaim; result: unknown } => work.claim !== undefined);
  if (!claims.length) return;
  const payload = JSON.stringify(claims.map(({ claim, result }) => ({ id: claim.id, token: claim.token, result: resultReference(result) ?? null })), (_key, value) =>
    // PostgreSQL's jsonb holds no NUL character (an input echoed in a result may carry one).
    typeof value === "string" && value.includes("\u0000") ? value.replace(/\u0000/g, "\uFFFD") : value,
  );
  void tx.sendWithCommit(`SELECT idempotency_commit($1::jsonb)`, [payload]);
}

/** Set on a request's context by the plugin when its mutation holds a claim (the unit of work takes it from there). */
const CLAIM = Symbol("the request's idempotency claim");

export function claimOf(context: object): IdempotencyClaim | undefined {
  return (context as { [CLAIM]?: IdempotencyClaim })[CLAIM];
}

/** The transaction failed because a retry took its claim over (idempotency_commit). */
export function isClaimTakenOver(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  return (candidate?.driverError?.code ?? candidate?.code) === "KZ409";
}

/** What the attempt whose claim was taken over is told: the retry's answer is the one that counts. */
export function claimTakenOverError(): GraphQLError {
  return localizedError(message("idempotency.takenOver"), {
    extensions: { code: "IN_PROGRESS", http: { status: 409 } },
  });
}

// ---------- replaying a result after a crash ----------

/** Loads an object by its global id, as node(id:) does. */
export type NodeLoader<C> = (context: C, globalId: string) => Promise<object | null>;

/** Set on a request's context when its mutation is to be answered from the first attempt's result. */
const REPLAY = Symbol("replay the first attempt's result");

interface ReplayContext {
  [REPLAY]?: unknown;
}

async function revive<C>(reference: unknown, context: C, load: NodeLoader<C>): Promise<unknown> {
  if (reference === null || typeof reference !== "object") return reference;
  if (Array.isArray(reference)) return Promise.all(reference.map((item) => revive(item, context, load)));
  const record = reference as Record<string, unknown>;
  if (typeof record.$node === "string") return load(context, record.$node);
  if (typeof record.$date === "string") return new Date(record.$date);
  const revived: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(record)) revived[name] = await revive(item, context, load);
  return revived;
}

/**
 * Wraps every root mutation so that a request marked for replay (see the plugin) answers with
 * the first attempt's result, reloaded, instead of doing the work again.
 */
export function replayMutationResults<C extends object>(schema: GraphQLSchema, load: NodeLoader<C>): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve;
    if (!resolve) continue;
    field.resolve = async (source, args, context: C & ReplayContext, info) => {
      if (!(REPLAY in context)) return resolve(source, args, context, info);
      const revived = (await revive(context[REPLAY], context, load)) as Record<string, unknown> | null;
      return { ...(revived ?? {}), errors: [] };
    };
  }
}

// ---------- the plugin: claim before, store after ----------

/** A copy of the response data without the fields marked secret (`@Extensions({ secret: true })`). */
function withoutSecrets(data: unknown, selectionSet: SelectionSetNode, type: GraphQLCompositeType, schema: GraphQLSchema, fragments: Record<string, FragmentDefinitionNode>): unknown {
  if (Array.isArray(data)) return data.map((item) => withoutSecrets(item, selectionSet, type, schema, fragments));
  if (!data || typeof data !== "object") return data;
  const copy: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  const visit = (selections: SelectionSetNode, on: GraphQLCompositeType) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!(key in copy)) continue;
        const definition = isObjectType(on) || isInterfaceType(on) ? on.getFields()[selection.name.value] : undefined;
        if (!definition) continue;
        if (definition.extensions?.secret) copy[key] = null;
        else if (selection.selectionSet) {
          const childType = getNamedType(definition.type);
          if (isCompositeType(childType)) copy[key] = withoutSecrets(copy[key], selection.selectionSet, childType, schema, fragments);
        }
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
        if (!inner) continue;
        const conditionType = inner.typeCondition ? schema.getType(inner.typeCondition.name.value) : on;
        if (conditionType && isCompositeType(conditionType)) visit(inner.selectionSet, conditionType);
      }
    }
  };
  visit(selectionSet, type);
  return copy;
}

/** A payload holding only `errors`, shaped to what the client selected. */
function userErrorPayload(selection: SelectionSetNode | undefined, error: { field: string; code: string; message: string }, typeName: string): Record<string, unknown> {
  // Answered without execution, so without UserError.message's resolver: the words in the request's language here.
  const payload: Record<string, unknown> = {};
  for (const node of selection?.selections ?? []) {
    if (node.kind !== Kind.FIELD) continue;
    const key = node.alias?.value ?? node.name.value;
    if (node.name.value === "__typename") payload[key] = typeName;
    else if (node.name.value === "errors") {
      const item: Record<string, unknown> = {};
      for (const sub of node.selectionSet?.selections ?? []) {
        if (sub.kind !== Kind.FIELD) continue;
        const subKey = sub.alias?.value ?? sub.name.value;
        item[subKey] = sub.name.value === "__typename" ? "UserError" : (error as Record<string, unknown>)[sub.name.value] ?? null;
      }
      payload[key] = [item];
    } else payload[key] = null;
  }
  return payload;
}

/** A response refusing the request before execution (errors thrown from this hook would be masked as internal). */
function refusal(said: Message, code: string, status: number, headers: Record<string, string> = {}): GraphQLResponse {
  const requestId = currentRequestScope()?.requestId;
  return {
    body: { kind: "single", singleResult: { errors: [{ message: inRequestLanguage(said), extensions: { code, requestId } }] } },
    http: withHeaders(status, headers),
  };
}

function withHeaders(status: number, headers: Record<string, string> = {}): GraphQLResponse["http"] {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(headers)) map.set(name, value);
  return { status, headers: map };
}

function identityOf(actor: Actor | null): string | null {
  return actor ? `${actor.kind}:${actor.id}` : null;
}

interface ClaimRow {
  id: number;
  operation: string;
  request_hash: string;
  committed: boolean;
  response: unknown;
  result_ref: unknown;
  claim_token: string | null;
  owner_instance: string | null;
  owner_alive: boolean;
}

export interface IdempotencyOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  instance: ServiceInstance;
  /** How long a retry waits for the attempt holding its key before answering IN_PROGRESS. */
  waitMs: number;
}

export function idempotencyPlugin({ schema, dataSource, instance, waitMs }: IdempotencyOptions): ApolloServerPlugin<{ actor: Actor | null; batched?: boolean }> {
  const mutationType = schema.getMutationType();
  /** Claims held by requests running on this instance now. */
  const inFlight = new Set<number>();

  const readClaim = async (identity: string, key: string): Promise<ClaimRow | undefined> =>
    (
      await dataSource.query(
        `SELECT r.id, r.operation, r.request_hash, r.committed, r.response, r.result_ref, r.claim_token, r.owner_instance,
                EXISTS (SELECT 1 FROM service_instance i WHERE i.id = r.owner_instance AND i.expires_at > now()) AS owner_alive
         FROM idempotency_record r WHERE r.identity = $1 AND r.key = $2`,
        [identity, key],
      )
    )[0];

  /** The claim of an attempt that is gone, made this attempt's; false when a transaction holds it or it changed meanwhile. */
  const takeOver = async (row: ClaimRow, token: string): Promise<boolean> => {
    // prepared() answers rows for an UPDATE … RETURNING (TypeORM's query() answers [rows, count]).
    const taken = await prepared(
      dataSource,
      `UPDATE idempotency_record SET claim_token = $3, owner_instance = $4, created_at = now()
       WHERE id = (SELECT id FROM idempotency_record WHERE id = $1 AND claim_token IS NOT DISTINCT FROM $2::uuid AND NOT committed AND response IS NULL FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [row.id, row.claim_token, token, instance.id],
    );
    return taken.length === 1;
  };

  return {
    async requestDidStart() {
      let claim: IdempotencyClaim | undefined;
      let replayed = false;
      return {
        async responseForOperation({ operation, request, contextValue }): Promise<GraphQLResponse | null> {
          if (operation?.operation !== "mutation" || !mutationType) return null; // undefined: an unknown operationName
          const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
          const keyed = fields
            .map((field) => {
              const definition = mutationType.getFields()[field.name.value];
              const args = definition ? getArgumentValues(definition, field, request.variables ?? {}) : {};
              const key = (args.input as { idempotencyKey?: unknown } | undefined)?.idempotencyKey;
              return { field, args, key: typeof key === "string" ? key : undefined };
            })
            .filter((entry) => entry.key !== undefined && KEY_PATTERN.test(entry.key));
          if (keyed.length === 0) return null;
          if (contextValue.batched) {
            // A batch answers all its operations in one HTTP response: a retry's 409 and its
            // Idempotent-Replayed header could not say which operation they are about.
            return refusal(message("idempotency.batched"), "BAD_USER_INPUT", 400);
          }
          if (fields.length > 1) {
            return refusal(message("idempotency.oneMutation"), "BAD_USER_INPUT", 400);
          }
          const { field, args, key } = keyed[0];
          const identity = identityOf(contextValue.actor);
          if (!identity) return null; // anonymous callers are refused before this matters
          const operationName = field.name.value;
          const requestHash = hashRequest(operationName, args);
          const responseKey = field.alias?.value ?? operationName;
          const token = crypto.randomUUID();

          if (Math.random() < 0.01) {
            // Keys are for retries within minutes; a week is plenty, and keeps the table small.
            await dataSource.query("DELETE FROM idempotency_record WHERE created_at < now() - interval '7 days'");
          }
          const claimed: Array<{ id: number }> = await dataSource.query(
            `INSERT INTO idempotency_record (identity, key, operation, request_hash, claim_token, owner_instance) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (identity, key) DO NOTHING RETURNING id`,
            [identity, key, operationName, requestHash, token, instance.id],
          );
          let claimedId = claimed[0]?.id;
          const deadline = Date.now() + waitMs;
          while (claimedId === undefined) {
            const existing = await readClaim(identity, key!);
            if (!existing) {
              // Given up by its attempt a moment ago: claim it afresh.
              const again: Array<{ id: number }> = await dataSource.query(
                `INSERT INTO idempotency_record (identity, key, operation, request_hash, claim_token, owner_instance) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (identity, key) DO NOTHING RETURNING id`,
                [identity, key, operationName, requestHash, token, instance.id],
              );
              claimedId = again[0]?.id;
              continue;
            }
            if (existing.operation !== operationName || existing.request_hash !== requestHash) {
              const payloadType = getNamedType(mutationType.getFields()[operationName]!.type).name;
              const error = { field: "input.idempotencyKey", code: "IDEMPOTENCY_KEY_REUSED", message: inRequestLanguage(message("idempotency.keyReused", { operation: existing.operation })) };
              replayed = true;
              return { body: { kind: "single", singleResult: { data: { [responseKey]: userErrorPayload(field.selectionSet, error, payloadType) } } }, http: withHeaders(200) };
            }
            if (existing.response) {
              replayed = true;
              return { body: { kind: "single", singleResult: existing.response as FormattedExecutionResult }, http: withHeaders(200, { "idempotent-replayed": "true" }) };
            }
            const heldHere = existing.owner_instance === instance.id && inFlight.has(existing.id);
            const heldElsewhere = existing.owner_instance !== instance.id && existing.owner_alive;
            if (!heldHere && !heldElsewhere) {
              if (existing.committed) {
                // The first attempt committed and its answer was lost with its process: answer
                // with its result, re-read (see replayMutationResults).
                if (existing.result_ref === null || existing.result_ref === undefined) {
                  return refusal(message("idempotency.alreadyApplied"), "ALREADY_APPLIED", 409);
                }
                replayed = true;
                (contextValue as ReplayContext)[REPLAY] = existing.result_ref;
                return null;
              }
              if (await takeOver(existing, token)) {
                claimedId = existing.id;
                break;
              }
            }
            if (Date.now() >= deadline) {
              return refusal(
                message("idempotency.inProgress"),
                "IN_PROGRESS",
                409,
                { "retry-after": "1" },
              );
            }
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          }
          claim = { id: claimedId, token };
          inFlight.add(claimedId);
          (contextValue as { [CLAIM]?: IdempotencyClaim })[CLAIM] = claim;
          return null;
        },
        async willSendResponse({ response, document, operation }) {
          if (replayed) response.http.headers.set("idempotent-replayed", "true");
          if (!claim || replayed) return;
          const held = claim;
          try {
            const body = response.body.kind === "single" ? response.body.singleResult : undefined;
            const codes = (body?.errors ?? []).map((error) => error.extensions?.code);
            if (!body || codes.length > 0) {
              // Refused or failed: nothing committed under this token (unless marked), so a retry may run.
              const release = async () => {
                await dataSource.query("DELETE FROM idempotency_record WHERE id = $1 AND claim_token = $2 AND NOT committed", [held.id, held.token]);
              };
              await release().catch((error) => {
                logger.warn({ err: error, claim: held.id }, "could not give up an idempotency claim; retrying at the next heartbeat");
                instance.retryUntilDone(release);
              });
              return;
            }
            const fragments = Object.fromEntries((document?.definitions ?? []).filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
            const data = operation && mutationType ? withoutSecrets(body.data, (operation as OperationDefinitionNode).selectionSet, mutationType, schema, fragments) : body.data;
            await dataSource
              .query("UPDATE idempotency_record SET response = $3 WHERE id = $1 AND claim_token = $2", [held.id, held.token, JSON.stringify({ data })])
              // Not stored: a retry re-reads the result the COMMIT kept (result_ref).
              .catch((error) => logger.warn({ err: error, claim: held.id }, "could not store an idempotent response; a retry re-reads its result"));
          } finally {
            inFlight.delete(held.id);
          }
        },
      };
    },
  };
}
