// The Kaizhou seed data. Every step is idempotent (matched by stable codes), so seeding
// twice changes nothing. Steps run in dependency order inside one transaction.
import type { DataSource } from "typeorm";
import { seedRegions } from "./regions.seed";

export interface SeedOptions {
  /** Demo accounts and keys are created only outside production. */
  production: boolean;
}

export interface SeedReport {
  /** Printed once at first start (e.g. the demo dashboard API key). */
  notices: string[];
}

export async function seedDatabase(dataSource: DataSource, options: SeedOptions): Promise<SeedReport> {
  const report: SeedReport = { notices: [] };
  await dataSource.transaction(async (manager) => {
    await seedRegions(manager);
  });
  void options;
  return report;
}

/** The database is empty when it has no regions: then start-up seeds it. */
export async function databaseIsEmpty(dataSource: DataSource): Promise<boolean> {
  const [{ count }] = await dataSource.query("SELECT count(*)::int AS count FROM region");
  return count === 0;
}
