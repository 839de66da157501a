/*
 * test_value.c — the chain of visits (markov.c) and the product-limit
 * dwell (km.c): chains computed by hand, the singular cases, what-if and
 * removal identities, the marginal gains against finite differences, the
 * product-limit estimate against a brute force over the visits, and the
 * open times the summary carries for it.
 */
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "crc32c.h"
#include "flow.h"
#include "km.h"
#include "markov.h"
#include "mem.h"
#include "wheel_svg.h"

#define DAY CV_USECS_PER_DAY
#define AW CV_AWARENESS
#define EX CV_EXPLORATION
#define XP CV_EXPERIENCE
#define VR CV_VALUE_REALIZATION
#define AD CV_ADVOCACY
#define EN CV_ENGAGEMENT
#define EV(st, day, v, c) {(int64_t) (day) * DAY, (v), (c), (st)}
#define TOL 1e-12

static void
add(cv_flow *f, cv_event *ev, size_t n)
{
	CHECK_INT(cv_flow_add_customer(f, ev, n), CV_OK);
}

static cv_value
value_of(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of, cv_chain *c)
{
	cv_value	v;

	cv_chain_of_flow(f, has_cutoff, cutoff_day, as_of, c);
	CHECK_INT(cv_value_of_chain(c, &v), CV_OK);
	return v;
}

/*
 * Awareness (cost 10 a visit) and exploration (value 30 a visit):
 *   1: A X        2: A        3: A X A        4: A X      (every one leaked)
 * A: 5 visits, 3 moves to X, 2 leaked: leak 2/5.  X: 3 visits, 1 move to A,
 * 2 leaked: leak 2/3.  Expected visits from a visit (counting it), x = 1 + Qx:
 *   x_A = 1 + 3/5 x_X, x_X = 1 + 1/3 x_A  ->  x_A = 2, x_X = 5/3
 * value: x_A = 3/5 x_X, x_X = 30 + 1/3 x_A  ->  x_A = 22.5, x_X = 37.5
 * cost:  x_A = 10 + 3/5 x_X, x_X = 1/3 x_A  ->  x_A = 12.5, x_X = 25/6
 */
static void
two_stages_by_hand(void)
{
	cv_event	c1[] = {EV(AW, 0, 0, 10), EV(EX, 1, 30, 0)};
	cv_event	c2[] = {EV(AW, 0, 0, 10)};
	cv_event	c3[] = {EV(AW, 0, 0, 10), EV(EX, 1, 30, 0), EV(AW, 2, 0, 10)};
	cv_event	c4[] = {EV(AW, 0, 0, 10), EV(EX, 3, 30, 0)};
	cv_flow		f;
	cv_chain	c;
	cv_value	v;
	cv_fix		fix[CV_S];

	cv_flow_init(&f, &unit_mem);
	add(&f, c1, 2);
	add(&f, c2, 1);
	add(&f, c3, 3);
	add(&f, c4, 2);
	v = value_of(&f, 0, 0, 0, &c);
	CHECK_DBL(c.leak[AW], 0.4, TOL);
	CHECK_DBL(c.leak[EX], 2.0 / 3, TOL);
	CHECK_DBL(c.start[AW], 1, 0);
	CHECK_DBL(v.st[AW].visits, 1, TOL);
	CHECK_DBL(v.st[EX].visits, 2.0 / 3, TOL);
	CHECK_DBL(v.st[AW].value, 22.5, TOL);
	CHECK_DBL(v.st[EX].value, 7.5, TOL);
	CHECK_DBL(v.st[AW].cost, 2.5, TOL);
	CHECK_DBL(v.st[EX].cost, 25.0 / 6, TOL);
	CHECK_DBL(v.st[AW].p_value_realization, 0, 0);
	CHECK_DBL(v.st[AW].rounds, 0, 0);
	CHECK_DBL(v.new_value, 22.5, TOL);
	CHECK_DBL(v.new_cost, 12.5, TOL);
	CHECK_DBL(v.new_clv, 10, TOL);
	/* value_realization never comes: every cost is acquisition */
	CHECK_DBL(v.new_acquisition_cost, 12.5, TOL);
	CHECK_DBL(v.base_value, 0, 0);
	/* stages nobody visited have no estimate */
	CHECK(isnan(c.leak[VR]) && isnan(v.st[VR].visits));
	/* removal: everything comes after awareness; exploration's 7.5 reached 3/5 of the time */
	CHECK_DBL(v.removal_value[AW], 22.5, TOL);
	CHECK_DBL(v.removal_effect[AW], 1, TOL);
	CHECK_DBL(v.removal_value[EX], 4.5, TOL);
	CHECK_DBL(v.removal_effect[EX], 0.2, TOL);
	CHECK_DBL(v.removal_value[VR], 0, 0);
	/*
	 * A point less leakage.  At X: N(A, X) = 3/4 visits, each kept one
	 * worth x_A (net) = 22.5 - 12.5 = 10: 0.01 x 10 x 3/4 = 0.075.  At A:
	 * N(A, A) = 5/4, a kept one worth x_X (net) = 37.5 - 25/6: 0.41666...
	 * (d/dr of the closed forms 8 / (0.4 + 0.6 r) and (20 - 30 r) / (2/3 + r/3)).
	 */
	CHECK_INT(cv_fix_first(&c, fix), CV_OK);
	CHECK_DBL(fix[EX].visits_per_new_customer, 0.75, TOL);
	CHECK_DBL(fix[EX].kept_visit_value, 10, TOL);
	CHECK_DBL(fix[EX].gain_per_new_customer, 0.075, TOL);
	CHECK_DBL(fix[AW].visits_per_new_customer, 1.25, TOL);
	CHECK_DBL(fix[AW].gain_per_new_customer, 0.01 * 1.25 * (37.5 - 25.0 / 6), TOL);
	CHECK_DBL(fix[VR].gain_per_new_customer, 0, 0);
	/* on the picture: ranked 1 and 2, the stages without an estimate not at all */
	{
		cv_wheel	w;
		int			order[CV_STAGE_COUNT];

		cv_fix_order(fix, order);
		CHECK_INT(order[0], AW);
		CHECK_INT(order[1], EX);
		cv_wheel_from_flow(&f, 0, 0, &w);
		cv_wheel_fix_first(&w, fix);
		CHECK_INT(w.fix_rank[AW], 1);
		CHECK_INT(w.fix_rank[EX], 2);
		CHECK_INT(w.fix_rank[XP] + w.fix_rank[VR] + w.fix_rank[AD] + w.fix_rank[EN], 0);
	}
	cv_flow_free(&f);
}

