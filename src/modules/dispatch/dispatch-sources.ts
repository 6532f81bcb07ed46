// Where an order's units come from (调拨来源): sources chosen by hand, checked against the
// database, or taken over from a plan; the lines and their allocations written; and before the
// goods may be reserved or leave, every line fully sourced and partner call-offs within their
// agreements.
import type { EntityManager } from "typeorm";
import { LOCAL_TODAY_SQL } from "../../core/db/local-date";
import { userError } from "../../core/graphql/errors";
import { InputErrors } from "../../core/mutation/input-errors";
import type { AllocationService, PlanLine, ResolvedDestination } from "../allocation/allocation.service";
import type { AllocationPlan } from "../allocation/allocation.types";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine } from "./dispatch-order.entity";
import { AllocationSourceKind } from "./dispatch.enums";
import type { ParsedLines } from "./dispatch-input";
import { message, messageList, type Message } from "../../core/i18n/i18n";

/** Where (part of) a line comes from, before it is written. */
export interface SourceSpec {
  kind: AllocationSourceKind;
  siteId: number | null;
  batchId: number | null;
  partnerId: number | null;
  quantity: number;
  reason: string | null;
}

/** Checks hand-chosen sources against the database: batches of the line's item, partners with an agreement for it. */
export async function checkManualSources(manager: EntityManager, parsed: ParsedLines, destination: ResolvedDestination): Promise<SourceSpec[][]> {
  const all = parsed.manual.flat();
  const batchIds = all.filter((s) => s.batchId !== null).map((s) => s.batchId!);
  const partnerIds = all.filter((s) => s.partnerId !== null).map((s) => s.partnerId!);
  const batches = new Map<number, { item_id: number; site_id: number; site_name: string }>();
  if (batchIds.length) {
    const rows = await manager.query(`SELECT b.id, b.item_id, b.site_id, s.name AS site_name FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE b.id = ANY($1::int[])`, [batchIds]);
    for (const row of rows) batches.set(row.id, row);
  }
  const partnerItems = new Map<number, { stock: Set<number>; capacity: Set<number> }>();
  if (partnerIds.length) {
    const rows: Array<{ id: number; stock: number[]; capacity: number[] }> = await manager.query(
      `SELECT p.id,
              coalesce((SELECT array_agg(a.item_id) FROM partner_stock_agreement a WHERE a.partner_id = p.id), '{}') AS stock,
              coalesce((SELECT array_agg(c.item_id) FROM partner_capacity c WHERE c.partner_id = p.id), '{}') AS capacity
       FROM reserve_partner p WHERE p.id = ANY($1::int[])`,
      [partnerIds],
    );
    for (const row of rows) partnerItems.set(row.id, { stock: new Set(row.stock), capacity: new Set(row.capacity) });
  }
  const check = new InputErrors();
  const specs = parsed.manual.map((sources, i) =>
    sources.map((source): SourceSpec => {
      const itemId = parsed.lines[i].itemId;
      if (source.batchId !== null) {
        const batch = batches.get(source.batchId);
        if (!batch) check.add(`${source.field}.batchId`, "NOT_FOUND", "dispatch.noSuchStockBatch");
        else if (batch.item_id !== itemId) check.add(`${source.field}.batchId`, "INVALID_VALUE", "dispatch.thisBatchHoldsAnotherItem");
        else if (batch.site_id === destination.siteId) check.add(`${source.field}.batchId`, "SAME_SITE", "dispatch.isTheDestinationItself", { site: batch.site_name });
        return { kind: source.kind, siteId: batch?.site_id ?? null, batchId: source.batchId, partnerId: null, quantity: source.quantity, reason: null };
      }
      const partner = partnerItems.get(source.partnerId!);
      if (!partner) check.add(`${source.field}.partnerId`, "NOT_FOUND", "dispatch.noSuchPartnerEnterprise");
      else if (source.kind === AllocationSourceKind.PARTNER_STOCK && !partner.stock.has(itemId)) check.add(`${source.field}.partnerId`, "INVALID_VALUE", "dispatch.thisPartnerKeepsNoAgreement");
      else if (source.kind === AllocationSourceKind.PARTNER_CAPACITY && !partner.capacity.has(itemId)) check.add(`${source.field}.partnerId`, "INVALID_VALUE", "dispatch.thisPartnerHasNoProduction");
      return { kind: source.kind, siteId: null, batchId: null, partnerId: source.partnerId, quantity: source.quantity, reason: null };
    }),
  );
  check.throwIfAny();
  return specs;
}

export function sourcesFromPlan(plan: AllocationPlan): SourceSpec[][] {
  return plan.lines.map((line) =>
    line.sources.map((source) => ({ kind: source.kind, siteId: source.siteId, batchId: source.batchId, partnerId: source.partnerId, quantity: source.quantity, reason: source.reason })),
  );
}

