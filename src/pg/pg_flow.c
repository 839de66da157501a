/*
 * pg_flow.c — what the flow functions share: datum conversion, errors, the
 * leakage cut-off, intervals, and the core's allocator.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "pg_flow.h"
#include "pg_stage.h"
#include "mem.h"

/* huge allocations: a state of many customers' events can pass 1 GB */
static void *
pg_alloc(size_t size)
{
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

static void *
pg_realloc(void *ptr, size_t size)
{
	return ptr == NULL ? MemoryContextAllocHuge(CurrentMemoryContext, size) : repalloc_huge(ptr, size);
}

static void
pg_free(void *ptr)
{
	pfree(ptr);
}

/* long core computations (model fits) answer a cancel request */
static void
pg_yield(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
cvfw_flow_memory_init(void)
{
	cv_mem.alloc = pg_alloc;
	cv_mem.realloc = pg_realloc;
	cv_mem.free = pg_free;
	cv_yield = pg_yield;
}

void
cvfw_flow_check(cv_status st, const char *why)
{
	if (st == CV_ERR_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_flow: a sum of values or costs is out of range"),
				 why != NULL ? errdetail("%s", why) : 0));
	if (st == CV_ERR_CORRUPT)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow value"),
				 why != NULL ? errdetail("%s", why) : 0));
}

void
cvfw_flow_from_bytes(const bytea *b, cv_flow *into)
{
	const char *why = NULL;

	cvfw_flow_check(cv_flow_decode(into, (const uint8 *) VARDATA_ANY(b),
								   VARSIZE_ANY_EXHDR(b), &why), why);
}

void
cvfw_flow_from_datum(Datum d, cv_flow *into)
{
	cvfw_flow_from_bytes(DatumGetByteaPP(d), into);
}

/* the encoders leave room for the varlena header: no copy */
static Datum
bytes_to_datum(uint8 *data, size_t len)
{
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_flow summary too large")));
	SET_VARSIZE(data, VARHDRSZ + len);
	return PointerGetDatum(data);
}

Datum
cvfw_flow_to_datum(const cv_flow *f)
{
	size_t		len;
	uint8	   *data = cv_flow_encode(f, VARHDRSZ, &len);

	return bytes_to_datum(data, len);
}

Datum
cvfw_customer_flow_datum(cv_event *events, size_t n)
{
	size_t		len;
	cv_status	st;
	uint8	   *data = cv_flow_encode_customer(events, n, VARHDRSZ, &len, &st);

	cvfw_flow_check(st, NULL);
	return bytes_to_datum(data, len);
}

bool
cvfw_leak_cutoff(FunctionCallInfo fcinfo, int as_of_arg, int horizon_arg, int32 *cutoff_day)
{
	Timestamp	as_of,
				cutoff;

	if (PG_NARGS() <= horizon_arg || PG_ARGISNULL(horizon_arg))
		return false;
	if (PG_ARGISNULL(as_of_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a leakage horizon needs an as_of time"),
				 errhint("Pass as_of, e.g. now(), or leave out the horizon to count every ended visit as leaked.")));
	as_of = PG_GETARG_TIMESTAMPTZ(as_of_arg);
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("as_of must be a finite time")));
	/* timestamp (not timestamptz) arithmetic: days and months in UTC */
	cutoff = DatumGetTimestamp(DirectFunctionCall2(timestamp_mi_interval,
												   TimestampGetDatum(as_of),
												   PG_GETARG_DATUM(horizon_arg)));
	if (TIMESTAMP_NOT_FINITE(cutoff))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("as_of - horizon must be a finite time")));
	/* a cut-off after as_of would call customers active in the future leaked */
	if (cutoff > as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the leakage horizon must not be negative")));
	*cutoff_day = cv_day_of(cutoff);
	return true;
}

Interval *
cvfw_us_interval(double us)
{
	Interval   *iv = palloc0(sizeof(Interval));
	double		r = rint(us);
	double		days = floor(r / (double) USECS_PER_DAY);
	double		rest = r - days * (double) USECS_PER_DAY;

	/*
	 * Split into days and time in double precision: a dwell can exceed an
	 * int64 of microseconds (the whole timestamp range is longer), an
	 * interval's days and time together cannot.
	 */
	if (rest < 0)
	{
		days -= 1;
		rest += (double) USECS_PER_DAY;
	}
	else if (rest >= (double) USECS_PER_DAY)
	{
		days += 1;
		rest -= (double) USECS_PER_DAY;
	}
	iv->day = (int32) days;
	iv->time = (int64) rest;
	return iv;
}

double
cvfw_amount_arg(FunctionCallInfo fcinfo, int arg, const char *what)
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
bool
cvfw_event_args(FunctionCallInfo fcinfo, int stage_arg, cv_event *e)
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
	e->value = cvfw_amount_arg(fcinfo, stage_arg + 2, "value");
	e->cost = cvfw_amount_arg(fcinfo, stage_arg + 3, "cost");
	return true;
}
