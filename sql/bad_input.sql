--
-- bad_input: the catalogue of bad input (README "Bad input").  For every
-- input function and aggregate: malformed, truncated, oversized and
-- non-ASCII text, corrupted binary COPY, NULLs, NaN and infinities, huge
-- values and empty groups, each with its SQLSTATE or result; a failed COPY
-- or UPDATE leaves the table as it was.
--
SET timezone = 'UTC';

-- 1. Text input.  22P02 in the core wording; the message quotes at most 100
-- bytes of the input (40 of a cvfw_flow's hex), cut at a character boundary.
CREATE TABLE bad_text (typ text, what text, input text);
INSERT INTO bad_text VALUES
  ('cvfw_stage', 'malformed', 'awareness!'),
  ('cvfw_stage', 'truncated', 'value_realiz'),
  ('cvfw_stage', 'empty', ''),
  ('cvfw_stage', 'non-ASCII look-alike (Cyrillic a)', 'awаreness'),
  ('cvfw_stage', 'non-ASCII', 'Ädvocacy'),
  ('cvfw_stage', 'oversized, 1 MB', repeat('a', 1000000)),
  ('cvfw_stage', 'oversized, 2-byte characters', repeat('é', 500000)),
  ('cvfw_policy', 'malformed', 'awareness>>exploration'),
  ('cvfw_policy', 'truncated', 'awareness>'),
  ('cvfw_policy', 'empty', ''),
  ('cvfw_policy', 'non-ASCII', 'awareness→exploration'),
  ('cvfw_policy', 'oversized, 1 MB', repeat('x', 1000000)),
  ('cvfw_policy', 'oversized item, 3-byte characters', 'wheel, ' || repeat('→', 100000)),
  ('cvfw_flow', 'malformed', '\xzz'),
  ('cvfw_flow', 'non-ASCII', '\x01é'),
  ('cvfw_flow', 'oversized, 2 MB', '\x' || repeat('ab', 1000000)),
  ('cvfw_flow', 'oversized, 2-byte characters', '\x' || repeat('é', 100));
SELECT typ, what, r.state, length(r.message) AS message_length,
       left(r.message, 60) AS message_starts, left(r.detail, 60) AS detail_starts
FROM bad_text, LATERAL regress.try(format('SELECT %L::%s', input, typ)) r;
-- the quoted input ends in "..." when cut, and is valid text (the cut is
-- at a character boundary, or the message could not be sent at all)
SELECT typ, what, right(r.message, 8) AS message_ends, right(r.detail, 30) AS detail_ends
FROM bad_text, LATERAL regress.try(format('SELECT %L::%s', input, typ)) r
WHERE what LIKE 'oversized%';
-- a long but valid literal is fine: 1 MB of one repeated edge
SELECT (repeat('awareness>exploration, ', 45000) || 'wheel')::cvfw_policy AS long_literal;
-- a truncated summary: the last byte of a valid one missing
SELECT (regress.try(format('SELECT %L::cvfw_flow',
          left(cvfw_flow('awareness', '2026-01-01')::text, -2)))).*;

-- 2. Corrupted binary COPY into a populated table: 22P03, and the table is
-- unchanged.  The file is the table's own binary COPY, damaged here and
-- written in the server's data directory (programs run there).
CREATE TABLE bad_copy (id int, stage cvfw_stage, policy cvfw_policy, flow cvfw_flow);
INSERT INTO bad_copy
SELECT i, cvfw_stage(i % 6 + 1), 'strict, advocacy>awareness', f.flow
FROM generate_series(1, 5) i,
     LATERAL (SELECT cvfw_flow(cvfw_stage(j % 6 + 1), '2026-01-01'::timestamptz + j * interval '1 day', j, 1)
              FROM (VALUES (i)) v(j)) f(flow);
CREATE TEMP TABLE bad_copy_before AS SELECT * FROM bad_copy;
COPY bad_copy TO PROGRAM 'cat > cvfw_bad_input.bin' (FORMAT binary);
CREATE TEMP TABLE good_file AS SELECT pg_read_binary_file('cvfw_bad_input.bin') AS f;
CREATE FUNCTION pg_temp.copy_bytes(bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('COPY (SELECT %L) TO PROGRAM %L',
                 translate(encode(bytes, 'base64'), E'\n', ''), 'base64 -d > cvfw_bad_input.bin');
  RETURN (SELECT state || coalesce(': ' || message, '')
          FROM regress.try('COPY bad_copy FROM PROGRAM ''cat cvfw_bad_input.bin'' (FORMAT binary)'));
END $$;
SELECT what, pg_temp.copy_bytes(bytes) AS copy
FROM good_file,
     LATERAL (VALUES
       -- a stage's wheel position (its 2nd byte) out of range
       ('stage position 9',
        set_byte(f, position(cvfw_stage_send('experience') IN f), 9)),
       -- a policy with an unknown format version (its 1st byte)
       ('policy format version 127',
        set_byte(f, position(cvfw_policy_send('strict, advocacy>awareness') IN f) - 1, 127)),
       -- a flipped bit in the middle of the third flow summary
       ('flow bit flipped',
        (SELECT set_bit(f, (position(s IN f) + length(s) / 2) * 8, 1 - get_bit(f, (position(s IN f) + length(s) / 2) * 8))
         FROM (SELECT cvfw_flow_send(flow) AS s FROM bad_copy WHERE id = 3) x)),
       ('file cut short', substr(f, 1, length(f) - 7)),
       ('not a COPY file', '\x0001020304'::bytea)
     ) c(what, bytes);
-- a text COPY with one bad line among good ones: nothing is loaded
COPY bad_copy FROM STDIN;
10	awareness	wheel	\N
11	awarenes	wheel	\N
12	advocacy	wheel	\N
\.
SELECT count(*) AS rows, count(*) = (SELECT count(*) FROM bad_copy_before) AS same_count,
       bool_and(a::text = b::text) AS same_rows
FROM bad_copy a JOIN bad_copy_before b USING (id);
SELECT pg_temp.copy_bytes(f) AS good_file_loads FROM good_file;
SELECT count(*) AS rows_after_a_good_copy FROM bad_copy;
COPY (SELECT 1) TO PROGRAM 'rm -f cvfw_bad_input.bin';

-- 3. A failed UPDATE changes nothing: one refused row fails the statement.
CREATE TABLE bad_update (id int PRIMARY KEY, stage cvfw_stage, label text);
INSERT INTO bad_update VALUES (1, 'experience', 'a'), (2, 'advocacy', 'b'), (3, 'awareness', 'c');
CREATE TRIGGER guard BEFORE UPDATE ON bad_update FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
CREATE TABLE bad_update_text (id int PRIMARY KEY, stage text);
INSERT INTO bad_update_text VALUES (1, 'Awareness'), (2, 'experience');
CREATE TRIGGER guard BEFORE UPDATE ON bad_update_text FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
CREATE TEMP TABLE bad_update_before AS SELECT * FROM bad_update;
CREATE TEMP TABLE bad_update_text_before AS SELECT * FROM bad_update_text;
-- experience>value_realization and advocacy>value_realization are allowed;
-- the last row's awareness>value_realization skips forward and is refused
SELECT (regress.try($$UPDATE bad_update SET stage = 'value_realization', label = label || '!'$$)).*;
-- a text column: the first row's change is allowed, the second's new value
-- is not a stage
SELECT (regress.try($$UPDATE bad_update_text SET stage = CASE id WHEN 1 THEN 'exploration' ELSE 'explorer' END$$)).*;
SELECT (SELECT count(*) FROM bad_update a JOIN bad_update_before b USING (id)
        WHERE a IS NOT DISTINCT FROM b) AS unchanged,
       (SELECT count(*) FROM bad_update_text a JOIN bad_update_text_before b USING (id)
        WHERE a IS NOT DISTINCT FROM b) AS unchanged_text;

-- 4. NULLs.  Functions are STRICT: NULL in, NULL out.  Aggregates skip a row
-- with NULL in an argument they cannot do without; a NULL amount counts as 0.
-- Each line compares the aggregate over good rows plus the NULL row with the
-- aggregate over the good rows alone (or, for amounts, with 0 in its place).
CREATE TABLE null_rows (k int, s cvfw_stage, t timestamptz, v float8, c float8, id bigint,
                        f cvfw_flow, tenure interval, churned bool);
INSERT INTO null_rows VALUES
  (0, 'awareness', '2026-01-01', 5, 1, 1, NULL, '10 days', true),
  (0, 'exploration', '2026-01-03', 7, 2, 1, NULL, '20 days', false);
UPDATE null_rows SET f = (SELECT cvfw_flow(s, t, v, c) FROM null_rows);
SELECT what, with_null IS NOT DISTINCT FROM without AS same
FROM (VALUES
  ('cvfw_flow: NULL stage skipped',
   (SELECT cvfw_flow(s, t, v, c)::text FROM (SELECT s, t, v, c FROM null_rows UNION ALL SELECT NULL, '2026-01-02', 1, 1) x),
   (SELECT cvfw_flow(s, t, v, c)::text FROM null_rows)),
  ('cvfw_flow: NULL time skipped',
   (SELECT cvfw_flow(s, t, v, c)::text FROM (SELECT s, t, v, c FROM null_rows UNION ALL SELECT 'advocacy', NULL, 1, 1) x),
   (SELECT cvfw_flow(s, t, v, c)::text FROM null_rows)),
  ('cvfw_flow: NULL value and cost count as 0',
   (SELECT cvfw_flow(s, t, v, c)::text FROM (SELECT s, t, v, c FROM null_rows UNION ALL SELECT 'advocacy', '2026-01-05', NULL, NULL) x),
   (SELECT cvfw_flow(s, t, v, c)::text FROM (SELECT s, t, v, c FROM null_rows UNION ALL SELECT 'advocacy', '2026-01-05', 0, 0) x)),
  ('cvfw_merge: NULL summary skipped',
   (SELECT cvfw_merge(f)::text FROM ((SELECT f FROM null_rows LIMIT 1) UNION ALL SELECT NULL) x),
   (SELECT cvfw_merge(f)::text FROM (SELECT f FROM null_rows LIMIT 1) x)),
  ('cvfw_flow_by_customer: NULL customer skipped',
   (SELECT cvfw_flow_by_customer(id, s, t, v, c)::text FROM (SELECT id, s, t, v, c FROM null_rows UNION ALL SELECT NULL, 'advocacy', '2026-01-05', 1, 1) x),
   (SELECT cvfw_flow_by_customer(id, s, t, v, c)::text FROM null_rows)),
  ('cvfw_flow_by_customer: NULL text customer skipped',
   (SELECT cvfw_flow_by_customer(id::text, s, t, v, c)::text FROM (SELECT id, s, t, v, c FROM null_rows UNION ALL SELECT NULL, 'advocacy', '2026-01-05', 1, 1) x),
   (SELECT cvfw_flow_by_customer(id, s, t, v, c)::text FROM null_rows)),
  ('cvfw_flow_by_customer: NULL uuid customer skipped',
   (SELECT cvfw_flow_by_customer(md5(id::text)::uuid, s, t, v, c)::text FROM (SELECT id, s, t, v, c FROM null_rows UNION ALL SELECT NULL, 'advocacy', '2026-01-05', 1, 1) x),
   (SELECT cvfw_flow_by_customer(id, s, t, v, c)::text FROM null_rows)),
  ('cvfw_policy_agg: NULL stage skipped',
   (SELECT cvfw_policy_agg(a, b)::text FROM (VALUES ('awareness'::cvfw_stage, 'advocacy'::cvfw_stage), (NULL, 'awareness')) x(a, b)),
   (SELECT cvfw_policy_agg(a, b)::text FROM (VALUES ('awareness'::cvfw_stage, 'advocacy'::cvfw_stage)) x(a, b))),
  ('min/max: NULL skipped',
   (SELECT min(s)::text || max(s)::text FROM (SELECT s FROM null_rows UNION ALL SELECT NULL) x),
   (SELECT min(s)::text || max(s)::text FROM null_rows)),
  ('cvfw_clv_agg: NULL tenure skipped',
   (SELECT cvfw_clv_agg(v, c, tenure, churned)::text FROM (SELECT v, c, tenure, churned FROM null_rows UNION ALL SELECT 1, 1, NULL, true) x),
   (SELECT cvfw_clv_agg(v, c, tenure, churned)::text FROM null_rows)),
  ('cvfw_clv_agg: NULL churn flag skipped',
   (SELECT cvfw_clv_agg(v, c, tenure, churned)::text FROM (SELECT v, c, tenure, churned FROM null_rows UNION ALL SELECT 1, 1, '1 day', NULL) x),
   (SELECT cvfw_clv_agg(v, c, tenure, churned)::text FROM null_rows)),
  ('cvfw_rfm: NULL time skipped',
   (SELECT cvfw_rfm(at, a, '2026-02-01', '7 days')::text FROM (VALUES ('2026-01-01'::timestamptz, 10::float8), ('2026-01-15', 20), (NULL, 5)) x(at, a)),
   (SELECT cvfw_rfm(at, a, '2026-02-01', '7 days')::text FROM (VALUES ('2026-01-01'::timestamptz, 10::float8), ('2026-01-15', 20)) x(at, a))),
  ('cvfw_rfm: NULL amount counts as 0',
   (SELECT cvfw_rfm(at, a, '2026-02-01', '7 days')::text FROM (VALUES ('2026-01-01'::timestamptz, 10::float8), ('2026-01-15', NULL)) x(at, a)),
   (SELECT cvfw_rfm(at, a, '2026-02-01', '7 days')::text FROM (VALUES ('2026-01-01'::timestamptz, 10::float8), ('2026-01-15', 0)) x(at, a))),
  ('cvfw_clv_agg: NULL revenue and cost count as 0',
   (SELECT cvfw_clv_agg(v, c, tenure, churned)::text FROM (SELECT v, c, tenure, churned FROM null_rows UNION ALL SELECT NULL, NULL, '5 days', false) x),
   (SELECT cvfw_clv_agg(v, c, tenure, churned)::text FROM (SELECT v, c, tenure, churned FROM null_rows UNION ALL SELECT 0, 0, '5 days', false) x))
) t(what, with_null, without);
SELECT (regress.try('SELECT cvfw_clv_agg(1, 1, ''1 day'', true, NULL) FROM null_rows')).*;
SELECT cvfw_next(NULL) IS NULL AS next, cvfw_clv(NULL::float8, 1, 1) IS NULL AS clv,
       cvfw_transition_valid('awareness', NULL, 'wheel') IS NULL AS valid,
       cvfw_leak_rate(NULL::cvfw_flow, 'awareness') IS NULL AS rate;
-- the value model: a NULL stage, leak rate or fraction gives no row or NULL;
-- NULL as_of and horizon are no horizon
SELECT (SELECT count(*) FROM cvfw_what_if(f, NULL, 0.5)) AS what_if_null_stage,
       (SELECT count(*) FROM cvfw_what_if(f, 'awareness', NULL)) AS what_if_null_rate,
       (SELECT count(*) FROM cvfw_what_if(NULL, 'awareness', 0.5)) AS what_if_null_flow,
       cvfw_dwell_km_percentile(f, NULL, 0.5) IS NULL AS km_null_stage,
       cvfw_dwell_km_percentile(f, 'awareness', NULL) IS NULL AS km_null_fraction,
       (SELECT array_agg(v::text) FROM cvfw_stage_value(f, NULL, NULL) v)
         = (SELECT array_agg(v::text) FROM cvfw_stage_value(f) v) AS null_horizon_is_none
FROM (SELECT cvfw_flow_by_customer(id, s, t, v, c) AS f FROM null_rows) x;

-- 5. NaN, infinities and sums out of range: 22023 for a bad argument, 22003
-- for a sum or result out of range, 22008 for an infinite time.  (The
-- model fits' other refusals are in the btyd test.)
SELECT stmt, (regress.try(stmt)).state, (regress.try(stmt)).message
FROM unnest(ARRAY[
  'SELECT cvfw_flow(''awareness'', ''2026-01-01'', ''NaN'', 0)',
  'SELECT cvfw_flow(''awareness'', ''2026-01-01'', 0, ''-Infinity'')',
  'SELECT cvfw_flow(''awareness'', ''infinity'')',
  'SELECT cvfw_flow(''awareness'', ''-infinity'')',
  'SELECT cvfw_flow(s, t, 1e308, 0) FROM (VALUES (''awareness''::cvfw_stage, ''2026-01-01''::timestamptz), (''advocacy'', ''2026-01-02'')) x(s, t)',
  'SELECT cvfw_flow(''awareness'', ''2026-01-01'', 0, -1e32)',
  'SELECT cvfw_flow(s, t, 9e30, 0) FROM (VALUES (''awareness''::cvfw_stage, ''2026-01-01''::timestamptz), (''advocacy'', ''2026-01-02''), (''awareness'', ''2026-01-03'')) x(s, t)',
  'SELECT cvfw_flow_by_customer(1, ''awareness'', ''2026-01-01'', ''Infinity'', 0)',
  'SELECT cvfw_flow_by_customer(1, ''awareness'', ''2026-01-01'', 1e300, 0)',
  'SELECT cvfw_flow_by_customer(1, ''awareness'', ''infinity'')',
  'SELECT cvfw_flow_by_customer(''a''::text, ''awareness'', ''2026-01-01'', 0, ''NaN'')',
  'SELECT cvfw_flow_by_customer(gen_random_uuid(), ''awareness'', ''-infinity'')',
  'SELECT cvfw_flow_by_customer(''a''::text, s, t, 1e308, 0) FROM (VALUES (''awareness''::cvfw_stage, ''2026-01-01''::timestamptz), (''awareness'', ''2026-01-02'')) x(s, t)',
  'SELECT cvfw_clv_agg(''NaN'', 0, ''1 day'', true)',
  'SELECT cvfw_clv_agg(0, ''Infinity'', ''1 day'', true)',
  'SELECT cvfw_clv_agg(1e308, 0, t, true) FROM (VALUES (interval ''1 day''), (''2 days'')) x(t)',
  'SELECT cvfw_clv_agg(1, 0, ''-1 day'', true)',
  'SELECT cvfw_rfm(''2026-01-01'', ''NaN'', ''2026-02-01'', ''7 days'')',
  'SELECT cvfw_rfm(''infinity'', 1, ''2026-02-01'', ''7 days'')',
  'SELECT cvfw_bgnbd_fit(1, ''NaN'', 3)',
  'SELECT cvfw_bgnbd_fit(1, 1, ''Infinity'')',
  'SELECT cvfw_gg_fit(1, ''-Infinity'')',
  'SELECT cvfw_bgnbd_fit(1, 1, 3, ''NaN'')',
  'SELECT cvfw_bgnbd_fit(1, 1, 3, ''Infinity'')',
  'SELECT cvfw_bgnbd_fit_summary(''Infinity'', 1, 3)',
  'SELECT cvfw_pnbd_fit(1, ''NaN'', 3)',
  'SELECT cvfw_pnbd_fit(1, 1, 3, ''-Infinity'')',
  'SELECT cvfw_pnbd_expected(ROW(0.5, ''NaN'', 0.6, 11, NULL, NULL), 1)',
  'SELECT cvfw_pnbd_expected(ROW(0.5, 10, 0.6, ''Infinity'', NULL, NULL), 1)',
  'SELECT cvfw_pnbd_conditional(ROW(0.5, 10, 0.6, 11, NULL, NULL), 1, 1, 3, ''Infinity'')',
  'SELECT cvfw_bgnbd_probability(ROW(0.2, 4, 0.8, 2, NULL, NULL), ''Infinity'', 3)',
  'SELECT cvfw_bgnbd_probability(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1e300, 3)',
  'SELECT cvfw_rfm_holdout(''2026-01-01'', ''NaN'', ''2026-02-01'', ''2026-03-01'', ''7 days'')',
  'SELECT cvfw_rfm_holdout(''2026-01-01'', 1, ''2026-02-01'', ''infinity'', ''7 days'')',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 3, ''NaN'', 39)',
  'SELECT cvfw_pnbd_holdout(ROW(0.5, 10, 0.6, 11, NULL, NULL), 1, 1, 3, 2, ''-Infinity'')',
  'SELECT cvfw_bgnbd_frequencies(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, ''Infinity'')',
  'SELECT cvfw_btyd_holdout_final(ARRAY[1, 1, 1, 0.2, 4, 0.8, 2, 0, 0, 0, ''Infinity'', 0, 0]::float8[])',
  'SELECT cvfw_clv(''NaN''::float8, 1, 0)',
  'SELECT cvfw_clv(''Infinity''::float8, 1, 0)',
  'SELECT cvfw_clv(1e308::float8, 10, 0)',
  'SELECT cvfw_clv(''NaN''::numeric, 1, 0)',
  'SELECT cvfw_clv(1::float8, 2, 0, ''NaN'', 0)',
  'SELECT * FROM cvfw_leakage((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''infinity'', ''1 day'')',
  'SELECT * FROM cvfw_leakage((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''2026-02-01'', ''-1 day'')',
  'SELECT * FROM cvfw_leakage((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), NULL, ''1 day'')',
  -- the value model: leak rates and fractions between 0 and 1, the cut-off as the reports'
  'SELECT * FROM cvfw_what_if((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', ''NaN'')',
  'SELECT * FROM cvfw_what_if((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', ''Infinity'')',
  'SELECT * FROM cvfw_what_if((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', ''-Infinity'')',
  'SELECT * FROM cvfw_what_if((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', -0.01)',
  'SELECT * FROM cvfw_what_if((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', 1.01)',
  'SELECT cvfw_dwell_km_percentile((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', ''NaN'')',
  'SELECT cvfw_dwell_km_percentile((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''awareness'', 2)',
  'SELECT * FROM cvfw_stage_value((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''infinity'', ''1 day'')',
  'SELECT * FROM cvfw_value((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), ''2026-02-01'', ''-1 day'')',
  'SELECT * FROM cvfw_fix_first((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), NULL, ''1 day'')',
  'SELECT * FROM cvfw_dwell_km((SELECT cvfw_flow(''awareness'', ''2026-01-01'')), NULL, ''1 day'')',
  -- amounts beyond ±10^31: the summary refuses them before the model sees
  -- them (the model's own overflow check is unit-tested: expectations from
  -- a summary stay within its totals)
  'SELECT * FROM cvfw_value((SELECT cvfw_flow(s, t, 1.5e308, 0) FROM (VALUES (''awareness''::cvfw_stage, ''2026-01-01''::timestamptz), (''exploration'', ''2026-01-02'')) x(s, t)))'
]) stmt;

