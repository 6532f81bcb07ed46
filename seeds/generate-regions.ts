// Generates seeds/data/regions.csv: 开州区, its 40 township-level units (codes and names
// from kaizhou-townships.csv, the plan's list), and 535 villages and communities with
// plausible generated names, stable codes and centre points inside the district.
// Deterministic: running it again writes the same file. The output is committed; the
// seed loader reads the CSV, not this script.
//   node -r ./scripts/register.js seeds/generate-regions.ts
import { say } from "../scripts/cli-language";
import path from "node:path";
import { readCsv, writeCsv } from "./csv";
import { between, pick, seededRandom } from "./random";

const DATA = path.join(__dirname, "data");
const VILLAGE_TOTAL = 535;
/** Kaizhou's urban centre (汉丰湖 area) and the district's rough extent. */
const CITY = { lat: 31.16, lng: 108.39 };
const BOUNDS = { latMin: 30.85, latMax: 31.65, lngMin: 107.95, lngMax: 108.85 };

const FIRST = "新大石柏桐杨白龙凤马高黄青永长花双金竹梨桂和平安兴福红三团五九铁太东南西北同胜岳天民丰光明联合云".split("");
const SECOND = "坪坝湾桥山河溪林田岭园塘口岩峰院池坡槽垭沟坎梁".split("");

function clamp(value: number, min: number, max: number) {
  return Math.min(max, Math.max(min, value));
}

function main() {
  const townships = readCsv(path.join(DATA, "kaizhou-townships.csv"));
  const streets = townships.filter((t) => t.kind === "STREET");
  const rural = townships.filter((t) => t.kind === "TOWNSHIP");
  const towns = townships.filter((t) => t.kind === "TOWN");
  // Streets hold ~10 communities, rural townships ~7 villages, towns share the rest.
  const counts = new Map<string, number>();
  streets.forEach((t) => counts.set(t.code, 10));
  rural.forEach((t) => counts.set(t.code, 7));
  const remaining = VILLAGE_TOTAL - streets.length * 10 - rural.length * 7;
  towns.forEach((t, i) => counts.set(t.code, Math.floor(remaining / towns.length) + (i < remaining % towns.length ? 1 : 0)));

  const rows: Array<Record<string, string | number>> = [
    { code: "KZ", name: "开州区", level: "DISTRICT", kind: "DISTRICT", parent_code: "", latitude: CITY.lat, longitude: CITY.lng },
  ];
  for (const township of townships) {
    const random = seededRandom(township.code);
    const centre =
      township.kind === "STREET"
        ? { lat: CITY.lat + between(random, -0.06, 0.06), lng: CITY.lng + between(random, -0.07, 0.07) }
        : { lat: between(random, BOUNDS.latMin + 0.05, BOUNDS.latMax - 0.05), lng: between(random, BOUNDS.lngMin + 0.05, BOUNDS.lngMax - 0.05) };
    rows.push({ code: township.code, name: township.name, level: "TOWNSHIP", kind: township.kind, parent_code: "KZ", latitude: centre.lat.toFixed(6), longitude: centre.lng.toFixed(6) });

    const used = new Set<string>();
    const count = counts.get(township.code)!;
    for (let i = 1; i <= count; i++) {
      // Streets have communities; a town's first two units are its town-centre communities.
      const isCommunity = township.kind === "STREET" || (township.kind === "TOWN" && i <= 2);
      let base: string;
      do base = pick(random, FIRST) + pick(random, SECOND);
      while (used.has(base));
      used.add(base);
      const spread = township.kind === "STREET" ? 0.02 : 0.07;
      rows.push({
        code: `${township.code}-${isCommunity ? "C" : "V"}${String(i).padStart(2, "0")}`,
        name: `${base}${isCommunity ? "社区" : "村"}`,
        level: "VILLAGE",
        kind: isCommunity ? "COMMUNITY" : "VILLAGE",
        parent_code: township.code,
        latitude: clamp(centre.lat + between(random, -spread, spread), BOUNDS.latMin, BOUNDS.latMax).toFixed(6),
        longitude: clamp(centre.lng + between(random, -spread, spread), BOUNDS.lngMin, BOUNDS.lngMax).toFixed(6),
      });
    }
  }
  writeCsv(path.join(DATA, "regions.csv"), rows);
  console.log(say("cli.regions.wrote", { count: rows.length, file: "seeds/data/regions.csv" }));
}

main();
