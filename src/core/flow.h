/*
 * flow.h — the flow summary: how customers moved around the wheel, in a
 * form that merges exactly (pure C core).
 *
 * Built per customer from that customer's stage events, then merged over
 * disjoint sets of customers; merging is associative and commutative and
 * exact — counts are integers, amounts exact fixed point (money.h) — so a
 * summary's bytes depend only on its set of customers.  Summaries form a
 * group: a set of customers' summary can be taken out of one that holds
 * it (cv_flow_subtract).  Definitions (see doc/flow.md):
 *   - events are ordered by time, ties by wheel position;
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
 * product-limit estimates of km.h); and the acquisition cost, what was
 * spent on customers before they first realised value.  Visits
 * and outcomes derive from the transitions and buckets; leakage for any
 * as-of date and horizon derives from the buckets.  Size: bounded but for
 * the buckets, which grow with the distinct (day of last activity, final
 * stage) pairs.
 *
 * The bounds (one rule for everything that writes a summary — building,
 * merging, subtracting, input — and for the decoder that reads it back):
 *   - a summary holds 1 .. 2^53 customers (CV_COUNT_MAX), and every count
 *     a report derives — visits, outcomes, transitions of a stage — is at
 *     most 2^53 too, so each is exact in an int8 and in a float8;
 *   - a customer has at most 2^32 visits (CV_CUSTOMER_VISITS_MAX), so a
 *     summary of c customers holds at most c * 2^32 visits;
 *   - every amount and sum lies within ±10^31 currency units (money.h);
 *   - times lie in PostgreSQL's finite timestamp range.
 * What the decoder checks beyond these is listed in flow_check.c.
 */
#ifndef CVFW_CORE_FLOW_H
#define CVFW_CORE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "i128.h"
#include "mem.h"
#include "money.h"
#include "sketch.h"
#include "stage.h"

#define CV_USECS_PER_DAY	INT64_C(86400000000)
/* PostgreSQL's finite timestamp range, microseconds since 2000-01-01 UTC */
#define CV_MIN_TIMESTAMP	INT64_C(-211813488000000000)
#define CV_END_TIMESTAMP	INT64_C(9223371331200000000)
#define CV_MIN_DAY			((int32_t) (CV_MIN_TIMESTAMP / CV_USECS_PER_DAY))
#define CV_MAX_DAY			((int32_t) ((CV_END_TIMESTAMP - 1) / CV_USECS_PER_DAY))

/* customers of a summary, and every count a report derives (2^53) */
#define CV_COUNT_MAX_LOG2	53
#define CV_COUNT_MAX		(UINT64_C(1) << CV_COUNT_MAX_LOG2)
/* visits of one customer (2^32) */
#define CV_CUSTOMER_VISITS_MAX_LOG2 32
#define CV_CUSTOMER_VISITS_MAX (UINT64_C(1) << CV_CUSTOMER_VISITS_MAX_LOG2)

/* the bounds in words, for messages (quoted from the numbers above) */
#define CV_FLOW_LIMITS_TEXT \
	"A summary holds at most 2^" CV_STR(CV_COUNT_MAX_LOG2) " customers and at most 2^" \
	CV_STR(CV_COUNT_MAX_LOG2) " visits of any one stage; a customer has at most 2^" \
	CV_STR(CV_CUSTOMER_VISITS_MAX_LOG2) " visits; every amount and every sum lies within " \
	CV_MONEY_RANGE_TEXT "."

/* why a bound refuses, in one wording wherever it is checked */
#define CV_WHY_CUSTOMERS	"A summary holds at most 2^" CV_STR(CV_COUNT_MAX_LOG2) " customers."
#define CV_WHY_VISITS		"A stage of a summary has at most 2^" CV_STR(CV_COUNT_MAX_LOG2) " visits."
#define CV_WHY_MONEY		"A sum of amounts would leave " CV_MONEY_RANGE_TEXT "."

typedef enum cv_status
{
	CV_OK = 0,
	CV_ERR_OVERFLOW,			/* a count or an amount beyond its bound */
	CV_ERR_CORRUPT,				/* encoded summary or event out of bounds */
	CV_ERR_NOT_CONTAINED		/* subtracting what the summary does not hold */
} cv_status;

typedef struct cv_event
{
	int64_t		at;				/* microseconds since 2000-01-01 UTC */
	double		value;			/* rounded to millionths when summarised */
	double		cost;
	cv_stage	stage;
} cv_event;

typedef struct cv_stage_flow
{
	uint64_t	customers;		/* distinct customers who visited the stage */
	uint64_t	ended;			/* visits that were a customer's last */
	cv_money	value;			/* over all visits of the stage */
	cv_money	cost;
	cv_money	downstream;		/* over visits that did not end */
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
	cv_allocator mem;			/* everything the summary holds comes from it */
	uint64_t	customers;
	cv_money	acquisition_cost;	/* costs of customers' visits before their
									 * first value_realization (all their costs
									 * if they never got there); the customers
									 * acquired are st[CV_VALUE_REALIZATION].customers */
	cv_stage_flow st[CV_STAGE_COUNT + 1];	/* 1..6 */
	uint64_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];

	/*
	 * The day buckets: while summaries are added, a hash table (open
	 * addressing on (day, stage), bucket_cap 0 or a power of two, stage 0
	 * marking a free slot); a summary decoded on its own keeps them as they
	 * come, a dense array sorted by (day, stage) of nbuckets entries
	 * (sorted = 1), which costs no more memory than the buckets themselves.
	 * Walk them with cv_flow_bucket_slots.
	 */
	cv_day_bucket *buckets;
	uint32_t	nbuckets;
	uint32_t	bucket_cap;
	int			sorted;
} cv_flow;

