// Travel times from a sheet (通行时间表导入): each row sets the minutes of one link, by the codes
// of its two places (a township unit's region code, the depot's site code) and its mode. Rows
// are checked first; then, in the import's one transaction (its unit of work's, so its audit entry
// commits with it), every link goes through the route service's upsertLink (the code path of
// setTravelTime), so the sheet is written whole or not at all.
// A row whose minutes differ from the table's, or that says 实测, makes its link SURVEYED; a row
// that repeats a derived time and says 估算 (or nothing) leaves it as it was — exporting the
// table and importing it back unchanged changes nothing.
import type { DataSource } from "typeorm";
import { forbidden, UserError } from "../../core/graphql/errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { TravelLink } from "../routes/route.entity";
import { TravelMode, TravelTimeBasis } from "../routes/routes.enums";
import { orderedEnds, type PlaceRow, type RouteService } from "../routes/routes.service";
import { InputErrors } from "../../core/mutation/input-errors";
import { ROUTE_COLUMNS, ROUTE_INFO_HEADERS, textValue, wholeNumberValue } from "./columns";
import { BASIS_SHEET_WORDS, enumFromWord, TRAVEL_MODE_SHEET_WORDS } from "./labels";
import type { CellValue } from "./sheet-file";
import { openSheet, progressReporter, rowReader, throwRowErrors, type ImportOptions, type ImportSource } from "./sheet-import";

type RouteColumn = (typeof ROUTE_COLUMNS)[number]["key"];

export interface TravelTimeImportResult {
  sheetName: string;
  rows: number;
  /** Links the sheet created or changed. */
  links: TravelLink[];
  created: number;
  updated: number;
  unchanged: number;
  ignoredColumns: string[];
}

interface RouteRow {
  rowNumber: number;
  fromCode: string;
  toCode: string;
  mode: TravelMode;
  minutes: number;
  /** What the sheet says, when it has the column and the cell is filled. */
  basis: TravelTimeBasis | null;
  waterway: string | null | undefined;
  note: string | null | undefined;
  field: (key: RouteColumn) => string;
}

/** Free text as staff wrote it (full-width punctuation kept, unlike codes); "" for an empty cell, which clears the field. */
function writtenText(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return "";
  return (cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell)).trim();
}

