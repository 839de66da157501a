/*
 * pg_seed.c — hash keys (see pg_seed.h).  One secret per backend from
 * pg_strong_random, drawn the first time it is needed; each key is the
 * SipHash of a counter under that secret, so a query with many groups pays
 * for one strong random draw, not one per group.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "pg_seed.h"
#include "siphash.h"

void
cvfw_hash_key_init(void)
{
	if (!pg_strong_random(cv_hash_key, sizeof(cv_hash_key)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random values")));
}

void
cvfw_hash_seed(uint64 seed[2])
{
	static uint64 secret[2];
	static bool have_secret = false;
	static uint64 counter = 0;

	if (!have_secret)
	{
		if (!pg_strong_random(secret, sizeof(secret)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random values")));
		have_secret = true;
	}
	seed[0] = cv_siphash13_u64(secret, counter++);
	seed[1] = cv_siphash13_u64(secret, counter++);
}
