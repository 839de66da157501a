
-- ---------------------------------------------------------------------------
-- predictive CLV, 0.2.0: the Pareto/NBD model
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_pnbd AS (
	r pg_catalog.float8,
	alpha pg_catalog.float8,
	s pg_catalog.float8,
	beta pg_catalog.float8,
	loglik pg_catalog.float8,
	customers pg_catalog.int8
);
COMMENT ON TYPE @extschema@.cvfw_pnbd IS
'a fitted Pareto/NBD model: purchase rate ~ Gamma(r, alpha), dropout rate ~ Gamma(s, beta), the log-likelihood and the customers fitted';

CREATE FUNCTION @extschema@.cvfw_pnbd_fit_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_pnbd_fit_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_pnbd_fit_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_pnbd
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_pnbd_fit(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_pnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_pnbd_fit_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_points_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_points_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_fit(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'maximum likelihood Pareto/NBD model of one row per customer: repeat purchases, recency and T in periods';

CREATE AGGREGATE @extschema@.cvfw_pnbd_fit(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8, penalizer pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_pnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_pnbd_fit_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_penalised_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_penalised_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_fit(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'penalised maximum likelihood Pareto/NBD model: the mean log-likelihood less penalizer x (r^2 + alpha^2 + s^2 + beta^2), alpha and beta in units of the oldest customer''s age';

CREATE TYPE @extschema@.cvfw_pnbd_summary AS (
	model @extschema@.cvfw_pnbd,
	method pg_catalog.text,
	note pg_catalog.text,
	penalizer pg_catalog.float8,
	parameters pg_catalog.text[],
	estimates pg_catalog.float8[],
	std_errors pg_catalog.float8[]
);
COMMENT ON TYPE @extschema@.cvfw_pnbd_summary IS
'a Pareto/NBD fit: the model, the method, a note, the penalizer, and the parameters with their standard errors';

CREATE FUNCTION @extschema@.cvfw_pnbd_fit_summary_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_pnbd_summary
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_pnbd_fit_summary(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_pnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_pnbd_fit_summary_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_points_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_points_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_fit_summary(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'cvfw_pnbd_fit with how the model was fitted and its parameters'' standard errors (observed information)';

CREATE AGGREGATE @extschema@.cvfw_pnbd_fit_summary(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8, penalizer pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_pnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_pnbd_fit_summary_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_penalised_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_penalised_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_fit_summary(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'the penalised cvfw_pnbd_fit with how the model was fitted and its parameters'' standard errors';

CREATE FUNCTION @extschema@.cvfw_btyd_parameters(summary @extschema@.cvfw_pnbd_summary)
RETURNS TABLE (parameter pg_catalog.text, estimate pg_catalog.float8,
	std_error pg_catalog.float8, lower_95 pg_catalog.float8, upper_95 pg_catalog.float8)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT u.p, u.e, u.s, u.e - 1.959963984540054 * u.s, u.e + 1.959963984540054 * u.s
FROM ROWS FROM (pg_catalog.unnest(($1).parameters), pg_catalog.unnest(($1).estimates),
	pg_catalog.unnest(($1).std_errors)) WITH ORDINALITY AS u(p, e, s, i)
ORDER BY u.i
$$;
COMMENT ON FUNCTION @extschema@.cvfw_btyd_parameters(@extschema@.cvfw_pnbd_summary) IS
'the fit''s parameters: estimate, standard error and the Wald 95% interval';

-- predictions
CREATE FUNCTION @extschema@.cvfw_pnbd_expected(model @extschema@.cvfw_pnbd,
	horizon pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_pnbd_expected(@extschema@.cvfw_pnbd, pg_catalog.float8) IS
'expected purchases of a new customer in horizon periods, E[X(t)]';

CREATE FUNCTION @extschema@.cvfw_pnbd_conditional(model @extschema@.cvfw_pnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	horizon pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_pnbd_conditional(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'expected purchases in the next horizon periods of a customer with that history, E[Y(t) | x, t_x, T]';

CREATE FUNCTION @extschema@.cvfw_pnbd_p_alive(model @extschema@.cvfw_pnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_pnbd_p_alive(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'probability that a customer with that history is still alive (buying)';

CREATE FUNCTION @extschema@.cvfw_pnbd_probability(model @extschema@.cvfw_pnbd,
	purchases pg_catalog.float8, horizon pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_pnbd_probability(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8) IS
'probability that a new customer makes exactly that many repeat purchases in horizon periods, P(X(t) = n)';

-- its own name: an overload of cvfw_clv_predict would make 0.1.0 calls with
-- ROW(...) models ambiguous
CREATE FUNCTION @extschema@.cvfw_clv_predict_pnbd(pnbd @extschema@.cvfw_pnbd, gg @extschema@.cvfw_gg,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	monetary pg_catalog.float8, periods pg_catalog.int4, discount_rate pg_catalog.float8,
	margin pg_catalog.float8 DEFAULT 1)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv_predict_pnbd(@extschema@.cvfw_pnbd, @extschema@.cvfw_gg, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8) IS
'predicted lifetime value over the next periods with the Pareto/NBD: margin x expected spend x the discounted expected purchases of each period';

-- checks
CREATE FUNCTION @extschema@.cvfw_pnbd_holdout_trans(pg_catalog.float8[], @extschema@.cvfw_pnbd,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_pnbd_holdout_trans(pg_catalog.float8[], @extschema@.cvfw_pnbd,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8,
	pg_catalog.int4)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_pnbd_holdout(model @extschema@.cvfw_pnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	frequency_holdout pg_catalog.float8, duration_holdout pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_pnbd_holdout_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_holdout_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_holdout(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'actual and expected holdout purchases per calibration frequency 0 to 6, 7 or more, and all';

CREATE AGGREGATE @extschema@.cvfw_pnbd_holdout(model @extschema@.cvfw_pnbd,
	frequency pg_catalog.float8, recency pg_catalog.float8, t pg_catalog.float8,
	frequency_holdout pg_catalog.float8, duration_holdout pg_catalog.float8,
	bins pg_catalog.int4) (
	SFUNC = @extschema@.cvfw_pnbd_holdout_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_holdout_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_holdout(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4) IS
'actual and expected holdout purchases per calibration frequency 0 to bins - 1, bins or more, and all';

CREATE FUNCTION @extschema@.cvfw_pnbd_frequencies_trans(pg_catalog.float8[], @extschema@.cvfw_pnbd,
	pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_pnbd_frequencies_trans(pg_catalog.float8[], @extschema@.cvfw_pnbd,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.int4)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_pnbd_frequencies(model @extschema@.cvfw_pnbd,
	frequency pg_catalog.float8, t pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_pnbd_frequencies_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_frequencies_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_frequencies(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8) IS
'customers with 0 to 6 and 7 or more calibration-period repeat purchases, actual and expected by the model';

CREATE AGGREGATE @extschema@.cvfw_pnbd_frequencies(model @extschema@.cvfw_pnbd,
	frequency pg_catalog.float8, t pg_catalog.float8, bins pg_catalog.int4) (
	SFUNC = @extschema@.cvfw_pnbd_frequencies_trans, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.cvfw_btyd_frequencies_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_bins_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_pnbd_frequencies(@extschema@.cvfw_pnbd, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4) IS
'customers with 0 to bins - 1 and bins or more calibration-period repeat purchases, actual and expected by the model';
