/*
 * test_trend.c — the trend: one customer worked out by hand; every split
 * and merge order giving the same bytes; the group (subtracting what was
 * added, refusing what was not); the periods (UTC days, ISO weeks, months,
 * at known dates and at the ends of the range); the report against the
 * flow summary built by independent code (flow.c) from the same
 * customers, stage by stage; the decoder refusing damage and accepting
 * only the canonical form.
 */
#include <stdlib.h>

#include "crc32c.h"
#include "flow.h"
#include "trend.h"
#include "unit.h"

#define DAY CV_USECS_PER_DAY
#define AW CV_AWARENESS
#define EX CV_EXPLORATION
#define XP CV_EXPERIENCE
#define VR CV_VALUE_REALIZATION
#define AD CV_ADVOCACY
#define EN CV_ENGAGEMENT

enum
{
	MAX_EVENTS = 12
};

typedef struct customer
{
	cv_event	ev[MAX_EVENTS];
	size_t		n;
} customer;

/* a random customer: stages back and forth, ties in time, fractional values */
static void
random_customer(customer *c)
{
	size_t		i;
	int			stage = 1 + (int) (unit_rng() % 6);
	int64_t		at = (int64_t) (unit_rng() % (400 * (uint64_t) DAY)) - 200 * DAY;

	c->n = 1 + unit_rng() % (MAX_EVENTS - 1);
	for (i = 0; i < c->n; i++)
	{
		uint64_t	r = unit_rng();

		stage = (int) cv_stage_rotate((cv_stage) stage, (int) (r % 5) - 2);
		at += (int64_t) (r % (20 * (uint64_t) DAY)) * (r % 7 != 0) + (int64_t) (r % 997);
		c->ev[i].stage = (cv_stage) stage;
		c->ev[i].at = at;
		c->ev[i].value = (unit_rng() % 3 == 0) ? (double) (unit_rng() % 100000) / 100 - 200 : 0;
		c->ev[i].cost = (double) (unit_rng() % 1000) / 7;
	}
}

typedef struct bytes
{
	uint8_t    *data;
	size_t		len;
} bytes;

static bytes
encode(cv_trend *t)
{
	bytes		b;

	b.data = cv_trend_encode(t, &unit_mem, 0, &b.len);
	return b;
}

static int
same(bytes a, bytes b)
{
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

static void
add(cv_trend *t, const customer *c)
{
	customer	copy = *c;

	CHECK_INT(cv_trend_add_customer(t, copy.ev, copy.n), CV_OK);
}

/* days since 2000-01-01 of a date (for readable expectations) */
static int32_t
ymd(int y, int m, int d)
{
	/* Hinnant's days_from_civil, as an independent copy */
	int64_t		yy = y - (m <= 2);
	int64_t		era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t		yoe = yy - era * 400;
	int64_t		doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - 719468 - 10957);
}

/*
 * awareness 01-05 (cost only), awareness 01-06 (10), exploration 01-07
 * (5), awareness 01-09, value_realization 02-01 (100), advocacy 02-01
 * later that day: visits awareness (01-05, 10, advanced), exploration
 * (01-07, 5, regressed), awareness (01-09, skipped), value_realization
 * (02-01, 100, advanced), advocacy (02-01, ended, last day 02-01).
 */
