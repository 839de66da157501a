--
-- wheel: cvfw_wheel_svg is a well-formed XML document (xmlparse) that
-- carries the numbers of cvfw_leakage and cvfw_transitions for the same
-- summary -- as data- attributes and as the visible labels -- on hand-checked
-- data and on a generated data set; the same picture whatever the session
-- settings; the empty wheel for no customers; huge amounts; errors.
--
SET timezone = 'UTC';
SET extra_float_digits = 0;
CREATE SCHEMA wheel;
SET search_path = wheel, public;

-- the README's events (hand-checked there): as of 2026-03-01 with a
-- 30-day horizon, awareness leaks 1 of 4 visits with 440 at risk,
-- exploration 1 of 3 with 60; customer 3 is still active at engagement
\i test/data/readme_events.sql
CREATE TABLE flows (name text, flow cvfw_flow);
INSERT INTO flows SELECT 'readme', cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM crm_events;

-- a generated data set: 3,000 customers
\set customers 3000
\set seed 5
\set ECHO none
\i test/data/gen_events.sql
\set ECHO all
INSERT INTO flows SELECT 'generated', cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events;

-- it parses as an XML document (xmlparse raises an error otherwise)
CREATE TABLE pictures AS
SELECT name, flow, xmlparse(document cvfw_wheel_svg(flow, '2026-03-01', '30 days')) AS doc
FROM flows;
SELECT name, length(doc::text) > 10000 AS sizeable,
       (xpath('/s:svg/@data-customers', doc, '{{s,http://www.w3.org/2000/svg}}'))[1]::text AS customers
FROM pictures ORDER BY name;

