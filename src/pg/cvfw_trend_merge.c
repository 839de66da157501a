/*
 * cvfw_trend_merge.c — trends of disjoint sets of customers combined: the
 * aggregate cvfw_merge(cvfw_trend) (parallel safe: combine, serialise and
 * deserialise functions for its state, a decoded trend), and the group
 * operations cvfw_trend_add (+) and cvfw_trend_subtract (-), with SQL NULL
 * the trend of no customers as for summaries: NULL + b = b, a - NULL = a,
 * a - a = NULL.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "pg_agg.h"
#include "pg_trend.h"

PG_FUNCTION_INFO_V1(cvfw_trend_merge_trans);
PG_FUNCTION_INFO_V1(cvfw_trend_merge_combine);
PG_FUNCTION_INFO_V1(cvfw_trend_merge_serialize);
PG_FUNCTION_INFO_V1(cvfw_trend_merge_deserialize);
PG_FUNCTION_INFO_V1(cvfw_trend_merge_final);
PG_FUNCTION_INFO_V1(cvfw_trend_add);
PG_FUNCTION_INFO_V1(cvfw_trend_subtract);

/* the state and everything it holds live in the aggregate's context */
static cv_trend *
trend_new(MemoryContext ctx)
{
	cv_trend   *t = MemoryContextAlloc(ctx, sizeof(cv_trend));

	cvfw_trend_init(t, ctx);
	return t;
}

Datum
cvfw_trend_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_trend_merge_trans");
	cv_trend   *t = PG_ARGISNULL(0) ? NULL : (cv_trend *) PG_GETARG_POINTER(0);
	bytea	   *bytes;

	CVFW_RETURN_STATE_IF_NULL(t, 1);
	/* detoast in the per-row context, not in the aggregate's */
	bytes = PG_GETARG_BYTEA_PP(1);
	if (t == NULL)
		t = trend_new(ctx);
	cvfw_trend_from_bytes(bytes, t);
	PG_RETURN_POINTER(t);
}

Datum
cvfw_trend_merge_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_trend_merge_combine");
	cv_trend   *a = PG_ARGISNULL(0) ? NULL : (cv_trend *) PG_GETARG_POINTER(0);
	cv_trend   *b = PG_ARGISNULL(1) ? NULL : (cv_trend *) PG_GETARG_POINTER(1);
	const char *why = NULL;
	cv_status	st;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	/* never hand back the other state: merge into one of our own */
	if (a == NULL)
		a = trend_new(ctx);
	st = cv_trend_merge(a, b, &why);
	cvfw_trend_check(st, why);
	PG_RETURN_POINTER(a);
}

Datum
cvfw_trend_merge_serialize(PG_FUNCTION_ARGS)
{
	(void) cvfw_agg_context(fcinfo, "cvfw_trend_merge_serialize");
	PG_RETURN_DATUM(cvfw_trend_to_datum((cv_trend *) PG_GETARG_POINTER(0)));
}

Datum
cvfw_trend_merge_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_trend_merge_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	cv_trend   *t = trend_new(ctx);

	/* a partial state is a trend: versioned and checked like any other */
	cvfw_trend_from_bytes(bytes, t);
	PG_RETURN_POINTER(t);
}

Datum
cvfw_trend_merge_final(PG_FUNCTION_ARGS)
{
	(void) cvfw_agg_context(fcinfo, "cvfw_trend_merge_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cvfw_trend_to_datum((cv_trend *) PG_GETARG_POINTER(0)));
}

/* the trend of the customers of both (disjoint sets of customers) */
Datum
cvfw_trend_add(PG_FUNCTION_ARGS)
{
	cv_trend	t;
	int			i;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	cvfw_trend_init(&t, CurrentMemoryContext);
	for (i = 0; i < 2; i++)
		if (!PG_ARGISNULL(i))
			cvfw_trend_from_datum(PG_GETARG_DATUM(i), &t);
	PG_RETURN_DATUM(cvfw_trend_to_datum(&t));
}

/* the trend of total's customers but part's */
Datum
cvfw_trend_subtract(PG_FUNCTION_ARGS)
{
	cv_trend	total,
				part;
	const char *why = NULL;
	cv_status	st;
	Datum		result;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
		cvfw_trend_check(CV_ERR_NOT_CONTAINED, "The total is NULL, the trend of no customers.");
	cvfw_trend_init(&total, CurrentMemoryContext);
	cvfw_trend_from_datum(PG_GETARG_DATUM(0), &total);
	if (!PG_ARGISNULL(1))
	{
		cvfw_trend_init(&part, CurrentMemoryContext);
		cvfw_trend_from_datum(PG_GETARG_DATUM(1), &part);
		st = cv_trend_subtract(&total, &part, &why);
		cvfw_trend_check(st, why);
		cv_trend_free(&part);
	}
	if (total.customers == 0)
		PG_RETURN_NULL();		/* every customer taken out */
	result = cvfw_trend_to_datum(&total);
	cv_trend_free(&total);
	PG_RETURN_DATUM(result);
}
