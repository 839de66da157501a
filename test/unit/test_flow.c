/*
 * test_flow.c — the dwell sketch, per-customer summaries checked by hand,
 * merging (order and split independence), and the codec.
 */
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "bycustomer.h"
#include "crc32c.h"
#include "flow.h"
#include "mem.h"

#define DAY CV_USECS_PER_DAY
#define AW CV_AWARENESS
#define EX CV_EXPLORATION
#define XP CV_EXPERIENCE
#define VR CV_VALUE_REALIZATION
#define AD CV_ADVOCACY
#define EN CV_ENGAGEMENT

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return (x > y) - (x < y);
}

static void
sketch_accuracy(void)
{
	/* percentile_disc over many value shapes, checked against sorting */
	static const double qs[] = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0};
	int			shape;

	for (shape = 0; shape < 4; shape++)
	{
		cv_sketch	s = {0};
		size_t		n = 20001,
					i,
					q;
		uint64_t   *v = malloc(n * sizeof(uint64_t));

		for (i = 0; i < n; i++)
		{
			uint64_t	r = unit_rng();

			switch (shape)
			{
				case 0:			/* uniform seconds to a month */
					v[i] = 1000000 + r % (30 * (uint64_t) DAY);
					break;
				case 1:			/* log-uniform, 1 microsecond to 10 years */
					v[i] = (uint64_t) exp((double) (r % 1000000) / 1000000.0 * log(3.15e14));
					break;
				case 2:			/* many exact zeros and small values */
					v[i] = r % 4 == 0 ? 0 : r % 50;
					break;
				default:		/* whole days, heavy ties */
					v[i] = (r % 40) * (uint64_t) DAY;
					break;
			}
			cv_sketch_add(&s, &unit_mem, v[i]);
		}
		qsort(v, n, sizeof(uint64_t), cmp_u64);
		CHECK_INT(s.total, n);
		for (q = 0; q < sizeof(qs) / sizeof(qs[0]); q++)
		{
			double		got;
			size_t		rank = (size_t) ceil(qs[q] * (double) n);
			double		want = (double) v[rank - 1];

			CHECK(cv_sketch_quantile(&s, qs[q], &got));
			/* within a bucket's relative width g - 1 (and exact for 0) */
			CHECK_DBL(got, want, want * (2 * CV_SKETCH_ALPHA / (1 - CV_SKETCH_ALPHA)) * 1.000001);
			/* whole days fall one distinct value to a bucket: exact */
			if (shape == 3)
				CHECK_DBL(got, want, 0);
		}
		free(v);
		cv_sketch_free(&s, &unit_mem);
	}
}

static void
sketch_merge_is_exact(void)
{
	cv_sketch	all = {0},
				a = {0},
				b = {0};
	int			i;
	long		k;

	for (i = 0; i < 5000; i++)
	{
		uint64_t	x = unit_rng() % (uint64_t) (i % 2 ? 1000 : 100 * DAY);

		cv_sketch_add(&all, &unit_mem, x);
		cv_sketch_add(i % 3 ? &a : &b, &unit_mem, x);
	}
	cv_sketch_merge(&a, &unit_mem, &b);
	CHECK_INT(a.total, all.total);
	CHECK_INT(a.zero, all.zero);
	for (k = cv_sketch_next(&all, 0); k >= 0; k = cv_sketch_next(&all, k + 1))
	{
		int			key = all.base + (int) k;

		CHECK(key >= a.base && key < a.base + (int) a.cap);
		if (key >= a.base && key < a.base + (int) a.cap)
		{
			CHECK_INT(a.counts[key - a.base], all.counts[k]);
			CHECK(cv_i128_eq(a.sums[key - a.base], all.sums[k]));
		}
	}
	cv_sketch_free(&all, &unit_mem);
	cv_sketch_free(&a, &unit_mem);
	cv_sketch_free(&b, &unit_mem);
	/* keys walked downwards grow the range below */
	for (i = CV_SKETCH_KEY_MAX; i >= 0; i -= 37)
	{
		cv_i128		one = {(uint64_t) cv_sketch_upper(i), 0};

		cv_sketch_add_key(&a, &unit_mem, i, 1, one);
	}
	CHECK_INT(a.total, CV_SKETCH_KEY_MAX / 37 + 1);
	CHECK(a.base >= 0);
	cv_sketch_free(&a, &unit_mem);
}

