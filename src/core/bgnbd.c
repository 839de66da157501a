/*
 * bgnbd.c — the BG/NBD likelihood, its fit, and its predictions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
			ll = cv_log_add_exp(ll, la - (r + x) * (prep != NULL ? prep->tx.lg[prep->tx.at[i]]
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
			lse = cv_log_add_exp(ll, dead);
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

/*
 * The limiting model of a, b -> infinity with a/(a+b) = p fixed (no
 * heterogeneity in dropout), parameterised by o = p/(1-p) (the limit of
 * a/b).  Per customer the Beta terms become
 *   ln B(a, b+x) - ln B(a, b) -> x ln(1-p) = -x ln(1+o),  a/(b+x-1) -> o,
 * so with w as in loglik_grad
 *   dLL/d ln o = -x p + w.
 * grad (may be NULL) with respect to (ln r, ln alpha, ln o).
 */
static double
limit_loglik(double r, double alpha, double o, prepared *prep, double *grad)
{
	const cv_points *data = prep->data;
	double		base = -lgamma(r) + r * log(alpha),
				lo = log(o),
				l1o = log1p(o),
				p = o / (1 + o),
				psi_r = cv_digamma(r),
				sum = 0,
				xprev = -1,
				head = 0,
				hr = 0,
				gr = 0,
				galpha = 0,
				go = 0;
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
		const cv_point *pt = &data->p[i];
		double		x = pt->v[0],
					n = (double) pt->n,
					lT = prep->T.lg[prep->T.at[i]],
					ll = -(r + x) * lT,
					w = 0,
					ltx = 0,
					itx = 0;

		if (x != xprev)
		{
			head = base + lgamma(r + x) - x * l1o;
			if (grad != NULL)
				hr = cv_digamma(r + x) - psi_r + log(alpha);
			xprev = x;
		}
		if (x > 0)
		{
			double		dead,
						lse;

			ltx = prep->tx.lg[prep->tx.at[i]];
			itx = prep->tx.inv[prep->tx.at[i]];
			dead = lo - (r + x) * ltx;
			lse = cv_log_add_exp(ll, dead);
			w = exp(dead - lse);
			ll = lse;
		}
		sum += n * (head + ll);
		if (grad != NULL)
		{
			gr += n * (hr - (1 - w) * lT - w * ltx);
			galpha += n * (r / alpha - (r + x) * ((1 - w) * prep->T.inv[prep->T.at[i]] + w * itx));
			go += n * (w - x * p);
		}
	}
	if (grad != NULL)
	{
		grad[0] = r * gr;
		grad[1] = alpha * galpha;
		grad[2] = go;
	}
	return sum;
}

/*
 * The search's view: alpha in units of the customers' mean age; the
 * objective the log-likelihood less pen (r^2 + (alpha/pen_unit)^2 + a^2 +
 * b^2), as lifetimes' penalizer_coef: pen = customers x penalizer (lifetimes
 * penalises the mean log-likelihood) and alpha in units of the oldest
 * customer's age (lifetimes scales time so that it is 1).  limit: the
 * three parameters (r, alpha, a/b) of the limiting model.
 */
typedef struct bgnbd_search
{
	prepared	prep;
	double		scale;
	double		pen,
				pen_unit;
	int			limit;
} bgnbd_search;

static void
from_log(const double *logp, const bgnbd_search *s, cv_bgnbd *m)
{
	m->r = exp(logp[0]);
	m->alpha = exp(logp[1]) * s->scale;
	if (s->limit)
	{
		double		o = exp(logp[2]);

		/* a/(a+b) = o/(1+o), a + b = CV_BGNBD_LIMIT_AB (exactly, in float8 too) */
		m->a = CV_BGNBD_LIMIT_AB * (o / (1 + o));
		m->b = CV_BGNBD_LIMIT_AB - m->a;
	}
	else
	{
		m->a = exp(logp[2]);
		m->b = exp(logp[3]);
	}
}

