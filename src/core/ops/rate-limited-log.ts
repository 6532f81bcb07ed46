// A log line for something that can happen once per request during an outage (an event Redis
// did not take, an audit entry the spool had no room for): the first occurrence is logged at
// once, later ones at most once per interval with how many there were since the last line. The
// exact figures are in /metrics; the log only has to say that it is happening.
import { logger } from "./logger";

export class RateLimitedLog {
  private lastLoggedAt = -Infinity;
  private sinceLastLine = 0;

  constructor(
    private readonly level: "warn" | "error",
    private readonly message: string,
    private readonly intervalMs = 60_000,
  ) {}

  note(fields: Record<string, unknown> = {}): void {
    this.sinceLastLine++;
    const now = Date.now();
    if (now - this.lastLoggedAt < this.intervalMs) return;
    logger[this.level]({ ...fields, occurrences: this.sinceLastLine }, this.message);
    this.lastLoggedAt = now;
    this.sinceLastLine = 0;
  }
}
