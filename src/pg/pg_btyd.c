/*
 * pg_btyd.c — what the buy-till-you-die functions share in the PostgreSQL
 * layer: core statuses as SQL errors, the models from their composite types.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "executor/executor.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "pg_btyd.h"

void
cvfw_btyd_check(cv_btyd_status st, const char *fname, const char *what, double value)
{
	switch (st)
	{
		case CV_BTYD_OK:
		case CV_BTYD_EMPTY:
			return;
		case CV_BTYD_NO_REPEAT:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the data cannot identify the model", fname),
					 errdetail("No customer made a repeat purchase (frequency > 0)."),
					 errhint("Fit the model on a group of customers that includes repeat buyers.")));
			break;
		case CV_BTYD_UNBOUNDED:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the data cannot identify the model", fname),
					 errdetail("The likelihood keeps growing as parameter %s goes to %s.",
							   what, value > 1 ? "infinity" : "zero"),
					 errhint("Fit the model on more customers, with varied purchase histories.")));
			break;
		case CV_BTYD_NO_CONVERGENCE:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the maximum likelihood search did not converge", fname),
					 errdetail("It stopped after %d likelihood evaluations.", 20000)));
			break;
		case CV_BTYD_BAD_MODEL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the model's parameters must be positive finite numbers", fname)));
			break;
		case CV_BTYD_BAD_ARGUMENT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: invalid argument", fname),
					 what != NULL ? errdetail("%s.", what) : 0));
			break;
		case CV_BTYD_SERIES:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: the horizon is too long to evaluate", fname),
					 errdetail("The hypergeometric series did not converge in 10 million terms.")));
			break;
		case CV_BTYD_UNDEFINED:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: the expected spend is infinite", fname),
					 errdetail("The Gamma-Gamma model has a finite mean spend only when p x frequency + q > 1.")));
			break;
	}
}

/* a field of a model; NULL is as invalid as a negative parameter */
static double
field(HeapTupleHeader t, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(t, attno, &isnull);

	return isnull ? NAN : DatumGetFloat8(d);
}

void
cvfw_bgnbd_from_datum(HeapTupleHeader t, cv_bgnbd *m, const char *fname)
{
	m->r = field(t, 1);
	m->alpha = field(t, 2);
	m->a = field(t, 3);
	m->b = field(t, 4);
	m->loglik = 0;
	m->customers = 0;
	cvfw_btyd_check(cv_bgnbd_check(m), fname, NULL, 0);
}

void
cvfw_gg_from_datum(HeapTupleHeader t, cv_gg *g, const char *fname)
{
	g->p = field(t, 1);
	g->q = field(t, 2);
	g->v = field(t, 3);
	g->loglik = 0;
	g->customers = 0;
	cvfw_btyd_check(cv_gg_check(g), fname, NULL, 0);
}
