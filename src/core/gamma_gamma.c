/*
 * gamma_gamma.c — the Gamma-Gamma likelihood, its fit, and the conditional
 * expected spend.
 */
#include <math.h>
#include <string.h>

#include "gamma_gamma.h"
#include "optim.h"
#include "special.h"

const char *
cv_gg_row_error(double x, double m)
{
	if (!isfinite(x) || !isfinite(m))
		return "frequency and monetary value must be finite numbers";
	if (x < 0 || x != floor(x))
		return "frequency must be a whole number of repeat purchases, 0 or more";
	if (x > 1e9)
		return "frequency must be at most 1e9";
	if (x > 0 && m <= 0)
		return "monetary value of a repeat customer must be positive";
	return NULL;
}

cv_btyd_status
cv_gg_check(const cv_gg *g)
{
	if (!(g->p > 0 && g->q > 0 && g->v > 0) ||
		!isfinite(g->p) || !isfinite(g->q) || !isfinite(g->v))
		return CV_BTYD_BAD_MODEL;
	return CV_BTYD_OK;
}

/*
 * Per repeat customer, the density of the mean m of x transactions:
 *   ln f = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x
 *        - (px+q) ln(x m + v)
 * with the gamma functions computed once per run of equal x.
 */
double
cv_gg_loglik(const cv_gg *g, const cv_points *data)
{
	double		p = g->p,
				q = g->q,
				v = g->v;
	double		base = -lgamma(q) + q * log(v);
	double		sum = 0,
				xprev = -1,
				head = 0,
				lx = 0;
	size_t		i;

	for (i = 0; i < data->len; i++)
	{
		const cv_point *pt = &data->p[i];
		double		x = pt->v[0],
					m = pt->v[1];

		if (x != xprev)
		{
			head = base + lgamma(p * x + q) - lgamma(p * x);
			lx = log(x);
			xprev = x;
		}
		sum += (double) pt->n * (head + (p * x - 1) * log(m) + p * x * lx -
								 (p * x + q) * log(x * m + v));
	}
	return sum;
}

/*
 * With L = ln(x m + v):
 *   dLL/dp = x (psi(px+q) - psi(px) + ln m + ln x - L)
 *   dLL/dq = psi(px+q) - psi(q) + ln v - L
 *   dLL/dv = q/v - (px+q)/(x m + v)
 * and d/d ln theta = theta d/d theta.
 */
double
cv_gg_loglik_grad(const cv_gg *g, const cv_points *data, double grad[3])
{
	double		p = g->p,
				q = g->q,
				v = g->v;
	double		base = -lgamma(q) + q * log(v),
				psi_q = cv_digamma(q),
				lv = log(v);
	double		sum = 0,
				xprev = -1,
				head = 0,
				lx = 0,
				hp = 0,
				hq = 0,
				gp = 0,
				gq = 0,
				gv = 0;
	size_t		i;

	for (i = 0; i < data->len; i++)
	{
		const cv_point *pt = &data->p[i];
		double		x = pt->v[0],
					m = pt->v[1],
					n = (double) pt->n,
					lm = log(m),
					L = log(x * m + v);

		if (x != xprev)
		{
			double		psi_pxq = cv_digamma(p * x + q);

			head = base + lgamma(p * x + q) - lgamma(p * x);
			lx = log(x);
			hp = psi_pxq - cv_digamma(p * x) + lx;
			hq = psi_pxq - psi_q + lv;
			xprev = x;
		}
		sum += n * (head + (p * x - 1) * lm + p * x * lx - (p * x + q) * L);
		gp += n * x * (hp + lm - L);
		gq += n * (hq - L);
		gv += n * (q / v - (p * x + q) / (x * m + v));
	}
	grad[0] = p * gp;
	grad[1] = q * gq;
	grad[2] = v * gv;
	return sum;
}

/* the search's view: v in units of the mean spend */
typedef struct gg_search
{
	const cv_points *data;
	double		scale;
} gg_search;

static void
from_log(const double *logp, double scale, cv_gg *g)
{
	g->p = exp(logp[0]);
	g->q = exp(logp[1]);
	g->v = exp(logp[2]) * scale;
}

static double
gg_at(const double *logp, void *arg)
{
	const gg_search *s = arg;
	cv_gg		g;

	from_log(logp, s->scale, &g);
	return cv_gg_loglik(&g, s->data);
}

static double
gg_grad_at(const double *logp, double *grad, void *arg)
{
	const gg_search *s = arg;
	cv_gg		g;

	from_log(logp, s->scale, &g);
	return cv_gg_loglik_grad(&g, s->data, grad);
}

cv_btyd_status
cv_gg_fit(cv_points *data, cv_gg *out, const char **runaway)
{
	return cv_gg_fit_ex(data, out, NULL, runaway);
}

cv_btyd_status
cv_gg_fit_ex(cv_points *data, cv_gg *out, cv_fit_info *info, const char **runaway)
{
	static const char *const names[] = {"p", "q", "v"};
	double		start[3] = {0, 0, 0};
	double		mean_m = 0;
	gg_search	search;
	cv_optim_result res;
	cv_optim_status st;
	cv_btyd_status bst;
	cv_fit_info dummy;
	size_t		i;

	*runaway = NULL;
	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	cv_points_sort(data);
	if (data->total == 0)
		return CV_BTYD_NO_REPEAT;
	for (i = 0; i < data->len; i++)
		mean_m += data->p[i].v[1] * ((double) data->p[i].n / (double) data->total);
	/* v is in money: search it relative to the mean spend */
	search.data = data;
	search.scale = mean_m;
	st = cv_optim_maximise_grad(gg_grad_at, gg_at, &search, 3, start, &res);
	from_log(res.logp, search.scale, out);
	out->loglik = res.loglik;
	out->customers = data->total;
	bst = cv_btyd_fit_status(st, &res, names, runaway);
	info->method = CV_FIT_MLE;
	info->evaluations = res.evaluations;
	if (bst == CV_BTYD_OK)
	{
		double		cov[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM],
					theta[3] = {out->p, out->q, out->v};
		int			k;

		info->objective = res.loglik;
		info->nparams = 3;
		cv_optim_covariance(gg_grad_at, &search, 3, res.logp, cov);
		for (k = 0; k < 3; k++)
		{
			info->names[k] = names[k];
			info->estimate[k] = theta[k];
			info->se[k] = theta[k] * sqrt(cov[k][k]);
		}
	}
	return bst;
}

cv_btyd_status
cv_gg_expected_spend(const cv_gg *g, double x, double m, double *out)
{
	double		den;

	if (cv_gg_check(g) != CV_BTYD_OK)
		return CV_BTYD_BAD_MODEL;
	if (cv_gg_row_error(x, m) != NULL)
		return CV_BTYD_BAD_ARGUMENT;
	if (x == 0)
		m = 0;					/* no repeat transactions: nothing to weigh */
	den = g->p * x + g->q - 1;
	if (!(den > 0))
		return CV_BTYD_UNDEFINED;
	*out = g->p * (g->v + x * m) / den;
	return isfinite(*out) ? CV_BTYD_OK : CV_BTYD_UNDEFINED;
}
