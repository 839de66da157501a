/*
 * flow_check.h — what makes a flow summary one that customers could have
 * produced (pure C core, internal to the flow code): the checks the
 * decoder makes on the bytes it reads and cv_flow_check makes on a
 * summary in memory (after a subtraction, say), written once.
 *
 * A summary is checked in two parts: each item on its own (a dwell
 * bucket, a day bucket: cv_check_dwell_bucket, cv_check_day_bucket), and
 * the census — the counts the items add up to, which must agree with each
 * other (cv_census_check).  The full list, as doc/flow.md states it, is in
 * flow_check.c.
 */
#ifndef CVFW_CORE_FLOW_CHECK_H
#define CVFW_CORE_FLOW_CHECK_H

#include "flow.h"

typedef struct cv_census
{
	uint64_t	customers;
	uint64_t	stage_customers[CV_STAGE_COUNT + 1];
	uint64_t	out[CV_STAGE_COUNT + 1];	/* transitions out of a stage */
	uint64_t	in[CV_STAGE_COUNT + 1]; /* transitions into it */
	uint64_t	ended[CV_STAGE_COUNT + 1];	/* customers whose last visit it is */
	uint64_t	dwell[CV_STAGE_COUNT + 1];	/* dwell counts, zero durations too */
	cv_i128		dwell_us;		/* every dwell, summed */
	cv_i128		span_us;		/* every customer's last - first event time, summed */
} cv_census;

/* NULL when the dwell bucket (key, count, sum of microseconds) is plausible */
extern const char *cv_check_dwell_bucket(int64_t key, uint64_t count, cv_i128 sum);

/* NULL when the day bucket is plausible (the day and stage included) */
extern const char *cv_check_day_bucket(int64_t day, int stage, uint64_t count,
									   cv_i128 sum_first, cv_i128 sum_last);

/*
 * The census of a summary with at least one customer, whose counts are
 * each at most 2^53 and whose sums of counts cannot wrap a uint64 (both
 * fillers see to that).  CV_OK, or CV_ERR_OVERFLOW / CV_ERR_CORRUPT with
 * *why.
 */
extern cv_status cv_census_check(const cv_census *c, const char **why);

#endif							/* CVFW_CORE_FLOW_CHECK_H */
