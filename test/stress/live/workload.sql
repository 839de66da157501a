-- workload.sql — one random operation on the tracked events table per
-- pgbench transaction: inserts in and out of time order (single rows and
-- bulk INSERT ... SELECT), updates of stage, time, value, customer and
-- segment, deletes, transactions rolled back, several statements in one
-- transaction, REPEATABLE READ transactions, and updates that change no
-- summary.  Customers: a hot few (contention) and the rest.
\set hot random(1, 20)
\set any random(1, :customers)
\set c random(0, 3)
\if :c = 0
\set c :hot
\else
\set c :any
\endif
\set op random(1, 100)
\set s random(1, 6)
\set days random(0, 400)
\set secs random(0, 86399)
\set v random(-500, 60000)
\set k random(1, 5)
\if :op <= 25
-- one event, at a random time (out of order, for most customers)
INSERT INTO events (customer_id, segment, stage, at, value, cost)
VALUES (:c, (ARRAY['smb', 'mid', 'enterprise'])[1 + :c % 3], cvfw_stage(:s),
        timestamptz '2025-01-01' + make_interval(days => :days, secs => :secs), :v / 100.0, 1);
\elif :op <= 40
-- one event after the customer's last one (in time order)
INSERT INTO events (customer_id, segment, stage, at, value)
SELECT :c, (ARRAY['smb', 'mid', 'enterprise'])[1 + :c % 3], cvfw_stage(:s),
       coalesce(max(at), timestamptz '2025-01-01') + make_interval(secs => :secs), :v / 100.0
FROM events WHERE customer_id = :c;
\elif :op <= 45
-- a bulk insert of several customers' events in one statement
INSERT INTO events (customer_id, segment, stage, at, value, cost)
SELECT (:any + g * 7) % :customers + 1, (ARRAY['smb', 'mid', 'enterprise', NULL])[1 + g % 4],
       CASE WHEN g = 3 THEN NULL ELSE cvfw_stage(1 + (g + :s) % 6) END,
       timestamptz '2025-01-01' + make_interval(days => (:days + g * 13) % 400, secs => g),
       g * 1.25, NULL
FROM generate_series(1, 10 * :k) g;
\elif :op <= 55
UPDATE events SET stage = cvfw_stage(:s)
WHERE id = (SELECT id FROM events WHERE customer_id = :c ORDER BY at LIMIT 1 OFFSET :k - 1);
\elif :op <= 62
UPDATE events SET at = at - make_interval(days => :days / 10, secs => :secs)
WHERE id = (SELECT id FROM events WHERE customer_id = :c ORDER BY id DESC LIMIT 1);
\elif :op <= 67
UPDATE events SET value = :v / 100.0, cost = NULL WHERE customer_id = :c AND stage = cvfw_stage(:s);
\elif :op <= 70
-- an event moves to another customer
UPDATE events SET customer_id = :any
WHERE id = (SELECT id FROM events WHERE customer_id = :c ORDER BY at DESC LIMIT 1);
\elif :op <= 73
UPDATE events SET segment = (ARRAY['smb', 'mid', 'enterprise', NULL])[1 + :k % 4] WHERE customer_id = :c;
\elif :op <= 80
DELETE FROM events WHERE id = (SELECT id FROM events WHERE customer_id = :c ORDER BY at LIMIT 1);
\elif :op <= 82
DELETE FROM events WHERE customer_id = :c;
\elif :op <= 87
-- changes that are rolled back
BEGIN;
INSERT INTO events (customer_id, segment, stage, at, value)
VALUES (:c, 'smb', cvfw_stage(:s), timestamptz '2025-06-01' + make_interval(secs => :secs), 999);
DELETE FROM events WHERE customer_id = :any;
ROLLBACK;
\elif :op <= 92
-- several statements, one transaction
BEGIN;
INSERT INTO events (customer_id, segment, stage, at, value)
VALUES (:c, 'mid', cvfw_stage(:s), timestamptz '2025-03-01' + make_interval(days => :days), 10);
UPDATE events SET stage = cvfw_stage(1 + (:s % 6)) WHERE customer_id = :c AND at > timestamptz '2025-09-01';
DELETE FROM events WHERE id = (SELECT min(id) FROM events WHERE customer_id = :c);
COMMIT;
\elif :op <= 96
-- REPEATABLE READ: a serialization failure is retried by pgbench
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM events WHERE customer_id = :c;
INSERT INTO events (customer_id, segment, stage, at, value)
VALUES (:c, 'enterprise', cvfw_stage(:s), timestamptz '2025-01-01' + make_interval(days => :days, secs => :secs), 5);
UPDATE events SET value = value + 1 WHERE customer_id = :hot;
COMMIT;
\else
-- a change no summary sees
UPDATE events SET note = 'seen ' || :v WHERE customer_id = :c;
\endif
