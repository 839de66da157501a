-- check.sql — every live summary byte for byte against the batch summary
-- of the final events table (the batch aggregates over the table as it
-- is): per customer (flow, trend and group), per group and for everyone
-- (flow and trend); then the same after folding every pending change.
-- Prints one line per comparison, "cmp|<what>|<rows>|<differing>".
SET timezone = 'UTC';
CREATE TEMP TABLE batch_customers AS
SELECT f.customer_id, l.segment, f.flow, f.trend
FROM (SELECT customer_id, cvfw_flow(stage, at, value, cost) AS flow, cvfw_trend(stage, at, value) AS trend
      FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id) f
JOIN (SELECT DISTINCT ON (customer_id) customer_id, segment FROM events
      WHERE customer_id IS NOT NULL AND stage IS NOT NULL AND at IS NOT NULL
      ORDER BY customer_id, at DESC, stage DESC, segment DESC NULLS FIRST) l USING (customer_id)
WHERE f.flow IS NOT NULL;
CREATE TEMP TABLE batch_groups AS
SELECT segment, cvfw_merge(flow) AS flow, cvfw_merge(trend) AS trend FROM batch_customers GROUP BY segment;
CREATE TEMP VIEW comparisons AS
SELECT 'customers' AS what, (SELECT count(*) FROM batch_customers) AS rows,
       (SELECT count(*) FROM events_cvfw_customers l FULL JOIN batch_customers b USING (customer_id)
        WHERE l.flow::text IS DISTINCT FROM b.flow::text OR l.trend::text IS DISTINCT FROM b.trend::text
           OR l.segment IS DISTINCT FROM b.segment) AS differing
UNION ALL
SELECT 'groups', (SELECT count(*) FROM batch_groups),
       (SELECT count(*) FROM events_cvfw_live l FULL JOIN batch_groups b
          ON coalesce(l.segment, E'\\x01') = coalesce(b.segment, E'\\x01')
        WHERE l.flow::text IS DISTINCT FROM b.flow::text OR l.trend::text IS DISTINCT FROM b.trend::text
           OR l.customers IS DISTINCT FROM cvfw_customers(b.flow))
UNION ALL
SELECT 'groups by function', (SELECT count(*) FROM batch_groups),
       (SELECT count(*) FROM batch_groups b
        WHERE cvfw_live_flow('events', b.segment)::text IS DISTINCT FROM b.flow::text
           OR cvfw_live_trend('events', b.segment)::text IS DISTINCT FROM b.trend::text)
UNION ALL
SELECT 'everyone', 1,
       ((SELECT cvfw_live_flow('events')::text)
          IS DISTINCT FROM (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM events))::int
       + ((SELECT cvfw_live_trend('events')::text)
          IS DISTINCT FROM (SELECT cvfw_trend_by_customer(customer_id, stage, at, value)::text FROM events))::int;
SELECT 'size', (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM batch_customers) AS customers,
       (SELECT count(*) FROM events_cvfw_changes) AS pending_changes;
SELECT 'cmp', * FROM comparisons;
SELECT 'compacted', cvfw_live_compact('events') >= 0;
SELECT 'cmp', 'after compaction: ' || what AS what, rows, differing FROM comparisons;
