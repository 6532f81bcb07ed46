/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** 调拨来源。A source for (part of) a line: a stock batch at a site, or a partner enterprise's agreement stock or capacity. */
export type AllocationInput = {
  /** 库存批次。A stock batch (its site is the source); for site stock. */
  batchId?: string | number | null | undefined;
  /** 来源类别。Kind of source; defaults to SITE_STOCK with a batch, PARTNER_STOCK with a partner. */
  kind?: AllocationSourceKind | null | undefined;
  /** 协议企业。A partner enterprise; for partner stock or capacity. */
  partnerId?: string | number | null | undefined;
  /** 来源数量。Quantity from this source. */
  quantity: number;
};

/** 调拨来源类别。Where the goods of an allocation come from. */
export type AllocationSourceKind =
  /** 产能储备 Production called on a partner's capacity agreement; delivered after its lead time. */
  | 'PARTNER_CAPACITY'
  /** 协议储备 Stock a partner enterprise holds for the district under agreement, called off; delivered by the enterprise. */
  | 'PARTNER_STOCK'
  /** 储备点库存批次。A batch at one of the district's storage sites: reserved on approval, issued (ISSUE) on dispatch. */
  | 'SITE_STOCK';

/** 审批调拨单。An order to approve (reserves its stock), or a verbal order to approve after dispatch. */
export type ApproveDispatchOrderInput = {
  /** 调拨单。The order. */
  id: string | number;
  /** 幂等键。Optional idempotency key (any unique string, e.g. a UUID, up to 100 characters): a retry with the same key and input returns the first result and changes nothing; the same key with different input is refused. */
  idempotencyKey?: string | null | undefined;
};

/** 新建调拨单。A new dispatch order (a DRAFT). */
export type CreateDispatchOrderInput = {
  /** 允许低于最低库存。With autoAllocate: let the plan take stock below sites' minimums (URGENT only). */
  allowBelowMinimum?: boolean | null | undefined;
  /** 自动生成调拨方案。Fill every line's sources from `planAllocation` (then give no allocations by hand). The payload's `plan` shows the reasons and any shortfall. */
  autoAllocate?: boolean | null | undefined;
  /** 目的地。Where the goods go; required unless the order is made from a request (then the request's site, or a place inside the request's region). */
  destination?: DestinationInput | null | undefined;
  /** 幂等键。Optional idempotency key (any unique string, e.g. a UUID, up to 100 characters): a retry with the same key and input returns the first result and changes nothing; the same key with different input is refused. */
  idempotencyKey?: string | null | undefined;
  /** 事件。The incident it serves (must be OPEN); leave out for pre-positioning (with requestId: the request's incident while it is open). */
  incidentId?: string | number | null | undefined;
  /** 调拨明细。Items and quantities (1–100 lines, each item once). Required unless requestId is given; left out with requestId, the order takes what is left of each of the request's approved lines. */
  lines?: Array<DispatchLineInput> | null | undefined;
  /** 备注 Free-text note. */
  note?: string | null | undefined;
  /** 紧急程度。Priority (default NORMAL; with requestId: the request's). */
  priority?: DispatchPriority | null | undefined;
  /** 调拨 The approved supply request (需求申报) this order fulfils (EDXL-RM CommitResource): its lines take no more than is left of the request lines' approved quantities; destination, incident and priority default to the request's. A request may take several orders. */
  requestId?: string | number | null | undefined;
  /** 运输信息。Vehicle, driver and pass, if known yet. */
  transport?: TransportInput | null | undefined;
};

/** 目的地：区域、储备点或现场地点。Where goods go: a region (give `regionId` only), a storage site (`siteId`), or a point in the field (`latitude`, `longitude`, the `regionId` it lies in, and a receiver with phone). */
export type DestinationInput = {
  /** 地址。Address or description, e.g. 临江镇中学安置点. */
  address?: string | null | undefined;
  /** 纬度。Latitude of a point destination (WGS-84). */
  latitude?: number | null | undefined;
  /** 经度。Longitude of a point destination (WGS-84). */
  longitude?: number | null | undefined;
  /** 收货人 Receiver's name; required for a point. */
  receiverName?: string | null | undefined;
  /** 收货人电话 Receiver's phone; required for a point. */
  receiverPhone?: string | null | undefined;
  /** 区域。A region (township or village) — alone for a region destination, or the region a point lies in. */
  regionId?: string | number | null | undefined;
  /** 储备点。A storage site (pre-positioning into another store). */
  siteId?: string | number | null | undefined;
};

/** 目的地类别。What a dispatch order is sent to. */
export type DestinationKind =
  /** 现场地点。A point in the field with a receiver and phone (e.g. a shelter or the scene). */
  | 'POINT'
  /** 区域。A region (a township or a village), delivered to its centre. */
  | 'REGION'
  /** 储备点。A storage site (pre-positioning into another store): what arrives is booked into its stock on receipt. */
  | 'SITE';

/** 调拨明细。A line of an order: an item, how many, and (unless the order is auto-allocated) where they come from. */
export type DispatchLineInput = {
  /** 手工指定的来源。Sources chosen by hand; leave out with autoAllocate. They must add up to the quantity before the order can be submitted. */
  allocations?: Array<AllocationInput> | null | undefined;
  /** 物资。The supply item. */
  itemId: string | number;
  /** 需求数量。How many are needed. */
  quantity: number;
  /** 需求明细。On an order made from a supply request: the request line it serves (default: the request's line of the same item). At most what is left of its approved quantity. */
  requestLineId?: string | number | null | undefined;
};

/** 调拨单变化。What happened to a dispatch order. */
export type DispatchOrderChange =
  /** 已批准。Approved (stock reserved), or a verbal order approved after dispatch. */
  | 'APPROVED'
  /** 已取消。Cancelled. */
  | 'CANCELLED'
  /** 已关闭。Closed. */
  | 'CLOSED'
  /** 已创建。Created as a draft. */
  | 'CREATED'
  /** 已签收。Receipt confirmed (fully or in part). */
  | 'DELIVERY_CONFIRMED'
  /** 已发运。Stock issued, on its way. */
  | 'DISPATCHED'
  /** 已回收。Reusable items came back to a site. */
  | 'RETURN_RECORDED'
  /** 已提交。Submitted for approval. */
  | 'SUBMITTED'
  /** 已修改。Draft changed. */
  | 'UPDATED';

/** 紧急程度。How urgent an order is. */
export type DispatchPriority =
  /** 紧急 High. */
  | 'HIGH'
  /** 一般 Normal, e.g. pre-positioning before the flood season. */
  | 'NORMAL'
  /** 特急 Urgent: may be dispatched on a verbal order before approval, may take stock below minimums. */
  | 'URGENT';

/** 调拨单状态。Where a dispatch order stands in its life cycle. */
export type DispatchStatus =
  /** 已批准 Approved by a commander: every stock allocation is reserved. */
  | 'APPROVED'
  /** 已取消 Cancelled: reservations released, anything sent returned or written off. */
  | 'CANCELLED'
  /** 已关闭 Finished: every unit sent received, turned back or written off, and every reusable item sent to a region or a point back or written off. */
  | 'CLOSED'
  /** 已签收 Receipt confirmed, fully or in part; units may still be in transit, and reusable items sent to a region or a point may still be out. */
  | 'DELIVERED'
  /** 已发运, 在途 Stock issued and on its way. */
  | 'DISPATCHED'
  /** 草稿 Being prepared; lines and sources may still change. */
  | 'DRAFT'
  /** 待审批 Submitted for approval. */
  | 'SUBMITTED';

/** 灾种 Kind of hazard named in the district plan: what an incident is, what a supply item serves. */
export type Hazard =
  /** 地震 Earthquake. */
  | 'EARTHQUAKE'
  /** 水旱灾害 Flood or drought. */
  | 'FLOOD_DROUGHT'
  /** 森林火灾 Forest fire. */
  | 'FOREST_FIRE'
  /** 地质灾害 Landslide, debris flow, collapse. */
  | 'GEOLOGICAL'
  /** 气象灾害 Storm, hail, cold wave, heat. */
  | 'METEOROLOGICAL'
  /** 其他。Anything else. */
  | 'OTHER'
  /** 安全生产事故 Production-safety accident. */
  | 'PRODUCTION_SAFETY';

