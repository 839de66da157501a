/*
 * bytes.h — fixed-width little-endian 64-bit words, for the binary layouts
 * of the aggregates' partial states (state_codec.c, points.c).  Every
 * encoded form of cvfw is little-endian: the flow summary's varints
 * (codec.h) and checksum, and these words.
 *
 * Partial states cross process and node boundaries — parallel workers,
 * and Citus nodes that may run different cvfw versions — so each starts
 * with a byte naming its format version, CV_STATE_FORMAT_VERSION, and a
 * state of any other version is refused with a clear error (the
 * PostgreSQL layer, cvfw_check_state_version).  0.1.0's states had no
 * version byte: their first byte, the top of a big-endian count or time,
 * is 0 or 255 in practice, never 2.
 */
#ifndef CVFW_CORE_BYTES_H
#define CVFW_CORE_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CV_STATE_FORMAT_VERSION 2

/* the version a state of len bytes declares, or -1 for an empty one */
static inline int
cv_state_version(const uint8_t *data, size_t len)
{
	return len > 0 ? data[0] : -1;
}

static inline void
cv_put_le64(uint8_t *p, uint64_t v)
{
	int			i;

	for (i = 0; i < 8; i++)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

static inline uint64_t
cv_get_le64(const uint8_t *p)
{
	uint64_t	v = 0;
	int			i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline void
cv_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
}

static inline uint32_t
cv_get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* a double as the little-endian word of its IEEE bits */
static inline void
cv_put_le_f64(uint8_t *p, double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, sizeof bits);
	cv_put_le64(p, bits);
}

static inline double
cv_get_le_f64(const uint8_t *p)
{
	uint64_t	bits = cv_get_le64(p);
	double		d;

	memcpy(&d, &bits, sizeof d);
	return d;
}

#endif							/* CVFW_CORE_BYTES_H */
