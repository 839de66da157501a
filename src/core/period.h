/*
 * period.h — calendar periods in UTC (pure C core): the cohorts of the
 * conversion and retention summaries.
 *
 * A period is numbered from the one holding 2000-01-01 (PostgreSQL's
 * epoch): day n starts n days after 2000-01-01 00:00 UTC; weeks are ISO
 * weeks, Monday to Sunday, numbered from the week of Monday 2000-01-03
 * (so 2000-01-01 lies in week -1); month n is the n-th calendar month
 * after January 2000.  Negative numbers are the periods before.  Times are
 * microseconds since 2000-01-01 00:00 UTC, as PostgreSQL keeps timestamptz,
 * so a period never depends on the session's time zone.
 */
#ifndef CVFW_CORE_PERIOD_H
#define CVFW_CORE_PERIOD_H

#include <stdint.h>

typedef enum cv_period
{
	CV_PERIOD_NONE = 0,			/* one period holding all of time */
	CV_PERIOD_DAY = 1,
	CV_PERIOD_WEEK = 2,
	CV_PERIOD_MONTH = 3
} cv_period;

#define CV_PERIOD_MAX CV_PERIOD_MONTH

/* the period a time falls in (0 for CV_PERIOD_NONE) */
extern int32_t cv_period_index(cv_period p, int64_t at);

/*
 * When period `index` starts, in microseconds since 2000-01-01 UTC,
 * saturated to the int64 range (periods far beyond PostgreSQL's times).
 * CV_PERIOD_NONE: INT64_MIN, the start of time.
 */
extern int64_t cv_period_start(cv_period p, int32_t index);

/* the length of a rolling period: 1, 7 or 30 days (0 for NONE) */
extern int64_t cv_period_length(cv_period p);

/* "day", "week", "month" (NULL for NONE) */
extern const char *cv_period_name(cv_period p);

#endif							/* CVFW_CORE_PERIOD_H */