/* an amount of whole units as money */
static cv_money
M(int64_t units)
{
	return cv_i128_from_i64(units * CV_MONEY_SCALE);
}

static cv_event
E(cv_stage s, double day, double value, double cost)
{
	cv_event	e;

	e.stage = s;
	e.at = (int64_t) (day * (double) DAY);
	e.value = value;
	e.cost = cost;
	return e;
}

static void
one_customer_by_hand(void)
{
	/*
	 * awareness day 0 (cost 5), exploration days 1 and 2 (cost 3), experience
	 * day 5, value_realization day 6 (value 100), advocacy day 10 (value 20),
	 * given out of order.  Visits: aw ex xp vr ad, each advancing; dwell 1, 4,
	 * 1, 4 days; downstream 120, 120, 120, 20; ends at advocacy on day 10.
	 */
	cv_event	ev[] = {E(VR, 6, 100, 0), E(AW, 0, 0, 5), E(AD, 10, 20, 0), E(EX, 2, 0, 0),
	E(XP, 5, 0, 0), E(EX, 1, 0, 3)};
	cv_flow		f;
	cv_leakage_row r[7];

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, 6), CV_OK);
	cv_flow_leakage(&f, 0, 0, r);
	CHECK_INT(f.customers, 1);
	CHECK_INT(r[AW].visits, 1);
	CHECK_INT(r[AW].advanced, 1);
	CHECK_DBL(r[AW].cost, 5, 0);
	CHECK_DBL(r[AW].dwell_avg, 1.0 * DAY, 0);
	CHECK_INT(r[EX].visits, 1);	/* two events, one visit */
	CHECK_DBL(r[EX].cost, 3, 0);
	CHECK_DBL(r[EX].dwell_avg, 4.0 * DAY, 0);
	CHECK_DBL(r[VR].value, 100, 0);
	CHECK_DBL(r[VR].dwell_p50, 4.0 * DAY, 0);	/* one distinct value in its bucket: exact */
	CHECK_INT(r[AD].ended, 1);
	CHECK_INT(r[AD].leaked, 1);	/* no horizon: every ended visit leaks */
	CHECK_INT(r[AD].dwell_n, 0);
	/* value at risk: leaked x mean downstream of advocacy's non-ended visits: none */
	CHECK_DBL(r[AD].value_at_risk, 0, 0);
	CHECK_INT(f.nbuckets, 1);
	CHECK(cv_i128_eq(f.st[AW].downstream, M(120)));
	CHECK(cv_i128_eq(f.st[XP].downstream, M(120)));
	CHECK(cv_i128_eq(f.st[VR].downstream, M(20)));
	CHECK(cv_i128_eq(f.st[AD].downstream, M(0)));
	/* acquisition: the costs of the visits before value_realization, 5 + 3 */
	CHECK(cv_i128_eq(f.acquisition_cost, M(8)));
	/* horizon: the last event (day 10) is older than a cutoff on day 11, not day 10 */
	cv_flow_leakage(&f, 1, 11, r);
	CHECK_INT(r[AD].leaked, 1);
	cv_flow_leakage(&f, 1, 10, r);
	CHECK_INT(r[AD].leaked, 0);
	CHECK_INT(r[AD].active, 1);
	cv_flow_free(&f);
}

