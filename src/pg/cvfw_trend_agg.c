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
 *       form, as cvfw_flow_by_customer is for summaries.  No partial form:
 *       its partial states would be the raw events.  Unlike
 *       cvfw_flow_by_customer it does not yet move to a sort that spills
 *       to disk beyond work_mem: its memory is that of the events (32
 *       bytes each, doc/live.md); the two-level form (cvfw_trend per
 *       customer, then cvfw_merge) runs in PostgreSQL's own hash aggregate.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "bycustomer.h"
#include "pg_agg.h"
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

Datum
cvfw_trend_by_customer_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_trend_by_customer_trans");
	cv_bycustomer *b = PG_ARGISNULL(0) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(0);
	MemoryContext old;
	cv_event	e;
	cv_status	st;

	/* events without a customer, a stage or a time are ignored */
	if (PG_ARGISNULL(1) || !cvfw_event_args(fcinfo, 2, &e))
	{
		if (b == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(b);
	}
	/* the store allocates in the current context (mem.h's ambient allocator) */
	old = MemoryContextSwitchTo(ctx);
	if (b == NULL)
	{
		uint64		seed[2];

		/* integer ids, hashed under a key of the state's own (pg_seed.h) */
		cvfw_hash_seed(seed);
		b = palloc(sizeof(cv_bycustomer));
		cv_bc_init(b, seed, 0);
	}
	st = cv_bc_add(b, PG_GETARG_INT64(1), &e);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_trend_by_customer: too many events or customers in one group"),
				 errhint("Build per customer with cvfw_trend(...) GROUP BY the customer, then cvfw_merge.")));
	PG_RETURN_POINTER(b);
}

/* each customer's events (in no order: the trend sorts them) into the trend */
static cv_status
add_customer(void *arg, cv_event *events, size_t n)
{
	return cv_trend_add_customer((cv_trend *) arg, events, n);
}

Datum
cvfw_trend_by_customer_final(PG_FUNCTION_ARGS)
{
	cv_trend	t;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, "cvfw_trend_by_customer_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	cvfw_trend_init(&t, CurrentMemoryContext);
	cvfw_trend_check(cv_bc_each((cv_bycustomer *) PG_GETARG_POINTER(0), add_customer, &t), NULL);
	result = cvfw_trend_to_datum(&t);
	cv_trend_free(&t);
	PG_RETURN_DATUM(result);
}
