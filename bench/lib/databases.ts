// Bench databases on the machine's PostgreSQL (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres). Each data size is built once into a template
// database — migrated and seeded by the service's own code, then multiplied by set-based SQL
// (bench/lib/scale.ts) — and reused while its fingerprint (the migrations, seeds and the scale
// generator) matches. Scenarios run on clones of a template (CREATE DATABASE … TEMPLATE, a file
// copy), so a scenario that writes (S3, S4) never disturbs another, and every run starts equal.
import "reflect-metadata";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { migrations } from "../../migrations";
import { seedDatabase } from "../../seeds";
import { Role } from "../../src/core/access/auth";
import { createDataSource } from "../../src/core/db/database";
import { UnitOfWork } from "../../src/core/mutation/unit-of-work";
import { AccountService } from "../../src/modules/accounts/account.service";
import { PasswordHashing } from "../../src/modules/accounts/password-hashing";
import { entities } from "../../src/entities";
import { multiplyDistrict } from "./scale";
import { log } from "./util";

const ROOT = path.join(__dirname, "..", "..");

/**
 * The service runs with NODE_ENV=production in the bench (as deployed), where demo accounts are
 * refused; the templates get a real account for the bench, made by the code create-admin uses.
 */
/** Who makes the bench accounts: the harness, as an operator of the command line would. */
const BENCH_OPERATOR = { kind: "ACCOUNT" as const, id: 0, name: "bench harness", role: Role.ADMIN, scopeRegionId: null, teamId: null };

export const BENCH_ACCOUNTS = {
  commander: { username: "bench.commander", password: "qv7-Tarn-bench-Lumo", role: Role.COMMANDER },
  logistics: { username: "bench.logistics", password: "qv7-Tarn-bench-Lumo", role: Role.LOGISTICS },
};

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: "kaizhou-bench" });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const admin = <T>(work: (client: Client) => Promise<T>) => withClient(SERVER_URL, work);

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** What the data depends on: a change to any of these files rebuilds the templates. */
function fingerprint(scale: number): string {
  const hash = crypto.createHash("sha256").update(`scale ${scale}\n`);
  const files = [path.join(__dirname, "databases.ts"), ...filesUnder(path.join(ROOT, "migrations")), ...filesUnder(path.join(ROOT, "seeds")), ...(scale > 1 ? [path.join(__dirname, "scale.ts")] : [])];
  for (const file of files) hash.update(path.relative(ROOT, file)).update(fs.readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

export async function databaseExists(name: string): Promise<boolean> {
  return admin(async (client) => (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1);
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`));
}

/** A fresh copy of a template; any earlier database of that name is dropped first. */
export async function cloneDatabase(template: string, name: string): Promise<string> {
  await admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    // CREATE … TEMPLATE needs the template to have no other sessions.
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [template]);
    await client.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(template)}`);
  });
  return databaseUrl(name);
}

export interface DatasetInfo {
  /** Template database name. */
  template: string;
  scale: number;
  districts: number;
  regions: number;
  sites: number;
  items: number;
  stockLevels: number;
  stockBatches: number;
  stockMovements: number;
  /** Size of the template database on disk, MB. */
  sizeMb: number;
  /** Seconds it took to build (0 when an existing template was reused). */
  buildSeconds: number;
}

async function describe(name: string, scale: number, buildSeconds: number): Promise<DatasetInfo> {
  return withClient(databaseUrl(name), async (client) => {
    const { rows } = await client.query(`SELECT
      (SELECT count(*) FROM region WHERE level = 'DISTRICT')::int AS districts,
      (SELECT count(*) FROM region)::int AS regions,
      (SELECT count(*) FROM storage_site)::int AS sites,
      (SELECT count(*) FROM supply_item)::int AS items,
      (SELECT count(*) FROM stock_level)::int AS levels,
      (SELECT count(*) FROM stock_batch)::int AS batches,
      (SELECT count(*) FROM stock_movement)::int AS movements,
      (pg_database_size(current_database()) / 1048576)::int AS size_mb`);
    const row = rows[0];
    return {
      template: name,
      scale,
      districts: row.districts,
      regions: row.regions,
      sites: row.sites,
      items: row.items,
      stockLevels: row.levels,
      stockBatches: row.batches,
      stockMovements: row.movements,
      sizeMb: row.size_mb,
      buildSeconds,
    };
  });
}

/**
 * The template for a data size: `scale` copies of the Kaizhou district (1 = the seed itself:
 * 575 sites). Built when missing or out of date, otherwise reused as it is.
 */
export async function ensureTemplate(scale: number, prefix = "kaizhou_bench"): Promise<DatasetInfo> {
  const name = `${prefix}_${scale}x`;
  const wanted = `kaizhou-bench ${fingerprint(scale)}`;
  const current = await admin(async (client) => {
    const { rows } = await client.query("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name]);
    return rows[0]?.comment as string | undefined;
  });
  if (current === wanted) return describe(name, scale, 0);

  const started = Date.now();
  log(`building the ${scale}× data set in database ${name} (once; reused while migrations, seeds and bench/lib/scale.ts are unchanged)`);
  if (scale === 1) {
    await admin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quote(name)}`);
    });
    const dataSource = createDataSource({ url: databaseUrl(name), entities, migrations, poolSize: 2, applicationName: "kaizhou-bench" });
    await dataSource.initialize();
    const passwords = new PasswordHashing({ threads: 1, maxQueued: 0 });
    try {
      await dataSource.runMigrations({ transaction: "each" });
      await seedDatabase(dataSource, { production: false });
      for (const account of Object.values(BENCH_ACCOUNTS)) {
        const unit = UnitOfWork.forOperator(BENCH_OPERATOR, "createAccount", { input: { username: account.username, role: account.role } }, `bench-${account.username}`);
        await new AccountService(dataSource, passwords, null).create(unit, { username: account.username, displayName: account.username, password: account.password, role: account.role });
      }
    } finally {
      await passwords.close();
      await dataSource.destroy();
    }
  } else {
    const base = await ensureTemplate(1, prefix);
    await cloneDatabase(base.template, name);
    await withClient(databaseUrl(name), (client) => multiplyDistrict(client, scale));
  }
  await withClient(databaseUrl(name), (client) => client.query("VACUUM ANALYZE"));
  await admin((client) => client.query(`COMMENT ON DATABASE ${quote(name)} IS '${wanted}'`));
  const info = await describe(name, scale, Math.round((Date.now() - started) / 1000));
  log(`built ${name}: ${info.sites} sites, ${info.stockLevels} stock levels, ${info.stockBatches} batches in ${info.buildSeconds} s`);
  return info;
}

/** Drops every database whose name starts with the prefix (smoke runs clean up after themselves). */
export async function dropDatabasesWithPrefix(prefix: string): Promise<void> {
  const names = await admin(async (client) => (await client.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`])).rows.map((r) => r.datname as string));
  for (const name of names) await dropDatabase(name);
}