/** 事件状态。Whether the response is going on. */
export type IncidentStatus =
  /** 应急响应终止 Response ended. */
  | 'CLOSED'
  /** 响应中。Response under way. */
  | 'OPEN';

/** 发运调拨单。An order to dispatch: its stock is issued. */
export type MarkDispatchedInput = {
  /** 调拨单。The order. */
  id: string | number;
  /** 幂等键。Optional idempotency key (any unique string, e.g. a UUID, up to 100 characters): a retry with the same key and input returns the first result and changes nothing; the same key with different input is refused. */
  idempotencyKey?: string | null | undefined;
  /** 运输信息。Transport details (given fields replace the current ones). */
  transport?: TransportInput | null | undefined;
  /** 口头指令 Who gave the verbal order — required to dispatch an URGENT order before approval. */
  verbalOrderBy?: string | null | undefined;
};

/** 调拨方案请求。What to plan sources for. Planning changes nothing. */
export type PlanAllocationInput = {
  /** 最低库存 Take stock below sites' minimums when needed, where the source rules allow it; URGENT only. Default false. */
  allowBelowMinimum?: boolean | null | undefined;
  /** 目的地。Where the goods must go (travel times are to here). */
  destination: DestinationInput;
  /** 突发事件 The open incident the order is for; without one the plan is for a routine order (日常调拨: pre-positioning, replenishing, a township's request), which the source rules serve from the district depot first. */
  incidentId?: string | number | null | undefined;
  /** 需求明细。Items and quantities needed (1–100 lines, each item once). */
  lines: Array<PlanLineInput>;
  /** 紧急程度。Priority of the order being planned (default NORMAL); an URGENT order of an open incident may draw on other townships' points, and only URGENT may go below minimums. */
  priority?: DispatchPriority | null | undefined;
};

/** 需求明细。An item and how many are needed. */
export type PlanLineInput = {
  /** 物资。The supply item. */
  itemId: string | number;
  /** 需求数量。How many are needed (a positive whole number). */
  quantity: number;
};

/** 调拨用途: what an order is for, as the source rules (调拨规则) read it — from its incident and priority. */
export type PlanningPurpose =
  /** 事件调拨: for an open incident, priority HIGH or NORMAL. */
  | 'INCIDENT'
  /** 日常调拨: no open incident — pre-positioning before the flood season (汛前预置), replenishing (补库), a township's request (需求申报). */
  | 'ROUTINE'
  /** 紧急事件调拨: an URGENT order for an open incident. */
  | 'URGENT_INCIDENT';

/** 战备状态 Readiness of a team. */
export type ReadinessStatus =
  /** 已出动 Deployed to an incident. */
  | 'DEPLOYED'
  /** 随时出动 Ready to go now. */
  | 'READY'
  /** 休整 Back from a deployment, resting and restoring equipment. */
  | 'RECOVERING'
  /** 待命 On standby: can go after a short call-up. */
  | 'STANDBY'
  /** 不可用 Cannot go, e.g. training away or short of members. */
  | 'UNAVAILABLE';

/** 响应级别 Emergency response level; I is the most severe. */
export type ResponseLevel =
  /** 特别重大（Ⅰ级） Level I. */
  | 'I'
  /** 重大（Ⅱ级） Level II. */
  | 'II'
  /** 较大（Ⅲ级） Level III. */
  | 'III'
  /** 一般（Ⅳ级） Level IV. */
  | 'IV';

/** 储备点状态。Whether a storage site is in service. */
export type SiteStatus =
  /** 启用 In service. */
  | 'ACTIVE'
  /** 停用 Closed: receives nothing; only an empty site may be closed. */
  | 'CLOSED'
  /** 维修 Under repair: holds and issues stock, but is flagged on maps. */
  | 'MAINTENANCE';

/** 三级储备 Tier of the three-tier reserve. */
export type SiteTier =
  /** 区级库 District depot, tied to the district. */
  | 'DISTRICT_DEPOT'
  /** 避难场所库房 The store of one shelter (避难场所), created with it and tied to its village or community: deliveries to the shelter land here, distributions (发放) come out of it. Not a source for dispatch allocation. */
  | 'SHELTER'
  /** 乡镇（街道）储备点 Township or street storage point, tied to a township-level unit. */
  | 'TOWNSHIP_POINT'
  /** 村（社区）储存室 Village or community storage room, tied to a village or community. */
  | 'VILLAGE_ROOM';

/** 调拨关系: who a source is to the destination, the row of the source rules that applies. */
export type SourceRelation =
  /** 区级库: the district depot. */
  | 'DISTRICT_DEPOT'
  /** 邻村储存室: a room of another village of the same township, within the village-room radius of the destination. */
  | 'NEXT_DOOR_VILLAGE_ROOM'
  /** 其他乡镇储备点: another township's point. */
  | 'OTHER_TOWNSHIP_POINT'
  /** 其他村储存室: any other village room (another township's, beyond the radius, or for a store). */
  | 'OTHER_VILLAGE_ROOM'
  /** 本乡镇储备点: the point of the township the destination lies in. */
  | 'OWN_TOWNSHIP_POINT'
  /** 本村储存室: the room of the village the destination lies in. */
  | 'OWN_VILLAGE_ROOM'
  /** 产能储备: a partner's production capacity. */
  | 'PARTNER_CAPACITY'
  /** 协议储备: a partner enterprise's agreement stock. */
  | 'PARTNER_STOCK';

/** 来源层级。Tiers of sources in the order allocation escalates through. */
export type SourceTier =
  /** 区级库 District depot. */
  | 'DISTRICT_DEPOT'
  /** 企业协议储备 Partner enterprise agreement stock. */
  | 'PARTNER_STOCK'
  /** 产能储备 Partner production capacity, with its lead time. */
  | 'PRODUCTION_CAPACITY'
  /** 乡镇（街道）储备点 Township or street storage point. */
  | 'TOWNSHIP_POINT'
  /** 村（社区）储存室 Village or community storage room, nearby only. */
  | 'VILLAGE_ROOM';

/** 预警类别。What a stock alert warns about. */
export type StockAlertKind =
  /** 低于最低库存 A site holds less of an item available than its minimum. */
  | 'BELOW_MINIMUM'
  /** 过期 A batch with stock on hand is past its expiry date: write it off or rotate it. */
  | 'EXPIRED'
  /** 临期 A batch with stock on hand expires within the given number of days. */
  | 'EXPIRING';

/** 库存变化原因。What changed a stock level: a ledger movement kind, a reservation change, or a new minimum. */
export type StockChangeCause =
  /** 盘点盈亏 Stocktake variance. */
  | 'COUNT_ADJUSTMENT'
  /** 发放 Handed out to people. */
  | 'DISTRIBUTION'
  /** 发放冲销 A distribution reversed. */
  | 'DISTRIBUTION_REVERSAL'
  /** 在途 What is on its way to the site changed: goods dispatched to it, or no longer on the way (received, turned back, or written off as a short delivery). */
  | 'IN_TRANSIT'
  /** 出库 Goods issued against a dispatch order. */
  | 'ISSUE'
  /** 最低库存 The minimum was changed. */
  | 'MINIMUM'
  /** 入库 Goods received. */
  | 'RECEIPT'
  /** 释放预留 A reservation released. */
  | 'RELEASE'
  /** 预留 Stock reserved for an approved dispatch order. */
  | 'RESERVATION'
  /** 回收 Reusable goods back after use. */
  | 'RETURN'
  /** 轮换 Batch rotation. */
  | 'ROTATION'
  /** 调入 Received from another site. */
  | 'TRANSFER_IN'
  /** 调出 Sent to another site. */
  | 'TRANSFER_OUT'
  /** 报废 Written off. */
  | 'WRITE_OFF';

/** 提交调拨单审批。An order to submit for approval. */
export type SubmitDispatchOrderInput = {
  /** 调拨单。The order. */
  id: string | number;
  /** 幂等键。Optional idempotency key (any unique string, e.g. a UUID, up to 100 characters): a retry with the same key and input returns the first result and changes nothing; the same key with different input is refused. */
  idempotencyKey?: string | null | undefined;
};

