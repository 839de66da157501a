/*
 * pg_flow.c — what the flow functions share: datum conversion, errors, the
 * leakage cut-off, intervals, and the core's allocator.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/detoast.h"
#include "common/shortest_dec.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "pg_flow.h"
#include "pg_stage.h"
#include "mem.h"

/* --- the core's allocators ------------------------------------------------- */

/* huge allocations: a state of many customers' events can pass 1 GB */
static void *
ctx_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, size);
}

/* repalloc keeps the chunk where it is, which is ctx for our chunks */
static void *
ctx_realloc(void *ctx, void *ptr, size_t size)
{
	return ptr == NULL ? MemoryContextAllocHuge((MemoryContext) ctx, size) : repalloc_huge(ptr, size);
}

static void
ctx_free(void *ctx, void *ptr)
{
	(void) ctx;
	pfree(ptr);
}

cv_allocator
cvfw_mem_context(MemoryContext ctx)
{
	cv_allocator a = {ctx_alloc, ctx_realloc, ctx_free, ctx};

	return a;
}

void
cvfw_flow_init(cv_flow *f, MemoryContext ctx)
{
	cv_allocator mem = cvfw_mem_context(ctx);

	cv_flow_init(f, &mem);
}

/* the ambient allocator of the modules not yet converted: the current context */
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
	/* the modules without an allocator of their own (see mem.h) */
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
				 errmsg("cvfw_flow: a count or an amount is out of range"),
				 errdetail("%s", why != NULL ? why : CV_FLOW_LIMITS_TEXT)));
	if (st == CV_ERR_NOT_CONTAINED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_flow: the summary to subtract is not part of the total"),
				 why != NULL ? errdetail("%s", why) : 0,
				 errhint("Subtract only a summary of customers the total was built from.")));
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
	cv_status	st;

	/* the status first: the call sets why (argument order is unspecified) */
	st = cv_flow_decode(into, (const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &why);
	cvfw_flow_check(st, why);
}

void
cvfw_flow_from_datum(Datum d, cv_flow *into)
{
	cvfw_flow_from_bytes(DatumGetByteaPP(d), into);
}

/* --- the summaries a query has decoded ----------------------------------------------- */

/*
 * Reports and accessors read their summary through cvfw_flow_arg, which
 * keeps the last few summaries a query decoded, shared by all of the
 * query's call sites: the cache lives in the call sites' memory context
 * (fn_mcxt, the query's), so a view calling six accessors on each row's
 * summary decodes each row's summary once, and a report calling an
 * accessor per stage on one stored summary decodes it once.  A callback
 * on that context forgets the cache when the query's memory goes.
 */
#define FLOW_CACHE_ENTRIES 4

typedef struct flow_cache_entry
{
	bool		valid;			/* flow holds the summary whose key this is */
	uint64		used;			/* when last asked for: the least recent goes first */
	Size		keylen;
	char	   *key;			/* the datum's bytes as passed: a TOAST pointer,
								 * compressed or plain bytes */
	cv_flow		flow;
} flow_cache_entry;

typedef struct flow_cache
{
	MemoryContext owner;
	uint64		clock;
	MemoryContextCallback forget;
	flow_cache_entry e[FLOW_CACHE_ENTRIES];
} flow_cache;

/* the cache of the query that last created one, found by its other call sites */
static flow_cache *query_cache = NULL;

static void
forget_cache(void *arg)
{
	if (query_cache == arg)
		query_cache = NULL;
}

static flow_cache *
cache_of(FmgrInfo *flinfo)
{
	flow_cache *c = (flow_cache *) flinfo->fn_extra;
	int			i;

	if (c != NULL)
	{
		Assert(c->owner == flinfo->fn_mcxt);
		return c;
	}
	if (query_cache != NULL && query_cache->owner == flinfo->fn_mcxt)
		c = query_cache;
	else
	{
		c = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(flow_cache));
		c->owner = flinfo->fn_mcxt;
		for (i = 0; i < FLOW_CACHE_ENTRIES; i++)
			cvfw_flow_init(&c->e[i].flow, flinfo->fn_mcxt);
		c->forget.func = forget_cache;
		c->forget.arg = c;
		MemoryContextRegisterResetCallback(flinfo->fn_mcxt, &c->forget);
		query_cache = c;
	}
	flinfo->fn_extra = c;
	return c;
}

