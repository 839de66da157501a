/*
 * pg_compat.h — every PostgreSQL version difference cvfw cares about (13..18).
 *
 * Every file of src/pg includes it right after postgres.h (the lint checks
 * that): some differences are headers that a file may need without knowing
 * it (varatt.h), and a file that misses one compiles into a library that
 * fails to load.  Code elsewhere uses only the names defined or re-exported
 * here, never PG_VERSION_NUM directly.
 */
#ifndef CVFW_COMPAT_H
#define CVFW_COMPAT_H

#include "fmgr.h"
#include "catalog/pg_class.h"
#include "utils/acl.h"
#include "utils/elog.h"
#include "utils/relcache.h"
#include "utils/sortsupport.h"
#include "utils/tuplesort.h"

#if PG_VERSION_NUM < 130000
#error "cvfw needs PostgreSQL 13 or later"
#endif

/*
 * The varlena macros (VARSIZE, SET_VARSIZE, VARDATA...) left postgres.h for
 * varatt.h in 16.  Without it they are implicit function declarations: the
 * build only warns and the library fails to load (undefined symbol), which
 * is why the Makefile makes that warning an error.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * The magic block gained the module's name and version in 18 (shown by
 * pg_get_loaded_modules()); before, the plain one.
 */
#ifndef PG_MODULE_MAGIC_EXT
#define PG_MODULE_MAGIC_EXT(...) PG_MODULE_MAGIC
#endif

/* fmgr.h declares _PG_init from 16 on */
#if PG_VERSION_NUM < 160000
extern PGDLLEXPORT void _PG_init(void);
#endif

/*
 * Soft errors (16+, ereturn in utils/elog.h) let pg_input_is_valid() test
 * input without raising.  Before 16 an input error is always hard.
 */
#if PG_VERSION_NUM < 160000
#define ereturn(context, dummy_value, ...) \
	do { (void) (context); ereport(ERROR, __VA_ARGS__); return (dummy_value); } while (0)
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

/* the relation's (non-deferrable) primary key index; PG 18 added the flag */
#if PG_VERSION_NUM >= 180000
#define cvfw_primary_key_index(rel) RelationGetPrimaryKeyIndex((rel), false)
#else
#define cvfw_primary_key_index(rel) RelationGetPrimaryKeyIndex(rel)
#endif

/* does the role own the relation? (one function for every class from 16) */
#if PG_VERSION_NUM >= 160000
#define cvfw_owns_relation(relid, role) object_ownercheck(RelationRelationId, (relid), (role))
#else
#define cvfw_owns_relation(relid, role) pg_class_ownercheck((relid), (role))
#endif

/*
 * The table a qualified name ("schema.table", as written by cvfw_guard)
 * names, or InvalidOid; PG 16 gave stringToQualifiedNameList an error
 * context argument.
 */
extern Oid	cvfw_relation_by_name(const char *qualified_name);

/*
 * A sort of heap tuples that is read once, forwards: the last argument of
 * tuplesort_begin_heap became a set of option bits in 15.
 */
#if PG_VERSION_NUM >= 150000
#define cvfw_tuplesort_begin_heap(desc, nkeys, attnums, ops, colls, nullsfirst, workmem) \
	tuplesort_begin_heap(desc, nkeys, attnums, ops, colls, nullsfirst, workmem, NULL, TUPLESORT_NONE)
#else
#define cvfw_tuplesort_begin_heap(desc, nkeys, attnums, ops, colls, nullsfirst, workmem) \
	tuplesort_begin_heap(desc, nkeys, attnums, ops, colls, nullsfirst, workmem, NULL, false)
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
