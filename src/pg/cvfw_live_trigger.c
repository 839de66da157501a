/*
 * cvfw_live_trigger.c — the statement trigger that keeps a tracked events
 * table's summaries current (doc/live.md, "How it works").
 *
 * At the end of each INSERT, UPDATE, DELETE, COPY or MERGE statement on the
 * events table, the customers the statement touched (from its transition
 * tables), in their sort order and in chunks:
 *   1. their summary rows are locked (FOR UPDATE) and read: the old
 *      summaries and groups;
 *   2. their events are read back from the table and each customer's flow
 *      summary and trend built afresh, with the very functions the batch
 *      aggregates cvfw_flow() and cvfw_trend() use, so the bytes are the
 *      batch's; the group is the one on the customer's last event;
 *   3. the summary rows are inserted, updated or deleted (a customer left
 *      with no usable event), and one change row per group and one for
 *      everyone records what the statement added and removed.
 * Every statement of steps 1-3 reads with a snapshot taken when it starts
 * (not the transaction's): once a customer's row is locked, no one else can
 * commit a change to that customer's events (their own trigger would need
 * the lock first), so what is read is the committed events plus ours, in
 * READ COMMITTED, REPEATABLE READ and SERIALIZABLE alike.  A new customer
 * has no row to lock: when two transactions add the same new customer, the
 * second one's INSERT ... ON CONFLICT finds the first's row, and that
 * customer goes round again (locked, read, updated).  Nothing but the
 * customer's own row is written by every writer: the change rows are only
 * ever appended, so writers of different customers never wait for each
 * other; from time to time (every CVFW_LIVE_COMPACT_EVERY change rows) a
 * writer folds the pending changes into the compacted sums, unless another
 * is doing it (pg_live.c).
 *
 * The work runs as the events table's owner (pg_live.h), through plans
 * prepared once per trigger and backend.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "parser/parse_relation.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "pg_compat.h"
#include "pg_flow.h"
#include "pg_live.h"
#include "pg_trend.h"

PG_FUNCTION_INFO_V1(cvfw_live_trigger);

/* customers handled per round of statements */
#define CVFW_LIVE_CHUNK 5000
/* a compaction is tried when the change ids pass a multiple of this */
#define CVFW_LIVE_COMPACT_EVERY 128

typedef enum live_event
{
	LIVE_INSERT,
	LIVE_UPDATE,
	LIVE_DELETE,
	LIVE_EVENTS
} live_event;

/* a column's type, for arrays of it */
typedef struct col_type
{
	Oid			type;
	Oid			array;
	int16		len;
	bool		byval;
	char		align;
} col_type;

/* what one trigger needs, prepared once per backend */
typedef struct live_plans
{
	Oid			trigger;		/* hash key */
	bool		valid;
	MemoryContext mcxt;
	cvfw_live_config cfg;
	col_type	customer;
	Oid			customer_coll;
	FmgrInfo	customer_cmp;
	col_type	group[CVFW_LIVE_MAX_GROUPS];
	col_type	flow;
	col_type	trend;
	SPIPlanPtr	keys;			/* the customers the statement touched */
	SPIPlanPtr	lock;			/* 1. lock and read their rows */
	SPIPlanPtr	events;			/* 2. their events */
	SPIPlanPtr	insert;			/* 3. new rows */
	SPIPlanPtr	update;
	SPIPlanPtr	delete;
	SPIPlanPtr	changes;
	SPIPlanPtr	truncate[3];
} live_plans;

static HTAB *live_cache = NULL;

/* --- preparing ---------------------------------------------------------------- */

