// Reading and writing the sheets staff keep (Excel .xlsx and .csv) with exceljs. Everything
// here is about files and cells; what the columns mean is in columns.ts.
//
// Reading is forgiving where Excel users differ and strict where data could be misread:
// - .xlsx: the first worksheet with data; formula cells give their cached result, rich text its
//   plain text, date cells a Date.
// - .csv: UTF-8 with or without BOM, or GB18030/GBK (what Excel on a Chinese Windows writes by
//   default), or UTF-16 (Excel's "Unicode text"); the delimiter (comma, semicolon or tab) is
//   taken from the header line. Cells stay text: no guessing of numbers or dates.
// Writing: .xlsx with a bold frozen header row, a filter, column widths from the content and
// number formats per column type, and, given a PrintLayout, set up to print (title rows above the
// header, A4 landscape one page wide, header row on every page, page numbers, signature lines); .csv as UTF-8 with a BOM (without one Excel on Windows reads
// Chinese as GBK and shows mojibake), CRLF line ends, text cells that Excel would run as a
// formula (=, +, -, @ first) prefixed with an apostrophe (CSV injection), and long digit
// strings such as ID numbers written ="…" so Excel keeps every digit. Reading undoes both.
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { DISTRICT_TIME_ZONE } from "../../core/db/local-date";
import { message, render, type Message } from "../../core/i18n/i18n";

export enum SheetFormat {
  XLSX = "XLSX",
  CSV = "CSV",
}

export const MIME_TYPES: Record<SheetFormat, string> = {
  XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  CSV: "text/csv; charset=utf-8",
};

export const EXTENSIONS: Record<SheetFormat, string> = { XLSX: "xlsx", CSV: "csv" };

/** Uncompressed size an .xlsx may declare: far above a 100,000-row sheet, far below what would exhaust memory. */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/** Data rows one import reads. */
export const MAX_ROWS = 200_000;

/** A file that cannot be read as a sheet; the message says why, for the user. */
export class SheetFileError extends Error {
  constructor(
    readonly code: string,
    /** What is wrong with the file, in the catalogue (core/i18n). */
    readonly said: Message,
  ) {
    super(render("en", said));
    this.name = "SheetFileError";
  }
}

/** A cell as read: text, a number, a Date (xlsx date cells) or null when empty. */
export type CellValue = string | number | Date | null;

export interface SheetRow {
  /** The row number Excel shows (1 = first row of the sheet). */
  rowNumber: number;
  /** Cells by column, 0 = column A. */
  cells: CellValue[];
}

export interface ReadSheet {
  sheetName: string;
  /** Rows with at least one non-empty cell, in order. */
  rows: SheetRow[];
}

/** The format a file name says, or null. */
export function formatFromFilename(filename: string): SheetFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase();
  if (extension === "xlsx") return SheetFormat.XLSX;
  if (extension === "csv" || extension === "txt") return SheetFormat.CSV;
  return null;
}

/** The format of the content itself: an .xlsx is a zip archive ("PK\x03\x04"). */
export function sniffFormat(content: Buffer): SheetFormat {
  return content.length >= 4 && content.readUInt32LE(0) === 0x04034b50 ? SheetFormat.XLSX : SheetFormat.CSV;
}

export async function readSheet(content: Buffer, format: SheetFormat): Promise<ReadSheet> {
  if (content.length === 0) throw new SheetFileError("EMPTY_FILE", message("sheet.empty"));
  if (format === SheetFormat.XLSX) return readXlsx(content);
  return readCsv(content);
}

// ---------------------------------------------------------------- xlsx

/**
 * Sums the uncompressed sizes the archive's central directory declares, before anything is
 * inflated: a small upload must not expand into gigabytes in the server's memory.
 */
