// Once per `npm test`: find or start PostgreSQL, then build a template database (migrated,
// seeded and granted to the service's role) that each test file clones in a few milliseconds.
import "reflect-metadata";
import { migrations } from "../../migrations";
import { seedDatabase } from "../../seeds";
import { createDataSource } from "../../src/core/db/database";
import { ensureLoginRole, grantServiceRole } from "../../src/core/db/database-roles";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/core/db/embedded-postgres";
import { entities } from "../../src/entities";
import { adminQuery, databaseUrl, tempDir, uniqueName, type ClusterInfo } from "./cluster";
import { keepsPreparedStatements, pgbouncerMissing, startPgbouncer, type TestPgbouncer } from "./pgbouncer";

declare global {
  // eslint-disable-next-line no-var
  var __kaizhouEmbedded: EmbeddedPostgres | undefined;
  // eslint-disable-next-line no-var
  var __kaizhouCluster: ClusterInfo | undefined;
  // eslint-disable-next-line no-var
  var __kaizhouPgbouncer: TestPgbouncer | undefined;
}

/**
 * The service's role on a server given by DATABASE_URL. Roles are cluster-wide, so every run
 * (and any run beside it on a shared server) uses this one, created when missing; the password
 * is the same for all of them, so that runs at once never lock each other out.
 */
const EXTERNAL_SERVICE_ROLE = "kaizhou_test_service";
const EXTERNAL_SERVICE_PASSWORD = "kaizhou-test-service";

export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "warn";
  let adminUrl = process.env.DATABASE_URL;
  let serviceUrl: string;
  let serviceRole: string;
  let embeddedDataDir: string | undefined;
  if (adminUrl) {
    serviceRole = EXTERNAL_SERVICE_ROLE;
    await ensureLoginRole(adminUrl, serviceRole, EXTERNAL_SERVICE_PASSWORD);
    const url = new URL(adminUrl);
    url.username = serviceRole;
    url.password = EXTERNAL_SERVICE_PASSWORD;
    serviceUrl = url.toString();
  } else {
    embeddedDataDir = tempDir("kaizhou-test-pg");
    globalThis.__kaizhouEmbedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir, exclusive: false });
    ({ adminUrl, url: serviceUrl, serviceRole } = globalThis.__kaizhouEmbedded);
  }
  const templateDatabase = uniqueName("kz_template");
  await adminQuery(adminUrl, `CREATE DATABASE "${templateDatabase}"`);
  const dataSource = createDataSource({ url: databaseUrl(adminUrl, templateDatabase), entities, migrations, poolSize: 2 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  await seedDatabase(dataSource, { production: false });
  // Grants live in the database's catalog, so every clone has them.
  await grantServiceRole(dataSource, serviceRole);
  await dataSource.destroy();

  // TEST_PGBOUNCER=1 (.ci/run's PgBouncer step): the service's connections through PgBouncer in
  // transaction mode, as README "PgBouncer" deploys it; asked for, it must be there.
  let pgbouncer: ClusterInfo["pgbouncer"];
  if (process.env.TEST_PGBOUNCER === "1") {
    const missing = pgbouncerMissing();
    if (missing) throw new Error(`TEST_PGBOUNCER=1: ${missing}`);
    const bouncer = await startPgbouncer(serviceUrl, { [serviceRole]: decodeURIComponent(new URL(serviceUrl).password) });
    globalThis.__kaizhouPgbouncer = bouncer;
    pgbouncer = { port: bouncer.port, preparedStatements: keepsPreparedStatements(bouncer.binary) };
    console.log(`\ntests through PgBouncer ${bouncer.binary.version.join(".")} (transaction mode) on 127.0.0.1:${bouncer.port}, named prepared statements ${pgbouncer.preparedStatements ? "on" : "off"}`);
  }
  const info: ClusterInfo = { adminUrl, serviceUrl, serviceRole, templateDatabase, embeddedDataDir, pgbouncer };
  globalThis.__kaizhouCluster = info;
  // Workers inherit the environment of the parent process.
  process.env.KZ_TEST_CLUSTER = JSON.stringify(info);
}
