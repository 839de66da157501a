/*
 * pg_summary_agg.c — the aggregates, I/O and datum conversions of the
 * conversion and retention summaries (see pg_summary_agg.h).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bycustomer.h"
#include "mem.h"
#include "pg_agg.h"
#include "pg_echo.h"
#include "pg_stage.h"
#include "pg_seed.h"
#include "pg_summary_agg.h"
#include "state_codec.h"

/* --- the state of the aggregates over events ------------------------------------- */

/*
 * The settings arguments of the last row, kept in the transition
 * function's fn_extra (one per call site, shared by every group) to
 * recognise the same settings on the next row by comparing bytes (not
 * pointers: a pointer can be reused for other contents from row to row).
 * Only when the bytes differ are the settings parsed again; the parsed
 * settings live as long as the query, so every group's state can point to
 * them instead of holding a copy.
 */
/* groups may have settings of their own (an as_of per customer, say):
 * the first few distinct ones are shared, the states copy the others */
#define CVFW_SHARED_SETTINGS 8

typedef struct settings_cache
{
	int			n;
	bool		isnull[CVFW_MAX_SETTINGS];
	Datum		value[CVFW_MAX_SETTINGS];
	char	   *bytes[CVFW_MAX_SETTINGS];
	Size		len[CVFW_MAX_SETTINGS];
	Size		cap[CVFW_MAX_SETTINGS];
	cvfw_summary_params *params;	/* the last row's; NULL until the first row */
	/* every distinct setting parsed so far, shared by the states (a few) */
	cvfw_summary_params *shared[CVFW_SHARED_SETTINGS];
	int			nshared;
} settings_cache;

typedef struct summary_state
{
	const cvfw_summary_kind *kind;
	const cvfw_summary_params *p;	/* the call site's, or the state's own */
	bool		by_customer;
	bool		has_as_of;
	int64		as_of;
	/* one customer's events ... */
	cv_event   *ev;
	uint32		n;
	uint32		cap;
	/* ... or many customers' */
	cv_bycustomer *bc;
} summary_state;

/* partial state payloads, after the settings */
#define PAYLOAD_NONE 0
#define PAYLOAD_EVENTS 1
#define PAYLOAD_BY_CUSTOMER 2

/* a new state; p must outlive it (own_params: copy it into ctx) */
static summary_state *
state_new(MemoryContext ctx, const cvfw_summary_kind *k, const cvfw_summary_params *p,
		  bool by_customer, bool own_params)
{
	summary_state *s = MemoryContextAllocZero(ctx, sizeof(summary_state));

	s->kind = k;
	if (own_params)
	{
		cvfw_summary_params *copy = MemoryContextAlloc(ctx, sizeof(cvfw_summary_params));

		*copy = *p;
		p = copy;
	}
	s->p = p;
	s->by_customer = by_customer;
	s->has_as_of = k->as_of(p, &s->as_of);
	if (by_customer)
	{
		uint64		seed[2];

		s->bc = MemoryContextAlloc(ctx, sizeof(cv_bycustomer));
		cvfw_hash_seed(seed);
		cv_bc_init(s->bc, seed, 0);
	}
	return s;
}

static const void *
arg_bytes(FunctionCallInfo fcinfo, int argno, cvfw_arg_form form, Size *len)
{
	if (form == CVFW_ARG_FIXED16)
	{
		*len = 16;
		return DatumGetPointer(PG_GETARG_DATUM(argno));
	}
	else
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));

		*len = VARSIZE_ANY_EXHDR(v);
		return VARDATA_ANY(v);
	}
}

static bool
same_as_cached(FunctionCallInfo fcinfo, int first, const cvfw_summary_kind *k, const settings_cache *c)
{
	int			i;

	if (c->params == NULL || PG_NARGS() - first != c->n)
		return false;
	for (i = 0; i < c->n; i++)
	{
		cvfw_arg_form form = k->forms[i];

		if (PG_ARGISNULL(first + i) != c->isnull[i])
			return false;
		if (c->isnull[i])
			continue;
		if (form == CVFW_ARG_CHAR)
		{
			if (DatumGetChar(PG_GETARG_DATUM(first + i)) != DatumGetChar(c->value[i]))
				return false;
		}
		else if (form == CVFW_ARG_INT64)
		{
			if (DatumGetInt64(PG_GETARG_DATUM(first + i)) != DatumGetInt64(c->value[i]))
				return false;
		}
		else
		{
			Size		len;
			const void *b = arg_bytes(fcinfo, first + i, form, &len);

			if (len != c->len[i] || memcmp(b, c->bytes[i], len) != 0)
				return false;
		}
	}
	return true;
}

