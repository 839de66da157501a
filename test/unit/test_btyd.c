/*
 * test_btyd.c — the point bag, RFM summaries, the BG/NBD and Gamma-Gamma
 * formulas and fits.  Expected values of the formulas come from
 * test/data/cdnow/check_btyd.py (textbook formulas, plain 2F1 series).
 */
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "bgnbd.h"
#include "gamma_gamma.h"
#include "mem.h"
#include "points.h"
#include "rfm.h"
#include "special.h"

/* the BG/NBD and Gamma-Gamma fits on the CDNOW summary (sql/btyd.sql) */
static const cv_bgnbd cdnow = {0.242592927047076, 4.41353137124747, 0.792886483872754,
2.4257547940357, 0, 0};
static const cv_gg cdnow_gg = {6.24880219835893, 3.74458858859712, 15.4477492269966, 0, 0};

static void
points_bag(void)
{
	cv_points a,
				b,
				c;
	unsigned char *buf;
	size_t		size;
	int			i;

	cv_points_init(&a);
	cv_points_init(&b);
	/* the same multiset added in two orders and split: the same bytes */
	for (i = 0; i < 1000; i++)
		CHECK_INT(cv_points_add(&a, i % 7, (i % 7) * 0.5, 10 + i % 3, 1), 0);
	for (i = 999; i >= 500; i--)
		CHECK_INT(cv_points_add(&b, i % 7, (i % 7) * 0.5, 10 + i % 3, 1), 0);
	cv_points_init(&c);
	for (i = 499; i >= 0; i--)
		CHECK_INT(cv_points_add(&c, i % 7, (i % 7) * 0.5, 10 + i % 3, 1), 0);
	CHECK_INT(cv_points_merge(&b, &c), 0);
	CHECK_INT(a.len, 21);
	CHECK_INT(a.total, 1000);
	CHECK_INT(b.total, 1000);
	size = cv_points_size(&a);
	CHECK_INT(size, cv_points_size(&b));
	buf = malloc(2 * size);
	cv_points_write(&a, buf);
	cv_points_write(&b, buf + size);
	CHECK(memcmp(buf, buf + size, size) == 0);
	/* -0 and 0 are one point */
	CHECK_INT(cv_points_add(&c, -0.0, 0, 10, 1), 0);
	CHECK_INT(cv_points_add(&c, 0, -0.0, 10, 2), 0);
	CHECK_INT(c.len, 21);
	/* round trip; a read bag takes more points */
	cv_points_free(&c);
	CHECK_INT(cv_points_read(buf, size, &c), 0);
	CHECK_INT(c.total, 1000);
	CHECK_INT(cv_points_add(&c, 100, 1, 1, 5), 0);
	CHECK_INT(c.total, 1005);
	CHECK_INT(c.len, 22);
	cv_points_free(&c);
	/* damaged bytes are refused: size, version, order, zero count */
	CHECK_INT(cv_points_read(buf, size - 1, &c), -1);
	buf[0] = 3;
	CHECK_INT(cv_points_read(buf, size, &c), -1);
	buf[0] = 2;
	memcpy(buf + 12 + 32, buf + 12, 32);	/* a duplicate point */
	CHECK_INT(cv_points_read(buf, size, &c), -1);
	memset(buf + 12 + 24, 0, 8);	/* n = 0 */
	CHECK_INT(cv_points_read(buf, size, &c), -1);
	cv_points_write(&a, buf);
	CHECK_INT(cv_points_read(buf, size, &c), 0);
	cv_points_free(&c);
	memset(buf + 12, 0, 8);
	buf[12 + 7] = 0x80;			/* the first point's x = -0, which the writer never writes (found by fuzzing) */
	CHECK_INT(cv_points_read(buf, size, &c), -1);
	free(buf);
	cv_points_free(&a);
	cv_points_free(&b);
}

