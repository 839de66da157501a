
-- ---------------------------------------------------------------------------
-- predictive CLV, 0.2.0: penalised fits, fit summaries with standard errors,
-- purchase-count probabilities
-- ---------------------------------------------------------------------------

-- a penalised fit's state carries its penalizer to the final function
CREATE FUNCTION @extschema@.cvfw_btyd_penalised_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_btyd_penalised_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_bgnbd_fit_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_bgnbd_fit(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8, penalizer pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_bgnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_bgnbd_fit_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_penalised_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_penalised_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_fit(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'penalised maximum likelihood BG/NBD model: the mean log-likelihood less penalizer x (r^2 + alpha^2 + a^2 + b^2), alpha in units of the oldest customer''s age (lifetimes'' penalizer_coef)';

-- summaries: the model, how it was fitted, and its parameters' standard errors
CREATE TYPE @extschema@.cvfw_bgnbd_summary AS (
	model @extschema@.cvfw_bgnbd,
	method pg_catalog.text,
	note pg_catalog.text,
	penalizer pg_catalog.float8,
	parameters pg_catalog.text[],
	estimates pg_catalog.float8[],
	std_errors pg_catalog.float8[]
);
COMMENT ON TYPE @extschema@.cvfw_bgnbd_summary IS
'a BG/NBD fit: the model, the method (maximum likelihood, penalised maximum likelihood or limiting model), a note, the penalizer, and the parameters with their standard errors';

CREATE FUNCTION @extschema@.cvfw_bgnbd_fit_summary_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_bgnbd_summary
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_bgnbd_fit_summary(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_bgnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_bgnbd_fit_summary_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_points_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_points_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_fit_summary(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'cvfw_bgnbd_fit with how the model was fitted and its parameters'' standard errors (observed information)';

CREATE AGGREGATE @extschema@.cvfw_bgnbd_fit_summary(frequency pg_catalog.float8,
	recency pg_catalog.float8, t pg_catalog.float8, penalizer pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_bgnbd_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_bgnbd_fit_summary_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_penalised_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_penalised_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_bgnbd_fit_summary(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'the penalised cvfw_bgnbd_fit with how the model was fitted and its parameters'' standard errors';

CREATE TYPE @extschema@.cvfw_gg_summary AS (
	model @extschema@.cvfw_gg,
	method pg_catalog.text,
	note pg_catalog.text,
	penalizer pg_catalog.float8,
	parameters pg_catalog.text[],
	estimates pg_catalog.float8[],
	std_errors pg_catalog.float8[]
);
COMMENT ON TYPE @extschema@.cvfw_gg_summary IS
'a Gamma-Gamma fit: the model, the method, a note, the penalizer (0), and the parameters with their standard errors';

CREATE FUNCTION @extschema@.cvfw_gg_fit_summary_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_gg_summary
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_gg_fit_summary(frequency pg_catalog.float8,
	monetary pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_gg_fit_trans, STYPE = pg_catalog.internal, SSPACE = 4096,
	FINALFUNC = @extschema@.cvfw_gg_fit_summary_final,
	COMBINEFUNC = @extschema@.cvfw_btyd_points_combine,
	SERIALFUNC = @extschema@.cvfw_btyd_points_serialize,
	DESERIALFUNC = @extschema@.cvfw_btyd_points_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_gg_fit_summary(pg_catalog.float8, pg_catalog.float8) IS
'cvfw_gg_fit with its parameters'' standard errors (observed information)';

-- a summary's parameter table, with Wald 95% intervals (estimate -/+ 1.96 standard errors)
CREATE FUNCTION @extschema@.cvfw_btyd_parameters(summary @extschema@.cvfw_bgnbd_summary)
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
COMMENT ON FUNCTION @extschema@.cvfw_btyd_parameters(@extschema@.cvfw_bgnbd_summary) IS
'the fit''s parameters: estimate, standard error and the Wald 95% interval';

CREATE FUNCTION @extschema@.cvfw_btyd_parameters(summary @extschema@.cvfw_gg_summary)
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
COMMENT ON FUNCTION @extschema@.cvfw_btyd_parameters(@extschema@.cvfw_gg_summary) IS
'the fit''s parameters: estimate, standard error and the Wald 95% interval';

CREATE FUNCTION @extschema@.cvfw_bgnbd_probability(model @extschema@.cvfw_bgnbd,
	purchases pg_catalog.float8, horizon pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_bgnbd_probability(@extschema@.cvfw_bgnbd, pg_catalog.float8, pg_catalog.float8) IS
'probability that a new customer makes exactly that many repeat purchases in horizon periods, P(X(t) = n)';
