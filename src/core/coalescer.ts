// Group commit for work that many requests do at the same moment on their own (the audit
// insert after every mutation, the account read before it, approvals of dispatch orders): the
// first caller runs at once; whoever arrives while every lane is busy waits and then shares the
// next run with everyone else who arrived meanwhile. Idle, nothing waits longer than before;
// under a surge of N concurrent requests one run serves many, which matters because each
// statement costs a round trip (a write and a read on the socket on both sides) whatever it
// carries. Bench S3 found those round trips to be most of an approval's CPU time.
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
}

interface Waiting<In, Out> {
  input: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

export class Coalescer<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private busyLanes = 0;
  private readonly maxInputs: number;
  private readonly lanes: number;
  private readonly inStartUpContext: ((run: () => Promise<void>) => Promise<void>) | null;

  /** @param work answers several inputs in one go: one output per input, in order. */
  constructor(
    private readonly work: (inputs: In[]) => Promise<Out[]>,
    options: CoalescerOptions = {},
  ) {
    this.maxInputs = options.maxInputs ?? 200;
    this.lanes = options.lanes ?? 1;
    this.inStartUpContext = options.context === "first caller" ? null : AsyncResource.bind((run: () => Promise<void>) => run());
  }

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.busyLanes < this.lanes) {
        this.busyLanes++;
        void (this.inStartUpContext ? this.inStartUpContext(() => this.drain()) : this.drain());
      }
    });
  }

  /** One lane: runs until nobody is waiting. */
  private async drain(): Promise<void> {
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.maxInputs);
        try {
          const outputs = await this.work(batch.map((entry) => entry.input));
          batch.forEach((entry, i) => entry.resolve(outputs[i]));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.busyLanes--;
    }
  }
}
