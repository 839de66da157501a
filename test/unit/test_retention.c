/*
 * test_retention.c — the retention summary on customers checked by hand
 * (calendar and rolling offsets, N-period and on-or-after, complete
 * periods at as_of, start and active stages), merging over any split, the
 * codec, and the one-aggregate path.
 */
#include <stdlib.h>

#include "unit.h"
#include "bycustomer.h"
#include "crc32c.h"
#include "mem.h"
#include "retention.h"

/* a fixed hash key for the stores of these tests */
static const uint64_t unit_seed[2] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL};

#define DAY CV_USECS_PER_DAY
#define AW CV_AWARENESS
#define EX CV_EXPLORATION
#define VR CV_VALUE_REALIZATION
#define EN CV_ENGAGEMENT

static int64_t
date(int y, int m, int d)
{
	return cv_period_start(CV_PERIOD_MONTH, (y - 2000) * 12 + m - 1) + (int64_t) (d - 1) * DAY;
}

static void
add(cv_ret *r, const cv_stage *stage, const int64_t *at, size_t n)
{
	cv_event	ev[16];
	size_t		i;

	for (i = 0; i < n; i++)
	{
		ev[i].stage = stage[i];
		ev[i].at = at[i];
		ev[i].value = ev[i].cost = 0;
	}
	CHECK_INT(cv_ret_add_customer(r, ev, n), CV_OK);
}

static void
period_text(void)
{
	cv_ret_params p = {0};
	const char *why = NULL;

	CHECK(cv_ret_parse_period("Rolling  WEEK", 13, &p, &why));
	CHECK(p.rolling && p.period == CV_PERIOD_WEEK);
	CHECK(cv_ret_parse_period("month", 5, &p, &why));
	CHECK(!p.rolling && p.period == CV_PERIOD_MONTH);
	CHECK(cv_ret_parse_period("calendar day", 12, &p, &why));
	CHECK(!cv_ret_parse_period("", 0, &p, &why));
	CHECK(!cv_ret_parse_period("week rolling", 12, &p, &why));
	CHECK(!cv_ret_parse_period("day week", 8, &p, &why));
	CHECK(!cv_ret_parse_period("fortnight", 9, &p, &why));
}

static cv_ret_params
params(cv_stage start, int period, int rolling, int64_t as_of)
{
	cv_ret_params p;

	memset(&p, 0, sizeof(p));
	p.start = start;
	p.active = CV_RET_ALL_STAGES;
	p.period = (uint8_t) period;
	p.rolling = (uint8_t) rolling;
	p.as_of = as_of;
	return p;
}

static void
calendar_months(void)
{
	/* aware 15 Jan, back 3 and 20 Feb and 2 Apr; as of 10 April */
	static const cv_stage s1[] = {AW, EX, VR, EN};
	int64_t		t1[] = {date(2026, 1, 15), date(2026, 2, 3), date(2026, 2, 20), date(2026, 4, 2)};
	/* aware 31 Jan, never back */
	static const cv_stage s2[] = {AW};
	int64_t		t2[] = {date(2026, 1, 31)};
	cv_ret_params p = params(AW, CV_PERIOD_MONTH, 0, date(2026, 4, 10));
	cv_ret		r;
	cv_ret_row *rows;
	size_t		n;
	double		rate;

	cv_ret_init(&r, &p);
	add(&r, s1, t1, 4);
	add(&r, s2, t2, 1);
	rows = cv_ret_rows(&r, &n);
	/* January, February and March are complete; April is not */
	CHECK_INT(n, 3);
	CHECK_INT(rows[0].cohort, 26 * 12);
	CHECK_INT(rows[0].offset, 0);
	CHECK_INT(rows[0].cohort_customers, 2);
	CHECK_INT(rows[0].customers, 2);
	CHECK_INT(rows[0].retained, 2);
	CHECK_INT(rows[0].retained_after, 2);
	CHECK_INT(rows[1].retained, 1);	/* February */
	CHECK_INT(rows[1].retained_after, 1);
	CHECK_INT(rows[2].offset, 2);	/* March: nobody, but customer 1 came back in April */
	CHECK_INT(rows[2].retained, 0);
	CHECK_INT(rows[2].retained_after, 1);
	CHECK(cv_ret_rate(&r, 1, 0, &rate));
	CHECK_DBL(rate, 0.5, 0);
	CHECK(!cv_ret_rate(&r, 3, 0, &rate));
	cv_mem.free(rows);
	cv_ret_free(&r);
}

