/*
 * test_conversion.c — calendar periods, the conversion summary on paths
 * checked by hand (first touch and re-entry, loose and strict, ties, the
 * window's edge, as_of), merging over any split, and the codec.
 */
#include <stdlib.h>

#include "unit.h"
#include "bycustomer.h"
#include "conversion.h"
#include "crc32c.h"
#include "mem.h"

/* a fixed hash key for the stores of these tests */
static const uint64_t unit_seed[2] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL};

#define DAY CV_USECS_PER_DAY
#define AW CV_AWARENESS
#define EX CV_EXPLORATION
#define XP CV_EXPERIENCE
#define VR CV_VALUE_REALIZATION
#define AD CV_ADVOCACY
#define EN CV_ENGAGEMENT

/* microseconds since 2000-01-01 of a UTC date */
static int64_t
date(int y, int m, int d)
{
	return cv_period_start(CV_PERIOD_MONTH, (y - 2000) * 12 + m - 1) + (int64_t) (d - 1) * DAY;
}

static void
periods(void)
{
	int64_t		t = date(2026, 3, 15) + 13 * 3600 * INT64_C(1000000);	/* a Sunday */
	int			p,
				i;

	CHECK_INT(date(2000, 1, 1), 0);
	CHECK_INT(date(2026, 3, 1) / DAY, 9556);	/* 26 years of 365 days, 7 leap days, Jan and Feb */
	CHECK_INT(cv_period_index(CV_PERIOD_DAY, 0), 0);
	CHECK_INT(cv_period_index(CV_PERIOD_DAY, -1), -1);
	CHECK_INT(cv_period_index(CV_PERIOD_WEEK, 0), -1);	/* a Saturday: the week of Mon 1999-12-27 */
	CHECK_INT(cv_period_index(CV_PERIOD_WEEK, 2 * DAY), 0);	/* Mon 2000-01-03 */
	CHECK_INT(cv_period_index(CV_PERIOD_MONTH, -1), -1);
	CHECK_INT(cv_period_index(CV_PERIOD_MONTH, t), 26 * 12 + 2);
	CHECK_INT(cv_period_start(CV_PERIOD_WEEK, cv_period_index(CV_PERIOD_WEEK, t)), date(2026, 3, 9));
	CHECK_INT(cv_period_start(CV_PERIOD_MONTH, -1), date(1999, 12, 1));
	CHECK_INT(date(2024, 3, 1) - date(2024, 2, 1), 29 * DAY);	/* a leap year */
	CHECK_INT(date(2100, 3, 1) - date(2100, 2, 1), 28 * DAY);	/* not one */
	CHECK_INT(cv_period_index(CV_PERIOD_NONE, t), 0);
	/* every time lies in its period, over the whole range */
	for (p = CV_PERIOD_DAY; p <= CV_PERIOD_MONTH; p++)
		for (i = 0; i < 20000; i++)
		{
			int64_t		x = (int64_t) ((uint64_t) CV_MIN_TIMESTAMP + unit_rng() % ((uint64_t) CV_END_TIMESTAMP - (uint64_t) CV_MIN_TIMESTAMP));
			int32_t		k = cv_period_index((cv_period) p, x);

			CHECK(cv_period_start((cv_period) p, k) <= x && x < cv_period_start((cv_period) p, k + 1));
		}
}

static void
options(void)
{
	cv_conv_params p = {0};
	const char *why = NULL;
	cv_stage	ok[] = {AW, EX, AW},
				twice[] = {AW, AW},
				bad[] = {AW, 7};
	char		text[40];

	CHECK(cv_conv_parse_options(" Any,STRICT  by week ", 21, &p, &why));
	CHECK(p.any && p.strict && p.period == CV_PERIOD_WEEK);
	CHECK_STR(cv_conv_options_text(&p, text), "any, strict, by week");
	memset(&p, 0, sizeof(p));
	CHECK(cv_conv_parse_options("month,first,loose", 17, &p, &why));
	CHECK(!p.any && !p.strict && p.period == CV_PERIOD_MONTH);
	CHECK(cv_conv_parse_options("", 0, &p, &why));
	CHECK(!cv_conv_parse_options("first any", 9, &p, &why));
	CHECK(!cv_conv_parse_options("by", 2, &p, &why));
	CHECK(!cv_conv_parse_options("by first", 8, &p, &why));
	CHECK(!cv_conv_parse_options("day week", 8, &p, &why));
	CHECK(!cv_conv_parse_options("hourly", 6, &p, &why));
	CHECK(cv_conv_check_path(ok, 3, &why));
	CHECK(!cv_conv_check_path(ok, 1, &why));
	CHECK(!cv_conv_check_path(twice, 2, &why));
	CHECK(!cv_conv_check_path(bad, 2, &why));
}

