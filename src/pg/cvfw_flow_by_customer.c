/*
 * cvfw_flow_by_customer.c — the aggregate cvfw_flow_by_customer(customer,
 * stage, at [, value [, cost]]) for bigint, text and uuid customer ids: all
 * customers' events in one state, summarised per customer at the end.
 *
 * Memory: the events are kept by customer in the core's store
 * (bycustomer.c) while it fits in the hash memory limit (work_mem ×
 * hash_mem_multiplier, the budget of PostgreSQL's own hash aggregates).
 * The event that would not fit moves everything into a tuplesort ordered
 * by (customer, at, stage, value, cost) (text ids: by their hash first),
 * which spills to disk within
 * work_mem; the final function then streams each customer's events, in
 * order, through the core's walk (customer.c), in constant memory per
 * customer.  Peak: about the hash memory limit plus work_mem while the
 * events move, work_mem after.  Both paths give the same bytes: the store
 * sorts each customer's events into that same order before the same walk.
 *
 * Text ids are compared as bytes (a deterministic collation's equality;
 * nondeterministic ones are refused); uuid ids as their 16 bytes.  The
 * hash key of each state is drawn at random (pg_seed.c).
 *
 * The aggregate has no partial form from 0.2.0 on (see doc/flow.md): its
 * partial states would be the raw events.  The combine, serialise and
 * deserialise functions below remain for 0.1.0's definition of the bigint
 * aggregate, until ALTER EXTENSION cvfw UPDATE.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/pg_collation_d.h"
#include "catalog/pg_type_d.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"

#include "bycustomer.h"
#include "customer.h"
#include "pg_agg.h"
#include "pg_flow.h"
#include "pg_seed.h"
#include "siphash.h"

PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_combine);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_serialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_deserialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_final);

typedef enum bc_kind
{
	BC_INT8,
	BC_TEXT,
	BC_UUID
} bc_kind;

/*
 * The sorted form: customer, at, stage, value, cost; text ids are preceded
 * by their hash, so the sort compares integers and looks at the text only
 * when two hashes are equal (most often: the same customer).
 */
#define BC_MAX_COLUMNS 6

typedef struct bc_state
{
	bc_kind		kind;
	MemoryContext ctx;			/* the aggregate's */
	cv_bycustomer mem;			/* the events, while they fit */
	Tuplesortstate *sort;		/* the events, once they did not */
	TupleDesc	desc;
	TupleTableSlot *slot;
	int			key_col;		/* the id's column in the sort: 0, or 1 after a hash */
	bool		read;			/* the sort has been read: no more rows */
	bytea	   *result;			/* what the final function returned then */
	text	   *keybuf;			/* a text id being moved to the sort */
	Size		keybuf_size;
} bc_state;

static bc_kind
kind_of_type(Oid type)
{
	switch (type)
	{
		case INT8OID:
			return BC_INT8;
		case TEXTOID:
			return BC_TEXT;
		case UUIDOID:
			return BC_UUID;
		default:
			elog(ERROR, "cvfw_flow_by_customer: unexpected customer id type %u", type);
	}
	return BC_INT8;				/* not reached */
}

static bc_state *
bc_new(MemoryContext ctx, bc_kind kind, Oid collation, bool limited)
{
	bc_state   *s = MemoryContextAllocZero(ctx, sizeof(bc_state));
	uint64		seed[2];

	if (kind == BC_TEXT && OidIsValid(collation) && !get_collation_isdeterministic(collation))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cvfw_flow_by_customer: text customer ids need a deterministic collation"),
				 errhint("Add COLLATE \"C\" to the id, or summarise per customer with cvfw_flow(...) "
						 "GROUP BY the customer, then cvfw_merge.")));
	cvfw_hash_seed(seed);
	cv_bc_init(&s->mem, seed, kind != BC_INT8);
	s->mem.limit = limited ? get_hash_memory_limit() : 0;
	s->kind = kind;
	s->ctx = ctx;
	return s;
}

static void
bc_shutdown(Datum arg)
{
	bc_state   *s = (bc_state *) DatumGetPointer(arg);

	if (s->sort != NULL)
		tuplesort_end(s->sort);
	s->sort = NULL;
}

