/*
 * fuzz_funnel_state.c — libFuzzer target for the partial states of the
 * conversion and retention aggregates (what parallel workers and Citus
 * nodes send): the settings at the front (cv_conv_params_read or
 * cv_ret_params_read, chosen by the first input byte), a payload tag, then
 * one customer's events (state_codec.h) or many customers' (bycustomer.h).
 *
 * Any bytes: rejected with a reason, or accepted; accepted settings write
 * back to the same bytes, and accepted events summarise without harm into
 * a summary the decoder accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bycustomer.h"
#include "conversion.h"
#include "mem.h"
#include "retention.h"
#include "state_codec.h"

typedef union acc
{
	cv_conv		conv;
	cv_ret		ret;
} acc;

static int	is_conv;

static cv_status
add(void *arg, cv_event *ev, size_t n)
{
	acc		   *a = arg;

	return is_conv ? cv_conv_add_customer(&a->conv, ev, n) : cv_ret_add_customer(&a->ret, ev, n);
}

static void
check_summary(acc *a)
{
	size_t		len;
	uint8_t    *bytes = is_conv ? cv_conv_encode(&a->conv, 0, &len) : cv_ret_encode(&a->ret, 0, &len);
	acc			b;
	const char *why = NULL;
	cv_status	st = is_conv ? cv_conv_decode(&b.conv, bytes, len, &why) : cv_ret_decode(&b.ret, bytes, len, &why);

	if (st != CV_OK)
		abort();
	if (is_conv)
		cv_conv_free(&b.conv);
	else
		cv_ret_free(&b.ret);
	free(bytes);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_conv_params cp;
	cv_ret_params rp;
	size_t		used = 0;
	const char *why = NULL;
	cv_status	st;
	acc			a;

	if (size < 1)
		return 0;
	is_conv = data[0] & 1;
	data++;
	size--;
	st = is_conv ? cv_conv_params_read(&cp, data, size, &used, &why)
		: cv_ret_params_read(&rp, data, size, &used, &why);
	if (st != CV_OK)
	{
		if (why == NULL)
			abort();
		return 0;
	}
	/* canonical settings */
	{
		size_t		n = is_conv ? cv_conv_params_size(&cp) : cv_ret_params_size(&rp);
		uint8_t    *w = malloc(n);

		if (is_conv)
			cv_conv_params_write(&cp, w);
		else
			cv_ret_params_write(&rp, w);
		if (n != used || memcmp(w, data, n) != 0)
			abort();
		free(w);
	}
	if (is_conv)
		cv_conv_init(&a.conv, &cp);
	else
		cv_ret_init(&a.ret, &rp);
	if (used < size)
	{
		uint8_t		tag = data[used++];
		const uint8_t *rest = data + used;
		size_t		len = size - used;

		if (tag == 2)
		{
			cv_bycustomer b;
			static const uint64_t seed[2] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL};

			cv_bc_init(&b, seed, 0);
			if (cv_bc_decode(&b, rest, len, &why) == CV_OK)
			{
				st = cv_bc_each(&b, add, &a);
				if (st == CV_OK)
					check_summary(&a);
				else if (st != CV_ERR_OVERFLOW)
					abort();
			}
			cv_bc_free(&b);
		}
		else if (tag == 1)
		{
			uint32_t	n;

			if (cv_events_count(rest, len, &n) == CV_OK)
			{
				cv_event   *ev = malloc(n * sizeof(cv_event));

				if (cv_events_decode(rest, len, ev) == CV_OK)
				{
					if (add(&a, ev, n) != CV_OK)
						abort();
					check_summary(&a);
				}
				free(ev);
			}
		}
	}
	if (is_conv)
		cv_conv_free(&a.conv);
	else
		cv_ret_free(&a.ret);
	return 0;
}