/*
 * Three stages and a loop back, value at value_realization (100):
 *   1: A X V      2: A X A      3: A
 * A: 4 visits, 2 to X, 2 leaked: 1/2.  X: 2 visits, one to V, one back to A,
 * none leaked.  V: 1 visit, leaked.
 *   value: x_V = 100, x_X = 1/2 x_V + 1/2 x_A, x_A = 1/2 x_X -> x_A = 100/3, x_X = 200/3
 *   reach V: h_A = 1/2 h_X, h_X = 1/2 + 1/2 h_A -> h_A = 1/3, h_X = 2/3
 */
static void
three_stages_with_a_loop(void)
{
	cv_event	c1[] = {EV(AW, 0, 0, 6), EV(EX, 1, 0, 0), EV(VR, 2, 100, 0)};
	cv_event	c2[] = {EV(AW, 0, 0, 6), EV(EX, 1, 0, 0), EV(AW, 2, 0, 6)};
	cv_event	c3[] = {EV(AW, 0, 0, 6)};
	cv_flow		f;
	cv_chain	c;
	cv_value	v;

	cv_flow_init(&f, &unit_mem);
	add(&f, c1, 3);
	add(&f, c2, 3);
	add(&f, c3, 1);
	v = value_of(&f, 0, 0, 0, &c);
	CHECK_DBL(c.leak[EX], 0, 0);
	CHECK_DBL(v.st[AW].value, 100.0 / 3, TOL);
	CHECK_DBL(v.st[EX].value, 200.0 / 3, TOL);
	CHECK_DBL(v.st[VR].value, 0, 0);
	CHECK_DBL(v.st[AW].p_value_realization, 1.0 / 3, TOL);
	CHECK_DBL(v.st[EX].p_value_realization, 2.0 / 3, TOL);
	/* from V nothing follows; from X, V comes with 1/2 and a return to A the rest */
	CHECK_DBL(v.st[VR].p_value_realization, 0, 0);
	CHECK_DBL(v.new_p_value_realization, 1.0 / 3, TOL);
	/* visits: x_A = 1 + 1/2 x_X, x_X = 1 + 1/2 x_V + 1/2 x_A, x_V = 1 -> x_A = 7/3 */
	CHECK_DBL(v.st[AW].visits, 4.0 / 3, TOL);
	/* acquisition: the costs before V, 6 a visit at A: x_A = 6 + 1/2 x_X, x_X = 1/2 x_A -> 8 */
	CHECK_DBL(v.new_acquisition_cost, 8, TOL);
	/* all of the cost is acquisition: A is never visited after V */
	CHECK_DBL(v.new_cost, 6 * 7.0 / 3 - 6, TOL);
	cv_flow_free(&f);
}

