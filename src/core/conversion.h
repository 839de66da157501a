/*
 * conversion.h — funnel conversion along a path of stages, within a window
 * (pure C core).  Behind cvfw_conversion, cvfw_conversion_merge,
 * cvfw_conversion_by_customer and their reports; the definitions are in
 * doc/funnels.md, in short:
 *
 *   - A customer's events after as_of are left out.  The rest are ordered
 *     as the flow summary orders them (time, ties by wheel position) and
 *     consecutive events at one stage form a visit, entered at its first
 *     event.
 *   - An attempt starts at a visit to the path's first stage.  Step k + 1
 *     is reached at the first later visit to the path's stage k + 1 that is
 *     entered at most `window` after the attempt started.  Other visits in
 *     between are passed over (loose order); with `strict`, a move back to
 *     an earlier wheel position (a regression, as the flow summary counts
 *     them) ends the attempt, unless it is the move straight from one
 *     step's stage to the next's (a path may itself go back).
 *   - `first` (first touch): one attempt per customer, at their first visit
 *     to the first stage.  `any` (re-entry): attempts follow one another;
 *     after one completes the path, is broken, or its window runs out, the
 *     next visit to the first stage after that starts the next.
 *   - An attempt is in progress when, at as_of, it has not completed, is
 *     not broken and its window has not run out (start + window > as_of).
 *   - An attempt's cohort is the period (UTC day, ISO week, month) it
 *     started in; without a period there is one cohort.
 *
 * Per cohort the summary keeps, for each step: the attempts that reached it,
 * the customers who did (in at least one attempt), the attempts still in
 * progress whose furthest step it is, and two sketches of the times taken
 * (from the start of the attempt, and from the previous step), with the
 * dwell sketch's guarantees (sketch.h).  Merging adds them up: exact,
 * associative and commutative, over disjoint sets of customers.  Size:
 * cohorts x steps x the sketches' buckets, whatever the number of
 * customers.
 */
#ifndef CVFW_CORE_CONVERSION_H
#define CVFW_CORE_CONVERSION_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "period.h"
#include "sketch.h"

#define CV_CONV_MIN_STEPS	2
#define CV_CONV_MAX_STEPS	64

typedef struct cv_conv_params
{
	uint8_t		steps;			/* CV_CONV_MIN_STEPS .. CV_CONV_MAX_STEPS */
	uint8_t		any;			/* re-entry: every attempt, not only the first */
	uint8_t		strict;			/* a regression ends an attempt */
	uint8_t		period;			/* cv_period of the cohorts */
	uint8_t		has_as_of;
	int64_t		window;			/* microseconds, >= 0 */
	int64_t		as_of;			/* when has_as_of */
	cv_stage	path[CV_CONV_MAX_STEPS];
} cv_conv_params;

/* one cohort: arrays of `steps` entries, step k at index k - 1 */
typedef struct cv_conv_cohort
{
	int32_t		cohort;			/* period index; 0 without a period */
	uint64_t   *attempts;		/* attempts that reached the step */
	uint64_t   *customers;		/* customers with an attempt that reached it */
	uint64_t   *in_progress;	/* attempts in progress whose furthest step it is */
	cv_sketch  *from_start;		/* time from the attempt's start (index 0 unused) */
	cv_sketch  *from_prev;		/* time from the previous step (index 0, 1 unused:
								 * for step 2 it is from_start[1]) */
} cv_conv_cohort;

typedef struct cv_conv
{
	cv_conv_params p;
	cv_conv_cohort *cohorts;	/* sorted by cohort */
	uint32_t	n;
	uint32_t	cap;
} cv_conv;

/*
 * Parse the options text of the SQL functions: words separated by commas
 * or blanks, in any case: `first` or `any`, `loose` or `strict`, and a
 * cohort period `day`, `week` or `month` (optionally after `by`).
 * Returns 0 and sets *why for anything else (an unknown word, two choices
 * for one setting); *p keeps its other fields.
 */
extern int	cv_conv_parse_options(const char *s, size_t len, cv_conv_params *p, const char **why);

