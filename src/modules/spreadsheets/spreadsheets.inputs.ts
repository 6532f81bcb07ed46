import { Field, ID, InputType } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { SiteTier, SupplyCategory } from "../reserves/reserves.enums";
import { SheetFormat } from "./sheet-file";

@InputType({ description: "Filter for `exportStock`; all given conditions must hold." })
export class ExportStockWhere {
  @Field(() => ID, { nullable: true, description: "Only this storage site." })
  siteId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only sites in this region or below it (a township includes its villages' rooms)." })
  regionId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "Only sites of this tier." })
  tier?: SiteTier | null;

  @Field(() => ID, { nullable: true, description: "Only this item." })
  itemId?: string | null;

  @Field(() => SupplyCategory, { nullable: true, description: "Only items of this top category (大类)." })
  category?: SupplyCategory | null;
}

@InputType({ description: "Filter for `exportTravelTimes`." })
export class ExportTravelTimesWhere {
  @Field(() => ID, { nullable: true, description: "Only links of this district (a Region)." })
  districtId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only links touching this place (a RouteNode)." })
  nodeId?: string | null;
}

@InputType({ description: "A sheet file sent to the service." })
export abstract class SheetUploadInput extends MutationInput {
  @Field(() => String, { description: "The file's name, e.g. 汉丰街道盘点表.xlsx; its extension (.xlsx or .csv) gives the format unless `format` is set." })
  filename: string;

  @Field(() => String, { description: "The file's bytes, base64-encoded (a data: URL prefix is allowed); at most 512 KiB before encoding." })
  content: string;

  @Field(() => SheetFormat, { nullable: true, description: "The format, when the file name does not say it." })
  format?: SheetFormat | null;
}

@InputType({
  description:
    "A stocktake sheet (盘点表): one row per counted batch with the columns 站点编码 (site code), 物资编码 (item code), 批次 (batch) and 数量 or 实盘数量 (counted quantity), and optionally 账面数量 (book quantity when the sheet was made; 数量 beside 实盘数量 is taken as it); other columns are read past.",
})
export class ImportStockCountInput extends SheetUploadInput {
  @Field(() => String, { nullable: true, description: "Note on every adjustment in the ledger (备注); default 盘点表导入 and the file name." })
  note?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "Book the counts even in rows whose 账面数量 (book quantity) is no longer what the books hold, i.e. stock moved after the sheet was exported: only when the count was made after those movements. Without it such rows are refused (STALE_SHEET) and nothing is written. Recorded in the audit log with the input.",
  })
  force?: boolean | null;
}

@InputType({
  description:
    "A roster sheet (队员名册): one row per person with 队伍编码 (team code) and 姓名 (name), and optionally 角色, 手机号, 身份证号, 用工方式, 技能, 入队日期.",
})
export class ImportTeamMembersInput extends SheetUploadInput {}

@InputType({
  description:
    "通行时间表: a travel-time sheet, one row per link with 起点编码 and 终点编码 (a township unit's region code such as KZ-S01, or the depot's KZ-DEPOT-01), 方式 (公路 or 水路) and 通行时间 (minutes), and optionally 依据 (估算/实测), 水域 and 备注; other columns are read past. What `exportTravelTimes` writes imports back unchanged.",
})
export class ImportTravelTimesInput extends SheetUploadInput {}
