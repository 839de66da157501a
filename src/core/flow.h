/*
 * flow.h — the flow summary: how customers moved around the wheel, in a
 * form that merges exactly (pure C core).
 *
 * Built per customer from that customer's stage events, then merged over
 * disjoint sets of customers; merging is associative and commutative, and
 * every count is exact (floating-point sums of money differ only by
 * rounding between merge orders).  Definitions (see README):
 *   - events are ordered by time, ties by wheel position (then amounts, so
 *     even the floating-point sums do not depend on input order);
 *   - consecutive events at one stage form a visit; its entry time is its
 *     first event's, its value and cost the sums over its events;
 *   - a visit's outcome is set by the next visit's stage: advanced (the
 *     next stage clockwise), regressed (an earlier position), skipped
 *     (otherwise), ended (no next visit);
 *   - dwell = next visit's entry - this visit's entry;
 *   - downstream value of a visit = the values of all later visits.
 * What is kept: per stage, the customers who visited it, value, cost, the
 * downstream value and dwell (sum and sketch) of the visits that did not
 * end; the 6x6 counts of transitions between consecutive visits; and for
 * the visits that ended (one per customer), buckets keyed by (UTC day of
 * the customer's last event, stage) with the count of customers and the
 * sums of their first and last event times and of the entry times of their
 * last visits (how long an open visit has lasted at as_of, for the
 * product-limit estimates of km.h); and the acquisition cost, what
 * was spent on customers before they first realised value.  Visits and outcomes derive
 * from the transitions and buckets; leakage for any as-of date and horizon
 * derives from the buckets.  Size: bounded but for the buckets, which grow
 * with the distinct (day of last activity, final stage) pairs.
 */
#ifndef CVFW_CORE_FLOW_H
#define CVFW_CORE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "i128.h"
#include "sketch.h"
#include "stage.h"

#define CV_USECS_PER_DAY	INT64_C(86400000000)
/* PostgreSQL's finite timestamp range, microseconds since 2000-01-01 UTC */
#define CV_MIN_TIMESTAMP	INT64_C(-211813488000000000)
#define CV_END_TIMESTAMP	INT64_C(9223371331200000000)
#define CV_MIN_DAY			((int32_t) (CV_MIN_TIMESTAMP / CV_USECS_PER_DAY))
#define CV_MAX_DAY			((int32_t) ((CV_END_TIMESTAMP - 1) / CV_USECS_PER_DAY))

/* counts above this are corrupt (2^53: more customers than people) */
#define CV_COUNT_MAX		(UINT64_C(1) << 53)

typedef enum cv_status
{
	CV_OK = 0,
	CV_ERR_OVERFLOW,			/* a sum of amounts is no longer finite */
	CV_ERR_CORRUPT				/* encoded summary or event out of bounds */
} cv_status;

typedef struct cv_event
{
	int64_t		at;				/* microseconds since 2000-01-01 UTC */
	double		value;
	double		cost;
	cv_stage	stage;
} cv_event;

typedef struct cv_stage_flow
{
	uint64_t	customers;		/* distinct customers who visited the stage */
	uint64_t	ended;			/* visits that were a customer's last */
	double		value;			/* over all visits of the stage */
	double		cost;
	double		downstream;		/* over visits that did not end */
	cv_sketch	dwell;			/* over visits that did not end */
} cv_stage_flow;

typedef struct cv_day_bucket
{
	int32_t		day;			/* UTC day of the customers' last event */
	cv_stage	stage;			/* their final stage; 0 marks a free slot */
	uint64_t	customers;
	cv_i128		sum_first;		/* sums of first and last event times */
	cv_i128		sum_entry;		/* sum of the entry times of the last visits:
								 * sum_first <= sum_entry <= sum_last */
	cv_i128		sum_last;
} cv_day_bucket;

