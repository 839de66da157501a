/*
 * pg_trend.h — cvfw_trend as a PostgreSQL Datum: a varlena holding the
 * encoded trend (src/core/trend_codec.c), and the helpers the trend
 * functions share.
 */
#ifndef CVFW_TREND_PG_H
#define CVFW_TREND_PG_H

#include "postgres.h"
#include "fmgr.h"

#include "trend.h"

/* an empty trend whose memory comes from ctx */
extern void cvfw_trend_init(cv_trend *t, MemoryContext ctx);

/* decode a cvfw_trend datum into *into (merging); corrupt data is XX001 */
extern void cvfw_trend_from_datum(Datum d, cv_trend *into);
extern void cvfw_trend_from_bytes(const bytea *b, cv_trend *into);

/*
 * The cvfw_trend datum of a trend, in the current memory context; every
 * bound and invariant is checked first (22003, XX001).
 */
extern Datum cvfw_trend_to_datum(cv_trend *t);

/* the cvfw_trend datum of one customer's events (sorted in place) */
extern Datum cvfw_customer_trend_datum(cv_event *events, size_t n);

/*
 * Report a core status other than CV_OK as the matching SQL error, as
 * cvfw_flow_check does for summaries: CV_ERR_OVERFLOW 22003, CV_ERR_CORRUPT
 * XX001, CV_ERR_NOT_CONTAINED 22023.
 */
extern void cvfw_trend_check(cv_status st, const char *why);

/* 'day', 'week' or 'month' (22023 otherwise) */
extern cv_trend_period cvfw_period_arg(text *t);

#endif							/* CVFW_TREND_PG_H */
