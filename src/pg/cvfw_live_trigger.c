/*
 * cvfw_live_trigger.c — the statement trigger that keeps a tracked events
 * table's summaries current (doc/live.md, "How it works").
 *
 * At the end of each INSERT, UPDATE, DELETE, COPY or MERGE statement on the
 * events table, the customers the statement touched (from its transition
 * tables; for an UPDATE only rows whose tracked columns changed), in their
 * sort order and in chunks:
 *   1. one statement locks their summary rows (FOR UPDATE) and reads the old
 *      summaries with the customers' events from the table;
 *   2. each customer's flow summary and trend are built afresh from those
 *      events with the very functions the batch aggregates cvfw_flow() and
 *      cvfw_trend() use, so the bytes are the batch's; the group is the one
 *      on the customer's last event;
 *   3. one statement inserts, updates or deletes the summary rows and
 *      appends the change rows: per group, and for everyone, what the chunk
 *      added and what it removed (summed here, exactly).
 *
 * Why this is right under concurrency.  Every writer of a customer's events
 * writes that customer's summary row (even when the summary comes out the
 * same) before it commits, holding the row's lock from step 1 to commit.
 * Step 1 reads with a snapshot taken when it starts; the row it locks is
 * the newest version.  If that version was written by a transaction the
 * snapshot does not see, the events read with it may be stale, so they are
 * read again (step 1b) with a snapshot taken after the lock: by then nobody
 * else can commit a change to that customer's events, so what is read is
 * the committed events plus ours — in READ COMMITTED, REPEATABLE READ and
 * SERIALIZABLE alike (a REPEATABLE READ writer that had to wait for another
 * writer of the same customer gets a serialization failure, as a
 * concurrent UPDATE would give it).  A new customer has no row to lock:
 * for an INSERT its events are the statement's own (no committed event of
 * it exists, or its row would); a second writer of the same new customer
 * finds the first's row with INSERT ... ON CONFLICT, takes its own change
 * rows back out and goes round again, now with a row to lock.  Writers of
 * different customers never wait for each other: the change rows are only
 * ever appended; from time to time (when the change ids pass a multiple of
 * CVFW_LIVE_COMPACT_EVERY) a writer folds the pending changes into the
 * compacted sums, unless another is doing it (pg_live.c).
 *
 * The work runs as the events table's owner (pg_live.h), through plans
 * prepared once per trigger and backend.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "parser/parse_relation.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "pg_flow.h"
#include "pg_live.h"
#include "pg_trend.h"

PG_FUNCTION_INFO_V1(cvfw_live_trigger);

/* customers handled per round of statements */
#define CVFW_LIVE_CHUNK 5000
/* an INSERT of at most this many rows is read into memory; larger ones stream, sorted */
#define CVFW_LIVE_INLINE_ROWS 10000
/* a compaction is tried when the change ids pass a multiple of this */
#define CVFW_LIVE_COMPACT_EVERY 256

#define MAXG CVFW_LIVE_MAX_GROUPS

typedef enum live_event
{
	LIVE_INSERT,
	LIVE_UPDATE,
	LIVE_DELETE,
	LIVE_TRUNCATE
} live_event;

/* a column's type, for arrays of it and for comparing its values */
typedef struct col_type
{
	Oid			type;
	Oid			array;
	int16		len;
	bool		byval;
	char		align;
	Oid			collation;
	FmgrInfo	cmp;			/* btree comparison (key and group columns) */
} col_type;

/* what one trigger needs, prepared once per backend */
typedef struct live_plans
{
	Oid			trigger;		/* hash key */
	bool		valid;			/* false: build again (the table's definition changed) */
	bool		kept;			/* mcxt and the plans below are ours to free */
	Oid			relid;			/* the events table */
	MemoryContext mcxt;
	cvfw_live_config cfg;
	live_event	event;
	/* the events table's columns: customer, stage, at, value, cost, groups */
	AttrNumber	att_customer,
				att_stage,
				att_at,
				att_value,
				att_cost,
				att_group[MAXG];
	FmgrInfo	to_float8[2];	/* value, cost: a cast function, or none */
	bool		has_cast[2];
	col_type	customer;
	col_type	group[MAXG];
	col_type	flow;
	col_type	trend;
	col_type	kind;			/* "char" */
	col_type	boolean;
	SPIPlanPtr	rows;			/* large INSERTs: the new events, sorted */
	SPIPlanPtr	read;			/* 1. lock the rows, read them and the events */
	SPIPlanPtr	events;			/* 1b. the events again */
	SPIPlanPtr	write;			/* 3. rows and changes */
	SPIPlanPtr	changes;		/* change rows alone */
	SPIPlanPtr	truncate[3];
} live_plans;

static HTAB *live_cache = NULL;

/* --- preparing ---------------------------------------------------------------- */

static void
col_type_of(Oid type, Oid collation, bool sortable, col_type *t, MemoryContext mcxt)
{
	t->type = type;
	t->array = get_array_type(type);
	if (!OidIsValid(t->array))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cvfw_live: type %s has no array type", format_type_be(type))));
	get_typlenbyvalalign(type, &t->len, &t->byval, &t->align);
	t->collation = collation;
	if (sortable)
	{
		TypeCacheEntry *tc = lookup_type_cache(type, TYPECACHE_CMP_PROC_FINFO);

		if (!OidIsValid(tc->cmp_proc_finfo.fn_oid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("cvfw_live: type %s has no btree operator class", format_type_be(type))));
		fmgr_info_cxt(tc->cmp_proc_finfo.fn_oid, &t->cmp, mcxt);
	}
}

static Oid
ext_type(Oid ext_nsp, const char *name)
{
	Oid			t = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
									ObjectIdGetDatum(ext_nsp));

	if (!OidIsValid(t))
		elog(ERROR, "cvfw_live: type %s not found in cvfw's schema", name);
	return t;
}

static AttrNumber
column_of(Relation rel, const char *name)
{
	AttrNumber	a = attnameAttNum(rel, name, false);

	if (a == InvalidAttrNumber || a < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("cvfw_live: column \"%s\" of the tracked table \"%s\" does not exist",
						name, RelationGetRelationName(rel)),
				 errhint("A tracked column was renamed or dropped: detach with cvfw_untrack() and attach again.")));
	return a;
}

/*
 * A plan kept for the backend's life, generic: the same plan for every
 * chunk, planned once (custom plans would be planned at each statement,
 * since an array of keys looks cheaper to them than to a generic plan).
 * The plans take every key through an index, whatever the number of keys.
 */
static SPIPlanPtr
prepare(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	p = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);

	if (p == NULL)
		elog(ERROR, "cvfw_live: SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result), sql);
	SPI_keepplan(p);
	return p;
}

