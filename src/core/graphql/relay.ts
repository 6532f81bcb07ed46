// Relay conventions every list and object follows: global ids, the Node interface, and
// connections with keyset cursors (no OFFSET, so page 1,000 costs what page 1 costs).
import { Field, ID, Int, InputType, InterfaceType, ObjectType, ArgsType, registerEnumType, type ClassType } from "type-graphql";
import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { badUserInput } from "./errors";

// ---------- global ids ----------

/** Global id: base64 of "<TypeName>:<primary key>", opaque to clients. */
export function toGlobalId(typeName: string, id: number | string): string {
  return Buffer.from(`${typeName}:${id}`, "utf8").toString("base64");
}

/** The keys of every type a client may name by id are PostgreSQL integers: a larger number names nothing, and would fail the query. */
export const MAX_ROW_ID = 2_147_483_647;

/** The type and key inside a global id; null unless it is one toGlobalId could have made (key 1 to MAX_ROW_ID). */
export function fromGlobalId(globalId: string): { typeName: string; id: number } | null {
  const decoded = Buffer.from(globalId, "base64").toString("utf8");
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(decoded);
  if (!match || Number(match[2]) > MAX_ROW_ID) return null;
  return { typeName: match[1], id: Number(match[2]) };
}

/**
 * Decodes an id argument that must name an object of one of the given types; a malformed id
 * or one of another type is a BAD_USER_INPUT naming the field.
 */
export function parseGlobalId(globalId: string, expectedType: string | string[], field: string): number {
  const parsed = fromGlobalId(globalId);
  const expected = Array.isArray(expectedType) ? expectedType : [expectedType];
  if (!parsed || !expected.includes(parsed.typeName)) {
    throw badUserInput(field, "relay.wrongType", { id: globalId, expected: expected.join(" / ") });
  }
  return parsed.id;
}

@InterfaceType({
  description: "全局对象。An object with a global id; `node(id:)` fetches any of them.",
  resolveType: (value: { constructor: { name: string } } & { __typename?: string }) => value.__typename ?? value.constructor.name,
})
export abstract class Node {
  @Field(() => ID, { description: "全局 ID。Global id, stable across requests." })
  id: string;
}

// ---------- connections ----------
//
// Every connection pages forward (`first`, `after`) and back (`last`, `before`) over a keyset:
// the sort key of the chosen order (`orderBy`) plus the primary key as the tiebreak. A cursor
// carries the order it was minted under, and the exact key values of its row as PostgreSQL
// prints them (so timestamps keep their microseconds); a cursor from another order is refused.

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** Most terms one `orderBy` may list (each adds a key column to every keyset comparison). */
export const MAX_ORDER_TERMS = 3;

@ObjectType({ description: "分页信息。Where a page of a connection stands." })
export class PageInfo {
  @Field(() => Boolean, { description: "是否有下一页。Whether more items follow this page (paging back with `last`: whether it was asked for with `before`)." })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: "是否有上一页。Whether this page was asked for with `after` (paging back with `last`: whether more items come before it)." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "首项游标。Cursor of the first item on the page; pass it as `before` for the page before." })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "末项游标。Cursor of the last item; pass it as `after` for the next page." })
  endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `每页条数。How many items (0–${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "游标之后。Return items after this cursor (an `endCursor` or edge `cursor`)." })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `向前翻页 Paging back: the last this many items (0–${MAX_PAGE_SIZE}) — of the whole list, or before \`before\`; \`hasPreviousPage\` then says whether more come before them. Not with \`first\`.`,
  })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "向前翻页 Paging back: return items before this cursor (a `startCursor` or edge `cursor`), in the same order as forward pages." })
  before?: string | null;
}

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}

registerEnumType(SortDirection, {
  name: "SortDirection",
  description:
    "排序方向 Sort direction. Empty values (NULL, e.g. no expiry date) count as larger than every value: last in ASC, first in DESC.",
  valuesConfig: {
    ASC: { description: "升序 Ascending: A→Z, 0→9, earliest first." },
    DESC: { description: "降序 Descending: Z→A, 9→0, latest first." },
  },
});

/** One term of an `orderBy` list, as the `<Name>Order` input types carry it. */
export interface OrderTerm<F extends string = string> {
  field: F;
  direction?: SortDirection | null;
}

