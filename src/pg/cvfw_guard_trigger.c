/*
 * cvfw_guard_trigger.c — the guard cvfw_guard installs: an AFTER INSERT OR
 * UPDATE OR DELETE ... FOR EACH ROW constraint trigger (not deferrable).
 *
 * Why AFTER: it sees each row as stored, after every BEFORE trigger and
 * generated column, whatever order the triggers sort in and whichever
 * columns the statement named; INSERT, COPY, ON CONFLICT DO UPDATE, MERGE
 * and updates through views all end in these row events.  An UPDATE that
 * moves a row to another partition ends in a DELETE on one partition and
 * an INSERT on the other: the DELETE's tuple says it moved, and the guard
 * pairs it with the INSERT of the same command and checks the move as the
 * update it was.
 *
 * The NULL rule: a change is checked against the row's last stage.  When
 * the column holds no stage (NULL, or a label the map reads as left or
 * keep), the guard remembers the stage the row had, by its primary key,
 * in cvfw_guard_memory, and checks the next stage against it: a NULL in
 * between opens no skip.  A table without a primary key cannot remember,
 * so there a row that has a stage may not lose it.
 *
 * History capture: with a history table, every change of a row's stage
 * (and every change of its value or cost columns) is recorded as an event
 * (customer, stage, at, value, cost) in the same transaction.
 *
 * Arguments are key=value pairs, written by cvfw_guard: column, policy,
 * and optionally map, history, customer, at, value, cost.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "common/hashfn.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "pg_guard.h"
#include "pg_guard_memory.h"
#include "pg_policy.h"
#include "pg_spi.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_guard_trigger);

/* a column value that holds no stage: NULL (the label kinds are 0..2) */
#define READ_NULL 3
/* a text or enum value that reads as nothing */
#define READ_NONE (-1)

#define HAS_STAGE(kind) ((kind) == CV_LABEL_STAGE)

/* one guard's history insert, kept across statements, keyed by trigger */
typedef struct history_plan
{
	Oid			tgoid;			/* hash key */
	uint32		signature;		/* of the arguments and parameter types it was made for */
	SPIPlanPtr	plan;
} history_plan;

static HTAB *history_plans = NULL;

typedef struct guard_setup
{
	Oid			tgoid;
	Oid			relid;
	uint32		signature;		/* of the arguments: clones of one guard share it */
	Oid			stage_type;
	Oid			owner;			/* the table's owner: history is written as it */
	cvfw_column column;
	cvfw_map   *map;
	cv_policy	policy;
	char	   *policy_text;
	cvfw_key_columns key;		/* natts 0: no primary key, no memory */
	Oid			memory_rel;		/* the table remembered as: the partition tree's root */
	/* history capture */
	bool		capture;
	Oid			history;
	AttrNumber	customer_att;
	AttrNumber	at_att;
	AttrNumber	value_att;
	AttrNumber	cost_att;
	Oid			argtypes[8];
	SPIPlanPtr	history_plan;
} guard_setup;

/* a row version as the guard reads it */
typedef struct row_view
{
	HeapTuple	tuple;
	TupleDesc	desc;
	int			kind;			/* CV_LABEL_*, READ_NULL or READ_NONE */
	cv_stage	stage;
	Datum		raw;
	char	   *key;			/* computed when needed */
	bool		key_done;
	Datum		value;
	bool		value_null;
	Datum		cost;
	bool		cost_null;
} row_view;

/* an UPDATE that moved a row to another partition, waiting for its INSERT */
typedef struct pending_move
{
	uint32		signature;
	TransactionId xid;
	CommandId	cid;
	row_view	old;
} pending_move;

static List *pending_moves = NIL;	/* in TopTransactionContext */
static bool xact_callback_registered = false;

static void
forget_pending_moves(XactEvent event, void *arg)
{
	(void) arg;
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PREPARE || event == XACT_EVENT_PARALLEL_COMMIT ||
		event == XACT_EVENT_PARALLEL_ABORT)
		pending_moves = NIL;	/* its memory goes with TopTransactionContext */
}

/* ---------------------------------------------------------------------------
 * arguments
 * ---------------------------------------------------------------------------
 */

static const char *
arg_value(Trigger *tg, const char *key)
{
	size_t		klen = strlen(key);
	int			i;

	for (i = 0; i < tg->tgnargs; i++)
		if (strncmp(tg->tgargs[i], key, klen) == 0 && tg->tgargs[i][klen] == '=')
			return tg->tgargs[i] + klen + 1;
	return NULL;
}