static void
col_type_of(Oid type, col_type *t)
{
	t->type = type;
	t->array = get_array_type(type);
	if (!OidIsValid(t->array))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cvfw_live: type %s has no array type", format_type_be(type))));
	get_typlenbyvalalign(type, &t->len, &t->byval, &t->align);
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

static SPIPlanPtr
prepare(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

	if (p == NULL)
		elog(ERROR, "cvfw_live: SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result), sql);
	SPI_keepplan(p);
	return p;
}

/* "$a::type[]" for a parameter, qualified */
static char *
param(int n, Oid array)
{
	return psprintf("$%d::%s", n, format_type_extended(array, -1, FORMAT_TYPE_FORCE_QUALIFY));
}

static void
build_plans(live_plans *p, Relation rel, Trigger *trig, live_event ev, Oid ext_nsp)
{
	cvfw_live_config *c = &p->cfg;
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *events = psprintf("%s.%s",
								  quote_identifier(get_namespace_name(RelationGetNamespace(rel))),
								  quote_identifier(RelationGetRelationName(rel)));
	const char *C = quote_identifier(c->customer);
	Form_pg_attribute ca = TupleDescAttr(desc, column_of(rel, c->customer) - 1);
	TypeCacheEntry *tc = lookup_type_cache(ca->atttypid, TYPECACHE_EQ_OPR | TYPECACHE_CMP_PROC_FINFO);
	char	   *eq;
	StringInfoData q,
				g,
				u;
	Oid			types[CVFW_LIVE_MAX_GROUPS + 4];
	int			i,
				n;
	const char *pg = "pg_catalog";

	if (!OidIsValid(tc->eq_opr) || !OidIsValid(tc->cmp_proc_finfo.fn_oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("cvfw_live: the customer column's type %s has no btree operator class",
						format_type_be(ca->atttypid))));
	eq = cvfw_live_operator(tc->eq_opr);
	col_type_of(ca->atttypid, &p->customer);
	p->customer_coll = ca->attcollation;
	fmgr_info_cxt(tc->cmp_proc_finfo.fn_oid, &p->customer_cmp, p->mcxt);
	for (i = 0; i < c->ngroups; i++)
		col_type_of(TupleDescAttr(desc, column_of(rel, c->groups[i]) - 1)->atttypid, &p->group[i]);
	(void) column_of(rel, c->stage);
	(void) column_of(rel, c->at);
	if (c->value != NULL)
		(void) column_of(rel, c->value);
	if (c->cost != NULL)
		(void) column_of(rel, c->cost);
	col_type_of(ext_type(ext_nsp, "cvfw_flow"), &p->flow);
	col_type_of(ext_type(ext_nsp, "cvfw_trend"), &p->trend);
	initStringInfo(&g);
	cvfw_live_append_groups(&g, c, NULL);

	/* the customers the statement touched, in their order (none for TRUNCATE) */
	initStringInfo(&q);
	if (ev == LIVE_EVENTS)
		p->keys = NULL;
	else if (ev == LIVE_UPDATE)
		appendStringInfo(&q, "SELECT %s FROM " CVFW_LIVE_NEW " WHERE %s IS NOT NULL UNION "
						 "SELECT %s FROM " CVFW_LIVE_OLD " WHERE %s IS NOT NULL ORDER BY 1", C, C, C, C);
	else
		appendStringInfo(&q, "SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL ORDER BY 1", C,
						 ev == LIVE_INSERT ? CVFW_LIVE_NEW : CVFW_LIVE_OLD, C);
	if (ev != LIVE_EVENTS)
		p->keys = prepare(q.data, 0, NULL);

	/* 1. their rows, locked in that order */
	types[0] = p->customer.array;
	resetStringInfo(&q);
	appendStringInfo(&q, "SELECT %s%s, flow, trend FROM %s WHERE %s %s ANY (%s) ORDER BY 1 FOR UPDATE",
					 C, g.data, c->q_customers, C, eq, param(1, p->customer.array));
	p->lock = prepare(q.data, 1, types);

	/* 2. their events, by customer and time; the group of the last one wins */
	resetStringInfo(&q);
	appendStringInfo(&q, "SELECT %s, %s, %s, ", C, quote_identifier(c->stage), quote_identifier(c->at));
	if (c->value != NULL)
		appendStringInfo(&q, "CAST(%s AS %s.float8), ", quote_identifier(c->value), pg);
	else
		appendStringInfo(&q, "NULL::%s.float8, ", pg);
	if (c->cost != NULL)
		appendStringInfo(&q, "CAST(%s AS %s.float8)", quote_identifier(c->cost), pg);
	else
		appendStringInfo(&q, "NULL::%s.float8", pg);
	appendStringInfo(&q, "%s FROM %s WHERE %s %s ANY (%s) AND %s IS NOT NULL AND %s IS NOT NULL "
					 "ORDER BY 1, 3, 2",
					 g.data, events, C, eq, param(1, p->customer.array),
					 quote_identifier(c->stage), quote_identifier(c->at));
	for (i = 0; i < c->ngroups; i++)
		appendStringInfo(&q, ", %d", 6 + i);
	p->events = prepare(q.data, 1, types);

	/* 3. the writes, from arrays: customer, groups, flow, trend */
	n = 0;
	initStringInfo(&u);
	/* ROWS FROM (unnest(...), ...): the many-array UNNEST, schema-qualified */
	types[n] = p->customer.array;
	appendStringInfo(&u, "ROWS FROM (%s.unnest(%s)", pg, param(++n, p->customer.array));
	for (i = 0; i < c->ngroups; i++)
	{
		types[n] = p->group[i].array;
		appendStringInfo(&u, ", %s.unnest(%s)", pg, param(++n, p->group[i].array));
	}
	types[n] = p->flow.array;
	appendStringInfo(&u, ", %s.unnest(%s)", pg, param(++n, p->flow.array));
	types[n] = p->trend.array;
	appendStringInfo(&u, ", %s.unnest(%s)) AS u(cvfw_k", pg, param(++n, p->trend.array));
	for (i = 0; i < c->ngroups; i++)
		appendStringInfo(&u, ", cvfw_g%d", i + 1);
	appendStringInfoString(&u, ", cvfw_f, cvfw_t)");

	resetStringInfo(&q);
	appendStringInfo(&q, "INSERT INTO %s (%s%s, flow, trend) SELECT * FROM %s ON CONFLICT (%s) DO NOTHING "
					 "RETURNING %s", c->q_customers, C, g.data, u.data, C, C);
	p->insert = prepare(q.data, n, types);

	resetStringInfo(&q);
	appendStringInfo(&q, "UPDATE %s AS t SET ", c->q_customers);
	for (i = 0; i < c->ngroups; i++)
		appendStringInfo(&q, "%s = u.cvfw_g%d, ", quote_identifier(c->groups[i]), i + 1);
	appendStringInfo(&q, "flow = u.cvfw_f, trend = u.cvfw_t FROM %s WHERE t.%s %s u.cvfw_k",
					 u.data, C, eq);
	p->update = prepare(q.data, n, types);

	resetStringInfo(&q);
	appendStringInfo(&q, "DELETE FROM %s WHERE %s %s ANY (%s)", c->q_customers, C, eq,
					 param(1, p->customer.array));
	p->delete = prepare(q.data, 1, types);

	/* the changes: per group (and for everyone) what was added and removed */
	resetStringInfo(&u);
	n = 0;
	appendStringInfoString(&u, "ROWS FROM (");
	for (i = 0; i < c->ngroups; i++)
	{
		types[n] = p->group[i].array;
		appendStringInfo(&u, "%s.unnest(%s), ", pg, param(++n, p->group[i].array));
	}
	types[n] = p->flow.array;
	appendStringInfo(&u, "%s.unnest(%s), ", pg, param(++n, p->flow.array));
	types[n] = p->flow.array;
	appendStringInfo(&u, "%s.unnest(%s), ", pg, param(++n, p->flow.array));
	types[n] = p->trend.array;
	appendStringInfo(&u, "%s.unnest(%s), ", pg, param(++n, p->trend.array));
	types[n] = p->trend.array;
	appendStringInfo(&u, "%s.unnest(%s)) AS u(", pg, param(++n, p->trend.array));
	for (i = 0; i < c->ngroups; i++)
		appendStringInfo(&u, "cvfw_g%d, ", i + 1);
	appendStringInfoString(&u, "cvfw_af, cvfw_rf, cvfw_at, cvfw_rt)");
	resetStringInfo(&q);
	appendStringInfo(&q, "INSERT INTO %s (total%s, added_flow, removed_flow, added_trend, removed_trend) ",
					 c->q_changes, g.data);
	if (c->ngroups > 0)
	{
		StringInfoData gl;

		initStringInfo(&gl);
		for (i = 0; i < c->ngroups; i++)
			appendStringInfo(&gl, "%su.cvfw_g%d", i > 0 ? ", " : "", i + 1);
		appendStringInfo(&q, "SELECT GROUPING(%s) OPERATOR(%s.<>) 0, %s, ", gl.data, pg, gl.data);
		appendStringInfo(&q, "%s.cvfw_merge(u.cvfw_af), %s.cvfw_merge(u.cvfw_rf), "
						 "%s.cvfw_merge(u.cvfw_at), %s.cvfw_merge(u.cvfw_rt) FROM %s "
						 "GROUP BY GROUPING SETS ((%s), ()) RETURNING id",
						 c->q_ext, c->q_ext, c->q_ext, c->q_ext, u.data, gl.data);
	}
	else
		appendStringInfo(&q, "SELECT true, %s.cvfw_merge(u.cvfw_af), %s.cvfw_merge(u.cvfw_rf), "
						 "%s.cvfw_merge(u.cvfw_at), %s.cvfw_merge(u.cvfw_rt) FROM %s RETURNING id",
						 c->q_ext, c->q_ext, c->q_ext, c->q_ext, u.data);
	p->changes = prepare(q.data, n, types);

	/* TRUNCATE of the events empties every summary */
	p->truncate[0] = prepare(psprintf("DELETE FROM %s", c->q_customers), 0, NULL);
	p->truncate[1] = prepare(psprintf("DELETE FROM %s", c->q_changes), 0, NULL);
	p->truncate[2] = prepare(psprintf("DELETE FROM %s", c->q_groups), 0, NULL);
	(void) trig;
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
	}
	p = hash_search(live_cache, &trig->tgoid, HASH_ENTER, &found);
	if (found && p->valid)
		return p;
	p->valid = false;
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
		build_plans(p, rel, trig, ev, ext_nsp);
	}
	MemoryContextSwitchTo(old);
	MemoryContextSetParent(mcxt, CacheMemoryContext);
	p->valid = true;
	return p;
}

