/*
 * fuzz_flow_subtract.c — libFuzzer target for taking one summary out of
 * another (cvfw_flow_subtract, the - operator).
 *
 * The input is two summary bodies: the first byte gives the first body's
 * length (modulo the input), each is given its checksum, and both are
 * decoded.  When both are accepted, the part is subtracted from the total:
 * refused as not contained (saying why), or accepted, and then what remains
 * passes every check the decoder makes, reads back from its bytes, and
 * merged with the part gives the total again (when the total is version 2,
 * byte for byte).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "flow.h"

static const cv_allocator *mem = &cv_malloc_allocator;

static int
decode_sealed(cv_flow *f, const uint8_t *body, size_t n, uint8_t **sealed)
{
	const char *why;
	uint32_t	crc = cv_crc32c(body, n);
	uint8_t    *d = malloc(n + 4);

	memcpy(d, body, n);
	d[n] = (uint8_t) crc;
	d[n + 1] = (uint8_t) (crc >> 8);
	d[n + 2] = (uint8_t) (crc >> 16);
	d[n + 3] = (uint8_t) (crc >> 24);
	*sealed = d;
	cv_flow_init(f, mem);
	return cv_flow_decode(f, d, n + 4, &why) == CV_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_flow		total,
				part,
				back;
	uint8_t    *t,
			   *p;
	size_t		split;
	const char *why = NULL;
	cv_status	st;
	int			ok_t,
				ok_p;

	if (size < 2)
		return 0;
	split = 1 + data[0] % (size - 1);
	ok_t = decode_sealed(&total, data + 1, split - 1, &t);
	ok_p = decode_sealed(&part, data + split, size - split, &p);
	if (ok_t && ok_p)
	{
		st = cv_flow_subtract(&total, &part, &why);
		if (st == CV_OK && total.customers > 0)
		{
			size_t		len,
						len2;
			uint8_t    *rest = cv_flow_encode(&total, mem, 0, &len),
					   *whole;

			if (cv_flow_check(&total, &why) != CV_OK)
				abort();
			cv_flow_init(&back, mem);
			if (cv_flow_decode(&back, rest, len, &why) != CV_OK ||
				cv_flow_merge(&back, &part, &why) != CV_OK)
				abort();
			whole = cv_flow_encode(&back, mem, 0, &len2);
			if (t[0] == CV_FLOW_FORMAT_VERSION && (len2 != split + 3 || memcmp(whole, t, len2) != 0))
				abort();
			free(whole);
			free(rest);
			cv_flow_free(&back);
		}
		else if (st == CV_OK)
		{
			if (cv_flow_check(&total, &why) != CV_OK)
				abort();
		}
		else if (st != CV_ERR_NOT_CONTAINED || why == NULL)
			abort();
	}
	cv_flow_free(&total);
	cv_flow_free(&part);
	free(t);
	free(p);
	return 0;
}
