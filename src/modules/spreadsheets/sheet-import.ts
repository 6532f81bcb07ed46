// What every sheet import shares: the uploaded file (base64 over GraphQL, a path on the command
// line), reading it, finding the header row, and reporting problems per row.
import { UserError, UserErrorsException } from "../../core/graphql/errors";
import { matchHeaders, type ColumnSpec, type HeaderMatch } from "./columns";
import { formatFromFilename, readSheet, sniffFormat, SheetFileError, type SheetFormat, type SheetRow } from "./sheet-file";

/**
 * Largest file importStockCount and importTeamMembers take over GraphQL. Its base64 form
 * (4/3 of it) plus the query must stay under REQUEST_BODY_LIMIT_BYTES (default 1 MiB); a
 * 512 KiB .xlsx holds tens of thousands of rows. Larger files: `npm run import` on the server.
 */
export const UPLOAD_MAX_BYTES = 512 * 1024;
/** Largest file `npm run import` reads. */
export const FILE_MAX_BYTES = 64 * 1024 * 1024;

export interface ImportSource {
  filename: string;
  content: Buffer;
  /** Overrides what the file name and content say. */
  format?: SheetFormat | null;
}

export interface ImportProgress {
  stage: "validated" | "written";
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Called as rows are validated and written (the command line shows it for big files). */
  onProgress?: (progress: ImportProgress) => void;
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString("en")} KiB`;
}

/** An upload's base64 content as bytes; a data: URL prefix is allowed. */
export function decodeUpload(filename: string, base64: string, format: SheetFormat | null | undefined, operation: string): ImportSource {
  const payload = base64.replace(/^data:[^,]*;base64,/, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 === 1) {
    throw new UserErrorsException([new UserError("input.content", "INVALID_FORMAT", "spreadsheets.contentMustBeTheFile")]);
  }
  const size = Math.floor((payload.length * 3) / 4) - (payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0);
  if (size > UPLOAD_MAX_BYTES) {
    throw new UserErrorsException([
      new UserError(
        "input.content",
        "TOO_LARGE",
        "spreadsheets.theFileIsTakesFiles", { size: kib(size), operation, max: kib(UPLOAD_MAX_BYTES) },
      ),
    ]);
  }
  const name = filename.trim();
  if (!name || [...name].length > 255) throw new UserErrorsException([new UserError("input.filename", "OUT_OF_RANGE", "spreadsheets.filenameMustHaveToCharacters")]);
  return { filename: name, content: Buffer.from(payload, "base64"), format };
}

export interface OpenedSheet<K extends string> {
  sheetName: string;
  match: HeaderMatch<K>;
  /** Rows below the header row. */
  rows: SheetRow[];
}

/** Reads the file and matches its header row; file and header problems throw UserErrorsException. */
export async function openSheet<K extends string>(source: ImportSource, specs: readonly ColumnSpec<K>[], infoHeaders: readonly string[]): Promise<OpenedSheet<K>> {
  const format = source.format ?? formatFromFilename(source.filename) ?? sniffFormat(source.content);
  let sheet;
  try {
    sheet = await readSheet(source.content, format);
  } catch (error) {
    if (error instanceof SheetFileError) throw new UserErrorsException([new UserError("input.content", error.code, "spreadsheets.fileProblem", { filename: source.filename, message: error.said })]);
    throw error;
  }
  const match = matchHeaders(sheet.rows, specs, infoHeaders);
  if (match.errors.length) throw new UserErrorsException(match.errors);
  const rows = sheet.rows.filter((row) => row.rowNumber > match.rowNumber && !isNoteOrTotal(match, row, specs[0].key));
  if (rows.length === 0) throw new UserErrorsException([new UserError("rows", "REQUIRED", "spreadsheets.hasAHeaderRowBut", { filename: source.filename })]);
  return { sheetName: sheet.sheetName, match, rows };
}

const TOTAL_LABELS = new Set(["合计", "小计", "总计", "共计", "total", "subtotal", "sum"]);

/** A signature line's label, signed or not: 制表人：, 审核人：张三, 日期：2026-07-14 (what exports write under a 盘点表). */
const SIGNATURE_LABEL = /^(制表人?|填表人|审核人?|复核人|盘点人|监盘人|负责人|保管人|经办人|日期)[:：]/;

/**
 * Rows staff put below the table: notes, which leave every column the import reads empty;
 * signature lines (制表人：…, 审核人：…, 日期：…), whose read columns hold only such labels; and
 * totals (合计) in the first key column. They are not data rows.
 */
function isNoteOrTotal<K extends string>(match: HeaderMatch<K>, row: SheetRow, keyColumn: K): boolean {
  const text = (key: K) => {
    const column = match.columns.get(key);
    const cell = column ? row.cells[column.index] : null;
    return cell === null || cell === undefined ? "" : String(cell).normalize("NFKC").replace(/\s/g, "").toLowerCase();
  };
  const keys = [...match.columns.keys()];
  if (keys.every((key) => text(key) === "")) return true;
  if (keys.every((key) => text(key) === "" || SIGNATURE_LABEL.test(text(key)))) return true;
  return TOTAL_LABELS.has(text(keyColumn).replace(/[:：]$/, ""));
}

/** Reads one row's cells by column key. */
export function rowReader<K extends string>(match: HeaderMatch<K>, row: SheetRow) {
  return {
    cell(key: K) {
      const column = match.columns.get(key);
      return column ? row.cells[column.index] : undefined;
    },
    has(key: K) {
      return match.columns.has(key);
    },
    /** rows[12].数量 — the header as the sheet writes it, so the user finds the cell. */
    field(key: K) {
      return `rows[${row.rowNumber}].${match.columns.get(key)?.header ?? key}`;
    },
  };
}

function rowNumberOf(error: UserError): number {
  return Number(/^rows\[(\d+)\]/.exec(error.field ?? "")?.[1] ?? 0);
}

/** Throws the collected problems, in the order of the sheet's rows. */
export function throwRowErrors(errors: UserError[]): void {
  if (!errors.length) return;
  const ordered = errors.map((error, i) => ({ error, i })).sort((a, b) => rowNumberOf(a.error) - rowNumberOf(b.error) || a.i - b.i);
  throw new UserErrorsException(ordered.map(({ error }) => error));
}

/** Reports progress every `step` rows and at the end. */
export function progressReporter(options: ImportOptions, stage: ImportProgress["stage"], total: number, step = 1000) {
  let last = 0;
  return (done: number) => {
    if (!options.onProgress) return;
    if (done === total || done - last >= step) {
      last = done;
      options.onProgress({ stage, done, total });
    }
  };
}
