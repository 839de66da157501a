/*
 * cvfw_guards.c — cvfw_guards(): every guard cvfw_guard installed, read
 * from its trigger's arguments (column=, policy=, map=, history=,
 * customer=, at=, value=, cost=).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/tuplestore.h"

#include "pg_policy.h"

PG_FUNCTION_INFO_V1(cvfw_guards);

Datum
cvfw_guards(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			extnsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	MemoryContext outer = CurrentMemoryContext;
	uint64		i;

	cvfw_init_materialized_srf(fcinfo);
	args[0] = ObjectIdGetDatum(extnsp);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT t.tgrelid, t.tgname, t.tgargs, t.tgnargs FROM pg_catalog.pg_trigger t "
							  "WHERE t.tgfoid OPERATOR(pg_catalog.=) (SELECT p.oid FROM pg_catalog.pg_proc p "
							  "WHERE p.proname OPERATOR(pg_catalog.=) 'cvfw_guard_trigger' "
							  "AND p.pronamespace OPERATOR(pg_catalog.=) $1) "
							  "AND t.tgparentid OPERATOR(pg_catalog.=) 0::pg_catalog.oid "
							  "ORDER BY t.tgrelid::pg_catalog.regclass::pg_catalog.text, t.tgname",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the guards failed");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		char	   *tgname = SPI_getvalue(tup, desc, 2);
		bytea	   *argbytes = DatumGetByteaPP(SPI_getbinval(tup, desc, 3, &isnull));
		int			nargs = DatumGetInt16(SPI_getbinval(tup, desc, 4, &isnull));
		const char *p = VARDATA_ANY(argbytes);
		const char *end = p + VARSIZE_ANY_EXHDR(argbytes);
		static const char *const keys[] = {"column", "policy", "map", "history", "customer",
		"at", "value", "cost"};
		Datum		values[10];
		bool		nulls[10];
		int			a,
					k;
		MemoryContext spi = MemoryContextSwitchTo(outer);

		for (k = 0; k < 10; k++)
			nulls[k] = true;
		values[0] = ObjectIdGetDatum(relid);
		nulls[0] = false;
		for (a = 0; a < nargs && p < end; a++)
		{
			const char *arg = p;
			const char *eq = strchr(arg, '=');

			p += strlen(arg) + 1;
			for (k = 0; eq != NULL && k < 8; k++)
				if (strlen(keys[k]) == (size_t) (eq - arg) && strncmp(arg, keys[k], eq - arg) == 0)
					break;
			if (eq == NULL || k == 8 || eq[1] == '\0')
				continue;
			if (k == 1)
			{
				cv_policy	pol;

				if (!cvfw_parse_policy(eq + 1, &pol, NULL))
					continue;
				values[2] = CvfwPolicyGetDatum(pol);
			}
			else if (k == 3)
			{
				Oid			h = cvfw_relation_by_name(eq + 1);

				if (!OidIsValid(h))
					continue;
				values[4] = ObjectIdGetDatum(h);
			}
			else
				values[k + 1] = CStringGetTextDatum(eq + 1);
			nulls[k + 1] = false;
		}
		values[9] = CStringGetTextDatum(tgname);
		nulls[9] = false;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
	return (Datum) 0;
}
