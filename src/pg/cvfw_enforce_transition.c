/*
 * cvfw_enforce_transition.c — cvfw_enforce_transition(column [, policy]): a
 * BEFORE UPDATE FOR EACH ROW trigger that refuses stage changes the policy
 * does not allow.  The form of 0.1.0, kept as it was; cvfw_guard installs
 * the form that nothing else on the table can get round
 * (cvfw_guard_trigger.c).
 *
 * The column may be cvfw_stage, text/varchar/char (or a domain over one),
 * or an enum whose labels are stage names.  The arguments are looked at
 * once per statement: the result is cached in fn_extra, which lives as
 * long as the statement's executor state.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "pg_guard.h"
#include "pg_policy.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_enforce_transition);

typedef struct trigger_setup
{
	Oid			tgoid;
	Oid			relid;
	cvfw_column column;
	cv_policy	policy;
	char	   *policy_text;	/* how the policy is named in errors */
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

static trigger_setup *
setup_trigger(FunctionCallInfo fcinfo, TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	trigger_setup *setup;
	Oid			stage_type;

	if (tg->tgnargs < 1 || tg->tgnargs > 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_enforce_transition takes a column name and an optional policy"),
				 errdetail("Trigger \"%s\" on table \"%s\" passes %d arguments.",
						   tg->tgname, RelationGetRelationName(rel), tg->tgnargs)));

	setup = MemoryContextAllocZero(mcxt, sizeof(trigger_setup));
	setup->tgoid = tg->tgoid;
	setup->relid = RelationGetRelid(rel);

	/* cvfw_stage is the type of that name in this function's own schema */
	stage_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								 CStringGetDatum("cvfw_stage"),
								 ObjectIdGetDatum(get_func_namespace(fcinfo->flinfo->fn_oid)));
	cvfw_column_init(&setup->column, rel, tg->tgargs[0], stage_type, NULL,
					 psprintf("Trigger \"%s\" guards it with cvfw_enforce_transition.", tg->tgname),
					 "cvfw_enforce_transition guards columns of type cvfw_stage, text, varchar, char, "
					 "or an enum whose labels are stage names.", mcxt);

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

/* the stage a new value stands for; a text or enum value that is none: 22P02 */
static cv_stage
new_stage(const cvfw_column *col, Datum value)
{
	cv_stage	stage;

	if (cvfw_column_read(col, value, &stage) < 0)
		cvfw_column_value_error(col, value);
	return stage;
}

Datum
cvfw_enforce_transition(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	trigger_setup *setup;
	TupleDesc	desc;
	AttrNumber	attnum;
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
	 * UPDATE OR DELETE trigger, a MERGE).  UPDATE is what it guards; an
	 * INSERT (BEFORE INSERT OR UPDATE) has no old stage to check against, so
	 * only the new value's being a stage is.
	 */
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_UPDATE(td->tg_event) || TRIGGER_FIRED_BY_INSERT(td->tg_event)))
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
	attnum = setup->column.attnum;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		new_value = heap_getattr(td->tg_trigtuple, attnum, desc, &new_null);
		if (!new_null)
			(void) new_stage(&setup->column, new_value);
		return PointerGetDatum(td->tg_trigtuple);
	}
	old_value = heap_getattr(td->tg_trigtuple, attnum, desc, &old_null);
	new_value = heap_getattr(td->tg_newtuple, attnum, desc, &new_null);

	/* to NULL is allowed; so is leaving the value as it is */
	if (new_null ||
		(!old_null && datumIsEqual(old_value, new_value,
								   TupleDescAttr(desc, attnum - 1)->attbyval,
								   TupleDescAttr(desc, attnum - 1)->attlen)))
		return PointerGetDatum(td->tg_newtuple);

	/* a new value must be a stage (22P02 otherwise), even from NULL */
	to = new_stage(&setup->column, new_value);
	if (old_null)
		return PointerGetDatum(td->tg_newtuple);
	/* an old value that was no stage: nothing to check the change against */
	if (cvfw_column_read(&setup->column, old_value, &from) < 0 ||
		cv_policy_allows_move(setup->policy, from, to))
		return PointerGetDatum(td->tg_newtuple);

	/* the message of 0.1.0, unchanged (cvfw_guard's names the row too) */
	cvfw_refuse_transition(td->tg_relation, attnum, NULL,
						   setup->policy, setup->policy_text, from, to, NULL);
	return PointerGetDatum(td->tg_newtuple);	/* not reached */
}
