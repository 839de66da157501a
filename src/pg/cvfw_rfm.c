/*
 * cvfw_rfm.c — the cvfw_rfm aggregate: one customer's purchases into frequency,
 * recency, T and monetary value.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/timestamp.h"

#include "pg_agg.h"
#include "pg_rfm.h"
#include "rfm.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_rfm_trans);
PG_FUNCTION_INFO_V1(cvfw_rfm_combine);
PG_FUNCTION_INFO_V1(cvfw_rfm_serialize);
PG_FUNCTION_INFO_V1(cvfw_rfm_deserialize);
PG_FUNCTION_INFO_V1(cvfw_rfm_final);


static cv_rfm_acc *
rfm_acc(FunctionCallInfo fcinfo, const char *name)
{
	return MemoryContextAllocZero(cvfw_agg_context(fcinfo, name), sizeof(cv_rfm_acc));
}

static void
same_settings(const cv_rfm_acc *a, const cv_rfm_acc *b)
{
	if (a->end_grain != b->end_grain || a->grain_us != b->grain_us || a->period_us != b->period_us)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_rfm: the calibration end, period and grain must be the same for every row")));
}

static void
too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("cvfw_rfm: a customer has too many purchases"),
			 errdetail("At most %zu purchases per customer are summarised.", (size_t) CV_RFM_MAX)));
}

/* cvfw_rfm(at, amount, calibration_end, period [, grain]) */
Datum
cvfw_rfm_trans(PG_FUNCTION_ARGS)
{
	cv_rfm_acc *acc = PG_ARGISNULL(0) ? NULL : (cv_rfm_acc *) PG_GETARG_POINTER(0);
	TimestampTz at,
				end;
	int64		grain_us,
				period_us;
	double		amount;
	cv_rfm_acc	row;
	MemoryContext old;
	int			rc;

	/* a purchase without a time cannot be placed */
	CVFW_RETURN_STATE_IF_NULL(acc, 1);
	at = cvfw_rfm_finite_time(fcinfo, 1, "purchase time", "cvfw_rfm");
	end = cvfw_rfm_finite_time(fcinfo, 3, "calibration end", "cvfw_rfm");
	period_us = cvfw_rfm_length_us(fcinfo, 4, "period", "cvfw_rfm");
	grain_us = PG_NARGS() > 5 ? cvfw_rfm_length_us(fcinfo, 5, "grain", "cvfw_rfm") : USECS_PER_DAY;
	amount = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);
	if (!isfinite(amount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_rfm: the amount must be a finite number")));
	cv_rfm_init(&row, cvfw_rfm_grain_of(end, grain_us), grain_us, period_us);
	if (acc == NULL)
	{
		acc = rfm_acc(fcinfo, "cvfw_rfm_trans");
		*acc = row;
	}
	else
		same_settings(acc, &row);
	/* purchases after the calibration period are left out */
	if (at > end)
		PG_RETURN_POINTER(acc);
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_rfm_trans"));
	rc = cv_rfm_add(acc, cvfw_rfm_grain_of(at, grain_us), amount);
	MemoryContextSwitchTo(old);
	if (rc != 0)
		too_many();
	PG_RETURN_POINTER(acc);
}

Datum
cvfw_rfm_combine(PG_FUNCTION_ARGS)
{
	cv_rfm_acc *a = PG_ARGISNULL(0) ? NULL : (cv_rfm_acc *) PG_GETARG_POINTER(0);
	cv_rfm_acc *b = PG_ARGISNULL(1) ? NULL : (cv_rfm_acc *) PG_GETARG_POINTER(1);
	MemoryContext old;
	int			rc;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	if (a == NULL)
	{
		a = rfm_acc(fcinfo, "cvfw_rfm_combine");
		cv_rfm_init(a, b->end_grain, b->grain_us, b->period_us);
	}
	same_settings(a, b);
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_rfm_combine"));
	rc = cv_rfm_merge(a, b);
	MemoryContextSwitchTo(old);
	if (rc != 0)
		too_many();
	PG_RETURN_POINTER(a);
}

Datum
cvfw_rfm_serialize(PG_FUNCTION_ARGS)
{
	cv_rfm_acc *acc = (cv_rfm_acc *) PG_GETARG_POINTER(0);
	size_t		size = cv_rfm_state_wire_size(acc->len);
	bytea	   *out = palloc(VARHDRSZ + size);

	SET_VARSIZE(out, VARHDRSZ + size);
	cv_rfm_state_encode(acc, (uint8 *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

static void
corrupted(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted cvfw_rfm aggregate state")));
}

Datum
cvfw_rfm_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	cv_rfm_acc *acc = rfm_acc(fcinfo, "cvfw_rfm_deserialize");
	const uint8 *bytes = (const uint8 *) VARDATA_ANY(data);
	size_t		size = VARSIZE_ANY_EXHDR(data),
				n;

	cvfw_check_state_version(data, "cvfw_rfm");
	if (cv_rfm_state_count(bytes, size, &n) != CV_OK)
		corrupted();
	acc->len = acc->cap = n;
	acc->e = n > 0 ? MemoryContextAllocHuge(cvfw_agg_context(fcinfo, "cvfw_rfm_deserialize"),
											n * sizeof(cv_rfm_entry)) : NULL;
	if (cv_rfm_state_decode(bytes, size, acc) != CV_OK)
		corrupted();
	PG_RETURN_POINTER(acc);
}

Datum
cvfw_rfm_final(PG_FUNCTION_ARGS)
{
	cv_rfm_acc *acc;
	cv_rfm		r;
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no purchases */
	acc = (cv_rfm_acc *) PG_GETARG_POINTER(0);
	if (acc->len == 0)
		PG_RETURN_NULL();		/* none in the calibration period */
	if (cv_rfm_summary(acc, &r) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cvfw_rfm: the sum of amounts is out of range")));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_rfm must be a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = Float8GetDatum(r.frequency);
	values[1] = Float8GetDatum(r.recency);
	values[2] = Float8GetDatum(r.T);
	values[3] = Float8GetDatum(r.monetary);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
