// Sheet import and export as the API offers them: uploads arrive base64-encoded in the input,
// files leave base64-encoded in an ExportedFile. Imports are mutations: they take the mutation's unit
// of work, in whose transaction the import services book the sheet. The command line
// (scripts/import.ts, scripts/export.ts) uses the import and export services underneath directly,
// with a unit of work of its own.
import type { DataSource } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { parseGlobalId } from "../../core/graphql/relay";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { CATEGORY_DIGIT } from "../reserves/reserves.enums";
import type { StockLedger } from "../reserves/stock-ledger";
import type { RouteService } from "../routes/routes.service";
import type { RosterService } from "../teams/roster.service";
import { ExportService } from "./export.service";
import { MemberImportService } from "./member-import.service";
import { SheetFormat } from "./sheet-file";
import { decodeUpload } from "./sheet-import";
import type { ExportStockWhere, ExportTravelTimesWhere, ImportStockCountInput, ImportTeamMembersInput, ImportTravelTimesInput } from "./spreadsheets.inputs";
import { ExportedFile } from "./spreadsheets.types";
import { StockImportService } from "./stock-import.service";
import { TravelTimeImportService } from "./travel-time-import.service";

/** Rows one exportStock answer may carry; the whole district's stock is about a tenth of it. */
export const EXPORT_MAX_ROWS = 100_000;

export class SpreadsheetService {
  readonly stockImport: StockImportService;
  readonly memberImport: MemberImportService;
  readonly travelTimeImport: TravelTimeImportService;
  readonly exports: ExportService;

  constructor(dataSource: DataSource, services: { stock: StockLedger; teamRoster: RosterService; routes: RouteService }) {
    this.stockImport = new StockImportService(dataSource, services.stock);
    this.memberImport = new MemberImportService(dataSource, services.teamRoster);
    this.travelTimeImport = new TravelTimeImportService(dataSource, services.routes);
    this.exports = new ExportService(dataSource);
  }

  async importStockCount(unit: UnitOfWork, input: ImportStockCountInput) {
    const source = decodeUpload(input.filename, input.content, input.format, "importStockCount");
    const result = await this.stockImport.importStockCount(unit, source, { note: input.note, force: input.force === true });
    return {
      countedBatches: result.rows,
      sites: result.sites,
      adjustments: result.adjustments,
      operationId: result.operationId,
      ignoredColumns: result.ignoredColumns,
    };
  }

  async importTeamMembers(unit: UnitOfWork, input: ImportTeamMembersInput) {
    const source = decodeUpload(input.filename, input.content, input.format, "importTeamMembers");
    const result = await this.memberImport.importMembers(unit, source);
    return { teams: result.teams, added: result.added, updated: result.updated, unchanged: result.unchanged, ignoredColumns: result.ignoredColumns };
  }

  async importTravelTimes(unit: UnitOfWork, input: ImportTravelTimesInput) {
    const source = decodeUpload(input.filename, input.content, input.format, "importTravelTimes");
    const result = await this.travelTimeImport.importTravelTimes(unit, source);
    return { links: result.links, created: result.created, updated: result.updated, unchanged: result.unchanged, ignoredColumns: result.ignoredColumns };
  }

  async exportTravelTimes(actor: Actor, where: ExportTravelTimesWhere | null | undefined, format: SheetFormat): Promise<ExportedFile> {
    const file = await this.exports.exportTravelTimes(
      actor,
      {
        districtId: where?.districtId ? parseGlobalId(where.districtId, "Region", "where.districtId") : undefined,
        nodeId: where?.nodeId ? parseGlobalId(where.nodeId, "RouteNode", "where.nodeId") : undefined,
      },
      format,
      { maxRows: EXPORT_MAX_ROWS },
    );
    return encoded(file);
  }

  /** 灾情统计表 of one incident (modules/field); null when there is no such incident. */
  async exportSituation(actor: Actor, incidentId: number, format: SheetFormat): Promise<ExportedFile | null> {
    const file = await this.exports.exportSituation(actor, incidentId, format, { maxRows: EXPORT_MAX_ROWS });
    return file && encoded(file);
  }

  async exportStock(actor: Actor, where: ExportStockWhere | null | undefined, format: SheetFormat): Promise<ExportedFile> {
    const file = await this.exports.exportStock(
      actor,
      {
        siteIds: where?.siteId ? [parseGlobalId(where.siteId, "StorageSite", "where.siteId")] : undefined,
        regionId: where?.regionId ? parseGlobalId(where.regionId, "Region", "where.regionId") : undefined,
        tier: where?.tier ?? undefined,
        itemId: where?.itemId ? parseGlobalId(where.itemId, "SupplyItem", "where.itemId") : undefined,
        categoryDigit: where?.category ? CATEGORY_DIGIT[where.category] : undefined,
      },
      format,
      { maxRows: EXPORT_MAX_ROWS },
    );
    return encoded(file);
  }
}

function encoded(file: { filename: string; mimeType: string; content: Buffer; rowCount: number }): ExportedFile {
  return Object.assign(new ExportedFile(), {
    filename: file.filename,
    mimeType: file.mimeType,
    content: file.content.toString("base64"),
    rowCount: file.rowCount,
    byteSize: file.content.length,
  });
}
