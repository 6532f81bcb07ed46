// The shelter list (避难场所名录) and the distribution register (发放登记表) as .xlsx or .csv, in the
// house style of modules/spreadsheets (sheet-file.ts: A4 landscape, title, date, header row on
// every page; the register with the lines staff sign). One statement each; personal data follows
// the API's rules for whoever asks (maySeePersonalData, the same masks).
import type { DataSource } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { maskIdNumber, maskName, maskPhone, maySeePersonalData } from "../../core/access/personal-data";
import { localToday } from "../../core/db/local-date";
import { badUserInput } from "../../core/graphql/errors";
import { message } from "../../core/i18n/i18n";
import { subtreeCondition } from "../regions/region.service";
import { EXTENSIONS, MIME_TYPES, writeSheet, type ExportColumn, type SheetFormat } from "../spreadsheets/sheet-file";
import { ExportedFile } from "../spreadsheets/spreadsheets.types";
import type { RecipientKind, ShelterKind, ShelterStatus } from "./shelter.enums";

export const SHELTER_EXPORT_MAX_ROWS = 100_000;
export const REGISTER_SIGNATURES = ["发放人", "审核人", "日期"] as const;

const KIND_WORDS: Record<ShelterKind, string> = {
  SCHOOL: "学校",
  GYMNASIUM: "体育馆",
  SQUARE: "广场",
  PURPOSE_BUILT: "专用避难场所",
  COMMUNITY_CENTRE: "村（社区）活动中心",
  PARK: "公园绿地",
  OTHER: "其他",
};
const STATUS_WORDS: Record<ShelterStatus, string> = { STANDBY: "待启用", OPEN: "已启用", FULL: "已满员", CLOSED: "停用" };
const RECIPIENT_WORDS: Record<RecipientKind, string> = { HOUSEHOLD: "户", GROUP: "群体" };

interface ShelterRow {
  code: string;
  name: string;
  township: string;
  village: string;
  kind: ShelterKind;
  capacity: number;
  indoor_area: number;
  occupancy: number;
  status: ShelterStatus;
  facilities: string;
  address: string;
  manager_name: string | null;
  manager_phone: string | null;
}

interface RegisterRow {
  id: number;
  distributed_at: Date;
  township: string;
  place: string;
  recipient_kind: RecipientKind;
  head_name: string | null;
  id_number: string | null;
  phone: string | null;
  people: number;
  item_code: string;
  item_name: string;
  unit: string;
  batch_number: string;
  quantity: number;
  reverses_id: number | null;
  distributed_by: string;
}

/** A personal value as the viewer may see it: in full, or masked (the API's rule). */
function personalFor(viewer: Actor) {
  const full = maySeePersonalData(viewer, null);
  return (mask: (value: string) => string, value: string | null) => (value === null || full ? value : mask(value));
}

export interface ShelterExportFilter {
  regionId?: number;
  incidentId?: number;
}

export class ShelterExports {
  constructor(private readonly dataSource: DataSource) {}

  private async rows<R>(sql: string, params: unknown[]): Promise<R[]> {
    const rows: R[] = await this.dataSource.query(`${sql} LIMIT ${SHELTER_EXPORT_MAX_ROWS + 1}`, params);
    if (rows.length > SHELTER_EXPORT_MAX_ROWS) throw badUserInput("where", "spreadsheets.theSheetWouldHaveMore", { what: message("shelters.sheet.register"), limit: SHELTER_EXPORT_MAX_ROWS });
    return rows;
  }

  /** Whose sheet it is: the township (or village) it is limited to, else the district's bureau. */
  private async unitOf(regionId: number | undefined): Promise<string> {
    if (regionId === undefined) {
      const [root] = await this.dataSource.query(`SELECT name FROM region WHERE level = 'DISTRICT' ORDER BY id LIMIT 1`);
      return root ? `${root.name}应急管理局` : "应急管理局";
    }
    const [region] = await this.dataSource.query(`SELECT name, level FROM region WHERE id = $1`, [regionId]);
    return region ? (region.level === "DISTRICT" ? `${region.name}应急管理局` : region.name) : "应急管理局";
  }

  private async file<R>(name: string, title: string, format: SheetFormat, columns: ExportColumn<R>[], rows: R[], regionId: number | undefined, signatures?: readonly string[]): Promise<ExportedFile> {
    const today = localToday();
    const layout = format === "XLSX" ? { unit: await this.unitOf(regionId), title, date: today, signatures } : undefined;
    const content = await writeSheet(format, title, columns, rows, layout);
    return Object.assign(new ExportedFile(), {
      filename: `${name}-${today}.${EXTENSIONS[format]}`,
      mimeType: MIME_TYPES[format],
      content: content.toString("base64"),
      rowCount: rows.length,
      byteSize: content.length,
    });
  }

