/*
 * flow_agg.c — the aggregates cvfw_flow(stage, at [, value [, cost]]) over
 * one customer's events, and cvfw_merge(cvfw_flow) over summaries of
 * disjoint sets of customers.  Both are parallel safe: combine, serialise
 * and deserialise functions for their internal states.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "agg_pg.h"
#include "bycustomer.h"
#include "flow_pg.h"
#include "stage_pg.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_flow_trans);
PG_FUNCTION_INFO_V1(cvfw_flow_combine);
PG_FUNCTION_INFO_V1(cvfw_flow_serialize);
PG_FUNCTION_INFO_V1(cvfw_flow_deserialize);
PG_FUNCTION_INFO_V1(cvfw_flow_final);
PG_FUNCTION_INFO_V1(cvfw_merge_trans);
PG_FUNCTION_INFO_V1(cvfw_merge_combine);
PG_FUNCTION_INFO_V1(cvfw_merge_serialize);
PG_FUNCTION_INFO_V1(cvfw_merge_deserialize);
PG_FUNCTION_INFO_V1(cvfw_merge_final);

/* --- cvfw_flow: one customer's events ------------------------------------------ */

/* one allocation per customer: the events follow the header */
typedef struct event_buffer
{
	uint32		n;
	uint32		cap;
	cv_event	ev[FLEXIBLE_ARRAY_MEMBER];
} event_buffer;

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

static double
amount_arg(FunctionCallInfo fcinfo, int arg, const char *what)
{
	double		v;

	if (PG_NARGS() <= arg || PG_ARGISNULL(arg))
		return 0;				/* a missing amount counts as 0 */
	v = PG_GETARG_FLOAT8(arg);
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_flow: %s must be a finite number, not %s", what,
						isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity")));
	return v;
}

/*
 * The event in arguments stage_arg (stage), +1 (at), +2 (value), +3 (cost);
 * false when it has no stage or no time, and is ignored.
 */
static bool
event_args(FunctionCallInfo fcinfo, int stage_arg, cv_event *e)
{
	if (PG_ARGISNULL(stage_arg) || PG_ARGISNULL(stage_arg + 1))
		return false;
	e->stage = PG_GETARG_CVFW_STAGE(stage_arg);
	e->at = PG_GETARG_TIMESTAMPTZ(stage_arg + 1);
	if (TIMESTAMP_NOT_FINITE(e->at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_flow: event time must be finite, not %s",
						TIMESTAMP_IS_NOBEGIN(e->at) ? "-infinity" : "infinity")));
	e->value = amount_arg(fcinfo, stage_arg + 2, "value");
	e->cost = amount_arg(fcinfo, stage_arg + 3, "cost");
	return true;
}

Datum
cvfw_flow_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_trans");
	event_buffer *b = PG_ARGISNULL(0) ? NULL : (event_buffer *) PG_GETARG_POINTER(0);
	MemoryContext old;
	cv_event	e;

	if (!event_args(fcinfo, 1, &e))
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

/* serial form: u32 count, then per event i64 at, f64 value, f64 cost, u8 stage */
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

/* --- cvfw_merge: summaries of disjoint sets of customers ------------------------------ */

static cv_flow *
flow_new(MemoryContext ctx)
{
	cv_flow    *f = MemoryContextAlloc(ctx, sizeof(cv_flow));

	cv_flow_init(f);
	return f;
}

Datum
cvfw_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_merge_trans");
	cv_flow    *f = PG_ARGISNULL(0) ? NULL : (cv_flow *) PG_GETARG_POINTER(0);
	bytea	   *bytes;
	MemoryContext old;

	CVFW_RETURN_STATE_IF_NULL(f, 1);
	/* detoast in the per-row context, not in the aggregate's: it is thrown away */
	bytes = PG_GETARG_BYTEA_PP(1);
	old = MemoryContextSwitchTo(ctx);
	if (f == NULL)
		f = flow_new(ctx);
	cvfw_flow_from_bytes(bytes, f);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(f);
}

Datum
cvfw_merge_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_merge_combine");
	cv_flow    *a = PG_ARGISNULL(0) ? NULL : (cv_flow *) PG_GETARG_POINTER(0);
	cv_flow    *b = PG_ARGISNULL(1) ? NULL : (cv_flow *) PG_GETARG_POINTER(1);
	MemoryContext old;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	old = MemoryContextSwitchTo(ctx);
	if (a == NULL)
		a = flow_new(ctx);
	cvfw_flow_check(cv_flow_merge(a, b), NULL);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

