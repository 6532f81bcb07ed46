// Sheets out of the service: the stock by batch, the ledger (台账), the team rosters and the
// travel-time table (通行时间表), as .xlsx or .csv. Each is one SQL statement. Personal data follows the API's rules for whoever
// asks (maySeePersonalData, the same masks); the command line is the server's operator and gets
// everything. The stock sheet is also the stocktake form: its columns import back unchanged
// (importStockCount reads 站点编码, 物资编码, 批次, 数量, 账面数量), and so are the roster sheet (import members) and the
// travel-time sheet (importTravelTimes reads 起点编码, 终点编码, 方式, 通行时间, 依据, 水域, 备注).
import type { DataSource } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { badUserInput } from "../../core/graphql/errors";
import { maskIdNumber, maskName, maskPhone, maySeePersonalData } from "../../core/access/personal-data";
import { localToday } from "../../core/db/local-date";
import type { MovementKind, ReserveMode, SiteTier } from "../reserves/reserves.enums";
import type { EmploymentMode, MemberRole, TeamKind } from "../teams/team.enums";
import type { TravelMode, TravelTimeBasis } from "../routes/routes.enums";
import {
  BASIS_SHEET_WORDS,
  EMPLOYMENT_MODE_WORDS,
  MEMBER_ROLE_WORDS,
  MOVEMENT_KIND_WORDS,
  REASON_WORDS,
  RESERVE_MODE_WORDS,
  SITE_TIER_WORDS,
  TEAM_KIND_WORDS,
  TRAVEL_MODE_SHEET_WORDS,
} from "./labels";
import { districtDateTime, EXTENSIONS, MIME_TYPES, writeSheet, type ExportColumn, type PrintLayout, type SheetFormat } from "./sheet-file";
import { subtreeCondition } from "../regions/region.service";
import { message, type MessageKey } from "../../core/i18n/i18n";

/** Who the sheet is for: an API caller (masking applies) or the server's operator on the command line. */
export type Viewer = Actor | "OPERATOR";

export interface ExportedFile {
  filename: string;
  mimeType: string;
  content: Buffer;
  rowCount: number;
}

export interface StockExportFilter {
  siteIds?: number[];
  /** Sites in this region or below it. */
  regionId?: number;
  tier?: SiteTier;
  itemId?: number;
  /** GB/T 38565 top category digit (1–3). */
  categoryDigit?: string;
}

export interface LedgerExportFilter {
  siteIds?: number[];
  regionId?: number;
  itemId?: number;
  kind?: MovementKind;
  /** Entries at or after this instant. */
  from?: Date;
  /** Entries before this instant. */
  to?: Date;
}

export interface TeamExportFilter {
  teamIds?: number[];
  /** Teams whose home region is this region or below it. */
  regionId?: number;
  kind?: TeamKind;
}

export interface TravelTimeExportFilter {
  /** Links of this district only. */
  districtId?: number;
  /** Links touching this place (a route node). */
  nodeId?: number;
}

/** What a sheet is limited to, for the unit its title names. */
interface SheetScope {
  siteIds?: number[];
  teamIds?: number[];
  regionIds?: number[];
  /** Places of the travel-time table (route nodes). */
  nodeIds?: number[];
}

/** What an .xlsx export prints above and below its table (see PrintLayout). */
interface PrintTitle {
  title: string;
  scope: SheetScope;
  note?: string;
  signatures?: readonly string[];
}

/** The lines under a situation sheet (灾情统计表): who filled it in, checked it, issued it. */
export const SITUATION_SIGNATURES = ["填报人", "审核人", "签发人"] as const;

interface SituationRow {
  incident_code: string;
  incident_title: string;
  district_id: number;
  region_code: string | null;
  region_name: string | null;
  as_of: Date | null;
  affected: number;
  evacuated: number;
  dead: number;
  missing: number;
  injured: number;
  houses_collapsed: number;
  houses_damaged: number;
  roads_cut: string[];
  power_out: boolean;
  communications_out: boolean;
  urgent_needs: string | null;
  reported_by: string | null;
  reported_at: Date | null;
  corrects_id: number | null;
}

