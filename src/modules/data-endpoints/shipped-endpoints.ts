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
      "库存 Stock levels (site × item), ordered by site then item: on hand, reserved, available, in transit, minimum and shortfall. Parameters: regionId (a township's global id: its sites and its villages' rooms; see /data/townships.csv), siteId, itemId, tier (DISTRICT_DEPOT, TOWNSHIP_POINT, VILLAGE_ROOM), belowMinimum (true/false), first (1–100, default 100), after.",
    document: `query StockBySite($regionId: ID, $siteId: ID, $itemId: ID, $tier: SiteTier, $belowMinimum: Boolean, $first: Int = 100, $after: String) {
  stockLevels(where: { regionId: $regionId, siteId: $siteId, itemId: $itemId, tier: $tier, belowMinimum: $belowMinimum }, first: $first, after: $after) {
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
      "库存预警 What to replenish (BELOW_MINIMUM, 低于最低库存) and what expires (EXPIRING 临期, EXPIRED 过期): the logistics desk's worklist. Parameters: regionId, kind (BELOW_MINIMUM, EXPIRING, EXPIRED), expiringWithinDays (default 90), first (default 100), after.",
    document: `query StockAlerts($regionId: ID, $kind: StockAlertKind, $expiringWithinDays: Int = 90, $first: Int = 100, $after: String) {
  stockAlerts(where: { regionId: $regionId, kind: $kind, expiringWithinDays: $expiringWithinDays }, first: $first, after: $after) {
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
      "战备状态 Rescue teams with their latest readiness (战备状态), ordered by code: status, when reported, stale, members active, available and deployed, the leader (personal data: masked for dashboards). Parameters: regionId, kind, status (READY, STANDBY, DEPLOYED, RECOVERING, UNAVAILABLE), stale (true/false), first (default 100), after.",
    document: `query TeamReadiness($regionId: ID, $kind: TeamKind, $status: ReadinessStatus, $stale: Boolean, $first: Int = 100, $after: String) {
  rescueTeams(where: { regionId: $regionId, kind: $kind, status: $status, stale: $stale }, first: $first, after: $after) {
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
      "调拨单 Dispatch orders in one state, newest first — by default DISPATCHED (在途: sent, not yet signed for); status=SUBMITTED for those waiting for approval (待审批), APPROVED for those to send (待发运), DELIVERED for those signed for and not yet closed. Receiver and vehicle are personal data, masked for dashboards. Parameters: status, regionId (the destination's), priority, first (default 100), after.",
    document: `query OpenDispatchOrders($status: DispatchStatus = DISPATCHED, $regionId: ID, $priority: DispatchPriority, $first: Int = 100, $after: String) {
  dispatchOrders(where: { status: $status, regionId: $regionId, priority: $priority }, first: $first, after: $after) {
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
      "乡镇（街道） The district's township-level units with their codes (KZ-S01 …) and global ids: the regionId the other data URLs take. Parameters: first (default 100), after.",
    document: `query Townships($first: Int = 100, $after: String) {
  regions(where: { level: TOWNSHIP }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code name kind id parent { code name } } }
  }
}
`,
    formats: BOTH,
  },
];
