/*
 * bytes.h — fixed-width big-endian 64-bit words, for the binary layouts of
 * the aggregates' partial states (state_codec.c, points.c).  (The flow
 * summary's format has its own varint codec, codec.h.)
 */
#ifndef CVFW_CORE_BYTES_H
#define CVFW_CORE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline void
cv_put_be64(uint8_t *p, uint64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

static inline uint64_t
cv_get_be64(const uint8_t *p)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* a double as the big-endian word of its IEEE bits */
static inline void
cv_put_be_f64(uint8_t *p, double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, sizeof bits);
	cv_put_be64(p, bits);
}

static inline double
cv_get_be_f64(const uint8_t *p)
{
	uint64_t	bits = cv_get_be64(p);
	double		d;

	memcpy(&d, &bits, sizeof d);
	return d;
}

#endif							/* CVFW_CORE_BYTES_H */