export class TravelTimeImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routes: RouteService,
  ) {}

  async importTravelTimes(unit: UnitOfWork, source: ImportSource, options: ImportOptions = {}): Promise<TravelTimeImportResult> {
    if (unit.actor.scopeRegionId !== null) throw forbidden("spreadsheets.travelTimesServeTheWhole");
    const { sheetName, match, rows } = await openSheet(source, ROUTE_COLUMNS, ROUTE_INFO_HEADERS);
    const errors: UserError[] = [];
    const parsed: RouteRow[] = [];
    const header = (key: RouteColumn) => match.columns.get(key)?.header ?? key;
    const firstRowOfLink = new Map<string, number>();
    const validated = progressReporter(options, "validated", rows.length);
    rows.forEach((row, i) => {
      const read = rowReader(match, row);
      const check = new InputErrors();
      const fromCode = textValue(read.cell("fromCode"))?.toUpperCase() ?? null;
      const toCode = textValue(read.cell("toCode"))?.toUpperCase() ?? null;
      if (!fromCode) check.add(read.field("fromCode"), "REQUIRED", "spreadsheets.isEmpty", { header: header("fromCode") });
      if (!toCode) check.add(read.field("toCode"), "REQUIRED", "spreadsheets.isEmpty", { header: header("toCode") });
      if (fromCode && fromCode === toCode) check.add(read.field("toCode"), "SAME_PLACE", "spreadsheets.aLinkJoinsTwoDifferent");
      const modeText = textValue(read.cell("mode"));
      const mode = modeText ? enumFromWord(TRAVEL_MODE_SHEET_WORDS, modeText) : null;
      if (!modeText) check.add(read.field("mode"), "REQUIRED", "spreadsheets.isEmptyUseOr", { header: header("mode") });
      else if (!mode) check.add(read.field("mode"), "INVALID_VALUE", "spreadsheets.isNotAModeUse", { modeText });
      const minutes = wholeNumberValue(read.cell("minutes"));
      if ("problem" in minutes) check.add(read.field("minutes"), "OUT_OF_RANGE", "spreadsheets.cellProblem", { header: header("minutes"), problem: minutes.problem });
      const basisText = textValue(read.cell("basis"));
      const basis = basisText ? enumFromWord(BASIS_SHEET_WORDS, basisText) : null;
      if (basisText && !basis) check.add(read.field("basis"), "INVALID_VALUE", "spreadsheets.isNotABasisUse", { basisText });
      const values =
        mode && "value" in minutes
          ? this.routes.checkLinkValues(
              {
                mode,
                minutes: minutes.value,
                waterway: read.has("waterway") ? writtenText(read.cell("waterway")) : undefined,
                note: read.has("note") ? writtenText(read.cell("note")) : undefined,
              },
              { minutes: read.field("minutes"), waterway: read.field("waterway"), note: read.field("note") },
              check,
            )
          : null;
      if (fromCode && toCode && mode) {
        const key = `${[fromCode, toCode].sort().join("|")}|${mode}`;
        const first = firstRowOfLink.get(key);
        if (first !== undefined) check.add(read.field("toCode"), "DUPLICATE", "spreadsheets.theSameLinkAsRow", { first });
        else firstRowOfLink.set(key, row.rowNumber);
      }
      errors.push(...check.errors);
      if (!check.errors.length && values && "value" in minutes) {
        parsed.push({ rowNumber: row.rowNumber, fromCode: fromCode!, toCode: toCode!, mode: mode!, minutes: minutes.value, basis, waterway: values.waterway, note: values.note, field: (key) => read.field(key) });
      }
      validated(i + 1);
    });

    const result = await unit.transaction(this.dataSource, async (tx) => {
      // A fresh list per attempt: the transaction is retried after a deadlock.
      const problems = [...errors];
      const codes = [...new Set(parsed.flatMap((row) => [row.fromCode, row.toCode]))];
      const found: Array<{ id: number; code: string }> = await tx.manager.query(
        `SELECT n.id, upper(coalesce(r.code, s.code)) AS code FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id
         WHERE upper(coalesce(r.code, s.code)) = ANY($1::text[])`,
        [codes],
      );
      const nodeOf = new Map(found.map((row) => [row.code, row.id]));
      // Every place the sheet names, locked in id order: two imports over the same places take turns.
      const places: Map<number, PlaceRow> = await this.routes.lockPlaces(tx.manager, [...nodeOf.values()]);
      const links: TravelLink[] = [];
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const written = progressReporter(problems.length ? {} : options, "written", parsed.length);
      let done = 0;
      for (const row of parsed) {
        const check = new InputErrors();
        const fromNodeId = nodeOf.get(row.fromCode);
        const toNodeId = nodeOf.get(row.toCode);
        if (fromNodeId === undefined) check.add(row.field("fromCode"), "NOT_FOUND", "spreadsheets.isNotAPlaceOf", { fromCode: row.fromCode });
        if (toNodeId === undefined) check.add(row.field("toCode"), "NOT_FOUND", "spreadsheets.isNotAPlaceOf2", { toCode: row.toCode });
        if (fromNodeId !== undefined && toNodeId !== undefined) this.routes.checkEnds(places, fromNodeId, toNodeId, { from: row.field("fromCode"), to: row.field("toCode") }, check);
        if (check.errors.length) {
          problems.push(...check.errors);
          continue;
        }
        // Nothing is written once a row is bad: the remaining rows are still checked (every problem in one go).
        if (problems.length) continue;
        const [a, b] = orderedEnds(fromNodeId!, toNodeId!);
        const current = await tx.manager.findOne(TravelLink, { select: { minutes: true, basis: true }, where: { fromNodeId: a, toNodeId: b, mode: row.mode } });
        const keepsDerived = current && current.basis === TravelTimeBasis.DERIVED && current.minutes === row.minutes && row.basis !== TravelTimeBasis.SURVEYED;
        const outcome = await this.routes.upsertLink(
          unit,
          tx,
          { fromNodeId: a, toNodeId: b, mode: row.mode, minutes: row.minutes, basis: keepsDerived ? TravelTimeBasis.DERIVED : TravelTimeBasis.SURVEYED, waterway: row.waterway, note: row.note },
          places,
        );
        if (outcome.change === "UNCHANGED") counts.unchanged++;
        else {
          counts[outcome.change === "CREATED" ? "created" : "updated"]++;
          links.push(outcome.link);
        }
        written(++done);
      }
      throwRowErrors(problems);
      return { links, ...counts };
    });
    return { sheetName, rows: rows.length, ignoredColumns: match.ignored, ...result };
  }
}
