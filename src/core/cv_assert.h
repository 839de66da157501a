/*
 * cv_assert.h — CV_ASSERT(cond) for the invariants the core relies on.
 *
 * Built into PostgreSQL (the Makefile defines CV_ASSERT_HOST), a failed
 * assertion goes to the host's handler (src/pg/pg_compat.c maps it to
 * PostgreSQL's Assert machinery, ExceptionalCondition), and is checked only
 * in an assert-enabled server build (USE_ASSERT_CHECKING, passed on as
 * CV_USE_ASSERT_CHECKING); elsewhere — unit tests, fuzzers — it is the C
 * library's assert().  Conditions must have no side effects.
 */
#ifndef CVFW_CORE_CV_ASSERT_H
#define CVFW_CORE_CV_ASSERT_H

#ifdef CV_ASSERT_HOST
#ifdef CV_USE_ASSERT_CHECKING
extern void cv_assert_failed(const char *cond, const char *file, int line);
#define CV_ASSERT(cond) ((cond) ? (void) 0 : cv_assert_failed(#cond, __FILE__, __LINE__))
#else
#define CV_ASSERT(cond) ((void) 0)
#endif
#else
#include <assert.h>
#define CV_ASSERT(cond) assert(cond)
#endif

#endif							/* CVFW_CORE_CV_ASSERT_H */
