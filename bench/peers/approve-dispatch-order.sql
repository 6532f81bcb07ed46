-- S3's peer doing the same work: what a PostGraphile 4 user writes to approve a dispatch order
-- with the rule in SQL. PostGraphile exposes this VOLATILE function as the mutation
-- `approveDispatchOrder(input: { orderId })`, run in one transaction per request. It follows our
-- approval (src/modules/dispatch/dispatch-approvals.ts, dispatch-transaction.ts,
-- src/modules/reserves/stock-ledger.ts) step by step:
--   1. the order row locked first (FOR UPDATE, with its destination's region path);
--   2. the state checked: only a SUBMITTED order is approved here (NOT_FOUND / INVALID_STATE);
--   3. the batches its site-stock allocations name locked in the fixed order (site, item, batch
--      number), so it never deadlocks with ours or with a transfer;
--   4. under the lock, per batch (quantities of the same batch summed): expired → EXPIRED,
--      more than on hand → INSUFFICIENT_STOCK, more than available → STOCK_RESERVED; a refusal
--      writes nothing but its audit row (REJECTED, as ours records a refusal in the payload);
--   5. reserved += q on each batch, the order APPROVED with who and when;
--   6. the audit row (SUCCEEDED, the order's global id as target);
--   7. NOTIFY dispatch_order_changed (the order) and stock_level_changed (each site × item),
--      delivered at COMMIT as ours publishes after COMMIT.
-- Who approves comes from the verified JWT's claims (PostGraphile sets jwt.claims.*): the role
-- must be COMMANDER or ADMIN, otherwise FORBIDDEN is raised (a top-level error, as ours).
-- Not covered, because no bench order has them: orders calling on partner enterprises (refused
-- here with UNSUPPORTED; ours checks their call-offs), verbal orders approved after the fact,
-- and the supply request an order fulfils (ours follows it in the same transaction).
-- Applied only to the bench's S3 database and to the jest test's own database
-- (test/bench-peer-approval.test.ts), never to the service's schema.
CREATE TYPE approval_outcome AS (order_id integer, status text, error_code text);

CREATE FUNCTION approve_dispatch_order(order_id integer) RETURNS approval_outcome
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  wanted_id integer := approve_dispatch_order.order_id;
  actor_role text := coalesce(current_setting('jwt.claims.app_role', true), '');
  actor_id integer := nullif(current_setting('jwt.claims.account_id', true), '')::integer;
  actor_name text := coalesce(current_setting('jwt.claims.name', true), '');
  today date := (now() AT TIME ZONE 'Asia/Shanghai')::date;
  found_status text;
  incident integer;
  region_path text;
  refusal text;
  batch record;
BEGIN
  IF actor_role NOT IN ('COMMANDER', 'ADMIN') THEN
    RAISE EXCEPTION 'FORBIDDEN: % may not approve dispatch orders', actor_role USING ERRCODE = '42501';
  END IF;

  -- 1. the order first
  SELECT o.status, o.incident_id, r.path INTO found_status, incident, region_path
  FROM dispatch_order o JOIN region r ON r.id = o.destination_region_id
  WHERE o.id = wanted_id FOR UPDATE OF o;

  -- 2. its state
  IF NOT FOUND THEN
    refusal := 'NOT_FOUND';
  ELSIF found_status <> 'SUBMITTED' THEN
    refusal := 'INVALID_STATE';
  ELSIF EXISTS (SELECT 1 FROM dispatch_allocation a WHERE a.order_id = wanted_id AND a.partner_id IS NOT NULL) THEN
    refusal := 'UNSUPPORTED';
  ELSE
    -- 3. its batches, in the fixed order
    PERFORM 1 FROM stock_batch b
    WHERE b.id IN (SELECT a.batch_id FROM dispatch_allocation a WHERE a.order_id = wanted_id AND a.source_kind = 'SITE_STOCK')
    ORDER BY b.site_id, b.item_id, b.batch_number
    FOR UPDATE OF b;
    -- 4. each checked under the lock
    FOR batch IN
      SELECT b.id, b.on_hand, b.reserved, b.expiry_date, w.quantity
      FROM (SELECT a.batch_id, sum(a.quantity)::int AS quantity FROM dispatch_allocation a
            WHERE a.order_id = wanted_id AND a.source_kind = 'SITE_STOCK' GROUP BY a.batch_id) w
      JOIN stock_batch b ON b.id = w.batch_id
      ORDER BY b.site_id, b.item_id, b.batch_number
    LOOP
      IF batch.expiry_date IS NOT NULL AND batch.expiry_date < today THEN
        refusal := 'EXPIRED';
      ELSIF batch.quantity > batch.on_hand THEN
        refusal := 'INSUFFICIENT_STOCK';
      ELSIF batch.quantity > batch.on_hand - batch.reserved THEN
        refusal := 'STOCK_RESERVED';
      END IF;
      EXIT WHEN refusal IS NOT NULL;
    END LOOP;
  END IF;

  IF refusal IS NOT NULL THEN
    INSERT INTO audit_entry (actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id)
    VALUES ('ACCOUNT', actor_id, actor_name, actor_role, 'approveDispatchOrder', '{}', jsonb_build_object('input', jsonb_build_object('id', wanted_id)),
            'REJECTED', refusal, NULL, gen_random_uuid()::text);
    RETURN (wanted_id, found_status, refusal)::approval_outcome;
  END IF;

  -- 5. reserve, and the order approved
  UPDATE stock_batch b SET reserved = b.reserved + w.quantity, updated_at = now()
  FROM (SELECT a.batch_id, sum(a.quantity)::int AS quantity FROM dispatch_allocation a
        WHERE a.order_id = wanted_id AND a.source_kind = 'SITE_STOCK' GROUP BY a.batch_id) w
  WHERE b.id = w.batch_id;
  UPDATE dispatch_order o SET status = 'APPROVED', approved_by_id = actor_id, approved_by = actor_name, pending_approval = false,
         approved_at = now(), updated_at = now()
  WHERE o.id = wanted_id;

  -- 6. the audit row
  INSERT INTO audit_entry (actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id)
  VALUES ('ACCOUNT', actor_id, actor_name, actor_role, 'approveDispatchOrder',
          ARRAY[encode(convert_to('DispatchOrder:' || wanted_id, 'UTF8'), 'base64')],
          jsonb_build_object('input', jsonb_build_object('id', wanted_id)), 'SUCCEEDED', NULL, NULL, gen_random_uuid()::text);

  -- 7. the events, delivered at COMMIT
  PERFORM pg_notify('dispatch_order_changed', json_build_object('orderId', wanted_id, 'change', 'APPROVED', 'status', 'APPROVED',
                                                                'incidentId', incident, 'regionPath', region_path)::text);
  PERFORM pg_notify('stock_level_changed', json_build_object('siteId', l.site_id, 'itemId', l.item_id, 'cause', 'RESERVATION')::text)
  FROM (SELECT DISTINCT a.site_id, a.item_id FROM dispatch_allocation a WHERE a.order_id = wanted_id AND a.source_kind = 'SITE_STOCK') l;

  RETURN (wanted_id, 'APPROVED', NULL)::approval_outcome;
END
$$;