/** 申报事由 Why the supplies are asked for. */
export type SupplyRequestPurpose =
  /** 突发事件应急 For an open incident: the request names it. */
  | 'INCIDENT'
  /** 汛前预置 Pre-positioning before the flood season. */
  | 'PRE_POSITIONING'
  /** 补库 Replenishing a storage site's stock below its minimum; the destination is that site. */
  | 'REPLENISHMENT';

/** 需求申报 Where a supply request stands; Sahana Eden inv_req's approval and fulfil status in one. */
export type SupplyRequestStatus =
  /** 已审核 Approved, whole or in part (approved quantity per line); no dispatch order made from it yet. */
  | 'APPROVED'
  /** 已撤回 Withdrawn before any order was made from it. */
  | 'CANCELLED'
  /** 已关闭 Closed by the district: what was not yet put on an order will not be sent. */
  | 'CLOSED'
  /** 已完成 Fulfilled: every approved unit delivered. */
  | 'FULFILLED'
  /** 调拨中 Being fulfilled: at least one dispatch order made from it is not cancelled. */
  | 'FULFILLING'
  /** 已驳回 Rejected, with the reason. */
  | 'REJECTED'
  /** 已申报 Submitted, waiting for the district's answer; `overdue` once unanswered past SUPPLY_REQUEST_RESPONSE_HOURS. */
  | 'SUBMITTED';

/** 救援队伍类别 Kind of rescue force as the district plan names them. */
export type TeamKind =
  /** 社区微型消防站 Community micro fire station: first response within minutes in its community. */
  | 'COMMUNITY_FIRE_STATION'
  /** 区级综合应急救援队 District comprehensive emergency rescue team, at least 50 members all year. */
  | 'DISTRICT_COMPREHENSIVE'
  /** 技术专家保障队伍 Technical expert support team. */
  | 'EXPERT'
  /** 综合性消防救援队伍 National comprehensive fire and rescue team, the main force. */
  | 'FIRE_RESCUE'
  /** 民兵应急 Militia emergency unit (民兵应急分队), organised by the district's armed-forces department. */
  | 'MILITIA'
  /** 专业应急救援队伍 Professional rescue or support team of one sector, with a specialty. */
  | 'PROFESSIONAL'
  /** 社会应急力量 Social rescue force such as 蓝天救援队; registers, files each rescue action and discloses periodically. */
  | 'SOCIAL'
  /** 乡镇（街道）综合应急救援队 Township (street) comprehensive emergency rescue team, one per township-level unit. */
  | 'TOWNSHIP';

/** 专业领域 Sector of a professional team. */
export type TeamSpecialty =
  /** 通信保障 Emergency communications. */
  | 'COMMUNICATIONS'
  /** 环境应急 Environmental emergencies. */
  | 'ENVIRONMENT'
  /** 防汛抗旱 Flood and drought. */
  | 'FLOOD_DROUGHT'
  /** 森林火灾 Forest fire. */
  | 'FOREST_FIRE'
  /** 危化品 Hazardous chemicals. */
  | 'HAZARDOUS_CHEMICALS'
  /** 卫生应急 Medical and health. */
  | 'HEALTH'
  /** 矿山救援 Mine rescue. */
  | 'MINE'
  /** 电力保障 Power supply. */
  | 'POWER'
  /** 道路运输 Road transport. */
  | 'ROAD_TRANSPORT'
  /** 水上救援 Water rescue. */
  | 'WATER';

/** 运输 Transport of an order. */
export type TransportInput = {
  /** 驾驶员 Driver's name. */
  driverName?: string | null | undefined;
  /** 驾驶员电话。Driver's phone. */
  driverPhone?: string | null | undefined;
  /** 绿色通道通行证号 Green-channel pass number. */
  greenChannelPass?: string | null | undefined;
  /** 车牌号 Vehicle plate, e.g. 渝F·12345. */
  vehiclePlate?: string | null | undefined;
};

export type PageInfoPartsFragment = { hasNextPage: boolean, endCursor: string | null };

export type RegionRefFragment = { id: string, code: string, name: string };

export type ItemRefFragment = { id: string, code: string, name: string, unit: string };

export type SiteRefFragment = { id: string, code: string, name: string, tier: SiteTier };

export type TeamRefFragment = { id: string, code: string, name: string, kind: TeamKind };

export type StockTotalsPartsFragment = { onHand: number, reserved: number, available: number, inTransit: number, minimum: number, sites: number, sitesBelowMinimum: number };

export type OrderSummaryFragment = { id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null };

export type OrderLineProgressFragment = { id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } };

export type RequestSummaryFragment = { id: string, code: string, status: SupplyRequestStatus, priority: DispatchPriority, purpose: SupplyRequestPurpose, overdue: boolean, submittedAt: string, responseDueAt: string | null, neededBy: string | null, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null };

export type IncidentSummaryFragment = { id: string, code: string, title: string, hazard: Hazard, level: ResponseLevel, status: IncidentStatus, occurredAt: string, latitude: number | null, longitude: number | null, regions: Array<{ id: string, code: string, name: string }> };

export type IncidentBoardQueryVariables = Exact<{
  status?: IncidentStatus | null | undefined;
  regionId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type IncidentBoardQuery = { incidents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ openedAt: string, id: string, code: string, title: string, hazard: Hazard, level: ResponseLevel, status: IncidentStatus, occurredAt: string, latitude: number | null, longitude: number | null, regions: Array<{ id: string, code: string, name: string }> }> } };

export type BoardDeploymentFragment = { id: string, active: boolean, headcount: number, deployedAt: string, deployedBy: string, releasedAt: string | null, note: string | null, team: { readinessStatus: ReadinessStatus | null, availableMembers: number, id: string, code: string, name: string, kind: TeamKind } };

export type BoardOrderFragment = { receiverName: string | null, receiverPhone: string | null, driverName: string | null, vehiclePlate: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null };

export type IncidentDetailQueryVariables = Exact<{
  id: string | number;
  activeOnly?: boolean | null | undefined;
  ordersFirst?: number | null | undefined;
}>;


export type IncidentDetailQuery = { incident: { description: string | null, commanderName: string | null, openedAt: string, closedAt: string | null, id: string, code: string, title: string, hazard: Hazard, level: ResponseLevel, status: IncidentStatus, occurredAt: string, latitude: number | null, longitude: number | null, district: { id: string, code: string, name: string }, teamDeployments: Array<{ id: string, active: boolean, headcount: number, deployedAt: string, deployedBy: string, releasedAt: string | null, note: string | null, team: { readinessStatus: ReadinessStatus | null, availableMembers: number, id: string, code: string, name: string, kind: TeamKind } }>, dispatchOrders: { totalCount: number, nodes: Array<{ receiverName: string | null, receiverPhone: string | null, driverName: string | null, vehiclePlate: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null }> }, regions: Array<{ id: string, code: string, name: string }> } | null, supplyRequests: { totalCount: number, nodes: Array<{ id: string, code: string, status: SupplyRequestStatus, priority: DispatchPriority, purpose: SupplyRequestPurpose, overdue: boolean, submittedAt: string, responseDueAt: string | null, neededBy: string | null, lines: Array<{ id: string, quantity: number, approvedQuantity: number | null, onOrderQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null }> } };

export type IncidentOrdersChangedSubscriptionVariables = Exact<{
  incidentId: string | number;
}>;


export type IncidentOrdersChangedSubscription = { dispatchOrderChanged: { change: DispatchOrderChange, order: { id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null } } };

export type DeskStockLevelsQueryVariables = Exact<{
  regionId?: string | number | null | undefined;
  siteId?: string | number | null | undefined;
  belowMinimum?: boolean | null | undefined;
  expiringWithinDays?: number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DeskStockLevelsQuery = { stockLevels: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, onHand: number, reserved: number, available: number, inTransit: number, minimum: number, belowMinimum: boolean, shortfall: number, earliestExpiry: string | null, item: { id: string, code: string, name: string, unit: string }, site: { id: string, code: string, name: string, tier: SiteTier } }> } };

