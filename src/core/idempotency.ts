// Idempotency keys: field staff on bad networks retry. A mutation sent with
// `input.idempotencyKey` is done once per (identity, key): a retry with the same input gets the
// first response back without the work being done again; the same key with other input is a
// UserError. How it holds under crashes and races:
// - before execution a row is claimed (unique per identity and key), so a concurrent retry sees
//   "in progress" instead of running the work a second time;
// - the service transaction marks the row `committed` in the same transaction as its work
//   (inTransaction calls markCommittedInTransaction), so a crash after COMMIT can never lead
//   to the work being done twice;
// - after execution the response is stored for replay; refused and failed attempts (nothing
//   was written) release the claim so a retry runs.
import crypto from "node:crypto";
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import { Kind, type FieldNode, type GraphQLSchema, type SelectionSetNode } from "graphql";
import { getArgumentValues } from "graphql/execution/values";
import type { DataSource } from "typeorm";
import type { Actor } from "./auth";
import { inList, prepared } from "./prepared";
import { currentRequestScope } from "./request-scope";
import type { Transaction } from "./transaction";

/** A claim that never committed is abandoned (crash before COMMIT) after this long. */
const STALE_CLAIM_MS = 60_000;
const KEY_PATTERN = /^[\w.:-]{1,100}$/;

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

/** Inside a service transaction: the claimed key's work commits together with this mark. */
export function markCommittedInTransaction(tx: Transaction): void {
  const id = currentRequestScope()?.idempotencyRecordId;
  if (id !== undefined) markCommitted(tx, [id]);
}

/**
 * The same for a transaction that does the work of several requests (their claims' ids). Sent
 * with the COMMIT (nothing waits for its answer, and its failure fails the transaction).
 */
export function markCommitted(tx: Transaction, ids: readonly number[]): void {
  if (!ids.length) return;
  const [condition, params] = inList("id", ids, "int");
  void tx.sendWithCommit(prepared(tx.manager, `UPDATE idempotency_record SET committed = true WHERE ${condition}`, params));
}

/** A payload holding only `errors`, shaped to what the client selected. */
function userErrorPayload(selection: SelectionSetNode | undefined, error: { field: string; code: string; message: string }, typeName: string): Record<string, unknown> {
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
function refusal(message: string, code: string, status: number): GraphQLResponse {
  const requestId = currentRequestScope()?.requestId;
  return {
    body: { kind: "single", singleResult: { errors: [{ message, extensions: { code, requestId } }] } },
    http: { status, headers: new HeaderMap() },
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

export function idempotencyPlugin(schema: GraphQLSchema, dataSource: DataSource): ApolloServerPlugin<{ actor: Actor | null }> {
  const mutationType = schema.getMutationType();
  return {
    async requestDidStart() {
      let claimedId: number | undefined;
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
            .filter((entry) => entry.key !== undefined);
          if (keyed.length === 0) return null;
          if (currentRequestScope()?.batched) {
            // Operations of a batch run concurrently in one request scope: a claim could not be tied to its own transaction.
            return refusal("input.idempotencyKey: cannot be used inside a batched request; send the mutation on its own.", "BAD_USER_INPUT", 400);
          }
          if (fields.length > 1) {
            return refusal("input.idempotencyKey: works with one mutation per request; send the mutations separately.", "BAD_USER_INPUT", 400);
          }
          const { field, args, key } = keyed[0];
          if (!KEY_PATTERN.test(key!)) {
            return refusal("input.idempotencyKey: must be 1–100 letters, digits, '-', '_', '.', or ':' (a UUID is ideal).", "BAD_USER_INPUT", 400);
          }
          const identity = identityOf(contextValue.actor);
          if (!identity) return null; // anonymous callers are refused before this matters
          const operationName = field.name.value;
          const requestHash = hashRequest(operationName, args);
          const responseKey = field.alias?.value ?? operationName;

          if (Math.random() < 0.01) {
            // Keys are for retries within minutes; a week is plenty, and keeps the table small.
            await dataSource.query("DELETE FROM idempotency_record WHERE created_at < now() - interval '7 days'");
          }
          const claimed: Array<{ id: number }> = await dataSource.query(
            `INSERT INTO idempotency_record (identity, key, operation, request_hash) VALUES ($1, $2, $3, $4)
             ON CONFLICT (identity, key) DO NOTHING RETURNING id`,
            [identity, key, operationName, requestHash],
          );
          if (claimed.length === 0) {
            const [existing] = await dataSource.query(
              `SELECT id, operation, request_hash, committed, response, extract(epoch FROM now() - created_at) * 1000 AS age_ms
               FROM idempotency_record WHERE identity = $1 AND key = $2`,
              [identity, key],
            );
            if (existing.operation !== operationName || existing.request_hash !== requestHash) {
              const payloadType = definitionTypeName(mutationType.getFields()[operationName]?.type.toString());
              const error = { field: "input.idempotencyKey", code: "IDEMPOTENCY_KEY_REUSED", message: `this idempotency key was already used for a different request (${existing.operation} with other input); use a new key for new work` };
              replayed = true;
              return { body: { kind: "single", singleResult: { data: { [responseKey]: userErrorPayload(field.selectionSet, error, payloadType) } } }, http: withHeaders(200) };
            }
            if (existing.response) {
              replayed = true;
              return { body: { kind: "single", singleResult: existing.response }, http: withHeaders(200, { "idempotent-replayed": "true" }) };
            }
            if (Number(existing.age_ms) < STALE_CLAIM_MS) {
              // The first request is still running, or has committed and is storing its response.
              return refusal("A request with this idempotency key is still in progress; retry in a moment.", "IN_PROGRESS", 409);
            }
            if (existing.committed) {
              return refusal("This request was already carried out (idempotency key seen), but its response was lost; read the current state instead of retrying.", "ALREADY_APPLIED", 409);
            }
            // An abandoned claim (crashed before COMMIT, nothing written): take it over.
            const retaken = await dataSource.query(`UPDATE idempotency_record SET created_at = now() WHERE id = $1 AND NOT committed AND response IS NULL RETURNING id`, [existing.id]);
            if (retaken.length === 0) return refusal("A request with this idempotency key is still in progress; retry in a moment.", "IN_PROGRESS", 409);
            claimedId = existing.id;
          } else {
            claimedId = claimed[0].id;
          }
          const scope = currentRequestScope();
          if (scope) scope.idempotencyRecordId = claimedId;
          return null;
        },
        async willSendResponse({ response }) {
          if (claimedId === undefined || replayed) return;
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const codes = (body?.errors ?? []).map((error) => error.extensions?.code);
          if (!body || codes.length > 0) {
            // Refused or failed: nothing committed (unless marked), so a retry may run.
            await dataSource.query("DELETE FROM idempotency_record WHERE id = $1 AND NOT committed", [claimedId]);
            return;
          }
          await dataSource.query("UPDATE idempotency_record SET response = $2 WHERE id = $1", [claimedId, JSON.stringify({ data: body.data })]);
        },
      };
    },
  };
}

function definitionTypeName(typeString: string | undefined): string {
  return (typeString ?? "").replace(/[!\[\]]/g, "");
}
