/*
 * pg_agg.h — what cvfw's aggregate support functions share.
 */
#ifndef CVFW_AGG_PG_H
#define CVFW_AGG_PG_H

#include "postgres.h"
#include "fmgr.h"

#include "bytes.h"

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

/*
 * A partial state (bytes.h) of another format version — from a server
 * running another cvfw, say a Citus node — is refused with a clear error
 * before anything else is read.  For every deserialise function but
 * cvfw_merge's, whose state is a cvfw_flow summary (versioned on its own:
 * old summaries are read).
 */
static inline void
cvfw_check_state_version(const bytea *state, const char *agg)
{
	int			v = cv_state_version((const uint8 *) VARDATA_ANY(state), VARSIZE_ANY_EXHDR(state));

	if (v != CV_STATE_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: cannot read a partial aggregate state of format version %d", agg, v),
				 errdetail("This cvfw (%s) reads partial states of format version %d only.",
						   CVFW_VERSION, CV_STATE_FORMAT_VERSION),
				 errhint("Every server that exchanges partial aggregate states (parallel workers, "
						 "Citus nodes) must run the same cvfw version.")));
}

#endif							/* CVFW_AGG_PG_H */
