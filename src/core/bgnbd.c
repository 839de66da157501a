/*
 * bgnbd.c — the BG/NBD likelihood, its fit, and its predictions.
 */
#include <math.h>
#include <stdlib.h>

#include "bgnbd.h"
#include "mem.h"
#include "sort.h"
#include "optim.h"
#include "special.h"

/* what an optimiser's outcome means for a model fit (shared with Gamma-Gamma) */
cv_btyd_status
cv_btyd_fit_status(cv_optim_status st, const cv_optim_result *res,
				   const char *const *names, const char **runaway)
{
	switch (st)
	{
		case CV_OPTIM_OK:
			return CV_BTYD_OK;
		case CV_OPTIM_UNBOUNDED:
			*runaway = names[res->runaway - 1];
			return CV_BTYD_UNBOUNDED;
		case CV_OPTIM_NO_START:
		case CV_OPTIM_NO_CONVERGENCE:
			break;
	}
	return CV_BTYD_NO_CONVERGENCE;
}

const char *
cv_bgnbd_row_error(double x, double t_x, double T)
{
	if (!isfinite(x) || !isfinite(t_x) || !isfinite(T))
		return "frequency, recency and T must be finite numbers";
	if (x < 0 || x != floor(x))
		return "frequency must be a whole number of repeat purchases, 0 or more";
	if (x > 1e9)
		return "frequency must be at most 1e9";
	if (t_x < 0 || T < t_x)
		return "recency must be between 0 and T";
	if (x == 0 && t_x != 0)
		return "recency must be 0 when frequency is 0";
	return NULL;
}

/* log(e^u + e^v) without overflow */
static double
log_add_exp(double u, double v)
{
	double		hi = fmax(u, v);

	return hi + log1p(exp(fmin(u, v) - hi));
}

/* log(1 + e^l) */
static double
softplus(double l)
{
	return l > 35 ? l : log1p(exp(l));
}

cv_btyd_status
cv_bgnbd_check(const cv_bgnbd *m)
{
	if (!(m->r > 0 && m->alpha > 0 && m->a > 0 && m->b > 0) ||
		!isfinite(m->r) || !isfinite(m->alpha) || !isfinite(m->a) || !isfinite(m->b))
		return CV_BTYD_BAD_MODEL;
	return CV_BTYD_OK;
}

/*
 * The times, prepared for many likelihood evaluations: recency and T take
 * few distinct values (whole days or weeks), so ln(alpha + t) is computed
 * once per distinct value and evaluation, not once per point.
 */
typedef struct times
{
	double	   *u;				/* distinct values, ascending */
	double	   *lg;				/* ln(alpha + u[j]) at the current alpha */
	double	   *inv;			/* 1 / (alpha + u[j]) */
	size_t		n;
	uint32_t   *at;				/* per point: index into u */
} times;

typedef struct prepared
{
	const cv_points *data;
	times		tx,
				T;
} prepared;

static int
cmp_double(const void *pa, const void *pb)
{
	double		a = *(const double *) pa,
				b = *(const double *) pb;

	return a < b ? -1 : a > b;
}

static void
times_prepare(times *t, const cv_points *data, int k)
{
	size_t		i,
				n = 0,
				len = data->len;

	t->u = cv_mem.alloc((len > 0 ? len : 1) * sizeof(double));
	for (i = 0; i < len; i++)
		t->u[i] = data->p[i].v[k];
	cv_sort(t->u, len, sizeof(double), cmp_double);
	for (i = 0; i < len; i++)
		if (n == 0 || t->u[i] != t->u[n - 1])
			t->u[n++] = t->u[i];
	t->n = n;
	t->lg = cv_mem.alloc((n > 0 ? n : 1) * sizeof(double));
	t->inv = cv_mem.alloc((n > 0 ? n : 1) * sizeof(double));
	t->at = cv_mem.alloc((len > 0 ? len : 1) * sizeof(uint32_t));
	for (i = 0; i < len; i++)
	{
		const double *hit = bsearch(&data->p[i].v[k], t->u, n, sizeof(double), cmp_double);

		t->at[i] = (uint32_t) (hit - t->u);
	}
}

static void
times_free(times *t)
{
	cv_mem.free(t->u);
	cv_mem.free(t->lg);
	cv_mem.free(t->inv);
	cv_mem.free(t->at);
}

