/*
 * cvfw_what_if.c — cvfw_what_if(flow, stage, leak_rate [, as_of, horizon]):
 * the value of a new customer and of the existing customers if a stage
 * leaked the given share of its visits.
 */
#include "postgres.h"
#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/tuplestore.h"

#include "pg_stage.h"
#include "pg_value.h"

PG_FUNCTION_INFO_V1(cvfw_what_if);

Datum
cvfw_what_if(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_chain	c,
				w;
	cv_value	today,
				then;
	cv_stage	k;
	double		r;
	Datum		values[9];
	bool		nulls[9] = {false};

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return (Datum) 0;
	k = PG_GETARG_CVFW_STAGE(1);
	r = cvfw_rate_arg(fcinfo, 2);
	/* the flow is argument 0, as_of and horizon 3 and 4 */
	{
		const cv_flow *f;
		bool		has_cutoff;
		int32		cutoff_day;
		int64		as_of;

		f = cvfw_flow_of_args(fcinfo, 3, 4, &has_cutoff, &cutoff_day, &as_of);
		cv_chain_of_flow(f, has_cutoff, cutoff_day, as_of, &c);
	}
	cv_chain_with_leak(&c, k, r, &w);
	cvfw_value_check(cv_value_of_chain(&c, &today));
	cvfw_value_check(cv_value_of_chain(&w, &then));
	values[0] = CvfwStageGetDatum(k);
	cvfw_float_or_null(c.leak[k], &values[1], &nulls[1]);
	values[2] = Float8GetDatum(r);
	cvfw_float_or_null(then.new_value, &values[3], &nulls[3]);
	cvfw_float_or_null(then.new_clv, &values[4], &nulls[4]);
	cvfw_float_or_null(then.base_value, &values[5], &nulls[5]);
	cvfw_float_or_null(then.base_clv, &values[6], &nulls[6]);
	cvfw_float_or_null(then.new_clv - today.new_clv, &values[7], &nulls[7]);
	cvfw_float_or_null(then.base_clv - today.base_clv, &values[8], &nulls[8]);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}