/*
 * a + b beyond this in an unpenalised fit: so far out along the ridge
 * towards the limiting model that the two are compared
 */
#define LIMIT_SUSPECT 1e4

static double
penalty(const bgnbd_search *s, const cv_bgnbd *m, double *grad)
{
	double		al = m->alpha / s->pen_unit;

	if (s->pen == 0)
		return 0;
	if (grad != NULL)
	{
		/* d(theta^2)/d ln theta = 2 theta^2 */
		grad[0] -= 2 * s->pen * m->r * m->r;
		grad[1] -= 2 * s->pen * al * al;
		grad[2] -= 2 * s->pen * m->a * m->a;
		grad[3] -= 2 * s->pen * m->b * m->b;
	}
	return s->pen * (m->r * m->r + al * al + m->a * m->a + m->b * m->b);
}

static double
bgnbd_at(const double *logp, void *arg)
{
	bgnbd_search *s = arg;
	cv_bgnbd	m;

	from_log(logp, s, &m);
	if (s->limit)
		return limit_loglik(m.r, m.alpha, exp(logp[2]), &s->prep, NULL);
	return loglik(&m, s->prep.data, &s->prep) - penalty(s, &m, NULL);
}

static double
bgnbd_grad_at(const double *logp, double *grad, void *arg)
{
	bgnbd_search *s = arg;
	cv_bgnbd	m;
	double		ll;

	from_log(logp, s, &m);
	if (s->limit)
		return limit_loglik(m.r, m.alpha, exp(logp[2]), &s->prep, grad);
	ll = loglik_grad(&m, &s->prep, grad);
	return ll - penalty(s, &m, grad);
}

/* the standard errors of the natural parameters from the log-scale covariance */
static void
standard_errors(bgnbd_search *s, int dim, const double *logp, const double *theta,
				cv_fit_info *info)
{
	double		cov[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM];
	int			k;

	cv_optim_covariance(bgnbd_grad_at, s, dim, logp, cov);
	for (k = 0; k < dim; k++)
		/* d theta / d ln theta = theta (the limit's p = o/(1+o): dp/d ln o = p (1-p)) */
		info->se[k] = theta[k] * sqrt(cov[k][k]);
}

