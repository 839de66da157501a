/*
 * cvfw_merge.c — the aggregate cvfw_merge(cvfw_flow) over summaries of
 * disjoint sets of customers.  Parallel safe: combine, serialise and
 * deserialise functions for its internal state (a decoded summary).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "pg_agg.h"
#include "pg_flow.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_merge_trans);
PG_FUNCTION_INFO_V1(cvfw_merge_combine);
PG_FUNCTION_INFO_V1(cvfw_merge_serialize);
PG_FUNCTION_INFO_V1(cvfw_merge_deserialize);
PG_FUNCTION_INFO_V1(cvfw_merge_final);

/* the state and everything it holds live in the aggregate's context */
static cv_flow *
flow_new(MemoryContext ctx)
{
	cv_flow    *f = MemoryContextAlloc(ctx, sizeof(cv_flow));

	cvfw_flow_init(f, ctx);
	return f;
}

Datum
cvfw_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_merge_trans");
	cv_flow    *f = PG_ARGISNULL(0) ? NULL : (cv_flow *) PG_GETARG_POINTER(0);
	bytea	   *bytes;

	CVFW_RETURN_STATE_IF_NULL(f, 1);
	/* detoast in the per-row context, not in the aggregate's: it is thrown away */
	bytes = PG_GETARG_BYTEA_PP(1);
	if (f == NULL)
		f = flow_new(ctx);
	cvfw_flow_from_bytes(bytes, f);
	PG_RETURN_POINTER(f);
}

Datum
cvfw_merge_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_merge_combine");
	cv_flow    *a = PG_ARGISNULL(0) ? NULL : (cv_flow *) PG_GETARG_POINTER(0);
	cv_flow    *b = PG_ARGISNULL(1) ? NULL : (cv_flow *) PG_GETARG_POINTER(1);
	const char *why = NULL;
	cv_status	st;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	/* never hand back the other state: merge into one of our own */
	if (a == NULL)
		a = flow_new(ctx);
	st = cv_flow_merge(a, b, &why);
	cvfw_flow_check(st, why);
	PG_RETURN_POINTER(a);
}

Datum
cvfw_merge_serialize(PG_FUNCTION_ARGS)
{
	(void) cvfw_agg_context(fcinfo, "cvfw_merge_serialize");
	PG_RETURN_DATUM(cvfw_flow_to_datum((cv_flow *) PG_GETARG_POINTER(0)));
}

Datum
cvfw_merge_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_merge_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	cv_flow    *f = flow_new(ctx);

	/* a partial state is a summary: versioned and checked like any other */
	cvfw_flow_from_bytes(bytes, f);
	PG_RETURN_POINTER(f);
}

Datum
cvfw_merge_final(PG_FUNCTION_ARGS)
{
	(void) cvfw_agg_context(fcinfo, "cvfw_merge_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cvfw_flow_to_datum((cv_flow *) PG_GETARG_POINTER(0)));
}
