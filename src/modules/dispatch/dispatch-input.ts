// An order mutation's input made into checked values, before any transaction. Every static
// problem — a missing field, a bad quantity, a line or source given twice — goes to the
// mutation's InputErrors, so a form can mark them all at once; nothing here reads the database.
// What only rows can tell (a batch's item, a line's units in transit) the commands check under
// the order's lock, into the same InputErrors.
import { parseGlobalId } from "../../core/graphql/relay";
import { MAX_QUANTITY, type InputErrors } from "../../core/mutation/input-errors";
import { parsePlanLines, type PlanLine } from "../allocation/allocation.service";
import { AllocationSourceKind, DispatchPriority, ReturnCondition, type FieldLossReason } from "./dispatch.enums";
import type {
  AllocationInput,
  CancelDispatchOrderInput,
  CloseDispatchOrderInput,
  ConfirmDeliveryInput,
  CreateDispatchOrderInput,
  DispatchLineInput,
  MarkDispatchedInput,
  RecordReturnInput,
  TransportInput,
  UpdateDispatchOrderInput,
  WriteOffLineInput,
} from "./dispatch.inputs";
import type { MessageKey } from "../../core/i18n/i18n";

export const NOTE_MAX = 500;

export interface ManualSource {
  kind: AllocationSourceKind;
  batchId: number | null;
  partnerId: number | null;
  quantity: number;
  field: string;
}

export interface ParsedLines {
  lines: Array<PlanLine & { field: string }>;
  manual: ManualSource[][];
}

export interface Transport {
  vehiclePlate?: string | null;
  driverName?: string | null;
  driverPhone?: string | null;
  greenChannelPass?: string | null;
}

export interface ParsedWriteOff {
  lineId: number;
  quantity: number;
  reason: FieldLossReason;
  /** Whether the units had arrived, as given; null: as the line says (arrivedOf). */
  arrived: boolean | null;
  field: string;
}

/** createDispatchOrder's input. Made from a request, the order's priority may be the request's: the allocation choice is then checked under the request's lock (checkAllocationChoice). */
export function parseCreate(input: CreateDispatchOrderInput, check: InputErrors) {
  const requestId = input.requestId ? parseGlobalId(input.requestId, "SupplyRequest", "input.requestId") : null;
  // Lines left out: the order takes what is left of the request's approved lines (linesLeftOf, under the request's lock).
  const linesGiven = input.lines != null;
  if (!linesGiven && requestId === null) check.add("input.lines", "REQUIRED", "dispatch.linesOrRequest");
  const parsed = linesGiven ? parseLines(input.lines, check) : null;
  const requestLineIds = parseRequestLineIds(input.lines);
  if (requestId === null) {
    checkAllocationChoice(input, parsed, input.priority ?? DispatchPriority.NORMAL, check);
    refuseRequestLines(requestLineIds, "dispatch.requestLineNeedsRequest", check);
  }
  const transport = parseTransport(input.transport, check);
  const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
  const incidentId = input.incidentId ? parseGlobalId(input.incidentId, "Incident", "input.incidentId") : null;
  return { requestId, parsed, requestLineIds, transport, note, incidentId };
}

/** updateDispatchOrder's input: what is left out stays as it is. */
export function parseUpdate(input: UpdateDispatchOrderInput, check: InputErrors) {
  const parsed = input.lines ? parseLines(input.lines, check) : null;
  const requestLineIds = parseRequestLineIds(input.lines);
  const transport = parseTransport(input.transport, check);
  const note = check.optionalText(input.note, "input.note", NOTE_MAX);
  // Left out: unchanged; null: no incident (pre-positioning).
  const incidentId = input.incidentId == null ? input.incidentId : parseGlobalId(input.incidentId, "Incident", "input.incidentId");
  return { parsed, requestLineIds, transport, note, incidentId };
}

export function parseDispatch(input: MarkDispatchedInput, check: InputErrors) {
  const transport = parseTransport(input.transport, check);
  const verbalOrderBy = check.optionalText(input.verbalOrderBy, "input.verbalOrderBy", 50) ?? null;
  return { transport, verbalOrderBy };
}

