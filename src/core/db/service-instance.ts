// This process as the database knows it: a row in service_instance that says it is alive until
// `expires_at`, renewed every `heartbeatSeconds`. Idempotency claims name the instance whose
// request holds them (core/mutation/idempotency.ts): a claim of a live instance is in progress and is
// never taken over; a claim of an instance that stopped (its row deleted) or died (its row
// expired, four heartbeats after the last one) may be, by a retry.
//
// Correctness does not rest on this: a claim taken over from an instance that was only slow
// cannot be spent twice, because its first attempt's COMMIT checks the claim token
// (idempotency_commit). Liveness decides only whether a retry answers "in progress" or takes over.
import crypto from "node:crypto";
import os from "node:os";
import type { DataSource } from "typeorm";
import { logger } from "../ops/logger";

const MISSED_HEARTBEATS_BEFORE_PRESUMED_DEAD = 4;

export class ServiceInstance {
  readonly id = crypto.randomUUID();
  private timer?: NodeJS.Timeout;
  /** Work to retry at each heartbeat (releases of claims the database did not take when asked). */
  private readonly pending = new Set<() => Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly heartbeatSeconds: number,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), this.heartbeatSeconds * 1000);
    this.timer.unref();
  }

  /** Retried at every heartbeat until it succeeds (it must be safe to repeat). */
  retryUntilDone(work: () => Promise<void>): void {
    this.pending.add(work);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tick();
    // Stopped cleanly: claims still named after this instance are abandoned now, not in four heartbeats.
    await this.dataSource.query(`DELETE FROM service_instance WHERE id = $1`, [this.id]).catch((error) => logger.warn({ err: error }, "could not deregister the service instance"));
  }

  private async tick(): Promise<void> {
    try {
      await this.beat();
    } catch (error) {
      logger.warn({ err: error }, "service instance heartbeat failed");
      return;
    }
    for (const work of [...this.pending]) {
      try {
        await work();
        this.pending.delete(work);
      } catch (error) {
        logger.warn({ err: error }, "retried work failed again; next heartbeat tries once more");
        return;
      }
    }
  }

  private async beat(): Promise<void> {
    const lifetime = `${this.heartbeatSeconds * MISSED_HEARTBEATS_BEFORE_PRESUMED_DEAD} seconds`;
    await this.dataSource.query(
      `INSERT INTO service_instance (id, host, pid, expires_at) VALUES ($1, $2, $3, now() + $4::interval)
       ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [this.id, os.hostname(), process.pid, lifetime],
    );
    if (Math.random() < 0.01) await this.dataSource.query(`DELETE FROM service_instance WHERE expires_at < now() - interval '1 day'`);
  }
}