/* "pg_catalog.unnest($n::type[])", qualified; the parameter's type goes to types[n-1] */
static void
add_unnest(StringInfo buf, int *n, Oid *types, Oid array)
{
	types[*n] = array;
	(*n)++;
	appendStringInfo(buf, "%spg_catalog.unnest($%d::%s)", *n > 1 ? ", " : "", *n,
					 format_type_extended(array, -1, FORMAT_TYPE_FORCE_QUALIFY));
}

/* the function that casts a value column's type to float8, if any is needed */
static void
float8_cast(Form_pg_attribute a, FmgrInfo *f, bool *has, MemoryContext mcxt)
{
	Oid			fn = InvalidOid;
	CoercionPathType path = find_coercion_pathway(FLOAT8OID, getBaseType(a->atttypid),
												  COERCION_IMPLICIT, &fn);

	*has = false;
	if (path == COERCION_PATH_FUNC && OidIsValid(fn))
	{
		fmgr_info_cxt(fn, f, mcxt);
		*has = true;
	}
	else if (path != COERCION_PATH_RELABELTYPE)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cvfw_live: column \"%s\" cannot be read as float8", NameStr(a->attname))));
}

static void
build_plans(live_plans *p, Relation rel, live_event ev, Oid ext_nsp)
{
	cvfw_live_config *c = &p->cfg;
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *events = psprintf("%s.%s",
								  quote_identifier(get_namespace_name(RelationGetNamespace(rel))),
								  quote_identifier(RelationGetRelationName(rel)));
	const char *C = quote_identifier(c->customer);
	const char *S = quote_identifier(c->stage);
	const char *A = quote_identifier(c->at);
	Form_pg_attribute ca;
	char	   *eq,
			   *ev_cols,
			   *ev_order;
	StringInfoData q,
				g,
				eg,
				u;
	Oid			types[2 * MAXG + 16];
	int			i,
				n,
				ng = c->ngroups;

	p->event = ev;
	p->att_customer = column_of(rel, c->customer);
	p->att_stage = column_of(rel, c->stage);
	p->att_at = column_of(rel, c->at);
	p->att_value = c->value ? column_of(rel, c->value) : InvalidAttrNumber;
	p->att_cost = c->cost ? column_of(rel, c->cost) : InvalidAttrNumber;
	for (i = 0; i < 2; i++)
	{
		AttrNumber	a = i == 0 ? p->att_value : p->att_cost;

		p->has_cast[i] = false;
		if (a != InvalidAttrNumber)
			float8_cast(TupleDescAttr(desc, a - 1), &p->to_float8[i], &p->has_cast[i], p->mcxt);
	}
	ca = TupleDescAttr(desc, p->att_customer - 1);
	col_type_of(ca->atttypid, ca->attcollation, true, &p->customer, p->mcxt);
	eq = cvfw_live_operator(lookup_type_cache(ca->atttypid, TYPECACHE_EQ_OPR)->eq_opr);
	for (i = 0; i < ng; i++)
	{
		Form_pg_attribute ga;

		p->att_group[i] = column_of(rel, c->groups[i]);
		ga = TupleDescAttr(desc, p->att_group[i] - 1);
		col_type_of(ga->atttypid, ga->attcollation, true, &p->group[i], p->mcxt);
	}
	col_type_of(ext_type(ext_nsp, "cvfw_flow"), InvalidOid, false, &p->flow, p->mcxt);
	col_type_of(ext_type(ext_nsp, "cvfw_trend"), InvalidOid, false, &p->trend, p->mcxt);
	col_type_of(CHAROID, InvalidOid, false, &p->kind, p->mcxt);
	col_type_of(BOOLOID, InvalidOid, false, &p->boolean, p->mcxt);
	initStringInfo(&g);
	cvfw_live_append_groups(&g, c, NULL);
	initStringInfo(&eg);
	cvfw_live_append_groups(&eg, c, "e");

	/* an event's columns, and the order that puts the last event of a customer last */
	ev_cols = psprintf("%s, %s, %s, %s%s",
					   S, A,
					   c->value ? psprintf("CAST(%s AS pg_catalog.float8)", quote_identifier(c->value))
					   : "NULL::pg_catalog.float8",
					   c->cost ? psprintf("CAST(%s AS pg_catalog.float8)", quote_identifier(c->cost))
					   : "NULL::pg_catalog.float8", g.data);
	initStringInfo(&u);
	for (i = 0; i < ng; i++)
		appendStringInfo(&u, ", %d", 6 + i);
	ev_order = psprintf("1, 3, 2%s", u.data);

	/* large INSERTs: the new events, sorted (a customer's together, in time order) */
	initStringInfo(&q);
	if (ev == LIVE_INSERT)
	{
		appendStringInfo(&q, "SELECT %s, %s FROM " CVFW_LIVE_NEW " WHERE %s IS NOT NULL AND %s IS NOT NULL "
						 "AND %s IS NOT NULL ORDER BY %s", C, ev_cols, C, S, A, ev_order);
		p->rows = prepare(q.data, 0, NULL);
	}

	/*
	 * 1. the rows, locked in the customers' order, with their xmin, and each
	 * customer's events (none: one row of NULLs)
	 */
	types[0] = p->customer.array;
	resetStringInfo(&q);
	appendStringInfo(&q, "SELECT c.%s, c.xmin", C);
	cvfw_live_append_groups(&q, c, "c");
	appendStringInfo(&q, ", c.flow, c.trend, e.%s, e.%s, ", S, A);
	appendStringInfo(&q, "%s, %s%s FROM %s c LEFT JOIN %s e ON e.%s %s c.%s AND e.%s IS NOT NULL AND e.%s IS NOT NULL "
					 "WHERE c.%s %s ANY ($1::%s) ORDER BY c.%s, e.%s, e.%s",
					 c->value ? psprintf("CAST(e.%s AS pg_catalog.float8)", quote_identifier(c->value))
					 : "NULL::pg_catalog.float8",
					 c->cost ? psprintf("CAST(e.%s AS pg_catalog.float8)", quote_identifier(c->cost))
					 : "NULL::pg_catalog.float8",
					 eg.data, c->q_customers, events, C, eq, C, S, A,
					 C, eq, format_type_extended(p->customer.array, -1, FORMAT_TYPE_FORCE_QUALIFY),
					 C, A, S);
	for (i = 0; i < ng; i++)
		appendStringInfo(&q, ", e.%s", quote_identifier(c->groups[i]));
	appendStringInfoString(&q, " FOR UPDATE OF c");
	p->read = prepare(q.data, 1, types);

	/* 1b. the events again, with a snapshot taken after the lock */
	resetStringInfo(&q);
	appendStringInfo(&q, "SELECT %s, %s FROM %s WHERE %s %s ANY ($1::%s) AND %s IS NOT NULL AND %s IS NOT NULL "
					 "ORDER BY %s", C, ev_cols, events, C, eq,
					 format_type_extended(p->customer.array, -1, FORMAT_TYPE_FORCE_QUALIFY), S, A, ev_order);
	p->events = prepare(q.data, 1, types);

	/*
	 * 3. one statement: new rows (ON CONFLICT: someone else's row is left
	 * alone, and the key is not returned), updated and deleted rows, change
	 * rows; it returns the keys inserted and the change ids
	 */
	n = 0;
	resetStringInfo(&u);
	add_unnest(&u, &n, types, p->kind.array);
	add_unnest(&u, &n, types, p->customer.array);
	for (i = 0; i < ng; i++)
		add_unnest(&u, &n, types, p->group[i].array);
	add_unnest(&u, &n, types, p->flow.array);
	add_unnest(&u, &n, types, p->trend.array);
	resetStringInfo(&q);
	appendStringInfo(&q, "WITH d AS (SELECT * FROM ROWS FROM (%s) AS d(cvfw_kind, cvfw_k", u.data);
	for (i = 0; i < ng; i++)
		appendStringInfo(&q, ", cvfw_g%d", i + 1);
	appendStringInfoString(&q, ", cvfw_f, cvfw_t)), ");
	appendStringInfo(&q, "ins AS (INSERT INTO %s (%s%s, flow, trend) SELECT cvfw_k", c->q_customers, C, g.data);
	for (i = 0; i < ng; i++)
		appendStringInfo(&q, ", cvfw_g%d", i + 1);
	appendStringInfo(&q, ", cvfw_f, cvfw_t FROM d WHERE cvfw_kind OPERATOR(pg_catalog.=) 'i' "
					 "ON CONFLICT (%s) DO NOTHING RETURNING %s), ", C, C);
	appendStringInfo(&q, "upd AS (UPDATE %s t SET ", c->q_customers);
	for (i = 0; i < ng; i++)
		appendStringInfo(&q, "%s = d.cvfw_g%d, ", quote_identifier(c->groups[i]), i + 1);
	appendStringInfo(&q, "flow = d.cvfw_f, trend = d.cvfw_t FROM d WHERE d.cvfw_kind OPERATOR(pg_catalog.=) 'u' "
					 "AND t.%s %s d.cvfw_k), ", C, eq);
	appendStringInfo(&q, "del AS (DELETE FROM %s t USING d WHERE d.cvfw_kind OPERATOR(pg_catalog.=) 'd' "
					 "AND t.%s %s d.cvfw_k), ", c->q_customers, C, eq);
	/* the change rows: total, groups, added and removed flow and trend */
	{
		int			k = n;		/* the first of their parameters */
		StringInfoData r;

		types[n++] = p->boolean.array;
		for (i = 0; i < ng; i++)
			types[n++] = p->group[i].array;
		types[n++] = p->flow.array;
		types[n++] = p->flow.array;
		types[n++] = p->trend.array;
		types[n++] = p->trend.array;
		initStringInfo(&r);
		for (i = 0; i < ng + 5; i++)
			appendStringInfo(&r, "%spg_catalog.unnest($%d::%s)", i > 0 ? ", " : "", k + i + 1,
							 format_type_extended(types[k + i], -1, FORMAT_TYPE_FORCE_QUALIFY));
		appendStringInfo(&q, "chg AS (INSERT INTO %s (total%s, added_flow, removed_flow, added_trend, removed_trend) "
						 "SELECT * FROM ROWS FROM (%s) RETURNING id) ", c->q_changes, g.data, r.data);
		appendStringInfo(&q, "SELECT %s, NULL::pg_catalog.int8 FROM ins UNION ALL SELECT NULL, id FROM chg", C);
		p->write = prepare(q.data, n, types);

		/* the change rows alone (taking a conflicted new customer back out) */
		resetStringInfo(&q);
		resetStringInfo(&r);
		for (i = 0; i < ng + 5; i++)
			appendStringInfo(&r, "%spg_catalog.unnest($%d::%s)", i > 0 ? ", " : "", i + 1,
							 format_type_extended(types[k + i], -1, FORMAT_TYPE_FORCE_QUALIFY));
		appendStringInfo(&q, "INSERT INTO %s (total%s, added_flow, removed_flow, added_trend, removed_trend) "
						 "SELECT * FROM ROWS FROM (%s) RETURNING id", c->q_changes, g.data, r.data);
		p->changes = prepare(q.data, ng + 5, types + k);
	}

	/* TRUNCATE of the events empties every summary */
	p->truncate[0] = prepare(psprintf("DELETE FROM %s", c->q_customers), 0, NULL);
	p->truncate[1] = prepare(psprintf("DELETE FROM %s", c->q_changes), 0, NULL);
	p->truncate[2] = prepare(psprintf("DELETE FROM %s", c->q_groups), 0, NULL);
}