static void
rfm_summary(void)
{
	cv_rfm_acc acc,
				half;
	cv_rfm		r;
	int64_t		day = INT64_C(86400000000);

	/* days 0, 0, 10, 31 with the end at day 272, in weeks */
	cv_rfm_init(&acc, 272, day, 7 * day);
	CHECK_INT(cv_rfm_add(&acc, 31, 5), 0);
	CHECK_INT(cv_rfm_add(&acc, 0, 10), 0);
	cv_rfm_init(&half, 272, day, 7 * day);
	CHECK_INT(cv_rfm_add(&half, 10, 20), 0);
	CHECK_INT(cv_rfm_add(&half, 0, 2.5), 0);
	CHECK_INT(cv_rfm_merge(&acc, &half), 0);
	CHECK_INT(cv_rfm_summary(&acc, &r), 0);
	CHECK_DBL(r.frequency, 2, 0);
	CHECK_DBL(r.recency, 31.0 / 7, 0);
	CHECK_DBL(r.T, 272.0 / 7, 0);
	CHECK_DBL(r.monetary, 12.5, 0);	/* (20 + 5) / 2: the first day's 12.5 left out */
	/* one purchase day: frequency 0, recency 0, monetary 0 */
	cv_rfm_free(&half);
	cv_rfm_init(&half, 272, day, 7 * day);
	CHECK_INT(cv_rfm_summary(&half, &r), -1);	/* nothing */
	CHECK_INT(cv_rfm_add(&half, 100, 3), 0);
	CHECK_INT(cv_rfm_add(&half, 100, 4), 0);
	CHECK_INT(cv_rfm_summary(&half, &r), 0);
	CHECK_DBL(r.frequency, 0, 0);
	CHECK_DBL(r.recency, 0, 0);
	CHECK_DBL(r.T, 172.0 / 7, 0);
	CHECK_DBL(r.monetary, 0, 0);
	CHECK_INT(cv_rfm_add(&half, 101, 1e308), 0);
	CHECK_INT(cv_rfm_add(&half, 102, 1e308), 0);
	CHECK_INT(cv_rfm_summary(&half, &r), -1);	/* the sum overflows */
	cv_rfm_free(&half);
	cv_rfm_free(&acc);
}

