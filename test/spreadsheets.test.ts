// Excel and CSV over GraphQL as staff use them: a stocktake sheet written the way staff write
// it imports, a sheet with bad rows reports every one and writes nothing, an exported sheet
// imports back with no adjustments, exports open in Excel (BOM, Chinese headers, formats) and
// mask personal data like the API, and township staff count only their own township.
import crypto from "node:crypto";
import ExcelJS from "exceljs";
import { Role, type Actor } from "../src/core/access/auth";
import { inTransaction } from "../src/core/db/transaction";
import { SheetFormat } from "../src/modules/spreadsheets/sheet-file";
import { startTestApp, type TestApp } from "./support/app";
import { reserveLookups } from "./support/reserves";

let t: TestApp;
let logistics: string;
let township: string;
let find: ReturnType<typeof reserveLookups>;

beforeAll(async () => {
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  logistics = await t.tokenFor("logistics");
  township = await t.tokenFor("logistics.kz-s01");
  find = reserveLookups(t.app.dataSource);
});
afterAll(() => t.stop());

const IMPORT_STOCK = `mutation ($input: ImportStockCountInput!) { importStockCount(input: $input) {
  countedBatches sites operationId ignoredColumns
  adjustments { kind quantity onHandAfter note operationId recordedBy site { code } batch { batchNumber onHand } }
  errors { field code message } } }`;
const EXPORT_STOCK = `query ($where: ExportStockWhere, $format: SheetFormat) { exportStock(where: $where, format: $format) { filename mimeType content rowCount byteSize } }`;
const IMPORT_MEMBERS = `mutation ($input: ImportTeamMembersInput!) { importTeamMembers(input: $input) {
  teams unchanged ignoredColumns added { name role phone idNumber employmentMode skills joinedOn } updated { name role phone }
  errors { field code message } } }`;

/** An .xlsx as staff make it: a title row above the headers, then the rows. */
async function xlsx(headers: string[], rows: unknown[][], title?: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("盘点表");
  if (title) sheet.addRow([title]);
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** One CSV record's cells (quotes undone). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((match) => match[1].replace(/^"|"$/g, "").replace(/""/g, '"'));
}

function csv(lines: string[][]): Buffer {
  return Buffer.from(lines.map((line) => line.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(",")).join("\r\n"), "utf8");
}

async function importStock(filename: string, content: Buffer, token = logistics, extra: Record<string, unknown> = {}) {
  const result = await t.graphql(IMPORT_STOCK, { input: { filename, content: content.toString("base64"), ...extra } }, { token });
  return result;
}

async function onHand(siteCode: string, itemCode: string, batchNumber: string): Promise<number> {
  const [row] = await t.app.dataSource.query(
    `SELECT b.on_hand FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id
     WHERE s.code = $1 AND i.code = $2 AND b.batch_number = $3`,
    [siteCode, itemCode, batchNumber],
  );
  return row.on_hand;
}

/** Batches of a site: code, item code, batch number, on hand (the seed's own). */
async function batchesAt(siteCode: string, count: number): Promise<Array<{ itemCode: string; batchNumber: string; onHand: number }>> {
  const rows = await t.app.dataSource.query(
    `SELECT i.code AS item_code, b.batch_number, b.on_hand FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id
     WHERE s.code = $1 AND b.on_hand > 10 AND (b.expiry_date IS NULL OR b.expiry_date > current_date + 5) ORDER BY i.code, b.batch_number LIMIT $2`,
    [siteCode, count],
  );
  return rows.map((row: any) => ({ itemCode: row.item_code, batchNumber: row.batch_number, onHand: row.on_hand }));
}

async function readXlsx(content: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  return workbook.worksheets[0];
}

