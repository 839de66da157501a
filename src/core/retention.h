/*
 * retention.h — cohort retention (pure C core).  Behind cvfw_retention,
 * cvfw_retention_merge, cvfw_retention_by_customer and
 * cvfw_retention_matrix; the definitions are in doc/funnels.md, in short:
 *
 *   - A customer's events after as_of are left out.  Their start is their
 *     first event at the start stage (at any stage, without one); a
 *     customer with no such event is in no cohort.  The cohort is the
 *     calendar period (UTC day, ISO week, month) of the start.
 *   - An activity is an event at one of the active stages (all six by
 *     default) at or after the start.  Its offset: calendar periods since
 *     the cohort's (the period's number minus the cohort's), or, rolling,
 *     whole periods of 1, 7 or 30 days since the customer's start.
 *   - Offset N of a customer is complete when all of it lies at or before
 *     as_of; only complete offsets are reported (as Amplitude does).
 *   - For each cohort and offset N: customers = those whose offset N is
 *     complete; retained = those of them with an activity at offset N
 *     (N-period retention); retained on or after = those with an activity
 *     at offset N or later, up to as_of (unbounded retention).
 *
 * Kept per (cohort, offset): the customers active there (counted only when
 * the offset is complete for them), the customers whose last complete
 * offset it is, and the customers whose last activity, capped at their
 * last complete offset, falls there (offset -1: none).  The report sums
 * the last two from the far end, so one customer costs a few cells however
 * many periods they span.  Merging adds cells: exact, associative and
 * commutative.  Size: cells of (cohort, offset) pairs, whatever the number
 * of customers.
 */
#ifndef CVFW_CORE_RETENTION_H
#define CVFW_CORE_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "period.h"

#define CV_RET_ALL_STAGES 0x3F	/* bit s - 1 for stage s */

typedef struct cv_ret_params
{
	cv_stage	start;			/* 0: the first event at any stage */
	uint8_t		active;			/* stages that count as activity, bit s - 1 */
	uint8_t		period;			/* cv_period, not NONE */
	uint8_t		rolling;		/* offsets in whole 1/7/30 days since the start */
	int64_t		as_of;
} cv_ret_params;

typedef struct cv_ret_cell
{
	int32_t		cohort;
	int32_t		offset;			/* -1 .. */
	uint64_t	active;			/* customers active at the offset (complete for them) */
	uint64_t	last_complete;	/* customers whose last complete offset this is */
	uint64_t	last_active;	/* customers whose last activity (capped) is here */
	int			used;
} cv_ret_cell;

typedef struct cv_ret
{
	cv_ret_params p;
	cv_ret_cell *cells;			/* open addressing on (cohort, offset) */
	uint32_t	n;
	uint32_t	cap;			/* 0 or a power of two */
	uint64_t	customers;		/* customers in every cohort together */
} cv_ret;

/*
 * Parse the period text: `day`, `week` or `month`, after `rolling` or
 * `calendar` (the default), in any case.  0 and *why otherwise.
 */
extern int	cv_ret_parse_period(const char *s, size_t len, cv_ret_params *p, const char **why);

extern int	cv_ret_params_equal(const cv_ret_params *a, const cv_ret_params *b);

extern void cv_ret_init(cv_ret *r, const cv_ret_params *p);
extern void cv_ret_free(cv_ret *r);

/* add one customer given all their events (any order) */
extern cv_status cv_ret_add_customer(cv_ret *r, const cv_event *events, size_t n);

/* the cell of (cohort, offset), added (all zero) when new */
extern cv_ret_cell *cv_ret_cell_get(cv_ret *r, int32_t cohort, int32_t offset);

/* add a disjoint set of customers (same parameters: the caller checks) */
extern cv_status cv_ret_merge(cv_ret *into, const cv_ret *from);

/* the used cells in (cohort, offset) order, r->n of them (cv_mem) */
extern cv_ret_cell *cv_ret_sorted_cells(const cv_ret *r);

/* one row of the matrix */
typedef struct cv_ret_row
{
	int32_t		cohort;
	int64_t		offset;
	uint64_t	cohort_customers;	/* everyone whose start is in the cohort */
	uint64_t	customers;		/* those for whom the offset is complete */
	uint64_t	retained;		/* ... active at the offset */
	uint64_t	retained_after; /* ... active at the offset or later */
} cv_ret_row;

/*
 * The matrix: per cohort in order, offsets 0 .. the last complete for any
 * of its customers.  Returns the rows (cv_mem) and their count.
 */
extern cv_ret_row *cv_ret_rows(const cv_ret *r, size_t *n);

/*
 * Retained / customers at one offset over all cohorts (the customers for
 * whom it is complete); 0 when there are none.
 */
extern int	cv_ret_rate(const cv_ret *r, int64_t offset, int on_or_after, double *out);

/*
 * The binary form (retention_codec.c), version 1, canonical, with a
 * CRC-32C.  Decoding checks every length and bound, and that the cells
 * are what customers could produce (offsets within reach of as_of, each
 * customer's last complete offset where the cohort allows it, retained <=
 * retained on or after <= customers at every offset), and initialises *r;
 * on failure *r must still be freed.
 */
#define CV_RET_FORMAT_VERSION 1
extern uint8_t *cv_ret_encode(const cv_ret *r, size_t reserve, size_t *len);
extern cv_status cv_ret_decode(cv_ret *r, const uint8_t *data, size_t len, const char **why);

/* the parameters alone, at the front of the partial states */
extern size_t cv_ret_params_size(const cv_ret_params *p);
extern void cv_ret_params_write(const cv_ret_params *p, uint8_t *out);
extern cv_status cv_ret_params_read(cv_ret_params *p, const uint8_t *data, size_t len,
									size_t *used, const char **why);

#endif							/* CVFW_CORE_RETENTION_H */
