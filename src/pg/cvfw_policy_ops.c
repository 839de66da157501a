/*
 * cvfw_policy_ops.c — equality, an arbitrary but fixed total order (for btree:
 * grouping, DISTINCT, merge joins), hashing, set operations, containment,
 * and the cvfw_policy_agg() transition function.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "common/hashfn.h"
#include "fmgr.h"

#include "pg_policy.h"
#include "pg_stage.h"

#define POLICY_BOOL_OP(name, expr) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	cv_policy	a = PG_GETARG_CVFW_POLICY(0); \
	cv_policy	b = PG_GETARG_CVFW_POLICY(1); \
	PG_RETURN_BOOL(expr); \
}

POLICY_BOOL_OP(cvfw_policy_eq, a == b)
POLICY_BOOL_OP(cvfw_policy_ne, a != b)
POLICY_BOOL_OP(cvfw_policy_lt, a < b)
POLICY_BOOL_OP(cvfw_policy_le, a <= b)
POLICY_BOOL_OP(cvfw_policy_gt, a > b)
POLICY_BOOL_OP(cvfw_policy_ge, a >= b)
POLICY_BOOL_OP(cvfw_policy_contains, (a & b) == b)
POLICY_BOOL_OP(cvfw_policy_contained, (a & b) == a)

PG_FUNCTION_INFO_V1(cvfw_policy_cmp);
PG_FUNCTION_INFO_V1(cvfw_policy_hash);
PG_FUNCTION_INFO_V1(cvfw_policy_hash_extended);
PG_FUNCTION_INFO_V1(cvfw_policy_union);
PG_FUNCTION_INFO_V1(cvfw_policy_intersect);

Datum
cvfw_policy_cmp(PG_FUNCTION_ARGS)
{
	cv_policy	a = PG_GETARG_CVFW_POLICY(0);
	cv_policy	b = PG_GETARG_CVFW_POLICY(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

/* 36 bits folded to 32, as hashint8 folds an int8 */
static uint32
fold(cv_policy p)
{
	return (uint32) p ^ (uint32) (p >> 32);
}

Datum
cvfw_policy_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32(fold(PG_GETARG_CVFW_POLICY(0)));
}

Datum
cvfw_policy_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended(fold(PG_GETARG_CVFW_POLICY(0)),
								(uint64) PG_GETARG_INT64(1));
}

Datum
cvfw_policy_union(PG_FUNCTION_ARGS)
{
	PG_RETURN_CVFW_POLICY(PG_GETARG_CVFW_POLICY(0) | PG_GETARG_CVFW_POLICY(1));
}

Datum
cvfw_policy_intersect(PG_FUNCTION_ARGS)
{
	PG_RETURN_CVFW_POLICY(PG_GETARG_CVFW_POLICY(0) & PG_GETARG_CVFW_POLICY(1));
}