static void
remember(FunctionCallInfo fcinfo, int first, const cvfw_summary_kind *k, settings_cache *c)
{
	MemoryContext ctx = fcinfo->flinfo->fn_mcxt;
	int			i;

	c->n = PG_NARGS() - first;
	for (i = 0; i < c->n; i++)
	{
		cvfw_arg_form form = k->forms[i];

		c->isnull[i] = PG_ARGISNULL(first + i);
		if (c->isnull[i])
			continue;
		if (form == CVFW_ARG_CHAR || form == CVFW_ARG_INT64)
			c->value[i] = PG_GETARG_DATUM(first + i);
		else
		{
			Size		len;
			const void *b = arg_bytes(fcinfo, first + i, form, &len);

			if (c->bytes[i] == NULL || c->cap[i] < len)
			{
				if (c->bytes[i] != NULL)
					pfree(c->bytes[i]);
				c->bytes[i] = MemoryContextAlloc(ctx, Max(len, 1));
				c->cap[i] = Max(len, 1);
			}
			memcpy(c->bytes[i], b, len);
			c->len[i] = len;
		}
	}
}

/*
 * The settings of this row, parsed at most when they differ from the last
 * row's.  Returns settings that live as long as the query (shared by the
 * states, never freed before the query ends) or, once more than a few
 * distinct ones have been seen, *scratch, which a new state must copy
 * (*shared false).
 */
static const cvfw_summary_params *
row_settings(FunctionCallInfo fcinfo, int first, const cvfw_summary_kind *k,
			 cvfw_summary_params *scratch, bool *shared)
{
	settings_cache *c = (settings_cache *) fcinfo->flinfo->fn_extra;
	int			i;

	*shared = true;
	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(settings_cache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (same_as_cached(fcinfo, first, k, c))
		return c->params;
	k->parse(fcinfo, first, scratch);
	remember(fcinfo, first, k, c);
	c->params = NULL;
	for (i = 0; i < c->nshared && c->params == NULL; i++)
		if (k->equal(scratch, c->shared[i]))
			c->params = c->shared[i];
	if (c->params == NULL && c->nshared < CVFW_SHARED_SETTINGS)
	{
		c->params = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(cvfw_summary_params));
		*c->params = *scratch;
		c->shared[c->nshared++] = c->params;
	}
	if (c->params != NULL)
		return c->params;
	/* not kept: rows with these settings parse them again */
	*shared = false;
	return scratch;
}

static void
different_settings(const cvfw_summary_kind *k)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: the settings must be the same on every row", k->name),
			 errdetail("The path, window, options, period, stages and as_of of one aggregate are constants.")));
}

static void
too_many(const cvfw_summary_kind *k)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: too many events or customers in one group", k->name),
			 errhint("Summarise per customer with %s(...) GROUP BY the customer, then %s_merge.",
					 k->name, k->name)));
}

static void
push_event(summary_state *s, const cv_event *e)
{
	if (s->n == s->cap)
	{
		uint64		cap = s->cap ? (uint64) s->cap * 2 : 4;

		if (cap * sizeof(cv_event) > MaxAllocHugeSize || cap > PG_UINT32_MAX)
			too_many(s->kind);
		s->ev = s->ev == NULL ? palloc(cap * sizeof(cv_event)) : repalloc_huge(s->ev, cap * sizeof(cv_event));
		s->cap = (uint32) cap;
	}
	s->ev[s->n++] = *e;
}

Datum
cvfw_summary_trans(FunctionCallInfo fcinfo, const cvfw_summary_kind *k, bool by_customer)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, k->name);
	summary_state *s = PG_ARGISNULL(0) ? NULL : (summary_state *) PG_GETARG_POINTER(0);
	int			ev_arg = by_customer ? 2 : 1,
				first = ev_arg + 2;
	const cvfw_summary_params *p;
	cvfw_summary_params scratch;
	bool		shared;
	MemoryContext old;
	cv_event	e;

	/* events without a customer, a stage or a time are ignored */
	if ((by_customer && PG_ARGISNULL(1)) || PG_ARGISNULL(ev_arg) || PG_ARGISNULL(ev_arg + 1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	e.stage = PG_GETARG_CVFW_STAGE(ev_arg);
	e.at = PG_GETARG_TIMESTAMPTZ(ev_arg + 1);
	e.value = e.cost = 0;
	if (TIMESTAMP_NOT_FINITE(e.at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s: event time must be finite, not %s", k->name,
						TIMESTAMP_IS_NOBEGIN(e.at) ? "-infinity" : "infinity")));
	p = row_settings(fcinfo, first, k, &scratch, &shared);
	if (s == NULL)
		s = state_new(ctx, k, p, by_customer, !shared);
	else if (s->p != p && !k->equal(s->p, p))
		different_settings(k);
	/* what happened after as_of is not known yet */
	if (s->has_as_of && e.at > s->as_of)
		PG_RETURN_POINTER(s);
	old = MemoryContextSwitchTo(ctx);
	if (by_customer)
	{
		if (cv_bc_add(s->bc, PG_GETARG_INT64(1), &e) != CV_OK)
			too_many(k);
	}
	else
		push_event(s, &e);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}

