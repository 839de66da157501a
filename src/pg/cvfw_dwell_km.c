/*
 * cvfw_dwell_km.c — cvfw_dwell_km(flow [, as_of, horizon]) and
 * cvfw_dwell_km_percentile(): dwell percentiles that count the visits still
 * open at as_of (the product-limit estimate of src/core/km.c), next to
 * today's percentiles of the completed visits.
 */
#include "postgres.h"
#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "km.h"
#include "pg_flow.h"
#include "pg_stage.h"
#include "pg_value.h"

PG_FUNCTION_INFO_V1(cvfw_dwell_km);
PG_FUNCTION_INFO_V1(cvfw_dwell_km_percentile);

static void
interval_or_null(int found, double us, Datum *value, bool *isnull)
{
	*isnull = !found;
	*value = found ? IntervalPGetDatum(cvfw_us_interval(us)) : (Datum) 0;
}

Datum
cvfw_dwell_km(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const cv_flow *f;
	bool		has_cutoff;
	int32		cutoff_day;
	int64		as_of;
	int			s;

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	f = cvfw_flow_of_args(fcinfo, 1, 2, &has_cutoff, &cutoff_day, &as_of);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_km		km;
		Datum		values[7];
		bool		nulls[7] = {false};
		double		us = 0;
		int			found;

		cv_km_stage(f, (cv_stage) s, has_cutoff, cutoff_day, as_of, &km);
		values[0] = CvfwStageGetDatum(s);
		values[1] = Int64GetDatum((int64) km.moved);
		values[2] = Int64GetDatum((int64) km.open);
		found = cv_sketch_quantile(&f->st[s].dwell, 0.5, &us);
		interval_or_null(found, us, &values[3], &nulls[3]);
		found = cv_km_quantile(&km, 0.5, &us);
		interval_or_null(found, us, &values[4], &nulls[4]);
		found = cv_sketch_quantile(&f->st[s].dwell, 0.9, &us);
		interval_or_null(found, us, &values[5], &nulls[5]);
		found = cv_km_quantile(&km, 0.9, &us);
		interval_or_null(found, us, &values[6], &nulls[6]);
		cv_km_free(&km);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
cvfw_dwell_km_percentile(PG_FUNCTION_ARGS)
{
	const cv_flow *f;
	bool		has_cutoff;
	int32		cutoff_day;
	int64		as_of;
	cv_km		km;
	double		q,
				us = 0;
	int			found;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	q = PG_GETARG_FLOAT8(2);
	if (!(q >= 0 && q <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", q)));
	f = cvfw_flow_of_args(fcinfo, 3, 4, &has_cutoff, &cutoff_day, &as_of);
	cv_km_stage(f, PG_GETARG_CVFW_STAGE(1), has_cutoff, cutoff_day, as_of, &km);
	found = cv_km_quantile(&km, q, &us);
	cv_km_free(&km);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(cvfw_us_interval(us));
}
