/*
 * cvfw_wheel_svg.c — cvfw_wheel_svg(flow [, as_of, horizon [, fix_first]]):
 * the wheel as an SVG picture, drawn by the core (src/core/wheel_svg.c)
 * from the same leakage numbers cvfw_leakage reports, and with fix_first
 * the ranks of cvfw_fix_first.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "pg_flow.h"
#include "pg_value.h"
#include "wheel_svg.h"

PG_FUNCTION_INFO_V1(cvfw_wheel_svg);

/* a UTC day as an ISO date; years before 1 as PostgreSQL writes them */
static void
day_text(char *out, size_t size, int32 day)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y > 0)
		snprintf(out, size, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(out, size, "%04d-%02d-%02d BC", 1 - y, m, d);
}

Datum
cvfw_wheel_svg(PG_FUNCTION_ARGS)
{
	cv_flow		none;
	const cv_flow *f;
	cv_wheel	w;
	int32		cutoff_day = 0;
	bool		has_cutoff;
	char		subtitle[160];
	char	   *svg;
	size_t		len;
	text	   *result;

	/* no summary (an aggregate over no rows) is the flow of no customers */
	cvfw_flow_init(&none, CurrentMemoryContext);
	has_cutoff = cvfw_leak_cutoff(fcinfo, 1, 2, &cutoff_day);
	f = PG_ARGISNULL(0) ? &none : cvfw_flow_arg(fcinfo, 0);
	cv_wheel_from_flow(f, has_cutoff, cutoff_day, &w);
	/* the fix-first ranks, when asked for (the four-argument form) */
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3) && PG_GETARG_BOOL(3))
	{
		cv_chain	c;
		cv_fix		fix[CV_S];

		cv_chain_of_flow(f, has_cutoff, cutoff_day, has_cutoff ? PG_GETARG_TIMESTAMPTZ(1) : 0, &c);
		cvfw_value_check(cv_fix_first(&c, fix));
		cv_wheel_fix_first(&w, fix);
	}

	/*
	 * Dates only, in UTC, never the interval's text: the picture must not
	 * depend on the session's TimeZone, DateStyle or IntervalStyle.
	 */
	if (has_cutoff)
	{
		char		as_of[32],
					cutoff[32];

		day_text(as_of, sizeof(as_of), cv_day_of(PG_GETARG_TIMESTAMPTZ(1)));
		day_text(cutoff, sizeof(cutoff), cutoff_day);
		snprintf(subtitle, sizeof(subtitle),
				 "As of %s (UTC): customers last seen before %s have leaked; the others are still active",
				 as_of, cutoff);
	}
	else
		snprintf(subtitle, sizeof(subtitle),
				 "Every customer's last stage counts as leaked (no horizon given)");
	w.subtitle = subtitle;

	svg = cv_wheel_svg(&w, &len);
	result = cstring_to_text_with_len(svg, (int) len);
	pfree(svg);
	PG_RETURN_TEXT_P(result);
}