static void
outcomes_ties_and_rounds(void)
{
	/*
	 * aw@0, xp@1 (skipped), ex@2 (regressed), ex@2 again (same visit), aw@3
	 * (regressed), plus at day 4 both engagement and exploration: ties go by
	 * wheel position, so exploration first (aw -> ex advanced), then
	 * engagement (ex -> en skipped, dwell 0), then awareness@5 (en -> aw
	 * advanced: a new round), ending at awareness.
	 */
	cv_event	ev[] = {E(AW, 0, 0, 0), E(XP, 1, 0, 0), E(EX, 2, 1, 0), E(EX, 2, 2, 0),
		E(AW, 3, 0, 0), E(EN, 4, 0, 0), E(EX, 4, 0, 0), E(AW, 5, 7, 0)};
	cv_flow		f;
	cv_leakage_row r[7];

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, 8), CV_OK);
	cv_flow_leakage(&f, 0, 0, r);
	/* awareness visits: @0 (-> xp skipped), @3 (-> ex advanced), @5 (ended) */
	CHECK_INT(r[AW].visits, 3);
	CHECK_INT(r[AW].skipped, 1);
	CHECK_INT(r[AW].advanced, 1);
	CHECK_INT(r[AW].ended, 1);
	CHECK_INT(r[AW].customers, 1);
	CHECK_INT(r[XP].regressed, 1);
	/* exploration: @2 (-> aw regressed), @4 (-> en skipped) */
	CHECK_INT(r[EX].visits, 2);
	CHECK_INT(r[EX].regressed, 1);
	CHECK_INT(r[EX].skipped, 1);
	CHECK_DBL(r[EX].value, 3, 0);
	CHECK_INT(r[EN].advanced, 1);
	CHECK_INT(f.trans[EX][EN], 1);
	CHECK_INT(f.st[EX].dwell.zero, 1);	/* ex@4 -> en@4 */
	/* downstream of exploration's visits: (0+0+7) after @2... by hand:
	 * visits aw0 xp1 ex2(3) aw3 ex4 en4 aw5(7): ex2 -> 7, ex4 -> 7 */
	CHECK(cv_i128_eq(f.st[EX].downstream, M(14)));
	cv_flow_free(&f);
}

static uint8_t *
encode(const cv_flow *f, size_t *len)
{
	return cv_flow_encode(f, &unit_mem, 0, len);
}

static void
random_customer(cv_event *ev, size_t *n)
{
	size_t		i;
	int			stage = 1 + (int) (unit_rng() % 6);
	int64_t		at = (int64_t) (unit_rng() % (400 * (uint64_t) DAY)) - 200 * DAY;

	*n = 1 + unit_rng() % 9;
	for (i = 0; i < *n; i++)
	{
		uint64_t	r = unit_rng();

		stage = (int) cv_stage_rotate((cv_stage) stage, (int) (r % 5) - 2);
		at += (int64_t) (r % (20 * (uint64_t) DAY)) * (r % 7 != 0);
		ev[i].stage = (cv_stage) stage;
		ev[i].at = at;
		/* fractional amounts too: sums are exact, so merge orders give equal bytes */
		ev[i].value = (double) (unit_rng() % 100000) / 100;
		ev[i].cost = (double) (unit_rng() % 100) / 3;
	}
}