/*
 * Per customer (FHL 2005), with the terms that depend on x alone
 * computed once per run of equal x (the points are sorted by x):
 *   ln L = lnG(r+x) - lnG(r) + r ln alpha
 *        + lnG(a+b) + lnG(b+x) - lnG(b) - lnG(a+b+x)
 *        + ln[ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ]
 * With prep, ln(alpha + t) comes from its tables.
 */
static double
loglik(const cv_bgnbd *m, const cv_points *data, prepared *prep)
{
	double		r = m->r,
				alpha = m->alpha,
				a = m->a,
				b = m->b;
	double		base = -lgamma(r) + r * log(alpha) + lgamma(a + b) - lgamma(b);
	double		sum = 0,
				xprev = -1,
				head = 0,
				la = 0;
	size_t		i;

	if (prep != NULL)
	{
		for (i = 0; i < prep->T.n; i++)
			prep->T.lg[i] = log(alpha + prep->T.u[i]);
		for (i = 0; i < prep->tx.n; i++)
			prep->tx.lg[i] = log(alpha + prep->tx.u[i]);
	}
	for (i = 0; i < data->len; i++)
	{
		const cv_point *p = &data->p[i];
		double		x = p->v[0],
					ll;

		if (x != xprev)
		{
			head = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
			la = x > 0 ? log(a) - log(b + x - 1) : 0;
			xprev = x;
		}
		ll = -(r + x) * (prep != NULL ? prep->T.lg[prep->T.at[i]] : log(alpha + p->v[2]));
		if (x > 0)
			ll = log_add_exp(ll, la - (r + x) * (prep != NULL ? prep->tx.lg[prep->tx.at[i]]
												 : log(alpha + p->v[1])));
		sum += (double) p->n * (head + ll);
	}
	return sum;
}

/*
 * The log-likelihood and its gradient with respect to (ln r, ln alpha,
 * ln a, ln b).  With w the weight of the "dropped out at t_x" term in a
 * customer's likelihood (0 when x = 0):
 *   dLL/dr     = psi(r+x) - psi(r) + ln alpha - (1-w) ln(alpha+T) - w ln(alpha+t_x)
 *   dLL/dalpha = r/alpha - (r+x) ((1-w)/(alpha+T) + w/(alpha+t_x))
 *   dLL/da     = psi(a+b) - psi(a+b+x) + w/a
 *   dLL/db     = psi(a+b) + psi(b+x) - psi(b) - psi(a+b+x) - w/(b+x-1)
 * and d/d ln theta = theta d/d theta.
 */
static double
loglik_grad(const cv_bgnbd *m, prepared *prep, double *grad)
{
	const cv_points *data = prep->data;
	double		r = m->r,
				alpha = m->alpha,
				a = m->a,
				b = m->b;
	double		base = -lgamma(r) + r * log(alpha) + lgamma(a + b) - lgamma(b);
	double		sum = 0,
				xprev = -1,
				head = 0,
				la = 0,
				hr = 0,
				ha = 0,
				hb = 0,
				gr = 0,
				galpha = 0,
				ga = 0,
				gb = 0;
	double		psi_r = cv_digamma(r),
				psi_ab = cv_digamma(a + b),
				psi_b = cv_digamma(b);
	size_t		i;

	for (i = 0; i < prep->T.n; i++)
	{
		prep->T.lg[i] = log(alpha + prep->T.u[i]);
		prep->T.inv[i] = 1 / (alpha + prep->T.u[i]);
	}
	for (i = 0; i < prep->tx.n; i++)
	{
		prep->tx.lg[i] = log(alpha + prep->tx.u[i]);
		prep->tx.inv[i] = 1 / (alpha + prep->tx.u[i]);
	}
	for (i = 0; i < data->len; i++)
	{
		const cv_point *p = &data->p[i];
		double		x = p->v[0],
					n = (double) p->n,
					lT = prep->T.lg[prep->T.at[i]],
					iT = prep->T.inv[prep->T.at[i]],
					ll = -(r + x) * lT,
					w = 0,
					ltx = 0,
					itx = 0;

		if (x != xprev)
		{
			double		psi_abx = cv_digamma(a + b + x);

			head = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
			la = x > 0 ? log(a) - log(b + x - 1) : 0;
			hr = cv_digamma(r + x) - psi_r + log(alpha);
			ha = psi_ab - psi_abx;
			hb = psi_ab + cv_digamma(b + x) - psi_b - psi_abx;
			xprev = x;
		}
		if (x > 0)
		{
			double		dead,
						lse;

			ltx = prep->tx.lg[prep->tx.at[i]];
			itx = prep->tx.inv[prep->tx.at[i]];
			dead = la - (r + x) * ltx;
			lse = log_add_exp(ll, dead);
			w = exp(dead - lse);
			ll = lse;
		}
		sum += n * (head + ll);
		gr += n * (hr - (1 - w) * lT - w * ltx);
		galpha += n * (r / alpha - (r + x) * ((1 - w) * iT + w * itx));
		ga += n * (ha + (x > 0 ? w / a : 0));
		gb += n * (hb - (x > 0 ? w / (b + x - 1) : 0));
	}
	grad[0] = r * gr;
	grad[1] = alpha * galpha;
	grad[2] = a * ga;
	grad[3] = b * gb;
	return sum;
}