describe("stock count import (importStockCount)", () => {
  it("imports a sheet written with Chinese headers, a title row, spaces and full-width characters; differences become COUNT_ADJUSTMENT entries", async () => {
    const [a, b, c] = await batchesAt("KZ-S01-P", 3);
    const movementsBefore = await find.movementCount();
    const content = await xlsx(
      ["序号", "站点 编码", "物资编码：", "批　次", "物资名称", "数量（件）", "核对人"],
      [
        [1, "KZ-S01-P", Number(a.itemCode), a.batchNumber, "帐篷", a.onHand - 3, "张三"],
        [2, "ｋｚ-s01-p", a.itemCode === b.itemCode ? a.itemCode : b.itemCode, b.batchNumber, "", `${b.onHand + 2}`, ""],
        [3, "KZ-S01-P", c.itemCode, c.batchNumber, "", { formula: `${c.onHand}*1`, result: c.onHand }, ""],
        [null, "合计", null, null, null, a.onHand + b.onHand + c.onHand - 1, null],
        ["制表人：李四　审核人：王五"],
      ],
      "汉丰街道应急物资储备点 2026年汛前盘点表",
    );
    const result = await importStock("汉丰街道盘点表.xlsx", content, logistics, { note: "汛前盘点" });
    expect(result.errors).toBeUndefined();
    const payload = result.data.importStockCount;
    expect(payload.errors).toEqual([]);
    expect(payload.countedBatches).toBe(3);
    expect(payload.sites).toBe(1);
    expect(payload.ignoredColumns).toEqual(["核对人"]);
    expect(payload.adjustments).toHaveLength(2);
    expect(payload.adjustments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "COUNT_ADJUSTMENT", quantity: -3, onHandAfter: a.onHand - 3, note: "汛前盘点", batch: { batchNumber: a.batchNumber, onHand: a.onHand - 3 } }),
        expect.objectContaining({ kind: "COUNT_ADJUSTMENT", quantity: 2, onHandAfter: b.onHand + 2, site: { code: "KZ-S01-P" } }),
      ]),
    );
    expect(new Set(payload.adjustments.map((m: any) => m.operationId))).toEqual(new Set([payload.operationId]));
    // The audit log keeps the size and digest of the uploaded file, not its bytes; the entry
    // commits with the adjustments, in the import's transaction.
    const [audit] = await t.app.dataSource.query(`SELECT input_summary, xmin::text AS xid FROM audit_entry WHERE request_id = $1`, [result.headers.get("x-request-id")]);
    const sha256 = crypto.createHash("sha256").update(content).digest("hex");
    expect(audit.input_summary.input).toEqual(expect.objectContaining({ filename: "汉丰街道盘点表.xlsx", content: { bytes: content.length, sha256 }, note: "汛前盘点" }));
    const booked = await t.app.dataSource.query(`SELECT DISTINCT xmin::text AS xid FROM stock_movement WHERE operation_id = $1`, [payload.operationId]);
    expect(booked).toEqual([{ xid: audit.xid }]);
    expect(await onHand("KZ-S01-P", c.itemCode, c.batchNumber)).toBe(c.onHand);
    expect(await find.movementCount()).toBe(movementsBefore + 2);
    expect(await find.discrepancies()).toBe(0);
  });

  it("reads English headers from a CSV, and a GBK-encoded CSV as Excel on a Chinese Windows saves it", async () => {
    const [a] = await batchesAt("KZ-S02-P", 1);
    const english = await importStock("count.csv", csv([["Site code", "Item code", "Batch", "Counted quantity"], ["KZ-S02-P", a.itemCode, a.batchNumber, String(a.onHand + 1)]]));
    expect(english.data.importStockCount.errors).toEqual([]);
    expect(english.data.importStockCount.adjustments).toEqual([expect.objectContaining({ quantity: 1 })]);
    // "站点编码,物资编码,批次,数量\r\n" in GB18030, then an ASCII row.
    const gbk = Buffer.concat([Buffer.from("d5beb5e3b1e0c2eb2cceefd7cab1e0c2eb2cc5fab4ce2ccafdc1bf0d0a", "hex"), Buffer.from(`KZ-S02-P,${a.itemCode},${a.batchNumber},${a.onHand}\r\n`)]);
    const fromGbk = await importStock("count-gbk.csv", gbk);
    expect(fromGbk.data.importStockCount.errors).toEqual([]);
    expect(fromGbk.data.importStockCount.adjustments).toEqual([expect.objectContaining({ quantity: -1, onHandAfter: a.onHand })]);
  });

  it("takes 实盘数量 as the count when staff add it beside the exported 数量 (book quantity)", async () => {
    const exported = (await t.graphql(EXPORT_STOCK, { where: { siteId: await find.site("KZ-S07-P") }, format: "CSV" }, { token: logistics })).data.exportStock;
    const lines = Buffer.from(exported.content, "base64").toString("utf8").replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    const counted = lines.map((line, i) => {
      if (i === 0) return `${line},实盘数量`;
      const onHandNow = Number(csvCells(line)[11]);
      return `${line},${i === 1 ? onHandNow + 4 : onHandNow}`;
    });
    const result = await importStock("汛前盘点.csv", Buffer.from(counted.join("\r\n")));
    const payload = result.data.importStockCount;
    expect(payload.errors).toEqual([]);
    expect(payload.ignoredColumns).toEqual(["数量"]);
    expect(payload.countedBatches).toBe(lines.length - 1);
    expect(payload.adjustments).toEqual([expect.objectContaining({ quantity: 4 })]);
  });

  it("refuses a sheet exported before another count was booked — its 账面数量 is not what the books hold — naming both numbers and booking nothing; force books it", async () => {
    const site = await find.site("KZ-S08-P");
    const exportRows = async () => {
      const exported = (await t.graphql(EXPORT_STOCK, { where: { siteId: site }, format: "CSV" }, { token: logistics })).data.exportStock;
      return Buffer.from(exported.content, "base64").toString("utf8").replace(/^\uFEFF/, "").trimEnd().split("\r\n").map(csvCells);
    };
    const QUANTITY = 11;
    const BOOK = 12;
    const earlier = await exportRows();
    expect([earlier[0][QUANTITY], earlier[0][BOOK]]).toEqual(["数量", "账面数量"]);
    const [itemCode, batchNumber, book] = [earlier[1][3], earlier[1][7], Number(earlier[1][BOOK])];

    // Another count of the same shelf, exported later and booked first: 3 units fewer.
    const later = await exportRows();
    later[1][QUANTITY] = String(book - 3);
    expect((await importStock("复盘.csv", csv(later))).data.importStockCount.adjustments).toEqual([expect.objectContaining({ quantity: -3 })]);

    // The earlier sheet, counted as exported, would put the 3 units back.
    const movementsBefore = await find.movementCount();
    const stale = (await importStock("初盘.csv", csv(earlier))).data.importStockCount;
    expect(stale.adjustments).toBeNull();
    expect(stale.errors).toEqual([
      {
        field: "rows[2].账面数量",
        code: "STALE_SHEET",
        message: expect.stringContaining(`the sheet says ${book} of batch ${batchNumber} on the books, the books now say ${book - 3}`),
      },
    ]);
    expect(stale.errors[0].message).toMatch(/Export the sheet again/);
    expect(await find.movementCount()).toBe(movementsBefore);
    expect(await onHand("KZ-S08-P", itemCode, batchNumber)).toBe(book - 3);

    // The importer vouches for the count: booked, and the audit entry says it was forced.
    const forced = (await importStock("初盘.csv", csv(earlier), logistics, { force: true })).data.importStockCount;
    expect(forced.errors).toEqual([]);
    expect(forced.adjustments).toEqual([expect.objectContaining({ quantity: 3, onHandAfter: book })]);
    const [audit] = await t.app.dataSource.query(`SELECT outcome, input_summary FROM audit_entry WHERE operation = 'importStockCount' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ outcome: "SUCCEEDED", input_summary: expect.objectContaining({ input: expect.objectContaining({ filename: "初盘.csv", force: true }) }) });

    // A sheet exported now is fresh: its count is booked.
    const fresh = await exportRows();
    fresh[1][QUANTITY] = String(book - 1);
    const booked = (await importStock("盘点.csv", csv(fresh))).data.importStockCount;
    expect(booked.errors).toEqual([]);
    expect(booked.adjustments).toEqual([expect.objectContaining({ quantity: -1, onHandAfter: book - 1 })]);
  });

  it("takes 数量 beside an added 实盘数量 as the book quantity and checks it, and names a book quantity that is no number", async () => {
    const [a] = await batchesAt("KZ-T05-P", 1);
    const sheet = (book: string, counted: number) => csv([["站点编码", "物资编码", "批次", "数量", "实盘数量"], ["KZ-T05-P", a.itemCode, a.batchNumber, book, String(counted)]]);
    const movementsBefore = await find.movementCount();
    const stale = (await importStock("旧表.csv", sheet(String(a.onHand + 2), a.onHand))).data.importStockCount;
    expect(stale.errors).toEqual([expect.objectContaining({ field: "rows[2].数量", code: "STALE_SHEET", message: expect.stringContaining(`says ${a.onHand + 2} of batch`) })]);
    const notANumber = await importStock("旧表.csv", csv([["站点编码", "物资编码", "批次", "数量", "账面数量"], ["KZ-T05-P", a.itemCode, a.batchNumber, "1", "约20"]]));
    expect(notANumber.data.importStockCount.errors).toEqual([expect.objectContaining({ field: "rows[2].账面数量", code: "OUT_OF_RANGE" })]);
    expect(await find.movementCount()).toBe(movementsBefore);

    const fresh = (await importStock("新表.csv", sheet(String(a.onHand), a.onHand - 1))).data.importStockCount;
    expect(fresh.errors).toEqual([]);
    expect(fresh.ignoredColumns).toEqual([]);
    expect(fresh.adjustments).toEqual([expect.objectContaining({ quantity: -1 })]);
  });

  it("reports every bad row with its row number and reason, and writes nothing when any row is bad", async () => {
    const [a, b] = await batchesAt("KZ-S03-P", 2);
    const before = { movements: await find.movementCount(), a: a.onHand, b: b.onHand };
    const content = await xlsx(
      ["站点编码", "物资编码", "批次", "数量"],
      [
        ["KZ-S03-P", a.itemCode, a.batchNumber, a.onHand - 1], // row 2: good
        ["KZ-S03-P", b.itemCode, b.batchNumber, 12.5], // row 3
        ["KZ-S03-P", b.itemCode, b.batchNumber, -4], // row 4 (bad quantity, so not a duplicate yet)
        ["", a.itemCode, "X-1", 5], // row 5
        ["KZ-NOWHERE", a.itemCode, a.batchNumber, 5], // row 6
        ["KZ-S03-P", "9999999", a.batchNumber, 5], // row 7
        ["KZ-S03-P", a.itemCode, "NO-SUCH-BATCH", 5], // row 8
        ["KZ-S03-P", a.itemCode, a.batchNumber, 7], // row 9: the same batch as row 2
        ["KZ-S03-P", b.itemCode, b.batchNumber, null], // row 10
        ["KZ-S03-P", b.itemCode, b.batchNumber, b.onHand], // row 11: good
      ],
    );
    const result = await importStock("bad.xlsx", content);
    expect(result.errors).toBeUndefined();
    const errors = result.data.importStockCount.errors;
    expect(errors.map((e: any) => [e.field, e.code])).toEqual([
      ["rows[3].数量", "OUT_OF_RANGE"],
      ["rows[4].数量", "OUT_OF_RANGE"],
      ["rows[5].站点编码", "REQUIRED"],
      ["rows[6].站点编码", "NOT_FOUND"],
      ["rows[7].物资编码", "INVALID_FORMAT"],
      ["rows[8].批次", "NOT_FOUND"],
      ["rows[9]", "DUPLICATE"],
      ["rows[10].数量", "OUT_OF_RANGE"],
    ]);
    expect(errors[0].message).toMatch(/whole number.*12\.5/);
    expect(errors[1].message).toMatch(/negative/);
    expect(errors[6].message).toMatch(/first in row 2/);
    expect(errors[7].message).toMatch(/empty; enter 0/);
    expect(result.data.importStockCount.adjustments).toBeNull();
    expect(await find.movementCount()).toBe(before.movements);
    expect(await onHand("KZ-S03-P", a.itemCode, a.batchNumber)).toBe(before.a);
  });

  it("checks counts under the lock like recordStocktake: a count below the reserved units is refused for that row, and no site is written", async () => {
    const [a] = await batchesAt("KZ-S04-P", 1);
    const [other] = await batchesAt("KZ-S05-P", 1);
    const batch = await find.batch("KZ-S04-P", (await t.app.dataSource.query(`SELECT name FROM supply_item WHERE code = $1`, [a.itemCode]))[0].name, a.batchNumber);
    const admin: Actor = { kind: "ACCOUNT", id: 1, name: "测试", role: Role.ADMIN, scopeRegionId: null, teamId: null };
    await inTransaction(t.app.dataSource, (tx) => t.app.services.stock.reserve(tx, admin, [{ batchId: batch.id, quantity: 5 }]));
    const before = await find.movementCount();
    // The other site sorts after KZ-S04-P's by id, so it is checked after the refused one and still rolled back.
    const content = csv([
      ["站点编码", "物资编码", "批次", "数量"],
      ["KZ-S05-P", other.itemCode, other.batchNumber, String(other.onHand - 1)],
      ["KZ-S04-P", a.itemCode, a.batchNumber, "3"],
      ["KZ-S05-P", other.itemCode, "NO-SUCH-BATCH", "abc"],
    ]);
    const result = await importStock("reserved.csv", content);
    // Rows bad on their face and rows refused under the lock are reported together.
    expect(result.data.importStockCount.errors).toEqual([
      expect.objectContaining({ field: "rows[3].数量", code: "INVALID_STATE", message: expect.stringMatching(/5 units .* reserved/) }),
      expect.objectContaining({ field: "rows[4].数量", code: "OUT_OF_RANGE" }),
    ]);
    expect(await find.movementCount()).toBe(before);
    expect(await onHand("KZ-S05-P", other.itemCode, other.batchNumber)).toBe(other.onHand);
    await inTransaction(t.app.dataSource, (tx) => t.app.services.stock.releaseReservation(tx, admin, [{ batchId: batch.id, quantity: 5 }]));
  });

  it("refuses a township-scoped account counting another township's site (FORBIDDEN, nothing written) and accepts its own", async () => {
    const [own] = await batchesAt("KZ-S01-P", 1);
    const [foreign] = await batchesAt("KZ-S02-P", 1);
    const before = await find.movementCount();
    const mixed = csv([
      ["站点编码", "物资编码", "批次", "数量"],
      ["KZ-S01-P", own.itemCode, own.batchNumber, String(own.onHand + 5)],
      ["KZ-S02-P", foreign.itemCode, foreign.batchNumber, String(foreign.onHand + 5)],
    ]);
    const refused = await importStock("mixed.csv", mixed, township);
    expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(refused.errors?.[0].message).toMatch(/KZ-S02-P, row 3.*outside your scope/);
    expect(await find.movementCount()).toBe(before);
    expect(await onHand("KZ-S02-P", foreign.itemCode, foreign.batchNumber)).toBe(foreign.onHand);

    const own2 = await importStock("own.csv", csv([["站点编码", "物资编码", "批次", "数量"], ["KZ-S01-P", own.itemCode, own.batchNumber, String(own.onHand)]]), township);
    expect(own2.data.importStockCount.errors).toEqual([]);

    const dashboard = await t.apiKeyFor("DASHBOARD");
    const byDashboard = await importStock("own.csv", csv([["站点编码", "物资编码", "批次", "数量"], ["KZ-S01-P", own.itemCode, own.batchNumber, "1"]]), dashboard);
    expect(byDashboard.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("names the size limit when a file is too large, and explains a file that is no sheet or has no header row", async () => {
    const big = await importStock("big.csv", Buffer.alloc(600 * 1024, "a"));
    expect(big.data.importStockCount.errors).toEqual([expect.objectContaining({ field: "input.content", code: "TOO_LARGE", message: expect.stringMatching(/600 KiB.*up to 512 KiB/) })]);
    const notBase64 = await t.graphql(IMPORT_STOCK, { input: { filename: "x.csv", content: "不是base64" } }, { token: logistics });
    expect(notBase64.data.importStockCount.errors).toEqual([expect.objectContaining({ field: "input.content", code: "INVALID_FORMAT" })]);
    const broken = await importStock("broken.xlsx", Buffer.from("PK\u0003\u0004 not really a zip"));
    expect(broken.data.importStockCount.errors).toEqual([expect.objectContaining({ code: "INVALID_FILE", message: expect.stringMatching(/broken\.xlsx.*not a readable \.xlsx/) })]);
    const noHeaders = await importStock("list.csv", csv([["帐篷", "10"], ["棉被", "20"]]));
    expect(noHeaders.data.importStockCount.errors).toEqual([expect.objectContaining({ field: "columns", code: "MISSING_COLUMN", message: expect.stringMatching(/站点编码 \(Site code\)/) })]);
    const missing = await importStock("no-batch.csv", csv([["站点编码", "物资编码", "数量"], ["KZ-S01-P", "1010101", "1"]]));
    expect(missing.data.importStockCount.errors).toEqual([expect.objectContaining({ field: "columns", code: "MISSING_COLUMN", message: expect.stringMatching(/批次 \(Batch\)/) })]);
  });
});

describe("stock export (exportStock)", () => {
  it("exports .xlsx with Chinese headers, column widths, number formats and a frozen header row", async () => {
    const result = await t.graphql(EXPORT_STOCK, { where: { siteId: await find.site("KZ-S01-P") } }, { token: logistics });
    expect(result.errors).toBeUndefined();
    const file = result.data.exportStock;
    expect(file.filename).toMatch(/^stock-\d{4}-\d\d-\d\d\.xlsx$/);
    expect(file.mimeType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const content = Buffer.from(file.content, "base64");
    expect(content.length).toBe(file.byteSize);
    const sheet = await readXlsx(content);
    expect(sheet.name).toBe("库存");
    // Row 1 is the title, row 2 the date, row 3 the header (print layout: see "printing" below).
    expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual([
      "站点编码", "站点名称", "层级", "物资编码", "物资名称", "规格", "单位", "批次", "生产日期", "有效期至", "储备方式", "数量", "账面数量", "已预留", "可用", "保管员",
    ]);
    // Below the rows: a blank row and the signature line.
    expect(file.rowCount).toBe(sheet.rowCount - 3 - 2);
    expect(file.rowCount).toBe((await t.app.dataSource.query(`SELECT count(*)::int AS n FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE s.code = 'KZ-S01-P' AND b.on_hand > 0`))[0].n);
    const quantity = sheet.getColumn(12);
    expect(quantity.numFmt).toBe("#,##0");
    expect(typeof sheet.getRow(4).getCell(12).value).toBe("number");
    expect(sheet.getColumn(9).numFmt).toBe("yyyy-mm-dd");
    expect(sheet.getRow(4).getCell(9).value).toBeInstanceOf(Date);
    // Widths follow the content: the site name (Chinese, two units a character) is wider than the unit column.
    expect(sheet.getColumn(2).width).toBeGreaterThan(sheet.getColumn(7).width!);
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(20);
    expect(sheet.views[0]).toEqual(expect.objectContaining({ state: "frozen", ySplit: 3 }));
    expect(sheet.getRow(3).getCell(1).font?.bold).toBe(true);
  });

  it("exports .csv as UTF-8 with a byte-order mark, so Excel shows the Chinese", async () => {
    const result = await t.graphql(EXPORT_STOCK, { where: { siteId: await find.site("KZ-S01-P") }, format: "CSV" }, { token: logistics });
    const file = result.data.exportStock;
    expect(file.filename).toMatch(/\.csv$/);
    expect(file.mimeType).toBe("text/csv; charset=utf-8");
    const content = Buffer.from(file.content, "base64");
    expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = content.subarray(3).toString("utf8").split("\r\n");
    expect(lines[0]).toBe("站点编码,站点名称,层级,物资编码,物资名称,规格,单位,批次,生产日期,有效期至,储备方式,数量,账面数量,已预留,可用,保管员");
    expect(lines[1]).toMatch(/^KZ-S01-P,汉丰街道.*,乡镇（街道）储备点,\d{7},/);
    expect(lines.filter(Boolean)).toHaveLength(file.rowCount + 1);
  });

  it("round trip: an exported sheet imports back as the same stock, with no adjustments (xlsx and csv)", async () => {
    const region = await find.region("KZ-S06");
    const stockBefore = await t.app.dataSource.query(`SELECT id, on_hand FROM stock_batch ORDER BY id`);
    const movementsBefore = await find.movementCount();
    for (const format of ["XLSX", "CSV"]) {
      const exported = (await t.graphql(EXPORT_STOCK, { where: { regionId: region }, format }, { token: township })).data.exportStock;
      expect(exported.rowCount).toBeGreaterThan(50);
      const imported = await importStock(exported.filename, Buffer.from(exported.content, "base64"));
      expect(imported.data.importStockCount.errors).toEqual([]);
      expect(imported.data.importStockCount.countedBatches).toBe(exported.rowCount);
      expect(imported.data.importStockCount.sites).toBeGreaterThan(5);
      expect(imported.data.importStockCount.ignoredColumns).toEqual([]);
      expect(imported.data.importStockCount.adjustments).toEqual([]);
    }
    expect(await t.app.dataSource.query(`SELECT id, on_hand FROM stock_batch ORDER BY id`)).toEqual(stockBefore);
    expect(await find.movementCount()).toBe(movementsBefore);
  });

  it("masks custodians for a dashboard as the API does, and shows them to logistics", async () => {
    const where = { siteId: await find.site("KZ-S01-P") };
    const [custodian] = await t.app.dataSource.query(`SELECT custodian_name FROM storage_site WHERE code = 'KZ-S01-P'`);
    const dashboard = await t.apiKeyFor("DASHBOARD");
    const cellsFor = async (token: string) => {
      const file = (await t.graphql(EXPORT_STOCK, { where, format: "CSV" }, { token })).data.exportStock;
      return csvCells(Buffer.from(file.content, "base64").toString("utf8").split("\r\n")[1]);
    };
    expect((await cellsFor(logistics))[15]).toBe(custodian.custodian_name);
    const masked = (await cellsFor(dashboard))[15];
    expect(masked).not.toBe(custodian.custodian_name);
    expect(masked).toBe(`${[...custodian.custodian_name][0]}${"*".repeat([...custodian.custodian_name].length - 1)}`);
  });
});

describe("printing (every .xlsx export)", () => {
  /** What a sheet prints with, read back from the file as Excel would. */
  const printSetup = (sheet: ExcelJS.Worksheet) => ({
    paperSize: sheet.pageSetup.paperSize,
    orientation: sheet.pageSetup.orientation,
    fitToPage: sheet.pageSetup.fitToPage,
    fitToWidth: sheet.pageSetup.fitToWidth,
    fitToHeight: sheet.pageSetup.fitToHeight,
    printTitlesRow: sheet.pageSetup.printTitlesRow,
    oddFooter: sheet.headerFooter.oddFooter,
  });
  const A4_LANDSCAPE_ONE_PAGE_WIDE = {
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: "3:3",
    oddFooter: "&C&9第 &P 页，共 &N 页",
  };
  const today = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
  /** The cells of a row as text, empty cells left out. */
  const texts = (sheet: ExcelJS.Worksheet, rowNumber: number) => (sheet.getRow(rowNumber).values as unknown[]).filter((v) => v !== undefined && v !== null).map(String);

  it("prints the stocktake sheet (盘点表) A4 landscape, one page wide, header row on every page, titled with the site and date, signed under the table", async () => {
    const file = (await t.graphql(EXPORT_STOCK, { where: { siteId: await find.site("KZ-S01-P") } }, { token: logistics })).data.exportStock;
    const sheet = await readXlsx(Buffer.from(file.content, "base64"));
    expect(printSetup(sheet)).toEqual(A4_LANDSCAPE_ONE_PAGE_WIDE);
    const [site] = await t.app.dataSource.query(`SELECT name FROM storage_site WHERE code = 'KZ-S01-P'`);
    expect(sheet.getCell("A1").value).toBe(`${site.name}库存盘点表`);
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.getCell("A2").value).toBe(`制表日期：${today()}`);
    expect(sheet.headerFooter.oddHeader).toBe(`&L&9${site.name}&C&9库存盘点表&R&9制表日期：${today()}`);
    // The title spans the table, so it prints centred above it.
    expect(sheet.getCell("P1").master.address).toBe("A1");
    // Under the last row, after a blank one: 制表人 / 审核人 / 日期 with a line to sign on.
    const lastData = 3 + file.rowCount;
    expect(texts(sheet, lastData)[0]).toBe("KZ-S01-P");
    expect(texts(sheet, lastData + 1)).toEqual([]);
    expect(texts(sheet, lastData + 2)).toEqual(["制表人：", "审核人：", "日期："]);
    expect(sheet.getRow(lastData + 2).getCell(2).border?.bottom?.style).toBe("thin");
  });

  it("titles a sheet with the unit it covers: a township's name for its sites, the district's bureau for the whole district", async () => {
    const titleOf = async (where: Record<string, unknown> | null) => {
      const file = (await t.graphql(EXPORT_STOCK, { where }, { token: logistics })).data.exportStock;
      return (await readXlsx(Buffer.from(file.content, "base64"))).getCell("A1").value;
    };
    expect(await titleOf({ regionId: await find.region("KZ-S01") })).toBe("汉丰街道库存盘点表");
    expect(await titleOf({ tier: "DISTRICT_DEPOT" })).toBe("开州区应急管理局库存盘点表");
    const [depot] = await t.app.dataSource.query(`SELECT id, name FROM storage_site WHERE tier = 'DISTRICT_DEPOT' ORDER BY id LIMIT 1`);
    const sheet = await readXlsx((await t.app.services.spreadsheets.exports.exportStock("OPERATOR", { siteIds: [depot.id] }, SheetFormat.XLSX)).content);
    expect(sheet.getCell("A1").value).toBe(`${depot.name}库存盘点表`);
  });

  it("prints the ledger, rosters and travel-time table the same way, titled, without signature lines", async () => {
    const exports = t.app.services.spreadsheets.exports;
    const [site] = await t.app.dataSource.query(`SELECT id, name FROM storage_site WHERE code = 'KZ-S01-P'`);
    const [team] = await t.app.dataSource.query(`SELECT id, name FROM rescue_team WHERE code = 'KZ-TT-S01'`);
    const from = new Date("2000-01-01T00:00:00+08:00");
    const files = [
      [await exports.exportLedger("OPERATOR", { siteIds: [site.id], from }, SheetFormat.XLSX), `${site.name}物资台账`, "期间：2000-01-01 00:00:00 起　　"],
      [await exports.exportTeams("OPERATOR", { teamIds: [team.id] }, SheetFormat.XLSX), `${team.name}队员名册`, ""],
      [await exports.exportTeams("OPERATOR", {}, SheetFormat.XLSX), "开州区应急管理局队员名册", ""],
      [await exports.exportTravelTimes("OPERATOR", {}, SheetFormat.XLSX), "开州区应急管理局通行时间表", ""],
    ] as const;
    for (const [file, title, note] of files) {
      const sheet = await readXlsx(file.content);
      expect(printSetup(sheet)).toEqual(A4_LANDSCAPE_ONE_PAGE_WIDE);
      expect(sheet.getCell("A1").value).toBe(title);
      expect(sheet.getCell("A2").value).toBe(`${note}制表日期：${today()}`);
      expect(sheet.rowCount).toBe(3 + file.rowCount);
      expect(texts(sheet, sheet.rowCount).join()).not.toMatch(/制表人/);
    }
  });

  it("a printed, signed stocktake sheet imports back: the title rows and the signature line are not data", async () => {
    const exported = (await t.graphql(EXPORT_STOCK, { where: { siteId: await find.site("KZ-T09-P") } }, { token: logistics })).data.exportStock;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(exported.content, "base64") as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const signatures = sheet.getRow(3 + exported.rowCount + 2);
    // Filled in as staff do before scanning it back in: names after the labels, a date.
    signatures.getCell(1).value = "制表人：张三";
    signatures.getCell(2).value = "张三";
    signatures.getCell(6).value = "审核人：李四";
    signatures.getCell(11).value = "日期：2026-12-07";
    // One more found on the shelf than the books hold.
    const row = sheet.getRow(4);
    const [itemCode, batchNumber, counted] = [row.getCell(4).value as string, row.getCell(8).value as string, row.getCell(12).value as number];
    expect(counted).toBe(await onHand("KZ-T09-P", itemCode, batchNumber));
    row.getCell(12).value = counted + 1;
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const imported = await importStock("盘点表-已签.xlsx", content);
    expect(imported.data.importStockCount.errors).toEqual([]);
    expect(imported.data.importStockCount.countedBatches).toBe(exported.rowCount);
    expect(imported.data.importStockCount.adjustments).toEqual([expect.objectContaining({ kind: "COUNT_ADJUSTMENT", quantity: 1, batch: expect.objectContaining({ batchNumber }) })]);
    expect(await onHand("KZ-T09-P", itemCode, batchNumber)).toBe(counted + 1);
  });

  it("leaves CSV as plain data: the header on the first line, no title and no signature lines", async () => {
    const file = (await t.graphql(EXPORT_STOCK, { where: { siteId: await find.site("KZ-S01-P") }, format: "CSV" }, { token: logistics })).data.exportStock;
    const lines = Buffer.from(file.content, "base64").toString("utf8").replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^站点编码,/);
    expect(lines).toHaveLength(file.rowCount + 1);
    expect(lines.join("\n")).not.toMatch(/制表人|盘点表/);
  });
});

describe("exports of ledger and rosters (service)", () => {
  const dashboard: Actor = { kind: "API_KEY", id: 1, name: "大屏", role: Role.DASHBOARD, scopeRegionId: null, teamId: null };

  it("masks members' names, phones and ID numbers except for those who may see them, and the operator sees everything", async () => {
    const [team] = await t.app.dataSource.query(`SELECT id FROM rescue_team WHERE code = 'KZ-TT-S01'`);
    const leader: Actor = { kind: "ACCOUNT", id: 2, name: "队长", role: Role.TEAM_LEADER, scopeRegionId: null, teamId: team.id };
    const exports = t.app.services.spreadsheets.exports;
    const filter = { teamIds: [team.id, (await t.app.dataSource.query(`SELECT id FROM rescue_team WHERE code = 'KZ-TT-S02'`))[0].id] };
    const rowsOf = async (viewer: Actor | "OPERATOR") => {
      const sheet = await readXlsx((await exports.exportTeams(viewer, filter, SheetFormat.XLSX)).content);
      return sheet.getSheetValues().slice(4).map((row: any) => ({ team: row[1], name: row[4], phone: row[6], idNumber: row[7] }));
    };
    const full = await rowsOf("OPERATOR");
    expect(full).toHaveLength(40);
    expect(full[0]).toEqual({ team: "KZ-TT-S01", name: expect.stringMatching(/^[^*]+$/), phone: expect.stringMatching(/^1\d{10}$/), idNumber: expect.stringMatching(/^\d{17}[\dX]$/) });
    for (const row of await rowsOf(dashboard)) {
      expect(row.name).toMatch(/^.\*+$/);
      expect(row.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(row.idNumber).toMatch(/^\d\*{16}[\dX]$/);
    }
    const asLeader = await rowsOf(leader);
    expect(asLeader.filter((row) => row.team === "KZ-TT-S01")).toEqual(full.filter((row) => row.team === "KZ-TT-S01"));
    expect(asLeader.filter((row) => row.team === "KZ-TT-S02").every((row) => /\*/.test(row.name))).toBe(true);
  });

  it("exports a site's ledger for a period with Chinese kinds and district times, recorders masked for dashboards", async () => {
    const [site] = await t.app.dataSource.query(`SELECT id FROM storage_site WHERE code = 'KZ-S01-P'`);
    const exports = t.app.services.spreadsheets.exports;
    const filter = { siteIds: [site.id], from: new Date("2000-01-01T00:00:00+08:00") };
    const sheet = await readXlsx((await exports.exportLedger("OPERATOR", filter, SheetFormat.XLSX)).content);
    expect((sheet.getRow(3).values as unknown[]).slice(1, 9)).toEqual(["时间", "站点编码", "站点名称", "物资编码", "物资名称", "批次", "类型", "数量"]);
    const [count] = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM stock_movement WHERE site_id = $1`, [site.id]);
    expect(sheet.rowCount - 3).toBe(count.n);
    const kinds = new Set(sheet.getColumn(7).values.slice(4));
    expect(kinds.has("入库")).toBe(true);
    expect(sheet.getColumn(1).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    const masked = await exports.exportLedger(dashboard, filter, SheetFormat.CSV);
    const recorder = csvCells(masked.content.toString("utf8").split("\r\n")[1])[12];
    expect(recorder).toMatch(/\*/);
    const none = await exports.exportLedger("OPERATOR", { siteIds: [site.id], from: new Date("2000-01-01"), to: new Date("2000-01-02") }, SheetFormat.CSV);
    expect(none.rowCount).toBe(0);
  });
});

