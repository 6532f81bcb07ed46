// Supply requests (需求申报 → 审核 → 调拨): submitted from below or by the district, answered by the
// district (approved whole or in part, or rejected), withdrawn, closed; fulfilled by dispatch
// orders made from them (request-fulfilment.ts, called by the dispatch module). Every mutation
// takes its unit of work and is one transaction, `unit.transaction(…)`, which commits the
// mutation's audit entry and idempotency claim with its change; inside it, the mutation
//   1. locks the request row and then its lines (by id), the order every request writer keeps;
//   2. asks the state table (supply-request-state.ts) whether the action is open to this request
//      and actor (role and township scope);
//   3. publishes supplyRequestChanged after COMMIT.
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, recordedBy } from "../../core/access/auth";
import { groupBy, inKeyOrder, rowsByCodes } from "../../core/db/batch";
import { userError } from "../../core/graphql/errors";
import { plainEntity } from "../../core/db/plain-rows";
import { prepared } from "../../core/db/prepared";
import type { EventBus } from "../../core/live/pubsub";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import type { Transaction } from "../../core/db/transaction";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { destinationColumns, parsePlanLines, type AllocationService } from "../allocation/allocation.service";
import { DispatchOrder } from "../dispatch/dispatch-order.entity";
import { DestinationKind, DispatchPriority, DispatchStatus } from "../dispatch/dispatch.enums";
import type { IncidentService } from "../incidents/incident.service";
import { DocumentKind, takeDocumentCode } from "../numbering/document-numbers";
import { subtreeCondition } from "../regions/region.service";
import { MAX_QUANTITY, InputErrors } from "../../core/mutation/input-errors";
import type { RequestFulfilment } from "./request-fulfilment";
import { SupplyRequest, SupplyRequestLine } from "./supply-request.entity";
import { SupplyRequestChange, SupplyRequestPurpose, SupplyRequestStatus } from "./supply-request.enums";
import { SUPPLY_REQUEST_ORDER, type SupplyRequestOrderField } from "./supply-request.orders";
import { SUPPLY_REQUEST_CHANGED, type SupplyRequestChangedEvent } from "./supply-request.events";
import type { ApproveSupplyRequestInput, CancelSupplyRequestInput, CloseSupplyRequestInput, RejectSupplyRequestInput, SubmitSupplyRequestInput, SupplyRequestWhere } from "./supply-request.inputs";
import { assertMaySubmit, RequestAction, transitionFor } from "./supply-request-state";
import { SupplyRequestConnection } from "./supply-request.types";
import { message, messageList } from "../../core/i18n/i18n";

export interface SupplyRequestSettings {
  /** A request unanswered (SUBMITTED) this many hours after submission is overdue (SUPPLY_REQUEST_RESPONSE_HOURS). */
  responseHours: number;
}

/** Most urgent first: the order of the queue. */
const PRIORITY_RANK: readonly DispatchPriority[] = [DispatchPriority.URGENT, DispatchPriority.HIGH, DispatchPriority.NORMAL];
const OPEN_STATUSES: readonly SupplyRequestStatus[] = [SupplyRequestStatus.SUBMITTED, SupplyRequestStatus.APPROVED, SupplyRequestStatus.FULFILLING];
/** Orders whose goods have not left yet: a request is not closed under them. */
const NOT_YET_DISPATCHED: readonly DispatchStatus[] = [DispatchStatus.DRAFT, DispatchStatus.SUBMITTED, DispatchStatus.APPROVED];

const NOTE_MAX = 500;
/** Needed-by times a little in the past are clock skew, not a mistake. */
const NEEDED_BY_SLACK_MS = 10 * 60_000;
const MAX_PEOPLE_SERVED = 10_000_000;


interface LockedRequest {
  request: SupplyRequest;
  regionPath: string;
  lines: Array<{ line: SupplyRequestLine; itemName: string }>;
}

