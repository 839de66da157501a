/*
 * markov.h — the wheel as an absorbing Markov chain of visits, read from a
 * flow summary: what a customer at each stage is worth from here on, what
 * a new customer is worth, what each leak costs, and what fixing one would
 * bring (pure C core; doc/value.md has the definitions).
 *
 * The chain.  Each visit of stage s ends in one of: a visit of another
 * stage t (moved on), or leaked (absorbing).  With a leakage cut-off some
 * ended visits are still open at as_of: they are censored, neither moved
 * on nor leaked.  The leak probability is the share of visits that never
 * move on, estimated by the product-limit estimate of km.h (open visits
 * censored at how long they have lasted, leaked ones at risk throughout):
 *   leak(s) = S_end(s),   keep(s) = 1 - leak(s)
 *   P(s -> t) = keep(s) x transitions(s, t) / moves(s)
 * With no open visit this is leaked / (moved + leaked): the maximum
 * likelihood estimate of a chain observed to its end.  With open visits it
 * stays consistent when the data come from a Markov chain whose visits
 * last a time independent of the stage they go to, and the horizon is
 * longer than visits that move on last (what the leakage report assumes
 * too); dropping the open visits instead would not be (see doc/value.md).
 * A stage whose visits all are open or that nobody visited has no
 * estimate (known = 0).
 *
 * Money: each visit of s brings value(s) = value / visits and costs
 * cost(s) = cost / visits, the stage's means.  New customers start where
 * customers were seen to start: start(s) = first visits at s / customers.
 * The existing customers are the active ones, active(s) of them in an open
 * visit of s.
 *
 * Exact results, singular cases: the expectations solve (I - Q) x = f by
 * Gaussian elimination in the GTH form (the diagonal recomputed from what
 * leaves each state, never by subtraction), which keeps full relative
 * accuracy however close to 1 the keep shares are.  Results are NaN (SQL
 * NULL) where they depend on a stage with no estimate that the chain can
 * reach; a stage in a closed loop with no leakage (customers who go round
 * for ever) has infinitely many further visits, so an expectation over
 * them is +Infinity (or -Infinity) when the loop carries a non-zero
 * amount of that sign, NaN when it carries both signs, and finite when it
 * carries none.
 */
#ifndef CVFW_CORE_MARKOV_H
#define CVFW_CORE_MARKOV_H

#include <stdint.h>

#include "flow.h"

#define CV_S (CV_STAGE_COUNT + 1)	/* arrays indexed by stage 1..6 */

typedef struct cv_chain
{
	uint64_t	customers;
	uint64_t	visits[CV_S];
	uint64_t	moved[CV_S];	/* visits that moved on */
	int			known[CV_S];	/* some visit moved on or leaked */
	double		leak[CV_S];		/* NaN when not known */
	double		keep[CV_S];		/* 1 - leak, summed without cancelling */
	double		dest[CV_S][CV_S];	/* transitions(s, t) / moved(s) */
	double		value[CV_S];	/* mean per visit (0 with no visit) */
	double		cost[CV_S];
	double		start[CV_S];	/* share of customers who started here */
	double		active[CV_S];	/* customers in an open visit here at as_of */
} cv_chain;

/* the chain of a summary with a leakage cut-off (as km.h) */
extern void cv_chain_of_flow(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of,
							 cv_chain *c);

/*
 * The chain with stage k leaking a share r (0 <= r <= 1) of its visits:
 * what does not leak moves on in the observed proportions, or to the next
 * stage clockwise when no visit of k ever moved on.  r equal to today's
 * leak probability gives today's chain, bit for bit.
 */
extern void cv_chain_with_leak(const cv_chain *c, cv_stage k, double r, cv_chain *out);

/* what a customer in a visit of a stage can still bring, after that visit */
typedef struct cv_further
{
	double		p_value_realization;	/* a later visit is at value_realization */
	double		p_engagement;	/* a later visit is at engagement */
	double		visits;			/* later visits */
	double		rounds;			/* engagement -> awareness moves from this visit on */
	double		value;			/* of the later visits */
	double		cost;
} cv_further;

typedef struct cv_value
{
	cv_further	st[CV_S];
	/* a new customer, from their first visit on */
	double		new_p_value_realization;
	double		new_value;
	double		new_cost;
	double		new_acquisition_cost;	/* of the visits before the first value_realization */
	double		new_clv;		/* new_value - new_cost */
	/* the existing (active) customers, after their current visits */
	double		active;
	double		base_value;
	double		base_cost;
	double		base_clv;
	/* removal effects: if stage s leaked every visit */
	double		removal_value[CV_S];	/* value lost per new customer */
	double		removal_effect[CV_S];	/* as a share of new_value */
} cv_value;

/* CV_ERR_OVERFLOW when a finite expectation does not fit a double */
extern cv_status cv_value_of_chain(const cv_chain *c, cv_value *v);

/* the "fix first" figures of one stage: a point less leakage at k */
typedef struct cv_fix
{
	double		leak;
	double		visits_per_new_customer;	/* expected visits to k */
	double		visits_of_base;
	double		kept_visit_value;	/* net value after a visit of k that does not leak */
	double		gain_per_new_customer;	/* d new_clv / d(-leak) x 0.01 */
	double		gain_for_base;	/* d base_clv / d(-leak) x 0.01 */
} cv_fix;

extern cv_status cv_fix_first(const cv_chain *c, cv_fix fix[CV_S]);

/*
 * The stages best first: larger gains per new customer first, undefined
 * (NaN) gains last, ties in wheel order.
 */
extern void cv_fix_order(const cv_fix fix[CV_S], int order[CV_STAGE_COUNT]);

#endif							/* CVFW_CORE_MARKOV_H */
