/*
 * fuzz_bycustomer_decode.c — libFuzzer target for the serial form of
 * cvfw_flow_by_customer's state (what parallel workers send).
 *
 * Any bytes: rejected, or accepted; what is accepted encodes and decodes
 * again to the same events, so both summarise to the same flow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bycustomer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_bycustomer a,
				b;
	const char *why = NULL;

	static const uint64_t seed_a[2] = {1, 2},
				seed_b[2] = {3, 4};

	cv_bc_init(&a, seed_a, 0);
	if (cv_bc_decode(&a, data, size, &why) == CV_OK)
	{
		size_t		len,
					l1,
					l2;
		uint8_t    *again = cv_bc_encode(&a, 0, &len);
		cv_flow		fa,
					fb;
		uint8_t    *ea,
				   *eb;
		cv_status	sa,
					sb;

		cv_bc_init(&b, seed_b, 0);
		if (cv_bc_decode(&b, again, len, &why) != CV_OK || b.n != a.n || b.customers != a.customers)
			abort();
		cv_flow_init(&fa, &cv_malloc_allocator);
		cv_flow_init(&fb, &cv_malloc_allocator);
		sa = cv_bc_summarize(&a, &fa);
		sb = cv_bc_summarize(&b, &fb);
		if (sa != sb)
			abort();
		if (sa == CV_OK && a.n > 0)
		{
			ea = cv_flow_encode(&fa, &cv_malloc_allocator, 0, &l1);
			eb = cv_flow_encode(&fb, &cv_malloc_allocator, 0, &l2);
			if (l1 != l2 || memcmp(ea, eb, l1) != 0)
				abort();
			free(ea);
			free(eb);
		}
		cv_flow_free(&fa);
		cv_flow_free(&fb);
		cv_bc_free(&b);
		free(again);
	}
	else if (why == NULL)
		abort();
	cv_bc_free(&a);
	return 0;
}