static cv_conv_params
params(const cv_stage *path, int steps, int64_t window, int any, int strict)
{
	cv_conv_params p;

	memset(&p, 0, sizeof(p));
	p.steps = (uint8_t) steps;
	memcpy(p.path, path, steps);
	p.window = window;
	p.any = (uint8_t) any;
	p.strict = (uint8_t) strict;
	return p;
}

/* one customer's events as (stage, day) pairs */
static void
add(cv_conv *c, const int *sd, size_t n)
{
	cv_event	ev[32];
	size_t		i;

	for (i = 0; i < n; i++)
	{
		ev[i].stage = (cv_stage) sd[2 * i];
		ev[i].at = (int64_t) sd[2 * i + 1] * DAY;
		ev[i].value = ev[i].cost = 0;
	}
	CHECK_INT(cv_conv_add_customer(c, ev, n), CV_OK);
}

static const cv_stage path4[] = {AW, EX, XP, VR};

static void
first_and_any(void)
{
	/* aware, explores, aware again, experiences, realises value after 40 days */
	static const int ev[] = {AW, 0, EX, 1, AW, 2, XP, 3, VR, 40, AW, 50, EX, 51};
	cv_conv_params p = params(path4, 4, 30 * DAY, 0, 0);
	cv_conv		c;
	double		q;

	cv_conv_init(&c, &p);
	add(&c, ev, 7);
	/* first touch: one attempt from day 0, value on day 40 is too late */
	CHECK_INT(c.n, 1);
	CHECK_INT(c.cohorts[0].attempts[0], 1);
	CHECK_INT(c.cohorts[0].attempts[2], 1);
	CHECK_INT(c.cohorts[0].attempts[3], 0);
	CHECK_INT(cv_conv_furthest(&c), 3);
	CHECK(cv_conv_time_quantile(&c, 3, 0.5, &q));
	CHECK_DBL(q, 3.0 * DAY, 0);
	cv_conv_free(&c);

	/* re-entry: the day-50 awareness starts a second attempt (the first ran
	 * out on day 30; the day-2 awareness fell inside it) */
	p.any = 1;
	cv_conv_init(&c, &p);
	add(&c, ev, 7);
	CHECK_INT(c.cohorts[0].attempts[0], 2);
	CHECK_INT(c.cohorts[0].attempts[1], 2);
	CHECK_INT(c.cohorts[0].attempts[2], 1);
	CHECK_INT(c.cohorts[0].customers[0], 1);
	CHECK_INT(c.cohorts[0].customers[2], 1);
	CHECK_INT(c.cohorts[0].customers[3], 0);
	cv_conv_free(&c);
}