/**
 * Builds the `<Name>Order` input type (`{ field: <Name>OrderField!, direction: SortDirection = ASC }`);
 * the field enum must be registered with registerEnumType first.
 */
export function OrderInputType<F extends string>(name: string, fieldEnum: Record<string, F>, description: string): ClassType<OrderTerm<F>> {
  @InputType(`${name}Order`, { description })
  class OrderInput {
    @Field(() => fieldEnum, { description: "排序字段 What to sort by." })
    field: F;

    @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: "排序方向 ASC (default) or DESC." })
    direction?: SortDirection | null;
  }
  return OrderInput as ClassType<OrderTerm<F>>;
}

/** The description every `orderBy` argument carries, with the list's default. */
export function orderByDescription(defaultOrder: string): string {
  return `排序 Order: sort terms, the first deciding most (at most ${MAX_ORDER_TERMS}); ties end in id order, in the direction of the last term. Left out: ${defaultOrder}. Cursors are tied to the order they came with.`;
}

export interface SortKey<T = unknown> {
  /** SQL expression of the key. */
  sql: string;
  /** The key may be NULL (it then sorts as larger than every value). */
  nullable?: boolean;
  /** The key's value read from a loaded row: only for cursors minted from rows loaded elsewhere (batched first pages). */
  value?: (row: T) => unknown;
}

export interface OrderKey<T = unknown> extends SortKey<T> {
  direction: SortDirection;
}

/** An order a page is read in: its keys, the last one unique, and the signature its cursors carry. */
export interface ResolvedOrder<T = unknown> {
  keys: OrderKey<T>[];
  /** `<Connection>/<FIELD>:<DIR>,…` — what a cursor must have been minted under. */
  signature: string;
  /** How the order reads in an error message. */
  label: string;
  isDefault: boolean;
}

/**
 * A connection's orders: its sort fields (each one or more keys), the unique tiebreak, and the
 * order it has always had when `orderBy` is left out.
 */
export class Sorting<T, F extends string = string> {
  readonly defaultOrder: ResolvedOrder<T>;
  private readonly tiebreak: SortKey<T>[];

  constructor(
    readonly connection: string,
    readonly fields: Record<F, SortKey<T> | SortKey<T>[]>,
    tiebreak: SortKey<T> | SortKey<T>[],
    defaults: { terms: Array<{ field: F | string; direction: SortDirection }>; tiebreak: SortDirection },
  ) {
    this.tiebreak = Array.isArray(tiebreak) ? tiebreak : [tiebreak];
    this.defaultOrder = { ...this.build(defaults.terms as Array<{ field: F; direction: SortDirection }>, defaults.tiebreak), isDefault: true };
  }

  private build(terms: Array<{ field: F; direction: SortDirection }>, tiebreakDirection: SortDirection): Omit<ResolvedOrder<T>, "isDefault"> {
    const keys: OrderKey<T>[] = [];
    for (const term of terms) {
      const fieldKeys = this.fields[term.field];
      for (const key of Array.isArray(fieldKeys) ? fieldKeys : [fieldKeys]) keys.push({ ...key, direction: term.direction });
    }
    for (const key of this.tiebreak) keys.push({ ...key, direction: tiebreakDirection });
    const parts = [...terms.map((t) => `${t.field}:${t.direction}`), `id:${tiebreakDirection}`];
    return { keys, signature: `${this.connection}/${parts.join(",")}`, label: `[${parts.map((p) => p.replace(":", " ")).join(", ")}]` };
  }

