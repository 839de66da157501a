/*
 * cvfw_retention_agg.c — the aggregate cvfw_retention(stage, at, start_stage, period, as_of
 * [, active_stages]) over one customer's events: that customer's retention
 * summary.
 * Parallel safe: combine, serialise and deserialise functions for its
 * internal state (the settings and the events; pg_summary_agg.c).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_retention_trans);
PG_FUNCTION_INFO_V1(cvfw_retention_combine);
PG_FUNCTION_INFO_V1(cvfw_retention_serialize);
PG_FUNCTION_INFO_V1(cvfw_retention_deserialize);
PG_FUNCTION_INFO_V1(cvfw_retention_final);

Datum
cvfw_retention_trans(PG_FUNCTION_ARGS)
{
	return cvfw_summary_trans(fcinfo, &cvfw_retention_kind, false);
}

Datum
cvfw_retention_combine(PG_FUNCTION_ARGS)
{
	return cvfw_summary_combine(fcinfo, &cvfw_retention_kind);
}

Datum
cvfw_retention_serialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_serialize(fcinfo, &cvfw_retention_kind);
}

Datum
cvfw_retention_deserialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_deserialize(fcinfo, &cvfw_retention_kind, false);
}

Datum
cvfw_retention_final(PG_FUNCTION_ARGS)
{
	return cvfw_summary_final(fcinfo, &cvfw_retention_kind);
}
