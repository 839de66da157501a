/*
 * btyd_pg.c — the model fits' shared aggregate state (the bag of distinct
 * summaries: combine, serialise, deserialise), errors, and the models'
 * composite types.
 */
#include "postgres.h"

#include <math.h>

#include "executor/executor.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "agg_pg.h"
#include "btyd_pg.h"

PG_FUNCTION_INFO_V1(cvfw_btyd_points_combine);
PG_FUNCTION_INFO_V1(cvfw_btyd_points_serialize);
PG_FUNCTION_INFO_V1(cvfw_btyd_points_deserialize);

cvfw_points_state *
cvfw_points_state_new(FunctionCallInfo fcinfo, const char *name)
{
	cvfw_points_state *s = MemoryContextAllocZero(cvfw_agg_context(fcinfo, name),
												  sizeof(cvfw_points_state));

	cv_points_init(&s->bag);
	return s;
}

static void
too_many(const char *fname)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: too many distinct customer summaries", fname),
			 errdetail("A fit holds at most %zu distinct summaries.", (size_t) CV_POINTS_MAX),
			 errhint("Round recency and T to whole days or weeks.")));
}

void
cvfw_points_state_add(FunctionCallInfo fcinfo, cvfw_points_state *s, double x, double y,
					  double z, const char *fname)
{
	MemoryContext old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, fname));
	int			rc = cv_points_add(&s->bag, x, y, z, 1);

	MemoryContextSwitchTo(old);
	if (rc != 0)
		too_many(fname);
}

Datum
cvfw_btyd_points_combine(PG_FUNCTION_ARGS)
{
	cvfw_points_state *a = PG_ARGISNULL(0) ? NULL : (cvfw_points_state *) PG_GETARG_POINTER(0);
	cvfw_points_state *b = PG_ARGISNULL(1) ? NULL : (cvfw_points_state *) PG_GETARG_POINTER(1);
	MemoryContext old;
	int			rc;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	if (a == NULL)
		a = cvfw_points_state_new(fcinfo, "cvfw_btyd_points_combine");
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_btyd_points_combine"));
	rc = cv_points_merge(&a->bag, &b->bag);
	MemoryContextSwitchTo(old);
	if (rc != 0)
		too_many("cvfw_btyd_points_combine");
	PG_RETURN_POINTER(a);
}

Datum
cvfw_btyd_points_serialize(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s = (cvfw_points_state *) PG_GETARG_POINTER(0);
	size_t		size = cv_points_size(&s->bag);
	bytea	   *out;

	if (size > MaxAllocSize - VARHDRSZ)
		too_many("cvfw_btyd_points_serialize");
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	cv_points_write(&s->bag, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_btyd_points_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	cvfw_points_state *s = cvfw_points_state_new(fcinfo, "cvfw_btyd_points_deserialize");
	MemoryContext old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_btyd_points_deserialize"));
	int			rc = cv_points_read((const unsigned char *) VARDATA_ANY(data),
									VARSIZE_ANY_EXHDR(data), &s->bag);

	MemoryContextSwitchTo(old);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw model fit aggregate state")));
	PG_RETURN_POINTER(s);
}

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