/* --- one chunk of customers ----------------------------------------------------- */

/* arrays to pass to a plan, built as rows are added */
typedef struct columns
{
	int			n;
	int			cap;
	int			ncols;
	const col_type *types[CVFW_LIVE_MAX_GROUPS + 4];
	Datum	   *values[CVFW_LIVE_MAX_GROUPS + 4];
	bool	   *nulls[CVFW_LIVE_MAX_GROUPS + 4];
} columns;

static void
columns_init(columns *cols, int ncols, const col_type **types)
{
	int			i;

	cols->n = 0;
	cols->cap = 16;
	cols->ncols = ncols;
	for (i = 0; i < ncols; i++)
	{
		cols->types[i] = types[i];
		cols->values[i] = palloc(sizeof(Datum) * cols->cap);
		cols->nulls[i] = palloc(sizeof(bool) * cols->cap);
	}
}

static void
columns_add(columns *cols, const Datum *values, const bool *nulls)
{
	int			i;

	if (cols->n == cols->cap)
	{
		cols->cap *= 2;
		for (i = 0; i < cols->ncols; i++)
		{
			cols->values[i] = repalloc(cols->values[i], sizeof(Datum) * cols->cap);
			cols->nulls[i] = repalloc(cols->nulls[i], sizeof(bool) * cols->cap);
		}
	}
	for (i = 0; i < cols->ncols; i++)
	{
		cols->values[i][cols->n] = values[i];
		cols->nulls[i][cols->n] = nulls[i];
	}
	cols->n++;
}

