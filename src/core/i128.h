/*
 * i128.h — a portable signed 128-bit integer, enough for exact sums of
 * microsecond timestamps and durations over any number of customers.
 * Arithmetic wraps (two's complement) rather than overflow: no undefined
 * behaviour, whatever a corrupted summary holds.
 */
#ifndef CVFW_CORE_I128_H
#define CVFW_CORE_I128_H

#include <stdint.h>

typedef struct cv_i128
{
	uint64_t	lo;
	uint64_t	hi;				/* the sign lives in hi's top bit */
} cv_i128;

static inline cv_i128
cv_i128_from_i64(int64_t v)
{
	cv_i128		r;

	r.lo = (uint64_t) v;
	r.hi = v < 0 ? UINT64_MAX : 0;
	return r;
}

static inline cv_i128
cv_i128_add(cv_i128 a, cv_i128 b)
{
	cv_i128		r;

	r.lo = a.lo + b.lo;
	r.hi = a.hi + b.hi + (r.lo < a.lo);
	return r;
}

static inline cv_i128
cv_i128_sub(cv_i128 a, cv_i128 b)
{
	cv_i128		r;

	r.lo = a.lo - b.lo;
	r.hi = a.hi - b.hi - (a.lo < b.lo);
	return r;
}

static inline int
cv_i128_is_neg(cv_i128 a)
{
	return (a.hi >> 63) != 0;
}

static inline int
cv_i128_is_zero(cv_i128 a)
{
	return a.lo == 0 && a.hi == 0;
}

static inline int
cv_i128_eq(cv_i128 a, cv_i128 b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

/* -1, 0, 1 */
static inline int
cv_i128_cmp(cv_i128 a, cv_i128 b)
{
	int64_t		ah = (int64_t) a.hi,
				bh = (int64_t) b.hi;

	if (ah != bh)
		return ah < bh ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static inline double
cv_i128_to_double(cv_i128 a)
{
	if (cv_i128_is_neg(a))
	{
		cv_i128		n = cv_i128_sub(cv_i128_from_i64(0), a);

		return -((double) n.hi * 18446744073709551616.0 + (double) n.lo);
	}
	return (double) a.hi * 18446744073709551616.0 + (double) a.lo;
}

/* a * b for a signed 64-bit a and an unsigned 64-bit b (exact) */
static inline cv_i128
cv_i128_mul(int64_t a, uint64_t b)
{
	cv_i128		r;
#ifdef __SIZEOF_INT128__
	/* one multiply where the compiler has 128-bit integers */
	unsigned __int128 p = (unsigned __int128) (__int128) a * b;

	r.lo = (uint64_t) p;
	r.hi = (uint64_t) (p >> 64);
#else
	uint64_t	ua = a < 0 ? (uint64_t) 0 - (uint64_t) a : (uint64_t) a;
	uint64_t	a0 = ua & 0xFFFFFFFFu,
				a1 = ua >> 32,
				b0 = b & 0xFFFFFFFFu,
				b1 = b >> 32;
	uint64_t	p00 = a0 * b0,
				p01 = a0 * b1,
				p10 = a1 * b0,
				p11 = a1 * b1;
	uint64_t	mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);

	r.lo = (p00 & 0xFFFFFFFFu) | (mid << 32);
	r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	if (a < 0)
		r = cv_i128_sub(cv_i128_from_i64(0), r);
#endif
	return r;
}

/* a * b for unsigned 64-bit a and b, as an unsigned 128-bit number (exact) */
static inline cv_i128
cv_u64_mul(uint64_t a, uint64_t b)
{
	cv_i128		r;

#ifdef __SIZEOF_INT128__
	unsigned __int128 p = (unsigned __int128) a * b;

	r.lo = (uint64_t) p;
	r.hi = (uint64_t) (p >> 64);
#else
	uint64_t	a0 = a & 0xFFFFFFFFu,
				a1 = a >> 32,
				b0 = b & 0xFFFFFFFFu,
				b1 = b >> 32;
	uint64_t	p00 = a0 * b0,
				p01 = a0 * b1,
				p10 = a1 * b0,
				p11 = a1 * b1;
	uint64_t	mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);

	r.lo = (p00 & 0xFFFFFFFFu) | (mid << 32);
	r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
	return r;
}

static inline cv_i128
cv_i128_neg(cv_i128 a)
{
	return cv_i128_sub(cv_i128_from_i64(0), a);
}

/* a << n for 0 <= n < 128 (bits shifted out are lost) */
static inline cv_i128
cv_i128_shl(cv_i128 a, int n)
{
	cv_i128		r;

	if (n == 0)
		return a;
	if (n >= 64)
	{
		r.hi = a.lo << (n - 64);
		r.lo = 0;
	}
	else
	{
		r.hi = (a.hi << n) | (a.lo >> (64 - n));
		r.lo = a.lo << n;
	}
	return r;
}

/* a >> n as an unsigned 128-bit number, for 0 <= n < 128 */
static inline cv_i128
cv_i128_shr_u(cv_i128 a, int n)
{
	cv_i128		r;

	if (n == 0)
		return a;
	if (n >= 64)
	{
		r.lo = a.hi >> (n - 64);
		r.hi = 0;
	}
	else
	{
		r.lo = (a.lo >> n) | (a.hi << (64 - n));
		r.hi = a.hi >> n;
	}
	return r;
}

/*
 * Divide the unsigned 128-bit *a by d (0 < d < 2^32) in place, returning
 * the remainder: long division in 32-bit limbs.
 */
static inline uint32_t
cv_u128_divmod32(cv_i128 *a, uint32_t d)
{
	uint64_t	limb[4] = {a->hi >> 32, a->hi & 0xFFFFFFFFu, a->lo >> 32, a->lo & 0xFFFFFFFFu};
	uint64_t	rem = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		uint64_t	cur = rem << 32 | limb[i];

		limb[i] = cur / d;
		rem = cur % d;
	}
	a->hi = limb[0] << 32 | limb[1];
	a->lo = limb[2] << 32 | limb[3];
	return (uint32_t) rem;
}

#endif							/* CVFW_CORE_I128_H */