static void
test_trend_one_customer(void)
{
	int64_t		d0 = (int64_t) ymd(2026, 1, 5) * DAY;
	cv_event	ev[] = {
		{d0 + DAY, 10, 0, AW}, {d0, 0, 3, AW}, {d0 + 2 * DAY, 5, 0, EX},
		{d0 + 4 * DAY, 0, 0, AW}, {d0 + 27 * DAY + 3600 * INT64_C(1000000), 0, 0, AD},
		{d0 + 27 * DAY, 100, 0, VR}};
	cv_trend	t;
	cv_trend_row *rows;
	size_t		n;
	const char *why = NULL;

	cv_trend_init(&t, &unit_mem);
	CHECK_INT(cv_trend_add_customer(&t, ev, 6), CV_OK);
	cv_trend_compact(&t);
	CHECK_INT(t.customers, 1);
	CHECK_INT(t.ncells, 5);
	CHECK_INT(t.nends, 1);
	CHECK_INT(t.cells[0].day, ymd(2026, 1, 5));
	CHECK_INT(t.cells[0].stage, AW);
	CHECK_INT(t.cells[0].advanced, 1);
	CHECK(cv_money_to_double(t.cells[0].value) == 10);
	CHECK_INT(t.cells[1].stage, EX);
	CHECK_INT(t.cells[1].regressed, 1);
	CHECK_INT(t.cells[2].day, ymd(2026, 1, 9));
	CHECK_INT(t.cells[2].skipped, 1);
	CHECK_INT(t.cells[3].stage, VR);
	CHECK_INT(t.cells[3].advanced, 1);
	CHECK_INT(t.cells[4].stage, AD);
	CHECK_INT(t.cells[4].ended, 1);
	CHECK_INT(t.ends[0].day, ymd(2026, 2, 1));
	CHECK_INT(t.ends[0].last_day, ymd(2026, 2, 1));
	CHECK_INT(cv_trend_check(&t, &why), CV_OK);

	/* by month: January awareness 2 visits (advanced, skipped), exploration 1; February 2 */
	CHECK_INT(cv_trend_report(&t, CV_TREND_MONTH, 0, 0, &rows, &n, &why), CV_OK);
	CHECK_INT(n, 4);
	CHECK_INT(rows[0].start, ymd(2026, 1, 1));
	CHECK_INT(rows[0].stage, AW);
	CHECK_INT(rows[0].visits, 2);
	CHECK_INT(rows[0].advanced, 1);
	CHECK_INT(rows[0].skipped, 1);
	CHECK(cv_money_to_double(rows[0].value) == 10);
	CHECK_INT(rows[1].stage, EX);
	CHECK_INT(rows[2].start, ymd(2026, 2, 1));
	CHECK_INT(rows[2].stage, VR);
	CHECK_INT(rows[3].stage, AD);
	CHECK_INT(rows[3].ended, 1);
	CHECK_INT(rows[3].leaked, 1);	/* no horizon: every ended visit leaked */
	cv_free(&unit_mem, rows);
	/* by week: 01-05 .. 01-11 is one ISO week (Monday 01-05); 02-01 is a Sunday, week of 01-26 */
	CHECK_INT(cv_trend_report(&t, CV_TREND_WEEK, 1, ymd(2026, 2, 1), &rows, &n, &why), CV_OK);
	CHECK_INT(n, 4);
	CHECK_INT(rows[0].start, ymd(2026, 1, 5));
	CHECK_INT(rows[2].start, ymd(2026, 1, 26));
	CHECK_INT(rows[3].leaked, 0);	/* last seen on the cut-off day: active */
	cv_free(&unit_mem, rows);
	CHECK_INT(cv_trend_report(&t, CV_TREND_DAY, 1, ymd(2026, 2, 2), &rows, &n, &why), CV_OK);
	CHECK_INT(n, 5);
	CHECK_INT(rows[4].leaked, 1);
	cv_free(&unit_mem, rows);
	cv_trend_free(&t);
}

static void
test_trend_periods(void)
{
	/* 2000-01-01 was a Saturday; 2026-01-01 a Thursday; 1999-12-27 a Monday */
	CHECK_INT(cv_trend_period_start(CV_TREND_WEEK, 0), ymd(1999, 12, 27));
	CHECK_INT(cv_trend_period_start(CV_TREND_WEEK, ymd(2026, 1, 1)), ymd(2025, 12, 29));
	CHECK_INT(cv_trend_period_start(CV_TREND_WEEK, ymd(2026, 1, 4)), ymd(2025, 12, 29));
	CHECK_INT(cv_trend_period_start(CV_TREND_WEEK, ymd(2026, 1, 5)), ymd(2026, 1, 5));
	CHECK_INT(cv_trend_period_start(CV_TREND_MONTH, ymd(2024, 2, 29)), ymd(2024, 2, 1));
	CHECK_INT(cv_trend_period_start(CV_TREND_MONTH, ymd(1900, 3, 1)), ymd(1900, 3, 1));
	CHECK_INT(cv_trend_period_start(CV_TREND_MONTH, ymd(1900, 2, 28)), ymd(1900, 2, 1));
	CHECK_INT(cv_trend_period_start(CV_TREND_MONTH, -1), ymd(1999, 12, 1));
	CHECK_INT(cv_trend_period_start(CV_TREND_DAY, -12345), -12345);
	/* the first day of the range (4714-11-24 BC) is a Monday; its month is cut there */
	CHECK_INT(cv_trend_period_start(CV_TREND_WEEK, CV_MIN_DAY), CV_MIN_DAY);
	CHECK_INT(cv_trend_period_start(CV_TREND_WEEK, CV_MIN_DAY + 6), CV_MIN_DAY);
	CHECK_INT(cv_trend_period_start(CV_TREND_MONTH, CV_MIN_DAY + 3), CV_MIN_DAY);
	CHECK_INT(cv_trend_period_start(CV_TREND_MONTH, CV_MIN_DAY + 7), CV_MIN_DAY + 7);	/* 4714-12-01 BC */
	CHECK(cv_trend_period_start(CV_TREND_MONTH, CV_MAX_DAY) <= CV_MAX_DAY);
	CHECK(cv_trend_period_start(CV_TREND_MONTH, CV_MAX_DAY) > CV_MAX_DAY - 31);
}

