-- extreme.sql — the wheel picture at scale, for test/render: 1.5 million
-- customers going round, back and ahead, with value-realisation events
-- worth up to 2 million each (about 10^12 in all), so that every count and
-- amount of the picture is large (psql -v wheel_svg=FILE writes the SVG).
CREATE TEMP TABLE extreme_events AS
SELECT c AS customer_id, p[k]::cvfw_stage AS stage,
       '2025-01-01'::timestamptz + (c % 300) * interval '1 day' + k * interval '9 days' AS at,
       CASE WHEN p[k] = 'value_realization' THEN 2e6 * ((c % 97) + 1) / 97 ELSE 0 END AS value
FROM generate_series(1::bigint, 1500000) c,
     LATERAL (SELECT CASE c % 3
                WHEN 0 THEN '{awareness,exploration,experience,value_realization,advocacy,engagement,awareness}'
                WHEN 1 THEN '{awareness,exploration,awareness,exploration,value_realization,engagement,exploration}'
                ELSE '{awareness,experience,exploration,experience,advocacy,value_realization,engagement}'
              END::text[] AS p) path,
     generate_series(1, 1 + (c * 7919) % 7) k;
SELECT cvfw_wheel_svg(cvfw_flow_by_customer(customer_id, stage, at, value), '2026-01-01', '30 days')
FROM extreme_events \g (format=unaligned tuples_only) :wheel_svg
