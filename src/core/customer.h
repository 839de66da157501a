/*
 * customer.h — one customer's events turned into the parts of a flow
 * summary (pure C core).  Both ways a customer enters a summary go through
 * here: merged into an accumulator (cv_flow_add_customer) or written
 * straight out as that customer's own summary (cv_flow_encode_customer,
 * which allocates nothing but its output: it runs once per customer).
 */
#ifndef CVFW_CORE_CUSTOMER_H
#define CVFW_CORE_CUSTOMER_H

#include "flow.h"

#define CV_CUSTOMER_INLINE 16	/* visits held without allocating */

typedef struct cv_visit
{
	cv_stage	stage;
	int64_t		entry;
	double		value;
	double		cost;
} cv_visit;

/* one visit's dwell; key -1 for a dwell of 0 */
typedef struct cv_dwell
{
	cv_stage	stage;
	int32_t		key;
	uint64_t	us;
} cv_dwell;

typedef struct cv_customer
{
	unsigned	visited;		/* bit s set for each stage s visited */
	double		value[CV_STAGE_COUNT + 1];
	double		cost[CV_STAGE_COUNT + 1];
	double		downstream[CV_STAGE_COUNT + 1];
	uint32_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];
	cv_dwell   *dwell;			/* ndwell entries, sorted by (stage, key) */
	size_t		ndwell;
	double		acquisition_cost;	/* costs of the visits before the first
									 * value_realization (all, if none) */
	cv_stage	last_stage;
	int64_t		first_at;
	int64_t		last_entry;		/* entry time of the last visit */
	int64_t		last_at;
	/* storage */
	cv_visit	local_visits[CV_CUSTOMER_INLINE];
	cv_dwell	local_dwell[CV_CUSTOMER_INLINE];
	cv_visit   *visits;
	void	   *heap;			/* visits and dwell of long histories */
} cv_customer;

/*
 * Build from all of a customer's events (n >= 1; sorts them in place).
 * Amounts are summed per visit, then per stage from the last visit back,
 * the order every path uses, so equal inputs give bit-equal sums.
 */
extern cv_status cv_customer_build(cv_customer *c, cv_event *events, size_t n);
extern void cv_customer_release(cv_customer *c);

#endif							/* CVFW_CORE_CUSTOMER_H */
