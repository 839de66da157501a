/*
 * cvfw_flow_report.c — reading a flow summary: cvfw_leakage, cvfw_transitions,
 * cvfw_flow_json, and the scalar accessors BI tools use.
 *
 * Every function reads its summary through cvfw_flow_arg: decoded and
 * validated once per call site and value (a view calling an accessor per
 * stage on one stored summary decodes it once), held in memory in
 * proportion to its size.
 */
#include "postgres.h"

#include "pg_compat.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "pg_flow.h"
#include "pg_stage.h"

PG_FUNCTION_INFO_V1(cvfw_leakage);
PG_FUNCTION_INFO_V1(cvfw_transitions);
PG_FUNCTION_INFO_V1(cvfw_flow_json);
PG_FUNCTION_INFO_V1(cvfw_customers);
PG_FUNCTION_INFO_V1(cvfw_visits);
PG_FUNCTION_INFO_V1(cvfw_leaked);
PG_FUNCTION_INFO_V1(cvfw_leak_rate);
PG_FUNCTION_INFO_V1(cvfw_value_at_risk);
PG_FUNCTION_INFO_V1(cvfw_dwell_percentile);
PG_FUNCTION_INFO_V1(cvfw_transition_count);

/* the leakage rows of the flow in argument 0, as_of and horizon in 1 and 2 */
static const cv_flow *
leakage_rows(FunctionCallInfo fcinfo, cv_leakage_row rows[CV_STAGE_COUNT + 1],
			 bool *has_cutoff, int32 *cutoff_day)
{
	const cv_flow *f = cvfw_flow_arg(fcinfo, 0);

	*cutoff_day = 0;
	*has_cutoff = cvfw_leak_cutoff(fcinfo, 1, 2, cutoff_day);
	cv_flow_leakage(f, *has_cutoff, *cutoff_day, rows);
	return f;
}

Datum
cvfw_leakage(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cv_leakage_row rows[CV_STAGE_COUNT + 1];
	bool		has_cutoff;
	int32		cutoff_day;
	cv_stage	s;

	cvfw_init_materialized_srf(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;		/* no summary, no rows */
	(void) leakage_rows(fcinfo, rows, &has_cutoff, &cutoff_day);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_leakage_row *r = &rows[s];
		Datum		values[16];
		bool		nulls[16] = {false};

		values[0] = CvfwStageGetDatum(s);
		values[1] = Int64GetDatum((int64) r->customers);
		values[2] = Int64GetDatum((int64) r->visits);
		values[3] = Int64GetDatum((int64) r->advanced);
		values[4] = Int64GetDatum((int64) r->regressed);
		values[5] = Int64GetDatum((int64) r->skipped);
		values[6] = Int64GetDatum((int64) r->ended);
		values[7] = Int64GetDatum((int64) r->leaked);
		values[8] = Int64GetDatum((int64) r->active);
		if (r->visits > 0)
			values[9] = Float8GetDatum((double) r->leaked / (double) r->visits);
		else
			nulls[9] = true;
		values[10] = Float8GetDatum(r->value);
		values[11] = Float8GetDatum(r->cost);
		values[12] = Float8GetDatum(r->value_at_risk);
		if (r->dwell_n > 0)
		{
			values[13] = IntervalPGetDatum(cvfw_us_interval(r->dwell_avg));
			values[14] = IntervalPGetDatum(cvfw_us_interval(r->dwell_p50));
			values[15] = IntervalPGetDatum(cvfw_us_interval(r->dwell_p90));
		}
		else
			nulls[13] = nulls[14] = nulls[15] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
cvfw_transitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const cv_flow *f;
	cv_stage	s,
				t;

	cvfw_init_materialized_srf(fcinfo);
	f = cvfw_flow_arg(fcinfo, 0);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		uint64		visits = cv_flow_visits(f, s);

		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			Datum		values[4];
			bool		nulls[4] = {false};

			if (f->trans[s][t] == 0)
				continue;
			values[0] = CvfwStageGetDatum(s);
			values[1] = CvfwStageGetDatum(t);
			values[2] = Int64GetDatum((int64) f->trans[s][t]);
			values[3] = Float8GetDatum((double) f->trans[s][t] / (double) visits);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* --- JSON --------------------------------------------------------------------- */

static void
json_number(StringInfo buf, const char *key, double v)
{
	appendStringInfo(buf, "\"%s\": ", key);
	if (isfinite(v))
		appendStringInfoString(buf, float8out_internal(v));
	else
		appendStringInfoString(buf, "null");
}

static void
json_count(StringInfo buf, const char *key, uint64 v)
{
	appendStringInfo(buf, "\"%s\": " UINT64_FORMAT, key, v);
}

Datum
cvfw_flow_json(PG_FUNCTION_ARGS)
{
	const cv_flow *f;
	cv_leakage_row rows[CV_STAGE_COUNT + 1];
	bool		has_cutoff;
	int32		cutoff_day;
	StringInfoData buf;
	cv_stage	s,
				t;
	bool		first = true;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	f = leakage_rows(fcinfo, rows, &has_cutoff, &cutoff_day);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"customers\": " UINT64_FORMAT ", \"leaked_before\": ", f->customers);
	if (has_cutoff)
	{
		int			y,
					m,
					d;

		/* the UTC date leakage is measured against, ISO 8601 */
		j2date(cutoff_day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		if (y > 0)
			appendStringInfo(&buf, "\"%04d-%02d-%02d\"", y, m, d);
		else
			appendStringInfoString(&buf, "null");
	}
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, ", \"stages\": [");
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_leakage_row *r = &rows[s];

		appendStringInfo(&buf, "%s{\"stage\": \"%s\", \"position\": %d, ", s > 1 ? ", " : "",
						 cv_stage_name(s), (int) s);
		json_count(&buf, "customers", r->customers);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "visits", r->visits);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "advanced", r->advanced);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "regressed", r->regressed);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "skipped", r->skipped);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "ended", r->ended);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "leaked", r->leaked);
		appendStringInfoString(&buf, ", ");
		json_count(&buf, "active", r->active);
		appendStringInfoString(&buf, ", ");
		json_number(&buf, "leak_rate", r->visits > 0 ? (double) r->leaked / (double) r->visits : NAN);
		appendStringInfoString(&buf, ", ");
		json_number(&buf, "value", r->value);
		appendStringInfoString(&buf, ", ");
		json_number(&buf, "cost", r->cost);
		appendStringInfoString(&buf, ", ");
		json_number(&buf, "value_at_risk", r->value_at_risk);
		appendStringInfoString(&buf, ", ");
		/* durations in seconds, rounded to the microsecond as the intervals are */
		json_number(&buf, "dwell_avg_seconds", r->dwell_n > 0 ? rint(r->dwell_avg) / 1e6 : NAN);
		appendStringInfoString(&buf, ", ");
		json_number(&buf, "dwell_p50_seconds", r->dwell_n > 0 ? rint(r->dwell_p50) / 1e6 : NAN);
		appendStringInfoString(&buf, ", ");
		json_number(&buf, "dwell_p90_seconds", r->dwell_n > 0 ? rint(r->dwell_p90) / 1e6 : NAN);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "], \"transitions\": [");
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			if (f->trans[s][t] == 0)
				continue;
			appendStringInfo(&buf, "%s{\"from\": \"%s\", \"to\": \"%s\", ", first ? "" : ", ",
							 cv_stage_name(s), cv_stage_name(t));
			json_count(&buf, "transitions", f->trans[s][t]);
			appendStringInfoString(&buf, ", ");
			json_number(&buf, "share", (double) f->trans[s][t] / (double) rows[s].visits);
			appendStringInfoChar(&buf, '}');
			first = false;
		}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/* --- scalar accessors ---------------------------------------------------------------- */

