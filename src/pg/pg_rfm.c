/*
 * pg_rfm.c — what cvfw_rfm and cvfw_rfm_holdout share: their time
 * arguments checked, and times cut into grains.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/timestamp.h"

#include "pg_rfm.h"

/* a positive interval in microseconds, months as 30 days (as extract(epoch) does) */
int64
cvfw_rfm_length_us(FunctionCallInfo fcinfo, int argno, const char *what, const char *fname)
{
	Interval   *iv;
	double		us;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: the %s must not be NULL", fname, what)));
	iv = PG_GETARG_INTERVAL_P(argno);
	us = (double) iv->month * DAYS_PER_MONTH * USECS_PER_DAY + (double) iv->day * USECS_PER_DAY +
		(double) iv->time;
	/* at most 100 years: grain counts stay exact in a float8 */
	if (!cvfw_interval_is_finite(iv) || !(us > 0) || us > 100.0 * 366 * USECS_PER_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the %s must be a positive interval of at most 100 years", fname, what)));
	return (int64) iv->month * DAYS_PER_MONTH * USECS_PER_DAY + (int64) iv->day * USECS_PER_DAY + iv->time;
}

TimestampTz
cvfw_rfm_finite_time(FunctionCallInfo fcinfo, int argno, const char *what, const char *fname)
{
	TimestampTz t;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: the %s must not be NULL", fname, what)));
	t = PG_GETARG_TIMESTAMPTZ(argno);
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the %s must be finite", fname, what)));
	return t;
}

/* the grain a time falls in, counted from 2000-01-01 00:00 UTC (floor division) */
int64
cvfw_rfm_grain_of(TimestampTz t, int64 grain_us)
{
	int64		g = t / grain_us;

	return (t % grain_us < 0) ? g - 1 : g;
}

