/*
 * cvfw_conversion_by_customer.c — the aggregate cvfw_conversion_by_customer(customer, stage, at, path,
 * conversion_window [, options [, as_of]])
 * for bigint, text and uuid customer ids: many customers' events in one
 * state, within work_mem, spilling to a sort on disk beyond it
 * (pg_bycustomer.h, shared with cvfw_flow_by_customer), each customer
 * walked into the summary at the end.  No partial form: a partial state
 * would be the raw events (see doc/funnels.md).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_conversion_by_customer_final);

static const cvfw_bc_names names = {"cvfw_conversion_by_customer", "cvfw_conversion", "cvfw_conversion_merge"};

Datum
cvfw_conversion_by_customer_trans(PG_FUNCTION_ARGS)
{
	return cvfw_summary_trans(fcinfo, &cvfw_conversion_kind, &names);
}

Datum
cvfw_conversion_by_customer_final(PG_FUNCTION_ARGS)
{
	return cvfw_summary_final(fcinfo, &cvfw_conversion_kind);
}