typedef struct cv_flow
{
	uint64_t	customers;
	double		acquisition_cost;	/* costs of customers' visits before their
									 * first value_realization (all their costs
									 * if they never got there); the customers
									 * acquired are st[CV_VALUE_REALIZATION].customers */
	cv_stage_flow st[CV_STAGE_COUNT + 1];	/* 1..6 */
	uint64_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];
	cv_day_bucket *buckets;		/* open addressing on (day, stage) */
	uint32_t	nbuckets;
	uint32_t	bucket_cap;		/* 0 or a power of two */
} cv_flow;

extern void cv_flow_init(cv_flow *f);
extern void cv_flow_free(cv_flow *f);

/* floor(at / day), also for times before 2000 */
static inline int32_t
cv_day_of(int64_t at)
{
	int64_t		d = at / CV_USECS_PER_DAY;

	if (at % CV_USECS_PER_DAY < 0)
		d--;
	return (int32_t) d;
}

/*
 * Add one customer given all their events (n >= 1, stages 1..6, finite
 * amounts, times in PostgreSQL's range).  Sorts events in place.
 */
extern cv_status cv_flow_add_customer(cv_flow *f, cv_event *events, size_t n);

/* add a disjoint set of customers */
extern cv_status cv_flow_merge(cv_flow *into, const cv_flow *from);

/* add n customers ending at (day, stage) to the buckets (used by the codec) */
extern void cv_flow_add_bucket(cv_flow *f, int32_t day, cv_stage stage, uint64_t customers,
							   cv_i128 sum_first, cv_i128 sum_entry, cv_i128 sum_last);

/* visits of a stage: the transitions out of it plus the visits that ended */
extern uint64_t cv_flow_visits(const cv_flow *f, cv_stage s);

/* customers whose last visit was at s and whose last event's UTC day is
 * before cutoff_day (every one of them when !has_cutoff) */
extern uint64_t cv_flow_leaked(const cv_flow *f, cv_stage s, int has_cutoff, int32_t cutoff_day);

/*
 * The customers' relationship lengths so far, summed, in microseconds: for
 * a customer who leaked (last event's UTC day before cutoff_day), from
 * their first event to their last; for an active one, from their first
 * event to as_of, or to their last event if that is later (decided per
 * day bucket).  Without a cut-off every customer leaked.
 */
extern cv_i128 cv_flow_exposure(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of);

typedef struct cv_leakage_row
{
	uint64_t	customers;
	uint64_t	visits;
	uint64_t	advanced;
	uint64_t	regressed;
	uint64_t	skipped;
	uint64_t	ended;
	uint64_t	leaked;
	uint64_t	active;
	double		value;
	double		cost;
	double		value_at_risk;
	uint64_t	dwell_n;		/* visits with a dwell: those that did not end */
	double		dwell_avg;		/* microseconds; meaningful when dwell_n > 0 */
	double		dwell_p50;
	double		dwell_p90;
} cv_leakage_row;

/* the leakage report, rows[s] for s = 1..6 (rows[0] unused) */
extern void cv_flow_leakage(const cv_flow *f, int has_cutoff, int32_t cutoff_day,
							cv_leakage_row rows[CV_STAGE_COUNT + 1]);

/*
 * Encoding (flow_codec.c).  The encoders return a buffer from cv_mem that
 * starts with `reserve` bytes left for the caller (a varlena header, say)
 * followed by the *len bytes of the summary, canonical: equal summaries
 * encode to equal bytes.  cv_flow_encode_customer writes the summary of one
 * customer straight from their events (sorting them in place), as
 * cv_flow_add_customer into an empty accumulator then cv_flow_encode
 * would, without building the accumulator.  cv_flow_decode checks every
 * length, bound and invariant and merges the summary into *into; on
 * CV_ERR_CORRUPT (*why says what is wrong) *into is partly merged and must
 * be thrown away.
 */
#define CV_FLOW_FORMAT_VERSION 1
extern uint8_t *cv_flow_encode(const cv_flow *f, size_t reserve, size_t *len);
extern uint8_t *cv_flow_encode_customer(cv_event *events, size_t n, size_t reserve,
										size_t *len, cv_status *status);
extern cv_status cv_flow_decode(cv_flow *into, const uint8_t *buf, size_t len, const char **why);

#endif							/* CVFW_CORE_FLOW_H */
