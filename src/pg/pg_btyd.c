/*
 * pg_btyd.c — what the buy-till-you-die functions share in the PostgreSQL
 * layer: core statuses as SQL errors, the models from their composite types.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/typcache.h"

#include "pg_btyd.h"

void
cvfw_btyd_check(cv_btyd_status st, const char *fname, const char *what, double value)
{
	switch (st)
	{
		case CV_BTYD_OK:
		case CV_BTYD_EMPTY:
			return;
		case CV_BTYD_NO_REPEAT:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the data cannot identify the model", fname),
					 errdetail("No customer made a repeat purchase (frequency > 0)."),
					 errhint("Fit the model on a group of customers that includes repeat buyers.")));
			break;
		case CV_BTYD_UNBOUNDED:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the data cannot identify the model", fname),
					 errdetail("The likelihood keeps growing as parameter %s goes to %s.",
							   what, value > 1 ? "infinity" : "zero"),
					 value <= 1 ?
					 errhint("Too few customers, or too little variety in their histories, to estimate the model: fit it on more customers.") :
					 strncmp(fname, "cvfw_gg", 7) == 0 ?
					 errhint("Spend varies too little between customers (or too few repeat customers) to estimate its distribution: fit it on more repeat customers.") :
					 errhint("The data show too little variation for this parameter's distribution: fit with a penalizer (the fit's last argument, e.g. 0.01), which keeps the parameters finite.")));
			break;
		case CV_BTYD_NO_CONVERGENCE:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the maximum likelihood search did not converge", fname),
					 errdetail("It stopped after %d likelihood evaluations.", 20000)));
			break;
		case CV_BTYD_BAD_MODEL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the model's parameters must be positive finite numbers", fname)));
			break;
		case CV_BTYD_BAD_ARGUMENT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: invalid argument", fname),
					 what != NULL ? errdetail("%s.", what) : 0));
			break;
		case CV_BTYD_SERIES:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: the value could not be computed", fname),
					 errdetail("Neither the series nor the numerical integration reached its accuracy at these values, or the value is beyond the range of float8.")));
			break;
		case CV_BTYD_UNDEFINED:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: the expected spend is infinite", fname),
					 errdetail("The Gamma-Gamma model has a finite mean spend only when p x frequency + q > 1.")));
			break;
	}
}

/* a field of a model; NULL is as invalid as a negative parameter */
static double
field(HeapTupleHeader t, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(t, attno, &isnull);

	return isnull ? NAN : DatumGetFloat8(d);
}

void
cvfw_bgnbd_from_datum(HeapTupleHeader t, cv_bgnbd *m, const char *fname)
{
	m->r = field(t, 1);
	m->alpha = field(t, 2);
	m->a = field(t, 3);
	m->b = field(t, 4);
	m->loglik = 0;
	m->customers = 0;
	cvfw_btyd_check(cv_bgnbd_check(m), fname, NULL, 0);
}

void
cvfw_pnbd_from_datum(HeapTupleHeader t, cv_pnbd *m, const char *fname)
{
	m->r = field(t, 1);
	m->alpha = field(t, 2);
	m->s = field(t, 3);
	m->beta = field(t, 4);
	m->loglik = 0;
	m->customers = 0;
	cvfw_btyd_check(cv_pnbd_check(m), fname, NULL, 0);
}

void
cvfw_history_arg(FunctionCallInfo fcinfo, int argno, const char *fname, double *x, double *t_x,
				 double *T)
{
	const char *why;

	*x = PG_GETARG_FLOAT8(argno);
	*t_x = PG_GETARG_FLOAT8(argno + 1);
	*T = PG_GETARG_FLOAT8(argno + 2);
	if ((why = cv_bgnbd_row_error(*x, *t_x, *T)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid customer history (frequency %g, recency %g, T %g)",
						fname, *x, *t_x, *T),
				 errdetail("The %s.", why)));
}

