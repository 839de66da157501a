-- setup.sql — the live-tracking property test's database: an events table
-- with a hot and a cold set of customers, some events already there when
-- tracking is attached, grouped by segment.  psql variables: customers, seed.
CREATE EXTENSION IF NOT EXISTS cvfw;
SET timezone = 'UTC';
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  customer_id bigint,
  segment text,
  stage cvfw_stage,
  at timestamptz,
  value numeric(12, 2),
  cost numeric(12, 2),
  note text
);
SELECT setseed(:seed / 1000.0);
-- a third of the customers start with some history (in and out of order, a
-- few unusable rows without a stage or a time)
INSERT INTO events (customer_id, segment, stage, at, value, cost)
SELECT c,
       (ARRAY['smb', 'mid', 'enterprise', NULL])[1 + (c % 4)],
       CASE WHEN random() < 0.01 THEN NULL ELSE cvfw_stage(1 + floor(random() * 6)::int) END,
       timestamptz '2025-01-01' + random() * interval '400 days',
       round((random() * 600 - 50)::numeric, 2),
       CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 30)::numeric, 2) END
FROM generate_series(1, :customers / 3) c, generate_series(1, 1 + (random() * 5)::int) i;
SELECT cvfw_track('events', customer => 'customer_id', stage => 'stage', at => 'at',
                  value => 'value', cost => 'cost', group_by => '{segment}') IS NOT NULL AS tracked;
