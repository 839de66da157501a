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

/*
 * BFGS on -f: an inverse-Hessian approximation H, direction -H g, a
 * backtracking (Armijo) line search with steps capped at 2 in log space.
 * Converged when the gradient is negligible against the likelihood's size.
 * Returns 1 when converged, 0 to hand over to Nelder-Mead.
 */
static int
bfgs(cv_loglik_grad_fn fg, void *arg, int n, double *x, double *fx, int *evals)
{
	double		H[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM],
				g[CV_OPTIM_MAX_DIM],
				F;
	int			i,
				j,
				iter;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			H[i][j] = i == j;
	cv_yield();
	F = -fg(x, g, arg);
	(*evals)++;
	for (i = 0; i < n; i++)
		g[i] = -g[i];
	if (!isfinite(F))
		return 0;
	for (iter = 0; iter < 500; iter++)
	{
		double		d[CV_OPTIM_MAX_DIM],
					xn[CV_OPTIM_MAX_DIM],
					gn[CV_OPTIM_MAX_DIM],
					s[CV_OPTIM_MAX_DIM],
					y[CV_OPTIM_MAX_DIM],
					Hy[CV_OPTIM_MAX_DIM],
					slope = 0,
					big = 0,
					gmax = 0,
					t = 1,
					Fn = INFINITY,
					sy = 0,
					yHy = 0;
		int			tries;

		for (i = 0; i < n; i++)
			gmax = fmax(gmax, fabs(g[i]));
		if (gmax <= 1e-10 * (1 + fabs(F)))
		{
			*fx = F;
			return 1;
		}
		if (out_of_bounds(x, n))
			return 0;
		for (i = 0; i < n; i++)
		{
			d[i] = 0;
			for (j = 0; j < n; j++)
				d[i] -= H[i][j] * g[j];
			slope += d[i] * g[i];
			big = fmax(big, fabs(d[i]));
		}
		if (!(slope < 0))
		{
			/* not a descent direction: start the curvature over */
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					H[i][j] = i == j;
			continue;
		}
		if (big > 2)
			t = 2 / big;
		for (tries = 0; tries < 60; tries++, t *= 0.5)
		{
			for (i = 0; i < n; i++)
				xn[i] = x[i] + t * d[i];
			cv_yield();
			Fn = -fg(xn, gn, arg);
			(*evals)++;
			if (isfinite(Fn) && Fn <= F + 1e-4 * t * slope)
				break;
		}
		if (tries == 60)
			return 0;
		for (i = 0; i < n; i++)
		{
			gn[i] = -gn[i];
			s[i] = xn[i] - x[i];
			y[i] = gn[i] - g[i];
			sy += s[i] * y[i];
		}
		/* H += (1 + y'Hy/s'y) ss'/s'y - (H y s' + s y'H)/s'y, when the curvature is positive */
		if (sy > 1e-300)
		{
			for (i = 0; i < n; i++)
			{
				Hy[i] = 0;
				for (j = 0; j < n; j++)
					Hy[i] += H[i][j] * y[j];
				yHy += y[i] * Hy[i];
			}
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					H[i][j] += (1 + yHy / sy) * s[i] * s[j] / sy - (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
		}
		memcpy(x, xn, sizeof(double) * n);
		memcpy(g, gn, sizeof(double) * n);
		if (F - Fn <= 1e-15 * (1 + fabs(F)) && big * t < 1e-12)
		{
			*fx = Fn;
			return 1;
		}
		F = Fn;
	}
	*fx = F;
	return 0;
}

/*
 * A small gradient is not yet a maximum: where the data cannot identify a
 * parameter, the likelihood flattens out towards 0 or infinity and BFGS
 * stops on the slope.  So the point must be clearly better than its
 * neighbours 3 (a factor of 20) away in log space, along every axis and
 * every pair of axes; otherwise the search starts over with Nelder-Mead
 * (which finds the better point, or the parameter running away).
 */
static int
is_peak(cv_loglik_fn f, void *arg, int n, const double *x, double fx, int *evals)
{
	double		worst = -fx - 1e-9 * (1 + fabs(fx));	/* f at x, less a margin */
	int			i,
				j,
				si,
				sj;

	for (i = 0; i < n; i++)
		for (j = i; j < n; j++)
			for (si = -1; si <= 1; si += 2)
				for (sj = -1; sj <= 1; sj += 2)
				{
					double		y[CV_OPTIM_MAX_DIM],
								v;

					if (i == j && sj == 1)
						continue;
					memcpy(y, x, sizeof(double) * n);
					y[i] += 3 * si;
					if (j != i)
						y[j] += 3 * sj;
					cv_yield();
					v = f(y, arg);
					(*evals)++;
					if (v >= worst)
						return 0;
				}
	return 1;
}

cv_optim_status
cv_optim_maximise_grad(cv_loglik_grad_fn fg, cv_loglik_fn f, void *arg, int dim,
					   const double *start, cv_optim_result *out)
{
	double		x[CV_OPTIM_MAX_DIM],
				fx = INFINITY;
	int			evals = 0;
	cv_optim_status st;

	memcpy(x, start, sizeof(double) * dim);
	if (bfgs(fg, arg, dim, x, &fx, &evals) && !out_of_bounds(x, dim) &&
		is_peak(f, arg, dim, x, fx, &evals))
	{
		memset(out, 0, sizeof(*out));
		memcpy(out->logp, x, sizeof(double) * dim);
		out->loglik = -fx;
		out->evaluations = evals;
		return CV_OPTIM_OK;
	}
	/*
	 * Nelder-Mead from the start, as if BFGS had not been tried: on a flat
	 * slope towards a boundary it runs off to the bound quickly from there.
	 */
	st = cv_optim_maximise(f, arg, dim, start, out);
	out->evaluations += evals;
	return st;
}

int
cv_optim_covariance(cv_loglik_grad_fn fg, void *arg, int dim, const double *logp,
					double cov[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM])
{
	double		info[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM],
				L[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM],
				inv[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM];
	const double h = 1e-4;
	int			i,
				j,
				k;

	for (j = 0; j < dim; j++)
	{
		double		x[CV_OPTIM_MAX_DIM],
					up[CV_OPTIM_MAX_DIM],
					down[CV_OPTIM_MAX_DIM];

		memcpy(x, logp, sizeof(double) * dim);
		x[j] = logp[j] + h;
		cv_yield();
		fg(x, up, arg);
		x[j] = logp[j] - h;
		cv_yield();
		fg(x, down, arg);
		for (i = 0; i < dim; i++)
			info[i][j] = -(up[i] - down[i]) / (2 * h);
	}
	for (i = 0; i < dim; i++)
		for (j = 0; j < i; j++)
			info[i][j] = info[j][i] = (info[i][j] + info[j][i]) / 2;
	/* Cholesky: info = L L' */
	for (j = 0; j < dim; j++)
	{
		double		d = info[j][j];

		for (k = 0; k < j; k++)
			d -= L[j][k] * L[j][k];
		if (!(d > 0) || !isfinite(d))
		{
			for (i = 0; i < dim; i++)
				for (k = 0; k < dim; k++)
					cov[i][k] = NAN;
			return -1;
		}
		L[j][j] = sqrt(d);
		for (i = j + 1; i < dim; i++)
		{
			double		v = info[i][j];

			for (k = 0; k < j; k++)
				v -= L[i][k] * L[j][k];
			L[i][j] = v / L[j][j];
		}
	}
	/* inv = L^-1 (lower triangular), then cov = inv' inv */
	for (j = 0; j < dim; j++)
		for (i = 0; i < dim; i++)
		{
			double		v = i == j ? 1 : 0;

			if (i < j)
			{
				inv[i][j] = 0;
				continue;
			}
			for (k = j; k < i; k++)
				v -= L[i][k] * inv[k][j];
			inv[i][j] = v / L[i][i];
		}
	for (i = 0; i < dim; i++)
		for (j = 0; j < dim; j++)
		{
			double		v = 0;

			for (k = 0; k < dim; k++)
				v += inv[k][i] * inv[k][j];
			cov[i][j] = v;
		}
	return 0;
}