/*
 * With a horizon: customers still active are censored.  As of day 10 with a
 * cut-off at day 5: customer 3 (last event day 8, at X since day 8) is open.
 *   1: A(0) X(2)         leaked at X
 *   2: A(0) X(1) A(4)    leaked at A
 *   3: A(0) X(8)         open at X for 2 days
 *   4: A(1) X(3) A(6)    open at A for 4 days
 * A: moves after 2, 1, 8, 2 days (4 events), 1 leaked, 1 open for 4 days.
 *   at 1 day: 6 at risk (4 events, 1 leaked, 1 open), 1 moves: S = 5/6
 *   at 2 days: 5 at risk, 2 move: S = 5/6 x 3/5 = 1/2
 *   at 8 days: the open one (4 days) is gone: 2 at risk, 1 moves: S = 1/4
 * so leak(A) = 1/4.  X: 2 moves (3 days each), 1 leaked, 1 open 2 days:
 *   at 3 days: 3 at risk (the open one is gone), 2 move: S = 1/3.
 */
static void
open_visits_are_censored(void)
{
	cv_event	c1[] = {EV(AW, 0, 0, 0), EV(EX, 2, 0, 0)};
	cv_event	c2[] = {EV(AW, 0, 0, 0), EV(EX, 1, 0, 0), EV(AW, 4, 0, 0)};
	cv_event	c3[] = {EV(AW, 0, 0, 0), EV(EX, 8, 0, 0)};
	cv_event	c4[] = {EV(AW, 1, 0, 0), EV(EX, 3, 0, 0), EV(AW, 6, 0, 0)};
	cv_flow		f;
	cv_chain	c;
	cv_km		km;
	double		q;

	cv_flow_init(&f, &unit_mem);
	add(&f, c1, 2);
	add(&f, c2, 3);
	add(&f, c3, 2);
	add(&f, c4, 3);
	cv_chain_of_flow(&f, 1, 5, 10 * DAY, &c);
	CHECK_DBL(c.leak[AW], 0.25, TOL);
	CHECK_DBL(c.keep[AW], 0.75, TOL);
	CHECK_DBL(c.leak[EX], 1.0 / 3, TOL);
	CHECK_DBL(c.active[AW], 1, 0);
	CHECK_DBL(c.active[EX], 1, 0);
	/* today's completed visits: A 1, 2, 2, 8 days; the estimate moves mass to 8 days */
	cv_km_stage(&f, AW, 1, 5, 10 * DAY, &km);
	CHECK_INT(km.moved, 4);
	CHECK_INT(km.leaked, 1);
	CHECK_INT(km.open, 1);
	/* F = (1 - S) / (3/4): 2/9 at 1 day, 2/3 at 2 days, 1 at 8 days */
	CHECK(cv_km_quantile(&km, 0.2, &q) && q == 1.0 * DAY);
	CHECK(cv_km_quantile(&km, 0.5, &q) && q == 2.0 * DAY);
	CHECK(cv_km_quantile(&km, 2.0 / 3, &q) && q == 2.0 * DAY);
	CHECK(cv_km_quantile(&km, 0.7, &q) && q == 8.0 * DAY);
	cv_km_free(&km);
	/* without a horizon nothing is open: plain shares */
	cv_chain_of_flow(&f, 0, 0, 0, &c);
	CHECK_DBL(c.leak[AW], 2.0 / 6, TOL);
	CHECK_DBL(c.leak[EX], 2.0 / 4, TOL);
	cv_flow_free(&f);
}

