// Streaming replicas for reads (DATABASE_READ_URL): which DataSource a read goes to.
//
// The seam is the request's services: app.ts builds one read-only set of services per replica,
// over that replica's pool, and the request plugin of modules' reads (src/read-routing.ts)
// hands a query that may go to a replica the set of the replica chosen here, in its context —
// an argument like every other, nothing in async context. Mutations, and everything inside
// them (their payloads' fields), keep the primary's set.
//
// Reading one's own write. An account (or API key) that has just written must see its write.
// The choice was between routing its reads to the primary for a fixed while, and waiting on the
// replica for the commit's LSN. Neither alone: a fixed while is wrong exactly when it matters
// (in a flood the replica lags most, beyond any window chosen in calm), and waiting puts the
// replica's lag into the writer's answers while the primary, which has the row, sits there.
// So: a write notes the primary's WAL position after it (pg_current_wal_lsn, asked after the
// response, off the request's path); until a replica is known to have replayed past it (the
// health check reads pg_last_wal_replay_lsn every DATABASE_READ_CHECK_MS) that writer's reads
// go to the primary, and from then on to the replica again. No extra statement on any request,
// no wait, and the writer never reads older than its write; between the write and the LSN's
// answer the writer reads from the primary too.
// Scope: per instance. A writer's next read reaching another instance behind the load balancer
// does not know of the write (README "Read replicas": sticky sessions by credential if that matters).
//
// Losing a replica: the health check (and any read on it that fails for want of the database)
// marks it down; its reads go to the primary (degraded, not dead: GET /readyz still answers 200
// and says so, the gauge kaizhou_read_replicas_healthy drops) until a check finds it back.
// A replica that lags too far (DATABASE_READ_MAX_LAG_MS) is left aside the same way. Its lag is
// measured on this instance's clock alone: each check also notes where the primary's WAL stands;
// a replica that has replayed up to a position noted at time T holds everything committed
// before T, so its lag is now − T (an idle primary: nothing to replay, no lag).
import type { Pool } from "pg";
import type { DataSource } from "typeorm";
import type { PostgresDriver } from "typeorm/driver/postgres/PostgresDriver";
import { logger } from "../ops/logger";
import { describeDatabaseUrl } from "./database";

/** "16/B374D848" → a number that compares as WAL positions do. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const [high, low] = text.split("/");
  if (low === undefined) return null;
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export interface Replica {
  url: string;
  dataSource: DataSource;
  healthy: boolean;
  /** Answering, but further behind the primary than the lag allowed: not read from. */
  behind: boolean;
  /** Where its replay stood at the last check. */
  replayedLsn: bigint | null;
  /** Reads sent to it (for tests and the metrics). */
  reads: number;
}

/** A writer's last write: the WAL position after it, or null while asked for. */
interface Write {
  lsn: bigint | null;
  at: number;
}

/** Where the primary's WAL stood at a moment of this instance's clock. */
export interface WalSample {
  at: number;
  lsn: bigint;
}

/**
 * Since when a replica that has replayed up to `replayed` holds every commit: the time of the
 * latest sample it has replayed past (samples oldest first), or undefined when it has replayed
 * none of them (it lags more than the samples cover).
 */
export function freshAsOf(samples: readonly WalSample[], replayed: bigint): number | undefined {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i].lsn <= replayed) return samples[i].at;
  return undefined;
}

/** A writer not heard of for this long is forgotten (its write is long replayed, or the LSN never came). */
const WRITE_MEMORY_MS = 60_000;