static void
loose_and_strict(void)
{
	/* aware, explores, falls back to awareness, experiences */
	static const int ev[] = {AW, 0, EX, 1, AW, 2, XP, 3};
	cv_conv_params p = params(path4, 4, 30 * DAY, 0, 1);
	cv_conv		c;

	cv_conv_init(&c, &p);
	add(&c, ev, 4);
	/* strict: the fall back breaks the attempt at step 2 */
	CHECK_INT(c.cohorts[0].attempts[1], 1);
	CHECK_INT(c.cohorts[0].attempts[2], 0);
	cv_conv_free(&c);
	/* strict re-entry: the fall back starts the next attempt, which skips
	 * exploration and so stays at step 1 */
	p.any = 1;
	cv_conv_init(&c, &p);
	add(&c, ev, 4);
	CHECK_INT(c.cohorts[0].attempts[0], 2);
	CHECK_INT(c.cohorts[0].attempts[1], 1);
	CHECK_INT(c.cohorts[0].attempts[2], 0);
	cv_conv_free(&c);
	/* loose: the step back is passed over */
	p.strict = 0;
	p.any = 0;
	cv_conv_init(&c, &p);
	add(&c, ev, 4);
	CHECK_INT(c.cohorts[0].attempts[2], 1);
	cv_conv_free(&c);
	/* strict: overshooting to value_realization and falling back onto the
	 * experience step breaks; a path's own step back, taken straight, does not */
	{
		static const int over[] = {AW, 0, EX, 1, VR, 2, XP, 3};
		static const cv_stage back[] = {EX, AW};

		p = params(path4, 4, 30 * DAY, 0, 1);
		cv_conv_init(&c, &p);
		add(&c, over, 4);
		CHECK_INT(c.cohorts[0].attempts[1], 1);
		CHECK_INT(c.cohorts[0].attempts[2], 0);
		cv_conv_free(&c);
		p = params(back, 2, 30 * DAY, 0, 1);
		cv_conv_init(&c, &p);
		add(&c, ev, 4);
		CHECK_INT(c.cohorts[0].attempts[1], 1);
		cv_conv_free(&c);
	}
	/* strict, but engagement -> awareness is the next round, not a fall back */
	{
		static const cv_stage round[] = {AD, EN, AW, EX};
		static const int ev2[] = {AD, 0, EN, 1, AW, 2, EX, 3};

		p = params(round, 4, 30 * DAY, 0, 1);
		cv_conv_init(&c, &p);
		add(&c, ev2, 4);
		CHECK_INT(c.cohorts[0].attempts[3], 1);
		cv_conv_free(&c);
	}
}

static void
ties_and_window(void)
{
	static const cv_stage fwd[] = {AW, EX},
				back[] = {EX, AW};
	static const int same[] = {EX, 5, AW, 5};
	static const int edge[] = {AW, 0, EX, 30};
	cv_conv_params p = params(fwd, 2, 30 * DAY, 0, 0);
	cv_conv		c;
	double		q;

	/* at one instant, events are in wheel order: forward converts in 0 */
	cv_conv_init(&c, &p);
	add(&c, same, 2);
	CHECK_INT(c.cohorts[0].attempts[1], 1);
	CHECK(cv_conv_time_quantile(&c, 2, 0.9, &q));
	CHECK_DBL(q, 0, 0);
	cv_conv_free(&c);
	/* ... and a step back needs a later event */
	p = params(back, 2, 30 * DAY, 0, 0);
	cv_conv_init(&c, &p);
	add(&c, same, 2);
	CHECK_INT(c.cohorts[0].attempts[0], 1);
	CHECK_INT(c.cohorts[0].attempts[1], 0);
	cv_conv_free(&c);
	/* the window includes its end */
	p = params(fwd, 2, 30 * DAY, 0, 0);
	cv_conv_init(&c, &p);
	add(&c, edge, 2);
	CHECK_INT(c.cohorts[0].attempts[1], 1);
	cv_conv_free(&c);
	p.window = 30 * DAY - 1;
	cv_conv_init(&c, &p);
	add(&c, edge, 2);
	CHECK_INT(c.cohorts[0].attempts[1], 0);
	cv_conv_free(&c);
}

