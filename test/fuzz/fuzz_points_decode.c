/*
 * fuzz_points_decode.c — libFuzzer target for the serial form of the model
 * fits' state (what parallel workers send for cvfw_bgnbd_fit, cvfw_pnbd_fit
 * and cvfw_gg_fit; a penalised fit's state is the penalizer, then the bag).
 *
 * Any bytes: rejected, or accepted; what is accepted writes back to the
 * same bytes, takes more points (the read bag becomes a hash table again),
 * merges into an empty bag to the same bytes, and evaluates likelihoods.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgnbd.h"
#include "pnbd.h"
#include "points.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_points	a,
				b;
	unsigned char *again;
	cv_bgnbd	m = {0.25, 4, 0.8, 2.4, 0, 0};
	cv_pnbd		pm = {0.55, 10.6, 0.6, 11.7, 0, 0};
	double		penalizer;

	/* the penalised form: the same bag after 8 bytes of penalizer */
	if (cv_fitstate_read(data, size, &penalizer, &a) == 0)
	{
		if (cv_fitstate_size(&a) != size || !(penalizer >= 0))
			abort();
		again = malloc(size);
		cv_fitstate_write(&a, penalizer, again);
		if (memcmp(again, data, size) != 0)
			abort();
		free(again);
		cv_points_free(&a);
	}
	if (cv_points_read(data, size, &a) != 0)
		return 0;
	if (cv_points_size(&a) != size)
		abort();
	again = malloc(size);
	cv_points_write(&a, again);
	if (memcmp(again, data, size) != 0)
		abort();
	/* a likelihood over anything accepted is a number or -inf/NaN, never a crash */
	(void) cv_bgnbd_loglik(&m, &a);
	(void) cv_pnbd_loglik(&pm, &a);
	cv_points_init(&b);
	if (cv_points_merge(&b, &a) != 0 || b.total != a.total || b.len != a.len)
		abort();
	cv_points_write(&b, again);
	if (memcmp(again, data, size) != 0)
		abort();
	if (cv_points_add(&a, 1, 2, 3, 1) != 0 || a.total != b.total + 1)
		abort();
	free(again);
	cv_points_free(&a);
	cv_points_free(&b);
	return 0;
}