  /** 避难场所名录: one row per shelter, by code. */
  async shelters(viewer: Actor, filter: ShelterExportFilter, format: SheetFormat): Promise<ExportedFile> {
    const params: unknown[] = [filter.regionId ?? null, filter.incidentId ?? null];
    const rows = await this.rows<ShelterRow>(
      `SELECT s.code, s.name, t.name AS township, v.name AS village, s.kind, s.capacity, s.indoor_area, s.occupancy, s.status,
              concat_ws('、', CASE WHEN s.has_water THEN '供水' END, CASE WHEN s.has_power THEN '供电' END, CASE WHEN s.has_toilets THEN '厕所' END,
                        CASE WHEN s.has_medical_point THEN '医疗点' END, CASE WHEN s.accessible THEN '无障碍' END) AS facilities,
              s.address, s.manager_name, s.manager_phone
       FROM shelter s JOIN region t ON t.id = s.township_id JOIN region v ON v.id = s.region_id
       WHERE ($1::int IS NULL OR s.region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", "$1::int")}))
         AND ($2::int IS NULL OR s.incident_id = $2::int)
       ORDER BY s.code`,
      params,
    );
    const shown = personalFor(viewer);
    const columns: ExportColumn<ShelterRow>[] = [
      { header: "场所编码", type: "text", value: (r) => r.code },
      { header: "场所名称", type: "text", value: (r) => r.name },
      { header: "乡镇（街道）", type: "text", value: (r) => r.township },
      { header: "村（社区）", type: "text", value: (r) => r.village },
      { header: "场所类型", type: "text", value: (r) => KIND_WORDS[r.kind] },
      { header: "容纳人数", type: "integer", value: (r) => r.capacity },
      { header: "室内面积（㎡）", type: "integer", value: (r) => r.indoor_area },
      { header: "在场人数", type: "integer", value: (r) => r.occupancy },
      { header: "状态", type: "text", value: (r) => STATUS_WORDS[r.status] },
      { header: "设施", type: "text", value: (r) => r.facilities || null },
      { header: "地址", type: "text", value: (r) => r.address },
      { header: "负责人", type: "text", value: (r) => shown(maskName, r.manager_name) },
      { header: "联系电话", type: "text", value: (r) => shown(maskPhone, r.manager_phone) },
    ];
    return this.file("shelters", "避难场所名录", format, columns, rows, filter.regionId);
  }

  /** 发放登记表: one row per line of every entry, oldest first; a reversal's lines count negative. */
  async register(viewer: Actor, filter: ShelterExportFilter & { shelterId?: number }, format: SheetFormat): Promise<ExportedFile> {
    const rows = await this.rows<RegisterRow>(
      `SELECT d.id, d.distributed_at, t.name AS township, coalesce(sh.name, s.name) AS place, d.recipient_kind, d.head_name, d.id_number, d.phone, d.people,
              i.code AS item_code, i.name AS item_name, i.unit, b.batch_number, l.quantity, d.reverses_id, d.distributed_by
       FROM distribution d JOIN distribution_line l ON l.distribution_id = d.id
       JOIN region t ON t.id = d.township_id JOIN storage_site s ON s.id = d.site_id LEFT JOIN shelter sh ON sh.id = d.shelter_id
       JOIN supply_item i ON i.id = l.item_id JOIN stock_batch b ON b.id = l.batch_id
       WHERE ($1::int IS NULL OR d.region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", "$1::int")}))
         AND ($2::int IS NULL OR d.incident_id = $2::int) AND ($3::int IS NULL OR d.shelter_id = $3::int)
       ORDER BY d.distributed_at, d.id, l.id`,
      [filter.regionId ?? null, filter.incidentId ?? null, filter.shelterId ?? null],
    );
    const shown = personalFor(viewer);
    const columns: ExportColumn<RegisterRow>[] = [
      { header: "登记号", type: "integer", value: (r) => r.id },
      { header: "发放时间", type: "datetime", value: (r) => r.distributed_at },
      { header: "乡镇（街道）", type: "text", value: (r) => r.township },
      { header: "发放地点", type: "text", value: (r) => r.place },
      { header: "领取对象", type: "text", value: (r) => RECIPIENT_WORDS[r.recipient_kind] },
      { header: "户主姓名", type: "text", value: (r) => shown(maskName, r.head_name) },
      { header: "身份证号", type: "text", value: (r) => shown(maskIdNumber, r.id_number) },
      { header: "联系电话", type: "text", value: (r) => shown(maskPhone, r.phone) },
      { header: "人数", type: "integer", value: (r) => r.people },
      { header: "物资编码", type: "text", value: (r) => r.item_code },
      { header: "物资名称", type: "text", value: (r) => r.item_name },
      { header: "单位", type: "text", value: (r) => r.unit },
      { header: "批次", type: "text", value: (r) => r.batch_number },
      { header: "数量", type: "integer", value: (r) => (r.reverses_id === null ? r.quantity : -r.quantity) },
      { header: "冲销登记号", type: "integer", value: (r) => r.reverses_id },
      { header: "发放人", type: "text", value: (r) => shown(maskName, r.distributed_by) },
    ];
    return this.file("distributions", "救灾物资发放登记表", format, columns, rows, filter.regionId, REGISTER_SIGNATURES);
  }
}