static void
check_arguments(Trigger *tg, Relation rel)
{
	static const char *const keys[] = {"column", "policy", "map", "history", "customer",
	"at", "value", "cost", NULL};
	int			i;

	for (i = 0; i < tg->tgnargs; i++)
	{
		const char *eq = strchr(tg->tgargs[i], '=');
		int			k;

		for (k = 0; eq != NULL && keys[k] != NULL; k++)
			if (strlen(keys[k]) == (size_t) (eq - tg->tgargs[i]) &&
				strncmp(tg->tgargs[i], keys[k], eq - tg->tgargs[i]) == 0)
				break;
		if (eq == NULL || keys[k] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("cvfw_guard_trigger: argument \"%s\" of trigger \"%s\" on table \"%s\" "
							"is not a setting", tg->tgargs[i], tg->tgname, RelationGetRelationName(rel)),
					 errhint("Install the guard with cvfw_guard(table, column, policy, ...).")));
	}
	if (arg_value(tg, "column") == NULL || arg_value(tg, "policy") == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_guard_trigger: trigger \"%s\" on table \"%s\" names no column or no policy",
						tg->tgname, RelationGetRelationName(rel)),
				 errhint("Install the guard with cvfw_guard(table, column, policy, ...).")));
}

static uint32
arguments_signature(Trigger *tg)
{
	uint32		h = 0;
	int			i;

	for (i = 0; i < tg->tgnargs; i++)
		h = hash_combine(h, hash_bytes((const unsigned char *) tg->tgargs[i],
									   (int) strlen(tg->tgargs[i]) + 1));
	return h;
}

static AttrNumber
option_column(Trigger *tg, Relation rel, const char *key, Oid *type)
{
	const char *name = arg_value(tg, key);
	int			attnum;

	if (name == NULL || name[0] == '\0')
	{
		*type = InvalidOid;
		return InvalidAttrNumber;
	}
	attnum = SPI_fnumber(RelationGetDescr(rel), name);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist", name, RelationGetRelationName(rel)),
				 errdetail("Guard \"%s\" records it as the history's %s.", tg->tgname, key)));
	*type = TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid;
	return attnum;
}

/* ---------------------------------------------------------------------------
 * set-up, once per statement (the history plan once per backend)
 * ---------------------------------------------------------------------------
 */

static Oid
history_table(Trigger *tg, Relation rel)
{
	const char *name = arg_value(tg, "history");
	Oid			relid;

	if (name == NULL || name[0] == '\0')
		return InvalidOid;
	relid = cvfw_relation_by_name(name);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("history table \"%s\" of guard \"%s\" on table \"%s\" does not exist",
						name, tg->tgname, RelationGetRelationName(rel)),
				 errhint("Install the guard again with cvfw_guard(..., history => ...).")));
	return relid;
}

static void
setup_history(guard_setup *s, Trigger *tg, Relation rel)
{
	StringInfoData q;
	history_plan *hp;
	bool		found;
	uint32		signature;
	Oid			type;
	int			i;

	s->history = history_table(tg, rel);
	s->capture = OidIsValid(s->history);
	if (!s->capture)
		return;
	s->customer_att = option_column(tg, rel, "customer", &s->argtypes[0]);
	if (s->customer_att == InvalidAttrNumber)
		elog(ERROR, "guard \"%s\" records history without a customer column", tg->tgname);
	s->argtypes[1] = s->stage_type;
	s->at_att = option_column(tg, rel, "at", &type);
	s->argtypes[2] = OidIsValid(type) ? type : TIMESTAMPTZOID;
	s->value_att = option_column(tg, rel, "value", &type);
	s->argtypes[3] = s->argtypes[4] = OidIsValid(type) ? type : NUMERICOID;
	s->cost_att = option_column(tg, rel, "cost", &type);
	s->argtypes[5] = s->argtypes[6] = OidIsValid(type) ? type : NUMERICOID;
	s->argtypes[7] = BOOLOID;

	/* the plan is kept per trigger while its arguments and types stay */
	signature = s->signature;
	for (i = 0; i < 8; i++)
		signature = hash_combine(signature, s->argtypes[i]);
	if (history_plans == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(history_plan);
		history_plans = hash_create("cvfw guard history plans", 16, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	hp = hash_search(history_plans, &s->tgoid, HASH_ENTER, &found);
	if (!found)
		hp->plan = NULL;
	if (hp->plan != NULL && hp->signature == signature)
	{
		s->history_plan = hp->plan;
		return;
	}
	if (hp->plan != NULL)
		SPI_freeplan(hp->plan);
	hp->plan = NULL;			/* until the new one is made */

	initStringInfo(&q);
	appendStringInfo(&q, "INSERT INTO %s (customer, stage, at%s%s) "
					 "SELECT $1, $2, COALESCE($3::pg_catalog.timestamptz, pg_catalog.statement_timestamp())%s%s "
					 "FROM (SELECT COALESCE($4::pg_catalog.numeric, 0::pg_catalog.numeric) "
					 "OPERATOR(pg_catalog.-) COALESCE($5::pg_catalog.numeric, 0::pg_catalog.numeric) AS v, "
					 "COALESCE($6::pg_catalog.numeric, 0::pg_catalog.numeric) "
					 "OPERATOR(pg_catalog.-) COALESCE($7::pg_catalog.numeric, 0::pg_catalog.numeric) AS c) d "
					 "WHERE $8 OR d.v OPERATOR(pg_catalog.<>) 0::pg_catalog.numeric "
					 "OR d.c OPERATOR(pg_catalog.<>) 0::pg_catalog.numeric",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(s->history)),
												get_rel_name(s->history)),
					 s->value_att != InvalidAttrNumber ? ", value" : "",
					 s->cost_att != InvalidAttrNumber ? ", cost" : "",
					 s->value_att != InvalidAttrNumber ? ", d.v" : "",
					 s->cost_att != InvalidAttrNumber ? ", d.c" : "");
	hp->plan = cvfw_spi_prepare_kept(q.data, 8, s->argtypes);
	hp->signature = signature;
	s->history_plan = hp->plan;
}