static void
bgnbd_predictions(void)
{
	double		v = 0,
				lo = 0,
				hi = 0;
	cv_bgnbd	m = cdnow;

	CHECK_INT(cv_bgnbd_expected(&m, 39, &v), CV_BTYD_OK);
	CHECK_DBL(v, 1.195016404, 1e-8);
	CHECK_INT(cv_bgnbd_expected(&m, 78, &v), CV_BTYD_OK);
	CHECK_DBL(v, 1.857971883, 1e-8);
	CHECK_INT(cv_bgnbd_expected(&m, 0, &v), CV_BTYD_OK);
	CHECK_DBL(v, 0, 0);
	/* FHL 2005: 1.226 for this customer over 39 weeks */
	CHECK_INT(cv_bgnbd_conditional(&m, 2, 30.43, 38.86, 39, &v), CV_BTYD_OK);
	CHECK_DBL(v, 1.225910427, 1e-8);
	CHECK_INT(cv_bgnbd_conditional(&m, 0, 0, 38.86, 39, &v), CV_BTYD_OK);
	CHECK_DBL(v, 0.194780865, 1e-8);
	CHECK_INT(cv_bgnbd_conditional(&m, 30, 38, 39, 52, &v), CV_BTYD_OK);
	CHECK_DBL(v, 24.987740806, 1e-7);
	CHECK_INT(cv_bgnbd_p_alive(&m, 2, 30.43, 38.86, &v), CV_BTYD_OK);
	CHECK_DBL(v, 0.726609145, 1e-8);
	CHECK_INT(cv_bgnbd_p_alive(&m, 5, 10, 38.86, &v), CV_BTYD_OK);
	CHECK_DBL(v, 0.024814984, 1e-8);
	CHECK_INT(cv_bgnbd_p_alive(&m, 0, 0, 38.86, &v), CV_BTYD_OK);
	CHECK_DBL(v, 1, 0);
	/* huge x: no overflow; a customer who bought 5000 times and just now */
	CHECK_INT(cv_bgnbd_conditional(&m, 5000, 38, 38, 10, &v), CV_BTYD_OK);
	CHECK(isfinite(v) && v > 0);
	CHECK_INT(cv_bgnbd_p_alive(&m, 5000, 1, 38, &v), CV_BTYD_OK);
	CHECK_DBL(v, 0, 1e-300);
	/* a = 1 is no singularity: continuous between 1 - e and 1 + e */
	m.a = 1 - 1e-7;
	CHECK_INT(cv_bgnbd_conditional(&m, 2, 30, 38, 52, &lo), CV_BTYD_OK);
	m.a = 1 + 1e-7;
	CHECK_INT(cv_bgnbd_conditional(&m, 2, 30, 38, 52, &hi), CV_BTYD_OK);
	m.a = 1;
	CHECK_INT(cv_bgnbd_conditional(&m, 2, 30, 38, 52, &v), CV_BTYD_OK);
	CHECK_DBL(v, (lo + hi) / 2, 1e-6);
	/* a long horizon converges, a hopeless one is an error */
	m = cdnow;
	CHECK_INT(cv_bgnbd_conditional(&m, 2, 30.43, 38.86, 1e5, &v), CV_BTYD_OK);
	CHECK(isfinite(v) && v > 1.2);
	CHECK_INT(cv_bgnbd_expected(&m, 1e300, &v), CV_BTYD_SERIES);
	/* invalid models and histories */
	m.b = -1;
	CHECK_INT(cv_bgnbd_expected(&m, 1, &v), CV_BTYD_BAD_MODEL);
	m.b = NAN;
	CHECK_INT(cv_bgnbd_expected(&m, 1, &v), CV_BTYD_BAD_MODEL);
	m = cdnow;
	CHECK_INT(cv_bgnbd_expected(&m, -1, &v), CV_BTYD_BAD_ARGUMENT);
	CHECK_INT(cv_bgnbd_p_alive(&m, 1.5, 1, 2, &v), CV_BTYD_BAD_ARGUMENT);
	CHECK_INT(cv_bgnbd_p_alive(&m, 1, 3, 2, &v), CV_BTYD_BAD_ARGUMENT);
	CHECK_INT(cv_bgnbd_p_alive(&m, 0, 1, 2, &v), CV_BTYD_BAD_ARGUMENT);
	CHECK_INT(cv_bgnbd_p_alive(&m, -1, 0, 2, &v), CV_BTYD_BAD_ARGUMENT);
	CHECK_INT(cv_bgnbd_p_alive(&m, 1, 0, INFINITY, &v), CV_BTYD_BAD_ARGUMENT);
}

static void
discounted_purchases(void)
{
	double		v = 0,
				s = 0;
	cv_bgnbd	m = cdnow;

	/* no discount: the sum telescopes to E[Y(n)] */
	CHECK_INT(cv_bgnbd_discounted(&m, 2, 30.43, 38.86, 39, 0, &v), CV_BTYD_OK);
	CHECK_DBL(v, 1.225910427, 1e-8);
	CHECK_INT(cv_bgnbd_discounted(&m, 2, 30.43, 38.86, 0, 0.1, &v), CV_BTYD_OK);
	CHECK_DBL(v, 0, 0);
	/* with the spend: check_btyd.py's 30.404451742 */
	CHECK_INT(cv_bgnbd_discounted(&m, 2, 30.43, 38.86, 52, 0.01, &v), CV_BTYD_OK);
	CHECK_INT(cv_gg_expected_spend(&cdnow_gg, 2, 22.35, &s), CV_BTYD_OK);
	CHECK_DBL(s, 24.658616248, 1e-8);
	CHECK_DBL(v * s, 30.404451742, 1e-7);
	CHECK_INT(cv_bgnbd_discounted(&m, 2, 30.43, 38.86, 5, -1, &v), CV_BTYD_BAD_ARGUMENT);
	CHECK_INT(cv_bgnbd_discounted(&m, 2, 30.43, 38.86, -1, 0, &v), CV_BTYD_BAD_ARGUMENT);
}

