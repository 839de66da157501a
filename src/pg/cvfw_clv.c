/*
 * cvfw_clv.c — customer lifetime value in SQL: the formulas (float8 and
 * numeric), the cvfw_clv_agg aggregate over existing customers, the report
 * straight from a flow summary, and customer competitiveness.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "pg_agg.h"
#include "clv.h"
#include "pg_flow.h"
#include "pg_stage.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_clv_simple);
PG_FUNCTION_INFO_V1(cvfw_clv_discounted);
PG_FUNCTION_INFO_V1(cvfw_clv_numeric);
PG_FUNCTION_INFO_V1(cvfw_clv_agg_trans);
PG_FUNCTION_INFO_V1(cvfw_clv_agg_combine);
PG_FUNCTION_INFO_V1(cvfw_clv_agg_serialize);
PG_FUNCTION_INFO_V1(cvfw_clv_agg_deserialize);
PG_FUNCTION_INFO_V1(cvfw_clv_agg_final);
PG_FUNCTION_INFO_V1(cvfw_clv_flow);
PG_FUNCTION_INFO_V1(cvfw_clv_with);
PG_FUNCTION_INFO_V1(cvfw_competitiveness);

#define REPORT_COLUMNS 10

static void
clv_check(cv_clv_status st)
{
	switch (st)
	{
		case CV_CLV_OK:
			return;
		case CV_CLV_NOT_A_NUMBER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cvfw_clv: an argument is NaN")));
			break;
		case CV_CLV_NEGATIVE_PERIODS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cvfw_clv: the number of periods must not be negative")));
			break;
		case CV_CLV_BAD_DISCOUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cvfw_clv: the discount rate must be a finite number greater than -1")));
			break;
		case CV_CLV_INFINITE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("cvfw_clv: value out of range"),
					 errdetail("Amounts must be finite; infinitely many periods need a positive discount rate.")));
			break;
	}
}

Datum
cvfw_clv_simple(PG_FUNCTION_ARGS)
{
	double		out = 0;

	clv_check(cv_clv(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), &out));
	PG_RETURN_FLOAT8(out);
}

Datum
cvfw_clv_discounted(PG_FUNCTION_ARGS)
{
	double		out = 0;

	clv_check(cv_clv_discounted(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
								PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), &out));
	PG_RETURN_FLOAT8(out);
}

/* revenue_per_period x periods - costs in numeric: exact */
Datum
cvfw_clv_numeric(PG_FUNCTION_ARGS)
{
	Numeric		r = PG_GETARG_NUMERIC(0);
	Numeric		p = PG_GETARG_NUMERIC(1);
	Numeric		c = PG_GETARG_NUMERIC(2);
	Datum		zero = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));

	if (numeric_is_nan(r) || numeric_is_nan(p) || numeric_is_nan(c))
		clv_check(CV_CLV_NOT_A_NUMBER);
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(p), zero)))
		clv_check(CV_CLV_NEGATIVE_PERIODS);
	if (cvfw_numeric_is_inf(r) || cvfw_numeric_is_inf(p) || cvfw_numeric_is_inf(c))
		clv_check(CV_CLV_INFINITE);
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_sub,
										DirectFunctionCall2(numeric_mul, NumericGetDatum(r),
															NumericGetDatum(p)),
										NumericGetDatum(c)));
}

/* --- the report as a composite ------------------------------------------------------ */

static Datum
nullable_float(double v, bool *isnull)
{
	*isnull = isnan(v);
	return Float8GetDatum(*isnull ? 0 : v);
}

