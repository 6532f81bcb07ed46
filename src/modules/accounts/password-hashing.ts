// bcrypt off the event loop: a small pool of worker threads (password-hashing.worker.js) with
// a bounded queue. bcryptjs takes about 150 ms of CPU a check; run on the main thread, 30
// concurrent failed sign-ins held every other request for seconds. Here the main thread never
// hashes: a check waits for a thread, and when the queue is full it is refused at once
// (PasswordHashingBusy), never run here instead.
import path from "node:path";
import { Worker } from "node:worker_threads";

/** bcrypt's cost factor for new hashes; stored hashes carry their own. */
export const BCRYPT_COST = 11;

/** Refused because every thread is busy and the queue is full; the caller answers "try later". */
export class PasswordHashingBusy extends Error {
  constructor(queued: number) {
    super(`Password hashing is saturated: ${queued} checks already wait (setting PASSWORD_HASHING_QUEUE).`);
    this.name = "PasswordHashingBusy";
  }
}

type Job = { kind: "hash"; password: string; cost: number } | { kind: "verify"; password: string; hash: string };

interface Waiting {
  job: Job;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  current: Waiting | null;
  /** Why the thread died, kept from its `error` event for the `exit` that follows. */
  failure?: Error;
}

export interface PasswordHashingOptions {
  threads: number;
  /** Checks that may wait for a thread; beyond, they are refused. */
  maxQueued: number;
}

export class PasswordHashing {
  /** Jobs given to a thread, and jobs refused with a full queue, since start (tests count them). */
  readonly counts = { jobs: 0, refused: 0 };
  private readonly threads: Thread[] = [];
  private readonly queue: Waiting[] = [];
  private closed = false;

  constructor(private readonly options: PasswordHashingOptions) {}

  hash(password: string): Promise<string> {
    return this.submit({ kind: "hash", password, cost: BCRYPT_COST }) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.submit({ kind: "verify", password, hash }) as Promise<boolean>;
  }

  /** Stops the threads; checks still waiting or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error("Password hashing has shut down.");
    for (const waiting of this.queue.splice(0)) waiting.reject(stopped);
    await Promise.all(
      this.threads.splice(0).map((thread) => {
        thread.current?.reject(stopped);
        return thread.worker.terminate();
      }),
    );
  }

  private submit(job: Job): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error("Password hashing has shut down."));
      const waiting = { job, resolve, reject };
      const thread = this.threads.find((candidate) => !candidate.current) ?? (this.threads.length < this.options.threads ? this.startThread() : undefined);
      if (thread) return this.run(thread, waiting);
      if (this.queue.length >= this.options.maxQueued) {
        this.counts.refused++;
        return reject(new PasswordHashingBusy(this.queue.length));
      }
      this.queue.push(waiting);
    });
  }

  /** Threads start when first needed, so an instance that never checks a password runs none. */
  private startThread(): Thread {
    const thread: Thread = { worker: new Worker(path.join(__dirname, "password-hashing.worker.js")), current: null };
    thread.worker.on("message", (message: { value?: unknown; error?: string }) => {
      const done = thread.current;
      if (!done) return; // answered by close() already
      thread.current = null;
      if (message.error !== undefined) done.reject(new Error(message.error));
      else done.resolve(message.value);
      this.next(thread);
    });
    thread.worker.on("error", (error) => (thread.failure = error));
    thread.worker.on("exit", (code) => {
      const index = this.threads.indexOf(thread);
      if (index === -1) return; // closed
      this.threads.splice(index, 1);
      thread.current?.reject(thread.failure ?? new Error(`A password-hashing thread stopped (exit code ${code}).`));
      const waiting = this.queue.shift();
      if (waiting) this.run(this.startThread(), waiting);
    });
    thread.worker.unref();
    this.threads.push(thread);
    return thread;
  }

  private run(thread: Thread, waiting: Waiting): void {
    thread.current = waiting;
    this.counts.jobs++;
    thread.worker.ref(); // a check in progress keeps the process alive; an idle pool never does
    thread.worker.postMessage(waiting.job);
  }

  private next(thread: Thread): void {
    const waiting = this.queue.shift();
    if (waiting) this.run(thread, waiting);
    else thread.worker.unref();
  }
}
