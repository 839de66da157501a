/*
 * pg_rfm.h — what cvfw_rfm and cvfw_rfm_holdout share in the PostgreSQL
 * layer.
 */
#ifndef CVFW_RFM_PG_H
#define CVFW_RFM_PG_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "fmgr.h"

/* a positive interval of at most 100 years in microseconds (months as 30 days); NULL is an error */
extern int64 cvfw_rfm_length_us(FunctionCallInfo fcinfo, int argno, const char *what,
								const char *fname);

/* a finite timestamptz argument; NULL is an error */
extern TimestampTz cvfw_rfm_finite_time(FunctionCallInfo fcinfo, int argno, const char *what,
										const char *fname);

/* the grain a time falls in, counted from 2000-01-01 00:00 UTC (floor division) */
extern int64 cvfw_rfm_grain_of(TimestampTz t, int64 grain_us);

#endif							/* CVFW_RFM_PG_H */
