/*
 * pnbd.c — the Pareto/NBD likelihood, its fit, and its predictions.
 *
 * Per customer (Fader & Hardie 2005, with m = r + x):
 *   L = G(r+x)/G(r) alpha^r beta^s [(alpha+T)^-m (beta+T)^-s + s J],
 *   J = int_{t_x}^{T} (alpha+tau)^-m (beta+tau)^-(s+1) dtau
 * (alive at T, or died at some tau after the last purchase).  The classic
 * closed form writes s J as the difference of two 2F1(r+s+x, ...; z) terms,
 * z = |alpha-beta|/(max(alpha,beta) + t_x or T): the difference cancels
 * when t_x is near T and the series crawls when z is near 1.  Here, with
 * Bg the larger of alpha and beta and p its partner's exponent (s+1 when
 * alpha >= beta, m otherwise), expanding the smaller factor around the
 * larger gives the difference term by term, every term positive:
 *   J = (Bg+t_x)^-A sum_k (p)_k/k! W^k (1 - e^-(A+k) Lam)/(A+k),
 *   A = r+x+s, W = |alpha-beta|/(Bg+t_x), Lam = ln((Bg+T)/(Bg+t_x)),
 * a series with ratio at most about W < 1, its tail bounded geometrically.
 * Where W is so near 1 that it would take over 2000 terms, J comes from
 * double-exponential quadrature on [t_x, T] instead (the integrand is
 * smooth and positive there).  The gradient comes from the same terms (or
 * the same quadrature points).
 */
#include <math.h>
#include <string.h>

#include "mem.h"
#include "optim.h"
#include "pnbd.h"
#include "quad.h"
#include "special.h"

#define SERIES_MAX_TERMS 2000

/* 1/k for the series' terms: a multiplication where there were divisions */
static double inv_int[2 * SERIES_MAX_TERMS + 3];

static void
fill_inv_int(void)
{
	int			k;

	if (inv_int[1] == 1)
		return;
	for (k = 1; k < 2 * SERIES_MAX_TERMS + 3; k++)
		inv_int[k] = 1.0 / k;
}

cv_btyd_status
cv_pnbd_check(const cv_pnbd *m)
{
	if (!(m->r > 0 && m->alpha > 0 && m->s > 0 && m->beta > 0) ||
		!isfinite(m->r) || !isfinite(m->alpha) || !isfinite(m->s) || !isfinite(m->beta))
		return CV_BTYD_BAD_MODEL;
	return CV_BTYD_OK;
}

/* ln J and its partial derivatives with respect to (r, alpha, s, beta) */
typedef struct jval
{
	double		ln;
	double		d[4];
} jval;

typedef struct jquad
{
	double		m,
				n,
				alpha,
				beta;
} jquad;

static double
j_integrand(double tau, double *extra, void *arg)
{
	const jquad *q = arg;
	double		la = log(q->alpha + tau),
				lb = log(q->beta + tau);

	if (extra != NULL)
	{
		extra[0] = la;
		extra[1] = 1 / (q->alpha + tau);
		extra[2] = lb;
		extra[3] = 1 / (q->beta + tau);
	}
	return -q->m * la - q->n * lb;
}

/*
 * The quadrature, to 1e-8 between successive halvings: the rule converges
 * so fast (the error squares with each halving) that the finer sum is then
 * good to far below that.  The gradient (want_grad) comes along on the
 * same points.
 */
static int
j_quadrature(double m, double n, double alpha, double beta, double tx, double T, int want_grad,
			 jval *out)
{
	jquad		q = {m, n, alpha, beta};
	cv_quad_result res;
	double		top = j_integrand(tx, NULL, &q),
				hi = T;

	/*
	 * The integrand decreases, ever more slowly (its log is convex): where it
	 * has fallen by e^-60 the rest weighs less than e^-60 (T - t_x) times its
	 * start, below 1e-16 of the whole even for the steepest starts (huge
	 * x), so the interval ends there; the steep start then fills a fair
	 * part of it instead of a sliver at its edge.
	 */
	if (j_integrand(T, NULL, &q) < top - 60)
	{
		double		lo = tx;
		int			i;

		for (i = 0; i < 80; i++)
		{
			double		mid = lo + (hi - lo) / 2;

			if (j_integrand(mid, NULL, &q) < top - 60)
				hi = mid;
			else
				lo = mid;
		}
	}
	if (cv_quad_interval(j_integrand, &q, want_grad ? 4 : 0, tx, hi, top, 1e-8, &res) != 0)
		return -1;
	out->ln = res.log_value;
	out->d[0] = -res.extra[0];
	out->d[1] = -m * res.extra[1];
	out->d[2] = -res.extra[2];
	out->d[3] = -n * res.extra[3];
	return 0;
}