  /** The order an `orderBy` argument asks for; null, empty or absent: the default. */
  resolve(orderBy: ReadonlyArray<OrderTerm<F>> | null | undefined, argument = "orderBy"): ResolvedOrder<T> {
    if (!orderBy || orderBy.length === 0) return this.defaultOrder;
    if (orderBy.length > MAX_ORDER_TERMS) throw badUserInput(argument, "relay.tooManyOrderTerms", { max: MAX_ORDER_TERMS, count: orderBy.length });
    const seen = new Set<F>();
    const terms = orderBy.map((term, i) => {
      if (!(term.field in this.fields)) throw badUserInput(`${argument}[${i}].field`, "relay.notASortField", { field: String(term.field), connection: `${this.connection}Connection` });
      if (seen.has(term.field)) throw badUserInput(`${argument}[${i}].field`, "relay.sortFieldTwice", { field: term.field });
      seen.add(term.field);
      return { field: term.field, direction: term.direction ?? SortDirection.ASC };
    });
    const built = this.build(terms, terms.at(-1)!.direction);
    return { ...built, isDefault: built.signature === this.defaultOrder.signature };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOrder = ResolvedOrder<any>;

/** A legacy single-direction KeysetOrder as a resolved order (its cursors are plain arrays). */
function fromKeysetOrder<T>(order: KeysetOrder<T>): ResolvedOrder<T> {
  const direction = order.direction === "DESC" ? SortDirection.DESC : SortDirection.ASC;
  return {
    keys: order.columns.map((sql, i) => ({ sql, direction, value: (row: T) => order.valuesOf(row)[i] })),
    signature: `legacy/${order.columns.join(",")}:${direction}`,
    label: "the list's order",
    isDefault: true,
  };
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when the client asks for `totalCount`. */
  totalCount(): Promise<number>;
}

/**
 * Builds the `<Name>Connection` and `<Name>Edge` object types for a node type. `description`
 * leads with the Chinese term like every description ("储备点分页。A page of storage sites…");
 * the edge's description takes that term ("储备点分页条目。…"), so a search for 储备点 finds both.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string, description: string) {
  const term = /^(\p{Script=Han}[^。\s]*?)分页/u.exec(description)?.[1] ?? "";
  @ObjectType(`${name}Edge`, { description: `${term}分页条目。An item of a ${name}Connection page, with its cursor.` })
  class EdgeType {
    @Field(() => nodeType, { description: "条目。The item." })
    node: T;

    @Field(() => String, { description: "游标。Opaque keyset cursor of this item." })
    cursor: string;
  }

  @ObjectType(`${name}Connection`, { description })
  class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType], { description: "分页条目及游标。The items of this page with their cursors." })
    edges: EdgeType[];

    @Field(() => [nodeType], { description: "分页条目。The items of this page, without cursors." })
    get nodes(): T[] {
      return this.edges.map((edge) => edge.node);
    }

    @Field(() => PageInfo, { description: "分页信息。Paging information." })
    pageInfo: PageInfo;

    countTotal: () => Promise<number>;

    @Field(() => Int, { description: "总数。How many items match the filter, on all pages." })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return ConnectionClass as unknown as ClassType<Connection<T>>;
}

/** Validates `first`: an explicit error beats silently returning fewer items than asked. */
export function pageSize(first: number | null | undefined, argument = "first"): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(argument, "relay.first", { max: MAX_PAGE_SIZE, first });
  }
  return first;
}

/** Which way and how many: `last` pages back from the end (or from `before`), otherwise `first` forward. */
export function pageWindow(args: PageArgs): { size: number; backward: boolean } {
  if (args.last !== null && args.last !== undefined) {
    if (args.first !== null && args.first !== undefined) throw badUserInput("last", "relay.firstOrLast");
    return { size: pageSize(args.last, "last"), backward: true };
  }
  return { size: pageSize(args.first), backward: false };
}

/** Whether a page must be read by the full keyset query rather than a batched default first page. */
export function isPlainFirstPage(args: PageArgs, order?: AnyOrder): boolean {
  return !args.after && !args.before && (args.last === null || args.last === undefined) && (!order || order.isDefault);
}

export function encodeCursor(values: unknown[], order?: AnyOrder): string {
  const body = order && !order.signature.startsWith("legacy/") ? { o: order.signature, k: values } : values;
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

function isKeyValue(value: unknown): boolean {
  return value === null || typeof value === "string" || typeof value === "number";
}

/**
 * The key values in a cursor. With an order: the cursor must have been minted under that very
 * order (a plain array, as cursors were before orders existed, passes for the default order).
 */
export function decodeCursor(cursor: string, arity: number, argument = "after", order?: AnyOrder): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    body = undefined;
  }
  if (Array.isArray(body)) {
    if (body.length === arity && body.every(isKeyValue) && (!order || order.isDefault)) return body;
  } else if (order && body && typeof body === "object" && typeof (body as { o?: unknown }).o === "string" && Array.isArray((body as { k?: unknown }).k)) {
    const { o, k } = body as { o: string; k: unknown[] };
    if (o !== order.signature) {
      const [connection, terms] = o.split("/");
      const [mine] = order.signature.split("/");
      if (connection === mine && terms) {
        const label = `[${terms.split(",").map((p) => p.replace(":", " ")).join(", ")}]`;
        throw badUserInput(argument, "relay.cursorOfAnotherOrder", { made: label, asked: order.label, argument });
      }
    } else if (k.length === arity && k.every(isKeyValue)) return k;
  }
  throw badUserInput(argument, "relay.badCursor");
}

