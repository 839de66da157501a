-- value_events.sql — the example of doc/value.md: 5,000 contacts of a
-- software company walking the wheel in the first half of 2026, simulated
-- from a known chain so the page can show the model finding it.  Creates
-- table contact_events (customer_id, stage, at, value, cost).  After a visit:
--   awareness          leaks 40%, else exploration 50%, experience 10%
--   exploration        leaks 30%, else experience 45%, awareness 15%, value_realization 10%
--   experience         leaks 20%, else value_realization 55%, exploration 25%
--   value_realization  leaks 15%, else advocacy 35%, engagement 50%
--   advocacy           leaks 25%, else engagement 50%, awareness 25%
--   engagement         leaks 20%, else awareness 30% (a new round), value_realization 50%
-- Every contact starts at awareness on a day uniform in the 180 days from
-- 2026-01-01; a visit that moves on lasts 1, 2, 3, 5, 8, 13 or 21 days;
-- one event per visit, at midnight UTC; the export ends on 2026-06-30.
-- Per visit: value_realization brings 200..600 (mean 400), engagement
-- 50..250 (mean 150); awareness costs 10..30 (mean 20), exploration 5..25
-- (15), experience 0..20 (10).  Draws are hashes, the same everywhere.
CREATE TABLE contact_chain (from_stage int, to_stage int, lo float8, hi float8);
INSERT INTO contact_chain VALUES
  (1, 0, 0, 0.40), (1, 2, 0.40, 0.90), (1, 3, 0.90, 1),
  (2, 0, 0, 0.30), (2, 3, 0.30, 0.75), (2, 1, 0.75, 0.90), (2, 4, 0.90, 1),
  (3, 0, 0, 0.20), (3, 4, 0.20, 0.75), (3, 2, 0.75, 1),
  (4, 0, 0, 0.15), (4, 5, 0.15, 0.50), (4, 6, 0.50, 1),
  (5, 0, 0, 0.25), (5, 6, 0.25, 0.75), (5, 1, 0.75, 1),
  (6, 0, 0, 0.20), (6, 1, 0.20, 0.50), (6, 4, 0.50, 1);
CREATE FUNCTION contact_u(c bigint, step int, k int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(c * 4096 + step * 8 + k, 2026) & 4294967295)::float8 / 4294967296 $$;
CREATE TABLE contact_events AS
WITH RECURSIVE walk(customer_id, step, stage, day) AS (
  SELECT c, 0, 1, floor(contact_u(c, 0, 1) * 180)::int FROM generate_series(1::bigint, 5000) c
  UNION ALL
  SELECT w.customer_id, w.step + 1, n.to_stage,
         w.day + (ARRAY[1, 2, 3, 5, 8, 13, 21])[1 + floor(contact_u(w.customer_id, w.step + 1, 3) * 7)::int]
  FROM walk w
  JOIN contact_chain n ON n.from_stage = w.stage AND contact_u(w.customer_id, w.step + 1, 2) >= n.lo
                      AND contact_u(w.customer_id, w.step + 1, 2) < n.hi
  WHERE n.to_stage <> 0
    AND w.day + (ARRAY[1, 2, 3, 5, 8, 13, 21])[1 + floor(contact_u(w.customer_id, w.step + 1, 3) * 7)::int] <= 180
)
SELECT customer_id, cvfw_stage(stage) AS stage,
       timestamptz '2026-01-01 00:00:00+00' + day * interval '1 day' AS at,
       CASE stage WHEN 4 THEN 200 + floor(contact_u(customer_id, step, 4) * 401)
                  WHEN 6 THEN 50 + floor(contact_u(customer_id, step, 4) * 201) ELSE 0 END AS value,
       CASE stage WHEN 1 THEN 10 + floor(contact_u(customer_id, step, 5) * 21)
                  WHEN 2 THEN 5 + floor(contact_u(customer_id, step, 5) * 21)
                  WHEN 3 THEN floor(contact_u(customer_id, step, 5) * 21) ELSE 0 END AS cost
FROM walk;
