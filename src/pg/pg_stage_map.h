/*
 * pg_stage_map.h — a stage map loaded for reading labels: a shipped
 * preset, or a map of the user's own (its rows in cvfw_stage_map).
 */
#ifndef CVFW_STAGE_MAP_PG_H
#define CVFW_STAGE_MAP_PG_H

#include "postgres.h"
#include "nodes/nodes.h"

#include "stage_map.h"

typedef struct cvfw_map_item
{
	char	   *key;			/* cv_label_key of the label */
	int			keylen;
	cv_stage	stage;			/* CV_STAGE_INVALID unless kind is STAGE */
	cv_label_kind kind;
} cvfw_map_item;

typedef struct cvfw_map
{
	char	   *name;
	bool		preset;
	int			nitems;
	cvfw_map_item *items;		/* sorted by key, for bsearch */
	char	   *labels;			/* "a", "b", … for hints (at most a dozen) */
} cvfw_map;

/*
 * Load the map of that name into mcxt: a preset, else the rows of
 * cvfw_stage_map in the extension's schema extnsp (read through SPI, so
 * with the caller's snapshot and rights).  An unknown map is an error
 * 42704.
 */
extern cvfw_map *cvfw_map_load(const char *name, Oid extnsp, MemoryContext mcxt);

/*
 * What a label says under the map: a CV_LABEL_* kind, with *stage set for
 * CV_LABEL_STAGE.  A label the map lacks reads as the stage it names, if
 * it is a stage name; otherwise -1.
 */
extern int	cvfw_map_read(const cvfw_map *map, const char *label, size_t len, cv_stage *stage);

/* 22P02 for a label the map cannot read, in the core wording */
extern void cvfw_map_label_error(const cvfw_map *map, const char *label, size_t len);

/* "hubspot_lifecycle, salesforce_opportunity, salesforce_lead" */
extern const char *cvfw_map_preset_names(void);

#endif							/* CVFW_STAGE_MAP_PG_H */
