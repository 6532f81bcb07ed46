// `npm run import -- stock <file.xlsx|file.csv> [--note 备注] [--format xlsx|csv] [--force]`
//   a stocktake from a sheet (站点编码, 物资编码, 批次, 数量): differences become COUNT_ADJUSTMENT entries.
//   Rows whose 账面数量 (book quantity) the books no longer hold are refused unless --force.
// `npm run import -- members <file> [--format xlsx|csv]`
//   team rosters (队伍编码, 姓名, 角色, 手机号, 身份证号, 用工方式, 技能, 入队日期).
// `npm run import -- routes <file> [--format xlsx|csv]`
//   travel times (起点编码, 终点编码, 方式, 通行时间, 依据, 水域, 备注): each row sets one link.
// Every row is checked first and every bad row printed with its row number; then everything is
// written in one transaction, or nothing (exit code 1). The import is audited as the operator's
// like the API mutation of the same name: a booked sheet's entry commits with it, naming the
// objects it booked (ledger entries, links); a refused one's is REJECTED with its problems. Uses
// DATABASE_URL, or the embedded database under DATA_DIR (while the service is not running on it).
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { UserErrorsException } from "../src/core/graphql/errors";
import { AuditOutcome } from "../src/modules/audit/audit.entity";
import { fileSummary } from "../src/modules/audit/audit.plugin";
import { StockLedger } from "../src/modules/reserves/stock-ledger";
import { RouteService } from "../src/modules/routes/routes.service";
import { SheetFormat } from "../src/modules/spreadsheets/sheet-file";
import { FILE_MAX_BYTES, type ImportSource } from "../src/modules/spreadsheets/sheet-import";
import { SpreadsheetService } from "../src/modules/spreadsheets/spreadsheets.service";
import { createTeamServices } from "../src/modules/teams/team-services";
import { oneOf, readCommandLine, UsageError } from "./cli-options";
import { fail, printProblems, progressPrinter, withDatabase, workingDirectory } from "./sheet-cli";
import { say } from "./cli-language";
import { message, messageList } from "../src/core/i18n/i18n";

const USAGE = say("cli.import.usage");

function readSource(name: string, format: SheetFormat | undefined): ImportSource {
  const file = path.resolve(workingDirectory(), name);
  if (!fs.existsSync(file)) throw new UsageError(say("cli.import.noSuchFile", { name }));
  const { size } = fs.statSync(file);
  if (size > FILE_MAX_BYTES) throw new UsageError(say("cli.import.fileTooLarge", { name, size: Math.ceil(size / 1024 / 1024), max: FILE_MAX_BYTES / 1024 / 1024 }));
  return { filename: path.basename(file), content: fs.readFileSync(file), format };
}

const OPERATIONS = { stock: "importStockCount", members: "importTeamMembers", routes: "importTravelTimes" };
const WHAT = { stock: "cli.import.what.stock", members: "cli.import.what.members", routes: "cli.import.what.routes" } as const;

async function main() {
  const { positionals, values } = readCommandLine({ note: { type: "string" }, format: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } }, USAGE);
  const [kind, file, ...rest] = positionals;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!["stock", "members", "routes"].includes(kind) || !file || rest.length) throw new UsageError(USAGE);
  if (values.note !== undefined && kind !== "stock") throw new UsageError(say(kind === "members" ? "cli.import.noteRoster" : "cli.import.noteRoutes"));
  if (values.force && kind !== "stock") throw new UsageError(`${say("cli.import.forceStockOnly")}\n${USAGE}`);
  const source = readSource(file, oneOf(SheetFormat, values.format, "format"));
  // In the audit entry of every attempt, like the API input's: the file by its size and digest (never its rows), and force.
  const attempt = { filename: source.filename, content: fileSummary(source.content), ...(values.force ? { force: true } : {}) };

  await withDatabase(async ({ config, dataSource, events, unit, record }) => {
    const stock = new StockLedger(dataSource, events);
    const { teamRoster } = createTeamServices(dataSource, events, config);
    const sheets = new SpreadsheetService(dataSource, { stock, teamRoster, routes: new RouteService(dataSource, events) });
    const onProgress = progressPrinter();
    const work = unit(OPERATIONS[kind as keyof typeof OPERATIONS], attempt);
    console.log(say("cli.import.importing", { what: message(WHAT[kind as keyof typeof WHAT]), filename: source.filename }));
    try {
      if (kind === "stock") {
        const result = await sheets.stockImport.importStockCount(work, source, { note: values.note, force: values.force, onProgress });
        if (result.ignoredColumns.length) console.log(say("cli.import.ignoredColumns", { columns: messageList(result.ignoredColumns, "comma") }));
        const outcome = result.adjustments.length
          ? message("cli.import.stockAdjusted", { adjusted: result.adjustments.length, operation: String(result.operationId) })
          : message("cli.import.stockMatched");
        console.log(say(result.sites === 1 ? "cli.import.stockDone.oneSite" : "cli.import.stockDone.sites", { rows: result.rows, sites: result.sites, outcome }));
        await printAdjustments(dataSource, result.adjustments);
      } else if (kind === "routes") {
        const result = await sheets.travelTimeImport.importTravelTimes(work, source, { onProgress });
        if (result.ignoredColumns.length) console.log(say("cli.import.ignoredColumns", { columns: messageList(result.ignoredColumns, "comma") }));
        console.log(say("cli.import.routesDone", { rows: result.rows, created: result.created, updated: result.updated, unchanged: result.unchanged }));
      } else {
        const result = await sheets.memberImport.importMembers(work, source, { onProgress });
        if (result.ignoredColumns.length) console.log(say("cli.import.ignoredColumns", { columns: messageList(result.ignoredColumns, "comma") }));
        console.log(say(result.teams === 1 ? "cli.import.membersDone.oneTeam" : "cli.import.membersDone.teams", { rows: result.rows, teams: result.teams, added: result.added.length, updated: result.updated.length, unchanged: result.unchanged }));
      }
    } catch (error) {
      if (!(error instanceof UserErrorsException)) throw error;
      await record(work, AuditOutcome.REJECTED, error.errors);
      printProblems(source.filename, error.errors);
      process.exitCode = 1;
    }
  });
}

/** The first 50 adjustments, by site, item and batch code. */
async function printAdjustments(dataSource: import("typeorm").DataSource, adjustments: Array<{ batchId: number; quantity: number; onHandAfter: number }>) {
  if (!adjustments.length) return;
  const shown = adjustments.slice(0, 50);
  const rows: Array<{ id: number; site: string; item: string; batch: string }> = await dataSource.query(
    `SELECT b.id, s.code || ' ' || s.name AS site, i.code || ' ' || i.name AS item, b.batch_number AS batch
     FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id WHERE b.id = ANY($1::int[])`,
    [shown.map((a) => a.batchId)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const adjustment of shown) {
    const where = byId.get(adjustment.batchId)!;
    const before = adjustment.onHandAfter - adjustment.quantity;
    const change = `${adjustment.quantity > 0 ? "+" : ""}${adjustment.quantity}`;
    console.log(`  ${say("cli.import.adjustment", { site: where.site, item: where.item, batch: where.batch, before, after: adjustment.onHandAfter, change })}`);
  }
  if (adjustments.length > shown.length) console.log(`  ${say("cli.import.moreAdjustments", { more: adjustments.length - shown.length })}`);
}

main().catch((error) => fail(error, "cli.import.failed"));
