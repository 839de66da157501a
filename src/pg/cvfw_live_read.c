/*
 * cvfw_live_read.c — reading a tracked table's live summaries:
 *
 *   cvfw_live_flow(events [, group values...])   the live cvfw_flow of
 *       everyone, or of one group (values in the order of the grouping
 *       columns; NULL is a group like any other)
 *   cvfw_live_trend(events [, group values...])  the live cvfw_trend
 *   cvfw_live_compact(events)                    fold the pending changes
 *
 * A live summary is a small merge: the compacted sum plus what the pending
 * changes added, minus what they removed — exact, so it has the bytes of
 * the batch summary of the same events.  The readers run as the caller,
 * who needs SELECT on the summary tables, with the caller's snapshot.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "parser/parse_relation.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "pg_live.h"

PG_FUNCTION_INFO_V1(cvfw_live_flow);
PG_FUNCTION_INFO_V1(cvfw_live_trend);
PG_FUNCTION_INFO_V1(cvfw_live_compact);

/* the configuration of the tracked table in argument 0; an error when it is not tracked */
static Relation
tracked(FunctionCallInfo fcinfo, cvfw_live_config *c, const char *fn)
{
	Relation	rel;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: the events table must be given", fn)));
	rel = table_open(PG_GETARG_OID(0), AccessShareLock);
	if (!cvfw_live_config_of(rel, cvfw_live_ext_namespace(fcinfo), c))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("%s: \"%s\" is not tracked", fn, RelationGetRelationName(rel)),
				 errhint("Attach tracking with cvfw_track().")));
	return rel;
}

/*
 * The group values passed after the table (VARIADIC "any", or one array
 * with VARIADIC), each as text (NULL stays NULL), into values/nulls.
 */
static int
group_args(FunctionCallInfo fcinfo, Datum *values, char *nulls, int max)
{
	int			n = 0,
				i;

	if (PG_NARGS() < 2)
		return 0;
	if (get_fn_expr_variadic(fcinfo->flinfo))
	{
		ArrayType  *arr;
		Oid			elem;
		int16		len;
		bool		byval;
		char		align;
		Datum	   *elems;
		bool	   *isnull;
		Oid			out;
		bool		varlena;

		if (PG_ARGISNULL(1))
			return 0;
		arr = PG_GETARG_ARRAYTYPE_P(1);
		elem = ARR_ELEMTYPE(arr);
		get_typlenbyvalalign(elem, &len, &byval, &align);
		deconstruct_array(arr, elem, len, byval, align, &elems, &isnull, &n);
		if (n > max)
			return n;
		getTypeOutputInfo(elem, &out, &varlena);
		for (i = 0; i < n; i++)
		{
			nulls[i] = isnull[i] ? 'n' : ' ';
			values[i] = isnull[i] ? (Datum) 0 : CStringGetTextDatum(OidOutputFunctionCall(out, elems[i]));
		}
		return n;
	}
	for (i = 1; i < PG_NARGS(); i++)
	{
		Oid			type = get_fn_expr_argtype(fcinfo->flinfo, i);

		if (n >= max)
			return n + 1;
		if (PG_ARGISNULL(i))
		{
			nulls[n] = 'n';
			values[n++] = (Datum) 0;
		}
		else
		{
			Oid			out;
			bool		varlena;

			if (type == UNKNOWNOID)
				values[n] = CStringGetTextDatum(DatumGetCString(PG_GETARG_DATUM(i)));
			else
			{
				getTypeOutputInfo(type, &out, &varlena);
				values[n] = CStringGetTextDatum(OidOutputFunctionCall(out, PG_GETARG_DATUM(i)));
			}
			nulls[n++] = ' ';
		}
	}
	return n;
}

/* the live flow or trend of everyone, or of the group in the arguments */
static Datum
live(FunctionCallInfo fcinfo, bool trend, const char *fn)
{
	cvfw_live_config c;
	Relation	rel = tracked(fcinfo, &c, fn);
	Datum		values[CVFW_LIVE_MAX_GROUPS];
	char		nulls[CVFW_LIVE_MAX_GROUPS];
	int			n = group_args(fcinfo, values, nulls, CVFW_LIVE_MAX_GROUPS);
	bool		by_group = PG_NARGS() > 1;
	Datum		result;
	bool		isnull;
	MemoryContext caller = CurrentMemoryContext;
	int			level;

	if (by_group && n != c.ngroups)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: \"%s\" is grouped by %d column%s, not %d", fn, RelationGetRelationName(rel),
						c.ngroups, c.ngroups == 1 ? "" : "s", n),
				 errhint("Pass one value per grouping column, or none for everyone.")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "%s: SPI_connect failed", fn);
	level = cvfw_live_settings(false);
	/* summed in SPI's memory; the result goes to the caller's */
	result = cvfw_live_read(&c, rel, trend, by_group, values, nulls, &isnull);
	cvfw_live_settings_end(level);
	if (!isnull)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		result = datumCopy(result, false, -1);
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
	table_close(rel, AccessShareLock);
	if (isnull)
		PG_RETURN_NULL();		/* nobody (in the group) */
	PG_RETURN_DATUM(result);
}

Datum
cvfw_live_flow(PG_FUNCTION_ARGS)
{
	return live(fcinfo, false, "cvfw_live_flow");
}

Datum
cvfw_live_trend(PG_FUNCTION_ARGS)
{
	return live(fcinfo, true, "cvfw_live_trend");
}

Datum
cvfw_live_compact(PG_FUNCTION_ARGS)
{
	cvfw_live_config c;
	Relation	rel = tracked(fcinfo, &c, "cvfw_live_compact");
	cvfw_live_user user;
	int64		folded = 0;
	int			level;

	if (!cvfw_owns_relation(RelationGetRelid(rel), GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, RelationGetRelationName(rel));
	cvfw_live_as_owner(rel->rd_rel->relowner, &user);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cvfw_live_compact: SPI_connect failed");
	level = cvfw_live_settings(false);
	(void) cvfw_live_compact_now(&c, RelationGetRelid(rel), true, true, &folded);
	cvfw_live_settings_end(level);
	SPI_finish();
	cvfw_live_as_caller(&user);
	table_close(rel, AccessShareLock);
	PG_RETURN_INT64(folded);
}
