// Start-up in one place: configuration → database → migrations and grants → seed if empty →
// server. main.ts runs it as a process; tests run it in-process.
import { message, sayHere, type Message } from "./core/i18n/i18n";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DataSource } from "typeorm";
import { migrations } from "../migrations";
import { databaseIsEmpty, seedDatabase } from "../seeds";
import type { Config } from "./config";
import { ConfigError } from "./config";
import { connectDataSource, createDataSource, describeDatabaseUrl, prepareDatabase } from "./core/db/database";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./core/db/embedded-postgres";
import { logger } from "./core/ops/logger";
import { Metrics } from "./core/ops/metrics";
import { createEventBus, type EventBus } from "./core/live/pubsub";
import { ServiceInstance } from "./core/db/service-instance";
import { ReadReplicas, type Replica } from "./core/db/read-replicas";
import { entities } from "./entities";
import { createSchema } from "./schema";
import type { Authenticate } from "./core/http/front-door";
import { startServer, type RunningServer } from "./server";
import { createServices, type Services } from "./services";

export interface App {
  url: string;
  port: number;
  /** Where the data lives, for the start-up line: "embedded PostgreSQL in ./data" or the URL without password. */
  databaseDescription: string;
  dataSource: DataSource;
  services: Services;
  /** DATABASE_READ_URL's replicas (undefined without): which are healthy, and the reads they took. */
  readReplicas?: ReadReplicas;
  events: EventBus;
  /** Prometheus metrics behind GET /metrics; modules add gauges with metrics.registerGauge. */
  metrics: Metrics;
  /** What to print once after start-up (the demo credentials a new database was seeded with). */
  notices: Message[];
  stop(): Promise<void>;
}

/**
 * The token-signing secret: AUTH_SECRET, or (outside production) one generated at first start
 * and kept in DATA_DIR, so tokens survive restarts and local instances sharing DATA_DIR agree.
 */
export function authSecret(config: Config): string {
  if (config.auth.secret) return config.auth.secret;
  const file = path.join(config.dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const secret = crypto.randomBytes(48).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another instance wrote it first
    }
  }
}

