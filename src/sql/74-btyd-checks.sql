
-- ---------------------------------------------------------------------------
-- predictive CLV, 0.2.0: calibration/holdout split and model checks
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_rfm_holdout AS (
	frequency pg_catalog.float8,
	recency pg_catalog.float8,
	t pg_catalog.float8,
	monetary pg_catalog.float8,
	frequency_holdout pg_catalog.float8,
	monetary_holdout pg_catalog.float8,
	duration_holdout pg_catalog.float8
);
COMMENT ON TYPE @extschema@.cvfw_rfm_holdout IS
'a customer''s calibration-period summary (as cvfw_rfm) and holdout period: purchases (grains) and their mean amount after the calibration end, and the holdout''s length in periods';

-- cvfw_rfm_holdout(at, amount, calibration_end, observation_end, period [, grain])
CREATE FUNCTION @extschema@.cvfw_rfm_holdout_trans(pg_catalog.internal, pg_catalog.timestamptz,
	pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.timestamptz, pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_holdout_trans(pg_catalog.internal, pg_catalog.timestamptz,
	pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.timestamptz, pg_catalog.interval,
	pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_holdout_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_holdout_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_holdout_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_holdout_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_rfm_holdout
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_rfm_holdout(at pg_catalog.timestamptz,
	amount pg_catalog.float8, calibration_end pg_catalog.timestamptz,
	observation_end pg_catalog.timestamptz, period pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_rfm_holdout_trans, STYPE = pg_catalog.internal, SSPACE = 160,
	FINALFUNC = @extschema@.cvfw_rfm_holdout_final,
	COMBINEFUNC = @extschema@.cvfw_rfm_holdout_combine,
	SERIALFUNC = @extschema@.cvfw_rfm_holdout_serialize,
	DESERIALFUNC = @extschema@.cvfw_rfm_holdout_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_rfm_holdout(pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.timestamptz, pg_catalog.interval) IS
'one customer''s purchases split at the calibration end: the calibration summary and the purchase days up to the observation end';

CREATE AGGREGATE @extschema@.cvfw_rfm_holdout(at pg_catalog.timestamptz,
	amount pg_catalog.float8, calibration_end pg_catalog.timestamptz,
	observation_end pg_catalog.timestamptz, period pg_catalog.interval,
	grain pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_rfm_holdout_trans, STYPE = pg_catalog.internal, SSPACE = 160,
	FINALFUNC = @extschema@.cvfw_rfm_holdout_final,
	COMBINEFUNC = @extschema@.cvfw_rfm_holdout_combine,
	SERIALFUNC = @extschema@.cvfw_rfm_holdout_serialize,
	DESERIALFUNC = @extschema@.cvfw_rfm_holdout_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_rfm_holdout(pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.interval) IS
'one customer''s purchases split at the calibration end: the calibration summary and the purchase grains up to the observation end';

-- the model checks' rows (standard SQL types, for BI tools)
CREATE TYPE @extschema@.cvfw_btyd_holdout_bin AS (
	frequency pg_catalog.text,
	customers pg_catalog.int8,
	actual_mean pg_catalog.float8,
	expected_mean pg_catalog.float8,
	actual_total pg_catalog.float8,
	expected_total pg_catalog.float8
);
COMMENT ON TYPE @extschema@.cvfw_btyd_holdout_bin IS
'customers of one calibration-frequency bin (or all): their actual and expected holdout purchases, per customer and in total';

CREATE TYPE @extschema@.cvfw_btyd_frequency_bin AS (
	frequency pg_catalog.text,
	actual pg_catalog.int8,
	expected pg_catalog.float8
);
COMMENT ON TYPE @extschema@.cvfw_btyd_frequency_bin IS
'the customers with that many calibration-period repeat purchases, and the number the model expects';

CREATE FUNCTION @extschema@.cvfw_btyd_bins_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_btyd_holdout_final(pg_catalog.float8[])
RETURNS @extschema@.cvfw_btyd_holdout_bin[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_btyd_frequencies_final(pg_catalog.float8[])
RETURNS @extschema@.cvfw_btyd_frequency_bin[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD: predicted against actual holdout purchases per calibration frequency
CREATE FUNCTION @extschema@.cvfw_bgnbd_holdout_trans(pg_catalog.float8[], @extschema@.cvfw_bgnbd,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_bgnbd_holdout_trans(pg_catalog.float8[], @extschema@.cvfw_bgnbd,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8,
	pg_catalog.int4)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_bgnbd_holdout(model @extschema@.cvfw_bgnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	frequency_holdout pg_catalog.float8, duration_holdout pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_bgnbd_holdout_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_holdout_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_holdout(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'actual and expected holdout purchases per calibration frequency 0 to 6, 7 or more, and all';

CREATE AGGREGATE @extschema@.cvfw_bgnbd_holdout(model @extschema@.cvfw_bgnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	frequency_holdout pg_catalog.float8, duration_holdout pg_catalog.float8,
	bins pg_catalog.int4) (
	SFUNC = @extschema@.cvfw_bgnbd_holdout_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_holdout_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_holdout(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4) IS
'actual and expected holdout purchases per calibration frequency 0 to bins - 1, bins or more, and all';

-- BG/NBD: customers per number of calibration-period repeat purchases, actual and expected
CREATE FUNCTION @extschema@.cvfw_bgnbd_frequencies_trans(pg_catalog.float8[], @extschema@.cvfw_bgnbd,
	pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_bgnbd_frequencies_trans(pg_catalog.float8[], @extschema@.cvfw_bgnbd,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.int4)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_bgnbd_frequencies(model @extschema@.cvfw_bgnbd,
	frequency pg_catalog.float8, t pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_bgnbd_frequencies_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_frequencies_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_frequencies(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8) IS
'customers with 0 to 6 and 7 or more calibration-period repeat purchases, actual and expected by the model';

CREATE AGGREGATE @extschema@.cvfw_bgnbd_frequencies(model @extschema@.cvfw_bgnbd,
	frequency pg_catalog.float8, t pg_catalog.float8, bins pg_catalog.int4) (
	SFUNC = @extschema@.cvfw_bgnbd_frequencies_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_frequencies_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_frequencies(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4) IS
'customers with 0 to bins - 1 and bins or more calibration-period repeat purchases, actual and expected by the model';