static void
gamma_gamma_spend(void)
{
	cv_gg		g = cdnow_gg;
	double		v = 0;

	/* a new customer: the population mean p v / (q - 1) */
	CHECK_INT(cv_gg_expected_spend(&g, 0, 0, &v), CV_BTYD_OK);
	CHECK_DBL(v, 35.171001486, 1e-8);
	/* by hand: p = 2, q = 3, v = 10, x = 4, m = 5: 2 (10 + 20) / (8 + 2) = 6 */
	g.p = 2;
	g.q = 3;
	g.v = 10;
	CHECK_INT(cv_gg_expected_spend(&g, 4, 5, &v), CV_BTYD_OK);
	CHECK_DBL(v, 6, 1e-12);
	/* q <= 1: infinite population mean, but a repeat customer's is finite */
	g.q = 0.5;
	CHECK_INT(cv_gg_expected_spend(&g, 0, 0, &v), CV_BTYD_UNDEFINED);
	CHECK_INT(cv_gg_expected_spend(&g, 1, 5, &v), CV_BTYD_OK);
	CHECK_DBL(v, 2.0 * 15 / 1.5, 1e-12);
	CHECK_INT(cv_gg_expected_spend(&g, 1, 0, &v), CV_BTYD_BAD_ARGUMENT);
	g.p = 0;
	CHECK_INT(cv_gg_expected_spend(&g, 1, 5, &v), CV_BTYD_BAD_MODEL);
}

/* psi(1) = -Euler's gamma, psi(1/2) = -gamma - 2 ln 2, psi(x+1) = psi(x) + 1/x */
static void
digamma_values(void)
{
	CHECK_DBL(cv_digamma(1), -0.57721566490153286, 1e-11);
	CHECK_DBL(cv_digamma(0.5), -1.9635100260214235, 1e-11);
	CHECK_DBL(cv_digamma(1e-6), -1e6 - 0.57721566490153286, 1e-4);
	CHECK_DBL(cv_digamma(7.25) - cv_digamma(6.25), 1 / 6.25, 1e-11);
	CHECK_DBL(cv_digamma(1e9), log(1e9) - 0.5e-9, 1e-12);
}

/* the closed-form gradient the fit's BFGS search follows, against central differences */
static void
bgnbd_gradient(void)
{
	cv_points	bag;
	cv_bgnbd	m = cdnow;
	double		g[4],
				ll;
	double	   *theta[4] = {&m.r, &m.alpha, &m.a, &m.b};
	int			k;

	cv_points_init(&bag);
	CHECK_INT(cv_points_add(&bag, 0, 0, 38.86, 1411), 0);
	CHECK_INT(cv_points_add(&bag, 2, 30.43, 38.86, 3), 0);
	CHECK_INT(cv_points_add(&bag, 1, 1.71, 38.86, 7), 0);
	CHECK_INT(cv_points_add(&bag, 7, 5.57, 34.29, 1), 0);
	CHECK_INT(cv_points_add(&bag, 29, 37.71, 38, 2), 0);
	CHECK_INT(cv_points_add(&bag, 1, 20, 30, 5), 0);
	ll = cv_bgnbd_loglik_grad(&m, &bag, g);
	CHECK_DBL(ll, cv_bgnbd_loglik(&m, &bag), 1e-9);
	for (k = 0; k < 4; k++)
	{
		double		saved = *theta[k],
					h = 1e-5,
					up,
					down;

		*theta[k] = saved * exp(h);
		up = cv_bgnbd_loglik(&m, &bag);
		*theta[k] = saved * exp(-h);
		down = cv_bgnbd_loglik(&m, &bag);
		*theta[k] = saved;
		CHECK_DBL(g[k], (up - down) / (2 * h), 1e-5 * (1 + fabs(g[k])));
	}
	cv_points_free(&bag);
}

