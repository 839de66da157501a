/*
 * pg_trend.c — what the trend functions share: datum conversion, errors,
 * the period argument.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "pg_echo.h"
#include "pg_flow.h"
#include "pg_trend.h"

void
cvfw_trend_init(cv_trend *t, MemoryContext ctx)
{
	cv_allocator mem = cvfw_mem_context(ctx);

	cv_trend_init(t, &mem);
}

void
cvfw_trend_check(cv_status st, const char *why)
{
	if (st == CV_ERR_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_trend: a count or an amount is out of range"),
				 errdetail("%s", why != NULL ? why : CV_FLOW_LIMITS_TEXT)));
	if (st == CV_ERR_NOT_CONTAINED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_trend: the trend to subtract is not part of the total"),
				 why != NULL ? errdetail("%s", why) : 0,
				 errhint("Subtract only a trend of customers the total was built from.")));
	if (st == CV_ERR_CORRUPT)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_trend value"),
				 why != NULL ? errdetail("%s", why) : 0));
}

void
cvfw_trend_from_bytes(const bytea *b, cv_trend *into)
{
	const char *why = NULL;

	cv_status	st = cv_trend_decode(into, (const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &why);

	/* *why is read after the call that sets it */
	cvfw_trend_check(st, why);
}

void
cvfw_trend_from_datum(Datum d, cv_trend *into)
{
	cvfw_trend_from_bytes(DatumGetByteaPP(d), into);
}

static Datum
bytes_to_datum(uint8 *data, size_t len)
{
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cvfw_trend too large")));
	SET_VARSIZE(data, VARHDRSZ + len);
	return PointerGetDatum(data);
}

Datum
cvfw_trend_to_datum(cv_trend *t)
{
	size_t		len;
	const char *why = NULL;
	cv_allocator out = cvfw_mem_context(CurrentMemoryContext);
	uint8	   *data;
	cv_status	st;

	/* nothing is written that cannot be read back */
	st = cv_trend_check(t, &why);
	cvfw_trend_check(st, why);
	data = cv_trend_encode(t, &out, VARHDRSZ, &len);
	return bytes_to_datum(data, len);
}

Datum
cvfw_customer_trend_datum(cv_event *events, size_t n)
{
	size_t		len;
	cv_status	st;
	cv_allocator out = cvfw_mem_context(CurrentMemoryContext);
	uint8	   *data = cv_trend_encode_customer(&out, events, n, VARHDRSZ, &len, &st);

	cvfw_trend_check(st, NULL);
	return bytes_to_datum(data, len);
}

cv_trend_period
cvfw_period_arg(text *t)
{
	char	   *s = text_to_cstring(t);

	if (pg_strcasecmp(s, "day") == 0)
		return CV_TREND_DAY;
	if (pg_strcasecmp(s, "week") == 0)
		return CV_TREND_WEEK;
	if (pg_strcasecmp(s, "month") == 0)
		return CV_TREND_MONTH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cvfw_trend: unknown period \"%s\"", cvfw_echo(s, strlen(s), CVFW_ECHO_MAX)),
			 errhint("The period is day, week or month.")));
	return CV_TREND_DAY;		/* not reached */
}
