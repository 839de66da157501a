/*
 * fuzz_flow_decode.c — libFuzzer target for the flow summary decoder
 * (format versions 1 and 2).
 *
 * The input is taken as a summary body and given its correct checksum, so
 * the structural checks are what is fuzzed (a wrong checksum is refused
 * before them).  Any body: the decoder rejects it (saying why) or accepts
 * it; what it accepts passes every check cv_flow_check makes, is
 * canonical (a version-2 summary re-encodes to exactly the same bytes, a
 * version-1 one to version-2 bytes that read back to themselves), and
 * reading the leakage report from it is safe.  Decoding the same bytes
 * into an accumulator that already holds them doubles every count (or
 * leaves a bound: never corrupt), and subtracting the summary from the
 * doubled one gives its bytes back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "flow.h"

static const cv_allocator *mem = &cv_malloc_allocator;

static void
seal(uint8_t *data, size_t body_size)
{
	uint32_t	crc = cv_crc32c(data, body_size);

	data[body_size] = (uint8_t) crc;
	data[body_size + 1] = (uint8_t) (crc >> 8);
	data[body_size + 2] = (uint8_t) (crc >> 16);
	data[body_size + 3] = (uint8_t) (crc >> 24);
}

int
LLVMFuzzerTestOneInput(const uint8_t *body, size_t body_size)
{
	cv_flow		f,
				once;
	const char *why = NULL;
	cv_status	st;
	size_t		size = body_size + 4;
	uint8_t    *data = malloc(size);

	memcpy(data, body, body_size);
	seal(data, body_size);
	cv_flow_init(&f, mem);
	st = cv_flow_decode(&f, data, size, &why);
	if (st == CV_OK)
	{
		size_t		len,
					len2;
		uint8_t    *again = cv_flow_encode(&f, mem, 0, &len);
		cv_leakage_row rows[CV_STAGE_COUNT + 1];
		uint64_t	customers = f.customers;

		if (cv_flow_check(&f, &why) != CV_OK)
			abort();
		if (data[0] == CV_FLOW_FORMAT_VERSION && (len != size || memcmp(again, data, size) != 0))
			abort();
		/* the canonical bytes read back to themselves */
		cv_flow_init(&once, mem);
		if (cv_flow_decode(&once, again, len, &why) != CV_OK)
			abort();
		cv_flow_leakage(&f, 1, 9000, rows);
		/* again: the same invariants hold; the bounds may not */
		st = cv_flow_decode(&f, again, len, &why);
		if (st == CV_ERR_CORRUPT || (st == CV_OK && f.customers != 2 * customers))
			abort();
		if (st == CV_OK)
		{
			uint8_t    *back;

			if (cv_flow_check(&f, &why) != CV_OK || cv_flow_subtract(&f, &once, &why) != CV_OK)
				abort();
			back = cv_flow_encode(&f, mem, 0, &len2);
			if (len2 != len || memcmp(back, again, len) != 0)
				abort();
			free(back);
		}
		cv_flow_free(&once);
		free(again);
	}
	else if (why == NULL)
		abort();
	cv_flow_free(&f);
	/* and the raw input, unsealed: refused unless its last 4 bytes happen to match */
	cv_flow_init(&f, mem);
	if (cv_flow_decode(&f, body, body_size, &why) == CV_OK && body_size >= 4 &&
		cv_crc32c(body, body_size - 4) != (uint32_t) (body[body_size - 4] | body[body_size - 3] << 8 |
													   body[body_size - 2] << 16 | (uint32_t) body[body_size - 1] << 24))
		abort();
	cv_flow_free(&f);
	free(data);
	return 0;
}
