/*
 * cvfw_conversion_io.c — text and binary input/output of the cvfw_conversion summary type.
 *
 * The binary form is the encoded summary (its first byte is the format
 * version); the text form the same bytes in hex after "\x", as bytea
 * prints them.  Input of either kind is decoded in full, so a summary that
 * customers' events could not have produced is refused (22P02, 22P03).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_summary_agg.h"

PG_FUNCTION_INFO_V1(cvfw_conversion_in);
PG_FUNCTION_INFO_V1(cvfw_conversion_out);
PG_FUNCTION_INFO_V1(cvfw_conversion_recv);
PG_FUNCTION_INFO_V1(cvfw_conversion_send);

Datum
cvfw_conversion_in(PG_FUNCTION_ARGS)
{
	return cvfw_summary_in(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_out(PG_FUNCTION_ARGS)
{
	return cvfw_summary_out(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_recv(PG_FUNCTION_ARGS)
{
	return cvfw_summary_recv(fcinfo, &cvfw_conversion_kind);
}

Datum
cvfw_conversion_send(PG_FUNCTION_ARGS)
{
	return cvfw_summary_send(fcinfo, &cvfw_conversion_kind);
}