/* a stage nobody reaches, a stage whose every visit is open, a stage nobody leaves */
static void
singular_stages(void)
{
	cv_event	c1[] = {EV(AW, 0, 0, 1), EV(EX, 1, 0, 0), EV(VR, 2, 50, 0)};
	cv_event	c2[] = {EV(AW, 0, 0, 1), EV(EX, 1, 0, 0)};
	cv_event	c3[] = {EV(AW, 0, 0, 1), EV(EX, 1, 0, 0), EV(VR, 2, 50, 0), EV(EN, 9, 10, 0)};
	cv_flow		f;
	cv_chain	c;
	cv_value	v;
	int			s;

	cv_flow_init(&f, &unit_mem);
	add(&f, c1, 3);
	add(&f, c2, 2);
	add(&f, c3, 4);
	/* no horizon: experience and advocacy nobody reaches: no estimate, no effect */
	v = value_of(&f, 0, 0, 0, &c);
	CHECK(!c.known[XP] && !c.known[AD]);
	CHECK(isnan(v.st[XP].value) && isnan(v.st[AD].p_engagement));
	CHECK_DBL(v.st[AW].value, (100.0 + 10) / 3, TOL);
	CHECK_DBL(v.removal_value[XP], 0, 0);
	/* engagement leaks every visit: nothing after it */
	CHECK_DBL(v.st[EN].value, 0, 0);
	CHECK_DBL(v.st[EN].visits, 0, 0);
	/* value_realization is reached with 2/3, engagement with 1/3 */
	CHECK_DBL(v.new_p_value_realization, 2.0 / 3, TOL);
	CHECK_DBL(v.st[AW].p_engagement, 1.0 / 3, TOL);

	/*
	 * As of day 10, cut-off day 5: customer 3's engagement visit is open and
	 * engagement has no visit that moved on or leaked: no estimate, so
	 * every stage that can reach it has none either; what cannot reach it
	 * does.
	 */
	v = value_of(&f, 1, 5, 10 * DAY, &c);
	CHECK(!c.known[EN]);
	CHECK(isnan(v.st[AW].value) && isnan(v.st[EX].value) && isnan(v.st[VR].value));
	CHECK(isnan(v.new_value) && isnan(v.base_value));
	/* reaching a stage does not depend on what follows it */
	CHECK_DBL(v.st[AW].p_value_realization, 2.0 / 3, TOL);
	CHECK_DBL(v.st[AW].p_engagement, 1.0 / 3, TOL);
	CHECK(isnan(v.st[EN].p_engagement));
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		CHECK(isnan(v.removal_effect[s]) || s == XP || s == AD);
	cv_flow_free(&f);
}

/*
 * No leakage at all: two customers going round exploration <-> experience,
 * both active.  Every visit moved on within a day, the open ones are
 * younger: leak 0, a closed loop: infinitely many further visits, infinite
 * value where the loop carries value, none where it carries none.
 */
static void
no_leakage_at_all(void)
{
	cv_event	c1[] = {EV(EX, 0, 0, 2), EV(XP, 1, 5, 0), EV(EX, 2, 0, 2), EV(XP, 3, 5, 0)};
	cv_event	c2[] = {EV(EX, 1, 0, 2), EV(XP, 2, 5, 0), EV(EX, 3, 0, 2)};
	cv_flow		f;
	cv_chain	c;
	cv_value	v;
	cv_fix		fix[CV_S];
	cv_chain	w;
	cv_value	wv;

	cv_flow_init(&f, &unit_mem);
	add(&f, c1, 4);
	add(&f, c2, 3);
	/* as of day 3 + 12 hours, cut-off day 1: both open for 12 hours */
	v = value_of(&f, 1, 1, 3 * DAY + DAY / 2, &c);
	CHECK_DBL(c.leak[EX], 0, 0);
	CHECK_DBL(c.leak[XP], 0, 0);
	CHECK(isinf(v.st[EX].visits) && v.st[EX].visits > 0);
	CHECK(isinf(v.st[EX].value) && v.st[EX].value > 0);
	CHECK(isinf(v.new_cost) && v.new_cost > 0);
	CHECK(isnan(v.new_clv));	/* infinite value - infinite cost */
	CHECK_DBL(v.st[EX].rounds, 0, 0);	/* engagement is never reached */
	CHECK_DBL(v.st[EX].p_value_realization, 0, 0);
	CHECK(isinf(v.base_value));
	/* nothing leaks: nothing to fix */
	CHECK_INT(cv_fix_first(&c, fix), CV_OK);
	CHECK_DBL(fix[EX].gain_per_new_customer, 0, 0);
	/* a leak of 10% at experience makes everything finite again:
	 *   x_X = 5 + 0.9 x_E, x_E = x_X -> x_E = 50 (value), further from E: 45 */
	cv_chain_with_leak(&c, XP, 0.1, &w);
	CHECK_INT(cv_value_of_chain(&w, &wv), CV_OK);
	CHECK_DBL(wv.st[EX].value, 50, 1e-9);
	CHECK_DBL(wv.st[XP].value, 45, 1e-9);
	cv_flow_free(&f);
}