static Datum
key_datum(bc_state *s, int64 id, const uint8 *key, size_t keylen)
{
	if (s->kind == BC_INT8)
		return Int64GetDatum(id);
	if (s->kind == BC_UUID)
		return PointerGetDatum(key);
	if (s->keybuf_size < VARHDRSZ + keylen)
	{
		s->keybuf_size = Max(VARHDRSZ + keylen, 2 * s->keybuf_size);
		if (s->keybuf != NULL)
			pfree(s->keybuf);
		s->keybuf = MemoryContextAlloc(s->ctx, s->keybuf_size);
	}
	SET_VARSIZE(s->keybuf, VARHDRSZ + keylen);
	memcpy(VARDATA(s->keybuf), key, keylen);
	return PointerGetDatum(s->keybuf);
}

static void
bc_put(bc_state *s, Datum key, const cv_event *e)
{
	TupleTableSlot *slot = s->slot;
	Datum	   *v = slot->tts_values + s->key_col;

	ExecClearTuple(slot);
	if (s->key_col > 0)
		slot->tts_values[0] = Int64GetDatum((int64) cv_siphash13(s->mem.seed,
																  VARDATA_ANY(DatumGetPointer(key)),
																  VARSIZE_ANY_EXHDR(DatumGetPointer(key))));
	v[0] = key;
	v[1] = TimestampTzGetDatum(e->at);
	v[2] = Int32GetDatum((int32) e->stage);
	v[3] = Float8GetDatum(e->value);
	v[4] = Float8GetDatum(e->cost);
	memset(slot->tts_isnull, 0, slot->tts_tupleDescriptor->natts * sizeof(bool));
	ExecStoreVirtualTuple(slot);
	tuplesort_puttupleslot(s->sort, slot);
}

static void
spill_one(void *arg, int64 id, const uint8 *key, size_t keylen, const cv_event *e)
{
	bc_state   *s = arg;

	bc_put(s, key_datum(s, id, key, keylen), e);
}

/* the events outgrew memory: from now on they go to a sort */
static void
bc_spill(bc_state *s, FunctionCallInfo fcinfo)
{
	Oid			types[BC_MAX_COLUMNS];
	AttrNumber	attnums[BC_MAX_COLUMNS];
	Oid			ops[BC_MAX_COLUMNS],
				colls[BC_MAX_COLUMNS];
	bool		nulls_first[BC_MAX_COLUMNS];
	MemoryContext old = MemoryContextSwitchTo(s->ctx);
	int			n = 0,
				i;

	if (s->kind == BC_TEXT)
		types[n++] = INT8OID;	/* the hash */
	s->key_col = n;
	types[n++] = s->kind == BC_INT8 ? INT8OID : s->kind == BC_TEXT ? TEXTOID : UUIDOID;
	types[n++] = TIMESTAMPTZOID;
	types[n++] = INT4OID;
	types[n++] = FLOAT8OID;
	types[n++] = FLOAT8OID;
	s->desc = CreateTemplateTupleDesc(n);
	for (i = 0; i < n; i++)
	{
		Oid			type = types[i];

		TupleDescInitEntry(s->desc, (AttrNumber) (i + 1), NULL, type, -1, 0);
		attnums[i] = (AttrNumber) (i + 1);
		ops[i] = lookup_type_cache(type, TYPECACHE_LT_OPR)->lt_opr;
		/* ids are grouped, not ranked: byte order is enough, and fastest */
		colls[i] = type == TEXTOID ? C_COLLATION_OID : InvalidOid;
		nulls_first[i] = false;
	}
	s->sort = cvfw_tuplesort_begin_heap(s->desc, n, attnums, ops, colls, nulls_first, work_mem);
	s->slot = MakeSingleTupleTableSlot(s->desc, &TTSOpsMinimalTuple);
	MemoryContextSwitchTo(old);
	AggRegisterCallback(fcinfo, bc_shutdown, PointerGetDatum(s));
	cv_bc_foreach(&s->mem, spill_one, s);
	cv_bc_free(&s->mem);
}

static void
bycustomer_full(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("cvfw_flow_by_customer: too many events or customers in one group"),
			 errhint("Summarise per customer with cvfw_flow(...) GROUP BY the customer, then cvfw_merge.")));
}