cv_btyd_status
cv_bgnbd_fit_ex(cv_points *data, double penalizer, cv_bgnbd *out, cv_fit_info *info,
				const char **runaway)
{
	static const char *const names[] = {"r", "alpha", "a", "b"};
	double		start[4] = {0, 0, 0, 0};
	double		mean_t = 0,
				max_t = 0;
	bgnbd_search search;
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
	/* alpha is in time units: search it relative to the customers' mean age */
	search.prep.data = data;
	times_prepare(&search.prep.tx, data, 1);
	times_prepare(&search.prep.T, data, 2);
	search.scale = mean_t > 0 ? mean_t : 1;
	search.pen = penalizer * (double) data->total;
	search.pen_unit = max_t > 0 ? max_t : 1;
	search.limit = 0;
	st = cv_optim_maximise_grad(bgnbd_grad_at, bgnbd_at, &search, 4, start, &res);
	from_log(res.logp, &search, out);
	bst = cv_btyd_fit_status(st, &res, names, runaway);
	info->method = penalizer > 0 ? CV_FIT_PENALISED : CV_FIT_MLE;
	info->evaluations = res.evaluations;
	if (penalizer == 0 &&
		((bst == CV_BTYD_UNBOUNDED && (res.runaway == 3 || res.runaway == 4)) ||
		 bst == CV_BTYD_NO_CONVERGENCE ||
		 (bst == CV_BTYD_OK && out->a + out->b > LIMIT_SUSPECT)))
	{
		/*
		 * a and b ran off together, or the search crept along the ridge
		 * towards them (no convergence, or a stop far out where the
		 * likelihood is flat): dropout barely varies between customers and
		 * the likelihood rises, or nearly so, towards the limiting model.
		 * Fit that, and report it unless the four-parameter fit is
		 * measurably more likely.
		 */
		cv_optim_result lres;
		cv_optim_status lst;
		double		lstart[3] = {0, 0, res.logp[2] - res.logp[3]};
		double		slack = bst == CV_BTYD_OK ? 1e-6 * (1 + fabs(res.loglik)) : 0;

		search.limit = 1;
		lst = cv_optim_maximise_grad(bgnbd_grad_at, bgnbd_at, &search, 3, lstart, &lres);
		info->evaluations += lres.evaluations;
		if (lst == CV_OPTIM_OK && (bst == CV_BTYD_NO_CONVERGENCE ||
								   lres.loglik >= res.loglik - 1e-9 * fabs(res.loglik) - slack))
		{
			res = lres;
			from_log(res.logp, &search, out);
			bst = CV_BTYD_OK;
			*runaway = NULL;
			info->method = CV_FIT_LIMIT;
		}
		else
			search.limit = 0;
	}
	out->customers = data->total;
	if (bst == CV_BTYD_OK)
	{
		double		theta[4];

		info->objective = res.loglik;
		if (search.limit)
		{
			double		o = exp(res.logp[2]);

			out->loglik = res.loglik;
			info->nparams = 3;
			info->names[0] = "r";
			info->names[1] = "alpha";
			info->names[2] = "p";
			theta[0] = out->r;
			theta[1] = out->alpha;
			theta[2] = o / (1 + o) / (1 + o);	/* dp/d ln o */
			standard_errors(&search, 3, res.logp, theta, info);
			info->estimate[2] = o / (1 + o);
		}
		else
		{
			/* the log-likelihood of the model itself, without the penalty */
			out->loglik = search.pen > 0 ? loglik(out, data, &search.prep) : res.loglik;
			info->nparams = 4;
			theta[0] = out->r;
			theta[1] = out->alpha;
			theta[2] = out->a;
			theta[3] = out->b;
			for (i = 0; i < 4; i++)
				info->names[i] = names[i];
			info->estimate[2] = out->a;
			info->estimate[3] = out->b;
			standard_errors(&search, 4, res.logp, theta, info);
		}
		info->estimate[0] = out->r;
		info->estimate[1] = out->alpha;
	}
	else
		out->loglik = res.loglik;
	times_free(&search.prep.tx);
	times_free(&search.prep.T);
	return bst;
}

cv_btyd_status
cv_bgnbd_fit(cv_points *data, cv_bgnbd *out, const char **runaway)
{
	return cv_bgnbd_fit_ex(data, 0, out, NULL, runaway);
}

/* log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): the odds of having dropped out */
static double
log_dead_odds(const cv_bgnbd *m, double x, double t_x, double T)
{
	/* the limiting model: a/(b+x-1) -> a/b */
	double		lodds = m->a + m->b >= CV_BGNBD_LIMIT ? log(m->a) - log(m->b) :
		log(m->a) - log(m->b + x - 1);

	return lodds + (m->r + x) * (log(m->alpha + T) - log(m->alpha + t_x));
}

/*
 * E[Y(t) | alive, x, T]: given alive after x repeat purchases in T, the
 * purchase rate is Gamma(r+x, alpha+T) and the dropout probability
 * Beta(a, b+x) (in the limiting model still the point a/(a+b)).
 */
static cv_btyd_status
alive_purchases(const cv_bgnbd *m, double x, double T, double t, double *out)
{
	double		b = m->a + m->b >= CV_BGNBD_LIMIT ? m->b : m->b + x;

	return cv_bgnbd_mix(m->r + x, m->alpha + T, m->a, b, t, out, NULL);
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
	return alive_purchases(m, 0, 0, t, out);
}

