// A fresh database per test file, cloned from the run's migrated, seeded and granted template.
import { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { createDataSource } from "../../src/core/db/database";
import { grantServiceRole } from "../../src/core/db/database-roles";
import { entities } from "../../src/entities";
import { adminQuery, atLocalPort, clusterInfo, databaseUrl } from "./cluster";

export interface TestDatabase {
  /** As the service's role, which owns nothing: what the service connects as. */
  url: string;
  /** As the schema's owner: migrations, and the DDL a test plays tricks with. */
  ownerUrl: string;
  name: string;
  /** Runs one statement as the owner. */
  asOwner<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** What start-up gives the service's role, again (after a test created a table as the owner). */
  grantToService(): Promise<void>;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const { adminUrl, serviceUrl, serviceRole, templateDatabase, pgbouncer } = clusterInfo();
  const name = `${templateDatabase}_${process.pid}_${++counter}`;
  await adminQuery(adminUrl, options.empty ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${templateDatabase}"`);
  const ownerUrl = databaseUrl(adminUrl, name);
  return {
    url: pgbouncer ? atLocalPort(databaseUrl(serviceUrl, name), pgbouncer.port) : databaseUrl(serviceUrl, name),
    ownerUrl,
    name,
    asOwner: (sql, params) => adminQuery(ownerUrl, sql, params),
    async grantToService() {
      const owner = await openTestDataSource(ownerUrl, 1);
      try {
        await grantServiceRole(owner, serviceRole);
      } finally {
        await owner.destroy();
      }
    },
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined),
  };
}

/** Whether the service's connections may name their statements (not through a PgBouncer before 1.21: TEST_PGBOUNCER). */
export function testPreparedStatements(): boolean {
  return clusterInfo().pgbouncer?.preparedStatements ?? true;
}

/** A DataSource on a test database, for service-level tests that need no HTTP. */
export async function openTestDataSource(url: string, poolSize = 10): Promise<DataSource> {
  const dataSource = createDataSource({ url, entities, migrations, poolSize, preparedStatements: testPreparedStatements() });
  await dataSource.initialize();
  return dataSource;
}
