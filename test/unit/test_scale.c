/*
 * test_scale.c — no cliffs in the core: sorting in O(n log n) whatever the
 * input, long loops that yield to the host often, keyed hashing that chosen
 * ids cannot flood, a store that keeps within its memory limit, and every
 * path to a summary giving the same bytes.
 */
#define _POSIX_C_SOURCE 199309L	/* clock_gettime under -std=c99 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bycustomer.h"
#include "customer.h"
#include "mem.h"
#include "pace.h"
#include "siphash.h"
#include "sort.h"
#include "unit.h"

#define DAY INT64_C(86400000000)

/*
 * Time bounds hold on a real CPU; under valgrind (test/stress/valgrind.sh
 * sets CVFW_UNIT_SLOW) everything runs tens of times slower, so they are
 * not checked there.
 */
static int
timed(void)
{
	return getenv("CVFW_UNIT_SLOW") == NULL;
}

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
siphash_vectors(void)
{
	/* the reference implementation's vectors (SipHash-2-4, key 00..0f, input 00..len-1) */
	static const uint64_t key[2] = {UINT64_C(0x0706050403020100), UINT64_C(0x0f0e0d0c0b0a0908)};
	uint8_t		in[16];
	int			i;

	for (i = 0; i < 16; i++)
		in[i] = (uint8_t) i;
	CHECK(cv_siphash(key, in, 0, 2, 4) == UINT64_C(0x726fdb47dd0e0e31));
	CHECK(cv_siphash(key, in, 1, 2, 4) == UINT64_C(0x74f839c593dc67fd));
	CHECK(cv_siphash(key, in, 8, 2, 4) == UINT64_C(0x93f5f5799a932462));
	CHECK(cv_siphash(key, in, 15, 2, 4) == UINT64_C(0xa129ca6149be45e5));
	/* the unrolled 64-bit form is SipHash-1-3 of the 8 little-endian bytes */
	for (i = 0; i < 1000; i++)
	{
		uint64_t	v = unit_rng(),
					k2[2] = {unit_rng(), unit_rng()};
		uint8_t		le[8];
		int			j;

		for (j = 0; j < 8; j++)
			le[j] = (uint8_t) (v >> (8 * j));
		CHECK(cv_siphash13_u64(k2, v) == cv_siphash13(k2, le, 8));
	}
}

/* the events are in walk order and are the same multiset as before */
static int
sorted_permutation(const cv_event *sorted, const cv_event *orig, size_t n)
{
	uint64_t	sum_a = 0,
				sum_b = 0,
				xor_a = 0,
				xor_b = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		uint64_t	a = (uint64_t) sorted[i].at * 7 + sorted[i].stage * 1000003 + (uint64_t) sorted[i].value,
					b = (uint64_t) orig[i].at * 7 + orig[i].stage * 1000003 + (uint64_t) orig[i].value;

		if (i > 0 && cv_event_cmp(&sorted[i - 1], &sorted[i]) > 0)
			return 0;
		sum_a += a * a;
		sum_b += b * b;
		xor_a ^= a;
		xor_b ^= b;
	}
	return sum_a == sum_b && xor_a == xor_b;
}

static void
sort_any_input(void)
{
	enum
	{
		N = 100000
	};
	cv_event   *ev = malloc(N * sizeof(cv_event)),
			   *orig = malloc(N * sizeof(cv_event));
	int			pattern;

	/* sorted, reversed, all equal, organ pipe, sawtooth, random with many ties, two values */
	for (pattern = 0; pattern < 7; pattern++)
	{
		size_t		i;
		double		t0;

		for (i = 0; i < N; i++)
		{
			int64_t		k;

			switch (pattern)
			{
				case 0:
					k = (int64_t) i;
					break;
				case 1:
					k = N - (int64_t) i;
					break;
				case 2:
					k = 5;
					break;
				case 3:
					k = i < N / 2 ? (int64_t) i : N - (int64_t) i;
					break;
				case 4:
					k = (int64_t) (i % 1000);
					break;
				case 5:
					k = (int64_t) (unit_rng() % 50);
					break;
				default:
					k = (int64_t) (unit_rng() % 2);
					break;
			}
			orig[i].at = k * DAY;
			orig[i].stage = (cv_stage) (1 + (pattern == 2 ? 0 : unit_rng() % 6));
			orig[i].value = (double) (unit_rng() % 3);
			orig[i].cost = 0;
		}
		memcpy(ev, orig, N * sizeof(cv_event));
		t0 = cpu_seconds();
		cv_sort_events(ev, N);
		/* 100k events: a few ms; a quadratic sort would take seconds */
		CHECK(!timed() || cpu_seconds() - t0 < 0.5);
		CHECK(sorted_permutation(ev, orig, N));
	}
	free(ev);
	free(orig);
}

