// Per-identity rate limit: a token bucket per account, API key, or (anonymous) client address.
// Kept in this process's memory: with several instances behind a load balancer each enforces it
// on its share of the traffic, which still caps a runaway client; losing it on restart is harmless.
export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;

  constructor(perMinute: number, private readonly now: () => number = Date.now) {
    // Bursts up to a quarter of the minute's allowance (at least 10), refilled steadily.
    this.capacity = Math.max(10, Math.ceil(perMinute / 4));
    this.refillPerMs = perMinute / 60_000;
  }

  take(identity: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(identity) ?? { tokens: this.capacity, updatedAt: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    this.buckets.set(identity, bucket);
    if (this.buckets.size > 100_000) this.forgetFullBuckets(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)) };
  }

  /** Buckets that would be full again carry no information. */
  private forgetFullBuckets(now: number): void {
    for (const [identity, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs >= this.capacity) this.buckets.delete(identity);
    }
  }
}
