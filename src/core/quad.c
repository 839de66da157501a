/*
 * quad.c — the trapezoid rule on double-exponential transforms, with step
 * halving.
 */
#include <math.h>
#include <string.h>

#include "mem.h"
#include "quad.h"

#define HALF_PI 1.5707963267948966

typedef struct engine
{
	cv_quad_fn	f;
	void	   *arg;
	int			nextra;
	double		shift;
	/* the map v -> x and dx/dv */
	int			line;
	double		c,
				w;				/* line: x = c + w sinh v */
	double		mid,
				half;			/* interval: x = mid + half tanh(pi/2 sinh v) */
	double		vmax;
	int			points;
} engine;

/* the transformed integrand at v, times its multipliers into vals[0..nextra] */
static void
term(engine *e, double v, double *vals)
{
	double		x,
				jac,
				lf,
				extra[CV_QUAD_MAX_EXTRA],
				scale;
	int			k;

	if (e->line)
	{
		x = e->c + e->w * sinh(v);
		jac = e->w * cosh(v);
	}
	else
	{
		double		s = HALF_PI * sinh(v),
					ch = cosh(s),
					/* the distance to the nearer end, half (1 - tanh|s|), without cancellation */
					d = e->half * 2 / (1 + exp(2 * fabs(s)));

		x = s < 0 ? e->mid - e->half + d : e->mid + e->half - d;
		jac = e->half * HALF_PI * cosh(v) / (ch * ch);
		/*
		 * a node that rounds onto an end weighs under 1e-300 of the middle:
		 * nothing, and an integrand singular there is never evaluated at it
		 */
		if (x <= e->mid - e->half || x >= e->mid + e->half)
		{
			for (k = 0; k <= e->nextra; k++)
				vals[k] = 0;
			return;
		}
	}
	e->points++;
	lf = e->f(x, e->nextra > 0 ? extra : NULL, e->arg);
	scale = jac > 0 && lf > -INFINITY ? exp(lf - e->shift) * jac : 0;
	if (!isfinite(scale))
		scale = isnan(lf) ? NAN : INFINITY;
	vals[0] = scale;
	for (k = 0; k < e->nextra; k++)
		vals[k + 1] = scale == 0 ? 0 : scale * extra[k];
}

/*
 * Add the terms at v = (first + 2 j) h, j = 0, 1, ... on one side (sign),
 * until they are negligible beyond |v| = 1, or |v| passes vmax.
 */
static void
side(engine *e, double h, int first, int stride, int sign, double *sum)
{
	long		j;

	for (j = first;; j += stride)
	{
		double		v = sign * j * h,
					vals[CV_QUAD_MAX_EXTRA + 1];
		int			k;

		if (fabs(v) > e->vmax)
			break;
		if ((e->points & 255) == 0)
			cv_yield();
		term(e, v, vals);
		for (k = 0; k <= e->nextra; k++)
			sum[k] += vals[k];
		if (fabs(v) > 1 && !(vals[0] > 1e-18 * fabs(sum[0])))
			break;
	}
}

static int
run(engine *e, double tol, cv_quad_result *out)
{
	double		sum[CV_QUAD_MAX_EXTRA + 1] = {0},
				h = 0.5,
				prev = 0;
	int			k,
				level;

	e->points = 0;
	memset(out, 0, sizeof(*out));
	/* the first level: v = 0 and both sides */
	side(e, h, 0, 1, 1, sum);
	side(e, h, 1, 1, -1, sum);
	prev = h * sum[0];
	for (level = 1; level <= 7; level++)
	{
		double		now;

		h /= 2;
		/* the new points: odd multiples of h */
		side(e, h, 1, 2, 1, sum);
		side(e, h, 1, 2, -1, sum);
		now = h * sum[0];
		out->change = fabs(now - prev) / fabs(now);
		prev = now;
		if (out->change <= tol)
			break;
	}
	out->points = e->points;
	out->log_value = e->shift + log(h * sum[0]);
	for (k = 0; k < e->nextra; k++)
		out->extra[k] = sum[k + 1] / sum[0];
	if (!(sum[0] > 0) || !isfinite(sum[0]))
		return -1;
	return out->change <= tol ? 0 : -1;
}

int
cv_quad_line(cv_quad_fn f, void *arg, int nextra, double c, double w, double shift, double tol,
			 cv_quad_result *out)
{
	engine		e;

	memset(&e, 0, sizeof(e));
	e.f = f;
	e.arg = arg;
	e.nextra = nextra;
	e.shift = shift;
	e.line = 1;
	e.c = c;
	e.w = w;
	/* sinh(12) = 81377 widths: beyond every tail that matters here */
	e.vmax = 12;
	return run(&e, tol, out);
}

int
cv_quad_interval(cv_quad_fn f, void *arg, int nextra, double lo, double hi, double shift,
				 double tol, cv_quad_result *out)
{
	engine		e;

	memset(&e, 0, sizeof(e));
	e.f = f;
	e.arg = arg;
	e.nextra = nextra;
	e.shift = shift;
	e.mid = lo + (hi - lo) / 2;
	e.half = (hi - lo) / 2;
	/* at |v| = 4.5 the weights are below 1e-60 of the middle's */
	e.vmax = 4.5;
	return run(&e, tol, out);
}
