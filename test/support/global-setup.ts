// Once per `npm test`: find or start PostgreSQL, then build a template database (migrated and
// seeded) that each test file clones in a few milliseconds.
import "reflect-metadata";
import { migrations } from "../../migrations";
import { seedDatabase } from "../../seeds";
import { createDataSource } from "../../src/core/database";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/core/embedded-postgres";
import { entities } from "../../src/entities";
import { adminQuery, databaseUrl, tempDir, uniqueName, type ClusterInfo } from "./cluster";

declare global {
  // eslint-disable-next-line no-var
  var __kaizhouEmbedded: EmbeddedPostgres | undefined;
  // eslint-disable-next-line no-var
  var __kaizhouCluster: ClusterInfo | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "warn";
  let adminUrl = process.env.DATABASE_URL;
  let embeddedDataDir: string | undefined;
  if (!adminUrl) {
    embeddedDataDir = tempDir("kaizhou-test-pg");
    globalThis.__kaizhouEmbedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir, exclusive: false });
    adminUrl = globalThis.__kaizhouEmbedded.adminUrl;
  }
  const templateDatabase = uniqueName("kz_template");
  await adminQuery(adminUrl, `CREATE DATABASE "${templateDatabase}"`);
  const dataSource = createDataSource({ url: databaseUrl(adminUrl, templateDatabase), entities, migrations, poolSize: 2 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  await seedDatabase(dataSource, { production: false });
  await dataSource.destroy();

  const info: ClusterInfo = { adminUrl, templateDatabase, embeddedDataDir };
  globalThis.__kaizhouCluster = info;
  // Workers inherit the environment of the parent process.
  process.env.KZ_TEST_CLUSTER = JSON.stringify(info);
}