static guard_setup *
setup_guard(FunctionCallInfo fcinfo, TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	Oid			extnsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	guard_setup *s = palloc0(sizeof(guard_setup));
	const char *map_name;
	List	   *ancestors;

	check_arguments(tg, rel);
	s->tgoid = tg->tgoid;
	s->relid = RelationGetRelid(rel);
	s->signature = arguments_signature(tg);
	s->owner = rel->rd_rel->relowner;
	s->stage_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									CStringGetDatum("cvfw_stage"), ObjectIdGetDatum(extnsp));
	map_name = arg_value(tg, "map");
	if (map_name != NULL && map_name[0] != '\0')
		s->map = cvfw_map_load(map_name, extnsp, mcxt);
	cvfw_column_init(&s->column, rel, arg_value(tg, "column"), s->stage_type, s->map,
					 psprintf("Guard \"%s\" guards it.", tg->tgname),
					 "A guard reads columns of type cvfw_stage, text, varchar or char "
					 "(or a domain over one), or an enum.", mcxt);
	(void) cvfw_parse_policy(arg_value(tg, "policy"), &s->policy, NULL);
	s->policy_text = cvfw_policy_text(s->policy);
	cvfw_key_columns_init(&s->key, rel, mcxt);

	/* a partition's rows are remembered as the partition tree's */
	ancestors = rel->rd_rel->relispartition ? get_partition_ancestors(s->relid) : NIL;
	s->memory_rel = ancestors != NIL ? llast_oid(ancestors) : s->relid;

	cvfw_memory_init(extnsp, s->stage_type);
	setup_history(s, tg, rel);
	MemoryContextSwitchTo(old);

	elog(DEBUG1, "cvfw_guard_trigger: set up guard \"%s\" on \"%s\" (policy %s%s%s%s)",
		 tg->tgname, RelationGetRelationName(rel), s->policy_text,
		 s->map ? ", map " : "", s->map ? s->map->name : "", s->capture ? ", history" : "");
	return s;
}

/* ---------------------------------------------------------------------------
 * reading rows
 * ---------------------------------------------------------------------------
 */

static void
read_row(guard_setup *s, TupleDesc desc, HeapTuple tuple, row_view *v)
{
	bool		isnull;

	memset(v, 0, sizeof(*v));
	v->tuple = tuple;
	v->desc = desc;
	v->raw = heap_getattr(tuple, s->column.attnum, desc, &isnull);
	v->kind = isnull ? READ_NULL : cvfw_column_read(&s->column, v->raw, &v->stage);
	if (!HAS_STAGE(v->kind))
		v->stage = CV_STAGE_INVALID;
	v->value_null = v->cost_null = true;
	if (s->capture && s->value_att != InvalidAttrNumber)
		v->value = heap_getattr(tuple, s->value_att, desc, &v->value_null);
	if (s->capture && s->cost_att != InvalidAttrNumber)
		v->cost = heap_getattr(tuple, s->cost_att, desc, &v->cost_null);
}

