/*
 * cvfw_policy_agg.c — the aggregate cvfw_policy_agg(from, to): the policy
 * allowing exactly the transitions seen.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_policy.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_policy_agg_trans);

/*
 * cvfw_policy_agg(from, to): the state is the policy so far, NULL until the
 * first pair with both stages present; pairs with a NULL are skipped.  The
 * state is a plain by-value Datum, so the combine function is the union.
 */
Datum
cvfw_policy_agg_trans(PG_FUNCTION_ARGS)
{
	cv_policy	p = PG_ARGISNULL(0) ? CV_POLICY_NONE : PG_GETARG_CVFW_POLICY(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_CVFW_POLICY(p);
	}
	PG_RETURN_CVFW_POLICY(p | cv_policy_bit(PG_GETARG_CVFW_STAGE(1), PG_GETARG_CVFW_STAGE(2)));
}
