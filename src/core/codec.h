/*
 * codec.h — the byte-level pieces of cvfw's variable-length binary forms
 * (pure C core, internal): a growing write buffer, LEB128 varints
 * (unsigned and zigzag, up to 128 bits), little-endian doubles, and a
 * bounds-checked reader that records the first problem it meets.  Decoders
 * must read nothing they have not checked; every get_* returns 0 once the
 * reader has failed.  Little-endian throughout, as every encoded form of
 * cvfw is (bytes.h holds the fixed-width words).
 */
#ifndef CVFW_CORE_CODEC_H
#define CVFW_CORE_CODEC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "i128.h"
#include "mem.h"

typedef struct buf
{
	uint8_t    *data;
	size_t		len;
	size_t		cap;
	const cv_allocator *mem;	/* NULL: the ambient cv_mem (bycustomer.c, until converted) */
} buf;

static inline void
grow(buf *b, size_t n)
{
	while (b->len + n > b->cap)
		b->cap = b->cap ? b->cap * 2 : 128;
	b->data = b->mem != NULL ? cv_realloc(b->mem, b->data, b->cap) : cv_mem.realloc(b->data, b->cap);
}

static inline void
put_bytes(buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap)
		grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static inline void
put_u8(buf *b, uint8_t v)
{
	if (b->len + 1 > b->cap)
		grow(b, 1);
	b->data[b->len++] = v;
}

/* written in place: these run several times per customer */
static inline void
put_u(buf *b, uint64_t v)
{
	uint8_t    *p;

	if (b->len + 10 > b->cap)
		grow(b, 10);
	p = b->data + b->len;
	while (v >= 0x80)
	{
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	b->len = (size_t) (p - b->data);
}

static inline void
put_u128(buf *b, cv_i128 v)
{
	uint8_t		tmp[19];
	size_t		n = 0;

	if (v.hi == 0)
	{
		put_u(b, v.lo);
		return;
	}
	do
	{
		uint8_t		byte = v.lo & 0x7F;

		v.lo = (v.lo >> 7) | (v.hi << 57);
		v.hi >>= 7;
		tmp[n++] = byte | ((v.lo | v.hi) ? 0x80 : 0);
	} while (v.lo | v.hi);
	put_bytes(b, tmp, n);
}

static inline void
put_z128(buf *b, cv_i128 v)
{
	/* zigzag: (v << 1) ^ (v >> 127) */
	cv_i128		z;
	uint64_t	sign = cv_i128_is_neg(v) ? UINT64_MAX : 0;

	z.hi = ((v.hi << 1) | (v.lo >> 63)) ^ sign;
	z.lo = (v.lo << 1) ^ sign;
	put_u128(b, z);
}

static inline void
put_z(buf *b, int64_t v)
{
	put_z128(b, cv_i128_from_i64(v));
}

static inline void
put_f64(buf *b, double v)
{
	uint64_t	bits;
	int			i;

	if (b->len + 8 > b->cap)
		grow(b, 8);
	memcpy(&bits, &v, 8);
	for (i = 0; i < 8; i++)
		b->data[b->len++] = (uint8_t) (bits >> (8 * i));
}

typedef struct reader
{
	const uint8_t *p;
	const uint8_t *end;
	const char *why;			/* first problem found, NULL while fine */
} reader;

static inline int
fail(reader *r, const char *why)
{
	if (r->why == NULL)
		r->why = why;
	return 0;
}

static inline uint8_t
get_u8(reader *r)
{
	if (r->why != NULL || r->p >= r->end)
		return (uint8_t) fail(r, "The data ends early.");
	return *r->p++;
}

static inline cv_i128
get_u128(reader *r)
{
	cv_i128		v = {0, 0};
	int			shift = 0;

	/* most numbers are small counts: one byte */
	if (r->why == NULL && r->p < r->end && *r->p < 0x80)
	{
		v.lo = *r->p++;
		return v;
	}
	/* most others fit 63 bits (9 bytes): no 128-bit shifts while the bytes last */
	if (r->why == NULL && r->end - r->p >= 9)
	{
		const uint8_t *p = r->p;
		uint64_t	lo = 0;
		int			i;

		for (i = 0; i < 9; i++)
		{
			uint8_t		byte = p[i];

			lo |= (uint64_t) (byte & 0x7F) << (7 * i);
			if (!(byte & 0x80))
			{
				/* a trailing zero group is not minimal: the slow path says so */
				if (byte == 0)
					break;
				r->p = p + i + 1;
				v.lo = lo;
				return v;
			}
		}
	}

	for (;;)
	{
		uint8_t		byte = get_u8(r);
		uint64_t	bits = byte & 0x7F;

		if (r->why != NULL)
			return v;
		if (shift >= 128 || (shift == 126 && bits > 3))
		{
			fail(r, "A number is longer than 128 bits.");
			return v;
		}
		if (shift < 64)
		{
			v.lo |= bits << shift;
			if (shift > 57)
				v.hi |= bits >> (64 - shift);
		}
		else
			v.hi |= bits << (shift - 64);
		if (!(byte & 0x80))
		{
			/* canonical: no trailing zero groups */
			if (byte == 0 && shift > 0)
				fail(r, "A number is not minimally encoded.");
			return v;
		}
		shift += 7;
	}
}

static inline uint64_t
get_u(reader *r)
{
	cv_i128		v = get_u128(r);

	if (v.hi != 0)
		return (uint64_t) fail(r, "A count is larger than 64 bits.");
	return v.lo;
}

static inline cv_i128
get_z128(reader *r)
{
	cv_i128		z = get_u128(r);
	uint64_t	sign = (z.lo & 1) ? UINT64_MAX : 0;
	cv_i128		v;

	v.lo = ((z.lo >> 1) | (z.hi << 63)) ^ sign;
	v.hi = (z.hi >> 1) ^ sign;
	return v;
}

static inline int64_t
get_z(reader *r)
{
	cv_i128		v = get_z128(r);

	/* must fit an int64: hi is lo's sign extension */
	if (v.hi != ((int64_t) v.lo < 0 ? UINT64_MAX : 0))
		return fail(r, "A number is out of range.");
	return (int64_t) v.lo;
}

static inline double
get_f64(reader *r)
{
	uint64_t	bits = 0;
	double		v;
	int			i;

	for (i = 0; i < 8; i++)
		bits |= (uint64_t) get_u8(r) << (8 * i);
	memcpy(&v, &bits, 8);
	if (r->why == NULL && !isfinite(v))
		fail(r, "An amount is not finite.");
	return v;
}

#endif							/* CVFW_CORE_CODEC_H */
