/*
 * cvfw_btyd_checks.c — the standard checks of a fitted BG/NBD or
 * Pareto/NBD model, as aggregates over the customers:
 *   cvfw_bgnbd_holdout / cvfw_pnbd_holdout: per calibration-frequency bin,
 *     the actual and the predicted (conditional expected) purchases in a
 *     holdout period;
 *   cvfw_bgnbd_frequencies / cvfw_pnbd_frequencies: per number of repeat
 *     purchases in the calibration period, the customers with that many and
 *     the number the model expects, sum_i P(X(T_i) = n).
 * The state is a float8[] (btyd_bins.h), merged by cvfw_btyd_bins_combine;
 * the final functions return arrays of rows of standard SQL types.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "btyd_bins.h"
#include "pg_btyd.h"

PG_FUNCTION_INFO_V1(cvfw_bgnbd_holdout_trans);
PG_FUNCTION_INFO_V1(cvfw_pnbd_holdout_trans);
PG_FUNCTION_INFO_V1(cvfw_bgnbd_frequencies_trans);
PG_FUNCTION_INFO_V1(cvfw_pnbd_frequencies_trans);
PG_FUNCTION_INFO_V1(cvfw_btyd_bins_combine);
PG_FUNCTION_INFO_V1(cvfw_btyd_holdout_final);
PG_FUNCTION_INFO_V1(cvfw_btyd_frequencies_final);

#define DEFAULT_BINS 7

static void
corrupted(const char *fname)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s: corrupted model check state", fname)));
}

/* a state argument, checked; a copy unless it is the aggregate's own */
static ArrayType *
state_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ? PG_GETARG_ARRAYTYPE_P(argno) :
	PG_GETARG_ARRAYTYPE_P_COPY(argno);

	if (ARR_NDIM(a) != 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID ||
		cv_bins_check((double *) ARR_DATA_PTR(a), ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a))) != 0)
		corrupted(fname);
	return a;
}

