/*
 * fuzz_policy_parse.c — libFuzzer target for the policy literal parser and
 * canonical text.
 *
 * Any input: the parser either accepts it, and then the canonical text of
 * the result reads back to the same policy, or rejects it, pointing at an
 * item inside the input.  The first 8 bytes, read as a policy, must also
 * round-trip through their canonical text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static void
round_trip(cv_policy p)
{
	char		buf[CV_POLICY_TEXT_MAX];
	size_t		n = cv_policy_format(p, buf, sizeof(buf));
	cv_policy	back;
	const char *bad,
			   *why;
	size_t		bad_len;

	if (n >= sizeof(buf) || strlen(buf) != n)
		abort();
	if (!cv_policy_parse(buf, n, &back, &bad, &bad_len, &why) || back != p)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_policy	p;
	const char *bad = NULL,
			   *why = NULL;
	size_t		bad_len = 0;
	const char *s = (const char *) data;

	if (cv_policy_parse(s, size, &p, &bad, &bad_len, &why))
	{
		if (!cv_policy_is_valid(p))
			abort();
		round_trip(p);
	}
	else if (why == NULL || bad < s || bad + bad_len > s + size)
		abort();
	if (size >= 8)
	{
		uint64_t	bits;

		memcpy(&bits, data, 8);
		round_trip(bits & CV_POLICY_MASK);
	}
	return 0;
}
