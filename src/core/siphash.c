/*
 * siphash.c — SipHash (see siphash.h).
 */
#include "siphash.h"

uint64_t	cv_hash_key[2] = {UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210)};

#define ROTL(x, b) (uint64_t) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND \
	do { \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static inline uint64_t
load_le64(const uint8_t *p)
{
	return (uint64_t) p[0] | (uint64_t) p[1] << 8 | (uint64_t) p[2] << 16 |
		(uint64_t) p[3] << 24 | (uint64_t) p[4] << 32 | (uint64_t) p[5] << 40 |
		(uint64_t) p[6] << 48 | (uint64_t) p[7] << 56;
}

uint64_t
cv_siphash(const uint64_t k[2], const void *data, size_t len, int c, int d)
{
	const uint8_t *p = data;
	const uint8_t *end = p + (len - len % 8);
	uint64_t	v0 = UINT64_C(0x736f6d6570736575) ^ k[0];
	uint64_t	v1 = UINT64_C(0x646f72616e646f6d) ^ k[1];
	uint64_t	v2 = UINT64_C(0x6c7967656e657261) ^ k[0];
	uint64_t	v3 = UINT64_C(0x7465646279746573) ^ k[1];
	uint64_t	b = (uint64_t) len << 56;
	int			i;

	for (; p != end; p += 8)
	{
		uint64_t	m = load_le64(p);

		v3 ^= m;
		for (i = 0; i < c; i++)
			SIPROUND;
		v0 ^= m;
	}
	for (i = 0; i < (int) (len % 8); i++)
		b |= (uint64_t) p[i] << (8 * i);
	v3 ^= b;
	for (i = 0; i < c; i++)
		SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	for (i = 0; i < d; i++)
		SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
cv_siphash13_u64(const uint64_t k[2], uint64_t m)
{
	uint64_t	v0 = UINT64_C(0x736f6d6570736575) ^ k[0];
	uint64_t	v1 = UINT64_C(0x646f72616e646f6d) ^ k[1];
	uint64_t	v2 = UINT64_C(0x6c7967656e657261) ^ k[0];
	uint64_t	v3 = UINT64_C(0x7465646279746573) ^ k[1];
	uint64_t	b = (uint64_t) 8 << 56;

	/* one word, then the length block: the general form unrolled */
	v3 ^= m;
	SIPROUND;
	v0 ^= m;
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
