// A GraphQL answer as CSV rows, by one rule read from the document and the schema, so that the
// columns are known before any row (a CSV with no rows still has its header):
//
// - Rows: the document's first list, in document order, depth first. A connection's `edges`
//   list gives its items' `node` (the cursor is dropped); `nodes` or any plain list gives its
//   items. Objects above the list are followed (`readinessSummary { byKind { … } }`); fields
//   beside the path (totalCount, pageInfo) are not columns. A document without a list gives one
//   row: the whole answer. A null on the way to the list: no rows.
// - Columns: every leaf field a row selects, named by its path of response keys joined with dots
//   (`site.region.name`; an alias names a column: `站点` cannot be one, `siteName: name` can),
//   in document order. Fragments add their fields; a field a row's type lacks is an empty cell.
// - A list of scalars or enums inside a row is one cell, its values joined with "; ". A list of
//   objects inside a row cannot be a cell: such a document is refused for CSV at registration
//   (select that list in a document of its own, or use JSON).
// - Cells: null is empty; numbers and booleans as JSON writes them; text as it is, except that
//   text beginning with = + - @ or a tab or carriage return gets a leading apostrophe, so that
//   Excel never runs a name someone typed as a formula (CSV injection). Numbers are never
//   prefixed: only text can come from people.
// - The file: UTF-8 with a byte-order mark (Excel on Windows reads Chinese as GBK without one),
//   RFC 4180 (CRLF line ends; a cell with a comma, a double quote or a line break quoted, its
//   quotes doubled), a header row first.
import { LocalizedProblem, message } from "../../core/i18n/i18n";
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isLeafType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export interface CsvColumn {
  /** The header: the path joined with dots. */
  header: string;
  /** Response keys from the row to the value. */
  path: string[];
}

export interface CsvPlan {
  /** Response keys from `data` to the list whose items are the rows; null: the whole answer is one row. */
  listPath: string[] | null;
  /** The key of each list item that holds the row (`node` of an edge); null: the item itself. */
  itemKey: string | null;
  /** The items are scalars: one column, the list's own key. */
  scalarItems: boolean;
  columns: CsvColumn[];
  /** Where the connection's `pageInfo { hasNextPage endCursor }` is, when the document selects both beside the list. */
  pageInfo: { path: string[]; hasNextPage: string; endCursor: string } | null;
}

/** A document that cannot become CSV, and why. */
export class CsvPlanError extends LocalizedProblem {}

interface Collected {
  key: string;
  fieldName: string;
  type: GraphQLOutputType;
  selectionSets: SelectionSetNode[];
}

class Collector {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
  ) {
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
  }

  /** The fields of selection sets on one type, merged by response key, in document order (fragments included). */
  collect(selectionSets: readonly SelectionSetNode[], parentType: GraphQLCompositeType): Collected[] {
    const fields = new Map<string, Collected>();
    const visit = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, seen: Set<string>) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const name = selection.name.value;
          const definition = name === "__typename" ? TypeNameMetaFieldDef : isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
          if (!definition) continue; // a validated document names only fields that exist; __schema and __type are not CSV
          const entry = fields.get(key) ?? { key, fieldName: name, type: definition.type, selectionSets: [] };
          if (selection.selectionSet) entry.selectionSets.push(selection.selectionSet);
          fields.set(key, entry);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
          if (condition && isCompositeType(condition)) visit(selection.selectionSet, condition, seen);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          const condition = this.schema.getType(fragment.typeCondition.name.value);
          if (condition && isCompositeType(condition)) visit(fragment.selectionSet, condition, new Set([...seen, name]));
        }
      }
    };
    for (const selectionSet of selectionSets) visit(selectionSet, parentType, new Set());
    return [...fields.values()];
  }
}

