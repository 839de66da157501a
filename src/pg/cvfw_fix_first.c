/*
 * cvfw_fix_first.c — cvfw_fix_first(flow [, as_of, horizon]): what a point
 * less leakage at each stage would bring, best first.
 */
#include "postgres.h"
#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/tuplestore.h"

#include "pg_stage.h"
#include "pg_value.h"

PG_FUNCTION_INFO_V1(cvfw_fix_first);

Datum
cvfw_fix_first(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_chain	c;
	cv_fix		fix[CV_S];
	int			order[CV_STAGE_COUNT],
				i;

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	cvfw_chain_of_args(fcinfo, &c);
	cvfw_value_check(cv_fix_first(&c, fix));
	cv_fix_order(fix, order);
	for (i = 0; i < CV_STAGE_COUNT; i++)
	{
		const cv_fix *x = &fix[order[i]];
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = Int64GetDatum(i + 1);
		values[1] = CvfwStageGetDatum(order[i]);
		cvfw_float_or_null(x->leak, &values[2], &nulls[2]);
		cvfw_float_or_null(x->visits_per_new_customer, &values[3], &nulls[3]);
		cvfw_float_or_null(x->kept_visit_value, &values[4], &nulls[4]);
		cvfw_float_or_null(x->gain_per_new_customer, &values[5], &nulls[5]);
		cvfw_float_or_null(x->gain_for_base, &values[6], &nulls[6]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
