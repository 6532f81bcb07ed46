// The data endpoints the service ships (seeded into every new database, production included, by
// seeds/data-endpoints.seed.ts): what dashboards ask for most, written against the current
// schema — test/data-endpoints.test.ts registers each through the same checks as an
// administrator's and fetches it as JSON and CSV. Each pages with `first` (at most 100) and
// `after`; a CSV page with a next one says so in its Link header.
import { DataFormat } from "./data-endpoint.entity";

export interface ShippedEndpoint {
  name: string;
  title: string;
  description: string;
  document: string;
  formats: DataFormat[];
}

const BOTH = [DataFormat.JSON, DataFormat.CSV];

export const SHIPPED_ENDPOINTS: readonly ShippedEndpoint[] = [
  {
    name: "stock-by-site",
    title: "各储备点库存",
    description:
      "库存 Stock levels (site × item), ordered by site then item: on hand, reserved, available, in transit, minimum and shortfall. Parameters: regionCode (a township's code, e.g. KZ-S01: its sites and its villages' rooms; see /data/townships.csv) or regionId, siteCode (e.g. KZ-S01-P) or siteId, itemCode (e.g. 1010101) or itemId, tier (DISTRICT_DEPOT, TOWNSHIP_POINT, VILLAGE_ROOM), belowMinimum (true/false), orderBy (SITE, ITEM, ON_HAND, AVAILABLE, EXPIRY, UPDATED_AT, each :ASC or :DESC; repeat for more terms), first (1–100, default 100), after.",
    document: `query StockBySite($regionCode: String, $regionId: ID, $siteCode: String, $siteId: ID, $itemCode: String, $itemId: ID, $tier: SiteTier, $belowMinimum: Boolean, $orderBy: [StockLevelOrder!], $first: Int = 100, $after: String) {
  stockLevels(
    where: { regionCode: $regionCode, regionId: $regionId, siteCode: $siteCode, siteId: $siteId, itemCode: $itemCode, itemId: $itemId, tier: $tier, belowMinimum: $belowMinimum }
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        site { code name tier region { code name } }
        item { code name unit category }
        onHand
        reserved
        available
        inTransit
        minimum
        shortfall
        belowMinimum
        earliestExpiry
      }
    }
  }
}
`,
    formats: BOTH,
  },
  {
    name: "stock-alerts",
    title: "库存预警（低于最低库存、临期、过期）",
    description:
      "库存预警 What to replenish (BELOW_MINIMUM, 低于最低库存) and what expires (EXPIRING 临期, EXPIRED 过期): the logistics desk's worklist. Parameters: regionCode (e.g. KZ-S01) or regionId, siteCode or siteId, kind (BELOW_MINIMUM, EXPIRING, EXPIRED), expiringWithinDays (default 90), orderBy (KIND, SITE, ITEM, QUANTITY, EXPIRY, each :ASC or :DESC), first (default 100), after.",
    document: `query StockAlerts($regionCode: String, $regionId: ID, $siteCode: String, $siteId: ID, $kind: StockAlertKind, $expiringWithinDays: Int = 90, $orderBy: [StockAlertOrder!], $first: Int = 100, $after: String) {
  stockAlerts(
    where: { regionCode: $regionCode, regionId: $regionId, siteCode: $siteCode, siteId: $siteId, kind: $kind, expiringWithinDays: $expiringWithinDays }
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        kind
        site { code name tier }
        item { code name unit }
        quantity
        minimum
        shortfall
        batch { batchNumber }
        expiryDate
        daysToExpiry
      }
    }
  }
}
`,
    formats: BOTH,
  },
  {
    name: "team-readiness",
    title: "救援队伍战备状态",
    description:
      "战备状态 Rescue teams with their latest readiness (战备状态), ordered by code: status, when reported, stale, members active, available and deployed, the leader (personal data: masked for dashboards). Parameters: regionCode (e.g. KZ-S01) or regionId, kind, status (READY, STANDBY, DEPLOYED, RECOVERING, UNAVAILABLE), stale (true/false), orderBy (CODE, NAME, KIND, READINESS, READINESS_REPORTED_AT, AVAILABLE_MEMBERS, each :ASC or :DESC), first (default 100), after.",
    document: `query TeamReadiness($regionCode: String, $regionId: ID, $kind: TeamKind, $status: ReadinessStatus, $stale: Boolean, $orderBy: [RescueTeamOrder!], $first: Int = 100, $after: String) {
  rescueTeams(where: { regionCode: $regionCode, regionId: $regionId, kind: $kind, status: $status, stale: $stale }, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        code
        name
        kind
        specialty
        region { code name }
        readinessStatus
        readinessReportedAt
        stale
        activeMemberCount
        availableMembers
        deployedMembers
        leader { name phone }
      }
    }
  }
}
`,
    formats: BOTH,
  },
  {
    name: "open-dispatch-orders",
    title: "未结调拨单",
    description:
      "调拨单 Dispatch orders in one state, newest first — by default DISPATCHED (在途: sent, not yet signed for); status=SUBMITTED for those waiting for approval (待审批), APPROVED for those to send (待发运), DELIVERED for those signed for and not yet closed. Receiver and vehicle are personal data, masked for dashboards. Parameters: status, regionCode (the destination's, e.g. KZ-S01) or regionId, incidentCode (e.g. KZ-2026-0001) or incidentId, priority, orderBy (CODE, CREATED_AT, DISPATCHED_AT, PRIORITY, STATUS, …, each :ASC or :DESC), first (default 100), after.",
    document: `query OpenDispatchOrders($status: DispatchStatus = DISPATCHED, $regionCode: String, $regionId: ID, $incidentCode: String, $incidentId: ID, $priority: DispatchPriority, $orderBy: [DispatchOrderOrder!], $first: Int = 100, $after: String) {
  dispatchOrders(
    where: { status: $status, regionCode: $regionCode, regionId: $regionId, incidentCode: $incidentCode, incidentId: $incidentId, priority: $priority }
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        code
        status
        priority
        pendingApproval
        destinationKind
        destinationRegion { code name }
        destinationSite { code name }
        createdAt
        dispatchedAt
        deliveredAt
        approvalDueAt
        receiverName
        receiverPhone
        vehiclePlate
      }
    }
  }
}
`,
    formats: BOTH,
  },
  {
    name: "townships",
    title: "乡镇（街道）编码与 ID",
    description:
      "乡镇（街道） The district's township-level units with their codes (KZ-S01 …) — the regionCode the other data URLs take — and global ids. Parameters: orderBy (CODE, NAME, LEVEL, each :ASC or :DESC), first (default 100), after.",
    document: `query Townships($orderBy: [RegionOrder!], $first: Int = 100, $after: String) {
  regions(where: { level: TOWNSHIP }, orderBy: $orderBy, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code name kind id parent { code name } } }
  }
}
`,
    formats: BOTH,
  },
];