static void
gg_gradient(void)
{
	cv_points	bag;
	cv_gg		g = cdnow_gg;
	double		grad[3],
				ll;
	double	   *theta[3] = {&g.p, &g.q, &g.v};
	int			k;

	cv_points_init(&bag);
	CHECK_INT(cv_points_add(&bag, 2, 22.35, 0, 3), 0);
	CHECK_INT(cv_points_add(&bag, 1, 11.77, 0, 9), 0);
	CHECK_INT(cv_points_add(&bag, 7, 27.82, 0, 1), 0);
	CHECK_INT(cv_points_add(&bag, 29, 26.1, 0, 2), 0);
	cv_points_sort(&bag);
	ll = cv_gg_loglik_grad(&g, &bag, grad);
	CHECK_DBL(ll, cv_gg_loglik(&g, &bag), 1e-9);
	for (k = 0; k < 3; k++)
	{
		double		saved = *theta[k],
					h = 1e-5,
					up,
					down;

		*theta[k] = saved * exp(h);
		up = cv_gg_loglik(&g, &bag);
		*theta[k] = saved * exp(-h);
		down = cv_gg_loglik(&g, &bag);
		*theta[k] = saved;
		CHECK_DBL(grad[k], (up - down) / (2 * h), 1e-5 * (1 + fabs(grad[k])));
	}
	cv_points_free(&bag);
}

/* the fits: a known optimum recovered, and data that cannot identify a model refused */
static void
fits(void)
{
	cv_points bag;
	cv_bgnbd	m;
	cv_gg		g;
	const char *why = NULL;

	cv_points_init(&bag);
	CHECK_INT(cv_bgnbd_fit(&bag, &m, &why), CV_BTYD_EMPTY);
	CHECK_INT(cv_points_add(&bag, 0, 0, 30, 100), 0);
	CHECK_INT(cv_bgnbd_fit(&bag, &m, &why), CV_BTYD_NO_REPEAT);
	/* one repeat customer among one-time buyers: a runs off */
	CHECK_INT(cv_points_add(&bag, 3, 20, 30, 1), 0);
	CHECK_INT(cv_bgnbd_fit(&bag, &m, &why), CV_BTYD_UNBOUNDED);
	CHECK(why != NULL);
	cv_points_free(&bag);
	/* Gamma-Gamma: every customer spent the same: the spread q/v runs off */
	CHECK_INT(cv_gg_fit(&bag, &g, &why), CV_BTYD_NO_REPEAT);
	CHECK_INT(cv_points_add(&bag, 2, 10, 0, 50), 0);
	CHECK_INT(cv_points_add(&bag, 4, 10, 0, 50), 0);
	CHECK_INT(cv_gg_fit(&bag, &g, &why), CV_BTYD_UNBOUNDED);
	cv_points_free(&bag);
}

const unit_test btyd_tests[] = {
	{"btyd: point bag is order and split independent, round-trips, refuses damage", points_bag},
	{"btyd: RFM summary of purchase grains", rfm_summary},
	{"btyd: BG/NBD predictions match the textbook formulas", bgnbd_predictions},
	{"btyd: discounted expected purchases", discounted_purchases},
	{"btyd: Gamma-Gamma expected spend", gamma_gamma_spend},
	{"btyd: digamma at known values", digamma_values},
	{"btyd: BG/NBD gradient matches central differences", bgnbd_gradient},
	{"btyd: Gamma-Gamma gradient matches central differences", gg_gradient},
	{"btyd: fits refuse data that cannot identify the model", fits},
	{NULL, NULL}
};