cv_btyd_status
cv_bgnbd_p_alive(const cv_bgnbd *m, double x, double t_x, double T, double *out)
{
	cv_btyd_status st = check_history(m, x, t_x, T);

	if (st != CV_BTYD_OK)
		return st;
	*out = x == 0 ? 1 : exp(-cv_softplus(log_dead_odds(m, x, t_x, T)));
	return CV_BTYD_OK;
}

/* E[Y(t) | x, t_x, T]: E[Y(t) | alive] x P(alive) */
static cv_btyd_status
conditional(const cv_bgnbd *m, double x, double t_x, double T, double t, double *out)
{
	cv_btyd_status st = alive_purchases(m, x, T, t, out);

	if (st == CV_BTYD_OK && x > 0)
		*out *= exp(-cv_softplus(log_dead_odds(m, x, t_x, T)));
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

/*
 * P(N(t) >= n) for N(t) ~ NBD(r, alpha/(alpha+t)) given P(N = n) = pn: the
 * upper terms summed where they fall geometrically (no cancellation for a
 * small tail), else one less the lower terms.
 */
static double
nbd_tail(double r, double z, double n, double pn, double p0)
{
	double		term = pn,
				sum = 0;
	long		j;

	if ((r + n) / (n + 1) * z < 0.9 && z < 0.9999)
	{
		/* at most about 40 / (1 - z) terms */
		for (j = 0; j < 1000000; j++)
		{
			double		ratio = fmax((r + n + j) / (n + j + 1) * z, z);

			sum += term;
			term *= (r + n + j) / (n + j + 1) * z;
			if ((j & 0xfffff) == 0xfffff)
				cv_yield();
			if (ratio < 1 && term / (1 - ratio) <= 1e-17 * sum)
				return sum + term / (1 - ratio);
		}
	}
	/* the lower terms, P(N = j) for j < n, by the same recursion from P(N = 0) */
	term = p0;
	sum = 0;
	for (j = 0; j < n; j++)
	{
		sum += term;
		term *= (r + j) / (j + 1) * z;
		if ((j & 0xfffff) == 0xfffff)
			cv_yield();
	}
	return fmax(0, 1 - sum);
}

/*
 * P(X(t) = n) (FHL 2005): n purchases and alive, or dropped out right
 * after the n-th of at least n:
 *   E[(1-p)^n] P(N = n) + [n>0] E[p (1-p)^(n-1)] P(N >= n)
 * with the Beta moments as ratios of Beta functions (ln B without
 * cancellation).
 */
cv_btyd_status
cv_bgnbd_pmf(const cv_bgnbd *m, double t, double n, double *out)
{
	double		r = m->r,
				lz0,
				lz,
				lpn,
				stay,
				drop;

	if (cv_bgnbd_check(m) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	if (!(t >= 0) || !isfinite(t) || !(n >= 0) || n != floor(n) || n > 1e9)
		return CV_BTYD_BAD_ARGUMENT;
	if (t == 0)
	{
		*out = n == 0;
		return CV_BTYD_OK;
	}
	lz0 = -log1p(t / m->alpha);		/* ln(alpha/(alpha+t)) */
	lz = -log1p(m->alpha / t);	/* ln(t/(alpha+t)) */
	lpn = lgamma(r + n) - lgamma(r) - lgamma(n + 1) + r * lz0 + n * lz;
	if (m->a + m->b >= CV_BGNBD_LIMIT)
	{
		double		p = m->a / (m->a + m->b);

		stay = n * log1p(-p);
		drop = log(p) + (n - 1) * log1p(-p);
	}
	else
	{
		double		lb = cv_lbeta(m->a, m->b);

		stay = cv_lbeta(m->a, m->b + n) - lb;
		drop = n > 0 ? cv_lbeta(m->a + 1, m->b + n - 1) - lb : 0;
	}
	*out = exp(stay + lpn);
	if (n > 0)
		*out += exp(drop) * nbd_tail(r, exp(lz), n, exp(lpn), exp(r * lz0));
	return isfinite(*out) ? CV_BTYD_OK : CV_BTYD_SERIES;
}