-- 6. Huge values: wheel positions out of range, arithmetic far round the
-- wheel, the largest timestamps.
SELECT (regress.try('SELECT cvfw_stage(7)')).state AS position_7,
       (regress.try('SELECT cvfw_stage(-2147483648)')).state AS position_min,
       'awareness'::cvfw_stage + 2147483647 AS plus_max_int,
       'awareness'::cvfw_stage - 2147483647 AS minus_max_int;
-- a dwell from the first to the last timestamp PostgreSQL has: longer than
-- an int64 of microseconds, summed in 128 bits, the same as epoch arithmetic
-- (extract is numeric from PostgreSQL 14 on, float8 before: both exact
-- here, whole seconds below 2^53; the cast prints them alike)
SELECT (extract(epoch FROM '294276-12-31 23:59:59.999999+00'::timestamptz)
        - extract(epoch FROM '4714-11-24 00:00:00+00 BC'::timestamptz))::numeric(20, 6) AS exact_seconds;
SELECT l.stage, l.visits, l.dwell_avg, extract(epoch FROM l.dwell_avg)::numeric(20, 6) AS seconds
FROM (SELECT cvfw_flow(s, t) AS f
      FROM (VALUES ('awareness'::cvfw_stage, '4714-11-24 00:00:00+00 BC'::timestamptz),
                   ('advocacy', '294276-12-31 23:59:59.999999+00')) x(s, t)) y,
     LATERAL cvfw_leakage(f) l
