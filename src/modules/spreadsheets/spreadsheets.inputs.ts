import { Field, ID, InputType } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { SiteTier, SupplyCategory } from "../reserves/reserves.enums";
import { SheetFormat } from "./sheet-file";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { REGION, ROUTE_NODE, STORAGE_SITE, SUPPLY_ITEM } from "../known-codes";

@InputType({ description: "库存导出筛选。Filter for `exportStock`; all given conditions must hold." })
export class ExportStockWhere {
  @IdOrCodeFilter(STORAGE_SITE, "储备点。Only this storage site.")
  siteId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only sites in this region or below it (a township includes its villages' rooms).")
  regionId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "储备层级。Only sites of this tier." })
  tier?: SiteTier | null;

  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only this item.")
  itemId?: string | null;

  @Field(() => SupplyCategory, { nullable: true, description: "大类 Only items of this top category." })
  category?: SupplyCategory | null;
}

@InputType({ description: "通行时间表导出筛选。Filter for `exportTravelTimes`." })
export class ExportTravelTimesWhere {
  @IdOrCodeFilter(REGION, "区县。Only links of this district (a Region).")
  districtId?: string | null;

  @IdOrCodeFilter(ROUTE_NODE, "通行地点。Only links touching this place (a RouteNode).")
  nodeId?: string | null;
}

@InputType({ description: "表格文件。A sheet file sent to the service." })
export abstract class SheetUploadInput extends MutationInput {
  @Field(() => String, { description: "文件名。The file's name, e.g. 汉丰街道盘点表.xlsx; its extension (.xlsx or .csv) gives the format unless `format` is set." })
  filename: string;

  @Field(() => String, { description: "文件内容。The file's bytes, base64-encoded (a data: URL prefix is allowed); at most 512 KiB before encoding." })
  content: string;

  @Field(() => SheetFormat, { nullable: true, description: "文件格式。The format, when the file name does not say it." })
  format?: SheetFormat | null;
}

@InputType({
  description:
    "盘点表 A stocktake sheet: one row per counted batch with the columns 站点编码 (site code), 物资编码 (item code), 批次 (batch) and 数量 or 实盘数量 (counted quantity), and optionally 账面数量 (book quantity when the sheet was made; 数量 beside 实盘数量 is taken as it); other columns are read past.",
})
export class ImportStockCountInput extends SheetUploadInput {
  @Field(() => String, { nullable: true, description: "备注 Note on every adjustment in the ledger; default 盘点表导入 and the file name." })
  note?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "强制入账。Book the counts even in rows whose 账面数量 (book quantity) is no longer what the books hold, i.e. stock moved after the sheet was exported: only when the count was made after those movements. Without it such rows are refused (STALE_SHEET) and nothing is written. Recorded in the audit log with the input.",
  })
  force?: boolean | null;
}

@InputType({
  description:
    "队员名册 A roster sheet: one row per person with 队伍编码 (team code) and 姓名 (name), and optionally 角色, 手机号, 身份证号, 用工方式, 技能, 入队日期.",
})
export class ImportTeamMembersInput extends SheetUploadInput {}

@InputType({
  description:
    "通行时间表: a travel-time sheet, one row per link with 起点编码 and 终点编码 (a township unit's region code such as KZ-S01, or the depot's KZ-DEPOT-01), 方式 (公路 or 水路) and 通行时间 (minutes), and optionally 依据 (估算/实测), 水域 and 备注; other columns are read past. What `exportTravelTimes` writes imports back unchanged.",
})
export class ImportTravelTimesInput extends SheetUploadInput {}
