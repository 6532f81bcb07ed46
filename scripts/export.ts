// `npm run export -- stock|ledger|teams [--format xlsx|csv] [--out file] [filters]`
//   stock   stock on hand by batch (the stocktake form: import it back with npm run import -- stock)
//   ledger  the ledger (台账), oldest first
//   teams   active members of the teams (import it back with npm run import -- members)
// Filters: --site <site or region code>[,…] (a township's code takes its point and village rooms),
// --item <item code>, --tier DISTRICT_DEPOT|TOWNSHIP_POINT|VILLAGE_ROOM, --category 1|2|3,
// --from / --to <YYYY-MM-DD> (ledger; both days included, district time), --kind <MovementKind>,
// --team <team code>[,…], --region <region code>, --team-kind <TeamKind>.
// The command line is the server's operator: personal data comes out in full.
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { DataSource } from "typeorm";
import { addDays } from "../src/modules/reserves/local-date";
import { MovementKind, SiteTier } from "../src/modules/reserves/reserves.enums";
import { ExportService, type ExportedFile } from "../src/modules/spreadsheets/export.service";
import { SheetFormat } from "../src/modules/spreadsheets/sheet-file";
import { TeamKind } from "../src/modules/teams/team.enums";
import { fail, UsageError, withDatabase, workingDirectory } from "./sheet-cli";

const USAGE = `Usage:
  npm run export -- stock  [--site KZ-S01] [--item 1010101] [--tier TOWNSHIP_POINT] [--category 1] [--format xlsx|csv] [--out file]
  npm run export -- ledger [--site KZ-S01-P] [--item 1010101] [--from 2026-01-01] [--to 2026-01-31] [--kind RECEIPT] [--format xlsx|csv] [--out file]
  npm run export -- teams  [--team KZ-TT-S01] [--region KZ-S01] [--team-kind TOWNSHIP] [--format xlsx|csv] [--out file]`;

function oneOf<T extends string>(values: Record<string, T>, given: string | undefined, option: string): T | undefined {
  if (given === undefined) return undefined;
  const value = given.toUpperCase() as T;
  if (!Object.values(values).includes(value)) throw new UsageError(`--${option} must be one of ${Object.values(values).join(", ")}, not ${given}`);
  return value;
}

function list(text: string | undefined): string[] | undefined {
  return text
    ?.split(/[,，]/)
    .map((code) => code.trim())
    .filter(Boolean);
}

/** A day or an instant: 2026-01-31 means the district's day (UTC+8); `end` gives the next day's start. */
function instant(text: string | undefined, option: string, end: boolean): Date | undefined {
  if (text === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${end ? addDays(text, 1) : text}T00:00:00+08:00`);
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${option} must be a date (2026-01-31) or a time (2026-01-31T08:00:00+08:00), not ${text}`);
  return parsed;
}

/** Site codes, or region codes standing for every site in the region and below it. */
async function siteIds(dataSource: DataSource, codes: string[] | undefined): Promise<number[] | undefined> {
  if (!codes) return undefined;
  const ids: number[] = [];
  for (const code of codes) {
    const rows: Array<{ id: number }> = await dataSource.query(
      `SELECT s.id FROM storage_site s WHERE upper(s.code) = upper($1)
       UNION ALL
       SELECT s.id FROM storage_site s JOIN region r ON r.id = s.region_id
       WHERE NOT EXISTS (SELECT 1 FROM storage_site x WHERE upper(x.code) = upper($1))
         AND r.path LIKE '%/' || (SELECT id FROM region WHERE upper(code) = upper($1))::text || '/%'`,
      [code],
    );
    if (!rows.length) throw new UsageError(`--site ${code}: no storage site or region has this code`);
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

async function idByCode(dataSource: DataSource, table: "supply_item" | "region" | "rescue_team", code: string | undefined, option: string): Promise<number | undefined> {
  if (code === undefined) return undefined;
  const [row] = await dataSource.query(`SELECT id FROM ${table} WHERE upper(code) = upper($1)`, [code]);
  if (!row) throw new UsageError(`--${option} ${code}: nothing has this code`);
  return row.id;
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
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
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [kind, ...rest] = positionals;
  if (!["stock", "ledger", "teams"].includes(kind) || rest.length) throw new UsageError(USAGE);
  const outExtension = values.out ? path.extname(values.out).slice(1).toUpperCase() : undefined;
  const format = oneOf(SheetFormat, values.format, "format") ?? (outExtension === "CSV" ? SheetFormat.CSV : SheetFormat.XLSX);
  if (values.category !== undefined && !/^[1-3]$/.test(values.category)) throw new UsageError("--category must be 1, 2 or 3 (GB/T 38565 top category)");
  const tier = oneOf(SiteTier, values.tier, "tier");
  const movementKind = oneOf(MovementKind, values.kind, "kind");
  const teamKind = oneOf(TeamKind, values["team-kind"], "team-kind");
  const from = instant(values.from, "from", false);
  const to = instant(values.to, "to", true);

  await withDatabase(async ({ dataSource }) => {
    const exports = new ExportService(dataSource);
    let file: ExportedFile;
    if (kind === "stock") {
      file = await exports.exportStock(
        "OPERATOR",
        {
          siteIds: await siteIds(dataSource, list(values.site)),
          regionId: await idByCode(dataSource, "region", values.region, "region"),
          tier,
          itemId: await idByCode(dataSource, "supply_item", values.item, "item"),
          categoryDigit: values.category,
        },
        format,
      );
    } else if (kind === "ledger") {
      file = await exports.exportLedger(
        "OPERATOR",
        {
          siteIds: await siteIds(dataSource, list(values.site)),
          regionId: await idByCode(dataSource, "region", values.region, "region"),
          itemId: await idByCode(dataSource, "supply_item", values.item, "item"),
          kind: movementKind,
          from,
          to,
        },
        format,
      );
    } else {
      const teamCodes = list(values.team);
      const teamIds = teamCodes ? await Promise.all(teamCodes.map((code) => idByCode(dataSource, "rescue_team", code, "team") as Promise<number>)) : undefined;
      file = await exports.exportTeams("OPERATOR", { teamIds, regionId: await idByCode(dataSource, "region", values.region, "region"), kind: teamKind }, format);
    }
    const out = path.resolve(workingDirectory(), values.out ?? file.filename);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, file.content);
    console.log(`Wrote ${file.rowCount.toLocaleString("en")} rows to ${path.relative(workingDirectory(), out) || out} (${Math.ceil(file.content.length / 1024).toLocaleString("en")} KiB).`);
    if (kind === "teams" && file.rowCount) console.log("The file holds names, phones and ID numbers in full (personal data): keep it safe.");
  });
}

main().catch((error) => fail(error, "Export"));