/** A KeysetOrder's keys in the (single) direction they sort. */
export interface KeysetOrder<T> {
  /** SQL expressions of the sort key, ending with a unique column (the primary key). */
  columns: string[];
  /** The same key read from a loaded row, for its cursor. */
  valuesOf(row: T): unknown[];
  /** Every column sorts this way (default ascending). */
  direction?: "ASC" | "DESC";
}

function asResolved<T>(order: KeysetOrder<T> | ResolvedOrder<T>): ResolvedOrder<T> {
  return "keys" in order ? order : fromKeysetOrder(order);
}

/** The cursor of a row loaded elsewhere (a batched first page), from the order's `value` readers. */
export function cursorFor<T>(order: KeysetOrder<T> | ResolvedOrder<T>, row: T): string {
  const resolved = asResolved(order);
  return encodeCursor(
    resolved.keys.map((key) => {
      if (!key.value) throw new Error(`The sort key ${key.sql} has no value reader`);
      // As the database prints it (paginate's cursors come from `::text`), so both mint the same cursor.
      const value = key.value(row);
      if (value === null || value === undefined) return null;
      return value instanceof Date ? value.toISOString() : String(value);
    }),
    resolved,
  );
}

function flip(direction: SortDirection): SortDirection {
  return direction === SortDirection.ASC ? SortDirection.DESC : SortDirection.ASC;
}

/** ORDER BY terms for keys; NULL is larger than every value (PostgreSQL's own rule, spelt out). */
export function orderBySql<T>(keys: ReadonlyArray<OrderKey<T>>): string {
  return keys.map((key) => `${key.sql} ${key.direction}${key.nullable ? (key.direction === SortDirection.ASC ? " NULLS LAST" : " NULLS FIRST") : ""}`).join(", ");
}

/**
 * The rows strictly after `values` in the order of `keys`. One row comparison when every key
 * sorts one way and none may be NULL (an index range scan); otherwise the expanded form
 * (k1 after v1) OR (k1 = v1 AND k2 after v2) OR …, with NULL as the largest value.
 */
export function keysetCondition<T>(keys: ReadonlyArray<OrderKey<T>>, values: readonly unknown[], param: (value: unknown) => string): string {
  const oneWay = keys.every((key) => key.direction === keys[0].direction);
  if (oneWay && !keys.some((key) => key.nullable)) {
    return `(${keys.map((key) => key.sql).join(", ")}) ${keys[0].direction === SortDirection.ASC ? ">" : "<"} (${values.map((value) => param(value)).join(", ")})`;
  }
  const equal = (key: OrderKey<T>, value: unknown) => (value === null ? `${key.sql} IS NULL` : `${key.sql} = ${param(value)}`);
  const after = (key: OrderKey<T>, value: unknown): string | null => {
    if (key.direction === SortDirection.ASC) {
      if (value === null) return null; // nothing sorts after NULL
      return key.nullable ? `(${key.sql} > ${param(value)} OR ${key.sql} IS NULL)` : `${key.sql} > ${param(value)}`;
    }
    return value === null ? `${key.sql} IS NOT NULL` : `${key.sql} < ${param(value)}`;
  };
  const alternatives: string[] = [];
  keys.forEach((key, i) => {
    const last = after(key, values[i]);
    if (last === null) return;
    const parts = keys.slice(0, i).map((earlier, j) => equal(earlier, values[j]));
    parts.push(last);
    alternatives.push(parts.length > 1 ? `(${parts.join(" AND ")})` : parts[0]);
  });
  return alternatives.length ? `(${alternatives.join(" OR ")})` : "FALSE";
}

