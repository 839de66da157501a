/*
 * pg_guard_memory.h — what the guards remember: the last stage of a row
 * whose guarded column holds no stage, by table, column and the row's key
 * text, in the extension's table cvfw_guard_memory.  Read and written as
 * that table's owner only, so nobody who can merely update a guarded table
 * can forge it.
 */
#ifndef CVFW_GUARD_MEMORY_PG_H
#define CVFW_GUARD_MEMORY_PG_H

#include "postgres.h"

#include "stage.h"

/* find the memory table of the extension in extnsp; plans made once per backend */
extern void cvfw_memory_init(Oid extnsp, Oid stage_type);

/* the remembered stage, or CV_STAGE_INVALID */
extern cv_stage cvfw_memory_get(Oid rel, const char *col, const char *key);
extern void cvfw_memory_put(Oid rel, const char *col, const char *key, cv_stage stage);
extern void cvfw_memory_del(Oid rel, const char *col, const char *key);
/* everything remembered of a table's column */
extern void cvfw_memory_clear(Oid rel, const char *col);
/* everything remembered of the tables an sql_drop event dropped */
extern void cvfw_memory_forget_dropped(void);

#endif							/* CVFW_GUARD_MEMORY_PG_H */