/* an expectation beyond a double's range is an error, not infinity */
static void
overflow_is_an_error(void)
{
	cv_chain	c;
	cv_value	v;

	memset(&c, 0, sizeof(c));
	c.customers = 1;
	c.start[AW] = 1;
	c.known[AW] = c.known[EX] = 1;
	c.visits[AW] = c.visits[EX] = c.moved[AW] = c.moved[EX] = 1;
	c.leak[AW] = 0.01;
	c.keep[AW] = 0.99;
	c.leak[EX] = 0;
	c.keep[EX] = 1;
	c.dest[AW][EX] = c.dest[EX][AW] = 1;
	c.value[AW] = 1e308;		/* a hundred visits of it expected */
	CHECK_INT(cv_value_of_chain(&c, &v), CV_ERR_OVERFLOW);
	c.value[AW] = 1e300;
	CHECK_INT(cv_value_of_chain(&c, &v), CV_OK);
	CHECK_DBL(v.new_value, 1e302, 1e288);
}

static void
empty_flow(void)
{
	cv_flow		f;
	cv_chain	c;
	cv_value	v;
	cv_fix		fix[CV_S];
	int			s;

	cv_flow_init(&f, &unit_mem);
	v = value_of(&f, 1, 0, 0, &c);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		CHECK(!c.known[s] && isnan(v.st[s].value) && isnan(v.removal_effect[s]));
	CHECK(isnan(v.new_value) && isnan(v.new_clv));
	CHECK_DBL(v.base_value, 0, 0);
	CHECK_DBL(v.active, 0, 0);
	CHECK_INT(cv_fix_first(&c, fix), CV_OK);
	CHECK(isnan(fix[AW].gain_per_new_customer));
	cv_flow_free(&f);
}

/* a random walk round the wheel: leak after each visit with 10-40% */
static size_t
random_journey(cv_event *ev, size_t max, int64_t day0)
{
	size_t		n = 0;
	int			s = unit_rng() % 4 == 0 ? EX : AW;
	int64_t		at = day0 * DAY;

	for (;;)
	{
		uint64_t	r = unit_rng();
		int			step = (int) (r % 10);

		ev[n].stage = (cv_stage) s;
		ev[n].at = at;
		ev[n].value = s == VR ? 100 + (double) (r % 7) * 10 : s == EN ? 40 : 0;
		ev[n].cost = s <= EX ? 5 + (double) (r % 3) : 0;
		n++;
		if (n == max || (r >> 8) % 100 < (uint64_t) (10 + 5 * s))
			return n;
		s = (int) cv_stage_rotate((cv_stage) s, step < 6 ? 1 : step < 8 ? -1 : 2);
		at += (int64_t) (1 + (r >> 20) % 20) * DAY;
	}
}

static void
random_flow(cv_flow *f, int customers)
{
	int			i;

	cv_flow_init(f, &unit_mem);
	for (i = 0; i < customers; i++)
	{
		cv_event	ev[30];
		size_t		n = random_journey(ev, 30, (int64_t) (unit_rng() % 200));

		add(f, ev, n);
	}
}

static double
rel(double a, double b)
{
	return fabs(a - b) / fmax(1, fabs(b));
}

/*
 * What-if at today's leak probability is today, bit for bit; leaking
 * everyone equals the removal effect; removal effects are shares; the
 * marginal gains are the derivative of the what-if (central differences).
 */
static void
what_if_identities(void)
{
	int			round;

	for (round = 0; round < 20; round++)
	{
		cv_flow		f;
		cv_chain	c;
		cv_value	v;
		cv_fix		fix[CV_S];
		int			k,
					has_cutoff = round % 2;

		random_flow(&f, 300);
		v = value_of(&f, has_cutoff, 150, 190 * DAY, &c);
		CHECK_INT(cv_fix_first(&c, fix), CV_OK);
		for (k = 1; k <= CV_STAGE_COUNT; k++)
		{
			cv_chain	w;
			cv_value	same,
						none,
						up,
						down;
			double		h = 1e-5;

			if (!c.known[k])
				continue;
			cv_chain_with_leak(&c, (cv_stage) k, c.leak[k], &w);
			CHECK_INT(cv_value_of_chain(&w, &same), CV_OK);
			CHECK(memcmp(&same, &v, sizeof(v)) == 0);
			cv_chain_with_leak(&c, (cv_stage) k, 1, &w);
			CHECK_INT(cv_value_of_chain(&w, &none), CV_OK);
			CHECK(rel(v.new_value - none.new_value, v.removal_value[k]) < 1e-12);
			CHECK(v.removal_effect[k] >= 0 && v.removal_effect[k] <= 1);
			if (c.leak[k] > h && c.leak[k] < 1 - h)
			{
				cv_chain_with_leak(&c, (cv_stage) k, c.leak[k] - h, &w);
				CHECK_INT(cv_value_of_chain(&w, &up), CV_OK);
				cv_chain_with_leak(&c, (cv_stage) k, c.leak[k] + h, &w);
				CHECK_INT(cv_value_of_chain(&w, &down), CV_OK);
				CHECK(rel(0.01 * (up.new_clv - down.new_clv) / (2 * h), fix[k].gain_per_new_customer) < 1e-6);
				CHECK(rel(0.01 * (up.base_clv - down.base_clv) / (2 * h), fix[k].gain_for_base) < 1e-6);
			}
		}
		cv_flow_free(&f);
	}
}

