/*
 * pg_conversion.c — the conversion summary as the shared aggregate
 * machinery sees it (pg_summary_agg.h): its settings arguments, path,
 * conversion_window [, options [, as_of]], and the core's accumulator.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "conversion.h"
#include "i128.h"
#include "pg_echo.h"
#include "pg_summary_agg.h"

#define NAME "cvfw_conversion"

/* the window in microseconds: months as 30 days, days as 24 hours */
static int64
window_us(FunctionCallInfo fcinfo, int argno)
{
	Interval   *iv;
	cv_i128		us;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg(NAME ": the conversion window must not be NULL")));
	iv = PG_GETARG_INTERVAL_P(argno);
	us = cv_i128_add(cv_i128_add(cv_i128_mul(iv->month, (uint64) DAYS_PER_MONTH * USECS_PER_DAY),
								 cv_i128_mul(iv->day, (uint64) USECS_PER_DAY)),
					 cv_i128_from_i64(iv->time));
	if (!cvfw_interval_is_finite(iv) || cv_i128_is_neg(us) || us.hi != 0 || us.lo > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(NAME ": the conversion window must be a finite interval of 0 or more"),
				 errdetail("Months count as 30 days, days as 24 hours.")));
	return (int64) us.lo;
}

static void
conv_parse(FunctionCallInfo fcinfo, int arg, cvfw_summary_params *out)
{
	cv_conv_params *p = &out->conv;
	cv_stage   *path;
	int			n;
	const char *why = NULL;

	memset(out, 0, sizeof(*out));
	if (PG_ARGISNULL(arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg(NAME ": the path must not be NULL")));
	path = cvfw_stage_array_arg(fcinfo, arg, NAME, "path", &n);
	if (!cv_conv_check_path(path, n, &why))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(NAME ": invalid path"),
				 errdetail("%s", why),
				 errhint("Write the steps in order, e.g. '{awareness,exploration,value_realization}'.")));
	p->steps = (uint8) n;
	memcpy(p->path, path, n);
	p->window = window_us(fcinfo, arg + 1);
	if (PG_NARGS() > arg + 2 && !PG_ARGISNULL(arg + 2))
	{
		text	   *t = PG_GETARG_TEXT_PP(arg + 2);

		if (!cv_conv_parse_options(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), p, &why))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg(NAME ": invalid options \"%s\"",
							cvfw_echo(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), CVFW_ECHO_MAX)),
					 errdetail("%s", why),
					 errhint("Options are first or any, loose or strict, and by day, by week or by month, "
							 "e.g. 'any, strict, by month'.")));
	}
	if (PG_NARGS() > arg + 3 && !PG_ARGISNULL(arg + 3))
	{
		TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(arg + 3);

		if (TIMESTAMP_NOT_FINITE(as_of))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg(NAME ": as_of must be a finite time")));
		p->has_as_of = 1;
		p->as_of = as_of;
	}
}

static int
conv_equal(const cvfw_summary_params *a, const cvfw_summary_params *b)
{
	return cv_conv_params_equal(&a->conv, &b->conv);
}

static bool
conv_as_of(const cvfw_summary_params *p, int64 *as_of)
{
	*as_of = p->conv.as_of;
	return p->conv.has_as_of != 0;
}

static size_t
conv_params_size(const cvfw_summary_params *p)
{
	return cv_conv_params_size(&p->conv);
}

static void
conv_params_write(const cvfw_summary_params *p, uint8 *out)
{
	cv_conv_params_write(&p->conv, out);
}

static cv_status
conv_params_read(cvfw_summary_params *p, const uint8 *data, size_t len, size_t *used, const char **why)
{
	memset(p, 0, sizeof(*p));
	return cv_conv_params_read(&p->conv, data, len, used, why);
}

static void
conv_init(cvfw_summary_acc *acc, const cvfw_summary_params *p)
{
	cv_conv_init(&acc->conv, &p->conv);
}

static void
conv_free(cvfw_summary_acc *acc)
{
	cv_conv_free(&acc->conv);
}

static const cvfw_summary_params *
conv_params_of(const cvfw_summary_acc *acc)
{
	/* the parameters lead both unions' first members */
	return (const cvfw_summary_params *) &acc->conv.p;
}

static cv_status
conv_add(cvfw_summary_acc *acc, cv_event *ev, size_t n)
{
	return cv_conv_add_customer(&acc->conv, ev, n);
}

static cv_status
conv_merge(cvfw_summary_acc *into, const cvfw_summary_acc *from)
{
	return cv_conv_merge(&into->conv, &from->conv);
}

static uint8 *
conv_encode(const cvfw_summary_acc *acc, size_t reserve, size_t *len)
{
	return cv_conv_encode(&acc->conv, reserve, len);
}

static cv_status
conv_decode(cvfw_summary_acc *acc, const uint8 *data, size_t len, const char **why)
{
	return cv_conv_decode(&acc->conv, data, len, why);
}

const cvfw_summary_kind cvfw_conversion_kind = {
	NAME, 4, {CVFW_ARG_VARLENA, CVFW_ARG_FIXED16, CVFW_ARG_VARLENA, CVFW_ARG_INT64},
	conv_parse, conv_equal, conv_as_of, conv_params_size, conv_params_write, conv_params_read,
	conv_init, conv_free, conv_params_of, conv_add, conv_merge, conv_encode, conv_decode
};
