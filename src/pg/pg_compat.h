/*
 * pg_compat.h — every PostgreSQL version difference cvfw cares about (13..18).
 *
 * Include after postgres.h.  Code elsewhere uses only the names defined or
 * re-exported here, never PG_VERSION_NUM directly.
 */
#ifndef CVFW_COMPAT_H
#define CVFW_COMPAT_H

#include "fmgr.h"
#include "utils/elog.h"
#include "utils/sortsupport.h"

#if PG_VERSION_NUM < 130000
#error "cvfw needs PostgreSQL 13 or later"
#endif

/*
 * Soft errors (PG 16+) let pg_input_is_valid() test input without raising.
 * Before 16 an input error is always hard.
 */
#if PG_VERSION_NUM < 160000
#define errsave(context, ...) \
	do { (void) (context); ereport(ERROR, __VA_ARGS__); } while (0)
#define ereturn(context, dummy_value, ...) \
	do { (void) (context); ereport(ERROR, __VA_ARGS__); return (dummy_value); } while (0)
#define SOFT_ERROR_OCCURRED(escontext) false
#else
#include "nodes/miscnodes.h"
#endif

/*
 * Sort comparator for small non-negative integers kept in a Datum.  From 15
 * on, core's ssup_datum_int32_cmp also selects tuplesort's specialised
 * quicksort, which is why we hand it over rather than our own copy.
 */
#if PG_VERSION_NUM >= 150000
#define cvfw_ssup_int32_cmp ssup_datum_int32_cmp
#else
extern int	cvfw_ssup_int32_cmp(Datum x, Datum y, SortSupport ssup);
#endif

/* numeric gained infinities in 14, intervals in 17 */
#if PG_VERSION_NUM >= 140000
#define cvfw_numeric_is_inf(num) numeric_is_inf(num)
#else
#define cvfw_numeric_is_inf(num) ((void) (num), false)
#endif
#ifdef INTERVAL_NOT_FINITE
#define cvfw_interval_is_finite(iv) (!INTERVAL_NOT_FINITE(iv))
#else
#define cvfw_interval_is_finite(iv) ((void) (iv), true)
#endif

/* does role own the relation (or belong to its owner)?  16 renamed the test */
#if PG_VERSION_NUM >= 160000
#define cvfw_class_ownercheck(relid, role) object_ownercheck(RelationRelationId, (relid), (role))
#else
#define cvfw_class_ownercheck(relid, role) pg_class_ownercheck((relid), (role))
#endif

/*
 * Materialise a set-returning function's result: sets up rsinfo->setResult
 * (a tuplestore) and rsinfo->setDesc from the declared result type.
 * Core does this from 15 on; before that we do it ourselves.
 */
extern void cvfw_init_materialized_srf(FunctionCallInfo fcinfo);

/*
 * The core's CV_ASSERT maps to PostgreSQL's assertion failure
 * (ExceptionalCondition, whose arguments changed in 16) in assert-enabled
 * builds: the Makefile defines CV_USE_ASSERT_CHECKING when the server's
 * pg_config.h has USE_ASSERT_CHECKING.  Defined in pg_compat.c.
 */

#endif							/* CVFW_COMPAT_H */