/** The lines staff sign under a stocktake sheet (盘点表). */
export const STOCKTAKE_SIGNATURES = ["制表人", "审核人", "日期"] as const;

export interface ExportOptions {
  /** Refuse (BAD_USER_INPUT) rather than build a sheet of more rows than this. */
  maxRows?: number;
}

class Params {
  readonly values: unknown[] = [];
  readonly conditions: string[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  where(condition: string): void {
    this.conditions.push(condition);
  }
  and(): string {
    return this.conditions.map((condition) => ` AND ${condition}`).join("");
  }
}

function regionSubtree(params: Params, column: string, regionId: number): string {
  return `${column} IN (SELECT rr.id FROM region rr WHERE ${subtreeCondition("rr.path", `${params.add(regionId)}::int`)})`;
}

/** A ledger's period as its title shows it, in district time (the end is exclusive): 期间：2026-11-01 00:00:00 起，2026-12-01 00:00:00 前. */
function period(from: Date | undefined, to: Date | undefined): string | undefined {
  if (!from && !to) return undefined;
  return `期间：${[from ? `${districtDateTime(from)} 起` : null, to ? `${districtDateTime(to)} 前` : null].filter(Boolean).join("，")}`;
}

function personal(viewer: Viewer, ownerTeamId: number | null, mask: (value: string) => string) {
  const full = viewer === "OPERATOR" || maySeePersonalData(viewer, ownerTeamId);
  return (value: string | null) => (value === null || full ? value : mask(value));
}

interface StockRow {
  site_code: string;
  site_name: string;
  tier: SiteTier;
  custodian_name: string | null;
  item_code: string;
  item_name: string;
  specification: string | null;
  unit: string;
  batch_number: string;
  production_date: string | null;
  expiry_date: string | null;
  reserve_mode: ReserveMode;
  on_hand: number;
  reserved: number;
}

interface LedgerRow {
  occurred_at: Date;
  site_code: string;
  site_name: string;
  item_code: string;
  item_name: string;
  batch_number: string;
  kind: MovementKind;
  quantity: number;
  on_hand_after: number;
  counterpart_name: string | null;
  reason: string | null;
  approved_by: string | null;
  recorded_by: string;
  note: string | null;
  operation_id: string;
}

interface MemberRow {
  team_id: number;
  team_code: string;
  team_name: string;
  kind: TeamKind;
  name: string;
  role: MemberRole;
  phone: string | null;
  id_number: string | null;
  employment_mode: EmploymentMode;
  skills: string[];
  joined_on: string;
}

interface RouteRow {
  from_code: string;
  from_name: string;
  to_code: string;
  to_name: string;
  mode: TravelMode;
  minutes: number;
  basis: TravelTimeBasis;
  distance_km: number;
  waterway: string | null;
  closure: string | null;
  note: string | null;
  updated_at: Date;
  updated_by: string;
}

export class ExportService {
  constructor(private readonly dataSource: DataSource) {}

  private async rows<R>(sql: string, params: Params, options: ExportOptions, what: MessageKey): Promise<R[]> {
    const limit = options.maxRows;
    const rows: R[] = await this.dataSource.query(limit ? `${sql} LIMIT ${limit + 1}` : sql, params.values);
    if (limit && rows.length > limit) {
      throw badUserInput("where", "spreadsheets.theSheetWouldHaveMore", { what: message(what), limit });
    }
    return rows;
  }

  private async file<R>(name: string, sheetName: string, format: SheetFormat, columns: ExportColumn<R>[], rows: R[], print: PrintTitle): Promise<ExportedFile> {
    const today = localToday();
    const layout: PrintLayout | undefined =
      format === "XLSX" ? { unit: await this.unitOf(print.scope), title: print.title, date: today, note: print.note, signatures: print.signatures } : undefined;
    const content = await writeSheet(format, sheetName, columns, rows, layout);
    return { filename: `${name}-${today}.${EXTENSIONS[format]}`, mimeType: MIME_TYPES[format], content, rowCount: rows.length };
  }