double
cv_bgnbd_loglik(const cv_bgnbd *m, const cv_points *data)
{
	return loglik(m, data, NULL);
}

double
cv_bgnbd_loglik_grad(const cv_bgnbd *m, cv_points *data, double grad[4])
{
	prepared	prep;
	double		ll;

	cv_points_sort(data);
	prep.data = data;
	times_prepare(&prep.tx, data, 1);
	times_prepare(&prep.T, data, 2);
	ll = loglik_grad(m, &prep, grad);
	times_free(&prep.tx);
	times_free(&prep.T);
	return ll;
}

/* the search's view: alpha in units of the customers' mean age */
typedef struct bgnbd_search
{
	prepared	prep;
	double		scale;
} bgnbd_search;

static void
from_log(const double *logp, double scale, cv_bgnbd *m)
{
	m->r = exp(logp[0]);
	m->alpha = exp(logp[1]) * scale;
	m->a = exp(logp[2]);
	m->b = exp(logp[3]);
}

static double
bgnbd_at(const double *logp, void *arg)
{
	bgnbd_search *s = arg;
	cv_bgnbd	m;

	from_log(logp, s->scale, &m);
	return loglik(&m, s->prep.data, &s->prep);
}

static double
bgnbd_grad_at(const double *logp, double *grad, void *arg)
{
	bgnbd_search *s = arg;
	cv_bgnbd	m;

	from_log(logp, s->scale, &m);
	return loglik_grad(&m, &s->prep, grad);
}

cv_btyd_status
cv_bgnbd_fit(cv_points *data, cv_bgnbd *out, const char **runaway)
{
	static const char *const names[] = {"r", "alpha", "a", "b"};
	double		start[4] = {0, 0, 0, 0};
	double		mean_t = 0;
	bgnbd_search search;
	cv_optim_result res;
	cv_optim_status st;
	size_t		i;
	int			repeat = 0;

	*runaway = NULL;
	cv_points_sort(data);
	if (data->total == 0)
		return CV_BTYD_EMPTY;
	for (i = 0; i < data->len; i++)
	{
		repeat |= data->p[i].v[0] > 0;
		mean_t += data->p[i].v[2] * ((double) data->p[i].n / (double) data->total);
	}
	if (!repeat)
		return CV_BTYD_NO_REPEAT;
	/* alpha is in time units: search it relative to the customers' mean age */
	search.prep.data = data;
	times_prepare(&search.prep.tx, data, 1);
	times_prepare(&search.prep.T, data, 2);
	search.scale = mean_t > 0 ? mean_t : 1;
	st = cv_optim_maximise_grad(bgnbd_grad_at, bgnbd_at, &search, 4, start, &res);
	times_free(&search.prep.tx);
	times_free(&search.prep.T);
	from_log(res.logp, search.scale, out);
	out->loglik = res.loglik;
	out->customers = data->total;
	return cv_btyd_fit_status(st, &res, names, runaway);
}

/*
 * The numerator of FHL 2005's conditional expectation,
 *   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],
 * z = t/(alpha+T+t), with alpha+T given as `at`.  Euler's transformation
 * 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the bracket into
 *   1 - (1-z)^(a-1) F,  F = 2F1(a+b-1-r, a-1; a+b+x-1; z),
 * whose parameters no longer grow with x (no overflow for big x), and with
 * F = 1 + (a-1) G the division by a-1 becomes exact (no singularity at a = 1):
 *   bracket/(a-1) = -expm1((a-1) L)/(a-1) - (1-z)^(a-1) G,  L = ln(1-z),
 *   G = sum_{k>=1} (A)_k (a)_{k-1} / ((C)_k k!) z^k,  A = a+b-1-r, C = a+b+x-1.
 * With x = 0 and T = 0 it is E[X(t)], a new customer's expectation.
 */