double
cvfw_horizon_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (!(t >= 0) || isinf(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the horizon must be a finite number of periods, 0 or more", fname)));
	return t;
}

void
cvfw_points_state_penalizer(FunctionCallInfo fcinfo, cvfw_points_state *s, int argno, bool fresh,
							const char *fname)
{
	double		pen;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: the penalizer must not be NULL", fname)));
	pen = PG_GETARG_FLOAT8(argno);
	if (!(pen >= 0) || isinf(pen))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the penalizer must be a finite number, 0 or more", fname)));
	if (pen == 0)
		pen = 0;				/* -0 is 0 */
	if (fresh)
		s->penalizer = pen;
	else if (s->penalizer != pen)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the penalizer must be the same for every row", fname)));
}

static ArrayType *
float8_array(const double *v, int n)
{
	Datum		d[CV_FIT_MAX_PARAMS];
	bool		nulls[CV_FIT_MAX_PARAMS];
	int			dims[1] = {n},
				lbs[1] = {1},
				k;

	for (k = 0; k < n; k++)
	{
		nulls[k] = isnan(v[k]);
		d[k] = Float8GetDatum(v[k]);
	}
	return construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
							  TYPALIGN_DOUBLE);
}

TupleDesc
cvfw_summary_model_desc(TupleDesc summary)
{
	Form_pg_attribute att = TupleDescAttr(summary, 0);

	return lookup_rowtype_tupdesc_copy(att->atttypid, att->atttypmod);
}

Datum
cvfw_fit_summary_datum(FunctionCallInfo fcinfo, Datum model, const cv_fit_info *info,
					   double penalizer, const char *fname)
{
	TupleDesc	desc;
	Datum		values[7],
				names[CV_FIT_MAX_PARAMS];
	bool		nulls[7] = {false};
	const char *method;
	StringInfoData note;
	int			k,
				no_se = 0;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s: the summary must be a composite type", fname);
	desc = BlessTupleDesc(desc);
	initStringInfo(&note);
	switch (info->method)
	{
		case CV_FIT_PENALISED:
			method = "penalised maximum likelihood";
			appendStringInfo(&note, "The maximum of the mean log-likelihood less %g times the sum of the squared parameters (alpha%s in units of the oldest customer's age).",
							 penalizer, strcmp(fname, "cvfw_pnbd_fit_summary") == 0 ? " and beta" : "");
			break;
		case CV_FIT_LIMIT:
			method = "limiting model";
			appendStringInfo(&note, "The likelihood keeps rising as a and b go to infinity together: dropout barely varies between customers. Reported is the limit, every customer's dropout probability after a purchase p = a/(a+b) = %.6g (the model holds it as a + b = 1e15).",
							 info->estimate[2]);
			break;
		default:
			method = "maximum likelihood";
			appendStringInfoString(&note, "The maximum likelihood estimate.");
			break;
	}
	for (k = 0; k < info->nparams; k++)
	{
		names[k] = CStringGetTextDatum(info->names[k]);
		no_se |= isnan(info->se[k]);
	}
	if (no_se)
		appendStringInfoString(&note, " No standard errors: the information matrix is not positive definite there.");
	else
		appendStringInfoString(&note, " Standard errors from the observed information (the inverse Hessian of the maximised objective).");
	values[0] = model;
	values[1] = CStringGetTextDatum(method);
	values[2] = CStringGetTextDatum(note.data);
	values[3] = Float8GetDatum(penalizer);
	values[4] = PointerGetDatum(construct_array(names, info->nparams, TEXTOID, -1, false,
												TYPALIGN_INT));
	values[5] = PointerGetDatum(float8_array(info->estimate, info->nparams));
	values[6] = PointerGetDatum(float8_array(info->se, info->nparams));
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

void
cvfw_gg_from_datum(HeapTupleHeader t, cv_gg *g, const char *fname)
{
	g->p = field(t, 1);
	g->q = field(t, 2);
	g->v = field(t, 3);
	g->loglik = 0;
	g->customers = 0;
	cvfw_btyd_check(cv_gg_check(g), fname, NULL, 0);
}