function checkZipSize(content: Buffer): void {
  const minimum = Math.max(0, content.length - 65_557);
  let end = -1;
  for (let offset = content.length - 22; offset >= minimum; offset--) {
    if (content.readUInt32LE(offset) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new SheetFileError("INVALID_FILE", message("sheet.zipMissing"));
  const entries = content.readUInt16LE(end + 10);
  let offset = content.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > content.length || content.readUInt32LE(offset) !== 0x02014b50) {
      throw new SheetFileError("INVALID_FILE", message("sheet.zipDamaged"));
    }
    const size = content.readUInt32LE(offset + 24);
    total += size;
    if (size === 0xffffffff || total > MAX_UNCOMPRESSED_BYTES) {
      throw new SheetFileError("TOO_LARGE", message("sheet.unpacksTooLarge", { mib: MAX_UNCOMPRESSED_BYTES / 1024 / 1024 }));
    }
    offset += 46 + content.readUInt16LE(offset + 28) + content.readUInt16LE(offset + 30) + content.readUInt16LE(offset + 32);
  }
}

function xlsxCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || value instanceof Date) return value;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("formula" in value || "sharedFormula" in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null) return null;
      return typeof result === "object" && "error" in result ? result.error : xlsxCell(result as ExcelJS.CellValue);
    }
    if ("text" in value) return xlsxCell((value as ExcelJS.CellHyperlinkValue).text);
    if ("error" in value) return (value as ExcelJS.CellErrorValue).error;
  }
  return String(value);
}

async function readXlsx(content: Buffer): Promise<ReadSheet> {
  checkZipSize(content);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    throw new SheetFileError("INVALID_FILE", message("sheet.unreadableXlsx", { reason: (error as Error).message }));
  }
  for (const worksheet of workbook.worksheets) {
    const rows: SheetRow[] = [];
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rows.length > MAX_ROWS) return;
      const values = row.values as ExcelJS.CellValue[];
      const cells = values.slice(1).map((value) => xlsxCell(value));
      if (cells.some((cell) => cell !== null && cell !== "")) rows.push({ rowNumber, cells });
    });
    if (rows.length > MAX_ROWS) throw new SheetFileError("TOO_LARGE", message("sheet.tooManyRows", { max: MAX_ROWS }));
    if (rows.length) return { sheetName: worksheet.name, rows };
  }
  return { sheetName: workbook.worksheets[0]?.name ?? "", rows: [] };
}

// ---------------------------------------------------------------- csv

function decodeText(content: Buffer): string {
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return content.subarray(3).toString("utf8");
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder("utf-16le").decode(content.subarray(2));
  if (content[0] === 0xfe && content[1] === 0xff) return new TextDecoder("utf-16be").decode(content.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    // Not UTF-8: Excel on a Chinese Windows saves "CSV (逗号分隔)" in the system code page.
    return new TextDecoder("gb18030").decode(content);
  }
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.indexOf("\n")) || text.length);
  const counts = [",", ";", "\t"].map((delimiter) => ({ delimiter, count: firstLine.split(delimiter).length - 1 }));
  counts.sort((a, b) => b.count - a.count);
  return counts[0].count > 0 ? counts[0].delimiter : ",";
}

/** Undoes what exports do to keep Excel from running or reformatting a value: '=… and ="0123". */
function csvCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  let text = String(value);
  if (/^'[=+\-@]/.test(text)) text = text.slice(1);
  const quoted = /^="(.*)"$/.exec(text);
  if (quoted) text = quoted[1];
  return text === "" ? null : text;
}

async function readCsv(content: Buffer): Promise<ReadSheet> {
  const text = decodeText(content);
  if (text.includes("\u0000")) throw new SheetFileError("INVALID_FILE", message("sheet.neither"));
  const workbook = new ExcelJS.Workbook();
  let worksheet: ExcelJS.Worksheet;
  try {
    worksheet = await workbook.csv.read(Readable.from([Buffer.from(text, "utf8")]), {
      sheetName: "CSV",
      map: (value: unknown) => value,
      parserOptions: { delimiter: detectDelimiter(text) },
    } as unknown as ExcelJS.CsvReadOptions);
  } catch (error) {
    throw new SheetFileError("INVALID_FILE", message("sheet.unreadableCsv", { reason: (error as Error).message }));
  }
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rows.length > MAX_ROWS) return;
    const cells = (row.values as unknown[]).slice(1).map((value) => csvCell(value));
    if (cells.some((cell) => cell !== null)) rows.push({ rowNumber, cells });
  });
  if (rows.length > MAX_ROWS) throw new SheetFileError("TOO_LARGE", message("sheet.fileTooManyRows", { max: MAX_ROWS }));
  return { sheetName: "CSV", rows };
}

// ---------------------------------------------------------------- writing