WHERE l.visits > 0;

-- a huge text id (20 MB), in memory and spilled to disk with 64 kB of work_mem
SELECT cvfw_customers(cvfw_flow_by_customer(repeat('x', 20000000) || g % 2, 'awareness', '2026-01-01'))
       AS huge_ids
FROM generate_series(1, 3) g;
SET work_mem = '64kB';
SELECT cvfw_customers(cvfw_flow_by_customer(repeat('x', 20000000) || g % 2, 'awareness', '2026-01-01'))
       AS huge_ids_spilled
FROM generate_series(1, 3) g;
RESET work_mem;

-- 7. Empty groups: every aggregate over no rows is NULL, and every report
-- of a NULL summary is NULL or no rows.
SELECT cvfw_flow(s, t) IS NULL AS flow, cvfw_merge(f) IS NULL AS merge,
       cvfw_flow_by_customer(id, s, t) IS NULL AS by_customer,
       cvfw_flow_by_customer(id::text, s, t) IS NULL AS by_text,
       cvfw_flow_by_customer(md5(id::text)::uuid, s, t) IS NULL AS by_uuid,
       cvfw_policy_agg(s, s) IS NULL AS policy_agg, min(s) IS NULL AS min,
       cvfw_clv_agg(v, c, tenure, churned) IS NULL AS clv_agg,
       cvfw_rfm(t, v, '2026-02-01', '7 days') IS NULL AS rfm,
       cvfw_bgnbd_fit(v, v, v) IS NULL AS bgnbd_fit, cvfw_gg_fit(v, v) IS NULL AS gg_fit
