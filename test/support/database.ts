// A fresh database per test file, cloned from the run's migrated and seeded template.
import { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { createDataSource } from "../../src/core/database";
import { entities } from "../../src/entities";
import { adminQuery, clusterInfo, databaseUrl } from "./cluster";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const { adminUrl, templateDatabase } = clusterInfo();
  const name = `${templateDatabase}_${process.pid}_${++counter}`;
  await adminQuery(adminUrl, options.empty ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${templateDatabase}"`);
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined),
  };
}

/** A DataSource on a test database, for service-level tests that need no HTTP. */
export async function openTestDataSource(url: string, poolSize = 10): Promise<DataSource> {
  const dataSource = createDataSource({ url, entities, migrations, poolSize });
  await dataSource.initialize();
  return dataSource;
}
