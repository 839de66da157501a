/*
 * fuzz_bycustomer_store.c — libFuzzer target for cvfw_flow_by_customer's
 * in-memory store and the walk behind every summary.
 *
 * The input is a list of events, 6 bytes each: customer (1 byte), stage
 * byte (any value: invalid ones must be refused), time (2 bytes), value
 * and cost (1 byte each, some fractional).  The same events go to a store
 * of integer ids, a store of byte-string ids (under a tiny memory limit,
 * stopping where it says there is no room) and, customer by customer, to
 * cv_flow_add_customer and to a walk over the sorted events (as a spilled
 * sort streams them).  Properties: the stores accept exactly the valid
 * events and keep within the limit; each customer's walk gives the bytes of
 * cv_flow_add_customer; both stores summarise alike; whatever is refused is
 * refused the same way by every path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bycustomer.h"
#include "customer.h"

#define EV_BYTES 6
#define MAX_EVENTS 512

static cv_event
event_of(const uint8_t *p)
{
	cv_event	e;

	e.stage = p[1] % 9;			/* 0, 7 and 8 are not stages */
	e.at = (int64_t) ((p[2] << 8) | p[3]) * INT64_C(3600000000);
	e.value = (p[4] & 1) ? (double) p[4] / 8.0 : (double) p[4];
	e.cost = (double) p[5] / 4.0;
	return e;
}

static void
same_bytes(const cv_flow *a, const cv_flow *b)
{
	size_t		la,
				lb;
	uint8_t    *ea = cv_flow_encode(a, &cv_malloc_allocator, 0, &la),
			   *eb = cv_flow_encode(b, &cv_malloc_allocator, 0, &lb);

	if (la != lb || memcmp(ea, eb, la) != 0)
		abort();
	free(ea);
	free(eb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t s1[2] = {1, 2},
				s2[2] = {3, 4};
	size_t		n = size / EV_BYTES,
				i;
	cv_bycustomer ints,
				bytes;
	int			valid = 1,
				c;
	cv_flow		fi,
				fb;

	if (n > MAX_EVENTS)
		n = MAX_EVENTS;
	cv_bc_init(&ints, s1, 0);
	cv_bc_init(&bytes, s2, 1);
	for (i = 0; i < n; i++)
	{
		cv_event	e = event_of(data + i * EV_BYTES);
		uint8_t		key[3] = {'c', data[i * EV_BYTES], 0};

		if (!cv_stage_is_valid(e.stage))
		{
			valid = 0;
			continue;			/* the PostgreSQL layer refuses these before the store */
		}
		if (cv_bc_add(&ints, data[i * EV_BYTES], &e) != CV_OK ||
			cv_bc_add_key(&bytes, key, 2 + (data[i * EV_BYTES] & 1), &e) != CV_OK)
			abort();
	}
	/* a store with a limit stops saying yes before it passes it */
	{
		cv_bycustomer lim;

		cv_bc_init(&lim, s1, 1);
		lim.limit = 40000;
		for (i = 0; i < n * 8 && cv_bc_has_room(&lim, 3); i++)
		{
			cv_event	e = event_of(data + (i % n) * EV_BYTES);

			e.stage = 1 + e.stage % 6;
			if (cv_bc_add_key(&lim, data + (i % n) * EV_BYTES, 3, &e) != CV_OK ||
				cv_bc_bytes(&lim) > lim.limit)
				abort();
		}
		cv_bc_free(&lim);
	}
	cv_flow_init(&fi, &cv_malloc_allocator);
	cv_flow_init(&fb, &cv_malloc_allocator);
	if (cv_bc_summarize(&ints, &fi) == CV_OK)
	{
		/* the same customers (an id and its byte string), summed in another order */
		if (cv_bc_summarize(&bytes, &fb) != CV_OK)
			abort();
		if (fi.customers != fb.customers || fi.customers != ints.customers)
			abort();
		/* amounts are summed exactly: the order does not show in the bytes */
		if (fi.customers > 0)	/* no summary is written of no customers */
			same_bytes(&fi, &fb);
	}
	cv_flow_free(&fi);
	cv_flow_free(&fb);

	/* per customer: cv_flow_add_customer against a walk over the sorted events */
	for (c = 0; c < 256 && valid; c++)
	{
		cv_event	ev[MAX_EVENTS];
		size_t		m = 0,
					k;
		cv_flow		a,
					b;
		cv_walk		w;
		cv_status	sa,
					sb = CV_OK;

		for (i = 0; i < n; i++)
			if (data[i * EV_BYTES] == c)
				ev[m++] = event_of(data + i * EV_BYTES);
		if (m == 0)
			continue;
		cv_flow_init(&a, &cv_malloc_allocator);
		cv_flow_init(&b, &cv_malloc_allocator);
		sa = cv_flow_add_customer(&a, ev, m);	/* sorts ev */
		cv_walk_begin(&w, &b, NULL);
		for (k = 0; k < m && sb == CV_OK; k++)
			sb = cv_walk_event(&w, &ev[k]);
		if (sb == CV_OK)
			sb = cv_walk_end(&w);
		cv_walk_release(&w);
		if (sa != sb)
			abort();
		if (sa == CV_OK)
			same_bytes(&a, &b);
		cv_flow_free(&a);
		cv_flow_free(&b);
	}
	cv_bc_free(&ints);
	cv_bc_free(&bytes);
	return 0;
}
