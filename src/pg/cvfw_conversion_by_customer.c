/*
 * cvfw_conversion_by_customer.c — the aggregate cvfw_conversion_by_customer(customer, stage, at, path,
 * conversion_window [, options [, as_of]]): many customers' events in one
 * state (bycustomer.h), each customer's attempts added at the end.
 * Parallel safe; partial states carry the settings and the raw events.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_combine);
PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_serialize);
PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_deserialize);
PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_final);

Datum
cvfw_conversion_by_customer_trans(PG_FUNCTION_ARGS)
{
	return cvfw_summary_trans(fcinfo, &cvfw_conversion_kind, true);
}

Datum
cvfw_conversion_by_customer_combine(PG_FUNCTION_ARGS)
{
	return cvfw_summary_combine(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_by_customer_serialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_serialize(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_by_customer_deserialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_deserialize(fcinfo, &cvfw_conversion_kind, true);
}

Datum
cvfw_conversion_by_customer_final(PG_FUNCTION_ARGS)
{
	return cvfw_summary_final(fcinfo, &cvfw_conversion_kind);
}