function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class ReadReplicas {
  readonly replicas: Replica[];
  /** Reads that could have gone to a replica and went to the primary. */
  primaryReads = 0;
  private readonly writes = new Map<string, Write>();
  private timer?: NodeJS.Timeout;
  private next = 0;
  private checking?: Promise<void>;
  private samples: WalSample[] = [];
  /** Writes whose WAL position is still to be asked, and whether it is being asked. */
  private unplaced: Write[] = [];
  private asking = false;

  /** `maxLagMs`: a replica further behind is not read from (0: any lag). */
  constructor(
    private readonly primary: DataSource,
    replicas: Array<{ url: string; dataSource: DataSource }>,
    private readonly checkMs: number,
    private readonly maxLagMs = 0,
  ) {
    this.replicas = replicas.map((replica) => ({ ...replica, healthy: false, behind: false, replayedLsn: null, reads: 0 }));
  }

  /** Connects what answers (a replica away at start-up is only down), checks once, then every checkMs. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.checkMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checking?.catch(() => undefined);
    await Promise.all(this.replicas.map((replica) => (replica.dataSource.isInitialized ? replica.dataSource.destroy().catch(() => undefined) : undefined)));
  }

  /** Replicas reads may go to now: answering, in recovery, not too far behind. */
  get healthyCount(): number {
    return this.replicas.filter((replica) => replica.healthy && !replica.behind).length;
  }

  /**
   * The replica a read by `writer` (an actor's key; undefined: anonymous) goes to, or undefined
   * for the primary: a healthy replica that has replayed the writer's last write, in turn.
   */
  replicaFor(writer: string | undefined): Replica | undefined {
    const write = writer === undefined ? undefined : this.writes.get(writer);
    if (write && Date.now() - write.at > WRITE_MEMORY_MS) this.writes.delete(writer!);
    // What the replica must have replayed: the writer's write (null: its position not known yet, so none will do).
    const needs = write && Date.now() - write.at <= WRITE_MEMORY_MS ? write.lsn : 0n;
    const count = needs === null ? 0 : this.replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(this.next + i) % count];
      if (!replica.healthy || replica.behind || replica.replayedLsn === null || replica.replayedLsn < needs!) continue;
      this.next = (this.next + i + 1) % count;
      replica.reads++;
      return replica;
    }
    this.primaryReads++;
    return undefined;
  }

  /** `writer` is writing: its reads go to the primary until a replica has replayed what it wrote. */
  writing(writer: string): void {
    this.writes.set(writer, { lsn: null, at: Date.now() });
  }

  /**
   * `writer`'s write is over: the primary is asked where its WAL stands now (off the request's
   * path). Writes ending together share one question: those that end while it is asked wait for
   * the next (the one under way may have been asked before their COMMIT), so there are never more
   * than one such statement at a time, however many mutations end.
   */
  wrote(writer: string): void {
    const write: Write = { lsn: null, at: Date.now() };
    this.writes.set(writer, write);
    this.unplaced.push(write);
    if (!this.asking) void this.placeWrites();
  }

  private async placeWrites(): Promise<void> {
    this.asking = true;
    try {
      while (this.unplaced.length) {
        const writes = this.unplaced;
        this.unplaced = [];
        try {
          const { rows } = await poolOf(this.primary).query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
          const lsn = parseLsn(rows[0]?.lsn);
          const at = Date.now();
          for (const write of writes) Object.assign(write, { lsn, at });
        } catch (error) {
          logger.warn({ err: error }, "read replicas: cannot read the primary's WAL position; its writers read from the primary for a while");
        }
      }
    } finally {
      this.asking = false;
    }
  }

  /** A read on `replica` failed for want of the database: no more reads there until a check finds it back. */
  failed(replica: Replica): void {
    if (!replica.healthy) return;
    replica.healthy = false;
    logger.warn({ replica: describeDatabaseUrl(replica.url) }, "read replica failed a read: its reads go to the primary until it answers again");
  }

  /** Every replica's state, now; resolves when done (a check already running is waited for). */
  check(): Promise<void> {
    this.checking ??= this.checkAll().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkAll(): Promise<void> {
    const sampled = this.maxLagMs > 0 && (await this.samplePrimary());
    await Promise.all(this.replicas.map((replica) => this.checkOne(replica)));
    // Without a fresh sample (the primary away), the lag is left as it was: reads already on a replica stay there.
    if (sampled) for (const replica of this.replicas) this.judgeLag(replica);
    // A write every replica has replayed (or an old one) needs remembering no more.
    const now = Date.now();
    const replayedByAll = (lsn: bigint) => this.replicas.every((r) => r.replayedLsn !== null && r.replayedLsn >= lsn);
    for (const [writer, write] of this.writes) {
      if (now - write.at > WRITE_MEMORY_MS || (write.lsn !== null && replayedByAll(write.lsn))) this.writes.delete(writer);
    }
  }

  private timeoutMs(): number {
    return Math.max(500, Math.min(2000, this.checkMs * 2));
  }

  /** Notes where the primary's WAL stands now; false when it does not answer. */
  private async samplePrimary(): Promise<boolean> {
    try {
      const { rows } = await withTimeout(poolOf(this.primary).query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn"), this.timeoutMs());
      const now = Date.now();
      this.samples.push({ at: now, lsn: parseLsn(rows[0]?.lsn) ?? 0n });
      // Samples older than the lag allowed (and a check's margin) can only say "too far behind".
      const horizon = now - this.maxLagMs - 2 * this.checkMs;
      while (this.samples.length > 1 && this.samples[0].at < horizon) this.samples.shift();
      return true;
    } catch {
      return false;
    }
  }

  private judgeLag(replica: Replica): void {
    if (!replica.healthy || replica.replayedLsn === null) return;
    const asOf = freshAsOf(this.samples, replica.replayedLsn);
    const lagMs = asOf === undefined ? Infinity : Date.now() - asOf;
    const behind = lagMs > this.maxLagMs;
    if (behind !== replica.behind) {
      if (behind) logger.warn({ replica: describeDatabaseUrl(replica.url), maxLagMs: this.maxLagMs }, "read replica lags too far behind the primary: its reads go to the primary (degraded)");
      else logger.info({ replica: describeDatabaseUrl(replica.url) }, "read replica caught up: reads go to it again");
    }
    replica.behind = behind;
  }

  private async checkOne(replica: Replica): Promise<void> {
    const timeoutMs = this.timeoutMs();
    let state: { standby: boolean; lsn: string | null } | undefined;
    let reason = "";
    try {
      if (!replica.dataSource.isInitialized) await withTimeout(replica.dataSource.initialize(), timeoutMs);
      const { rows } = await withTimeout(poolOf(replica.dataSource).query<{ standby: boolean; lsn: string | null }>("SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn"), timeoutMs);
      state = rows[0];
      if (!state?.standby) reason = "it is not in recovery (promoted?), so not a replica of this primary";
    } catch (error) {
      reason = (error as Error).message || String(error);
    }
    const healthy = !reason && !!state;
    if (healthy) replica.replayedLsn = parseLsn(state!.lsn);
    if (healthy !== replica.healthy) {
      if (healthy) logger.info({ replica: describeDatabaseUrl(replica.url) }, "read replica answers: reads go to it again");
      else logger.warn({ replica: describeDatabaseUrl(replica.url), reason }, "read replica down: its reads go to the primary (degraded)");
    }
    replica.healthy = healthy;
  }
}