/*
 * The GTH elimination keeps its digits when almost nothing leaks: a loop
 * A <-> X of 2^40 moves with one leak holds 2^41 + 1 expected visits.
 */
static void
tiny_leak_keeps_its_digits(void)
{
	cv_flow		f;
	cv_chain	c;
	cv_value	v;
	uint64_t	big = UINT64_C(1) << 40;
	cv_event	one[] = {EV(AW, 0, 0, 0)};

	cv_flow_init(&f, &unit_mem);
	add(&f, one, 1);			/* one customer who leaked at awareness */
	f.trans[AW][EX] = big;
	f.trans[EX][AW] = big;
	cv_sketch_add_key(&f.st[AW].dwell, &unit_mem, cv_sketch_key(DAY), big, cv_i128_mul(DAY, big));
	cv_sketch_add_key(&f.st[EX].dwell, &unit_mem, cv_sketch_key(DAY), big, cv_i128_mul(DAY, big));
	v = value_of(&f, 0, 0, 0, &c);
	/* from A: each round trip leaks 1 / (2^40 + 1) at A: 2 (2^40 + 1) - 1 visits in all */
	CHECK(rel(v.st[AW].visits, 2.0 * ((double) big + 1) - 2) < 1e-14);
	CHECK(rel(v.st[EX].visits, 2.0 * ((double) big + 1) - 1) < 1e-14);
	cv_flow_free(&f);
}

/* --- the product-limit estimate against a brute force over the visits ------------ */

typedef struct visit_time
{
	double		t;
	int			kind;			/* 0 moved on, 1 leaked, 2 open */
	int32_t		day;			/* open: the day of the last event */
	int64_t		entry,
				last;
} visit_time;

static int
vt_cmp(const void *a, const void *b)
{
	const visit_time *x = a,
			   *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->kind - y->kind;	/* events before the censored at a tie */
}