describe("roster import (importTeamMembers)", () => {
  const ID = "500154199001011232"; // a valid check digit
  const HEADERS = ["队伍编码", "姓名", "角色", "手机号", "身份证号", "用工方式", "技能", "入队日期"];

  it("adds and updates members of the leader's own team; rows match existing members by ID number", async () => {
    const leader = await t.tokenFor("leader.kz-s01");
    const [existing] = await t.app.dataSource.query(
      `SELECT m.name, m.id_number FROM team_member m JOIN rescue_team t ON t.id = m.team_id WHERE t.code = 'KZ-TT-S01' AND m.active AND m.role = 'MEMBER' ORDER BY m.id LIMIT 1`,
    );
    const content = await xlsx(HEADERS, [
      ["KZ-TT-S01", "王新", "队员", 13912345678, ID, "志愿者", "水域救援、急救", "2026-01-05"],
      ["KZ-TT-S01", existing.name, "副队长", "139 1234 0000", existing.id_number, "", "", ""],
    ]);
    const result = await t.graphql(IMPORT_MEMBERS, { input: { filename: "名册.xlsx", content: content.toString("base64") } }, { token: leader });
    expect(result.errors).toBeUndefined();
    const payload = result.data.importTeamMembers;
    expect(payload.errors).toEqual([]);
    expect(payload.added).toEqual([{ name: "王新", role: "MEMBER", phone: "13912345678", idNumber: ID, employmentMode: "VOLUNTEER", skills: ["水域救援", "急救"], joinedOn: "2026-01-05" }]);
    expect(payload.updated).toEqual([{ name: existing.name, role: "DEPUTY", phone: "13912340000" }]);

    // The same sheet again changes nothing.
    const again = await t.graphql(IMPORT_MEMBERS, { input: { filename: "名册.xlsx", content: content.toString("base64") } }, { token: leader });
    expect(again.data.importTeamMembers).toEqual(expect.objectContaining({ added: [], updated: [], unchanged: 2, errors: [] }));
  });

  it("reports every bad row and writes nothing; refuses a leader's rows for another team", async () => {
    const leader = await t.tokenFor("leader.kz-s01");
    const count = async () => (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM team_member`))[0].n;
    const [elsewhere] = await t.app.dataSource.query(
      `SELECT m.id_number FROM team_member m JOIN rescue_team t ON t.id = m.team_id WHERE t.code = 'KZ-TT-S02' AND m.active AND m.id_number IS NOT NULL LIMIT 1`,
    );
    const before = await count();
    const bad = csv([
      HEADERS,
      ["KZ-TT-S01", "赵一", "队员", "13800000001", "", "专职", "", ""], // row 2: good
      ["KZ-TT-S01", "钱二", "教练", "12345", "500154199001011235", "兼职人员", "", "2026-13-01"],
      ["KZ-TT-S01", "", "", "", "", "专职", "", ""],
      ["KZ-TT-S01", "孙三", "", "", elsewhere.id_number, "专职", "", ""], // on another team's roster: for a leader no different from a new number
      ["KZ-TT-S01", "李四", "队长", "", "", "专职", "", ""], // the team has a leader
      ["KZ-TT-S01", "周六", "", "", "", "", "", ""], // a new member needs the employment mode
    ]);
    const result = await t.graphql(IMPORT_MEMBERS, { input: { filename: "bad.csv", content: bad.toString("base64") } }, { token: leader });
    const errors = result.data.importTeamMembers.errors.map((e: any) => [e.field, e.code]);
    expect(errors).toEqual([
      ["rows[3].角色", "INVALID_VALUE"],
      ["rows[3].用工方式", "INVALID_VALUE"],
      ["rows[3].入队日期", "INVALID_FORMAT"],
      ["rows[3].手机号", "INVALID_FORMAT"],
      ["rows[3].身份证号", "INVALID_FORMAT"],
      ["rows[4].姓名", "REQUIRED"],
      ["rows[6].角色", "DUPLICATE"],
      ["rows[7].用工方式", "REQUIRED"],
    ]);
    expect(JSON.stringify(result.data.importTeamMembers.errors)).not.toMatch(/KZ-TT-S02|文峰/);
    expect(await count()).toBe(before);

    const foreign = csv([HEADERS, ["KZ-TT-S02", "周五", "队员", "", "", "专职", "", ""]]);
    const refused = await t.graphql(IMPORT_MEMBERS, { input: { filename: "other.csv", content: foreign.toString("base64") } }, { token: leader });
    expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(await count()).toBe(before);
  });
});
