/*
 * test_flow_exact.c — exact summaries: bytes that depend only on the set
 * of customers (any split, any merge order, fractional amounts); the group
 * of summaries (add, remove, replace a customer); what subtraction checks
 * and what it cannot; the bounds, accepted at and refused beyond, for
 * merging and decoding alike; 0.1.0's summaries (format version 1).
 */
#include <math.h>
#include <stdlib.h>

#include "crc32c.h"
#include "flow.h"
#include "unit.h"

#define DAY CV_USECS_PER_DAY
#define AW CV_AWARENESS
#define EX CV_EXPLORATION
#define VR CV_VALUE_REALIZATION

enum
{
	MAX_EVENTS = 12
};

typedef struct customer
{
	cv_event	ev[MAX_EVENTS];
	size_t		n;
} customer;

/* a random customer with fractional amounts: cents, thirds, tiny and negative ones */
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
		switch (unit_rng() % 4)
		{
			case 0:
				c->ev[i].value = (double) (unit_rng() % 100000) / 100;
				break;
			case 1:
				c->ev[i].value = (double) (unit_rng() % 1000) / 3 - 100;
				break;
			case 2:
				c->ev[i].value = (double) (unit_rng() % 1000) * 1e-7;
				break;
			default:
				c->ev[i].value = 0;
		}
		c->ev[i].cost = (double) (unit_rng() % 10000) / 7;
	}
}

/* add customers[idx[0..n)] to f, in that order */
static void
add_all(cv_flow *f, const customer *cs, const size_t *idx, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		customer	copy = cs[idx[i]];

		CHECK_INT(cv_flow_add_customer(f, copy.ev, copy.n), CV_OK);
	}
}

