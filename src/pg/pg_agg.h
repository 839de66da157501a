/*
 * pg_agg.h — what cvfw's aggregate support functions share.
 */
#ifndef CVFW_AGG_PG_H
#define CVFW_AGG_PG_H

#include "postgres.h"
#include "fmgr.h"

/* the aggregate's memory context; called outside an aggregate is a bug */
static inline MemoryContext
cvfw_agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", name);
	return ctx;
}

/*
 * The NULL case every transition and combine function shares: when the
 * input in argument argno is NULL there is nothing to add, so hand back the
 * state as it is (NULL while there is none).
 */
#define CVFW_RETURN_STATE_IF_NULL(state, argno) \
	do { \
		if (PG_ARGISNULL(argno)) \
		{ \
			if ((state) == NULL) \
				PG_RETURN_NULL(); \
			PG_RETURN_POINTER(state); \
		} \
	} while (0)

#endif							/* CVFW_AGG_PG_H */