static const char *
row_key(guard_setup *s, row_view *v)
{
	if (!v->key_done)
	{
		v->key = cvfw_key_text(&s->key, v->desc, v->tuple);
		v->key_done = true;
	}
	return v->key;
}

static bool
same_datum(Datum a, bool anull, Datum b, bool bnull, Form_pg_attribute att)
{
	if (anull || bnull)
		return anull == bnull;
	return datumIsEqual(a, b, att->attbyval, att->attlen);
}

static char *
value_words(guard_setup *s, row_view *v)
{
	if (v->kind == READ_NULL)
		return pstrdup("NULL");
	return psprintf("\"%s\"", cvfw_column_value_text(&s->column, v->raw));
}

/* ---------------------------------------------------------------------------
 * the checks
 * ---------------------------------------------------------------------------
 */

static void
record_event(guard_setup *s, row_view *new, row_view *old, cv_stage stage, bool changed)
{
	Datum		v[8];
	char		n[8];
	bool		isnull;
	int			i;

	for (i = 0; i < 8; i++)
		n[i] = ' ';
	v[0] = heap_getattr(new->tuple, s->customer_att, new->desc, &isnull);
	n[0] = isnull ? 'n' : ' ';
	v[1] = CvfwStageGetDatum(stage);
	v[2] = (Datum) 0;
	n[2] = 'n';
	if (s->at_att != InvalidAttrNumber)
	{
		v[2] = heap_getattr(new->tuple, s->at_att, new->desc, &isnull);
		n[2] = isnull ? 'n' : ' ';
	}
	v[3] = new->value;
	n[3] = new->value_null ? 'n' : ' ';
	v[4] = old ? old->value : (Datum) 0;
	n[4] = (old == NULL || old->value_null) ? 'n' : ' ';
	v[5] = new->cost;
	n[5] = new->cost_null ? 'n' : ' ';
	v[6] = old ? old->cost : (Datum) 0;
	n[6] = (old == NULL || old->cost_null) ? 'n' : ' ';
	v[7] = BoolGetDatum(changed);
	cvfw_spi_run_as(s->owner, s->history_plan, v, n, NULL, NULL);
}

static void
check_insert(guard_setup *s, row_view *new)
{
	if (new->kind == READ_NONE)
		cvfw_column_value_error(&s->column, new->raw);
	if (s->capture && HAS_STAGE(new->kind))
		record_event(s, new, NULL, new->stage, true);
}

static void
check_update(guard_setup *s, Relation rel, row_view *old, row_view *new)
{
	cv_stage	from = old->stage;
	cv_stage	to = new->stage;
	bool		remembered = false;
	bool		keyed = s->key.natts > 0;

	if (new->kind == READ_NONE)
		cvfw_column_value_error(&s->column, new->raw);

	/* the last stage of a row that holds none: remembered by its key */
	if (!HAS_STAGE(old->kind) && keyed)
	{
		from = cvfw_memory_get(s->memory_rel, s->column.name, row_key(s, old));
		remembered = (from != CV_STAGE_INVALID);
	}

	if (to != CV_STAGE_INVALID && from != CV_STAGE_INVALID &&
		!cv_policy_allows_move(s->policy, from, to))
		cvfw_refuse_transition(rel, s->column.attnum, new->tuple, s->policy, s->policy_text, from, to,
							   remembered
							   ? psprintf("The row's last stage, \"%s\", is remembered across its value %s.",
										  cv_stage_name(from), value_words(s, old))
							   : NULL);

	if (to == CV_STAGE_INVALID && from != CV_STAGE_INVALID)
	{
		/* the row holds no stage now: remember the one it had */
		if (!keyed)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("a row of \"%s\" may not lose its stage: the table has no primary key",
							RelationGetRelationName(rel)),
					 errdetail("%s: %s reads as no stage after \"%s\". Without a primary key the guard "
							   "cannot remember the last stage, so it keeps a stage in the column.",
							   cvfw_row_name(rel, new->tuple), value_words(s, new), cv_stage_name(from)),
					 errhint("Give the table a primary key."),
					 errtablecol(rel, s->column.attnum)));
		if (!remembered || strcmp(row_key(s, old), row_key(s, new)) != 0)
		{
			cvfw_memory_put(s->memory_rel, s->column.name, row_key(s, new), from);
			if (remembered)
				cvfw_memory_del(s->memory_rel, s->column.name, row_key(s, old));
		}
	}
	else if (remembered)
		cvfw_memory_del(s->memory_rel, s->column.name, row_key(s, old));	/* a stage again: nothing to remember */

	if (s->capture)
	{
		cv_stage	now = (to != CV_STAGE_INVALID) ? to : from;

		if (now != CV_STAGE_INVALID &&
			(now != from ||
			 (s->value_att != InvalidAttrNumber &&
			  !same_datum(old->value, old->value_null, new->value, new->value_null,
						  TupleDescAttr(new->desc, s->value_att - 1))) ||
			 (s->cost_att != InvalidAttrNumber &&
			  !same_datum(old->cost, old->cost_null, new->cost, new->cost_null,
						  TupleDescAttr(new->desc, s->cost_att - 1)))))
			record_event(s, new, old, now, now != from);
	}
}

