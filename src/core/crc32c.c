/*
 * crc32c.c — CRC-32C, reflected polynomial 0x82F63B78.
 */
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

uint32_t
cv_crc32c(const uint8_t *data, size_t len)
{
	uint32_t	crc = 0xFFFFFFFFu;
	size_t		i;

	if (!table_ready)
		build_table();
	for (i = 0; i < len; i++)
		crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}
