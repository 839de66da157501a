/*
 * optim.h — maximum likelihood on the log scale (pure C core): BFGS on the
 * gradient where there is one, Nelder-Mead otherwise or as the fallback.
 *
 * The models' parameters are positive, so the search runs over their
 * logarithms: no constraints, and steps that are relative to a parameter's
 * size.  The simplex restarts from its best vertex until a restart gains
 * nothing (Nelder-Mead can stall on a ridge), with a hard cap on likelihood
 * evaluations so that a fit always ends.
 */
#ifndef CVFW_CORE_OPTIM_H
#define CVFW_CORE_OPTIM_H

#define CV_OPTIM_MAX_DIM 4

/* the log-likelihood at parameters exp(logp[0..dim)); -INFINITY or NaN: impossible there */
typedef double (*cv_loglik_fn) (const double *logp, void *arg);

typedef enum cv_optim_status
{
	CV_OPTIM_OK = 0,
	CV_OPTIM_NO_CONVERGENCE,	/* the evaluation cap was reached */
	CV_OPTIM_UNBOUNDED,			/* a parameter ran off to 0 or infinity (|log| > bound) */
	CV_OPTIM_NO_START,			/* the likelihood is not finite at the start */
} cv_optim_status;

typedef struct cv_optim_result
{
	double		logp[CV_OPTIM_MAX_DIM];
	double		loglik;
	int			evaluations;
	int			runaway;		/* CV_OPTIM_UNBOUNDED: which parameter */
} cv_optim_result;

/*
 * |log parameter| beyond this (a parameter beyond 1e6 or below 1e-6, after
 * the caller has scaled it to the data): the data do not pin it down.  The
 * degenerate cases run off there fast (a Beta or Gamma mixing distribution
 * collapsing to a point has both its parameters growing in proportion);
 * fitted models of real data stay well inside.
 */
#define CV_OPTIM_LOG_BOUND 13.815510557964274
#define CV_OPTIM_MAX_EVALS 20000

/* maximise f over dim log-parameters from start */
extern cv_optim_status cv_optim_maximise(cv_loglik_fn f, void *arg, int dim, const double *start,
										 cv_optim_result *out);

/* the log-likelihood and its gradient with respect to the log-parameters */
typedef double (*cv_loglik_grad_fn) (const double *logp, double *grad, void *arg);

/*
 * Maximise with the gradient (BFGS, backtracking line search) from start;
 * where that does not end at a clear peak (better than its neighbours a
 * factor of 20 away along every axis and pair of axes), Nelder-Mead (on f)
 * starts over.  Same result contract as cv_optim_maximise.
 */
extern cv_optim_status cv_optim_maximise_grad(cv_loglik_grad_fn fg, cv_loglik_fn f, void *arg,
											  int dim, const double *start, cv_optim_result *out);

/*
 * The covariance of the log-parameters at a maximum, the inverse of the
 * observed information: minus the Hessian of f there, by central
 * differences (step 1e-4) of the closed-form gradient, symmetrised.  0, or
 * -1 when the information is not positive definite (no maximum there, or a
 * direction the data do not inform): cov is then NaN.
 */
extern int	cv_optim_covariance(cv_loglik_grad_fn fg, void *arg, int dim, const double *logp,
								double cov[CV_OPTIM_MAX_DIM][CV_OPTIM_MAX_DIM]);

#endif							/* CVFW_CORE_OPTIM_H */