/** `amount`: money in 元 as a number (Excel keeps it a number, shown with two decimals, 0.00). */
export type ColumnType = "text" | "integer" | "amount" | "date" | "datetime";

/** A column of an export. `value` gives text, a whole number, a YYYY-MM-DD date or an instant (datetime). */
export interface ExportColumn<R> {
  header: string;
  type: ColumnType;
  value(row: R): string | number | Date | null;
}

const NUMBER_FORMATS: Record<ColumnType, string> = { text: "@", integer: "#,##0", amount: "0.00", date: "yyyy-mm-dd", datetime: "yyyy-mm-dd hh:mm:ss" };

const localDateTime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: DISTRICT_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** An instant as the district's wall-clock time, "2026-07-14 10:32:05" (Excel has no time zones). */
export function districtDateTime(instant: Date): string {
  return localDateTime.format(instant);
}

/** Display width in Excel's character units: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

function displayText(value: string | number | Date | null, type: ColumnType): string {
  if (value === null) return "";
  if (value instanceof Date) return districtDateTime(value);
  if (typeof value === "number") return type === "integer" ? value.toLocaleString("en") : type === "amount" ? value.toFixed(2) : String(value);
  return value;
}

/**
 * Text as a CSV cell Excel opens unharmed: text it would run as a formula gets an apostrophe;
 * long digit strings (ID numbers) and ones with a leading zero are written ="…", or Excel would
 * turn them into numbers and lose digits (500154199001011234 → 5.00154E+17).
 */
