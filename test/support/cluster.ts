// The PostgreSQL the suite runs against: DATABASE_URL when set (CI's second pass), otherwise
// an embedded cluster that global-setup starts once for the whole run under the temp folder.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

export interface ClusterInfo {
  /** A maintenance connection that may CREATE and DROP DATABASE; it owns the test databases' schemas. */
  adminUrl: string;
  /** The same server as the role the service connects as (owns nothing, has the start-up's grants). */
  serviceUrl: string;
  serviceRole: string;
  /** Migrated and seeded database each test database is cloned from. */
  templateDatabase: string;
  embeddedDataDir?: string;
  /**
   * TEST_PGBOUNCER=1: the service's connections go through a PgBouncer in transaction mode
   * (test/support/pgbouncer.ts) on this port, naming their statements only if it keeps them.
   */
  pgbouncer?: { port: number; preparedStatements: boolean };
}

export function clusterInfo(): ClusterInfo {
  const raw = process.env.KZ_TEST_CLUSTER;
  if (!raw) throw new Error("the test cluster is not set up (jest globalSetup did not run)");
  return JSON.parse(raw);
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery<T = unknown>(adminUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  fs.chmodSync(dir, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
  return dir;
}

/** A local TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host: "127.0.0.1" }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The same postgres:// URL on 127.0.0.1:`port` (another server, or a pooler in front of it). */
export function atLocalPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(port);
  return parsed.toString();
}
