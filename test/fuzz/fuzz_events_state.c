/*
 * fuzz_events_state.c — libFuzzer target for the serial form of cvfw_flow's
 * partial state (one customer's events, sent between parallel workers).
 *
 * Any bytes: refused, or accepted; what is accepted re-encodes to the same
 * bytes and builds a customer summary without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "state_codec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	n;
	cv_event   *ev;

	if (cv_events_count(data, size, &n) != CV_OK)
		return 0;
	ev = malloc(sizeof(cv_event) * (n ? n : 1));
	if (cv_events_decode(data, size, ev) == CV_OK)
	{
		uint8_t    *again = malloc(cv_events_wire_size(n));
		size_t		len;
		cv_status	st;
		uint8_t    *flow;

		cv_events_encode(ev, n, again);
		if (memcmp(again, data, size) != 0)
			abort();
		free(again);
		/* what cvfw_flow's final function does with it */
		flow = cv_flow_encode_customer(&cv_malloc_allocator, ev, n, 0, &len, &st);
		if ((flow == NULL) != (st != CV_OK))
			abort();
		free(flow);
	}
	free(ev);
	return 0;
}