export type DeskRequestFragment = { requesterName: string, requesterPhone: string, note: string | null, peopleServed: number | null, id: string, code: string, status: SupplyRequestStatus, priority: DispatchPriority, purpose: SupplyRequestPurpose, overdue: boolean, submittedAt: string, responseDueAt: string | null, neededBy: string | null, lines: Array<{ id: string, position: number, quantity: number, approvedQuantity: number | null, unorderedQuantity: number, onOrderQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null };

export type DeskSupplyRequestsQueryVariables = Exact<{
  regionId?: string | number | null | undefined;
  overdue?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DeskSupplyRequestsQuery = { supplyRequests: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ requesterName: string, requesterPhone: string, note: string | null, peopleServed: number | null, id: string, code: string, status: SupplyRequestStatus, priority: DispatchPriority, purpose: SupplyRequestPurpose, overdue: boolean, submittedAt: string, responseDueAt: string | null, neededBy: string | null, lines: Array<{ id: string, position: number, quantity: number, approvedQuantity: number | null, unorderedQuantity: number, onOrderQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null }> } };

export type DeskOrderFragment = { note: string | null, submittedAt: string | null, approvedAt: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, allocations: Array<{ id: string, sourceKind: AllocationSourceKind, quantity: number, site: { id: string, code: string, name: string, tier: SiteTier } | null, batch: { id: string, batchNumber: string, expiryDate: string | null } | null, partner: { id: string, code: string, name: string } | null }>, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null };

export type DeskOrdersQueryVariables = Exact<{
  status: DispatchStatus;
  regionId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DeskOrdersQuery = { dispatchOrders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ note: string | null, submittedAt: string | null, approvedAt: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, allocations: Array<{ id: string, sourceKind: AllocationSourceKind, quantity: number, site: { id: string, code: string, name: string, tier: SiteTier } | null, batch: { id: string, batchNumber: string, expiryDate: string | null } | null, partner: { id: string, code: string, name: string } | null }>, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null }> } };

export type DeskInTransitQueryVariables = Exact<{
  regionId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DeskInTransitQuery = { dispatchOrders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ driverName: string | null, driverPhone: string | null, vehiclePlate: string | null, greenChannelPass: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null }> } };

export type DeskPlannedLineFragment = { requested: number, allocated: number, shortfall: number, item: { id: string, code: string, name: string, unit: string }, sources: Array<{ kind: AllocationSourceKind, tier: SourceTier, relation: SourceRelation, quantity: number, usable: number, distanceKm: number, travelMinutes: number, byWater: boolean, reason: string, site: { id: string, code: string, name: string, tier: SiteTier } | null, batch: { id: string, batchNumber: string, expiryDate: string | null } | null, partner: { id: string, code: string, name: string } | null }> };

export type DeskPlanAllocationQueryVariables = Exact<{
  input: PlanAllocationInput;
}>;


export type DeskPlanAllocationQuery = { planAllocation: { complete: boolean, purpose: PlanningPurpose, strategy: string, lines: Array<{ requested: number, allocated: number, shortfall: number, item: { id: string, code: string, name: string, unit: string }, sources: Array<{ kind: AllocationSourceKind, tier: SourceTier, relation: SourceRelation, quantity: number, usable: number, distanceKm: number, travelMinutes: number, byWater: boolean, reason: string, site: { id: string, code: string, name: string, tier: SiteTier } | null, batch: { id: string, batchNumber: string, expiryDate: string | null } | null, partner: { id: string, code: string, name: string } | null }> }> } };

export type DeskUserErrorFragment = { field: string | null, code: string, message: string };

export type CreateDispatchOrderMutationVariables = Exact<{
  input: CreateDispatchOrderInput;
}>;


export type CreateDispatchOrderMutation = { createDispatchOrder: { order: { note: string | null, submittedAt: string | null, approvedAt: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, allocations: Array<{ id: string, sourceKind: AllocationSourceKind, quantity: number, site: { id: string, code: string, name: string, tier: SiteTier } | null, batch: { id: string, batchNumber: string, expiryDate: string | null } | null, partner: { id: string, code: string, name: string } | null }>, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null } | null, plan: { complete: boolean } | null, errors: Array<{ field: string | null, code: string, message: string }> } };

export type SubmitDispatchOrderMutationVariables = Exact<{
  input: SubmitDispatchOrderInput;
}>;


export type SubmitDispatchOrderMutation = { submitDispatchOrder: { order: { id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null } | null, errors: Array<{ field: string | null, code: string, message: string }> } };

export type ApproveDispatchOrderMutationVariables = Exact<{
  input: ApproveDispatchOrderInput;
}>;


export type ApproveDispatchOrderMutation = { approveDispatchOrder: { order: { id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null } | null, errors: Array<{ field: string | null, code: string, message: string }> } };

export type MarkDispatchedMutationVariables = Exact<{
  input: MarkDispatchedInput;
}>;


export type MarkDispatchedMutation = { markDispatched: { order: { note: string | null, submittedAt: string | null, approvedAt: string | null, id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, lines: Array<{ id: string, position: number, quantity: number, allocatedQuantity: number, dispatchedQuantity: number, inTransitQuantity: number, deliveredQuantity: number, outstandingQuantity: number, allocations: Array<{ id: string, sourceKind: AllocationSourceKind, quantity: number, site: { id: string, code: string, name: string, tier: SiteTier } | null, batch: { id: string, batchNumber: string, expiryDate: string | null } | null, partner: { id: string, code: string, name: string } | null }>, item: { id: string, code: string, name: string, unit: string } }>, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null } | null, errors: Array<{ field: string | null, code: string, message: string }> } };

export type MapSitePointFragment = { status: SiteStatus, latitude: number, longitude: number, address: string, itemsBelowMinimum: number, custodianName: string | null, id: string, code: string, name: string, tier: SiteTier, region: { id: string, code: string, name: string } };

export type MapSitesQueryVariables = Exact<{
  regionId?: string | number | null | undefined;
  tier?: SiteTier | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MapSitesQuery = { storageSites: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ status: SiteStatus, latitude: number, longitude: number, address: string, itemsBelowMinimum: number, custodianName: string | null, id: string, code: string, name: string, tier: SiteTier, region: { id: string, code: string, name: string } }> } };

export type MapTeamPointFragment = { specialty: TeamSpecialty | null, baseLatitude: number, baseLongitude: number, readinessStatus: ReadinessStatus | null, readinessReportedAt: string | null, stale: boolean, activeMemberCount: number, availableMembers: number, deployedMembers: number, id: string, code: string, name: string, kind: TeamKind, region: { id: string, code: string, name: string } };

export type MapTeamsQueryVariables = Exact<{
  regionId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MapTeamsQuery = { rescueTeams: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ specialty: TeamSpecialty | null, baseLatitude: number, baseLongitude: number, readinessStatus: ReadinessStatus | null, readinessReportedAt: string | null, stale: boolean, activeMemberCount: number, availableMembers: number, deployedMembers: number, id: string, code: string, name: string, kind: TeamKind, region: { id: string, code: string, name: string } }> } };

export type MapStockRowFragment = { id: string, onHand: number, reserved: number, available: number, inTransit: number, minimum: number, belowMinimum: boolean, shortfall: number, earliestExpiry: string | null, item: { id: string, code: string, name: string, unit: string } };

export type MapSiteStockQueryVariables = Exact<{
  siteId: string | number;
  belowMinimum?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MapSiteStockQuery = { storageSite: { status: SiteStatus, latitude: number, longitude: number, address: string, itemsBelowMinimum: number, custodianName: string | null, id: string, code: string, name: string, tier: SiteTier, stock: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, onHand: number, reserved: number, available: number, inTransit: number, minimum: number, belowMinimum: boolean, shortfall: number, earliestExpiry: string | null, item: { id: string, code: string, name: string, unit: string } }> }, region: { id: string, code: string, name: string } } | null };