/* an empty summary whose memory comes from mem (copied) */
extern void cv_flow_init(cv_flow *f, const cv_allocator *mem);
extern void cv_flow_free(cv_flow *f);

/* the slots to walk (skipping stage 0) to see every day bucket */
static inline uint32_t
cv_flow_bucket_slots(const cv_flow *f)
{
	return f->sorted ? f->nbuckets : f->bucket_cap;
}

/* the day buckets as a dense array sorted by (day, stage), compacting the table */
extern void cv_flow_sort_buckets(cv_flow *f);

/* the first microsecond of a UTC day that PostgreSQL has (the first day starts late) */
static inline int64_t
cv_day_start(int32_t day)
{
	int64_t		start = (int64_t) day * CV_USECS_PER_DAY;

	return start < CV_MIN_TIMESTAMP ? CV_MIN_TIMESTAMP : start;
}

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
 * amounts within range, times in PostgreSQL's range).  Sorts events in
 * place.  CV_ERR_OVERFLOW when an amount, a sum or the visits leave their
 * bounds (f may then hold part of the customer: throw it away).
 */
extern cv_status cv_flow_add_customer(cv_flow *f, cv_event *events, size_t n);

/*
 * Add a disjoint set of customers.  Every bound is checked first: on
 * CV_ERR_OVERFLOW (*why says which) into is unchanged.
 */
extern cv_status cv_flow_merge(cv_flow *into, const cv_flow *from, const char **why);

/*
 * Take a set of customers' summary out of one that holds it: the group's
 * inverse of cv_flow_merge, exact.  What is checked (see doc/flow.md):
 * every count of part is at most total's, every dwell and day bucket of
 * part is in total with at least its customers, a bucket left empty is left
 * with no sums, and what remains passes every check the decoder makes (or
 * is empty: no customers and nothing else).  What cannot be checked: that
 * part's customers are the same customers as some of total's.  On
 * CV_ERR_NOT_CONTAINED (*why says what) into must be thrown away.
 */
extern cv_status cv_flow_subtract(cv_flow *into, const cv_flow *part, const char **why);

/* add n customers ending at (day, stage) to the buckets (used by the codec) */
extern void cv_flow_add_bucket(cv_flow *f, int32_t day, cv_stage stage, uint64_t customers,
							   cv_i128 sum_first, cv_i128 sum_entry, cv_i128 sum_last);

/*
 * The bounds of a summary about to be written: customers, visits of each
 * stage, amounts (see above).  CV_ERR_OVERFLOW with *why, or CV_OK.
 */
extern cv_status cv_flow_check_bounds(const cv_flow *f, const char **why);

/*
 * Everything the decoder checks, on a summary in memory (flow_check.c):
 * bounds, each bucket's own plausibility, and the counts adding up.  An
 * empty summary (no customers) passes when it holds nothing at all.
 * CV_ERR_OVERFLOW or CV_ERR_CORRUPT with *why, or CV_OK.
 */
extern cv_status cv_flow_check(const cv_flow *f, const char **why);

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
	double		value;			/* the exact sums, rounded to float8 */
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
 * Encoding (flow_codec.c).  The encoders return a buffer from the given
 * allocator `out` (also used for temporary memory) that starts with `reserve`
 * bytes left for the caller (a varlena header, say) followed by the *len
 * bytes of the summary, canonical: equal summaries encode to equal bytes.
 * The summary must be within its bounds (cv_flow_check_bounds: the caller
 * checks, before writing).  cv_flow_encode_customer writes the summary of
 * one customer straight from their events (sorting them in place), as
 * cv_flow_add_customer into an empty accumulator then cv_flow_encode
 * would, without building the accumulator.  cv_flow_decode reads format
 * versions 1 (0.1.0: amounts as float8, rounded to millionths on reading)
 * and 2, checks every length, bound and invariant and merges the summary
 * into *into; on an error (*why says what is wrong: CV_ERR_CORRUPT, or
 * CV_ERR_OVERFLOW when the merged counts or sums leave their bounds) *into
 * is partly merged and must be thrown away.
 */
#define CV_FLOW_FORMAT_VERSION 2
extern uint8_t *cv_flow_encode(const cv_flow *f, const cv_allocator *out, size_t reserve,
							   size_t *len);
extern uint8_t *cv_flow_encode_customer(const cv_allocator *out, cv_event *events, size_t n,
										size_t reserve, size_t *len, cv_status *status);
extern cv_status cv_flow_decode(cv_flow *into, const uint8_t *buf, size_t len, const char **why);

#endif							/* CVFW_CORE_FLOW_H */
