/*
 * cvfw_bgnbd.c — the BG/NBD model in SQL: the cvfw_bgnbd_fit aggregate
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

PG_FUNCTION_INFO_V1(cvfw_bgnbd_fit_trans);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_fit_final);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_fit_summary_final);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_expected);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_conditional);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_p_alive);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_probability);

/*
 * cvfw_bgnbd_fit(frequency, recency, T [, penalizer]) and the summary
 * aggregate: rows with a NULL history are left out; a penalised fit's
 * penalizer must be given (and the same) on every row.
 */
Datum
cvfw_bgnbd_fit_trans(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s = PG_ARGISNULL(0) ? NULL : (cvfw_points_state *) PG_GETARG_POINTER(0);
	bool		penalised = PG_NARGS() > 4;
	double		x,
				t_x,
				T;

	if (penalised)
	{
		bool		fresh = s == NULL;

		if (fresh)
			s = cvfw_points_state_new(fcinfo, "cvfw_bgnbd_fit_trans");
		cvfw_points_state_penalizer(fcinfo, s, 4, fresh, "cvfw_bgnbd_fit");
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	cvfw_history_arg(fcinfo, 1, "cvfw_bgnbd_fit", &x, &t_x, &T);
	if (s == NULL)
		s = cvfw_points_state_new(fcinfo, "cvfw_bgnbd_fit_trans");
	cvfw_points_state_add(fcinfo, s, x, t_x, T, "cvfw_bgnbd_fit");
	PG_RETURN_POINTER(s);
}

static Datum
bgnbd_datum(const cv_bgnbd *m, TupleDesc desc)
{
	Datum		values[6];
	bool		nulls[6] = {false};

	values[0] = Float8GetDatum(m->r);
	values[1] = Float8GetDatum(m->alpha);
	values[2] = Float8GetDatum(m->a);
	values[3] = Float8GetDatum(m->b);
	values[4] = Float8GetDatum(m->loglik);
	values[5] = Int64GetDatum((int64) m->customers);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
}

/* where the parameter that ran away got to */
static double
runaway_value(const cv_bgnbd *m, const char *name)
{
	if (name == NULL)
		return 0;
	if (strcmp(name, "r") == 0)
		return m->r;
	if (strcmp(name, "alpha") == 0)
		return m->alpha;
	return strcmp(name, "a") == 0 ? m->a : m->b;
}

/* the fit of the state in argument 0: false when there are no customers */
static bool
fit(FunctionCallInfo fcinfo, const char *fname, cv_bgnbd *m, cv_fit_info *info, double *penalizer)
{
	cvfw_points_state *s;
	const char *runaway = NULL;
	cv_btyd_status st;
	MemoryContext old;

	if (PG_ARGISNULL(0))
		return false;			/* no customers */
	s = (cvfw_points_state *) PG_GETARG_POINTER(0);
	*penalizer = s->penalizer;
	/* sorting happens in place, in the state's own context */
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, fname));
	st = cv_bgnbd_fit_ex(&s->bag, s->penalizer, m, info, &runaway);
	MemoryContextSwitchTo(old);
	if (st == CV_BTYD_EMPTY)
		return false;
	cvfw_btyd_check(st, fname, runaway, runaway_value(m, runaway));
	return true;
}

Datum
cvfw_bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	cv_fit_info info;
	double		penalizer;
	TupleDesc	desc;

	if (!fit(fcinfo, "cvfw_bgnbd_fit", &m, &info, &penalizer))
		PG_RETURN_NULL();
	if (info.method == CV_FIT_LIMIT)
		ereport(NOTICE,
				(errmsg("cvfw_bgnbd_fit: fitted the limiting model of homogeneous dropout"),
				 errdetail("The likelihood keeps rising as a and b go to infinity together: dropout barely varies between customers. The model returned is that limit, with dropout probability p = a/(a+b) = %.6g after every purchase (held as a + b = 1e15).",
						   info.estimate[2]),
				 errhint("cvfw_bgnbd_fit_summary reports the same with standard errors; a penalised fit keeps a and b finite instead.")));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_bgnbd must be a composite type");
	PG_RETURN_DATUM(bgnbd_datum(&m, desc));
}

/* cvfw_bgnbd_fit_summary(...): the model with how it was fitted and its standard errors */
Datum
cvfw_bgnbd_fit_summary_final(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	cv_fit_info info;
	double		penalizer;
	TupleDesc	desc;

	if (!fit(fcinfo, "cvfw_bgnbd_fit_summary", &m, &info, &penalizer))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_bgnbd_summary must be a composite type");
	PG_RETURN_DATUM(cvfw_fit_summary_datum(fcinfo, bgnbd_datum(&m, cvfw_summary_model_desc(desc)),
										   &info, penalizer, "cvfw_bgnbd_fit_summary"));
}

/* cvfw_bgnbd_expected(model, horizon) */
Datum
cvfw_bgnbd_expected(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	double		out = 0;

	cvfw_bgnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_bgnbd_expected");
	cvfw_btyd_check(cv_bgnbd_expected(&m, cvfw_horizon_arg(fcinfo, 1, "cvfw_bgnbd_expected"), &out),
					"cvfw_bgnbd_expected", NULL, 0);
	PG_RETURN_FLOAT8(out);
}

/* cvfw_bgnbd_conditional(model, frequency, recency, T, horizon) */
Datum
cvfw_bgnbd_conditional(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	double		x,
				t_x,
				T,
				out = 0;

	cvfw_bgnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_bgnbd_conditional");
	cvfw_history_arg(fcinfo, 1, "cvfw_bgnbd_conditional", &x, &t_x, &T);
	cvfw_btyd_check(cv_bgnbd_conditional(&m, x, t_x, T, cvfw_horizon_arg(fcinfo, 4, "cvfw_bgnbd_conditional"), &out),
					"cvfw_bgnbd_conditional", NULL, 0);
	PG_RETURN_FLOAT8(out);
}

/* cvfw_bgnbd_p_alive(model, frequency, recency, T) */
Datum
cvfw_bgnbd_p_alive(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	double		x,
				t_x,
				T,
				out = 0;

	cvfw_bgnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_bgnbd_p_alive");
	cvfw_history_arg(fcinfo, 1, "cvfw_bgnbd_p_alive", &x, &t_x, &T);
	cvfw_btyd_check(cv_bgnbd_p_alive(&m, x, t_x, T, &out), "cvfw_bgnbd_p_alive", NULL, 0);
	PG_RETURN_FLOAT8(out);
}

/* cvfw_bgnbd_probability(model, purchases, horizon): P(X(t) = n) */
Datum
cvfw_bgnbd_probability(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	double		n = PG_GETARG_FLOAT8(1),
				out = 0;

	cvfw_bgnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_bgnbd_probability");
	if (!(n >= 0) || n != floor(n) || n > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_bgnbd_probability: the number of purchases must be a whole number from 0 to 1e9")));
	cvfw_btyd_check(cv_bgnbd_pmf(&m, cvfw_horizon_arg(fcinfo, 2, "cvfw_bgnbd_probability"), n, &out),
					"cvfw_bgnbd_probability", NULL, 0);
	PG_RETURN_FLOAT8(out);
}
