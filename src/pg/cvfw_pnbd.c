/*
 * cvfw_pnbd.c — the Pareto/NBD model in SQL: the cvfw_pnbd_fit aggregate
 * (plain and penalised), its summary, and the predictions (expected
 * purchases, conditional expected purchases, probability of being alive,
 * probability of a number of purchases).
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "pg_agg.h"
#include "pg_btyd.h"

PG_FUNCTION_INFO_V1(cvfw_pnbd_fit_trans);
PG_FUNCTION_INFO_V1(cvfw_pnbd_fit_final);
PG_FUNCTION_INFO_V1(cvfw_pnbd_fit_summary_final);
PG_FUNCTION_INFO_V1(cvfw_pnbd_expected);
PG_FUNCTION_INFO_V1(cvfw_pnbd_conditional);
PG_FUNCTION_INFO_V1(cvfw_pnbd_p_alive);
PG_FUNCTION_INFO_V1(cvfw_pnbd_probability);

/* cvfw_pnbd_fit(frequency, recency, T [, penalizer]), as cvfw_bgnbd_fit */
Datum
cvfw_pnbd_fit_trans(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s = PG_ARGISNULL(0) ? NULL : (cvfw_points_state *) PG_GETARG_POINTER(0);
	double		x,
				t_x,
				T;

	if (PG_NARGS() > 4)
	{
		bool		fresh = s == NULL;

		if (fresh)
			s = cvfw_points_state_new(fcinfo, "cvfw_pnbd_fit_trans");
		cvfw_points_state_penalizer(fcinfo, s, 4, fresh, "cvfw_pnbd_fit");
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	cvfw_history_arg(fcinfo, 1, "cvfw_pnbd_fit", &x, &t_x, &T);
	if (s == NULL)
		s = cvfw_points_state_new(fcinfo, "cvfw_pnbd_fit_trans");
	cvfw_points_state_add(fcinfo, s, x, t_x, T, "cvfw_pnbd_fit");
	PG_RETURN_POINTER(s);
}

static Datum
pnbd_datum(const cv_pnbd *m, TupleDesc desc)
{
	Datum		values[6];
	bool		nulls[6] = {false};

	values[0] = Float8GetDatum(m->r);
	values[1] = Float8GetDatum(m->alpha);
	values[2] = Float8GetDatum(m->s);
	values[3] = Float8GetDatum(m->beta);
	values[4] = Float8GetDatum(m->loglik);
	values[5] = Int64GetDatum((int64) m->customers);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
}

static double
runaway_value(const cv_pnbd *m, const char *name)
{
	if (name == NULL)
		return 0;
	if (strcmp(name, "r") == 0)
		return m->r;
	if (strcmp(name, "alpha") == 0)
		return m->alpha;
	return strcmp(name, "s") == 0 ? m->s : m->beta;
}

static bool
fit(FunctionCallInfo fcinfo, const char *fname, cv_pnbd *m, cv_fit_info *info, double *penalizer)
{
	cvfw_points_state *s;
	const char *runaway = NULL;
	cv_btyd_status st;
	MemoryContext old;

	if (PG_ARGISNULL(0))
		return false;			/* no customers */
	s = (cvfw_points_state *) PG_GETARG_POINTER(0);
	*penalizer = s->penalizer;
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, fname));
	st = cv_pnbd_fit(&s->bag, s->penalizer, m, info, &runaway);
	MemoryContextSwitchTo(old);
	if (st == CV_BTYD_EMPTY)
		return false;
	cvfw_btyd_check(st, fname, runaway, runaway_value(m, runaway));
	return true;
}

Datum
cvfw_pnbd_fit_final(PG_FUNCTION_ARGS)
{
	cv_pnbd		m;
	cv_fit_info info;
	double		penalizer;
	TupleDesc	desc;

	if (!fit(fcinfo, "cvfw_pnbd_fit", &m, &info, &penalizer))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_pnbd must be a composite type");
	PG_RETURN_DATUM(pnbd_datum(&m, desc));
}

Datum
cvfw_pnbd_fit_summary_final(PG_FUNCTION_ARGS)
{
	cv_pnbd		m;
	cv_fit_info info;
	double		penalizer;
	TupleDesc	desc;

	if (!fit(fcinfo, "cvfw_pnbd_fit_summary", &m, &info, &penalizer))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_pnbd_summary must be a composite type");
	PG_RETURN_DATUM(cvfw_fit_summary_datum(fcinfo, pnbd_datum(&m, cvfw_summary_model_desc(desc)),
										   &info, penalizer, "cvfw_pnbd_fit_summary"));
}

/* cvfw_pnbd_expected(model, horizon) */
Datum
cvfw_pnbd_expected(PG_FUNCTION_ARGS)
{
	cv_pnbd		m;
	double		out = 0;

	cvfw_pnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_pnbd_expected");
	cvfw_btyd_check(cv_pnbd_expected(&m, cvfw_horizon_arg(fcinfo, 1, "cvfw_pnbd_expected"), &out),
					"cvfw_pnbd_expected", NULL, 0);
	PG_RETURN_FLOAT8(out);
}

/* cvfw_pnbd_conditional(model, frequency, recency, T, horizon) */
Datum
cvfw_pnbd_conditional(PG_FUNCTION_ARGS)
{
	cv_pnbd		m;
	double		x,
				t_x,
				T,
				out = 0;

	cvfw_pnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_pnbd_conditional");
	cvfw_history_arg(fcinfo, 1, "cvfw_pnbd_conditional", &x, &t_x, &T);
	cvfw_btyd_check(cv_pnbd_conditional(&m, x, t_x, T, cvfw_horizon_arg(fcinfo, 4, "cvfw_pnbd_conditional"), &out),
					"cvfw_pnbd_conditional", NULL, 0);
	PG_RETURN_FLOAT8(out);
}

/* cvfw_pnbd_p_alive(model, frequency, recency, T) */
Datum
cvfw_pnbd_p_alive(PG_FUNCTION_ARGS)
{
	cv_pnbd		m;
	double		x,
				t_x,
				T,
				out = 0;

	cvfw_pnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_pnbd_p_alive");
	cvfw_history_arg(fcinfo, 1, "cvfw_pnbd_p_alive", &x, &t_x, &T);
	cvfw_btyd_check(cv_pnbd_p_alive(&m, x, t_x, T, &out), "cvfw_pnbd_p_alive", NULL, 0);
	PG_RETURN_FLOAT8(out);
}

/* cvfw_pnbd_probability(model, purchases, horizon): P(X(t) = n) */
Datum
cvfw_pnbd_probability(PG_FUNCTION_ARGS)
{
	cv_pnbd		m;
	double		n = PG_GETARG_FLOAT8(1),
				out = 0;

	cvfw_pnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_pnbd_probability");
	if (!(n >= 0) || n != floor(n) || n > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_pnbd_probability: the number of purchases must be a whole number from 0 to 1e9")));
	cvfw_btyd_check(cv_pnbd_pmf(&m, cvfw_horizon_arg(fcinfo, 2, "cvfw_pnbd_probability"), n, &out),
					"cvfw_pnbd_probability", NULL, 0);
	PG_RETURN_FLOAT8(out);
}