static void
merge_order_and_codec(void)
{
	enum
	{
		N = 3000
	};
	static cv_event ev[N][10];
	static size_t n[N];
	cv_flow		serial,
				parts[3],
				merged,
				decoded;
	uint8_t    *a,
			   *b,
			   *c;
	size_t		alen,
				blen,
				clen;
	int			i;
	const char *why = NULL;

	for (i = 0; i < N; i++)
		random_customer(ev[i], &n[i]);
	cv_flow_init(&serial, &unit_mem);
	for (i = 0; i < N; i++)
	{
		cv_event	copy[10];

		memcpy(copy, ev[i], sizeof(copy));
		CHECK_INT(cv_flow_add_customer(&serial, copy, n[i]), CV_OK);
	}
	/* the same customers, split three ways, events reversed, merged backwards */
	for (i = 0; i < 3; i++)
		cv_flow_init(&parts[i], &unit_mem);
	for (i = N - 1; i >= 0; i--)
	{
		cv_event	rev[10];
		size_t		j;

		for (j = 0; j < n[i]; j++)
			rev[j] = ev[i][n[i] - 1 - j];
		CHECK_INT(cv_flow_add_customer(&parts[(i * 7) % 3], rev, n[i]), CV_OK);
	}
	cv_flow_init(&merged, &unit_mem);
	CHECK_INT(cv_flow_merge(&merged, &parts[2], &why), CV_OK);
	CHECK_INT(cv_flow_merge(&merged, &parts[0], &why), CV_OK);
	CHECK_INT(cv_flow_merge(&merged, &parts[1], &why), CV_OK);

	a = encode(&serial, &alen);
	b = encode(&merged, &blen);
	CHECK_INT(alen, blen);
	CHECK(alen == blen && memcmp(a, b, alen) == 0);
	/* decode reads back the same bytes */
	cv_flow_init(&decoded, &unit_mem);
	CHECK_INT(cv_flow_decode(&decoded, a, alen, &why), CV_OK);
	CHECK(why == NULL);
	c = encode(&decoded, &clen);
	CHECK(clen == alen && memcmp(a, c, alen) == 0);
	/* a decoded summary merged twice is twice the customers */
	CHECK_INT(cv_flow_decode(&decoded, a, alen, &why), CV_OK);
	CHECK_INT(decoded.customers, 2 * N);
	CHECK_INT(cv_flow_visits(&decoded, AW), 2 * cv_flow_visits(&serial, AW));

	cv_free(&unit_mem, a);
	cv_free(&unit_mem, b);
	cv_free(&unit_mem, c);
	cv_flow_free(&serial);
	cv_flow_free(&merged);
	cv_flow_free(&decoded);
	for (i = 0; i < 3; i++)
		cv_flow_free(&parts[i]);
}

static void
customer_encoder_matches(void)
{
	int			i;

	/* writing one customer straight from events gives the accumulator's bytes */
	for (i = 0; i < 20000; i++)
	{
		cv_event	ev[40],
					copy[40];
		size_t		n,
					j,
					alen,
					blen;
		cv_flow		f;
		cv_status	st;
		uint8_t    *a,
				   *b;

		random_customer(ev, &n);
		if (i % 50 == 0)
		{
			/* a long history, beyond the inline visit storage */
			for (j = n; j < 40; j++)
			{
				ev[j] = ev[j % n];
				ev[j].at += (int64_t) j * DAY;
			}
			n = 40;
		}
		if (i % 7 == 0)
			ev[0].value = 0.1 * (double) (unit_rng() % 1000);	/* fractions too */
		memcpy(copy, ev, sizeof(ev));
		cv_flow_init(&f, &unit_mem);
		CHECK_INT(cv_flow_add_customer(&f, copy, n), CV_OK);
		a = cv_flow_encode(&f, &unit_mem, 3, &alen);
		b = cv_flow_encode_customer(&unit_mem, ev, n, 5, &blen, &st);
		CHECK_INT(st, CV_OK);
		CHECK_INT(alen, blen);
		CHECK(alen == blen && memcmp(a + 3, b + 5, alen) == 0);
		cv_free(&unit_mem, a);
		cv_free(&unit_mem, b);
		cv_flow_free(&f);
	}
}

