// core/db/coalescer.ts: callers arriving while a run is in flight share the next run.
import { AsyncLocalStorage } from "node:async_hooks";
import { Coalescer } from "../src/core/db/coalescer";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("Coalescer", () => {
  it("runs the first caller at once and everyone who arrived meanwhile together in the next run", async () => {
    const runs: number[][] = [];
    let release = deferred();
    const coalescer = new Coalescer<number, string>(async (inputs) => {
      runs.push(inputs);
      await release.promise;
      return inputs.map((n) => `answer ${n}`);
    });
    const first = coalescer.submit(1);
    expect(runs).toEqual([[1]]); // not delayed to a later tick
    const rest = [2, 3, 4].map((n) => coalescer.submit(n));
    const firstRelease = release;
    release = deferred();
    firstRelease.resolve();
    expect(await first).toBe("answer 1");
    release.resolve();
    expect(await Promise.all(rest)).toEqual(["answer 2", "answer 3", "answer 4"]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it("gives a failed run's error to that run's callers only, and keeps serving", async () => {
    let fail = true;
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      if (fail) throw new Error("statement failed");
      return inputs.map((n) => n * 2);
    });
    await expect(coalescer.submit(1)).rejects.toThrow("statement failed");
    fail = false;
    expect(await coalescer.submit(2)).toBe(4);
  });

  it("puts at most maxInputs in one run", async () => {
    const sizes: number[] = [];
    const gate = deferred();
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      sizes.push(inputs.length);
      await gate.promise;
      return inputs;
    }, { maxInputs: 3 });
    const all = Array.from({ length: 8 }, (_, i) => coalescer.submit(i));
    gate.resolve();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([1, 3, 3, 1]);
  });

  it("runs up to `lanes` at once, and callers wait only when every lane is busy", async () => {
    const runs: number[][] = [];
    const gates = [deferred(), deferred(), deferred()];
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      const gate = gates[runs.length];
      runs.push(inputs);
      await gate.promise;
      return inputs;
    }, { lanes: 2 });
    const all = [1, 2, 3, 4].map((n) => coalescer.submit(n));
    expect(runs).toEqual([[1], [2]]);
    gates[0].resolve();
    await all[0];
    expect(runs).toEqual([[1], [2], [3, 4]]);
    gates[1].resolve();
    gates[2].resolve();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4]);
  });

  it("runs in the context of the first caller when asked to", async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      seen.push(storage.getStore());
      return inputs;
    }, { context: "first caller" });
    await storage.run("request A", () => coalescer.submit(1));
    expect(seen).toEqual(["request A"]);
  });

  it("runs in the context it was made in, not the context of the caller that started the run", async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      seen.push(storage.getStore());
      return inputs;
    });
    await storage.run("request A", () => coalescer.submit(1));
    expect(seen).toEqual([undefined]);
  });
});

describe("Coalescer spare runs", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("lets callers who waited too long behind a stuck run go in a run of their own, which then ends", async () => {
    const runs: number[][] = [];
    const stuck = deferred();
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      runs.push(inputs);
      if (inputs.includes(1)) await stuck.promise; // the first run waits on a lock someone else holds
      return inputs;
    }, { spareRuns: { afterMs: 100, max: 1 } });
    const first = coalescer.submit(1);
    const behind = [2, 3].map((n) => coalescer.submit(n));
    await sleep(10);
    expect(runs).toEqual([[1]]); // not yet: a short wait is what sharing runs costs
    expect(await Promise.all(behind)).toEqual([2, 3]); // a spare run took both
    expect(runs).toEqual([[1], [2, 3]]);
    const later = coalescer.submit(4); // the spare run has ended: 4 waits for the lane again
    await sleep(10);
    expect(runs).toEqual([[1], [2, 3]]);
    stuck.resolve();
    expect(await first).toBe(1);
    expect(await later).toBe(4);
    expect(runs).toEqual([[1], [2, 3], [4]]);
  });

  it("opens no more than `max` spare runs at once", async () => {
    const runs: number[][] = [];
    const stuck = deferred();
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      runs.push(inputs);
      await stuck.promise; // every run is stuck
      return inputs;
    }, { spareRuns: { afterMs: 10, max: 2 } });
    const all = [coalescer.submit(1)];
    for (let n = 2; n <= 4; n++) {
      all.push(coalescer.submit(n));
      await sleep(30);
    }
    expect(runs).toEqual([[1], [2], [3]]); // 4 waits: two spare runs are already stuck
    stuck.resolve();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4]);
    expect(runs).toEqual([[1], [2], [3], [4]]);
  });

  it("opens no spare run while the lane keeps turning over", async () => {
    const runs: number[][] = [];
    let running = 0;
    let concurrentRuns = 0;
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      runs.push(inputs);
      concurrentRuns = Math.max(concurrentRuns, ++running);
      await sleep(4);
      running--;
      return inputs;
    }, { spareRuns: { afterMs: 250, max: 1 } });
    const all: Array<Promise<number>> = [];
    for (let n = 1; n <= 20; n++) {
      all.push(coalescer.submit(n));
      await sleep(2);
    }
    await Promise.all(all);
    // One lane: every run began after the one before it had ended, none beside it.
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(concurrentRuns).toBe(1);
  });
});