/*
 * The plans and the events table's column numbers hold while the table's
 * definition does: any change to it (a column dropped, renamed or added,
 * an index) invalidates its relcache entry, and the plans are built again
 * at the next statement, from the columns as they are then.
 */
static void
live_relcache_changed(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS seq;
	live_plans *p;

	(void) arg;
	if (live_cache == NULL)
		return;
	hash_seq_init(&seq, live_cache);
	while ((p = hash_seq_search(&seq)) != NULL)
		if (relid == InvalidOid || p->relid == relid)
			p->valid = false;
}

static void
free_plans(live_plans *p)
{
	SPIPlanPtr	plans[] = {p->rows, p->read, p->events, p->write, p->changes,
		p->truncate[0], p->truncate[1], p->truncate[2]};
	int			i;

	for (i = 0; i < (int) lengthof(plans); i++)
		if (plans[i] != NULL)
			SPI_freeplan(plans[i]);
	MemoryContextDelete(p->mcxt);
	p->kept = false;
}

static live_plans *
plans_for(Relation rel, Trigger *trig, live_event ev)
{
	live_plans *p;
	bool		found;
	Oid			ext_nsp;
	MemoryContext mcxt,
				old;

	if (live_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(live_plans);
		live_cache = hash_create("cvfw live plans", 16, &ctl, HASH_ELEM | HASH_BLOBS);
		CacheRegisterRelcacheCallback(live_relcache_changed, (Datum) 0);
	}
	p = hash_search(live_cache, &trig->tgoid, HASH_ENTER, &found);
	if (found && p->valid)
		return p;
	if (found && p->kept)
		free_plans(p);
	/* (a build that failed left plans kept by SPI behind: a small leak on error) */
	memset(((char *) p) + offsetof(live_plans, valid), 0, sizeof(live_plans) - offsetof(live_plans, valid));
	p->relid = RelationGetRelid(rel);
	ext_nsp = get_func_namespace(trig->tgfoid);
	/* built in a context of the transaction's, kept only when complete */
	mcxt = AllocSetContextCreate(CurTransactionContext, "cvfw live plans", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(mcxt);
	{
		char	  **args = palloc(sizeof(char *) * (trig->tgnargs + 1));
		int			i;

		for (i = 0; i < trig->tgnargs; i++)
			args[i] = pstrdup(trig->tgargs[i]);
		p->mcxt = mcxt;
		cvfw_live_config_parse(&p->cfg, trig->tgnargs, args, ext_nsp);
		build_plans(p, rel, ev, ext_nsp);
	}
	MemoryContextSwitchTo(old);
	MemoryContextSetParent(mcxt, CacheMemoryContext);
	p->kept = true;
	p->valid = true;
	return p;
}

/* --- values --------------------------------------------------------------------- */

static int
cmp_values(const col_type *t, Datum a, Datum b)
{
	return DatumGetInt32(FunctionCall2Coll((FmgrInfo *) &t->cmp, t->collation, a, b));
}

/* NULLs last, as ORDER BY puts them */
static int
cmp_nullable(const col_type *t, Datum a, bool an, Datum b, bool bn)
{
	if (an || bn)
		return (an ? 1 : 0) - (bn ? 1 : 0);
	return cmp_values(t, a, b);
}

static bool
bytes_equal(Datum a, Datum b)
{
	struct varlena *x = PG_DETOAST_DATUM_PACKED(a);
	struct varlena *y = PG_DETOAST_DATUM_PACKED(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

static bool
images_equal(const col_type *t, Datum a, bool an, Datum b, bool bn)
{
	if (an || bn)
		return an == bn;
	return datum_image_eq(a, b, t->byval, t->len);
}

static Datum
copy_value(const col_type *t, Datum d, bool isnull)
{
	return isnull ? (Datum) 0 : datumCopy(d, t->byval, t->len);
}

/* --- the rows an INSERT added --------------------------------------------------- */

/* one new event, with its customer and groups */
typedef struct trow
{
	Datum		key;
	cv_event	ev;
	Datum		g[MAXG];
	bool		gnull[MAXG];
} trow;

static live_plans *sort_plans;

static int
trow_cmp(const void *pa, const void *pb)
{
	const trow *a = pa,
			   *b = pb;
	int			r = cmp_values(&sort_plans->customer, a->key, b->key),
				i;

	if (r != 0)
		return r;
	if (a->ev.at != b->ev.at)
		return a->ev.at < b->ev.at ? -1 : 1;
	if (a->ev.stage != b->ev.stage)
		return a->ev.stage < b->ev.stage ? -1 : 1;
	for (i = 0; i < sort_plans->cfg.ngroups; i++)
	{
		r = cmp_nullable(&sort_plans->group[i], a->g[i], a->gnull[i], b->g[i], b->gnull[i]);
		if (r != 0)
			return r;
	}
	return 0;
}

/*
 * An event from its columns (stage, at, value, cost as float8s), checked as
 * the aggregates check them (the same errors); false when it has no stage
 * or no time.
 */
static bool
make_event(Datum *v, bool *nulls, cv_event *e)
{
	LOCAL_FCINFO(fcinfo, 4);
	int			i;

	InitFunctionCallInfoData(*fcinfo, NULL, 4, InvalidOid, NULL, NULL);
	for (i = 0; i < 4; i++)
	{
		fcinfo->args[i].value = v[i];
		fcinfo->args[i].isnull = nulls[i];
	}
	return cvfw_event_args(fcinfo, 0, e);
}

/* the valid events of a small INSERT's transition table, sorted */
static trow *
read_new_rows(live_plans *p, Relation rel, Tuplestorestate *ts, int *nrows)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	int64		count = tuplestore_tuple_count(ts);
	trow	   *rows = palloc(sizeof(trow) * (count + 1));
	int			n = 0,
				i,
				ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);

	/* a read pointer of our own: others may read the same transition table */
	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		trow	   *r = &rows[n];
		Datum		v[4];
		bool		isnull[4],
					knull;

		r->key = slot_getattr(slot, p->att_customer, &knull);
		if (knull)
			continue;
		v[0] = slot_getattr(slot, p->att_stage, &isnull[0]);
		v[1] = slot_getattr(slot, p->att_at, &isnull[1]);
		for (i = 0; i < 2; i++)
		{
			AttrNumber	a = i == 0 ? p->att_value : p->att_cost;

			isnull[2 + i] = true;
			v[2 + i] = (Datum) 0;
			if (a == InvalidAttrNumber)
				continue;
			v[2 + i] = slot_getattr(slot, a, &isnull[2 + i]);
			if (!isnull[2 + i] && p->has_cast[i])
				v[2 + i] = FunctionCall1(&p->to_float8[i], v[2 + i]);
		}
		if (!make_event(v, isnull, &r->ev))
			continue;
		r->key = copy_value(&p->customer, r->key, false);
		for (i = 0; i < p->cfg.ngroups; i++)
		{
			Datum		d = slot_getattr(slot, p->att_group[i], &r->gnull[i]);

			r->g[i] = copy_value(&p->group[i], d, r->gnull[i]);
		}
		n++;
	}
	tuplestore_select_read_pointer(ts, 0);
	ExecDropSingleTupleTableSlot(slot);
	sort_plans = p;
	qsort(rows, n, sizeof(trow), trow_cmp);
	*nrows = n;
	return rows;
}

