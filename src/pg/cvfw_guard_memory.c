/*
 * cvfw_guard_memory.c — what the guards remember, from SQL:
 * cvfw_guard_forget(table, column) and cvfw_guard_remember(table, column,
 * key, stage) for the table's owner (cvfw_guard and cvfw_unguard call
 * them), and cvfw_guard_dropped(), the sql_drop event trigger that forgets
 * dropped tables.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "pg_guard_memory.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_guard_forget);
PG_FUNCTION_INFO_V1(cvfw_guard_remember);
PG_FUNCTION_INFO_V1(cvfw_guard_dropped);

static void
memory_init_here(FunctionCallInfo fcinfo)
{
	Oid			extnsp = get_func_namespace(fcinfo->flinfo->fn_oid);

	cvfw_memory_init(extnsp, GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum("cvfw_stage"), ObjectIdGetDatum(extnsp)));
}

/*
 * Forget the remembered stages of a table's column: for cvfw_guard (a new
 * guard starts knowing nothing) and cvfw_unguard.  The memory is written
 * as its owner only, so the table's owner may clear a table's part of it.
 */
Datum
cvfw_guard_forget(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *col = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (!cvfw_owns_relation(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s", get_rel_name(relid))));
	memory_init_here(fcinfo);
	cvfw_memory_clear(relid, col);
	PG_RETURN_VOID();
}

/*
 * Remember a row's last stage: for cvfw_guard, which seeds what a new
 * guard remembers from the history table (the last stage of each row that
 * holds none when the guard comes), and for dump/restore tooling.  The
 * table's owner only; nothing remembered already is overwritten.
 */
Datum
cvfw_guard_remember(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *col = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *key = text_to_cstring(PG_GETARG_TEXT_PP(2));

	if (!cvfw_owns_relation(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s", get_rel_name(relid))));
	memory_init_here(fcinfo);
	if (cvfw_memory_get(relid, col, key) == CV_STAGE_INVALID)
		cvfw_memory_put(relid, col, key, (cv_stage) PG_GETARG_CVFW_STAGE(3));
	PG_RETURN_VOID();
}

/* sql_drop: what is remembered of dropped tables goes with them */
Datum
cvfw_guard_dropped(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_guard_dropped: not fired by event trigger manager")));
	if (!OidIsValid(get_relname_relid("cvfw_guard_memory", get_func_namespace(fcinfo->flinfo->fn_oid))))
		PG_RETURN_VOID();		/* the extension itself is going */
	memory_init_here(fcinfo);
	cvfw_memory_forget_dropped();
	PG_RETURN_VOID();
}
