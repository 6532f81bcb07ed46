import { Field, Float, ID, InputType, Int } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { MutationInput } from "../../core/mutation/mutation-input";
import { PartnerStatus, RateBasis, RequisitionStatus, SettlementStatus, TransportKind, TransportOwnerKind, TransportStatus, TripStatus } from "./transport.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { INCIDENT, REGION, TRANSPORT_RESOURCE } from "../known-codes";

// ---------------------------------------------------------------- resources and partners

@InputType({ description: "登记协议运力企业。Register a partner logistics enterprise and its agreement (ADMIN)." })
export class CreateLogisticsPartnerInput extends MutationInput {
  @Field(() => String, { description: "企业编码。Stable code, e.g. KZ-LP-06." })
  code: string;

  @Field(() => String, { description: "企业名称。Registered name." })
  name: string;

  @Field(() => ID, { description: "所在区域。Township or village where it is based." })
  regionId: string;

  @Field(() => String, { nullable: true, description: "联系人。Contact person." })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: "联系电话。Contact phone." })
  contactPhone?: string | null;

  @Field(() => String, { description: "协议编号。Agreement number." })
  agreementNumber: string;

  @Field(() => LocalDateResolver, { description: "协议起始日期。First day in force." })
  agreementStartsOn: string;

  @Field(() => LocalDateResolver, { description: "协议终止日期。Last day in force (not before the first)." })
  agreementEndsOn: string;

  @Field(() => Int, { description: "承诺车辆数。Vehicles committed on call (0–1000)." })
  vehiclesCommitted: number;

  @Field(() => Int, { description: "响应时间。Minutes until the vehicles are at the loading site (1–4320)." })
  responseMinutes: number;
}

@InputType({ description: "修改协议运力企业。Change a partner's agreement (ADMIN). Omitted fields stay." })
export class UpdateLogisticsPartnerInput extends MutationInput {
  @Field(() => ID, { description: "协议运力企业。The partner." })
  partnerId: string;

  @Field(() => Int, { nullable: true, description: "承诺车辆数。Vehicles committed." })
  vehiclesCommitted?: number | null;

  @Field(() => Int, { nullable: true, description: "响应时间（分钟）。Response minutes." })
  responseMinutes?: number | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "协议终止日期。New last day in force." })
  agreementEndsOn?: string | null;

  @Field(() => PartnerStatus, { nullable: true, description: "协议状态。ACTIVE or SUSPENDED." })
  status?: PartnerStatus | null;
}

@InputType({ description: "登记运力。Register a transport resource (LOGISTICS: within its township when scoped)." })
export class RegisterTransportResourceInput extends MutationInput {
  @Field(() => String, { description: "运力编码。Stable code, e.g. KZ-V-031." })
  code: string;

  @Field(() => TransportKind, { description: "运力类别。Kind." })
  kind: TransportKind;

  @Field(() => String, { description: "型号/名称。Model, e.g. 东风 8 吨厢式货车." })
  model: string;

  @Field(() => String, { nullable: true, description: "车牌号或船舶登记号。Plate or registration, e.g. 渝F·12345." })
  vehiclePlate?: string | null;

  @Field(() => Int, { description: "载重（kg）。Load capacity in kg (0–100000)." })
  capacityKg: number;

  @Field(() => Float, { description: "容积（m³）。Load volume in m³ (0–200)." })
  capacityM3: number;

  @Field(() => Int, { description: "座位。Seats (0–60)." })
  seats: number;

  @Field(() => TransportOwnerKind, { description: "权属。Who owns it." })
  ownerKind: TransportOwnerKind;

  @Field(() => ID, { nullable: true, description: "救援队伍。The owning team (ownerKind TEAM)." })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: "协议运力企业。The owning partner (ownerKind PARTNER)." })
  partnerId?: string | null;

  @Field(() => String, { nullable: true, description: "所有人。Owner's name (PRIVATE or ENTERPRISE; required then)." })
  ownerName?: string | null;

  @Field(() => String, { nullable: true, description: "所有人电话。Owner's phone (PRIVATE or ENTERPRISE)." })
  ownerPhone?: string | null;

  @Field(() => ID, { description: "驻地区域。Region where it is based (its last known point starts at the region's centre)." })
  baseRegionId: string;
}

@InputType({ description: "修改运力状态。Put a resource into or out of maintenance (LOGISTICS)." })
export class SetTransportResourceStatusInput extends MutationInput {
  @Field(() => ID, { description: "运力。The resource." })
  resourceId: string;

  @Field(() => TransportStatus, { description: "新状态。AVAILABLE or IN_MAINTENANCE (ASSIGNED and REQUISITIONED follow trips and requisitions)." })
  status: TransportStatus;
}

@InputType({ description: "物资装载参数。Weight and volume of one unit of an item (ADMIN)." })
export class SetItemTransportMeasureInput extends MutationInput {
  @Field(() => ID, { description: "物资。The item." })
  itemId: string;

