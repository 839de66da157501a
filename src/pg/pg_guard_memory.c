/*
 * pg_guard_memory.c — the guards' memory: kept plans over cvfw_guard_memory,
 * run as its owner.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "pg_guard_memory.h"
#include "pg_spi.h"
#include "pg_stage.h"

/* the SPI plans every guard shares: the memory, one per backend */
typedef struct memory_plans
{
	Oid			extnsp;
	Oid			owner;			/* the memory table's owner: its queries run as it */
	SPIPlanPtr	get;
	SPIPlanPtr	put;
	SPIPlanPtr	del;
	SPIPlanPtr	clear;
} memory_plans;

static memory_plans memory;

void
cvfw_memory_init(Oid extnsp, Oid stage_type)
{
	const char *nsp = quote_identifier(get_namespace_name(extnsp));
	Oid			relid = get_relname_relid("cvfw_guard_memory", extnsp);
	HeapTuple	tup;
	Oid			args[4] = {REGCLASSOID, TEXTOID, TEXTOID, stage_type};
	char	   *q;

	/* the owner each time (the extension may have been made again); the plans once */
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cvfw_guard_memory is missing from schema %s", nsp);
	memory.owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	if (memory.get != NULL && memory.extnsp == extnsp)
		return;

	q = psprintf("SELECT stage FROM %s.cvfw_guard_memory WHERE tbl OPERATOR(pg_catalog.=) $1 "
				 "AND col OPERATOR(pg_catalog.=) $2 AND key OPERATOR(pg_catalog.=) $3", nsp);
	memory.get = cvfw_spi_prepare_kept(q, 3, args);
	q = psprintf("INSERT INTO %s.cvfw_guard_memory AS m (tbl, col, key, stage) VALUES ($1, $2, $3, $4) "
				 "ON CONFLICT (tbl, col, key) DO UPDATE SET stage = EXCLUDED.stage", nsp);
	memory.put = cvfw_spi_prepare_kept(q, 4, args);
	q = psprintf("DELETE FROM %s.cvfw_guard_memory WHERE tbl OPERATOR(pg_catalog.=) $1 "
				 "AND col OPERATOR(pg_catalog.=) $2 AND key OPERATOR(pg_catalog.=) $3", nsp);
	memory.del = cvfw_spi_prepare_kept(q, 3, args);
	q = psprintf("DELETE FROM %s.cvfw_guard_memory WHERE tbl OPERATOR(pg_catalog.=) $1 "
				 "AND col OPERATOR(pg_catalog.=) $2", nsp);
	memory.clear = cvfw_spi_prepare_kept(q, 2, args);
	memory.extnsp = extnsp;
}

cv_stage
cvfw_memory_get(Oid rel, const char *col, const char *key)
{
	Datum		v[3] = {ObjectIdGetDatum(rel), CStringGetTextDatum(col), CStringGetTextDatum(key)};
	bool		found;
	cv_stage	stage = CV_STAGE_INVALID;

	cvfw_spi_run_as(memory.owner, memory.get, v, NULL, &found, &stage);
	return found ? stage : CV_STAGE_INVALID;
}

void
cvfw_memory_put(Oid rel, const char *col, const char *key, cv_stage stage)
{
	Datum		v[4] = {ObjectIdGetDatum(rel), CStringGetTextDatum(col), CStringGetTextDatum(key),
	CvfwStageGetDatum(stage)};

	cvfw_spi_run_as(memory.owner, memory.put, v, NULL, NULL, NULL);
}

void
cvfw_memory_del(Oid rel, const char *col, const char *key)
{
	Datum		v[3] = {ObjectIdGetDatum(rel), CStringGetTextDatum(col), CStringGetTextDatum(key)};

	cvfw_spi_run_as(memory.owner, memory.del, v, NULL, NULL, NULL);
}

void
cvfw_memory_clear(Oid rel, const char *col)
{
	Datum		v[2] = {ObjectIdGetDatum(rel), CStringGetTextDatum(col)};

	cvfw_spi_run_as(memory.owner, memory.clear, v, NULL, NULL, NULL);
}

void
cvfw_memory_forget_dropped(void)
{
	Oid			save_user;
	int			save_sec;
	char	   *q;

	q = psprintf("DELETE FROM %s.cvfw_guard_memory WHERE tbl::pg_catalog.oid OPERATOR(pg_catalog.=) "
				 "ANY (ARRAY(SELECT objid FROM pg_catalog.pg_event_trigger_dropped_objects() "
				 "WHERE classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
				 "AND objsubid OPERATOR(pg_catalog.=) 0))",
				 quote_identifier(get_namespace_name(memory.extnsp)));
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(memory.owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(q, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "forgetting the guard memory of dropped tables failed");
	SPI_finish();
	SetUserIdAndSecContext(save_user, save_sec);
}
