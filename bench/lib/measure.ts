// Load generation (autocannon, in this process) and the A/B alternation every scenario uses.
import autocannon from "autocannon";
import { CheckFailed, log, median, round } from "./util";

export interface HttpLoad {
  url: string;
  /** One request body, or several that every connection sends in turn (e.g. the pages of a list). */
  body: string | string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface HttpSample {
  /** Requests per second, mean over the run. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  requests: number;
}

/** Runs a fixed-duration HTTP load; any error, timeout or non-2xx answer fails the scenario. */
export async function httpLoad(load: HttpLoad): Promise<HttpSample> {
  const headers = { "content-type": "application/json", ...load.headers };
  const result = await autocannon({
    url: load.url,
    method: "POST",
    headers,
    ...(Array.isArray(load.body) ? { requests: load.body.map((body) => ({ method: "POST", headers, body })) } : { body: load.body }),
    connections: load.connections,
    pipelining: 1,
    duration: load.seconds,
    timeout: 30,
  });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new CheckFailed(`load on ${load.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers of ${result.requests.total}`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
}

export type Side = "ours" | "peer";

export interface Alternation<S> {
  ours: S[];
  peer: S[];
}

/**
 * Warm-up of both sides, then ours, peer, ours, peer … `rounds` times each, so drift on a busy
 * machine (other work, thermal, caches) lands on both sides alike.
 */
export async function alternate<S>(label: string, rounds: number, run: (side: Side, round: number) => Promise<S>, warmup?: (side: Side) => Promise<unknown>): Promise<Alternation<S>> {
  const result: Alternation<S> = { ours: [], peer: [] };
  for (const side of ["ours", "peer"] as const) {
    if (warmup) await warmup(side);
  }
  for (let round = 0; round < rounds; round++) {
    for (const side of ["ours", "peer"] as const) {
      result[side].push(await run(side, round));
    }
    log(`${label}: round ${round + 1}/${rounds} done`);
  }
  return result;
}

export function medianOf<S>(samples: S[], pick: (sample: S) => number): number {
  return round(median(samples.map(pick)), 2);
}

/**
 * The same alternation over any number of sides (S3: ours, PostGraphile 4, pgbench): every side
 * warmed up, then each side in turn per round, `rounds` times.
 */
export async function alternateSides<K extends string, S>(label: string, rounds: number, sides: readonly K[], run: (side: K, round: number) => Promise<S>, warmup?: (side: K) => Promise<unknown>): Promise<Record<K, S[]>> {
  const result = Object.fromEntries(sides.map((side) => [side, [] as S[]])) as Record<K, S[]>;
  if (warmup) for (const side of sides) await warmup(side);
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) result[side].push(await run(side, round));
    log(`${label}: round ${round + 1}/${rounds} done`);
  }
  return result;
}
