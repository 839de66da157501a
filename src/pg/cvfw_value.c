/*
 * cvfw_value.c — cvfw_value(flow [, as_of, horizon]): the model's value of
 * a new customer and of the existing customers, one row.
 */
#include "postgres.h"
#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/tuplestore.h"

#include "pg_value.h"

PG_FUNCTION_INFO_V1(cvfw_value);

Datum
cvfw_value(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_chain	c;
	cv_value	v;
	Datum		values[10];
	bool		nulls[10] = {false};

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	cvfw_chain_of_args(fcinfo, &c);
	cvfw_value_check(cv_value_of_chain(&c, &v));
	values[0] = Int64GetDatum((int64) c.customers);
	values[1] = Int64GetDatum((int64) v.active);
	cvfw_float_or_null(v.new_p_value_realization, &values[2], &nulls[2]);
	cvfw_float_or_null(v.new_value, &values[3], &nulls[3]);
	cvfw_float_or_null(v.new_cost, &values[4], &nulls[4]);
	cvfw_float_or_null(v.new_acquisition_cost, &values[5], &nulls[5]);
	cvfw_float_or_null(v.new_clv, &values[6], &nulls[6]);
	cvfw_float_or_null(v.base_value, &values[7], &nulls[7]);
	cvfw_float_or_null(v.base_cost, &values[8], &nulls[8]);
	cvfw_float_or_null(v.base_clv, &values[9], &nulls[9]);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}
