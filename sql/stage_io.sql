--
-- stage_io: text and binary input/output of cvfw_stage
--

-- canonical names read back to themselves, in wheel order
SELECT s::cvfw_stage AS stage, s::cvfw_stage::text = s AS round_trip
FROM unnest(ARRAY['awareness', 'exploration', 'experience', 'value_realization',
                  'advocacy', 'engagement']) s;

-- accepted spellings: any case, surrounding whitespace, space or hyphen for _
SELECT format('%L', s) AS input, s::cvfw_stage AS stage
FROM unnest(ARRAY['AWARENESS', '  Exploration  ', E'\texperience\n',
                  'Value Realization', 'value-realization', 'VALUE_REALIZATION',
                  'Value-Realization', 'aDvOcAcY', E'engagement\r\n']) s;

-- one byte, passed by value
SELECT typlen, typbyval, typalign, typstorage FROM pg_type WHERE typname = 'cvfw_stage';
SELECT pg_column_size('advocacy'::cvfw_stage);

-- bad input: 22P02 in the core wording, with a hint listing the stages
SELECT 'value'::cvfw_stage;
SELECT (regress.try(format('SELECT %L::cvfw_stage', s))).*
FROM unnest(ARRAY['', ' ', 'aware', 'awarenesss', 'value  realization',
                  'value_ realization', 'valuerealization', 'value.realization',
                  '4', 'engagement!', '_advocacy', 'advocacy_', 'value__realization']) s;

-- pg_input_is_valid (PostgreSQL 16+ soft errors; emulated before 16)
SELECT s, regress.input_is_valid(s, 'cvfw_stage')
FROM unnest(ARRAY['advocacy', ' Value Realization ', 'x', '', 'engagement2']) s;

-- NULL in, NULL out
SELECT NULL::cvfw_stage IS NULL AS is_null;

-- binary COPY round trip (client side, through psql)
CREATE TABLE stage_io_src (id int, stage cvfw_stage);
INSERT INTO stage_io_src
SELECT i, cvfw_stage(i % 6 + 1) FROM generate_series(0, 59) i;
INSERT INTO stage_io_src VALUES (60, NULL);
\copy stage_io_src TO 'results/stage_io.bin' (FORMAT binary)
CREATE TABLE stage_io_dst (LIKE stage_io_src);
\copy stage_io_dst FROM 'results/stage_io.bin' (FORMAT binary)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE s.stage IS NOT DISTINCT FROM d.stage) AS equal
FROM stage_io_src s JOIN stage_io_dst d USING (id);

-- the binary form is a format byte (1) and the wheel position
SELECT stage, cvfw_stage_send(stage) FROM stage_io_src WHERE id < 6 ORDER BY id;

-- corrupted binary input is rejected with 22P03 (regress.recv feeds the bytes
-- to cvfw_stage_recv through a binary COPY file), a well-formed one accepted
SELECT bytes, (regress.recv('cvfw_stage', bytes)).*
FROM unnest(ARRAY['\x0107', '\x0100', '\x01ff', '\x0203', '\x0004', '\x01', '\x',
                  '\x010401', '\x0104']::bytea[]) bytes;

DROP TABLE stage_io_src, stage_io_dst;
