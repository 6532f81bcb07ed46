// A DataLoader that also answers synchronously for keys whose values it already holds.
//
// graphql-js completes a list without promises only if every field of every row resolves
// synchronously; one relation per row that returns a promise (even from a warm DataLoader
// cache) costs a promise, a Promise.all and a microtask hop per row, which on the district
// dashboard's stock levels was most of what `item` cost (bench/RESULTS.md, change 3). A
// parent loader that fetches the rows can fetch their relation's values too and prime them
// here; the relation's resolver then returns them synchronously with `knownOrLoad`.
import DataLoader from "dataloader";

export class KnownValueLoader<K, V> extends DataLoader<K, V> {
  private readonly known: Map<K, V>;

  constructor(batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V>) {
    const known = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => {
        const value = values[i];
        if (!(value instanceof Error)) known.set(key, value);
      });
      return values;
    }, options);
    this.known = known;
  }

  /** The value if it is already here, without a promise; otherwise it is loaded (batched as usual). */
  knownOrLoad(key: K): V | Promise<V> {
    return this.known.has(key) ? this.known.get(key)! : this.load(key);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!(value instanceof Error) && !(value && typeof (value as PromiseLike<V>).then === "function")) this.known.set(key, value as V);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.known.clear();
    return super.clearAll();
  }
}
