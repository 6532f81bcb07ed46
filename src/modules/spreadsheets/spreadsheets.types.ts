// GraphQL types of sheet import and export.
import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../core/graphql/errors";
import { StockMovement } from "../reserves/stock-movement.entity";
import { TravelLink } from "../routes/route.entity";
import { TeamMember } from "../teams/member.entity";
import { SheetFormat } from "./sheet-file";

registerEnumType(SheetFormat, {
  name: "SheetFormat",
  description: "表格 File format of a sheet.",
  valuesConfig: {
    XLSX: { description: "工作簿（Excel）。Excel workbook (.xlsx): Chinese headers, column widths and number formats." },
    CSV: { description: "逗号分隔文本（CSV）。Comma-separated text (.csv), UTF-8 with a byte-order mark so Excel shows Chinese correctly." },
  },
});

@ObjectType({ description: "导出表格 A file to save: an exported sheet." })
export class ExportedFile {
  @Field(() => String, { description: "文件名。Suggested file name, e.g. stock-2026-07-14.xlsx." })
  filename: string;

  @Field(() => String, { description: "文件类型。Media type, e.g. application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv; charset=utf-8." })
  mimeType: string;

  @Field(() => String, { description: "文件内容。The file's bytes, base64-encoded." })
  content: string;

  @Field(() => Int, { description: "数据行数。Data rows in the sheet (below the header row)." })
  rowCount: number;

  @Field(() => Int, { description: "文件大小。Size of the file in bytes (before base64)." })
  byteSize: number;
}

@ObjectType({ description: "盘点表导入结果。Result of `importStockCount`." })
export class ImportStockCountPayload {
  @Field(() => Int, { nullable: true, description: "已盘点批次数。Batches counted: the sheet's data rows." })
  countedBatches?: number;

  @Field(() => Int, { nullable: true, description: "所盘点的储备点。Storage sites the sheet counted." })
  sites?: number;

  @Field(() => [StockMovement], { nullable: true, description: "盘点调整。One COUNT_ADJUSTMENT entry per batch whose count differed from the books; empty when everything matched (账实相符)." })
  adjustments?: StockMovement[];

  @Field(() => String, { nullable: true, description: "操作编号。Shared by every adjustment of this import (`StockMovement.operationId`)." })
  operationId?: string;

  @Field(() => [String], { nullable: true, description: "未读取的列。Headers of columns the import did not read (neither a stocktake column nor a known informational one)." })
  ignoredColumns?: string[];

  @Field(() => [UserError], {
    description: "文件问题。Every problem of the file or its rows (field e.g. `rows[12].数量`: the row number Excel shows and the header as written); nothing was written when not empty.",
  })
  errors: UserError[];
}

@ObjectType({ description: "队员名册导入结果。Result of `importTeamMembers`." })
export class ImportTeamMembersPayload {
  @Field(() => Int, { nullable: true, description: "名册涉及的救援队。Teams the sheet names." })
  teams?: number;

  @Field(() => [TeamMember], { nullable: true, description: "新增队员。Members added to a roster." })
  added?: TeamMember[];

  @Field(() => [TeamMember], { nullable: true, description: "已更新的队员。Members whose details the sheet changed." })
  updated?: TeamMember[];

  @Field(() => Int, { nullable: true, description: "未变化的行。Rows that matched a member whose details were already the same." })
  unchanged?: number;

  @Field(() => [String], { nullable: true, description: "未读取的列。Headers of columns the import did not read." })
  ignoredColumns?: string[];

  @Field(() => [UserError], {
    description: "文件问题。Every problem of the file or its rows (field e.g. `rows[7].身份证号`); nothing was written when not empty.",
  })
  errors: UserError[];
}

@ObjectType({ description: "通行时间表导入结果。Result of `importTravelTimes`." })
export class ImportTravelTimesPayload {
  @Field(() => [TravelLink], { nullable: true, description: "新增或修改的路段。Links the sheet created or changed (SURVEYED where the minutes changed or the row says 实测)." })
  links?: TravelLink[];

  @Field(() => Int, { nullable: true, description: "新增的通行路段。Links the sheet added." })
  created?: number;

  @Field(() => Int, { nullable: true, description: "已修改的路段。Links whose minutes, basis, waterway or note it changed." })
  updated?: number;

  @Field(() => Int, { nullable: true, description: "未变化的行。Rows that matched the table as it was." })
  unchanged?: number;

  @Field(() => [String], { nullable: true, description: "未读取的列。Headers of columns the import did not read." })
  ignoredColumns?: string[];

  @Field(() => [UserError], { description: "文件问题。Every problem of the file or its rows (field e.g. `rows[4].通行时间（分钟）`); nothing was written when not empty." })
  errors: UserError[];
}
