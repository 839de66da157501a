/*
 * stage_map.h — stage maps: how a source system's labels (a CRM's
 * lifecycle or deal stages) read as wheel stages.  The shipped presets,
 * with the reasoning for each label, and the label key that makes
 * "Closed Won", "closed_won" and "closedwon" the same label.  Pure C core.
 */
#ifndef CVFW_CORE_STAGE_MAP_H
#define CVFW_CORE_STAGE_MAP_H

#include <stddef.h>

#include "stage.h"

/*
 * What a label says.  stage: the customer is at that stage.  left: the
 * customer has left the flow (Closed Lost).  keep: the label says nothing
 * new about the customer's stage (a seller's internal step, a cleared
 * value).  Neither left nor keep has a stage: a guard remembers the stage
 * before them, history capture records nothing for them.
 */
typedef enum cv_label_kind
{
	CV_LABEL_STAGE = 0,
	CV_LABEL_LEFT = 1,
	CV_LABEL_KEEP = 2
} cv_label_kind;

/* "stage", "left", "keep" (the names used in SQL), NULL when out of range */
extern const char *cv_label_kind_name(cv_label_kind kind);

/* parse a kind name (exact, lowercase); -1 when it is none */
extern int	cv_label_kind_parse(const char *str, size_t len);

typedef struct cv_map_entry
{
	const char *label;			/* as the source system spells it */
	cv_stage	stage;			/* CV_STAGE_INVALID unless kind is STAGE */
	cv_label_kind kind;
	const char *reason;			/* why the label reads so */
} cv_map_entry;

typedef struct cv_preset_map
{
	const char *name;			/* e.g. "hubspot_lifecycle" */
	const char *source;			/* the field whose values it reads */
	const cv_map_entry *entries;
	int			nentries;
} cv_preset_map;

/* the shipped presets, terminated by an entry with a NULL name */
extern const cv_preset_map *cv_stage_map_presets(void);

/* the preset of that exact name, or NULL */
extern const cv_preset_map *cv_stage_map_preset(const char *name, size_t len);

/*
 * The label key: ASCII letters lowercased, ASCII digits and every byte
 * >= 0x80 (non-ASCII text) kept, every other ASCII byte (space,
 * punctuation, '_', '-', '/', '.') left out.  Writes at most len bytes to
 * out (which may not overlap str) and returns the key's length.  Two
 * labels are the same label when their keys are equal; a label of only
 * spaces and punctuation has the empty key, the same as ''.
 */
extern size_t cv_label_key(const char *str, size_t len, char *out);

/* do two labels have the same key? (no allocation) */
extern int	cv_label_same(const char *a, size_t alen, const char *b, size_t blen);

/* the entry of a preset whose label has the same key, or NULL */
extern const cv_map_entry *cv_preset_find(const cv_preset_map *map, const char *label, size_t len);

#endif							/* CVFW_CORE_STAGE_MAP_H */
