/*
 * pg_guard.h — what the two guard triggers share: reading a guarded
 * column's value as a stage (cvfw_stage, text or enum, labels through an
 * optional stage map), a row's key, and the refusal error.
 */
#ifndef CVFW_GUARD_PG_H
#define CVFW_GUARD_PG_H

#include "postgres.h"
#include "access/htup.h"
#include "utils/relcache.h"

#include "pg_stage_map.h"
#include "policy.h"

typedef enum cvfw_column_kind
{
	CVFW_COLUMN_STAGE,
	CVFW_COLUMN_TEXT,
	CVFW_COLUMN_ENUM
} cvfw_column_kind;

typedef struct cvfw_enum_label
{
	Oid			label;
	int			kind;			/* CV_LABEL_*, or -1: the label reads as nothing */
	cv_stage	stage;
} cvfw_enum_label;

typedef struct cvfw_column
{
	AttrNumber	attnum;
	const char *name;
	cvfw_column_kind kind;
	int			nlabels;		/* enum labels, read once per statement */
	cvfw_enum_label *labels;
	const cvfw_map *map;		/* labels read through it; NULL: stage names only */
} cvfw_column;

/*
 * Look up a guarded column of rel by name and read its type; enum labels
 * are read (through the map, if any) now.  A missing column is 42703, one
 * of another type 42804, with the caller's detail sentences.  stage_type
 * is cvfw_stage's OID.
 */
extern void cvfw_column_init(cvfw_column *col, Relation rel, const char *name, Oid stage_type,
							 const cvfw_map *map, const char *missing_detail,
							 const char *type_detail, MemoryContext mcxt);

/*
 * What a value of the column says: a CV_LABEL_* kind with *stage set for
 * CV_LABEL_STAGE, or -1 for a text or enum value that reads as nothing
 * (not a label of the map, not a stage name).
 */
extern int	cvfw_column_read(const cvfw_column *col, Datum value, cv_stage *stage);

/* 22P02 for a value that reads as nothing, in the core wording */
extern void cvfw_column_value_error(const cvfw_column *col, Datum value);

/* the display text of a text or enum value (for messages) */
extern char *cvfw_column_value_text(const cvfw_column *col, Datum value);

/* a relation's primary key columns (none: no primary key) */
typedef struct cvfw_key_columns
{
	int			natts;
	AttrNumber *attnums;
	char	  **names;
	Oid		   *types;
	Oid		   *outfuncs;
} cvfw_key_columns;

extern void cvfw_key_columns_init(cvfw_key_columns *kc, Relation rel, MemoryContext mcxt);

/*
 * The row's key in one string, canonical (for remembering a row by it):
 * each value's text form, with '\' and ',' escaped, joined by ','.  NULL
 * when the relation has no primary key.
 */
extern char *cvfw_key_text(const cvfw_key_columns *kc, TupleDesc desc, HeapTuple tuple);

/*
 * The row named for a message, as PostgreSQL names keys: "Key (id)=(42)",
 * or "Row (0,3)" (its ctid) when there is no primary key or the user may
 * not read it.  Values are cut at CVFW_ECHO_MAX bytes.
 */
extern char *cvfw_row_name(Relation rel, HeapTuple tuple);

/*
 * Refuse a transition: 23514 with the stages, the row (unless row is
 * NULL: the BEFORE form's 0.1.0 message), the policy and what it allows
 * from `from`, the table and column in the error's fields.  extra, if not
 * NULL, is one more sentence for the detail.
 */
extern void cvfw_refuse_transition(Relation rel, AttrNumber attnum, HeapTuple row,
								   cv_policy policy, const char *policy_text,
								   cv_stage from, cv_stage to, const char *extra);

#endif							/* CVFW_GUARD_PG_H */