/** The keys of an order read the other way round (for `before`, and for `last`). */
export function reversedKeys<T>(keys: ReadonlyArray<OrderKey<T>>): OrderKey<T>[] {
  return keys.map((key) => ({ ...key, direction: flip(key.direction) }));
}

/**
 * Assembles a connection from rows read one past the page size (in reading order: reversed when
 * paging back), with their cursors.
 */
export function connectionFromRows<T>(
  rows: T[],
  cursors: string[],
  window: { size: number; backward: boolean },
  args: PageArgs,
  countTotal: () => Promise<number>,
  connectionClass?: ClassType<Connection<T>>,
): Connection<T> {
  const more = rows.length > window.size;
  let edges = rows.slice(0, window.size).map((node, i) => ({ node, cursor: cursors[i] }));
  if (window.backward) edges = edges.reverse();
  return assemble(
    edges,
    {
      hasNextPage: window.backward ? Boolean(args.before) : more,
      hasPreviousPage: window.backward ? more : Boolean(args.after),
    },
    countTotal,
    connectionClass,
  );
}

function assemble<T>(edges: Edge<T>[], flags: { hasNextPage: boolean; hasPreviousPage: boolean }, countTotal: () => Promise<number>, connectionClass?: ClassType<Connection<T>>): Connection<T> {
  const connection = connectionClass ? Object.create(connectionClass.prototype) : {};
  Object.assign(connection, {
    edges,
    pageInfo: { ...flags, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    countTotal,
  });
  if (!connectionClass) connection.totalCount = countTotal;
  return connection;
}

export function makeConnection<T>(rows: T[], first: number, hadCursor: boolean, cursorOf: (row: T) => string, countTotal: () => Promise<number>, connectionClass?: ClassType<Connection<T>>): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  return assemble(edges, { hasNextPage: rows.length > first, hasPreviousPage: hadCursor }, countTotal, connectionClass);
}

function isDataException(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
  return Boolean(code?.startsWith("22"));
}

/** A tampered cursor whose values do not fit the columns (SQLSTATE class 22, data exception). */
export function cursorError(error: unknown, args: PageArgs): unknown {
  if (isDataException(error) && (args.after || args.before)) return badUserInput(args.after ? "after" : "before", "relay.badCursor");
  return error;
}

/** The column aliases under which a page's query selects its key values as text, for cursors. */
export function cursorKeyAlias(i: number): string {
  return `cursor_key_${i}`;
}

/**
 * Keyset pagination over a TypeORM query, forward or back, in any order the connection's
 * Sorting resolves (or a legacy KeysetOrder): one extra row to learn whether another page
 * exists, and a lazy COUNT. The query must not join to-many relations (rows are limited in SQL).
 * With `finish`, the caller can attach joined values (raw columns) to the entities.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  orderOrKeyset: KeysetOrder<T> | ResolvedOrder<T>,
  args: PageArgs,
  connectionClass: ClassType<Connection<T>>,
  finish?: (result: { entities: T[]; raw: Array<Record<string, unknown>> }) => T[],
): Promise<Connection<T>> {
  const order = asResolved(orderOrKeyset);
  const window = pageWindow(args);
  const countQuery = query.clone();
  const page = query.clone();
  let n = 0;
  const param = (value: unknown) => {
    const name = `cursor${n++}`;
    page.setParameter(name, value);
    return `:${name}`;
  };
  if (args.after) page.andWhere(keysetCondition(order.keys, decodeCursor(args.after, order.keys.length, "after", order), param));
  if (args.before) page.andWhere(keysetCondition(reversedKeys(order.keys), decodeCursor(args.before, order.keys.length, "before", order), param));
  const reading = window.backward ? reversedKeys(order.keys) : order.keys;
  page.orderBy(); // the caller's query carries no order of its own: the keyset decides
  reading.forEach((key, i) => {
    const nulls = key.nullable ? (key.direction === SortDirection.ASC ? "NULLS LAST" : "NULLS FIRST") : undefined;
    if (i === 0) page.orderBy(key.sql, key.direction, nulls);
    else page.addOrderBy(key.sql, key.direction, nulls);
  });
  order.keys.forEach((key, i) => page.addSelect(`(${key.sql})::text`, cursorKeyAlias(i)));
  let rows: T[] = [];
  let cursors: string[] = [];
  try {
    if (window.size > 0) {
      page.limit(window.size + 1);
      const result = await page.getRawAndEntities();
      rows = finish ? finish(result) : result.entities;
      cursors = result.raw.map((raw) => encodeCursor(order.keys.map((_, i) => raw[cursorKeyAlias(i)] ?? null), order));
    }
  } catch (error) {
    throw cursorError(error, args);
  }
  return connectionFromRows(rows, cursors, window, args, () => countQuery.getCount(), connectionClass);
}

/**
 * One list's orders in one place: the `<Name>OrderField` enum (described value by value), the
 * `<Name>Order` input, the Sorting behind them and the `orderBy` argument's description. Keys
 * named in `hidden` only serve the default order (the list's order from before `orderBy`).
 */