static void
by_customer_equals_two_level(void)
{
	enum
	{
		N = 2000
	};
	static cv_event ev[N][10];
	static size_t n[N];
	cv_bycustomer all,
				parts[2],
				back;
	cv_flow		two_level,
				one_level,
				from_parts,
				from_back;
	uint8_t    *a,
			   *b,
			   *c,
			   *d,
			   *wire;
	size_t		alen,
				blen,
				clen,
				dlen,
				wlen,
				total = 0;
	int			i,
				round;
	const char *why;

	static const uint64_t seeds[3][2] = {{1, 2}, {3, 4}, {5, 6}};

	/* each state its own hash key, as each query's states have */
	cv_bc_init(&all, seeds[0], 0);
	cv_bc_init(&parts[0], seeds[1], 0);
	cv_bc_init(&parts[1], seeds[2], 0);
	cv_flow_init(&two_level, &unit_mem);
	for (i = 0; i < N; i++)
	{
		cv_event	copy[10];

		random_customer(ev[i], &n[i]);
		total += n[i];
		memcpy(copy, ev[i], sizeof(copy));
		CHECK_INT(cv_flow_add_customer(&two_level, copy, n[i]), CV_OK);
	}
	/* events interleaved across customers, as a table in time order holds them */
	for (round = 0; round < 10; round++)
		for (i = 0; i < N; i++)
			if ((size_t) round < n[i])
			{
				/* customer ids far apart, negative too */
				int64_t		id = (int64_t) i * 7919 - 5000000;

				CHECK_INT(cv_bc_add(&all, id, &ev[i][round]), CV_OK);
				CHECK_INT(cv_bc_add(&parts[(i + round) % 2], id, &ev[i][round]), CV_OK);
			}
	CHECK_INT(all.customers, N);
	CHECK_INT(all.n, total);
	cv_flow_init(&one_level, &unit_mem);
	CHECK_INT(cv_bc_summarize(&all, &one_level), CV_OK);
	/* a customer split between two states, merged */
	CHECK_INT(cv_bc_merge(&parts[0], &parts[1]), CV_OK);
	cv_flow_init(&from_parts, &unit_mem);
	CHECK_INT(cv_bc_summarize(&parts[0], &from_parts), CV_OK);
	/* through the serial form */
	wire = cv_bc_encode(&all, 0, &wlen);
	cv_bc_init(&back, seeds[1], 0);
	CHECK_INT(cv_bc_decode(&back, wire, wlen, &why), CV_OK);
	cv_flow_init(&from_back, &unit_mem);
	CHECK_INT(cv_bc_summarize(&back, &from_back), CV_OK);

	a = encode(&two_level, &alen);
	b = encode(&one_level, &blen);
	c = encode(&from_parts, &clen);
	d = encode(&from_back, &dlen);
	CHECK(alen == blen && memcmp(a, b, alen) == 0);
	CHECK(alen == clen && memcmp(a, c, alen) == 0);
	CHECK(alen == dlen && memcmp(a, d, alen) == 0);
	/* the serial form rejects damage that breaks its structure */
	CHECK_INT(cv_bc_decode(&back, wire, wlen - 1, &why), CV_ERR_CORRUPT);
	wire[0] = 9;
	CHECK_INT(cv_bc_decode(&back, wire, wlen, &why), CV_ERR_CORRUPT);
	cv_free(&unit_mem, a);
	cv_free(&unit_mem, b);
	cv_free(&unit_mem, c);
	cv_free(&unit_mem, d);
	free(wire);
	cv_bc_free(&all);
	cv_bc_free(&parts[0]);
	cv_bc_free(&parts[1]);
	cv_bc_free(&back);
	cv_flow_free(&two_level);
	cv_flow_free(&one_level);
	cv_flow_free(&from_parts);
	cv_flow_free(&from_back);
}

static cv_status
decode_bytes(const uint8_t *data, size_t len, const char **why)
{
	cv_flow		f;
	cv_status	st;

	*why = NULL;
	cv_flow_init(&f, &unit_mem);
	st = cv_flow_decode(&f, data, len, why);
	cv_flow_free(&f);
	return st;
}

