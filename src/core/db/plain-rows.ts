// Entities read with plain SQL on hot paths. TypeORM's query builder spends more CPU building
// and mapping a one-row SELECT than PostgreSQL spends running it (bench S3's profile: its
// property-name rewriting and alias building were the largest item of an approval after the
// socket writes). For an entity whose columns pg already returns as the entity holds them —
// integers, double precision, text, boolean, timestamptz — the select list aliases each column
// to its property name once, and a row becomes the entity by assignment. Entities with `date`,
// numeric, bigint, json or transformed columns are refused here (pg would hand back another
// type than TypeORM does); read those through TypeORM.
import type { DataSource, EntityManager, ObjectLiteral } from "typeorm";

const PLAIN_TYPES = new Set(["integer", "int", "int4", "smallint", "double precision", "float8", "real", "text", "varchar", "character varying", "boolean", "bool", "timestamptz", "timestamp with time zone", "uuid"]);

export interface PlainEntity<T> {
  /** `alias."column" AS "property", …` for every column of the entity. */
  columns(alias: string): string;
  /** A row selected with `columns()` as an entity instance. */
  toEntity(row: Record<string, unknown>): T;
}

const cache = new WeakMap<DataSource, Map<Function, PlainEntity<unknown>>>();

export function plainEntity<T extends ObjectLiteral>(source: DataSource | EntityManager, entity: new () => T): PlainEntity<T> {
  const dataSource = "connection" in source ? source.connection : source;
  let byEntity = cache.get(dataSource);
  if (!byEntity) cache.set(dataSource, (byEntity = new Map()));
  const known = byEntity.get(entity);
  if (known) return known as PlainEntity<T>;

  const metadata = dataSource.getMetadata(entity);
  const columns = metadata.columns.map((column) => {
    const type = typeof column.type === "string" ? column.type : "";
    if (!PLAIN_TYPES.has(type) || column.transformer) {
      throw new Error(`${metadata.name}.${column.propertyName} (${type || "non-text type"}) is not read as-is by pg; read ${metadata.name} through TypeORM`);
    }
    return { database: column.databaseName, property: column.propertyName };
  });
  const perAlias = new Map<string, string>();
  const plain: PlainEntity<T> = {
    columns(alias) {
      let list = perAlias.get(alias);
      if (!list) perAlias.set(alias, (list = columns.map((c) => `${alias}."${c.database}" AS "${c.property}"`).join(", ")));
      return list;
    },
    toEntity(row) {
      const instance = new entity();
      for (const c of columns) (instance as Record<string, unknown>)[c.property] = row[c.property];
      return instance;
    },
  };
  byEntity.set(entity, plain);
  return plain;
}