  /**
   * Whose sheet it is, for its printed title: the one site, team or place it is limited to; else
   * the narrowest region holding every site, team and region it is limited to (a township:
   * 汉丰街道); a district, or a sheet of everything, is the district's bureau (开州区应急管理局).
   * One statement.
   */
  private async unitOf(scope: SheetScope): Promise<string> {
    const [row]: Array<{ single: string | null; paths: string[] | null; regions: Array<{ id: number; name: string; root: boolean }> }> = await this.dataSource.query(
      `WITH scoped AS (
         SELECT region_id AS id FROM storage_site WHERE id = ANY($1::int[])
         UNION SELECT region_id FROM rescue_team WHERE id = ANY($2::int[])
         UNION SELECT unnest($3::int[])
         UNION SELECT coalesce(n.region_id, s.region_id) FROM route_node n LEFT JOIN storage_site s ON s.id = n.site_id WHERE n.id = ANY($4::int[])
       ), paths AS (SELECT r.path FROM region r JOIN scoped USING (id))
       SELECT CASE WHEN cardinality($3::int[]) = 0 AND cardinality($1::int[]) + cardinality($2::int[]) + cardinality($4::int[]) = 1 THEN coalesce(
                (SELECT name FROM storage_site WHERE id = ANY($1::int[])),
                (SELECT name FROM rescue_team WHERE id = ANY($2::int[])),
                (SELECT coalesce(r.name, s.name) FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id WHERE n.id = ANY($4::int[])))
              END AS single,
              (SELECT array_agg(path) FROM paths) AS paths,
              (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'root', a.parent_id IS NULL) ORDER BY a.id), '[]'::json) FROM region a
                WHERE a.parent_id IS NULL OR a.id::text IN (SELECT unnest(string_to_array(path, '/')) FROM paths)) AS regions`,
      [scope.siteIds ?? [], scope.teamIds ?? [], scope.regionIds ?? [], scope.nodeIds ?? []],
    );
    if (row.single) return row.single;
    const bureau = (region: { name: string; root: boolean } | undefined) => (!region ? "应急管理局" : region.root ? `${region.name}应急管理局` : region.name);
    const paths = (row.paths ?? []).map((path) => path.split("/").filter(Boolean).map(Number));
    const roots = row.regions.filter((region) => region.root);
    if (!paths.length) return bureau(roots.length === 1 ? roots[0] : undefined);
    // The deepest region on every path (paths run root first: /1/5/23/).
    let common = paths[0];
    for (const path of paths.slice(1)) {
      const differs = common.findIndex((id, i) => path[i] !== id);
      if (differs !== -1) common = common.slice(0, differs);
    }
    return bureau(row.regions.find((region) => region.id === common[common.length - 1]));
  }

