/*
 * cvfw_stage_value.c — cvfw_stage_value(flow [, as_of, horizon]): what a
 * customer at each stage is worth from here on, and what each stage's
 * leak costs (the chain of src/core/markov.c).
 */
#include "postgres.h"
#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/tuplestore.h"

#include "pg_stage.h"
#include "pg_value.h"

PG_FUNCTION_INFO_V1(cvfw_stage_value);

Datum
cvfw_stage_value(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_chain	c;
	cv_value	v;
	int			s;

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;		/* no summary, no rows */
	cvfw_chain_of_args(fcinfo, &c);
	cvfw_value_check(cv_value_of_chain(&c, &v));
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		const cv_further *r = &v.st[s];
		Datum		values[12];
		bool		nulls[12] = {false};

		values[0] = CvfwStageGetDatum(s);
		values[1] = Int64GetDatum((int64) c.visits[s]);
		values[2] = Int64GetDatum((int64) c.active[s]);
		cvfw_float_or_null(c.leak[s], &values[3], &nulls[3]);
		cvfw_float_or_null(r->p_value_realization, &values[4], &nulls[4]);
		cvfw_float_or_null(r->p_engagement, &values[5], &nulls[5]);
		cvfw_float_or_null(r->visits, &values[6], &nulls[6]);
		cvfw_float_or_null(r->rounds, &values[7], &nulls[7]);
		cvfw_float_or_null(r->value, &values[8], &nulls[8]);
		cvfw_float_or_null(r->cost, &values[9], &nulls[9]);
		cvfw_float_or_null(v.removal_effect[s], &values[10], &nulls[10]);
		cvfw_float_or_null(v.removal_value[s], &values[11], &nulls[11]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