  @Field(() => Float, { description: "单位重量（kg）。Weight of one unit, kg (0 < w ≤ 20000)." })
  unitWeightKg: number;

  @Field(() => Float, { description: "单位体积（m³）。Volume of one unit, m³ (0 < v ≤ 100)." })
  unitVolumeM3: number;
}

@InputType({ description: "补偿标准。Set one rate of the compensation table (FINANCE)." })
export class SetTransportRateInput extends MutationInput {
  @Field(() => TransportKind, { description: "运力类别。Kind." })
  kind: TransportKind;

  @Field(() => RateBasis, { description: "计费依据。Per day, km or tonne." })
  basis: RateBasis;

  @Field(() => Int, { description: "单价（分）。Fen per unit (0–100000000)." })
  fenPerUnit: number;
}

@InputType({ description: "运力筛选。Filter for transport resources." })
export class TransportResourceWhere {
  @Field(() => TransportKind, { nullable: true, description: "运力类别。Kind." })
  kind?: TransportKind | null;

  @Field(() => TransportStatus, { nullable: true, description: "运力状态。Status." })
  status?: TransportStatus | null;

  @Field(() => TransportOwnerKind, { nullable: true, description: "权属。Owner kind." })
  ownerKind?: TransportOwnerKind | null;

  @IdOrCodeFilter(REGION, "区域。Based in this region or below it.")
  regionId?: string | null;
}

// ---------------------------------------------------------------- trips

@InputType({ description: "车次车辆。A vehicle of a trip and its driver." })
export class TripVehicleInput {
  @Field(() => ID, { description: "运力。The vehicle, boat or drone." })
  vehicleId: string;

  @Field(() => String, { description: "驾驶员。Driver's name." })
  driverName: string;

  @Field(() => String, { description: "驾驶员电话。Driver's phone." })
  driverPhone: string;
}

@InputType({ description: "派车。Give one or several dispatch orders going the same way vehicles and drivers (LOGISTICS)." })
export class AssignTripInput extends MutationInput {
  @Field(() => [ID], { description: "调拨单。The orders (1–20), each APPROVED, or DRAFT/SUBMITTED if URGENT, or DISPATCHED/DELIVERED for a later truck; one destination township." })
  orderIds: string[];

  @Field(() => [TripVehicleInput], { description: "车辆与驾驶员。Vehicles and drivers (1–20), each free (AVAILABLE or REQUISITIONED)." })
  vehicles: TripVehicleInput[];

  @Field(() => ID, { nullable: true, description: "装车地点。Storage site loaded at; default the first order's first source site." })
  originSiteId?: string | null;

  @Field(() => String, { nullable: true, description: "备注。Note." })
  note?: string | null;
}

@InputType({ description: "车次状态。Move a trip on: LOADING → EN_ROUTE → ARRIVED → RETURNED, or LOADING → CANCELLED (LOGISTICS)." })
export class UpdateTripStatusInput extends MutationInput {
  @Field(() => ID, { description: "车次。The trip." })
  tripId: string;

  @Field(() => TripStatus, { description: "新状态。The next status." })
  status: TripStatus;

  @Field(() => Date, { nullable: true, description: "预计到达。On EN_ROUTE: expected arrival, instead of the travel-time table's." })
  expectedArrivalAt?: Date | null;
}

@InputType({ description: "车次筛选。Filter for trips." })
export class TripWhere {
  @Field(() => TripStatus, { nullable: true, description: "车次状态。Status." })
  status?: TripStatus | null;

  @IdOrCodeFilter(REGION, "区域。Going to this region or below it.")
  regionId?: string | null;

  @IdOrCodeFilter(TRANSPORT_RESOURCE, "运力。With this vehicle.")
  vehicleId?: string | null;
}

// ---------------------------------------------------------------- positions and keys

@InputType({ description: "位置上报。A vehicle's current position (LOGISTICS, or the vehicle's own API key)." })
export class ReportVehiclePositionInput extends MutationInput {
  @Field(() => ID, { description: "运力。The vehicle." })
  vehicleId: string;

  @Field(() => Float, { description: "纬度。Latitude." })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude." })
  longitude: number;
}

@InputType({ description: "车载密钥。Create an API key limited to one vehicle, for its driver's phone (ADMIN)." })
export class CreateVehicleApiKeyInput extends MutationInput {
  @Field(() => ID, { description: "运力。The vehicle." })
  vehicleId: string;

  @Field(() => String, { description: "用途。What the key is for, e.g. 渝F 车载终端." })
  name: string;
}

// ---------------------------------------------------------------- passes

@InputType({ description: "登记通行证。Record a green-channel pass for a vehicle (COMMANDER)." })
export class IssueGreenChannelPassInput extends MutationInput {
  @Field(() => String, { description: "通行证号。Number as printed." })
  passNumber: string;

  @Field(() => ID, { description: "运力。The vehicle." })
  vehicleId: string;

