/*
 * pg_compat.c — the out-of-line half of pg_compat.h.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/namespace.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/regproc.h"
#include "utils/tuplestore.h"

#if PG_VERSION_NUM < 150000
int
cvfw_ssup_int32_cmp(Datum x, Datum y, SortSupport ssup)
{
	int32		a = DatumGetInt32(x);
	int32		b = DatumGetInt32(y);

	(void) ssup;
	return (a > b) - (a < b);
}
#endif

void
cvfw_init_materialized_srf(FunctionCallInfo fcinfo)
{
#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, 0);
#elif PG_VERSION_NUM >= 150000
	/* 15.0 has only the old name; InitMaterializedSRF arrived in 15.1 */
	SetSingleFuncCall(fcinfo, 0);
#else
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	MemoryContext oldcontext;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context")));
	oldcontext = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(oldcontext);
#endif
}

Oid
cvfw_relation_by_name(const char *qualified_name)
{
#if PG_VERSION_NUM >= 160000
	List	   *names = stringToQualifiedNameList(qualified_name, NULL);
#else
	List	   *names = stringToQualifiedNameList(qualified_name);
#endif

	return RangeVarGetRelid(makeRangeVarFromNameList(names), NoLock, true);
}
#ifdef CV_USE_ASSERT_CHECKING
#include "cv_assert.h"

/* the core's CV_ASSERT (cv_assert.h) fails as PostgreSQL's Assert does */
void
cv_assert_failed(const char *cond, const char *file, int line)
{
#if PG_VERSION_NUM >= 160000
	ExceptionalCondition(cond, file, line);
#else
	ExceptionalCondition(cond, "FailedAssertion", file, line);
#endif
}
#endif