static void
shuffle(size_t *a, size_t n)
{
	size_t		i;

	for (i = n; i > 1; i--)
	{
		size_t		j = unit_rng() % i,
					t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

typedef struct bytes
{
	uint8_t    *data;
	size_t		len;
} bytes;

static bytes
encode(const cv_flow *f)
{
	bytes		b;

	b.data = cv_flow_encode(f, &unit_mem, 0, &b.len);
	return b;
}

static int
same(bytes a, bytes b)
{
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

static void
drop(bytes b)
{
	cv_free(&unit_mem, b.data);
}

/* decode bytes into a fresh summary; the status */
static cv_status
decode(cv_flow *f, bytes b, const char **why)
{
	*why = NULL;
	cv_flow_init(f, &unit_mem);
	return cv_flow_decode(f, b.data, b.len, why);
}

/* the summary of customers[idx[0..n)] as bytes */
static bytes
summary_of(const customer *cs, const size_t *idx, size_t n)
{
	cv_flow		f;
	bytes		b;

	cv_flow_init(&f, &unit_mem);
	add_all(&f, cs, idx, n);
	b = encode(&f);
	cv_flow_free(&f);
	return b;
}

static void
any_split_any_order(void)
{
	enum
	{
		N = 400
	};
	static customer cs[N];
	size_t		idx[N],
				i;
	int			trial;
	bytes		serial;

	for (i = 0; i < N; i++)
	{
		random_customer(&cs[i]);
		idx[i] = i;
	}
	serial = summary_of(cs, idx, N);
	for (trial = 0; trial < 25; trial++)
	{
		size_t		k = 1 + unit_rng() % 9,
					start = 0,
					p;
		cv_flow		parts[9],
					all;
		const char *why;
		size_t		order[9];
		bytes		got;

		/* the customers in a random order, cut into k random parts */
		shuffle(idx, N);
		for (p = 0; p < k; p++)
		{
			size_t		len = p + 1 == k ? N - start : unit_rng() % (N - start + 1);

			cv_flow_init(&parts[p], &unit_mem);
			add_all(&parts[p], cs, idx + start, len);
			start += len;
			order[p] = p;
		}
		/* merged in a random order, some through their bytes */
		shuffle(order, k);
		cv_flow_init(&all, &unit_mem);
		for (p = 0; p < k; p++)
		{
			cv_flow    *part = &parts[order[p]];

			if (part->customers == 0)
				continue;
			if (unit_rng() % 2)
				CHECK_INT(cv_flow_merge(&all, part, &why), CV_OK);
			else
			{
				bytes		b = encode(part);

				CHECK_INT(cv_flow_decode(&all, b.data, b.len, &why), CV_OK);
				drop(b);
			}
		}
		got = encode(&all);
		CHECK(same(got, serial));
		drop(got);
		cv_flow_free(&all);
		for (p = 0; p < k; p++)
			cv_flow_free(&parts[p]);
		if (unit_current_failed)
			break;
	}
	drop(serial);
}

/* total - part as bytes (NULL data when nobody remains); the status */
static cv_status
subtract(bytes total, bytes part, bytes *out, const char **why)
{
	cv_flow		t,
				p;
	cv_status	st;

	out->data = NULL;
	out->len = 0;
	CHECK_INT(decode(&t, total, why), CV_OK);
	CHECK_INT(decode(&p, part, why), CV_OK);
	st = cv_flow_subtract(&t, &p, why);
	if (st == CV_OK && t.customers > 0)
	{
		*out = encode(&t);
		/* what remains reads back */
		{
			cv_flow		back;

			CHECK_INT(decode(&back, *out, why), CV_OK);
			cv_flow_free(&back);
		}
	}
	cv_flow_free(&t);
	cv_flow_free(&p);
	return st;
}

static void
group_property(void)
{
	enum
	{
		N = 60
	};
	static customer cs[N];
	int			trial;

	for (trial = 0; trial < 150 && !unit_current_failed; trial++)
	{
		size_t		idx[N],
					i,
					na,
					nb;
		bytes		a,
					b,
					ab,
					rest;
		cv_flow		sum;
		const char *why;

		for (i = 0; i < N; i++)
		{
			random_customer(&cs[i]);
			idx[i] = i;
		}
		/* A and B: disjoint random sets (A may be one customer, B may be all but one) */
		na = 1 + unit_rng() % (N - 1);
		nb = 1 + unit_rng() % (N - na);
		a = summary_of(cs, idx, na);
		b = summary_of(cs, idx + na, nb);
		/* A + B, by merging the two summaries */
		CHECK_INT(decode(&sum, a, &why), CV_OK);
		CHECK_INT(cv_flow_decode(&sum, b.data, b.len, &why), CV_OK);
		ab = encode(&sum);
		cv_flow_free(&sum);
		/* (A + B) - B == A and (A + B) - A == B, byte for byte */
		CHECK_INT(subtract(ab, b, &rest, &why), CV_OK);
		CHECK(rest.data != NULL && same(rest, a));
		if (rest.data)
			drop(rest);
		CHECK_INT(subtract(ab, a, &rest, &why), CV_OK);
		CHECK(rest.data != NULL && same(rest, b));
		if (rest.data)
			drop(rest);
		/* X - X is no one */
		CHECK_INT(subtract(a, a, &rest, &why), CV_OK);
		CHECK(rest.data == NULL);
		/* replace a customer: A - {c} + {c'} == the summary of A with c' for c */
		if (na > 1)
		{
			size_t		one = idx[0];
			bytes		c = summary_of(cs, &one, 1),
						c2,
						want,
						got;
			customer	saved = cs[one];

			random_customer(&cs[one]);
			c2 = summary_of(cs, &one, 1);
			want = summary_of(cs, idx, na);
			CHECK_INT(subtract(a, c, &rest, &why), CV_OK);
			CHECK_INT(decode(&sum, rest, &why), CV_OK);
			CHECK_INT(cv_flow_decode(&sum, c2.data, c2.len, &why), CV_OK);
			got = encode(&sum);
			CHECK(same(got, want));
			cv_flow_free(&sum);
			drop(rest);
			drop(c);
			drop(c2);
			drop(want);
			drop(got);
			cs[one] = saved;
		}
		drop(a);
		drop(b);
		drop(ab);
	}
}

static void
subtraction_checks(void)
{
	cv_event	e1[] = {{0, 10, 1, AW}, {DAY, 0, 2, EX}, {3 * DAY, 100, 0, VR}};
	cv_event	e2[] = {{DAY, 5, 0, AW}, {2 * DAY, 0, 0, EX}};
	cv_event	e3[] = {{0, 11, 1, AW}, {DAY, 0, 2, EX}, {3 * DAY, 100, 0, VR}};	/* e1 but a value */
	cv_event	e4[] = {{5 * DAY, 1, 1, AW}};
	cv_event	e5[] = {{0, 10, 1, AW}, {DAY + 7, 0, 2, EX}, {3 * DAY, 100, 0, VR}};	/* e1 but a dwell */
	cv_flow		f;
	bytes		c1,
				c2,
				c3,
				c4,
				c5,
				total,
				rest;
	const char *why;

#define ONE(var, ev) \
	do { cv_event copy_[sizeof(ev) / sizeof(ev[0])]; \
		memcpy(copy_, ev, sizeof(ev)); \
		cv_flow_init(&f, &unit_mem); \
		CHECK_INT(cv_flow_add_customer(&f, copy_, sizeof(ev) / sizeof(ev[0])), CV_OK); \
		var = encode(&f); cv_flow_free(&f); } while (0)

	ONE(c1, e1);
	ONE(c2, e2);
	ONE(c3, e3);
	ONE(c4, e4);
	ONE(c5, e5);
	CHECK_INT(decode(&f, c1, &why), CV_OK);
	CHECK_INT(cv_flow_decode(&f, c2.data, c2.len, &why), CV_OK);
	total = encode(&f);
	cv_flow_free(&f);

	/* more customers than the total holds */
	CHECK_INT(decode(&f, c1, &why), CV_OK);
	CHECK_INT(subtract(c1, total, &rest, &why), CV_ERR_NOT_CONTAINED);
	CHECK_STR(why, "The part has more customers than the total.");
	cv_flow_free(&f);
	/* a customer ending where none of the total does */
	CHECK_INT(subtract(total, c4, &rest, &why), CV_ERR_NOT_CONTAINED);
	CHECK_STR(why, "A customer of the part ends on a day and at a stage where none of the total does.");
	/* a dwell time the total does not hold (7 microseconds longer: another bucket sum) */
	CHECK_INT(subtract(total, c5, &rest, &why), CV_ERR_NOT_CONTAINED);
	CHECK(why != NULL);
	/*
	 * What cannot be checked: a part shaped like one of the total's
	 * customers but with other amounts comes out, leaving amounts no real
	 * remainder has (values and costs may be negative, so no sign tells).
	 */
	CHECK_INT(subtract(total, c3, &rest, &why), CV_OK);
	CHECK(rest.data != NULL && !same(rest, c2));
	if (rest.data)
	{
		cv_flow		r;

		CHECK_INT(decode(&r, rest, &why), CV_OK);
		CHECK_INT(r.customers, 1);
		/* customer 2's awareness value is 5; 5 + 10 - 11 remains */
		CHECK(cv_i128_eq(r.st[AW].value, cv_i128_from_i64(4 * INT64_C(1000000))));
		cv_flow_free(&r);
		drop(rest);
	}
	/* ... but when that leaves no customers, the amounts must be gone too */
	CHECK_INT(subtract(c1, c3, &rest, &why), CV_ERR_NOT_CONTAINED);
	CHECK_STR(why, "A summary of no customers holds visits or amounts.");
	drop(c1);
	drop(c2);
	drop(c3);
	drop(c4);
	drop(c5);
	drop(total);
#undef ONE
}

/* --- bounds ---------------------------------------------------------------------- */

/* f merged with itself k times: 2^k times its customers */
static void
double_up(cv_flow *f, int k)
{
	const char *why;

	while (k-- > 0)
	{
		cv_flow		copy;
		bytes		b = encode(f);

		CHECK_INT(decode(&copy, b, &why), CV_OK);
		CHECK_INT(cv_flow_merge(f, &copy, &why), CV_OK);
		cv_flow_free(&copy);
		drop(b);
	}
}

static void
customers_at_and_beyond(void)
{
	cv_event	ev[] = {{0, 1.5, 0.25, AW}, {DAY, 0, 0, EX}};
	cv_flow		f,
				g;
	bytes		before,
				after;
	const char *why;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, 2), CV_OK);
	double_up(&f, 53);
	CHECK_INT(f.customers, CV_COUNT_MAX);
	CHECK_INT(cv_flow_check(&f, &why), CV_OK);
	/* 2^53 customers: written, and read back */
	before = encode(&f);
	CHECK_INT(decode(&g, before, &why), CV_OK);
	CHECK_INT(g.customers, CV_COUNT_MAX);
	/* two of them merged: refused before writing, the accumulator as it was */
	CHECK_INT(cv_flow_merge(&f, &g, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "A summary holds at most 2^53 customers.");
	after = encode(&f);
	CHECK(same(before, after));
	drop(after);
	/* ... and by decoding into one: refused too */
	CHECK_INT(cv_flow_decode(&g, before.data, before.len, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "A summary holds at most 2^53 customers.");
	cv_flow_free(&g);
	/* one customer more, added from events */
	CHECK_INT(cv_flow_add_customer(&f, ev, 2), CV_ERR_OVERFLOW);
	cv_flow_free(&f);
	drop(before);
}

static void
stage_visits_at_and_beyond(void)
{
	/* two awareness visits each: 2^52 customers make 2^53 visits of awareness */
	cv_event	ev[] = {{0, 0, 0, AW}, {DAY, 0, 0, EX}, {2 * DAY, 0, 0, AW}};
	cv_flow		f,
				g;
	bytes		b;
	const char *why;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, 3), CV_OK);
	double_up(&f, 52);
	CHECK_INT(cv_flow_visits(&f, AW), CV_COUNT_MAX);
	CHECK_INT(cv_flow_check_bounds(&f, &why), CV_OK);
	b = encode(&f);
	CHECK_INT(decode(&g, b, &why), CV_OK);
	/* doubling once more stays within 2^53 customers, not within 2^53 visits */
	CHECK_INT(cv_flow_merge(&f, &g, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "A stage of a summary has at most 2^53 visits.");
	cv_flow_free(&g);
	cv_flow_free(&f);
	drop(b);
}

static void
amounts_at_and_beyond(void)
{
	cv_event	top[] = {{0, 1e31, -1e31, VR}};
	cv_event	beyond[] = {{0, 1e31, 0, VR}, {1, 1e31, 0, VR}};	/* one visit */
	cv_event	twice[] = {{0, 6e30, 0, VR}, {DAY, 0, 0, AW}, {2 * DAY, 6e30, 0, VR}};	/* two */
	cv_event	apart[] = {{0, 9e30, 0, AW}, {DAY, 9e30, 0, VR}};	/* two stages: no sum is held */
	cv_flow		f,
				g;
	bytes		b;
	const char *why;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, top, 1), CV_OK);
	b = encode(&f);
	CHECK_INT(decode(&g, b, &why), CV_OK);
	CHECK(cv_money_to_double(g.st[VR].value) == 1e31);
	CHECK(cv_money_to_double(g.st[VR].cost) == -1e31);
	/* the two merged: the value sum would pass 10^31, refused, nothing changed */
	CHECK_INT(cv_flow_merge(&f, &g, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "A sum of amounts would leave ±10^31 currency units, in steps of 10^-6.");
	CHECK_INT(f.customers, 1);
	cv_flow_free(&g);
	cv_flow_free(&f);
	drop(b);
	/* within one customer: a visit's sum, and a stage's */
	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, beyond, 2), CV_ERR_OVERFLOW);
	cv_flow_free(&f);
	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, twice, 3), CV_ERR_OVERFLOW);
	cv_flow_free(&f);
	/* the customer's own total (1.8e31) is no sum a summary holds */
	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, apart, 2), CV_OK);
	cv_flow_free(&f);
	/*
	 * Downstream value: a later visit's value counts once for every earlier
	 * visit of a stage (count x value, formed exactly): two awareness visits
	 * before 4e30 hold 8e30, three 1.2e31, beyond the range.
	 */
	{
		cv_event	two[] = {{0, 0, 0, AW}, {1, 0, 0, EX}, {2, 0, 0, AW}, {3, 4e30, 0, VR}};
		cv_event	three[] = {{0, 0, 0, AW}, {1, 0, 0, EX}, {2, 0, 0, AW}, {3, 0, 0, EX},
							   {4, 0, 0, AW}, {5, 4e30, 0, VR}};
		cv_event	fraction[] = {{0, 0, 0, AW}, {1, 0, 0, EX}, {2, 0, 0, AW}, {3, -0.000001, 0, VR}};

		cv_flow_init(&f, &unit_mem);
		CHECK_INT(cv_flow_add_customer(&f, two, 4), CV_OK);
		CHECK(cv_money_to_double(f.st[AW].downstream) == 8e30);
		CHECK(cv_money_to_double(f.st[EX].downstream) == 4e30);
		cv_flow_free(&f);
		cv_flow_init(&f, &unit_mem);
		CHECK_INT(cv_flow_add_customer(&f, three, 6), CV_ERR_OVERFLOW);
		cv_flow_free(&f);
		/* negative amounts: -2 millionths, exactly */
		cv_flow_init(&f, &unit_mem);
		CHECK_INT(cv_flow_add_customer(&f, fraction, 4), CV_OK);
		CHECK(cv_i128_eq(f.st[AW].downstream, cv_i128_from_i64(-2)));
		cv_flow_free(&f);
	}
}

