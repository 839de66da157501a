/*
 * fuzz_clv_state.c — libFuzzer target for the serial form of cvfw_clv_agg's
 * partial state.
 *
 * Any bytes: refused, or accepted; what is accepted re-encodes to the same
 * bytes, merges with itself, and gives a report without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clv.h"
#include "state_codec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_clv_acc	acc,
				twice;
	uint8_t		again[CV_CLV_ACC_WIRE_SIZE];
	cv_clv_inputs in;
	cv_clv_report r;

	if (cv_clv_acc_decode(data, size, &acc) != CV_OK)
		return 0;
	cv_clv_acc_encode(&acc, again);
	if (memcmp(again, data, size) != 0)
		abort();
	twice = acc;
	(void) cv_clv_acc_merge(&twice, &acc);
	memset(&in, 0, sizeof in);
	in.customers = acc.customers;
	in.churned = acc.churned;
	in.exposure_us = acc.exposure_us;
	in.period_us = acc.period_us;
	in.revenue = acc.revenue;
	in.cost = acc.cost;
	in.acquisition_spend = 0.0 / 0.0;
	in.margin = 1;
	(void) cv_clv_report_of(&in, &r);
	return 0;
}