/* the events of the rows query (customer, stage, at, value, cost, groups) as trows */
static void
tuptable_rows(live_plans *p, SPITupleTable *tt, uint64 from, uint64 to, trow *out, int *n, bool copy)
{
	uint64		r;
	int			i;

	for (r = from; r < to; r++)
	{
		trow	   *t = &out[*n];
		Datum		v[4];
		bool		isnull[4],
					knull;

		t->key = SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &knull);
		for (i = 0; i < 4; i++)
			v[i] = SPI_getbinval(tt->vals[r], tt->tupdesc, 2 + i, &isnull[i]);
		if (knull || !make_event(v, isnull, &t->ev))
			continue;
		for (i = 0; i < p->cfg.ngroups; i++)
			t->g[i] = SPI_getbinval(tt->vals[r], tt->tupdesc, 6 + i, &t->gnull[i]);
		if (copy)
		{
			t->key = copy_value(&p->customer, t->key, false);
			for (i = 0; i < p->cfg.ngroups; i++)
				t->g[i] = copy_value(&p->group[i], t->g[i], t->gnull[i]);
		}
		(*n)++;
	}
}

/* --- the keys an UPDATE or a DELETE touched ------------------------------------------ */

static live_plans *keys_plans;

static int
key_qsort_cmp(const void *a, const void *b)
{
	return cmp_values(&keys_plans->customer, *(const Datum *) a, *(const Datum *) b);
}

