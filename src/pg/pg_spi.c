/*
 * pg_spi.c — kept SPI plans, run as another role.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "executor/spi.h"
#include "miscadmin.h"

#include "pg_spi.h"
#include "pg_stage.h"

SPIPlanPtr
cvfw_spi_prepare_kept(const char *query, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare(query, nargs, argtypes);
	if (plan == NULL)
		elog(ERROR, "cvfw guard: preparing \"%s\" failed: %s", query,
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	SPI_finish();
	return plan;
}

int
cvfw_spi_run_as(Oid role, SPIPlanPtr plan, Datum *values, const char *nulls, bool *found, cv_stage *stage)
{
	Oid			save_user;
	int			save_sec;
	int			rc;

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(role, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(plan, values, nulls, false, 0);
	if (rc < 0)
		elog(ERROR, "cvfw guard query failed: %s", SPI_result_code_string(rc));
	if (found != NULL)
	{
		*found = SPI_processed > 0;
		if (*found)
		{
			bool		isnull;

			*stage = DatumGetCvfwStage(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
													 1, &isnull));
		}
	}
	SPI_finish();
	SetUserIdAndSecContext(save_user, save_sec);
	return rc;
}