/* one event of the customer whose id is the datum key */
static void
bc_add(bc_state *s, FunctionCallInfo fcinfo, Datum key, const cv_event *e)
{
	const uint8 *bytes = NULL;
	size_t		len = 0;
	MemoryContext old;
	cv_status	st;

	if (s->read)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cvfw_flow_by_customer cannot take more rows after its result was computed"),
				 errdetail("Its events were sorted on disk and read once."),
				 errhint("Use it as a plain aggregate, not as a window function.")));
	if (s->kind == BC_TEXT)
	{
		text	   *t = DatumGetTextPP(key);

		bytes = (const uint8 *) VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
		key = PointerGetDatum(t);
	}
	else if (s->kind == BC_UUID)
	{
		bytes = DatumGetUUIDP(key)->data;
		len = UUID_LEN;
	}
	if (s->sort == NULL && !cv_bc_has_room(&s->mem, len))
		bc_spill(s, fcinfo);
	if (s->sort != NULL)
	{
		bc_put(s, key, e);
		return;
	}
	old = MemoryContextSwitchTo(s->ctx);
	st = s->kind == BC_INT8 ? cv_bc_add(&s->mem, DatumGetInt64(key), e) :
		cv_bc_add_key(&s->mem, bytes, len, e);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		bycustomer_full();
}

Datum
cvfw_flow_by_customer_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_trans");
	bc_state   *s = PG_ARGISNULL(0) ? NULL : (bc_state *) PG_GETARG_POINTER(0);
	cv_event	e;

	/* events without a customer, a stage or a time are ignored */
	if (PG_ARGISNULL(1) || !cvfw_event_args(fcinfo, 2, &e))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = bc_new(ctx, kind_of_type(get_fn_expr_argtype(fcinfo->flinfo, 1)), PG_GET_COLLATION(), true);
	bc_add(s, fcinfo, PG_GETARG_DATUM(1), &e);
	PG_RETURN_POINTER(s);
}

/*
 * Read the sorted events back: fn gets each with its id (the datum is
 * valid until the next event).
 */
typedef void (*bc_reader) (void *arg, bc_state *s, Datum key, const cv_event *e);

static void
bc_read_sorted(bc_state *s, bc_reader fn, void *arg)
{
	TupleTableSlot *slot = s->slot;

	tuplesort_performsort(s->sort);
	s->read = true;
	while (tuplesort_gettupleslot(s->sort, true, false, slot, NULL))
	{
		Datum	   *v;
		cv_event	e;

		slot_getallattrs(slot);
		v = slot->tts_values + s->key_col;
		e.at = DatumGetTimestampTz(v[1]);
		e.stage = (cv_stage) DatumGetInt32(v[2]);
		e.value = DatumGetFloat8(v[3]);
		e.cost = DatumGetFloat8(v[4]);
		fn(arg, s, v[0], &e);
	}
	tuplesort_end(s->sort);
	s->sort = NULL;
}

/* streaming the sorted events through the walk, customer by customer */
typedef struct walk_arg
{
	cv_flow    *flow;
	cv_walk		walk;
	bool		open;
	int64		id;				/* the customer being walked */
	uint8	   *key;
	size_t		keylen;
	size_t		key_size;
} walk_arg;

static bool
same_customer(walk_arg *w, bc_state *s, Datum key)
{
	if (!w->open)
		return false;
	if (s->kind == BC_INT8)
		return DatumGetInt64(key) == w->id;
	if (s->kind == BC_UUID)
		return memcmp(DatumGetUUIDP(key)->data, w->key, UUID_LEN) == 0;
	return VARSIZE_ANY_EXHDR(DatumGetPointer(key)) == w->keylen &&
		memcmp(VARDATA_ANY(DatumGetPointer(key)), w->key, w->keylen) == 0;
}

static void
remember_customer(walk_arg *w, bc_state *s, Datum key)
{
	const void *bytes;

	if (s->kind == BC_INT8)
	{
		w->id = DatumGetInt64(key);
		return;
	}
	if (s->kind == BC_UUID)
	{
		bytes = DatumGetUUIDP(key)->data;
		w->keylen = UUID_LEN;
	}
	else
	{
		bytes = VARDATA_ANY(DatumGetPointer(key));
		w->keylen = VARSIZE_ANY_EXHDR(DatumGetPointer(key));
	}
	if (w->key_size < w->keylen)
	{
		w->key_size = Max(w->keylen, 2 * w->key_size);
		if (w->key != NULL)
			pfree(w->key);
		w->key = palloc(w->key_size);
	}
	memcpy(w->key, bytes, w->keylen);
}

static void
walk_one(void *arg, bc_state *s, Datum key, const cv_event *e)
{
	walk_arg   *w = arg;

	if (!same_customer(w, s, key))
	{
		if (w->open)
			cvfw_flow_check(cv_walk_end(&w->walk), NULL);
		cv_walk_begin(&w->walk, w->flow, NULL);
		w->open = true;
		remember_customer(w, s, key);
	}
	cvfw_flow_check(cv_walk_event(&w->walk, e), NULL);
}

