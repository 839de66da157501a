/*
 * pg_bycustomer.c — many customers' events in one aggregate state, within
 * work_mem, walked customer by customer at the end (see pg_bycustomer.h).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/pg_collation_d.h"
#include "catalog/pg_type_d.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"

#include "pg_bycustomer.h"
#include "pg_seed.h"
#include "siphash.h"

/*
 * The sorted form: customer, at, stage, value, cost; text ids are preceded
 * by their hash, so the sort compares integers and looks at the text only
 * when two hashes are equal (most often: the same customer).
 */
#define BC_MAX_COLUMNS 6

cvfw_bc_kind
cvfw_bc_kind_of_type(const cvfw_bc_names *names, Oid type)
{
	switch (type)
	{
		case INT8OID:
			return CVFW_BC_INT8;
		case TEXTOID:
			return CVFW_BC_TEXT;
		case UUIDOID:
			return CVFW_BC_UUID;
		default:
			elog(ERROR, "%s: unexpected customer id type %u", names->aggregate, type);
	}
	return CVFW_BC_INT8;		/* not reached */
}

cvfw_bc *
cvfw_bc_new(MemoryContext ctx, const cvfw_bc_names *names, cvfw_bc_kind kind, Oid collation, bool limited)
{
	cvfw_bc    *s = MemoryContextAllocZero(ctx, sizeof(cvfw_bc));
	uint64		seed[2];

	if (kind == CVFW_BC_TEXT && OidIsValid(collation) && !get_collation_isdeterministic(collation))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: text customer ids need a deterministic collation", names->aggregate),
				 errhint("Add COLLATE \"C\" to the id, or summarise per customer with %s(...) "
						 "GROUP BY the customer, then %s.", names->per_customer, names->merge)));
	cvfw_hash_seed(seed);
	cv_bc_init(&s->mem, seed, kind != CVFW_BC_INT8);
	s->mem.limit = limited ? get_hash_memory_limit() : 0;
	s->names = names;
	s->kind = kind;
	s->ctx = ctx;
	return s;
}

void
cvfw_bc_full(const cvfw_bc_names *names)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: too many events or customers in one group", names->aggregate),
			 errhint("Summarise per customer with %s(...) GROUP BY the customer, then %s.",
					 names->per_customer, names->merge)));
}

static void
bc_shutdown(Datum arg)
{
	cvfw_bc    *s = (cvfw_bc *) DatumGetPointer(arg);

	if (s->sort != NULL)
		tuplesort_end(s->sort);
	s->sort = NULL;
}

/* an id of the store as a datum of the id's type (text: valid until the next) */
static Datum
key_datum(cvfw_bc *s, int64 id, const uint8 *key, size_t keylen)
{
	if (s->kind == CVFW_BC_INT8)
		return Int64GetDatum(id);
	if (s->kind == CVFW_BC_UUID)
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
bc_put(cvfw_bc *s, Datum key, const cv_event *e)
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
	cvfw_bc    *s = arg;

	bc_put(s, key_datum(s, id, key, keylen), e);
}

/* the events outgrew memory: from now on they go to a sort */
static void
bc_spill(cvfw_bc *s, FunctionCallInfo fcinfo)
{
	Oid			types[BC_MAX_COLUMNS];
	AttrNumber	attnums[BC_MAX_COLUMNS];
	Oid			ops[BC_MAX_COLUMNS],
				colls[BC_MAX_COLUMNS];
	bool		nulls_first[BC_MAX_COLUMNS];
	MemoryContext old = MemoryContextSwitchTo(s->ctx);
	int			n = 0,
				i;

	if (s->kind == CVFW_BC_TEXT)
		types[n++] = INT8OID;	/* the hash */
	s->key_col = n;
	types[n++] = s->kind == CVFW_BC_INT8 ? INT8OID : s->kind == CVFW_BC_TEXT ? TEXTOID : UUIDOID;
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

void
cvfw_bc_add(cvfw_bc *s, FunctionCallInfo fcinfo, Datum key, const cv_event *e)
{
	const uint8 *bytes = NULL;
	size_t		len = 0;
	MemoryContext old;
	cv_status	st;

	if (s->read)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s cannot take more rows after its result was computed", s->names->aggregate),
				 errdetail("Its events were sorted on disk and read once."),
				 errhint("Use it as a plain aggregate, not as a window function.")));
	if (s->kind == CVFW_BC_TEXT)
	{
		text	   *t = DatumGetTextPP(key);

		bytes = (const uint8 *) VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
		key = PointerGetDatum(t);
	}
	else if (s->kind == CVFW_BC_UUID)
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
	st = s->kind == CVFW_BC_INT8 ? cv_bc_add(&s->mem, DatumGetInt64(key), e) :
		cv_bc_add_key(&s->mem, bytes, len, e);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		cvfw_bc_full(s->names);
}

/* --- reading the sort ----------------------------------------------------------- */

