/*
 * cvfw_bgnbd.c — the BG/NBD model in SQL: the cvfw_bgnbd_fit aggregate and the
 * predictions (expected purchases, conditional expected purchases,
 * probability of being alive).
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
PG_FUNCTION_INFO_V1(cvfw_bgnbd_expected);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_conditional);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_p_alive);

/* a customer's history, checked */
static void
history(FunctionCallInfo fcinfo, int argno, const char *fname, double *x, double *t_x, double *T)
{
	const char *why;

	*x = PG_GETARG_FLOAT8(argno);
	*t_x = PG_GETARG_FLOAT8(argno + 1);
	*T = PG_GETARG_FLOAT8(argno + 2);
	if ((why = cv_bgnbd_row_error(*x, *t_x, *T)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid customer history (frequency %g, recency %g, T %g)",
						fname, *x, *t_x, *T),
				 errdetail("The %s.", why)));
}

/* cvfw_bgnbd_fit(frequency, recency, T): rows with a NULL are left out */
Datum
cvfw_bgnbd_fit_trans(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s = PG_ARGISNULL(0) ? NULL : (cvfw_points_state *) PG_GETARG_POINTER(0);
	double		x,
				t_x,
				T;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	history(fcinfo, 1, "cvfw_bgnbd_fit", &x, &t_x, &T);
	if (s == NULL)
		s = cvfw_points_state_new(fcinfo, "cvfw_bgnbd_fit_trans");
	cvfw_points_state_add(fcinfo, s, x, t_x, T, "cvfw_bgnbd_fit");
	PG_RETURN_POINTER(s);
}

static Datum
bgnbd_datum(FunctionCallInfo fcinfo, const cv_bgnbd *m)
{
	TupleDesc	desc;
	Datum		values[6];
	bool		nulls[6] = {false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_bgnbd must be a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = Float8GetDatum(m->r);
	values[1] = Float8GetDatum(m->alpha);
	values[2] = Float8GetDatum(m->a);
	values[3] = Float8GetDatum(m->b);
	values[4] = Float8GetDatum(m->loglik);
	values[5] = Int64GetDatum((int64) m->customers);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
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

Datum
cvfw_bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s;
	cv_bgnbd	m;
	const char *runaway = NULL;
	cv_btyd_status st;
	MemoryContext old;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no customers */
	s = (cvfw_points_state *) PG_GETARG_POINTER(0);
	/* sorting happens in place, in the state's own context */
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_bgnbd_fit_final"));
	st = cv_bgnbd_fit(&s->bag, &m, &runaway);
	MemoryContextSwitchTo(old);
	if (st == CV_BTYD_EMPTY)
		PG_RETURN_NULL();
	cvfw_btyd_check(st, "cvfw_bgnbd_fit", runaway, runaway_value(&m, runaway));
	PG_RETURN_DATUM(bgnbd_datum(fcinfo, &m));
}

static double
horizon(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (!(t >= 0) || isinf(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the horizon must be a finite number of periods, 0 or more", fname)));
	return t;
}

/* cvfw_bgnbd_expected(model, horizon) */
Datum
cvfw_bgnbd_expected(PG_FUNCTION_ARGS)
{
	cv_bgnbd	m;
	double		out = 0;

	cvfw_bgnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, "cvfw_bgnbd_expected");
	cvfw_btyd_check(cv_bgnbd_expected(&m, horizon(fcinfo, 1, "cvfw_bgnbd_expected"), &out),
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
	history(fcinfo, 1, "cvfw_bgnbd_conditional", &x, &t_x, &T);
	cvfw_btyd_check(cv_bgnbd_conditional(&m, x, t_x, T, horizon(fcinfo, 4, "cvfw_bgnbd_conditional"), &out),
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
	history(fcinfo, 1, "cvfw_bgnbd_p_alive", &x, &t_x, &T);
	cvfw_btyd_check(cv_bgnbd_p_alive(&m, x, t_x, T, &out), "cvfw_bgnbd_p_alive", NULL, 0);
	PG_RETURN_FLOAT8(out);
}