static double yield_last;
static double yield_max_gap;
static long yield_count;

static void
timing_yield(void)
{
	double		now = cpu_seconds();

	if (now - yield_last > yield_max_gap)
		yield_max_gap = now - yield_last;
	yield_last = now;
	yield_count++;
}

/*
 * The case: one customer (say an anonymous placeholder id) with a
 * million visits alternating between two stages, given in reverse.
 */
static void
one_customer_million_visits(void)
{
	enum
	{
		N = 1000000
	};
	cv_event   *ev = malloc(N * sizeof(cv_event));
	cv_flow		f;
	cv_customer c;
	void		(*saved) (void) = cv_yield;
	size_t		i;
	double		t0;

	for (i = 0; i < N; i++)
	{
		ev[i].stage = (cv_stage) (1 + (N - i) % 2);
		ev[i].at = (int64_t) (N - i) * 1000000;
		ev[i].value = 1;
		ev[i].cost = 0;
	}
	cv_yield = timing_yield;
	yield_count = 0;
	yield_max_gap = 0;
	yield_last = t0 = cpu_seconds();
	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, N), CV_OK);
	/* seconds before the fix (an insertion sort of the dwell times): now well under one */
	CHECK(!timed() || cpu_seconds() - t0 < 2.0);
	CHECK_INT(cv_flow_visits(&f, 1) + cv_flow_visits(&f, 2), N);
	CHECK_INT(f.trans[1][2] + f.trans[2][1], N - 1);
	/* and the per-customer summary, which sorts the dwell times */
	for (i = 0; i < N; i++)
		ev[i].at = (int64_t) (N - i) * 1000000 + (int64_t) (unit_rng() % 1000);
	CHECK_INT(cv_customer_build(&c, &unit_mem, ev, N), CV_OK);
	CHECK_INT(c.ndwell, N - 1);
	for (i = 1; i < c.ndwell; i++)
		if (c.dwell[i - 1].stage > c.dwell[i].stage ||
			(c.dwell[i - 1].stage == c.dwell[i].stage && c.dwell[i - 1].key > c.dwell[i].key))
			break;
	CHECK_INT(i, c.ndwell);
	cv_customer_release(&c);
	cv_yield = saved;
	/* the host heard from the core every few ms of CPU at most (a cancel waits for no more) */
	CHECK(yield_count >= 2 * N / CV_PACE_UNITS);
	CHECK(!timed() || yield_max_gap < 0.05);
	cv_flow_free(&f);
	free(ev);
}