/*
 * The series, generically: J = (Bg+t_x)^-A sum_k P_k W^k E_k with
 * P_k = (p)_k/k!, E_k = (1 - e^-(A+k) Lam)/(A+k).  Partials of ln J with
 * respect to A, p, Bg and Sm (the smaller of alpha and beta) into d[0..3]
 * (want_grad).  -1 when it would take too many terms.
 */
static int
j_series(double A, double p, double Bg, double Sm, double tx, double T, int want_grad,
		 double *ln, double d[4])
{
	double		at = Bg + tx,
				inv_at = 1 / at,
				W = (Bg - Sm) / at,
				Lam = log1p((T - tx) / at),
				dW = (Sm + tx) / (at * at),
				dLam = 1 / (Bg + T) - 1 / at,
				P = 1,
				Wk = 1,
				Wk1 = 0,
				psi = 0,
				sum = 0,
				sA = 0,
				sp = 0,
				sBg = 0,
				sSm = 0,
				step,
				e;
	long		k;

	if ((p * W + 40) / (1 - W) > SERIES_MAX_TERMS)
		return -1;
	fill_inv_int();
	/* e^-(A+k) Lam by recurrence: one exp for the series, not one per term */
	step = exp(-Lam);
	e = exp(-A * Lam);
	for (k = 0;; k++)
	{
		double		y,
					inv_y,
					yl,
					E,
					term,
					ratio;

		/* the table reaches k + 2; beyond it the series is not converging (W >= 1 in a crafted state) */
		if (k >= 2 * SERIES_MAX_TERMS)
			return -1;
		y = A + k;
		inv_y = 1 / y;
		yl = y * Lam;
		/* 1 - e directly once e is well below 1, expm1 before */
		E = (yl < 0.5 ? -expm1(-yl) : 1 - e) * inv_y;
		term = P * Wk * E;
		sum += term;
		if (want_grad)
		{
			sA += P * Wk * (Lam * e - E) * inv_y;
			sp += P * psi * Wk * E;
			sBg += P * (k * Wk1 * dW * E + Wk * e * dLam);
			sSm -= P * k * Wk1 * E * inv_at;
			psi += 1 / (p + k);
		}
		P *= (p + k) * inv_int[k + 1];
		Wk1 = Wk;
		Wk *= W;
		e *= step;
		if (W == 0)
		{
			if (k >= 1)
				break;
			continue;
		}
		ratio = (p + k + 1) * inv_int[k + 2];
		ratio = ratio > 1 ? W * ratio : W;
		if (ratio < 1 && k >= 2 && term * ratio / (1 - ratio) <= 1e-17 * sum)
			break;
	}
	*ln = -A * log(at) + log(sum);
	d[0] = -log(at) + sA / sum;
	d[1] = sp / sum;
	d[2] = -A / at + sBg / sum;
	d[3] = sSm / sum;
	return 0;
}

/* ln J (and its partials) for the model and customer; -1 if neither method converges */
static int
lnJ(double r, double alpha, double s, double beta, double x, double tx, double T, int want_grad,
	jval *out)
{
	double		m = r + x,
				A = r + x + s,
				g[4];

	memset(out, 0, sizeof(*out));
	if (T <= tx)
	{
		out->ln = -INFINITY;	/* bought at the end: no time to die unseen */
		return 0;
	}
	if (alpha >= beta)
	{
		if (j_series(A, s + 1, alpha, beta, tx, T, want_grad, &out->ln, g) == 0)
		{
			out->d[0] = g[0];
			out->d[1] = g[2];
			out->d[2] = g[0] + g[1];
			out->d[3] = g[3];
			return 0;
		}
	}
	else if (j_series(A, m, beta, alpha, tx, T, want_grad, &out->ln, g) == 0)
	{
		out->d[0] = g[0] + g[1];
		out->d[1] = g[3];
		out->d[2] = g[0];
		out->d[3] = g[2];
		return 0;
	}
	return j_quadrature(m, s + 1, alpha, beta, tx, T, want_grad, out);
}