FROM null_rows WHERE false;
SELECT cvfw_bgnbd_fit(v, v, v, 0.1) IS NULL AS bgnbd_penalised, cvfw_bgnbd_fit_summary(v, v, v) IS NULL AS bgnbd_summary,
       cvfw_pnbd_fit(v, v, v) IS NULL AS pnbd_fit, cvfw_pnbd_fit_summary(v, v, v, 0.1) IS NULL AS pnbd_summary,
       cvfw_gg_fit_summary(v, v) IS NULL AS gg_summary,
       cvfw_rfm_holdout(t, v, '2026-02-01', '2026-03-01', '7 days') IS NULL AS rfm_holdout,
       cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), v, v, v, v, v) IS NULL AS bgnbd_holdout,
       cvfw_pnbd_frequencies(ROW(0.5, 10, 0.6, 11, NULL, NULL), v, v) IS NULL AS pnbd_frequencies
FROM null_rows WHERE false;
-- the fits leave out rows with a NULL: over only such rows, NULL
SELECT (SELECT cvfw_bgnbd_fit(x, r, t) IS NULL
        FROM (VALUES (NULL::float8, 1::float8, 2::float8), (1, NULL, 2), (1, 1, NULL)) v(x, r, t)) AS bgnbd_fit,
       (SELECT cvfw_gg_fit(x, m) IS NULL
        FROM (VALUES (NULL::float8, 1::float8), (1, NULL)) v(x, m)) AS gg_fit,
       (SELECT cvfw_pnbd_fit(x, r, t) IS NULL
        FROM (VALUES (NULL::float8, 1::float8, 2::float8), (1, NULL, 2), (1, 1, NULL)) v(x, r, t)) AS pnbd_fit,
       (SELECT cvfw_bgnbd_fit(x, r, t, 0.1) IS NULL
        FROM (VALUES (NULL::float8, 1::float8, 2::float8), (1, NULL, 2)) v(x, r, t)) AS bgnbd_penalised;
