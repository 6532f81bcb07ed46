// Group commit for work that many requests do at the same moment on their own (the audit
// entries of attempts that commit nothing, the account read before every request, approvals of
// dispatch orders): the first caller runs at once; whoever arrives while every lane is busy
// waits and then shares the next run with everyone else who arrived meanwhile. Idle, nothing
// waits longer than before; under a surge of N concurrent requests one run serves many, which
// matters because each statement costs a round trip (a write and a read on the socket on both
// sides) whatever it carries. Bench S3 found those round trips to be most of an approval's CPU time.
//
// Fewer lanes mean bigger shared runs and fewer round trips per caller, but one run stuck (on a
// lock another transaction holds) then holds up everyone behind it. Spare runs bound that: once
// the longest-waiting caller has waited `spareRuns.afterMs`, one extra run takes everyone
// waiting and ends (it does not keep draining), up to `spareRuns.max` of them at a time.
import { AsyncResource } from "node:async_hooks";

export interface CoalescerOptions {
  /** At most this many inputs share one run (bounds a statement's size). Default 200. */
  maxInputs?: number;
  /** Runs in flight at once; arrivals wait only when all are busy. Default 1. */
  lanes?: number;
  /**
   * Whose async context a run belongs to. "shared" (default): none — it runs in the context the
   * coalescer was made in (start-up), so per-request bookkeeping such as the SQL statement
   * count is not charged to whichever request happened to start it. "first caller": the
   * request that started the run, for work that is that request's own when it runs alone.
   */
  context?: "shared" | "first caller";
  /** Extra one-off runs for callers who have waited `afterMs` behind busy lanes (at most `max` at once). */
  spareRuns?: { afterMs: number; max: number };
}

interface Waiting<In, Out> {
  input: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
  /** performance.now() when it started waiting. */
  since: number;
}

export class Coalescer<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private busyLanes = 0;
  private spareRunsInFlight = 0;
  private spareTimer: NodeJS.Timeout | null = null;
  private readonly maxInputs: number;
  private readonly lanes: number;
  private readonly spareRuns: { afterMs: number; max: number } | null;
  private readonly inStartUpContext: ((run: () => Promise<void>) => Promise<void>) | null;

  /** @param work answers several inputs in one go: one output per input, in order. */
  constructor(
    private readonly work: (inputs: In[]) => Promise<Out[]>,
    options: CoalescerOptions = {},
  ) {
    this.maxInputs = options.maxInputs ?? 200;
    this.lanes = options.lanes ?? 1;
    this.spareRuns = options.spareRuns ?? null;
    this.inStartUpContext = options.context === "first caller" ? null : AsyncResource.bind((run: () => Promise<void>) => run());
  }

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject, since: performance.now() });
      if (this.busyLanes < this.lanes) {
        this.busyLanes++;
        this.start(() => this.drain());
      } else this.watchForLongWaits();
    });
  }

  private start(run: () => Promise<void>): void {
    void (this.inStartUpContext ? this.inStartUpContext(run) : run());
  }

  /** One lane: runs until nobody is waiting. */
  private async drain(): Promise<void> {
    try {
      // The next run takes its callers in the same tick as the last run answers its own.
      for (let batch = this.take(); batch.length; batch = this.take()) this.settle(batch, await this.attempt(batch));
    } finally {
      this.busyLanes--;
    }
  }

  /** One run for everyone waiting, ending after it. */
  private async runOnce(): Promise<void> {
    const batch = this.take();
    this.settle(batch, await this.attempt(batch));
  }

  private take(): Array<Waiting<In, Out>> {
    return this.waiting.splice(0, this.maxInputs);
  }

  private settle(batch: Array<Waiting<In, Out>>, result: { outputs: Out[] } | { error: unknown }): void {
    if ("error" in result) for (const entry of batch) entry.reject(result.error);
    else batch.forEach((entry, i) => entry.resolve(result.outputs[i]));
  }

  private async attempt(batch: Array<Waiting<In, Out>>): Promise<{ outputs: Out[] } | { error: unknown }> {
    try {
      return { outputs: await this.work(batch.map((entry) => entry.input)) };
    } catch (error) {
      return { error };
    }
  }

  /** Arms one timer for when the longest-waiting caller will have waited `spareRuns.afterMs`. */
  private watchForLongWaits(): void {
    if (!this.spareRuns || this.spareTimer || !this.waiting.length || this.spareRunsInFlight >= this.spareRuns.max) return;
    const due = this.waiting[0].since + this.spareRuns.afterMs - performance.now();
    this.spareTimer = setTimeout(() => {
      this.spareTimer = null;
      const spare = this.spareRuns!;
      const oldest = this.waiting[0];
      if (oldest && performance.now() - oldest.since >= spare.afterMs && this.spareRunsInFlight < spare.max) {
        this.spareRunsInFlight++;
        this.start(async () => {
          try {
            await this.runOnce();
          } finally {
            this.spareRunsInFlight--;
            this.watchForLongWaits();
          }
        });
      }
      this.watchForLongWaits();
    }, Math.max(0, due));
    this.spareTimer.unref();
  }
}
