// A stocktake from a sheet (盘点表导入): each row gives the counted quantity of one batch at one
// site. Every row is checked first; the counts then go through the reserve's own stocktake
// (StockLedger.stocktake, the code path of recordStocktake), site by site in the import's one
// transaction (its unit of work's, so its audit entry commits with it), so differences become
// COUNT_ADJUSTMENT entries and either the whole sheet is booked or nothing.
// A sheet carries what the books held when it was made (账面数量, or 数量 beside 实盘数量): where the
// books have moved since, its count would undo those movements, so the row is refused unless the
// importer forces it.
import crypto from "node:crypto";
import { In, type DataSource, type EntityManager } from "typeorm";
import { assertInScope } from "../../core/access/scope";
import { UserError, UserErrorsException } from "../../core/graphql/errors";
import { MAX_ON_HAND } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { isSupplyItemCode } from "../reserves/reserves.service";
import type { StockLedger, StocktakeCount } from "../reserves/stock-ledger";
import type { StockMovement } from "../reserves/stock-movement.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { STOCK_COUNT_COLUMNS, STOCK_INFO_HEADERS, textValue, wholeNumberValue } from "./columns";
import { openSheet, progressReporter, rowReader, throwRowErrors, type ImportOptions, type ImportSource } from "./sheet-import";
import { message } from "../../core/i18n/i18n";

type StockColumn = (typeof STOCK_COUNT_COLUMNS)[number]["key"];

export interface StockImportOptions extends ImportOptions {
  /** Note on every ledger entry; default "盘点表导入 <file name>". */
  note?: string | null;
  /**
   * Book the counts even where the sheet's book quantity (账面数量) is no longer what the books
   * hold: the importer says the counts were made after those movements.
   */
  force?: boolean;
}

export interface StockImportResult {
  sheetName: string;
  /** Data rows read (one counted batch each). */
  rows: number;
  sites: number;
  /** One COUNT_ADJUSTMENT per batch whose count differed from the books. */
  adjustments: StockMovement[];
  /** Headers of columns the import did not read. */
  ignoredColumns: string[];
  /** Shared by all adjustments of this import (StockMovement.operationId). */
  operationId: string;
}

interface CountRow {
  rowNumber: number;
  siteCode: string;
  itemCode: string;
  batchNumber: string;
  quantity: number;
  /** The sheet's 账面数量, when it has the column and the cell is filled. */
  bookQuantity: number | null;
  fields: Record<StockColumn, string>;
}

interface SiteRow {
  id: number;
  code: string;
  name: string;
  path: string;
}