static void
as_of(void)
{
	static const int ev[] = {AW, 0, EX, 20, XP, 25};
	cv_conv_params p = params(path4, 4, 30 * DAY, 0, 0);
	cv_conv		c;

	/* as of day 10: only the awareness is known, the window still open */
	p.has_as_of = 1;
	p.as_of = 10 * DAY;
	cv_conv_init(&c, &p);
	add(&c, ev, 3);
	CHECK_INT(c.cohorts[0].attempts[1], 0);
	CHECK_INT(c.cohorts[0].in_progress[0], 1);
	cv_conv_free(&c);
	/* as of day 40 the window has run out: no longer in progress */
	p.as_of = 40 * DAY;
	cv_conv_init(&c, &p);
	add(&c, ev, 3);
	CHECK_INT(c.cohorts[0].attempts[2], 1);
	CHECK_INT(c.cohorts[0].in_progress[2], 0);
	cv_conv_free(&c);
	/* as of exactly the window's end: decided */
	p.as_of = 30 * DAY;
	cv_conv_init(&c, &p);
	add(&c, ev, 3);
	CHECK_INT(c.cohorts[0].in_progress[2], 0);
	cv_conv_free(&c);
}

/* random customers: a few stages over a few weeks */
static size_t
random_customer(cv_event *ev)
{
	size_t		n = 1 + unit_rng() % 12,
				i;

	for (i = 0; i < n; i++)
	{
		ev[i].stage = (cv_stage) (1 + unit_rng() % 6);
		ev[i].at = (int64_t) (unit_rng() % (90 * 24)) * 3600 * INT64_C(1000000);
		ev[i].value = ev[i].cost = 0;
	}
	return n;
}

static int
same_bytes(const cv_conv *a, const cv_conv *b)
{
	size_t		la,
				lb;
	uint8_t    *ea = cv_conv_encode(a, 0, &la),
			   *eb = cv_conv_encode(b, 0, &lb);
	int			same = la == lb && memcmp(ea, eb, la) == 0;

	free(ea);
	free(eb);
	return same;
}

static void
merge_any_split(void)
{
	int			variant;

	for (variant = 0; variant < 8; variant++)
	{
		cv_conv_params p = params(path4, 4, (7 + variant) * DAY, variant & 1, (variant >> 1) & 1);
		cv_conv		all,
					part[3],
					merged,
					back;
		int			i,
					k;
		size_t		len;
		uint8_t    *enc;
		const char *why = NULL;

		p.period = (uint8_t) (variant >> 1);
		p.has_as_of = variant >= 4;
		p.as_of = 60 * DAY;
		cv_conv_init(&all, &p);
		cv_conv_init(&merged, &p);
		for (k = 0; k < 3; k++)
			cv_conv_init(&part[k], &p);
		for (i = 0; i < 3000; i++)
		{
			cv_event	ev[12],
						shuffled[12];
			size_t		n = random_customer(ev),
						j;

			for (j = 0; j < n; j++)
				shuffled[j] = ev[n - 1 - j];
			CHECK_INT(cv_conv_add_customer(&all, ev, n), CV_OK);
			CHECK_INT(cv_conv_add_customer(&part[unit_rng() % 3], shuffled, n), CV_OK);
		}
		for (k = 2; k >= 0; k--)
			CHECK_INT(cv_conv_merge(&merged, &part[k]), CV_OK);
		CHECK(same_bytes(&all, &merged));
		/* the codec: decode what was encoded, encode it again: the same bytes */
		enc = cv_conv_encode(&all, 0, &len);
		CHECK_INT(cv_conv_decode(&back, enc, len, &why), CV_OK);
		CHECK(why == NULL);
		CHECK(same_bytes(&all, &back));
		/* every byte flipped is refused */
		for (i = 0; i < (int) len; i += 7)
		{
			cv_conv		bad;

			enc[i] ^= 0x10;
			CHECK_INT(cv_conv_decode(&bad, enc, len, &why), CV_ERR_CORRUPT);
			cv_conv_free(&bad);
			enc[i] ^= 0x10;
		}
		free(enc);
		/* counts add up: attempts fall along the path, customers <= attempts */
		for (i = 0; i < (int) all.n; i++)
			for (k = 1; k < 4; k++)
				CHECK(all.cohorts[i].attempts[k] <= all.cohorts[i].attempts[k - 1] &&
					  all.cohorts[i].customers[k] <= all.cohorts[i].attempts[k]);
		cv_conv_free(&all);
		cv_conv_free(&merged);
		cv_conv_free(&back);
		for (k = 0; k < 3; k++)
			cv_conv_free(&part[k]);
	}
}

