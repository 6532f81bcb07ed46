// The columns of the sheets staff import, in Chinese as they write them and in English, and how
// a header row is matched to them. The README's column table is this file written out.
import { UserError } from "../../core/graphql/errors";
import type { CellValue, SheetRow } from "./sheet-file";
import { message, messageList, type Message } from "../../core/i18n/i18n";

export interface ColumnSpec<K extends string = string> {
  key: K;
  /** The header exports write and the README shows first. */
  chinese: string;
  english: string;
  /** Other headers staff use for the same column (matched after normalising, like the two above). */
  aliases: readonly string[];
  required: boolean;
  /**
   * Headers that mean this column only when the sheet has none of the headers above, e.g. 数量
   * (quantity) counts as the counted quantity unless a 实盘数量 column is present.
   */
  fallbacks?: readonly string[];
  /**
   * The column a fallback-headed column means when a header above is present, unless the sheet
   * has that column under its own header: 数量 beside 实盘数量 is the book quantity.
   */
  displacedFallbackMeans?: K;
}

/** Columns of a stocktake sheet (盘点表). */
export const STOCK_COUNT_COLUMNS = [
  { key: "siteCode", chinese: "站点编码", english: "Site code", aliases: ["站点代码", "储备点编码", "库点编码", "仓库编码", "site", "sitecode"], required: true },
  { key: "itemCode", chinese: "物资编码", english: "Item code", aliases: ["物资代码", "物资分类编码", "item", "itemcode"], required: true },
  { key: "batchNumber", chinese: "批次", english: "Batch", aliases: ["批次号", "批号", "批次编号", "batchnumber", "batchno", "lot"], required: true },
  {
    key: "quantity",
    chinese: "数量",
    english: "Quantity",
    aliases: ["实盘数量", "盘点数量", "实存数量", "实有数量", "counted", "countedquantity"],
    fallbacks: ["数量", "quantity", "库存数量", "在库数量", "qty"],
    displacedFallbackMeans: "bookQuantity",
    required: true,
  },
  // What the books held when the sheet was made: a count made against books that have moved since is refused.
  { key: "bookQuantity", chinese: "账面数量", english: "Book quantity", aliases: ["账存数量", "账面库存", "bookquantity", "bookqty"], required: false },
] as const satisfies readonly ColumnSpec[];

/** Columns of the stock export that a stocktake import reads past (informational). */
export const STOCK_INFO_HEADERS = [
  "站点名称", "site name", "层级", "tier", "物资名称", "item name", "规格", "规格型号", "specification", "单位", "计量单位", "unit",
  "生产日期", "production date", "有效期至", "有效期", "expiry date", "储备方式", "reserve mode",
  "已预留", "reserved", "可用", "可用数量", "available", "保管员", "custodian", "备注", "note", "序号", "no",
];

/** Columns of a roster sheet (队员名册). */
export const MEMBER_COLUMNS = [
  { key: "teamCode", chinese: "队伍编码", english: "Team code", aliases: ["队伍代码", "team", "teamcode"], required: true },
  { key: "name", chinese: "姓名", english: "Name", aliases: ["队员姓名", "fullname"], required: true },
  { key: "role", chinese: "角色", english: "Role", aliases: ["职务", "岗位", "队内职务"], required: false },
  { key: "phone", chinese: "手机号", english: "Phone", aliases: ["手机", "手机号码", "联系电话", "电话", "mobile"], required: false },
  { key: "idNumber", chinese: "身份证号", english: "ID number", aliases: ["身份证号码", "身份证", "公民身份号码", "idno", "idcard"], required: false },
  { key: "employmentMode", chinese: "用工方式", english: "Employment mode", aliases: ["用工形式", "employment"], required: false },
  { key: "skills", chinese: "技能", english: "Skills", aliases: ["专长", "技能专长"], required: false },
  { key: "joinedOn", chinese: "入队日期", english: "Joined on", aliases: ["加入日期", "入队时间", "joined", "joindate"], required: false },
] as const satisfies readonly ColumnSpec[];

export const MEMBER_INFO_HEADERS = ["队伍名称", "team name", "队伍类别", "team kind", "序号", "no", "备注", "note"];

