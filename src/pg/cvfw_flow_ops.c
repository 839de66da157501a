/*
 * cvfw_flow_ops.c — summaries as a group: cvfw_flow_add (the + operator)
 * and cvfw_flow_subtract (the - operator).
 *
 * SQL NULL is the summary of no customers, as everywhere in cvfw (an
 * aggregate over no rows, cvfw_merge skipping NULLs): NULL + b = b,
 * a - NULL = a, a - a = NULL.  Results are written canonically (format
 * version 2) after every bound is checked, so (a + b) - b gives a's
 * bytes exactly.
 */
#include "postgres.h"
#include "pg_compat.h"

#include "fmgr.h"

#include "pg_flow.h"

PG_FUNCTION_INFO_V1(cvfw_flow_add);
PG_FUNCTION_INFO_V1(cvfw_flow_subtract);

/* the summary of the customers of both (disjoint sets of customers) */
Datum
cvfw_flow_add(PG_FUNCTION_ARGS)
{
	cv_flow		f;
	int			i;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	cvfw_flow_init(&f, CurrentMemoryContext);
	/* decoding merges: the second summary's counts are checked as they add */
	for (i = 0; i < 2; i++)
		if (!PG_ARGISNULL(i))
			cvfw_flow_from_datum(PG_GETARG_DATUM(i), &f);
	PG_RETURN_DATUM(cvfw_flow_to_datum(&f));
}

/* the summary of total's customers but part's */
Datum
cvfw_flow_subtract(PG_FUNCTION_ARGS)
{
	cv_flow		total,
				part;
	const char *why = NULL;
	cv_status	st;
	Datum		result;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	cvfw_flow_init(&total, CurrentMemoryContext);
	if (PG_ARGISNULL(0))
		cvfw_flow_check(CV_ERR_NOT_CONTAINED, "The total is NULL, the summary of no customers.");
	cvfw_flow_from_datum(PG_GETARG_DATUM(0), &total);
	if (!PG_ARGISNULL(1))
	{
		cvfw_flow_init(&part, CurrentMemoryContext);
		cvfw_flow_from_datum(PG_GETARG_DATUM(1), &part);
		st = cv_flow_subtract(&total, &part, &why);
		cvfw_flow_check(st, why);
		cv_flow_free(&part);
	}
	if (total.customers == 0)
	{
		/* every customer taken out: the subtraction checked nothing else is left */
		Assert(total.nbuckets == 0);
		PG_RETURN_NULL();
	}
	result = cvfw_flow_to_datum(&total);
	cv_flow_free(&total);
	PG_RETURN_DATUM(result);
}