-- the model checks leave out customers with a NULL: over only such rows,
-- every bin is empty (a state exists: the model came with them)
SELECT b.frequency, b.customers, b.actual_total, b.expected_total
FROM unnest((SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), x, r, t, h, d, 1)
             FROM (VALUES (NULL::float8, 1::float8, 2::float8, 0::float8, 39::float8), (1, 1, 2, NULL, 39)) v(x, r, t, h, d))) b;
SELECT (SELECT count(*) FROM cvfw_leakage(NULL::cvfw_flow)) AS leakage_rows,
       (SELECT count(*) FROM cvfw_transitions(NULL::cvfw_flow)) AS transition_rows,
       cvfw_flow_json(NULL) IS NULL AS json, cvfw_customers(NULL) IS NULL AS customers;
-- + and - take NULL as the summary of no customers (flow_exact has the rest)
SELECT (NULL::cvfw_flow + NULL::cvfw_flow) IS NULL AS plus, (NULL::cvfw_flow - NULL::cvfw_flow) IS NULL AS minus;
SELECT (SELECT count(*) FROM cvfw_stage_value(NULL)) AS stage_value_rows,
       (SELECT count(*) FROM cvfw_value(NULL)) AS value_rows,
       (SELECT count(*) FROM cvfw_what_if(NULL, 'awareness', 0)) AS what_if_rows,
       (SELECT count(*) FROM cvfw_fix_first(NULL)) AS fix_first_rows,
       (SELECT count(*) FROM cvfw_dwell_km(NULL)) AS dwell_km_rows,
       cvfw_dwell_km_percentile(NULL, 'awareness', 0.5) IS NULL AS km_percentile,
       (SELECT count(*) FROM cvfw_bi_stage_value(NULL)) AS bi_rows,
       (SELECT count(*) FROM cvfw_clv_compare(NULL, '2026-01-01', '1 day')) AS compare_rows;


-- 8. Stage maps and the guard.  Labels, map names and values quoted at most
-- 100 bytes; NULLs: the readers are STRICT, the guard's and backfill's
-- required arguments are 22004; a label too long for the map's index is
-- refused by it.
SELECT what, (regress.try(format('SELECT cvfw_stage(%L, %L)', label, map))).state,
       length((regress.try(format('SELECT cvfw_stage(%L, %L)', label, map))).message) AS message_length
FROM (VALUES ('oversized label, 1 MB', repeat('a', 1000000), 'hubspot_lifecycle'),
             ('oversized label, 2-byte characters', repeat('é', 500000), 'hubspot_lifecycle'),
             ('non-ASCII look-alike', 'lеad', 'hubspot_lifecycle'),
             ('oversized map name', 'lead', repeat('m', 1000000)),
             ('oversized preset name', 'lead', repeat('m', 1000000))) v(what, label, map);
SELECT (regress.try(format('SELECT cvfw_stage_preset(%L, %L)', 'lead', repeat('m', 1000000)))).state,
       length((regress.try(format('SELECT cvfw_stage_preset(%L, %L)', 'lead', repeat('m', 1000000)))).message);
SELECT cvfw_stage(NULL, 'hubspot_lifecycle') IS NULL AS null_label, cvfw_stage('lead', NULL) IS NULL AS null_map,
       cvfw_stage_preset(NULL, 'hubspot_lifecycle') IS NULL AS null_preset_label,
       cvfw_stage_label_key(NULL) IS NULL AS null_key, length(cvfw_stage_label_key(repeat('A-', 500000))) AS key_of_1mb;
SELECT (regress.try(format('INSERT INTO cvfw_stage_map VALUES (%L, %L, %L)', 'big',
          (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 300) i), 'awareness'))).state
  AS label_too_long_for_index,
       (SELECT count(*) FROM cvfw_stage_map) AS map_rows;
CREATE TABLE bad_guarded (id int PRIMARY KEY, label text);
INSERT INTO bad_guarded VALUES (1, 'lead');
SELECT (regress.try($$SELECT cvfw_guard(NULL, 'label')$$)).state AS null_table,
       (regress.try($$SELECT cvfw_guard('bad_guarded', NULL)$$)).state AS null_column,
       (regress.try($$SELECT cvfw_guard('bad_guarded', 'label', NULL)$$)).state AS null_policy,
       (regress.try(format('SELECT cvfw_guard(%L, %L, map => %L)', 'bad_guarded', 'label', repeat('m', 100000)))).state
         AS oversized_map,
       length((regress.try(format('SELECT cvfw_guard(%L, %L, map => %L)', 'bad_guarded', 'label', repeat('m', 100000)))).message)
         AS message_length;
SELECT cvfw_guard('bad_guarded', 'label', 'forward', 'hubspot_lifecycle');
SELECT (regress.try(format('UPDATE bad_guarded SET label = %L', repeat('z', 1000000)))).state,
       length((regress.try(format('UPDATE bad_guarded SET label = %L', repeat('z', 1000000)))).message) AS message_length;
SELECT * FROM bad_guarded;
SELECT (regress.try($$SELECT cvfw_backfill(NULL, 'SELECT 1')$$)).state AS null_history,
       (regress.try($$SELECT cvfw_backfill('bad_guarded', NULL)$$)).state AS null_query,
       (regress.try($$SELECT cvfw_backfill('bad_guarded', 'SELECT 1 AS nothing')$$)).state AS query_without_columns,
       (regress.try($$SELECT cvfw_backfill('bad_guarded', 'not sql')$$)).state AS not_sql;
