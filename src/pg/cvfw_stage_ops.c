/*
 * cvfw_stage_ops.c — comparison, sorting, hashing and min/max support for
 * cvfw_stage.  Order is wheel position, which is the stored byte, so every
 * comparison is a byte comparison and equal values hash equally by
 * construction.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/sortsupport.h"

#include "pg_stage.h"

#define STAGE_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_CVFW_STAGE(0) op PG_GETARG_CVFW_STAGE(1)); \
}

STAGE_CMP_FUNC(cvfw_stage_eq, ==)
STAGE_CMP_FUNC(cvfw_stage_ne, !=)
STAGE_CMP_FUNC(cvfw_stage_lt, <)
STAGE_CMP_FUNC(cvfw_stage_le, <=)
STAGE_CMP_FUNC(cvfw_stage_gt, >)
STAGE_CMP_FUNC(cvfw_stage_ge, >=)

PG_FUNCTION_INFO_V1(cvfw_stage_cmp);
PG_FUNCTION_INFO_V1(cvfw_stage_sortsupport);
PG_FUNCTION_INFO_V1(cvfw_stage_hash);
PG_FUNCTION_INFO_V1(cvfw_stage_hash_extended);
PG_FUNCTION_INFO_V1(cvfw_stage_smaller);
PG_FUNCTION_INFO_V1(cvfw_stage_larger);

Datum
cvfw_stage_cmp(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_CVFW_STAGE(0);
	int			b = PG_GETARG_CVFW_STAGE(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

Datum
cvfw_stage_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	/* positions 1..6 read back as the same small positive int32 */
	ssup->comparator = cvfw_ssup_int32_cmp;
	PG_RETURN_VOID();
}

Datum
cvfw_stage_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_CVFW_STAGE(0));
}

Datum
cvfw_stage_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_CVFW_STAGE(0),
								(uint64) PG_GETARG_INT64(1));
}

Datum
cvfw_stage_smaller(PG_FUNCTION_ARGS)
{
	cv_stage	a = PG_GETARG_CVFW_STAGE(0);
	cv_stage	b = PG_GETARG_CVFW_STAGE(1);

	PG_RETURN_CVFW_STAGE(a < b ? a : b);
}

Datum
cvfw_stage_larger(PG_FUNCTION_ARGS)
{
	cv_stage	a = PG_GETARG_CVFW_STAGE(0);
	cv_stage	b = PG_GETARG_CVFW_STAGE(1);

	PG_RETURN_CVFW_STAGE(a > b ? a : b);
}
