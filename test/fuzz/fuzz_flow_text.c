/*
 * fuzz_flow_text.c — libFuzzer target for cvfw_flow's text form: "\x" and
 * hex digits, then the summary decoder, as cvfw_flow_in does.
 *
 * Any text: refused, or accepted; what is accepted prints back (lower-case
 * hex of the canonical bytes) to text that is accepted again unchanged.
 * (Version-1 summaries are written again as version 2: only version 2 is
 * compared byte for byte.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "state_codec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *str = (const char *) data;
	uint8_t    *bytes;
	long		n;
	cv_flow		f;
	const char *why = NULL;

	if (size < 2 || str[0] != '\\' || str[1] != 'x')
		return 0;
	bytes = malloc(size / 2 + 1);
	n = cv_hex_decode(str + 2, size - 2, bytes);
	if (n < 0)
	{
		free(bytes);
		return 0;
	}
	cv_flow_init(&f, &cv_malloc_allocator);
	if (cv_flow_decode(&f, bytes, (size_t) n, &why) == CV_OK)
	{
		size_t		len,
					i;
		uint8_t    *again = cv_flow_encode(&f, &cv_malloc_allocator, 0, &len);
		char	   *hex = malloc(2 * len + 1);
		uint8_t    *back = malloc(len + 1);
		static const char digits[] = "0123456789abcdef";

		for (i = 0; i < len; i++)
		{
			hex[2 * i] = digits[again[i] >> 4];
			hex[2 * i + 1] = digits[again[i] & 15];
		}
		if ((bytes[0] == CV_FLOW_FORMAT_VERSION && (len != (size_t) n || memcmp(again, bytes, len) != 0)) ||
			cv_hex_decode(hex, 2 * len, back) != (long) len || memcmp(back, again, len) != 0)
			abort();
		free(back);
		free(hex);
		free(again);
	}
	else if (why == NULL)
		abort();
	cv_flow_free(&f);
	free(bytes);
	return 0;
}
