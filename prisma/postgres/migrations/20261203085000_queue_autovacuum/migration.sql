-- Autovacuum for the tables every delivered event rewrites (PostgreSQL only; no schema change).
-- The defaults wait for 20 % of a table to be dead before vacuuming it: the ready queue is small
-- and rewritten three times per event (queued, claimed, settled), so its dead rows would outnumber
-- its live ones many times over and every claim would walk them; the history gains one dead row
-- per event sent, and at millions of rows 20 % is hundreds of thousands of them.
ALTER TABLE "DeliveryReady" SET (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_vacuum_insert_scale_factor = 0,
  autovacuum_vacuum_insert_threshold = 5000,
  autovacuum_analyze_scale_factor = 0,
  autovacuum_analyze_threshold = 5000,
  autovacuum_vacuum_cost_delay = 0
);

ALTER TABLE "TrackingEvent" SET (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 10000,
  autovacuum_analyze_scale_factor = 0.02
);

-- A lane's row is rewritten at every quantum (taken, then given back with its buckets).
ALTER TABLE "DeliveryLane" SET (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0
);

-- Each webhook's receipt is written when it arrives and again when it is processed.
ALTER TABLE "WebhookReceipt" SET (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 10000
);
