// The Kaizhou seed data. Every step is idempotent (matched by stable codes), so seeding
// twice changes nothing. Steps run in dependency order inside one transaction.
import type { Message } from "../src/core/i18n/i18n";
import type { DataSource, EntityManager } from "typeorm";
import { seedDemoAccounts } from "./accounts.seed";
import { seedDataEndpoints } from "./data-endpoints.seed";
import { seedRegions } from "./regions.seed";
import { seedRequests } from "./requests.seed";
import { seedReserves } from "./reserves.seed";
import { seedRoutes } from "./routes.seed";
import { seedShelters } from "./shelters.seed";
import { seedTeams } from "./teams.seed";
import { seedField } from "./field.seed";
import { seedTransport } from "./transport.seed";

export interface SeedOptions {
  /** Demo accounts and keys are created only outside production. */
  production: boolean;
}

export interface SeedContext {
  manager: EntityManager;
  /** True when this run creates the demo accounts (a new database outside production): steps add their own demo accounts then. */
  demoAccounts: boolean;
}

export interface SeedReport {
  /** Printed once at first start (e.g. the demo dashboard API key). */
  /** What to print once (the demo credentials), as catalogue messages: the service prints them in DEFAULT_LOCALE, `npm run seed` in its language. */
  notices: Message[];
}

export async function seedDatabase(dataSource: DataSource, options: SeedOptions): Promise<SeedReport> {
  const report: SeedReport = { notices: [] };
  await dataSource.transaction(async (manager) => {
    const [{ count }] = await manager.query("SELECT count(*)::int AS count FROM account");
    const context: SeedContext = { manager, demoAccounts: !options.production && count === 0 };
    await seedRegions(manager);
    if (context.demoAccounts) report.notices.push(...(await seedDemoAccounts(manager)));
    await seedReserves(manager);
    await seedShelters(manager);
    await seedRoutes(manager, { waterLinks: !options.production });
    report.notices.push(...(await seedTeams(context)));
    await seedField(manager);
    await seedRequests(context);
    await seedTransport(manager);
    await seedDataEndpoints(manager);
  });
  return report;
}

/** The database is empty when it has no regions: then start-up seeds it. */
export async function databaseIsEmpty(dataSource: DataSource): Promise<boolean> {
  const [{ count }] = await dataSource.query("SELECT count(*)::int AS count FROM region");
  return count === 0;
}