/** Columns of a travel-time sheet (通行时间表): one row per link. */
export const ROUTE_COLUMNS = [
  { key: "fromCode", chinese: "起点编码", english: "From code", aliases: ["起点代码", "起点", "from", "fromcode"], required: true },
  { key: "toCode", chinese: "终点编码", english: "To code", aliases: ["终点代码", "终点", "to", "tocode"], required: true },
  { key: "mode", chinese: "方式", english: "Mode", aliases: ["运输方式", "交通方式", "通行方式"], required: true },
  { key: "minutes", chinese: "通行时间", english: "Minutes", aliases: ["通行时间分钟", "用时", "分钟", "traveltime", "traveltimeminutes"], required: true },
  // 估算 beside unchanged minutes keeps a derived time as it is; 实测 confirms it as surveyed.
  { key: "basis", chinese: "依据", english: "Basis", aliases: ["数据来源", "来源", "时间依据"], required: false },
  { key: "waterway", chinese: "水域", english: "Waterway", aliases: ["水路名称", "航道"], required: false },
  { key: "note", chinese: "备注", english: "Note", aliases: ["说明"], required: false },
] as const satisfies readonly ColumnSpec[];

/** Columns of the travel-time export that its import reads past. */
export const ROUTE_INFO_HEADERS = ["起点名称", "from name", "终点名称", "to name", "直线距离", "distance", "distance km", "道路状态", "status", "更新时间", "updated at", "更新人", "updated by", "序号", "no"];

/**
 * Header text as compared: full-width letters, digits and brackets become half-width (NFKC),
 * spaces (also the ideographic one), underscores, dashes, dots, colons and the required-field
 * star go, letters are lower-cased. "站点 编码", "站点编码：", "＊数量", "Site_Code" all match.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-.:*#\u00b7\u3001]/g, "");
}

/** "数量(顶)" / "数量（件）" → "数量": staff add the unit in brackets. */
function withoutBracketedSuffix(normalized: string): string {
  return normalized.replace(/[(\[].*[)\]]$/, "");
}

export interface HeaderMatch<K extends string> {
  /** The header row's number in the sheet. */
  rowNumber: number;
  /** Column index and the header as written, per matched key. */
  columns: Map<K, { index: number; header: string }>;
  /** Headers that mean nothing to this import (their cells are not read). */
  ignored: string[];
  errors: UserError[];
}

function cellText(cell: CellValue | undefined): string {
  return cell === null || cell === undefined ? "" : cell instanceof Date ? cell.toISOString() : String(cell).trim();
}

/**
 * Finds the header row (the first of the first 20 rows that names at least two of the columns;
 * title rows above it are fine) and matches its cells to the specs.
 */