Datum
cvfw_merge_serialize(PG_FUNCTION_ARGS)
{
	(void) cvfw_agg_context(fcinfo, "cvfw_merge_serialize");
	PG_RETURN_DATUM(cvfw_flow_to_datum((cv_flow *) PG_GETARG_POINTER(0)));
}

Datum
cvfw_merge_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_merge_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext old = MemoryContextSwitchTo(ctx);
	cv_flow    *f = flow_new(ctx);

	cvfw_flow_from_bytes(bytes, f);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(f);
}

Datum
cvfw_merge_final(PG_FUNCTION_ARGS)
{
	(void) cvfw_agg_context(fcinfo, "cvfw_merge_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cvfw_flow_to_datum((cv_flow *) PG_GETARG_POINTER(0)));
}

/* --- cvfw_flow_by_customer: all customers' events in one state -------------------------- */

PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_combine);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_serialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_deserialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_final);

static cv_bycustomer *
bycustomer_new(MemoryContext ctx)
{
	cv_bycustomer *b = MemoryContextAlloc(ctx, sizeof(cv_bycustomer));

	cv_bc_init(b);
	return b;
}

static void
bycustomer_full(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("cvfw_flow_by_customer: too many events or customers in one group"),
			 errhint("Summarise per customer with cvfw_flow(...) GROUP BY the customer, then cvfw_merge.")));
}

Datum
cvfw_flow_by_customer_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_trans");
	cv_bycustomer *b = PG_ARGISNULL(0) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(0);
	MemoryContext old;
	cv_event	e;
	cv_status	st;

	/* events without a customer, a stage or a time are ignored */
	if (PG_ARGISNULL(1) || !event_args(fcinfo, 2, &e))
	{
		if (b == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(b);
	}
	old = MemoryContextSwitchTo(ctx);
	if (b == NULL)
		b = bycustomer_new(ctx);
	st = cv_bc_add(b, PG_GETARG_INT64(1), &e);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		bycustomer_full();
	PG_RETURN_POINTER(b);
}

Datum
cvfw_flow_by_customer_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_combine");
	cv_bycustomer *a = PG_ARGISNULL(0) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(0);
	cv_bycustomer *b = PG_ARGISNULL(1) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(1);
	MemoryContext old;
	cv_status	st;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	old = MemoryContextSwitchTo(ctx);
	if (a == NULL)
		a = bycustomer_new(ctx);
	st = cv_bc_merge(a, b);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		bycustomer_full();
	PG_RETURN_POINTER(a);
}

Datum
cvfw_flow_by_customer_serialize(PG_FUNCTION_ARGS)
{
	cv_bycustomer *b = (cv_bycustomer *) PG_GETARG_POINTER(0);
	size_t		len;
	uint8	   *data;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_serialize");
	data = cv_bc_encode(b, VARHDRSZ, &len);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_flow_by_customer: a parallel worker's events exceed 1 GB"),
				 errhint("Summarise per customer with cvfw_flow(...) GROUP BY the customer, then cvfw_merge, "
						 "or run this query without parallel workers.")));
	SET_VARSIZE(data, VARHDRSZ + len);
	PG_RETURN_POINTER(data);
}

Datum
cvfw_flow_by_customer_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_deserialize");
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext old = MemoryContextSwitchTo(ctx);
	cv_bycustomer *b = bycustomer_new(ctx);
	const char *why = NULL;

	if (cv_bc_decode(b, (const uint8 *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), &why) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow_by_customer aggregate state"),
				 errdetail("%s", why)));
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(b);
}

Datum
cvfw_flow_by_customer_final(PG_FUNCTION_ARGS)
{
	cv_bycustomer *b;
	cv_flow		f;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (cv_bycustomer *) PG_GETARG_POINTER(0);
	cv_flow_init(&f);
	cvfw_flow_check(cv_bc_summarize(b, &f), NULL);
	result = cvfw_flow_to_datum(&f);
	cv_flow_free(&f);
	PG_RETURN_DATUM(result);
}
