/*
 * cvfw_rfm_holdout.c — the cvfw_rfm_holdout aggregate: one customer's
 * purchases split into a calibration summary (as cvfw_rfm) and what they
 * bought in the holdout period after it (as lifetimes'
 * calibration_and_holdout_data).
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

PG_FUNCTION_INFO_V1(cvfw_rfm_holdout_trans);
PG_FUNCTION_INFO_V1(cvfw_rfm_holdout_combine);
PG_FUNCTION_INFO_V1(cvfw_rfm_holdout_serialize);
PG_FUNCTION_INFO_V1(cvfw_rfm_holdout_deserialize);
PG_FUNCTION_INFO_V1(cvfw_rfm_holdout_final);

#define FNAME "cvfw_rfm_holdout"

/*
 * The purchases up to the calibration end (cal, whose end grain is the
 * calibration end's) and those after it up to the observation end (hold,
 * whose end grain is the observation end's); same grain and period.
 */
typedef struct holdout_acc
{
	cv_rfm_acc	cal,
				hold;
} holdout_acc;

static holdout_acc *
new_acc(FunctionCallInfo fcinfo, const char *name)
{
	return MemoryContextAllocZero(cvfw_agg_context(fcinfo, name), sizeof(holdout_acc));
}

static void
same_settings(const holdout_acc *a, const holdout_acc *b)
{
	if (a->cal.end_grain != b->cal.end_grain || a->hold.end_grain != b->hold.end_grain ||
		a->cal.grain_us != b->cal.grain_us || a->cal.period_us != b->cal.period_us)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(FNAME ": the calibration end, observation end, period and grain must be the same for every row")));
}

static void
too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg(FNAME ": a customer has too many purchases"),
			 errdetail("At most %zu purchases per customer are summarised.", (size_t) CV_RFM_MAX)));
}

/* cvfw_rfm_holdout(at, amount, calibration_end, observation_end, period [, grain]) */
Datum
cvfw_rfm_holdout_trans(PG_FUNCTION_ARGS)
{
	holdout_acc *acc = PG_ARGISNULL(0) ? NULL : (holdout_acc *) PG_GETARG_POINTER(0);
	TimestampTz at,
				cal_end,
				obs_end;
	int64		grain_us,
				period_us;
	double		amount;
	holdout_acc row;
	MemoryContext old;
	int			rc;

	CVFW_RETURN_STATE_IF_NULL(acc, 1);
	at = cvfw_rfm_finite_time(fcinfo, 1, "purchase time", FNAME);
	cal_end = cvfw_rfm_finite_time(fcinfo, 3, "calibration end", FNAME);
	obs_end = cvfw_rfm_finite_time(fcinfo, 4, "observation end", FNAME);
	period_us = cvfw_rfm_length_us(fcinfo, 5, "period", FNAME);
	grain_us = PG_NARGS() > 6 ? cvfw_rfm_length_us(fcinfo, 6, "grain", FNAME) : USECS_PER_DAY;
	if (obs_end < cal_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(FNAME ": the observation end must not be before the calibration end")));
	amount = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);
	if (!isfinite(amount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(FNAME ": the amount must be a finite number")));
	cv_rfm_init(&row.cal, cvfw_rfm_grain_of(cal_end, grain_us), grain_us, period_us);
	cv_rfm_init(&row.hold, cvfw_rfm_grain_of(obs_end, grain_us), grain_us, period_us);
	if (acc == NULL)
	{
		acc = new_acc(fcinfo, "cvfw_rfm_holdout_trans");
		*acc = row;
	}
	else
		same_settings(acc, &row);
	/* purchases after the observation end are left out */
	if (at > obs_end)
		PG_RETURN_POINTER(acc);
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_rfm_holdout_trans"));
	rc = cv_rfm_add(at > cal_end ? &acc->hold : &acc->cal, cvfw_rfm_grain_of(at, grain_us), amount);
	MemoryContextSwitchTo(old);
	if (rc != 0)
		too_many();
	PG_RETURN_POINTER(acc);
}