SELECT (regress.try($$SELECT cvfw_guard_forget(NULL, 'label')$$)).state AS forget_null,
       cvfw_guard_forget(NULL, 'label') IS NULL AS strict;

DROP TABLE bad_text, bad_copy, bad_update, bad_update_text, null_rows, bad_guarded;

-- 9. Conversion and retention (doc/funnels.md).  Summaries read as text or
-- binary are decoded in full: 22P02 / 22P03, the table unchanged.
CREATE TABLE funnel_sums (id int, c cvfw_conversion, r cvfw_retention);
INSERT INTO funnel_sums
SELECT i, cvfw_conversion(s, t, '{awareness,exploration}', '30 days', 'any, by week', '2026-03-01'),
       cvfw_retention(s, t, NULL, 'month', '2026-03-01')
FROM generate_series(1, 3) i,
     LATERAL (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz + i * interval '1 day'),
                     ('exploration', '2026-01-05'), ('awareness', '2026-02-10')) e(s, t)
GROUP BY i;
SELECT typ, what, r.state, left(r.message, 70) AS message, left(r.detail, 70) AS detail
FROM (SELECT 'cvfw_conversion' AS typ, (SELECT c::text FROM funnel_sums WHERE id = 1) AS good
      UNION ALL SELECT 'cvfw_retention', (SELECT r::text FROM funnel_sums WHERE id = 1)) g,
     LATERAL (VALUES ('malformed', '\xzz'), ('empty', '\x'), ('non-ASCII', '\x01é'), ('no \x', 'abcd'),
                     ('truncated', left(good, -2)), ('a byte more', good || '00'),
                     ('a bit flipped', overlay(good PLACING CASE substr(good, 9, 1) WHEN '0' THEN '1' ELSE '0' END FROM 9 FOR 1)),
                     ('oversized, 2 MB', '\x' || repeat('ab', 1000000))) v(what, input),
     LATERAL regress.try(format('SELECT %L::%s', input, typ)) r
ORDER BY typ, what;
-- binary COPY: a flipped bit in the middle of a summary
CREATE TEMP TABLE funnel_before AS SELECT * FROM funnel_sums;
COPY funnel_sums TO PROGRAM 'cat > cvfw_bad_funnel.bin' (FORMAT binary);
CREATE TEMP TABLE funnel_file AS SELECT pg_read_binary_file('cvfw_bad_funnel.bin') AS f;
CREATE FUNCTION pg_temp.copy_funnel(bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('COPY (SELECT %L) TO PROGRAM %L',
                 translate(encode(bytes, 'base64'), E'\n', ''), 'base64 -d > cvfw_bad_funnel.bin');
  RETURN (SELECT state || coalesce(': ' || message, '') || coalesce(' (' || detail || ')', '')
          FROM regress.try('COPY funnel_sums FROM PROGRAM ''cat cvfw_bad_funnel.bin'' (FORMAT binary)'));
END $$;
SELECT what, pg_temp.copy_funnel(bytes) AS copy
FROM funnel_file,
     LATERAL (VALUES
       ('conversion bit flipped',
        (SELECT set_bit(f, (position(s IN f) + length(s) / 2) * 8, 1 - get_bit(f, (position(s IN f) + length(s) / 2) * 8))
         FROM (SELECT cvfw_conversion_send(c) AS s FROM funnel_sums WHERE id = 2) x)),
       ('retention first byte 9',
        (SELECT set_byte(f, position(s IN f) - 1, 9) FROM (SELECT cvfw_retention_send(r) AS s FROM funnel_sums WHERE id = 3) x))
     ) c(what, bytes);
SELECT count(*) AS rows, bool_and(a.c::text = b.c::text AND a.r::text = b.r::text) AS unchanged
FROM funnel_sums a JOIN funnel_before b USING (id);
COPY (SELECT 1) TO PROGRAM 'rm -f cvfw_bad_funnel.bin';

-- NULLs: rows without a customer, a stage or a time are skipped; NULL
-- options mean the defaults, a NULL as_of of a conversion none, a NULL
-- start stage the first event of any stage, NULL active stages all six.
CREATE TABLE funnel_rows (id bigint, s cvfw_stage, t timestamptz);
INSERT INTO funnel_rows VALUES (1, 'awareness', '2026-01-01'), (1, 'exploration', '2026-01-02'),
                               (2, 'awareness', '2026-01-03');
SELECT what, with_null IS NOT DISTINCT FROM without AS same
FROM (VALUES
  ('cvfw_conversion: NULL stage and time skipped',
   (SELECT cvfw_conversion(s, t, '{awareness,exploration}', '1 day')::text
    FROM (SELECT s, t FROM funnel_rows WHERE id = 1 UNION ALL VALUES (NULL::cvfw_stage, '2026-01-01'::timestamptz), ('advocacy', NULL)) x),
   (SELECT cvfw_conversion(s, t, '{awareness,exploration}', '1 day')::text FROM funnel_rows WHERE id = 1)),
  ('cvfw_conversion_by_customer: NULL customer skipped',
   (SELECT cvfw_conversion_by_customer(id, s, t, '{awareness,exploration}', '1 day')::text
    FROM (SELECT * FROM funnel_rows UNION ALL VALUES (NULL::bigint, 'awareness'::cvfw_stage, '2026-01-01'::timestamptz)) x),
   (SELECT cvfw_conversion_by_customer(id, s, t, '{awareness,exploration}', '1 day')::text FROM funnel_rows)),
  ('cvfw_conversion: NULL options are the defaults, NULL as_of none',
   (SELECT cvfw_conversion(s, t, '{awareness,exploration}', '1 day', NULL, NULL)::text FROM funnel_rows WHERE id = 1),
   (SELECT cvfw_conversion(s, t, '{awareness,exploration}', '1 day', 'first, loose')::text FROM funnel_rows WHERE id = 1)),
  ('cvfw_conversion_merge: NULL summary skipped',
   (SELECT cvfw_conversion_merge(c)::text FROM (SELECT c FROM funnel_sums WHERE id = 1 UNION ALL SELECT NULL) x),
   (SELECT cvfw_conversion_merge(c)::text FROM funnel_sums WHERE id = 1)),
  ('cvfw_retention_by_customer: NULL customer, stage, time skipped',
   (SELECT cvfw_retention_by_customer(id, s, t, NULL, 'week', '2026-02-01')::text
    FROM (SELECT * FROM funnel_rows UNION ALL VALUES (NULL::bigint, 'awareness'::cvfw_stage, '2026-01-01'::timestamptz), (3, NULL, '2026-01-01'), (3, 'awareness', NULL)) x),
   (SELECT cvfw_retention_by_customer(id, s, t, NULL, 'week', '2026-02-01')::text FROM funnel_rows)),
  ('cvfw_retention: NULL active stages are all six',
   (SELECT cvfw_retention(s, t, 'awareness', 'week', '2026-02-01', NULL)::text FROM funnel_rows WHERE id = 1),
   (SELECT cvfw_retention(s, t, 'awareness', 'week', '2026-02-01',
                          '{awareness,exploration,experience,value_realization,advocacy,engagement}')::text
    FROM funnel_rows WHERE id = 1)),
  ('cvfw_retention_merge: NULL summary skipped',
   (SELECT cvfw_retention_merge(r)::text FROM (SELECT r FROM funnel_sums WHERE id = 1 UNION ALL SELECT NULL) x),
   (SELECT cvfw_retention_merge(r)::text FROM funnel_sums WHERE id = 1))
) t(what, with_null, without);

-- Bad settings: 22004 for a missing one, 22023 for a wrong one, 22008 for
-- an infinite time; 22023 for rows whose settings differ, and for merging
-- summaries of different settings.
SELECT stmt, (regress.try(stmt)).state, (regress.try(stmt)).message, (regress.try(stmt)).detail
FROM unnest(ARRAY[
  'SELECT cvfw_conversion(s, t, NULL, ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', NULL) FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{}'', ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness}'', ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, array_fill(''awareness''::cvfw_stage, ARRAY[65]), ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,NULL}'', ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{{awareness,exploration}}'', ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,awareness}'', ''1 day'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''-1 second'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''1 mon -31 days'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''100000000 years'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''1 day'', ''sometimes'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''1 day'', ''first any'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''1 day'', ''by'') FROM funnel_rows',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''1 day'', NULL, ''infinity'') FROM funnel_rows',
  'SELECT cvfw_conversion(''awareness'', ''infinity'', ''{awareness,exploration}'', ''1 day'')',
  'SELECT cvfw_conversion_by_customer(1, ''awareness'', ''-infinity'', ''{awareness,exploration}'', ''1 day'')',
  'SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''1 day'', CASE WHEN id = 1 THEN ''any'' END) FROM funnel_rows',
  'SELECT cvfw_conversion_merge(c) FROM (SELECT c FROM funnel_sums WHERE id = 1 UNION ALL SELECT cvfw_conversion(s, t, ''{awareness,exploration}'', ''30 days'') FROM funnel_rows) x',
  'SELECT cvfw_conversion_rate(c, 3) FROM funnel_sums',
  'SELECT cvfw_conversion_time_percentile(c, 1, 0.5) FROM funnel_sums',
  'SELECT cvfw_conversion_time_percentile(c, 2, ''NaN'') FROM funnel_sums',
  'SELECT cvfw_conversion_time_percentile(c, 2, 1.5) FROM funnel_sums',
  'SELECT cvfw_retention(s, t, NULL, NULL, ''2026-02-01'') FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''fortnight'', ''2026-02-01'') FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''week rolling'', ''2026-02-01'') FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''week'', NULL) FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''week'', ''infinity'') FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''week'', ''2026-02-01'', ''{}'') FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''week'', ''2026-02-01'', ''{awareness,NULL}'') FROM funnel_rows',
  'SELECT cvfw_retention(s, t, NULL, ''week'', t) FROM funnel_rows',
  'SELECT cvfw_retention_by_customer(1, ''awareness'', ''infinity'', NULL, ''week'', ''2026-02-01'')',
  'SELECT cvfw_retention_merge(r) FROM (SELECT r FROM funnel_sums WHERE id = 1 UNION ALL SELECT cvfw_retention(s, t, NULL, ''week'', ''2026-03-01'') FROM funnel_rows) x'
]) stmt;

