// S1's dashboard reads, ours and the PostGraphile equivalents. The PostGraphile side reads the
// same tables through what a PostGraphile user would add to the database (bench/peers/postgraphile.sql):
// computed columns for a level's on hand / reserved / available / below-minimum (summed from the
// batches, as ours does), a function for "sites in this region's subtree", and SQL functions for
// the wall's two aggregations (the same SQL our services run).

/** A township's (or, paged, the district's) sites → stock levels → item. */
export const OURS_SITES = `query Sites($region: ID!, $first: Int!, $after: String) {
  storageSites(first: $first, after: $after, where: { regionId: $region }) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id code name tier
      stock(first: 100) {
        nodes { onHand reserved available minimum belowMinimum item { code name unit } }
      }
    }
  }
}`;

export const PEER_SITES = `query Sites($region: Int!, $first: Int!, $after: Cursor) {
  sitesInRegion(regionId: $region, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id code name tier
      stockLevelsBySiteId(first: 100, orderBy: ITEM_ID_ASC) {
        nodes { onHand reserved available minimumQuantity belowMinimum supplyItemByItemId { code name unit } }
      }
    }
  }
}`;

/** The command centre's wall: stock of ten key items by tier and township, and team readiness. */
export const OURS_WALL = `query Wall($items: [ID!]) {
  stockSummary(where: { itemIds: $items }) {
    item { code name unit }
    total { onHand reserved available minimum sites sitesBelowMinimum }
    byTier { tier totals { onHand available minimum sites sitesBelowMinimum } }
    byTownship { township { code name } totals { onHand available minimum sites sitesBelowMinimum } }
  }
  readinessSummary {
    teams availableMembers deployedMembers staleTeams
    counts { kind status teams availableMembers staleTeams }
    townshipUnitsNotReady { region { code name } status availableMembers stale }
  }
}`;

export const PEER_WALL = `query Wall($items: [Int]) {
  stockSummaryRows(itemIds: $items) {
    nodes { itemId itemCode itemName unit tier townshipCode townshipName onHand reserved available minimum sites sitesBelowMinimum }
  }
  readinessSummary
}`;
