// `npm run migration:generate -- <Name>`, `npm run migration:run`, `npm run migration:revert`:
// the TypeORM CLI through ormconfig.ts, against DATABASE_URL or the embedded database
// (started for the command). Generated files land in migrations/; read them, fix them by
// hand (names, CHECKs, index operator classes), and add them to migrations/index.ts.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadConfig } from "../src/config";
import { createDataSource, withMigrationLock } from "../src/core/database";
import { entities } from "../src/entities";
import { migrations } from "../migrations";
import { resolveDatabaseUrl } from "./database";

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const args = [command];
  if (command === "migration:generate") {
    const name = rest.shift();
    if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
      console.error("Usage: npm run migration:generate -- <Name in PascalCase>");
      process.exit(2);
    }
    args.push(path.join("migrations", name), "--pretty");
  }
  args.push("-d", "ormconfig.ts", ...rest);
  const { url, embedded } = await resolveDatabaseUrl(loadConfig());
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
  await embedded?.stop();
  process.exit(result.status ?? 1);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
