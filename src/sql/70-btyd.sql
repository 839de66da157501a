
-- ---------------------------------------------------------------------------
-- predictive CLV: RFM summaries, BG/NBD and Gamma-Gamma ("buy till you die")
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_rfm AS (
	frequency pg_catalog.float8,
	recency pg_catalog.float8,
	t pg_catalog.float8,
	monetary pg_catalog.float8
);
COMMENT ON TYPE @extschema@.cvfw_rfm IS
'a customer''s purchase summary: repeat purchases, first to last purchase and first purchase to calibration end in periods, mean repeat purchase amount';

-- cvfw_rfm(at, amount, calibration_end, period [, grain]): one customer's purchases
CREATE FUNCTION @extschema@.cvfw_rfm_trans(pg_catalog.internal, pg_catalog.timestamptz,
	pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_trans(pg_catalog.internal, pg_catalog.timestamptz,
	pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_rfm_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_rfm
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_rfm(at pg_catalog.timestamptz, amount pg_catalog.float8,
	calibration_end pg_catalog.timestamptz, period pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_rfm_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_rfm_final,
	COMBINEFUNC = @extschema@.cvfw_rfm_combine,
	SERIALFUNC = @extschema@.cvfw_rfm_serialize,
	DESERIALFUNC = @extschema@.cvfw_rfm_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_rfm(pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.interval) IS
'RFM summary of one customer''s purchases up to the calibration end, in periods; purchases on one UTC day count as one';

CREATE AGGREGATE @extschema@.cvfw_rfm(at pg_catalog.timestamptz, amount pg_catalog.float8,
	calibration_end pg_catalog.timestamptz, period pg_catalog.interval, grain pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_rfm_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_rfm_final,
	COMBINEFUNC = @extschema@.cvfw_rfm_combine,
	SERIALFUNC = @extschema@.cvfw_rfm_serialize,
	DESERIALFUNC = @extschema@.cvfw_rfm_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_rfm(pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.interval) IS
'RFM summary of one customer''s purchases up to the calibration end, in periods; purchases in one grain count as one';

-- the model fits' shared state: the distinct customer summaries with counts
CREATE FUNCTION @extschema@.cvfw_btyd_points_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_btyd_points_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_btyd_points_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD
CREATE TYPE @extschema@.cvfw_bgnbd AS (
	r pg_catalog.float8,
	alpha pg_catalog.float8,
	a pg_catalog.float8,
	b pg_catalog.float8,
	loglik pg_catalog.float8,
	customers pg_catalog.int8
);
COMMENT ON TYPE @extschema@.cvfw_bgnbd IS
'a fitted BG/NBD model: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b), the log-likelihood and the customers fitted';

CREATE FUNCTION @extschema@.cvfw_bgnbd_fit_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_bgnbd_fit_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_bgnbd
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_bgnbd_fit(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_bgnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_bgnbd_fit_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_points_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_points_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_fit(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'maximum likelihood BG/NBD model of one row per customer: repeat purchases, recency and T in periods';

CREATE FUNCTION @extschema@.cvfw_bgnbd_expected(model @extschema@.cvfw_bgnbd,
	horizon pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_bgnbd_expected(@extschema@.cvfw_bgnbd, pg_catalog.float8) IS
'expected purchases of a new customer in horizon periods, E[X(t)]';

CREATE FUNCTION @extschema@.cvfw_bgnbd_conditional(model @extschema@.cvfw_bgnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	horizon pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_bgnbd_conditional(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'expected purchases in the next horizon periods of a customer with that history, E[Y(t) | x, t_x, T]';

CREATE FUNCTION @extschema@.cvfw_bgnbd_p_alive(model @extschema@.cvfw_bgnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_bgnbd_p_alive(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'probability that a customer with that history is still alive (buying)';

-- Gamma-Gamma
CREATE TYPE @extschema@.cvfw_gg AS (
	p pg_catalog.float8,
	q pg_catalog.float8,
	v pg_catalog.float8,
	loglik pg_catalog.float8,
	customers pg_catalog.int8
);
COMMENT ON TYPE @extschema@.cvfw_gg IS
'a fitted Gamma-Gamma spend model (p, q, v), the log-likelihood and the repeat customers fitted';

CREATE FUNCTION @extschema@.cvfw_gg_fit_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_gg_fit_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_gg
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_gg_fit(frequency pg_catalog.float8,
	monetary pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_gg_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_gg_fit_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_points_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_points_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_gg_fit(pg_catalog.float8, pg_catalog.float8) IS
'maximum likelihood Gamma-Gamma spend model of one row per customer; customers without repeat purchases are left out';

CREATE FUNCTION @extschema@.cvfw_gg_expected_spend(model @extschema@.cvfw_gg,
	frequency pg_catalog.float8, monetary pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_gg_expected_spend(@extschema@.cvfw_gg, pg_catalog.float8, pg_catalog.float8) IS
'expected mean spend per purchase of a customer with frequency repeat purchases of mean monetary, E[M | x, m]';

-- predicted CLV
CREATE FUNCTION @extschema@.cvfw_clv_predict(bgnbd @extschema@.cvfw_bgnbd, gg @extschema@.cvfw_gg,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	monetary pg_catalog.float8, periods pg_catalog.int4, discount_rate pg_catalog.float8,
	margin pg_catalog.float8 DEFAULT 1)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv_predict(@extschema@.cvfw_bgnbd, @extschema@.cvfw_gg, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8) IS
'predicted lifetime value over the next periods: margin x expected spend x the discounted expected purchases of each period';