static void
km_against_brute_force(void)
{
	int			round;
	uint64_t	zero_dwell = 0;

	for (round = 0; round < 30; round++)
	{
		enum
		{
			N = 400
		};
		static cv_event ev[N][30];
		static size_t n[N];
		static visit_time vt[N * 30];
		cv_flow		f;
		int32_t		cutoff = 170;
		int64_t		as_of = 200 * DAY + (round % 3) * DAY / 3;
		int			i,
					s;
		size_t		j;

		cv_flow_init(&f, &unit_mem);
		for (i = 0; i < N; i++)
		{
			cv_event	copy[30];

			n[i] = random_journey(ev[i], 30, (int64_t) (unit_rng() % 200));
			/*
			 * Odd rounds: some last visits of several events, so the customers
			 * of a day bucket entered their last visits at different times
			 * and the estimate counts them open for their mean time.
			 */
			if (round % 2 == 1 && n[i] < 30 && unit_rng() % 3 == 0)
			{
				ev[i][n[i]] = ev[i][n[i] - 1];
				ev[i][n[i]].at += (int64_t) (unit_rng() % 5) * DAY;
				n[i]++;
			}
			/* odd rounds: some moves at once (a dwell of 0; the order then by wheel position) */
			for (j = 1; round % 2 == 1 && j < n[i]; j++)
				if (unit_rng() % 8 == 0)
				{
					int64_t		gap = ev[i][j].at - ev[i][j - 1].at;
					size_t		l;

					for (l = j; l < n[i]; l++)
						ev[i][l].at -= gap;
				}
			memcpy(copy, ev[i], sizeof(copy));
			add(&f, copy, n[i]);
			memcpy(ev[i], copy, sizeof(copy));	/* sorted as the summary saw them */
		}
		for (s = 1; s <= CV_STAGE_COUNT; s++)
		{
			size_t		m = 0,
						k;
			double		surv = 1,
						done = 0,
						go;
			uint64_t	at_risk,
						moved = 0;
			cv_km		km;
			static double tj[N * 30],
						Fj[N * 30];
			size_t		nt = 0;
			double		qs[] = {0.1, 0.25, 0.5, 0.75, 0.9, 1};

			/* every visit of s: dwell, leaked, or open for how long */
			for (i = 0; i < N; i++)
			{
				size_t		e = 0;

				while (e < n[i])
				{
					size_t		end = e;

					while (end + 1 < n[i] && ev[i][end + 1].stage == ev[i][e].stage)
						end++;
					if ((int) ev[i][e].stage == s)
					{
						if (end + 1 < n[i])
						{
							vt[m].t = (double) (ev[i][end + 1].at - ev[i][e].at);
							vt[m].kind = 0;
							moved++;
						}
						else if (cv_day_of(ev[i][end].at) < cutoff)
						{
							vt[m].t = INFINITY;
							vt[m].kind = 1;
						}
						else
						{
							vt[m].t = (double) ((as_of > ev[i][end].at ? as_of : ev[i][end].at) - ev[i][e].at);
							vt[m].kind = 2;
							vt[m].day = cv_day_of(ev[i][end].at);
							vt[m].entry = ev[i][e].at;
							vt[m].last = ev[i][end].at;
						}
						m++;
					}
					e = end + 1;
				}
			}
			/* odd rounds: the open visits of a day bucket count for their mean time */
			for (j = 0; j < m && round % 2 == 1; j++)
			{
				int64_t		n_b = 0,
							entry = 0,
							last = 0;

				if (vt[j].kind != 2)
					continue;
				for (k = 0; k < m; k++)
					if (vt[k].kind == 2 && vt[k].day == vt[j].day)
					{
						n_b++;
						entry += vt[k].entry;
						last += vt[k].last;
					}
				vt[j].t = (double) ((as_of * n_b > last ? as_of * n_b : last) - entry) / (double) n_b;
			}
			qsort(vt, m, sizeof(visit_time), vt_cmp);
			at_risk = m;
			for (j = 0; j < m; j = k)
			{
				uint64_t	d = 0;

				for (k = j; k < m && vt[k].t == vt[j].t && vt[k].kind == vt[j].kind; k++)
					d += vt[k].kind == 0;
				if (d > 0)
				{
					done += surv * (double) d / (double) at_risk;
					surv *= 1 - (double) d / (double) at_risk;
					tj[nt] = vt[j].t;
					Fj[nt++] = done;
				}
				at_risk -= k - j;
			}
			go = done;
			cv_km_stage(&f, (cv_stage) s, 1, cutoff, as_of, &km);
			zero_dwell += f.st[s].dwell.zero;
			CHECK_INT(km.moved, moved);
			CHECK_DBL(km.stay, surv, 1e-12);
			CHECK_DBL(km.go, go, 1e-12);
			CHECK_INT(km.n, nt);
			for (j = 0; j < sizeof(qs) / sizeof(qs[0]) && nt > 0; j++)
			{
				double		got,
							want = tj[nt - 1];

				for (k = 0; k < nt; k++)
					if (Fj[k] / go >= qs[j] - 1e-12)
					{
						want = tj[k];
						break;
					}
				CHECK(cv_km_quantile(&km, qs[j], &got));
				CHECK_DBL(got, want, 0);
			}
			cv_km_free(&km);
		}
		cv_flow_free(&f);
	}
	CHECK(zero_dwell > 100);	/* the zero dwell bucket was exercised */
}

/* with nothing open the percentiles are the sketch's, bit for bit */
static void
km_without_open_visits_is_the_sketch(void)
{
	cv_flow		f;
	int			s;

	random_flow(&f, 500);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_km		km;
		double		qs[] = {0, 0.01, 0.5, 0.9, 0.999, 1};
		size_t		j;

		cv_km_stage(&f, (cv_stage) s, 0, 0, 0, &km);
		CHECK_INT(km.open, 0);
		for (j = 0; j < sizeof(qs) / sizeof(qs[0]); j++)
		{
			double		a = -1,
						b = -2;
			int			fa = cv_km_quantile(&km, qs[j], &a),
						fb = cv_sketch_quantile(&f.st[s].dwell, qs[j], &b);

			CHECK_INT(fa, fb);
			CHECK(!fa || a == b);
		}
		cv_km_free(&km);
	}
	cv_flow_free(&f);
}

/* --- the open times in the summary's encoding ---------------------------------------- */

static cv_status
decode(const uint8_t *b, size_t len, cv_flow *f)
{
	const char *why = NULL;

	cv_flow_init(f, &unit_mem);
	return cv_flow_decode(f, b, len, &why);
}