static cv_btyd_status
bracket(const cv_bgnbd *m, double x, double at, double t, double *out)
{
	double		a = m->a,
				B = a - 1,
				A = a + m->b - 1 - m->r,
				C = a + m->b + x - 1;
	double		z = t / (at + t),
				L = -log1p(t / at);
	double		term,
				sum,
				head;
	long		k;

	if (t == 0)
	{
		*out = 0;
		return CV_BTYD_OK;
	}
	term = A * z / C;
	sum = term;
	for (k = 1; term != 0; k++)
	{
		double		ratio = (A + k) * (a + k - 1) / ((C + k) * (k + 1)) * z,
					q = fmax(fabs(ratio), z);

		term *= ratio;
		sum += term;
		/* the remaining terms shrink at least geometrically by q */
		if (q < 1 && fabs(term) * q / (1 - q) <= 1e-17 * fabs(sum))
			break;
		if ((k & 0xfffff) == 0)
			cv_yield();
		if (k > 10000000)
			return CV_BTYD_SERIES;
	}
	head = B == 0 ? -L : -expm1(B * L) / B;
	*out = C * (head - exp(B * L) * sum);
	return isfinite(*out) ? CV_BTYD_OK : CV_BTYD_SERIES;
}

/* log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): the odds of having dropped out */
static double
log_dead_odds(const cv_bgnbd *m, double x, double t_x, double T)
{
	return log(m->a) - log(m->b + x - 1) +
		(m->r + x) * (log(m->alpha + T) - log(m->alpha + t_x));
}

static cv_btyd_status
check_history(const cv_bgnbd *m, double x, double t_x, double T)
{
	if (cv_bgnbd_check(m) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	return cv_bgnbd_row_error(x, t_x, T) == NULL ? CV_BTYD_OK : CV_BTYD_BAD_ARGUMENT;
}

cv_btyd_status
cv_bgnbd_expected(const cv_bgnbd *m, double t, double *out)
{
	if (cv_bgnbd_check(m) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	if (!(t >= 0) || !isfinite(t))
		return CV_BTYD_BAD_ARGUMENT;
	return bracket(m, 0, m->alpha, t, out);
}

cv_btyd_status
cv_bgnbd_p_alive(const cv_bgnbd *m, double x, double t_x, double T, double *out)
{
	cv_btyd_status st = check_history(m, x, t_x, T);

	if (st != CV_BTYD_OK)
		return st;
	*out = x == 0 ? 1 : exp(-softplus(log_dead_odds(m, x, t_x, T)));
	return CV_BTYD_OK;
}

/* E[Y(t) | x, t_x, T]: the bracket over 1 + [x>0] (the odds of having dropped out) */
static cv_btyd_status
conditional(const cv_bgnbd *m, double x, double t_x, double T, double t, double *out)
{
	cv_btyd_status st = bracket(m, x, m->alpha + T, t, out);

	if (st == CV_BTYD_OK && x > 0)
		*out *= exp(-softplus(log_dead_odds(m, x, t_x, T)));
	return st;
}

cv_btyd_status
cv_bgnbd_conditional(const cv_bgnbd *m, double x, double t_x, double T, double t, double *out)
{
	cv_btyd_status st = check_history(m, x, t_x, T);

	if (st != CV_BTYD_OK)
		return st;
	if (!(t >= 0) || !isfinite(t))
		return CV_BTYD_BAD_ARGUMENT;
	return conditional(m, x, t_x, T, t, out);
}

cv_btyd_status
cv_bgnbd_discounted(const cv_bgnbd *m, double x, double t_x, double T, int periods,
					double discount, double *out)
{
	cv_btyd_status st = check_history(m, x, t_x, T);
	double		prev = 0,
				sum = 0,
				factor = 1;
	int			i;

	if (st != CV_BTYD_OK)
		return st;
	if (periods < 0 || !(discount > -1) || !isfinite(discount))
		return CV_BTYD_BAD_ARGUMENT;
	for (i = 1; i <= periods; i++)
	{
		double		e;

		cv_yield();
		if ((st = conditional(m, x, t_x, T, i, &e)) != CV_BTYD_OK)
			return st;
		factor /= 1 + discount;
		sum += (e - prev) * factor;
		prev = e;
	}
	*out = sum;
	return isfinite(sum) ? CV_BTYD_OK : CV_BTYD_SERIES;
}