/* the next sorted event and its id (valid until the next call); false at the end */
static bool
sorted_next(cvfw_bc *s, Datum *key, cv_event *e)
{
	TupleTableSlot *slot = s->slot;
	Datum	   *v;

	if (!s->read)
	{
		tuplesort_performsort(s->sort);
		s->read = true;
	}
	if (!tuplesort_gettupleslot(s->sort, true, false, slot, NULL))
	{
		tuplesort_end(s->sort);
		s->sort = NULL;
		return false;
	}
	slot_getallattrs(slot);
	v = slot->tts_values + s->key_col;
	*key = v[0];
	e->at = DatumGetTimestampTz(v[1]);
	e->stage = (cv_stage) DatumGetInt32(v[2]);
	e->value = DatumGetFloat8(v[3]);
	e->cost = DatumGetFloat8(v[4]);
	return true;
}

/* the customer being walked, to tell when the next one begins */
typedef struct current
{
	bool		open;
	int64		id;
	uint8	   *key;
	size_t		keylen;
	size_t		key_size;
} current;

static bool
same_customer(const current *c, const cvfw_bc *s, Datum key)
{
	if (!c->open)
		return false;
	if (s->kind == CVFW_BC_INT8)
		return DatumGetInt64(key) == c->id;
	if (s->kind == CVFW_BC_UUID)
		return memcmp(DatumGetUUIDP(key)->data, c->key, UUID_LEN) == 0;
	return VARSIZE_ANY_EXHDR(DatumGetPointer(key)) == c->keylen &&
		memcmp(VARDATA_ANY(DatumGetPointer(key)), c->key, c->keylen) == 0;
}

static void
remember_customer(current *c, const cvfw_bc *s, Datum key)
{
	const void *bytes;

	c->open = true;
	if (s->kind == CVFW_BC_INT8)
	{
		c->id = DatumGetInt64(key);
		return;
	}
	if (s->kind == CVFW_BC_UUID)
	{
		bytes = DatumGetUUIDP(key)->data;
		c->keylen = UUID_LEN;
	}
	else
	{
		bytes = VARDATA_ANY(DatumGetPointer(key));
		c->keylen = VARSIZE_ANY_EXHDR(DatumGetPointer(key));
	}
	if (c->key_size < c->keylen)
	{
		c->key_size = Max(c->keylen, 2 * c->key_size);
		if (c->key != NULL)
			pfree(c->key);
		c->key = palloc(c->key_size);
	}
	memcpy(c->key, bytes, c->keylen);
}

cv_status
cvfw_bc_walk(cvfw_bc *s, const cv_walker *w, void *self)
{
	current		c;
	Datum		key;
	cv_event	e;
	cv_status	st = CV_OK;

	if (s->sort == NULL)
		return cv_bc_walk(&s->mem, w, self);
	/* the sort's order is the walk's order within each customer */
	memset(&c, 0, sizeof(c));
	while (st == CV_OK && sorted_next(s, &key, &e))
	{
		if (!same_customer(&c, s, key))
		{
			if (c.open)
				st = w->end(self);
			if (st != CV_OK)
				break;
			remember_customer(&c, s, key);
			st = w->begin(self);
			if (st != CV_OK)
				break;
		}
		st = w->event(self, &e);
	}
	if (st == CV_OK && c.open)
		st = w->end(self);
	if (c.key != NULL)
		pfree(c.key);
	return st;
}

/* --- every event, for 0.1.0's partial form ------------------------------------------ */

typedef struct read_arg
{
	cvfw_bc    *s;
	cvfw_bc_reader fn;
	void	   *arg;
} read_arg;

static void
read_one(void *arg, int64 id, const uint8 *key, size_t keylen, const cv_event *e)
{
	read_arg   *r = arg;

	r->fn(r->arg, r->s, key_datum(r->s, id, key, keylen), e);
}

void
cvfw_bc_read(cvfw_bc *s, cvfw_bc_reader fn, void *arg)
{
	Datum		key;
	cv_event	e;

	if (s->sort == NULL)
	{
		read_arg	r = {s, fn, arg};

		cv_bc_foreach(&s->mem, read_one, &r);
		return;
	}
	while (sorted_next(s, &key, &e))
		fn(arg, s, key, &e);
}

/* --- the result of a read state -------------------------------------------------------- */

bytea *
cvfw_bc_kept_result(cvfw_bc *s)
{
	if (!s->has_result)
		return NULL;
	return DatumGetByteaPCopy(s->result);
}

void
cvfw_bc_keep_result(cvfw_bc *s, Datum result)
{
	MemoryContext old;

	/* a sort is read once: keep the result in case it is asked for again */
	if (!s->read)
		return;
	old = MemoryContextSwitchTo(s->ctx);
	s->result = PointerGetDatum(DatumGetByteaPCopy(result));
	s->has_result = true;
	MemoryContextSwitchTo(old);
}
