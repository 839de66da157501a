/*
 * pg_policy.h — cvfw_policy as a PostgreSQL Datum: 8 bytes, by value.
 */
#ifndef CVFW_POLICY_PG_H
#define CVFW_POLICY_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "nodes/nodes.h"

#include "policy.h"

#define DatumGetCvfwPolicy(d)	((cv_policy) DatumGetInt64(d))
#define CvfwPolicyGetDatum(p)	Int64GetDatum((int64) (p))
#define PG_GETARG_CVFW_POLICY(n) DatumGetCvfwPolicy(PG_GETARG_DATUM(n))
#define PG_RETURN_CVFW_POLICY(p) return CvfwPolicyGetDatum(p)

/*
 * Parse a policy literal; on failure report 22P02 (naming the offending
 * item) through escontext and return false.
 */
extern bool cvfw_parse_policy(const char *str, cv_policy *out, Node *escontext);

/* canonical text of a policy, palloc'd */
extern char *cvfw_policy_text(cv_policy p);

/*
 * "awareness, exploration" — the stages a policy allows after `from`
 * (staying included), palloc'd; "" when it allows no change from it
 */
extern char *cvfw_policy_allowed_text(cv_policy p, cv_stage from);

#endif							/* CVFW_POLICY_PG_H */
