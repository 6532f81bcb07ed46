// Protection for a public GraphQL endpoint: depth, cost (with list multipliers from `first`),
// aliases and operations per document. Checked after parsing and before execution (variables
// known, so `first: $n` counts), for HTTP and WebSocket alike; a refused query never runs.
// Each error names the measured figure, the limit, and the setting that changes it.
import {
  GraphQLError,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { LimitsConfig } from "../config";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./relay";

function tooComplex(message: string, measured: number, limit: number, setting: string): GraphQLError {
  return new GraphQLError(`${message}: ${measured} exceeds the limit of ${limit} (setting ${setting}).`, {
    extensions: { code: "QUERY_TOO_COMPLEX", measured, limit, setting, http: { status: 400 } },
  });
}

interface Measure {
  depth: number;
  cost: number;
}

interface Walker {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  visiting: Set<string>;
}

function pageSizeOf(value: ValueNode | undefined, walker: Walker): number {
  if (!value) return DEFAULT_PAGE_SIZE;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = walker.variables[value.name.value];
    return typeof given === "number" ? given : given === undefined || given === null ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
  }
  return DEFAULT_PAGE_SIZE;
}

/** Depth and cost of a selection set; introspection fields cost nothing. */
function measure(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, walker: Walker): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = selection as FieldNode;
      if (field.name.value.startsWith("__")) continue;
      const definition = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[field.name.value] : undefined;
      let child: Measure = { depth: 0, cost: 0 };
      if (field.selectionSet && definition) {
        const childType = getNamedType(definition.type);
        if (isCompositeType(childType)) child = measure(field.selectionSet, childType, walker);
      }
      // A field that pages (`first`) multiplies what is below it by the page size asked for.
      const pages = definition?.args.some((arg) => arg.name === "first");
      const multiplier = pages ? Math.max(1, pageSizeOf(field.arguments?.find((arg) => arg.name.value === "first")?.value, walker)) : 1;
      depth = Math.max(depth, 1 + child.depth);
      cost += 1 + multiplier * child.cost;
    } else {
      let inner: SelectionSetNode | undefined;
      let typeName: string | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = selection.selectionSet;
        typeName = selection.typeCondition?.name.value;
      } else {
        const name = selection.name.value;
        const fragment = walker.fragments[name];
        if (!fragment || walker.visiting.has(name)) continue; // cycles fail standard validation
        walker.visiting.add(name);
        inner = fragment.selectionSet;
        typeName = fragment.typeCondition.name.value;
      }
      const type = typeName ? walker.schema.getType(typeName) : parentType;
      if (inner && type && isCompositeType(type)) {
        const measured = measure(inner, type, walker);
        depth = Math.max(depth, measured.depth);
        cost += measured.cost;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) walker.visiting.delete(selection.name.value);
    }
  }
  return { depth, cost };
}

function countAliases(node: unknown): number {
  if (!node || typeof node !== "object") return 0;
  let count = (node as FieldNode).kind === Kind.FIELD && (node as FieldNode).alias ? 1 : 0;
  for (const value of Object.values(node as Record<string, unknown>)) {
    if (Array.isArray(value)) for (const item of value) count += countAliases(item);
    else if (value && typeof value === "object" && "kind" in value) count += countAliases(value);
  }
  return count;
}

/** All limit violations of a parsed document (empty when it may run). */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | undefined,
  limits: LimitsConfig,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length > limits.maxOperations) {
    errors.push(tooComplex("Operations in one document", operations.length, limits.maxOperations, "GRAPHQL_MAX_OPERATIONS"));
  }
  const aliases = countAliases(document);
  if (aliases > limits.maxAliases) errors.push(tooComplex("Aliases", aliases, limits.maxAliases, "GRAPHQL_MAX_ALIASES"));
  if (operation) {
    const root = schema.getRootType(operation.operation);
    if (root) {
      const fragments = Object.fromEntries(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
      );
      const { depth, cost } = measure(operation.selectionSet, root, { schema, fragments, variables: variables ?? {}, visiting: new Set() });
      if (depth > limits.maxDepth) errors.push(tooComplex("Query depth", depth, limits.maxDepth, "GRAPHQL_MAX_DEPTH"));
      if (cost > limits.maxCost) errors.push(tooComplex("Query cost", cost, limits.maxCost, "GRAPHQL_MAX_COST"));
    }
  }
  return errors;
}