export type WallItemStockFragment = { item: { id: string, code: string, name: string, unit: string }, total: { onHand: number, reserved: number, available: number, inTransit: number, minimum: number, sites: number, sitesBelowMinimum: number }, byTier: Array<{ tier: SiteTier, totals: { onHand: number, reserved: number, available: number, inTransit: number, minimum: number, sites: number, sitesBelowMinimum: number } }>, byTownship: Array<{ township: { id: string, code: string, name: string }, totals: { onHand: number, available: number, minimum: number, sites: number, sitesBelowMinimum: number } }> };

export type WallReadinessFragment = { teams: number, availableMembers: number, deployedMembers: number, staleTeams: number, freshnessHours: number, counts: Array<{ kind: TeamKind, status: ReadinessStatus | null, teams: number, availableMembers: number, staleTeams: number }>, townshipUnitsNotReady: Array<{ status: ReadinessStatus | null, availableMembers: number, stale: boolean, region: { id: string, code: string, name: string }, team: { id: string, code: string, name: string, kind: TeamKind } | null }> };

export type WallSummaryQueryVariables = Exact<{
  itemIds?: Array<string | number> | string | number | null | undefined;
  regionId?: string | number | null | undefined;
}>;


export type WallSummaryQuery = { stockSummary: Array<{ item: { id: string, code: string, name: string, unit: string }, total: { onHand: number, reserved: number, available: number, inTransit: number, minimum: number, sites: number, sitesBelowMinimum: number }, byTier: Array<{ tier: SiteTier, totals: { onHand: number, reserved: number, available: number, inTransit: number, minimum: number, sites: number, sitesBelowMinimum: number } }>, byTownship: Array<{ township: { id: string, code: string, name: string }, totals: { onHand: number, available: number, minimum: number, sites: number, sitesBelowMinimum: number } }> }>, readinessSummary: { teams: number, availableMembers: number, deployedMembers: number, staleTeams: number, freshnessHours: number, counts: Array<{ kind: TeamKind, status: ReadinessStatus | null, teams: number, availableMembers: number, staleTeams: number }>, townshipUnitsNotReady: Array<{ status: ReadinessStatus | null, availableMembers: number, stale: boolean, region: { id: string, code: string, name: string }, team: { id: string, code: string, name: string, kind: TeamKind } | null }> } };

export type WallStockAlertFragment = { kind: StockAlertKind, quantity: number, minimum: number, shortfall: number, expiryDate: string | null, daysToExpiry: number | null, item: { id: string, code: string, name: string, unit: string }, site: { id: string, code: string, name: string, tier: SiteTier, region: { id: string, code: string, name: string } }, batch: { id: string, batchNumber: string } | null };

export type WallAlertsQueryVariables = Exact<{
  first?: number | null | undefined;
  kind?: StockAlertKind | null | undefined;
  expiringWithinDays?: number | null | undefined;
}>;


export type WallAlertsQuery = { stockAlerts: { totalCount: number, nodes: Array<{ kind: StockAlertKind, quantity: number, minimum: number, shortfall: number, expiryDate: string | null, daysToExpiry: number | null, item: { id: string, code: string, name: string, unit: string }, site: { id: string, code: string, name: string, tier: SiteTier, region: { id: string, code: string, name: string } }, batch: { id: string, batchNumber: string } | null }> }, certificateAlerts: { totalCount: number } };

export type WallOpenWorkQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type WallOpenWorkQuery = { incidents: { totalCount: number, nodes: Array<{ id: string, code: string, title: string, hazard: Hazard, level: ResponseLevel, status: IncidentStatus, occurredAt: string, latitude: number | null, longitude: number | null, regions: Array<{ id: string, code: string, name: string }> }> }, awaitingApproval: { totalCount: number, nodes: Array<{ id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null }> }, inTransit: { totalCount: number, nodes: Array<{ id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null }> }, overdueApprovals: { totalCount: number, nodes: Array<{ id: string, code: string, status: DispatchStatus, priority: DispatchPriority, pendingApproval: boolean, approvalOverdue: boolean, approvalDueAt: string | null, createdAt: string, dispatchedAt: string | null, destinationKind: DestinationKind, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null, incident: { id: string, code: string, title: string } | null }> }, overdueRequests: { totalCount: number, nodes: Array<{ id: string, code: string, status: SupplyRequestStatus, priority: DispatchPriority, purpose: SupplyRequestPurpose, overdue: boolean, submittedAt: string, responseDueAt: string | null, neededBy: string | null, destinationRegion: { id: string, code: string, name: string }, destinationSite: { id: string, code: string, name: string, tier: SiteTier } | null }> } };

export type WallStockChangedSubscriptionVariables = Exact<{
  regionId?: string | number | null | undefined;
  tier?: SiteTier | null | undefined;
  itemId?: string | number | null | undefined;
}>;


