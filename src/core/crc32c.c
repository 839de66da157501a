/*
 * crc32c.c — CRC-32C, reflected polynomial 0x82F63B78.
 *
 * On x86-64 with SSE 4.2 (checked at run time) the crc32 instruction does
 * eight bytes at a time; elsewhere a byte-wise table.  Both give the same
 * value, which the unit tests check against the standard check value.
 */
#include <string.h>

#include "crc32c.h"

static uint32_t table[256];
static int	table_ready;

static void
build_table(void)
{
	uint32_t	i;

	for (i = 0; i < 256; i++)
	{
		uint32_t	c = i;
		int			k;

		for (k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		table[i] = c;
	}
	table_ready = 1;
}

static uint32_t
crc_table(const uint8_t *data, size_t len)
{
	uint32_t	crc = 0xFFFFFFFFu;
	size_t		i;

	if (!table_ready)
		build_table();
	for (i = 0; i < len; i++)
		crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define HAVE_SSE42_PATH 1

__attribute__((target("sse4.2")))
static uint32_t
crc_sse42(const uint8_t *data, size_t len)
{
	uint64_t	crc = 0xFFFFFFFFu;

	for (; len >= 8; data += 8, len -= 8)
	{
		uint64_t	v;

		memcpy(&v, data, 8);
		crc = _mm_crc32_u64(crc, v);
	}
	for (; len > 0; data++, len--)
		crc = _mm_crc32_u8((uint32_t) crc, *data);
	return (uint32_t) crc ^ 0xFFFFFFFFu;
}
#endif

uint32_t
cv_crc32c_portable(const uint8_t *data, size_t len)
{
	return crc_table(data, len);
}

uint32_t
cv_crc32c(const uint8_t *data, size_t len)
{
#ifdef HAVE_SSE42_PATH
	static int	use_sse42 = -1;

	if (use_sse42 < 0)
		use_sse42 = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	if (use_sse42)
		return crc_sse42(data, len);
#endif
	return crc_table(data, len);
}
