// Trusted documents (持久化白名单): the operations the dashboards were built with, registered in
// a manifest generated from operations/*.graphql (graphql-codegen's persisted-documents.json:
// `"sha256:<hex of the document>": "<document>"`, see operations/codegen.ts), loaded at start.
//
// Two uses:
// - TRUSTED_DOCUMENTS (src/config.ts) `api-keys` or `all`: the front door (front-door.ts, both
//   doors) lets the callers it applies to run only registered operations. A document is
//   registered when the operation it runs — that operation and the fragments it uses, whatever
//   else the document holds — is one of the manifest's, compared in a normal form (printed,
//   definitions, selections, arguments and variables sorted), so white space, comments, field
//   order and the fragments' place do not matter, and nothing else passes. A hash-only request
//   (APQ) finds its text here first (below), so "by text" and "by hash" are the same check.
// - Automatic persisted queries (APQ, Apollo's): `apqCache` answers a registered document's hash
//   from the manifest, on every instance from its start, and keeps the documents clients
//   register at run time in a bounded per-instance LRU (see README "For dashboard developers").
import { graphqlMessageOrOriginal } from "../i18n/graphql-messages";
import { localizedError } from "../graphql/errors";
import { LocalizedProblem, message } from "../i18n/i18n";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { InMemoryLRUCache, PrefixingKeyValueCache, type KeyValueCache } from "@apollo/utils.keyvaluecache";
import {
  GraphQLError,
  Kind,
  parse,
  print,
  separateOperations,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { Actor } from "../access/auth";

/** Who may run only registered operations: nobody, API keys, or every signed-in caller. */
export type TrustedDocumentsMode = "off" | "api-keys" | "all";

/** The manifest shipped with the service: the four screens of operations/. */
export const DEFAULT_MANIFEST = path.resolve(__dirname, "../../../operations/generated/persisted-documents.json");

/** Largest size of the documents APQ keeps per instance beyond the manifest's (an LRU: the least recently used go first). */
export const APQ_CACHE_MAX_BYTES = 16 * 1024 * 1024;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A hash as clients send it: hex (APQ's sha256Hash) or `sha256:<hex>` (the manifest's keys, GraphQL over HTTP's document ids). */
function hexOf(hash: string): string {
  return (hash.startsWith("sha256:") ? hash.slice("sha256:".length) : hash).toLowerCase();
}

/** The normal form two documents of one operation share: printed with every list whose order means nothing sorted. */
function normalForm(document: DocumentNode): string {
  const sorted = visit(document, {
    leave(node: ASTNode) {
      switch (node.kind) {
        case Kind.DOCUMENT:
          // The operation first, then its fragments by name.
          return { ...node, definitions: [...node.definitions].sort((a, b) => byText(definitionKey(a), definitionKey(b))) };
        case Kind.SELECTION_SET:
          return { ...node, selections: [...node.selections].sort((a, b) => byText(print(a), print(b))) };
        case Kind.FIELD:
        case Kind.DIRECTIVE:
          return node.arguments ? { ...node, arguments: [...node.arguments].sort((a, b) => byText(a.name.value, b.name.value)) } : undefined;
        case Kind.OBJECT:
          return { ...node, fields: [...node.fields].sort((a, b) => byText(a.name.value, b.name.value)) };
        case Kind.OPERATION_DEFINITION:
          return node.variableDefinitions ? { ...node, variableDefinitions: [...node.variableDefinitions].sort((a, b) => byText(a.variable.name.value, b.variable.name.value)) } : undefined;
        default:
          return undefined;
      }
    },
  });
  return print(sorted);
}

function definitionKey(definition: DocumentNode["definitions"][number]): string {
  if (definition.kind === Kind.OPERATION_DEFINITION) return `0 ${definition.name?.value ?? ""}`;
  if (definition.kind === Kind.FRAGMENT_DEFINITION) return `1 ${definition.name.value}`;
  return `2 ${print(definition)}`;
}

/** The operation a request runs, on its own with the fragments it uses, in normal form, hashed. */
function operationKey(document: DocumentNode, operation: OperationDefinitionNode): string {
  const alone = separateOperations(document)[operation.name?.value ?? ""] ?? document;
  return sha256(normalForm(alone));
}

export class TrustedDocuments {
  /** Manifest documents by the hex sha256 of their text (APQ's hash). */
  private readonly byHash = new Map<string, string>();
  /** The registered operations' keys (operationKey) and names. */
  private readonly operations = new Map<string, string>();

  private constructor(readonly mode: TrustedDocumentsMode) {}

  /**
   * Reads and checks the manifests: each key the sha256 of its document, each document one that
   * parses and validates against this schema (a manifest older than the schema stops start-up
   * here rather than refusing a dashboard later). Throws naming the file and the document.
   */
  static load(mode: TrustedDocumentsMode, files: readonly string[], schema: GraphQLSchema): TrustedDocuments {
    const trusted = new TrustedDocuments(mode);
    for (const file of files) {
      let manifest: unknown;
      try {
        manifest = JSON.parse(readFileSync(file, "utf8"));
      } catch (error) {
        throw new LocalizedProblem(message("trusted.unreadable", { file, reason: (error as Error).message }));
      }
      if (!manifest || typeof manifest !== "object" || Array.isArray(manifest)) throw new LocalizedProblem(message("trusted.notAnObject", { file }));
      for (const [key, text] of Object.entries(manifest)) trusted.register(file, key, text);
    }
    for (const [hash, text] of trusted.byHash) {
      const invalid = validate(schema, parse(text));
      if (invalid.length) throw new LocalizedProblem(message("trusted.invalid", { hash, names: trusted.namesIn(text), reason: graphqlMessageOrOriginal(invalid[0].message) }));
    }
    return trusted;
  }

  private register(file: string, key: string, text: unknown): void {
    const hash = hexOf(key);
    if (typeof text !== "string") throw new LocalizedProblem(message("trusted.notAString", { file, key }));
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new LocalizedProblem(message("trusted.notAHash", { file, key }));
    if (sha256(text) !== hash) throw new LocalizedProblem(message("trusted.hashMismatch", { file, key }));
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      throw new LocalizedProblem(message("trusted.unparsable", { file, key, reason: graphqlMessageOrOriginal((error as Error).message) }));
    }
    this.byHash.set(hash, text);
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) this.operations.set(operationKey(document, definition), definition.name?.value ?? "(anonymous)");
    }
  }

  private namesIn(text: string): string {
    return parse(text).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? "(anonymous)"] : [])).join(", ");
  }

  /** Registered operations (for the start-up line and tests). */
  get size(): number {
    return this.operations.size;
  }

  /** Whether this caller may run only registered operations. Anonymous callers may only sign in anyway (the front door's gate). */
  appliesTo(actor: Actor | null): boolean {
    if (!actor || this.mode === "off") return false;
    return this.mode === "all" || actor.kind === "API_KEY";
  }

  /** Answers by parsed document: Apollo's document store hands the same DocumentNode to every request with that text. */
  private readonly answers = new WeakMap<DocumentNode, Map<OperationDefinitionNode, boolean>>();

  /** Whether the operation this document runs is a registered one. */
  trusts(document: DocumentNode, operation: OperationDefinitionNode): boolean {
    let byOperation = this.answers.get(document);
    if (!byOperation) this.answers.set(document, (byOperation = new Map()));
    let answer = byOperation.get(operation);
    if (answer === undefined) byOperation.set(operation, (answer = this.operations.has(operationKey(document, operation))));
    return answer;
  }

  /** The refusal for a caller whom the mode holds to registered operations. */
  refusal(actor: Actor, operation: OperationDefinitionNode): GraphQLError {
    const said = message("request.untrustedDocument", {
      who: message(actor.kind === "API_KEY" ? "request.untrusted.apiKeys" : "request.untrusted.everyCaller"),
      mode: this.mode,
      operation: operation.name ? message("request.untrusted.named", { name: operation.name.value }) : message("request.untrusted.anonymous"),
    });
    return localizedError(said, { extensions: { code: "UNTRUSTED_DOCUMENT", http: { status: 403 } } });
  }

  /**
   * Apollo's APQ cache: a manifest document by its hash (hex or `sha256:<hex>`) on every instance
   * without registering it; other documents registered by clients, per instance, in a bounded
   * LRU. Used for APQ alone, so Apollo's key prefix is not needed.
   */
  apqCache(maxBytes = APQ_CACHE_MAX_BYTES): KeyValueCache<string> {
    const registered = new InMemoryLRUCache<string>({ maxSize: maxBytes });
    const manifest = this.byHash;
    return PrefixingKeyValueCache.cacheDangerouslyDoesNotNeedPrefixesForIsolation({
      async get(key) {
        return manifest.get(hexOf(key)) ?? registered.get(key);
      },
      async set(key, value, options) {
        if (!manifest.has(hexOf(key))) await registered.set(key, value, options);
      },
      async delete(key) {
        return registered.delete(key);
      },
    });
  }
}
