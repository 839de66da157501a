/*
 * pg_live.c — what the live-tracking functions share (pg_live.h): the
 * configuration in the triggers' arguments, names, running as the table's
 * owner, sums per group (summed in C, exactly), compaction and reading.
 *
 * Compaction (cvfw_live_compact_now) folds the pending change rows in C:
 * they are deleted and summed per group; while those sums stay small
 * beside the compacted rows (a quarter of their bytes) they are written
 * back as one change row per group, and otherwise (or when asked for a
 * full compaction, or a group is new) each touched group's compacted row
 * is replaced by (row + added) - removed.  Summing in C decodes each
 * summary once and merges the small changes into the large compacted sum;
 * the light form spares writers rewriting the large compacted rows (a
 * trend holds an entry per day and stage) at every compaction.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "parser/parse_relation.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "pg_flow.h"
#include "pg_live.h"
#include "pg_trend.h"

/* --- names ----------------------------------------------------------------------- */

char *
cvfw_live_name(const char *prefix, const char *suffix)
{
	char	   *name = psprintf("%s_%s", prefix, suffix);

	if (strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("cvfw_track: the summary name \"%s\" is too long", name),
				 errdetail("Names are at most %d bytes.", NAMEDATALEN - 1),
				 errhint("Pass a shorter prefix as summaries => '...'.")));
	return name;
}

static char *
qualified(const char *schema, const char *name)
{
	return psprintf("%s.%s", quote_identifier(schema), quote_identifier(name));
}

void
cvfw_live_config_parse(cvfw_live_config *c, int nargs, char **args, Oid ext_nsp)
{
	int			i;

	if (nargs < CVFW_LIVE_FIXED_ARGS || strcmp(args[0], CVFW_LIVE_TAG) != 0 ||
		nargs - CVFW_LIVE_FIXED_ARGS > CVFW_LIVE_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_live_trigger: the trigger's arguments are not those cvfw_track writes"),
				 errhint("Attach tracking with cvfw_track(); do not create this trigger by hand.")));
	memset(c, 0, sizeof(*c));
	c->schema = args[1];
	c->prefix = args[2];
	c->customer = args[3];
	c->stage = args[4];
	c->at = args[5];
	c->value = args[6][0] ? args[6] : NULL;
	c->cost = args[7][0] ? args[7] : NULL;
	c->index_made = args[8][0] ? args[8] : NULL;
	c->ngroups = nargs - CVFW_LIVE_FIXED_ARGS;
	for (i = 0; i < c->ngroups; i++)
		c->groups[i] = args[CVFW_LIVE_FIXED_ARGS + i];
	c->q_customers = qualified(c->schema, cvfw_live_name(c->prefix, "customers"));
	c->q_groups = qualified(c->schema, cvfw_live_name(c->prefix, "groups"));
	c->q_changes = qualified(c->schema, cvfw_live_name(c->prefix, "changes"));
	c->q_live = qualified(c->schema, cvfw_live_name(c->prefix, "live"));
	c->q_ext = pstrdup(quote_identifier(get_namespace_name(ext_nsp)));
}

void
cvfw_live_append_groups(StringInfo buf, const cvfw_live_config *c, const char *alias)
{
	int			i;

	for (i = 0; i < c->ngroups; i++)
	{
		appendStringInfoString(buf, ", ");
		if (alias != NULL)
			appendStringInfo(buf, "%s.", alias);
		appendStringInfoString(buf, quote_identifier(c->groups[i]));
	}
}

char *
cvfw_live_operator(Oid opno)
{
	HeapTuple	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
	Form_pg_operator op;
	char	   *s;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for operator %u", opno);
	op = (Form_pg_operator) GETSTRUCT(tup);
	s = psprintf("OPERATOR(%s.%s)", quote_identifier(get_namespace_name(op->oprnamespace)),
				 NameStr(op->oprname));
	ReleaseSysCache(tup);
	return s;
}

char *
cvfw_live_collate(Oid type, Oid collation)
{
	HeapTuple	tup;
	Form_pg_collation coll;
	char	   *s;

	if (!OidIsValid(collation) || collation == get_typcollation(type))
		return "";
	tup = SearchSysCache1(COLLOID, ObjectIdGetDatum(collation));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for collation %u", collation);
	coll = (Form_pg_collation) GETSTRUCT(tup);
	s = psprintf(" COLLATE %s.%s", quote_identifier(get_namespace_name(coll->collnamespace)),
				 quote_identifier(NameStr(coll->collname)));
	ReleaseSysCache(tup);
	return s;
}

