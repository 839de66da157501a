/*
 * fuzz_funnel_text.c — libFuzzer target for the settings text of the
 * conversion (options) and retention (period) aggregates.
 *
 * Any text: rejected with a reason, or accepted; accepted conversion
 * options print canonically, and the canonical text reads back to the same
 * settings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conversion.h"
#include "retention.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_conv_params p,
				q;
	cv_ret_params r;
	const char *why = NULL;
	char		text[40];

	memset(&p, 0, sizeof(p));
	if (cv_conv_parse_options((const char *) data, size, &p, &why))
	{
		const char *t = cv_conv_options_text(&p, text);

		memset(&q, 0, sizeof(q));
		if (!cv_conv_parse_options(t, strlen(t), &q, &why) ||
			q.any != p.any || q.strict != p.strict || q.period != p.period)
			abort();
	}
	else if (why == NULL)
		abort();
	why = NULL;
	memset(&r, 0, sizeof(r));
	if (cv_ret_parse_period((const char *) data, size, &r, &why))
	{
		if (r.period < 1 || r.period > 3 || r.rolling > 1)
			abort();
	}
	else if (why == NULL)
		abort();
	return 0;
}