  /** Stock on hand by batch (库存明细), ordered by site, item, earliest expiry. */
  async exportStock(viewer: Viewer, filter: StockExportFilter, format: SheetFormat, options: ExportOptions = {}): Promise<ExportedFile> {
    const params = new Params();
    if (filter.siteIds) params.where(`b.site_id = ANY(${params.add(filter.siteIds)}::int[])`);
    if (filter.regionId !== undefined) params.where(regionSubtree(params, "s.region_id", filter.regionId));
    if (filter.tier) params.where(`s.tier = ${params.add(filter.tier)}`);
    if (filter.itemId !== undefined) params.where(`b.item_id = ${params.add(filter.itemId)}`);
    if (filter.categoryDigit) params.where(`i.code LIKE ${params.add(`${filter.categoryDigit}%`)}`);
    const rows = await this.rows<StockRow>(
      `SELECT s.code AS site_code, s.name AS site_name, s.tier, s.custodian_name, i.code AS item_code, i.name AS item_name, i.specification, i.unit,
              b.batch_number, b.production_date::text AS production_date, b.expiry_date::text AS expiry_date, b.reserve_mode, b.on_hand, b.reserved
       FROM stock_batch b JOIN storage_site s ON s.id = b.site_id JOIN supply_item i ON i.id = b.item_id
       WHERE b.on_hand > 0${params.and()}
       ORDER BY s.code, i.code, b.expiry_date NULLS LAST, b.batch_number`,
      params,
      options,
      "spreadsheets.sheet.stock",
    );
    const custodian = personal(viewer, null, maskName);
    const columns: ExportColumn<StockRow>[] = [
      { header: "站点编码", type: "text", value: (r) => r.site_code },
      { header: "站点名称", type: "text", value: (r) => r.site_name },
      { header: "层级", type: "text", value: (r) => SITE_TIER_WORDS[r.tier] },
      { header: "物资编码", type: "text", value: (r) => r.item_code },
      { header: "物资名称", type: "text", value: (r) => r.item_name },
      { header: "规格", type: "text", value: (r) => r.specification },
      { header: "单位", type: "text", value: (r) => r.unit },
      { header: "批次", type: "text", value: (r) => r.batch_number },
      { header: "生产日期", type: "date", value: (r) => r.production_date },
      { header: "有效期至", type: "date", value: (r) => r.expiry_date },
      { header: "储备方式", type: "text", value: (r) => RESERVE_MODE_WORDS[r.reserve_mode] },
      { header: "数量", type: "integer", value: (r) => r.on_hand },
      // 数量 is what staff overwrite with their count; this keeps what the books held, so that an
      // import can tell a sheet the books have moved past (stock issued after the export).
      { header: "账面数量", type: "integer", value: (r) => r.on_hand },
      { header: "已预留", type: "integer", value: (r) => r.reserved },
      { header: "可用", type: "integer", value: (r) => r.on_hand - r.reserved },
      { header: "保管员", type: "text", value: (r) => custodian(r.custodian_name) },
    ];
    return this.file("stock", "库存", format, columns, rows, {
      title: "库存盘点表",
      scope: { siteIds: filter.siteIds, regionIds: filter.regionId === undefined ? undefined : [filter.regionId] },
      signatures: STOCKTAKE_SIGNATURES,
    });
  }

  /** The ledger (台账), oldest entry first; times in the district's time (UTC+8). */
  async exportLedger(viewer: Viewer, filter: LedgerExportFilter, format: SheetFormat, options: ExportOptions = {}): Promise<ExportedFile> {
    const params = new Params();
    if (filter.siteIds) params.where(`m.site_id = ANY(${params.add(filter.siteIds)}::int[])`);
    if (filter.regionId !== undefined) params.where(regionSubtree(params, "s.region_id", filter.regionId));
    if (filter.itemId !== undefined) params.where(`m.item_id = ${params.add(filter.itemId)}`);
    if (filter.kind) params.where(`m.kind = ${params.add(filter.kind)}`);
    if (filter.from) params.where(`m.occurred_at >= ${params.add(filter.from)}`);
    if (filter.to) params.where(`m.occurred_at < ${params.add(filter.to)}`);
    const rows = await this.rows<LedgerRow>(
      `SELECT m.occurred_at, s.code AS site_code, s.name AS site_name, i.code AS item_code, i.name AS item_name, b.batch_number, m.kind,
              m.quantity, m.on_hand_after, cs.name AS counterpart_name, m.reason, m.approved_by, m.recorded_by, m.note, m.operation_id
       FROM stock_movement m
       JOIN storage_site s ON s.id = m.site_id JOIN supply_item i ON i.id = m.item_id JOIN stock_batch b ON b.id = m.batch_id
       LEFT JOIN storage_site cs ON cs.id = m.counterpart_site_id
       WHERE true${params.and()}
       ORDER BY m.occurred_at, m.id`,
      params,
      options,
      "spreadsheets.sheet.ledger",
    );
    const person = personal(viewer, null, maskName);
    const columns: ExportColumn<LedgerRow>[] = [
      { header: "时间", type: "datetime", value: (r) => r.occurred_at },
      { header: "站点编码", type: "text", value: (r) => r.site_code },
      { header: "站点名称", type: "text", value: (r) => r.site_name },
      { header: "物资编码", type: "text", value: (r) => r.item_code },
      { header: "物资名称", type: "text", value: (r) => r.item_name },
      { header: "批次", type: "text", value: (r) => r.batch_number },
      { header: "类型", type: "text", value: (r) => MOVEMENT_KIND_WORDS[r.kind] },
      { header: "数量", type: "integer", value: (r) => r.quantity },
      { header: "结存", type: "integer", value: (r) => r.on_hand_after },
      { header: "对方站点", type: "text", value: (r) => r.counterpart_name },
      { header: "原因", type: "text", value: (r) => (r.reason ? (REASON_WORDS[r.reason] ?? r.reason) : null) },
      { header: "审批人", type: "text", value: (r) => person(r.approved_by) },
      { header: "经办人", type: "text", value: (r) => person(r.recorded_by) },
      { header: "备注", type: "text", value: (r) => r.note },
      { header: "业务编号", type: "text", value: (r) => r.operation_id },
    ];
    return this.file("ledger", "台账", format, columns, rows, {
      title: "物资台账",
      scope: { siteIds: filter.siteIds, regionIds: filter.regionId === undefined ? undefined : [filter.regionId] },
      note: period(filter.from, filter.to),
    });
  }

