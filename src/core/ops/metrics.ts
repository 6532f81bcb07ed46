// Prometheus metrics for GET /metrics (prom-client): HTTP requests, GraphQL operations with
// their latency and error codes, live WebSocket connections and subscriptions, the database
// pool, the process itself, and gauges that modules register (e.g. open stock alerts).
//
// Label values stay bounded whatever clients send: operation names are the client's choice,
// so only the first MAX_OPERATION_NAMES distinct names get a series of their own; anonymous,
// unparsable and later names collapse into fixed labels.
import crypto from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response } from "express";
import type { OperationDefinitionNode } from "graphql";
import type { ServerOptions } from "graphql-ws";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DataSource } from "typeorm";
import { logger } from "./logger";
import type { FrontDoorCounters } from "../http/front-door";
import type { EventBusCounters } from "../live/pubsub";
import type { FanoutCounters } from "../live/subscription-fanout";

/** Why audit entries never reached the log (the label of kaizhou_audit_entries_lost_total). */
export type AuditLossReason = "spool_full" | "spool_unwritable" | "refused_by_database" | "unreadable";

/** What the audit spool (modules/audit/audit-spool.ts) reports; declared here, as core imports no module. */
export interface AuditSpoolCounters {
  lost(reason: AuditLossReason, entries: number): void;
}

export const MAX_OPERATION_NAMES = 200;
export const OPERATION_ANONYMOUS = "(anonymous)";
/** The request never named a runnable operation: unparsable, invalid, or an unknown operationName. */
export const OPERATION_INVALID = "(invalid)";
/** Names beyond the first MAX_OPERATION_NAMES. */
export const OPERATION_OTHER = "(other)";

const ROUTES = ["/graphql", "/metrics", "/healthz", "/readyz"];
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** What a module's gauge reports at each scrape: one number, or one number per label set. */
export type GaugeReading = number | Array<{ labels: Record<string, string>; value: number }>;

/** The pg Pool TypeORM's postgres driver keeps (not part of TypeORM's typed API). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * prom-client's totals of active handles, requests and resources are gauges named `*_total`, a
 * suffix Prometheus keeps for counters (`promtool check metrics` refuses them). The same figures
 * stay on /metrics by type (`nodejs_active_handles{type}` …): sum() gives the totals.
 */
const GAUGES_NAMED_LIKE_COUNTERS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

