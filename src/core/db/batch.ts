// Helpers for DataLoader batch functions: answers in the order of the keys asked, one
// statement for many ids, and grouping of composite keys.
import type { DataSource, EntityTarget } from "typeorm";

/** Rows by id in the order asked, null where missing: the shape DataLoader wants. */
export function inKeyOrder<T extends { id: number }>(ids: readonly number[], rows: readonly T[]): (T | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Entities by id in one statement, in the order asked. */
export async function rowsByIds<T extends { id: number }>(dataSource: DataSource, entity: EntityTarget<T>, ids: readonly number[]): Promise<(T | null)[]> {
  const rows = await dataSource.getRepository(entity).createQueryBuilder("row").where("row.id = ANY(:ids)", { ids: [...ids] }).getMany();
  return inKeyOrder(ids, rows);
}

/** Groups keys "<id>|<rest>" by their rest, so one statement serves every id with the same arguments. */
export function groupByArguments(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const key of keys) {
    const separator = key.indexOf("|");
    const rest = key.slice(separator + 1);
    groups.set(rest, [...(groups.get(rest) ?? []), Number(key.slice(0, separator))]);
  }
  return groups;
}

/** Rows grouped by key in the order of the keys asked (an empty list where none): a one-to-many DataLoader's answer. */
export function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K, keys: readonly K[]): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/** Entities by their unique `code` column in one statement, in the order asked, null where missing. */
export async function rowsByCodes<T extends { code: string }>(dataSource: DataSource, entity: EntityTarget<T>, codes: readonly string[]): Promise<(T | null)[]> {
  const rows = await dataSource.getRepository(entity).createQueryBuilder("row").where("row.code = ANY(:codes)", { codes: [...codes] }).getMany();
  const byCode = new Map(rows.map((row) => [row.code, row]));
  return codes.map((code) => byCode.get(code) ?? null);
}