function csvText(text: string): string {
  if (/^(\d{12,}|0\d+)$/.test(text)) return `="${text}"`;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * How an .xlsx export prints: a title above the table, and under a stocktake sheet the lines
 * staff sign. CSV files carry none of it (they are data for programs and imports).
 */
export interface PrintLayout {
  /** Whose sheet it is: 开州区应急管理局, or the one site's or township's name it covers. */
  unit: string;
  /** The sheet's title, e.g. 库存盘点表. */
  title: string;
  /** The day it was made (YYYY-MM-DD, district time). */
  date: string;
  /** A line beside the date, e.g. a ledger's period. */
  note?: string;
  /** Labels of the lines staff sign below the table, e.g. 制表人, 审核人, 日期. */
  signatures?: readonly string[];
}

/** Rows above the header row of an .xlsx export: the title, then the date line. Imports find the header row below them. */
export const TITLE_ROWS = 2;

/** Text as Excel's header/footer codes read it: a literal & is written &&. */
function headerFooterText(text: string): string {
  return text.replace(/&/g, "&&");
}

/**
 * The page setup every .xlsx export prints with: A4 (paper size 9) landscape, scaled to one page
 * wide and as many tall as the rows need, centred, the header row repeated on every page, the
 * unit and title in the page header and 第 N 页，共 M 页 in the footer.
 */
function setUpPrinting(worksheet: ExcelJS.Worksheet, layout: PrintLayout, headerRow: number): void {
  worksheet.pageSetup = {
    ...worksheet.pageSetup,
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.25, footer: 0.25 },
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
  worksheet.headerFooter = {
    ...worksheet.headerFooter,
    oddHeader: `&L&9${headerFooterText(layout.unit)}&C&9${headerFooterText(layout.title)}&R&9制表日期：${layout.date}`,
    oddFooter: "&C&9第 &P 页，共 &N 页",
  };
}

export async function writeSheet<R>(
  format: SheetFormat,
  sheetName: string,
  columns: readonly ExportColumn<R>[],
  rows: readonly R[],
  layout?: PrintLayout,
  /** Label–value lines a .csv carries above its header row (then a blank line), for a sheet about one document; an .xlsx says it in the layout's note. */
  csvHeader?: ReadonlyArray<readonly [string, string]>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "开州区应急物资与救援力量服务";
  workbook.created = new Date();
  const headerRowNumber = format === SheetFormat.XLSX && layout ? TITLE_ROWS + 1 : 1;
  const worksheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: headerRowNumber }] });
  const values = rows.map((row) => columns.map((column) => column.value(row)));

  if (format === SheetFormat.CSV) {
    if (csvHeader?.length) {
      for (const [label, value] of csvHeader) worksheet.addRow([csvText(label), csvText(value)]);
      worksheet.addRow([]);
    }
    worksheet.addRow(columns.map((column) => column.header));
    for (const row of values) {
      worksheet.addRow(
        row.map((value, i) => {
          if (value === null) return "";
          if (typeof value === "number") return columns[i].type === "amount" ? value.toFixed(2) : value;
          const text = value instanceof Date ? districtDateTime(value) : value;
          return columns[i].type === "text" ? csvText(text) : text;
        }),
      );
    }
    const buffer = await workbook.csv.writeBuffer({
      map: (value: unknown) => value ?? "",
      formatterOptions: { writeBOM: true, rowDelimiter: "\r\n" },
    } as unknown as ExcelJS.CsvWriteOptions);
    return Buffer.from(buffer);
  }

  worksheet.columns = columns.map((column, i) => {
    const widest = values.reduce((width, row) => Math.max(width, displayWidth(displayText(row[i], column.type))), displayWidth(column.header));
    return { key: `c${i}`, width: Math.min(60, Math.max(8, widest + 2)), style: { numFmt: NUMBER_FORMATS[column.type] } };
  });
  const last = columns.length;
  if (layout) {
    const title = worksheet.getRow(1);
    title.getCell(1).value = `${layout.unit}${layout.title}`;
    title.getCell(1).font = { bold: true, size: 16 };
    title.getCell(1).alignment = { vertical: "middle", horizontal: "center" };
    title.height = 30;
    const dateLine = worksheet.getRow(2);
    dateLine.getCell(1).value = [layout.note, `制表日期：${layout.date}`].filter(Boolean).join("　　");
    dateLine.getCell(1).alignment = { vertical: "middle", horizontal: "right" };
    for (const row of [title, dateLine]) row.getCell(1).numFmt = "@";
    if (last > 1) {
      worksheet.mergeCells(1, 1, 1, last);
      worksheet.mergeCells(2, 1, 2, last);
    }
  }
  const header = worksheet.getRow(headerRowNumber);
  header.values = columns.map((column) => column.header);
  for (const row of values) {
    worksheet.addRow(
      row.map((value, i) => {
        if (value === null) return null;
        const type = columns[i].type;
        // Excel stores wall-clock serials: a date is UTC midnight, an instant the district's local time.
        if (type === "date" && typeof value === "string") return new Date(`${value}T00:00:00Z`);
        if (type === "datetime" && value instanceof Date) return new Date(`${districtDateTime(value).replace(" ", "T")}Z`);
        return value;
      }),
    );
  }
  header.font = { bold: true };
  header.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
    cell.numFmt = "@";
  });
  worksheet.autoFilter = { from: { row: headerRowNumber, column: 1 }, to: { row: headerRowNumber, column: last } };
  if (layout) {
    // Thin borders round the table, so the printed form reads as one.
    const thin = { style: "thin" as const, color: { argb: "FF808080" } };
    for (let r = headerRowNumber; r <= headerRowNumber + values.length; r++) {
      const row = worksheet.getRow(r);
      for (let c = 1; c <= last; c++) row.getCell(c).border = { top: thin, left: thin, bottom: thin, right: thin };
    }
    if (layout.signatures?.length) writeSignatures(worksheet, layout.signatures, headerRowNumber + values.length + 2, last);
    setUpPrinting(worksheet, layout, headerRowNumber);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The lines staff sign, one row below the table after a blank one: each label (制表人：) with a
 * ruled line to sign on, spread across the sheet's width. Imports read such rows as notes, not
 * data (sheet-import.ts).
 */
function writeSignatures(worksheet: ExcelJS.Worksheet, labels: readonly string[], rowNumber: number, columnCount: number): void {
  const row = worksheet.getRow(rowNumber);
  row.height = 32;
  const span = Math.max(1, Math.floor(columnCount / labels.length));
  labels.forEach((label, i) => {
    const start = i * span + 1;
    const cell = row.getCell(start);
    cell.value = `${label}：`;
    cell.numFmt = "@";
    cell.font = { bold: true };
    cell.alignment = { vertical: "bottom", horizontal: "right" };
    const end = Math.min(columnCount, start + span - 1, start + 2);
    for (let c = start + 1; c <= end; c++) row.getCell(c).border = { bottom: { style: "thin" } };
  });
}
