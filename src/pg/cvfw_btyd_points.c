/*
 * cvfw_btyd_points.c — the model fits' shared aggregate state (the bag of
 * distinct summaries): combine, serialise, deserialise.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "pg_agg.h"
#include "pg_btyd.h"

PG_FUNCTION_INFO_V1(cvfw_btyd_points_combine);
PG_FUNCTION_INFO_V1(cvfw_btyd_points_serialize);
PG_FUNCTION_INFO_V1(cvfw_btyd_points_deserialize);
PG_FUNCTION_INFO_V1(cvfw_btyd_penalised_serialize);
PG_FUNCTION_INFO_V1(cvfw_btyd_penalised_deserialize);

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
	{
		a = cvfw_points_state_new(fcinfo, "cvfw_btyd_points_combine");
		a->penalizer = b->penalizer;
	}
	else if (a->penalizer != b->penalizer)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_btyd_points_combine: the penalizer must be the same for every row")));
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
	cvfw_points_state *s;
	MemoryContext old;
	int			rc;

	cvfw_check_state_version(data, "cvfw model fit");
	s = cvfw_points_state_new(fcinfo, "cvfw_btyd_points_deserialize");
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_btyd_points_deserialize"));
	rc = cv_points_read((const unsigned char *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), &s->bag);
	MemoryContextSwitchTo(old);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw model fit aggregate state")));
	PG_RETURN_POINTER(s);
}

/* a penalised fit's state: the penalizer, then the bag */
Datum
cvfw_btyd_penalised_serialize(PG_FUNCTION_ARGS)
{
	cvfw_points_state *s = (cvfw_points_state *) PG_GETARG_POINTER(0);
	size_t		size = cv_fitstate_size(&s->bag);
	bytea	   *out;

	if (size > MaxAllocSize - VARHDRSZ)
		too_many("cvfw_btyd_penalised_serialize");
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	cv_fitstate_write(&s->bag, s->penalizer, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_btyd_penalised_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	cvfw_points_state *s = cvfw_points_state_new(fcinfo, "cvfw_btyd_penalised_deserialize");
	MemoryContext old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_btyd_penalised_deserialize"));
	int			rc = cv_fitstate_read((const unsigned char *) VARDATA_ANY(data),
									  VARSIZE_ANY_EXHDR(data), &s->penalizer, &s->bag);

	MemoryContextSwitchTo(old);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw model fit aggregate state")));
	PG_RETURN_POINTER(s);
}
