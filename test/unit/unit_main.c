/*
 * unit_main.c — runs every test table and prints TAP plus a summary line
 * "unit: N passed, N failed" that the check harness adds to its count.
 */
#include "unit.h"

int			unit_current_failed;
uint64_t	unit_rng_state = UINT64_C(0x9E3779B97F4A7C15);

static const unit_test *const suites[] = {
	stage_tests,
	policy_tests,
	flow_tests,
	clv_tests,
	state_codec_tests,
	wheel_tests,
	btyd_tests,
	value_tests,
};

int
main(void)
{
	int			passed = 0,
				failed = 0,
				n = 0;
	size_t		i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
	{
		const unit_test *t;

		for (t = suites[i]; t->name != NULL; t++)
		{
			unit_current_failed = 0;
			t->fn();
			n++;
			if (unit_current_failed)
				failed++;
			else
				passed++;
			printf("%sok %d - %s\n", unit_current_failed ? "not " : "", n, t->name);
		}
	}
	printf("1..%d\n", n);
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