/* --- finding the configuration of a table ---------------------------------------- */

Oid
cvfw_live_ext_namespace(FunctionCallInfo fcinfo)
{
	return get_func_namespace(fcinfo->flinfo->fn_oid);
}

Oid
cvfw_live_trigger_oid(Oid ext_nsp)
{
	List	   *name = list_make2(makeString(get_namespace_name(ext_nsp)),
								  makeString("cvfw_live_trigger"));

	return LookupFuncName(name, 0, NULL, false);
}

bool
cvfw_live_config_of(Relation rel, Oid ext_nsp, cvfw_live_config *c)
{
	TriggerDesc *td = rel->trigdesc;
	Oid			fn = cvfw_live_trigger_oid(ext_nsp);
	int			i;

	if (td == NULL)
		return false;
	for (i = 0; i < td->numtriggers; i++)
	{
		Trigger    *t = &td->triggers[i];

		if (t->tgfoid == fn && strcmp(t->tgname, CVFW_LIVE_TRIGGER_INSERT) == 0)
		{
			cvfw_live_config_parse(c, t->tgnargs, t->tgargs, ext_nsp);
			return true;
		}
	}
	return false;
}

/* --- running as the owner ----------------------------------------------------------- */

void
cvfw_live_as_owner(Oid owner, cvfw_live_user *u)
{
	GetUserIdAndSecContext(&u->saved_user, &u->saved_context);
	SetUserIdAndSecContext(owner,
						   u->saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
}

void
cvfw_live_as_caller(const cvfw_live_user *u)
{
	SetUserIdAndSecContext(u->saved_user, u->saved_context);
}

int
cvfw_live_settings(bool index_scans)
{
	int			level = NewGUCNestLevel();

	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (index_scans)
		(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
								 false);
	return level;
}

void
cvfw_live_settings_end(int level)
{
	AtEOXact_GUC(true, level);
}

/* --- sums per group ------------------------------------------------------------------ */

void
cvfw_live_sums_init(cvfw_live_sums *s, int ngroups, const cvfw_live_gtype *gt)
{
	s->cap = 16;
	s->n = 0;
	s->ngroups = ngroups;
	if (ngroups > 0)
		memcpy(s->gt, gt, sizeof(cvfw_live_gtype) * ngroups);
	s->slots = palloc0(sizeof(cvfw_live_sum) * s->cap);
}

/* a hash of a value's bytes, to go with datum_image_eq */
static uint32
image_hash(const cvfw_live_gtype *t, Datum d, bool isnull)
{
	if (isnull)
		return 0x9e3779b9;
	if (t->byval)
		return hash_bytes((const unsigned char *) &d, sizeof(Datum));
	if (t->len > 0)
		return hash_bytes((const unsigned char *) DatumGetPointer(d), t->len);
	if (t->len == -1)
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

		return hash_bytes((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	}
	return hash_bytes((const unsigned char *) DatumGetCString(d), strlen(DatumGetCString(d)));
}

static cvfw_live_sum *
sums_slot(cvfw_live_sums *s, bool total, uint32 h, const Datum *g, const bool *gnull)
{
	int			ng = total ? 0 : s->ngroups,
				i;

	for (i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
	{
		cvfw_live_sum *e = &s->slots[i];
		bool		same = true;
		int			k;

		if (!e->used)
			return e;
		if (e->hash != h || e->total != total)
			continue;
		for (k = 0; k < ng && same; k++)
			same = e->gnull[k] == gnull[k] &&
				(gnull[k] || datum_image_eq(e->g[k], g[k], s->gt[k].byval, s->gt[k].len));
		if (same)
			return e;
	}
}

static uint32
sums_hash(cvfw_live_sums *s, bool total, const Datum *g, const bool *gnull)
{
	uint32		h = total ? 1 : 2;
	int			i;

	for (i = 0; !total && i < s->ngroups; i++)
		h = hash_combine(h, image_hash(&s->gt[i], g[i], gnull[i]));
	return h;
}

/* the sum of a group, or NULL when there is none */
static cvfw_live_sum *
sums_get(cvfw_live_sums *s, bool total, const Datum *g, const bool *gnull)
{
	cvfw_live_sum *e = sums_slot(s, total, sums_hash(s, total, g, gnull), g, gnull);

	return e->used ? e : NULL;
}

cvfw_live_sum *
cvfw_live_sums_find(cvfw_live_sums *s, bool total, const Datum *g, const bool *gnull)
{
	int			ng = total ? 0 : s->ngroups,
				i;
	uint32		h = sums_hash(s, total, g, gnull);
	cvfw_live_sum *e;

	e = sums_slot(s, total, h, g, gnull);
	if (e->used)
		return e;
	if ((s->n + 1) * 2 > s->cap)
	{
		cvfw_live_sum *old = s->slots;
		int			oldcap = s->cap;

		s->cap *= 2;
		s->slots = palloc0(sizeof(cvfw_live_sum) * s->cap);
		for (i = 0; i < oldcap; i++)
			if (old[i].used)
				*sums_slot(s, old[i].total, old[i].hash, old[i].g, old[i].gnull) = old[i];
		pfree(old);
		e = sums_slot(s, total, h, g, gnull);
	}
	e->used = true;
	e->total = total;
	e->hash = h;
	for (i = 0; i < CVFW_LIVE_MAX_GROUPS; i++)
	{
		e->gnull[i] = i >= ng || gnull[i];
		e->g[i] = e->gnull[i] ? (Datum) 0 : datumCopy(g[i], s->gt[i].byval, s->gt[i].len);
	}
	cvfw_flow_init(&e->added_flow, CurrentMemoryContext);
	cvfw_flow_init(&e->removed_flow, CurrentMemoryContext);
	cvfw_trend_init(&e->added_trend, CurrentMemoryContext);
	cvfw_trend_init(&e->removed_trend, CurrentMemoryContext);
	s->n++;
	return e;
}

static void
merge_flow(cv_flow *into, const cv_flow *from)
{
	const char *why = NULL;
	cv_status	st;

	if (from->customers == 0)
		return;
	st = cv_flow_merge(into, from, &why);
	cvfw_flow_check(st, why);
}

static void
merge_trend(cv_trend *into, const cv_trend *from)
{
	const char *why = NULL;
	cv_status	st;

	if (from->customers == 0)
		return;
	st = cv_trend_merge(into, from, &why);
	cvfw_trend_check(st, why);
}

void
cvfw_live_sums_total(cvfw_live_sums *s)
{
	cvfw_live_sum *t;
	int			i,
				n = s->cap;
	cvfw_live_sum *slots;

	if (s->ngroups == 0)
		return;
	t = cvfw_live_sums_find(s, true, NULL, NULL);
	slots = s->slots;			/* find may have moved them: read after */
	n = s->cap;
	for (i = 0; i < n; i++)
	{
		cvfw_live_sum *e = &slots[i];

		if (!e->used || e->total)
			continue;
		merge_flow(&t->added_flow, &e->added_flow);
		merge_flow(&t->removed_flow, &e->removed_flow);
		merge_trend(&t->added_trend, &e->added_trend);
		merge_trend(&t->removed_trend, &e->removed_trend);
	}
}

/* what remains of a sum: added - removed (an error when removed is not in added) */
static void
net(cvfw_live_sum *e)
{
	const char *why = NULL;
	cv_status	st;

	if (e->removed_flow.customers > 0)
	{
		st = cv_flow_subtract(&e->added_flow, &e->removed_flow, &why);
		cvfw_flow_check(st, why);
	}
	if (e->removed_trend.customers > 0)
	{
		st = cv_trend_subtract(&e->added_trend, &e->removed_trend, &why);
		cvfw_trend_check(st, why);
	}
}

/* --- compaction ---------------------------------------------------------------------- */

/* an advisory lock of cvfw's own per events table, held to the end of the transaction */
#define CVFW_LIVE_LOCK_SPACE 0x63766677	/* "cvfw" */

/* the grouping columns' types, from columns 2.. of a result */
static void
gtypes_of(TupleDesc desc, int first, int ngroups, cvfw_live_gtype *gt)
{
	int			i;

	for (i = 0; i < ngroups; i++)
		get_typlenbyval(TupleDescAttr(desc, first - 1 + i)->atttypid, &gt[i].len, &gt[i].byval);
}

static int
run_latest(const char *sql, int nargs, Oid *types, Datum *values, const char *nulls, int expect)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);
	int			rc;

	if (plan == NULL)
		elog(ERROR, "cvfw_live: SPI_prepare failed (%s)", SPI_result_code_string(SPI_result));
	rc = SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot, false, true, 0);
	if (rc != expect)
		elog(ERROR, "cvfw_live: a statement failed (%s)", SPI_result_code_string(rc));
	SPI_freeplan(plan);
	return rc;
}