-- Huge values: windows up to 292,000 years; events at the first and last
-- timestamps PostgreSQL has, in cohorts at both ends of time
SELECT step, attempts, time_avg
FROM cvfw_conversion_report((SELECT cvfw_conversion(s, t, '{awareness,engagement}', '290000 years', 'by week')
                             FROM (VALUES ('awareness'::cvfw_stage, '4714-11-24 00:00:00+00 BC'::timestamptz),
                                          ('engagement', '200000-01-01 00:00:00+00')) x(s, t)));
SELECT cohort, period_offset, customers, retained
FROM cvfw_retention_matrix((SELECT cvfw_retention(s, t, NULL, 'rolling month', '294276-12-31 23:59:59.999999+00')
                            FROM (VALUES ('awareness'::cvfw_stage, '294276-12-01 00:00:00+00'::timestamptz)) x(s, t)));
SELECT count(*) AS rows, min(cohort) AS first_cohort, max(period_offset) AS last_offset
FROM cvfw_retention_matrix((SELECT cvfw_retention(s, t, NULL, 'week', '4714-12-31 00:00:00+00 BC')
                            FROM (VALUES ('awareness'::cvfw_stage, '4714-11-24 00:00:00+00 BC'::timestamptz)) x(s, t)));

-- Empty groups: NULL; reports of NULL: no rows or NULL
SELECT cvfw_conversion(s, t, '{awareness,exploration}', '1 day') IS NULL AS conversion,
       cvfw_conversion_by_customer(id, s, t, '{awareness,exploration}', '1 day') IS NULL AS conversion_by_customer,
       cvfw_retention(s, t, NULL, 'week', '2026-01-01') IS NULL AS retention,
       cvfw_retention_by_customer(id, s, t, NULL, 'week', '2026-01-01') IS NULL AS retention_by_customer
FROM funnel_rows WHERE false;
SELECT (SELECT cvfw_conversion_merge(c) IS NULL FROM funnel_sums WHERE false) AS conversion_merge,
       (SELECT cvfw_retention_merge(r) IS NULL FROM funnel_sums WHERE false) AS retention_merge,
       (SELECT count(*) FROM cvfw_conversion_report(NULL)) AS report_rows,
       (SELECT count(*) FROM cvfw_bi_conversion(NULL)) AS bi_rows,
       (SELECT count(*) FROM cvfw_retention_matrix(NULL)) AS matrix_rows,
       cvfw_conversion_rate(NULL) IS NULL AS rate, cvfw_retention_rate(NULL, 1) IS NULL AS retention_rate;

DROP TABLE funnel_sums, funnel_rows;

