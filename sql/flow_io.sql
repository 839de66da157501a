--
-- flow_io: cvfw_flow text and binary I/O, storage, and corrupted input
--
SET timezone = 'UTC';
CREATE TABLE io_events (customer_id int, stage cvfw_stage, at timestamptz, value float8, cost float8);
INSERT INTO io_events VALUES
  (1, 'awareness', '2026-01-01', 0, 10), (1, 'exploration', '2026-01-03 12:00', 0, 5),
  (1, 'value_realization', '2026-01-10', 99.5, 0),
  (2, 'advocacy', '2025-12-31 23:59:59.999999', 12.25, 0), (2, 'engagement', '2026-01-02', -3, 0.125);

-- stored summaries: per customer and merged, in a table
CREATE TABLE io_flows (label text, flow cvfw_flow);
INSERT INTO io_flows
SELECT 'customer ' || customer_id, cvfw_flow(stage, at, value, cost) FROM io_events GROUP BY customer_id;
INSERT INTO io_flows SELECT 'all', cvfw_merge(flow) FROM io_flows;

-- the text form is the binary form in hex; both read back to the same value
SELECT label, flow, flow::text::cvfw_flow::text = flow::text AS text_round_trip,
       length(cvfw_flow_send(flow)) AS bytes
FROM io_flows ORDER BY label;
SELECT label, cvfw_flow_send(flow) = decode(substr(flow::text, 3), 'hex') AS binary_is_the_hex
FROM io_flows ORDER BY label;

-- binary COPY round trip (client side), then the reports agree
\copy io_flows TO 'results/flow_io.bin' (FORMAT binary)
CREATE TABLE io_flows_back (LIKE io_flows);
\copy io_flows_back FROM 'results/flow_io.bin' (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.flow::text = b.flow::text) AS equal
FROM io_flows a JOIN io_flows_back b USING (label);
SELECT stage, visits, value, cost, dwell_avg
FROM cvfw_leakage((SELECT flow FROM io_flows_back WHERE label = 'all'))
WHERE visits > 0;

-- corrupted text input: 22P02, with what is wrong in the detail.  A value
-- changed by hand fails its checksum (CRC-32C) before anything else; the
-- structural checks behind it (lengths, order, counts adding up) are
-- exercised by the C unit tests and the fuzzers, which rewrite the checksum.
SELECT substr(t, 1, 24) AS input, (regress.try(format('SELECT %L::cvfw_flow', t))).*
FROM (SELECT flow::text AS good FROM io_flows WHERE label = 'customer 2') g,
     LATERAL unnest(ARRAY[
       '', 'x', '\x', '\x0', '\xzz', '0100', '\x00000000',
       good || '0',                                     -- an odd number of digits
       good || '00',                                    -- a byte after the end
       substr(good, 1, length(good) - 2),               -- the last byte missing
       '\x03' || substr(good, 5),                       -- format version 3
       '\x020002' || substr(good, 9)                    -- two customers, one ending
     ]) t;
-- long input is cut short in the message
SELECT (regress.try(format('SELECT %L::cvfw_flow', '\x' || repeat('ab', 500)))).message;

-- the same bytes through binary input: 22P03
SELECT encode(substr(b, 1, 6), 'hex') AS first_bytes, (regress.recv('cvfw_flow', b)).state,
       (regress.recv('cvfw_flow', b)).detail
FROM (SELECT cvfw_flow_send(flow) AS good FROM io_flows WHERE label = 'customer 2') g,
     LATERAL unnest(ARRAY[
       ''::bytea, '\x01'::bytea, good || '\x00'::bytea, substr(good, 1, length(good) - 1),
       '\x03'::bytea || substr(good, 2), '\x020002'::bytea || substr(good, 4),
       good]) b;

-- every single-bit flip of a stored summary is refused
SELECT count(*) AS flips,
       count(*) FILTER (WHERE r.state = '22P02') AS refused,
       count(*) FILTER (WHERE r.state = 'ok') AS still_valid,
       count(*) FILTER (WHERE r.state NOT IN ('ok', '22P02')) AS other
FROM (SELECT cvfw_flow_send(flow) AS good FROM io_flows WHERE label = 'all') g,
     generate_series(0, length(good) * 8 - 1) bit,
     LATERAL regress.try(format('SELECT %L::cvfw_flow',
       '\x' || encode(set_bit(good, bit, 1 - get_bit(good, bit)), 'hex'))) r;

-- pg_input_is_valid (PostgreSQL 16+ soft errors; emulated before 16)
SELECT regress.input_is_valid(flow::text, 'cvfw_flow') AS valid,
       regress.input_is_valid(flow::text || 'ff', 'cvfw_flow') AS with_trailing_byte
FROM io_flows WHERE label = 'all';

DROP TABLE io_events, io_flows, io_flows_back;
