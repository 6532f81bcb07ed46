// Trips (车次): one or several dispatch orders going the same way are given vehicles and drivers;
// the load (order lines × unit weight and volume) is checked against the vehicles' capacity; the
// trip moves LOADING → EN_ROUTE → ARRIVED → RETURNED and the orders show as in transit with its
// expected arrival. At dispatch, an URGENT order on a trip whose usual way crosses a closed road
// needs a valid green-channel pass for each of the trip's vehicles (beforeDispatch, the DispatchGate of modules/dispatch).
//
// Locks, in the order of src/core/README.md: the dispatch order rows first (lockOrders, by id),
// then the trip row, then the transport_resource rows (by id). Two trips racing for one vehicle
// wait on its row; the second finds it ASSIGNED. The database refuses what slips through: a
// vehicle is on at most one active trip (UQ_transport_trip_vehicle_active), a trip's load never
// exceeds its capacity (CHK_transport_trip_load).
import type { DataSource, EntityManager } from "typeorm";
import { assertInScope } from "../../core/access/scope";
import { groupBy, rowsByCodes, rowsByIds } from "../../core/db/batch";
import type { Transaction } from "../../core/db/transaction";
import { UserError, UserErrorsException } from "../../core/graphql/errors";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { message } from "../../core/i18n/i18n";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { recordedBy } from "../../core/access/auth";
import { placeOf, whereaboutsOf } from "../allocation/allocation.service";
import { DispatchOrder } from "../dispatch/dispatch-order.entity";
import type { DispatchGate } from "../dispatch/dispatch-commands.service";
import { lockOrders } from "../dispatch/dispatch-transaction";
import { DispatchPriority, DispatchStatus } from "../dispatch/dispatch.enums";
import { distanceKm, localRoadMinutes } from "../routes/derived-times";
import { TravelMode } from "../routes/routes.enums";
import type { RouteService } from "../routes/routes.service";
import type { Route } from "../routes/travel-graph";
import { subtreeCondition } from "../regions/region.service";
import { TransportKind, TransportStatus, TravelBy, TripStatus } from "./transport.enums";
import type { PassService } from "./passes.service";
import { translateBusy, type TransportService } from "./transport.service";
import { TransportTrip, TripVehicle } from "./trip.entity";
import type { AssignTripInput, TripWhere, UpdateTripStatusInput } from "./transport.inputs";
import { TRIP_ORDER, type TripOrderField } from "./transport.orders";

export const TransportTripConnection = ConnectionType(TransportTrip, "TransportTrip", "车次分页。A page of trips.");

const MAX_ORDERS = 20;
const MAX_VEHICLES = 20;
const DRONE_SPEED_KMH = 60;

/** Orders a trip may be assigned to: not yet delivered, closed or cancelled. */
const ASSIGNABLE_ORDER: readonly DispatchStatus[] = [DispatchStatus.DRAFT, DispatchStatus.SUBMITTED, DispatchStatus.APPROVED, DispatchStatus.DISPATCHED];
/** Orders that are on their way: a trip leaves only with these. */
const SENT_ORDER: readonly DispatchStatus[] = [DispatchStatus.DISPATCHED, DispatchStatus.DELIVERED];
/** Trips still holding their vehicles and their orders. */
export const MOVING_TRIP: readonly TripStatus[] = [TripStatus.LOADING, TripStatus.EN_ROUTE];

/** The next status each status may take, in one table (updateTripStatus asks it). */
const TRIP_TRANSITIONS: Readonly<Record<TripStatus, readonly TripStatus[]>> = {
  LOADING: [TripStatus.EN_ROUTE, TripStatus.CANCELLED],
  EN_ROUTE: [TripStatus.ARRIVED, TripStatus.RETURNED],
  ARRIVED: [TripStatus.RETURNED],
  RETURNED: [],
  CANCELLED: [],
};

/** The order's transport as trips tell it (DispatchOrder.transitState). */
export enum OrderTransitState {
  LOADING = "LOADING",
  EN_ROUTE = "EN_ROUTE",
  ARRIVED = "ARRIVED",
}

function travelByOf(kinds: readonly TransportKind[]): TravelBy | null {
  const by = new Set(kinds.map((kind) => (kind === TransportKind.BOAT ? TravelBy.WATER : kind === TransportKind.DRONE ? TravelBy.AIR : TravelBy.ROAD)));
  return by.size === 1 ? [...by][0] : null;
}