/* the options as canonical text: "first, loose" / "any, strict, by week" */
extern const char *cv_conv_options_text(const cv_conv_params *p, char buf[40]);

/* check a path (2..64 stages, none twice in a row); 0 and *why if not */
extern int	cv_conv_check_path(const cv_stage *path, size_t n, const char **why);

extern int	cv_conv_params_equal(const cv_conv_params *a, const cv_conv_params *b);

extern void cv_conv_init(cv_conv *c, const cv_conv_params *p);
extern void cv_conv_free(cv_conv *c);

/*
 * Add one customer given all their events (any order; stages 1..6, times
 * in PostgreSQL's range; sorted in place).  A customer who never visits
 * the first stage adds nothing.  CV_ERR_OVERFLOW when a count would pass
 * CV_COUNT_MAX.
 */
extern cv_status cv_conv_add_customer(cv_conv *c, cv_event *events, size_t n);

/* the entry of a cohort, added (all zero) when new: cohorts stay sorted */
extern cv_conv_cohort *cv_conv_cohort_get(cv_conv *c, int32_t cohort);

/* add a disjoint set of customers (same parameters: the caller checks) */
extern cv_status cv_conv_merge(cv_conv *into, const cv_conv *from);

/* one row of the report: a step of a cohort */
typedef struct cv_conv_row
{
	int32_t		cohort;
	int			has_cohort;		/* false without a period */
	int			step;			/* 1-based */
	cv_stage	stage;
	uint64_t	attempts;
	uint64_t	customers;
	uint64_t	in_progress;
	int			has_step_rate;	/* false for step 1 and when the previous step has none */
	double		step_rate;		/* attempts / attempts of the previous step */
	int			has_rate;		/* false when no attempt started */
	double		rate;			/* attempts / attempts of step 1 */
	int			has_times;		/* false for step 1 and when no attempt reached it */
	double		time_avg;		/* microseconds from the start of the attempt */
	double		time_p50;
	double		time_p90;
	double		step_avg;		/* microseconds from the previous step */
	double		step_p50;
	double		step_p90;
} cv_conv_row;

/*
 * The report: every step of every cohort, cohorts in order.  Without a
 * period and without any attempt, one all-zero row per step.  Returns the
 * rows (cv_mem; free with cv_mem.free) and their count.
 */
extern cv_conv_row *cv_conv_rows(const cv_conv *c, size_t *n);

/* the last step any attempt reached; 0 when none started */
extern int	cv_conv_furthest(const cv_conv *c);

/* attempts of all cohorts that reached step (1-based) */
extern uint64_t cv_conv_attempts(const cv_conv *c, int step);

/*
 * The q-quantile of the times from the start to step (>= 2) over all
 * cohorts (sketch.h's rank and guarantee); 0 when no attempt reached it.
 */
extern int	cv_conv_time_quantile(const cv_conv *c, int step, double q, double *out);

/*
 * The binary form (conversion_codec.c), version 1: the parameters, then
 * per cohort the counts and sketches; a CRC-32C at the end.  Canonical:
 * equal summaries encode to equal bytes.  Decoding checks every length,
 * bound and invariant (counts decrease along the path, customers never
 * exceed attempts, the sketches hold exactly the attempts that reached the
 * step and no time longer than the window, cohorts start no later than
 * as_of) and initialises *c; on failure *c must still be freed.
 */
#define CV_CONV_FORMAT_VERSION 1
extern uint8_t *cv_conv_encode(const cv_conv *c, size_t reserve, size_t *len);
extern cv_status cv_conv_decode(cv_conv *c, const uint8_t *data, size_t len, const char **why);

/*
 * The parameters alone, at the front of the aggregates' partial states
 * (the events follow, in another codec): their size, writing them, and
 * reading them back from the front of data (*used: bytes read).
 */
extern size_t cv_conv_params_size(const cv_conv_params *p);
extern void cv_conv_params_write(const cv_conv_params *p, uint8_t *out);
extern cv_status cv_conv_params_read(cv_conv_params *p, const uint8_t *data, size_t len,
									 size_t *used, const char **why);

#endif							/* CVFW_CORE_CONVERSION_H */