export async function startApp(config: Config, options: { authenticate?: Authenticate } = {}): Promise<App> {
  let embedded: EmbeddedPostgres | undefined;
  let dataSource: DataSource | undefined;
  let events: EventBus | undefined;
  let instance: ServiceInstance | undefined;
  let readReplicas: ReadReplicas | undefined;
  try {
    // Two connections: the schema owner's migrates, grants and seeds, then closes; the service's
    // pool runs as a role that owns nothing (core/db/database-roles.ts).
    let url = config.databaseUrl;
    let owner = config.migrationDatabaseUrl ? { url: config.migrationDatabaseUrl, setting: "MIGRATION_DATABASE_URL" } : undefined;
    let databaseDescription: string;
    if (url) {
      databaseDescription = describeDatabaseUrl(url);
    } else {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (line) => logger.info(line) });
      url = embedded.url;
      owner = { url: embedded.ownerUrl, setting: "DATA_DIR" };
      databaseDescription = sayHere("startup.embeddedDatabase", { dataDir: config.dataDir, port: embedded.port });
    }
    const serviceSetting = config.databaseUrl ? "DATABASE_URL" : "DATA_DIR";
    dataSource = createDataSource({
      url,
      entities,
      migrations,
      poolSize: config.databasePoolSize,
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      queryTimeoutMs: config.databaseQueryTimeoutMs,
      preparedStatements: config.databasePreparedStatements,
    });
    await connectDataSource(dataSource, serviceSetting, url);

    const notices: Message[] = [];
    const ds = dataSource;
    await prepareDatabase({
      service: ds,
      serviceSetting,
      owner,
      // In production the append-only promise is not given up silently (README "Database roles").
      refuseOwnership: config.nodeEnv === "production" && !config.databaseAllowOwner,
      seed: async (db) => {
        if (!config.seedOnStart || !(await databaseIsEmpty(db))) return;
        const report = await seedDatabase(db, { production: config.nodeEnv === "production" });
        notices.push(...report.notices);
        logger.info(sayHere("log.seeded"));
      },
    });
    instance = new ServiceInstance(ds, config.instanceHeartbeatSeconds);
    await instance.start();

    const metrics = new Metrics(ds);
    events = await createEventBus(config.redisUrl, config.redisChannelPrefix, metrics.eventBus);
    const serviceConfig = { ...config, authSecret: authSecret(config) };
    const services = createServices(ds, events, serviceConfig, metrics);
    // Streaming replicas for the reads of dashboards, data URLs and exports (src/read-routing.ts):
    // one read-only set of services over each replica's pool. A replica away at start-up is only down.
    let readServices: Map<Replica, Services> | undefined;
    if (config.databaseReadUrls.length) {
      const replicas = config.databaseReadUrls.map((replicaUrl, i) => ({
        url: replicaUrl,
        dataSource: createDataSource({
          url: replicaUrl,
          entities,
          migrations,
          poolSize: config.databasePoolSize,
          applicationName: `kaizhou-emergency-resources (reads ${i + 1})`,
          statementTimeoutMs: config.databaseStatementTimeoutMs,
          queryTimeoutMs: config.databaseQueryTimeoutMs,
          preparedStatements: config.databasePreparedStatements,
        }),
      }));
      readReplicas = new ReadReplicas(ds, replicas, config.databaseReadCheckMs, config.databaseReadMaxLagMs);
      await readReplicas.start();
      readServices = new Map(readReplicas.replicas.map((replica) => [replica, createServices(replica.dataSource, events!, serviceConfig, metrics)]));
      const checked = readReplicas;
      metrics.registerGauge("kaizhou_read_replicas_healthy", "Read replicas (DATABASE_READ_URL) answering, in recovery and within DATABASE_READ_MAX_LAG_MS; below their number, their reads go to the primary", () => checked.healthyCount);
      logger.info({ replicas: config.databaseReadUrls.map(describeDatabaseUrl), healthy: checked.healthyCount }, sayHere("log.readReplicas"));
    }
    const schema = await createSchema(events);
    // Gauges that modules contribute, read at each scrape.
    metrics.registerGauge(
      "kaizhou_stock_alerts",
      "Open stock alerts (库存预警) by kind: levels below their minimum (最低库存), batches expiring within 90 days, batches expired with stock on hand",
      async () => Object.entries(await services.stock.queries.countAlertsByKind()).map(([kind, value]) => ({ labels: { kind }, value })),
      ["kind"],
    );
    metrics.registerGauge("kaizhou_audit_spool_entries", "Audit entries waiting in the spool (DATA_DIR/audit-spool) for the database to take them", () => services.audit.spool.entries);
    metrics.registerGauge("kaizhou_audit_spool_bytes", "Size of the audit spool; beyond AUDIT_SPOOL_MAX_BYTES new entries are lost", () => services.audit.spool.bytes);
    const eventBus = events;
    if (config.redisUrl) {
      metrics.registerGauge("kaizhou_redis_connected", "1 while both Redis connections (publish, subscribe) are up; 0: events reach only this instance's subscribers", () => (eventBus.redisConnected ? 1 : 0));
    }
    let server: RunningServer;
    try {
      server = await startServer({
        config,
        schema,
        dataSource: ds,
        services,
        authenticate: options.authenticate ?? ((credentials) => services.auth.authenticate(credentials)),
        metrics,
        events,
        instance,
        readRouting: readReplicas && readServices ? { replicas: readReplicas, servicesOf: (replica) => readServices!.get(replica)! } : undefined,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
        throw new ConfigError("PORT", message("config.cannotListen", { host: config.host, port: config.port, code }));
      }
      throw error;
    }
    // Writes the audit entries earlier runs left in the spool, then flushes on a timer. Last, so
    // that no failed start leaves the timer running.
    await services.audit.start();

    const embeddedServer = embedded;
    const serviceInstance = instance;
    const reads = readReplicas;
    return {
      url: server.url,
      port: server.port,
      databaseDescription,
      dataSource: ds,
      services,
      readReplicas: reads,
      events: eventBus,
      metrics,
      notices,
      async stop() {
        await server.close();
        await services.passwords.close();
        await services.audit.close();
        await serviceInstance.stop();
        await eventBus.close();
        await reads?.stop();
        await ds.destroy();
        await embeddedServer?.stop();
      },
    };
  } catch (error) {
    await instance?.stop().catch(() => undefined);
    await readReplicas?.stop().catch(() => undefined);
    await events?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}