Datum
cvfw_rfm_holdout_combine(PG_FUNCTION_ARGS)
{
	holdout_acc *a = PG_ARGISNULL(0) ? NULL : (holdout_acc *) PG_GETARG_POINTER(0);
	holdout_acc *b = PG_ARGISNULL(1) ? NULL : (holdout_acc *) PG_GETARG_POINTER(1);
	MemoryContext old;
	int			rc;

	CVFW_RETURN_STATE_IF_NULL(a, 1);
	if (a == NULL)
	{
		a = new_acc(fcinfo, "cvfw_rfm_holdout_combine");
		cv_rfm_init(&a->cal, b->cal.end_grain, b->cal.grain_us, b->cal.period_us);
		cv_rfm_init(&a->hold, b->hold.end_grain, b->hold.grain_us, b->hold.period_us);
	}
	same_settings(a, b);
	old = MemoryContextSwitchTo(cvfw_agg_context(fcinfo, "cvfw_rfm_holdout_combine"));
	rc = cv_rfm_merge(&a->cal, &b->cal) | cv_rfm_merge(&a->hold, &b->hold);
	MemoryContextSwitchTo(old);
	if (rc != 0)
		too_many();
	PG_RETURN_POINTER(a);
}

Datum
cvfw_rfm_holdout_serialize(PG_FUNCTION_ARGS)
{
	holdout_acc *acc = (holdout_acc *) PG_GETARG_POINTER(0);
	size_t		first = cv_rfm_state_wire_size(acc->cal.len),
				size = first + cv_rfm_state_wire_size(acc->hold.len);
	bytea	   *out = palloc(VARHDRSZ + size);

	SET_VARSIZE(out, VARHDRSZ + size);
	cv_rfm_state_encode(&acc->cal, (uint8 *) VARDATA(out));
	cv_rfm_state_encode(&acc->hold, (uint8 *) VARDATA(out) + first);
	PG_RETURN_BYTEA_P(out);
}

static void
corrupted(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted cvfw_rfm_holdout aggregate state")));
}

/* one of the two states: checked, its entries in the aggregate's context */
static void
decode_part(FunctionCallInfo fcinfo, const uint8 *bytes, size_t size, cv_rfm_acc *acc)
{
	size_t		n;

	if (cv_rfm_state_count(bytes, size, &n) != CV_OK)
		corrupted();
	acc->len = acc->cap = n;
	acc->e = n > 0 ? MemoryContextAllocHuge(cvfw_agg_context(fcinfo, "cvfw_rfm_holdout_deserialize"),
											n * sizeof(cv_rfm_entry)) : NULL;
	if (cv_rfm_state_decode(bytes, size, acc) != CV_OK)
		corrupted();
}

Datum
cvfw_rfm_holdout_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	holdout_acc *acc = new_acc(fcinfo, "cvfw_rfm_holdout_deserialize");
	const uint8 *bytes = (const uint8 *) VARDATA_ANY(data);
	size_t		size = VARSIZE_ANY_EXHDR(data),
				first;

	if (cv_rfm_state_prefix(bytes, size, &first) != CV_OK)
		corrupted();
	decode_part(fcinfo, bytes, first, &acc->cal);
	decode_part(fcinfo, bytes + first, size - first, &acc->hold);
	/* written by the transition function: one grain and period, holdout after calibration */
	if (acc->cal.grain_us != acc->hold.grain_us || acc->cal.period_us != acc->hold.period_us ||
		acc->hold.end_grain < acc->cal.end_grain)
		corrupted();
	PG_RETURN_POINTER(acc);
}

Datum
cvfw_rfm_holdout_final(PG_FUNCTION_ARGS)
{
	holdout_acc *acc;
	cv_rfm		r;
	double		grains,
				amount,
				unit;
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no purchases */
	acc = (holdout_acc *) PG_GETARG_POINTER(0);
	if (acc->cal.len == 0)
		PG_RETURN_NULL();		/* none in the calibration period: not yet a customer */
	if (cv_rfm_summary(&acc->cal, &r) != 0 || cv_rfm_grains(&acc->hold, &grains, &amount) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg(FNAME ": the sum of amounts is out of range")));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cvfw_rfm_holdout must be a composite type");
	desc = BlessTupleDesc(desc);
	unit = (double) acc->cal.grain_us / (double) acc->cal.period_us;
	values[0] = Float8GetDatum(r.frequency);
	values[1] = Float8GetDatum(r.recency);
	values[2] = Float8GetDatum(r.T);
	values[3] = Float8GetDatum(r.monetary);
	values[4] = Float8GetDatum(grains);
	values[5] = Float8GetDatum(grains > 0 ? amount / grains : 0);
	values[6] = Float8GetDatum((double) (acc->hold.end_grain - acc->cal.end_grain) * unit);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