/** confirmDelivery's input: received quantities per line (each line once) and shortages; at least one of them. */
export function parseReceipt(input: ConfirmDeliveryInput, check: InputErrors) {
  const received = (input.lines ?? []).map((line, i) => ({
    lineId: parseGlobalId(line.lineId, "DispatchOrderLine", `input.lines[${i}].lineId`),
    quantity: check.wholeNumber(line.receivedQuantity, `input.lines[${i}].receivedQuantity`, 0, MAX_QUANTITY),
    field: `input.lines[${i}]`,
  }));
  received.forEach((line, i) => {
    if (received.findIndex((other) => other.lineId === line.lineId) !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "dispatch.eachLineAtMostOnce");
  });
  const { writeOffs: shortages, approvedBy } = parseWriteOffs(
    (input.shortages ?? []).map((shortage) => ({ ...shortage, arrived: false })),
    input.approvedBy,
    check,
    "input.shortages",
  );
  const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
  if (!received.some((line) => line.quantity > 0) && !shortages.length) check.add("input.lines", "REQUIRED", "dispatch.confirmAtLeastOneUnit");
  return { received, shortages, approvedBy, note };
}

/** recordReturn's input: the site receiving, each line once with its condition; damaged items need their approver. */
export function parseReturn(input: RecordReturnInput, check: InputErrors) {
  const siteId = parseGlobalId(input.siteId, "StorageSite", "input.siteId");
  const returns = (input.lines ?? []).map((line, i) => ({
    lineId: parseGlobalId(line.lineId, "DispatchOrderLine", `input.lines[${i}].lineId`),
    quantity: check.quantity(line.quantity, `input.lines[${i}].quantity`),
    condition: line.condition ?? ReturnCondition.GOOD,
    arrived: line.arrived ?? null,
    field: `input.lines[${i}]`,
  }));
  if (!returns.length) check.add("input.lines", "REQUIRED", "dispatch.giveAtLeastOneLine");
  returns.forEach((line, i) => {
    if (returns.findIndex((other) => other.lineId === line.lineId) !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "dispatch.eachLineAtMostOnce2");
  });
  const approvedBy = check.optionalText(input.approvedBy, "input.approvedBy", 50) ?? null;
  if (returns.some((line) => line.condition === ReturnCondition.DAMAGED) && !approvedBy) check.add("input.approvedBy", "REQUIRED", "dispatch.damagedItemsAreWrittenOff");
  const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
  return { siteId, returns, approvedBy, note };
}

export function parseClose(input: CloseDispatchOrderInput, check: InputErrors) {
  const { writeOffs, approvedBy } = parseWriteOffs(input.writeOffs, input.approvedBy, check);
  const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
  return { writeOffs, approvedBy, note };
}

export function parseCancel(input: CancelDispatchOrderInput, check: InputErrors) {
  const reason = check.text(input.reason, "input.reason", NOTE_MAX);
  const { writeOffs, approvedBy } = parseWriteOffs(input.writeOffs, input.approvedBy, check);
  return { reason, writeOffs, approvedBy };
}

export function checkAllocationChoice(input: { autoAllocate?: boolean | null; allowBelowMinimum?: boolean | null }, parsed: ParsedLines | null, priority: DispatchPriority, check: InputErrors): void {
  if (input.autoAllocate && parsed?.manual.some((sources) => sources.length)) check.add("input.autoAllocate", "AMBIGUOUS", "dispatch.giveSourcesByHandOr");
  if (input.allowBelowMinimum && !input.autoAllocate) check.add("input.allowBelowMinimum", "NOT_ALLOWED", "dispatch.allowbelowminimumAppliesToAutoallocate");
  if (input.allowBelowMinimum && priority !== DispatchPriority.URGENT) check.add("input.allowBelowMinimum", "NOT_ALLOWED", "dispatch.onlyUrgentOrdersMayTake");
}