/*
 * The stage row of the flow in argument 0 for the stage in argument 1
 * (as_of and horizon in 2 and 3 where the function has them); false when
 * the flow or the stage is NULL.
 */
static bool
stage_row(FunctionCallInfo fcinfo, cv_leakage_row *row)
{
	cv_leakage_row rows[CV_STAGE_COUNT + 1];
	int32		cutoff_day = 0;
	bool		has_cutoff;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return false;
	has_cutoff = cvfw_leak_cutoff(fcinfo, 2, 3, &cutoff_day);
	cv_flow_leakage(cvfw_flow_arg(fcinfo, 0), has_cutoff, cutoff_day, rows);
	*row = rows[PG_GETARG_CVFW_STAGE(1)];
	return true;
}

Datum
cvfw_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) cvfw_flow_arg(fcinfo, 0)->customers);
}

Datum
cvfw_visits(PG_FUNCTION_ARGS)
{
	cv_leakage_row r;

	if (!stage_row(fcinfo, &r))
		PG_RETURN_NULL();
	PG_RETURN_INT64((int64) r.visits);
}

Datum
cvfw_leaked(PG_FUNCTION_ARGS)
{
	cv_leakage_row r;

	if (!stage_row(fcinfo, &r))
		PG_RETURN_NULL();
	PG_RETURN_INT64((int64) r.leaked);
}

Datum
cvfw_leak_rate(PG_FUNCTION_ARGS)
{
	cv_leakage_row r;

	if (!stage_row(fcinfo, &r))
		PG_RETURN_NULL();
	if (r.visits == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) r.leaked / (double) r.visits);
}

Datum
cvfw_value_at_risk(PG_FUNCTION_ARGS)
{
	cv_leakage_row r;

	if (!stage_row(fcinfo, &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r.value_at_risk);
}

Datum
cvfw_dwell_percentile(PG_FUNCTION_ARGS)
{
	double		q = PG_GETARG_FLOAT8(2);
	double		us;
	int			found;

	if (!(q >= 0 && q <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", q)));
	found = cv_sketch_quantile(&cvfw_flow_arg(fcinfo, 0)->st[PG_GETARG_CVFW_STAGE(1)].dwell, q, &us);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(cvfw_us_interval(us));
}

Datum
cvfw_transition_count(PG_FUNCTION_ARGS)
{
	const cv_flow *f = cvfw_flow_arg(fcinfo, 0);

	PG_RETURN_INT64((int64) f->trans[PG_GETARG_CVFW_STAGE(1)][PG_GETARG_CVFW_STAGE(2)]);
}
