// Entities and migrations agree: after all migrations, TypeORM would change nothing.
// A new entity field without its migration (or the reverse) fails here.
import { createTestDatabase } from "./support/database";
import { openTestDataSource } from "./support/database";

it("leaves no difference between the entities and the migrated schema", async () => {
  const database = await createTestDatabase({ empty: true });
  const dataSource = await openTestDataSource(database.ownerUrl, 2);
  try {
    await dataSource.runMigrations({ transaction: "each" });
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    // And every migration can be reverted.
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration({ transaction: "each" });
    const [{ count }] = await dataSource.query("SELECT count(*)::int AS count FROM schema_migrations");
    expect(count).toBe(0);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});