-- xpath helpers, in the SVG namespace
-- the visible labels of the hand-checked flow: leaked (share of visits),
-- value at risk, still active; and the moves round the rim
CREATE FUNCTION svg_attr(doc xml, path text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT (xpath(path, doc, '{{s,http://www.w3.org/2000/svg}}'))[1]::text $$;
CREATE FUNCTION svg_text(doc xml, path text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT array_to_string(xpath(path || '//text()', doc, '{{s,http://www.w3.org/2000/svg}}'), '') $$;
-- the compact number form of the labels, written independently from its
-- definition (below 10^15): grouped below 10,000, else one decimal and k/M/B/T
CREATE FUNCTION compact(x numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN abs(x) < 9999.5 THEN to_char(round(x), 'FM999,990')
              ELSE CASE WHEN x < 0 THEN '-' ELSE '' END ||
                   (SELECT to_char(round(abs(x) / u, 1), 'FM990.0') || suffix
                    FROM (VALUES (1e3, 'k', 1), (1e6, 'M', 2), (1e9, 'B', 3), (1e12, 'T', 4)) v(u, suffix, n)
                    WHERE round(abs(x) / u, 1) < 1000 ORDER BY n LIMIT 1) END $$;
SELECT st.stage, svg_text(doc, format('//s:text[@class="leak-label"][@data-stage="%s"]', st.stage)) AS leak_label
FROM pictures, cvfw_stages() st
WHERE name = 'readme' ORDER BY st.position;
SELECT array_to_string(xpath('.//text()', t), '') AS rim_label
FROM pictures,
     unnest(xpath('//s:g[@class="flow advanced"]/s:title', doc, '{{s,http://www.w3.org/2000/svg}}')) t
WHERE name = 'readme';

-- every stage's numbers equal cvfw_leakage's, as data and as labels
SELECT p.name, count(*) AS stages,
       bool_and(svg_attr(doc, format('//s:g[@class="stage"][@data-stage="%s"]/@data-visits', l.stage))::bigint = l.visits
            AND svg_attr(doc, format('//s:g[@class="stage"][@data-stage="%s"]/@data-customers', l.stage))::bigint = l.customers
            AND svg_attr(doc, format('//s:g[@class="stage"][@data-stage="%s"]/@data-leaked', l.stage))::bigint = l.leaked
            AND svg_attr(doc, format('//s:g[@class="stage"][@data-stage="%s"]/@data-active', l.stage))::bigint = l.active
            AND svg_attr(doc, format('//s:g[@class="stage"][@data-stage="%s"]/@data-value-at-risk', l.stage))::numeric
                = round(l.value_at_risk::numeric)
            AND svg_attr(doc, format('//s:g[@class="stage"][@data-stage="%s"]/@data-value', l.stage))::numeric
                = round(l.value::numeric)) AS data_match,
       bool_and(svg_text(doc, format('//s:text[@class="leak-label"][@data-stage="%s"]', l.stage))
                = format('%s leaked%s of visitsvalue at risk %s%s',
                         compact(l.leaked),
                         CASE WHEN l.visits = 0 THEN 'n/a'
                              ELSE to_char(round(100 * l.leaked::numeric / l.visits, 1), 'FM990.0') || '%' END,
                         compact(l.value_at_risk::numeric),
                         CASE WHEN l.active > 0 THEN compact(l.active) || ' still active' ELSE '' END))
         AS labels_match,
       bool_and(svg_text(doc, format('//s:g[@class="stage"][@data-stage="%s"]/s:text', l.stage))
                LIKE format('%%%s visit%s%s customer%s%s', compact(l.visits),
                            CASE WHEN l.visits = 1 THEN '' ELSE 's' END, compact(l.customers),
                            CASE WHEN l.customers = 1 THEN '' ELSE 's' END,
                            CASE WHEN l.value <> 0 THEN 'value ' || compact(l.value::numeric) ELSE '' END)) AS nodes_match
FROM pictures p, cvfw_leakage(p.flow, '2026-03-01', '30 days') l
GROUP BY p.name ORDER BY p.name;

-- every transition that occurred is drawn once, with its count and
-- direction; nothing else is drawn
SELECT p.name, count(*) AS transitions,
       bool_and(svg_attr(doc, format('//s:g[@data-from="%s"][@data-to="%s"]/@data-transitions',
                                     t.from_stage, t.to_stage))::bigint = t.transitions) AS counts_match,
       bool_and(svg_attr(doc, format('//s:g[@data-from="%s"][@data-to="%s"]/@class', t.from_stage, t.to_stage))
                = 'flow ' || CASE WHEN t.to_stage = cvfw_next(t.from_stage) THEN 'advanced'
                                  WHEN t.to_stage < t.from_stage THEN 'regressed' ELSE 'skipped' END) AS directions_match,
       min((SELECT count(*) FROM unnest(xpath('//s:g[starts-with(@class, "flow ")]', doc,
                                              '{{s,http://www.w3.org/2000/svg}}')))) AS drawn
FROM pictures p, cvfw_transitions(p.flow) t
GROUP BY p.name ORDER BY p.name;

-- the rim labels: moves on with their share of the stage's visits
SELECT bool_and(svg_text(doc, format('//s:g[@data-from="%s"][@data-to="%s"]/s:title', t.from_stage, t.to_stage))
                = format('%s → %s: %s moved on (%s%% of %s visits)', t.from_stage, t.to_stage,
                         to_char(t.transitions, 'FM999,999,990'),
                         to_char(round(100 * t.share::numeric, 1), 'FM990.0'), t.from_stage)) AS rim_titles_match,
       count(*) AS rim_flows
FROM pictures p, cvfw_transitions(p.flow) t
WHERE p.name = 'generated' AND t.to_stage = cvfw_next(t.from_stage);

-- without a horizon every customer's last visit leaked; the subtitle says so
SELECT svg_text(doc, '//s:text[@class="subtitle"]') AS subtitle,
       svg_text(doc, '//s:text[@class="summary"]') AS summary
FROM (SELECT xmlparse(document cvfw_wheel_svg(flow)) AS doc FROM flows WHERE name = 'readme') s;
SELECT svg_text(doc, '//s:text[@class="subtitle"]') AS subtitle FROM pictures WHERE name = 'readme';

-- the same picture whatever the session's time zone, date, interval and
-- number styles (the function is IMMUTABLE); as_of's time of day and its
-- zone only matter through its UTC day
SELECT md5(cvfw_wheel_svg(flow, '2026-03-01', '30 days')) AS utc_md5 FROM flows WHERE name = 'generated' \gset
SET timezone = 'Pacific/Kiritimati';
SET datestyle = 'SQL, DMY';
SET intervalstyle = 'iso_8601';
SET lc_numeric = 'C';
SET extra_float_digits = 3;
SELECT md5(cvfw_wheel_svg(flow, '2026-03-01 00:00+00', '30 days')) = :'utc_md5' AS same_in_other_settings,
       md5(cvfw_wheel_svg(flow, '2026-03-01 23:59:59+00', interval '720 hours')) = :'utc_md5' AS same_utc_day
FROM flows WHERE name = 'generated';
RESET timezone;
RESET datestyle;
RESET intervalstyle;
RESET lc_numeric;
SET timezone = 'UTC';
SET extra_float_digits = 0;
SELECT provolatile, proisstrict, proparallel FROM pg_proc WHERE proname = 'cvfw_wheel_svg';

-- no customers: a NULL summary (an aggregate over no rows) draws the empty wheel
SELECT svg_text(doc, '//s:text[@class="empty"]') AS empty,
       svg_text(doc, '//s:text[@class="summary"]') AS summary,
       (SELECT count(*) FROM unnest(xpath('//s:g[starts-with(@class, "flow ")]', doc,
                                          '{{s,http://www.w3.org/2000/svg}}'))) AS flows_drawn,
       (SELECT count(*) FROM unnest(xpath('//s:g[@class="stage"]', doc,
                                          '{{s,http://www.w3.org/2000/svg}}'))) AS stages_drawn
FROM (SELECT xmlparse(document cvfw_wheel_svg((SELECT cvfw_flow_by_customer(customer_id, stage, at)
                                               FROM crm_events WHERE false))) AS doc) s;

-- huge amounts: written as mantissa and exponent, still a document
SELECT svg_text(doc, '//s:text[@class="leak-label"][@data-stage="awareness"]') AS awareness,
       svg_text(doc, '//s:text[@class="summary"]') AS summary
FROM (SELECT xmlparse(document cvfw_wheel_svg(cvfw_flow_by_customer(c, s::cvfw_stage, t, v))) AS doc
      FROM (VALUES (1, 'awareness', timestamptz '2026-01-01', 0::float8),
                   (1, 'value_realization', '2026-01-02', 1e30),
                   (2, 'awareness', '2026-01-01', 0)) e(c, s, t, v)) s;

-- errors: as those of cvfw_leakage
SELECT cvfw_wheel_svg(flow, NULL, '30 days') FROM flows WHERE name = 'readme';
SELECT cvfw_wheel_svg(flow, 'infinity', '30 days') FROM flows WHERE name = 'readme';
SELECT cvfw_wheel_svg('\x00');
-- as_of without a horizon is not needed and changes nothing
SELECT cvfw_wheel_svg(flow, '2026-03-01') = cvfw_wheel_svg(flow) AS as_of_alone_ignored
FROM flows WHERE name = 'readme';

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA wheel CASCADE;
