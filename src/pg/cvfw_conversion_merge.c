/*
 * cvfw_conversion_merge.c — the aggregate cvfw_conversion_merge(cvfw_conversion) over summaries of
 * disjoint sets of customers built with the same settings.  Parallel safe:
 * its internal state is a decoded summary.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_conversion_merge_trans);
PG_FUNCTION_INFO_V1(cvfw_conversion_merge_combine);
PG_FUNCTION_INFO_V1(cvfw_conversion_merge_serialize);
PG_FUNCTION_INFO_V1(cvfw_conversion_merge_deserialize);
PG_FUNCTION_INFO_V1(cvfw_conversion_merge_final);

Datum
cvfw_conversion_merge_trans(PG_FUNCTION_ARGS)
{
	return cvfw_summary_merge_trans(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_merge_combine(PG_FUNCTION_ARGS)
{
	return cvfw_summary_merge_combine(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_merge_serialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_merge_serialize(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_merge_deserialize(PG_FUNCTION_ARGS)
{
	return cvfw_summary_merge_deserialize(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_merge_final(PG_FUNCTION_ARGS)
{
	return cvfw_summary_merge_final(fcinfo, &cvfw_conversion_kind);
}