static ArrayType *
new_state(FunctionCallInfo fcinfo, int kind, int model, int k, const double params[4])
{
	MemoryContext ctx,
				old;
	size_t		n = cv_bins_len(k);
	Datum	   *d;
	ArrayType  *a;
	size_t		i;

	if (!AggCheckCallContext(fcinfo, &ctx))
		ctx = CurrentMemoryContext;
	old = MemoryContextSwitchTo(ctx);
	d = palloc(n * sizeof(Datum));
	for (i = 0; i < n; i++)
		d[i] = Float8GetDatum(0);
	a = construct_array(d, (int) n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	MemoryContextSwitchTo(old);
	cv_bins_init((double *) ARR_DATA_PTR(a), kind, model, k, params);
	return a;
}

/*
 * The state for this row: the one so far, or a new one; the model and bins
 * must be the same on every row.  argbins: the bins argument's number, or
 * -1 for the default.
 */
static ArrayType *
row_state(FunctionCallInfo fcinfo, int kind, int model, const double params[4], int argbins,
		  const char *fname)
{
	int			k = DEFAULT_BINS;
	double		header[CV_BINS_HEADER];
	ArrayType  *a;
	int			i;

	if (argbins >= 0)
	{
		if (PG_ARGISNULL(argbins))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: the number of bins must not be NULL", fname)));
		k = PG_GETARG_INT32(argbins);
		if (k < 1 || k > CV_BINS_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the number of bins must be from 1 to %d", fname, CV_BINS_MAX)));
	}
	if (PG_ARGISNULL(0))
		return new_state(fcinfo, kind, model, k, params);
	a = state_arg(fcinfo, 0, fname);
	header[0] = kind;
	header[1] = model;
	header[2] = k;
	for (i = 0; i < 4; i++)
		header[3 + i] = params[i];
	if (!cv_bins_same((double *) ARR_DATA_PTR(a), header))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the model and the number of bins must be the same for every row", fname)));
	return a;
}

/* the model argument (1): NULL is an error */
static HeapTupleHeader
model_arg(FunctionCallInfo fcinfo, const char *fname)
{
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: the model must not be NULL", fname)));
	return PG_GETARG_HEAPTUPLEHEADER(1);
}

static bool
any_null(FunctionCallInfo fcinfo, int from, int to)
{
	int			i;

	for (i = from; i <= to; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/* (state, model, frequency, recency, T, frequency_holdout, duration_holdout [, bins]) */
static Datum
holdout_trans(FunctionCallInfo fcinfo, int model)
{
	const char *fname = model == CV_BINS_BGNBD ? "cvfw_bgnbd_holdout" : "cvfw_pnbd_holdout";
	HeapTupleHeader t = model_arg(fcinfo, fname);
	cv_bgnbd	bg;
	cv_pnbd		pn;
	double		params[4],
				x,
				t_x,
				T,
				actual,
				duration,
				expected = 0;
	ArrayType  *a;
	double	   *v;
	int			b;

	if (model == CV_BINS_BGNBD)
	{
		cvfw_bgnbd_from_datum(t, &bg, fname);
		params[0] = bg.r, params[1] = bg.alpha, params[2] = bg.a, params[3] = bg.b;
	}
	else
	{
		cvfw_pnbd_from_datum(t, &pn, fname);
		params[0] = pn.r, params[1] = pn.alpha, params[2] = pn.s, params[3] = pn.beta;
	}
	a = row_state(fcinfo, CV_BINS_HOLDOUT, model, params, PG_NARGS() > 7 ? 7 : -1, fname);
	if (any_null(fcinfo, 2, 6))
		PG_RETURN_ARRAYTYPE_P(a);	/* customers with a NULL are left out */
	cvfw_history_arg(fcinfo, 2, fname, &x, &t_x, &T);
	actual = PG_GETARG_FLOAT8(5);
	duration = PG_GETARG_FLOAT8(6);
	if (!(actual >= 0) || isinf(actual))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the holdout frequency must be a finite number, 0 or more", fname)));
	if (!(duration >= 0) || isinf(duration))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the holdout duration must be a finite number of periods, 0 or more", fname)));
	cvfw_btyd_check(model == CV_BINS_BGNBD ?
					cv_bgnbd_conditional(&bg, x, t_x, T, duration, &expected) :
					cv_pnbd_conditional(&pn, x, t_x, T, duration, &expected), fname, NULL, 0);
	v = (double *) ARR_DATA_PTR(a);
	b = cv_bins_bin(v, x);
	cv_bins_count(v, b, actual);
	cv_bins_expect(v, b, expected);
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
cvfw_bgnbd_holdout_trans(PG_FUNCTION_ARGS)
{
	return holdout_trans(fcinfo, CV_BINS_BGNBD);
}

Datum
cvfw_pnbd_holdout_trans(PG_FUNCTION_ARGS)
{
	return holdout_trans(fcinfo, CV_BINS_PNBD);
}

/* (state, model, frequency, T [, bins]) */
static Datum
frequencies_trans(FunctionCallInfo fcinfo, int model)
{
	const char *fname = model == CV_BINS_BGNBD ? "cvfw_bgnbd_frequencies" : "cvfw_pnbd_frequencies";
	HeapTupleHeader t = model_arg(fcinfo, fname);
	cv_bgnbd	bg;
	cv_pnbd		pn;
	double		params[4],
				x,
				T,
				rest = 1;
	ArrayType  *a;
	double	   *v;
	int			n,
				k;

	if (model == CV_BINS_BGNBD)
	{
		cvfw_bgnbd_from_datum(t, &bg, fname);
		params[0] = bg.r, params[1] = bg.alpha, params[2] = bg.a, params[3] = bg.b;
	}
	else
	{
		cvfw_pnbd_from_datum(t, &pn, fname);
		params[0] = pn.r, params[1] = pn.alpha, params[2] = pn.s, params[3] = pn.beta;
	}
	a = row_state(fcinfo, CV_BINS_FREQUENCIES, model, params, PG_NARGS() > 4 ? 4 : -1, fname);
	if (any_null(fcinfo, 2, 3))
		PG_RETURN_ARRAYTYPE_P(a);
	x = PG_GETARG_FLOAT8(2);
	T = PG_GETARG_FLOAT8(3);
	if (cv_bgnbd_row_error(x, 0, T) != NULL || !(T >= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid customer (frequency %g, T %g)", fname, x, T),
				 errdetail("The frequency must be a whole number from 0 to 1e9 and T a finite number, 0 or more.")));
	v = (double *) ARR_DATA_PTR(a);
	k = (int) v[2];
	cv_bins_count(v, cv_bins_bin(v, x), 0);
	for (n = 0; n < k; n++)
	{
		double		p = 0;

		cvfw_btyd_check(model == CV_BINS_BGNBD ? cv_bgnbd_pmf(&bg, T, n, &p) :
						cv_pnbd_pmf(&pn, T, n, &p), fname, NULL, 0);
		cv_bins_expect(v, n, p);
		rest -= p;
	}
	/* K or more: what the first K leave (never below 0 for rounding) */
	cv_bins_expect(v, k, fmax(rest, 0));
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
cvfw_bgnbd_frequencies_trans(PG_FUNCTION_ARGS)
{
	return frequencies_trans(fcinfo, CV_BINS_BGNBD);
}

Datum
cvfw_pnbd_frequencies_trans(PG_FUNCTION_ARGS)
{
	return frequencies_trans(fcinfo, CV_BINS_PNBD);
}

Datum
cvfw_btyd_bins_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a,
			   *b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_ARRAYTYPE_P(state_arg(fcinfo, 0, "cvfw_btyd_bins_combine"));
	}
	b = state_arg(fcinfo, 1, "cvfw_btyd_bins_combine");
	if (PG_ARGISNULL(0))
	{
		MemoryContext ctx,
					old;

		/* a copy of b in the aggregate's context */
		if (!AggCheckCallContext(fcinfo, &ctx))
			ctx = CurrentMemoryContext;
		old = MemoryContextSwitchTo(ctx);
		a = DatumGetArrayTypePCopy(PointerGetDatum(b));
		MemoryContextSwitchTo(old);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	a = state_arg(fcinfo, 0, "cvfw_btyd_bins_combine");
	if (ArrayGetNItems(1, ARR_DIMS(a)) != ArrayGetNItems(1, ARR_DIMS(b)) ||
		!cv_bins_same((double *) ARR_DATA_PTR(a), (double *) ARR_DATA_PTR(b)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_btyd_bins_combine: the model and the number of bins must be the same for every row")));
	cv_bins_merge((double *) ARR_DATA_PTR(a), (double *) ARR_DATA_PTR(b));
	PG_RETURN_ARRAYTYPE_P(a);
}

/* the row type of the final function's array result */
static TupleDesc
element_desc(FunctionCallInfo fcinfo, Oid *elem)
{
	Oid			rettype = get_fn_expr_rettype(fcinfo->flinfo);

	*elem = OidIsValid(rettype) ? get_element_type(rettype) : InvalidOid;
	if (!OidIsValid(*elem))
		elog(ERROR, "a model check's final function must return an array of a row type");
	return BlessTupleDesc(lookup_rowtype_tupdesc_copy(*elem, -1));
}

static Datum
bin_label(int b, int k)
{
	char		buf[32];

	if (b < 0)
		return CStringGetTextDatum("all");
	snprintf(buf, sizeof buf, b < k ? "%d" : "%d+", b);
	return CStringGetTextDatum(buf);
}

static ArrayType *
rows_array(Datum *rows, int n, Oid elem)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
	return construct_array(rows, n, elem, typlen, typbyval, typalign);
}

/* (frequency text, customers int8, actual_mean, expected_mean, actual_total, expected_total) */
Datum
cvfw_btyd_holdout_final(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	const double *v;
	TupleDesc	desc;
	Oid			elem;
	Datum	   *rows;
	double		all[3] = {0, 0, 0};
	int			k,
				b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	a = state_arg(fcinfo, 0, "cvfw_btyd_holdout_final");
	v = (const double *) ARR_DATA_PTR(a);
	if (v[0] != CV_BINS_HOLDOUT)
		corrupted("cvfw_btyd_holdout_final");
	k = (int) v[2];
	desc = element_desc(fcinfo, &elem);
	rows = palloc((k + 2) * sizeof(Datum));
	for (b = 0; b <= k + 1; b++)
	{
		const double *bin = b <= k ? v + CV_BINS_HEADER + 3 * b : all;
		Datum		values[6];
		bool		nulls[6] = {false};

		if (b <= k)
		{
			all[0] += bin[0];
			all[1] += bin[1];
			all[2] += bin[2];
		}
		values[0] = bin_label(b <= k ? b : -1, k);
		values[1] = Int64GetDatum((int64) bin[0]);
		nulls[2] = nulls[3] = bin[0] == 0;
		values[2] = Float8GetDatum(bin[0] > 0 ? bin[1] / bin[0] : 0);
		values[3] = Float8GetDatum(bin[0] > 0 ? bin[2] / bin[0] : 0);
		values[4] = Float8GetDatum(bin[1]);
		values[5] = Float8GetDatum(bin[2]);
		rows[b] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(rows_array(rows, k + 2, elem));
}

/* (frequency text, actual int8, expected float8) */
Datum
cvfw_btyd_frequencies_final(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	const double *v;
	TupleDesc	desc;
	Oid			elem;
	Datum	   *rows;
	double		all[3] = {0, 0, 0};
	int			k,
				b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	a = state_arg(fcinfo, 0, "cvfw_btyd_frequencies_final");
	v = (const double *) ARR_DATA_PTR(a);
	if (v[0] != CV_BINS_FREQUENCIES)
		corrupted("cvfw_btyd_frequencies_final");
	k = (int) v[2];
	desc = element_desc(fcinfo, &elem);
	rows = palloc((k + 2) * sizeof(Datum));
	for (b = 0; b <= k + 1; b++)
	{
		const double *bin = b <= k ? v + CV_BINS_HEADER + 3 * b : all;
		Datum		values[3];
		bool		nulls[3] = {false};

		if (b <= k)
		{
			all[0] += bin[0];
			all[2] += bin[2];
		}
		values[0] = bin_label(b <= k ? b : -1, k);
		values[1] = Int64GetDatum((int64) bin[0]);
		values[2] = Float8GetDatum(bin[2]);
		rows[b] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(rows_array(rows, k + 2, elem));
}