static Datum
report_datum(FunctionCallInfo fcinfo, const cv_clv_report *r)
{
	TupleDesc	desc;
	Datum		values[REPORT_COLUMNS];
	bool		nulls[REPORT_COLUMNS] = {false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_clv_report must be a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum((int64) r->customers);
	values[1] = Int64GetDatum((int64) r->churned);
	values[2] = nullable_float(r->exposure_periods, &nulls[2]);
	values[3] = nullable_float(r->revenue_per_period, &nulls[3]);
	values[4] = nullable_float(r->expected_periods, &nulls[4]);
	values[5] = nullable_float(r->cost_per_customer, &nulls[5]);
	values[6] = nullable_float(r->clv_per_customer, &nulls[6]);
	values[7] = nullable_float(r->total_clv, &nulls[7]);
	values[8] = nullable_float(r->acquisition_cost, &nulls[8]);
	values[9] = nullable_float(r->new_customer_clv, &nulls[9]);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* --- cvfw_clv_agg(revenue, cost, tenure, churned [, period]) --------------------------- */

/* an interval in microseconds, months counted as 30 days (as extract(epoch) does) */
static cv_i128
interval_us(const Interval *iv, const char *what)
{
	if (!cvfw_interval_is_finite(iv))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_clv_agg: %s must be finite", what)));
	return cv_i128_add(cv_i128_add(cv_i128_mul(iv->month, (uint64) DAYS_PER_MONTH * USECS_PER_DAY),
								   cv_i128_mul(iv->day, (uint64) USECS_PER_DAY)),
					   cv_i128_from_i64(iv->time));
}

static int64
period_us(const Interval *iv)
{
	cv_i128		us = interval_us(iv, "the period");

	if (cv_i128_is_neg(us) || cv_i128_is_zero(us) || us.hi != 0 || us.lo > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_clv: the period must be a positive interval")));
	return (int64) us.lo;
}

static cv_clv_acc *
clv_acc(FunctionCallInfo fcinfo, const char *name)
{
	return MemoryContextAllocZero(cvfw_agg_context(fcinfo, name), sizeof(cv_clv_acc));
}

static double
amount(FunctionCallInfo fcinfo, int arg, const char *what)
{
	double		v;

	if (PG_ARGISNULL(arg))
		return 0;				/* no revenue or cost recorded */
	v = PG_GETARG_FLOAT8(arg);
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_clv_agg: %s must be a finite number", what)));
	return v;
}

Datum
cvfw_clv_agg_trans(PG_FUNCTION_ARGS)
{
	cv_clv_acc *acc = PG_ARGISNULL(0) ? NULL : (cv_clv_acc *) PG_GETARG_POINTER(0);
	double		revenue,
				cost;
	cv_i128		tenure;
	int64		period;

	/* a customer without a tenure or a churn flag cannot be counted */
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
	{
		if (acc == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(acc);
	}
	revenue = amount(fcinfo, 1, "revenue");
	cost = amount(fcinfo, 2, "cost");
	tenure = interval_us(PG_GETARG_INTERVAL_P(3), "tenure");
	if (cv_i128_is_neg(tenure))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_clv_agg: tenure must not be negative")));
	if (PG_NARGS() > 5 && PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cvfw_clv_agg: the period must not be NULL")));
	period = PG_NARGS() > 5 ? period_us(PG_GETARG_INTERVAL_P(5))
		: (int64) DAYS_PER_MONTH * USECS_PER_DAY;

	if (acc == NULL)
	{
		acc = clv_acc(fcinfo, "cvfw_clv_agg_trans");
		acc->period_us = period;
	}
	else if (acc->period_us != period)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_clv_agg: the period must be the same for every row")));
	acc->customers++;
	acc->churned += PG_GETARG_BOOL(4) ? 1 : 0;
	acc->exposure_us = cv_i128_add(acc->exposure_us, tenure);
	acc->revenue += revenue;
	acc->cost += cost;
	if (!isfinite(acc->revenue) || !isfinite(acc->cost))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_clv_agg: a sum of revenue or cost is out of range")));
	PG_RETURN_POINTER(acc);
}

Datum
cvfw_clv_agg_combine(PG_FUNCTION_ARGS)
{
	cv_clv_acc *a = PG_ARGISNULL(0) ? NULL : (cv_clv_acc *) PG_GETARG_POINTER(0);
	cv_clv_acc *b = PG_ARGISNULL(1) ? NULL : (cv_clv_acc *) PG_GETARG_POINTER(1);

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	if (a == NULL)
		a = clv_acc(fcinfo, "cvfw_clv_agg_combine");
	if (a->customers > 0 && a->period_us != b->period_us)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_clv_agg: the period must be the same for every row")));
	if (!cv_clv_acc_merge(a, b))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_clv_agg: a sum of revenue or cost is out of range")));
	PG_RETURN_POINTER(a);
}

Datum
cvfw_clv_agg_serialize(PG_FUNCTION_ARGS)
{
	cv_clv_acc *acc = (cv_clv_acc *) PG_GETARG_POINTER(0);
	bytea	   *out = palloc(VARHDRSZ + CV_CLV_ACC_WIRE_SIZE);

	SET_VARSIZE(out, VARHDRSZ + CV_CLV_ACC_WIRE_SIZE);
	cv_clv_acc_encode(acc, (uint8 *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_clv_agg_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	cv_clv_acc *acc = clv_acc(fcinfo, "cvfw_clv_agg_deserialize");

	cvfw_check_state_version(data, "cvfw_clv_agg");
	if (cv_clv_acc_decode((const uint8 *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), acc) != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cvfw_clv_agg aggregate state")));
	PG_RETURN_POINTER(acc);
}

Datum
cvfw_clv_agg_final(PG_FUNCTION_ARGS)
{
	cv_clv_acc *acc;
	cv_clv_inputs in;
	cv_clv_report r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no customers */
	acc = (cv_clv_acc *) PG_GETARG_POINTER(0);
	in.customers = acc->customers;
	in.churned = acc->churned;
	in.exposure_us = acc->exposure_us;
	in.period_us = acc->period_us;
	in.revenue = acc->revenue;
	in.cost = acc->cost;
	in.acquisition_spend = NAN;
	in.acquired = 0;
	in.margin = 1;
	in.discount = 0;
	clv_check(cv_clv_report_of(&in, &r));
	PG_RETURN_DATUM(report_datum(fcinfo, &r));
}

/* --- the report from a flow summary ------------------------------------------------------ */

/* cvfw_clv(flow, as_of, horizon, period, margin, discount) */
Datum
cvfw_clv_flow(PG_FUNCTION_ARGS)
{
	const cv_flow *f;
	cv_clv_inputs in;
	cv_clv_report r;
	int32		cutoff_day = 0;
	bool		has_cutoff;
	cv_stage	s;
	cv_i128		revenue = {0, 0},
				cost = {0, 0};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	f = cvfw_flow_arg(fcinfo, 0);
	has_cutoff = cvfw_leak_cutoff(fcinfo, 1, 2, &cutoff_day);
	memset(&in, 0, sizeof(in));
	in.customers = f->customers;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		in.churned += cv_flow_leaked(f, s, has_cutoff, cutoff_day);
		/* six sums of at most 10^37 each: exact in 128 bits, rounded once */
		revenue = cv_i128_add(revenue, f->st[s].value);
		cost = cv_i128_add(cost, f->st[s].cost);
	}
	in.revenue = cv_money_to_double(revenue);
	in.cost = cv_money_to_double(cost);
	/* as_of matters only for active customers, and there are some only with a horizon */
	in.exposure_us = cv_flow_exposure(f, has_cutoff, cutoff_day,
									  has_cutoff ? PG_GETARG_TIMESTAMPTZ(1) : 0);
	in.period_us = period_us(PG_GETARG_INTERVAL_P(3));
	in.acquisition_spend = cv_money_to_double(f->acquisition_cost);
	in.acquired = f->st[CV_VALUE_REALIZATION].customers;
	in.margin = PG_GETARG_FLOAT8(4);
	in.discount = PG_GETARG_FLOAT8(5);
	if (!isfinite(in.revenue) || !isfinite(in.cost))
		clv_check(CV_CLV_INFINITE);
	clv_check(cv_clv_report_of(&in, &r));
	PG_RETURN_DATUM(report_datum(fcinfo, &r));
}

/* --- re-evaluating a report, and customer competitiveness --------------------------------- */

static double
report_field(HeapTupleHeader t, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(t, attno, &isnull);

	return isnull ? NAN : DatumGetFloat8(d);
}

/* cvfw_clv_with(report, margin, discount, acquisition_cost) */
Datum
cvfw_clv_with(PG_FUNCTION_ARGS)
{
	HeapTupleHeader t;
	cv_clv_report r;
	bool		isnull;
	double		margin,
				discount;
	cv_clv_status st = CV_CLV_OK;

	/* a NULL acquisition cost means the report's own; other NULLs, no answer */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	t = PG_GETARG_HEAPTUPLEHEADER(0);
	margin = PG_GETARG_FLOAT8(1);
	discount = PG_GETARG_FLOAT8(2);
	r.customers = (uint64) DatumGetInt64(GetAttributeByNum(t, 1, &isnull));
	r.churned = (uint64) DatumGetInt64(GetAttributeByNum(t, 2, &isnull));
	r.exposure_periods = report_field(t, 3);
	r.revenue_per_period = report_field(t, 4);
	r.expected_periods = report_field(t, 5);
	r.cost_per_customer = report_field(t, 6);
	r.acquisition_cost = PG_ARGISNULL(3) ? report_field(t, 9) : PG_GETARG_FLOAT8(3);
	r.clv_per_customer = r.total_clv = r.new_customer_clv = NAN;
	if (!isnan(r.revenue_per_period) && !isnan(r.expected_periods))
	{
		if (!isnan(r.cost_per_customer))
		{
			st = cv_clv_discounted(r.revenue_per_period, r.expected_periods, r.cost_per_customer,
								   margin, discount, &r.clv_per_customer);
			r.total_clv = r.clv_per_customer * (double) r.customers;
			if (st == CV_CLV_OK && isinf(r.total_clv))
				st = CV_CLV_INFINITE;
		}
		if (st == CV_CLV_OK && !isnan(r.acquisition_cost))
			st = cv_clv_discounted(r.revenue_per_period, r.expected_periods, r.acquisition_cost,
								   margin, discount, &r.new_customer_clv);
	}
	else if (isnan(margin) || isnan(discount))
		st = CV_CLV_NOT_A_NUMBER;
	clv_check(st);
	PG_RETURN_DATUM(report_datum(fcinfo, &r));
}

/* total_clv + new_customers x new_customer_clv */
Datum
cvfw_competitiveness(PG_FUNCTION_ARGS)
{
	HeapTupleHeader t = PG_GETARG_HEAPTUPLEHEADER(0);
	double		new_customers = PG_GETARG_FLOAT8(1);
	double		total = report_field(t, 8),
				new_clv = report_field(t, 10),
				out;

	if (isnan(new_customers) || new_customers < 0 || isinf(new_customers))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_competitiveness: the number of new customers must be a finite number of at least 0")));
	if (isnan(total) || (new_customers > 0 && isnan(new_clv)))
		PG_RETURN_NULL();
	out = total + (new_customers > 0 ? new_customers * new_clv : 0);
	if (!isfinite(out))
		clv_check(CV_CLV_INFINITE);
	PG_RETURN_FLOAT8(out);
}