static void
rolling_weeks(void)
{
	/* aware Wed 7 Jan 12:00; back 13 Jan (day 5.5: week 0), 14 Jan 12:00 (day 7: week 1) */
	int64_t		noon = 12 * 3600 * INT64_C(1000000);
	static const cv_stage s[] = {AW, EX, VR};
	int64_t		t[] = {date(2026, 1, 7) + noon, date(2026, 1, 13), date(2026, 1, 14) + noon};
	/* as of 21 Jan 11:59:59.999999: week 1 (14 Jan 12:00 .. 21 Jan 11:59:59.999999) is complete */
	cv_ret_params p = params(AW, CV_PERIOD_WEEK, 1, date(2026, 1, 21) + noon - 1);
	cv_ret		r;
	cv_ret_row *rows;
	size_t		n;

	cv_ret_init(&r, &p);
	add(&r, s, t, 3);
	rows = cv_ret_rows(&r, &n);
	CHECK_INT(n, 2);
	CHECK_INT(rows[0].cohort, cv_period_index(CV_PERIOD_WEEK, date(2026, 1, 5)));	/* ISO week of Mon 5 Jan */
	CHECK_INT(rows[1].retained, 1);
	cv_mem.free(rows);
	cv_ret_free(&r);
	/* a microsecond earlier, week 1 is not complete */
	p.as_of -= 1;
	cv_ret_init(&r, &p);
	add(&r, s, t, 3);
	rows = cv_ret_rows(&r, &n);
	CHECK_INT(n, 1);
	cv_mem.free(rows);
	cv_ret_free(&r);
}

static void
start_and_active_stages(void)
{
	/* exploring before value; value 3 Feb; advocacy-free activity later */
	static const cv_stage s[] = {EX, VR, EX, VR};
	int64_t		t[] = {date(2026, 1, 5), date(2026, 2, 3), date(2026, 3, 1), date(2026, 4, 1)};
	cv_ret_params p = params(VR, CV_PERIOD_MONTH, 0, date(2026, 5, 1));
	cv_ret		r;
	cv_ret_row *rows;
	size_t		n;

	/* start = first value_realization (February); only value realizations count */
	p.active = 1u << (VR - 1);
	cv_ret_init(&r, &p);
	add(&r, s, t, 4);
	rows = cv_ret_rows(&r, &n);
	CHECK_INT(n, 3);			/* Feb, Mar, Apr complete as of 1 May */
	CHECK_INT(rows[0].cohort, 26 * 12 + 1);
	CHECK_INT(rows[1].retained, 0);	/* March: only exploring */
	CHECK_INT(rows[1].retained_after, 1);
	CHECK_INT(rows[2].retained, 1);	/* April */
	cv_mem.free(rows);
	cv_ret_free(&r);
	/* a start stage never reached: no cohort */
	p.start = EN;
	cv_ret_init(&r, &p);
	add(&r, s, t, 4);
	CHECK_INT(r.n, 0);
	CHECK_INT(r.customers, 0);
	cv_ret_free(&r);
	/* events after as_of are not known: with as_of on 2 Feb, nobody started */
	p.start = VR;
	p.as_of = date(2026, 2, 2);
	cv_ret_init(&r, &p);
	add(&r, s, t, 4);
	CHECK_INT(r.customers, 0);
	cv_ret_free(&r);
}

static size_t
random_customer(cv_event *ev)
{
	size_t		n = 1 + unit_rng() % 12,
				i;

	for (i = 0; i < n; i++)
	{
		ev[i].stage = (cv_stage) (1 + unit_rng() % 6);
		ev[i].at = date(2025, 6, 1) + (int64_t) (unit_rng() % (300 * 24)) * 3600 * INT64_C(1000000);
		ev[i].value = ev[i].cost = 0;
	}
	return n;
}

static int
same_bytes(const cv_ret *a, const cv_ret *b)
{
	size_t		la,
				lb;
	uint8_t    *ea = cv_ret_encode(a, 0, &la),
			   *eb = cv_ret_encode(b, 0, &lb);
	int			same = la == lb && memcmp(ea, eb, la) == 0;

	free(ea);
	free(eb);
	return same;
}

static cv_status
add_ret(void *arg, cv_event *ev, size_t n)
{
	return cv_ret_add_customer((cv_ret *) arg, ev, n);
}

