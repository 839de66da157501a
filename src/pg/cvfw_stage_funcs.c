/*
 * cvfw_stage_funcs.c — wheel arithmetic on cvfw_stage and the cvfw_stages() list.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_position);
PG_FUNCTION_INFO_V1(cvfw_stage_from_position);
PG_FUNCTION_INFO_V1(cvfw_next);
PG_FUNCTION_INFO_V1(cvfw_prev);
PG_FUNCTION_INFO_V1(cvfw_stage_plus);
PG_FUNCTION_INFO_V1(cvfw_stage_minus);
PG_FUNCTION_INFO_V1(cvfw_steps);
PG_FUNCTION_INFO_V1(cvfw_stages);

Datum
cvfw_position(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_CVFW_STAGE(0));
}

Datum
cvfw_stage_from_position(PG_FUNCTION_ARGS)
{
	int32		pos = PG_GETARG_INT32(0);

	if (!cv_stage_is_valid(pos))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wheel position %d is out of range for type %s", pos, "cvfw_stage"),
				 errdetail("Positions run from 1 (awareness) to 6 (engagement).")));
	PG_RETURN_CVFW_STAGE(pos);
}

Datum
cvfw_next(PG_FUNCTION_ARGS)
{
	PG_RETURN_CVFW_STAGE(cv_stage_next(PG_GETARG_CVFW_STAGE(0)));
}

Datum
cvfw_prev(PG_FUNCTION_ARGS)
{
	PG_RETURN_CVFW_STAGE(cv_stage_prev(PG_GETARG_CVFW_STAGE(0)));
}

Datum
cvfw_stage_plus(PG_FUNCTION_ARGS)
{
	PG_RETURN_CVFW_STAGE(cv_stage_rotate(PG_GETARG_CVFW_STAGE(0),
										 (int64) PG_GETARG_INT32(1)));
}

Datum
cvfw_stage_minus(PG_FUNCTION_ARGS)
{
	/* negate in 64 bits: -INT32_MIN does not fit an int32 */
	PG_RETURN_CVFW_STAGE(cv_stage_rotate(PG_GETARG_CVFW_STAGE(0),
										 -(int64) PG_GETARG_INT32(1)));
}

Datum
cvfw_steps(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cv_stage_steps(PG_GETARG_CVFW_STAGE(0),
								   PG_GETARG_CVFW_STAGE(1)));
}

Datum
cvfw_stages(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_stage	s;

	cvfw_init_materialized_srf(fcinfo);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum((int32) s);
		values[1] = CvfwStageGetDatum(s);
		values[2] = CStringGetTextDatum(cv_stage_goal(s));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
