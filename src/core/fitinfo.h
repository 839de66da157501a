/*
 * fitinfo.h — what a model fit reports beside the model (pure C core): how
 * it was fitted and the standard errors of its parameters.
 */
#ifndef CVFW_CORE_FITINFO_H
#define CVFW_CORE_FITINFO_H

#define CV_FIT_MAX_PARAMS 4

typedef enum cv_fit_method
{
	CV_FIT_MLE = 0,				/* maximum likelihood */
	CV_FIT_PENALISED,			/* maximum of the log-likelihood less the penalty */
	CV_FIT_LIMIT,				/* the limiting model the likelihood rises towards
								 * (BG/NBD: a, b -> infinity, homogeneous dropout) */
} cv_fit_method;

typedef struct cv_fit_info
{
	cv_fit_method method;
	int			nparams;		/* the estimates reported (the limiting model has fewer) */
	const char *names[CV_FIT_MAX_PARAMS];
	double		estimate[CV_FIT_MAX_PARAMS];
	/*
	 * standard errors from the observed information of the maximised
	 * objective (the penalised one in a penalised fit), on the parameters'
	 * own scale (delta method from the log scale the search works on); NaN
	 * when the information is not positive definite
	 */
	double		se[CV_FIT_MAX_PARAMS];
	double		objective;		/* the maximised objective: log-likelihood less the penalty */
	int			evaluations;	/* likelihood evaluations of the search */
} cv_fit_info;

#endif							/* CVFW_CORE_FITINFO_H */
