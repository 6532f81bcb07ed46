// S5's reads at 1×, 10× and 100× the district. The township's stock is S1's OURS_SITES
// (bench/queries/s1.ts) with a township's region id.

/** A page of the whole database's stock levels (ordered by site, then item), keyset-paged. */
export const LEVELS_PAGE = `query Levels($first: Int!, $after: String) {
  stockLevels(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id onHand reserved available minimum belowMinimum site { code } item { code unit } }
  }
}`;

/** The district command centre's wall for one district: per item, in all, by tier and by township. */
export const DISTRICT_SUMMARY = `query DistrictSummary($region: ID!) {
  stockSummary(where: { regionId: $region }) {
    item { code name unit }
    total { onHand reserved available minimum sites sitesBelowMinimum }
    byTier { tier totals { onHand available minimum sites sitesBelowMinimum } }
    byTownship { township { code name } totals { onHand available minimum sites sitesBelowMinimum } }
  }
}`;

/**
 * The same over the whole database (no region): every district's stock summed. byTownship is
 * left out of the selection — it would list every district's townships (4,000 at 100×), a
 * different amount of output at each size rather than a different amount of work.
 */
export const ALL_SUMMARY = `query AllSummary {
  stockSummary {
    item { code }
    total { onHand reserved available minimum sites sitesBelowMinimum }
    byTier { tier totals { onHand available minimum sites sitesBelowMinimum } }
  }
}`;
