/*
 * km.h — how long visits of a stage last before they move on, counting the
 * visits still open at as_of: the product-limit (Kaplan-Meier) estimate
 * over a flow summary (pure C core).
 *
 * The visits of a stage are of three kinds (flow.h, with a leakage
 * cut-off): those that moved on, after their dwell (the events); those
 * that leaked, which never move on (at risk at every time); and those
 * still open at as_of (active), which have lasted so far
 * max(as_of, last event) - entry and are censored there.  At each
 * distinct dwell t_j with d_j events, r_j visits are at risk: the events
 * at or after t_j, every leaked visit, and the open visits that have
 * lasted t_j or more (a visit censored at t_j counts as at risk at t_j).
 *   S(t)  = prod_{t_j <= t} (1 - d_j / r_j)       share not moved on by t
 *   S_end = S after the last event                 share that never moves on
 *   F(t)  = (1 - S(t)) / (1 - S_end)               dwell of the visits that move on
 * With no open visit S and F are plain counts: S_end = leaked / (moved +
 * leaked) and F the share of moves up to t, so F's percentiles are the
 * sketch's own (today's percentiles of completed visits).  1 - S is kept
 * as the sum of its increments S(t_{j-1}) d_j / r_j, so neither it nor
 * S_end loses digits to a subtraction.
 *
 * Times come from the summary: a dwell bucket of the sketch counts as one
 * time, its mean (what the percentiles report); the open visits of one day
 * bucket (same UTC day of last event, same stage) count as open for their
 * mean time.  So the estimate is the product-limit estimate of the visits'
 * exact times whenever each sketch bucket holds one distinct dwell and the
 * customers of a day bucket entered their last visit at the same time (as
 * with whole-day times), and otherwise within a bucket's width of it.
 */
#ifndef CVFW_CORE_KM_H
#define CVFW_CORE_KM_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

typedef struct cv_km
{
	uint64_t	moved;			/* visits that moved on (events) */
	uint64_t	leaked;			/* visits that leaked (never move on) */
	uint64_t	open;			/* visits open at as_of (censored) */
	size_t		n;				/* distinct event times */
	double	   *t;				/* event times, microseconds, ascending */
	double	   *done;			/* 1 - S(t_j), summed up from its increments */
	uint64_t   *cum;			/* events up to t_j */
	double		stay;			/* S_end: the share that never moves on */
	double		go;				/* 1 - S_end: the share that moves on */
} cv_km;

/*
 * The estimate for stage s (without a cut-off no visit is open, every
 * ended one leaked); as_of in microseconds since 2000-01-01 UTC.  Memory
 * from cv_mem, released by cv_km_free.
 */
extern void cv_km_stage(const cv_flow *f, cv_stage s, int has_cutoff, int32_t cutoff_day,
						int64_t as_of, cv_km *km);
extern void cv_km_free(cv_km *km);

/*
 * The q-quantile (0 <= q <= 1) of the dwell of the visits that move on:
 * the first event time where F reaches q (to 1e-12; percentile_disc's rank
 * when no visit is open).  Returns 0 when no visit moved on.  F reaches 1
 * at the last event: what is still open past it counts as never moving on.
 */
extern int	cv_km_quantile(const cv_km *km, double q, double *out);

#endif							/* CVFW_CORE_KM_H */
