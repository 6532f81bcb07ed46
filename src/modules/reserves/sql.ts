// Small helpers for the reserve's hand-written SQL: numbered parameters, filters, and keyset
// pages over raw queries (aggregates that TypeORM's query builder cannot page).
import type { ClassType } from "type-graphql";
import type { EntityManager } from "typeorm";
import { connectionFromRows, cursorError, cursorKeyAlias, decodeCursor, encodeCursor, keysetCondition, orderBySql, pageWindow, reversedKeys, type Connection, type PageArgs, type ResolvedOrder } from "../../core/graphql/relay";

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
  /** The order to read in (its keys are SQL over the select's FROM, the last one unique). */
  order: ResolvedOrder<T>;
  map(row: Record<string, unknown>): T;
}

/** A Relay page over a raw query, forward or back: keyset condition, one extra row for the other page, lazy count. */
export async function rawKeysetPage<T>(manager: EntityManager, spec: RawPageSpec<T>, args: PageArgs, connectionClass: ClassType<Connection<T>>): Promise<Connection<T>> {
  const window = pageWindow(args);
  const { keys } = spec.order;
  const page = spec.filter.clone();
  const param = (value: unknown) => page.param(value);
  if (args.after) page.where(keysetCondition(keys, decodeCursor(args.after, keys.length, "after", spec.order), param));
  if (args.before) page.where(keysetCondition(reversedKeys(keys), decodeCursor(args.before, keys.length, "before", spec.order), param));
  let rows: T[] = [];
  let cursors: string[] = [];
  if (window.size > 0) {
    const limit = page.param(window.size + 1);
    // The key values come back as text beside the row, exactly as the database compares them.
    const keySelect = keys.map((key, i) => `(${key.sql})::text AS ${cursorKeyAlias(i)}`).join(", ");
    const select = spec.select.replace(/^\s*SELECT\s/i, `SELECT ${keySelect}, `);
    const reading = window.backward ? reversedKeys(keys) : keys;
    try {
      const raw: Array<Record<string, unknown>> = await manager.query(`${select} ${page.clause()} ORDER BY ${orderBySql(reading)} LIMIT ${limit}`, page.params);
      rows = raw.map((row) => spec.map(row));
      cursors = raw.map((row) => encodeCursor(keys.map((_, i) => row[cursorKeyAlias(i)] ?? null), spec.order));
    } catch (error) {
      throw cursorError(error, args);
    }
  }
  const countTotal = async () => {
    const [{ count }] = await manager.query(`${spec.count} ${spec.filter.clause()}`, spec.filter.params);
    return Number(count);
  };
  return connectionFromRows(rows, cursors, window, args, countTotal, connectionClass);
}
