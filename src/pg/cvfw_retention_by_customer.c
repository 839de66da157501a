/*
 * cvfw_retention_by_customer.c — the aggregate cvfw_retention_by_customer(customer, stage, at,
 * start_stage, period, as_of [, active_stages])
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

PG_FUNCTION_INFO_V1(cvfw_retention_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_retention_by_customer_final);

static const cvfw_bc_names names = {"cvfw_retention_by_customer", "cvfw_retention", "cvfw_retention_merge"};

Datum
cvfw_retention_by_customer_trans(PG_FUNCTION_ARGS)
{
	return cvfw_summary_trans(fcinfo, &cvfw_retention_kind, &names);
}

Datum
cvfw_retention_by_customer_final(PG_FUNCTION_ARGS)
{
	return cvfw_summary_final(fcinfo, &cvfw_retention_kind);
}