Datum
cvfw_summary_combine(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, k->name);
	summary_state *a = PG_ARGISNULL(0) ? NULL : (summary_state *) PG_GETARG_POINTER(0);
	summary_state *b = PG_ARGISNULL(1) ? NULL : (summary_state *) PG_GETARG_POINTER(1);
	MemoryContext old;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	/* never hand back the other state: copy into our own context */
	if (a == NULL)
		a = state_new(ctx, k, b->p, b->by_customer, true);
	else if (a->p != b->p && !k->equal(a->p, b->p))
		different_settings(k);
	old = MemoryContextSwitchTo(ctx);
	if (a->by_customer)
	{
		if (cv_bc_merge(a->bc, b->bc) != CV_OK)
			too_many(k);
	}
	else
	{
		uint32		i;

		for (i = 0; i < b->n; i++)
			push_event(a, &b->ev[i]);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

/* serial form: the settings, a payload tag, then the events (state_codec.h or bycustomer.h) */
Datum
cvfw_summary_serialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	summary_state *s = (summary_state *) PG_GETARG_POINTER(0);
	size_t		h = k->params_size(s->p),
				len;
	uint8	   *data;

	(void) cvfw_agg_context(fcinfo, k->name);
	if (s->by_customer)
	{
		data = cv_bc_encode(s->bc, VARHDRSZ + h + 1, &len);
		data[VARHDRSZ + h] = PAYLOAD_BY_CUSTOMER;
	}
	else
	{
		len = s->n > 0 ? cv_events_wire_size(s->n) : 0;
		if (len > MaxAllocHugeSize - VARHDRSZ - h - 1)
			too_many(k);
		data = palloc_extended(VARHDRSZ + h + 1 + len, MCXT_ALLOC_HUGE);
		data[VARHDRSZ + h] = s->n > 0 ? PAYLOAD_EVENTS : PAYLOAD_NONE;
		if (s->n > 0)
			cv_events_encode(s->ev, s->n, data + VARHDRSZ + h + 1);
	}
	if (len > MaxAllocSize - VARHDRSZ - h - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: a parallel worker's events exceed 1 GB", k->name),
				 errhint("Summarise per customer with %s(...) GROUP BY the customer, then %s_merge, "
						 "or run this query without parallel workers.", k->name, k->name)));
	k->params_write(s->p, data + VARHDRSZ);
	SET_VARSIZE(data, VARHDRSZ + h + 1 + len);
	PG_RETURN_POINTER(data);
}

static void
corrupt_state(const cvfw_summary_kind *k, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted %s aggregate state", k->name),
			 why != NULL ? errdetail("%s", why) : 0));
}

Datum
cvfw_summary_deserialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k, bool by_customer)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, k->name);
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const uint8 *data = (const uint8 *) VARDATA_ANY(b);
	size_t		len = VARSIZE_ANY_EXHDR(b),
				used;
	cvfw_summary_params p;
	const char *why = NULL;
	summary_state *s;
	uint8		tag;
	MemoryContext old;

	if (k->params_read(&p, data, len, &used, &why) != CV_OK)
		corrupt_state(k, why);
	if (used == len)
		corrupt_state(k, "The data ends early.");
	tag = data[used++];
	s = state_new(ctx, k, &p, by_customer, true);
	old = MemoryContextSwitchTo(ctx);
	if (by_customer)
	{
		if (tag != PAYLOAD_BY_CUSTOMER)
			corrupt_state(k, "The events are not kept by customer.");
		if (cv_bc_decode(s->bc, data + used, len - used, &why) != CV_OK)
			corrupt_state(k, why);
	}
	else if (tag == PAYLOAD_EVENTS)
	{
		uint32		n;

		if (cv_events_count(data + used, len - used, &n) != CV_OK)
			corrupt_state(k, "The events are damaged.");
		s->ev = palloc_extended((Size) n * sizeof(cv_event), MCXT_ALLOC_HUGE);
		s->cap = s->n = n;
		if (cv_events_decode(data + used, len - used, s->ev) != CV_OK)
			corrupt_state(k, "The events are damaged.");
	}
	else if (tag != PAYLOAD_NONE || used != len)
		corrupt_state(k, "Unknown events.");
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}

