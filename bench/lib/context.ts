// What a scenario gets from the command line: full or smoke, rounds and durations, where its
// databases live, and whether peers may be installed.
export interface RunContext {
  mode: "full" | "smoke";
  /** A/B rounds per side (full: 5; smoke: 2). */
  rounds: number;
  /** Seconds per measurement: the scenario's full-run value, or 1 in smoke mode. */
  seconds(full: number): number;
  /** Warm-up seconds per side before the rounds. */
  warmupSeconds: number;
  allowPeerInstall: boolean;
  /** Prefix of the bench databases (smoke runs use their own and drop them afterwards). */
  databasePrefix: string;
}
