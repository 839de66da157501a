/*
 * pg_module.c — the module's magic block and load-time set-up.  Everything else
 * lives with its type.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"

#include "pg_flow.h"
#include "pg_seed.h"

PG_MODULE_MAGIC_EXT(.name = "cvfw", .version = CVFW_VERSION);

void
_PG_init(void)
{
	cvfw_flow_memory_init();
	cvfw_hash_key_init();
}