export class SupplyRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly allocation: AllocationService,
    private readonly incidents: IncidentService,
    readonly fulfilment: RequestFulfilment,
    readonly settings: SupplyRequestSettings,
  ) {}

  // ================================================================= reads

  /** Requests by number (KZ-RQ-2026-00001), in the order asked, null where there is none. */
  byCodes(codes: readonly string[]): Promise<(SupplyRequest | null)[]> {
    return rowsByCodes(this.dataSource, SupplyRequest, codes);
  }

  async byIds(ids: readonly number[]): Promise<(SupplyRequest | null)[]> {
    const rows = await this.dataSource.getRepository(SupplyRequest).createQueryBuilder("r").where("r.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async linesByIds(ids: readonly number[]): Promise<(SupplyRequestLine | null)[]> {
    const rows = await this.dataSource.getRepository(SupplyRequestLine).createQueryBuilder("l").where("l.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async linesByRequests(requestIds: readonly number[]): Promise<SupplyRequestLine[][]> {
    const rows = await this.dataSource.getRepository(SupplyRequestLine).createQueryBuilder("l").where("l.request_id = ANY(:ids)", { ids: [...requestIds] }).orderBy("l.position").getMany();
    return groupBy(rows, (row) => row.requestId, requestIds);
  }

  /** The dispatch orders made from each request, oldest first. */
  async ordersByRequests(requestIds: readonly number[]): Promise<DispatchOrder[][]> {
    const rows = await this.dataSource.getRepository(DispatchOrder).createQueryBuilder("o").where("o.request_id = ANY(:ids)", { ids: [...requestIds] }).orderBy("o.id").getMany();
    return groupBy(rows, (row) => row.requestId!, requestIds);
  }

  list(where: SupplyRequestWhere | null | undefined, orderBy: OrderTerm<SupplyRequestOrderField>[] | null | undefined, page: PageArgs): Promise<Connection<SupplyRequest>> {
    const query = this.dataSource.getRepository(SupplyRequest).createQueryBuilder("r");
    if (where?.status) query.andWhere("r.status = :status", { status: where.status });
    if (where?.open != null) query.andWhere(`r.status ${where.open ? "" : "NOT "}IN (:...open)`, { open: [...OPEN_STATUSES] });
    if (where?.overdue != null) {
      query.andWhere(`${where.overdue ? "" : "NOT "}(r.status = :submitted AND r.submitted_at < now() - make_interval(hours => :hours))`, {
        submitted: SupplyRequestStatus.SUBMITTED,
        hours: this.settings.responseHours,
      });
    }
    if (where?.incidentId) query.andWhere("r.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.purpose) query.andWhere("r.purpose = :purpose", { purpose: where.purpose });
    if (where?.priority) query.andWhere("r.priority = :priority", { priority: where.priority });
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`r.destination_region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", ":regionId::int")})`, { regionId });
    }
    return paginate(query, SUPPLY_REQUEST_ORDER.sorting.resolve(orderBy), page, SupplyRequestConnection);
  }

  /** When the district's answer falls due (submission + SUPPLY_REQUEST_RESPONSE_HOURS); null once answered. */
  responseDueAt(request: SupplyRequest): Date | null {
    if (request.status !== SupplyRequestStatus.SUBMITTED) return null;
    return new Date(request.submittedAt.getTime() + this.settings.responseHours * 3_600_000);
  }

  // ================================================================= transaction building blocks

  /** Locks the request row and then its lines (by id); reads the destination's region path. */
  private async lock(manager: EntityManager, globalId: string, field = "input.id"): Promise<LockedRequest> {
    const id = parseGlobalId(globalId, "SupplyRequest", field);
    const requests = plainEntity(manager, SupplyRequest);
    const lines = plainEntity(manager, SupplyRequestLine);
    const [requestRows, lineRows] = await Promise.all([
      prepared(manager, `SELECT ${requests.columns("r")}, g.path AS region_path FROM supply_request r JOIN region g ON g.id = r.destination_region_id WHERE r.id = $1::int FOR UPDATE OF r`, [id]),
      prepared(manager, `SELECT ${lines.columns("l")}, i.name AS item_name FROM supply_request_line l JOIN supply_item i ON i.id = l.item_id WHERE l.request_id = $1::int ORDER BY l.id FOR UPDATE OF l`, [id]),
    ]);
    if (!requestRows.length) userError(field, "NOT_FOUND", "requests.noSuchSupplyRequest");
    return {
      request: requests.toEntity(requestRows[0]),
      regionPath: requestRows[0].region_path as string,
      lines: lineRows.map((row) => ({ line: lines.toEntity(row), itemName: row.item_name as string })).sort((a, b) => a.line.position - b.line.position),
    };
  }

  /** Sets request columns (by property name) and `now()` timestamps in one statement, and reads the timestamps back. */
  private async setRequest(manager: EntityManager, request: SupplyRequest, values: Partial<SupplyRequest>, stampNow: Array<keyof SupplyRequest> = []): Promise<void> {
    const metadata = manager.connection.getMetadata(SupplyRequest);
    const column = (property: string) => metadata.findColumnWithPropertyName(property)!.databaseName;
    const entries = Object.entries(values);
    const stamped = [...stampNow, "updatedAt"] as string[];
    const sets = [...entries.map(([property], i) => `"${column(property)}" = $${i + 2}`), ...stamped.map((property) => `"${column(property)}" = now()`)];
    const returning = stamped.map((property) => `"${column(property)}" AS "${property}"`);
    const [[row]] = await manager.query(`UPDATE supply_request SET ${sets.join(", ")} WHERE id = $1 RETURNING ${returning.join(", ")}`, [request.id, ...entries.map(([, value]) => value)]);
    Object.assign(request, values, row);
  }

  private publish(tx: Transaction, request: SupplyRequest, regionPath: string, change: SupplyRequestChange): void {
    const event: SupplyRequestChangedEvent = { requestId: request.id, change, status: request.status, incidentId: request.incidentId, regionPath, orderId: null, orderChange: null };
    tx.afterCommit(() => this.events.publish(SUPPLY_REQUEST_CHANGED, event));
  }

  // ================================================================= mutations

  /** 需求申报: checked, numbered and SUBMITTED in one transaction. */
  async submit(unit: UnitOfWork, input: SubmitSupplyRequestInput): Promise<{ request: SupplyRequest }> {
    const { actor } = unit;
    const check = new InputErrors();
    const lines = parsePlanLines(input.lines, "input.lines", check).map((line, i) => {
      const given = input.lines[i];
      const neededBy = given.neededBy ?? null;
      if (neededBy && !(neededBy.getTime() >= Date.now() - NEEDED_BY_SLACK_MS)) check.add(`${line.field}.neededBy`, "OUT_OF_RANGE", "requests.neededByMustNotBe");
      return { ...line, neededBy, priority: given.priority ?? DispatchPriority.NORMAL };
    });
    const incidentId = input.incidentId ? parseGlobalId(input.incidentId, "Incident", "input.incidentId") : null;
    if (input.purpose === SupplyRequestPurpose.INCIDENT && incidentId === null) check.add("input.incidentId", "REQUIRED", "requests.aRequestForAnIncident");
    if (input.purpose !== SupplyRequestPurpose.INCIDENT && incidentId !== null) check.add("input.incidentId", "NOT_ALLOWED", "requests.aRequestServesNoIncident", { purpose: input.purpose });
    const peopleServed = input.peopleServed == null ? null : check.wholeNumber(input.peopleServed, "input.peopleServed", 0, MAX_PEOPLE_SERVED);
    const givenName = check.optionalText(input.requesterName, "input.requesterName", 50) ?? null;
    if (!givenName && actor.kind !== "ACCOUNT") check.add("input.requesterName", "REQUIRED", "requests.aRequestEnteredWithAn");
    const requesterPhone = check.phone(input.requesterPhone, "input.requesterPhone") ?? null;
    if (!requesterPhone) check.add("input.requesterPhone", "REQUIRED", "requests.giveAPhoneNumberThe");
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    check.throwIfAny();

    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const destination = await this.allocation.resolveDestination(manager, input.destination, "input.destination");
      if (input.purpose === SupplyRequestPurpose.REPLENISHMENT && destination.kind !== DestinationKind.SITE) {
        userError("input.destination.siteId", "REQUIRED", "requests.aReplenishmentRequestNamesThe");
      }
      assertMaySubmit(actor, destination.regionPath);
      if (incidentId !== null) {
        const incident = await this.incidents.requireOpen(manager, incidentId, "input.incidentId");
        if (incident.districtId !== destination.districtId) userError("input.destination", "MIXED_DISTRICTS", "requests.theDestinationLiesOutsideThe2");
      }
      await this.allocation.checkItems(manager, lines);
      // Who asks is a person to call back: the account holder's name, not the sign-in name.
      const requesterName = givenName ?? (await manager.query(`SELECT display_name FROM account WHERE id = $1`, [actor.id]))[0].display_name;

      // Last before the writes: the district's counter row stays locked until COMMIT.
      const code = await takeDocumentCode(manager, DocumentKind.SUPPLY_REQUEST, destination.districtId);
      const who = recordedBy(actor);
      const neededBys = lines.map((line) => line.neededBy).filter((date): date is Date => date !== null);
      const request = manager.create(SupplyRequest, {
        code,
        districtId: destination.districtId,
        status: SupplyRequestStatus.SUBMITTED,
        purpose: input.purpose,
        incidentId,
        priority: PRIORITY_RANK.find((priority) => lines.some((line) => line.priority === priority))!,
        neededBy: neededBys.length ? new Date(Math.min(...neededBys.map((date) => date.getTime()))) : null,
        peopleServed,
        ...destinationColumns(destination),
        requesterName,
        requesterPhone: requesterPhone!,
        submittedById: who.id,
        submittedBy: who.name,
        note,
      });
      await manager.insert(SupplyRequest, request);
      await manager.insert(
        SupplyRequestLine,
        lines.map((line, i) => ({ requestId: request.id, districtId: request.districtId, position: i + 1, itemId: line.itemId, quantity: line.quantity, neededBy: line.neededBy, priority: line.priority })),
      );
      this.publish(tx, request, destination.regionPath, SupplyRequestChange.SUBMITTED);
      return { request };
    });
  }

  /** 审核: every line approved in full, or each given its own quantity (a cut needs a note). */
  async approve(unit: UnitOfWork, input: ApproveSupplyRequestInput): Promise<{ request: SupplyRequest }> {
    const { actor } = unit;
    const check = new InputErrors();
    const given = input.lines?.map((line, i) => ({
      lineId: parseGlobalId(line.lineId, "SupplyRequestLine", `input.lines[${i}].lineId`),
      quantity: check.wholeNumber(line.approvedQuantity, `input.lines[${i}].approvedQuantity`, 0, MAX_QUANTITY),
      field: `input.lines[${i}]`,
    }));
    given?.forEach((line, i) => {
      if (given.findIndex((other) => other.lineId === line.lineId) !== i) check.add(`${line.field}.lineId`, "DUPLICATE", "requests.eachLineAtMostOnce");
    });
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { request, regionPath, lines } = await this.lock(manager, input.id);
      const transition = transitionFor(RequestAction.APPROVE, request, actor, regionPath);
      for (const line of given ?? []) {
        const target = lines.find((l) => l.line.id === line.lineId);
        if (!target) check.add(`${line.field}.lineId`, "NOT_FOUND", "requests.noSuchLineOnRequest", { code: request.code });
        else if (line.quantity > target.line.quantity) {
          check.add(`${line.field}.approvedQuantity`, "OUT_OF_RANGE", "requests.lineAsksForNoMore", { position: target.line.position, itemName: target.itemName, quantity: target.line.quantity });
        }
      }
      const missing = given ? lines.filter((l) => !given.some((line) => line.lineId === l.line.id)) : [];
      if (missing.length) check.add("input.lines", "REQUIRED", "requests.giveEveryLineItsApproved", { missing: messageList(missing.map((l) => message("requests.lineOfItem", { position: l.line.position, itemName: l.itemName })), "comma") });
      check.throwIfAny();
      const approved = lines.map((l) => given?.find((line) => line.lineId === l.line.id)?.quantity ?? l.line.quantity);
      if (approved.every((quantity) => quantity === 0)) userError("input.lines", "NOTHING_APPROVED", "requests.approvingNothingIsARejection");
      if (!note && approved.some((quantity, i) => quantity < lines[i].line.quantity)) userError("input.note", "REQUIRED", "requests.linesWereCutSayWhy");
      await manager.query(
        `UPDATE supply_request_line SET approved_quantity = input.approved FROM unnest($1::int[], $2::int[]) AS input(id, approved) WHERE supply_request_line.id = input.id`,
        [lines.map((l) => l.line.id), approved],
      );
      const who = recordedBy(actor);
      await this.setRequest(manager, request, { status: transition.to, decidedById: who.id, decidedBy: who.name, decisionNote: note }, ["decidedAt"]);
      this.publish(tx, request, regionPath, SupplyRequestChange.APPROVED);
      return { request };
    });
  }

  async reject(unit: UnitOfWork, input: RejectSupplyRequestInput): Promise<{ request: SupplyRequest }> {
    return this.decideWithReason(unit, input, RequestAction.REJECT, SupplyRequestChange.REJECTED, async (_manager, _request, who, reason) => ({
      values: { decidedById: who.id, decidedBy: who.name, decisionNote: reason },
      stampNow: ["decidedAt"],
    }));
  }

  async cancel(unit: UnitOfWork, input: CancelSupplyRequestInput): Promise<{ request: SupplyRequest }> {
    return this.decideWithReason(unit, input, RequestAction.CANCEL, SupplyRequestChange.CANCELLED, async (_manager, _request, who, reason) => ({
      values: { endedBy: who.name, endReason: reason },
      stampNow: ["endedAt"],
    }));
  }

  /** The rest will not be sent. Orders already dispatched go on (their deliveries still show); one not yet dispatched must be settled first. */
  async close(unit: UnitOfWork, input: CloseSupplyRequestInput): Promise<{ request: SupplyRequest }> {
    return this.decideWithReason(unit, input, RequestAction.CLOSE, SupplyRequestChange.CLOSED, async (manager, request, who, reason) => {
      const pending: Array<{ code: string; status: string }> = await manager.query(`SELECT code, status FROM dispatch_order WHERE request_id = $1 AND status = ANY($2::text[]) ORDER BY id`, [
        request.id,
        [...NOT_YET_DISPATCHED],
      ]);
      if (pending.length) {
        userError("input.id", "ORDERS_PENDING", "requests.ordersMadeFromRequestHave", { code: request.code, pending: pending.map((o) => `${o.code} (${o.status})`).join(", ") });
      }
      return { values: { endedBy: who.name, endReason: reason }, stampNow: ["endedAt"] };
    });
  }

  /**
   * A decision that gives a reason (reject, cancel, close): the reason checked, the request locked,
   * the state machine asked, then what `record` returns written with the new status.
   */
  private async decideWithReason(
    unit: UnitOfWork,
    input: { id: string; reason: string },
    action: RequestAction.REJECT | RequestAction.CANCEL | RequestAction.CLOSE,
    change: SupplyRequestChange,
    record: (manager: EntityManager, request: SupplyRequest, who: { id: number | null; name: string }, reason: string) => Promise<{ values: Partial<SupplyRequest>; stampNow: Array<keyof SupplyRequest> }>,
  ): Promise<{ request: SupplyRequest }> {
    const { actor } = unit;
    const check = new InputErrors();
    const reason = check.text(input.reason, "input.reason", NOTE_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const manager = tx.manager;
      const { request, regionPath } = await this.lock(manager, input.id);
      const transition = transitionFor(action, request, actor, regionPath);
      const { values, stampNow } = await record(manager, request, recordedBy(actor), reason);
      await this.setRequest(manager, request, { status: transition.to, ...values }, stampNow);
      this.publish(tx, request, regionPath, change);
      return { request };
    });
  }
}
