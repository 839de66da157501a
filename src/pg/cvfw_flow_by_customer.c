/*
 * cvfw_flow_by_customer.c — the aggregate cvfw_flow_by_customer(customer,
 * stage, at [, value [, cost]]) for bigint, text and uuid customer ids: all
 * customers' events in one state, summarised per customer at the end.
 *
 * The state is pg_bycustomer.h's, shared with the funnel aggregates: the
 * events kept by customer within the hash memory limit, spilling to a
 * sort on disk beyond it, then each customer walked in order through the
 * core's flow walk (customer.c), from memory or streamed from the sort in
 * constant memory per customer; both give the same bytes.
 *
 * The aggregate has no partial form from 0.2.0 on (see doc/flow.md): its
 * partial states would be the raw events.  The combine, serialise and
 * deserialise functions below remain for 0.1.0's definition of the bigint
 * aggregate, until ALTER EXTENSION cvfw UPDATE.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "bycustomer.h"
#include "customer.h"
#include "pg_agg.h"
#include "pg_bycustomer.h"
#include "pg_flow.h"

PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_trans);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_combine);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_serialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_deserialize);
PG_FUNCTION_INFO_V1(cvfw_flow_by_customer_final);

static const cvfw_bc_names names = {"cvfw_flow_by_customer", "cvfw_flow", "cvfw_merge"};

Datum
cvfw_flow_by_customer_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_trans");
	cvfw_bc    *s = PG_ARGISNULL(0) ? NULL : (cvfw_bc *) PG_GETARG_POINTER(0);
	cv_event	e;

	/* events without a customer, a stage or a time are ignored */
	if (PG_ARGISNULL(1) || !cvfw_event_args(fcinfo, 2, &e))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = cvfw_bc_new(ctx, &names, cvfw_bc_kind_of_type(&names, get_fn_expr_argtype(fcinfo->flinfo, 1)),
						PG_GET_COLLATION(), true);
	cvfw_bc_add(s, fcinfo, PG_GETARG_DATUM(1), &e);
	PG_RETURN_POINTER(s);
}

Datum
cvfw_flow_by_customer_final(PG_FUNCTION_ARGS)
{
	cvfw_bc    *s;
	cv_flow		f;
	cv_walk		w;
	bytea	   *kept;
	Datum		result;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (cvfw_bc *) PG_GETARG_POINTER(0);
	if ((kept = cvfw_bc_kept_result(s)) != NULL)
		PG_RETURN_BYTEA_P(kept);
	cvfw_flow_init(&f, CurrentMemoryContext);
	cv_walk_begin(&w, &f, NULL);
	cvfw_flow_check(cvfw_bc_walk(s, &cv_flow_walker, &w), NULL);
	result = cvfw_flow_to_datum(&f);
	cv_flow_free(&f);
	cvfw_bc_keep_result(s, result);
	PG_RETURN_DATUM(result);
}

/* --- the partial form of 0.1.0's bigint aggregate ---------------------------------- */

typedef struct combine_arg
{
	cvfw_bc    *into;
	FunctionCallInfo fcinfo;
} combine_arg;

static void
combine_one(void *arg, cvfw_bc *s, Datum key, const cv_event *e)
{
	combine_arg *c = arg;

	(void) s;
	cvfw_bc_add(c->into, c->fcinfo, key, e);
}

Datum
cvfw_flow_by_customer_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_combine");
	cvfw_bc    *a = PG_ARGISNULL(0) ? NULL : (cvfw_bc *) PG_GETARG_POINTER(0);
	cvfw_bc    *b = PG_ARGISNULL(1) ? NULL : (cvfw_bc *) PG_GETARG_POINTER(1);
	combine_arg c;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	if (a == NULL)
		a = cvfw_bc_new(ctx, &names, b->kind, InvalidOid, true);
	c.into = a;
	c.fcinfo = fcinfo;
	/* never hand back the other state: its events are added to ours */
	cvfw_bc_read(b, combine_one, &c);
	PG_RETURN_POINTER(a);
}

static void
collect_sorted_one(void *arg, cvfw_bc *s, Datum key, const cv_event *e)
{
	(void) s;
	if (cv_bc_add((cv_bycustomer *) arg, DatumGetInt64(key), e) != CV_OK)
		cvfw_bc_full(&names);
}

Datum
cvfw_flow_by_customer_serialize(PG_FUNCTION_ARGS)
{
	cvfw_bc    *s = (cvfw_bc *) PG_GETARG_POINTER(0);
	cv_bycustomer all;
	cv_bycustomer *b = &s->mem;
	size_t		len;
	uint8	   *data;

	(void) cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_serialize");
	if (s->kind != CVFW_BC_INT8)
		elog(ERROR, "cvfw_flow_by_customer_serialize: only bigint ids have a partial form");
	if (cvfw_bc_spilled(s))
	{
		/* 0.1.0's partial form holds every event: gather them back */
		cv_bc_init(&all, s->mem.seed, 0);
		cvfw_bc_read(s, collect_sorted_one, &all);
		b = &all;
	}
	data = cv_bc_encode(b, VARHDRSZ, &len);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_flow_by_customer: a parallel worker's events exceed 1 GB"),
				 errhint("Update the extension (ALTER EXTENSION cvfw UPDATE): from 0.2.0 on the aggregate "
						 "runs in one process and spills to disk.")));
	SET_VARSIZE(data, VARHDRSZ + len);
	PG_RETURN_POINTER(data);
}

Datum
cvfw_flow_by_customer_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = cvfw_agg_context(fcinfo, "cvfw_flow_by_customer_deserialize");
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	cvfw_bc    *s = cvfw_bc_new(ctx, &names, CVFW_BC_INT8, InvalidOid, false);
	MemoryContext old = MemoryContextSwitchTo(ctx);
	const char *why = NULL;

	if (cv_bc_decode(&s->mem, (const uint8 *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), &why) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_flow_by_customer aggregate state"),
				 errdetail("%s", why)));
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}