/* ln of the odds of having died unseen: s J (alpha+T)^m (beta+T)^s */
static double
log_dead_odds(double r, double s, double x, const jval *j, double lA, double lB)
{
	return log(s) + j->ln + (r + x) * lA + s * lB;
}

/*
 * sum += v with Neumaier's compensation: a million customers' terms add up
 * to the log-likelihood without the rounding noise (1e-7 absolute, plain)
 * that stalls the search's line search near the maximum, where the
 * likelihood is flat in beta
 */
static inline void
kahan_add(double *sum, double *comp, double v)
{
	double		t = *sum + v;

	if (fabs(*sum) >= fabs(v))
		*comp += (*sum - t) + v;
	else
		*comp += (v - t) + *sum;
	*sum = t;
}

/* the log-likelihood and (grad not NULL) its gradient in (ln r, ln alpha, ln s, ln beta) */
static double
loglik(const cv_pnbd *m, const cv_points *data, double *grad)
{
	double		r = m->r,
				alpha = m->alpha,
				s = m->s,
				beta = m->beta,
				base = -lgamma(r) + r * log(alpha) + s * log(beta),
				psi_r = grad != NULL ? cv_digamma(r) : 0,
				sum = 0,
				comp = 0,
				xprev = -1,
				head = 0,
				hr = 0,
				g[4] = {0, 0, 0, 0},
				gc[4] = {0, 0, 0, 0};
	size_t		i;

	for (i = 0; i < data->len; i++)
	{
		const cv_point *pt = &data->p[i];
		double		x = pt->v[0],
					tx = pt->v[1],
					T = pt->v[2],
					n = (double) pt->n,
					mm = r + x,
					lA = log(alpha + T),
					lB = log(beta + T),
					lodds,
					dead;
		jval		j;

		if ((i & 1023) == 1023)
			cv_yield();
		if (x != xprev)
		{
			head = base + lgamma(r + x);
			if (grad != NULL)
				hr = cv_digamma(r + x) - psi_r + log(alpha);
			xprev = x;
		}
		if (lnJ(r, alpha, s, beta, x, tx, T, grad != NULL, &j) != 0)
			return NAN;
		lodds = log_dead_odds(r, s, x, &j, lA, lB);
		kahan_add(&sum, &comp, n * (head - mm * lA - s * lB + cv_softplus(lodds)));
		if (grad != NULL)
		{
			dead = lodds > -745 ? 1 / (1 + exp(-lodds)) : 0;
			kahan_add(&g[0], &gc[0], n * (hr - lA + dead * (j.d[0] + lA)));
			kahan_add(&g[1], &gc[1], n * (r / alpha - mm / (alpha + T) + dead * (j.d[1] + mm / (alpha + T))));
			kahan_add(&g[2], &gc[2], n * (log(beta) - lB + dead * (1 / s + j.d[2] + lB)));
			kahan_add(&g[3], &gc[3], n * (s / beta - s / (beta + T) + dead * (j.d[3] + s / (beta + T))));
		}
	}
	if (grad != NULL)
	{
		grad[0] = r * (g[0] + gc[0]);
		grad[1] = alpha * (g[1] + gc[1]);
		grad[2] = s * (g[2] + gc[2]);
		grad[3] = beta * (g[3] + gc[3]);
	}
	return sum + comp;
}

double
cv_pnbd_loglik(const cv_pnbd *m, const cv_points *data)
{
	return loglik(m, data, NULL);
}

double
cv_pnbd_loglik_grad(const cv_pnbd *m, const cv_points *data, double grad[4])
{
	return loglik(m, data, grad);
}

/* the search's view: as BG/NBD's, with alpha and beta both in time units */
typedef struct pnbd_search
{
	const cv_points *data;
	double		scale;
	double		pen,
				pen_unit;
} pnbd_search;

static void
from_log(const double *logp, const pnbd_search *s, cv_pnbd *m)
{
	m->r = exp(logp[0]);
	m->alpha = exp(logp[1]) * s->scale;
	m->s = exp(logp[2]);
	m->beta = exp(logp[3]) * s->scale;
}

