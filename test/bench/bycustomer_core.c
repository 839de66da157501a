/*
 * bycustomer_core.c — the core of cvfw_flow_by_customer alone, in CPU
 * time: 1,000,000 customers, ~3.4M events in time order across customers
 * (as the flow benchmark's table holds them), added to a store, summarised
 * and encoded; best of 5.  CPU time is steadier than wall time on a shared
 * machine, and the PostgreSQL layer around it is the same before and after.
 *
 *   cc -std=c99 -O2 -Isrc/core -o /tmp/bc test/bench/bycustomer_core.c src/core/*.c -lm
 *   # cvfw 0.1.0's core (its cv_bc_init takes no key):
 *   git archive 1634804 src/core | tar -x -C /tmp/base
 *   cc -std=c99 -O2 -DBASELINE -I/tmp/base/src/core -o /tmp/bc0 test/bench/bycustomer_core.c /tmp/base/src/core/*.c -lm
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bycustomer.h"

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static uint64_t rs = UINT64_C(88172645463325252);

static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

int
main(void)
{
	enum
	{
		C = 1000000
	};
	size_t		n = 0,
				cap = (size_t) C * 8;
	int64_t    *id = malloc(cap * sizeof(int64_t));
	cv_event   *ev = malloc(cap * sizeof(cv_event));
	double		best = 1e9,
				best_add = 1e9;
	int			round,
				rep,
				c;

	/* every customer one event, then up to 7 more, fewer and fewer */
	for (round = 0; round < 8; round++)
		for (c = 0; c < C; c++)
		{
			if (round > 0 && ((c % 7) >= round || rnd() % 100 >= 60))
				continue;
			id[n] = c;
			ev[n].stage = (cv_stage) (1 + rnd() % 6);
			ev[n].at = (int64_t) round * INT64_C(86400000000) + c;
			ev[n].value = (double) (rnd() % 100);
			ev[n].cost = (double) (rnd() % 10);
			n++;
		}
	for (rep = 0; rep < 5; rep++)
	{
		cv_bycustomer b;
		cv_flow		f;
		size_t		len,
					i;
		uint8_t    *e;
		double		t0,
					t1,
					t2;
#ifdef BASELINE
		cv_bc_init(&b);
#else
		uint64_t	seed[2] = {rnd(), rnd()};

		cv_bc_init(&b, seed, 0);
#endif
		t0 = cpu();
		for (i = 0; i < n; i++)
			cv_bc_add(&b, id[i], &ev[i]);
		t1 = cpu();
		cv_flow_init(&f);
		cv_bc_summarize(&b, &f);
		e = cv_flow_encode(&f, 0, &len);
		t2 = cpu();
		if (t2 - t0 < best)
			best = t2 - t0;
		if (t1 - t0 < best_add)
			best_add = t1 - t0;
		free(e);
		cv_flow_free(&f);
		cv_bc_free(&b);
	}
	printf("%zu events of %d customers: add %.3f s, add + summarise + encode %.3f s (CPU, best of 5)\n",
		   n, C, best_add, best);
	return 0;
}
