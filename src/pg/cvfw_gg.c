/*
 * cvfw_gg.c — the Gamma-Gamma spend model in SQL: the cvfw_gg_fit
 * aggregate and the conditional expected spend.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "pg_agg.h"
#include "pg_btyd.h"

PG_FUNCTION_INFO_V1(cvfw_gg_fit_trans);
PG_FUNCTION_INFO_V1(cvfw_gg_fit_final);
PG_FUNCTION_INFO_V1(cvfw_gg_fit_summary_final);
PG_FUNCTION_INFO_V1(cvfw_gg_expected_spend);

static void
spend_history(double x, double m, const char *fname)
{
	const char *why = cv_gg_row_error(x, m);

	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid customer (frequency %g, monetary value %g)", fname, x, m),
				 errdetail("The %s.", why)));
}

/*
 * cvfw_gg_fit(frequency, monetary): repeat customers only; rows with a NULL
 * or frequency 0 are left out (but make the group non-empty: a group with
 * customers and no repeat customer is an error, not NULL).
 */
Datum
cvfw_gg_fit_trans(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s = PG_ARGISNULL(0) ? NULL : (cvfw_points_state *) PG_GETARG_POINTER(0);
	double		x,
				m;

	if (PG_ARGISNULL(1) || (PG_ARGISNULL(2) && PG_GETARG_FLOAT8(1) != 0))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	x = PG_GETARG_FLOAT8(1);
	m = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);
	spend_history(x, m, "cvfw_gg_fit");
	if (s == NULL)
		s = cvfw_points_state_new(fcinfo, "cvfw_gg_fit_trans");
	if (x > 0)
		cvfw_points_state_add(fcinfo, s, x, m, 0, "cvfw_gg_fit");
	PG_RETURN_POINTER(s);
}

static double
runaway_value(const cv_gg *g, const char *name)
{
	if (name == NULL)
		return 0;
	if (strcmp(name, "p") == 0)
		return g->p;
	return strcmp(name, "q") == 0 ? g->q : g->v;
}

static Datum
gg_datum(const cv_gg *g, TupleDesc desc)
{
	Datum		values[5];
	bool		nulls[5] = {false};

	values[0] = Float8GetDatum(g->p);
	values[1] = Float8GetDatum(g->q);
	values[2] = Float8GetDatum(g->v);
	values[3] = Float8GetDatum(g->loglik);
	values[4] = Int64GetDatum((int64) g->customers);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
}

/* the fit of the state in argument 0: false when there are no customers */
static bool
fit(FunctionCallInfo fcinfo, const char *fname, cv_gg *g, cv_fit_info *info)
{
	cvfw_points_state *s;
	const char *runaway = NULL;
	cv_btyd_status st;
	MemoryContext old;

	if (PG_ARGISNULL(0))
		return false;			/* no customers */
	s = (cvfw_points_state *) PG_GETARG_POINTER(0);
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, fname));
	st = cv_gg_fit_ex(&s->bag, g, info, &runaway);
	MemoryContextSwitchTo(old);
	cvfw_btyd_check(st, fname, runaway, runaway_value(g, runaway));
	return true;
}

Datum
cvfw_gg_fit_final(PG_FUNCTION_ARGS)
{
	cv_gg		g;
	cv_fit_info info;
	TupleDesc	desc;

	if (!fit(fcinfo, "cvfw_gg_fit", &g, &info))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_gg must be a composite type");
	PG_RETURN_DATUM(gg_datum(&g, desc));
}

/* cvfw_gg_fit_summary(frequency, monetary): the model with its standard errors */
Datum
cvfw_gg_fit_summary_final(PG_FUNCTION_ARGS)
{
	cv_gg		g;
	cv_fit_info info;
	TupleDesc	desc;

	if (!fit(fcinfo, "cvfw_gg_fit_summary", &g, &info))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_gg_summary must be a composite type");
	PG_RETURN_DATUM(cvfw_fit_summary_datum(fcinfo, gg_datum(&g, cvfw_summary_model_desc(desc)),
										   &info, 0, "cvfw_gg_fit_summary"));
}

/* cvfw_gg_expected_spend(model, frequency, monetary) */
Datum
cvfw_gg_expected_spend(PG_FUNCTION_ARGS)
{
	cv_gg		g;
	double		x = PG_GETARG_FLOAT8(1),
				m = PG_GETARG_FLOAT8(2),
				out = 0;

	cvfw_gg_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &g, "cvfw_gg_expected_spend");
	spend_history(x, m, "cvfw_gg_expected_spend");
	cvfw_btyd_check(cv_gg_expected_spend(&g, x, m, &out), "cvfw_gg_expected_spend", NULL, 0);
	PG_RETURN_FLOAT8(out);
}
