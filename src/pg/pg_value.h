/*
 * pg_value.h — what the value-model functions share (cvfw_stage_value,
 * cvfw_value, cvfw_what_if, cvfw_fix_first, cvfw_dwell_km): reading the
 * chain of a summary from a call's arguments, errors, and NaN as NULL.
 */
#ifndef CVFW_VALUE_PG_H
#define CVFW_VALUE_PG_H

#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "markov.h"

/*
 * The chain of the summary in argument 0 with the leakage cut-off of
 * as_of and horizon in arguments 1 and 2 (as cvfw_leakage).  The caller
 * has checked that argument 0 is not NULL.
 */
extern void cvfw_chain_of_args(FunctionCallInfo fcinfo, cv_chain *c);

/* the summary and its cut-off, for functions that read more than the chain */
extern const cv_flow *cvfw_flow_of_args(FunctionCallInfo fcinfo, int as_of_arg, int horizon_arg,
										bool *has_cutoff, int32 *cutoff_day, int64 *as_of);

/* report a model status other than CV_OK */
extern void cvfw_value_check(cv_status st);

/* a leak rate argument: between 0 and 1, else 22003 */
extern double cvfw_rate_arg(FunctionCallInfo fcinfo, int arg);

/* a model result as a datum: NaN (undefined) is SQL NULL */
static inline void
cvfw_float_or_null(double v, Datum *value, bool *isnull)
{
	*isnull = isnan(v);
	*value = Float8GetDatum(*isnull ? 0 : v);
}

#endif							/* CVFW_VALUE_PG_H */