/* rewrite the checksum after tampering, so the structural checks are reached */
static void
reseal(uint8_t *data, size_t len)
{
	uint32_t	crc = cv_crc32c(data, len - 4);

	data[len - 4] = (uint8_t) crc;
	data[len - 3] = (uint8_t) (crc >> 8);
	data[len - 2] = (uint8_t) (crc >> 16);
	data[len - 1] = (uint8_t) (crc >> 24);
}

static void
codec_rejects_corruption(void)
{
	cv_event	ev[] = {E(AW, 0, 0, 5), E(EX, 1, 10, 0), E(XP, 3, 0, 0)};
	cv_flow		f;
	uint8_t    *good;
	size_t		len,
				i;
	const char *why;
	int			rejected = 0,
				accepted_changed = 0;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, 3), CV_OK);
	good = encode(&f, &len);
	CHECK_INT(decode_bytes(good, len, &why), CV_OK);

	/* every truncation is rejected */
	for (i = 0; i < len; i++)
		CHECK_INT(decode_bytes(good, i, &why), CV_ERR_CORRUPT);
	/* a trailing byte is rejected */
	{
		uint8_t    *longer = malloc(len + 1);

		memcpy(longer, good, len - 4);
		longer[len - 4] = 0;
		reseal(longer, len + 1);
		CHECK_INT(decode_bytes(longer, len + 1, &why), CV_ERR_CORRUPT);
		CHECK_STR(why, "There are bytes after the end.");
		free(longer);
	}
	/* version and flags */
	good[0] = 3;
	CHECK_INT(decode_bytes(good, len, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "The checksum does not match: the data is damaged.");
	reseal(good, len);
	CHECK_INT(decode_bytes(good, len, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "Unsupported format version.");
	good[0] = 2;
	good[1] |= 4;	/* 1: acquisition cost, 2: open times */
	reseal(good, len);
	CHECK_INT(decode_bytes(good, len, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "Unknown flags are set.");
	good[1] &= 1;
	reseal(good, len);
	CHECK_INT(decode_bytes(good, len, &why), CV_OK);
	/*
	 * Flipping any single bit is caught by the checksum.  With the checksum
	 * rewritten, a flip is either rejected by the structure or yields a
	 * summary that re-encodes to exactly those bytes (an amount can change
	 * and stay valid).
	 */
	for (i = 0; i < len * 8; i++)
	{
		uint8_t    *copy = malloc(len);
		cv_flow		g;
		cv_status	st;

		memcpy(copy, good, len);
		copy[i / 8] ^= (uint8_t) (1 << (i % 8));
		CHECK_INT(decode_bytes(copy, len, &why), CV_ERR_CORRUPT);
		if (i >= (len - 4) * 8)
		{
			free(copy);			/* a flip in the checksum itself */
			continue;
		}
		reseal(copy, len);
		cv_flow_init(&g, &unit_mem);
		st = cv_flow_decode(&g, copy, len, &why);
		if (st != CV_OK)
			rejected++;
		else
		{
			size_t		l2;
			uint8_t    *again = encode(&g, &l2);

			CHECK(l2 == len && memcmp(again, copy, len) == 0);
			accepted_changed++;
			cv_free(&unit_mem, again);
		}
		cv_flow_free(&g);
		free(copy);
	}
	CHECK(rejected > (int) (len - 4) * 3);	/* most flips break an invariant */
	cv_free(&unit_mem, good);
	cv_flow_free(&f);
}

static void
crc_check_value(void)
{
	/* the CRC-32C of "123456789" is 0xE3069283 (RFC 3720) */
	CHECK_INT(cv_crc32c((const uint8_t *) "123456789", 9), 0xE3069283u);
	CHECK_INT(cv_crc32c((const uint8_t *) "", 0), 0);
	CHECK_INT(cv_crc32c_portable((const uint8_t *) "123456789", 9), 0xE3069283u);
	/* the fast path agrees with the table at every length and alignment */
	{
		uint8_t		buf[300];
		size_t		i,
					off;

		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t) unit_rng();
		for (off = 0; off < 8; off++)
			for (i = 0; i + off <= sizeof(buf); i += 7)
				CHECK_INT(cv_crc32c(buf + off, i), cv_crc32c_portable(buf + off, i));
	}
}

static void
counts_cannot_wrap(void)
{
	/*
	 * A crafted summary: one customer, but day buckets of 2^53 customers each
	 * whose total would wrap round a uint64 back to 1.  Refused.
	 */
	cv_flow		f;
	uint8_t    *bytes;
	size_t		len;
	const char *why = NULL;
	int			i;
	uint64_t	huge = CV_COUNT_MAX;

	cv_flow_init(&f, &unit_mem);
	f.customers = 1;
	f.st[AW].customers = 1;
	for (i = 0; i < 2048; i++)
		cv_flow_add_bucket(&f, i, AW, huge, cv_i128_mul((int64_t) i * DAY, huge),
						   cv_i128_mul((int64_t) i * DAY, huge), cv_i128_mul((int64_t) i * DAY, huge));
	cv_flow_add_bucket(&f, 3000, AW, 1, cv_i128_from_i64(3000 * DAY), cv_i128_from_i64(3000 * DAY),
					   cv_i128_from_i64(3000 * DAY));
	bytes = encode(&f, &len);
	CHECK_INT(decode_bytes(bytes, len, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "Counts add up beyond 2^53.");
	cv_free(&unit_mem, bytes);
	cv_flow_free(&f);
}

static void
overflow_and_bad_events(void)
{
	cv_event	big[] = {E(VR, 0, 6e30, 0), E(VR, 1, 6e30, 0)};
	cv_event	nan_ev[] = {E(VR, 0, 0, 0)};
	cv_event	bad_stage[] = {E(VR, 0, 0, 0)};
	cv_flow		f;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, big, 2), CV_ERR_OVERFLOW);
	cv_flow_free(&f);
	nan_ev[0].value = NAN;
	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, nan_ev, 1), CV_ERR_CORRUPT);
	bad_stage[0].stage = 7;
	CHECK_INT(cv_flow_add_customer(&f, bad_stage, 1), CV_ERR_CORRUPT);
	CHECK_INT(cv_flow_add_customer(&f, bad_stage, 0), CV_ERR_CORRUPT);
	CHECK_INT(f.customers, 0);
	cv_flow_free(&f);
}