  @Field(() => String, { nullable: true, description: "通行路线。Route as written on the pass." })
  route?: string | null;

  @Field(() => [ID], { nullable: true, description: "通行区域。Regions it is good in (0–50); none: the whole district." })
  regionIds?: string[] | null;

  @Field(() => Date, { description: "生效时间。Valid from." })
  validFrom: Date;

  @Field(() => Date, { description: "失效时间。Valid until (at most 90 days after validFrom)." })
  validUntil: Date;

  @Field(() => String, { description: "签发机关。Issuing authority, e.g. 开州区交巡警支队." })
  issuer: string;
}

@InputType({ description: "作废通行证。Revoke a pass (COMMANDER)." })
export class RevokeGreenChannelPassInput extends MutationInput {
  @Field(() => ID, { description: "通行证。The pass." })
  passId: string;
}

@InputType({ description: "通行证筛选。Filter for passes." })
export class GreenChannelPassWhere {
  @IdOrCodeFilter(TRANSPORT_RESOURCE, "运力。Of this vehicle.")
  vehicleId?: string | null;

  @Field(() => Date, { nullable: true, description: "有效时刻。Valid (and not revoked) at this instant." })
  validAt?: Date | null;
}

// ---------------------------------------------------------------- requisitions

@InputType({ description: "征用。Requisition a private or enterprise resource for an incident (COMMANDER)." })
export class RequisitionResourceInput extends MutationInput {
  @Field(() => ID, { description: "运力。The resource (ownerKind PRIVATE or ENTERPRISE), AVAILABLE." })
  resourceId: string;

  @Field(() => ID, { description: "突发事件。The OPEN incident." })
  incidentId: string;

  @Field(() => String, { description: "法律依据。Legal basis." })
  legalBasis: string;

  @Field(() => Date, { nullable: true, description: "征用开始。Handed over at; default now. Not in the future." })
  startsAt?: Date | null;

  @Field(() => Date, { description: "计划归还。Planned end (after startsAt, within 365 days)." })
  plannedUntil: Date;

  @Field(() => String, { description: "交接时状况。Condition at hand-over." })
  conditionAtHandover: string;

  @Field(() => String, { description: "交接时油量/电量。Fuel or charge at hand-over, e.g. 3/4." })
  fuelAtHandover: string;
}

@InputType({ description: "归还征用。Return a requisitioned resource: condition, usage and damage; the settlement is calculated (COMMANDER, LOGISTICS)." })
export class ReturnRequisitionedResourceInput extends MutationInput {
  @Field(() => ID, { description: "征用单。The ACTIVE requisition." })
  requisitionId: string;

  @Field(() => String, { description: "归还时状况。Condition at return." })
  conditionAtReturn: string;

  @Field(() => Int, { description: "行驶里程（km）。Km driven while held (0–100000)." })
  kmDriven: number;

  @Field(() => Int, { description: "运量（kg）。Goods carried while held, kg (0–100000000)." })
  kgCarried: number;

  @Field(() => Int, { description: "损坏评估（分）。Damage assessed, fen (0–2147483647, i.e. up to 21 474 836.47 元)." })
  damageFen: number;

  @Field(() => Date, { nullable: true, description: "归还时间。Returned at; default now. Not in the future." })
  returnedAt?: Date | null;
}

@InputType({ description: "所有人确认。Record the owner's confirmation of a CALCULATED settlement (COMMANDER, LOGISTICS)." })
export class ConfirmSettlementByOwnerInput extends MutationInput {
  @Field(() => ID, { description: "结算。The settlement." })
  settlementId: string;
}

@InputType({ description: "审批结算。Approve an owner-confirmed settlement (FINANCE)." })
export class ApproveSettlementInput extends MutationInput {
  @Field(() => ID, { description: "结算。The settlement." })
  settlementId: string;
}

@InputType({ description: "支付登记。Record the payment of an APPROVED settlement (FINANCE)." })
export class RecordSettlementPaymentInput extends MutationInput {
  @Field(() => ID, { description: "结算。The settlement." })
  settlementId: string;

  @Field(() => String, { description: "支付凭证号。Payment voucher number." })
  paymentReference: string;
}

@InputType({ description: "征用筛选。Filter for requisitions." })
export class RequisitionWhere {
  @Field(() => RequisitionStatus, { nullable: true, description: "征用状态。Status." })
  status?: RequisitionStatus | null;

  @IdOrCodeFilter(INCIDENT, "突发事件。For this incident.")
  incidentId?: string | null;

  @Field(() => SettlementStatus, { nullable: true, description: "结算状态。Whose settlement is in this status." })
  settlementStatus?: SettlementStatus | null;
}

@InputType({ description: "运力变化筛选。Which transport changes a subscriber wants." })
export class TransportChangedWhere {
  @IdOrCodeFilter(TRANSPORT_RESOURCE, "运力。Only this resource.")
  resourceId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only resources based in, and trips going to, this region or below it.")
  regionId?: string | null;
}