/*
 * One customer whose visits alternate awareness and exploration, all at one
 * instant, `visits` of them: built by hand, as only a crafted summary (or
 * 2^32 events) can be.  Every check but the visits per customer holds.
 */
static bytes
one_customer_many_visits(uint64_t visits)
{
	cv_flow		f;
	int64_t		t = 9000 * DAY + 5;
	uint64_t	aw = (visits + 1) / 2,
				ex = visits / 2;
	cv_stage	last = visits % 2 ? AW : EX;
	bytes		b;

	cv_flow_init(&f, &unit_mem);
	f.customers = 1;
	f.st[AW].customers = 1;
	f.st[EX].customers = ex > 0;
	f.trans[AW][EX] = last == AW ? aw - 1 : aw;
	f.trans[EX][AW] = last == EX ? ex - 1 : ex;
	f.st[AW].dwell.zero = f.st[AW].dwell.total = f.trans[AW][EX];
	f.st[EX].dwell.zero = f.st[EX].dwell.total = f.trans[EX][AW];
	cv_flow_add_bucket(&f, 9000, last, 1, cv_i128_from_i64(t), cv_i128_from_i64(t), cv_i128_from_i64(t));
	b = encode(&f);
	cv_flow_free(&f);
	return b;
}

/*
 * The bytes of one_customer_many_visits(2^32, 2^32 + 1, 2^53), as
 * sql/flow_exact.sql and test/dump hold them.
 */
