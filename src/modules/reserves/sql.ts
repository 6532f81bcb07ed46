// Small helpers for the reserve's hand-written SQL: numbered parameters, filters, and keyset
// pages over raw queries (aggregates that TypeORM's query builder cannot page).
import type { ClassType } from "type-graphql";
import type { EntityManager } from "typeorm";
import { badUserInput } from "../../core/graphql/errors";
import { decodeCursor, encodeCursor, makeConnection, pageSize, type Connection, type PageArgs } from "../../core/graphql/relay";

export class SqlFilter {
  readonly params: unknown[];
  readonly conditions: string[];

  constructor(params: unknown[] = [], conditions: string[] = []) {
    this.params = [...params];
    this.conditions = [...conditions];
  }

  /** Adds a parameter and returns its placeholder ($n). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  clause(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(" AND ")}` : "";
  }

  clone(): SqlFilter {
    return new SqlFilter(this.params, this.conditions);
  }
}

/** Escapes % and _ so user text matches literally in LIKE. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface RawPageSpec<T> {
  /** `SELECT … FROM …` without WHERE; the filter's conditions and the keyset follow. */
  select: string;
  /** `SELECT count(*)::int AS count FROM …` over the same FROM. */
  count: string;
  filter: SqlFilter;
  /** SQL expressions of the sort key (ascending), the last one unique. */
  keyColumns: string[];
  keyOf(row: T): unknown[];
  map(row: Record<string, unknown>): T;
}

/** A Relay page over a raw query: keyset condition, one extra row for hasNextPage, lazy count. */
export async function rawKeysetPage<T>(manager: EntityManager, spec: RawPageSpec<T>, args: PageArgs, connectionClass: ClassType<Connection<T>>): Promise<Connection<T>> {
  const first = pageSize(args.first);
  const page = spec.filter.clone();
  if (args.after) {
    const values = decodeCursor(args.after, spec.keyColumns.length);
    page.where(`(${spec.keyColumns.join(", ")}) > (${values.map((value) => page.param(value)).join(", ")})`);
  }
  let rows: T[] = [];
  if (first > 0) {
    const limit = page.param(first + 1);
    try {
      const raw: Array<Record<string, unknown>> = await manager.query(`${spec.select} ${page.clause()} ORDER BY ${spec.keyColumns.join(", ")} LIMIT ${limit}`, page.params);
      rows = raw.map((row) => spec.map(row));
    } catch (error) {
      // A tampered cursor whose values do not fit the columns (SQLSTATE class 22, data exception).
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      if (args.after && code?.startsWith("22")) throw badUserInput("after", "reserves.isNotACursorFrom");
      throw error;
    }
  }
  const countTotal = async () => {
    const [{ count }] = await manager.query(`${spec.count} ${spec.filter.clause()}`, spec.filter.params);
    return Number(count);
  };
  return makeConnection(rows, first, Boolean(args.after), (row) => encodeCursor(spec.keyOf(row)), countTotal, connectionClass);
}
