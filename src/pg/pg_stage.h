/*
 * pg_stage.h — cvfw_stage as a PostgreSQL Datum: one byte, by value.
 */
#ifndef CVFW_STAGE_PG_H
#define CVFW_STAGE_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "nodes/nodes.h"

#include "stage.h"

#define DatumGetCvfwStage(d)	((cv_stage) DatumGetChar(d))
#define CvfwStageGetDatum(s)	CharGetDatum((char) (s))
#define PG_GETARG_CVFW_STAGE(n) DatumGetCvfwStage(PG_GETARG_DATUM(n))
#define PG_RETURN_CVFW_STAGE(s) return CvfwStageGetDatum(s)

/*
 * Parse a stage name; on failure report 22P02 in the core wording through
 * escontext (soft error where the caller allows it) and return
 * CV_STAGE_INVALID.
 */
extern cv_stage cvfw_parse_stage(const char *str, size_t len, Node *escontext);

/* canonical name of a stored stage; a corrupt byte is an internal error */
extern const char *cvfw_stage_name_checked(cv_stage s);

#endif							/* CVFW_STAGE_PG_H */