/** How the answer to `operation` becomes CSV; CsvPlanError when it cannot. */
export function csvPlan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CsvPlan {
  const collector = new Collector(schema, document);
  const root = schema.getQueryType();
  if (!root) throw new CsvPlanError(message("dataEndpoints.csv.noQueryType"));

  const columnsOf = (entries: Collected[], prefix: string[], at: string): CsvColumn[] =>
    entries.flatMap((entry) => {
      const path = [...prefix, entry.key];
      const type = getNullableType(entry.type);
      if (isListType(type)) {
        const item = getNullableType(type.ofType);
        if (isLeafType(item)) return [{ header: path.join("."), path }];
        throw new CsvPlanError(message(isListType(item) ? "dataEndpoints.csv.listsInRow" : "dataEndpoints.csv.objectsInRow", { at: [at, ...path].filter(Boolean).join(".") }));
      }
      if (isLeafType(type)) return [{ header: path.join("."), path }];
      return columnsOf(collector.collect(entry.selectionSets, type as GraphQLCompositeType), path, at);
    });

  // The first list, depth first in document order, through objects only.
  const findList = (entries: Collected[], path: string[]): { entry: Collected; path: string[]; siblings: Collected[] } | null => {
    for (const entry of entries) {
      const type = getNullableType(entry.type);
      if (isListType(type)) return { entry, path: [...path, entry.key], siblings: entries };
      if (isLeafType(type)) continue;
      const found = findList(collector.collect(entry.selectionSets, type as GraphQLCompositeType), [...path, entry.key]);
      if (found) return found;
    }
    return null;
  };

  const rootEntries = collector.collect([operation.selectionSet], root);
  const found = findList(rootEntries, []);
  if (!found) return { listPath: null, itemKey: null, scalarItems: false, columns: columnsOf(rootEntries, [], ""), pageInfo: null };

  const listType = getNullableType(found.entry.type);
  const itemType = getNullableType(isListType(listType) ? listType.ofType : listType);
  const at = found.path.join(".");
  if (isListType(itemType)) throw new CsvPlanError(message("dataEndpoints.csv.listOfLists", { at }));
  const pageInfo = pageInfoBeside(collector, found.siblings, found.path.slice(0, -1));
  if (isLeafType(itemType)) return { listPath: found.path, itemKey: null, scalarItems: true, columns: [{ header: found.entry.key, path: [] }], pageInfo };

  const itemEntries = collector.collect(found.entry.selectionSets, itemType as GraphQLCompositeType);
  const node = found.entry.fieldName === "edges" ? itemEntries.find((entry) => entry.fieldName === "node") : undefined;
  if (node) {
    const nodeType = getNamedType(node.type) as GraphQLCompositeType;
    return { listPath: found.path, itemKey: node.key, scalarItems: false, columns: columnsOf(collector.collect(node.selectionSets, nodeType), [], `${at}.${node.key}`), pageInfo };
  }
  return { listPath: found.path, itemKey: null, scalarItems: false, columns: columnsOf(itemEntries, [], at), pageInfo };
}

function pageInfoBeside(collector: Collector, siblings: Collected[], path: string[]): CsvPlan["pageInfo"] {
  const entry = siblings.find((sibling) => sibling.fieldName === "pageInfo");
  if (!entry) return null;
  const fields = collector.collect(entry.selectionSets, getNamedType(entry.type) as GraphQLCompositeType);
  const hasNextPage = fields.find((field) => field.fieldName === "hasNextPage");
  const endCursor = fields.find((field) => field.fieldName === "endCursor");
  return hasNextPage && endCursor ? { path: [...path, entry.key], hasNextPage: hasNextPage.key, endCursor: endCursor.key } : null;
}

function walk(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current ?? null;
}

/** The rows of an answer's `data`, by the plan. */
export function csvRows(plan: CsvPlan, data: unknown): unknown[] {
  if (!plan.listPath) return data == null ? [] : [data];
  const list = walk(data, plan.listPath);
  if (!Array.isArray(list)) return [];
  const rows = plan.itemKey ? list.map((item) => walk(item, [plan.itemKey!])) : list;
  return rows.filter((row) => row !== null && row !== undefined);
}

/** The next page's cursor, when the plan sees the connection's pageInfo and it says there is one. */
export function nextCursor(plan: CsvPlan, data: unknown): string | null {
  if (!plan.pageInfo) return null;
  const info = walk(data, plan.pageInfo.path) as Record<string, unknown> | null;
  return info && info[plan.pageInfo.hasNextPage] === true && typeof info[plan.pageInfo.endCursor] === "string" ? (info[plan.pageInfo.endCursor] as string) : null;
}

/** Text Excel would run as a formula gets an apostrophe first (CSV injection). */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return guardFormula(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return guardFormula(value.filter((item) => item !== null && item !== undefined).map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join("; "));
  return guardFormula(JSON.stringify(value));
}

/** RFC 4180: quoted when it holds a comma, a double quote or a line break; quotes doubled. */
function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV file: BOM, header row, one line per row, CRLF. */
export function writeCsv(plan: CsvPlan, rows: readonly unknown[]): string {
  const lines = [plan.columns.map((column) => quoted(guardFormula(column.header))).join(",")];
  for (const row of rows) lines.push(plan.columns.map((column) => quoted(cellText(plan.scalarItems ? row : walk(row, column.path)))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
