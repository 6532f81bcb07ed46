// S1's PostGraphile 5 (Grafast) peer: copied by the harness next to the peer it installed
// (bench/.peers/postgraphile5/graphile.config.mjs), so that these imports resolve there, and run
// with `postgraphile -C graphile.config.mjs` on Node ≥ 22. The amber preset is PostGraphile 5's
// recommended one; the V4 preset keeps PostGraphile 4's names (row `id`, `nodeId`,
// `stockLevelsBySiteId`, `Cursor`), so S1 sends both generations the same queries
// (bench/queries/s1.ts) over the same functions (bench/peers/postgraphile.sql). As PostGraphile
// 4 runs in S1: connecting as the database's owner, pool of 10, no GraphiQL, no explain, no
// query log; GRAPHILE_ENV=production.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makeV4Preset } from "postgraphile/presets/v4";

export default {
  extends: [PostGraphileAmberPreset, makeV4Preset({ disableQueryLog: true })],
  pgServices: [
    makePgService({
      connectionString: process.env.BENCH_PG5_DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { port: Number(process.env.BENCH_PG5_PORT), host: "127.0.0.1", graphiql: false, watch: false },
  grafast: { explain: false },
};
