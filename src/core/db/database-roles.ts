// Two roles in the database. The schema owner (MIGRATION_DATABASE_URL, or the embedded cluster's
// superuser `postgres`) runs the migrations and so owns every table; the service's pool connects
// as a role that owns nothing and holds only the grants given here. Ownership is what would let
// the service break the append-only promise: an owner may `ALTER TABLE audit_entry DISABLE
// TRIGGER …` and then DELETE, or DROP the table. Without it none of that is possible, and the
// grants leave the append-only tables nothing but SELECT and INSERT.
import { Client } from "pg";
import type { DataSource } from "typeorm";

/** DataSource, EntityManager: anything that runs a statement and answers its rows. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** TypeORM's table of applied migrations (core/db/database.ts): the service reads it, never writes it. */
export const MIGRATIONS_TABLE = "schema_migrations";

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Tables, views and their kin: what GRANT … ON TABLE applies to. */
const TABLE_KINDS = `c.relkind IN ('r', 'p', 'v', 'm', 'f')`;
const RELATIONS_OF_SCHEMA = `FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND ${TABLE_KINDS}`;

export type TableAccess = "ordinary" | "append-only" | "read-only";

export interface SchemaTable {
  name: string;
  access: TableAccess;
}

/**
 * Every table of the schema and what the service may do with it, read from the schema itself so
 * that a table a later migration adds is covered without anyone listing it. A table is
 * append-only when a trigger runs a function named `<…>_append_only` on it — the migrations'
 * convention for the triggers that refuse UPDATE, DELETE and TRUNCATE (audit_entry,
 * stock_movement); the migrations table is read-only.
 */
export async function schemaTables(db: Queryable): Promise<SchemaTable[]> {
  const rows: Array<{ name: string; append_only: boolean }> = await db.query(
    `SELECT c.relname AS name, EXISTS (
       SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND p.proname LIKE '%\\_append\\_only'
     ) AS append_only
     ${RELATIONS_OF_SCHEMA} ORDER BY c.relname`,
  );
  return rows.map(({ name, append_only }) => ({ name, access: name === MIGRATIONS_TABLE ? "read-only" : append_only ? "append-only" : "ordinary" }));
}

const PRIVILEGES: Record<TableAccess, { grant: string; revoke: string }> = {
  ordinary: { grant: "SELECT, INSERT, UPDATE, DELETE", revoke: "TRUNCATE, REFERENCES, TRIGGER" },
  "append-only": { grant: "SELECT, INSERT", revoke: "UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER" },
  "read-only": { grant: "SELECT", revoke: "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER" },
};

/**
 * Gives `role` exactly what the service needs on the owner's current schema; run by the owner
 * after the migrations, at every start-up, in one transaction. Idempotent, and never a moment
 * with less than before (other instances keep running on the role): privileges it must not have
 * are revoked one by one, never all of them first. Functions keep PostgreSQL's default EXECUTE
 * for PUBLIC: the append-only triggers' fire without it, and idempotency_commit (which spends an
 * idempotency claim with a transaction's COMMIT) runs with the caller's own rights.
 */
export async function grantServiceRole(owner: DataSource, role: string): Promise<void> {
  await owner.transaction(async (manager) => {
    for (const statement of await grantStatements(manager, role)) await manager.query(statement);
  });
}

async function grantStatements(db: Queryable, role: string): Promise<string[]> {
  const [{ schema }]: Array<{ schema: string }> = await db.query(`SELECT current_schema() AS schema`);
  const to = quoteIdentifier(role);
  const inSchema = quoteIdentifier(schema);
  const statements = [
    `GRANT USAGE ON SCHEMA ${inSchema} TO ${to}`,
    // What PostgreSQL 15 made the default; on 13 and 14 every role may create tables in public.
    `REVOKE CREATE ON SCHEMA ${inSchema} FROM PUBLIC, ${to}`,
  ];
  const tables = await schemaTables(db);
  for (const access of Object.keys(PRIVILEGES) as TableAccess[]) {
    const names = tables.filter((table) => table.access === access).map((table) => `${inSchema}.${quoteIdentifier(table.name)}`);
    if (!names.length) continue;
    statements.push(`GRANT ${PRIVILEGES[access].grant} ON TABLE ${names.join(", ")} TO ${to}`, `REVOKE ${PRIVILEGES[access].revoke} ON TABLE ${names.join(", ")} FROM ${to}`);
  }
  // nextval for serial ids; setval (UPDATE) never.
  statements.push(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${inSchema} TO ${to}`, `REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA ${inSchema} FROM ${to}`);
  return statements;
}

/** What the role a connection uses could do to the append-only tables, found by asking the database. */
export interface ConnectionRole {
  name: string;
  /**
   * Why this role could undo the append-only tables — a superuser, the owner (or a member of the
   * owner) of the schema or of its tables — or undefined when it cannot.
   */
  ownership?: string;
}

export async function connectionRole(db: Queryable): Promise<ConnectionRole> {
  const [row]: Array<{ name: string; superuser: boolean; schema: string; schema_owner: string; owns_schema: boolean; table_owners: string[] | null }> = await db.query(
    `SELECT current_user AS name, r.rolsuper AS superuser, n.nspname AS schema, pg_get_userbyid(n.nspowner) AS schema_owner,
       pg_has_role(current_user, n.nspowner, 'MEMBER') AS owns_schema,
       (SELECT array_agg(DISTINCT pg_get_userbyid(c.relowner)) FROM pg_class c
        WHERE c.relnamespace = n.oid AND ${TABLE_KINDS} AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS table_owners
     FROM pg_roles r CROSS JOIN pg_namespace n WHERE r.rolname = current_user AND n.nspname = current_schema()`,
  );
  const name = row.name;
  if (row.superuser) return { name, ownership: `role "${name}", a superuser` };
  const owners = row.table_owners ?? [];
  if (owners.length) return { name, ownership: owners.includes(name) ? `role "${name}", which owns the tables` : `role "${name}", a member of ${owners.map((o) => `"${o}"`).join(", ")}, which owns the tables` };
  if (row.owns_schema) {
    // PostgreSQL 15's public schema belongs to pg_database_owner: whoever owns the database.
    const owner = row.schema_owner === "pg_database_owner" ? "the database" : `schema "${row.schema}"`;
    return { name, ownership: `role "${name}", which owns ${owner}` };
  }
  return { name };
}

/** Tables of the schema the connection's role may not read: grants a start-up has not given yet. */
export async function tablesWithoutGrants(db: Queryable): Promise<string[]> {
  const rows: Array<{ name: string }> = await db.query(`SELECT c.relname AS name ${RELATIONS_OF_SCHEMA} AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1`);
  return rows.map((row) => row.name);
}

/**
 * Creates the login role (roles are cluster-wide) unless it exists, and sets its password. For
 * the embedded cluster and the test suite, whose superuser does this; a real installation's
 * operator creates the service's role once by hand (README "Database roles").
 */
export async function ensureLoginRole(adminUrl: string, role: string, password: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // IF NOT EXISTS by hand; of two runs creating it at once, one meets duplicate_object or unique_violation.
    await client.query(`DO $$ BEGIN CREATE ROLE ${client.escapeIdentifier(role)} LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await client.query(`ALTER ROLE ${client.escapeIdentifier(role)} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}
