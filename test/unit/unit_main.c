/*
 * unit_main.c — runs every test table and prints TAP plus a summary line
 * "unit: N passed, N failed" that the check harness adds to its count.
 */
#include <stdlib.h>

#include "unit.h"

int			unit_current_failed;
uint64_t	unit_rng_state = UINT64_C(0x9E3779B97F4A7C15);
long		unit_mem_live;

static void *
unit_alloc(void *ctx, size_t size)
{
	void	   *p = malloc(size > 0 ? size : 1);

	(void) ctx;
	if (p == NULL)
		abort();
	unit_mem_live++;
	return p;
}

static void *
unit_realloc(void *ctx, void *ptr, size_t size)
{
	void	   *p;

	(void) ctx;
	p = realloc(ptr, size > 0 ? size : 1);
	if (p == NULL)
		abort();
	if (ptr == NULL)
		unit_mem_live++;
	return p;
}

/* pfree(NULL) is an error in PostgreSQL: so it is here */
static void
unit_free(void *ctx, void *ptr)
{
	(void) ctx;
	if (ptr == NULL)
	{
		fprintf(stderr, "unit: free(NULL)\n");
		abort();
	}
	unit_mem_live--;
	free(ptr);
}

const cv_allocator unit_mem = {unit_alloc, unit_realloc, unit_free, NULL};

/* the ambient allocator of the modules that have none of their own, likewise */
static void
ambient_free(void *ptr)
{
	if (ptr == NULL)
	{
		fprintf(stderr, "unit: cv_mem.free(NULL)\n");
		abort();
	}
	free(ptr);
}

static const unit_test *const suites[] = {
	stage_tests,
	policy_tests,
	money_tests,
	flow_tests,
	flow_exact_tests,
	clv_tests,
	state_codec_tests,
	wheel_tests,
	btyd_tests,
	stage_map_tests,
	scale_tests,
	conversion_tests,
	retention_tests,
	value_tests,
	trend_tests,
};

int
main(void)
{
	int			passed = 0,
				failed = 0,
				n = 0;
	size_t		i;

	cv_mem.free = ambient_free;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
	{
		const unit_test *t;

		for (t = suites[i]; t->name != NULL; t++)
		{
			long		live = unit_mem_live;

			unit_current_failed = 0;
			t->fn();
			if (unit_mem_live != live)
			{
				fprintf(stderr, "  %ld allocations of unit_mem left live\n", unit_mem_live - live);
				unit_current_failed = 1;
			}
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