/* are the tracked columns of two versions of a row the same? */
static bool
tracked_same(live_plans *p, TupleTableSlot *a, TupleTableSlot *b, TupleDesc desc)
{
	AttrNumber	atts[MAXG + 5];
	int			n = 0,
				i;

	atts[n++] = p->att_customer;
	atts[n++] = p->att_stage;
	atts[n++] = p->att_at;
	if (p->att_value != InvalidAttrNumber)
		atts[n++] = p->att_value;
	if (p->att_cost != InvalidAttrNumber)
		atts[n++] = p->att_cost;
	for (i = 0; i < p->cfg.ngroups; i++)
		atts[n++] = p->att_group[i];
	for (i = 0; i < n; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, atts[i] - 1);
		bool		an,
					bn;
		Datum		x = slot_getattr(a, atts[i], &an),
					y = slot_getattr(b, atts[i], &bn);

		if (an != bn || (!an && !datum_image_eq(x, y, att->attbyval, att->attlen)))
			return false;
	}
	return true;
}

/*
 * The customers of the old rows (and of the new ones, for an UPDATE, pair
 * by pair: a pair whose tracked columns are the same changes nobody),
 * sorted and distinct.
 */
static Datum *
read_keys(live_plans *p, Relation rel, Tuplestorestate *olds, Tuplestorestate *news, int *nkeys)
{
	TupleDesc	desc = RelationGetDescr(rel);
	TupleTableSlot *a = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	TupleTableSlot *b = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int64		cap = 2 * tuplestore_tuple_count(olds) + 1;
	Datum	   *keys = palloc(sizeof(Datum) * cap);
	int			n = 0,
				i,
				j,
				pa = tuplestore_alloc_read_pointer(olds, EXEC_FLAG_REWIND),
				pb = news ? tuplestore_alloc_read_pointer(news, EXEC_FLAG_REWIND) : 0;

	tuplestore_select_read_pointer(olds, pa);
	tuplestore_rescan(olds);
	if (news)
	{
		tuplestore_select_read_pointer(news, pb);
		tuplestore_rescan(news);
	}
	/* an UPDATE's old and new transition rows come in pairs, in the same order */
	while (tuplestore_gettupleslot(olds, true, false, a))
	{
		bool		isnull;
		Datum		k;

		if (news)
		{
			if (!tuplestore_gettupleslot(news, true, false, b))
				elog(ERROR, "cvfw_live: an UPDATE's transition tables differ in length");
			if (tracked_same(p, a, b, desc))
				continue;
			k = slot_getattr(b, p->att_customer, &isnull);
			if (!isnull)
				keys[n++] = copy_value(&p->customer, k, false);
		}
		k = slot_getattr(a, p->att_customer, &isnull);
		if (!isnull)
			keys[n++] = copy_value(&p->customer, k, false);
		if ((n & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	tuplestore_select_read_pointer(olds, 0);
	if (news)
		tuplestore_select_read_pointer(news, 0);
	ExecDropSingleTupleTableSlot(a);
	ExecDropSingleTupleTableSlot(b);
	keys_plans = p;
	qsort(keys, n, sizeof(Datum), key_qsort_cmp);
	for (i = 0, j = 0; i < n; i++)
		if (j == 0 || cmp_values(&p->customer, keys[j - 1], keys[i]) != 0)
			keys[j++] = keys[i];
	*nkeys = j;
	return keys;
}

/* --- the change rows: summed per group, and for everyone ----------------------------- */

static void
sums_init(live_plans *p, cvfw_live_sums *s)
{
	cvfw_live_gtype gt[MAXG];
	int			i;

	for (i = 0; i < p->cfg.ngroups; i++)
	{
		gt[i].len = p->group[i].len;
		gt[i].byval = p->group[i].byval;
	}
	cvfw_live_sums_init(s, p->cfg.ngroups, gt);
}

/* the sum a customer's summaries go to: their group's (everyone's, without groups) */
static cvfw_live_sum *
sum_of(live_plans *p, cvfw_live_sums *s, const Datum *g, const bool *gnull)
{
	return cvfw_live_sums_find(s, p->cfg.ngroups == 0, g, gnull);
}

/* the change rows as plan arguments (total, groups, added/removed flow/trend) */
static int
sums_args(live_plans *p, cvfw_live_sums *s, Datum *args, char *argnulls)
{
	int			ng = p->cfg.ngroups,
				ncols = ng + 5,
				n = 0,
				i,
				col;
	Datum	   *v[MAXG + 5];
	bool	   *nl[MAXG + 5];
	const col_type *t[MAXG + 5];

	cvfw_live_sums_total(s);
	t[0] = &p->boolean;
	for (i = 0; i < ng; i++)
		t[1 + i] = &p->group[i];
	t[ng + 1] = t[ng + 2] = &p->flow;
	t[ng + 3] = t[ng + 4] = &p->trend;
	for (col = 0; col < ncols; col++)
	{
		v[col] = palloc(sizeof(Datum) * (s->n + 1));
		nl[col] = palloc(sizeof(bool) * (s->n + 1));
	}
	for (i = 0; i < s->cap; i++)
	{
		cvfw_live_sum *e = &s->slots[i];
		int			k;

		if (!e->used || (e->added_flow.customers == 0 && e->removed_flow.customers == 0))
			continue;
		v[0][n] = BoolGetDatum(e->total);
		nl[0][n] = false;
		for (k = 0; k < ng; k++)
		{
			v[1 + k][n] = e->g[k];
			nl[1 + k][n] = e->gnull[k];
		}
		nl[ng + 1][n] = e->added_flow.customers == 0;
		v[ng + 1][n] = nl[ng + 1][n] ? (Datum) 0 : cvfw_flow_to_datum(&e->added_flow);
		nl[ng + 2][n] = e->removed_flow.customers == 0;
		v[ng + 2][n] = nl[ng + 2][n] ? (Datum) 0 : cvfw_flow_to_datum(&e->removed_flow);
		nl[ng + 3][n] = e->added_trend.customers == 0;
		v[ng + 3][n] = nl[ng + 3][n] ? (Datum) 0 : cvfw_trend_to_datum(&e->added_trend);
		nl[ng + 4][n] = e->removed_trend.customers == 0;
		v[ng + 4][n] = nl[ng + 4][n] ? (Datum) 0 : cvfw_trend_to_datum(&e->removed_trend);
		n++;
	}
	for (col = 0; col < ncols; col++)
	{
		int			dims[1] = {n};
		int			lbs[1] = {1};

		args[col] = PointerGetDatum(construct_md_array(v[col], nl[col], 1, dims, lbs, t[col]->type,
													   t[col]->len, t[col]->byval, t[col]->align));
		argnulls[col] = ' ';
	}
	return n;
}

/* --- one chunk of customers ----------------------------------------------------- */

typedef enum live_kind
{
	KIND_NONE,					/* no row before, none after */
	KIND_INSERT,
	KIND_UPDATE,				/* also when nothing changed: the row is written all the same */
	KIND_DELETE
} live_kind;

typedef struct live_customer
{
	Datum		key;
	const trow *new_rows;		/* an INSERT's events of the customer, or NULL */
	int			n_new;
	bool		found;			/* a row, locked */
	bool		stale;			/* its events must be read again */
	HeapTuple	old;			/* the first row of the read for it */
	cv_event   *ev;				/* its events, in order */
	int			nev;
	Datum		g[MAXG];		/* the group of its last event */
	bool		gnull[MAXG];
	Datum		flow,
				trend;
	live_kind	kind;
	bool		changed;		/* the summaries or the group differ from the old row's */
} live_customer;

/* SPI_execute_snapshot with a new snapshot, failing on anything unexpected */
static void
run(SPIPlanPtr plan, Datum *args, char *nulls, Snapshot snap, int expect)
{
	int			rc = SPI_execute_snapshot(plan, args, nulls, snap ? snap : GetLatestSnapshot(),
										  InvalidSnapshot, false, true, 0);

	if (rc != expect)
		elog(ERROR, "cvfw_live: a statement failed (%s)", SPI_result_code_string(rc));
}

static Datum
key_array(live_plans *p, live_customer *cs, int n, bool (*want) (const live_customer *))
{
	Datum	   *k = palloc(sizeof(Datum) * (n + 1));
	int			m = 0,
				i;
	int			dims[1];
	int			lbs[1] = {1};

	for (i = 0; i < n; i++)
		if (want == NULL || want(&cs[i]))
			k[m++] = cs[i].key;
	dims[0] = m;
	return PointerGetDatum(construct_md_array(k, NULL, 1, dims, lbs, p->customer.type, p->customer.len,
											  p->customer.byval, p->customer.align));
}

static bool
needs_events(const live_customer *c)
{
	return c->stale || (!c->found && c->new_rows == NULL);
}

/* append events of trows to a customer's list */
static void
take_events(live_customer *c, const trow *rows, int n)
{
	int			i;

	c->ev = palloc(sizeof(cv_event) * (n + 1));
	for (i = 0; i < n; i++)
		c->ev[i] = rows[i].ev;
	c->nev = n;
}

/*
 * Work out and write the summaries of the customers cs[0..n) (sorted by
 * key, distinct); the change ids written widen [*min_id, *max_id].
 */
static void
do_chunk(live_plans *p, live_customer *cs, int n, int64 *min_id, int64 *max_id)
{
	int			ng = p->cfg.ngroups;
	int			i,
				k,
				col;
	Datum		args[2 * MAXG + 16];
	char		argnulls[2 * MAXG + 16];
	Snapshot	snap;
	SPITupleTable *tt,
			   *et = NULL;
	uint64		nrows,
				r = 0;
	cvfw_live_sums sums;
	live_customer **conflicts;
	int			nconflicts = 0;
	bool		isnull;

	/* 1. lock the rows there are; read them and the customers' events */
	args[0] = key_array(p, cs, n, NULL);
	argnulls[0] = ' ';
	snap = RegisterSnapshot(GetLatestSnapshot());
	run(p->read, args, argnulls, snap, SPI_OK_SELECT);
	tt = SPI_tuptable;
	nrows = SPI_processed;
	for (i = 0; i < n; i++)
	{
		live_customer *c = &cs[i];
		uint64		first;
		int			m = 0;

		CHECK_FOR_INTERRUPTS();
		while (r < nrows && cmp_values(&p->customer, SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &isnull),
									   c->key) < 0)
			r++;
		first = r;
		while (r < nrows && cmp_values(&p->customer, SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &isnull),
									   c->key) == 0)
			r++;
		if (r == first)
			continue;
		c->found = true;
		c->old = tt->vals[first];
		/* written by a transaction our snapshot does not see: read the events again */
		{
			TransactionId xmin = DatumGetTransactionId(SPI_getbinval(c->old, tt->tupdesc, 2, &isnull));

			c->stale = !TransactionIdIsCurrentTransactionId(xmin) && XidInMVCCSnapshot(xmin, snap);
		}
		if (c->stale)
			continue;
		c->ev = palloc(sizeof(cv_event) * (r - first + 1));
		for (; first < r; first++)
		{
			Datum		v[4];
			bool		vn[4];

			/* after key, xmin, groups, flow, trend: stage, at, value, cost, the event's groups */
			for (k = 0; k < 4; k++)
				v[k] = SPI_getbinval(tt->vals[first], tt->tupdesc, 5 + ng + k, &vn[k]);
			if (make_event(v, vn, &c->ev[m]))
			{
				m++;
				for (k = 0; k < ng; k++)
					c->g[k] = SPI_getbinval(tt->vals[first], tt->tupdesc, 9 + ng + k, &c->gnull[k]);
			}
		}
		c->nev = m;
	}
	UnregisterSnapshot(snap);

	/* 1b. the events of the stale rows and of customers new to the table, read now */
	for (i = 0; i < n && !needs_events(&cs[i]); i++)
		;
	if (i < n)
	{
		uint64		ne,
					e = 0;

		args[0] = key_array(p, cs, n, needs_events);
		run(p->events, args, argnulls, NULL, SPI_OK_SELECT);
		et = SPI_tuptable;
		ne = SPI_processed;
		for (i = 0; i < n; i++)
		{
			live_customer *c = &cs[i];
			uint64		first;
			trow	   *rows;
			int			m = 0;

			if (!needs_events(c))
				continue;
			while (e < ne && cmp_values(&p->customer, SPI_getbinval(et->vals[e], et->tupdesc, 1, &isnull),
										c->key) < 0)
				e++;
			first = e;
			while (e < ne && cmp_values(&p->customer, SPI_getbinval(et->vals[e], et->tupdesc, 1, &isnull),
										c->key) == 0)
				e++;
			rows = palloc(sizeof(trow) * (e - first + 1));
			tuptable_rows(p, et, first, e, rows, &m, false);
			take_events(c, rows, m);
			if (m > 0)
				for (k = 0; k < ng; k++)
				{
					c->g[k] = rows[m - 1].g[k];
					c->gnull[k] = rows[m - 1].gnull[k];
				}
		}
	}

	/* 2. the summaries; what becomes of each row; the changes, summed */
	sums_init(p, &sums);
	for (i = 0; i < n; i++)
	{
		live_customer *c = &cs[i];

		if (!c->found && c->new_rows != NULL)
		{
			/* an INSERT's new customer: its events are the statement's */
			take_events(c, c->new_rows, c->n_new);
			if (c->n_new > 0)
				for (k = 0; k < ng; k++)
				{
					c->g[k] = c->new_rows[c->n_new - 1].g[k];
					c->gnull[k] = c->new_rows[c->n_new - 1].gnull[k];
				}
		}
		if (c->nev > 0)
		{
			c->flow = cvfw_customer_flow_datum(c->ev, c->nev);
			c->trend = cvfw_customer_trend_datum(c->ev, c->nev);
		}
		if (c->found)
		{
			Datum		oldg[MAXG];
			bool		oldgnull[MAXG];
			Datum		oldflow = SPI_getbinval(c->old, tt->tupdesc, 3 + ng, &isnull),
						oldtrend = SPI_getbinval(c->old, tt->tupdesc, 4 + ng, &isnull);

			for (k = 0; k < ng; k++)
				oldg[k] = SPI_getbinval(c->old, tt->tupdesc, 3 + k, &oldgnull[k]);
			c->kind = c->nev > 0 ? KIND_UPDATE : KIND_DELETE;
			c->changed = c->kind == KIND_DELETE || !bytes_equal(oldflow, c->flow) ||
				!bytes_equal(oldtrend, c->trend);
			for (k = 0; k < ng && !c->changed; k++)
				c->changed = !images_equal(&p->group[k], oldg[k], oldgnull[k], c->g[k], c->gnull[k]);
			if (c->changed)
			{
				cvfw_live_sum *e = sum_of(p, &sums, oldg, oldgnull);

				cvfw_flow_from_datum(oldflow, &e->removed_flow);
				cvfw_trend_from_datum(oldtrend, &e->removed_trend);
			}
		}
		else
		{
			c->kind = c->nev > 0 ? KIND_INSERT : KIND_NONE;
			c->changed = c->kind == KIND_INSERT;
		}
		if (c->changed && c->nev > 0)
		{
			/* added straight from the events: the same as adding their summary */
			cvfw_live_sum *e = sum_of(p, &sums, c->g, c->gnull);

			cvfw_flow_check(cv_flow_add_customer(&e->added_flow, c->ev, c->nev), NULL);
			cvfw_trend_check(cv_trend_add_customer(&e->added_trend, c->ev, c->nev), NULL);
		}
	}

	/* 3. the rows and the changes, in one statement */
	{
		int			m = 0,
					nargs;
		Datum	   *v[MAXG + 4];
		bool	   *nl[MAXG + 4];
		const col_type *t[MAXG + 4];

		t[0] = &p->kind;
		t[1] = &p->customer;
		for (k = 0; k < ng; k++)
			t[2 + k] = &p->group[k];
		t[2 + ng] = &p->flow;
		t[3 + ng] = &p->trend;
		for (col = 0; col < ng + 4; col++)
		{
			v[col] = palloc(sizeof(Datum) * (n + 1));
			nl[col] = palloc0(sizeof(bool) * (n + 1));
		}
		for (i = 0; i < n; i++)
		{
			live_customer *c = &cs[i];

			if (c->kind == KIND_NONE)
				continue;
			v[0][m] = CharGetDatum(c->kind == KIND_INSERT ? 'i' : c->kind == KIND_UPDATE ? 'u' : 'd');
			v[1][m] = c->key;
			for (k = 0; k < ng; k++)
			{
				v[2 + k][m] = c->g[k];
				nl[2 + k][m] = c->kind == KIND_DELETE || c->gnull[k];
			}
			v[2 + ng][m] = c->flow;
			v[3 + ng][m] = c->trend;
			nl[2 + ng][m] = nl[3 + ng][m] = c->kind == KIND_DELETE;
			m++;
		}
		for (col = 0; col < ng + 4; col++)
		{
			int			dims[1] = {m};
			int			lbs[1] = {1};

			args[col] = PointerGetDatum(construct_md_array(v[col], nl[col], 1, dims, lbs, t[col]->type,
														   t[col]->len, t[col]->byval, t[col]->align));
			argnulls[col] = ' ';
		}
		nargs = ng + 4;
		(void) sums_args(p, &sums, args + nargs, argnulls + nargs);
		run(p->write, args, argnulls, NULL, SPI_OK_SELECT);
	}

	/* the keys inserted and the change ids; a new customer not inserted conflicted */
	{
		Datum	   *inserted = palloc(sizeof(Datum) * (SPI_processed + 1));
		int			ninserted = 0,
					j = 0;

		for (r = 0; r < SPI_processed; r++)
		{
			Datum		d = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull);

			if (!isnull)
			{
				*min_id = Min(*min_id, DatumGetInt64(d));
				*max_id = Max(*max_id, DatumGetInt64(d));
			}
			else
				inserted[ninserted++] = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
		}
		keys_plans = p;
		qsort(inserted, ninserted, sizeof(Datum), key_qsort_cmp);
		conflicts = palloc(sizeof(live_customer *) * (n + 1));
		for (i = 0; i < n; i++)
		{
			if (cs[i].kind != KIND_INSERT)
				continue;
			while (j < ninserted && cmp_values(&p->customer, inserted[j], cs[i].key) < 0)
				j++;
			if (j >= ninserted || cmp_values(&p->customer, inserted[j], cs[i].key) != 0)
				conflicts[nconflicts++] = &cs[i];
		}
		SPI_freetuptable(SPI_tuptable);
	}

	/*
	 * Someone else inserted a new customer's row meanwhile: take what this
	 * chunk added for them back out (a change row of its own), then go
	 * round again with their row to lock.
	 */
	if (nconflicts > 0)
	{
		live_customer *again = palloc0(sizeof(live_customer) * nconflicts);

		sums_init(p, &sums);
		for (i = 0; i < nconflicts; i++)
		{
			cvfw_live_sum *e = sum_of(p, &sums, conflicts[i]->g, conflicts[i]->gnull);

			cvfw_flow_from_datum(conflicts[i]->flow, &e->removed_flow);
			cvfw_trend_from_datum(conflicts[i]->trend, &e->removed_trend);
			again[i].key = conflicts[i]->key;
		}
		(void) sums_args(p, &sums, args, argnulls);
		run(p->changes, args, argnulls, NULL, SPI_OK_INSERT_RETURNING);
		for (r = 0; r < SPI_processed; r++)
		{
			int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));

			*min_id = Min(*min_id, id);
			*max_id = Max(*max_id, id);
		}
		SPI_freetuptable(SPI_tuptable);
		do_chunk(p, again, nconflicts, min_id, max_id);
	}
	SPI_freetuptable(tt);
	if (et != NULL)
		SPI_freetuptable(et);
}

