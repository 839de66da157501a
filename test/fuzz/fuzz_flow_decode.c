/*
 * fuzz_flow_decode.c — libFuzzer target for the flow summary decoder.
 *
 * The input is taken as a summary body and given its correct checksum, so
 * the structural checks are what is fuzzed (a wrong checksum is refused
 * before them).  Any body: the decoder rejects it or accepts it; what it
 * accepts is canonical, so it re-encodes to exactly the same bytes, and
 * reading the leakage report from it is safe.  Decoding the same bytes into an
 * accumulator that already holds them doubles every count (or overflows
 * an amount).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "flow.h"

int
LLVMFuzzerTestOneInput(const uint8_t *body, size_t body_size)
{
	cv_flow		f;
	const char *why = NULL;
	cv_status	st;
	size_t		size = body_size + 4;
	uint8_t    *data = malloc(size);
	uint32_t	crc = cv_crc32c(body, body_size);

	memcpy(data, body, body_size);
	data[body_size] = (uint8_t) crc;
	data[body_size + 1] = (uint8_t) (crc >> 8);
	data[body_size + 2] = (uint8_t) (crc >> 16);
	data[body_size + 3] = (uint8_t) (crc >> 24);
	cv_flow_init(&f);
	st = cv_flow_decode(&f, data, size, &why);
	if (st == CV_OK)
	{
		size_t		len;
		uint8_t    *again = cv_flow_encode(&f, 0, &len);
		cv_leakage_row rows[CV_STAGE_COUNT + 1];
		uint64_t	customers = f.customers;

		if (len != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
		cv_flow_leakage(&f, 1, 9000, rows);
		/* again: the same invariants hold (huge amounts may overflow) */
		st = cv_flow_decode(&f, data, size, &why);
		if (st == CV_ERR_CORRUPT || (st == CV_OK && f.customers != 2 * customers))
			abort();
	}
	else if (why == NULL)
		abort();
	cv_flow_free(&f);
	/* and the raw input, unsealed: refused unless its last 4 bytes happen to match */
	cv_flow_init(&f);
	if (cv_flow_decode(&f, body, body_size, &why) == CV_OK && body_size >= 4 &&
		cv_crc32c(body, body_size - 4) != (uint32_t) (body[body_size - 4] | body[body_size - 3] << 8 |
													   body[body_size - 2] << 16 | (uint32_t) body[body_size - 1] << 24))
		abort();
	cv_flow_free(&f);
	free(data);
	return 0;
}