/* the same customer, every path: bytes equal, fractional amounts included */
static void
every_path_same_bytes(void)
{
	int			round;

	for (round = 0; round < 200; round++)
	{
		cv_event	ev[40],
					copy[40];
		size_t		n = 1 + unit_rng() % 40,
					i,
					la,
					lb,
					lc;
		cv_flow		a,
					b;
		cv_walk		w;
		cv_status	st;
		uint8_t    *ea,
				   *eb,
				   *ec;

		for (i = 0; i < n; i++)
		{
			ev[i].stage = (cv_stage) (1 + unit_rng() % 6);
			ev[i].at = (int64_t) (unit_rng() % 10) * DAY / 3;
			ev[i].value = (double) (unit_rng() % 1000) / 7.0;
			ev[i].cost = (unit_rng() % 3) == 0 ? 0.1 * (double) (unit_rng() % 100) : 0;
		}
		memcpy(copy, ev, n * sizeof(cv_event));
		cv_flow_init(&a, &unit_mem);
		CHECK_INT(cv_flow_add_customer(&a, copy, n), CV_OK);
		ea = cv_flow_encode(&a, &cv_malloc_allocator, 0, &la);
		/* the customer's own summary, written from its events */
		memcpy(copy, ev, n * sizeof(cv_event));
		eb = cv_flow_encode_customer(&cv_malloc_allocator, copy, n, 0, &lb, &st);
		CHECK_INT(st, CV_OK);
		/* streamed in order, as from a sort that spilled */
		cv_sort_events(copy, n);
		cv_flow_init(&b, &unit_mem);
		cv_walk_begin(&w, &b, NULL);
		for (i = 0; i < n; i++)
			CHECK_INT(cv_walk_event(&w, &copy[i]), CV_OK);
		CHECK_INT(cv_walk_end(&w), CV_OK);
		cv_walk_release(&w);
		ec = cv_flow_encode(&b, &cv_malloc_allocator, 0, &lc);
		CHECK(la == lb && memcmp(ea, eb, la) == 0);
		CHECK(la == lc && memcmp(ea, ec, la) == 0);
		/* out of order is refused, not summarised wrongly */
		if (n >= 2 && cv_event_cmp(&copy[0], &copy[n - 1]) < 0)
		{
			cv_flow_free(&b);
			cv_flow_init(&b, &unit_mem);
			cv_walk_begin(&w, &b, NULL);
			CHECK_INT(cv_walk_event(&w, &copy[n - 1]), CV_OK);
			CHECK_INT(cv_walk_event(&w, &copy[0]), CV_ERR_CORRUPT);
			cv_walk_release(&w);
			cv_flow_free(&b);
		}
		free(ea);
		free(eb);
		free(ec);
		cv_flow_free(&a);
		cv_flow_free(&b);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return x < y ? -1 : x > y;
}

/* the generic sort (model fits, RFM): sorted, a permutation, O(n log n), yielding */
static void
generic_sort(void)
{
	enum
	{
		N = 300000
	};
	uint64_t   *v = malloc(N * sizeof(uint64_t)),
			   *w = malloc(N * sizeof(uint64_t));
	void		(*saved) (void) = cv_yield;
	int			pattern;

	for (pattern = 0; pattern < 4; pattern++)
	{
		size_t		i;
		uint64_t	sum_v = 0,
					sum_w = 0;
		double		t0;

		for (i = 0; i < N; i++)
		{
			v[i] = pattern == 0 ? i : pattern == 1 ? N - i : pattern == 2 ? 7 : unit_rng() % 1000;
			sum_v += v[i] * v[i];
		}
		memcpy(w, v, N * sizeof(uint64_t));
		cv_yield = timing_yield;
		yield_count = 0;
		yield_max_gap = 0;
		yield_last = t0 = cpu_seconds();
		cv_sort(w, N, sizeof(uint64_t), cmp_u64);
		cv_yield = saved;
		CHECK(!timed() || cpu_seconds() - t0 < 1.0);
		CHECK(yield_count >= N / CV_PACE_UNITS);
		CHECK(!timed() || yield_max_gap < 0.05);
		for (i = 0; i < N; i++)
		{
			sum_w += w[i] * w[i];
			if (i > 0 && w[i - 1] > w[i])
				break;
		}
		CHECK_INT(i, N);
		CHECK(sum_v == sum_w);
	}
	free(v);
	free(w);
}

/* --- hash flooding ---------------------------------------------------------------- */

/* the id hash of cvfw 0.1.0 (splitmix64's finaliser, fixed) and its inverse */
#define G UINT64_C(0x9E3779B97F4A7C15)
#define M1 UINT64_C(0xBF58476D1CE4E5B9)
#define M2 UINT64_C(0x94D049BB133111EB)

static uint32_t
old_hash(int64_t id)
{
	uint64_t	z = (uint64_t) id + G;

	z = (z ^ (z >> 30)) * M1;
	z = (z ^ (z >> 27)) * M2;
	return (uint32_t) (z ^ (z >> 31));
}

static uint64_t
inverse_odd(uint64_t m)
{
	uint64_t	x = m;
	int			i;

	for (i = 0; i < 6; i++)
		x *= 2 - m * x;
	return x;
}

/* an id whose old hash is exactly 0 in its low 32 bits: they all share slot 0 */
static int64_t
old_colliding_id(uint64_t i)
{
	uint64_t	y = i << 32,
				z;

	z = y ^ (y >> 31) ^ (y >> 62);
	z *= inverse_odd(M2);
	z = z ^ (z >> 27) ^ (z >> 54);
	z *= inverse_odd(M1);
	z = z ^ (z >> 30) ^ (z >> 60);
	return (int64_t) (z - G);
}

static uint64_t
probes_for(const int64_t *ids, size_t n, const uint64_t seed[2])
{
	cv_bycustomer b;
	cv_event	e = {0, 0, 0, 1};
	uint64_t	probes;
	size_t		i;

	cv_bc_init(&b, seed, 0);
	for (i = 0; i < n; i++)
		CHECK_INT(cv_bc_add(&b, ids[i], &e), CV_OK);
	CHECK_INT(b.customers, n);
	probes = b.probes;
	cv_bc_free(&b);
	return probes;
}

static void
flood_by_chosen_ids(void)
{
	enum
	{
		N = 20000,
		CRAFTED = 1500
	};
	static const uint64_t fixed[2] = {42, 4242};
	int64_t    *seq = malloc(N * sizeof(int64_t)),
			   *old = malloc(N * sizeof(int64_t)),
			   *vs_fixed = malloc(CRAFTED * sizeof(int64_t));
	uint64_t	seed[2] = {unit_rng(), unit_rng()},
				p_seq,
				p_old,
				p_fixed_seq,
				p_fixed_under,
				p_fixed_other;
	size_t		i,
				found = 0;
	int64_t		cand = 0;

	for (i = 0; i < N; i++)
	{
		seq[i] = (int64_t) i + 1;
		old[i] = old_colliding_id(i + 1);
		/* they really do collide under the old function */
		CHECK(old_hash(old[i]) == 0);
	}
	p_seq = probes_for(seq, N, seed);
	p_old = probes_for(old, N, seed);
	/* 0.1.0: ~N^2/2 = 2e8 probes; now as many as sequential ids (3x allowed) */
	CHECK(p_old <= 3 * p_seq + 100);

	/* ids chosen against one fixed key: they collide under it, not under another */
	while (found < CRAFTED)
	{
		if ((cv_siphash13_u64(fixed, (uint64_t) cand) & 4095) == 0)
			vs_fixed[found++] = cand;
		cand++;
	}
	p_fixed_seq = probes_for(seq, CRAFTED, fixed);
	p_fixed_under = probes_for(vs_fixed, CRAFTED, fixed);
	p_fixed_other = probes_for(vs_fixed, CRAFTED, seed);
	CHECK(p_fixed_under > 100 * (p_fixed_seq + 1));
	CHECK(p_fixed_other <= 3 * p_fixed_seq + 100);
	free(seq);
	free(old);
	free(vs_fixed);
}

/* --- the store ------------------------------------------------------------------- */

static void
store_within_limit(void)
{
	static const uint64_t seed[2] = {7, 8};
	cv_bycustomer b;
	cv_event	e = {0, 1, 0, 1};
	size_t		added = 0;

	cv_bc_init(&b, seed, 0);
	b.limit = 1 << 20;
	while (cv_bc_has_room(&b, 0))
	{
		e.at = (int64_t) added * DAY;
		e.stage = (cv_stage) (1 + added % 6);
		CHECK_INT(cv_bc_add(&b, (int64_t) (added % 5000), &e), CV_OK);
		CHECK(cv_bc_bytes(&b) <= b.limit);
		added++;
		if (added > 1000000)
			break;
	}
	/* it fills most of its budget before saying no */
	CHECK(added < 1000000);
	CHECK((size_t) added * sizeof(cv_bc_event) > b.limit / 2);
	cv_bc_free(&b);
}

/* byte-string ids and integer ids: the same customers give the same summary */
static void
store_byte_keys(void)
{
	static const uint64_t s1[2] = {1, 1},
				s2[2] = {2, 2};
	cv_event	one = {0, 0, 0, 1};
	cv_bycustomer ints,
				bytes,
				merged;
	cv_flow		fa,
				fb,
				fc;
	uint8_t    *ea,
			   *eb,
			   *ec;
	size_t		la,
				lb,
				lc,
				i;

	cv_bc_init(&ints, s1, 0);
	cv_bc_init(&bytes, s2, 1);
	cv_bc_init(&merged, s1, 1);
	for (i = 0; i < 30000; i++)
	{
		cv_event	e;
		int64_t		id = (int64_t) (unit_rng() % 3000);
		char		key[32];
		int			len = snprintf(key, sizeof(key), "cust-%lld", (long long) id);

		e.stage = (cv_stage) (1 + unit_rng() % 6);
		e.at = (int64_t) (unit_rng() % 100) * DAY;
		e.value = (double) (unit_rng() % 50);
		e.cost = 0;
		CHECK_INT(cv_bc_add(&ints, id, &e), CV_OK);
		CHECK_INT(cv_bc_add_key(&bytes, (const uint8_t *) key, (size_t) len, &e), CV_OK);
		/* the empty id is an id too */
		if (id == 0)
			CHECK_INT(cv_bc_add_key(&merged, (const uint8_t *) "", 0, &e), CV_OK);
		else
			CHECK_INT(cv_bc_add_key(&merged, (const uint8_t *) key, (size_t) len, &e), CV_OK);
	}
	CHECK_INT(ints.customers, bytes.customers);
	/* an id of the other kind is refused */
	CHECK_INT(cv_bc_add(&bytes, 1, &one), CV_ERR_CORRUPT);
	CHECK_INT(cv_bc_add_key(&ints, (const uint8_t *) "x", 1, &one), CV_ERR_CORRUPT);
	cv_flow_init(&fa, &unit_mem);
	cv_flow_init(&fb, &unit_mem);
	cv_flow_init(&fc, &unit_mem);
	CHECK_INT(cv_bc_summarize(&ints, &fa), CV_OK);
	CHECK_INT(cv_bc_summarize(&bytes, &fb), CV_OK);
	CHECK_INT(cv_bc_summarize(&merged, &fc), CV_OK);
	ea = cv_flow_encode(&fa, &cv_malloc_allocator, 0, &la);
	eb = cv_flow_encode(&fb, &cv_malloc_allocator, 0, &lb);
	ec = cv_flow_encode(&fc, &cv_malloc_allocator, 0, &lc);
	CHECK(la == lb && memcmp(ea, eb, la) == 0);
	CHECK(la == lc && memcmp(ea, ec, la) == 0);
	/* byte-string stores have no serial form */
	CHECK(cv_bc_encode(&bytes, 0, &lb) == NULL);
	free(ea);
	free(eb);
	free(ec);
	cv_flow_free(&fa);
	cv_flow_free(&fb);
	cv_flow_free(&fc);
	cv_bc_free(&ints);
	cv_bc_free(&bytes);
	cv_bc_free(&merged);
}

const unit_test scale_tests[] = {
	{"scale: SipHash matches the reference vectors", siphash_vectors},
	{"scale: events sort in O(n log n) whatever their order", sort_any_input},
	{"scale: a customer with a million visits, quickly, yielding every few ms", one_customer_million_visits},
	{"scale: the generic sort is O(n log n) on any input and yields", generic_sort},
	{"scale: every path to a customer's summary gives the same bytes", every_path_same_bytes},
	{"scale: chosen ids do not flood the customer table", flood_by_chosen_ids},
	{"scale: the store keeps within its memory limit", store_within_limit},
	{"scale: byte-string ids summarise like integer ids", store_byte_keys},
	{NULL, NULL}
};