/*
 * The key of a datum: its bytes as they come, without detoasting.  An
 * on-disk TOAST pointer names a stored value that never changes while it
 * can be read (a new value gets a new pointer, and a value a running query
 * can read is not removed), so equal pointers mean equal values within a
 * query; inline bytes, compressed or not, are the value.  Other external
 * forms (in-memory pointers) are keyed by their content.
 */
static bool
raw_key(struct varlena *raw)
{
	return !VARATT_IS_EXTERNAL(raw) || VARATT_IS_EXTERNAL_ONDISK(raw);
}

const cv_flow *
cvfw_flow_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	struct varlena *keyed = raw;
	FmgrInfo   *flinfo = fcinfo->flinfo;
	flow_cache *c;
	flow_cache_entry *e = NULL;
	Size		len;
	int			i;

	Assert(!PG_ARGISNULL(argno));
	if (flinfo == NULL)
	{
		/* no call site to cache in: decode into the current context */
		cv_flow    *f = palloc(sizeof(cv_flow));

		cvfw_flow_init(f, CurrentMemoryContext);
		cvfw_flow_from_datum(PG_GETARG_DATUM(argno), f);
		return f;
	}
	c = cache_of(flinfo);
	if (!raw_key(raw))
		keyed = (struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));
	len = VARSIZE_ANY(keyed);
	c->clock++;
	for (i = 0; i < FLOW_CACHE_ENTRIES; i++)
		if (c->e[i].valid && c->e[i].keylen == len && memcmp(c->e[i].key, keyed, len) == 0)
		{
			c->e[i].used = c->clock;
			return &c->e[i].flow;
		}

	/* a new value: in a free entry, or the least recently used one */
	for (i = 0; i < FLOW_CACHE_ENTRIES; i++)
		if (e == NULL || !c->e[i].valid || (e->valid && c->e[i].used < e->used))
			e = &c->e[i];
	/* forget the old one first, so an error leaves no stale answer */
	e->valid = false;
	cv_flow_free(&e->flow);
	if (e->key != NULL)
		pfree(e->key);
	e->key = MemoryContextAlloc(c->owner, len);
	memcpy(e->key, keyed, len);
	e->keylen = len;
	cvfw_flow_from_datum(PointerGetDatum(keyed), &e->flow);
	e->valid = true;
	e->used = c->clock;
	return &e->flow;
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
	const char *why = NULL;
	cv_allocator out = cvfw_mem_context(CurrentMemoryContext);
	uint8	   *data;
	cv_status	st;

	/* nothing is written that cannot be read back */
	st = cv_flow_check_bounds(f, &why);
	cvfw_flow_check(st, why);
	data = cv_flow_encode(f, &out, VARHDRSZ, &len);
	return bytes_to_datum(data, len);
}

Datum
cvfw_customer_flow_datum(cv_event *events, size_t n)
{
	size_t		len;
	cv_status	st;
	cv_allocator out = cvfw_mem_context(CurrentMemoryContext);
	uint8	   *data = cv_flow_encode_customer(&out, events, n, VARHDRSZ, &len, &st);

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
	if (!(v >= -CV_MONEY_MAX_UNITS && v <= CV_MONEY_MAX_UNITS))
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		/* the shortest exact form, whatever extra_float_digits says */
		double_to_shortest_decimal_buf(v, buf);
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_flow: %s %s is out of range", what, buf),
				 errdetail("Amounts and their sums lie within " CV_MONEY_RANGE_TEXT ".")));
	}
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
