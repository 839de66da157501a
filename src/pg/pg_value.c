/*
 * pg_value.c — reading the chain of a summary from a call's arguments.
 */
#include "postgres.h"
#include "pg_compat.h"

#include <math.h>

#include "utils/timestamp.h"

#include "pg_flow.h"
#include "pg_value.h"

const cv_flow *
cvfw_flow_of_args(FunctionCallInfo fcinfo, int as_of_arg, int horizon_arg,
				  bool *has_cutoff, int32 *cutoff_day, int64 *as_of)
{
	/* decoded once per call site and summary (pg_flow.c's cache): not freed */
	const cv_flow *f = cvfw_flow_arg(fcinfo, 0);

	*cutoff_day = 0;
	*has_cutoff = cvfw_leak_cutoff(fcinfo, as_of_arg, horizon_arg, cutoff_day);
	*as_of = *has_cutoff ? PG_GETARG_TIMESTAMPTZ(as_of_arg) : 0;
	return f;
}

void
cvfw_chain_of_args(FunctionCallInfo fcinfo, cv_chain *c)
{
	const cv_flow *f;
	bool		has_cutoff;
	int32		cutoff_day;
	int64		as_of;

	f = cvfw_flow_of_args(fcinfo, 1, 2, &has_cutoff, &cutoff_day, &as_of);
	cv_chain_of_flow(f, has_cutoff, cutoff_day, as_of, c);
}

void
cvfw_value_check(cv_status st)
{
	if (st == CV_ERR_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw: an expected value is out of range")));
	if (st != CV_OK)
		elog(ERROR, "cvfw: the value model failed (status %d)", (int) st);
}

double
cvfw_rate_arg(FunctionCallInfo fcinfo, int arg)
{
	double		r = PG_GETARG_FLOAT8(arg);

	if (!(r >= 0 && r <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("leak rate %g is not between 0 and 1", r)));
	return r;
}