static void
days_before_2000(void)
{
	CHECK_INT(cv_day_of(0), 0);
	CHECK_INT(cv_day_of(DAY - 1), 0);
	CHECK_INT(cv_day_of(-1), -1);
	CHECK_INT(cv_day_of(-DAY), -1);
	CHECK_INT(cv_day_of(-DAY - 1), -2);
	CHECK_INT(cv_day_of(CV_MIN_TIMESTAMP), CV_MIN_DAY);
	CHECK_INT(cv_day_of(CV_END_TIMESTAMP - 1), CV_MAX_DAY);
}

const unit_test flow_tests[] = {
	{"sketch: percentiles within the relative accuracy", sketch_accuracy},
	{"sketch: merging is exact", sketch_merge_is_exact},
	{"flow: one customer, by hand", one_customer_by_hand},
	{"flow: outcomes, ties, duplicates, a new round", outcomes_ties_and_rounds},
	{"flow: merge order and split do not matter; codec round trip", merge_order_and_codec},
	{"flow: one customer written from events equals the accumulator's encoding", customer_encoder_matches},
	{"by customer: one aggregate equals the two-level pattern, split and serialised too", by_customer_equals_two_level},
	{"flow: codec rejects truncation, trailing bytes, bad version, bit flips", codec_rejects_corruption},
	{"crc32c: the standard check value", crc_check_value},
	{"flow: overflow and bad events", overflow_and_bad_events},
	{"flow: crafted counts cannot wrap round", counts_cannot_wrap},
	{"flow: UTC days, also before 2000", days_before_2000},
	{NULL, NULL}
};
