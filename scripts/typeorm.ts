// `npm run migration:generate -- <Name>`, `npm run migration:run`, `npm run migration:revert`:
// the TypeORM CLI through ormconfig.ts, as the schema owner — MIGRATION_DATABASE_URL, else
// DATABASE_URL, or the embedded database's superuser (started for the command). After
// migration:run the service's role (DATABASE_URL's) gets its grants on the new tables, as
// start-up would give them. Generated files land in migrations/; read them, fix them by hand
// (names, CHECKs, index operator classes), and add them to migrations/index.ts.
import { say } from "./cli-language";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadConfig } from "../src/config";
import { createDataSource, withMigrationLock } from "../src/core/db/database";
import { entities } from "../src/entities";
import { migrations } from "../migrations";
import { openDatabase, resolveDatabaseUrls } from "./database";

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const args = [command];
  if (command === "migration:generate") {
    const name = rest.shift();
    if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
      console.error(say("cli.migration.usage"));
      process.exit(2);
    }
    args.push(path.join("migrations", name), "--pretty");
  }
  args.push("-d", "ormconfig.ts", ...rest);
  const config = loadConfig();
  const urls = await resolveDatabaseUrls(config);
  const url = urls.ownerUrl ?? urls.url;
  if (command === "migration:generate") {
    // A migration is the difference between the entities and the fully migrated schema.
    const dataSource = createDataSource({ url, entities, migrations, poolSize: 2 });
    await dataSource.initialize();
    await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: "each" }));
    await dataSource.destroy();
  }
  const result = spawnSync(
    process.execPath,
    ["-r", "./scripts/register.js", require.resolve("typeorm/cli.js"), ...args],
    { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } },
  );
  if (command === "migration:run" && result.status === 0 && urls.ownerUrl) {
    // Nothing left to migrate; what start-up does besides: the service role's grants.
    const { close } = await openDatabase(config, { urls });
    await close();
  }
  await urls.embedded?.stop();
  process.exit(result.status ?? 1);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
