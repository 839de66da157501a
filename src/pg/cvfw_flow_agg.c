/*
 * cvfw_flow_agg.c — the aggregate cvfw_flow(stage, at [, value [, cost]]) over
 * one customer's events.  Parallel safe: combine, serialise and deserialise
 * functions for its internal state (the customer's events).
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "pg_agg.h"
#include "pg_events.h"
#include "bycustomer.h"
#include "pg_flow.h"
#include "pg_stage.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_flow_trans);
PG_FUNCTION_INFO_V1(cvfw_flow_combine);
PG_FUNCTION_INFO_V1(cvfw_flow_serialize);
PG_FUNCTION_INFO_V1(cvfw_flow_deserialize);
PG_FUNCTION_INFO_V1(cvfw_flow_final);

/* --- cvfw_flow: one customer's events ------------------------------------------ */

/* one allocation per customer: the events follow the header (pg_events.h) */

static event_buffer *
events_new(uint32 cap)
{
	event_buffer *b;

	cap = Max(cap, 3);
	b = palloc(offsetof(event_buffer, ev) + cap * sizeof(cv_event));
	b->n = 0;
	b->cap = cap;
	return b;
}

/* room for more events; the buffer may move */
static event_buffer *
events_reserve(event_buffer *b, uint32 more)
{
	if ((uint64) b->n + more > (MaxAllocSize - offsetof(event_buffer, ev)) / sizeof(cv_event))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_flow: too many events for one customer"),
				 errhint("cvfw_flow summarises one customer: GROUP BY the customer, then cvfw_merge.")));
	if (b->n + more > b->cap)
	{
		uint64		limit = (MaxAllocSize - offsetof(event_buffer, ev)) / sizeof(cv_event);
		uint64		cap = b->cap;

		while (b->n + more > cap)
			cap *= 2;
		b->cap = (uint32) Min(cap, limit);
		b = repalloc(b, offsetof(event_buffer, ev) + b->cap * sizeof(cv_event));
	}
	return b;
}

Datum
cvfw_flow_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_trans");
	event_buffer *b = PG_ARGISNULL(0) ? NULL : (event_buffer *) PG_GETARG_POINTER(0);
	MemoryContext old;
	cv_event	e;

	if (!cvfw_event_args(fcinfo, 1, &e))
	{
		if (b == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(b);
	}
	if (b == NULL)
	{
		old = MemoryContextSwitchTo(ctx);
		b = events_new(3);
		MemoryContextSwitchTo(old);
	}
	else if (b->n == b->cap)
		b = events_reserve(b, 1);	/* repalloc keeps the chunk's context */
	b->ev[b->n++] = e;
	PG_RETURN_POINTER(b);
}

Datum
cvfw_flow_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_combine");
	event_buffer *a = PG_ARGISNULL(0) ? NULL : (event_buffer *) PG_GETARG_POINTER(0);
	event_buffer *b = PG_ARGISNULL(1) ? NULL : (event_buffer *) PG_GETARG_POINTER(1);
	MemoryContext old;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	old = MemoryContextSwitchTo(ctx);
	/* never hand back the other state: copy into our own context */
	if (a == NULL)
		a = events_new(b->n);
	a = events_reserve(a, b->n);
	MemoryContextSwitchTo(old);
	memcpy(a->ev + a->n, b->ev, b->n * sizeof(cv_event));
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/* serial form (state_codec.h): version, u32 count, then per event i64 at, f64 value, f64 cost, u8 stage */
Datum
cvfw_flow_serialize(PG_FUNCTION_ARGS)
{
	event_buffer *b = (event_buffer *) PG_GETARG_POINTER(0);
	size_t		size = cv_events_wire_size(b->n);
	bytea	   *out;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_serialize");
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	cv_events_encode(b->ev, b->n, (uint8 *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_flow_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_deserialize");
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	const uint8 *bytes = (const uint8 *) VARDATA_ANY(data);
	size_t		len = VARSIZE_ANY_EXHDR(data);
	event_buffer *b;
	uint32		n;

	cvfw_check_state_version(data, "cvfw_flow");
	if (cv_events_count(bytes, len, &n) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow aggregate state")));
	b = (event_buffer *) MemoryContextAlloc(ctx, offsetof(event_buffer, ev) +
											Max(n, 3) * sizeof(cv_event));
	b->cap = Max(n, 3);
	if (cv_events_decode(bytes, len, b->ev) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow aggregate state")));
	b->n = n;
	PG_RETURN_POINTER(b);
}

/*
 * The customer's summary.  Sorting the events in place only reorders the
 * state's multiset of events, so the state stays valid for more rows.
 */
Datum
cvfw_flow_final(PG_FUNCTION_ARGS)
{
	event_buffer *b;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no events with a stage and a time */
	b = (event_buffer *) PG_GETARG_POINTER(0);
	PG_RETURN_DATUM(cvfw_customer_flow_datum(b->ev, b->n));
}