static void
summary_check(const cvfw_summary_kind *k, cv_status st)
{
	if (st == CV_ERR_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: too many customers to count", k->name),
				 errdetail("A count would pass 2^53.")));
	if (st != CV_OK)
		elog(ERROR, "%s: unexpected core status %d", k->name, (int) st);
}

static Datum
acc_to_datum(const cvfw_summary_kind *k, const cvfw_summary_acc *acc)
{
	size_t		len;
	uint8	   *data = k->encode(acc, VARHDRSZ, &len);

	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s summary too large", k->name)));
	SET_VARSIZE(data, VARHDRSZ + len);
	return PointerGetDatum(data);
}

/* each customer of a bycustomer state into the accumulator */
typedef struct visit_arg
{
	const cvfw_summary_kind *k;
	cvfw_summary_acc *acc;
	uint32		seen;
} visit_arg;

static cv_status
visit_customer(void *arg, cv_event *ev, size_t n)
{
	visit_arg  *v = (visit_arg *) arg;

	/* a million customers answer a cancel request every thousand */
	if ((++v->seen & 1023) == 0)
		CHECK_FOR_INTERRUPTS();
	return v->k->add(v->acc, ev, n);
}

Datum
cvfw_summary_final(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	summary_state *s;
	cvfw_summary_acc acc;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, k->name);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no events with a stage and a time */
	s = (summary_state *) PG_GETARG_POINTER(0);
	k->init(&acc, s->p);
	/* sorting a customer's events in place only reorders the state's multiset */
	if (s->by_customer)
	{
		visit_arg	v = {k, &acc, 0};

		summary_check(k, cv_bc_each(s->bc, visit_customer, &v));
	}
	else if (s->n > 0)
		summary_check(k, k->add(&acc, s->ev, s->n));
	result = acc_to_datum(k, &acc);
	k->free(&acc);
	PG_RETURN_DATUM(result);
}

/* --- merging stored summaries ------------------------------------------------------ */

typedef struct merge_state
{
	cvfw_summary_acc acc;
} merge_state;

static void
corrupt_value(const cvfw_summary_kind *k, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted %s value", k->name),
			 why != NULL ? errdetail("%s", why) : 0));
}

static void
decode_bytes(const cvfw_summary_kind *k, const bytea *b, cvfw_summary_acc *acc)
{
	const char *why = NULL;

	if (k->decode(acc, (const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &why) != CV_OK)
		corrupt_value(k, why);
}

void
cvfw_summary_from_arg(FunctionCallInfo fcinfo, int argno, const cvfw_summary_kind *k,
					  cvfw_summary_acc *acc)
{
	decode_bytes(k, PG_GETARG_BYTEA_PP(argno), acc);
}

static void
merge_into(const cvfw_summary_kind *k, cvfw_summary_acc *into, const cvfw_summary_acc *from)
{
	if (!k->equal(k->params_of(into), k->params_of(from)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s_merge: summaries built with different settings cannot be merged", k->name),
				 errdetail("Merge summaries of the same path, window, options, period, stages and as_of.")));
	summary_check(k, k->merge(into, from));
}

Datum
cvfw_summary_merge_trans(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, k->name);
	merge_state *s = PG_ARGISNULL(0) ? NULL : (merge_state *) PG_GETARG_POINTER(0);
	bytea	   *bytes;
	MemoryContext old;

	CVFW_RETURN_STATE_IF_NULL(s, 1);
	/* detoast in the per-row context: it is thrown away */
	bytes = PG_GETARG_BYTEA_PP(1);
	old = MemoryContextSwitchTo(ctx);
	if (s == NULL)
	{
		s = palloc0(sizeof(merge_state));
		decode_bytes(k, bytes, &s->acc);
	}
	else
	{
		cvfw_summary_acc one;

		decode_bytes(k, bytes, &one);
		merge_into(k, &s->acc, &one);
		k->free(&one);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}

Datum
cvfw_summary_merge_combine(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, k->name);
	merge_state *a = PG_ARGISNULL(0) ? NULL : (merge_state *) PG_GETARG_POINTER(0);
	merge_state *b = PG_ARGISNULL(1) ? NULL : (merge_state *) PG_GETARG_POINTER(1);
	MemoryContext old;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	old = MemoryContextSwitchTo(ctx);
	if (a == NULL)
	{
		a = palloc0(sizeof(merge_state));
		k->init(&a->acc, k->params_of(&b->acc));
	}
	merge_into(k, &a->acc, &b->acc);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

Datum
cvfw_summary_merge_serialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	(void) cvfw_agg_context(fcinfo, k->name);
	PG_RETURN_DATUM(acc_to_datum(k, &((merge_state *) PG_GETARG_POINTER(0))->acc));
}

