/*
 * cvfw_enforce_transition.c — cvfw_enforce_transition(column [, policy]): a BEFORE UPDATE
 * FOR EACH ROW trigger that refuses stage changes the policy does not allow.
 *
 * The column may be cvfw_stage, text/varchar/char (or a domain over one),
 * or an enum whose labels are stage names.  The arguments are looked at
 * once per statement: the result is cached in fn_extra, which lives as
 * long as the statement's executor state.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "pg_policy.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_enforce_transition);

typedef enum column_kind
{
	COLUMN_STAGE,
	COLUMN_TEXT,
	COLUMN_ENUM
} column_kind;

typedef struct enum_stage
{
	Oid			label;
	cv_stage	stage;			/* CV_STAGE_INVALID: the label is no stage */
} enum_stage;

typedef struct trigger_setup
{
	Oid			tgoid;
	Oid			relid;
	AttrNumber	attnum;
	column_kind kind;
	cv_policy	policy;
	char	   *policy_text;	/* how the policy is named in errors */
	int			nlabels;
	enum_stage *labels;
} trigger_setup;

typedef struct policy_arg_context
{
	const char *trigger;
	const char *relation;
} policy_arg_context;

static void
policy_arg_callback(void *arg)
{
	policy_arg_context *c = arg;

	errcontext("policy argument of trigger \"%s\" on table \"%s\"", c->trigger, c->relation);
}

static void
load_enum_labels(trigger_setup *setup, Oid enumtype, MemoryContext mcxt)
{
	CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(enumtype));
	int			i;

	setup->nlabels = list->n_members;
	setup->labels = MemoryContextAlloc(mcxt, sizeof(enum_stage) * Max(list->n_members, 1));
	for (i = 0; i < list->n_members; i++)
	{
		Form_pg_enum e = (Form_pg_enum) GETSTRUCT(&list->members[i]->tuple);
		const char *label = NameStr(e->enumlabel);

		setup->labels[i].label = e->oid;
		setup->labels[i].stage = cv_stage_parse(label, strlen(label));
	}
	ReleaseSysCacheList(list);
}

static trigger_setup *
setup_trigger(FunctionCallInfo fcinfo, TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	trigger_setup *setup;
	Form_pg_attribute att;
	Oid			base;
	Oid			stage_type;
	int			attnum;

	if (tg->tgnargs < 1 || tg->tgnargs > 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_enforce_transition takes a column name and an optional policy"),
				 errdetail("Trigger \"%s\" on table \"%s\" passes %d arguments.",
						   tg->tgname, RelationGetRelationName(rel), tg->tgnargs)));

	attnum = SPI_fnumber(RelationGetDescr(rel), tg->tgargs[0]);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						tg->tgargs[0], RelationGetRelationName(rel)),
				 errdetail("Trigger \"%s\" guards it with cvfw_enforce_transition.", tg->tgname)));
	att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);

	setup = MemoryContextAllocZero(mcxt, sizeof(trigger_setup));
	setup->tgoid = tg->tgoid;
	setup->relid = RelationGetRelid(rel);
	setup->attnum = attnum;

	/* cvfw_stage is the type of that name in this function's own schema */
	stage_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								 CStringGetDatum("cvfw_stage"),
								 ObjectIdGetDatum(get_func_namespace(fcinfo->flinfo->fn_oid)));
	base = getBaseType(att->atttypid);
	if (base == stage_type)
		setup->kind = COLUMN_STAGE;
	else if (base == TEXTOID || base == VARCHAROID || base == BPCHAROID)
		setup->kind = COLUMN_TEXT;
	else if (type_is_enum(base))
	{
		setup->kind = COLUMN_ENUM;
		load_enum_labels(setup, base, mcxt);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of relation \"%s\" is of type %s",
						tg->tgargs[0], RelationGetRelationName(rel),
						format_type_be(att->atttypid)),
				 errdetail("cvfw_enforce_transition guards columns of type cvfw_stage, "
						   "text, varchar, char, or an enum whose labels are stage names.")));

	if (tg->tgnargs == 2)
	{
		ErrorContextCallback cb;
		policy_arg_context ctx = {tg->tgname, RelationGetRelationName(rel)};

		cb.callback = policy_arg_callback;
		cb.arg = &ctx;
		cb.previous = error_context_stack;
		error_context_stack = &cb;
		(void) cvfw_parse_policy(tg->tgargs[1], &setup->policy, NULL);
		error_context_stack = cb.previous;
	}
	else
		(void) cv_policy_lookup("wheel", 5, &setup->policy);
	setup->policy_text = MemoryContextStrdup(mcxt, cvfw_policy_text(setup->policy));

	elog(DEBUG1, "cvfw_enforce_transition: set up trigger \"%s\" on \"%s\" (policy %s)",
		 tg->tgname, RelationGetRelationName(rel), setup->policy_text);
	return setup;
}

