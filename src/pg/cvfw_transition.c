/*
 * cvfw_transition.c — validating stage changes against a policy:
 * cvfw_transition_valid, cvfw_allowed_next, cvfw_path_valid,
 * cvfw_first_invalid_step.  Each asks cv_policy_allows_move, as the guard
 * triggers do: staying in a stage is valid under every policy.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "pg_policy.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_transition_valid);
PG_FUNCTION_INFO_V1(cvfw_allowed_next);
PG_FUNCTION_INFO_V1(cvfw_path_valid);
PG_FUNCTION_INFO_V1(cvfw_first_invalid_step);

Datum
cvfw_transition_valid(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cv_policy_allows_move(PG_GETARG_CVFW_POLICY(2),
									PG_GETARG_CVFW_STAGE(0),
									PG_GETARG_CVFW_STAGE(1)));
}

Datum
cvfw_allowed_next(PG_FUNCTION_ARGS)
{
	cv_stage	from = PG_GETARG_CVFW_STAGE(0);
	cv_policy	p = PG_GETARG_CVFW_POLICY(1);
	Datum		elems[CV_STAGE_COUNT];
	int			n = 0;
	cv_stage	t;
	Oid			elemtype;

	/* the element type is cvfw_stage, wherever the extension lives */
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		Oid		   *cached = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));

		*cached = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
		if (!OidIsValid(*cached))
			elog(ERROR, "cvfw_allowed_next must return an array");
		fcinfo->flinfo->fn_extra = cached;
	}
	elemtype = *(Oid *) fcinfo->flinfo->fn_extra;

	for (t = 1; t <= CV_STAGE_COUNT; t++)
		if (cv_policy_allows_move(p, from, t))
			elems[n++] = CvfwStageGetDatum(t);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, elemtype, 1, true, TYPALIGN_CHAR));
}

/*
 * The stages of a path array, NULL elements as CV_STAGE_INVALID.  Elements
 * are one byte with char alignment, so the non-NULL ones lie packed.
 */
static cv_stage *
path_stages(ArrayType *arr, int *n)
{
	const uint8 *data;
	const bits8 *nulls;
	cv_stage   *stages;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a path must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(arr))));
	*n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	stages = palloc(Max(*n, 1));
	data = (const uint8 *) ARR_DATA_PTR(arr);
	nulls = ARR_NULLBITMAP(arr);
	for (i = 0; i < *n; i++)
	{
		if (nulls != NULL && !(nulls[i / 8] & (1 << (i % 8))))
			stages[i] = CV_STAGE_INVALID;
		else
		{
			(void) cvfw_stage_name_checked(*data);
			stages[i] = *data++;
		}
	}
	return stages;
}

Datum
cvfw_path_valid(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int			n;
	cv_stage   *stages = path_stages(arr, &n);

	PG_RETURN_BOOL(cv_path_first_invalid(stages, n, PG_GETARG_CVFW_POLICY(1)) < 0);
}

Datum
cvfw_first_invalid_step(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int			n;
	cv_stage   *stages = path_stages(arr, &n);
	long		bad = cv_path_first_invalid(stages, n, PG_GETARG_CVFW_POLICY(1));

	if (bad < 0)
		PG_RETURN_NULL();
	/* the subscript of the offending element: path[result] is it */
	PG_RETURN_INT32((int32) bad + (ARR_NDIM(arr) == 1 ? ARR_LBOUND(arr)[0] : 1));
}