export async function insertLines(manager: EntityManager, order: DispatchOrder, lines: readonly PlanLine[], sources: SourceSpec[][], requestLineIds: readonly number[] = []): Promise<void> {
  const inserted = await manager.insert(
    DispatchOrderLine,
    lines.map((line, i) => ({ orderId: order.id, districtId: order.districtId, position: i + 1, itemId: line.itemId, quantity: line.quantity, requestLineId: requestLineIds[i] ?? null })),
  );
  const lineIds = inserted.identifiers.map((identifier) => identifier.id as number);
  await insertAllocations(manager, order, lines, lineIds, sources);
}

export async function insertAllocations(manager: EntityManager, order: DispatchOrder, lines: readonly PlanLine[], lineIds: readonly number[], sources: SourceSpec[][]): Promise<void> {
  const rows = sources.flatMap((specs, i) =>
    specs.map((spec) => ({
      orderId: order.id,
      lineId: lineIds[i],
      districtId: order.districtId,
      itemId: lines[i].itemId,
      sourceKind: spec.kind,
      siteId: spec.siteId,
      batchId: spec.batchId,
      partnerId: spec.partnerId,
      quantity: spec.quantity,
      reason: spec.reason,
    })),
  );
  if (rows.length) await manager.insert(DispatchAllocation, rows);
}

/** Submit and dispatch-before-approval need every line fully sourced. */
export function assertFullyAllocated(lines: readonly DispatchOrderLine[], allocations: readonly DispatchAllocation[], action: "dispatch.verb.submitIt" | "dispatch.verb.dispatchIt"): void {
  if (!lines.length) userError("input.id", "NOT_ALLOCATED", "dispatch.theOrderHasNoLines", { action: message(action) });
  const short = lines
    .map((line) => ({ line, allocated: allocations.filter((a) => a.lineId === line.id).reduce((sum, a) => sum + a.quantity, 0) }))
    .filter(({ line, allocated }) => allocated !== line.quantity);
  if (short.length) {
    userError(
      "input.id",
      "NOT_ALLOCATED",
      "dispatch.everyLineNeedsSourcesFor", { action: message(action), short: messageList(short.map(({ line, allocated }) => message("dispatch.lineShort", { position: line.position, allocated, quantity: line.quantity }))) },
    );
  }
}

/**
 * Partner call-offs at approval (or dispatch before approval): the agreement must be in force,
 * and agreement stock not over-called. The agreement rows are locked (after the stock rows,
 * by id) so two approvals cannot both take its last units.
 */
export async function checkPartnerSources(manager: EntityManager, allocation: Pick<AllocationService, "partnerCallOffs">, orderId: number, allocations: readonly DispatchAllocation[]): Promise<void> {
  const partnerSources = allocations.filter((a) => a.partnerId !== null);
  if (!partnerSources.length) return;
  const rows: Array<{ id: number; name: string; in_force: boolean }> = await manager.query(
    `SELECT p.id, p.name, (p.status = 'ACTIVE' AND ${LOCAL_TODAY_SQL} BETWEEN p.agreement_starts_on AND p.agreement_ends_on) AS in_force
     FROM reserve_partner p WHERE p.id = ANY($1::int[])`,
    [[...new Set(partnerSources.map((a) => a.partnerId!))]],
  );
  const partners = new Map(rows.map((row) => [row.id, row]));
  const check = new InputErrors();
  for (const partner of partners.values()) {
    if (!partner.in_force) check.add("input.id", "INVALID_STATE", "dispatch.theReserveAgreementWithIs", { name: partner.name });
  }
  const stockCalls = partnerSources.filter((a) => a.sourceKind === AllocationSourceKind.PARTNER_STOCK);
  if (stockCalls.length) {
    const agreements: Array<{ partner_id: number; item_id: number; agreed_quantity: number }> = await manager.query(
      `SELECT partner_id, item_id, agreed_quantity FROM partner_stock_agreement
       WHERE (partner_id, item_id) IN (SELECT * FROM unnest($1::int[], $2::int[])) ORDER BY id FOR UPDATE`,
      [stockCalls.map((a) => a.partnerId!), stockCalls.map((a) => a.itemId)],
    );
    const called = await allocation.partnerCallOffs(manager, stockCalls.map((a) => ({ partnerId: a.partnerId!, itemId: a.itemId })), orderId);
    for (const call of stockCalls) {
      const agreement = agreements.find((a) => a.partner_id === call.partnerId && a.item_id === call.itemId);
      const already = called.get(`${call.partnerId}:${call.itemId}`) ?? 0;
      const left = (agreement?.agreed_quantity ?? 0) - already;
      if (call.quantity > left) {
        check.add("input.id", "INSUFFICIENT_STOCK", "dispatch.hasUnitsOfAgreementStock", { partner: partners.get(call.partnerId!)?.name ?? message("dispatch.thePartner"), max: Math.max(0, left), agreed: agreement?.agreed_quantity ?? 0, already, quantity: call.quantity });
      }
    }
  }
  check.throwIfAny();
}

/** The site-stock sources as the stock ledger's lines (their errors name the order). */
export function siteStockLines(allocations: readonly DispatchAllocation[]) {
  return allocations.filter((a) => a.sourceKind === AllocationSourceKind.SITE_STOCK).map((a) => ({ batchId: a.batchId!, quantity: a.quantity, field: "input.id" }));
}