  /** Active members of the teams (队员名册), by team, leader first. */
  async exportTeams(viewer: Viewer, filter: TeamExportFilter, format: SheetFormat, options: ExportOptions = {}): Promise<ExportedFile> {
    const params = new Params();
    if (filter.teamIds) params.where(`t.id = ANY(${params.add(filter.teamIds)}::int[])`);
    if (filter.regionId !== undefined) params.where(regionSubtree(params, "t.region_id", filter.regionId));
    if (filter.kind) params.where(`t.kind = ${params.add(filter.kind)}`);
    const rows = await this.rows<MemberRow>(
      `SELECT t.id AS team_id, t.code AS team_code, t.name AS team_name, t.kind, m.name, m.role, m.phone, m.id_number, m.employment_mode,
              m.skills, m.joined_on::text AS joined_on
       FROM team_member m JOIN rescue_team t ON t.id = m.team_id
       WHERE m.active${params.and()}
       ORDER BY t.code, CASE m.role WHEN 'LEADER' THEN 0 WHEN 'DEPUTY' THEN 1 ELSE 2 END, m.id`,
      params,
      options,
      "spreadsheets.sheet.roster",
    );
    const shown = (row: MemberRow, mask: (value: string) => string, value: string | null) => personal(viewer, row.team_id, mask)(value);
    const columns: ExportColumn<MemberRow>[] = [
      { header: "队伍编码", type: "text", value: (r) => r.team_code },
      { header: "队伍名称", type: "text", value: (r) => r.team_name },
      { header: "队伍类别", type: "text", value: (r) => TEAM_KIND_WORDS[r.kind] },
      { header: "姓名", type: "text", value: (r) => shown(r, maskName, r.name) },
      { header: "角色", type: "text", value: (r) => MEMBER_ROLE_WORDS[r.role][0] },
      { header: "手机号", type: "text", value: (r) => shown(r, maskPhone, r.phone) },
      { header: "身份证号", type: "text", value: (r) => shown(r, maskIdNumber, r.id_number) },
      { header: "用工方式", type: "text", value: (r) => EMPLOYMENT_MODE_WORDS[r.employment_mode][0] },
      { header: "技能", type: "text", value: (r) => r.skills.join("、") || null },
      { header: "入队日期", type: "date", value: (r) => r.joined_on },
    ];
    return this.file("teams", "队员名册", format, columns, rows, {
      title: "队员名册",
      scope: { teamIds: filter.teamIds, regionIds: filter.regionId === undefined ? undefined : [filter.regionId] },
    });
  }

