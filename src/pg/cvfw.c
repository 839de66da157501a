/*
 * cvfw.c — the module's magic block.  Everything else lives with its type.
 */
#include "postgres.h"

#include "fmgr.h"

#ifdef PG_MODULE_MAGIC_EXT
PG_MODULE_MAGIC_EXT(.name = "cvfw", .version = CVFW_VERSION);
#else
PG_MODULE_MAGIC;
#endif
