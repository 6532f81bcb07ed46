-- What a PostGraphile 4 user adds to the database to serve S1's dashboard reads from our tables.
-- Applied only to S1's clone of the bench database (never to the service's own schema).
-- PostGraphile inlines computed columns (functions named <table>_<field> taking the row) and
-- exposes STABLE functions returning rows as query fields; these are its idiomatic tools.

-- A level's quantities are summed from its batches, exactly as our LEVEL_AGGREGATE does.
CREATE FUNCTION stock_level_on_hand(l stock_level) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(b.on_hand), 0)::int FROM stock_batch b WHERE b.site_id = l.site_id AND b.item_id = l.item_id
$$;
CREATE FUNCTION stock_level_reserved(l stock_level) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(b.reserved), 0)::int FROM stock_batch b WHERE b.site_id = l.site_id AND b.item_id = l.item_id
$$;
CREATE FUNCTION stock_level_available(l stock_level) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(b.on_hand - b.reserved), 0)::int FROM stock_batch b WHERE b.site_id = l.site_id AND b.item_id = l.item_id
$$;
CREATE FUNCTION stock_level_below_minimum(l stock_level) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(b.on_hand - b.reserved), 0) < l.minimum_quantity FROM stock_batch b WHERE b.site_id = l.site_id AND b.item_id = l.item_id
$$;

-- Sites in a region's subtree (a township with its villages' rooms; the district: all), by code.
CREATE FUNCTION sites_in_region(region_id integer) RETURNS SETOF storage_site LANGUAGE sql STABLE AS $$
  SELECT s.* FROM storage_site s JOIN region r ON r.id = s.region_id
  WHERE r.path LIKE (SELECT p.path FROM region p WHERE p.id = sites_in_region.region_id) || '%'
  ORDER BY s.code, s.id
$$;

-- The wall's stock part: the same GROUPING SETS aggregation our stockSummary runs, flattened
-- into rows (tier and township null on an item's total row).
CREATE TYPE stock_summary_row AS (
  item_id integer, item_code text, item_name text, unit text, tier text, township_code text, township_name text,
  on_hand integer, reserved integer, available integer, minimum integer, sites integer, sites_below_minimum integer
);
CREATE FUNCTION stock_summary_rows(item_ids integer[]) RETURNS SETOF stock_summary_row LANGUAGE sql STABLE AS $$
  WITH batch_totals AS (
    SELECT b.site_id, b.item_id, sum(b.on_hand) AS on_hand, sum(b.reserved) AS reserved
    FROM stock_batch b WHERE item_ids IS NULL OR b.item_id = ANY(item_ids)
    GROUP BY b.site_id, b.item_id
  ), levels AS (
    SELECT l.item_id, s.tier, CASE r.depth WHEN 1 THEN r.id WHEN 2 THEN r.parent_id END AS township_id,
           l.minimum_quantity AS minimum, coalesce(t.on_hand, 0) AS on_hand, coalesce(t.reserved, 0) AS reserved
    FROM stock_level l
    JOIN storage_site s ON s.id = l.site_id
    JOIN region r ON r.id = s.region_id
    LEFT JOIN batch_totals t ON t.site_id = l.site_id AND t.item_id = l.item_id
    WHERE item_ids IS NULL OR l.item_id = ANY(item_ids)
  ), grouped AS (
    SELECT i.id AS item_id, lv.tier, lv.township_id, GROUPING(lv.tier) AS tier_grouped, GROUPING(lv.township_id) AS township_grouped,
           coalesce(sum(lv.on_hand), 0)::int AS on_hand, coalesce(sum(lv.reserved), 0)::int AS reserved,
           coalesce(sum(lv.minimum), 0)::int AS minimum, count(lv.item_id)::int AS sites,
           count(*) FILTER (WHERE lv.on_hand - lv.reserved < lv.minimum)::int AS sites_below_minimum
    FROM supply_item i LEFT JOIN levels lv ON lv.item_id = i.id
    WHERE item_ids IS NULL OR i.id = ANY(item_ids)
    GROUP BY GROUPING SETS ((i.id), (i.id, lv.tier), (i.id, lv.township_id))
  )
  SELECT g.item_id, i.code, i.name, i.unit, g.tier, u.code, u.name, g.on_hand, g.reserved, g.on_hand - g.reserved, g.minimum, g.sites, g.sites_below_minimum
  FROM grouped g JOIN supply_item i ON i.id = g.item_id LEFT JOIN region u ON u.id = g.township_id
  WHERE (g.tier_grouped = 1 AND g.township_grouped = 1) OR (g.tier_grouped = 0 AND g.tier IS NOT NULL) OR (g.township_grouped = 0 AND g.township_id IS NOT NULL)
  ORDER BY i.code, g.tier NULLS FIRST, u.code NULLS FIRST
$$;

-- The wall's readiness part: the same SQL as our readinessSummary (freshness window 24 hours),
-- returned as one JSON document, as ours builds its lists with json_agg.
CREATE FUNCTION readiness_summary() RETURNS json LANGUAGE sql STABLE AS $$
  WITH teams AS (
    SELECT t.kind, t.readiness_status AS status, t.available_members, t.deployed_members,
           (t.readiness_reported_at IS NULL OR t.readiness_reported_at < now() - make_interval(hours => 24)) AS stale
    FROM rescue_team t
  ), counts AS (
    SELECT kind, status, count(*)::int AS teams, sum(available_members)::int AS "availableMembers",
           (count(*) FILTER (WHERE stale))::int AS "staleTeams"
    FROM teams GROUP BY kind, status
  ), townships AS (
    SELECT u.code, u.name, t.readiness_status AS status, coalesce(t.available_members, 0) AS "availableMembers",
           (t.id IS NULL OR t.readiness_reported_at IS NULL OR t.readiness_reported_at < now() - make_interval(hours => 24)) AS stale
    FROM region u LEFT JOIN rescue_team t ON t.region_id = u.id AND t.kind = 'TOWNSHIP'
    WHERE u.level = 'TOWNSHIP' AND t.readiness_status IS DISTINCT FROM 'READY'
  )
  SELECT json_build_object(
    'teams', (SELECT count(*)::int FROM teams),
    'availableMembers', (SELECT coalesce(sum(available_members), 0)::int FROM teams),
    'deployedMembers', (SELECT coalesce(sum(deployed_members), 0)::int FROM teams),
    'staleTeams', (SELECT (count(*) FILTER (WHERE stale))::int FROM teams),
    'counts', (SELECT coalesce(json_agg(counts ORDER BY kind, status NULLS FIRST), '[]') FROM counts),
    'townshipUnitsNotReady', (SELECT coalesce(json_agg(townships ORDER BY code), '[]') FROM townships))
$$;

-- PostGraphile names every row's global id `nodeId`; a column of that name (a road closure's
-- place, road_closure.node_id) would collide with it and stop its schema from building.
COMMENT ON COLUMN road_closure.node_id IS E'@name closedNodeId';
-- A distribution's reversal points at the entry it reverses, once (a unique self-reference):
-- PostGraphile would name the relation's two ends alike (distributionByReversesId) and stop.
COMMENT ON CONSTRAINT "FK_distribution_reverses" ON distribution IS E'@foreignSingleFieldName reversal';
