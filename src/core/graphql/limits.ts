// Protection for a public GraphQL endpoint: tokens (at parsing), then depth, cost (with list
// multipliers from `first`), aliases and operations per document. The measures are taken after
// validation and before execution (variables known, so `first: $n` counts), for HTTP and
// WebSocket alike; a refused query never runs. Each error names the measured figure, the
// limit, and the setting that changes it.
//
// The measuring is bounded by the document's size, whatever the document: a fragment's depth
// and cost depend only on its own selections, its type condition and the request's variables,
// never on where it is spread, so each fragment is measured once and reused. Walking every
// spread instead visited 2^n selections for n fragments that each spread the next one twice
// (25 levels in 1 KB held the event loop 7.4 s). Parsing is bounded by GRAPHQL_MAX_TOKENS
// (graphql-js `maxTokens`), which also bounds validation: graphql-js 16.15 meters its one
// super-linear rule (OverlappingFieldsCanBeMerged) itself, and at 2,000 tokens the worst
// document measured here parsed and validated in under 30 ms on the real schema.
import {
  GraphQLError,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from "graphql";
import type { LimitsConfig } from "../../config";
import { message, type MessageKey } from "../i18n/i18n";
import { localizedError } from "./errors";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./relay";

function tooComplex(key: MessageKey, measured: number, limit: number, setting: string): GraphQLError {
  return localizedError(message(key, { measured, limit, setting }), {
    extensions: { code: "QUERY_TOO_COMPLEX", measured, limit, setting, http: { status: 400 } },
  });
}

interface Measure {
  depth: number;
  cost: number;
}

/** What checkQueryLimits compares with the limits, and the work it took to find out. */
export interface QueryMeasures {
  operations: number;
  aliases: number;
  /** Depth and cost of the operation to run; 0 without one. */
  depth: number;
  cost: number;
  /** AST nodes the measuring looked at: at most about twice the document's nodes. */
  visitedNodes: number;
}

/** Depth and cost of one operation, each fragment measured once (see the header). */
class OperationMeasurer {
  visitedNodes = 0;
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measuredFragments = new Map<string, Measure>();
  private readonly measuring = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  /** Depth and cost of a selection set; introspection fields cost nothing. */
  selectionSet(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType): Measure {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      this.visitedNodes++;
      let inner: Measure | undefined;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith("__")) continue;
        const definition = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[selection.name.value] : undefined;
        let child: Measure = { depth: 0, cost: 0 };
        if (selection.selectionSet && definition) {
          const childType = getNamedType(definition.type);
          if (isCompositeType(childType)) child = this.selectionSet(selection.selectionSet, childType);
        }
        // A field that pages (`first`, or `last` paging back) multiplies what is below it by the page size asked for.
        const pages = definition?.args.some((arg) => arg.name === "first");
        const last = selection.arguments?.find((arg) => arg.name.value === "last")?.value;
        const lastSize = last && last.kind !== Kind.NULL ? this.pageSize(last) : 0;
        const multiplier = pages ? Math.max(1, lastSize, this.pageSize(selection.arguments?.find((arg) => arg.name.value === "first")?.value)) : 1;
        depth = Math.max(depth, 1 + child.depth);
        cost += 1 + multiplier * child.cost;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        if (type && isCompositeType(type)) inner = this.selectionSet(selection.selectionSet, type);
      } else {
        inner = this.fragment(selection.name.value);
      }
      if (inner) {
        depth = Math.max(depth, inner.depth);
        cost += inner.cost;
      }
    }
    return { depth, cost };
  }

  private fragment(name: string): Measure | undefined {
    const known = this.measuredFragments.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // Unknown fragments and cycles fail standard validation, which runs first; skipping them
    // here only keeps the measuring finite should it ever see one.
    if (!fragment || this.measuring.has(name)) return undefined;
    const type = this.schema.getType(fragment.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return undefined;
    this.measuring.add(name);
    const measure = this.selectionSet(fragment.selectionSet, type);
    this.measuring.delete(name);
    this.measuredFragments.set(name, measure);
    return measure;
  }

  private pageSize(value: ValueNode | undefined): number {
    if (!value) return DEFAULT_PAGE_SIZE;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const given = this.variables[value.name.value];
      return typeof given === "number" ? given : given === undefined || given === null ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
    }
    return DEFAULT_PAGE_SIZE;
  }
}

/** The figures the limits apply to, in one pass over the document plus one over each selection. */
export function measureQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | undefined,
): QueryMeasures {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  // Aliases as written: one inside a fragment counts once, however often the fragment is spread.
  let aliases = 0;
  let scanned = 0;
  visit(document, {
    Field(field) {
      scanned++;
      if (field.alias) aliases++;
    },
  });
  // A variable left out counts at its declared default (`query ($n: Int = 100)` runs at 100).
  const defaults: Record<string, unknown> = {};
  for (const definition of operation?.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  const given = Object.fromEntries(Object.entries(variables ?? {}).filter(([, value]) => value !== undefined));
  const measurer = new OperationMeasurer(schema, document, { ...defaults, ...given });
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  const { depth, cost } = operation && root ? measurer.selectionSet(operation.selectionSet, root) : { depth: 0, cost: 0 };
  return { operations, aliases, depth, cost, visitedNodes: scanned + measurer.visitedNodes };
}

/** All limit violations of a parsed document (empty when it may run). */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | undefined,
  limits: LimitsConfig,
): GraphQLError[] {
  const measured = measureQuery(schema, document, operation, variables);
  const errors: GraphQLError[] = [];
  if (measured.operations > limits.maxOperations) {
    errors.push(tooComplex("limits.operations", measured.operations, limits.maxOperations, "GRAPHQL_MAX_OPERATIONS"));
  }
  if (measured.aliases > limits.maxAliases) errors.push(tooComplex("limits.aliases", measured.aliases, limits.maxAliases, "GRAPHQL_MAX_ALIASES"));
  if (measured.depth > limits.maxDepth) errors.push(tooComplex("limits.depth", measured.depth, limits.maxDepth, "GRAPHQL_MAX_DEPTH"));
  if (measured.cost > limits.maxCost) errors.push(tooComplex("limits.cost", measured.cost, limits.maxCost, "GRAPHQL_MAX_COST"));
  return errors;
}