static void
merge_split_codec(void)
{
	int			variant;

	for (variant = 0; variant < 6; variant++)
	{
		cv_ret_params p = params(variant % 2 ? VR : 0, 1 + variant % 3, variant >= 3, date(2026, 2, 10));
		cv_ret		all,
					part[3],
					merged,
					back,
					one;
		cv_bycustomer b;
		int			i,
					k;
		size_t		len,
					nrows;
		uint8_t    *enc;
		const char *why = NULL;
		cv_ret_row *rows;

		cv_ret_init(&all, &p);
		cv_ret_init(&merged, &p);
		cv_ret_init(&one, &p);
		cv_bc_init(&b, unit_seed, 0);
		for (k = 0; k < 3; k++)
			cv_ret_init(&part[k], &p);
		for (i = 0; i < 2000; i++)
		{
			cv_event	ev[12];
			size_t		n = random_customer(ev),
						j;

			for (j = 0; j < n; j++)
				CHECK_INT(cv_bc_add(&b, i, &ev[j]), CV_OK);
			CHECK_INT(cv_ret_add_customer(&all, ev, n), CV_OK);
			CHECK_INT(cv_ret_add_customer(&part[unit_rng() % 3], ev, n), CV_OK);
		}
		for (k = 0; k < 3; k++)
			CHECK_INT(cv_ret_merge(&merged, &part[k]), CV_OK);
		CHECK(same_bytes(&all, &merged));
		CHECK_INT(cv_bc_each(&b, add_ret, &one), CV_OK);
		CHECK(same_bytes(&all, &one));
		enc = cv_ret_encode(&all, 0, &len);
		CHECK_INT(cv_ret_decode(&back, enc, len, &why), CV_OK);
		CHECK(same_bytes(&all, &back));
		for (i = 0; i < (int) len; i += 5)
		{
			cv_ret		bad;

			enc[i] ^= 0x04;
			CHECK_INT(cv_ret_decode(&bad, enc, len, &why), CV_ERR_CORRUPT);
			cv_ret_free(&bad);
			enc[i] ^= 0x04;
		}
		free(enc);
		/* the matrix: retained <= retained on or after <= customers <= cohort */
		rows = cv_ret_rows(&all, &nrows);
		CHECK(nrows > 0);
		for (i = 0; i < (int) nrows; i++)
			CHECK(rows[i].retained <= rows[i].retained_after && rows[i].retained_after <= rows[i].customers &&
				  rows[i].customers <= rows[i].cohort_customers &&
				  (i == 0 || rows[i].cohort > rows[i - 1].cohort ||
				   (rows[i].cohort == rows[i - 1].cohort && rows[i].offset == rows[i - 1].offset + 1)));
		cv_mem.free(rows);
		cv_ret_free(&all);
		cv_ret_free(&merged);
		cv_ret_free(&back);
		cv_ret_free(&one);
		cv_bc_free(&b);
		for (k = 0; k < 3; k++)
			cv_ret_free(&part[k]);
	}
}

static void
implausible(void)
{
	static const cv_stage s[] = {AW, EX};
	int64_t		t[] = {date(2026, 1, 5), date(2026, 2, 5)};
	cv_ret_params p = params(AW, CV_PERIOD_MONTH, 0, date(2026, 3, 10));
	cv_ret		r,
				d;
	size_t		len;
	uint8_t    *enc;
	uint32_t	crc;
	const char *why = NULL;

	cv_ret_init(&r, &p);
	add(&r, s, t, 2);
	/* a customer whose last complete month is not February */
	cv_ret_cell_get(&r, 26 * 12, 0)->last_complete++;
	cv_ret_cell_get(&r, 26 * 12, 0)->last_active++;
	enc = cv_ret_encode(&r, 0, &len);
	crc = cv_crc32c(enc, len - 4);
	memcpy(enc + len - 4, (uint8_t[4]) {(uint8_t) crc, (uint8_t) (crc >> 8), (uint8_t) (crc >> 16), (uint8_t) (crc >> 24)}, 4);
	CHECK_INT(cv_ret_decode(&d, enc, len, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "Customers' last complete periods are out of reach.");
	cv_ret_free(&d);
	free(enc);
	cv_ret_free(&r);
}

const unit_test retention_tests[] = {
	{"retention: period text", period_text},
	{"retention: calendar months, N-period and on or after", calendar_months},
	{"retention: rolling weeks, complete at as_of", rolling_weeks},
	{"retention: start and active stages, as_of", start_and_active_stages},
	{"retention: merge, one aggregate, codec", merge_split_codec},
	{"retention: implausible summaries refused", implausible},
	{NULL, NULL}
};