function parseLines(input: readonly DispatchLineInput[] | null | undefined, check: InputErrors): ParsedLines {
  const lines = parsePlanLines(input, "input.lines", check);
  const manual = (input ?? []).map((line, i) => (line.allocations ?? []).map((source, j) => parseSource(source, `input.lines[${i}].allocations[${j}]`, check)));
  manual.forEach((sources, i) => {
    const total = sources.reduce((sum, source) => sum + source.quantity, 0);
    if (lines[i] && total > lines[i].quantity) check.add(`input.lines[${i}].allocations`, "OUT_OF_RANGE", "dispatch.theSourcesAddUpTo", { total, quantity: lines[i].quantity });
    sources.forEach((source, j) => {
      const same = sources.findIndex((other) => other.kind === source.kind && other.batchId === source.batchId && other.partnerId === source.partnerId);
      if (same !== j) check.add(source.field, "DUPLICATE", "dispatch.eachSourceAtMostOnce");
    });
  });
  return { lines, manual };
}

function parseSource(source: AllocationInput, field: string, check: InputErrors): ManualSource {
  const quantity = check.quantity(source.quantity, `${field}.quantity`);
  if (source.batchId && source.partnerId) check.add(field, "AMBIGUOUS", "dispatch.giveABatchOrA");
  if (!source.batchId && !source.partnerId) check.add(field, "REQUIRED", "dispatch.giveAStockBatchOr");
  const kind = source.kind ?? (source.partnerId ? AllocationSourceKind.PARTNER_STOCK : AllocationSourceKind.SITE_STOCK);
  if (source.batchId && kind !== AllocationSourceKind.SITE_STOCK) check.add(`${field}.kind`, "INVALID_VALUE", "dispatch.aBatchIsSiteStock");
  if (source.partnerId && kind === AllocationSourceKind.SITE_STOCK) check.add(`${field}.kind`, "INVALID_VALUE", "dispatch.aPartnerSourceIsPartner");
  return {
    kind,
    batchId: source.batchId ? parseGlobalId(source.batchId, "StockBatch", `${field}.batchId`) : null,
    partnerId: source.partnerId ? parseGlobalId(source.partnerId, "ReservePartner", `${field}.partnerId`) : null,
    quantity,
    field,
  };
}

/** The supply request line each input line names, if any. */
function parseRequestLineIds(input: readonly DispatchLineInput[] | null | undefined): Array<number | null> {
  return (input ?? []).map((line, i) => (line.requestLineId ? parseGlobalId(line.requestLineId, "SupplyRequestLine", `input.lines[${i}].requestLineId`) : null));
}

export function refuseRequestLines(requestLineIds: ReadonlyArray<number | null>, why: MessageKey, check: InputErrors): void {
  requestLineIds.forEach((id, i) => {
    if (id !== null) check.add(`input.lines[${i}].requestLineId`, "NOT_ALLOWED", why);
  });
}

function parseTransport(input: TransportInput | null | undefined, check: InputErrors): Transport {
  if (!input) return {};
  return {
    vehiclePlate: check.optionalText(input.vehiclePlate, "input.transport.vehiclePlate", 20),
    driverName: check.optionalText(input.driverName, "input.transport.driverName", 50),
    driverPhone: check.phone(input.driverPhone, "input.transport.driverPhone"),
    greenChannelPass: check.optionalText(input.greenChannelPass, "input.transport.greenChannelPass", 50),
  };
}

function parseWriteOffs(
  input: ReadonlyArray<Pick<WriteOffLineInput, "lineId" | "quantity" | "reason" | "arrived">> | null | undefined,
  approvedBy: string | null | undefined,
  check: InputErrors,
  path = "input.writeOffs",
): { writeOffs: ParsedWriteOff[]; approvedBy: string | null } {
  const writeOffs = (input ?? []).map((line, i) => ({
    lineId: parseGlobalId(line.lineId, "DispatchOrderLine", `${path}[${i}].lineId`),
    quantity: check.quantity(line.quantity, `${path}[${i}].quantity`),
    reason: line.reason,
    arrived: line.arrived ?? null,
    field: `${path}[${i}]`,
  }));
  writeOffs.forEach((line, i) => {
    const same = writeOffs.findIndex((other) => other.lineId === line.lineId && other.reason === line.reason && other.arrived === line.arrived);
    if (same !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "dispatch.eachLineAndReasonAt");
  });
  const approver = check.optionalText(approvedBy, "input.approvedBy", 50) ?? null;
  if (writeOffs.length && !approver) check.add("input.approvedBy", "REQUIRED", "dispatch.aWriteOffNeedsThe");
  return { writeOffs, approvedBy: approver };
}