export function matchHeaders<K extends string>(rows: readonly SheetRow[], specs: readonly ColumnSpec<K>[], infoHeaders: readonly string[]): HeaderMatch<K> {
  const lookup = new Map<string, { key: K; fallback: boolean }>();
  for (const spec of specs) {
    for (const alias of [spec.chinese, spec.english, ...spec.aliases]) lookup.set(normalizeHeader(alias), { key: spec.key, fallback: false });
    for (const alias of spec.fallbacks ?? []) lookup.set(normalizeHeader(alias), { key: spec.key, fallback: true });
  }
  const info = new Set(infoHeaders.map(normalizeHeader));
  const find = (header: string) => {
    const normalized = normalizeHeader(header);
    return lookup.get(normalized) ?? lookup.get(withoutBracketedSuffix(normalized)) ?? null;
  };
  const headerRow = rows.slice(0, 20).find((row) => new Set(row.cells.map((cell) => find(cellText(cell))?.key).filter(Boolean)).size >= Math.min(2, specs.length));
  const describe = (spec: ColumnSpec<K>) => `${spec.chinese} (${spec.english})`;
  if (!headerRow) {
    return {
      rowNumber: 0,
      columns: new Map(),
      ignored: [],
      errors: [new UserError("columns", "MISSING_COLUMN", "spreadsheets.noHeaderRowFoundIn", { filter: messageList(specs.filter((s) => s.required).map(describe), "comma") })],
    };
  }
  const primary = new Map<K, { index: number; header: string }[]>();
  const fallback = new Map<K, { index: number; header: string }[]>();
  const ignored: string[] = [];
  headerRow.cells.forEach((cell, index) => {
    const header = cellText(cell);
    if (!header) return;
    const match = find(header);
    if (!match) {
      if (!info.has(normalizeHeader(header)) && !info.has(withoutBracketedSuffix(normalizeHeader(header)))) ignored.push(header);
      return;
    }
    const into = match.fallback ? fallback : primary;
    into.set(match.key, [...(into.get(match.key) ?? []), { index, header }]);
  });
  for (const spec of specs) {
    const target = spec.displacedFallbackMeans;
    if (target !== undefined && primary.has(spec.key) && fallback.has(spec.key) && !primary.has(target) && !fallback.has(target)) {
      fallback.set(target, fallback.get(spec.key)!);
      fallback.delete(spec.key);
    }
  }
  const columns = new Map<K, { index: number; header: string }>();
  const errors: UserError[] = [];
  for (const spec of specs) {
    const candidates = primary.get(spec.key) ?? fallback.get(spec.key) ?? [];
    if (primary.has(spec.key) && fallback.has(spec.key)) ignored.push(...fallback.get(spec.key)!.map((c) => c.header));
    if (candidates.length > 1) {
      errors.push(new UserError("columns", "DUPLICATE_COLUMN", "spreadsheets.theColumnsBothMeanKeep", { candidates: messageList(candidates.map((c) => c.header), "and"), describe: describe(spec) }));
    } else if (candidates.length === 1) {
      columns.set(spec.key, candidates[0]);
    } else if (spec.required) {
      errors.push(new UserError("columns", "MISSING_COLUMN", "spreadsheets.theHeaderRowRowHas", { rowNumber: headerRow.rowNumber, describe: describe(spec) }));
    }
  }
  return { rowNumber: headerRow.rowNumber, columns, ignored, errors };
}

// ---------------------------------------------------------------- cells

/** Cell text: trimmed, full-width letters and digits made half-width; null when empty. */
export function textValue(cell: CellValue | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return isoDate(cell);
  if (typeof cell === "number") return String(cell);
  const text = cell.normalize("NFKC").trim();
  return text === "" ? null : text;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A whole number ≥ 0 from a number cell or text like "1,200" / "１２"; an error text otherwise. */
export function wholeNumberValue(cell: CellValue | undefined): { value: number } | { problem: Message } {
  if (typeof cell === "number") {
    if (!Number.isInteger(cell)) return { problem: message("cell.wholeNumber", { value: String(cell) }) };
    if (cell < 0) return { problem: message("cell.negative", { value: String(cell) }) };
    return { value: cell };
  }
  const text = textValue(cell);
  if (text === null) return { problem: message("cell.emptyCount") };
  const cleaned = text.replace(/[,，\s]/g, "").replace(/\.0+$/, "");
  if (/^-\d+$/.test(cleaned)) return { problem: message("cell.negative", { value: text }) };
  if (!/^\d+$/.test(cleaned)) return { problem: message("cell.wholeNumber", { value: `"${text}"` }) };
  const value = Number(cleaned);
  if (!Number.isSafeInteger(value)) return { problem: message("cell.tooLarge", { value: text }) };
  return { value };
}

/** A calendar date from a date cell or text (2026-07-14, 2026/7/14, 2026.7.14, 2026年7月14日, 20260714). */
export function dateValue(cell: CellValue | undefined): { value: string | null } | { problem: Message } {
  if (cell instanceof Date) return { value: isoDate(cell) };
  const text = textValue(cell);
  if (text === null) return { value: null };
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return { problem: message("cell.date", { value: text }) };
  const iso = `${match[1]}-${match[2].padStart(2, "0")}-${match[3].padStart(2, "0")}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || isoDate(parsed) !== iso) return { problem: message("cell.realDate", { value: text }) };
  return { value: iso };
}

/** The field path of a cell in UserErrors: rows[12].数量 (the row number Excel shows, the header as written). */
export function cellField(rowNumber: number, header: string): string {
  return `rows[${rowNumber}].${header}`;
}