Datum
cvfw_summary_merge_deserialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, k->name);
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext old = MemoryContextSwitchTo(ctx);
	merge_state *s = palloc0(sizeof(merge_state));

	decode_bytes(k, bytes, &s->acc);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}

Datum
cvfw_summary_merge_final(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	(void) cvfw_agg_context(fcinfo, k->name);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(acc_to_datum(k, &((merge_state *) PG_GETARG_POINTER(0))->acc));
}

/* --- I/O ------------------------------------------------------------------------------ */

/* check encoded bytes; NULL when fine, else what is wrong */
static const char *
validate(const cvfw_summary_kind *k, const uint8 *data, size_t len)
{
	cvfw_summary_acc acc;
	const char *why = NULL;
	cv_status	st = k->decode(&acc, data, len, &why);

	k->free(&acc);
	return st == CV_OK ? NULL : why;
}

Datum
cvfw_summary_in(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	const char *str = PG_GETARG_CSTRING(0);
	size_t		slen = strlen(str);
	size_t		len = slen >= 2 ? (slen - 2) / 2 : 0;
	bytea	   *out = palloc(VARHDRSZ + len);
	uint8	   *data = (uint8 *) VARDATA(out);
	const char *why = NULL;

	SET_VARSIZE(out, VARHDRSZ + len);
	if (slen < 2 || str[0] != '\\' || str[1] != 'x' || cv_hex_decode(str + 2, slen - 2, data) < 0)
		why = "A summary is written as \\x followed by an even number of hex digits.";
	if (why == NULL)
		why = validate(k, data, len);
	if (why != NULL)
		ereturn(fcinfo->context, (Datum) 0,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", k->name, cvfw_echo(str, slen, 40)),
				 errdetail("%s", why)));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_summary_out(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const uint8 *data = (const uint8 *) VARDATA_ANY(b);
	size_t		len = VARSIZE_ANY_EXHDR(b),
				i;
	static const char digits[] = "0123456789abcdef";
	char	   *out = palloc(3 + 2 * len),
			   *p = out;

	(void) k;
	*p++ = '\\';
	*p++ = 'x';
	for (i = 0; i < len; i++)
	{
		*p++ = digits[data[i] >> 4];
		*p++ = digits[data[i] & 0xF];
	}
	*p = '\0';
	PG_RETURN_CSTRING(out);
}

Datum
cvfw_summary_recv(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + len);
	const char *why;

	SET_VARSIZE(out, VARHDRSZ + len);
	pq_copymsgbytes(buf, VARDATA(out), len);
	why = validate(k, (const uint8 *) VARDATA(out), len);
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", k->name),
				 errdetail("%s", why)));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_summary_send(FunctionCallInfo fcinfo, const cvfw_summary_kind *k)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	(void) k;
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
cvfw_summary_time_datum(int64 t)
{
	if (t < MIN_TIMESTAMP)
		t = MIN_TIMESTAMP;
	if (t >= END_TIMESTAMP)
		t = END_TIMESTAMP - 1;
	return TimestampTzGetDatum(t);
}

cv_stage *
cvfw_stage_array_arg(FunctionCallInfo fcinfo, int argno, const char *name, const char *what, int *n)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(argno);
	const uint8 *data;
	cv_stage   *stages;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the %s must be a one-dimensional array", name, what)));
	*n = ARR_NDIM(arr) == 0 ? 0 : ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (ARR_HASNULL(arr))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the %s must not hold NULLs", name, what)));
	stages = palloc(Max(*n, 1));
	/* one byte each, char-aligned: packed */
	data = (const uint8 *) ARR_DATA_PTR(arr);
	for (i = 0; i < *n; i++)
	{
		(void) cvfw_stage_name_checked(data[i]);
		stages[i] = data[i];
	}
	return stages;
}