enum
{
	NCUST = 300
};

/* every split into parts, merged in any order, gives the same bytes */
static void
test_trend_order_free(void)
{
	static customer cs[NCUST];
	cv_trend	all,
				parts[3],
				merged;
	bytes		a,
				b;
	size_t		i;
	int			k;
	const char *why = NULL;

	for (i = 0; i < NCUST; i++)
		random_customer(&cs[i]);
	cv_trend_init(&all, &unit_mem);
	for (i = 0; i < NCUST; i++)
		add(&all, &cs[i]);
	a = encode(&all);
	for (k = 0; k < 3; k++)
		cv_trend_init(&parts[k], &unit_mem);
	/* backwards, split at random */
	for (i = NCUST; i-- > 0;)
		add(&parts[unit_rng() % 3], &cs[i]);
	cv_trend_init(&merged, &unit_mem);
	CHECK_INT(cv_trend_merge(&merged, &parts[2], &why), CV_OK);
	CHECK_INT(cv_trend_merge(&merged, &parts[0], &why), CV_OK);
	CHECK_INT(cv_trend_merge(&merged, &parts[1], &why), CV_OK);
	b = encode(&merged);
	CHECK(same(a, b));
	cv_free(&unit_mem, b.data);
	/* through the encoded forms: each part decoded into one accumulator */
	cv_trend_free(&merged);
	cv_trend_init(&merged, &unit_mem);
	for (k = 0; k < 3; k++)
	{
		bytes		p = encode(&parts[k]);

		CHECK_INT(cv_trend_decode(&merged, p.data, p.len, &why), CV_OK);
		cv_free(&unit_mem, p.data);
	}
	b = encode(&merged);
	CHECK(same(a, b));
	cv_free(&unit_mem, b.data);
	/* one customer written straight from its events: as an accumulator of one */
	{
		customer	c1 = cs[7],
					c2 = cs[7];
		cv_trend	one;
		cv_status	st;
		size_t		len;
		uint8_t    *direct = cv_trend_encode_customer(&unit_mem, c1.ev, c1.n, 3, &len, &st);
		bytes		acc;

		CHECK_INT(st, CV_OK);
		cv_trend_init(&one, &unit_mem);
		CHECK_INT(cv_trend_add_customer(&one, c2.ev, c2.n), CV_OK);
		acc = encode(&one);
		CHECK(acc.len == len && memcmp(acc.data, direct + 3, len) == 0);
		cv_free(&unit_mem, acc.data);
		cv_free(&unit_mem, direct);
		cv_trend_free(&one);
	}
	cv_free(&unit_mem, a.data);
	cv_trend_free(&merged);
	cv_trend_free(&all);
	for (k = 0; k < 3; k++)
		cv_trend_free(&parts[k]);
}

/* add, remove and replace customers: the bytes of the set that remains */
static void
test_trend_group(void)
{
	static customer cs[NCUST];
	cv_trend	total,
				part,
				rest,
				one;
	bytes		a,
				b;
	size_t		i;
	const char *why = NULL;

	for (i = 0; i < NCUST; i++)
		random_customer(&cs[i]);
	cv_trend_init(&total, &unit_mem);
	cv_trend_init(&part, &unit_mem);
	cv_trend_init(&rest, &unit_mem);
	for (i = 0; i < NCUST; i++)
	{
		add(&total, &cs[i]);
		add(i % 4 == 1 ? &part : &rest, &cs[i]);
	}
	CHECK_INT(cv_trend_subtract(&total, &part, &why), CV_OK);
	a = encode(&total);
	b = encode(&rest);
	CHECK(same(a, b));
	cv_free(&unit_mem, a.data);
	cv_free(&unit_mem, b.data);

	/* taking the part out again: it is no longer held */
	CHECK_INT(cv_trend_subtract(&total, &part, &why), CV_ERR_NOT_CONTAINED);
	CHECK(why != NULL);
	cv_trend_free(&total);

	/* everyone out: nothing left, and that passes */
	cv_trend_init(&total, &unit_mem);
	CHECK_INT(cv_trend_merge(&total, &rest, &why), CV_OK);
	CHECK_INT(cv_trend_subtract(&total, &rest, &why), CV_OK);
	CHECK_INT(total.customers, 0);
	CHECK_INT(total.ncells, 0);
	CHECK_INT(total.nends, 0);
	cv_trend_free(&total);

	/* a customer's value changed: not contained (another value, same counts) */
	cv_trend_init(&one, &unit_mem);
	{
		customer	c = cs[3];
		size_t		k;

		for (k = 0; k < c.n; k++)
			c.ev[k].value += 1;
		add(&one, &c);
	}
	cv_trend_init(&total, &unit_mem);
	add(&total, &cs[3]);
	CHECK_INT(cv_trend_subtract(&total, &one, &why), CV_ERR_NOT_CONTAINED);
	cv_trend_free(&total);
	cv_trend_free(&one);
	cv_trend_free(&part);
	cv_trend_free(&rest);
}

