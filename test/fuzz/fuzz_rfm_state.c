/*
 * fuzz_rfm_state.c — libFuzzer target for the serial form of cvfw_rfm's
 * partial state (one customer's purchase grains and amounts).
 *
 * Any bytes: refused, or accepted; what is accepted re-encodes to the same
 * bytes and summarises without harm (no overflow in grain arithmetic).
 * cvfw_rfm_holdout's state (two states back to back) splits at a length
 * within the bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state_codec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_rfm_acc	acc;
	size_t		n;

	if (cv_rfm_state_prefix(data, size, &n) == CV_OK && (n < CV_RFM_HEADER_WIRE_SIZE || n > size))
		abort();
	if (cv_rfm_state_count(data, size, &n) != CV_OK || n > 4096)
		return 0;
	memset(&acc, 0, sizeof acc);
	acc.e = malloc(sizeof(cv_rfm_entry) * (n ? n : 1));
	acc.cap = n;
	if (cv_rfm_state_decode(data, size, &acc) == CV_OK)
	{
		uint8_t    *again = malloc(cv_rfm_state_wire_size(n));
		cv_rfm		r;

		cv_rfm_state_encode(&acc, again);
		if (memcmp(again, data, size) != 0)
			abort();
		free(again);
		(void) cv_rfm_summary(&acc, &r);
		{
			double		grains,
						amount;

			(void) cv_rfm_grains(&acc, &grains, &amount);
			if (grains > (double) n)
				abort();
		}
	}
	free(acc.e);
	return 0;
}
