// What a scenario gets from the command line: full or smoke, rounds and durations, where its
// databases live, whether peers may be installed, and (an A/B run) the commit to measure against.
import type { BaseCheckout } from "./base";

export interface RunContext {
  mode: "full" | "smoke";
  /** A/B rounds per side (full: 5, or 7 with --base; smoke: 2; --rounds <n> sets it). */
  rounds: number;
  /** Seconds per measurement: the scenario's full-run value, or 1 in smoke mode. */
  seconds(full: number): number;
  /** Warm-up seconds per side before the rounds. */
  warmupSeconds: number;
  allowPeerInstall: boolean;
  /** Prefix of the bench databases (smoke runs use their own and drop them afterwards). */
  databasePrefix: string;
  /**
   * `--base <rev>`: every scenario measures this checkout against that commit's version of our
   * service (S2: of its s2-server) in place of its peer, which does not run.
   */
  base?: BaseCheckout;
}
