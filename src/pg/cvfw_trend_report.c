/*
 * cvfw_trend_report.c — reading a trend: cvfw_trend_leakage(trend, period,
 * as_of, horizon), one row per period and stage that had visits.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/tuplestore.h"

#include "pg_flow.h"
#include "pg_stage.h"
#include "pg_trend.h"

PG_FUNCTION_INFO_V1(cvfw_trend_leakage);

Datum
cvfw_trend_leakage(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_trend	t;
	cv_trend_row *rows;
	size_t		n,
				i;
	int32		cutoff_day = 0;
	bool		has_cutoff;
	cv_trend_period	period;
	const char *why = NULL;
	cv_status	st;

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;		/* no trend, no rows */
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cvfw_trend_leakage: the period must not be NULL"),
				 errhint("The period is day, week or month.")));
	period = cvfw_period_arg(PG_GETARG_TEXT_PP(1));
	has_cutoff = cvfw_leak_cutoff(fcinfo, 2, 3, &cutoff_day);
	cvfw_trend_init(&t, CurrentMemoryContext);
	cvfw_trend_from_datum(PG_GETARG_DATUM(0), &t);
	st = cv_trend_report(&t, period, has_cutoff, cutoff_day, &rows, &n, &why);
	cvfw_trend_check(st, why);
	for (i = 0; i < n; i++)
	{
		const cv_trend_row *r = &rows[i];
		Datum		values[11];
		bool		nulls[11] = {false};

		/* trend days count from 2000-01-01, as a date does */
		values[0] = DateADTGetDatum((DateADT) r->start);
		values[1] = CvfwStageGetDatum(r->stage);
		values[2] = Int64GetDatum((int64) r->visits);
		values[3] = Int64GetDatum((int64) r->advanced);
		values[4] = Int64GetDatum((int64) r->regressed);
		values[5] = Int64GetDatum((int64) r->skipped);
		values[6] = Int64GetDatum((int64) r->ended);
		values[7] = Int64GetDatum((int64) r->leaked);
		values[8] = Int64GetDatum((int64) (r->ended - r->leaked));
		values[9] = Float8GetDatum((double) r->leaked / (double) r->visits);
		values[10] = Float8GetDatum(cv_money_to_double(r->value));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	cv_trend_free(&t);
	return (Datum) 0;
}