-- 10. Trends and live tracking.  cvfw_trend's text input: 22P02 for
-- malformed, truncated, non-ASCII or oversized text; any damaged byte of a
-- valid trend (a flipped bit in each byte in turn) 22P02 or 22P03 through
-- its checksum, never a wrong trend.
SELECT what, r.state, left(r.message, 60) AS message_starts
FROM (VALUES ('malformed', '\xzz'), ('non-ASCII', '\x01é'), ('empty', '\x'),
             ('oversized, 2 MB', '\x' || repeat('ab', 1000000)),
             ('truncated', left(((SELECT cvfw_trend(s, t, 5) FROM (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz), ('advocacy', '2026-01-05')) x(s, t)))::text, -2))
     ) v(what, input),
     LATERAL regress.try(format('SELECT %L::cvfw_trend', input)) r;
CREATE TEMP TABLE good_trend AS
SELECT cvfw_trend_send(cvfw_trend(s, t, v)) AS b
FROM (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz, 1.5), ('exploration', '2026-01-03', 0),
             ('awareness', '2026-01-09', 2)) x(s, t, v);
SELECT count(*) AS damaged_bytes, count(*) FILTER (WHERE r.state IN ('22P02', '22P03')) AS refused,
       string_agg(DISTINCT r.state, ',') AS states
FROM good_trend, generate_series(0, length(b) - 1) i,
     LATERAL regress.try(format('SELECT %L::cvfw_trend',
                                '\x' || encode(set_byte(b, i, get_byte(b, i) # 16), 'hex'))) r;
-- NaN, infinities and amounts out of range, as for cvfw_flow
SELECT stmt, (regress.try(stmt)).state, (regress.try(stmt)).message
FROM unnest(ARRAY[
  'SELECT cvfw_trend(''awareness'', ''2026-01-01'', ''NaN'')',
  'SELECT cvfw_trend(''awareness'', ''infinity'')',
  'SELECT cvfw_trend(''awareness'', ''2026-01-01'', -1e32)',
  'SELECT cvfw_trend_by_customer(1, ''awareness'', ''2026-01-01'', ''Infinity'')',
  'SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(''awareness'', ''2026-01-01'')), ''year'')',
  'SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(''awareness'', ''2026-01-01'')), ''month'', ''infinity'', ''1 day'')'
]) stmt;
-- NULL rows are skipped, no rows give NULL
SELECT (SELECT cvfw_trend(s, t)::text FROM (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz), (NULL, '2026-01-02'), ('advocacy', NULL)) x(s, t))
       = (SELECT cvfw_trend('awareness', '2026-01-01')::text) AS nulls_skipped,
       (SELECT cvfw_trend(s, t) FROM (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz)) x(s, t) WHERE false) IS NULL AS no_rows,
       (SELECT cvfw_trend_by_customer(id, s, t) FROM (VALUES (1::bigint, 'awareness'::cvfw_stage, '2026-01-01'::timestamptz)) x(id, s, t) WHERE false) IS NULL AS by_customer_no_rows;
-- live tracking's refusals
CREATE TABLE live_bad (customer_id int, stage cvfw_stage, at timestamptz, at_local timestamp,
                       label text, amount numeric);
CREATE VIEW live_bad_view AS SELECT * FROM live_bad;
CREATE TABLE live_bad_child () INHERITS (live_bad);
CREATE TABLE live_ok (customer_id int, stage cvfw_stage, at timestamptz, segment text, flow int);
SELECT stmt, (regress.try(stmt)).state, (regress.try(stmt)).message
FROM unnest(ARRAY[
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''nope'')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''segment'', ''at'')',
  'SELECT cvfw_track(''live_bad_view'', ''customer_id'', ''stage'', ''at'')',
  'SELECT cvfw_track(''live_bad'', ''customer_id'', ''stage'', ''at'')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', NULL)',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'', value => ''segment'')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'', group_by => ''{customer_id}'')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'', group_by => ''{segment,segment}'')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'', group_by => ''{flow}'')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'', summaries => '''')',
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'', summaries => repeat(''x'', 60))',
  'SELECT cvfw_live_flow(''live_ok'')',
  'SELECT cvfw_live_compact(''live_ok'')',
  'SELECT cvfw_untrack(''live_ok'')'
]) stmt;
SELECT cvfw_track('live_ok', 'customer_id', 'stage', 'at', group_by => '{segment}') IS NOT NULL AS tracked;
SELECT stmt, (regress.try(stmt)).state, (regress.try(stmt)).message
FROM unnest(ARRAY[
  'SELECT cvfw_track(''live_ok'', ''customer_id'', ''stage'', ''at'')',
  'SELECT cvfw_live_flow(''live_ok'', ''a'', ''b'')'
]) stmt;
-- privileges: a writer of events needs none on the summaries (the trigger
-- runs as the table's owner); a reader needs SELECT on them, 42501 until
-- the owner grants it
CREATE ROLE regress_cvfw_live_user;
GRANT INSERT, SELECT ON live_ok TO regress_cvfw_live_user;
SET ROLE regress_cvfw_live_user;
INSERT INTO live_ok VALUES (2, 'awareness', '2026-01-01', 'mid'), (2, 'exploration', '2026-01-02', 'mid');
SELECT cvfw_live_flow('live_ok', 'mid') IS NOT NULL AS reads;
RESET ROLE;
GRANT SELECT ON live_ok_cvfw_groups, live_ok_cvfw_changes TO regress_cvfw_live_user;
SET ROLE regress_cvfw_live_user;
SELECT cvfw_live_flow('live_ok', 'mid')::text = (SELECT cvfw_flow(stage, at)::text FROM live_ok WHERE customer_id = 2) AS reads;
RESET ROLE;
DELETE FROM live_ok;
DROP OWNED BY regress_cvfw_live_user;
DROP ROLE regress_cvfw_live_user;
-- a trigger attached by hand fails at the first write, naming the cause
CREATE TRIGGER by_hand AFTER INSERT ON live_bad FOR EACH STATEMENT EXECUTE FUNCTION cvfw_live_trigger();
SELECT (regress.try('INSERT INTO live_bad (customer_id) VALUES (1)')).*;
DROP TRIGGER by_hand ON live_bad;
-- a tracked column renamed after this session's first write (whose plans
-- it keeps): the next write is refused, nothing is written
INSERT INTO live_ok VALUES (1, 'awareness', '2026-01-01', 'smb');
ALTER TABLE live_ok RENAME segment TO seg;
SELECT (regress.try('INSERT INTO live_ok VALUES (1, ''advocacy'', ''2026-01-02'', ''smb'')')).*;
SELECT count(*) AS events FROM live_ok;
ALTER TABLE live_ok RENAME seg TO segment;
SELECT cvfw_untrack('live_ok');
DROP VIEW live_bad_view;
DROP TABLE live_bad_child, live_bad, live_ok, good_trend;
