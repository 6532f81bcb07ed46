// core/coalescer.ts: callers arriving while a run is in flight share the next run.
import { AsyncLocalStorage } from "node:async_hooks";
import { Coalescer } from "../src/core/coalescer";

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