export type WallStockChangedSubscription = { stockLevelChanged: { asOf: string, causes: Array<StockChangeCause>, level: { id: string, onHand: number, available: number, minimum: number, belowMinimum: boolean, item: { id: string, code: string, name: string, unit: string }, site: { id: string, code: string, name: string, tier: SiteTier } } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PageInfoPartsFragmentDoc = new TypedDocumentString(`
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
    `, {"fragmentName":"PageInfoParts"}) as unknown as TypedDocumentString<PageInfoPartsFragment, unknown>;
export const RegionRefFragmentDoc = new TypedDocumentString(`
    fragment RegionRef on Region {
  id
  code
  name
}
    `, {"fragmentName":"RegionRef"}) as unknown as TypedDocumentString<RegionRefFragment, unknown>;
export const IncidentSummaryFragmentDoc = new TypedDocumentString(`
    fragment IncidentSummary on Incident {
  id
  code
  title
  hazard
  level
  status
  occurredAt
  latitude
  longitude
  regions {
    ...RegionRef
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}`, {"fragmentName":"IncidentSummary"}) as unknown as TypedDocumentString<IncidentSummaryFragment, unknown>;
export const TeamRefFragmentDoc = new TypedDocumentString(`
    fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}
    `, {"fragmentName":"TeamRef"}) as unknown as TypedDocumentString<TeamRefFragment, unknown>;
export const BoardDeploymentFragmentDoc = new TypedDocumentString(`
    fragment BoardDeployment on TeamDeployment {
  id
  active
  headcount
  deployedAt
  deployedBy
  releasedAt
  note
  team {
    ...TeamRef
    readinessStatus
    availableMembers
  }
}
    fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}`, {"fragmentName":"BoardDeployment"}) as unknown as TypedDocumentString<BoardDeploymentFragment, unknown>;
export const SiteRefFragmentDoc = new TypedDocumentString(`
    fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
    `, {"fragmentName":"SiteRef"}) as unknown as TypedDocumentString<SiteRefFragment, unknown>;
export const OrderSummaryFragmentDoc = new TypedDocumentString(`
    fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"fragmentName":"OrderSummary"}) as unknown as TypedDocumentString<OrderSummaryFragment, unknown>;
export const ItemRefFragmentDoc = new TypedDocumentString(`
    fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
    `, {"fragmentName":"ItemRef"}) as unknown as TypedDocumentString<ItemRefFragment, unknown>;
export const OrderLineProgressFragmentDoc = new TypedDocumentString(`
    fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}
    fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}`, {"fragmentName":"OrderLineProgress"}) as unknown as TypedDocumentString<OrderLineProgressFragment, unknown>;
export const BoardOrderFragmentDoc = new TypedDocumentString(`
    fragment BoardOrder on DispatchOrder {
  ...OrderSummary
  receiverName
  receiverPhone
  driverName
  vehiclePlate
  lines {
    ...OrderLineProgress
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}`, {"fragmentName":"BoardOrder"}) as unknown as TypedDocumentString<BoardOrderFragment, unknown>;
export const RequestSummaryFragmentDoc = new TypedDocumentString(`
    fragment RequestSummary on SupplyRequest {
  id
  code
  status
  priority
  purpose
  overdue
  submittedAt
  responseDueAt
  neededBy
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"fragmentName":"RequestSummary"}) as unknown as TypedDocumentString<RequestSummaryFragment, unknown>;
export const DeskRequestFragmentDoc = new TypedDocumentString(`
    fragment DeskRequest on SupplyRequest {
  ...RequestSummary
  requesterName
  requesterPhone
  note
  peopleServed
  lines {
    id
    position
    item {
      ...ItemRef
    }
    quantity
    approvedQuantity
    unorderedQuantity
    onOrderQuantity
    inTransitQuantity
    deliveredQuantity
    outstandingQuantity
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment RequestSummary on SupplyRequest {
  id
  code
  status
  priority
  purpose
  overdue
  submittedAt
  responseDueAt
  neededBy
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
}`, {"fragmentName":"DeskRequest"}) as unknown as TypedDocumentString<DeskRequestFragment, unknown>;
export const DeskOrderFragmentDoc = new TypedDocumentString(`
    fragment DeskOrder on DispatchOrder {
  ...OrderSummary
  note
  submittedAt
  approvedAt
  lines {
    ...OrderLineProgress
    allocations {
      id
      sourceKind
      quantity
      site {
        ...SiteRef
      }
      batch {
        id
        batchNumber
        expiryDate
      }
      partner {
        id
        code
        name
      }
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}`, {"fragmentName":"DeskOrder"}) as unknown as TypedDocumentString<DeskOrderFragment, unknown>;
export const DeskPlannedLineFragmentDoc = new TypedDocumentString(`
    fragment DeskPlannedLine on PlannedLine {
  item {
    ...ItemRef
  }
  requested
  allocated
  shortfall
  sources {
    kind
    tier
    relation
    quantity
    usable
    distanceKm
    travelMinutes
    byWater
    reason
    site {
      ...SiteRef
    }
    batch {
      id
      batchNumber
      expiryDate
    }
    partner {
      id
      code
      name
    }
  }
}
    fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"fragmentName":"DeskPlannedLine"}) as unknown as TypedDocumentString<DeskPlannedLineFragment, unknown>;
export const DeskUserErrorFragmentDoc = new TypedDocumentString(`
    fragment DeskUserError on UserError {
  field
  code
  message
}
    `, {"fragmentName":"DeskUserError"}) as unknown as TypedDocumentString<DeskUserErrorFragment, unknown>;
export const MapSitePointFragmentDoc = new TypedDocumentString(`
    fragment MapSitePoint on StorageSite {
  ...SiteRef
  status
  latitude
  longitude
  address
  itemsBelowMinimum
  custodianName
  region {
    ...RegionRef
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"fragmentName":"MapSitePoint"}) as unknown as TypedDocumentString<MapSitePointFragment, unknown>;
export const MapTeamPointFragmentDoc = new TypedDocumentString(`
    fragment MapTeamPoint on RescueTeam {
  ...TeamRef
  specialty
  baseLatitude
  baseLongitude
  readinessStatus
  readinessReportedAt
  stale
  activeMemberCount
  availableMembers
  deployedMembers
  region {
    ...RegionRef
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}`, {"fragmentName":"MapTeamPoint"}) as unknown as TypedDocumentString<MapTeamPointFragment, unknown>;
export const MapStockRowFragmentDoc = new TypedDocumentString(`
    fragment MapStockRow on StockLevel {
  id
  item {
    ...ItemRef
  }
  onHand
  reserved
  available
  inTransit
  minimum
  belowMinimum
  shortfall
  earliestExpiry
}
    fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}`, {"fragmentName":"MapStockRow"}) as unknown as TypedDocumentString<MapStockRowFragment, unknown>;
export const StockTotalsPartsFragmentDoc = new TypedDocumentString(`
    fragment StockTotalsParts on StockTotals {
  onHand
  reserved
  available
  inTransit
  minimum
  sites
  sitesBelowMinimum
}
    `, {"fragmentName":"StockTotalsParts"}) as unknown as TypedDocumentString<StockTotalsPartsFragment, unknown>;
export const WallItemStockFragmentDoc = new TypedDocumentString(`
    fragment WallItemStock on ItemStockSummary {
  item {
    ...ItemRef
  }
  total {
    ...StockTotalsParts
  }
  byTier {
    tier
    totals {
      ...StockTotalsParts
    }
  }
  byTownship {
    township {
      ...RegionRef
    }
    totals {
      onHand
      available
      minimum
      sites
      sitesBelowMinimum
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment StockTotalsParts on StockTotals {
  onHand
  reserved
  available
  inTransit
  minimum
  sites
  sitesBelowMinimum
}`, {"fragmentName":"WallItemStock"}) as unknown as TypedDocumentString<WallItemStockFragment, unknown>;
export const WallReadinessFragmentDoc = new TypedDocumentString(`
    fragment WallReadiness on ReadinessSummary {
  teams
  availableMembers
  deployedMembers
  staleTeams
  freshnessHours
  counts {
    kind
    status
    teams
    availableMembers
    staleTeams
  }
  townshipUnitsNotReady {
    region {
      ...RegionRef
    }
    team {
      ...TeamRef
    }
    status
    availableMembers
    stale
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}`, {"fragmentName":"WallReadiness"}) as unknown as TypedDocumentString<WallReadinessFragment, unknown>;
export const WallStockAlertFragmentDoc = new TypedDocumentString(`
    fragment WallStockAlert on StockAlert {
  kind
  quantity
  minimum
  shortfall
  expiryDate
  daysToExpiry
  item {
    ...ItemRef
  }
  site {
    ...SiteRef
    region {
      ...RegionRef
    }
  }
  batch {
    id
    batchNumber
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"fragmentName":"WallStockAlert"}) as unknown as TypedDocumentString<WallStockAlertFragment, unknown>;
export const IncidentBoardDocument = new TypedDocumentString(`
    query IncidentBoard($status: IncidentStatus = OPEN, $regionId: ID, $first: Int = 20, $after: String) {
  incidents(
    first: $first
    after: $after
    where: {status: $status, regionId: $regionId}
  ) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      ...IncidentSummary
      openedAt
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment IncidentSummary on Incident {
  id
  code
  title
  hazard
  level
  status
  occurredAt
  latitude
  longitude
  regions {
    ...RegionRef
  }
}`, {"hash":"sha256:96929017bf15818b5a3df178d8c55ad6acdd9b7395e1f06e49fba37772834f6c"}) as unknown as TypedDocumentString<IncidentBoardQuery, IncidentBoardQueryVariables>;
export const IncidentDetailDocument = new TypedDocumentString(`
    query IncidentDetail($id: ID!, $activeOnly: Boolean, $ordersFirst: Int = 50) {
  incident(id: $id) {
    ...IncidentSummary
    description
    commanderName
    openedAt
    closedAt
    district {
      ...RegionRef
    }
    teamDeployments(active: $activeOnly) {
      ...BoardDeployment
    }
    dispatchOrders(first: $ordersFirst) {
      totalCount
      nodes {
        ...BoardOrder
      }
    }
  }
  supplyRequests(first: 50, where: {incidentId: $id}) {
    totalCount
    nodes {
      ...RequestSummary
      lines {
        id
        item {
          ...ItemRef
        }
        quantity
        approvedQuantity
        onOrderQuantity
        deliveredQuantity
        outstandingQuantity
      }
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}
fragment RequestSummary on SupplyRequest {
  id
  code
  status
  priority
  purpose
  overdue
  submittedAt
  responseDueAt
  neededBy
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
}
fragment IncidentSummary on Incident {
  id
  code
  title
  hazard
  level
  status
  occurredAt
  latitude
  longitude
  regions {
    ...RegionRef
  }
}
fragment BoardDeployment on TeamDeployment {
  id
  active
  headcount
  deployedAt
  deployedBy
  releasedAt
  note
  team {
    ...TeamRef
    readinessStatus
    availableMembers
  }
}
fragment BoardOrder on DispatchOrder {
  ...OrderSummary
  receiverName
  receiverPhone
  driverName
  vehiclePlate
  lines {
    ...OrderLineProgress
  }
}`, {"hash":"sha256:32430082e9dfcb04af1fe5dc3ea0f8cad8ef509d3a844801dd25c4f79b120060"}) as unknown as TypedDocumentString<IncidentDetailQuery, IncidentDetailQueryVariables>;
export const IncidentOrdersChangedDocument = new TypedDocumentString(`
    subscription IncidentOrdersChanged($incidentId: ID!) {
  dispatchOrderChanged(where: {incidentId: $incidentId}) {
    change
    order {
      ...OrderSummary
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}`, {"hash":"sha256:e0b6c9b80369f949e3534e849de57749826040bb7002d8ae33077f511023dfac"}) as unknown as TypedDocumentString<IncidentOrdersChangedSubscription, IncidentOrdersChangedSubscriptionVariables>;
export const DeskStockLevelsDocument = new TypedDocumentString(`
    query DeskStockLevels($regionId: ID, $siteId: ID, $belowMinimum: Boolean, $expiringWithinDays: Int, $first: Int = 100, $after: String) {
  stockLevels(
    first: $first
    after: $after
    where: {regionId: $regionId, siteId: $siteId, belowMinimum: $belowMinimum, expiringWithinDays: $expiringWithinDays}
  ) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      id
      onHand
      reserved
      available
      inTransit
      minimum
      belowMinimum
      shortfall
      earliestExpiry
      item {
        ...ItemRef
      }
      site {
        ...SiteRef
      }
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"hash":"sha256:c6a36a55ea47a930a8d502ca3344f0e3bf06ad66b91119ef9d21da052446a6ec"}) as unknown as TypedDocumentString<DeskStockLevelsQuery, DeskStockLevelsQueryVariables>;
export const DeskSupplyRequestsDocument = new TypedDocumentString(`
    query DeskSupplyRequests($regionId: ID, $overdue: Boolean, $first: Int = 50, $after: String) {
  supplyRequests(
    first: $first
    after: $after
    where: {open: true, regionId: $regionId, overdue: $overdue}
  ) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      ...DeskRequest
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment RequestSummary on SupplyRequest {
  id
  code
  status
  priority
  purpose
  overdue
  submittedAt
  responseDueAt
  neededBy
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
}
fragment DeskRequest on SupplyRequest {
  ...RequestSummary
  requesterName
  requesterPhone
  note
  peopleServed
  lines {
    id
    position
    item {
      ...ItemRef
    }
    quantity
    approvedQuantity
    unorderedQuantity
    onOrderQuantity
    inTransitQuantity
    deliveredQuantity
    outstandingQuantity
  }
}`, {"hash":"sha256:208d7e30f23b42b21c8ae279573eae57641bdd1030161552da97bbf374d6874a"}) as unknown as TypedDocumentString<DeskSupplyRequestsQuery, DeskSupplyRequestsQueryVariables>;
export const DeskOrdersDocument = new TypedDocumentString(`
    query DeskOrders($status: DispatchStatus!, $regionId: ID, $first: Int = 50, $after: String) {
  dispatchOrders(
    first: $first
    after: $after
    where: {status: $status, regionId: $regionId}
  ) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      ...DeskOrder
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}
fragment DeskOrder on DispatchOrder {
  ...OrderSummary
  note
  submittedAt
  approvedAt
  lines {
    ...OrderLineProgress
    allocations {
      id
      sourceKind
      quantity
      site {
        ...SiteRef
      }
      batch {
        id
        batchNumber
        expiryDate
      }
      partner {
        id
        code
        name
      }
    }
  }
}`, {"hash":"sha256:831581c10e3dba55f0e037cb3979689a298014aab4b6413846bc956598f5d71a"}) as unknown as TypedDocumentString<DeskOrdersQuery, DeskOrdersQueryVariables>;
export const DeskInTransitDocument = new TypedDocumentString(`
    query DeskInTransit($regionId: ID, $first: Int = 50, $after: String) {
  dispatchOrders(
    first: $first
    after: $after
    where: {status: DISPATCHED, regionId: $regionId}
  ) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      ...OrderSummary
      driverName
      driverPhone
      vehiclePlate
      greenChannelPass
      lines {
        ...OrderLineProgress
      }
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}`, {"hash":"sha256:0271e4b25e8651a7457bb4e8ddc44e52c90dfd16e27cf740699f22e4fb321fb9"}) as unknown as TypedDocumentString<DeskInTransitQuery, DeskInTransitQueryVariables>;
export const DeskPlanAllocationDocument = new TypedDocumentString(`
    query DeskPlanAllocation($input: PlanAllocationInput!) {
  planAllocation(input: $input) {
    complete
    purpose
    strategy
    lines {
      ...DeskPlannedLine
    }
  }
}
    fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment DeskPlannedLine on PlannedLine {
  item {
    ...ItemRef
  }
  requested
  allocated
  shortfall
  sources {
    kind
    tier
    relation
    quantity
    usable
    distanceKm
    travelMinutes
    byWater
    reason
    site {
      ...SiteRef
    }
    batch {
      id
      batchNumber
      expiryDate
    }
    partner {
      id
      code
      name
    }
  }
}`, {"hash":"sha256:0cd1b9509f945f7a6733b54c64c7e70eb0f2078e2324f8868b22af3ffd56803f"}) as unknown as TypedDocumentString<DeskPlanAllocationQuery, DeskPlanAllocationQueryVariables>;
export const CreateDispatchOrderDocument = new TypedDocumentString(`
    mutation CreateDispatchOrder($input: CreateDispatchOrderInput!) {
  createDispatchOrder(input: $input) {
    order {
      ...DeskOrder
    }
    plan {
      complete
    }
    errors {
      ...DeskUserError
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}
fragment DeskOrder on DispatchOrder {
  ...OrderSummary
  note
  submittedAt
  approvedAt
  lines {
    ...OrderLineProgress
    allocations {
      id
      sourceKind
      quantity
      site {
        ...SiteRef
      }
      batch {
        id
        batchNumber
        expiryDate
      }
      partner {
        id
        code
        name
      }
    }
  }
}
fragment DeskUserError on UserError {
  field
  code
  message
}`, {"hash":"sha256:61d9e5473580647ad6e4a619afe093e7a7a9d05d69f8262454950ce0d39acb42"}) as unknown as TypedDocumentString<CreateDispatchOrderMutation, CreateDispatchOrderMutationVariables>;
export const SubmitDispatchOrderDocument = new TypedDocumentString(`
    mutation SubmitDispatchOrder($input: SubmitDispatchOrderInput!) {
  submitDispatchOrder(input: $input) {
    order {
      ...OrderSummary
    }
    errors {
      ...DeskUserError
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment DeskUserError on UserError {
  field
  code
  message
}`, {"hash":"sha256:788057a2417385dae95baf7a92b547629f96bed90e82020e81707571ac551898"}) as unknown as TypedDocumentString<SubmitDispatchOrderMutation, SubmitDispatchOrderMutationVariables>;
export const ApproveDispatchOrderDocument = new TypedDocumentString(`
    mutation ApproveDispatchOrder($input: ApproveDispatchOrderInput!) {
  approveDispatchOrder(input: $input) {
    order {
      ...OrderSummary
    }
    errors {
      ...DeskUserError
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment DeskUserError on UserError {
  field
  code
  message
}`, {"hash":"sha256:77581db3121ff510149364fb1b6a7851eef5d645dc648ef5e10895d5f40a0651"}) as unknown as TypedDocumentString<ApproveDispatchOrderMutation, ApproveDispatchOrderMutationVariables>;
export const MarkDispatchedDocument = new TypedDocumentString(`
    mutation MarkDispatched($input: MarkDispatchedInput!) {
  markDispatched(input: $input) {
    order {
      ...DeskOrder
    }
    errors {
      ...DeskUserError
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment OrderLineProgress on DispatchOrderLine {
  id
  position
  item {
    ...ItemRef
  }
  quantity
  allocatedQuantity
  dispatchedQuantity
  inTransitQuantity
  deliveredQuantity
  outstandingQuantity
}
fragment DeskOrder on DispatchOrder {
  ...OrderSummary
  note
  submittedAt
  approvedAt
  lines {
    ...OrderLineProgress
    allocations {
      id
      sourceKind
      quantity
      site {
        ...SiteRef
      }
      batch {
        id
        batchNumber
        expiryDate
      }
      partner {
        id
        code
        name
      }
    }
  }
}
fragment DeskUserError on UserError {
  field
  code
  message
}`, {"hash":"sha256:407928d8201a6b196dcabc8c17945e830ab17cc643daaaf7a6da4f0bf6e6ffbb"}) as unknown as TypedDocumentString<MarkDispatchedMutation, MarkDispatchedMutationVariables>;
export const MapSitesDocument = new TypedDocumentString(`
    query MapSites($regionId: ID, $tier: SiteTier, $first: Int = 100, $after: String) {
  storageSites(
    first: $first
    after: $after
    where: {regionId: $regionId, tier: $tier}
  ) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      ...MapSitePoint
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment MapSitePoint on StorageSite {
  ...SiteRef
  status
  latitude
  longitude
  address
  itemsBelowMinimum
  custodianName
  region {
    ...RegionRef
  }
}`, {"hash":"sha256:097da32f5e8edfda962efdac4725df0bc0a3be8f39a640e964d11cdae1541c7d"}) as unknown as TypedDocumentString<MapSitesQuery, MapSitesQueryVariables>;
export const MapTeamsDocument = new TypedDocumentString(`
    query MapTeams($regionId: ID, $first: Int = 100, $after: String) {
  rescueTeams(first: $first, after: $after, where: {regionId: $regionId}) {
    totalCount
    pageInfo {
      ...PageInfoParts
    }
    nodes {
      ...MapTeamPoint
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}
fragment MapTeamPoint on RescueTeam {
  ...TeamRef
  specialty
  baseLatitude
  baseLongitude
  readinessStatus
  readinessReportedAt
  stale
  activeMemberCount
  availableMembers
  deployedMembers
  region {
    ...RegionRef
  }
}`, {"hash":"sha256:da8df8da69986d603334ae18165c4302f2987b9eba52304cfa64d3ac1488c7e2"}) as unknown as TypedDocumentString<MapTeamsQuery, MapTeamsQueryVariables>;
export const MapSiteStockDocument = new TypedDocumentString(`
    query MapSiteStock($siteId: ID!, $belowMinimum: Boolean, $first: Int = 100, $after: String) {
  storageSite(id: $siteId) {
    ...MapSitePoint
    stock(first: $first, after: $after, where: {belowMinimum: $belowMinimum}) {
      totalCount
      pageInfo {
        ...PageInfoParts
      }
      nodes {
        ...MapStockRow
      }
    }
  }
}
    fragment PageInfoParts on PageInfo {
  hasNextPage
  endCursor
}
fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment MapSitePoint on StorageSite {
  ...SiteRef
  status
  latitude
  longitude
  address
  itemsBelowMinimum
  custodianName
  region {
    ...RegionRef
  }
}
fragment MapStockRow on StockLevel {
  id
  item {
    ...ItemRef
  }
  onHand
  reserved
  available
  inTransit
  minimum
  belowMinimum
  shortfall
  earliestExpiry
}`, {"hash":"sha256:d43861905a8b82bb7be444557a2ca6ed30ee7b13984a9e45596130d469203359"}) as unknown as TypedDocumentString<MapSiteStockQuery, MapSiteStockQueryVariables>;
export const WallSummaryDocument = new TypedDocumentString(`
    query WallSummary($itemIds: [ID!], $regionId: ID) {
  stockSummary(where: {itemIds: $itemIds, regionId: $regionId}) {
    ...WallItemStock
  }
  readinessSummary(where: {regionId: $regionId}) {
    ...WallReadiness
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment TeamRef on RescueTeam {
  id
  code
  name
  kind
}
fragment StockTotalsParts on StockTotals {
  onHand
  reserved
  available
  inTransit
  minimum
  sites
  sitesBelowMinimum
}
fragment WallItemStock on ItemStockSummary {
  item {
    ...ItemRef
  }
  total {
    ...StockTotalsParts
  }
  byTier {
    tier
    totals {
      ...StockTotalsParts
    }
  }
  byTownship {
    township {
      ...RegionRef
    }
    totals {
      onHand
      available
      minimum
      sites
      sitesBelowMinimum
    }
  }
}
fragment WallReadiness on ReadinessSummary {
  teams
  availableMembers
  deployedMembers
  staleTeams
  freshnessHours
  counts {
    kind
    status
    teams
    availableMembers
    staleTeams
  }
  townshipUnitsNotReady {
    region {
      ...RegionRef
    }
    team {
      ...TeamRef
    }
    status
    availableMembers
    stale
  }
}`, {"hash":"sha256:675aa54f2ec58e05ceb5f72d4de220ec5f0cc09b76fc3a5a8a07ca87bf0b9f0e"}) as unknown as TypedDocumentString<WallSummaryQuery, WallSummaryQueryVariables>;
export const WallAlertsDocument = new TypedDocumentString(`
    query WallAlerts($first: Int = 50, $kind: StockAlertKind, $expiringWithinDays: Int) {
  stockAlerts(
    first: $first
    where: {kind: $kind, expiringWithinDays: $expiringWithinDays}
  ) {
    totalCount
    nodes {
      ...WallStockAlert
    }
  }
  certificateAlerts(first: 1) {
    totalCount
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment WallStockAlert on StockAlert {
  kind
  quantity
  minimum
  shortfall
  expiryDate
  daysToExpiry
  item {
    ...ItemRef
  }
  site {
    ...SiteRef
    region {
      ...RegionRef
    }
  }
  batch {
    id
    batchNumber
  }
}`, {"hash":"sha256:fdd77efb3c464a3fff0f0e2d928018d3ac2b025c9f18dbcb0541154fbee6c493"}) as unknown as TypedDocumentString<WallAlertsQuery, WallAlertsQueryVariables>;
export const WallOpenWorkDocument = new TypedDocumentString(`
    query WallOpenWork($first: Int = 10) {
  incidents(first: $first, where: {status: OPEN}) {
    totalCount
    nodes {
      ...IncidentSummary
    }
  }
  awaitingApproval: dispatchOrders(first: $first, where: {status: SUBMITTED}) {
    totalCount
    nodes {
      ...OrderSummary
    }
  }
  inTransit: dispatchOrders(first: $first, where: {status: DISPATCHED}) {
    totalCount
    nodes {
      ...OrderSummary
    }
  }
  overdueApprovals(first: $first) {
    totalCount
    nodes {
      ...OrderSummary
    }
  }
  overdueRequests: supplyRequests(
    first: $first
    where: {open: true, overdue: true}
  ) {
    totalCount
    nodes {
      ...RequestSummary
    }
  }
}
    fragment RegionRef on Region {
  id
  code
  name
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}
fragment OrderSummary on DispatchOrder {
  id
  code
  status
  priority
  pendingApproval
  approvalOverdue
  approvalDueAt
  createdAt
  dispatchedAt
  destinationKind
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
  incident {
    id
    code
    title
  }
}
fragment RequestSummary on SupplyRequest {
  id
  code
  status
  priority
  purpose
  overdue
  submittedAt
  responseDueAt
  neededBy
  destinationRegion {
    ...RegionRef
  }
  destinationSite {
    ...SiteRef
  }
}
fragment IncidentSummary on Incident {
  id
  code
  title
  hazard
  level
  status
  occurredAt
  latitude
  longitude
  regions {
    ...RegionRef
  }
}`, {"hash":"sha256:5c051d8c41a8e6017a946a9a4057280adc2f969e6407520f8ee8c3a379bc7de6"}) as unknown as TypedDocumentString<WallOpenWorkQuery, WallOpenWorkQueryVariables>;
export const WallStockChangedDocument = new TypedDocumentString(`
    subscription WallStockChanged($regionId: ID, $tier: SiteTier, $itemId: ID) {
  stockLevelChanged(where: {regionId: $regionId, tier: $tier, itemId: $itemId}) {
    asOf
    causes
    level {
      id
      onHand
      available
      minimum
      belowMinimum
      item {
        ...ItemRef
      }
      site {
        ...SiteRef
      }
    }
  }
}
    fragment ItemRef on SupplyItem {
  id
  code
  name
  unit
}
fragment SiteRef on StorageSite {
  id
  code
  name
  tier
}`, {"hash":"sha256:9bb0f958e194299d15b66f3bcbd14450a03b95e77dc4c99f19a89c3131aba1c3"}) as unknown as TypedDocumentString<WallStockChangedSubscription, WallStockChangedSubscriptionVariables>;