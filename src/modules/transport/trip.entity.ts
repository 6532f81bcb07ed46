// Trips (车次): vehicles with their drivers carrying one or several dispatch orders going the
// same way, LOADING → EN_ROUTE → ARRIVED → RETURNED. The source of truth for an order's transport
// from issue 20 on (the order's own plate/driver/pass strings stay readable for older orders).
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, Float, ID, ObjectType } from "type-graphql";
import { maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { DispatchOrder } from "../dispatch/dispatch-order.entity";
import { Region } from "../regions/region.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { sqlList, TravelBy, TripStatus } from "./transport.enums";
import { TransportResource } from "./transport.entity";

@ObjectType({ implements: Node, description: "车次 A trip: vehicles and drivers carrying one or several dispatch orders from one site toward one destination." })
@Entity("transport_trip")
@Unique("UQ_transport_trip_code", ["code"])
@Index("IDX_transport_trip_status", ["status", "id"])
@Index("IDX_transport_trip_destination", ["destinationRegionId", "id"])
@Check("CHK_transport_trip_status", `"status" IN (${sqlList(Object.values(TripStatus))})`)
@Check("CHK_transport_trip_travel_by", `"travel_by" IN (${sqlList(Object.values(TravelBy))})`)
@Check("CHK_transport_trip_load", `"load_kg" >= 0 AND "load_m3" >= 0 AND "load_kg" <= "capacity_kg" AND "load_m3" <= "capacity_m3"`)
export class TransportTrip {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_transport_trip" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("TransportTrip", this.id);
  }

  @Field(() => String, { description: "车次编号。Reference, e.g. KZ-TR-000007." })
  @Column({ type: "text" })
  code: string;

  @Field(() => TripStatus, { description: "车次状态。Where the trip stands." })
  @Column({ type: "text" })
  status: TripStatus;

  @Field(() => TravelBy, { description: "运输方式。Road, water (boats) or air (drones)." })
  @Column({ name: "travel_by", type: "text" })
  travelBy: TravelBy;

  @Column({ name: "origin_site_id", type: "integer" })
  originSiteId: number;

  @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "origin_site_id", foreignKeyConstraintName: "FK_transport_trip_origin_site" })
  originSiteRow?: StorageSite;

  @Column({ name: "destination_region_id", type: "integer" })
  destinationRegionId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "destination_region_id", foreignKeyConstraintName: "FK_transport_trip_destination_region" })
  destinationRegionRow?: Region;

  @Field(() => Float, { description: "装载重量 Load in kg: the orders' lines × each item's unit weight." })
  @Column({ name: "load_kg", type: "double precision" })
  loadKg: number;

  @Field(() => Float, { description: "装载体积 Load in m³." })
  @Column({ name: "load_m3", type: "double precision" })
  loadM3: number;

  @Field(() => Float, { description: "总载重 Capacity of the trip's vehicles together, kg." })
  @Column({ name: "capacity_kg", type: "double precision" })
  capacityKg: number;

  @Field(() => Float, { description: "总容积 Capacity of the trip's vehicles together, m³." })
  @Column({ name: "capacity_m3", type: "double precision" })
  capacityM3: number;

  @Field(() => String, { nullable: true, description: "路线 The way planned, from the travel-time table, e.g. 区级库 → 赵家街道 → 汉丰街道." })
  @Column({ name: "route_text", type: "text", nullable: true })
  routeText: string | null;

  @Field(() => Date, { nullable: true, description: "预计到达 Expected arrival: set on departure from the travel-time table (or given)." })
  @Column({ name: "expected_arrival_at", type: "timestamptz", nullable: true })
  expectedArrivalAt: Date | null;

  @Field(() => Date, { description: "派车时间。When the vehicles were assigned." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "出发时间。When it left." })
  @Column({ name: "departed_at", type: "timestamptz", nullable: true })
  departedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "到达时间。When it arrived." })
  @Column({ name: "arrived_at", type: "timestamptz", nullable: true })
  arrivedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "返回时间。When the vehicles were back (or the trip was cancelled)." })
  @Column({ name: "finished_at", type: "timestamptz", nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { description: "派车人 Who assigned the vehicles — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "assigned_by", type: "text" })
  assignedBy: string;

  @Field(() => String, { nullable: true, description: "备注 Free-text note." })
  @Column({ type: "text", nullable: true })
  note: string | null;
}

/** The orders a trip carries (whole orders: a big order gets several vehicles on one trip). */
@Entity("transport_trip_order")
@Index("IDX_transport_trip_order_order", ["orderId"])
export class TripOrder {
  @PrimaryColumn({ name: "trip_id", type: "integer", primaryKeyConstraintName: "PK_transport_trip_order" })
  tripId: number;

  @PrimaryColumn({ name: "order_id", type: "integer", primaryKeyConstraintName: "PK_transport_trip_order" })
  orderId: number;

  @ManyToOne(() => TransportTrip, { onDelete: "CASCADE" })
  @JoinColumn({ name: "trip_id", foreignKeyConstraintName: "FK_transport_trip_order_trip" })
  trip?: TransportTrip;

  @ManyToOne(() => DispatchOrder, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "order_id", foreignKeyConstraintName: "FK_transport_trip_order_order" })
  order?: DispatchOrder;
}

@ObjectType({ description: "车次车辆 One vehicle of a trip with its driver. The driver's name and phone are personal data." })
@Entity("transport_trip_vehicle")
@Index("IDX_transport_trip_vehicle_vehicle", ["vehicleId"])
// One vehicle is on at most one unfinished trip: the database refuses a second (two orders racing for one vehicle).
@Index("UQ_transport_trip_vehicle_active", ["vehicleId"], { unique: true, where: `"active"` })
export class TripVehicle {
  @PrimaryColumn({ name: "trip_id", type: "integer", primaryKeyConstraintName: "PK_transport_trip_vehicle" })
  tripId: number;

  @PrimaryColumn({ name: "vehicle_id", type: "integer", primaryKeyConstraintName: "PK_transport_trip_vehicle" })
  vehicleId: number;

  @ManyToOne(() => TransportTrip, { onDelete: "CASCADE" })
  @JoinColumn({ name: "trip_id", foreignKeyConstraintName: "FK_transport_trip_vehicle_trip" })
  trip?: TransportTrip;

  @ManyToOne(() => TransportResource, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "vehicle_id", foreignKeyConstraintName: "FK_transport_trip_vehicle_vehicle" })
  vehicle?: TransportResource;

  @Field(() => String, { description: "驾驶员 Driver — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "driver_name", type: "text" })
  driverName: string;

  @Field(() => String, { description: "驾驶员电话 Driver's phone — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskPhone })
  @Column({ name: "driver_phone", type: "text" })
  driverPhone: string;

  /** True until the trip returns or is cancelled. */
  @Column({ type: "boolean", default: true })
  active: boolean;
}
