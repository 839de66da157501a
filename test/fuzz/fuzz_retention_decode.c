/*
 * fuzz_retention_decode.c — libFuzzer target for the retention summary
 * decoder.
 *
 * The input is taken as a summary body and given its correct checksum.
 * Any body: rejected with a reason, or accepted; what is accepted is
 * canonical, its matrix rows keep retained <= retained on or after <=
 * customers <= cohort customers, and merging it with itself doubles the
 * customers or refuses with CV_ERR_OVERFLOW.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "mem.h"
#include "retention.h"

int
LLVMFuzzerTestOneInput(const uint8_t *body, size_t body_size)
{
	cv_ret		r,
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
	if (cv_ret_decode(&r, data, size, &why) == CV_OK)
	{
		size_t		len,
					n,
					i;
		uint8_t    *again = cv_ret_encode(&r, 0, &len);
		cv_ret_row *rows;
		double		rate;
		cv_status	st;

		if (len != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
		rows = cv_ret_rows(&r, &n);
		for (i = 0; i < n; i++)
			if (rows[i].retained > rows[i].retained_after || rows[i].retained_after > rows[i].customers ||
				rows[i].customers > rows[i].cohort_customers || rows[i].customers == 0)
				abort();
		free(rows);
		(void) cv_ret_rate(&r, 1, 1, &rate);
		cv_ret_init(&twice, &r.p);
		if (cv_ret_merge(&twice, &r) != CV_OK)
			abort();
		st = cv_ret_merge(&twice, &r);
		if ((st == CV_OK && twice.customers != 2 * r.customers) || (st != CV_OK && st != CV_ERR_OVERFLOW))
			abort();
		cv_ret_free(&twice);
	}
	else if (why == NULL)
		abort();
	cv_ret_free(&r);
	free(data);
	return 0;
}
