/*
 * fuzz_conversion_decode.c — libFuzzer target for the conversion summary
 * decoder.
 *
 * The input is taken as a summary body and given its correct checksum, so
 * the structural checks are what is fuzzed.  Any body: rejected with a
 * reason, or accepted; what is accepted is canonical (re-encodes to the
 * same bytes), its report and accessors are safe to read, and merging it
 * with itself doubles every count or refuses with CV_ERR_OVERFLOW.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conversion.h"
#include "crc32c.h"
#include "mem.h"

int
LLVMFuzzerTestOneInput(const uint8_t *body, size_t body_size)
{
	cv_conv		c,
				twice;
	const char *why = NULL;
	size_t		size = body_size + 4;
	uint8_t    *data = malloc(size);
	uint32_t	crc = cv_crc32c(body, body_size);

	memcpy(data, body, body_size);
	data[body_size] = (uint8_t) crc;
	data[body_size + 1] = (uint8_t) (crc >> 8);
	data[body_size + 2] = (uint8_t) (crc >> 16);
	data[body_size + 3] = (uint8_t) (crc >> 24);
	if (cv_conv_decode(&c, data, size, &why) == CV_OK)
	{
		size_t		len,
					n;
		uint8_t    *again = cv_conv_encode(&c, 0, &len);
		cv_conv_row *rows;
		double		q;
		cv_status	st;

		if (len != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
		rows = cv_conv_rows(&c, &n);
		free(rows);
		(void) cv_conv_furthest(&c);
		(void) cv_conv_time_quantile(&c, c.p.steps, 0.5, &q);
		cv_conv_init(&twice, &c.p);
		if (cv_conv_merge(&twice, &c) != CV_OK)
			abort();
		st = cv_conv_merge(&twice, &c);
		if (st == CV_OK)
		{
			uint32_t	i;

			for (i = 0; i < c.n; i++)
				if (twice.cohorts[i].attempts[0] != 2 * c.cohorts[i].attempts[0])
					abort();
		}
		else if (st != CV_ERR_OVERFLOW)
			abort();
		cv_conv_free(&twice);
	}
	else if (why == NULL)
		abort();
	cv_conv_free(&c);
	free(data);
	return 0;
}