/* --- the trigger ----------------------------------------------------------------- */

/* customers with their INSERT rows (sorted) into a chunk, run it */
static void
chunk_of_rows(live_plans *p, trow *rows, int nrows, int64 *min_id, int64 *max_id)
{
	live_customer *cs = palloc0(sizeof(live_customer) * (nrows + 1));
	int			n = 0,
				i;

	for (i = 0; i < nrows; i++)
	{
		if (n == 0 || cmp_values(&p->customer, cs[n - 1].key, rows[i].key) != 0)
		{
			cs[n].key = rows[i].key;
			cs[n].new_rows = &rows[i];
			n++;
		}
		cs[n - 1].n_new++;
	}
	do_chunk(p, cs, n, min_id, max_id);
}

Datum
cvfw_live_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	live_event	ev;
	live_plans *p;
	cvfw_live_user user;
	MemoryContext work,
				old;
	int64		min_id = PG_INT64_MAX,
				max_id = PG_INT64_MIN;
	int			guc_level;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_live_trigger: must be called as an AFTER ... FOR EACH STATEMENT trigger"),
				 errhint("Attach tracking with cvfw_track().")));
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ev = LIVE_INSERT;
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ev = LIVE_UPDATE;
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ev = LIVE_DELETE;
	else
		ev = LIVE_TRUNCATE;
	if (ev != LIVE_TRUNCATE && ((ev != LIVE_DELETE && td->tg_newtable == NULL) ||
								(ev != LIVE_INSERT && td->tg_oldtable == NULL)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_live_trigger: the trigger has no transition tables"),
				 errhint("Attach tracking with cvfw_track().")));

	cvfw_live_as_owner(td->tg_relation->rd_rel->relowner, &user);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cvfw_live: SPI_connect failed");
	/* the transition tables, by name, before the plans that read them are prepared */
	if (ev != LIVE_TRUNCATE && SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "cvfw_live: SPI_register_trigger_data failed");
	guc_level = cvfw_live_settings(true);
	p = plans_for(td->tg_relation, td->tg_trigger, ev);
	work = AllocSetContextCreate(CurrentMemoryContext, "cvfw live chunk", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);

	if (ev == LIVE_TRUNCATE)
	{
		int			i;

		for (i = 0; i < 3; i++)
			run(p->truncate[i], NULL, NULL, NULL, SPI_OK_DELETE);
	}
	else if (ev == LIVE_INSERT && tuplestore_tuple_count(td->tg_newtable) <= CVFW_LIVE_INLINE_ROWS)
	{
		int			nrows,
					from = 0,
					to;
		trow	   *rows = read_new_rows(p, td->tg_relation, td->tg_newtable, &nrows);

		/* chunks of whole customers */
		while (from < nrows)
		{
			int			customers = 0;

			for (to = from; to < nrows; to++)
				if (to == from || cmp_values(&p->customer, rows[to - 1].key, rows[to].key) != 0)
				{
					if (customers == CVFW_LIVE_CHUNK)
						break;
					customers++;
				}
			chunk_of_rows(p, rows + from, to - from, &min_id, &max_id);
			from = to;
		}
	}
	else if (ev == LIVE_INSERT)
	{
		/* a large INSERT: its events streamed, sorted, whole customers per chunk */
		Portal		cur = SPI_cursor_open(NULL, p->rows, NULL, NULL, true);
		trow	   *buf = NULL;
		int			nbuf = 0,
					cap = 0;
		MemoryContext chunk = AllocSetContextCreate(work, "cvfw live rows", ALLOCSET_DEFAULT_SIZES);

		for (;;)
		{
			int			i,
						customers = 0,
						cut;
			uint64		fetched;

			MemoryContextSwitchTo(chunk);
			SPI_cursor_fetch(cur, true, 4 * CVFW_LIVE_CHUNK);
			fetched = SPI_processed;
			if (fetched > 0)
			{
				if (nbuf + (int) fetched > cap)
				{
					cap = Max(2 * cap, nbuf + (int) fetched);
					buf = buf == NULL ? palloc(sizeof(trow) * cap) : repalloc(buf, sizeof(trow) * cap);
				}
				tuptable_rows(p, SPI_tuptable, 0, fetched, buf, &nbuf, true);
				SPI_freetuptable(SPI_tuptable);
				/* enough customers: all but the last (it may go on in the next fetch) */
				for (i = 0; i < nbuf; i++)
					if (i == 0 || cmp_values(&p->customer, buf[i - 1].key, buf[i].key) != 0)
						customers++;
				if (customers <= CVFW_LIVE_CHUNK)
					continue;
				for (cut = nbuf - 1; cut > 0 && cmp_values(&p->customer, buf[cut - 1].key, buf[cut].key) == 0;
					 cut--)
					;
			}
			else
				cut = nbuf;
			if (cut > 0)
			{
				MemoryContext next = AllocSetContextCreate(work, "cvfw live rows", ALLOCSET_DEFAULT_SIZES);
				trow	   *rest;

				MemoryContextSwitchTo(chunk);
				chunk_of_rows(p, buf, cut, &min_id, &max_id);
				/* the last customer's rows go on into the next chunk */
				MemoryContextSwitchTo(next);
				cap = Max(nbuf - cut, 64);
				rest = palloc(sizeof(trow) * cap);
				for (i = cut; i < nbuf; i++)
				{
					int			k;

					rest[i - cut] = buf[i];
					rest[i - cut].key = copy_value(&p->customer, buf[i].key, false);
					for (k = 0; k < p->cfg.ngroups; k++)
						rest[i - cut].g[k] = copy_value(&p->group[k], buf[i].g[k], buf[i].gnull[k]);
				}
				nbuf -= cut;
				buf = rest;
				MemoryContextDelete(chunk);
				chunk = next;
			}
			if (fetched == 0 && nbuf == 0)
				break;
		}
		SPI_cursor_close(cur);
	}
	else
	{
		int			nkeys,
					from;
		Datum	   *keys = read_keys(p, td->tg_relation, td->tg_oldtable,
									 ev == LIVE_UPDATE ? td->tg_newtable : NULL, &nkeys);

		for (from = 0; from < nkeys; from += CVFW_LIVE_CHUNK)
		{
			int			n = Min(CVFW_LIVE_CHUNK, nkeys - from),
						i;
			MemoryContext chunk = AllocSetContextCreate(work, "cvfw live keys", ALLOCSET_DEFAULT_SIZES);
			live_customer *cs;

			MemoryContextSwitchTo(chunk);
			cs = palloc0(sizeof(live_customer) * n);
			for (i = 0; i < n; i++)
				cs[i].key = keys[from + i];
			do_chunk(p, cs, n, &min_id, &max_id);
			MemoryContextSwitchTo(work);
			MemoryContextDelete(chunk);
		}
	}

	/* the change ids passed a multiple of CVFW_LIVE_COMPACT_EVERY: fold them in */
	if (max_id >= min_id &&
		max_id / CVFW_LIVE_COMPACT_EVERY != (min_id - 1) / CVFW_LIVE_COMPACT_EVERY)
	{
		int64		folded;

		(void) cvfw_live_compact_now(&p->cfg, RelationGetRelid(td->tg_relation), false, false, &folded);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	cvfw_live_settings_end(guc_level);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "cvfw_live: SPI_finish failed");
	cvfw_live_as_caller(&user);
	return PointerGetDatum(NULL);
}