  /**
   * The travel-time table (通行时间表), one row per link by its two places' codes, with the road
   * status now (道路中断 and why). Import it back, edited, with importTravelTimes.
   */
  async exportTravelTimes(viewer: Viewer, filter: TravelTimeExportFilter, format: SheetFormat, options: ExportOptions = {}): Promise<ExportedFile> {
    const params = new Params();
    if (filter.districtId !== undefined) params.where(`l.district_id = ${params.add(filter.districtId)}`);
    if (filter.nodeId !== undefined) params.where(`${params.add(filter.nodeId)}::int IN (l.from_node_id, l.to_node_id)`);
    const rows = await this.rows<RouteRow>(
      `WITH place AS (
         SELECT n.id, coalesce(r.code, s.code) AS code, coalesce(r.name, s.name) AS name
         FROM route_node n LEFT JOIN region r ON r.id = n.region_id LEFT JOIN storage_site s ON s.id = n.site_id
       )
       SELECT f.code AS from_code, f.name AS from_name, t.code AS to_code, t.name AS to_name, l.mode, l.minutes, l.basis, l.distance_km,
              l.waterway, l.note, l.updated_at, l.updated_by,
              (SELECT c.reason FROM road_closure c WHERE c.reopened_at IS NULL AND (c.link_id = l.id OR (l.mode = 'ROAD' AND c.node_id IN (l.from_node_id, l.to_node_id)))
               ORDER BY c.link_id NULLS LAST, c.id LIMIT 1) AS closure
       FROM travel_link l JOIN place f ON f.id = l.from_node_id JOIN place t ON t.id = l.to_node_id
       WHERE true${params.and()}
       ORDER BY f.code, t.code, l.mode`,
      params,
      options,
      "spreadsheets.sheet.travelTime",
    );
    const person = personal(viewer, null, maskName);
    const columns: ExportColumn<RouteRow>[] = [
      { header: "起点编码", type: "text", value: (r) => r.from_code },
      { header: "起点名称", type: "text", value: (r) => r.from_name },
      { header: "终点编码", type: "text", value: (r) => r.to_code },
      { header: "终点名称", type: "text", value: (r) => r.to_name },
      { header: "方式", type: "text", value: (r) => TRAVEL_MODE_SHEET_WORDS[r.mode][0] },
      { header: "通行时间（分钟）", type: "integer", value: (r) => r.minutes },
      { header: "依据", type: "text", value: (r) => BASIS_SHEET_WORDS[r.basis][0] },
      { header: "直线距离（公里）", type: "text", value: (r) => r.distance_km.toFixed(1) },
      { header: "水域", type: "text", value: (r) => r.waterway },
      { header: "道路状态", type: "text", value: (r) => (r.closure === null ? "通行" : `中断：${r.closure}`) },
      { header: "备注", type: "text", value: (r) => r.note },
      { header: "更新时间", type: "datetime", value: (r) => r.updated_at },
      { header: "更新人", type: "text", value: (r) => person(r.updated_by) },
    ];
    return this.file("routes", "通行时间", format, columns, rows, {
      title: "通行时间表",
      scope: { regionIds: filter.districtId === undefined ? undefined : [filter.districtId], nodeIds: filter.nodeId === undefined ? undefined : [filter.nodeId] },
    });
  }

