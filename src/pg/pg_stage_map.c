/*
 * pg_stage_map.c — loading a stage map (a preset, or a user's rows of
 * cvfw_stage_map) and reading labels through it.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "pg_echo.h"
#include "pg_stage.h"
#include "pg_stage_map.h"

/* labels named in a hint: enough to see what the map reads, never a flood */
#define HINT_LABELS 12

static int
item_cmp(const void *a, const void *b)
{
	const cvfw_map_item *x = a;
	const cvfw_map_item *y = b;
	int			c = memcmp(x->key, y->key, Min(x->keylen, y->keylen));

	return c != 0 ? c : (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

static void
set_item(cvfw_map_item *item, const char *label, size_t len, cv_stage stage, cv_label_kind kind)
{
	item->key = palloc(Max(len, 1));
	item->keylen = (int) cv_label_key(label, len, item->key);
	item->stage = stage;
	item->kind = kind;
}

static void
add_hint_label(StringInfo hint, int n, const char *label)
{
	if (n < HINT_LABELS)
		appendStringInfo(hint, "%s\"%s\"", n > 0 ? ", " : "", label);
	else if (n == HINT_LABELS)
		appendStringInfoString(hint, ", ...");
}

const char *
cvfw_map_preset_names(void)
{
	static char names[256];

	if (names[0] == '\0')
	{
		const cv_preset_map *m;
		size_t		pos = 0;

		for (m = cv_stage_map_presets(); m->name != NULL; m++)
			pos += snprintf(names + pos, sizeof(names) - pos, "%s%s", pos > 0 ? ", " : "", m->name);
	}
	return names;
}

static void
load_preset(cvfw_map *map, const cv_preset_map *preset)
{
	StringInfoData hint;
	int			i;

	initStringInfo(&hint);
	map->preset = true;
	map->nitems = preset->nentries;
	map->items = palloc(sizeof(cvfw_map_item) * preset->nentries);
	for (i = 0; i < preset->nentries; i++)
	{
		const cv_map_entry *e = &preset->entries[i];

		set_item(&map->items[i], e->label, strlen(e->label), e->stage, e->kind);
		add_hint_label(&hint, i, e->label);
	}
	map->labels = hint.data;
}

/* the user's map: its rows of cvfw_stage_map, read with the caller's rights */
static void
load_user_map(cvfw_map *map, const char *name, Oid extnsp)
{
	MemoryContext mcxt = CurrentMemoryContext;
	StringInfoData query;
	StringInfoData hint;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	uint64		i;

	initStringInfo(&query);
	appendStringInfo(&query,
					 "SELECT label, stage, kind FROM %s.cvfw_stage_map "
					 "WHERE map OPERATOR(pg_catalog.=) $1 ORDER BY label COLLATE \"C\"",
					 quote_identifier(get_namespace_name(extnsp)));
	args[0] = CStringGetTextDatum(name);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(query.data, 1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading stage map \"%s\" failed", cvfw_echo(name, strlen(name), CVFW_ECHO_MAX));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("stage map \"%s\" does not exist", cvfw_echo(name, strlen(name), CVFW_ECHO_MAX)),
				 errhint("The shipped maps are %s; a map of your own is its rows in cvfw_stage_map.",
						 cvfw_map_preset_names())));

	/* copy out of SPI's memory before SPI_finish frees it */
	{
		MemoryContext spi = MemoryContextSwitchTo(mcxt);

		initStringInfo(&hint);
		map->preset = false;
		map->nitems = (int) SPI_processed;
		map->items = palloc(sizeof(cvfw_map_item) * SPI_processed);
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull,
						no_stage;
			text	   *label = DatumGetTextPP(SPI_getbinval(tup, desc, 1, &isnull));
			Datum		stage = SPI_getbinval(tup, desc, 2, &no_stage);
			char	   *kind = TextDatumGetCString(SPI_getbinval(tup, desc, 3, &isnull));
			int			k = cv_label_kind_parse(kind, strlen(kind));

			/* the table's CHECK constraints make these hold */
			if (k < 0 || (k == CV_LABEL_STAGE) == no_stage)
				elog(ERROR, "stage map \"%s\" has a malformed row", name);
			set_item(&map->items[i], VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label),
					 no_stage ? CV_STAGE_INVALID : DatumGetCvfwStage(stage), (cv_label_kind) k);
			add_hint_label(&hint, (int) i, text_to_cstring(label));
		}
		map->labels = hint.data;
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
}

cvfw_map *
cvfw_map_load(const char *name, Oid extnsp, MemoryContext mcxt)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	cvfw_map   *map = palloc0(sizeof(cvfw_map));
	const cv_preset_map *preset = cv_stage_map_preset(name, strlen(name));

	map->name = pstrdup(name);
	if (preset != NULL)
		load_preset(map, preset);
	else
		load_user_map(map, name, extnsp);
	qsort(map->items, map->nitems, sizeof(cvfw_map_item), item_cmp);
	MemoryContextSwitchTo(old);
	return map;
}

int
cvfw_map_read(const cvfw_map *map, const char *label, size_t len, cv_stage *stage)
{
	char		buf[256];
	char	   *key = len <= sizeof(buf) ? buf : palloc(len);
	cvfw_map_item probe;
	const cvfw_map_item *hit;

	probe.key = key;
	probe.keylen = (int) cv_label_key(label, len, key);
	hit = bsearch(&probe, map->items, map->nitems, sizeof(cvfw_map_item), item_cmp);
	if (key != buf)
		pfree(key);
	if (hit != NULL)
	{
		*stage = hit->stage;
		return hit->kind;
	}
	*stage = cv_stage_parse(label, len);
	return *stage == CV_STAGE_INVALID ? -1 : CV_LABEL_STAGE;
}

void
cvfw_map_label_error(const cvfw_map *map, const char *label, size_t len)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"",
					"cvfw_stage", cvfw_echo(label, len, CVFW_ECHO_MAX)),
			 errdetail("Stage map \"%s\" has no such label, and it is no stage name.", map->name),
			 errhint("The map reads %s.", map->labels)));
}
