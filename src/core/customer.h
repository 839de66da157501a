/*
 * customer.h — one customer's events turned into the parts of a flow
 * summary (pure C core).  Every way a customer enters a summary goes
 * through one walk over their events in order (cv_walk):
 *   - added to an accumulator (cv_flow_add_customer, or cv_walk_begin with
 *     the accumulator: the events streamed in order, from memory or from a
 *     sort that spilled to disk, in constant memory however many there are);
 *   - or written straight out as that customer's own summary
 *     (cv_flow_encode_customer, through cv_customer_build).
 * Amounts are rounded to millionths once, on the way in, then summed
 * exactly (money.h) per visit, per stage and downstream (the values of the
 * visits after a visit, added as each later visit's value becomes known):
 * equal inputs give the same bits however the rows were grouped or ordered.
 */
#ifndef CVFW_CORE_CUSTOMER_H
#define CVFW_CORE_CUSTOMER_H

#include "flow.h"

#define CV_CUSTOMER_INLINE 16	/* dwell entries held without allocating */

/* one visit's dwell; key -1 for a dwell of 0 */
typedef struct cv_dwell
{
	cv_stage	stage;
	int32_t		key;
	uint64_t	us;
} cv_dwell;

/*
 * A walk through one customer's events in order (time, then wheel
 * position, then value, then cost: the order cv_sort_events gives).
 * Dwell times go to the accumulator's sketches when there is one, else to
 * an array (cv_customer_build).
 */
typedef struct cv_walk
{
	cv_flow    *into;			/* NULL: dwell entries go to dwell[] */
	cv_status	status;
	size_t		events;
	cv_event	prev;			/* the last event taken */
	/* the visit in progress */
	cv_stage	stage;
	int64_t		entry;
	cv_money	visit_value;	/* amounts in millionths, summed exactly */
	cv_money	visit_cost;
	/* visits of each stage before the one in progress */
	uint64_t	before[CV_STAGE_COUNT + 1];
	uint64_t	visits;			/* closed so far */
	int			acquired;		/* a value_realization visit was reached */
	/* the parts */
	unsigned	visited;		/* bit s set for each stage s visited */
	cv_money	value[CV_STAGE_COUNT + 1];
	cv_money	cost[CV_STAGE_COUNT + 1];
	cv_money	downstream[CV_STAGE_COUNT + 1];
	uint64_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];
	cv_money	acquisition_cost;	/* costs of the visits before the first
									 * value_realization (all, if none) */
	int64_t		first_at;
	/* dwell entries when into is NULL, allocated from mem */
	const cv_allocator *mem;
	cv_dwell   *dwell;
	size_t		ndwell;
	size_t		dwell_cap;
	cv_dwell	local_dwell[CV_CUSTOMER_INLINE];
} cv_walk;

/*
 * Start a walk; into: the accumulator the customer goes to (the walk
 * allocates from its allocator), or NULL with mem, the allocator of the
 * dwell entries kept in the walk.
 */
extern void cv_walk_begin(cv_walk *w, cv_flow *into, const cv_allocator *mem);

/*
 * The next event.  Each amount is rounded to millionths once
 * (cv_money_from_double), then summed exactly per visit, per stage,
 * downstream and for acquisition.  CV_ERR_CORRUPT for an invalid event (a
 * stage not 1..6, a time out of range, an amount not finite) or one out of
 * order; CV_ERR_OVERFLOW for an amount or a sum beyond ±10^31 or more than
 * 2^32 visits.  After an error the walk (and its accumulator) must be
 * thrown away.
 */
extern cv_status cv_walk_event(cv_walk *w, const cv_event *e);

/*
 * The walk is over: with an accumulator, adds the customer to it (at
 * least one event must have been taken).  Frees what the walk allocated.
 */
extern cv_status cv_walk_end(cv_walk *w);

/* release a walk abandoned after an error */
extern void cv_walk_release(cv_walk *w);

/* time, then wheel position, then the amounts: < 0, 0, > 0 */
extern int	cv_event_cmp(const cv_event *a, const cv_event *b);

/*
 * Sort events into walk order, in place, in O(n log n) (introsort),
 * answering cancel requests (cv_pace) as it goes.
 */
extern void cv_sort_events(cv_event *ev, size_t n);

/* check n >= 1 events (stages, amounts, times) and sort them: CV_ERR_CORRUPT if one is invalid */
extern cv_status cv_prepare_events(cv_event *ev, size_t n);

/* the parts of one customer's summary, for cv_flow_encode_customer */
typedef struct cv_customer
{
	unsigned	visited;		/* bit s set for each stage s visited */
	cv_money	value[CV_STAGE_COUNT + 1];
	cv_money	cost[CV_STAGE_COUNT + 1];
	cv_money	downstream[CV_STAGE_COUNT + 1];
	uint32_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];	/* visits <= 2^32 */
	cv_dwell   *dwell;			/* ndwell entries, sorted by (stage, key) */
	size_t		ndwell;
	cv_money	acquisition_cost;	/* costs of the visits before the first
									 * value_realization (all, if none) */
	cv_stage	last_stage;
	int64_t		first_at;
	int64_t		last_entry;		/* entry time of the last visit */
	int64_t		last_at;
	/* storage */
	cv_dwell	local_dwell[CV_CUSTOMER_INLINE];
	void	   *heap;			/* dwell of long histories */
	const cv_allocator *mem;	/* the heap's */
} cv_customer;

/*
 * Build from all of a customer's events (n >= 1; sorts them in place),
 * through the walk: its errors, and CV_ERR_OVERFLOW for more than 2^32
 * visits.  Release even on error.
 */
extern cv_status cv_customer_build(cv_customer *c, const cv_allocator *mem, cv_event *events,
								   size_t n);
extern void cv_customer_release(cv_customer *c);

#endif							/* CVFW_CORE_CUSTOMER_H */
