// Requisition (征用) and settlement (结算). A commander requisitions a private or enterprise
// resource for an open incident; at return its condition, usage and damage are recorded and the
// compensation is calculated from the rate table, in fen (分) with integer arithmetic only:
//
//   days  = started 24-hour days from hand-over to return, at least 1
//   total = days × day rate + km × km rate + round_half_up(kg × tonne rate / 1000) + damage
//
// The settlement then goes CALCULATED → CONFIRMED_BY_OWNER (staff record the owner's signature)
// → APPROVED (FINANCE or ADMIN, never the account that requisitioned: separation of duties, also
// a CHECK in the database) → PAID (with the voucher). Every step is a mutation, so audited.
//
// One resource is never requisitioned twice at once: the resource row is locked (FOR UPDATE)
// and must be AVAILABLE, and a unique partial index allows one ACTIVE requisition per resource.
import type { DataSource, EntityManager } from "typeorm";
import { recordedBy, type Actor } from "../../core/access/auth";
import { maskName, maskVehiclePlate, maySeePersonalData } from "../../core/access/personal-data";
import { rowsByCodes, rowsByIds } from "../../core/db/batch";
import { localToday } from "../../core/db/local-date";
import { forbidden } from "../../core/graphql/errors";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { EXTENSIONS, MIME_TYPES, writeSheet, type ExportColumn, type SheetFormat } from "../spreadsheets/sheet-file";
import type { IncidentService } from "../incidents/incident.service";
import { Requisition, Settlement } from "./requisition.entity";
import { RateBasis, RequisitionStatus, SettlementStatus, TransportOwnerKind, TransportStatus, type TransportKind } from "./transport.enums";
import type { RecordSettlementPaymentInput, RequisitionResourceInput, RequisitionWhere, ReturnRequisitionedResourceInput, ConfirmSettlementByOwnerInput, ApproveSettlementInput } from "./transport.inputs";
import { REQUISITION_ORDER, type RequisitionOrderField } from "./transport.orders";
import { translateBusy, type TransportService } from "./transport.service";

export const RequisitionConnection = ConnectionType(Requisition, "Requisition", "征用单分页。A page of requisitions.");

const MAX_PERIOD_DAYS = 365;
const DAY_MS = 86_400_000;

/** The compensation, every amount in fen. Pure, so its arithmetic is tested on its own. */
export interface Compensation {
  days: number;
  dayRateFen: number;
  kmRateFen: number;
  tonneRateFen: number;
  dayFen: bigint;
  kmFen: bigint;
  tonneFen: bigint;
  damageFen: bigint;
  totalFen: bigint;
}

export function compensation(
  period: { startsAt: Date; returnedAt: Date },
  usage: { kmDriven: number; kgCarried: number; damageFen: bigint },
  rates: { day: number; km: number; tonne: number },
): Compensation {
  const days = Math.max(1, Math.ceil((period.returnedAt.getTime() - period.startsAt.getTime()) / DAY_MS));
  const dayFen = BigInt(days) * BigInt(rates.day);
  const kmFen = BigInt(usage.kmDriven) * BigInt(rates.km);
  // Half up to the fen: (kg × fen per tonne + 500) / 1000, in integers.
  const tonneFen = (BigInt(usage.kgCarried) * BigInt(rates.tonne) + 500n) / 1000n;
  const totalFen = dayFen + kmFen + tonneFen + usage.damageFen;
  return { days, dayRateFen: rates.day, kmRateFen: rates.km, tonneRateFen: rates.tonne, dayFen, kmFen, tonneFen, damageFen: usage.damageFen, totalFen };
}

