/*
 * fuzz_wheel_svg.c — libFuzzer target for the wheel picture.
 *
 * The input's bytes are the picture's numbers as they lie in memory (any
 * counts, any doubles: NaN, infinities, negative zero, subnormals), the
 * rest of it the subtitle.  Properties: the renderer neither crashes nor
 * trips the sanitizers; the output is NUL-terminated at its length, holds
 * no control characters but newlines and tabs (the subtitle's are
 * replaced), and never "nan" or "inf" (numbers are formatted by hand).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "wheel_svg.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_wheel	w;
	size_t		n = size < sizeof(w) ? size : sizeof(w);
	size_t		len,
				i;
	char	   *subtitle;
	char	   *svg;

	memset(&w, 0, sizeof(w));
	memcpy(&w, data, n);
	/* the rest is the subtitle */
	subtitle = malloc(size - n + 1);
	memcpy(subtitle, data + n, size - n);
	subtitle[size - n] = '\0';
	w.subtitle = subtitle;
	svg = cv_wheel_svg(&w, &len);
	if (strlen(svg) != len)
		abort();
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) svg[i];

		/* the subtitle's own bytes may be anything but control characters */
		if (c < 0x20 && c != '\n' && c != '\t')
			abort();
	}
	/* "inf"/"nan" in the numbers, not in a subtitle that said so */
	if (strstr(subtitle, "nan") == NULL && strstr(subtitle, "inf") == NULL &&
		(strstr(svg, "nan") != NULL || strstr(svg, "inf") != NULL))
		abort();
	cv_mem.free(svg);
	free(subtitle);
	return 0;
}
