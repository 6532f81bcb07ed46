// The DataSource for the TypeORM CLI (used by `npm run migration:*`, which sets DATABASE_URL
// to the schema owner's connection: MIGRATION_DATABASE_URL, DATABASE_URL, or the embedded
// database's superuser). The service builds its own in src/app.ts.
import "reflect-metadata";
import { migrations } from "./migrations";
import { createDataSource } from "./src/core/db/database";
import { entities } from "./src/entities";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL must be set (npm run migration:* sets it for the embedded database)");

export default createDataSource({ url, entities, migrations, poolSize: 2 });