interface TripRoute {
  /** The way now, closures respected (for a boat: water links only). */
  actual: Route | null;
  /** Minutes from origin to destination: by the way now, or, when the roads are cut, the straight line at road speed. */
  minutes: number;
  /** What closes the usual way (null when nothing does): a trip through it needs a pass. */
  closedBy: string | null;
  text: string | null;
}

export class TripService implements DispatchGate {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: TransportService,
    private readonly passes: PassService,
    private readonly routes: RouteService,
  ) {}

  // ---------------------------------------------------------------- reads (loaders)

  byIds = (ids: readonly number[]) => rowsByIds(this.dataSource, TransportTrip, ids);
  byCodes = (codes: readonly string[]) => rowsByCodes(this.dataSource, TransportTrip, codes);

  vehiclesByTrips = async (tripIds: readonly number[]): Promise<TripVehicle[][]> => {
    const rows = await this.dataSource.getRepository(TripVehicle).createQueryBuilder("v").where("v.trip_id = ANY(:ids)", { ids: [...tripIds] }).orderBy("v.vehicle_id").getMany();
    return groupBy(rows, (row) => row.tripId, tripIds);
  };

  orderIdsByTrips = async (tripIds: readonly number[]): Promise<number[][]> => {
    const rows: Array<{ trip_id: number; order_id: number }> = await this.dataSource.query(`SELECT trip_id, order_id FROM transport_trip_order WHERE trip_id = ANY($1::int[]) ORDER BY order_id`, [[...tripIds]]);
    return groupBy(rows, (row) => row.trip_id, tripIds).map((list) => list.map((row) => row.order_id));
  };

  /** Every trip of each order, newest first, in one statement. */
  tripsByOrders = async (orderIds: readonly number[]): Promise<TransportTrip[][]> => {
    const rows = await this.dataSource
      .getRepository(TransportTrip)
      .createQueryBuilder("trip")
      .innerJoin("transport_trip_order", "tro", "tro.trip_id = trip.id")
      .addSelect("tro.order_id", "order_id")
      .where("tro.order_id = ANY(:ids)", { ids: [...orderIds] })
      .orderBy("trip.id", "DESC")
      .getRawAndEntities();
    const byOrder = new Map<number, TransportTrip[]>(orderIds.map((id) => [id, []]));
    rows.raw.forEach((raw, i) => {
      const trip = rows.entities.find((entity) => entity.id === Number(raw.trip_id));
      if (trip) byOrder.get(Number(raw.order_id))?.push(trip);
    });
    return orderIds.map((id) => byOrder.get(id)!);
  };

  async list(where: TripWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<TripOrderField>[] | null) {
    const query = this.dataSource.getRepository(TransportTrip).createQueryBuilder("trip");
    if (where?.status) query.andWhere("trip.status = :status", { status: where.status });
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`EXISTS (SELECT 1 FROM region dr WHERE dr.id = trip.destination_region_id AND ${subtreeCondition("dr.path", ":regionId")})`, { regionId });
    }
    if (where?.vehicleId) {
      const vehicleId = parseGlobalId(where.vehicleId, "TransportResource", "where.vehicleId");
      query.andWhere("EXISTS (SELECT 1 FROM transport_trip_vehicle tv WHERE tv.trip_id = trip.id AND tv.vehicle_id = :vehicleId)", { vehicleId });
    }
    return paginate(query, TRIP_ORDER.sorting.resolve(orderBy), page, TransportTripConnection);
  }

  // ---------------------------------------------------------------- routing

  /** The trip's way from its loading site to the order's destination, by its mode. */
  private async routeOf(manager: EntityManager, travelBy: TravelBy, originSiteId: number, order: DispatchOrder, regionPath: string): Promise<TripRoute> {
    const [site] = await manager.query(`SELECT s.latitude, s.longitude, r.path FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = $1`, [originSiteId]);
    const from = { latitude: site.latitude as number, longitude: site.longitude as number };
    const to = { latitude: order.destinationLatitude, longitude: order.destinationLongitude };
    if (travelBy === TravelBy.AIR) {
      return { actual: null, minutes: Math.max(1, Math.round((distanceKm(from, to) * 60) / DRONE_SPEED_KMH)), closedBy: null, text: null };
    }
    const map = await this.routes.districtGraph(manager, order.districtId);
    const graph = map.graph.onlyMode(travelBy === TravelBy.WATER ? TravelMode.WATER : TravelMode.ROAD);
    const destination = placeOf(map, to, whereaboutsOf(regionPath).townshipId, order.destinationSiteId);
    const origin = placeOf(map, from, whereaboutsOf(String(site.path)).townshipId, originSiteId);
    const actual = graph.routesTo(destination).from(origin);
    const minutes = actual.reachable ? actual.minutes : localRoadMinutes(from, to);
    return { actual, minutes, closedBy: actual.detour ?? (actual.reachable ? null : actual.path), text: actual.reachable ? actual.path : null };
  }

  // ---------------------------------------------------------------- assigning

  async assign(unit: UnitOfWork, input: AssignTripInput): Promise<{ trip: TransportTrip }> {
    const { actor } = unit;
    const check = new InputErrors();
    if (input.orderIds.length === 0 || input.orderIds.length > MAX_ORDERS) check.add("input.orderIds", "OUT_OF_RANGE", "transport.ordersPerTrip", { max: MAX_ORDERS });
    if (input.vehicles.length === 0 || input.vehicles.length > MAX_VEHICLES) check.add("input.vehicles", "OUT_OF_RANGE", "transport.vehiclesPerTrip", { max: MAX_VEHICLES });
    const orderIds = input.orderIds.map((id, i) => parseGlobalId(id, "DispatchOrder", `input.orderIds[${i}]`));
    const vehicles = input.vehicles.map((vehicle, i) => {
      const field = `input.vehicles[${i}]`;
      check.phone(vehicle.driverPhone, `${field}.driverPhone`);
      return { id: parseGlobalId(vehicle.vehicleId, "TransportResource", `${field}.vehicleId`), driverName: check.text(vehicle.driverName, `${field}.driverName`, 50), driverPhone: vehicle.driverPhone, field };
    });
    if (new Set(orderIds).size !== orderIds.length) check.add("input.orderIds", "DUPLICATE", "transport.orderTwice");
    if (new Set(vehicles.map((v) => v.id)).size !== vehicles.length) check.add("input.vehicles", "DUPLICATE", "transport.vehicleTwice");
    const originSiteId = input.originSiteId ? parseGlobalId(input.originSiteId, "StorageSite", "input.originSiteId") : null;
    check.throwIfAny();

    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      // 1. the orders, locked first (an order is on one moving trip at a time)
      const locked = await lockOrders(manager, orderIds);
      const orders = orderIds.map((id, i) => {
        const found = locked.get(id);
        if (!found) userError(`input.orderIds[${i}]`, "NOT_FOUND", "transport.noSuchOrder");
        assertInScope(actor, found.regionPath, message("scope.what.orderDestination"));
        if (!ASSIGNABLE_ORDER.includes(found.order.status)) {
          check.add(`input.orderIds[${i}]`, "INVALID_STATE", "transport.orderNotAssignable", { code: found.order.code, status: found.order.status });
        }
        return found;
      });
      const townships = new Set(orders.map((o) => whereaboutsOf(o.regionPath).townshipId ?? o.order.destinationRegionId));
      if (townships.size > 1) check.add("input.orderIds", "NOT_SAME_WAY", "transport.ordersGoDifferentWays");
      const busy: Array<{ order_id: number; code: string }> = await manager.query(
        `SELECT tro.order_id, t.code FROM transport_trip_order tro JOIN transport_trip t ON t.id = tro.trip_id WHERE tro.order_id = ANY($1::int[]) AND t.status IN ('LOADING', 'EN_ROUTE')`,
        [orderIds],
      );
      for (const row of busy) {
        const i = orderIds.indexOf(row.order_id);
        check.add(`input.orderIds[${i}]`, "ALREADY_ON_TRIP", "transport.orderAlreadyOnTrip", { code: orders[i].order.code, trip: row.code });
      }
      // 2. the vehicles, locked in id order: the second of two trips racing for one waits here, then finds it ASSIGNED
      const resources = await this.transport.lockResources(manager, vehicles.map((v) => v.id));
      for (const vehicle of vehicles) {
        const found = resources.get(vehicle.id);
        if (!found) userError(`${vehicle.field}.vehicleId`, "NOT_FOUND", "transport.noSuchResource");
        assertInScope(actor, found.basePath, message("transport.scope.resourceBase", { code: found.resource.code }));
        const status = found.resource.status;
        if (status !== TransportStatus.AVAILABLE && status !== TransportStatus.REQUISITIONED) {
          check.add(`${vehicle.field}.vehicleId`, "VEHICLE_BUSY", "transport.resourceBusy", { code: found.resource.code, status });
        }
      }
      const used = vehicles.map((v) => resources.get(v.id)!);
      const travelBy = travelByOf(used.map((u) => u.resource.kind));
      if (!travelBy) check.add("input.vehicles", "MIXED_MODES", "transport.mixedModes");
      check.throwIfAny();

      // 3. the load against the capacity
      const load = await this.loadOf(manager, orderIds);
      if (load.missing.length) userError("input.orderIds", "MISSING_MEASURE", "transport.itemsWithoutMeasure", { items: load.missing.join("、") });
      const capacityKg = used.reduce((sum, u) => sum + u.resource.capacityKg, 0);
      const capacityM3 = used.reduce((sum, u) => sum + u.resource.capacityM3, 0);
      if (load.kg > capacityKg) check.add("input.vehicles", "OVER_CAPACITY", "transport.overWeight", { load: Math.ceil(load.kg), capacity: capacityKg });
      if (load.m3 > capacityM3) check.add("input.vehicles", "OVER_CAPACITY", "transport.overVolume", { load: load.m3.toFixed(2), capacity: capacityM3.toFixed(2) });
      check.throwIfAny();

      // 4. where it loads and the way it goes
      const origin = originSiteId ?? (await this.firstSourceSite(manager, orderIds));
      if (origin === null) userError("input.originSiteId", "REQUIRED", "transport.originRequired");
      const [site] = await manager.query(`SELECT r.path FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = $1`, [origin]);
      if (!site) userError("input.originSiteId", "NOT_FOUND", "transport.noSuchSite");
      const first = orders[0];
      const route = await this.routeOf(manager, travelBy!, origin, first.order, first.regionPath);
      if (travelBy === TravelBy.WATER && !route.actual?.reachable) userError("input.vehicles", "NO_WATER_ROUTE", "transport.noWaterRoute");

      const [{ id }] = await manager.query(`SELECT nextval(pg_get_serial_sequence('transport_trip', 'id'))::int AS id`);
      await manager.query(
        `INSERT INTO transport_trip (id, code, status, travel_by, origin_site_id, destination_region_id, load_kg, load_m3, capacity_kg, capacity_m3, route_text, assigned_by, note)
         VALUES ($1::int, 'KZ-TR-' || lpad($1::int::text, 6, '0'), 'LOADING', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [id, travelBy, origin, first.order.destinationRegionId, load.kg, load.m3, capacityKg, capacityM3, route.text, recordedBy(actor).name, input.note ?? null],
      );
      await manager.query(`INSERT INTO transport_trip_order (trip_id, order_id) SELECT $1, unnest($2::int[])`, [id, orderIds]);
      await manager
        .query(`INSERT INTO transport_trip_vehicle (trip_id, vehicle_id, driver_name, driver_phone, active) SELECT $1, v.id, v.name, v.phone, true FROM unnest($2::int[], $3::text[], $4::text[]) AS v(id, name, phone)`, [
          id,
          vehicles.map((v) => v.id),
          vehicles.map((v) => v.driverName),
          vehicles.map((v) => v.driverPhone),
        ])
        .catch((error) => translateBusy(error, "input.vehicles", "VEHICLE_BUSY"));
      await this.transport.setStatus(tx, used, TransportStatus.ASSIGNED);
      const trip = await manager.findOneByOrFail(TransportTrip, { id });
      this.publish(tx, trip, vehicles.map((v) => v.id), orders.map((o) => o.regionPath));
      return { trip };
    });
  }

  /** The orders' lines × their items' unit weight and volume; items without a measure by name. */
  private async loadOf(manager: EntityManager, orderIds: readonly number[]): Promise<{ kg: number; m3: number; missing: string[] }> {
    const rows: Array<{ name: string; quantity: number; w: number | null; v: number | null }> = await manager.query(
      `SELECT i.name, sum(l.quantity)::int AS quantity, m.unit_weight_kg AS w, m.unit_volume_m3 AS v
       FROM dispatch_order_line l JOIN supply_item i ON i.id = l.item_id LEFT JOIN item_transport_measure m ON m.item_id = l.item_id
       WHERE l.order_id = ANY($1::int[]) GROUP BY i.id, i.name, m.unit_weight_kg, m.unit_volume_m3 ORDER BY i.id`,
      [[...orderIds]],
    );
    const missing = rows.filter((row) => row.w === null).map((row) => row.name);
    const kg = rows.reduce((sum, row) => sum + row.quantity * (row.w ?? 0), 0);
    const m3 = rows.reduce((sum, row) => sum + row.quantity * (row.v ?? 0), 0);
    return { kg: Math.round(kg * 1000) / 1000, m3: Math.round(m3 * 1000) / 1000, missing };
  }

  private async firstSourceSite(manager: EntityManager, orderIds: readonly number[]): Promise<number | null> {
    const [row] = await manager.query(`SELECT site_id FROM dispatch_allocation WHERE order_id = ANY($1::int[]) AND site_id IS NOT NULL ORDER BY order_id, id LIMIT 1`, [[...orderIds]]);
    return row ? (row.site_id as number) : null;
  }

  private publish(tx: Transaction, trip: TransportTrip, vehicleIds: number[], regionPaths: string[]): void {
    this.transport.publishTrip(tx, trip.id, vehicleIds, [...new Set(regionPaths)]);
  }

  // ---------------------------------------------------------------- the life cycle

  async updateStatus(unit: UnitOfWork, input: UpdateTripStatusInput): Promise<{ trip: TransportTrip }> {
    const { actor } = unit;
    const tripId = parseGlobalId(input.tripId, "TransportTrip", "input.tripId");
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const orderIds = (await this.orderIdsOf(manager, tripId)) ?? userError("input.tripId", "NOT_FOUND", "transport.noSuchTrip");
      const orders = [...(await lockOrders(manager, orderIds)).values()];
      const trip = await manager.findOne(TransportTrip, { where: { id: tripId }, lock: { mode: "pessimistic_write" } });
      if (!trip) userError("input.tripId", "NOT_FOUND", "transport.noSuchTrip");
      for (const { regionPath } of orders) assertInScope(actor, regionPath, message("scope.what.orderDestination"));
      if (!TRIP_TRANSITIONS[trip.status].includes(input.status)) {
        userError("input.status", "INVALID_STATE", "transport.tripCannotGo", { code: trip.code, from: trip.status, to: input.status, allowed: TRIP_TRANSITIONS[trip.status].join(", ") || "—" });
      }
      const vehicleRows: Array<{ vehicle_id: number }> = await manager.query(`SELECT vehicle_id FROM transport_trip_vehicle WHERE trip_id = $1 ORDER BY vehicle_id`, [trip.id]);
      const vehicleIds = vehicleRows.map((row) => row.vehicle_id);
      const values: Partial<TransportTrip> = { status: input.status };
      if (input.status === TripStatus.EN_ROUTE) {
        const unsent = orders.filter((o) => !SENT_ORDER.includes(o.order.status));
        if (unsent.length) userError("input.tripId", "ORDERS_NOT_DISPATCHED", "transport.dispatchOrdersFirst", { orders: unsent.map((o) => `${o.order.code} (${o.order.status})`).join("、") });
        if (input.expectedArrivalAt && input.expectedArrivalAt.getTime() <= Date.now()) userError("input.expectedArrivalAt", "IN_PAST", "transport.arrivalInPast");
        const route = await this.routeOf(manager, trip.travelBy, trip.originSiteId, orders[0].order, orders[0].regionPath);
        values.departedAt = new Date();
        values.expectedArrivalAt = input.expectedArrivalAt ?? new Date(values.departedAt.getTime() + route.minutes * 60_000);
      } else if (input.expectedArrivalAt) {
        userError("input.expectedArrivalAt", "NOT_ALLOWED", "transport.arrivalOnlyOnDeparture");
      }
      if (input.status === TripStatus.ARRIVED) values.arrivedAt = new Date();
      if (input.status === TripStatus.RETURNED || input.status === TripStatus.CANCELLED) {
        values.finishedAt = new Date();
        await manager.query(`UPDATE transport_trip_vehicle SET active = false WHERE trip_id = $1`, [trip.id]);
        const resources = [...(await this.transport.lockResources(manager, vehicleIds)).values()];
        // Back to REQUISITIONED while its requisition is active; AVAILABLE otherwise.
        const held: Array<{ resource_id: number }> = await manager.query(`SELECT resource_id FROM requisition WHERE resource_id = ANY($1::int[]) AND status = 'ACTIVE'`, [vehicleIds]);
        const heldIds = new Set(held.map((row) => row.resource_id));
        await this.transport.setStatus(tx, resources.filter((r) => heldIds.has(r.resource.id)), TransportStatus.REQUISITIONED);
        await this.transport.setStatus(tx, resources.filter((r) => !heldIds.has(r.resource.id)), TransportStatus.AVAILABLE);
      }
      await manager.update(TransportTrip, { id: trip.id }, values);
      Object.assign(trip, values);
      this.publish(tx, trip, vehicleIds, orders.map((o) => o.regionPath));
      return { trip };
    });
  }

  private async orderIdsOf(manager: EntityManager, tripId: number): Promise<number[] | null> {
    const rows: Array<{ order_id: number }> = await manager.query(`SELECT order_id FROM transport_trip_order WHERE trip_id = $1 ORDER BY order_id`, [tripId]);
    return rows.length ? rows.map((row) => row.order_id) : null;
  }

  // ---------------------------------------------------------------- the pass check at dispatch

  /**
   * Called by markDispatched (modules/dispatch) with the order locked: an URGENT order on a
   * moving trip whose usual way crosses a closed road needs, for each vehicle of that trip, a
   * green-channel pass valid now and good for the destination. Orders without trips (transport
   * as strings, before issue 20) are not checked.
   */
  async beforeDispatch(manager: EntityManager, order: DispatchOrder, regionPath: string): Promise<void> {
    if (order.priority !== DispatchPriority.URGENT) return;
    const trips: Array<{ id: number; code: string; travel_by: TravelBy; origin_site_id: number }> = await manager.query(
      `SELECT t.id, t.code, t.travel_by, t.origin_site_id FROM transport_trip t JOIN transport_trip_order tro ON tro.trip_id = t.id
       WHERE tro.order_id = $1 AND t.status IN ('LOADING', 'EN_ROUTE') ORDER BY t.id`,
      [order.id],
    );
    const errors: UserError[] = [];
    for (const trip of trips) {
      const route = await this.routeOf(manager, trip.travel_by, trip.origin_site_id, order, regionPath);
      if (route.closedBy === null) continue;
      const vehicles: Array<{ vehicle_id: number; code: string }> = await manager.query(
        `SELECT tv.vehicle_id, r.code FROM transport_trip_vehicle tv JOIN transport_resource r ON r.id = tv.vehicle_id WHERE tv.trip_id = $1 ORDER BY tv.vehicle_id`,
        [trip.id],
      );
      const covered = await this.passes.vehiclesWithValidPass(manager, vehicles.map((v) => v.vehicle_id), regionPath, new Date());
      for (const vehicle of vehicles.filter((v) => !covered.has(v.vehicle_id))) {
        errors.push(new UserError("input.id", "PASS_REQUIRED", "transport.passRequired", { vehicle: vehicle.code, trip: trip.code, closure: route.closedBy }));
      }
    }
    if (errors.length) throw new UserErrorsException(errors);
  }

  /**
   * What the order's trips say of its transport: the newest trip not returned or cancelled; and
   * once the trips are back (RETURNED) while the order is still DISPATCHED, not yet confirmed
   * delivered, ARRIVED: the goods got there with the vehicle, and only the receipt is missing.
   * expectedArrivalAt is the trip's estimate while EN_ROUTE and the arrival time once ARRIVED.
   */
  static transitOf(trips: readonly TransportTrip[], orderStatus: DispatchStatus): { state: OrderTransitState | null; expectedArrivalAt: Date | null } {
    const current =
      trips.find((trip) => trip.status === TripStatus.LOADING || trip.status === TripStatus.EN_ROUTE || trip.status === TripStatus.ARRIVED) ??
      (orderStatus === DispatchStatus.DISPATCHED ? trips.find((trip) => trip.status === TripStatus.RETURNED) : undefined);
    if (!current) return { state: null, expectedArrivalAt: null };
    if (current.status === TripStatus.EN_ROUTE) return { state: OrderTransitState.EN_ROUTE, expectedArrivalAt: current.expectedArrivalAt };
    if (current.status === TripStatus.LOADING) return { state: OrderTransitState.LOADING, expectedArrivalAt: null };
    return { state: OrderTransitState.ARRIVED, expectedArrivalAt: current.arrivedAt ?? current.finishedAt ?? current.expectedArrivalAt };
  }
}

