// `npm run seed`: loads the Kaizhou seed data into the configured database (DATABASE_URL, or
// the embedded one under DATA_DIR), after pending migrations. Running it twice changes nothing.
import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDatabase } from "./database";
import { seedDatabase } from "../seeds";

async function main() {
  const config = loadConfig();
  const { dataSource, close } = await openDatabase(config, { migrate: true });
  try {
    const report = await seedDatabase(dataSource, { production: config.nodeEnv === "production" });
    for (const notice of report.notices) console.log(notice);
    console.log("seed data loaded");
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(`Seeding failed: ${error.message ?? error}`);
  process.exit(1);
});
