/*
 * siphash.h — SipHash-1-3, a keyed hash (pure C core).  With a key the
 * caller draws at random, nobody who does not know the key can choose
 * inputs that collide, so hash tables keyed by customer ids cannot be
 * flooded.  The reference algorithm (Aumasson and Bernstein), with one
 * compression round per word and three finalisation rounds, as Rust and
 * CPython use it for their hash tables; unit-tested against the published
 * SipHash-2-4 vectors through the same code with two and four rounds.
 */
#ifndef CVFW_CORE_SIPHASH_H
#define CVFW_CORE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The key of the hash tables that live for one process (the day buckets of
 * a flow summary): the PostgreSQL layer draws it at random when the library
 * loads; tests keep the fixed default.  Tables that hold callers' ids take
 * a key of their own per table (bycustomer.h).
 */
extern uint64_t cv_hash_key[2];

/* SipHash-c-d of len bytes under the 128-bit key k */
extern uint64_t cv_siphash(const uint64_t k[2], const void *data, size_t len, int c, int d);

/* SipHash-1-3 of len bytes */
static inline uint64_t
cv_siphash13(const uint64_t k[2], const void *data, size_t len)
{
	return cv_siphash(k, data, len, 1, 3);
}

/* SipHash-1-3 of a 64-bit integer, as of its 8 little-endian bytes */
extern uint64_t cv_siphash13_u64(const uint64_t k[2], uint64_t v);

#endif							/* CVFW_CORE_SIPHASH_H */
