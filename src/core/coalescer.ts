// Group commit for statements that many requests run at the same moment on their own (the
// audit insert after every mutation, the stock level read after every stock commit): the first
// caller runs at once; whoever arrives while that statement is in flight waits for it and
// then shares the next statement with everyone else who arrived meanwhile. Idle, nothing
// waits longer than before; under a surge of N concurrent requests one statement serves many,
// which matters because each statement costs a round trip (a write and a read on the socket
// on both sides) whatever it carries. Bench S3 found those round trips to be most of an
// approval's CPU time.

import { AsyncResource } from "node:async_hooks";

export class Coalescer<In, Out> {
  /**
   * Shared runs belong to no single request: they run in the async context the coalescer was
   * made in (start-up), so per-request bookkeeping (the SQL statement count) is not charged to
   * whichever request happened to start the run.
   */
  private readonly outsideAnyRequest = AsyncResource.bind((run: () => Promise<void>) => run());
  private waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private running = false;

  /**
   * @param work answers several inputs in one go: one output per input, in order.
   * @param maxInputs at most this many inputs share one run (bounds the statement's size).
   */
  constructor(
    private readonly work: (inputs: In[]) => Promise<Out[]>,
    private readonly maxInputs = 200,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.running) void this.outsideAnyRequest(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
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
      this.running = false;
    }
  }
}
