import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { SheetFormat } from "./sheet-file";
import { ExportStockWhere, ExportTravelTimesWhere, ImportStockCountInput, ImportTeamMembersInput, ImportTravelTimesInput } from "./spreadsheets.inputs";
import { ExportedFile, ImportStockCountPayload, ImportTeamMembersPayload, ImportTravelTimesPayload } from "./spreadsheets.types";

@Resolver()
export class SpreadsheetResolver {
  @Authorized()
  @Query(() => ExportedFile, {
    description:
      "库存明细导出 Stock on hand by batch as a sheet to open in Excel: site, item, batch, dates, reserve mode, 数量 (on hand), 账面数量 (on hand, kept), reserved, available, custodian. The sheet is also a stocktake form: edit 数量 and send it back with `importStockCount`; rows whose 账面数量 the books no longer hold are refused then. Personal data is masked as in the API for the caller's role.",
  })
  exportStock(
    @Ctx() ctx: AppContext,
    @Arg("where", () => ExportStockWhere, { nullable: true, description: "库存范围。Which stock; all of it when omitted." }) where?: ExportStockWhere,
    @Arg("format", () => SheetFormat, { defaultValue: SheetFormat.XLSX, description: "文件格式。XLSX (default) or CSV." }) format: SheetFormat = SheetFormat.XLSX,
  ): Promise<ExportedFile> {
    return ctx.services.spreadsheets.exportStock(ctx.actor!, where, format);
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ImportStockCountPayload, {
    description:
      "盘点表导入 A stocktake from a sheet, .xlsx or .csv: every row is checked first and every bad row reported; then each difference becomes a COUNT_ADJUSTMENT entry, all in one transaction, or nothing is written. A township-scoped account may count only its own township's sites.",
  })
  importStockCount(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ImportStockCountInput, { description: "表格文件。The sheet." }) input: ImportStockCountInput) {
    return mutationPayload(() => ctx.services.spreadsheets.importStockCount(unit, input));
  }

  @Authorized(Role.TEAM_LEADER)
  @Mutation(() => ImportTeamMembersPayload, {
    description:
      "队员名册导入 Rosters from a sheet: each row adds a member or updates the one with the same ID number (or name); members not in the sheet stay. All rows or nothing. A team leader may import their own team's rows only; ADMIN any.",
  })
  importTeamMembers(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ImportTeamMembersInput, { description: "表格文件。The sheet." }) input: ImportTeamMembersInput) {
    return mutationPayload(() => ctx.services.spreadsheets.importTeamMembers(unit, input));
  }

  @Authorized()
  @Query(() => ExportedFile, {
    description:
      "通行时间表导出: the travel-time table as a sheet — 起点编码/名称, 终点编码/名称, 方式 (公路/水路), 通行时间（分钟）, 依据 (估算/实测), 直线距离, 水域, 道路状态 (通行, or 中断 and why), 备注, who set it and when. Edit it and send it back with `importTravelTimes`.",
  })
  exportTravelTimes(
    @Ctx() ctx: AppContext,
    @Arg("where", () => ExportTravelTimesWhere, { nullable: true, description: "路段范围。Which links; all of them when omitted." }) where?: ExportTravelTimesWhere,
    @Arg("format", () => SheetFormat, { defaultValue: SheetFormat.XLSX, description: "文件格式。XLSX (default) or CSV." }) format: SheetFormat = SheetFormat.XLSX,
  ): Promise<ExportedFile> {
    return ctx.services.spreadsheets.exportTravelTimes(ctx.actor!, where, format);
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ImportTravelTimesPayload, {
    description:
      "通行时间表导入: travel times from a sheet, .xlsx or .csv: every row is checked first; then each link is set (created if new) in one transaction, or nothing is written. A row whose minutes differ from the table, or that says 实测, makes its link SURVEYED. ADMIN, or LOGISTICS district-wide.",
  })
  importTravelTimes(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ImportTravelTimesInput, { description: "表格文件。The sheet." }) input: ImportTravelTimesInput) {
    return mutationPayload(() => ctx.services.spreadsheets.importTravelTimes(unit, input));
  }
}
