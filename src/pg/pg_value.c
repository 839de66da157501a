/*
 * pg_value.c — reading the chain of a summary from a call's arguments.
 */
#include "postgres.h"

#include <math.h>

#include "utils/timestamp.h"

#include "pg_flow.h"
#include "pg_value.h"

void
cvfw_flow_of_args(FunctionCallInfo fcinfo, int as_of_arg, int horizon_arg, cv_flow *f,
				  bool *has_cutoff, int32 *cutoff_day, int64 *as_of)
{
	cv_flow_init(f);
	cvfw_flow_from_datum(PG_GETARG_DATUM(0), f);
	*cutoff_day = 0;
	*has_cutoff = cvfw_leak_cutoff(fcinfo, as_of_arg, horizon_arg, cutoff_day);
	*as_of = *has_cutoff ? PG_GETARG_TIMESTAMPTZ(as_of_arg) : 0;
}

void
cvfw_chain_of_args(FunctionCallInfo fcinfo, cv_chain *c)
{
	cv_flow		f;
	bool		has_cutoff;
	int32		cutoff_day;
	int64		as_of;

	cvfw_flow_of_args(fcinfo, 1, 2, &f, &has_cutoff, &cutoff_day, &as_of);
	cv_chain_of_flow(&f, has_cutoff, cutoff_day, as_of, c);
	cv_flow_free(&f);
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
