/*
 * cvfw_clv_predict.c — predicted customer lifetime value from a BG/NBD (or
 * Pareto/NBD) and a Gamma-Gamma model: cvfw_clv_predict, cvfw_clv_predict_pnbd.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "fmgr.h"

#include "pg_btyd.h"

PG_FUNCTION_INFO_V1(cvfw_clv_predict);
PG_FUNCTION_INFO_V1(cvfw_clv_predict_pnbd);

/*
 * cvfw_clv_predict(bgnbd, gg, ...) and cvfw_clv_predict_pnbd(pnbd, gg, ...),
 * with (frequency, recency, T, monetary, periods, discount_rate, margin):
 *   margin x E[spend | x, m] x sum_{i=1..periods} (E[Y(i)|h] - E[Y(i-1)|h]) / (1+d)^i
 */
static Datum
clv_predict(FunctionCallInfo fcinfo, bool pnbd)
{
	const char *fname = pnbd ? "cvfw_clv_predict_pnbd" : "cvfw_clv_predict";
	cv_bgnbd	m;
	cv_pnbd		pm;
	cv_gg		g;
	double		x = PG_GETARG_FLOAT8(2),
				t_x = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4),
				monetary = PG_GETARG_FLOAT8(5),
				discount = PG_GETARG_FLOAT8(7),
				margin = PG_GETARG_FLOAT8(8),
				spend = 0,
				purchases = 0,
				out;
	int32		periods = PG_GETARG_INT32(6);
	const char *why;

	if (pnbd)
		cvfw_pnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &pm, fname);
	else
		cvfw_bgnbd_from_datum(PG_GETARG_HEAPTUPLEHEADER(0), &m, fname);
	cvfw_gg_from_datum(PG_GETARG_HEAPTUPLEHEADER(1), &g, fname);
	if ((why = cv_bgnbd_row_error(x, t_x, T)) != NULL ||
		(why = cv_gg_row_error(x, monetary)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid customer (frequency %g, recency %g, T %g, monetary value %g)",
						fname, x, t_x, T, monetary),
				 errdetail("The %s.", why)));
	if (periods < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the number of periods must not be negative", fname)));
	if (!(discount > -1) || isinf(discount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the discount rate must be a finite number greater than -1", fname)));
	if (!isfinite(margin))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the margin must be a finite number", fname)));
	cvfw_btyd_check(cv_gg_expected_spend(&g, x, monetary, &spend), fname, NULL, 0);
	cvfw_btyd_check(pnbd ? cv_pnbd_discounted(&pm, x, t_x, T, periods, discount, &purchases) :
					cv_bgnbd_discounted(&m, x, t_x, T, periods, discount, &purchases),
					fname, NULL, 0);
	out = margin * spend * purchases;
	if (!isfinite(out))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: value out of range", fname)));
	PG_RETURN_FLOAT8(out);
}

Datum
cvfw_clv_predict(PG_FUNCTION_ARGS)
{
	return clv_predict(fcinfo, false);
}

Datum
cvfw_clv_predict_pnbd(PG_FUNCTION_ARGS)
{
	return clv_predict(fcinfo, true);
}