/* one column of values to pass as an array, and its element type */
typedef struct column
{
	Oid			type;
	Datum	   *values;
	bool	   *nulls;
} column;

/*
 * Write rows of the given columns with one statement: sql takes the arrays
 * as $first.. (ROWS FROM (unnest(...), ...) is appended for them).
 */
static void
write_rows(const char *sql_head, const char *sql_tail, int first, Datum *lead_args, Oid *lead_types,
		   column *cols, int ncols, int nrows, int expect)
{
	StringInfoData q;
	Datum		args[CVFW_LIVE_MAX_GROUPS + 8];
	Oid			types[CVFW_LIVE_MAX_GROUPS + 8];
	char		nulls[CVFW_LIVE_MAX_GROUPS + 8];
	int			k;

	initStringInfo(&q);
	appendStringInfo(&q, "%sROWS FROM (", sql_head);
	for (k = 0; k < first - 1; k++)
	{
		args[k] = lead_args[k];
		types[k] = lead_types[k];
	}
	for (k = 0; k < ncols; k++)
	{
		int16		len;
		bool		byval;
		char		align;
		int			dims[1] = {nrows};
		int			lbs[1] = {1};

		get_typlenbyvalalign(cols[k].type, &len, &byval, &align);
		args[first - 1 + k] = PointerGetDatum(construct_md_array(cols[k].values, cols[k].nulls, 1, dims, lbs,
																 cols[k].type, len, byval, align));
		types[first - 1 + k] = get_array_type(cols[k].type);
		appendStringInfo(&q, "%spg_catalog.unnest($%d::%s)", k > 0 ? ", " : "", first + k,
						 format_type_extended(types[first - 1 + k], -1, FORMAT_TYPE_FORCE_QUALIFY));
	}
	appendStringInfo(&q, ")%s", sql_tail);
	memset(nulls, ' ', sizeof(nulls));
	run_latest(q.data, first - 1 + ncols, types, args, nulls, expect);
}

