/*
 * cvfw_retention_matrix.c — reading a retention summary:
 * cvfw_retention_matrix (the cohort triangle as rows) and the scalar
 * cvfw_retention_rate.  Counts and rates come from the core (cv_ret_rows).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

#include "mem.h"
#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_retention_matrix);
PG_FUNCTION_INFO_V1(cvfw_retention_rate);

#define NCOLS 8

Datum
cvfw_retention_matrix(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cvfw_summary_acc acc;
	cv_ret_row *rows;
	size_t		n,
				i;

	cvfw_init_materialized_srf(fcinfo);
	cvfw_summary_from_arg(fcinfo, 0, &cvfw_retention_kind, &acc);
	rows = cv_ret_rows(&acc.ret, &n);
	for (i = 0; i < n; i++)
	{
		const cv_ret_row *r = &rows[i];
		Datum		values[NCOLS];
		bool		nulls[NCOLS] = {false};

		values[0] = cvfw_summary_time_datum(cv_period_start((cv_period) acc.ret.p.period, r->cohort));
		values[1] = Int64GetDatum(r->offset);
		values[2] = Int64GetDatum((int64) r->cohort_customers);
		values[3] = Int64GetDatum((int64) r->customers);
		values[4] = Int64GetDatum((int64) r->retained);
		/* a row exists only for an offset complete for someone: customers > 0 */
		values[5] = Float8GetDatum((double) r->retained / (double) r->customers);
		values[6] = Int64GetDatum((int64) r->retained_after);
		values[7] = Float8GetDatum((double) r->retained_after / (double) r->customers);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
	}
	cv_mem.free(rows);
	cv_ret_free(&acc.ret);
	return (Datum) 0;
}

/* cvfw_retention_rate(summary, period_offset [, on_or_after]) over all cohorts */
Datum
cvfw_retention_rate(PG_FUNCTION_ARGS)
{
	cvfw_summary_acc acc;
	int32		offset = PG_GETARG_INT32(1);
	bool		after = PG_NARGS() > 2 && PG_GETARG_BOOL(2);
	double		rate;
	int			found;

	cvfw_summary_from_arg(fcinfo, 0, &cvfw_retention_kind, &acc);
	found = cv_ret_rate(&acc.ret, offset, after, &rate);
	cv_ret_free(&acc.ret);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(rate);
}