static void
check_delete(guard_setup *s, row_view *old)
{
	/* a row that goes takes what is remembered of it along */
	if (!HAS_STAGE(old->kind) && s->key.natts > 0)
		cvfw_memory_del(s->memory_rel, s->column.name, row_key(s, old));
}

/* copy what a moved row's check needs into the transaction's memory */
static void
stash_move(guard_setup *s, row_view *old)
{
	MemoryContext prev = MemoryContextSwitchTo(TopTransactionContext);
	pending_move *m = palloc0(sizeof(pending_move));
	HeapTupleHeader h = old->tuple->t_data;
	row_view   *v = &m->old;

	if (!xact_callback_registered)
	{
		RegisterXactCallback(forget_pending_moves, NULL);
		xact_callback_registered = true;
	}
	m->signature = s->signature;
	m->xid = HeapTupleHeaderGetUpdateXid(h);
	m->cid = HeapTupleHeaderGetCmax(h);
	/* a copy of the tuple, read again so every datum points into the copy */
	read_row(s, CreateTupleDescCopy(old->desc), heap_copytuple(old->tuple), v);
	if (!HAS_STAGE(v->kind) && s->key.natts > 0)
		(void) row_key(s, v);	/* the key it is remembered by, while the tuple is at hand */
	pending_moves = lappend(pending_moves, m);
	MemoryContextSwitchTo(prev);
}

/* the moved row an INSERT completes, taken off the list; NULL when none */
static pending_move *
take_move(guard_setup *s, HeapTuple new)
{
	TransactionId xid;
	CommandId	cid;
	ListCell   *lc;

	if (pending_moves == NIL)
		return NULL;
	xid = HeapTupleHeaderGetXmin(new->t_data);
	cid = HeapTupleHeaderGetCmin(new->t_data);
	foreach(lc, pending_moves)
	{
		pending_move *m = lfirst(lc);

		if (m->signature == s->signature && TransactionIdEquals(m->xid, xid) && m->cid == cid)
		{
			pending_moves = foreach_delete_current(pending_moves, lc);
			return m;
		}
	}
	return NULL;
}

Datum
cvfw_guard_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	guard_setup *s;
	Relation	rel;
	TupleDesc	desc;
	row_view	old,
				new;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_guard_trigger: not called by trigger manager"),
				 errhint("Install a guard with cvfw_guard(table, column, policy, ...).")));
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_guard_trigger must be fired AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW"),
				 errdetail("Trigger \"%s\" on table \"%s\" was fired otherwise.",
						   td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation)),
				 errhint("Install a guard with cvfw_guard(table, column, policy, ...).")));

	rel = td->tg_relation;
	s = fcinfo->flinfo->fn_extra;
	if (s == NULL || s->tgoid != td->tg_trigger->tgoid || s->relid != RelationGetRelid(rel))
		fcinfo->flinfo->fn_extra = s = setup_guard(fcinfo, td);
	desc = RelationGetDescr(rel);

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		read_row(s, desc, td->tg_trigtuple, &old);
		read_row(s, desc, td->tg_newtuple, &new);
		check_update(s, rel, &old, &new);
	}
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		pending_move *m = take_move(s, td->tg_trigtuple);

		read_row(s, desc, td->tg_trigtuple, &new);
		if (m != NULL)
			check_update(s, rel, &m->old, &new);
		else
			check_insert(s, &new);
	}
	else
	{
		read_row(s, desc, td->tg_trigtuple, &old);
		if (HeapTupleHeaderIndicatesMovedPartitions(td->tg_trigtuple->t_data))
			stash_move(s, &old);
		else
			check_delete(s, &old);
	}
	return PointerGetDatum(NULL);
}