Datum
cvfw_flow_by_customer_final(PG_FUNCTION_ARGS)
{
	bc_state   *s;
	cv_flow		f;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (bc_state *) PG_GETARG_POINTER(0);
	if (s->result != NULL)
		PG_RETURN_BYTEA_P(DatumGetByteaPCopy(PointerGetDatum(s->result)));
	cvfw_flow_init(&f, CurrentMemoryContext);
	if (s->sort == NULL)
		cvfw_flow_check(cv_bc_summarize(&s->mem, &f), NULL);
	else
	{
		walk_arg	w;

		memset(&w, 0, sizeof(w));
		w.flow = &f;
		bc_read_sorted(s, walk_one, &w);
		if (w.open)
			cvfw_flow_check(cv_walk_end(&w.walk), NULL);
	}
	result = cvfw_flow_to_datum(&f);
	cv_flow_free(&f);
	/* a sort is read once: keep the result in case it is asked for again */
	if (s->read)
	{
		MemoryContext old = MemoryContextSwitchTo(s->ctx);

		s->result = DatumGetByteaPCopy(result);
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_DATUM(result);
}

/* --- the partial form of 0.1.0's bigint aggregate ---------------------------------- */

typedef struct combine_arg
{
	bc_state   *into;
	FunctionCallInfo fcinfo;
} combine_arg;

static void
combine_one(void *arg, int64 id, const uint8 *key, size_t keylen, const cv_event *e)
{
	combine_arg *c = arg;

	bc_add(c->into, c->fcinfo, key_datum(c->into, id, key, keylen), e);
}

static void
combine_sorted_one(void *arg, bc_state *s, Datum key, const cv_event *e)
{
	combine_arg *c = arg;

	(void) s;
	bc_add(c->into, c->fcinfo, key, e);
}

Datum
cvfw_flow_by_customer_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_combine");
	bc_state   *a = PG_ARGISNULL(0) ? NULL : (bc_state *) PG_GETARG_POINTER(0);
	bc_state   *b = PG_ARGISNULL(1) ? NULL : (bc_state *) PG_GETARG_POINTER(1);
	combine_arg c;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	if (a == NULL)
		a = bc_new(ctx, b->kind, InvalidOid, true);
	c.into = a;
	c.fcinfo = fcinfo;
	/* never hand back the other state: its events are added to ours */
	if (b->sort != NULL)
		bc_read_sorted(b, combine_sorted_one, &c);
	else
		cv_bc_foreach(&b->mem, combine_one, &c);
	PG_RETURN_POINTER(a);
}

static void
collect_sorted_one(void *arg, bc_state *s, Datum key, const cv_event *e)
{
	(void) s;
	if (cv_bc_add((cv_bycustomer *) arg, DatumGetInt64(key), e) != CV_OK)
		bycustomer_full();
}

Datum
cvfw_flow_by_customer_serialize(PG_FUNCTION_ARGS)
{
	bc_state   *s = (bc_state *) PG_GETARG_POINTER(0);
	cv_bycustomer all;
	cv_bycustomer *b = &s->mem;
	size_t		len;
	uint8	   *data;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_serialize");
	if (s->kind != BC_INT8)
		elog(ERROR, "cvfw_flow_by_customer_serialize: only bigint ids have a partial form");
	if (s->sort != NULL)
	{
		/* 0.1.0's partial form holds every event: gather them back */
		cv_bc_init(&all, s->mem.seed, 0);
		bc_read_sorted(s, collect_sorted_one, &all);
		b = &all;
	}
	data = cv_bc_encode(b, VARHDRSZ, &len);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_flow_by_customer: a parallel worker's events exceed 1 GB"),
				 errhint("Update the extension (ALTER EXTENSION cvfw UPDATE): from 0.2.0 on the aggregate "
						 "runs in one process and spills to disk.")));
	SET_VARSIZE(data, VARHDRSZ + len);
	PG_RETURN_POINTER(data);
}

Datum
cvfw_flow_by_customer_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_deserialize");
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	bc_state   *s = bc_new(ctx, BC_INT8, InvalidOid, false);
	MemoryContext old = MemoryContextSwitchTo(ctx);
	const char *why = NULL;

	if (cv_bc_decode(&s->mem, (const uint8 *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), &why) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow_by_customer aggregate state"),
				 errdetail("%s", why)));
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}
