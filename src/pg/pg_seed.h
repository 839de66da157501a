/*
 * pg_seed.h — hash keys for the core's hash tables, unknown outside the
 * backend and different for every state, so nobody can choose ids that
 * collide.
 */
#ifndef CVFW_SEED_PG_H
#define CVFW_SEED_PG_H

#include "postgres.h"

/* draw the core's per-process hash key (cv_hash_key); from _PG_init */
extern void cvfw_hash_key_init(void);

/* a fresh 128-bit hash key */
extern void cvfw_hash_seed(uint64 seed[2]);

#endif							/* CVFW_SEED_PG_H */
