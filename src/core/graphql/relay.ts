// Relay conventions every list and object follows: global ids, the Node interface, and
// connections with keyset cursors (no OFFSET, so page 1,000 costs what page 1 costs).
import { Field, ID, Int, InterfaceType, ObjectType, ArgsType, type ClassType } from "type-graphql";
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

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: "分页信息。Where a page of a connection stands." })
export class PageInfo {
  @Field(() => Boolean, { description: "是否有下一页。Whether more items follow this page." })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: "是否有上一页。Whether this page was asked for with `after`." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "首项游标。Cursor of the first item on the page." })
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
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput("first", "relay.first", { max: MAX_PAGE_SIZE, first });
  }
  return first;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    /* fall through */
  }
  throw badUserInput("after", "relay.badCursor");
}

export interface KeysetOrder<T> {
  /** SQL expressions of the sort key, ending with a unique column (the primary key). */
  columns: string[];
  /** The same key read from a loaded row, for its cursor. */
  valuesOf(row: T): unknown[];
  /** Every column sorts this way (default ascending). */
  direction?: "ASC" | "DESC";
}

export function makeConnection<T>(rows: T[], first: number, hadCursor: boolean, cursorOf: (row: T) => string, countTotal: () => Promise<number>, connectionClass?: ClassType<Connection<T>>): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  const connection = connectionClass ? Object.create(connectionClass.prototype) : {};
  Object.assign(connection, {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    countTotal,
  });
  if (!connectionClass) connection.totalCount = countTotal;
  return connection;
}

/**
 * Keyset pagination over a TypeORM query: on `order.columns` (the last one unique, all in one
 * direction), one extra row to learn whether a next page exists, and a lazy COUNT. The query
 * must not join to-many relations (rows are limited in SQL). With `finish`, rows are read with
 * their raw columns too, so the caller can attach joined values to the entities.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  order: KeysetOrder<T>,
  args: PageArgs,
  connectionClass: ClassType<Connection<T>>,
  finish?: (result: { entities: T[]; raw: Array<Record<string, unknown>> }) => T[],
): Promise<Connection<T>> {
  const first = pageSize(args.first);
  const direction = order.direction ?? "ASC";
  const countQuery = query.clone();
  const page = query.clone();
  if (args.after) {
    const values = decodeCursor(args.after, order.columns.length);
    const params = Object.fromEntries(values.map((value, i) => [`cursor${i}`, value]));
    const comparison = direction === "ASC" ? ">" : "<";
    page.andWhere(`(${order.columns.join(", ")}) ${comparison} (${values.map((_, i) => `:cursor${i}`).join(", ")})`, params);
  }
  order.columns.forEach((column, i) => (i === 0 ? page.orderBy(column, direction) : page.addOrderBy(column, direction)));
  let rows: T[] = [];
  try {
    if (first > 0) {
      page.limit(first + 1);
      rows = finish ? finish(await page.getRawAndEntities()) : await page.getMany();
    }
  } catch (error) {
    // A tampered cursor whose values do not fit the columns (SQLSTATE class 22, data exception).
    const code = (error as { driverError?: { code?: string } }).driverError?.code;
    if (args.after && code?.startsWith("22")) throw badUserInput("after", "relay.badCursor");
    throw error;
  }
  return makeConnection(rows, first, Boolean(args.after), (row) => encodeCursor(order.valuesOf(row)), () => countQuery.getCount(), connectionClass);
}