/** Default process metrics are process-wide; collecting them once keeps in-process test apps from piling up observers. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of GAUGES_NAMED_LIKE_COUNTERS) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  /** Accepted graphql-ws connections, each with its `subscriptions` record (graphql-ws keeps it current). */
  private readonly connections = new Set<{ subscriptions: Record<string, unknown> }>();

  private readonly httpRequests = new Counter({
    name: "kaizhou_http_requests_total",
    help: "HTTP requests by method, route (/graphql, /metrics, /healthz, /readyz, /explorer, other) and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: "kaizhou_graphql_operations_total",
    help: `GraphQL operations by operation name and type (query, mutation, subscription); ${OPERATION_ANONYMOUS}, ${OPERATION_INVALID} and ${OPERATION_OTHER} collect the rest`,
    labelNames: ["operation", "type"] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "kaizhou_graphql_operation_duration_seconds",
    help: "Time from receiving a GraphQL request over HTTP to sending its response, by operation name and type",
    labelNames: ["operation", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly readingFailures = new Counter({
    name: "kaizhou_metric_reading_failures_total",
    help: "Scrapes in which a registered gauge could not be read (it then shows NaN: unknown, not zero)",
    labelNames: ["metric"] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: "kaizhou_graphql_errors_total",
    help: "Top-level GraphQL errors by operation name and extensions.code as clients receive it (UNAUTHENTICATED, FORBIDDEN, INTERNAL_SERVER_ERROR, ...)",
    labelNames: ["operation", "code"] as const,
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: "kaizhou_rate_limited_total",
    help: "Requests (HTTP) and operations (WebSocket) refused by the per-identity rate limit (RATE_LIMIT_PER_MINUTE), by door",
    labelNames: ["door"] as const,
    registers: [this.registry],
  });

  private readonly subscriptionResults = new Counter({
    name: "kaizhou_subscription_results_total",
    help: "Results sent to subscribers for events, by how they were made: executed, or shared with a subscriber who sent the same operation and sees the same (core/live/subscription-fanout.ts)",
    labelNames: ["made"] as const,
    registers: [this.registry],
  });

  /** What subscription fan-out reports per result (see core/live/subscription-fanout.ts). */
  readonly fanout: FanoutCounters = {
    executed: () => this.subscriptionResults.inc({ made: "executed" }),
    shared: () => this.subscriptionResults.inc({ made: "shared" }),
  };

  private readonly unpublishedEvents = new Counter({
    name: "kaizhou_events_unpublished_total",
    help: "Subscription events Redis did not take (it was unreachable): subscribers on other instances missed them; this instance's own subscribers had them",
    registers: [this.registry],
  });

  /** What the event bus reports (see core/live/pubsub.ts). */
  readonly eventBus: EventBusCounters = {
    unpublished: () => this.unpublishedEvents.inc(),
  };

  private readonly lostAuditEntries = new Counter({
    name: "kaizhou_audit_entries_lost_total",
    help: "Audit entries of attempts that committed nothing that never reached the audit log: spool_full (AUDIT_SPOOL_MAX_BYTES), spool_unwritable, refused_by_database (it answered but refused the entry), unreadable (a spool line; counts 1)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  /** What the audit spool reports (see modules/audit/audit-spool.ts). */
  readonly auditSpool: AuditSpoolCounters = {
    lost: (reason, entries) => this.lostAuditEntries.inc({ reason }, entries),
  };

  constructor(dataSource?: DataSource) {
    const metrics = this;
    new Gauge({
      name: "kaizhou_websocket_connections",
      help: "Open graphql-ws connections that passed authentication",
      registers: [this.registry],
      collect() {
        this.set(metrics.connections.size);
      },
    });
    new Gauge({
      name: "kaizhou_graphql_subscriptions_active",
      help: "Subscriptions currently running over WebSocket",
      registers: [this.registry],
      collect() {
        let active = 0;
        for (const connection of metrics.connections) active += Object.keys(connection.subscriptions).length;
        this.set(active);
      },
    });
    if (dataSource) this.registerDatabasePool(dataSource);
  }

  /**
   * Adds a gauge read at every scrape, for figures that live in the database or a service
   * (src/app.ts registers the open stock alerts by kind this way). A failing reading shows as NaN (or no series,
   * for labelled gauges), is counted and logged, and does not fail the whole endpoint.
   */
  registerGauge(name: string, help: string, collect: () => GaugeReading | Promise<GaugeReading>, labelNames: readonly string[] = []): void {
    const failures = this.readingFailures;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const reading = await collect();
          if (typeof reading === "number") this.set(reading);
          else for (const { labels, value } of reading) this.set(labels, value);
        } catch (error) {
          // NaN, not 0: an alert on "stock alerts > 0" must not read a failure as all clear.
          if (!labelNames.length) this.set(NaN);
          failures.inc({ metric: name });
          logger.warn({ err: error, metric: name }, "metric reading failed");
        }
      },
    });
  }

  private registerDatabasePool(dataSource: DataSource): void {
    const pool = () => (dataSource.isInitialized ? ((dataSource.driver as unknown as { master?: PgPool }).master ?? null) : null);
    const poolGauge = (name: string, help: string, read: (pool: PgPool) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const current = pool();
          const value = current ? read(current) : undefined;
          if (value === undefined) this.reset();
          else this.set(value);
        },
      });
    poolGauge("kaizhou_db_pool_connections", "Connections open in the database pool (in use and idle)", (p) => p.totalCount);
    poolGauge("kaizhou_db_pool_idle_connections", "Open database connections not in use", (p) => p.idleCount);
    poolGauge("kaizhou_db_pool_waiting_requests", "Queries waiting for a free database connection", (p) => p.waitingCount);
    poolGauge("kaizhou_db_pool_max_connections", "Largest number of connections the pool opens (DATABASE_POOL_SIZE)", (p) => p.options?.max);
  }

  /** The label for an operation name; see the file comment on bounds. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return OPERATION_ANONYMOUS;
    if (!GRAPHQL_NAME.test(name)) return OPERATION_INVALID;
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return OPERATION_OTHER;
    this.operationNames.add(name);
    return name;
  }

  private countErrorsOf(operation: string, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void {
    for (const error of errors) {
      const code = error.extensions?.code;
      this.errors.inc({ operation, code: typeof code === "string" && ERROR_CODE.test(code) ? code : "INTERNAL_SERVER_ERROR" });
    }
  }

  /** An operation's labels: its name (bounded) and type, or (invalid) when none was found. */
  private operationLabels(operation: OperationDefinitionNode | null | undefined): { operation: string; type: string } {
    return operation ? { operation: this.operationLabel(operation.name?.value), type: operation.operation } : { operation: OPERATION_INVALID, type: OPERATION_INVALID };
  }

  /** Counts and times every GraphQL request over HTTP, and its errors as the client receives them. */
  apolloPlugin(): ApolloServerPlugin {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse({ operation, response }) {
            const labels = metrics.operationLabels(operation);
            metrics.operations.inc(labels);
            metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
            const errors = response.body.kind === "single" ? response.body.singleResult.errors : response.body.initialResult.errors;
            if (errors?.length) metrics.countErrorsOf(labels.operation, errors);
          },
        };
      },
    };
  }

  /** Counts one WebSocket operation, refused or started, and the errors it was answered with, as the HTTP ones are counted. */
  countOperation(operation: OperationDefinitionNode | null | undefined, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): void {
    const labels = this.operationLabels(operation);
    this.operations.inc(labels);
    if (errors?.length) this.countErrorsOf(labels.operation, errors);
  }

  /** Counts errors a WebSocket operation counted already is answered with later (events, a failed source). */
  countErrors(operation: OperationDefinitionNode | null | undefined, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void {
    this.countErrorsOf(this.operationLabels(operation).operation, errors);
  }

  /** What the front door reports (core/http/front-door.ts). */
  readonly frontDoor: FrontDoorCounters = {
    rateLimited: (door) => this.rateLimited.inc({ door }),
  };

  /** Counts an HTTP request by method, route and status when its response is finished. */
  countHttpRequest(req: IncomingMessage, res: ServerResponse, path: string): void {
    const route = ROUTES.includes(path) ? path : path.startsWith("/explorer/") ? "/explorer" : path.startsWith("/data/") ? "/data" : "other";
    res.on("finish", () => {
      this.httpRequests.inc({ method: req.method ?? "GET", route, status: String(res.statusCode) });
    });
  }

  /** Wraps graphql-ws server hooks: tracks accepted connections, for the connection and subscription gauges. */
  instrumentWebSocket<P extends Record<string, unknown>, E>(options: ServerOptions<P, E>): ServerOptions<P, E> {
    const { onConnect, onClose } = options;
    return {
      ...options,
      onConnect: async (ctx) => {
        const accepted = onConnect ? await onConnect(ctx) : true;
        if (accepted !== false) this.connections.add(ctx);
        return accepted;
      },
      onClose: async (ctx, code, reason) => {
        this.connections.delete(ctx);
        await onClose?.(ctx, code, reason);
      },
    };
  }

  /** GET /metrics. With a token configured, only `Authorization: Bearer <token>` gets an answer. */
  handler(token: string | undefined) {
    const expected = token ? crypto.createHash("sha256").update(`Bearer ${token}`).digest() : undefined;
    return async (req: Request, res: Response) => {
      if (expected) {
        const given = crypto.createHash("sha256").update(req.headers.authorization ?? "").digest();
        if (!crypto.timingSafeEqual(given, expected)) {
          res.setHeader("www-authenticate", 'Bearer realm="metrics"');
          res.status(401).type("text/plain").send("Send Authorization: Bearer <METRICS_TOKEN>.\n");
          return;
        }
      }
      const merged = Registry.merge([processMetrics(), this.registry]);
      res.setHeader("cache-control", "no-store");
      res.type(merged.contentType).send(await merged.metrics());
    };
  }
}
