// `npm run seed`: loads the Kaizhou seed data into the configured database (DATABASE_URL, or
// the embedded one under DATA_DIR), after pending migrations, as the schema owner when there is
// one (MIGRATION_DATABASE_URL) and under the migration lock, like start-up. Running it twice
// changes nothing.
import "reflect-metadata";
import { say } from "./cli-language";
import { loadConfig } from "../src/config";
import { openDatabase } from "./database";
import { seedDatabase } from "../seeds";

async function main() {
  const config = loadConfig();
  const { close } = await openDatabase(config, {
    seed: async (owner) => {
      const report = await seedDatabase(owner, { production: config.nodeEnv === "production" });
      for (const notice of report.notices) console.log(say(notice.key, notice.params));
    },
  });
  await close();
  console.log(say("cli.seed.done"));
}

main().catch((error) => {
  console.error(say("cli.seed.failed", { reason: error.message ?? String(error) }));
  process.exit(1);
});
