/*
 * pg_retention.c — the retention summary as the shared aggregate machinery
 * sees it (pg_summary_agg.h): its settings arguments, start_stage,
 * period, as_of [, active_stages], and the core's accumulator.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "pg_echo.h"
#include "pg_stage.h"
#include "pg_summary_agg.h"
#include "retention.h"

#define NAME "cvfw_retention"

static void
ret_parse(FunctionCallInfo fcinfo, int arg, cvfw_summary_params *out)
{
	cv_ret_params *p = &out->ret;
	const char *why = NULL;
	text	   *t;
	TimestampTz as_of;

	memset(out, 0, sizeof(*out));
	/* no start stage: the customer's first event at any stage */
	p->start = PG_ARGISNULL(arg) ? 0 : PG_GETARG_CVFW_STAGE(arg);
	if (PG_ARGISNULL(arg + 1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg(NAME ": the period must not be NULL")));
	t = PG_GETARG_TEXT_PP(arg + 1);
	if (!cv_ret_parse_period(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), p, &why))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(NAME ": invalid period \"%s\"",
						cvfw_echo(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), CVFW_ECHO_MAX)),
				 errdetail("%s", why),
				 errhint("Write day, week or month, e.g. 'month' or 'rolling week'.")));
	if (PG_ARGISNULL(arg + 2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg(NAME ": as_of must not be NULL"),
				 errhint("Retention is measured up to a moment: pass as_of, e.g. now().")));
	as_of = PG_GETARG_TIMESTAMPTZ(arg + 2);
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg(NAME ": as_of must be a finite time")));
	p->as_of = as_of;
	p->active = CV_RET_ALL_STAGES;
	if (PG_NARGS() > arg + 3 && !PG_ARGISNULL(arg + 3))
	{
		int			n,
					i;
		cv_stage   *stages = cvfw_stage_array_arg(fcinfo, arg + 3, NAME, "active stages", &n);

		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg(NAME ": at least one stage must count as activity"),
					 errhint("Pass NULL for activity at any stage.")));
		p->active = 0;
		for (i = 0; i < n; i++)
			p->active |= (uint8) (1u << (stages[i] - 1));
	}
}

static int
ret_equal(const cvfw_summary_params *a, const cvfw_summary_params *b)
{
	return cv_ret_params_equal(&a->ret, &b->ret);
}

static bool
ret_as_of(const cvfw_summary_params *p, int64 *as_of)
{
	*as_of = p->ret.as_of;
	return true;
}

static size_t
ret_params_size(const cvfw_summary_params *p)
{
	return cv_ret_params_size(&p->ret);
}

static void
ret_params_write(const cvfw_summary_params *p, uint8 *out)
{
	cv_ret_params_write(&p->ret, out);
}

static cv_status
ret_params_read(cvfw_summary_params *p, const uint8 *data, size_t len, size_t *used, const char **why)
{
	memset(p, 0, sizeof(*p));
	return cv_ret_params_read(&p->ret, data, len, used, why);
}

static void
ret_init(cvfw_summary_acc *acc, const cvfw_summary_params *p)
{
	cv_ret_init(&acc->ret, &p->ret);
}

static void
ret_free(cvfw_summary_acc *acc)
{
	cv_ret_free(&acc->ret);
}

static const cvfw_summary_params *
ret_params_of(const cvfw_summary_acc *acc)
{
	return (const cvfw_summary_params *) &acc->ret.p;
}

static cv_status
ret_add(cvfw_summary_acc *acc, cv_event *ev, size_t n)
{
	return cv_ret_add_customer(&acc->ret, ev, n);
}

static cv_status
ret_merge(cvfw_summary_acc *into, const cvfw_summary_acc *from)
{
	return cv_ret_merge(&into->ret, &from->ret);
}

static uint8 *
ret_encode(const cvfw_summary_acc *acc, size_t reserve, size_t *len)
{
	return cv_ret_encode(&acc->ret, reserve, len);
}

static cv_status
ret_decode(cvfw_summary_acc *acc, const uint8 *data, size_t len, const char **why)
{
	return cv_ret_decode(&acc->ret, data, len, why);
}

const cvfw_summary_kind cvfw_retention_kind = {
	NAME, 4, {CVFW_ARG_CHAR, CVFW_ARG_VARLENA, CVFW_ARG_INT64, CVFW_ARG_VARLENA},
	ret_parse, ret_equal, ret_as_of, ret_params_size, ret_params_write, ret_params_read,
	ret_init, ret_free, ret_params_of, ret_add, ret_merge, ret_encode, ret_decode
};
