/*
 * bycustomer_walk.c — a store's customers walked one by one into any
 * summary (walker.h), and the flow walk behind that interface.
 */
#include "bycustomer.h"
#include "customer.h"
#include "pace.h"

typedef struct walk_arg
{
	const cv_walker *w;
	void	   *self;
} walk_arg;

static cv_status
walk_customer(void *arg, cv_event *ev, size_t n)
{
	walk_arg   *a = arg;
	cv_status	st = cv_prepare_events(ev, n);
	size_t		i;

	if (st == CV_OK)
		st = a->w->begin(a->self);
	for (i = 0; i < n && st == CV_OK; i++)
		st = a->w->event(a->self, &ev[i]);
	if (st == CV_OK)
		st = a->w->end(a->self);
	return st;
}

cv_status
cv_bc_walk(const cv_bycustomer *b, const cv_walker *w, void *self)
{
	walk_arg	a;

	a.w = w;
	a.self = self;
	return cv_bc_each(b, walk_customer, &a);
}

/* --- the flow walk (customer.c) as a walker ----------------------------------- */

static cv_status
flow_begin(void *self)
{
	cv_walk    *w = self;

	cv_walk_begin(w, w->into, NULL);
	return CV_OK;
}

static cv_status
flow_event(void *self, const cv_event *e)
{
	return cv_walk_event((cv_walk *) self, e);
}

static cv_status
flow_end(void *self)
{
	cv_walk    *w = self;
	cv_status	st = cv_walk_end(w);

	/* what cv_flow_add_customer does after every walk */
	cv_walk_release(w);
	return st;
}

const cv_walker cv_flow_walker = {flow_begin, flow_event, flow_end};
