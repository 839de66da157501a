/*
 * quad.h — double-exponential quadrature (pure C core): the integrals the
 * BTYD predictions and the Pareto/NBD likelihood reduce to where a series
 * would converge too slowly or cancel.
 *
 * The integrand is given by its logarithm (its values span hundreds of
 * orders of magnitude), optionally with multipliers whose weighted
 * integrals come along on the same points (a likelihood and its gradient).
 * The trapezoid rule on a double-exponentially decaying transform converges
 * geometrically in the number of points for integrands analytic in a strip
 * around the path; the step is halved (every earlier point reused) until two
 * successive sums agree to the tolerance, which for a geometrically
 * converging rule bounds the error of the finer sum far below it.
 */
#ifndef CVFW_CORE_QUAD_H
#define CVFW_CORE_QUAD_H

#define CV_QUAD_MAX_EXTRA 4

/* ln f(x); extra[0..nextra) receives the multipliers g_k(x) (NULL when nextra is 0) */
typedef double (*cv_quad_fn) (double x, double *extra, void *arg);

typedef struct cv_quad_result
{
	double		log_value;		/* ln of the integral of f */
	double		extra[CV_QUAD_MAX_EXTRA];	/* integral of f g_k / integral of f */
	double		change;			/* relative change at the last halving */
	int			points;
} cv_quad_result;

/*
 * The integral of f over the real line, on u = c + w sinh(v): c should be
 * near the integrand's peak, w its width there.  shift: about ln f at the
 * peak (the sums are kept relative to it).  0, or -1 when the step reached
 * its floor (1/256) without two sums agreeing to tol.
 */
extern int	cv_quad_line(cv_quad_fn f, void *arg, int nextra, double c, double w, double shift,
						 double tol, cv_quad_result *out);

/* the integral of f over [lo, hi] (tanh-sinh); same contract */
extern int	cv_quad_interval(cv_quad_fn f, void *arg, int nextra, double lo, double hi,
							 double shift, double tol, cv_quad_result *out);

#endif							/* CVFW_CORE_QUAD_H */
