// `npm run export -- stock|ledger|teams|routes [--format xlsx|csv] [--out file] [filters]`
//   stock   stock on hand by batch (the stocktake form: import it back with npm run import -- stock)
//   ledger  the ledger (台账), oldest first
//   teams   active members of the teams (import it back with npm run import -- members)
//   routes  the travel-time table (通行时间表; import it back with npm run import -- routes)
// Filters: --site <site or region code>[,…] (a township's code takes its point and village rooms),
// --item <item code>, --tier DISTRICT_DEPOT|TOWNSHIP_POINT|VILLAGE_ROOM, --category 1|2|3,
// --from / --to <YYYY-MM-DD> or an ISO time (ledger; both days included, district time), --kind <MovementKind>,
// --team <team code>[,…], --region <region code>, --team-kind <TeamKind>, --place <township or depot code> (routes).
// The command line is the server's operator: personal data comes out in full.
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import type { DataSource } from "typeorm";
import { MovementKind, SiteTier } from "../src/modules/reserves/reserves.enums";
import { ExportService, type ExportedFile } from "../src/modules/spreadsheets/export.service";
import { SheetFormat } from "../src/modules/spreadsheets/sheet-file";
import { TeamKind } from "../src/modules/teams/team.enums";
import { codeList, dayOrTime, itemCode, oneOf, oneCode, orderedRange, readCommandLine, UsageError, wholeNumber } from "./cli-options";
import { fail, withDatabase, workingDirectory } from "./sheet-cli";
import { say } from "./cli-language";
import { messageList } from "../src/core/i18n/i18n";

const USAGE = say("cli.export.usage");

/** Site codes, or region codes standing for every site in the region and below it. */
async function siteIds(dataSource: DataSource, siteCodes: string[] | undefined): Promise<number[] | undefined> {
  if (!siteCodes) return undefined;
  const ids: number[] = [];
  for (const siteCode of siteCodes) {
    const rows: Array<{ id: number }> = await dataSource.query(
      `SELECT s.id FROM storage_site s WHERE upper(s.code) = upper($1)
       UNION ALL
       SELECT s.id FROM storage_site s JOIN region r ON r.id = s.region_id
       WHERE NOT EXISTS (SELECT 1 FROM storage_site x WHERE upper(x.code) = upper($1))
         AND r.path LIKE '%/' || (SELECT id FROM region WHERE upper(code) = upper($1))::text || '/%'`,
      [siteCode],
    );
    if (!rows.length) throw new UsageError(say("cli.export.noSite", { code: siteCode }));
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

async function idByCode(dataSource: DataSource, table: "supply_item" | "region" | "rescue_team", given: string | undefined, option: string): Promise<number | undefined> {
  if (given === undefined) return undefined;
  const [row] = await dataSource.query(`SELECT id FROM ${table} WHERE upper(code) = upper($1)`, [given]);
  if (!row) throw new UsageError(say("cli.export.noCode", { option, code: given }));
  return row.id;
}

/** The filters each export takes (every export also takes --format and --out). */
const FILTERS = {
  stock: ["site", "item", "tier", "category", "region"],
  ledger: ["site", "item", "region", "from", "to", "kind"],
  teams: ["team", "region", "team-kind"],
  routes: ["place"],
};

/** A place of the travel-time table by its code: a township unit's region code or the depot's site code. */
async function placeId(dataSource: DataSource, given: string | undefined): Promise<number | undefined> {
  if (given === undefined) return undefined;
  const [row] = await dataSource.query(
    `SELECT n.id FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id WHERE upper(coalesce(r.code, s.code)) = upper($1)`,
    [given],
  );
  if (!row) throw new UsageError(say("cli.export.noPlace", { code: given }));
  return row.id;
}

async function main() {
  const { positionals, values } = readCommandLine(
    {
      format: { type: "string" },
      out: { type: "string", short: "o" },
      site: { type: "string" },
      item: { type: "string" },
      tier: { type: "string" },
      category: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      kind: { type: "string" },
      team: { type: "string" },
      region: { type: "string" },
      "team-kind": { type: "string" },
      place: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [kind, ...rest] = positionals;
  if (!(kind in FILTERS) || rest.length) throw new UsageError(USAGE);
  const stray = Object.keys(values).find((option) => !["format", "out", ...FILTERS[kind as keyof typeof FILTERS]].includes(option));
  if (stray) throw new UsageError(say("cli.export.strayOption", { option: stray, kind, options: messageList(FILTERS[kind as keyof typeof FILTERS].map((option) => `--${option}`), "comma") }));
  if (values.out !== undefined && !values.out.trim()) throw new UsageError(say("cli.export.outFile"));
  const outExtension = values.out ? path.extname(values.out).slice(1).toUpperCase() : undefined;
  const format = oneOf(SheetFormat, values.format, "format") ?? (outExtension === "CSV" ? SheetFormat.CSV : SheetFormat.XLSX);
  const sites = codeList(values.site, "site");
  const item = itemCode(values.item, "item");
  const region = oneCode(values.region, "region");
  const teams = codeList(values.team, "team");
  const category = wholeNumber(values.category, "category", 1, 3);
  const tier = oneOf(SiteTier, values.tier, "tier");
  const movementKind = oneOf(MovementKind, values.kind, "kind");
  const teamKind = oneOf(TeamKind, values["team-kind"], "team-kind");
  const place = oneCode(values.place, "place");
  const from = dayOrTime(values.from, "from", "start");
  const to = dayOrTime(values.to, "to", "end");
  orderedRange({ from, to }, values, { from: "from", to: "to" });

  await withDatabase(async ({ dataSource }) => {
    const exports = new ExportService(dataSource);
    let file: ExportedFile;
    if (kind === "stock") {
      file = await exports.exportStock(
        "OPERATOR",
        {
          siteIds: await siteIds(dataSource, sites),
          regionId: await idByCode(dataSource, "region", region, "region"),
          tier,
          itemId: await idByCode(dataSource, "supply_item", item, "item"),
          categoryDigit: category === undefined ? undefined : String(category),
        },
        format,
      );
    } else if (kind === "ledger") {
      file = await exports.exportLedger(
        "OPERATOR",
        {
          siteIds: await siteIds(dataSource, sites),
          regionId: await idByCode(dataSource, "region", region, "region"),
          itemId: await idByCode(dataSource, "supply_item", item, "item"),
          kind: movementKind,
          from,
          to,
        },
        format,
      );
    } else if (kind === "routes") {
      file = await exports.exportTravelTimes("OPERATOR", { nodeId: await placeId(dataSource, place) }, format);
    } else {
      const teamIds = teams ? await Promise.all(teams.map((teamCode) => idByCode(dataSource, "rescue_team", teamCode, "team") as Promise<number>)) : undefined;
      file = await exports.exportTeams("OPERATOR", { teamIds, regionId: await idByCode(dataSource, "region", region, "region"), kind: teamKind }, format);
    }
    const out = path.resolve(workingDirectory(), values.out ?? file.filename);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, file.content);
    console.log(say("cli.export.wrote", { rows: file.rowCount, file: path.relative(workingDirectory(), out) || out, kib: Math.ceil(file.content.length / 1024) }));
    if (kind === "teams" && file.rowCount) console.log(say("cli.export.personalData"));
  });
}

main().catch((error) => fail(error, "cli.export.failed"));