export function defineOrder<T, F extends string>(options: {
  name: string;
  fields: Record<string, F>;
  description: string;
  keys: Record<F, { describe: string } & (SortKey<T> | { keys: SortKey<T>[] })>;
  hidden?: Record<string, SortKey<T> | SortKey<T>[]>;
  tiebreak: SortKey<T> | SortKey<T>[];
  defaultOrder: { terms: Array<{ field: F | string; direction: SortDirection }>; tiebreak: SortDirection; says: string };
}) {
  registerEnumType(options.fields, {
    name: `${options.name}OrderField`,
    description: options.description,
    valuesConfig: Object.fromEntries(Object.entries(options.fields).map(([enumKey, value]) => [enumKey, { description: options.keys[value as F].describe }])),
  });
  const keys = Object.fromEntries(Object.entries(options.keys).map(([field, spec]) => [field, "keys" in (spec as object) ? (spec as { keys: SortKey<T>[] }).keys : (spec as SortKey<T>)])) as Record<string, SortKey<T> | SortKey<T>[]>;
  const sorting = new Sorting<T, string>(options.name, { ...keys, ...options.hidden }, options.tiebreak, options.defaultOrder);
  const Input = OrderInputType<F>(options.name, options.fields, `排序 Order: one sort term of a ${options.name}Connection — a field and a direction.`);
  return { sorting: sorting as unknown as Sorting<T, F>, Input, argument: orderByDescription(options.defaultOrder.says) };
}

/**
 * A text key in Hanyu Pinyin order (安, 白, 长, 大 …) rather than by code point: the "zh_pinyin"
 * collation (migrations/1765700000000-PinyinCollation.ts). For names and titles people read.
 */
export function pinyin(sql: string): string {
  return `(${sql}) COLLATE "zh_pinyin"`;
}

/** An enum column as its position in a fixed order (lifecycle, tier, urgency) rather than alphabetically; NULL stays NULL. */
export function enumRank(values: readonly string[], sql: string): string {
  return `array_position(ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]::text[], ${sql})`;
}

// ---------- fetching by id or by code ----------

/** The description of the `code` argument of a by-code lookup. */
export function codeArgumentDescription(what: string, example: string): string {
  return `编码 Code: the ${what}'s code as staff know it (e.g. \`${example}\`), matched exactly; instead of \`id\`.`;
}

/**
 * One object by global id or by its code (exactly one of the two): the same loaders, so the same
 * answer — null when there is none — and the same role rules as the id lookup.
 */
export async function byIdOrCode<T extends { id: number }>(
  typeName: string,
  id: string | null | undefined,
  code: string | null | undefined,
  loaders: { byId: { load(id: number): Promise<T | null>; prime?(id: number, value: T): unknown }; byCode: { load(code: string): Promise<T | null> } },
): Promise<T | null> {
  const hasId = id !== null && id !== undefined;
  const hasCode = code !== null && code !== undefined;
  if (hasId === hasCode) throw badUserInput(hasId ? "code" : "id", "relay.idOrCode");
  if (hasId) return loaders.byId.load(parseGlobalId(id, typeName, "id"));
  const found = await loaders.byCode.load(code!);
  if (found) loaders.byId.prime?.(found.id, found); // its nested fields may ask for it by id
  return found;
}
