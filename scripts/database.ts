// Opens the configured database for command-line tools (seed, create-admin, migrations, import,
// export) the way start-up does: DATABASE_URL (with MIGRATION_DATABASE_URL, the owner's, when
// set), otherwise the embedded server under DATA_DIR, started for the duration of the command
// (refused while the service itself runs on that directory). The owner migrates and grants; the
// tool works as the service's role.
import type { DataSource } from "typeorm";
import { migrations } from "../migrations";
import type { Config } from "../src/config";
import { connectDataSource, createDataSource, prepareDatabase } from "../src/core/db/database";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../src/core/db/embedded-postgres";
import { entities } from "../src/entities";

export interface DatabaseUrls {
  /** The service's connection. */
  url: string;
  /** The schema owner's, when there is one apart from the service's. */
  ownerUrl?: string;
  embedded?: EmbeddedPostgres;
}

export async function resolveDatabaseUrls(config: Config): Promise<DatabaseUrls> {
  if (config.databaseUrl) return { url: config.databaseUrl, ownerUrl: config.migrationDatabaseUrl };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
  return { url: embedded.url, ownerUrl: embedded.ownerUrl, embedded };
}

export async function openDatabase(
  config: Config,
  options: {
    /** Seeding, under the migration lock, as the owner when there is one. */
    seed?: (owner: DataSource) => Promise<void>;
    /** Where the database is when the caller found it already (the running service's embedded server); default from config. */
    urls?: DatabaseUrls;
  } = {},
): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const { url, ownerUrl, embedded } = options.urls ?? (await resolveDatabaseUrls(config));
  const serviceSetting = config.databaseUrl ? "DATABASE_URL" : "DATA_DIR";
  const dataSource = createDataSource({ url, entities, migrations, poolSize: 4 });
  try {
    await connectDataSource(dataSource, serviceSetting, url);
    await prepareDatabase({
      service: dataSource,
      serviceSetting,
      owner: ownerUrl ? { url: ownerUrl, setting: config.migrationDatabaseUrl ? "MIGRATION_DATABASE_URL" : "DATA_DIR" } : undefined,
      // The operator at the server's command line is warned like the service, never stopped:
      // refusing in production is the service's start-up's job.
      refuseOwnership: false,
      seed: options.seed,
    });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
