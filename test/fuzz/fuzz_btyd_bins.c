/*
 * fuzz_btyd_bins.c — libFuzzer target for the model checks' state (the
 * float8[] that cvfw_bgnbd_holdout and friends pass between calls and
 * workers, which anyone can also hand to their support functions).
 *
 * Any bytes, read as doubles: refused, or accepted; what is accepted
 * merges with itself into a state that is still accepted, and its bins
 * take customers without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btyd_bins.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		n = size / sizeof(double);
	double	   *v,
			   *w;

	if (n == 0)
		return 0;
	v = malloc(n * sizeof(double));
	memcpy(v, data, n * sizeof(double));
	if (cv_bins_check(v, n) == 0)
	{
		w = malloc(n * sizeof(double));
		memcpy(w, v, n * sizeof(double));
		if (!cv_bins_same(v, w))
			abort();
		cv_bins_merge(w, v);
		cv_bins_count(w, cv_bins_bin(w, 1e9), 3);
		cv_bins_expect(w, cv_bins_bin(w, 0), 0.5);
		/* sums may overflow to infinity: then refused, never a crash */
		(void) cv_bins_check(w, n);
		free(w);
	}
	free(v);
	return 0;
}