static double
penalty(const pnbd_search *s, const cv_pnbd *m, double *grad)
{
	double		al = m->alpha / s->pen_unit,
				be = m->beta / s->pen_unit;

	if (s->pen == 0)
		return 0;
	if (grad != NULL)
	{
		grad[0] -= 2 * s->pen * m->r * m->r;
		grad[1] -= 2 * s->pen * al * al;
		grad[2] -= 2 * s->pen * m->s * m->s;
		grad[3] -= 2 * s->pen * be * be;
	}
	return s->pen * (m->r * m->r + al * al + m->s * m->s + be * be);
}

static double
pnbd_at(const double *logp, void *arg)
{
	pnbd_search *s = arg;
	cv_pnbd		m;

	from_log(logp, s, &m);
	return loglik(&m, s->data, NULL) - penalty(s, &m, NULL);
}

static double
pnbd_grad_at(const double *logp, double *grad, void *arg)
{
	pnbd_search *s = arg;
	cv_pnbd		m;
	double		ll;

	from_log(logp, s, &m);
	ll = loglik(&m, s->data, grad);
	return ll - penalty(s, &m, grad);
}

cv_btyd_status
cv_pnbd_fit(cv_points *data, double penalizer, cv_pnbd *out, cv_fit_info *info,
			const char **runaway)
{
	static const char *const names[] = {"r", "alpha", "s", "beta"};
	double		start[4] = {0, 0, 0, 0},
				mean_t = 0,
				max_t = 0;
	pnbd_search search;
	cv_optim_result res;
	cv_optim_status st;
	cv_btyd_status bst;
	cv_fit_info dummy;
	size_t		i;
	int			repeat = 0;

	*runaway = NULL;
	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	cv_points_sort(data);
	if (data->total == 0)
		return CV_BTYD_EMPTY;
	for (i = 0; i < data->len; i++)
	{
		repeat |= data->p[i].v[0] > 0;
		mean_t += data->p[i].v[2] * ((double) data->p[i].n / (double) data->total);
		max_t = fmax(max_t, data->p[i].v[2]);
	}
	if (!repeat)
		return CV_BTYD_NO_REPEAT;
	search.data = data;
	search.scale = mean_t > 0 ? mean_t : 1;
	search.pen = penalizer * (double) data->total;
	search.pen_unit = max_t > 0 ? max_t : 1;
	st = cv_optim_maximise_grad(pnbd_grad_at, pnbd_at, &search, 4, start, &res);
	from_log(res.logp, &search, out);
	out->customers = data->total;
	out->loglik = search.pen > 0 ? loglik(out, data, NULL) : res.loglik;
	bst = cv_btyd_fit_status(st, &res, names, runaway);
	info->method = penalizer > 0 ? CV_FIT_PENALISED : CV_FIT_MLE;
	info->evaluations = res.evaluations;
	if (bst == CV_BTYD_OK)
	{
		double		cov[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM],
					theta[4] = {out->r, out->alpha, out->s, out->beta};
		int			k;

		info->objective = res.loglik;
		info->nparams = 4;
		cv_optim_covariance(pnbd_grad_at, &search, 4, res.logp, cov);
		for (k = 0; k < 4; k++)
		{
			info->names[k] = names[k];
			info->estimate[k] = theta[k];
			info->se[k] = theta[k] * sqrt(cov[k][k]);
		}
	}
	return bst;
}