/*
 * The report summed over every period equals the flow summary's leakage
 * report of the same customers, stage by stage (flow.c works the visits
 * out on its own), with and without a cut-off.
 */
static void
test_trend_against_flow(void)
{
	static customer cs[NCUST];
	cv_trend	t;
	cv_flow		f;
	cv_leakage_row lr[CV_STAGE_COUNT + 1];
	cv_trend_row *rows;
	size_t		n,
				i;
	int			cut,
				p,
				s;
	const char *why = NULL;

	cv_trend_init(&t, &unit_mem);
	cv_flow_init(&f, &unit_mem);
	for (i = 0; i < NCUST; i++)
	{
		customer	a,
					b;

		random_customer(&cs[i]);
		a = b = cs[i];
		CHECK_INT(cv_trend_add_customer(&t, a.ev, a.n), CV_OK);
		CHECK_INT(cv_flow_add_customer(&f, b.ev, b.n), CV_OK);
	}
	for (cut = 0; cut < 2; cut++)
		for (p = CV_TREND_DAY; p <= CV_TREND_MONTH; p++)
		{
			uint64_t	sum[CV_STAGE_COUNT + 1][6];
			cv_money	value[CV_STAGE_COUNT + 1];
			int32_t		prev = INT32_MIN;
			int			prev_stage = 0;

			memset(sum, 0, sizeof(sum));
			memset(value, 0, sizeof(value));
			cv_flow_leakage(&f, cut, 17, lr);
			CHECK_INT(cv_trend_report(&t, (cv_trend_period) p, cut, 17, &rows, &n, &why), CV_OK);
			for (i = 0; i < n; i++)
			{
				const cv_trend_row *r = &rows[i];

				/* ordered by period, then stage; each period starts where it should */
				CHECK(r->start > prev || (r->start == prev && r->stage > prev_stage));
				CHECK_INT(cv_trend_period_start((cv_trend_period) p, r->start), r->start);
				prev = r->start;
				prev_stage = r->stage;
				CHECK_INT(r->visits, r->advanced + r->regressed + r->skipped + r->ended);
				CHECK(r->visits > 0 && r->leaked <= r->ended);
				sum[r->stage][0] += r->visits;
				sum[r->stage][1] += r->advanced;
				sum[r->stage][2] += r->regressed;
				sum[r->stage][3] += r->skipped;
				sum[r->stage][4] += r->ended;
				sum[r->stage][5] += r->leaked;
				CHECK(cv_money_add(&value[r->stage], r->value));
			}
			for (s = 1; s <= CV_STAGE_COUNT; s++)
			{
				CHECK_INT(sum[s][0], lr[s].visits);
				CHECK_INT(sum[s][1], lr[s].advanced);
				CHECK_INT(sum[s][2], lr[s].regressed);
				CHECK_INT(sum[s][3], lr[s].skipped);
				CHECK_INT(sum[s][4], lr[s].ended);
				CHECK_INT(sum[s][5], lr[s].leaked);
				CHECK(cv_i128_eq(value[s], f.st[s].value));
			}
			cv_free(&unit_mem, rows);
		}
	cv_trend_free(&t);
	cv_flow_free(&f);
}

