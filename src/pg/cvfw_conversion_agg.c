/*
 * cvfw_conversion_agg.c — the aggregate cvfw_conversion(stage, at, path, conversion_window [, options [, as_of]])
 * over one customer's events: that customer's conversion summary.
 * Parallel safe: combine, serialise and deserialise functions for its
 * internal state (the settings and the events; pg_summary_agg.c).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_conversion_trans);
PG_FUNCTION_INFO_V1(cvfw_conversion_combine);
PG_FUNCTION_INFO_V1(cvfw_conversion_serialize);
PG_FUNCTION_INFO_V1(cvfw_conversion_deserialize);
PG_FUNCTION_INFO_V1(cvfw_conversion_final);

Datum
cvfw_conversion_trans(PG_FUNCTION_ARGS)
{
	return cvfw_summary_trans(fcinfo, &cvfw_conversion_kind, false);
}

Datum
cvfw_conversion_combine(PG_FUNCTION_ARGS)
{
	return cvfw_summary_combine(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_serialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_serialize(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_deserialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_deserialize(fcinfo, &cvfw_conversion_kind, false);
}

Datum
cvfw_conversion_final(PG_FUNCTION_ARGS)
{
	return cvfw_summary_final(fcinfo, &cvfw_conversion_kind);
}