/* a checksum made valid again, so the structural checks are reached */
static cv_status
decode_fixed(cv_conv *c, uint8_t *enc, size_t len)
{
	uint32_t	crc = cv_crc32c(enc, len - 4);
	const char *why = NULL;

	enc[len - 4] = (uint8_t) crc;
	enc[len - 3] = (uint8_t) (crc >> 8);
	enc[len - 2] = (uint8_t) (crc >> 16);
	enc[len - 1] = (uint8_t) (crc >> 24);
	return cv_conv_decode(c, enc, len, &why);
}

static void
implausible(void)
{
	static const int ev[] = {AW, 0, EX, 1};
	static const cv_stage two[] = {AW, EX};
	cv_conv_params p = params(two, 2, 30 * DAY, 0, 0);
	cv_conv		c,
				d;
	size_t		len;
	uint8_t    *enc;

	cv_conv_init(&c, &p);
	add(&c, ev, 2);
	/* more customers reached step 2 than step 1 */
	c.cohorts[0].customers[1] = 2;
	c.cohorts[0].attempts[1] = 2;
	enc = cv_conv_encode(&c, 0, &len);
	CHECK_INT(decode_fixed(&d, enc, len), CV_ERR_CORRUPT);
	cv_conv_free(&d);
	free(enc);
	/* in progress without an as_of */
	c.cohorts[0].customers[1] = c.cohorts[0].attempts[1] = 1;
	c.cohorts[0].in_progress[0] = 1;
	enc = cv_conv_encode(&c, 0, &len);
	CHECK_INT(decode_fixed(&d, enc, len), CV_ERR_CORRUPT);
	cv_conv_free(&d);
	free(enc);
	c.cohorts[0].in_progress[0] = 0;
	/* merging past the count limit is refused, before anything is added */
	c.cohorts[0].attempts[0] = CV_COUNT_MAX;
	c.cohorts[0].customers[0] = CV_COUNT_MAX;
	cv_conv_init(&d, &p);
	add(&d, ev, 2);
	CHECK_INT(cv_conv_merge(&d, &c), CV_ERR_OVERFLOW);
	CHECK_INT(d.cohorts[0].attempts[0], 1);
	cv_conv_free(&d);
	cv_conv_free(&c);
}

/* the one-aggregate path: events of many customers through bycustomer */
static cv_status
add_conv(void *arg, cv_event *ev, size_t n)
{
	return cv_conv_add_customer((cv_conv *) arg, ev, n);
}

static void
by_customer(void)
{
	cv_conv_params p = params(path4, 4, 10 * DAY, 1, 0);
	cv_conv		two,
				one;
	cv_bycustomer b;
	int			i;

	p.period = CV_PERIOD_WEEK;
	cv_conv_init(&two, &p);
	cv_conv_init(&one, &p);
	cv_bc_init(&b, unit_seed, 0);
	for (i = 0; i < 2000; i++)
	{
		cv_event	ev[12];
		size_t		n = random_customer(ev),
					j;

		for (j = 0; j < n; j++)
			CHECK_INT(cv_bc_add(&b, (int64_t) i * 7919, &ev[j]), CV_OK);
		CHECK_INT(cv_conv_add_customer(&two, ev, n), CV_OK);
	}
	CHECK_INT(cv_bc_each(&b, add_conv, &one), CV_OK);
	CHECK(same_bytes(&one, &two));
	cv_bc_free(&b);
	cv_conv_free(&one);
	cv_conv_free(&two);
}

const unit_test conversion_tests[] = {
	{"periods: UTC days, ISO weeks, months", periods},
	{"conversion: options and paths", options},
	{"conversion: first touch and re-entry", first_and_any},
	{"conversion: loose and strict order", loose_and_strict},
	{"conversion: ties and the window's edge", ties_and_window},
	{"conversion: as_of and attempts in progress", as_of},
	{"conversion: merge over any split, codec round trip", merge_any_split},
	{"conversion: implausible summaries and overflow refused", implausible},
	{"conversion: one aggregate over many customers", by_customer},
	{NULL, NULL}
};