/** 123456 分 → "1,234.56" 元, for the sheet (the API gives fen). */
export function yuan(fen: bigint | string): string {
  const value = BigInt(fen);
  const whole = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${whole}.${(value % 100n).toString().padStart(2, "0")}`;
}

const NEXT: Readonly<Record<"confirm" | "approve" | "pay", { from: SettlementStatus; to: SettlementStatus }>> = {
  confirm: { from: SettlementStatus.CALCULATED, to: SettlementStatus.CONFIRMED_BY_OWNER },
  approve: { from: SettlementStatus.CONFIRMED_BY_OWNER, to: SettlementStatus.APPROVED },
  pay: { from: SettlementStatus.APPROVED, to: SettlementStatus.PAID },
};

export class RequisitionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: TransportService,
    private readonly incidents: IncidentService,
  ) {}

  byIds = (ids: readonly number[]) => rowsByIds(this.dataSource, Requisition, ids);
  byCodes = (codes: readonly string[]) => rowsByCodes(this.dataSource, Requisition, codes);
  settlementsByIds = (ids: readonly number[]) => rowsByIds(this.dataSource, Settlement, ids);

  settlementsByRequisitions = async (requisitionIds: readonly number[]): Promise<(Settlement | null)[]> => {
    const rows = await this.dataSource.getRepository(Settlement).createQueryBuilder("s").where("s.requisition_id = ANY(:ids)", { ids: [...requisitionIds] }).getMany();
    const byRequisition = new Map(rows.map((row) => [row.requisitionId, row]));
    return requisitionIds.map((id) => byRequisition.get(id) ?? null);
  };

  async list(where: RequisitionWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<RequisitionOrderField>[] | null) {
    const query = this.dataSource.getRepository(Requisition).createQueryBuilder("requisition");
    if (where?.status) query.andWhere("requisition.status = :status", { status: where.status });
    if (where?.incidentId) query.andWhere("requisition.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.settlementStatus) query.andWhere("EXISTS (SELECT 1 FROM settlement s WHERE s.requisition_id = requisition.id AND s.status = :settlementStatus)", { settlementStatus: where.settlementStatus });
    return paginate(query, REQUISITION_ORDER.sorting.resolve(orderBy), page, RequisitionConnection);
  }

  // ---------------------------------------------------------------- requisition and return

  async requisition(unit: UnitOfWork, input: RequisitionResourceInput): Promise<{ requisition: Requisition }> {
    const { actor } = unit;
    const check = new InputErrors();
    const startsAt = input.startsAt ?? new Date();
    if (startsAt.getTime() > Date.now() + 5 * 60_000) check.add("input.startsAt", "IN_FUTURE", "transport.notInFuture");
    if (input.plannedUntil.getTime() <= startsAt.getTime()) check.add("input.plannedUntil", "OUT_OF_RANGE", "transport.periodEndsBeforeItStarts");
    else if (input.plannedUntil.getTime() - startsAt.getTime() > MAX_PERIOD_DAYS * DAY_MS) check.add("input.plannedUntil", "OUT_OF_RANGE", "transport.periodTooLong", { days: MAX_PERIOD_DAYS });
    check.throwIfAny();
    const incidentId = parseGlobalId(input.incidentId, "Incident", "input.incidentId");
    const resourceId = parseGlobalId(input.resourceId, "TransportResource", "input.resourceId");
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const incident = await this.incidents.requireOpen(manager, incidentId, "input.incidentId");
      // Compensation runs from startsAt: a hand-over before the incident occurred would pay for days nobody needed the resource.
      if (startsAt.getTime() < incident.occurredAt.getTime()) userError("input.startsAt", "OUT_OF_RANGE", "transport.startsBeforeIncident", { occurredAt: incident.occurredAt.toISOString() });
      // The resource's row, locked: two requisitions of one resource take turns here, and the second finds it REQUISITIONED.
      const found = (await this.transport.lockResources(manager, [resourceId])).get(resourceId);
      if (!found) userError("input.resourceId", "NOT_FOUND", "transport.noSuchResource");
      const { resource } = found;
      if (resource.ownerKind !== TransportOwnerKind.PRIVATE && resource.ownerKind !== TransportOwnerKind.ENTERPRISE) {
        userError("input.resourceId", "NOT_REQUISITIONABLE", "transport.onlyOthersRequisitioned", { code: resource.code, ownerKind: resource.ownerKind });
      }
      if (resource.status !== TransportStatus.AVAILABLE) userError("input.resourceId", "ALREADY_REQUISITIONED", "transport.resourceBusy", { code: resource.code, status: resource.status });
      const [{ id }] = await manager.query(`SELECT nextval(pg_get_serial_sequence('requisition', 'id'))::int AS id`);
      const by = recordedBy(actor);
      await manager.query(
        `INSERT INTO requisition (id, code, resource_id, incident_id, status, legal_basis, owner_name, owner_phone, starts_at, planned_until, condition_at_handover, fuel_at_handover, requisitioned_by_id, requisitioned_by)
         VALUES ($1::int, 'KZ-ZY-' || lpad($1::int::text, 6, '0'), $2, $3, 'ACTIVE', $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, resource.id, incidentId, input.legalBasis, resource.ownerName, resource.ownerPhone, startsAt, input.plannedUntil, input.conditionAtHandover, input.fuelAtHandover, by.id, by.name],
      ).catch((error) => translateBusy(error, "input.resourceId", "ALREADY_REQUISITIONED"));
      await this.transport.setStatus(tx, [found], TransportStatus.REQUISITIONED);
      return { requisition: await manager.findOneByOrFail(Requisition, { id }) };
    });
  }

  private async lockRequisition(manager: EntityManager, globalId: string): Promise<Requisition> {
    const id = parseGlobalId(globalId, "Requisition", "input.requisitionId");
    const requisition = await manager.findOne(Requisition, { where: { id }, lock: { mode: "pessimistic_write" } });
    if (!requisition) userError("input.requisitionId", "NOT_FOUND", "transport.noSuchRequisition");
    return requisition;
  }

  async returnResource(unit: UnitOfWork, input: ReturnRequisitionedResourceInput): Promise<{ requisition: Requisition; settlement: Settlement }> {
    const check = new InputErrors();
    check.wholeNumber(input.kmDriven, "input.kmDriven", 0, 100_000);
    check.wholeNumber(input.kgCarried, "input.kgCarried", 0, 100_000_000);
    check.wholeNumber(input.damageFen, "input.damageFen", 0, 2_147_483_647);
    const returnedAt = input.returnedAt ?? new Date();
    if (returnedAt.getTime() > Date.now() + 5 * 60_000) check.add("input.returnedAt", "IN_FUTURE", "transport.notInFuture");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      // Lock order: the resource row (as requisition takes it), then the requisition.
      const requisitionId = parseGlobalId(input.requisitionId, "Requisition", "input.requisitionId");
      const [row] = await manager.query(`SELECT resource_id FROM requisition WHERE id = $1`, [requisitionId]);
      if (!row) userError("input.requisitionId", "NOT_FOUND", "transport.noSuchRequisition");
      const found = (await this.transport.lockResources(manager, [row.resource_id]))!.get(row.resource_id)!;
      const requisition = await this.lockRequisition(manager, input.requisitionId);
      if (requisition.status !== RequisitionStatus.ACTIVE) userError("input.requisitionId", "INVALID_STATE", "transport.requisitionNotActive", { code: requisition.code, status: requisition.status });
      if (found.resource.status === TransportStatus.ASSIGNED) userError("input.requisitionId", "ON_TRIP", "transport.resourceStillOnTrip", { code: found.resource.code });
      if (returnedAt.getTime() < requisition.startsAt.getTime()) userError("input.returnedAt", "OUT_OF_RANGE", "transport.returnBeforeStart");
      const rates = await this.ratesFor(manager, found.resource.kind);
      const amounts = compensation({ startsAt: requisition.startsAt, returnedAt }, { kmDriven: input.kmDriven, kgCarried: input.kgCarried, damageFen: BigInt(input.damageFen) }, rates);
      Object.assign(requisition, {
        status: RequisitionStatus.RETURNED,
        returnedAt,
        conditionAtReturn: input.conditionAtReturn,
        kmDriven: input.kmDriven,
        kgCarried: input.kgCarried,
        damageFen: String(input.damageFen),
      });
      await manager.save(requisition);
      const settlement = await manager.save(
        manager.create(Settlement, {
          requisitionId: requisition.id,
          status: SettlementStatus.CALCULATED,
          days: amounts.days,
          dayRateFen: amounts.dayRateFen,
          kmRateFen: amounts.kmRateFen,
          tonneRateFen: amounts.tonneRateFen,
          dayFen: String(amounts.dayFen),
          kmFen: String(amounts.kmFen),
          tonneFen: String(amounts.tonneFen),
          damageFen: String(amounts.damageFen),
          totalFen: String(amounts.totalFen),
          requisitionedById: requisition.requisitionedById,
        }),
      );
      await this.transport.setStatus(tx, [found], TransportStatus.AVAILABLE);
      return { requisition, settlement: await manager.findOneByOrFail(Settlement, { id: settlement.id }) };
    });
  }

  private async ratesFor(manager: EntityManager, kind: TransportKind): Promise<{ day: number; km: number; tonne: number }> {
    const rows: Array<{ basis: RateBasis; fen_per_unit: number }> = await manager.query(`SELECT basis, fen_per_unit FROM transport_rate WHERE kind = $1`, [kind]);
    const rate = (basis: RateBasis) => rows.find((row) => row.basis === basis)?.fen_per_unit ?? 0;
    return { day: rate(RateBasis.DAY), km: rate(RateBasis.KM), tonne: rate(RateBasis.TONNE) };
  }

  // ---------------------------------------------------------------- the settlement's steps

  private async step(unit: UnitOfWork, settlementGlobalId: string, step: keyof typeof NEXT, extra: (settlement: Settlement, actor: Actor) => Partial<Settlement>): Promise<{ settlement: Settlement }> {
    const { actor } = unit;
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const id = parseGlobalId(settlementGlobalId, "Settlement", "input.settlementId");
      const settlement = await manager.findOne(Settlement, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!settlement) userError("input.settlementId", "NOT_FOUND", "transport.noSuchSettlement");
      const { from, to } = NEXT[step];
      if (settlement.status !== from) userError("input.settlementId", "INVALID_STATE", "transport.settlementNotIn", { status: settlement.status, from, to });
      Object.assign(settlement, extra(settlement, actor), { status: to });
      await manager.save(settlement);
      return { settlement };
    });
  }

  confirmByOwner(unit: UnitOfWork, input: ConfirmSettlementByOwnerInput) {
    return this.step(unit, input.settlementId, "confirm", () => ({ ownerConfirmedAt: new Date() }));
  }

  approve(unit: UnitOfWork, input: ApproveSettlementInput) {
    return this.step(unit, input.settlementId, "approve", (settlement, actor) => {
      // Separation of duties: whoever requisitioned does not approve the payment (ADMIN included).
      if (actor.kind === "ACCOUNT" && actor.id === settlement.requisitionedById) throw forbidden("transport.requisitionerMayNotApprove");
      if (actor.kind !== "ACCOUNT") throw forbidden("transport.approvalNeedsAnAccount");
      const by = recordedBy(actor);
      return { approvedById: by.id, approvedBy: by.name, approvedAt: new Date() };
    });
  }

  recordPayment(unit: UnitOfWork, input: RecordSettlementPaymentInput) {
    return this.step(unit, input.settlementId, "pay", () => ({ paymentReference: input.paymentReference, paidAt: new Date() }));
  }

  // ---------------------------------------------------------------- the settlement sheet

  /**
   * 征用补偿结算单: the calculation line by line, amounts in 元 as numbers (0.00), the tonnage in
   * tonnes against the rate per tonne, with the lines the owner, the handler and finance sign.
   * Both files name the requisition, the vehicle and its owner (plate and owner masked for
   * roles that may not see personal data): the .xlsx in its title rows, the .csv in a header
   * block above the table.
   */
  async sheet(actor: Actor, settlementGlobalId: string, format: SheetFormat) {
    const id = parseGlobalId(settlementGlobalId, "Settlement", "settlementId");
    const [row] = await this.dataSource.query(
      `SELECT s.*, q.code, q.owner_name, q.legal_basis, q.starts_at, q.returned_at, q.km_driven, q.kg_carried, q.condition_at_return, r.code AS resource_code, r.kind, r.plate, i.code AS incident_code
       FROM settlement s JOIN requisition q ON q.id = s.requisition_id JOIN transport_resource r ON r.id = q.resource_id JOIN incident i ON i.id = q.incident_id WHERE s.id = $1`,
      [id],
    );
    if (!row) userError("settlementId", "NOT_FOUND", "transport.noSuchSettlement");
    const clear = maySeePersonalData(actor, null);
    const owner = clear ? row.owner_name : maskName(row.owner_name);
    const plate = row.plate ? (clear ? row.plate : maskVehiclePlate(row.plate)) : "—";
    const amount = (fen: bigint | string | number) => Number(BigInt(fen)) / 100;
    type Line = { item: string; quantity: string; rate: number | null; amount: number };
    const lines: Line[] = [
      { item: "按天补偿", quantity: `${row.days} 天`, rate: amount(row.day_rate_fen), amount: amount(row.day_fen) },
      { item: "按里程补偿", quantity: `${row.km_driven} km`, rate: amount(row.km_rate_fen), amount: amount(row.km_fen) },
      // The rate is per tonne: the quantity is in tonnes too (4500 kg → 4.5 t).
      { item: "按运量补偿", quantity: `${Number(row.kg_carried) / 1000} t`, rate: amount(row.tonne_rate_fen), amount: amount(row.tonne_fen) },
      { item: "损坏赔偿", quantity: row.condition_at_return ?? "", rate: null, amount: amount(row.damage_fen) },
      { item: "合计", quantity: "", rate: null, amount: amount(row.total_fen) },
    ];
    const columns: ExportColumn<Line>[] = [
      { header: "项目", type: "text", value: (line) => line.item },
      { header: "数量", type: "text", value: (line) => line.quantity },
      { header: "单价（元）", type: "amount", value: (line) => line.rate },
      { header: "金额（元）", type: "amount", value: (line) => line.amount },
    ];
    const date = localToday();
    const content = await writeSheet(
      format,
      "征用补偿结算单",
      columns,
      lines,
      {
        unit: "开州区应急管理局",
        title: "征用补偿结算单",
        date,
        note: `${row.code}　事件 ${row.incident_code}　运力 ${row.resource_code}（${plate}）　被征用人 ${owner}　状态 ${row.status}`,
        signatures: ["被征用人", "经办人", "财务审核", "日期"],
      },
      [
        ["征用单", row.code],
        ["事件", row.incident_code],
        ["运力", row.resource_code],
        ["车牌号", plate],
        ["被征用人", owner],
        ["结算状态", row.status],
        ["制表日期", date],
      ],
    );
    return { filename: `settlement-${row.code}-${date}.${EXTENSIONS[format]}`, mimeType: MIME_TYPES[format], content, rowCount: lines.length };
  }
}