/* the decoder: damage, order, trailing bytes, bounds; what it accepts re-encodes the same */
static void
test_trend_decode(void)
{
	customer	c;
	cv_trend	t,
				d;
	bytes		a,
				b;
	uint8_t    *x;
	uint32_t	crc;
	const char *why = NULL;
	size_t		i;

	cv_trend_init(&t, &unit_mem);
	for (i = 0; i < 20; i++)
	{
		random_customer(&c);
		add(&t, &c);
	}
	a = encode(&t);
	cv_trend_init(&d, &unit_mem);
	CHECK_INT(cv_trend_decode(&d, a.data, a.len, &why), CV_OK);
	b = encode(&d);
	CHECK(same(a, b));
	cv_free(&unit_mem, b.data);
	cv_trend_free(&d);

	/* every flipped bit is caught (by the checksum) */
	x = cv_alloc(&unit_mem, a.len + 1);
	for (i = 0; i < a.len * 8; i += 7)
	{
		memcpy(x, a.data, a.len);
		x[i / 8] ^= (uint8_t) (1 << (i % 8));
		cv_trend_init(&d, &unit_mem);
		CHECK_INT(cv_trend_decode(&d, x, a.len, &why), CV_ERR_CORRUPT);
		cv_trend_free(&d);
	}
	/* a trailing byte, resealed: refused by the structure */
	memcpy(x, a.data, a.len - 4);
	x[a.len - 4] = 0;
	crc = cv_crc32c(x, a.len - 3);
	x[a.len - 3] = (uint8_t) crc;
	x[a.len - 2] = (uint8_t) (crc >> 8);
	x[a.len - 1] = (uint8_t) (crc >> 16);
	x[a.len] = (uint8_t) (crc >> 24);
	cv_trend_init(&d, &unit_mem);
	CHECK_INT(cv_trend_decode(&d, x, a.len + 1, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "There are bytes after the end.");
	cv_trend_free(&d);
	/* customers that are not the number of ended visits, resealed */
	memcpy(x, a.data, a.len - 4);
	x[1] = (uint8_t) (x[1] + 1);	/* 20 customers: one byte */
	crc = cv_crc32c(x, a.len - 4);
	x[a.len - 4] = (uint8_t) crc;
	x[a.len - 3] = (uint8_t) (crc >> 8);
	x[a.len - 2] = (uint8_t) (crc >> 16);
	x[a.len - 1] = (uint8_t) (crc >> 24);
	cv_trend_init(&d, &unit_mem);
	CHECK_INT(cv_trend_decode(&d, x, a.len, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "The customers are not the number of ended visits.");
	cv_trend_free(&d);
	/* too short */
	cv_trend_init(&d, &unit_mem);
	CHECK_INT(cv_trend_decode(&d, a.data, 4, &why), CV_ERR_CORRUPT);
	cv_trend_free(&d);
	cv_free(&unit_mem, x);
	cv_free(&unit_mem, a.data);
	cv_trend_free(&t);
}

/* events out of bounds are refused and leave the trend as it was */
static void
test_trend_bad_events(void)
{
	cv_trend	t;
	cv_event	ok[] = {{0, 1, 0, AW}};
	cv_event	bad_stage[] = {{0, 1, 0, 7}};
	cv_event	bad_time[] = {{CV_END_TIMESTAMP, 1, 0, AW}};
	cv_event	bad_value[] = {{0, 1e32, 0, AW}};
	cv_event	sum_over[] = {{0, 9e30, 0, AW}, {1, 9e30, 0, AW}};
	cv_event	nan_value[] = {{0, 0, 0, AW}};

	nan_value[0].value = 0.0 / 0.0;
	cv_trend_init(&t, &unit_mem);
	CHECK_INT(cv_trend_add_customer(&t, ok, 1), CV_OK);
	CHECK_INT(cv_trend_add_customer(&t, bad_stage, 1), CV_ERR_CORRUPT);
	CHECK_INT(cv_trend_add_customer(&t, bad_time, 1), CV_ERR_CORRUPT);
	CHECK_INT(cv_trend_add_customer(&t, nan_value, 1), CV_ERR_CORRUPT);
	CHECK_INT(cv_trend_add_customer(&t, bad_value, 1), CV_ERR_OVERFLOW);
	CHECK_INT(cv_trend_add_customer(&t, sum_over, 2), CV_ERR_OVERFLOW);
	CHECK_INT(cv_trend_add_customer(&t, ok, 0), CV_ERR_CORRUPT);
	cv_trend_compact(&t);
	CHECK_INT(t.customers, 1);
	CHECK_INT(t.ncells, 1);
	CHECK_INT(t.nends, 1);
	cv_trend_free(&t);
}

const unit_test trend_tests[] = {
	{"trend: one customer by hand, by day, week and month", test_trend_one_customer},
	{"trend: periods (UTC days, ISO weeks, months, the range's ends)", test_trend_periods},
	{"trend: the same bytes for every split and merge order", test_trend_order_free},
	{"trend: subtracting what was added, refusing what was not", test_trend_group},
	{"trend: the report summed over periods is the flow summary's", test_trend_against_flow},
	{"trend: the decoder refuses damage, accepts only the canonical form", test_trend_decode},
	{"trend: events out of bounds refused", test_trend_bad_events},
	{NULL, NULL}
};
