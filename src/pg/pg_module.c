/*
 * pg_module.c — the module's magic block and load-time set-up.  Everything else
 * lives with its type.
 */
#include "postgres.h"

#include "fmgr.h"

#include "pg_flow.h"
#include "pg_seed.h"

#ifdef PG_MODULE_MAGIC_EXT
PG_MODULE_MAGIC_EXT(.name = "cvfw", .version = CVFW_VERSION);
#else
PG_MODULE_MAGIC;
#endif

/* declared by fmgr.h from PostgreSQL 16 on */
extern PGDLLEXPORT void _PG_init(void);

void
_PG_init(void)
{
	cvfw_flow_memory_init();
	cvfw_hash_key_init();
}