static const char *const visits_hex[3] = {
	"02000103018080808008000001ffffffff0700000201808080800806ffffffff0701d08c0102010500f755551c",
	"02000103018080808008000001808080800800000201808080800806808080800801d08c0101010500e2254f9c",
	"02000103018080808080808008000001ffffffffffffff0700000201808080808080800806ffffffffffffff0701d08c010201050084028207",
};

static void
check_hex(bytes b, const char *want)
{
	char		hex[256];
	size_t		i;

	for (i = 0; i < b.len && 2 * i + 2 < sizeof(hex); i++)
		snprintf(hex + 2 * i, 3, "%02x", b.data[i]);
	CHECK_STR(hex, want);
}

static void
visits_per_customer_at_and_beyond(void)
{
	bytes		at = one_customer_many_visits(CV_CUSTOMER_VISITS_MAX),
				beyond = one_customer_many_visits(CV_CUSTOMER_VISITS_MAX + 1),
				issue = one_customer_many_visits(CV_COUNT_MAX);
	cv_flow		f;
	const char *why;

	CHECK_INT(decode(&f, at, &why), CV_OK);
	CHECK_INT(cv_flow_visits(&f, AW) + cv_flow_visits(&f, EX), CV_CUSTOMER_VISITS_MAX);
	cv_flow_free(&f);
	CHECK_INT(decode(&f, beyond, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "The customers have more visits than customers can make (at most 2^32 each).");
	cv_flow_free(&f);
	/* the summary of issue 14: one customer with 2^53 visits */
	CHECK_INT(decode(&f, issue, &why), CV_ERR_OVERFLOW);
	CHECK_STR(why, "The customers have more visits than customers can make (at most 2^32 each).");
	cv_flow_free(&f);
	/* the fixtures the SQL tests use are these bytes */
	check_hex(at, visits_hex[0]);
	check_hex(beyond, visits_hex[1]);
	check_hex(issue, visits_hex[2]);
	drop(at);
	drop(beyond);
	drop(issue);
}

static void
dwell_beyond_the_customers_span(void)
{
	/* a customer's dwells add up to their span: one microsecond more is refused */
	cv_event	ev[] = {{0, 0, 0, AW}, {DAY, 0, 0, EX}};
	cv_flow		f;
	bytes		b;
	const char *why;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, ev, 2), CV_OK);
	CHECK_INT(cv_flow_check(&f, &why), CV_OK);
	/* the first event a microsecond later: the span is a day less 1 us, the dwell a day */
	cv_flow_sort_buckets(&f);
	f.buckets[0].sum_first = cv_i128_add(f.buckets[0].sum_first, cv_i128_from_i64(1));
	b = encode(&f);
	CHECK_INT(cv_flow_check(&f, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "Dwell times add up to more than the customers' times from first to last event.");
	cv_flow_free(&f);
	CHECK_INT(decode(&f, b, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "Dwell times add up to more than the customers' times from first to last event.");
	cv_flow_free(&f);
	drop(b);
}

/* --- 0.1.0's summaries --------------------------------------------------------------- */

static bytes
from_hex(const char *hex)
{
	bytes		b;
	size_t		i;

	b.len = strlen(hex) / 2;
	b.data = cv_alloc(&unit_mem, b.len);
	for (i = 0; i < b.len; i++)
	{
		unsigned	v;

		sscanf(hex + 2 * i, "%2x", &v);
		b.data[i] = (uint8_t) v;
	}
	return b;
}

/*
 * Customer 13 of test/data/flow_v1 (cvfw 0.1.0, format version 1): one
 * awareness visit with value 1.6466666666666667 and cost 8.05 as 0.1.0
 * summed them in float8 (its report printed those).
 */
static const char *const v1_customer_13 =
	"010101019a9999999919204001000359f28b25bf58fa3f9a9999999919204000"
	"0001989301010180d9bef1ad92f20280d9bef1ad92f202ab95435a";

static void
version_1_read(void)
{
	bytes		v1 = from_hex(v1_customer_13),
				v2;
	cv_flow		f,
				g;
	const char *why;
	cv_leakage_row rows[CV_STAGE_COUNT + 1];

	CHECK_INT(decode(&f, v1, &why), CV_OK);
	CHECK_INT(f.customers, 1);
	cv_flow_leakage(&f, 0, 0, rows);
	CHECK_INT(rows[AW].visits, 1);
	/* the float8 sums, rounded to millionths once: 1.646667 and 8.05 */
	CHECK(cv_i128_eq(f.st[AW].value, cv_i128_from_i64(1646667)));
	CHECK(cv_i128_eq(f.st[AW].cost, cv_i128_from_i64(8050000)));
	CHECK(rows[AW].cost == 8.05);
	/* written again it is version 2, and reads back the same */
	v2 = encode(&f);
	CHECK_INT(v2.data[0], 2);
	CHECK_INT(decode(&g, v2, &why), CV_OK);
	CHECK(cv_i128_eq(g.st[AW].value, f.st[AW].value));
	cv_flow_free(&g);
	/* merging a version-1 and a version-2 summary */
	CHECK_INT(cv_flow_decode(&f, v2.data, v2.len, &why), CV_OK);
	CHECK_INT(f.customers, 2);
	CHECK(cv_i128_eq(f.st[AW].value, cv_i128_from_i64(2 * 1646667)));
	cv_flow_free(&f);
	drop(v1);
	drop(v2);
}

const unit_test flow_exact_tests[] = {
	{"exact: any split, any merge order, fractional amounts: the same bytes", any_split_any_order},
	{"exact: (A+B)-B == A, (A+B)-A == B, A-A empty, replacing a customer", group_property},
	{"exact: what subtraction refuses, and what it cannot tell", subtraction_checks},
	{"bounds: 2^53 customers written and read; two merged refused before writing", customers_at_and_beyond},
	{"bounds: 2^53 visits of a stage; beyond refused", stage_visits_at_and_beyond},
	{"bounds: amounts at ±10^31; sums beyond refused", amounts_at_and_beyond},
	{"bounds: 2^32 visits for one customer read; more refused (1 customer with 2^53 visits)", visits_per_customer_at_and_beyond},
	{"bounds: dwell times beyond the customers' spans refused", dwell_beyond_the_customers_span},
	{"format: 0.1.0's version 1 read, amounts rounded to millionths", version_1_read},
	{NULL, NULL}
};