static cv_btyd_status
check_history(const cv_pnbd *m, double x, double t_x, double T)
{
	if (cv_pnbd_check(m) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	return cv_bgnbd_row_error(x, t_x, T) == NULL ? CV_BTYD_OK : CV_BTYD_BAD_ARGUMENT;
}

/* (1 - e^(-e L))/e, L at e = 0: the integral of the survival (beta/(beta+u))^(e+1) in time */
static double
decay_integral(double e, double L)
{
	return e == 0 ? L : -expm1(-e * L) / e;
}

cv_btyd_status
cv_pnbd_expected(const cv_pnbd *m, double t, double *out)
{
	if (cv_pnbd_check(m) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	if (!(t >= 0) || !isfinite(t))
		return CV_BTYD_BAD_ARGUMENT;
	/* r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] */
	*out = m->r / m->alpha * m->beta * decay_integral(m->s - 1, log1p(t / m->beta));
	return isfinite(*out) ? CV_BTYD_OK : CV_BTYD_SERIES;
}

static cv_btyd_status
p_alive(const cv_pnbd *m, double x, double t_x, double T, double *out)
{
	jval		j;

	if (lnJ(m->r, m->alpha, m->s, m->beta, x, t_x, T, 0, &j) != 0)
		return CV_BTYD_SERIES;
	*out = exp(-cv_softplus(log_dead_odds(m->r, m->s, x, &j, log(m->alpha + T),
										  log(m->beta + T))));
	return CV_BTYD_OK;
}

cv_btyd_status
cv_pnbd_p_alive(const cv_pnbd *m, double x, double t_x, double T, double *out)
{
	cv_btyd_status st = check_history(m, x, t_x, T);

	if (st != CV_BTYD_OK)
		return st;
	return p_alive(m, x, t_x, T, out);
}

/*
 * E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)(s-1))
 *   [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive | x, t_x, T)
 */
static cv_btyd_status
conditional(const cv_pnbd *m, double x, double t_x, double T, double t, double *out)
{
	double		alive;
	cv_btyd_status st = p_alive(m, x, t_x, T, &alive);

	if (st != CV_BTYD_OK)
		return st;
	*out = (m->r + x) / (m->alpha + T) * (m->beta + T) *
		decay_integral(m->s - 1, log1p(t / (m->beta + T))) * alive;
	return isfinite(*out) ? CV_BTYD_OK : CV_BTYD_SERIES;
}

cv_btyd_status
cv_pnbd_conditional(const cv_pnbd *m, double x, double t_x, double T, double t, double *out)
{
	cv_btyd_status st = check_history(m, x, t_x, T);

	if (st != CV_BTYD_OK)
		return st;
	if (!(t >= 0) || !isfinite(t))
		return CV_BTYD_BAD_ARGUMENT;
	return conditional(m, x, t_x, T, t, out);
}

cv_btyd_status
cv_pnbd_discounted(const cv_pnbd *m, double x, double t_x, double T, int periods,
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

/*
 * P(X(t) = n): the lifetime tau ~ Pareto II (s, beta), and given it the
 * purchases up to min(tau, t) are NBD(r, alpha):
 *   (beta/(beta+t))^s NB_n(t) + int_0^t s beta^s (beta+tau)^-(s+1) NB_n(tau) dtau,
 *   NB_n(u) = G(r+n)/(G(r) n!) (alpha/(alpha+u))^r (u/(alpha+u))^n.
 */
typedef struct pmf_arg
{
	const cv_pnbd *m;
	double		n,
				lnb;			/* ln of G(r+n)/(G(r) n!) */
} pmf_arg;

static double
log_nb(const pmf_arg *a, double u)
{
	double		la = log(a->m->alpha + u);

	if (u == 0)
		return a->n == 0 ? 0 : -INFINITY;
	return a->lnb + a->m->r * (log(a->m->alpha) - la) + a->n * (log(u) - la);
}

static double
pmf_integrand(double tau, double *extra, void *arg)
{
	const pmf_arg *a = arg;

	(void) extra;
	return log(a->m->s) + a->m->s * log(a->m->beta) - (a->m->s + 1) * log(a->m->beta + tau) +
		log_nb(a, tau);
}

cv_btyd_status
cv_pnbd_pmf(const cv_pnbd *m, double t, double n, double *out)
{
	pmf_arg		a;
	cv_quad_result res;
	double		alive;

	if (cv_pnbd_check(m) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	if (!(t >= 0) || !isfinite(t) || !(n >= 0) || n != floor(n) || n > 1e9)
		return CV_BTYD_BAD_ARGUMENT;
	a.m = m;
	a.n = n;
	a.lnb = lgamma(m->r + n) - lgamma(m->r) - lgamma(n + 1);
	alive = exp(-m->s * log1p(t / m->beta) + log_nb(&a, t));
	if (t == 0)
	{
		*out = alive;
		return CV_BTYD_OK;
	}
	if (cv_quad_interval(pmf_integrand, &a, 0, 0, t, log(m->s / m->beta), 1e-10, &res) != 0)
		return CV_BTYD_SERIES;
	*out = alive + exp(res.log_value);
	return isfinite(*out) ? CV_BTYD_OK : CV_BTYD_SERIES;
}
