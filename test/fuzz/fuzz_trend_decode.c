/*
 * fuzz_trend_decode.c — libFuzzer target for the trend decoder.
 *
 * The input is taken as a trend body and given its correct checksum, so
 * the structural checks are what is fuzzed.  What the decoder accepts is
 * canonical (re-encodes to exactly the same bytes), reports safely by day,
 * week and month with and without a cut-off, decodes a second time into
 * the same accumulator to twice the customers, and taking it out of that
 * leaves exactly the bytes it started from (unless the doubled values left
 * ±10^31, which the subtraction reports as an overflow); taking it out of
 * itself leaves nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "trend.h"

static void
seal(const uint8_t *body, size_t n, uint8_t *out)
{
	uint32_t	crc = cv_crc32c(body, n);

	memcpy(out, body, n);
	out[n] = (uint8_t) crc;
	out[n + 1] = (uint8_t) (crc >> 8);
	out[n + 2] = (uint8_t) (crc >> 16);
	out[n + 3] = (uint8_t) (crc >> 24);
}

int
LLVMFuzzerTestOneInput(const uint8_t *body, size_t body_size)
{
	cv_trend	t,
				once;
	const char *why = NULL;
	size_t		size = body_size + 4;
	uint8_t    *data = malloc(size);

	seal(body, body_size, data);
	cv_trend_init(&t, &cv_malloc_allocator);
	if (cv_trend_decode(&t, data, size, &why) == CV_OK)
	{
		size_t		len,
					n;
		uint8_t    *again = cv_trend_encode(&t, &cv_malloc_allocator, 0, &len);
		uint64_t	customers = t.customers;
		cv_trend_row *rows;
		int			p,
					cut;

		if (len != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
		for (p = CV_TREND_DAY; p <= CV_TREND_MONTH; p++)
			for (cut = 0; cut < 2; cut++)
				if (cv_trend_report(&t, (cv_trend_period) p, cut, 9000, &rows, &n, &why) == CV_OK)
				{
					size_t		i;

					for (i = 0; i < n; i++)
						if (rows[i].visits == 0 || rows[i].leaked > rows[i].ended ||
							rows[i].visits != rows[i].advanced + rows[i].regressed + rows[i].skipped + rows[i].ended)
							abort();
					free(rows);
				}
		/* twice the customers, then the first copy out again: the same bytes */
		cv_trend_init(&once, &cv_malloc_allocator);
		if (cv_trend_decode(&once, data, size, &why) != CV_OK)
			abort();
		if (cv_trend_decode(&t, data, size, &why) == CV_OK)
		{
			cv_status	st;

			if (t.customers != 2 * customers)
				abort();
			/*
			 * The doubled values may leave ±10^31: merging finds that when it
			 * combines (here, in the subtraction), and the trend is thrown away.
			 */
			st = cv_trend_subtract(&t, &once, &why);
			if (st == CV_ERR_OVERFLOW && why != NULL)
			{
				cv_trend_free(&once);
				cv_trend_free(&t);
				free(data);
				return 0;
			}
			if (st != CV_OK)
				abort();
			again = cv_trend_encode(&t, &cv_malloc_allocator, 0, &len);
			if (len != size || memcmp(again, data, size) != 0)
				abort();
			free(again);
			if (cv_trend_subtract(&t, &once, &why) != CV_OK || t.customers != 0 || t.ncells != 0 ||
				t.nends != 0)
				abort();
		}
		else if (why == NULL)
			abort();
		cv_trend_free(&once);
	}
	else if (why == NULL)
		abort();
	cv_trend_free(&t);
	/* the raw input, unsealed: refused unless its last 4 bytes happen to be its checksum */
	cv_trend_init(&t, &cv_malloc_allocator);
	if (cv_trend_decode(&t, body, body_size, &why) == CV_OK && body_size >= 4 &&
		cv_crc32c(body, body_size - 4) != (uint32_t) (body[body_size - 4] | body[body_size - 3] << 8 |
													   body[body_size - 2] << 16 | (uint32_t) body[body_size - 1] << 24))
		abort();
	cv_trend_free(&t);
	free(data);
	return 0;
}