/* bytes of the encoded summaries of a sum (encoded on the way, into out[4]) */
static int64
encode_sum(cvfw_live_sum *e, Datum *out, bool *nulls)
{
	int64		bytes = 0;
	int			k;

	nulls[0] = e->added_flow.customers == 0;
	nulls[1] = e->removed_flow.customers == 0;
	nulls[2] = e->added_trend.customers == 0;
	nulls[3] = e->removed_trend.customers == 0;
	out[0] = nulls[0] ? (Datum) 0 : cvfw_flow_to_datum(&e->added_flow);
	out[1] = nulls[1] ? (Datum) 0 : cvfw_flow_to_datum(&e->removed_flow);
	out[2] = nulls[2] ? (Datum) 0 : cvfw_trend_to_datum(&e->added_trend);
	out[3] = nulls[3] ? (Datum) 0 : cvfw_trend_to_datum(&e->removed_trend);
	for (k = 0; k < 4; k++)
		if (!nulls[k])
			bytes += VARSIZE(DatumGetPointer(out[k]));
	return bytes;
}

bool
cvfw_live_compact_now(const cvfw_live_config *c, Oid events, bool wait, bool full, int64 *folded)
{
	LOCKTAG		tag;
	StringInfoData q,
				g;
	int			ng = c->ngroups,
				i,
				k,
				n = 0;
	uint64		r,
				nbase;
	cvfw_live_sums sums;
	cvfw_live_gtype gt[CVFW_LIVE_MAX_GROUPS];
	SPITupleTable *tt;
	Oid			gtypes[CVFW_LIVE_MAX_GROUPS],
				flow_t,
				trend_t;
	column		cols[CVFW_LIVE_MAX_GROUPS + 5];
	Datum	   *gone;			/* the tids of the compacted rows replaced */
	int			ngone = 0;
	bool		isnull;
	int64		pending_bytes = 0,
				base_bytes = 0;
	bool		new_group = false;

	*folded = 0;
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, CVFW_LIVE_LOCK_SPACE, (uint32) events, 2);
	if (LockAcquire(&tag, ExclusiveLock, false, !wait) == LOCKACQUIRE_NOT_AVAIL)
		return false;

	/*
	 * The changes seen by a snapshot taken now that the lock is held are
	 * deleted and summed per group; what commits later stays pending.  (The
	 * latest snapshot, not the transaction's: in REPEATABLE READ the
	 * transaction's could predate a compaction that committed since.)
	 */
	initStringInfo(&g);
	cvfw_live_append_groups(&g, c, NULL);
	initStringInfo(&q);
	appendStringInfo(&q, "DELETE FROM %s RETURNING total%s, added_flow, removed_flow, added_trend, removed_trend",
					 c->q_changes, g.data);
	run_latest(q.data, 0, NULL, NULL, NULL, SPI_OK_DELETE_RETURNING);
	tt = SPI_tuptable;
	*folded = (int64) SPI_processed;
	if (SPI_processed == 0)
		return true;
	gtypes_of(tt->tupdesc, 2, ng, gt);
	for (i = 0; i < ng; i++)
		gtypes[i] = TupleDescAttr(tt->tupdesc, 1 + i)->atttypid;
	flow_t = SPI_gettypeid(tt->tupdesc, 2 + ng);
	trend_t = SPI_gettypeid(tt->tupdesc, 4 + ng);
	cvfw_live_sums_init(&sums, ng, gt);
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple	row = tt->vals[r];
		Datum		gv[CVFW_LIVE_MAX_GROUPS];
		bool		gn[CVFW_LIVE_MAX_GROUPS];
		bool		total = DatumGetBool(SPI_getbinval(row, tt->tupdesc, 1, &isnull));
		cvfw_live_sum *e;
		Datum		d;

		for (i = 0; i < ng; i++)
			gv[i] = SPI_getbinval(row, tt->tupdesc, 2 + i, &gn[i]);
		e = cvfw_live_sums_find(&sums, total, gv, gn);
		d = SPI_getbinval(row, tt->tupdesc, 2 + ng, &isnull);
		if (!isnull)
			cvfw_flow_from_datum(d, &e->added_flow);
		d = SPI_getbinval(row, tt->tupdesc, 3 + ng, &isnull);
		if (!isnull)
			cvfw_flow_from_datum(d, &e->removed_flow);
		d = SPI_getbinval(row, tt->tupdesc, 4 + ng, &isnull);
		if (!isnull)
			cvfw_trend_from_datum(d, &e->added_trend);
		d = SPI_getbinval(row, tt->tupdesc, 5 + ng, &isnull);
		if (!isnull)
			cvfw_trend_from_datum(d, &e->removed_trend);
		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	SPI_freetuptable(tt);

	for (k = 0; k < ng + 5; k++)
	{
		cols[k].values = palloc(sizeof(Datum) * (sums.n + 1));
		cols[k].nulls = palloc0(sizeof(bool) * (sums.n + 1));
	}
	cols[0].type = BOOLOID;
	for (k = 0; k < ng; k++)
		cols[1 + k].type = gtypes[k];

	/*
	 * Unless asked for a full compaction: the pending changes become one
	 * change row per group, while those stay small beside the compacted
	 * sums (a quarter of their bytes); then they are folded in.  Reading
	 * sums only the sizes of the compacted rows.
	 */
	if (!full)
	{
		resetStringInfo(&q);
		appendStringInfo(&q, "SELECT total%s, pg_catalog.pg_column_size(flow) + pg_catalog.pg_column_size(trend) "
						 "FROM %s", g.data, c->q_groups);
		run_latest(q.data, 0, NULL, NULL, NULL, SPI_OK_SELECT);
		tt = SPI_tuptable;
		for (r = 0; r < SPI_processed; r++)
		{
			Datum		gv[CVFW_LIVE_MAX_GROUPS];
			bool		gn[CVFW_LIVE_MAX_GROUPS];
			bool		total = DatumGetBool(SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &isnull));
			cvfw_live_sum *e;

			for (i = 0; i < ng; i++)
				gv[i] = SPI_getbinval(tt->vals[r], tt->tupdesc, 2 + i, &gn[i]);
			e = sums_get(&sums, total, gv, gn);
			if (e != NULL)
			{
				e->has_base = true;
				base_bytes += DatumGetInt32(SPI_getbinval(tt->vals[r], tt->tupdesc, 2 + ng, &isnull));
			}
		}
		SPI_freetuptable(tt);
		for (i = 0; i < sums.cap; i++)
		{
			cvfw_live_sum *e = &sums.slots[i];
			Datum		enc[4];
			bool		encnull[4];

			if (!e->used)
				continue;
			new_group |= !e->has_base;
			cols[0].values[n] = BoolGetDatum(e->total);
			for (k = 0; k < ng; k++)
			{
				cols[1 + k].values[n] = e->g[k];
				cols[1 + k].nulls[n] = e->gnull[k];
			}
			pending_bytes += encode_sum(e, enc, encnull);
			for (k = 0; k < 4; k++)
			{
				cols[1 + ng + k].values[n] = enc[k];
				cols[1 + ng + k].nulls[n] = encnull[k];
			}
			n++;
		}
		if (!new_group && 4 * pending_bytes <= base_bytes)
		{
			cols[1 + ng].type = cols[2 + ng].type = flow_t;
			cols[3 + ng].type = cols[4 + ng].type = trend_t;
			resetStringInfo(&q);
			appendStringInfo(&q, "INSERT INTO %s (total%s, added_flow, removed_flow, added_trend, removed_trend) "
							 "SELECT * FROM ", c->q_changes, g.data);
			write_rows(q.data, "", 1, NULL, NULL, cols, ng + 5, n, SPI_OK_INSERT);
			return true;
		}
		n = 0;
	}

	/* folded in: the compacted rows of those groups are added in, and replaced */
	resetStringInfo(&q);
	appendStringInfo(&q, "SELECT ctid, total%s, flow, trend FROM %s", g.data, c->q_groups);
	run_latest(q.data, 0, NULL, NULL, NULL, SPI_OK_SELECT);
	tt = SPI_tuptable;
	nbase = SPI_processed;
	gone = palloc(sizeof(Datum) * (nbase + 1));
	for (r = 0; r < nbase; r++)
	{
		HeapTuple	row = tt->vals[r];
		Datum		gv[CVFW_LIVE_MAX_GROUPS];
		bool		gn[CVFW_LIVE_MAX_GROUPS];
		bool		total = DatumGetBool(SPI_getbinval(row, tt->tupdesc, 2, &isnull));
		cvfw_live_sum *e;
		cv_flow		f;
		cv_trend	t;

		for (i = 0; i < ng; i++)
			gv[i] = SPI_getbinval(row, tt->tupdesc, 3 + i, &gn[i]);
		e = sums_get(&sums, total, gv, gn);
		if (e == NULL)
			continue;			/* not touched by the changes: stays as it is */

		/*
		 * The large compacted sum decoded first, the small changes merged
		 * into it: a trend's entries then need no full sort.
		 */
		cvfw_flow_init(&f, CurrentMemoryContext);
		cvfw_trend_init(&t, CurrentMemoryContext);
		cvfw_flow_from_datum(SPI_getbinval(row, tt->tupdesc, 3 + ng, &isnull), &f);
		cvfw_trend_from_datum(SPI_getbinval(row, tt->tupdesc, 4 + ng, &isnull), &t);
		merge_flow(&f, &e->added_flow);
		merge_trend(&t, &e->added_trend);
		cv_flow_free(&e->added_flow);
		cv_trend_free(&e->added_trend);
		e->added_flow = f;
		e->added_trend = t;
		gone[ngone++] = SPI_getbinval(row, tt->tupdesc, 1, &isnull);
	}

	/* (sum + added) - removed, each group's once: the rows to write */
	for (i = 0; i < sums.cap; i++)
	{
		cvfw_live_sum *e = &sums.slots[i];

		if (!e->used)
			continue;
		net(e);
		if (e->added_flow.customers == 0)
			continue;			/* nobody left in the group */
		cols[0].values[n] = BoolGetDatum(e->total);
		for (k = 0; k < ng; k++)
		{
			cols[1 + k].values[n] = e->g[k];
			cols[1 + k].nulls[n] = e->gnull[k];
		}
		cols[1 + ng].values[n] = cvfw_flow_to_datum(&e->added_flow);
		cols[1 + ng].nulls[n] = false;
		cols[2 + ng].values[n] = cvfw_trend_to_datum(&e->added_trend);
		cols[2 + ng].nulls[n] = false;
		n++;
		CHECK_FOR_INTERRUPTS();
	}
	cols[1 + ng].type = flow_t;
	cols[2 + ng].type = trend_t;
	{
		Datum		lead[1];
		Oid			lead_t[1] = {TIDARRAYOID};
		StringInfoData head;

		lead[0] = PointerGetDatum(construct_array(gone, ngone, TIDOID, sizeof(ItemPointerData), false,
												  TYPALIGN_SHORT));
		initStringInfo(&head);
		appendStringInfo(&head, "WITH gone AS (DELETE FROM %s WHERE ctid OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.tid[])) "
						 "INSERT INTO %s (total%s, flow, trend) SELECT * FROM ", c->q_groups, c->q_groups, g.data);
		write_rows(head.data, "", 2, lead, lead_t, cols, ng + 3, n, SPI_OK_INSERT);
	}
	SPI_freetuptable(tt);
	return true;
}