static void
open_times_round_trip(void)
{
	/* the last visit entered on day 3, last event day 7 */
	cv_event	ev[] = {EV(AW, 0, 0, 0), EV(EX, 3, 0, 0), EV(EX, 7, 0, 0)};
	cv_event	plain[] = {EV(AW, 0, 0, 0), EV(EX, 3, 0, 0)};
	cv_flow		f,
				g;
	uint8_t    *b,
			   *b2;
	size_t		len,
				len2;
	uint32_t	i;

	cv_flow_init(&f, &unit_mem);
	add(&f, ev, 3);
	b = cv_flow_encode(&f, &cv_malloc_allocator, 0, &len);
	CHECK_INT(b[1], 2);			/* open times flagged */
	CHECK_INT(decode(b, len, &g), CV_OK);
	for (i = 0; i < g.bucket_cap; i++)
		if (g.buckets[i].stage != 0)
			CHECK(cv_i128_eq(g.buckets[i].sum_entry, cv_i128_from_i64(3 * DAY)));
	b2 = cv_flow_encode(&g, &cv_malloc_allocator, 0, &len2);
	CHECK(len == len2 && memcmp(b, b2, len) == 0);
	free(b2);
	cv_flow_free(&g);
	free(b);
	cv_flow_free(&f);

	/* single-event last visits: no flag, the bytes of format 1 as before */
	cv_flow_init(&f, &unit_mem);
	add(&f, plain, 2);
	b = cv_flow_encode(&f, &cv_malloc_allocator, 0, &len);
	CHECK_INT(b[1], 0);
	CHECK_INT(decode(b, len, &g), CV_OK);
	for (i = 0; i < g.bucket_cap; i++)
		if (g.buckets[i].stage != 0)
			CHECK(cv_i128_eq(g.buckets[i].sum_entry, g.buckets[i].sum_last));
	cv_flow_free(&g);
	free(b);
	cv_flow_free(&f);
}

/* rewrite the checksum after editing encoded bytes */
static void
reseal(uint8_t *b, size_t len)
{
	uint32_t	crc = cv_crc32c(b, len - 4);

	b[len - 4] = (uint8_t) crc;
	b[len - 3] = (uint8_t) (crc >> 8);
	b[len - 2] = (uint8_t) (crc >> 16);
	b[len - 1] = (uint8_t) (crc >> 24);
}

static void
open_times_are_checked(void)
{
	cv_event	ev[] = {EV(AW, 0, 0, 0), EV(EX, 3, 0, 0), EV(EX, 7, 0, 0)};
	cv_flow		f,
				g;
	uint8_t    *b;
	size_t		len;
	const char *why = NULL;

	cv_flow_init(&f, &unit_mem);
	add(&f, ev, 3);
	b = cv_flow_encode(&f, &cv_malloc_allocator, 0, &len);
	/*
	 * The open time is the bucket's last field before the checksum: 4 days
	 * of microseconds, a 6-byte varint.  Make it longer than the whole
	 * relationship (7 days).
	 */
	CHECK_INT(b[len - 5], (4 * DAY) >> 35);	/* the top 7-bit group */
	b[len - 5] = 0x14;			/* about 8 days */
	reseal(b, len);
	cv_flow_init(&g, &unit_mem);
	CHECK_INT(cv_flow_decode(&g, b, len, &why), CV_ERR_CORRUPT);
	CHECK_STR(why, "Open times are out of range.");
	cv_flow_free(&g);
	free(b);
	cv_flow_free(&f);
}

const unit_test value_tests[] = {
	{"value: two stages by hand", two_stages_by_hand},
	{"value: three stages with a loop back, by hand", three_stages_with_a_loop},
	{"value: open visits are censored (product-limit leak), by hand", open_visits_are_censored},
	{"value: stages nobody reaches, all open, that leak everyone", singular_stages},
	{"value: no leakage at all: infinite expectations", no_leakage_at_all},
	{"value: the empty summary", empty_flow},
	{"value: an expectation out of range is an error", overflow_is_an_error},
	{"value: what-if identities, removal effects, gains = derivatives", what_if_identities},
	{"value: a tiny leak keeps its digits (GTH)", tiny_leak_keeps_its_digits},
	{"km: product-limit estimate against a brute force over the visits", km_against_brute_force},
	{"km: with nothing open, the sketch's percentiles", km_without_open_visits_is_the_sketch},
	{"flow: open times round trip; single-event last visits encode as before", open_times_round_trip},
	{"flow: open times are checked", open_times_are_checked},
	{NULL, NULL}
};
