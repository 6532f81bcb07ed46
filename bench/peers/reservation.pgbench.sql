-- S3's peer: the bare SQL of one reservation, run by pgbench on the same server and data.
-- Lock the batch, check what is available under the lock, reserve one unit, write the ledger
-- row, commit. :batch is the hot batch (-D batch=…) or, spread, a random one of the bench
-- batches (one per site, consecutive ids from :lo to :hi).
\if :spread
\set batch random(:lo, :hi)
\endif
BEGIN;
SELECT on_hand - reserved AS available FROM stock_batch WHERE id = :batch FOR UPDATE \gset
\if :available >= 1
UPDATE stock_batch SET reserved = reserved + 1, updated_at = now() WHERE id = :batch;
INSERT INTO bench_reservation_ledger (batch_id, quantity) VALUES (:batch, 1);
\endif
END;
