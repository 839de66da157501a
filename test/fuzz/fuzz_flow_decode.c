/*
 * fuzz_flow_decode.c — libFuzzer target for the flow summary decoder.
 *
 * Any bytes: the decoder rejects them or accepts them; what it accepts is
 * canonical, so it re-encodes to exactly the same bytes, and reading the
 * leakage report from it is safe.  Decoding the same bytes into an
 * accumulator that already holds them doubles every count (or overflows
 * an amount).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_flow		f;
	const char *why = NULL;
	cv_status	st;

	cv_flow_init(&f);
	st = cv_flow_decode(&f, data, size, &why);
	if (st == CV_OK)
	{
		size_t		len;
		uint8_t    *again = cv_flow_encode(&f, &len);
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
	return 0;
}