/*
 * The stage a column value stands for.  A text or enum value that is no
 * stage name gives CV_STAGE_INVALID, or an error when must_parse.
 */
static cv_stage
value_stage(const trigger_setup *setup, Datum value, bool must_parse)
{
	switch (setup->kind)
	{
		case COLUMN_STAGE:
			return DatumGetCvfwStage(value);
		case COLUMN_TEXT:
			{
				text	   *t = DatumGetTextPP(value);
				const char *s = VARDATA_ANY(t);
				size_t		len = VARSIZE_ANY_EXHDR(t);
				cv_stage	st = cv_stage_parse(s, len);

				if (st == CV_STAGE_INVALID && must_parse)
					(void) cvfw_parse_stage(s, len, NULL);	/* raises 22P02 */
				return st;
			}
		case COLUMN_ENUM:
			{
				Oid			label = DatumGetObjectId(value);
				int			i;

				for (i = 0; i < setup->nlabels; i++)
					if (setup->labels[i].label == label)
					{
						if (setup->labels[i].stage == CV_STAGE_INVALID && must_parse)
						{
							char	   *name = DatumGetCString(DirectFunctionCall1(enum_out, value));

							(void) cvfw_parse_stage(name, strlen(name), NULL);
						}
						return setup->labels[i].stage;
					}
				/* a label added after the statement started: look it up */
				{
					char	   *name = DatumGetCString(DirectFunctionCall1(enum_out, value));

					return must_parse ? cvfw_parse_stage(name, strlen(name), NULL)
						: cv_stage_parse(name, strlen(name));
				}
			}
	}
	return CV_STAGE_INVALID;	/* not reached */
}

Datum
cvfw_enforce_transition(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	trigger_setup *setup;
	TupleDesc	desc;
	Datum		old_value,
				new_value;
	bool		old_null,
				new_null;
	cv_stage	from,
				to;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_enforce_transition: not called by trigger manager"),
				 errhint("Use it in CREATE TRIGGER ... BEFORE UPDATE ... FOR EACH ROW.")));

	/*
	 * Checked on every call, not only at set-up: one trigger may fire for
	 * several events in one statement (a row moved between partitions by an
	 * UPDATE OR DELETE trigger, a MERGE), and only UPDATE has both tuples.
	 */
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_enforce_transition must be fired BEFORE UPDATE FOR EACH ROW"),
				 errdetail("Trigger \"%s\" on table \"%s\" was fired otherwise.",
						   td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation)),
				 errhint("CREATE TRIGGER ... BEFORE UPDATE ON table FOR EACH ROW "
						 "EXECUTE FUNCTION cvfw_enforce_transition('column' [, 'policy'])")));

	setup = fcinfo->flinfo->fn_extra;
	if (setup == NULL || setup->tgoid != td->tg_trigger->tgoid ||
		setup->relid != RelationGetRelid(td->tg_relation))
		fcinfo->flinfo->fn_extra = setup = setup_trigger(fcinfo, td);

	desc = RelationGetDescr(td->tg_relation);
	old_value = heap_getattr(td->tg_trigtuple, setup->attnum, desc, &old_null);
	new_value = heap_getattr(td->tg_newtuple, setup->attnum, desc, &new_null);

	/* to NULL is allowed; so is leaving the value as it is */
	if (new_null ||
		(!old_null && datumIsEqual(old_value, new_value,
								   TupleDescAttr(desc, setup->attnum - 1)->attbyval,
								   TupleDescAttr(desc, setup->attnum - 1)->attlen)))
		return PointerGetDatum(td->tg_newtuple);

	/* a new value must be a stage (22P02 otherwise), even from NULL */
	to = value_stage(setup, new_value, true);
	if (old_null)
		return PointerGetDatum(td->tg_newtuple);
	from = value_stage(setup, old_value, false);
	/* an old value that was no stage: nothing to check the change against */
	if (from == CV_STAGE_INVALID || from == to || cv_policy_allows(setup->policy, from, to))
		return PointerGetDatum(td->tg_newtuple);

	{
		char	   *allowed = cvfw_policy_allowed_text(setup->policy, from);

		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("invalid wheel transition from \"%s\" to \"%s\"",
						cv_stage_name(from), cv_stage_name(to)),
				 allowed[0] != '\0'
				 ? errdetail("Policy \"%s\" allows from \"%s\" only: %s.",
							 setup->policy_text, cv_stage_name(from), allowed)
				 : errdetail("Policy \"%s\" allows no change from \"%s\".",
							 setup->policy_text, cv_stage_name(from)),
				 errtablecol(td->tg_relation, setup->attnum)));
	}
	return PointerGetDatum(td->tg_newtuple);	/* not reached */
}
