/*
 * optim.c — Nelder-Mead with restarts, maximising a log-likelihood over
 * log-parameters.
 */
#include <math.h>
#include <string.h>

#include "mem.h"
#include "optim.h"

typedef struct nm
{
	cv_loglik_fn f;
	void	   *arg;
	int			dim;
	int			evals;
} nm;

/* the negative log-likelihood, +inf where undefined: the simplex minimises */
static double
cost(nm *s, const double *x)
{
	double		v;

	s->evals++;
	cv_yield();
	v = s->f(x, s->arg);
	return isnan(v) ? INFINITY : -v;
}

static int
out_of_bounds(const double *x, int dim)
{
	int			k;

	for (k = 0; k < dim; k++)
		if (fabs(x[k]) > CV_OPTIM_LOG_BOUND)
			return k + 1;
	return 0;
}

/*
 * One Nelder-Mead run from x (standard coefficients: reflection 1,
 * expansion 2, contraction 1/2, shrink 1/2), until the simplex's values
 * and extent are within tolerance.  Leaves the best vertex in x, its cost
 * in *fx.
 */
static void
nelder_mead(nm *s, double *x, double *fx, double step)
{
	int			n = s->dim,
				i,
				k;
	double		v[CV_OPTIM_MAX_DIM + 1][CV_OPTIM_MAX_DIM];
	double		fv[CV_OPTIM_MAX_DIM + 1];

	for (i = 0; i <= n; i++)
	{
		memcpy(v[i], x, sizeof(double) * n);
		if (i > 0)
			v[i][i - 1] += step;
		fv[i] = i == 0 ? *fx : cost(s, v[i]);
	}
	while (s->evals < CV_OPTIM_MAX_EVALS)
	{
		int			best = 0,
					worst = 0,
					second;
		double		c[CV_OPTIM_MAX_DIM],
					xr[CV_OPTIM_MAX_DIM],
					xe[CV_OPTIM_MAX_DIM],
					xc[CV_OPTIM_MAX_DIM],
					fr,
					fe,
					fc,
					extent = 0;

		for (i = 1; i <= n; i++)
		{
			if (fv[i] < fv[best])
				best = i;
			if (fv[i] > fv[worst])
				worst = i;
		}
		second = best;
		for (i = 0; i <= n; i++)
			if (i != worst && fv[i] > fv[second])
				second = i;
		for (i = 0; i <= n; i++)
			for (k = 0; k < n; k++)
				extent = fmax(extent, fabs(v[i][k] - v[best][k]));
		/* converged: values agree to ~1e-12 relative and the simplex is tiny */
		if (isfinite(fv[worst]) &&
			fv[worst] - fv[best] <= 1e-12 * (1 + fabs(fv[best])) && extent < 1e-9)
			break;
		if (out_of_bounds(v[best], n))
			break;
		for (k = 0; k < n; k++)
		{
			c[k] = 0;
			for (i = 0; i <= n; i++)
				if (i != worst)
					c[k] += v[i][k];
			c[k] /= n;
			xr[k] = c[k] + (c[k] - v[worst][k]);
		}
		fr = cost(s, xr);
		if (fr < fv[best])
		{
			for (k = 0; k < n; k++)
				xe[k] = c[k] + 2 * (c[k] - v[worst][k]);
			fe = cost(s, xe);
			if (fe < fr)
			{
				memcpy(v[worst], xe, sizeof(double) * n);
				fv[worst] = fe;
			}
			else
			{
				memcpy(v[worst], xr, sizeof(double) * n);
				fv[worst] = fr;
			}
			continue;
		}
		if (fr < fv[second])
		{
			memcpy(v[worst], xr, sizeof(double) * n);
			fv[worst] = fr;
			continue;
		}
		/* contract: outside if the reflection helped a little, else inside */
		for (k = 0; k < n; k++)
			xc[k] = fr < fv[worst] ? c[k] + 0.5 * (xr[k] - c[k]) : c[k] + 0.5 * (v[worst][k] - c[k]);
		fc = cost(s, xc);
		if (fc < fmin(fr, fv[worst]))
		{
			memcpy(v[worst], xc, sizeof(double) * n);
			fv[worst] = fc;
			continue;
		}
		for (i = 0; i <= n; i++)
			if (i != best)
			{
				for (k = 0; k < n; k++)
					v[i][k] = v[best][k] + 0.5 * (v[i][k] - v[best][k]);
				fv[i] = cost(s, v[i]);
			}
	}
	{
		int			best = 0;

		for (i = 1; i <= n; i++)
			if (fv[i] < fv[best])
				best = i;
		memcpy(x, v[best], sizeof(double) * n);
		*fx = fv[best];
	}
}

cv_optim_status
cv_optim_maximise(cv_loglik_fn f, void *arg, int dim, const double *start,
				  cv_optim_result *out)
{
	nm			s;
	double		x[CV_OPTIM_MAX_DIM],
				fx,
				step = 1.0;
	int			k;

	s.f = f;
	s.arg = arg;
	s.dim = dim;
	s.evals = 0;
	memset(out, 0, sizeof(*out));
	memcpy(x, start, sizeof(double) * dim);
	fx = cost(&s, x);
	if (!isfinite(fx))
		return CV_OPTIM_NO_START;
	/* restart from the best vertex with a fresh simplex until nothing is gained */
	for (;;)
	{
		double		before = fx,
					xb[CV_OPTIM_MAX_DIM];

		memcpy(xb, x, sizeof(double) * dim);
		nelder_mead(&s, x, &fx, step);
		step = 0.1;
		if ((out->runaway = out_of_bounds(x, dim)) != 0)
			break;
		if (s.evals >= CV_OPTIM_MAX_EVALS)
			break;
		if (before - fx <= 1e-12 * (1 + fabs(fx)))
		{
			double		d = 0;

			for (k = 0; k < dim; k++)
				d = fmax(d, fabs(x[k] - xb[k]));
			if (d < 1e-7)
				break;
		}
	}
	memcpy(out->logp, x, sizeof(double) * dim);
	out->loglik = -fx;
	out->evaluations = s.evals;
	if (out->runaway)
		return CV_OPTIM_UNBOUNDED;
	if (s.evals >= CV_OPTIM_MAX_EVALS)
		return CV_OPTIM_NO_CONVERGENCE;
	return CV_OPTIM_OK;
}
