// What the dispatch module reads outside any mutation: orders, lines, sources and write-offs by id
// and by their parent (the batch functions of dispatch.loaders.ts, one statement per relation and
// request), the order lists, and the verbal orders whose approval is overdue.
import type { DataSource } from "typeorm";
import { groupBy, inKeyOrder, rowsByCodes } from "../../core/db/batch";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { DISPATCH_ORDER_ORDER, OVERDUE_APPROVAL_ORDER, type DispatchOrderOrderField } from "./dispatch.orders";
import { subtreeCondition } from "../regions/region.service";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine, DispatchWriteOff } from "./dispatch-order.entity";
import type { DispatchStatus } from "./dispatch.enums";
import type { DispatchOrderWhere } from "./dispatch.inputs";
import { DispatchOrderConnection } from "./dispatch.types";

export interface DispatchSettings {
  /** A verbal order must be approved within this many hours of dispatch (DISPATCH_APPROVAL_DEADLINE_HOURS). */
  approvalDeadlineHours: number;
}


export class DispatchQueries {
  constructor(
    private readonly dataSource: DataSource,
    readonly settings: DispatchSettings,
  ) {}

  /** Orders by document number (KZ-DO-2026-000001), in the order asked, null where there is none. */
  byCodes(codes: readonly string[]): Promise<(DispatchOrder | null)[]> {
    return rowsByCodes(this.dataSource, DispatchOrder, codes);
  }

  async byIds(ids: readonly number[]): Promise<(DispatchOrder | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchOrder).createQueryBuilder("o").where("o.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async linesByIds(ids: readonly number[]): Promise<(DispatchOrderLine | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchOrderLine).createQueryBuilder("l").where("l.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async allocationsByIds(ids: readonly number[]): Promise<(DispatchAllocation | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchAllocation).createQueryBuilder("a").where("a.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async writeOffsByIds(ids: readonly number[]): Promise<(DispatchWriteOff | null)[]> {
    const rows = await this.dataSource.getRepository(DispatchWriteOff).createQueryBuilder("w").where("w.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async linesByOrders(orderIds: readonly number[]): Promise<DispatchOrderLine[][]> {
    const rows = await this.dataSource.getRepository(DispatchOrderLine).createQueryBuilder("l").where("l.order_id = ANY(:ids)", { ids: [...orderIds] }).orderBy("l.position").getMany();
    return groupBy(rows, (row) => row.orderId, orderIds);
  }

  async allocationsByLines(lineIds: readonly number[]): Promise<DispatchAllocation[][]> {
    const rows = await this.dataSource.getRepository(DispatchAllocation).createQueryBuilder("a").where("a.line_id = ANY(:ids)", { ids: [...lineIds] }).orderBy("a.id").getMany();
    return groupBy(rows, (row) => row.lineId, lineIds);
  }

  async writeOffsByOrders(orderIds: readonly number[]): Promise<DispatchWriteOff[][]> {
    const rows = await this.dataSource.getRepository(DispatchWriteOff).createQueryBuilder("w").where("w.order_id = ANY(:ids)", { ids: [...orderIds] }).orderBy("w.id").getMany();
    return groupBy(rows, (row) => row.orderId, orderIds);
  }

  list(where: DispatchOrderWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<DispatchOrderOrderField>[] | null): Promise<Connection<DispatchOrder>> {
    const query = this.dataSource.getRepository(DispatchOrder).createQueryBuilder("o");
    if (where?.incidentId) query.andWhere("o.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.status) query.andWhere("o.status = :status", { status: where.status });
    if (where?.priority) query.andWhere("o.priority = :priority", { priority: where.priority });
    if (where?.pendingApproval != null) query.andWhere("o.pending_approval = :pending", { pending: where.pendingApproval });
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`o.destination_region_id IN (SELECT r.id FROM region r WHERE ${subtreeCondition("r.path", ":regionId::int")})`, { regionId });
    }
    return paginate(query, DISPATCH_ORDER_ORDER.sorting.resolve(orderBy), page, DispatchOrderConnection);
  }

  /** Orders dispatched on a verbal order and still unapproved after the deadline, oldest first. */
  overdueApprovals(page: PageArgs, orderBy?: OrderTerm<DispatchOrderOrderField>[] | null): Promise<Connection<DispatchOrder>> {
    const query = this.dataSource
      .getRepository(DispatchOrder)
      .createQueryBuilder("o")
      .where("o.pending_approval")
      .andWhere("o.dispatched_at < now() - make_interval(hours => :hours)", { hours: this.settings.approvalDeadlineHours });
    return paginate(query, OVERDUE_APPROVAL_ORDER.sorting.resolve(orderBy), page, DispatchOrderConnection);
  }

  /** When a verbal order's approval falls due; null when none is pending. */
  approvalDueAt(order: DispatchOrder): Date | null {
    if (!order.pendingApproval || !order.dispatchedAt) return null;
    return new Date(order.dispatchedAt.getTime() + this.settings.approvalDeadlineHours * 3_600_000);
  }

  /** The newest `limit` orders of each incident (optionally in one state), one statement for many incidents. */
  async incidentOrderPages(incidentIds: readonly number[], limit: number, status: DispatchStatus | null): Promise<DispatchOrder[][]> {
    const rows = await this.dataSource
      .getRepository(DispatchOrder)
      .createQueryBuilder("o")
      .where(
        `o.id IN (SELECT ranked.id FROM (
           SELECT d.id, row_number() OVER (PARTITION BY d.incident_id ORDER BY d.id DESC) AS position
           FROM dispatch_order d WHERE d.incident_id = ANY(:ids) ${status ? "AND d.status = :status" : ""}) ranked
         WHERE ranked.position <= :limit)`,
        { ids: [...incidentIds], status, limit },
      )
      .orderBy("o.id", "DESC")
      .getMany();
    return groupBy(rows, (row) => row.incidentId!, incidentIds);
  }

  async incidentOrderCounts(incidentIds: readonly number[], status: DispatchStatus | null): Promise<number[]> {
    const rows: Array<{ incident_id: number; count: number }> = await this.dataSource.query(
      `SELECT incident_id, count(*)::int AS count FROM dispatch_order WHERE incident_id = ANY($1::int[]) ${status ? "AND status = $2" : ""} GROUP BY incident_id`,
      status ? [[...incidentIds], status] : [[...incidentIds]],
    );
    const byIncident = new Map(rows.map((row) => [row.incident_id, row.count]));
    return incidentIds.map((id) => byIncident.get(id) ?? 0);
  }
}
