/*
 * cvfw_trend_agg.c — the aggregates that build trends from events:
 *
 *   cvfw_trend(stage, at [, value])  one customer's events (GROUP BY the
 *       customer, then cvfw_merge); its state and transition, combine,
 *       serialise and deserialise functions are cvfw_flow's (the
 *       customer's events, pg_events.h): only the final function differs.
 *   cvfw_trend_by_customer(customer, stage, at [, value])  many
 *       customers' events in one state (the core's by-customer store),
 *       turned into a trend customer by customer at the end: the one-pass
 *       form, as cvfw_flow_by_customer is for summaries, on its state
 *       (pg_bycustomer.h: bigint, text or uuid ids, within work_mem,
 *       spilling to a sort on disk beyond it).  No partial form: its
 *       partial states would be the raw events.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "pg_agg.h"
#include "pg_bycustomer.h"
#include "pg_events.h"
#include "pg_flow.h"
#include "pg_seed.h"
#include "pg_trend.h"

PG_FUNCTION_INFO_V1(cvfw_trend_final);
PG_FUNCTION_INFO_V1(cvfw_trend_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_trend_by_customer_final);

/*
 * One customer's trend.  Sorting the events in place only reorders the
 * state's multiset of events, so the state stays valid for more rows.
 */
Datum
cvfw_trend_final(PG_FUNCTION_ARGS)
{
	event_buffer *b;

	(void) cvfw_agg_context(fcinfo, "cvfw_trend_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no events with a stage and a time */
	b = (event_buffer *) PG_GETARG_POINTER(0);
	PG_RETURN_DATUM(cvfw_customer_trend_datum(b->ev, b->n));
}

/* --- cvfw_trend_by_customer -------------------------------------------------------- */

static const cvfw_bc_names names = {"cvfw_trend_by_customer", "cvfw_trend", "cvfw_merge"};

Datum
cvfw_trend_by_customer_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_trend_by_customer_trans");
	cvfw_bc    *s = PG_ARGISNULL(0) ? NULL : (cvfw_bc *) PG_GETARG_POINTER(0);
	cv_event	e;

	/* events without a customer, a stage or a time are ignored */
	if (PG_ARGISNULL(1) || !cvfw_event_args(fcinfo, 2, &e))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = cvfw_bc_new(ctx, &names, cvfw_bc_kind_of_type(&names, get_fn_expr_argtype(fcinfo->flinfo, 1)),
						PG_GET_COLLATION(), true);
	cvfw_bc_add(s, fcinfo, PG_GETARG_DATUM(1), &e);
	PG_RETURN_POINTER(s);
}

/*
 * The walk into a trend: the trend takes a customer's events whole
 * (cv_trend_add_customer sorts them), so one customer's events are
 * gathered here, 32 bytes each, then added; the store holds the rest
 * within work_mem or on disk.
 */
typedef struct trend_walk
{
	cv_trend   *t;
	cv_event   *ev;
	size_t		n;
	size_t		cap;
} trend_walk;

static cv_status
walk_begin(void *self)
{
	((trend_walk *) self)->n = 0;
	return CV_OK;
}

static cv_status
walk_event(void *self, const cv_event *e)
{
	trend_walk *w = self;

	if (w->n == w->cap)
	{
		w->cap = w->cap == 0 ? 64 : 2 * w->cap;
		/* a customer with tens of millions of events passes 1 GB: huge allocations */
		w->ev = w->ev == NULL ? MemoryContextAllocHuge(CurrentMemoryContext, w->cap * sizeof(cv_event))
			: repalloc_huge(w->ev, w->cap * sizeof(cv_event));
	}
	w->ev[w->n++] = *e;
	return CV_OK;
}

static cv_status
walk_end(void *self)
{
	trend_walk *w = self;

	return cv_trend_add_customer(w->t, w->ev, w->n);
}

static const cv_walker trend_walker = {walk_begin, walk_event, walk_end};

Datum
cvfw_trend_by_customer_final(PG_FUNCTION_ARGS)
{
	cvfw_bc    *s;
	cv_trend	t;
	trend_walk	w;
	bytea	   *kept;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, "cvfw_trend_by_customer_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (cvfw_bc *) PG_GETARG_POINTER(0);
	if ((kept = cvfw_bc_kept_result(s)) != NULL)
		PG_RETURN_BYTEA_P(kept);
	cvfw_trend_init(&t, CurrentMemoryContext);
	memset(&w, 0, sizeof(w));
	w.t = &t;
	cvfw_trend_check(cvfw_bc_walk(s, &trend_walker, &w), NULL);
	if (w.ev != NULL)
		pfree(w.ev);
	result = cvfw_trend_to_datum(&t);
	cv_trend_free(&t);
	cvfw_bc_keep_result(s, result);
	PG_RETURN_DATUM(result);
}
