/*
 * cvfw_stage_map.c — reading a source system's labels as stages:
 * cvfw_stage(label, map) (STABLE: any map, a user's map can change),
 * cvfw_stage_preset(label, map) (IMMUTABLE: the shipped presets only,
 * which never change once released), cvfw_stage_presets() and
 * cvfw_stage_label_key().
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "pg_echo.h"
#include "pg_stage.h"
#include "pg_stage_map.h"

PG_FUNCTION_INFO_V1(cvfw_stage_from_label);
PG_FUNCTION_INFO_V1(cvfw_stage_preset);
PG_FUNCTION_INFO_V1(cvfw_stage_presets);
PG_FUNCTION_INFO_V1(cvfw_stage_label_key);

/* maps a call site keeps loaded: a query reading labels through a few maps */
#define CACHED_MAPS 4

typedef struct map_cache
{
	int			n;
	int			next;			/* slot replaced when all are taken */
	cvfw_map   *maps[CACHED_MAPS];
} map_cache;

/*
 * The map of that name, loaded once per call site (one query: STABLE
 * allows no more); a call site reading through more maps than it keeps
 * reloads in turn.
 */
static const cvfw_map *
cached_map(FunctionCallInfo fcinfo, const char *name)
{
	map_cache  *cache = fcinfo->flinfo->fn_extra;
	int			i;

	if (cache == NULL)
		fcinfo->flinfo->fn_extra = cache =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(map_cache));
	for (i = 0; i < cache->n; i++)
		if (strcmp(cache->maps[i]->name, name) == 0)
			return cache->maps[i];
	i = cache->n < CACHED_MAPS ? cache->n++ : cache->next++ % CACHED_MAPS;
	cache->maps[i] = cvfw_map_load(name, get_func_namespace(fcinfo->flinfo->fn_oid),
								   fcinfo->flinfo->fn_mcxt);
	return cache->maps[i];
}

static Datum
read_label(FunctionCallInfo fcinfo, const cvfw_map *map)
{
	text	   *label = PG_GETARG_TEXT_PP(0);
	cv_stage	stage;
	int			kind = cvfw_map_read(map, VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label), &stage);

	if (kind < 0)
		cvfw_map_label_error(map, VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label));
	if (kind != CV_LABEL_STAGE)
		PG_RETURN_NULL();		/* left, keep: no stage */
	PG_RETURN_CVFW_STAGE(stage);
}

Datum
cvfw_stage_from_label(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));

	return read_label(fcinfo, cached_map(fcinfo, name));
}

Datum
cvfw_stage_preset(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (cv_stage_map_preset(name, strlen(name)) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a shipped stage map", cvfw_echo(name, strlen(name), CVFW_ECHO_MAX)),
				 errdetail("cvfw_stage_preset reads the shipped maps only (%s): they never change, "
						   "so it can be IMMUTABLE.", cvfw_map_preset_names()),
				 errhint("Read a map of your own with cvfw_stage(label, map).")));
	return read_label(fcinfo, cached_map(fcinfo, name));
}

Datum
cvfw_stage_presets(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const cv_preset_map *m;

	cvfw_init_materialized_srf(fcinfo);
	for (m = cv_stage_map_presets(); m->name != NULL; m++)
	{
		int			i;

		for (i = 0; i < m->nentries; i++)
		{
			const cv_map_entry *e = &m->entries[i];
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			values[0] = CStringGetTextDatum(m->name);
			values[1] = CStringGetTextDatum(e->label);
			values[2] = CvfwStageGetDatum(e->stage);
			nulls[2] = (e->kind != CV_LABEL_STAGE);
			values[3] = CStringGetTextDatum(cv_label_kind_name(e->kind));
			values[4] = CStringGetTextDatum(e->reason);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

Datum
cvfw_stage_label_key(PG_FUNCTION_ARGS)
{
	text	   *label = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(label);
	text	   *key = palloc(VARHDRSZ + Max(len, 1));

	SET_VARSIZE(key, VARHDRSZ + cv_label_key(VARDATA_ANY(label), len, VARDATA(key)));
	PG_RETURN_TEXT_P(key);
}