  /**
   * 灾情统计表 (issue 21, modules/field): each township's latest situation report for one incident (a
   * correction replaces what it corrects, whatever either's asOf), then a 合计 row; reporters' names masked as in the API.
   * One statement. Null when there is no such incident.
   */
  async exportSituation(viewer: Viewer, incidentId: number, format: SheetFormat, options: ExportOptions = {}): Promise<ExportedFile | null> {
    const params = new Params();
    const rows = await this.rows<SituationRow>(
      `WITH incident_row AS (SELECT id, code, title, district_id FROM incident WHERE id = ${params.add(incidentId)}),
       latest AS (
         SELECT DISTINCT ON (s.region_id) s.*, r.code AS region_code, r.name AS region_name
         FROM situation_report s JOIN incident_row i ON i.id = s.incident_id JOIN region r ON r.id = s.region_id
         -- A corrected report is out, whatever its as_of (field/situation.service.ts inForce).
         WHERE NOT EXISTS (SELECT 1 FROM situation_report c WHERE c.corrects_id = s.id)
         ORDER BY s.region_id, s.as_of DESC, s.id DESC
       )
       SELECT i.code AS incident_code, i.title AS incident_title, i.district_id, l.region_code, l.region_name, l.as_of, l.affected, l.evacuated, l.dead, l.missing, l.injured,
              l.houses_collapsed, l.houses_damaged, l.roads_cut, l.power_out, l.communications_out, l.urgent_needs, l.reported_by, l.reported_at, l.corrects_id
       FROM incident_row i LEFT JOIN latest l ON true
       ORDER BY l.region_code NULLS FIRST`,
      params,
      options,
      "spreadsheets.sheet.situation",
    );
    if (!rows.length) return null;
    const head = rows[0];
    const reports = rows.filter((row) => row.region_code !== null);
    const sum = (key: "affected" | "evacuated" | "dead" | "missing" | "injured" | "houses_collapsed" | "houses_damaged") => reports.reduce((total, row) => total + Number(row[key]), 0);
    const total: SituationRow = {
      ...head, region_code: "合计", region_name: `${reports.length} 个乡镇（街道）`, as_of: null, affected: sum("affected"), evacuated: sum("evacuated"), dead: sum("dead"), missing: sum("missing"),
      injured: sum("injured"), houses_collapsed: sum("houses_collapsed"), houses_damaged: sum("houses_damaged"), roads_cut: reports.flatMap((row) => row.roads_cut),
      power_out: reports.some((row) => row.power_out), communications_out: reports.some((row) => row.communications_out), urgent_needs: null, reported_by: null, reported_at: null, corrects_id: null,
    };
    const person = personal(viewer, null, maskName);
    const yes = (value: boolean) => (value ? "是" : "否");
    const columns: ExportColumn<SituationRow>[] = [
      { header: "乡镇（街道）编码", type: "text", value: (r) => r.region_code },
      { header: "乡镇（街道）", type: "text", value: (r) => r.region_name },
      { header: "统计时间", type: "datetime", value: (r) => r.as_of },
      { header: "受灾人数", type: "integer", value: (r) => Number(r.affected) },
      { header: "转移安置", type: "integer", value: (r) => Number(r.evacuated) },
      { header: "死亡", type: "integer", value: (r) => Number(r.dead) },
      { header: "失踪", type: "integer", value: (r) => Number(r.missing) },
      { header: "受伤", type: "integer", value: (r) => Number(r.injured) },
      { header: "倒塌房屋（间）", type: "integer", value: (r) => Number(r.houses_collapsed) },
      { header: "损坏房屋（间）", type: "integer", value: (r) => Number(r.houses_damaged) },
      { header: "道路中断", type: "text", value: (r) => r.roads_cut.join("；") || null },
      { header: "停电", type: "text", value: (r) => yes(r.power_out) },
      { header: "通信中断", type: "text", value: (r) => yes(r.communications_out) },
      { header: "急需", type: "text", value: (r) => r.urgent_needs },
      { header: "报送人", type: "text", value: (r) => person(r.reported_by) },
      { header: "报送时间", type: "datetime", value: (r) => r.reported_at },
      { header: "更正报告", type: "text", value: (r) => (r.corrects_id === null ? null : "是") },
    ];
    return this.file("situation", "灾情统计", format, columns, [...reports, total], {
      title: `灾情统计表（${head.incident_code} ${head.incident_title}）`,
      scope: { regionIds: [head.district_id] },
      signatures: SITUATION_SIGNATURES,
    });
  }
}
