/*
 * cvfw_flow_by_customer.c — the aggregate cvfw_flow_by_customer(customer,
 * stage, at [, value [, cost]]): all customers' events in one state,
 * summarised per customer at the end.  Parallel safe.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "bycustomer.h"
#include "pg_agg.h"
#include "pg_flow.h"

PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_combine);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_serialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_deserialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_final);

static cv_bycustomer *
bycustomer_new(MemoryContext ctx)
{
	cv_bycustomer *b = MemoryContextAlloc(ctx, sizeof(cv_bycustomer));

	cv_bc_init(b);
	return b;
}

static void
bycustomer_full(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("cvfw_flow_by_customer: too many events or customers in one group"),
			 errhint("Summarise per customer with cvfw_flow(...) GROUP BY the customer, then cvfw_merge.")));
}

Datum
cvfw_flow_by_customer_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_trans");
	cv_bycustomer *b = PG_ARGISNULL(0) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(0);
	MemoryContext old;
	cv_event	e;
	cv_status	st;

	/* events without a customer, a stage or a time are ignored */
	if (PG_ARGISNULL(1) || !cvfw_event_args(fcinfo, 2, &e))
	{
		if (b == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(b);
	}
	old = MemoryContextSwitchTo(ctx);
	if (b == NULL)
		b = bycustomer_new(ctx);
	st = cv_bc_add(b, PG_GETARG_INT64(1), &e);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		bycustomer_full();
	PG_RETURN_POINTER(b);
}

Datum
cvfw_flow_by_customer_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_combine");
	cv_bycustomer *a = PG_ARGISNULL(0) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(0);
	cv_bycustomer *b = PG_ARGISNULL(1) ? NULL : (cv_bycustomer *) PG_GETARG_POINTER(1);
	MemoryContext old;
	cv_status	st;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	old = MemoryContextSwitchTo(ctx);
	if (a == NULL)
		a = bycustomer_new(ctx);
	st = cv_bc_merge(a, b);
	MemoryContextSwitchTo(old);
	if (st != CV_OK)
		bycustomer_full();
	PG_RETURN_POINTER(a);
}

Datum
cvfw_flow_by_customer_serialize(PG_FUNCTION_ARGS)
{
	cv_bycustomer *b = (cv_bycustomer *) PG_GETARG_POINTER(0);
	size_t		len;
	uint8	   *data;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_serialize");
	data = cv_bc_encode(b, VARHDRSZ, &len);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_flow_by_customer: a parallel worker's events exceed 1 GB"),
				 errhint("Summarise per customer with cvfw_flow(...) GROUP BY the customer, then cvfw_merge, "
						 "or run this query without parallel workers.")));
	SET_VARSIZE(data, VARHDRSZ + len);
	PG_RETURN_POINTER(data);
}

Datum
cvfw_flow_by_customer_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_deserialize");
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext old = MemoryContextSwitchTo(ctx);
	cv_bycustomer *b = bycustomer_new(ctx);
	const char *why = NULL;

	if (cv_bc_decode(b, (const uint8 *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), &why) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow_by_customer aggregate state"),
				 errdetail("%s", why)));
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(b);
}

Datum
cvfw_flow_by_customer_final(PG_FUNCTION_ARGS)
{
	cv_bycustomer *b;
	cv_flow		f;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (cv_bycustomer *) PG_GETARG_POINTER(0);
	cvfw_flow_init(&f, CurrentMemoryContext);
	cvfw_flow_check(cv_bc_summarize(b, &f), NULL);
	result = cvfw_flow_to_datum(&f);
	cv_flow_free(&f);
	PG_RETURN_DATUM(result);
}
