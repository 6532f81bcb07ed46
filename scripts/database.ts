// Opens the configured database for command-line tools (seed, migrations, import, export):
// DATABASE_URL when set, otherwise the embedded server under DATA_DIR, started for the
// duration of the command (refused while the service itself runs on that directory).
import type { DataSource } from "typeorm";
import { migrations } from "../migrations";
import type { Config } from "../src/config";
import { createDataSource, withMigrationLock } from "../src/core/database";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../src/core/embedded-postgres";
import { entities } from "../src/entities";

export async function resolveDatabaseUrl(config: Config): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
  return { url: embedded.url, embedded };
}

export async function openDatabase(config: Config, options: { migrate: boolean }): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const { url, embedded } = await resolveDatabaseUrl(config);
  const dataSource = createDataSource({ url, entities, migrations, poolSize: 4 });
  try {
    await dataSource.initialize();
    if (options.migrate) await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: "each" }));
  } catch (error) {
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
