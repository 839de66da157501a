/*
 * fuzz_stage_parse.c — libFuzzer target for cv_stage_parse.
 *
 * Differential: a slow, obviously-correct reference (trim, lowercase, map
 * ' ' and '-' to '_', compare with the six names) must agree with the
 * parser on every input, and every accepted input must name a stage whose
 * canonical name parses back to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stage.h"

static int
reference(const uint8_t *data, size_t size)
{
	char	   *norm = malloc(size + 1);
	size_t		b = 0,
				e = size,
				i,
				n = 0;
	int			s,
				found = 0;

	while (b < e && strchr(" \t\n\r\f\v", data[b]) && data[b] != '\0')
		b++;
	while (e > b && strchr(" \t\n\r\f\v", data[e - 1]) && data[e - 1] != '\0')
		e--;
	for (i = b; i < e; i++)
	{
		char		c = (char) data[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		else if (c == ' ' || c == '-')
			c = '_';
		norm[n++] = c;
	}
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		const char *name = cv_stage_name((cv_stage) s);

		if (strlen(name) == n && memcmp(name, norm, n) == 0)
			found = s;
	}
	free(norm);
	return found;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_stage	got = cv_stage_parse((const char *) data, size);

	if (got != reference(data, size))
		abort();
	if (got != CV_STAGE_INVALID)
	{
		const char *name = cv_stage_name(got);

		if (name == NULL || cv_stage_parse(name, strlen(name)) != got)
			abort();
	}
	return 0;
}
