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

/* decode a cvfw_flow datum into *into (merging); corrupt data is XX001 */
extern void cvfw_flow_from_datum(Datum d, cv_flow *into);

/* the same from the bytes of a detoasted datum */
extern void cvfw_flow_from_bytes(const bytea *b, cv_flow *into);

/* the cvfw_flow datum of a summary */
extern Datum cvfw_flow_to_datum(const cv_flow *f);

/* the cvfw_flow datum of one customer's events (sorted in place) */
extern Datum cvfw_customer_flow_datum(cv_event *events, size_t n);

/* report a core status other than CV_OK as the matching SQL error */
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
 * amounts are errors.
 */
extern bool cvfw_event_args(FunctionCallInfo fcinfo, int stage_arg, cv_event *e);

/* an amount argument: 0 when missing or NULL, an error when not finite */
extern double cvfw_amount_arg(FunctionCallInfo fcinfo, int arg, const char *what);

/* point the core's allocator at palloc, its yield at CHECK_FOR_INTERRUPTS (called from _PG_init) */
extern void cvfw_flow_memory_init(void);

#endif							/* CVFW_FLOW_PG_H */
