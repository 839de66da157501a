-- memory_round.sql — one round of reports for memory.sh, run again and
-- again in one session: every cvfw aggregate, report and policy function
-- over the whole event table, and an UPDATE of many rows under the guard
-- trigger.  Each query returns one line "<name>|<md5 of its result>", so
-- memory.sh can also check that every round computes the same thing.
SELECT 'leakage_by_customer', md5(string_agg(l::text, '|'))
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                  '2026-01-01', '30 days') l;
SELECT 'leakage_merge', md5(string_agg(l::text, '|'))
FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f
                                               FROM events GROUP BY customer_id) c)) l;
SELECT 'json_by_segment', md5(string_agg(cvfw_flow_json(f, '2026-01-01', '30 days')::text, '|' ORDER BY segment))
FROM (SELECT segment, cvfw_flow_by_customer(customer_id, stage, at, value) AS f FROM events GROUP BY segment) s;
SELECT 'transitions', md5(string_agg(t::text, '|'))
FROM cvfw_transitions((SELECT cvfw_flow_by_customer(customer_id, stage, at) FROM events)) t;
SELECT 'flow_text_roundtrip', md5(string_agg(cvfw_customers(flow::text::cvfw_flow)::text, '|' ORDER BY segment, cohort))
FROM flows;
SELECT 'clv_from_flow', md5(cvfw_clv(cvfw_flow_by_customer(customer_id, stage, at, value, cost),
                                      '2026-01-01', '30 days', '30 days')::text)
FROM events;
SELECT 'clv_agg', md5(string_agg(r::text, '|' ORDER BY segment))
FROM (SELECT segment, cvfw_clv_agg(revenue, cost, tenure, churned) AS r FROM customer_value GROUP BY segment) s;
SELECT 'transition_valid', count(*) FILTER (WHERE NOT cvfw_transition_valid(prev, stage))::text
       || '/' || count(*) FILTER (WHERE NOT cvfw_transition_valid(prev, stage, 'strict'))
FROM (SELECT stage, lag(stage) OVER (PARTITION BY customer_id ORDER BY at, event_id) AS prev FROM events) e;
SELECT 'paths', count(*) FILTER (WHERE cvfw_path_valid(path))::text || '/'
       || sum(cvfw_first_invalid_step(path, 'adjacent')) || '/'
       || sum(cardinality(cvfw_allowed_next(path[1], 'strict')))
FROM paths;
SELECT 'policy_agg', md5(cvfw_policy_agg(prev, stage)::text)
FROM (SELECT stage, lag(stage) OVER (PARTITION BY customer_id ORDER BY at, event_id) AS prev FROM events) e;
SELECT 'stage_text', md5(string_agg(s, '|' ORDER BY s))
FROM (SELECT DISTINCT stage::text::cvfw_stage::text AS s FROM events) d;
SELECT 'wheel_svg', md5(cvfw_wheel_svg(cvfw_flow_by_customer(customer_id, stage, at, value, cost),
                                       '2026-01-01', '30 days'))
FROM events;
SELECT 'bi_leakage', md5(string_agg(b::text, '|' ORDER BY segment, "position")) FROM segment_bi_leakage b;
SELECT 'value_model', md5(string_agg(x, '|'))
FROM (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS f FROM events) e,
     LATERAL (SELECT (SELECT string_agg(v::text, ',') FROM cvfw_stage_value(f, '2026-01-01', '30 days') v)
             UNION ALL SELECT (SELECT string_agg(v::text, ',') FROM cvfw_value(f, '2026-01-01', '30 days') v)
             UNION ALL SELECT (SELECT string_agg(v::text, ',') FROM cvfw_fix_first(f, '2026-01-01', '30 days') v)
             UNION ALL SELECT (SELECT string_agg(v::text, ',') FROM cvfw_what_if(f, 'exploration', 0.1, '2026-01-01', '30 days') v)
             UNION ALL SELECT (SELECT string_agg(v::text, ',') FROM cvfw_dwell_km(f, '2026-01-01', '30 days') v)
             UNION ALL SELECT md5(cvfw_wheel_svg(f, '2026-01-01', '30 days', true))) r(x);
SELECT 'rfm', md5(string_agg(r::text, '|' ORDER BY customer_id))
FROM (SELECT customer_id, cvfw_rfm(at, value, '2026-01-01', '7 days') AS r FROM events GROUP BY customer_id) s;
SELECT 'cdnow_fits_and_scores', md5(string_agg(round(s.clv::numeric, 6)::text, '|' ORDER BY id)) FROM cdnow_scores s;
SELECT 'conversion_by_customer', md5(string_agg(r::text, '|'))
FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at,
       '{awareness,exploration,experience,value_realization}', '30 days', 'any, strict, by week', '2025-12-01')
       FROM events)) r;
SELECT 'conversion_merge', md5(string_agg(r::text, '|'))
FROM cvfw_bi_conversion((SELECT cvfw_conversion_merge(c)::text::cvfw_conversion
                         FROM (SELECT cvfw_conversion(stage, at, '{awareness,value_realization}', '60 days', 'by month') AS c
                               FROM events GROUP BY customer_id) s)) r;
SELECT 'retention', md5(string_agg(m::text, '|'))
FROM cvfw_retention_matrix((SELECT cvfw_retention_merge(r)::text::cvfw_retention
                            FROM (SELECT cvfw_retention(stage, at, 'awareness', 'rolling week', '2026-01-01') AS r
                                  FROM events GROUP BY customer_id) s)) m;
SELECT 'retention_by_customer', md5(string_agg(m::text, '|'))
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01',
                                                              '{value_realization,engagement}') FROM events)) m;
-- every contact one step on: always valid under the wheel policy
WITH u AS (UPDATE contacts SET stage = cvfw_next(stage) WHERE id % 4 = 0 RETURNING 1)
SELECT 'trigger_update', count(*) FROM u;