/* the arrays as plan arguments */
static void
columns_args(const columns *cols, Datum *args, char *argnulls)
{
	int			i;

	for (i = 0; i < cols->ncols; i++)
	{
		int			dims[1] = {cols->n};
		int			lbs[1] = {1};
		const col_type *t = cols->types[i];

		args[i] = PointerGetDatum(construct_md_array(cols->values[i], cols->nulls[i], 1, dims, lbs,
													 t->type, t->len, t->byval, t->align));
		argnulls[i] = ' ';
	}
}

static int
run(SPIPlanPtr plan, Datum *args, char *nulls, int expect)
{
	/*
	 * A snapshot taken now, not the transaction's (see the top of the
	 * file): after the customers' rows are locked, it holds every committed
	 * change to their events.
	 */
	int			rc = SPI_execute_snapshot(plan, args, nulls, GetLatestSnapshot(), InvalidSnapshot,
										  false, true, 0);

	if (rc != expect)
		elog(ERROR, "cvfw_live: a statement failed (%s)", SPI_result_code_string(rc));
	return rc;
}

static int
key_cmp(live_plans *p, Datum a, Datum b)
{
	return DatumGetInt32(FunctionCall2Coll(&p->customer_cmp, p->customer_coll, a, b));
}

static bool
bytes_equal(Datum a, Datum b)
{
	struct varlena *x = PG_DETOAST_DATUM_PACKED(a);
	struct varlena *y = PG_DETOAST_DATUM_PACKED(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

/* a customer's events from the rows [from, to) of the events query */
static int
customer_events(SPITupleTable *tt, uint64 from, uint64 to, cv_event *ev)
{
	uint64		r;
	int			n = 0;
	LOCAL_FCINFO(fcinfo, 4);

	InitFunctionCallInfoData(*fcinfo, NULL, 4, InvalidOid, NULL, NULL);
	for (r = from; r < to; r++)
	{
		int			i;

		/* columns 2..5: stage, at, value, cost; checked as the aggregates check them */
		for (i = 0; i < 4; i++)
			fcinfo->args[i].value = SPI_getbinval(tt->vals[r], tt->tupdesc, i + 2, &fcinfo->args[i].isnull);
		if (cvfw_event_args(fcinfo, 0, &ev[n]))
			n++;
	}
	return n;
}

/* what becomes of one customer */
typedef enum live_kind
{
	KIND_SAME,					/* nothing to write */
	KIND_INSERT,
	KIND_UPDATE,
	KIND_DELETE
} live_kind;

typedef struct live_customer
{
	live_kind	kind;
	bool		conflicted;		/* a new row someone else inserted meanwhile */
	HeapTuple	old;			/* the locked row, or NULL */
	Datum		row[CVFW_LIVE_MAX_GROUPS + 3];	/* customer, groups, flow, trend */
	bool		rownull[CVFW_LIVE_MAX_GROUPS + 3];
} live_customer;

/*
 * Work out and write the summaries of the customers keys[0..nkeys)
 * (sorted, distinct); the change ids written widen [*min_id, *max_id].
 */
static void
do_chunk(live_plans *p, Datum *keys, int nkeys, int64 *min_id, int64 *max_id)
{
	const cvfw_live_config *c = &p->cfg;
	int			ng = c->ngroups;
	int			i,
				k;
	Datum		args[CVFW_LIVE_MAX_GROUPS + 4];
	char		argnulls[CVFW_LIVE_MAX_GROUPS + 4];
	SPITupleTable *olds,
			   *evs;
	TupleDesc	odesc;
	uint64		nold,
				nev,
				o = 0,
				e = 0;
	columns		ins,
				upd,
				del,
				chg;
	const col_type *t[CVFW_LIVE_MAX_GROUPS + 4];
	cv_event   *ev = NULL;
	int			ev_cap = 0;
	Datum	   *conflicts;
	int			nconflicts = 0;
	live_customer *cs = palloc0(sizeof(live_customer) * nkeys);
	bool		isnull;

	/* 1. lock and read the rows there are */
	{
		int			dims[1] = {nkeys};
		int			lbs[1] = {1};

		args[0] = PointerGetDatum(construct_md_array(keys, NULL, 1, dims, lbs, p->customer.type,
													 p->customer.len, p->customer.byval,
													 p->customer.align));
		argnulls[0] = ' ';
	}
	run(p->lock, args, argnulls, SPI_OK_SELECT);
	olds = SPI_tuptable;
	odesc = olds->tupdesc;
	nold = SPI_processed;
	/* 2. their events */
	run(p->events, args, argnulls, SPI_OK_SELECT);
	evs = SPI_tuptable;
	nev = SPI_processed;

	/* walk the keys, the old rows and the events together: all sorted alike */
	for (k = 0; k < nkeys; k++)
	{
		live_customer *cu = &cs[k];
		Datum		key = keys[k];
		uint64		from;
		int			n = 0;

		CHECK_FOR_INTERRUPTS();
		while (o < nold && key_cmp(p, SPI_getbinval(olds->vals[o], odesc, 1, &isnull), key) < 0)
			o++;
		if (o < nold && key_cmp(p, SPI_getbinval(olds->vals[o], odesc, 1, &isnull), key) == 0)
			cu->old = olds->vals[o++];
		while (e < nev && key_cmp(p, SPI_getbinval(evs->vals[e], evs->tupdesc, 1, &isnull), key) < 0)
			e++;
		from = e;
		while (e < nev && key_cmp(p, SPI_getbinval(evs->vals[e], evs->tupdesc, 1, &isnull), key) == 0)
			e++;
		if (e > from)
		{
			if ((int) (e - from) > ev_cap)
			{
				ev_cap = (int) Max(e - from, 64);
				ev = ev == NULL ? palloc(sizeof(cv_event) * ev_cap) : repalloc(ev, sizeof(cv_event) * ev_cap);
			}
			n = customer_events(evs, from, e, ev);
		}

		/* the new row: the customer, the last event's group, the summaries */
		cu->row[0] = key;
		if (n > 0)
		{
			for (i = 0; i < ng; i++)
				cu->row[1 + i] = SPI_getbinval(evs->vals[e - 1], evs->tupdesc, 6 + i, &cu->rownull[1 + i]);
			cu->row[1 + ng] = cvfw_customer_flow_datum(ev, n);
			cu->row[2 + ng] = cvfw_customer_trend_datum(ev, n);
		}

		if (cu->old != NULL && n > 0)
		{
			bool		same = true;

			/* the same groups and bytes: nothing to write, no change */
			for (i = 0; i < ng && same; i++)
			{
				Datum		d = SPI_getbinval(cu->old, odesc, 2 + i, &isnull);

				same = isnull == cu->rownull[1 + i] &&
					(isnull || datum_image_eq(d, cu->row[1 + i], p->group[i].byval, p->group[i].len));
			}
			same = same && bytes_equal(SPI_getbinval(cu->old, odesc, 2 + ng, &isnull), cu->row[1 + ng]) &&
				bytes_equal(SPI_getbinval(cu->old, odesc, 3 + ng, &isnull), cu->row[2 + ng]);
			cu->kind = same ? KIND_SAME : KIND_UPDATE;
		}
		else if (cu->old != NULL)
			cu->kind = KIND_DELETE;
		else
			cu->kind = n > 0 ? KIND_INSERT : KIND_SAME;
	}

	/* the row columns: customer, groups, flow, trend */
	t[0] = &p->customer;
	for (i = 0; i < ng; i++)
		t[1 + i] = &p->group[i];
	t[1 + ng] = &p->flow;
	t[2 + ng] = &p->trend;
	columns_init(&ins, ng + 3, t);
	columns_init(&upd, ng + 3, t);
	columns_init(&del, 1, t);
	for (k = 0; k < nkeys; k++)
	{
		if (cs[k].kind == KIND_INSERT)
			columns_add(&ins, cs[k].row, cs[k].rownull);
		else if (cs[k].kind == KIND_UPDATE)
			columns_add(&upd, cs[k].row, cs[k].rownull);
		else if (cs[k].kind == KIND_DELETE)
			columns_add(&del, cs[k].row, cs[k].rownull);
	}

	/*
	 * 3. New customers first: one that another transaction added meanwhile
	 * conflicts, and goes round again, locked like the others.
	 */
	conflicts = palloc(sizeof(Datum) * (ins.n + 1));
	if (ins.n > 0)
	{
		uint64		got = 0,
					r;
		Datum	   *inserted;
		int			j = 0;

		columns_args(&ins, args, argnulls);
		run(p->insert, args, argnulls, SPI_OK_INSERT_RETURNING);
		got = SPI_processed;
		if (got < (uint64) ins.n)
		{
			/* the keys inserted, sorted; the new customers missing from them conflicted */
			inserted = palloc(sizeof(Datum) * (got + 1));
			for (r = 0; r < got; r++)
			{
				Datum		x = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
				uint64		s;

				for (s = r; s > 0 && key_cmp(p, inserted[s - 1], x) > 0; s--)
					inserted[s] = inserted[s - 1];
				inserted[s] = x;
			}
			for (k = 0; k < nkeys; k++)
			{
				if (cs[k].kind != KIND_INSERT)
					continue;
				while (j < (int) got && key_cmp(p, inserted[j], keys[k]) < 0)
					j++;
				if (j >= (int) got || key_cmp(p, inserted[j], keys[k]) != 0)
				{
					cs[k].conflicted = true;
					conflicts[nconflicts++] = keys[k];
				}
			}
		}
		SPI_freetuptable(SPI_tuptable);
	}
	if (upd.n > 0)
	{
		columns_args(&upd, args, argnulls);
		run(p->update, args, argnulls, SPI_OK_UPDATE);
	}
	if (del.n > 0)
	{
		columns_args(&del, args, argnulls);
		run(p->delete, args, argnulls, SPI_OK_DELETE);
	}

	/* the changes: groups, added flow, removed flow, added trend, removed trend */
	for (i = 0; i < ng; i++)
		t[i] = &p->group[i];
	t[ng] = t[ng + 1] = &p->flow;
	t[ng + 2] = t[ng + 3] = &p->trend;
	columns_init(&chg, ng + 4, t);
	for (k = 0; k < nkeys; k++)
	{
		live_customer *cu = &cs[k];
		Datum		ch[CVFW_LIVE_MAX_GROUPS + 4];
		bool		chnull[CVFW_LIVE_MAX_GROUPS + 4];

		if (cu->kind == KIND_SAME || cu->conflicted)
			continue;
		/* what the customer takes out of their old group ... */
		if (cu->old != NULL)
		{
			for (i = 0; i < ng; i++)
				ch[i] = SPI_getbinval(cu->old, odesc, 2 + i, &chnull[i]);
			chnull[ng] = chnull[ng + 2] = true;
			ch[ng] = ch[ng + 2] = (Datum) 0;
			ch[ng + 1] = SPI_getbinval(cu->old, odesc, 2 + ng, &chnull[ng + 1]);
			ch[ng + 3] = SPI_getbinval(cu->old, odesc, 3 + ng, &chnull[ng + 3]);
			columns_add(&chg, ch, chnull);
		}
		/* ... and adds to their new one */
		if (cu->kind != KIND_DELETE)
		{
			for (i = 0; i < ng; i++)
			{
				ch[i] = cu->row[1 + i];
				chnull[i] = cu->rownull[1 + i];
			}
			ch[ng] = cu->row[1 + ng];
			ch[ng + 2] = cu->row[2 + ng];
			chnull[ng] = chnull[ng + 2] = false;
			ch[ng + 1] = ch[ng + 3] = (Datum) 0;
			chnull[ng + 1] = chnull[ng + 3] = true;
			columns_add(&chg, ch, chnull);
		}
	}
	if (chg.n > 0)
	{
		uint64		r;

		columns_args(&chg, args, argnulls);
		run(p->changes, args, argnulls, SPI_OK_INSERT_RETURNING);
		for (r = 0; r < SPI_processed; r++)
		{
			int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));

			*min_id = Min(*min_id, id);
			*max_id = Max(*max_id, id);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_freetuptable(olds);
	SPI_freetuptable(evs);
	if (nconflicts > 0)
		do_chunk(p, conflicts, nconflicts, min_id, max_id);
}

/* --- the trigger ----------------------------------------------------------------- */

Datum
cvfw_live_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	live_event	ev;
	live_plans *p;
	cvfw_live_user user;
	MemoryContext chunk_cxt,
				old;
	int64		min_id = PG_INT64_MAX,
				max_id = PG_INT64_MIN;

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
		ev = LIVE_EVENTS;		/* TRUNCATE */
	if (ev != LIVE_EVENTS && ((ev != LIVE_DELETE && td->tg_newtable == NULL) ||
							  (ev != LIVE_INSERT && td->tg_oldtable == NULL)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_live_trigger: the trigger has no transition tables"),
				 errhint("Attach tracking with cvfw_track().")));

	cvfw_live_as_owner(td->tg_relation->rd_rel->relowner, &user);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cvfw_live: SPI_connect failed");
	/* the transition tables, by name, before the plans that read them are prepared */
	if (ev != LIVE_EVENTS && SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "cvfw_live: SPI_register_trigger_data failed");
	p = plans_for(td->tg_relation, td->tg_trigger, ev);

	if (ev == LIVE_EVENTS)
	{
		int			i;

		for (i = 0; i < 3; i++)
			run(p->truncate[i], NULL, NULL, SPI_OK_DELETE);
	}
	else
	{
		Portal		keys;

		chunk_cxt = AllocSetContextCreate(CurrentMemoryContext, "cvfw live chunk", ALLOCSET_DEFAULT_SIZES);
		keys = SPI_cursor_open(NULL, p->keys, NULL, NULL, true);
		for (;;)
		{
			Datum	   *k;
			uint64		i,
						n;
			bool		isnull;

			SPI_cursor_fetch(keys, true, CVFW_LIVE_CHUNK);
			n = SPI_processed;
			if (n == 0)
				break;
			old = MemoryContextSwitchTo(chunk_cxt);
			k = palloc(sizeof(Datum) * n);
			for (i = 0; i < n; i++)
				k[i] = datumCopy(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull),
								 p->customer.byval, p->customer.len);
			SPI_freetuptable(SPI_tuptable);
			do_chunk(p, k, (int) n, &min_id, &max_id);
			MemoryContextSwitchTo(old);
			MemoryContextReset(chunk_cxt);
		}
		SPI_cursor_close(keys);
		MemoryContextDelete(chunk_cxt);

		/* the change ids passed a multiple of CVFW_LIVE_COMPACT_EVERY: fold them in */
		if (max_id >= min_id &&
			max_id / CVFW_LIVE_COMPACT_EVERY != (min_id - 1) / CVFW_LIVE_COMPACT_EVERY)
		{
			int64		folded;

			(void) cvfw_live_compact_now(&p->cfg, RelationGetRelid(td->tg_relation), false, &folded);
		}
	}
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "cvfw_live: SPI_finish failed");
	cvfw_live_as_caller(&user);
	return PointerGetDatum(NULL);
}
