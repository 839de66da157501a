/*
 * pg_flow.h — cvfw_flow as a PostgreSQL Datum: a varlena holding the
 * encoded summary (src/core/flow_codec.c), and the helpers the flow
 * functions share.
 */
#ifndef CVFW_FLOW_PG_H
#define CVFW_FLOW_PG_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "fmgr.h"

#include "flow.h"
#include "mem.h"

/* the core's allocator bound to a memory context (palloc/repalloc/pfree there) */
extern cv_allocator cvfw_mem_context(MemoryContext ctx);

/* an empty summary whose memory comes from ctx */
extern void cvfw_flow_init(cv_flow *f, MemoryContext ctx);

/* decode a cvfw_flow datum into *into (merging); corrupt data is XX001 */
extern void cvfw_flow_from_datum(Datum d, cv_flow *into);

/* the same from the bytes of a detoasted datum */
extern void cvfw_flow_from_bytes(const bytea *b, cv_flow *into);

/*
 * The decoded summary in argument argno (not NULL), cached for the query:
 * a call with a value the query decoded lately (the same stored bytes, or
 * the same TOAST pointer), at this call site or another, decodes and
 * validates nothing.  Read only; it lives in the call sites' memory
 * (fn_mcxt), at most four summaries per query.
 */
extern const cv_flow *cvfw_flow_arg(FunctionCallInfo fcinfo, int argno);

/*
 * The cvfw_flow datum of a summary, in the current memory context.  Every
 * bound is checked first (22003): what cvfw writes, it reads back.
 */
extern Datum cvfw_flow_to_datum(const cv_flow *f);

/* the cvfw_flow datum of one customer's events (sorted in place) */
extern Datum cvfw_customer_flow_datum(cv_event *events, size_t n);

/*
 * Report a core status other than CV_OK as the matching SQL error:
 * CV_ERR_OVERFLOW 22003, CV_ERR_CORRUPT XX001, CV_ERR_NOT_CONTAINED 22023.
 */
extern void cvfw_flow_check(cv_status st, const char *why);

/*
 * The leakage cut-off from a report's as_of and horizon arguments (either
 * may be SQL NULL): false when there is no horizon (every ended visit
 * leaks); else *cutoff_day is the UTC day of as_of - horizon, computed in
 * UTC so the result does not depend on the session time zone.
 */
extern bool cvfw_leak_cutoff(FunctionCallInfo fcinfo, int as_of_arg, int horizon_arg,
							 int32 *cutoff_day);

/* a duration in microseconds as an interval of days and time */
extern Interval *cvfw_us_interval(double us);

/*
 * The event in arguments stage_arg (stage), +1 (at), +2 (value), +3 (cost)
 * of an aggregate's transition function; false when it has no stage or no
 * time, and is ignored.  A missing amount counts as 0; infinite times and
 * amounts are errors, and so are amounts out of range.
 */
extern bool cvfw_event_args(FunctionCallInfo fcinfo, int stage_arg, cv_event *e);

/*
 * An amount argument: 0 when missing or NULL; not finite 22023, beyond
 * ±10^31 (money.h) 22003.
 */
extern double cvfw_amount_arg(FunctionCallInfo fcinfo, int arg, const char *what);

/*
 * Point the ambient allocator of the core modules that have no allocator
 * of their own yet at palloc, and the core's yield at CHECK_FOR_INTERRUPTS
 * (called from _PG_init).
 */
extern void cvfw_flow_memory_init(void);

#endif							/* CVFW_FLOW_PG_H */