/* --- reading ------------------------------------------------------------------------- */

Datum
cvfw_live_read(const cvfw_live_config *c, Relation rel, bool trend, bool by_group,
			   Datum *values, char *nulls, bool *isnull)
{
	StringInfoData q,
				where;
	Oid			types[CVFW_LIVE_MAX_GROUPS];
	TupleDesc	desc = RelationGetDescr(rel);
	const char *kind = trend ? "trend" : "flow";
	cv_flow		af,
				rf;
	cv_trend	at,
				rt;
	uint64		r;
	int			i,
				rc;
	Datum		result = (Datum) 0;

	initStringInfo(&where);
	if (by_group && c->ngroups > 0)
	{
		appendStringInfoString(&where, "NOT total");
		for (i = 0; i < c->ngroups; i++)
		{
			AttrNumber	a = attnameAttNum(rel, c->groups[i], false);
			Form_pg_attribute att;

			if (a <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("cvfw_live: the grouping column \"%s\" no longer exists", c->groups[i])));
			att = TupleDescAttr(desc, a - 1);
			types[i] = TEXTOID;
			/* the value as the column's type: the group is found by the type's equality */
			appendStringInfo(&where, " AND %s IS NOT DISTINCT FROM CAST($%d AS %s)",
							 quote_identifier(c->groups[i]), i + 1,
							 format_type_extended(att->atttypid, att->atttypmod,
												  FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_FORCE_QUALIFY));
		}
	}
	else
		appendStringInfoString(&where, "total");
	initStringInfo(&q);
	appendStringInfo(&q, "SELECT %s, NULL FROM %s WHERE %s UNION ALL SELECT added_%s, removed_%s FROM %s WHERE %s",
					 kind, c->q_groups, where.data, kind, kind, c->q_changes, where.data);
	rc = SPI_execute_with_args(q.data, by_group ? c->ngroups : 0, types, values, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "cvfw_live: reading the summaries failed (%s)", SPI_result_code_string(rc));

	/* the compacted sum and what the pending changes added, less what they removed */
	cvfw_flow_init(&af, CurrentMemoryContext);
	cvfw_flow_init(&rf, CurrentMemoryContext);
	cvfw_trend_init(&at, CurrentMemoryContext);
	cvfw_trend_init(&rt, CurrentMemoryContext);
	for (r = 0; r < SPI_processed; r++)
	{
		for (i = 0; i < 2; i++)
		{
			bool		n;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1 + i, &n);

			if (n)
				continue;
			if (trend)
				cvfw_trend_from_datum(d, i == 0 ? &at : &rt);
			else
				cvfw_flow_from_datum(d, i == 0 ? &af : &rf);
		}
		if ((r & 255) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	*isnull = true;
	if (trend)
	{
		const char *why = NULL;
		cv_status	st = CV_OK;

		if (rt.customers > 0)
			st = cv_trend_subtract(&at, &rt, &why);
		cvfw_trend_check(st, why);
		if (at.customers > 0)
		{
			result = cvfw_trend_to_datum(&at);
			*isnull = false;
		}
	}
	else
	{
		const char *why = NULL;
		cv_status	st = CV_OK;

		if (rf.customers > 0)
			st = cv_flow_subtract(&af, &rf, &why);
		cvfw_flow_check(st, why);
		if (af.customers > 0)
		{
			result = cvfw_flow_to_datum(&af);
			*isnull = false;
		}
	}
	return result;
}
