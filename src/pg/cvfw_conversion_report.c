/*
 * cvfw_conversion_report.c — reading a conversion summary:
 * cvfw_conversion_report, and the scalar accessors cvfw_conversion_furthest,
 * cvfw_conversion_rate and cvfw_conversion_time_percentile.  Every derived
 * number (rates, times) is computed once, in the core (cv_conv_rows).
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "mem.h"
#include "pg_flow.h"
#include "pg_stage.h"
#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_conversion_report);
PG_FUNCTION_INFO_V1(cvfw_conversion_furthest);
PG_FUNCTION_INFO_V1(cvfw_conversion_rate);
PG_FUNCTION_INFO_V1(cvfw_conversion_time_percentile);

#define NCOLS 14

Datum
cvfw_conversion_report(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cvfw_summary_acc acc;
	cv_conv_row *rows;
	size_t		n,
				i;

	cvfw_init_materialized_srf(fcinfo);
	cvfw_summary_from_arg(fcinfo, 0, &cvfw_conversion_kind, &acc);
	rows = cv_conv_rows(&acc.conv, &n);
	for (i = 0; i < n; i++)
	{
		const cv_conv_row *r = &rows[i];
		Datum		values[NCOLS];
		bool		nulls[NCOLS] = {false};

		if (r->has_cohort)
			values[0] = cvfw_summary_time_datum(cv_period_start((cv_period) acc.conv.p.period, r->cohort));
		else
			nulls[0] = true;
		values[1] = Int32GetDatum(r->step);
		values[2] = CvfwStageGetDatum(r->stage);
		values[3] = Int64GetDatum((int64) r->customers);
		values[4] = Int64GetDatum((int64) r->attempts);
		values[5] = Int64GetDatum((int64) r->in_progress);
		values[6] = Float8GetDatum(r->step_rate);
		nulls[6] = !r->has_step_rate;
		values[7] = Float8GetDatum(r->rate);
		nulls[7] = !r->has_rate;
		if (r->has_times)
		{
			values[8] = IntervalPGetDatum(cvfw_us_interval(r->time_avg));
			values[9] = IntervalPGetDatum(cvfw_us_interval(r->time_p50));
			values[10] = IntervalPGetDatum(cvfw_us_interval(r->time_p90));
			values[11] = IntervalPGetDatum(cvfw_us_interval(r->step_avg));
			values[12] = IntervalPGetDatum(cvfw_us_interval(r->step_p50));
			values[13] = IntervalPGetDatum(cvfw_us_interval(r->step_p90));
		}
		else
			nulls[8] = nulls[9] = nulls[10] = nulls[11] = nulls[12] = nulls[13] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	cv_mem.free(rows);
	cv_conv_free(&acc.conv);
	return (Datum) 0;
}

Datum
cvfw_conversion_furthest(PG_FUNCTION_ARGS)
{
	cvfw_summary_acc acc;
	int			furthest;

	cvfw_summary_from_arg(fcinfo, 0, &cvfw_conversion_kind, &acc);
	furthest = cv_conv_furthest(&acc.conv);
	cv_conv_free(&acc.conv);
	PG_RETURN_INT32(furthest);
}

/* a step argument: 1 .. the path's length */
static int
step_arg(FunctionCallInfo fcinfo, int argno, const cv_conv *c, int lowest)
{
	int32		step = PG_GETARG_INT32(argno);

	if (step < lowest || step > c->p.steps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_conversion: step %d is out of range", step),
				 errdetail("This path's steps run from %d to %d.", lowest, c->p.steps)));
	return step;
}

/* cvfw_conversion_rate(summary [, step]): attempts reaching step / attempts started */
Datum
cvfw_conversion_rate(PG_FUNCTION_ARGS)
{
	cvfw_summary_acc acc;
	int			step;
	uint64		started,
				reached;

	cvfw_summary_from_arg(fcinfo, 0, &cvfw_conversion_kind, &acc);
	step = PG_NARGS() > 1 ? step_arg(fcinfo, 1, &acc.conv, 1) : acc.conv.p.steps;
	started = cv_conv_attempts(&acc.conv, 1);
	reached = cv_conv_attempts(&acc.conv, step);
	cv_conv_free(&acc.conv);
	if (started == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) reached / (double) started);
}

/* cvfw_conversion_time_percentile(summary, step, fraction): time from the start to step */
Datum
cvfw_conversion_time_percentile(PG_FUNCTION_ARGS)
{
	cvfw_summary_acc acc;
	int			step;
	float8		q = PG_GETARG_FLOAT8(2);
	double		us;
	int			found;

	if (isnan(q) || q < 0 || q > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_conversion: a percentile fraction must be between 0 and 1")));
	cvfw_summary_from_arg(fcinfo, 0, &cvfw_conversion_kind, &acc);
	step = step_arg(fcinfo, 1, &acc.conv, 2);
	found = cv_conv_time_quantile(&acc.conv, step, q, &us);
	cv_conv_free(&acc.conv);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(cvfw_us_interval(us));
}