export class StockImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockLedger,
  ) {}

  async importStockCount(unit: UnitOfWork, source: ImportSource, options: StockImportOptions = {}): Promise<StockImportResult> {
    const note = (options.note?.trim() || `盘点表导入 ${source.filename}`).slice(0, 500);
    const { sheetName, match, rows } = await openSheet(source, STOCK_COUNT_COLUMNS, STOCK_INFO_HEADERS);
    const errors: UserError[] = [];
    const counts: CountRow[] = [];
    const firstRowOf = new Map<string, number>();
    const validated = progressReporter(options, "validated", rows.length);
    rows.forEach((row, i) => {
      const read = rowReader(match, row);
      const fields = Object.fromEntries(STOCK_COUNT_COLUMNS.map((column) => [column.key, read.field(column.key)])) as Record<StockColumn, string>;
      const before = errors.length;
      const text = (key: StockColumn, maxLength: number) => {
        const value = textValue(read.cell(key));
        if (value === null) errors.push(new UserError(fields[key], "REQUIRED", "spreadsheets.isEmpty2", { value: match.columns.get(key)!.header }));
        else if ([...value].length > maxLength) errors.push(new UserError(fields[key], "OUT_OF_RANGE", "spreadsheets.hasAtMostCharacters", { value: match.columns.get(key)!.header, maxLength }));
        return value ?? "";
      };
      const siteCode = text("siteCode", 40);
      const itemCode = text("itemCode", 7);
      if (itemCode && itemCode.length <= 7 && !isSupplyItemCode(itemCode)) {
        errors.push(new UserError(fields.itemCode, "INVALID_FORMAT", "spreadsheets.isNotADigitGb", { itemCode }));
      }
      const batchNumber = text("batchNumber", 64);
      const quantity = wholeNumberValue(read.cell("quantity"));
      if ("problem" in quantity) errors.push(new UserError(fields.quantity, "OUT_OF_RANGE", "spreadsheets.cellProblem", { header: match.columns.get("quantity")!.header, problem: quantity.problem }));
      else if (quantity.value > MAX_ON_HAND) errors.push(new UserError(fields.quantity, "OUT_OF_RANGE", "spreadsheets.atMostUnits", { maxOnHand: MAX_ON_HAND }));
      let bookQuantity: number | null = null;
      // A row without a book quantity (one added by hand below the exported ones) is counted as it stands.
      if (read.has("bookQuantity") && textValue(read.cell("bookQuantity")) !== null) {
        const book = wholeNumberValue(read.cell("bookQuantity"));
        if ("problem" in book) errors.push(new UserError(fields.bookQuantity, "OUT_OF_RANGE", "spreadsheets.cellProblem", { header: match.columns.get("bookQuantity")!.header, problem: book.problem }));
        else bookQuantity = book.value;
      }
      if (errors.length === before) {
        const key = `${siteCode.toUpperCase()}\u0000${itemCode}\u0000${batchNumber}`;
        const first = firstRowOf.get(key);
        if (first !== undefined) {
          errors.push(new UserError(`rows[${row.rowNumber}]`, "DUPLICATE", "spreadsheets.batchOfItemAtIs", { batchNumber, itemCode, siteCode, first }));
        } else {
          firstRowOf.set(key, row.rowNumber);
          counts.push({ rowNumber: row.rowNumber, siteCode, itemCode, batchNumber, quantity: (quantity as { value: number }).value, bookQuantity, fields });
        }
      }
      validated(i + 1);
    });

    const operationId = crypto.randomUUID();
    const result = await unit.transaction(this.dataSource, async (tx) => {
      // A fresh list per attempt: the transaction is retried after a deadlock.
      const problems = [...errors];
      const resolved = await this.resolve(tx.manager, counts);
      // Scope before anything else: a township's clerk gets FORBIDDEN for another township's site, not a list of row problems.
      for (const [site, rowNumber] of resolved.firstRowOfSite) assertInScope(unit.actor, site.path, message("scope.what.importSite", { name: site.name, code: site.code, row: rowNumber }));
      problems.push(...resolved.errors);

      const bySite = new Map<number, { site: SiteRow; counts: StocktakeCount[]; field: string }>();
      for (const row of counts) {
        const found = resolved.byRow.get(row.rowNumber);
        if (!found) continue; // reported above
        const { site, batchId } = found;
        const entry = bySite.get(site.id) ?? { site, counts: [], field: row.fields.siteCode };
        const checkBooks = row.bookQuantity !== null && !options.force;
        entry.counts.push({
          batchId,
          counted: row.quantity,
          field: row.fields.quantity,
          batchField: row.fields.batchNumber,
          bookQuantity: checkBooks ? { quantity: row.bookQuantity!, field: row.fields.bookQuantity } : undefined,
        });
        bySite.set(site.id, entry);
      }
      const adjustments: StockMovement[] = [];
      // Rows already known to be bad: the others are still counted under the lock (so every
      // problem is reported in one go), but nothing will be committed, so no "written" progress.
      const written = progressReporter(problems.length ? {} : options, "written", counts.length);
      let done = 0;
      // Ascending site id: the lock order every stock operation follows. A site whose counts
      // break a rule under the lock throws before writing; the others are still checked so
      // the user sees every problem, and the transaction then rolls everything back.
      for (const siteId of [...bySite.keys()].sort((a, b) => a - b)) {
        const entry = bySite.get(siteId)!;
        try {
          adjustments.push(...(await this.stock.stocktake(tx, unit.actor, siteId, entry.counts, { operationId, note }, entry.field)));
        } catch (error) {
          if (!(error instanceof UserErrorsException)) throw error;
          problems.push(...error.errors);
        }
        done += entry.counts.length;
        written(done);
      }
      throwRowErrors(problems);
      return { adjustments, sites: bySite.size };
    });
    return { sheetName, rows: rows.length, sites: result.sites, adjustments: result.adjustments, ignoredColumns: match.ignored, operationId };
  }

  /** Site, item and batch of every row by their codes: three statements whatever the sheet's size. */
  private async resolve(manager: EntityManager, counts: readonly CountRow[]) {
    const siteCodes = [...new Set(counts.map((row) => row.siteCode.toUpperCase()))];
    const siteRows: Array<{ id: number; code: string; name: string; path: string }> = await manager.query(
      `SELECT s.id, s.code, s.name, r.path FROM storage_site s JOIN region r ON r.id = s.region_id WHERE upper(s.code) = ANY($1::text[])`,
      [siteCodes],
    );
    const sites = new Map(siteRows.map((site) => [site.code.toUpperCase(), site]));
    const itemRows = await manager.find(SupplyItem, { select: { id: true, code: true }, where: { code: In([...new Set(counts.map((row) => row.itemCode))]) } });
    const items = new Map(itemRows.map((item) => [item.code, item.id]));

    const errors: UserError[] = [];
    const firstRowOfSite = new Map<SiteRow, number>();
    const candidates: Array<{ row: CountRow; site: SiteRow; itemId: number }> = [];
    for (const row of counts) {
      const site = sites.get(row.siteCode.toUpperCase());
      const itemId = items.get(row.itemCode);
      if (!site) errors.push(new UserError(row.fields.siteCode, "NOT_FOUND", "spreadsheets.thereIsNoStorageSite", { siteCode: row.siteCode }));
      else if (!firstRowOfSite.has(site)) firstRowOfSite.set(site, row.rowNumber);
      if (itemId === undefined) errors.push(new UserError(row.fields.itemCode, "NOT_FOUND", "spreadsheets.itemIsNotInThe", { itemCode: row.itemCode }));
      if (site && itemId !== undefined) candidates.push({ row, site, itemId });
    }
    const batchRows: Array<{ position: string; id: number }> = await manager.query(
      `SELECT input.position, b.id
       FROM unnest($1::int[], $2::int[], $3::text[]) WITH ORDINALITY AS input(site_id, item_id, batch_number, position)
       JOIN stock_batch b ON b.site_id = input.site_id AND b.item_id = input.item_id AND b.batch_number = input.batch_number`,
      [candidates.map((c) => c.site.id), candidates.map((c) => c.itemId), candidates.map((c) => c.row.batchNumber)],
    );
    const batchAt = new Map(batchRows.map((row) => [Number(row.position) - 1, row.id]));
    const byRow = new Map<number, { site: SiteRow; batchId: number }>();
    candidates.forEach(({ row, site }, i) => {
      const batchId = batchAt.get(i);
      if (batchId === undefined) {
        errors.push(
          new UserError(
            row.fields.batchNumber,
            "NOT_FOUND",
            "spreadsheets.holdsNoBatchOfItem", { name: site.name, batchNumber: row.batchNumber, itemCode: row.itemCode },
          ),
        );
      } else {
        byRow.set(row.rowNumber, { site, batchId });
      }
    });
    return { errors, firstRowOfSite, byRow };
  }
}
